"""The user's own briefing items: create, read, update, delete, topics and citations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from briefing.errors import Conflict, InputError, Missing
from briefing.markings import checked_marking
from briefing.outline import EntrySnapshot, remove_entry, restore_entry
from briefing.tagging import suggest_item_topics
from briefing.views import ItemInfo as ItemInfo
from db.models import (
    Entry,
    Item,
    ItemHistory,
    ItemKind,
    ItemStatus,
    LostCitation,
    Passage,
    Section,
    Topic,
    item_topic,
    user_of,
)

_Tagged = TypeVar("_Tagged", Topic, Passage)


@dataclass(frozen=True)
class CitationInfo:
    passage_id: int
    source_title: str
    seq: int
    text: str


@dataclass(frozen=True)
class ItemData:
    """An item's editable fields, as plain data (id None for one not yet stored)."""

    kind: ItemKind = ItemKind.BACKGROUND
    title: str = ""
    body: str = ""
    marking: str = ""
    status: ItemStatus = ItemStatus.DRAFT
    topic_ids: tuple[int, ...] = ()
    citations: tuple[CitationInfo, ...] = ()
    id: int | None = None
    version: int = 0  # the stored version these fields were read from (0: not stored)
    updated_at: datetime | None = None
    changed_by: str = ""  # who saved this version (the database user on a team library)


def citation_info(p: Passage) -> CitationInfo:
    return CitationInfo(p.id, p.source.title, p.seq, p.text)


def item_data(session: Session, item_id: int) -> ItemData:
    """Return item `item_id` as plain data."""
    item = _item(session, item_id)
    return ItemData(
        kind=item.kind,
        title=item.title,
        body=item.body,
        marking=item.marking,
        status=item.status,
        topic_ids=tuple(t.id for t in item.topics),
        citations=tuple(citation_info(p) for p in item.citations),
        id=item.id,
        version=item.version,
        updated_at=item.updated_at,
        changed_by=item.changed_by,
    )


def list_items(session: Session, topic_id: int | None = None) -> list[ItemInfo]:
    """Return the items (those tagged with `topic_id`, if given), newest last."""
    query = select(Item).order_by(Item.id)
    if topic_id is not None:
        query = query.join(item_topic).where(item_topic.c.topic_id == topic_id)
    return [ItemInfo(i.id, i.kind, i.title, i.marking, i.status) for i in session.scalars(query)]


def create_item(session: Session, data: ItemData) -> int:
    """Store a new item and return its id; with no topics given, suggest them from its text."""
    item = Item()
    session.add(item)
    _apply(session, item, data)
    session.flush()
    if not data.topic_ids:
        suggest_item_topics(session, item)
    return item.id


def update_item(session: Session, data: ItemData) -> ItemData:
    """Save every field of `data` to the stored item `data.id`; return it as stored.

    Raises `Conflict` (holding the stored item) if the item was saved since `data.version`
    was read: a save never overwrites a newer one.
    """
    if data.id is None:
        raise InputError("this item has not been stored yet")
    item = _item(session, data.id)
    if item.version != data.version:
        theirs = item_data(session, item.id)
        when = f"at {theirs.updated_at.astimezone():%H:%M}" if theirs.updated_at else "just now"
        me = user_of(session.connection().info)
        by = f" by {theirs.changed_by}" if theirs.changed_by not in ("", me) else ""
        raise Conflict(f"“{item.title or 'untitled'}” was changed elsewhere{by} {when}", theirs)
    _apply(session, item, data)
    item.bump()
    session.flush()
    return item_data(session, item.id)


def edit_item(
    session: Session,
    item_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    kind: ItemKind | None = None,
    marking: str | None = None,
    status: ItemStatus | None = None,
    topic_ids: Sequence[int] | None = None,
) -> ItemData:
    """Change the given fields of item `item_id` (None leaves one as it is) and return it.

    Bumps its version; a changed title or body keeps the old one in its history.
    """
    item = _item(session, item_id)
    before = item_data(session, item_id)
    fields: dict[str, Any] = {"title": title, "body": body, "kind": kind, "marking": marking,
              "status": status,
              "topic_ids": None if topic_ids is None else tuple(topic_ids)}  # fmt: skip
    data = replace(before, **{k: v for k, v in fields.items() if v is not None})
    if (data.title.strip(), data.body) != (item.title, item.body):
        session.add(ItemHistory(item_id=item.id, version=item.version, title=item.title,
                                body=item.body, reason="edited"))  # fmt: skip
    _apply(session, item, data)
    item.bump()
    session.flush()
    return item_data(session, item_id)


def keep_text(session: Session, data: ItemData, reason: str) -> None:
    """Keep `data`'s title and body in the item's history (a text a conflict set aside)."""
    if data.id is None:
        raise InputError("this item has not been stored yet")
    _item(session, data.id)
    session.add(
        ItemHistory(
            item_id=data.id, version=data.version, title=data.title, body=data.body, reason=reason
        )
    )


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    title: str
    body: str
    saved_at: datetime
    reason: str
    by: str = ""  # who set this text aside (saved over it)


def item_history(session: Session, item_id: int) -> list[HistoryEntry]:
    """Return the texts set aside from item `item_id`, newest first."""
    _item(session, item_id)
    rows = session.scalars(
        select(ItemHistory).where(ItemHistory.item_id == item_id).order_by(ItemHistory.id.desc())
    )
    return [HistoryEntry(h.version, h.title, h.body, h.saved_at, h.reason, h.saved_by)
            for h in rows]


@dataclass(frozen=True)
class DeletedItem:
    """What `delete_item` took away: the item and where packs held it, to put them back."""

    data: ItemData
    entries: tuple[EntrySnapshot, ...]  # in the order they were taken out
    packs: frozenset[int]  # the packs that held it


def delete_item(session: Session, item_id: int) -> DeletedItem:
    """Delete an item, taking it out of the packs that hold it; return what went, for
    `restore_item`."""
    item = _item(session, item_id)
    data = item_data(session, item_id)
    entries = session.scalars(select(Entry).where(Entry.item_id == item_id)).all()
    packs = frozenset(e.section.pack_id for e in entries)
    held = tuple(remove_entry(session, e.id) for e in entries)  # renumbers the sections
    session.delete(item)
    return DeletedItem(data, held, packs)


def restore_item(session: Session, deleted: DeletedItem) -> int:
    """Put back an item `delete_item` took away, with its id and its places in packs (those
    sections and cited passages that are still there)."""
    data = deleted.data
    cited = set(session.scalars(select(Passage.id).where(Passage.id.in_(
        [c.passage_id for c in data.citations]))))  # fmt: skip
    item = Item(id=data.id)
    session.add(item)
    _apply(session, item, replace(data, citations=tuple(
        c for c in data.citations if c.passage_id in cited)))  # fmt: skip
    session.flush()
    sections = set(session.scalars(select(Section.id).where(Section.id.in_(
        [e.section_id for e in deleted.entries]))))  # fmt: skip
    for entry in reversed(deleted.entries):  # each back where it was when it went
        if entry.section_id in sections:
            restore_entry(session, entry)
    return item.id


def retag_item(session: Session, item_id: int) -> tuple[int, ...]:
    """Replace an item's topics with those its title and body mention; return their ids."""
    item = _item(session, item_id)
    item.topics = []
    suggest_item_topics(session, item)
    return tuple(t.id for t in item.topics)


def _apply(session: Session, item: Item, data: ItemData) -> None:
    item.kind = ItemKind(data.kind)
    item.title = data.title.strip()
    item.body = data.body
    item.marking = checked_marking(session, data.marking, item.marking)
    item.status = ItemStatus(data.status)
    item.topics = _rows(session, Topic, data.topic_ids)
    item.citations = _rows(session, Passage, [c.passage_id for c in data.citations])
    if item.id is not None:  # saved by the user: what it lost to a deleted source is seen
        session.execute(delete(LostCitation).where(LostCitation.item_id == item.id))


def _rows(session: Session, model: type[_Tagged], ids: Sequence[int]) -> list[_Tagged]:
    rows = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise InputError(f"no {model.__name__.lower()} {missing[0]} (it may have been deleted)")
    return [rows[i] for i in dict.fromkeys(ids)]


def _item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise Missing(f"no item {item_id} (it may have been deleted)")
    return item
