"""Deleted packs and sources put back (briefing.deletion): the same rows, with the same ids."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from briefing.errors import Conflict, InputError
from briefing.library import EntryKind, Library

# the columns a restore may legitimately change: a sibling renumbered and back is bumped
VOLATILE = {"version"}
STAMPS = {"changed_by", "changed_at"}  # a restore is a change: who restored it, and when


def rows(library: Library, table: str, where: str = "1", *, keep_version: bool = False) -> list:
    """The rows of `table` matching `where`, as dicts, in id order (or every column's order)."""
    with library.store.session() as session:
        result = session.execute(text(f"SELECT * FROM {table} WHERE {where} ORDER BY 1, 2"))
        return [
            {k: v for k, v in row._mapping.items()
             if k not in STAMPS and (keep_version or k not in VOLATILE)}
            for row in result
        ]


def new_pack(library: Library) -> int:
    pack = library.new_pack(
        "Brief for the Trade Minister", meeting="Japan–EU HLED", date=date(2026, 5, 7),
        place="Tokyo", marking="OFFICIAL", topics=["steel", "coercion", "export-controls"],
        participants=["AKAZAWA Ryosei", "A. N. Other"],
    )  # fmt: skip
    library.add_to_pack(pack, "Annexes", EntryKind.SOURCE, 1)
    return pack


def pack_rows(library: Library, pack: int) -> dict[str, list[dict[str, Any]]]:
    meeting = f"(SELECT meeting_id FROM pack WHERE id = {pack})"
    sections = f"(SELECT id FROM section WHERE pack_id = {pack})"
    return {
        "pack": rows(library, "pack", f"id = {pack}", keep_version=True),
        "meeting": rows(library, "meeting", f"id IN {meeting}", keep_version=True),
        "participant": rows(library, "participant", f"meeting_id IN {meeting}"),
        "section": rows(library, "section", f"pack_id = {pack}"),
        "entry": rows(library, "entry", f"section_id IN {sections}"),
    }


def test_a_deleted_pack_is_put_back_with_the_same_rows(demo_library: Library) -> None:
    pack = new_pack(demo_library)
    before, outline = pack_rows(demo_library, pack), demo_library.pack_outline(pack)
    assert before["participant"][0]["person_id"] is not None and len(before["entry"]) > 5
    deleted = demo_library.delete_pack(pack)
    assert deleted.pack is not None and deleted.pack.meeting is not None
    assert rows(demo_library, "pack") == [] and rows(demo_library, "meeting") == []
    assert demo_library.restore_pack(deleted) == pack
    assert pack_rows(demo_library, pack) == before
    assert demo_library.pack_outline(pack) == outline


def test_a_pack_put_back_leaves_out_entries_whose_targets_went(demo_library: Library) -> None:
    pack = new_pack(demo_library)
    outline = demo_library.pack_outline(pack)
    item = next(e for s in outline.sections for e in s.entries if e.kind is EntryKind.ITEM)
    deleted = demo_library.delete_pack(pack)
    demo_library.delete_item(item.target_id)
    demo_library.restore_pack(deleted)
    restored = demo_library.pack_outline(pack)
    assert restored.entry(item.id) is None
    expected = [[e.id for e in s.entries if e.id != item.id] for s in outline.sections]
    assert [[e.id for e in s.entries] for s in restored.sections] == expected
    positions = rows(demo_library, "entry", f"section_id = {restored.sections[0].id}")
    assert [r["position"] for r in positions] == list(range(len(positions)))


def quoted(library: Library, query: str) -> list[int]:
    """The passages a search finds."""
    return [h.id for h in library.search(query) if h.kind == "passage"]


def source_rows(library: Library) -> dict[str, list[dict[str, Any]]]:
    passages = "(SELECT id FROM passage WHERE source_id = 1)"
    return {
        "source": rows(library, "source", "id = 1"),
        "source_copy": rows(library, "source_copy", "source_id = 1"),
        "passage": rows(library, "passage", "source_id = 1"),
        "passage_topic": rows(library, "passage_topic", f"passage_id IN {passages}"),
        "person_source": rows(library, "person_source", "source_id = 1"),
        "glossary_term": rows(library, "glossary_term", "source_id = 1"),
        "item_citation": rows(library, "item_citation", f"passage_id IN {passages}"),
        "entry": rows(library, "entry"),
    }


def test_a_deleted_source_is_put_back_with_its_passages_links_entries_and_citations(
    demo_library: Library,
) -> None:
    pack = new_pack(demo_library)
    before = source_rows(demo_library)
    assert all(v for k, v in before.items() if k != "source_copy")  # the demo has no copies
    found = quoted(demo_library, "overcapacity")
    assert found
    deleted = demo_library.delete_source(1, force=True)
    assert deleted.source is not None
    assert quoted(demo_library, "overcapacity") == []
    assert all(not v for k, v in source_rows(demo_library).items() if k != "entry")
    assert demo_library.restore_source(deleted) == 1
    assert source_rows(demo_library) == before
    assert quoted(demo_library, "overcapacity") == found
    assert demo_library.pack_outline(pack).sections  # the pack shows again, quotes and all


def test_a_source_imported_again_meanwhile_is_not_put_back_twice(demo_library: Library) -> None:
    deleted = demo_library.delete_source(1, force=True)
    demo_library.load_demo()  # the same file again: a new source
    with pytest.raises(InputError, match="imported again"):
        demo_library.restore_source(deleted)


def test_a_stale_pack_edit_is_refused_with_theirs(demo_library: Library) -> None:
    pack = new_pack(demo_library)
    seen = demo_library.pack_outline(pack)
    demo_library.edit_pack(pack, title="Theirs", expected_version=seen.version)
    with pytest.raises(Conflict, match="“Theirs” was changed elsewhere at") as caught:
        demo_library.edit_pack(pack, title="Mine", expected_version=seen.version)
    assert caught.value.theirs.title == "Theirs"
    assert demo_library.pack_outline(pack).title == "Theirs"


def test_a_pack_edit_can_clear_the_date(demo_library: Library) -> None:
    pack = new_pack(demo_library)
    assert demo_library.edit_pack(pack, clear_date=True).date is None
