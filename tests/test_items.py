"""The user's briefing items (briefing.items): create, read, update, delete, topics, citations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from briefing import items
from briefing.errors import InputError
from briefing.items import CitationInfo, ItemData
from briefing.library import Library
from briefing.outline import pack_outline
from db.models import EntryKind, Item, ItemKind, ItemStatus, Passage, Topic, item_citation

T = TypeVar("T")


def run(library: Library, fn: Callable[..., T], *args: Any) -> T:
    with library.store.session() as session:
        return fn(session, *args)


def topic_ids(library: Library, *keys: str) -> tuple[int, ...]:
    with library.store.session() as session:
        found = {t.key: t.id for t in session.scalars(select(Topic))}
    return tuple(found[k] for k in keys)


def cite(*passage_ids: int) -> tuple[CitationInfo, ...]:
    """Citations as the editor holds them (only the passage id is stored)."""
    return tuple(CitationInfo(i, "", 0, "") for i in passage_ids)


def count(library: Library, model: Any) -> int:
    with library.store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_create_and_read_back_every_field(demo_library: Library) -> None:
    steel, coercion = topic_ids(demo_library, "steel", "coercion")
    data = ItemData(
        kind=ItemKind.IF_ASKED,
        title="  Will Japan join the safeguard talks?  ",
        body="**Yes**, we expect so.\n\n- first\n- second",
        marking=" official-sensitive  ",
        status=ItemStatus.CLEARED,
        topic_ids=(coercion, steel),
        citations=cite(8, 7, 8),
    )
    item_id = run(demo_library, items.create_item, data)
    stored = run(demo_library, items.item_data, item_id)
    assert stored.id == item_id
    assert (stored.kind, stored.title, stored.body, stored.status) == (
        ItemKind.IF_ASKED,
        "Will Japan join the safeguard talks?",
        "**Yes**, we expect so.\n\n- first\n- second",
        ItemStatus.CLEARED,
    )
    assert stored.marking == "OFFICIAL-SENSITIVE"  # as the library's scheme writes it
    assert set(stored.topic_ids) == {steel, coercion}
    assert {c.passage_id for c in stored.citations} == {7, 8}  # a passage is cited once
    seven = next(c for c in stored.citations if c.passage_id == 7)
    assert seven.source_title == "7th Japan-EU High-Level Economic Dialogue"
    assert seven.seq == 7 and seven.text.startswith("Importantly, the Ministers")


def test_a_new_item_without_topics_gets_those_its_text_mentions(demo_library: Library) -> None:
    steel, minerals = topic_ids(demo_library, "steel", "critical-minerals")
    item_id = run(
        demo_library,
        items.create_item,
        ItemData(title="Steel overcapacity", body="Raise critical minerals stockpiling."),
    )
    assert set(run(demo_library, items.item_data, item_id).topic_ids) >= {steel, minerals}
    # topics chosen by the user are kept as they are
    item_id = run(
        demo_library,
        items.create_item,
        ItemData(title="Steel overcapacity", topic_ids=(minerals,)),
    )
    assert run(demo_library, items.item_data, item_id).topic_ids == (minerals,)


def test_a_new_item_is_a_draft_background_note_by_default(demo_library: Library) -> None:
    item_id = run(demo_library, items.create_item, ItemData(title="New item"))
    stored = run(demo_library, items.item_data, item_id)
    assert (stored.kind, stored.status, stored.marking, stored.body) == (
        ItemKind.BACKGROUND,
        ItemStatus.DRAFT,
        "",
        "",
    )


def test_update_saves_every_field(demo_library: Library) -> None:
    [first, *_] = run(demo_library, items.list_items)
    before = run(demo_library, items.item_data, first.id)
    (wto,) = topic_ids(demo_library, "wto")
    changed = ItemData(
        kind=ItemKind.RISK,
        title="A new title",
        body="Now *italic*",
        marking="SECRET",
        status=ItemStatus.DRAFT,
        topic_ids=(wto,),
        citations=cite(14),
        id=before.id,
        version=before.version,
    )
    run(demo_library, items.update_item, changed)
    after = run(demo_library, items.item_data, first.id)
    assert (after.kind, after.title, after.body, after.marking, after.status) == (
        ItemKind.RISK,
        "A new title",
        "Now *italic*",
        "SECRET",
        ItemStatus.DRAFT,
    )
    assert after.topic_ids == (wto,)
    assert [c.passage_id for c in after.citations] == [14]
    # clearing topics and citations is saved too (no topics are suggested on update)
    run(
        demo_library,
        items.update_item,
        ItemData(title="Steel", id=before.id, version=after.version),
    )
    cleared = run(demo_library, items.item_data, first.id)
    assert cleared.topic_ids == () and cleared.citations == ()


def test_update_refuses_unknown_things_and_changes_nothing(demo_library: Library) -> None:
    [first, *_] = run(demo_library, items.list_items)
    before = run(demo_library, items.item_data, first.id)
    with pytest.raises(InputError, match="not been stored"):
        run(demo_library, items.update_item, ItemData(title="x"))
    with pytest.raises(InputError, match="no item 999"):
        run(demo_library, items.update_item, ItemData(title="x", id=999))
    with pytest.raises(InputError, match="no passage 9999"):
        run(
            demo_library,
            items.update_item,
            ItemData(title="x", citations=cite(9999), id=first.id, version=1),
        )
    with pytest.raises(InputError, match="no topic 9999"):
        run(
            demo_library,
            items.update_item,
            ItemData(title="x", topic_ids=(9999,), id=first.id, version=1),
        )
    assert run(demo_library, items.item_data, first.id) == before


def test_list_items_all_or_by_topic(demo_library: Library) -> None:
    listed = run(demo_library, items.list_items)
    assert [i.title for i in listed][:2] == [
        "Secure Japanese support on steel overcapacity",
        "Steel safeguard replacement",
    ]
    assert [i.id for i in listed] == sorted(i.id for i in listed)
    (coercion,) = topic_ids(demo_library, "coercion")
    assert [i.title for i in run(demo_library, items.list_items, coercion)] == [
        "Export restrictions on critical minerals",
        "Anti-coercion cooperation",
    ]
    risk = next(i for i in listed if i.title == "Retaliation risk")
    assert (risk.kind, risk.marking, risk.status) == (
        ItemKind.RISK,
        "OFFICIAL-SENSITIVE",
        ItemStatus.CLEARED,
    )


def test_delete_takes_the_item_out_of_every_pack(demo_library: Library) -> None:
    packs = [  # the item is on both topics: each pack holds it (in its first section)
        demo_library.new_pack("Brief", meeting="", date=None, marking="", topics=topics)
        for topics in (["coercion", "export-controls"], ["export-controls"])
    ]
    sizes = [
        [len(s.entries) for s in run(demo_library, pack_outline, pack).sections] for pack in packs
    ]
    shared = next(
        i for i in run(demo_library, items.list_items) if i.title.startswith("Export restrictions")
    )
    citations_before = count(demo_library, item_citation)
    outlines = [run(demo_library, pack_outline, pack).sections for pack in packs]
    deleted = demo_library.delete_item(shared.id).item
    assert deleted is not None
    data = deleted.data
    assert data.title == "Export restrictions on critical minerals" and data.citations
    with pytest.raises(InputError, match=f"no item {shared.id}"):
        run(demo_library, items.item_data, shared.id)
    for pack, before in zip(packs, sizes, strict=True):
        outline = run(demo_library, pack_outline, pack)
        held = {(e.kind, e.target_id) for s in outline.sections for e in s.entries}
        assert (EntryKind.ITEM, shared.id) not in held
        assert [len(s.entries) for s in outline.sections] == [before[0] - 1, *before[1:]]
    # its citations go, the passages it cited stay
    assert count(demo_library, item_citation) == citations_before - len(data.citations)
    with demo_library.store.session() as session:
        assert session.get(Passage, data.citations[0].passage_id) is not None
    # undo: the item comes back with its id, citations and places in the pack
    assert demo_library.restore_item(deleted) == shared.id
    restored = demo_library.item(shared.id)
    assert (restored.title, restored.body, restored.citations) == (
        data.title, data.body, data.citations)  # fmt: skip
    assert [run(demo_library, pack_outline, pack).sections for pack in packs] == outlines


def test_retag_replaces_topics_with_those_the_text_mentions(demo_library: Library) -> None:
    steel, wto = topic_ids(demo_library, "steel", "wto")
    item_id = run(
        demo_library,
        items.create_item,
        ItemData(title="Reform the WTO", body="Dispute settlement reform.", topic_ids=(steel,)),
    )
    assert run(demo_library, items.retag_item, item_id) == (wto,)
    assert run(demo_library, items.item_data, item_id).topic_ids == (wto,)
    with pytest.raises(InputError, match="no item 999"):
        run(demo_library, items.retag_item, 999)


def test_items_in_an_empty_library(empty_library: Library) -> None:
    assert run(empty_library, items.list_items) == []
    item_id = run(empty_library, items.create_item, ItemData(title="First note"))
    assert [i.id for i in run(empty_library, items.list_items)] == [item_id]
    assert count(empty_library, Item) == 1
