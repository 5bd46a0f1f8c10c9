"""Deleting packs, items and sources, saying what went with them, and putting them back.

A deleted item or source leaves the packs that held it through `outline.remove_entry`, so
their sections are renumbered and the packs marked changed like any other outline edit.
Each delete returns a `Deleted` holding a snapshot of what went; `restore` puts it back with
the same ids (the app's Edit ▸ Undo), leaving out what has gone since (an entry whose item
was deleted meanwhile, a citation by an item no longer there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from briefing.errors import InputError
from briefing.items import DeletedItem, restore_item
from briefing.items import delete_item as delete_item_row
from briefing.outline import (
    EntrySnapshot,
    SectionSnapshot,
    remove_entry,
    restore_entry,
    section_snapshot,
)
from db.models import (
    Commitment,
    Entry,
    GlossaryTerm,
    Item,
    LostCitation,
    Meeting,
    Pack,
    PackRevision,
    Participant,
    Passage,
    Person,
    Section,
    Source,
    SourceCopy,
    SourceKind,
    Topic,
    item_citation,
)


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    position: int
    name: str
    role: str
    organisation: str
    side: str
    person_id: int | None


@dataclass(frozen=True)
class MeetingSnapshot:
    id: int
    title: str
    date: date | None
    place: str
    version: int
    participants: tuple[ParticipantRow, ...]
    series: str | None = None
    counterpart: str | None = None


@dataclass(frozen=True)
class PackSnapshot:
    """A deleted pack's row, its meeting (if it went with the pack) and its outline."""

    id: int
    title: str
    marking: str
    template: str
    paper_size: str
    revisions: tuple[RevisionRow, ...]
    version: int
    created_at: datetime
    updated_at: datetime
    meeting_id: int | None
    meeting: MeetingSnapshot | None  # None: no meeting, or one another pack keeps
    sections: tuple[SectionSnapshot, ...]


@dataclass(frozen=True)
class RevisionRow:
    """An issued revision of a deleted pack, as stored."""

    id: int
    number: int
    issued_at: datetime
    entries: int
    content_hash: str
    template: str
    paper_size: str
    snapshot: str


@dataclass(frozen=True)
class PassageRow:
    id: int
    seq: int
    text: str
    runs: list[Any]
    heading_level: int | None
    topic_ids: tuple[int, ...]


@dataclass(frozen=True)
class CopyRow:
    id: int
    origin: str
    format: str
    content_hash: str
    imported_at: datetime


@dataclass(frozen=True)
class SourceSnapshot:
    """A deleted source's row, files, passages and links, and where packs and items used it."""

    id: int
    title: str
    issuer: str
    kind: SourceKind
    date: date | None
    place: str
    origin: str
    content_hash: str
    fingerprint: str
    marking: str
    imported_at: datetime
    copies: tuple[CopyRow, ...]
    passages: tuple[PassageRow, ...]
    person_ids: tuple[int, ...]
    glossary_ids: tuple[int, ...]  # the terms it defined
    entries: tuple[EntrySnapshot, ...]  # in the order they were taken out
    citations: tuple[tuple[int, int], ...]  # (item id, passage id)
    # its commitments as stored (status, owner and notes included): column → value
    commitments: tuple[dict[str, Any], ...] = ()
    commitments_read: bool = True


@dataclass(frozen=True)
class Deleted:
    """What a delete took away: the row, counts of what went with it, the rows it changed."""

    what: str  # "pack", "item" or "source"
    id: int
    title: str
    details: tuple[str, ...] = ()
    packs: frozenset[int] = field(default_factory=frozenset)  # other packs changed
    items: frozenset[int] = field(default_factory=frozenset)  # other items changed
    item: DeletedItem | None = None  # a deleted item, as `items.restore_item` puts it back
    pack: PackSnapshot | None = None  # a deleted pack, as `restore_pack` puts it back
    source: SourceSnapshot | None = None  # a deleted source, as `restore_source` puts it back

    def describe(self) -> str:
        more = f" ({', '.join(self.details)})" if self.details else ""
        return f"deleted {self.what} {self.id} “{self.title}”{more}"


def count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def _pack_names(pack_ids: set[int], session: Session) -> str:
    packs = session.scalars(select(Pack).where(Pack.id.in_(pack_ids)).order_by(Pack.id))
    return ", ".join(f"pack {p.id} “{p.title}”" for p in packs)


def delete_pack(session: Session, pack_id: int) -> Deleted:
    """Delete a pack with its sections, entries and meeting."""
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    entries = sum(len(s.entries) for s in pack.sections)
    details = (count(len(pack.sections), "section"), count(entries, "entry", "entries"))
    meeting = pack.meeting
    snapshot = _pack_snapshot(pack)
    session.delete(pack)
    session.flush()
    if (
        meeting is not None
        and session.scalar(select(Pack.id).where(Pack.meeting == meeting)) is None
    ):
        snapshot = _with_meeting(snapshot, meeting)
        session.delete(meeting)
    return Deleted("pack", pack_id, pack.title, details, pack=snapshot)


def _pack_snapshot(pack: Pack) -> PackSnapshot:
    return PackSnapshot(
        pack.id, pack.title, pack.marking, pack.template, pack.paper_size,
        tuple(
            RevisionRow(r.id, r.number, r.issued_at, r.entries, r.content_hash, r.template,
                        r.paper_size, r.snapshot)
            for r in pack.revisions
        ),
        pack.version, pack.created_at, pack.updated_at, pack.meeting_id, None,
        tuple(section_snapshot(s) for s in pack.sections),
    )  # fmt: skip


def _with_meeting(snapshot: PackSnapshot, meeting: Meeting) -> PackSnapshot:
    people = tuple(
        ParticipantRow(p.id, p.position, p.name, p.role, p.organisation, p.side, p.person_id)
        for p in meeting.participants
    )
    held = MeetingSnapshot(
        meeting.id, meeting.title, meeting.date, meeting.place, meeting.version, people,
        meeting.series, meeting.counterpart,
    )
    return replace(snapshot, meeting=held)


def restore_pack(session: Session, snapshot: PackSnapshot) -> int:
    """Put back a pack `delete_pack` took away, with its ids: its row, meeting, sections and
    the entries whose passages, items and sources are still there."""
    if session.get(Pack, snapshot.id) is not None:
        raise InputError(f"cannot put pack “{snapshot.title}” back: its id is in use")
    meeting_id = snapshot.meeting_id
    if snapshot.meeting is not None and session.get(Meeting, snapshot.meeting.id) is None:
        session.add(_meeting_row(session, snapshot.meeting))
    elif meeting_id is not None and session.get(Meeting, meeting_id) is None:
        meeting_id = None  # the meeting another pack kept has gone since
    pack = Pack(
        id=snapshot.id, title=snapshot.title, meeting_id=meeting_id, marking=snapshot.marking,
        template=snapshot.template, paper_size=snapshot.paper_size,
        version=snapshot.version, created_at=snapshot.created_at, updated_at=snapshot.updated_at,
    )  # fmt: skip
    topics = _existing(session, Topic, [s.topic_id for s in snapshot.sections if s.topic_id])
    for held in snapshot.sections:
        section = Section(id=held.id, position=held.position, title=held.title,
                          topic_id=held.topic_id if held.topic_id in topics else None)  # fmt: skip
        kept = [e for e in held.entries if _target_exists(session, e)]
        section.entries = [
            Entry(
                id=e.id, position=i, kind=e.kind, carried=e.carried,
                **{f"{e.kind.value}_id": e.target_id},
            )
            for i, e in enumerate(kept)
        ]
        pack.sections.append(section)
    pack.revisions = [PackRevision(**vars(row)) for row in snapshot.revisions]
    session.add(pack)
    session.flush()
    return pack.id


def _meeting_row(session: Session, held: MeetingSnapshot) -> Meeting:
    people = _existing(session, Person, [p.person_id for p in held.participants if p.person_id])
    meeting = Meeting(
        id=held.id, title=held.title, date=held.date, place=held.place, version=held.version,
        series=held.series, counterpart=held.counterpart,
    )
    meeting.participants = [
        Participant(id=p.id, position=p.position, name=p.name, role=p.role,
                    organisation=p.organisation, side=p.side,
                    person_id=p.person_id if p.person_id in people else None)
        for p in held.participants
    ]  # fmt: skip
    return meeting


def _target_exists(session: Session, entry: EntrySnapshot) -> bool:
    model = {"passage": Passage, "item": Item, "source": Source}[entry.kind.value]
    return session.get(model, entry.target_id) is not None


def _existing(session: Session, model: type[Any], ids: Sequence[int]) -> set[int]:
    """Return those of `ids` that rows of `model` still have."""
    return set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()


def delete_item(session: Session, item_id: int) -> Deleted:
    """Delete an item, taking it out of the packs that hold it."""
    deleted = delete_item_row(session, item_id)
    data, packs = deleted.data, deleted.packs
    details = (f"taken out of {_pack_names(set(packs), session)}",) if packs else ()
    title = data.title or data.kind.value
    return Deleted("item", item_id, title, details, packs, item=deleted)


@dataclass(frozen=True)
class SourceUse:
    """Where a source is used: entries quoting its passages or annexing it, items citing it."""

    source: Source
    entries: tuple[Entry, ...]
    items: tuple[Item, ...]

    @property
    def packs(self) -> set[int]:
        return {e.section.pack_id for e in self.entries}

    def describe(self, session: Session, quoted: str = "quoted in", cited: str = "cited by") -> str:
        parts = []
        if self.entries:
            entries = count(len(self.entries), "entry", "entries")
            parts.append(f"{quoted} {_pack_names(self.packs, session)} ({entries})")
        if self.items:
            items = ", ".join(f"item {i.id} “{i.title or i.kind.value}”" for i in self.items)
            parts.append(f"{cited} {items}")
        return "; ".join(parts)


def source_use(session: Session, source_id: int) -> SourceUse:
    source = session.get(Source, source_id)
    if source is None:
        raise InputError(f"no source {source_id}")
    passages = select(Passage.id).where(Passage.source_id == source_id).scalar_subquery()
    entries = session.scalars(
        select(Entry)
        .where(or_(Entry.source_id == source_id, Entry.passage_id.in_(passages)))
        .order_by(Entry.id)
    )
    items = session.scalars(
        select(Item)
        .where(Item.id.in_(select(item_citation.c.item_id)
                           .where(item_citation.c.passage_id.in_(passages))))
        .order_by(Item.id)
    )  # fmt: skip
    return SourceUse(source, tuple(entries), tuple(items))


def delete_source(session: Session, source_id: int, force: bool = False) -> Deleted:
    """Delete a source and its passages. If packs quote it or items cite it, refuse unless
    `force`: then the entries quoting it go, and the items lose their citations of it."""
    use = source_use(session, source_id)
    source = use.source
    if (use.entries or use.items) and not force:
        raise InputError(
            f"source {source_id} “{source.title}” is in use: {use.describe(session)};"
            " use --force to delete it and remove those entries and citations"
        )
    details = [count(len(source.passages), "passage")]
    if use.entries or use.items:
        details.append(use.describe(session, "removed from", "citations removed from"))
    packs = frozenset(use.packs)
    citations = tuple(
        (item.id, p.id) for item in use.items for p in item.citations if p.source_id == source_id
    )
    glossary = session.scalars(select(GlossaryTerm.id).where(GlossaryTerm.source_id == source_id))
    snapshot = SourceSnapshot(
        source.id, source.title, source.issuer, source.kind, source.date, source.place,
        source.origin, source.content_hash, source.fingerprint, source.marking,
        source.imported_at,
        tuple(CopyRow(c.id, c.origin, c.format, c.content_hash, c.imported_at)
              for c in source.copies),
        tuple(PassageRow(p.id, p.seq, p.text, list(p.runs), p.heading_level,
                         tuple(t.id for t in p.topics)) for p in source.passages),
        tuple(p.id for p in source.people),
        tuple(glossary),
        tuple(remove_entry(session, e.id) for e in use.entries),  # renumbers the sections
        citations,
        commitment_rows(session, source_id),
        source.commitments_read,
    )  # fmt: skip
    for item in use.items:
        lost = [p for p in item.citations if p.source_id == source_id]
        session.add_all(
            LostCitation(item_id=item.id, source_id=source_id, source_title=source.title,
                         passage_text=p.text, marking=source.marking)
            for p in lost
        )  # fmt: skip
        item.citations = [p for p in item.citations if p.source_id != source_id]
        item.bump()
    session.delete(source)
    session.flush()
    items = frozenset(i.id for i in use.items)
    return Deleted(
        "source", source_id, source.title, tuple(details), packs, items, source=snapshot
    )


def commitment_rows(session: Session, source_id: int) -> tuple[dict[str, Any], ...]:
    """Return a source's commitments as stored, to be put back as they were."""
    columns = Commitment.__table__.columns
    rows = session.execute(select(*columns).where(Commitment.source_id == source_id))
    return tuple(dict(row._mapping) for row in rows)


def restore_source(session: Session, held: SourceSnapshot) -> int:
    """Put back a source `delete_source` took away, with its ids: its row and files, its
    passages (and so their search index) with their topics, its people and glossary terms,
    the entries that quoted it and the citations of it (those whose packs and items are
    still there)."""
    hashes = [held.content_hash, *(c.content_hash for c in held.copies)]
    taken = session.scalar(select(Source.title).where(Source.content_hash.in_(hashes))) or (
        session.scalar(select(SourceCopy.id).where(SourceCopy.content_hash.in_(hashes)))
    )
    if taken is not None or session.get(Source, held.id) is not None or _existing(
        session, Passage, [p.id for p in held.passages]
    ):
        raise InputError(
            f"cannot put source “{held.title}” back: the same file was imported again since"
            " (or its ids are in use)"
        )
    topics = {t.id: t for t in session.scalars(select(Topic).where(
        Topic.id.in_({i for p in held.passages for i in p.topic_ids})))}  # fmt: skip
    people = list(session.scalars(select(Person).where(Person.id.in_(held.person_ids))))
    source = Source(
        id=held.id, title=held.title, issuer=held.issuer, kind=held.kind, date=held.date,
        place=held.place, origin=held.origin, content_hash=held.content_hash,
        fingerprint=held.fingerprint, marking=held.marking, imported_at=held.imported_at,
        commitments_read=held.commitments_read,
        copies=[SourceCopy(id=c.id, origin=c.origin, format=c.format,
                           content_hash=c.content_hash, imported_at=c.imported_at)
                for c in held.copies],
        passages=[Passage(id=p.id, seq=p.seq, text=p.text, runs=p.runs,
                          heading_level=p.heading_level,
                          topics=[topics[t] for t in p.topic_ids if t in topics])
                  for p in held.passages],
        people=people,
    )  # fmt: skip
    session.add(source)
    session.flush()
    session.execute(
        update(GlossaryTerm)
        .where(GlossaryTerm.id.in_(held.glossary_ids), GlossaryTerm.source_id.is_(None))
        .values(source_id=held.id)
    )
    sections = _existing(session, Section, [e.section_id for e in held.entries])
    for entry in reversed(held.entries):  # each back where it was when it went
        if entry.section_id in sections:
            restore_entry(session, entry)
    if held.commitments:
        session.execute(insert(Commitment), list(held.commitments))
    passages = {p.id: p for p in source.passages}
    for item_id, passage_id in held.citations:
        item = session.get(Item, item_id)
        if item is not None:
            item.citations.append(passages[passage_id])
            item.bump()
    session.execute(delete(LostCitation).where(LostCitation.source_id == held.id))
    session.flush()
    return source.id


def restore(session: Session, deleted: Deleted) -> int:
    """Put back what `deleted` took away (an item, a pack or a source); return its id."""
    if deleted.item is not None:
        return restore_item(session, deleted.item)
    if deleted.pack is not None:
        return restore_pack(session, deleted.pack)
    if deleted.source is not None:
        return restore_source(session, deleted.source)
    raise InputError(f"cannot put {deleted.what} {deleted.id} back")
