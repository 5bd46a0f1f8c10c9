"""Topics and their match rules: tag passages and items with the topics they mention.

Rules are phrases matched as whole words, ignoring case and accents; a trailing `*`
matches word forms, and a rule in capitals (an acronym) matches only in capitals.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from briefing.errors import InputError
from db.models import Item, Passage, Topic, passage_topic
from db.text import fold, strip_accents

DEFAULT_TOPICS = "topics.toml"


_TOKEN = re.compile(r"[^\W_]+")


class Words:
    """The words of a text, so a rule can be ruled out cheaply before its regex runs."""

    def __init__(self, text: str) -> None:
        self.exact = frozenset(_TOKEN.findall(text))
        self.ordered = sorted(self.exact)

    def has_prefix(self, stem: str) -> bool:
        """Return whether a word of the text starts with `stem`."""
        i = bisect.bisect_left(self.ordered, stem)
        return i < len(self.ordered) and self.ordered[i].startswith(stem)


@dataclass(frozen=True)
class Rules:
    """Phrases compiled to one regex, with the words the text must hold for any to match.

    Each phrase's first word is a *cue*: a match implies the cue is a word of the text (or,
    for "stem*", that a word starts with it), so a text without any cue is skipped without
    running the regex: most texts, for most topics.
    """

    pattern: re.Pattern[str]
    words: frozenset[str]  # cues that must be whole words
    stems: tuple[str, ...]  # cues that words may continue
    always: bool  # a phrase has no cue (no letters or digits): always run the regex

    @classmethod
    def compile(cls, phrases: Sequence[str]) -> Rules | None:
        if not phrases:
            return None
        body = "|".join(_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))
        cues = [_cue(p) for p in phrases]
        return cls(
            re.compile(rf"(?<!\w)(?:{body})(?!\w)"),
            frozenset(word for word, stem in filter(None, cues) if not stem),
            tuple(word for word, stem in filter(None, cues) if stem),
            None in cues,
        )

    def search(self, text: str, words: Words) -> bool:
        cued = (
            self.always
            or not self.words.isdisjoint(words.exact)
            or any(words.has_prefix(stem) for stem in self.stems)
        )
        return cued and self.pattern.search(text) is not None


def _cue(phrase: str) -> tuple[str, bool] | None:
    """Return the first word of `phrase` and whether more letters may follow it ("stem*")."""
    first = _TOKEN.search(phrase)
    if first is None:
        return None
    return first[0], phrase.endswith("*") and first.end() == len(phrase) - 1


@dataclass(frozen=True)
class TopicRules:
    """A topic's rules: phrases matched in folded text, and acronyms matched in capitals."""

    topic_id: int
    folded: Rules | None
    acronyms: Rules | None

    @classmethod
    @functools.lru_cache(maxsize=256)
    def compile(cls, topic_id: int, phrases: tuple[str, ...]) -> TopicRules:
        acronyms = [p for p in phrases if _is_acronym(p)]
        words = [fold(p) for p in phrases if not _is_acronym(p)]
        return cls(topic_id, Rules.compile(words), Rules.compile(acronyms))


def _is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _phrase_pattern(phrase: str) -> str:
    stem, star = (phrase[:-1], r"[\w-]*") if phrase.endswith("*") else (phrase, "")
    words = [re.escape(w) for w in re.split(r"[\s-]+", stem.strip()) if w]
    return r"[\s\-]+".join(words) + star


def compile_rules(topics: Iterable[Topic]) -> list[TopicRules]:
    """Return the topics' rules, compiled (or taken from the cache of earlier compilations)."""
    return [TopicRules.compile(t.id, tuple(t.rules.get("match", []))) for t in topics]


def topics_for(text: str, rules: Sequence[TopicRules]) -> set[int]:
    """Return the ids of the topics whose rules match `text`."""
    folded = fold(text)
    plain = strip_accents(text)
    folded_words, plain_words = Words(folded), Words(plain)
    return {
        r.topic_id
        for r in rules
        if (r.folded is not None and r.folded.search(folded, folded_words))
        or (r.acronyms is not None and r.acronyms.search(plain, plain_words))
    }


def rule_hits(text: str, rules: TopicRules) -> int:
    """Return how many times a topic's rules match `text`: how much it says on the topic."""
    hits = 0
    if rules.folded is not None:
        hits += len(rules.folded.pattern.findall(fold(text)))
    if rules.acronyms is not None:
        hits += len(rules.acronyms.pattern.findall(strip_accents(text)))
    return hits


def load_default_topics() -> list[dict[str, Any]]:
    data = resources.files("briefing.data").joinpath(DEFAULT_TOPICS).read_text("utf-8")
    topics: list[dict[str, Any]] = tomllib.loads(data)["topic"]
    return topics


def install_default_topics(session: Session) -> int:
    """Give a library without topics the shipped taxonomy; return how many topics were added.

    A library that has topics keeps them as the user left them (removed ones stay removed).
    """
    if session.scalar(select(Topic.id).limit(1)) is not None:
        return 0
    added = 0
    for position, spec in enumerate(load_default_topics()):
        session.add(
            Topic(
                key=spec["key"],
                name=spec["name"],
                aliases=list(spec.get("aliases", [])),
                description=str(spec.get("description", "")),
                rules={"match": list(spec["match"])},
                position=position,
            )
        )
        added += 1
    session.flush()
    return added


def tag_passages(session: Session, passages: Sequence[tuple[int, str]], *, new: bool = False
                 ) -> None:
    """Link each passage, given as (id, text), to the topics it mentions (replacing earlier
    links, unless the passages are `new`: just stored, with none)."""
    if not passages:
        return
    rules = compile_rules(session.scalars(select(Topic)))
    if not new:
        ids = [passage_id for passage_id, _ in passages]
        for start in range(0, len(ids), 10_000):  # stay below SQLite's limit on parameters
            chunk = ids[start : start + 10_000]
            session.execute(delete(passage_topic).where(passage_topic.c.passage_id.in_(chunk)))
    links = [
        {"passage_id": passage_id, "topic_id": topic_id}
        for passage_id, text in passages
        for topic_id in topics_for(text, rules)
    ]
    if links:
        session.execute(insert(passage_topic), links)
    for row in list(session.identity_map.values()):  # the links changed under the ORM
        if isinstance(row, Passage):
            session.expire(row, ["topics"])
        elif isinstance(row, Topic):
            session.expire(row, ["passages"])


def suggest_item_topics(session: Session, item: Item) -> None:
    """Give an item without topics the topics its title and body mention."""
    if not item.topics:
        rules = compile_rules(session.scalars(select(Topic)))
        ids = topics_for(f"{item.title}\n{item.body}", rules)
        item.topics = list(session.scalars(select(Topic).where(Topic.id.in_(ids))))


RETAG_BATCH = 2_000  # passages retagged per transaction: other writers wait well under 1 s


def retag_all(session: Session) -> None:
    """Re-apply every topic's rules to every passage (after rules change), in one transaction."""
    rows = session.execute(select(Passage.id, Passage.text)).all()
    tag_passages(session, [(passage_id, text) for passage_id, text in rows])


def retag_in_batches(sessions: Callable[[], AbstractContextManager[Session]]) -> None:
    """Retag every passage, committing every `RETAG_BATCH` passages in a transaction of its
    own (from `sessions()`), so a retag of a large library never holds the write lock long."""
    with sessions() as session:
        ids = list(session.scalars(select(Passage.id).order_by(Passage.id)))
    for start in range(0, len(ids), RETAG_BATCH):
        chunk = ids[start : start + RETAG_BATCH]
        with sessions() as session:
            rows = session.execute(select(Passage.id, Passage.text).where(Passage.id.in_(chunk)))
            tag_passages(session, [(passage_id, text) for passage_id, text in rows])


def find_topic(session: Session, query: str) -> Topic:
    """Return the topic named by `query`: its name, key or an alias, ignoring case and accents.

    An exact match wins; otherwise a unique topic whose name, key or alias starts with or
    contains the query. Raises InputError listing the candidates when none or several fit.
    """
    topics = list(session.scalars(select(Topic).order_by(Topic.position)))
    wanted = fold(query.strip())
    if not wanted:
        raise InputError("empty topic name")

    def labels(t: Topic) -> list[str]:
        return [fold(x) for x in (t.name, t.key, *t.aliases)]

    for test in (
        lambda label: label == wanted,
        lambda label: label.startswith(wanted),
        lambda label: wanted in label,
    ):
        found = [t for t in topics if any(test(label) for label in labels(t))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(f"{t.name} ({t.key})" for t in found)
            raise InputError(f'topic "{query}" is ambiguous: it could be {names}')
    names = ", ".join(t.key for t in topics)
    raise InputError(f'no topic "{query}"; topics are: {names}')


@dataclass(frozen=True)
class TopicChange:
    """An edit to a topic's name, aliases or match rules."""

    name: str | None = None
    add_match: Sequence[str] = ()
    remove_match: Sequence[str] = ()
    add_alias: Sequence[str] = ()
    remove_alias: Sequence[str] = ()


def _edited(
    values: Sequence[str], add: Sequence[str], remove: Sequence[str], what: str
) -> list[str]:
    missing = [v for v in remove if v not in values]
    if missing:
        raise InputError(f"no {what} {', '.join(repr(m) for m in missing)} to remove")
    kept = [v for v in values if v not in remove]
    return kept + [v.strip() for v in add if v.strip() and v.strip() not in kept]


def add_topic(session: Session, key: str, name: str, match: Sequence[str],
              aliases: Sequence[str] = ()) -> Topic:  # fmt: skip
    """Create a topic; the caller tags the passages that mention it."""
    key, name = key.strip().lower(), name.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
        raise InputError(f'topic key "{key}" must be lower-case letters, digits and hyphens')
    if not name:
        raise InputError("a topic needs a name")
    taken = session.scalar(select(Topic).where((Topic.key == key) | (Topic.name == name)))
    if taken is not None:
        raise InputError(f'a topic "{taken.name}" ({taken.key}) exists already')
    position = len(session.scalars(select(Topic.id)).all())
    topic = Topic(key=key, name=name, aliases=list(aliases), rules={"match": []}, position=position)
    session.add(topic)
    return edit_topic(session, topic, TopicChange(add_match=match))


def edit_topic(session: Session, topic: Topic, change: TopicChange) -> Topic:
    """Apply `change` to `topic`; the caller retags the library with the new rules."""
    match = _edited(topic.rules.get("match", []), change.add_match, change.remove_match, "rule")
    if not match:
        raise InputError(f'topic "{topic.name}" needs at least one match rule')
    if any(not re.search(r"\w", phrase) for phrase in match):
        raise InputError("a match rule needs at least one letter or digit")
    topic.rules = {"match": match}
    topic.aliases = _edited(topic.aliases, change.add_alias, change.remove_alias, "alias")
    if change.name is not None:
        if not change.name.strip():
            raise InputError("a topic needs a name")
        topic.name = change.name.strip()
    topic.bump()
    session.flush()
    return topic
