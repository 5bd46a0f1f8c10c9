"""The user's own briefing items: create, read, update, delete, topics and citations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.errors import InputError
from briefing.markings import checked_marking
from briefing.tagging import suggest_item_topics
from db.models import Item, ItemHistory, ItemKind, ItemStatus, Passage, Topic, item_topic

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


@dataclass(frozen=True)
class ItemInfo:
    """An item as listed in the library."""

    id: int
    kind: ItemKind
    title: str
    marking: str
    status: ItemStatus


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


def update_item(session: Session, data: ItemData) -> None:
    """Save every field of `data` to the stored item `data.id`."""
    if data.id is None:
        raise InputError("this item has not been stored yet")
    _apply(session, _item(session, data.id), data)


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
    fields = {"title": title, "body": body, "kind": kind, "marking": marking, "status": status,
              "topic_ids": None if topic_ids is None else tuple(topic_ids)}  # fmt: skip
    data = replace(before, **{k: v for k, v in fields.items() if v is not None})
    if (data.title.strip(), data.body) != (item.title, item.body):
        session.add(ItemHistory(item_id=item.id, version=item.version, title=item.title,
                                body=item.body, reason="edited"))  # fmt: skip
    _apply(session, item, data)
    item.bump()
    session.flush()
    return item_data(session, item_id)


def delete_item(session: Session, item_id: int) -> ItemData:
    """Delete an item (and its entries in packs); return its data."""
    item = _item(session, item_id)
    data = item_data(session, item_id)
    session.delete(item)
    return data


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


def _rows(session: Session, model: type[_Tagged], ids: Sequence[int]) -> list[_Tagged]:
    rows = {r.id: r for r in session.scalars(select(model).where(model.id.in_(ids)))}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise InputError(f"no {model.__name__.lower()} {missing[0]} (it may have been deleted)")
    return [rows[i] for i in dict.fromkeys(ids)]


def _item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise InputError(f"no item {item_id} (it may have been deleted)")
    return item
