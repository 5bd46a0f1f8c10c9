"""Search: accents folded, phrases, prefixes, boolean queries, filters, items and source
titles kept in step by triggers, and no query ever raising a syntax error; every test on
SQLite and on PostgreSQL (`new_target`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from conftest import SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.library import Library
from briefing.tagging import find_topic
from db.models import Item, ItemKind, Source
from db.search import Hit, Query, parse_query, search, snippet

READOUT = """Readout: call between Commissioner Šefčovič and the US Trade Representative

Brussels, 3 March 2026

The Commissioner raised steel safeguards and the tariff-rate quotas.

They agreed to keep talking about semiconductors."""


@pytest.fixture(scope="module")
def library(new_target: Callable[[], str]) -> Iterator[Library]:
    with Library(new_target()) as library:
        library.import_paths([SAMPLE])
        library.import_text(READOUT, "readout.txt")
        with library.store.session() as session:
            session.add(Item(kind=ItemKind.LINE_TO_TAKE, title="Steel line",
                             body="We share **concerns** about global steel overcapacity."))
        yield library


@pytest.fixture
def session(library: Library) -> Iterator[Session]:
    with library.store.session() as session:
        yield session


def texts(hits: list[Hit]) -> list[str]:
    return [h.snippet for h in hits]


@pytest.mark.parametrize("query", ["sefcovic", "SEFCOVIC", "šefčovič", "Šefčovič"])
def test_accents_and_case_are_folded(session: Session, query: str) -> None:
    hits = search(session, query, what=["passage"])
    assert {h.source_title for h in hits} == {
        "7th Japan-EU High-Level Economic Dialogue",
        "Readout: call between Commissioner Šefčovič and the US Trade Representative",
    }
    [sample] = [h for h in hits if h.seq == 3]
    assert "Maroš [ŠEFČOVIČ], European Commissioner" in sample.snippet


def test_phrases(session: Session) -> None:
    hits = search(session, '"critical minerals"')
    assert {h.seq for h in hits} == {7, 8}  # not 9: "critical mineral projects"
    assert all("[critical] [minerals]" in h.snippet for h in hits)
    assert search(session, '"minerals critical"') == []


def test_prefixes(session: Session) -> None:
    assert {h.seq for h in search(session, "overcap*", what=["passage"])} == {7, 14}
    assert search(session, "sej") == []
    [hit] = search(session, "sej", as_you_type=True)
    assert "Stéphane [SÉJOURNÉ]" in hit.snippet
    assert search(session, "s", as_you_type=True) == []  # one letter: nothing yet
    phrase = {h.seq for h in search(session, '"critical mineral"*', what=["passage"])}
    assert phrase == {7, 8, 9}  # "critical minerals" and "critical mineral projects"
    assert {h.seq for h in search(session, '"critical mineral*"', what=["passage"])} == phrase


def test_boolean_queries(session: Session) -> None:
    steel = {h.id for h in search(session, "steel", what=["passage"])}
    batteries = {h.id for h in search(session, "batteries", what=["passage"])}
    both = {h.id for h in search(session, "steel AND batteries", what=["passage"])}
    either = {h.id for h in search(session, "steel OR batteries", what=["passage"])}
    assert both == steel & batteries and either == steel | batteries
    japan = {h.id for h in search(session, "japan", what=["passage"])}
    assert {h.id for h in search(session, "japan NOT steel", what=["passage"])} == japan - steel
    assert {h.id for h in search(session, "japan -steel", what=["passage"])} == japan - steel


def test_ranked_best_first(session: Session) -> None:
    hits = search(session, "steel")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {h.kind for h in hits} == {"passage", "item"}


NASTY = ['"', "(", ")", "AND", "OR", "NOT", "*", "-", "NEAR(", "NEAR(a b", ":", "text:steel",
         "^steel", '"steel', 'steel"', "steel AND", "OR steel", "NOT NOT", "a* b* c*", "'",
         "+", "{text}: steel", "steel ***", '""', '"" AND ""', "\x00", "🙂", "赤沢", "-steel",
         "steel OR " * 2000]


@pytest.mark.parametrize("query", NASTY)
def test_nasty_queries_never_raise(session: Session, query: str) -> None:
    for as_you_type in (False, True):
        assert isinstance(search(session, query, as_you_type=as_you_type), list)


@settings(max_examples=150, deadline=None, derandomize=True)  # the same examples in CI
@given(st.text(alphabet=st.sampled_from(list('ab "*()-:^+AND OR NOT NEAR{}\'.,Šé赤')), max_size=20))
def test_no_query_raises(library: Library, query: str) -> None:
    with library.store.session() as session:
        search(session, query)
        search(session, query, as_you_type=True)


def test_parse_query_keeps_what_users_mean() -> None:
    assert parse_query('"supply chains" OR steel*') == Query(
        '"supply chains" OR "steel"*', frozenset({"supply", "chains"}), ("steel",))
    assert parse_query("NEAR(steel") == Query('"NEAR(steel"', frozenset({"near", "steel"}), ())
    assert parse_query("AND OR NOT * - :") is None
    assert parse_query("steel NOT") == parse_query("steel")


def test_filter_by_source_kind_and_date(session: Session) -> None:
    readout = session.scalars(select(Source).where(Source.origin == "readout.txt")).one()
    assert (readout.kind.value, readout.date) == ("readout", date(2026, 3, 3))
    only = search(session, "steel", source_id=readout.id)
    assert {h.source_id for h in only} == {readout.id} and only
    assert {h.source_id for h in search(session, "steel", kinds=["readout"])} == {readout.id}
    assert {h.kind for h in search(session, "steel", kinds=["readout"])} == {"passage"}
    may = search(session, "steel", date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    assert readout.id not in {h.source_id for h in may} and may
    assert search(session, "steel", date_to=date(2025, 12, 31)) == []


def test_filter_by_topic(session: Session) -> None:
    batteries = find_topic(session, "batteries").id
    hits = search(session, "japan", topic=batteries, what=["passage"])
    assert hits and all("batter" in p.lower() for p in _passage_texts(session, hits))
    assert len(hits) < len(search(session, "japan", what=["passage"]))


def _passage_texts(session: Session, hits: list[Hit]) -> list[str]:
    from db.models import Passage

    return [session.get(Passage, h.id).text for h in hits]  # type: ignore[union-attr]


def test_source_titles_are_searched(session: Session) -> None:
    hits = search(session, "high-level dialogue", what=["source"])
    assert [(h.kind, h.snippet) for h in hits] == [
        ("source", "7th Japan-EU [High]-[Level] Economic [Dialogue]")]


def test_items_are_kept_in_step(library: Library) -> None:
    with library.store.session() as session:
        [hit] = search(session, "concerns overcapacity", what=["item"])
        assert (hit.kind, hit.source_title) == ("item", "Steel line")
        assert "share **[concerns]** about global steel [overcapacity]" in hit.snippet
        item = session.get(Item, hit.id)
        assert item is not None
        item.body = "Tariffs on semiconductors."
    with library.store.session() as session:
        assert search(session, "overcapacity", what=["item"]) == []
        assert [h.id for h in search(session, "semiconductors", what=["item"])] == [hit.id]
        session.delete(session.get(Item, hit.id))
    with library.store.session() as session:
        assert search(session, "semiconductors", what=["item"]) == []


def test_deleted_sources_leave_the_index(new_target: Callable[[], str]) -> None:
    with Library(new_target()) as library:
        library.import_text(READOUT, "readout.txt")
        with library.store.session() as session:
            assert search(session, "semiconductors")
            session.delete(session.scalars(select(Source)).one())
        with library.store.session() as session:
            assert search(session, "semiconductors") == []
            assert search(session, "readout") == []


def test_snippet_marks_and_trims() -> None:
    query = parse_query("steel")
    assert query is not None
    long = " ".join(f"w{i}" for i in range(100)) + " Steel " + " ".join("x" * 50)
    text = snippet(long, query, ("<b>", "</b>"))
    assert text.startswith("…w94 ") and "<b>Steel</b>" in text and text.endswith(" …")
    assert snippet("Short steel.", query) == "Short [steel]."
    # characters that fold to two (ß → ss, ﬁ → fi) keep the marks in place
    assert snippet("Große ﬁnance, STEEL!", query) == "Große ﬁnance, [STEEL]!"
    assert snippet("Nothing here.", query) == "Nothing here."


def test_common_queries_rank_the_newest_matches(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond RANK_WINDOW matches, bm25 ranks only the newest ones (see db/search.py)."""
    with library.store.session() as session:
        every = {h.id for h in search(session, "japan", what=["passage"])}
        monkeypatch.setattr("db.search.RANK_WINDOW", 3)
        hits = search(session, "japan", what=["passage"], limit=3)
        assert {h.id for h in hits} == set(sorted(every)[-3:])
        assert len(search(session, "japan", what=["passage"], limit=10)) == 10


def test_rare_queries_find_old_passages_too(library: Library, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    """PostgreSQL reads the newest RECENT passages first, then asks its index for the rest."""
    with library.store.session() as session:
        every = {q: search(session, q, what=["passage"]) for q in ("sefcovic", "japan", "steel")}
        monkeypatch.setattr("db.search.RECENT", 3)
        for query, hits in every.items():
            assert search(session, query, what=["passage"]) == hits and hits


@pytest.mark.parametrize("read_on", [False, True], ids=["index", "read-on"])
def test_phrases_are_found_alike_from_the_index_and_reading_on(
    library: Library, monkeypatch: pytest.MonkeyPatch, read_on: bool
) -> None:
    """On PostgreSQL a phrase comes from its word pairs' index, or from reading passages
    in order: both give what the newest passages gave."""
    phrases = ['"critical minerals"', '"minerals critical"', '"Commissioner Šefčovič"',
               '"steel safeguards and the"', '"critical minerals" -steel',
               '"critical minerals" OR "steel safeguards"', '"critical min"*']
    with library.store.session() as session:
        every = {q: search(session, q, what=["passage"]) for q in phrases}
        monkeypatch.setattr("db.search.RECENT", 1)
        monkeypatch.setattr("db.search.INDEX_FETCH", 1e9 if read_on else 0.0)
        for query, hits in every.items():
            assert search(session, query, what=["passage"]) == hits, query
    assert every['"minerals critical"'] == []
    assert all(every[q] for q in phrases if q != '"minerals critical"')


def test_a_phrase_is_its_words_in_order_not_just_its_pairs(
    new_target: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every pair of "steel talks went badly" is in the passage, never all in a row; two
    two-word phrases are looked up by their pairs alone (PostgreSQL's index path)."""
    monkeypatch.setattr("db.search.RECENT", 1)
    monkeypatch.setattr("db.search.INDEX_FETCH", 0.0)
    with Library(new_target()) as library:
        library.import_text("Title\n\nSteel talks went well, and quota talks went badly.",
                            "talks.txt")  # fmt: skip
        with library.store.session() as session:
            def found(query: str) -> bool:
                return bool(search(session, query, what=["passage"]))

            assert not found('"steel talks went badly"')
            assert found('"talks went badly"') and found('"steel talks" "went badly"')
            assert not found('"steel talks" "badly went"') and not found('"steel talks" -quota')


def test_phrases_of_odd_words(new_target: Callable[[], str]) -> None:
    """Words the search splits (12e5x is 12e5 and x) and pairs too long to index."""
    long = "extraordinarily" * 3
    with Library(new_target()) as library:
        library.import_text(f"Title\n\nThe rate rose to 12e5x units.\n\nSaid {long} {long}s.",
                            "odd.txt")  # fmt: skip
        with library.store.session() as session:
            for query in ['"to 12e5x units"', '"12e5x units"', f'"{long} {long}s"',
                          f'"said {long}"']:
                assert [h.seq for h in search(session, query, what=["passage"])], query
            assert search(session, '"rose units"', what=["passage"]) == []
            assert search(session, f'"{long}s {long}"', what=["passage"]) == []
