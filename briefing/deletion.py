"""Deleting packs, items and sources, and saying what went with them.

A deleted item or source leaves the packs that held it through `outline.remove_entries`, so
their sections are renumbered and the packs marked changed like any other outline edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from briefing.errors import InputError
from briefing.items import DeletedItem
from briefing.items import delete_item as delete_item_row
from briefing.outline import remove_entries
from db.models import Entry, Item, Pack, Passage, Source, item_citation


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
    session.delete(pack)
    session.flush()
    if (
        meeting is not None
        and session.scalar(select(Pack.id).where(Pack.meeting == meeting)) is None
    ):
        session.delete(meeting)
    return Deleted("pack", pack_id, pack.title, details)


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
    packs = remove_entries(session, use.entries)
    for item in use.items:
        item.citations = [p for p in item.citations if p.source_id != source_id]
        item.bump()
    session.delete(source)
    session.flush()
    items = frozenset(i.id for i in use.items)
    return Deleted("source", source_id, source.title, tuple(details), frozenset(packs), items)
