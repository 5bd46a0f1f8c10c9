"""Read-only listings for browsing the library: a source's passages, people, glossary."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.views import LibraryView as LibraryView
from briefing.views import PersonInfo as PersonInfo
from briefing.views import TermInfo as TermInfo
from db.models import GlossaryTerm, Passage, Person, passage_topic


@dataclass(frozen=True)
class PassageInfo:
    id: int
    source_id: int
    source_title: str
    seq: int
    text: str
    heading: bool
    topics: tuple[str, ...]


def passage_info(p: Passage) -> PassageInfo:
    return PassageInfo(
        p.id,
        p.source_id,
        p.source.title,
        p.seq,
        p.text,
        p.heading_level is not None,
        tuple(t.name for t in p.topics),
    )


def passages(session: Session, source_id: int, topic_id: int | None = None) -> list[PassageInfo]:
    """Return a source's passages in order (only those tagged `topic_id`, if given)."""
    query = select(Passage).where(Passage.source_id == source_id).order_by(Passage.seq)
    if topic_id is not None:
        query = query.join(passage_topic).where(passage_topic.c.topic_id == topic_id)
    return [passage_info(p) for p in session.scalars(query)]


def passage(session: Session, passage_id: int) -> PassageInfo | None:
    found = session.get(Passage, passage_id)
    return passage_info(found) if found is not None else None


def passages_by_id(session: Session, ids: list[int]) -> list[PassageInfo]:
    """Return the passages with these ids, in the order given (missing ones left out)."""
    found = {p.id: p for p in session.scalars(select(Passage).where(Passage.id.in_(ids)))}
    return [passage_info(found[i]) for i in ids if i in found]


def people(session: Session) -> list[PersonInfo]:
    rows = session.scalars(select(Person).order_by(Person.side, Person.family_name, Person.name))
    return [PersonInfo(p.id, p.name, p.role, p.organisation, p.side) for p in rows]


def glossary(session: Session) -> list[TermInfo]:
    rows = session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term))
    return [TermInfo(t.term, t.expansion) for t in rows]


def sources_with_topic(session: Session, topic_id: int) -> set[int]:
    """Return the ids of the sources that have a passage tagged `topic_id`."""
    query = (
        select(Passage.source_id)
        .join(passage_topic)
        .where(passage_topic.c.topic_id == topic_id)
        .distinct()
    )
    return set(session.scalars(query))
