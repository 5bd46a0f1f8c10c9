"""Topics: the shipped taxonomy tags the sample's passages, and only with what they say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from briefing.errors import InputError
from briefing.library import Library
from briefing.tagging import TopicRules, find_topic, retag_all, topics_for
from db.models import Passage, Topic

# Each passage of the sample, named by a phrase in it, with exactly the topics it mentions.
EXPECTED = {
    "held their 7th High-Level Economic Dialogue": {"economic-security"},
    "long-standing strategic relationship": set(),
    "reform and support multilateral fora": {"wto", "plurilateral"},
    "situation in the Middle East": {"energy-maritime"},
    "unjustified export restrictions": {
        "export-controls",
        "coercion",
        "critical-minerals",
        "supply-chains",
        "steel",
    },
    "Competitiveness Alliance established": {
        "supply-chains",
        "critical-minerals",
        "batteries",
        "clean-energy",
        "steel",
    },
    "European Investment Bank": {"investment", "critical-minerals"},
    "Battery Association for Supply Chain": {"batteries", "supply-chains"},
    "Green Transition": {"clean-energy", "startups"},
    "Business Roundtable": {"investment"},
    "Leaders' call at the 2025 Summit": {"economic-security", "plurilateral"},
    "proposed measure on steel": {"steel", "wto"},
    "respective industrial policies": {"automobiles", "batteries", "supply-chains"},
    "towards the next Japan-EU Summit": set(),
}


def passage_topics(library: Library) -> dict[str, set[str]]:
    with library.store.session() as session:
        return {p.text: {t.key for t in p.topics} for p in session.scalars(select(Passage))}


def test_sample_passages_get_exactly_the_topics_they_mention(demo_library: Library) -> None:
    tagged = passage_topics(demo_library)
    for phrase, topics in EXPECTED.items():
        [text] = [t for t in tagged if phrase in t]
        assert tagged[text] == topics, phrase
    # Every body paragraph of the sample (not its title lines) is covered by the table above.
    body = [t for t in tagged if len(t.split()) > 12]
    assert len(body) == len(EXPECTED)


def test_steel_and_export_restriction_passages(demo_library: Library) -> None:
    tagged = passage_topics(demo_library)
    [steel] = [t for t in tagged if "global steel overcapacity" in t]
    assert "steel" in tagged[steel]
    [restrictions] = [t for t in tagged if "export restrictions" in t]
    assert {"export-controls", "coercion", "critical-minerals"} <= tagged[restrictions]


def test_topic_counts_match_the_tags(demo_library: Library) -> None:
    counts = {t.key: t.passages for t in demo_library.topics()}
    assert counts["steel"] == 3
    assert counts["automobiles"] == 1
    assert counts["coercion"] == 1
    assert len(counts) == 14


def test_passages_are_retagged_when_rules_change(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        topic = session.scalars(select(Topic).where(Topic.key == "automobiles")).one()
        topic.rules = {"match": ["robotics"]}
        retag_all(session)
    tagged = passage_topics(demo_library)
    assert [t for t, keys in tagged.items() if "automobiles" in keys] == [
        t for t in tagged if "robotics" in t
    ]


@pytest.mark.parametrize(
    ("rule", "text", "hit"),
    [
        ("export restriction*", "new Export-Restrictions on gallium", True),
        ("export restriction*", "exports are restricted", False),
        ("steel", "the steelworks", False),
        ("sefcovic", "Maroš ŠEFČOVIČ said", True),
        ("GX", "Japan's GX agency", True),
        ("GX", "the gx file", False),
    ],
)
def test_rules_match_whole_words_forms_accents_and_acronyms(
    rule: str, text: str, hit: bool
) -> None:
    assert bool(topics_for(text, [TopicRules.compile(1, (rule,))])) is hit


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("steel", "steel"),
        ("STEEL", "steel"),
        ("economic coercion", "coercion"),
        ("Export Controls", "export-controls"),
        ("critical raw materials", "critical-minerals"),
        ("cptpp", "plurilateral"),
        ("automob", "automobiles"),
    ],
)
def test_find_topic_by_name_key_or_alias(demo_library: Library, query: str, key: str) -> None:
    with demo_library.store.session() as session:
        assert find_topic(session, query).key == key


def test_find_topic_reports_ambiguous_and_unknown_names(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        with pytest.raises(InputError, match=r'"economic" is ambiguous: .*Economic coercion'):
            find_topic(session, "economic")
        with pytest.raises(InputError, match=r'no topic "fisheries"; topics are: steel, coercion'):
            find_topic(session, "fisheries")


def _regex_only(text: str, rules: list[TopicRules]) -> set[int]:
    """The rules' verdict without the cheap word checks that skip most regex runs."""
    from db.text import fold, strip_accents

    return {
        r.topic_id
        for r in rules
        if (r.folded is not None and r.folded.pattern.search(fold(text)))
        or (r.acronyms is not None and r.acronyms.pattern.search(strip_accents(text)))
    }


RULE_WORDS = [
    "steel",
    "export",
    "control",
    "controls",
    "GX",
    "gx",
    "non-market",
    "policies",
    "Šefčovič",
    "sefcovic",
    "_",
    "-",
    " ",
    ".",
    "é",
    "Export-Restrictions",
    "U.S.",
]
PHRASES = [
    ("steel",),
    ("export control*", "GX"),
    ("non-market polic*",),
    ("ŠEFČOVIČ",),
    ("U.S.",),
    ("é",),
    ("-",),
    ("export restriction*",),
]


@given(st.lists(st.sampled_from(RULE_WORDS), max_size=12).map(" ".join))
def test_word_checks_never_change_what_rules_match(text: str) -> None:
    rules = [TopicRules.compile(i, phrases) for i, phrases in enumerate(PHRASES)]
    assert topics_for(text, rules) == _regex_only(text, rules)
