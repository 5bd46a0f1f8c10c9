"""Outline editing (briefing.outline): entries and sections added, moved, removed and put back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from briefing import outline
from briefing.errors import InputError
from briefing.library import Library
from db.models import Entry, EntryKind, Item, Pack, Passage, Source

T = TypeVar("T")


@pytest.fixture
def pack(demo_library: Library) -> int:
    """A pack on steel, coercion and export controls (sections of 6, 2 and 1 entries: an item
    or passage on two of them goes under the first only)."""
    return demo_library.new_pack(
        "Brief for the Trade Minister",
        meeting="Japan–EU HLED",
        date=date(2026, 5, 7),
        place="Tokyo",
        marking="OFFICIAL",
        topics=["steel", "coercion", "export-controls"],
    )


def run(library: Library, fn: Callable[..., T], *args: Any) -> T:
    """Call `fn(session, *args)` in its own transaction, as the app's ops do."""
    with library.store.session() as session:
        return fn(session, *args)


def view(library: Library, pack_id: int) -> outline.PackOutline:
    return run(library, outline.pack_outline, pack_id)


def entry_ids(library: Library, pack_id: int) -> list[list[int]]:
    return [[e.id for e in s.entries] for s in view(library, pack_id).sections]


def section_ids(library: Library, pack_id: int) -> list[int]:
    return [s.id for s in view(library, pack_id).sections]


def stored_positions(library: Library, pack_id: int) -> list[list[int]]:
    """The `position` columns as stored, section by section."""
    with library.store.session() as session:
        pack = session.get(Pack, pack_id)
        assert pack is not None
        return [[e.position for e in s.entries] for s in pack.sections]


def assert_dense(library: Library, pack_id: int) -> None:
    """Positions are 0, 1, 2… in every section, and sections are numbered 0, 1, 2…"""
    for positions in stored_positions(library, pack_id):
        assert positions == list(range(len(positions)))
    with library.store.session() as session:
        pack = session.get(Pack, pack_id)
        assert pack is not None
        assert [s.position for s in pack.sections] == list(range(len(pack.sections)))


# -- reading -------------------------------------------------------------------


def test_outline_lists_sections_and_entries_with_labels(demo_library: Library, pack: int) -> None:
    found = view(demo_library, pack)
    assert (found.title, found.meeting, found.date, found.place, found.marking) == (
        "Brief for the Trade Minister",
        "Japan–EU HLED",
        date(2026, 5, 7),
        "Tokyo",
        "OFFICIAL",
    )
    assert [s.title for s in found.sections] == [
        "Steel and overcapacity",
        "Economic coercion",
        "Export controls",
    ]
    steel = found.sections[0].entries
    assert [e.kind for e in steel[:3]] == [EntryKind.ITEM] * 3
    assert steel[0].label == "Secure Japanese support on steel overcapacity"
    assert steel[0].detail == "objective · cleared"
    passage = next(e for e in steel if e.kind is EntryKind.PASSAGE)
    assert passage.detail.startswith("7th Japan-EU High-Level Economic Dialogue ¶")
    assert found.entry(passage.id) == passage
    assert found.entry(10**6) is None


def test_labels_are_one_line_and_cut_with_an_ellipsis() -> None:
    assert outline.short("  a\n b\t c ") == "a b c"
    cut = outline.short("word " * 40, 20)
    assert len(cut) == 20 and cut.endswith("…") and "\n" not in cut
    assert outline.short("x" * 20, 20) == "x" * 20


def test_a_whole_source_shows_as_an_annex(demo_library: Library, pack: int) -> None:
    section = view(demo_library, pack).sections[1].id
    run(demo_library, outline.add_entry, section, EntryKind.SOURCE, 1)
    last = view(demo_library, pack).sections[1].entries[-1]
    assert (last.kind, last.target_id, last.detail) == (EntryKind.SOURCE, 1, "annex")
    assert last.label == "7th Japan-EU High-Level Economic Dialogue"


def test_a_missing_pack_is_a_clear_error(demo_library: Library) -> None:
    with pytest.raises(InputError, match="no pack 99"):
        view(demo_library, 99)


# -- pack settings ---------------------------------------------------------------


def test_update_pack_changes_only_what_is_given(demo_library: Library, pack: int) -> None:
    def settings() -> tuple[str, str, str, str]:
        found = view(demo_library, pack)
        return found.title, found.marking, found.template, found.paper_size

    run(demo_library, lambda s: outline.update_pack(s, pack, title="  New title  "))
    assert settings() == ("New title", "OFFICIAL", "ministerial", "")
    change = {"marking": "SECRET", "template": "compact", "paper_size": "Letter"}
    run(demo_library, lambda s: outline.update_pack(s, pack, **change))
    assert settings() == ("New title", "SECRET", "compact", "Letter")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "   "}, "needs a title"),
        ({"template": "no-such-style"}, "no-such-style"),
        ({"paper_size": "Tabloid"}, "Tabloid"),
    ],
)
def test_update_pack_refuses_bad_values_and_changes_nothing(
    demo_library: Library, pack: int, change: dict[str, str], message: str
) -> None:
    before = view(demo_library, pack)
    with pytest.raises(InputError, match=message):
        run(demo_library, lambda s: outline.update_pack(s, pack, marking="SECRET", **change))
    assert view(demo_library, pack) == before


def test_update_pack_normalises_the_marking(demo_library: Library, pack: int) -> None:
    run(demo_library, lambda s: outline.update_pack(s, pack, marking="  official-sensitive "))
    assert view(demo_library, pack).marking == "OFFICIAL-SENSITIVE"
    with pytest.raises(InputError, match='unknown marking "eu  restricted"; markings are: '):
        run(demo_library, lambda s: outline.update_pack(s, pack, marking=" eu  restricted"))
    assert view(demo_library, pack).marking == "OFFICIAL-SENSITIVE"


def test_edits_touch_the_pack(demo_library: Library, pack: int) -> None:
    def updated() -> object:
        with demo_library.store.session() as session:
            found = session.get(Pack, pack)
            assert found is not None
            return found.updated_at

    before = updated()
    section = section_ids(demo_library, pack)[0]
    run(demo_library, outline.rename_section, section, "Steel")
    assert updated() > before  # type: ignore[operator]


# -- entries ---------------------------------------------------------------------


def test_add_entry_at_a_position_and_at_the_end(demo_library: Library, pack: int) -> None:
    steel, coercion, _ = entry_ids(demo_library, pack)
    section = section_ids(demo_library, pack)[1]
    first = run(demo_library, outline.add_entry, section, EntryKind.PASSAGE, 1, 0)
    last = run(demo_library, outline.add_entry, section, EntryKind.PASSAGE, 2)
    far = run(demo_library, outline.add_entry, section, EntryKind.PASSAGE, 3, 99)
    assert entry_ids(demo_library, pack)[1] == [first.id, *coercion, last.id, far.id]
    assert (first.section_id, first.position, first.kind, first.target_id) == (
        section,
        0,
        EntryKind.PASSAGE,
        1,
    )
    assert entry_ids(demo_library, pack)[0] == steel
    assert_dense(demo_library, pack)


def test_add_entry_refuses_duplicates_and_missing_targets(demo_library: Library, pack: int) -> None:
    section = view(demo_library, pack).sections[0]
    held = section.entries[0]
    before = entry_ids(demo_library, pack)
    with pytest.raises(InputError, match="already holds this item"):
        run(demo_library, outline.add_entry, section.id, held.kind, held.target_id)
    with pytest.raises(InputError, match="no passage 9999"):
        run(demo_library, outline.add_entry, section.id, EntryKind.PASSAGE, 9999)
    with pytest.raises(InputError, match="no section 9999"):
        run(demo_library, outline.add_entry, 9999, EntryKind.PASSAGE, 1)
    assert entry_ids(demo_library, pack) == before
    # the same passage may still go in another section
    other = view(demo_library, pack).sections[1].id
    run(demo_library, outline.add_entry, other, held.kind, held.target_id)
    assert len(entry_ids(demo_library, pack)[1]) == len(before[1]) + 1


def test_move_entry_within_a_section_and_back(demo_library: Library, pack: int) -> None:
    steel = entry_ids(demo_library, pack)[0]
    section = section_ids(demo_library, pack)[0]
    before = run(demo_library, outline.move_entry, steel[0], section, 3)
    assert entry_ids(demo_library, pack)[0] == [steel[1], steel[2], steel[3], steel[0], *steel[4:]]
    assert (before.section_id, before.position) == (section, 0)
    assert_dense(demo_library, pack)
    run(demo_library, outline.move_entry, before.id, before.section_id, before.position)
    assert entry_ids(demo_library, pack)[0] == steel


def test_move_entry_across_sections(demo_library: Library, pack: int) -> None:
    steel, coercion, controls = entry_ids(demo_library, pack)
    sections = section_ids(demo_library, pack)
    before = run(demo_library, outline.move_entry, steel[1], sections[2], 1)
    after = entry_ids(demo_library, pack)
    assert after[0] == [steel[0], *steel[2:]]
    assert after[2] == [controls[0], steel[1], *controls[1:]]
    assert after[1] == coercion
    assert_dense(demo_library, pack)
    run(demo_library, outline.move_entry, before.id, before.section_id, before.position)
    assert entry_ids(demo_library, pack) == [steel, coercion, controls]


def test_an_entry_cannot_move_to_another_pack(demo_library: Library, pack: int) -> None:
    other = demo_library.new_pack(
        "Other", meeting="", date=None, marking="", topics=["critical-minerals"]
    )
    target = section_ids(demo_library, other)[0]
    entry = entry_ids(demo_library, pack)[0][0]
    before = entry_ids(demo_library, pack)
    with pytest.raises(InputError, match="within its pack"):
        run(demo_library, outline.move_entry, entry, target, 0)
    assert entry_ids(demo_library, pack) == before


@pytest.mark.parametrize(
    ("moving", "before", "expected"),
    [
        # the order of a..f is steel's six entries; move some just before another, or to the end
        ([0], 3, [1, 2, 0, 3, 4, 5]),
        ([4], 1, [0, 4, 1, 2, 3, 5]),
        ([0, 2], 5, [1, 3, 4, 0, 2, 5]),
        ([5, 1], 0, [5, 1, 0, 2, 3, 4]),
        ([1, 4], None, [0, 2, 3, 5, 1, 4]),
        ([0], 1, [0, 1, 2, 3, 4, 5]),  # already just before it
        ([5], None, [0, 1, 2, 3, 4, 5]),  # already last
    ],
)
def test_move_entries_before_another_and_undo(
    demo_library: Library,
    pack: int,
    moving: list[int],
    before: int | None,
    expected: list[int],
) -> None:
    steel = entry_ids(demo_library, pack)[0]
    section = section_ids(demo_library, pack)[0]
    anchor = steel[before] if before is not None else None
    befores = run(demo_library, outline.move_entries, [steel[i] for i in moving], section, anchor)
    assert entry_ids(demo_library, pack)[0] == [steel[i] for i in expected]
    assert_dense(demo_library, pack)
    for snapshot in reversed(befores):  # the undo the app's command performs
        run(demo_library, outline.move_entry, snapshot.id, snapshot.section_id, snapshot.position)
    assert entry_ids(demo_library, pack)[0] == steel


def test_move_entries_across_sections_keeps_their_order(demo_library: Library, pack: int) -> None:
    steel, coercion, controls = entry_ids(demo_library, pack)
    sections = section_ids(demo_library, pack)
    moving = [steel[3], coercion[0], steel[0]]
    befores = run(demo_library, outline.move_entries, moving, sections[2], controls[-1])
    after = entry_ids(demo_library, pack)
    assert after[2] == [*controls[:-1], *moving, controls[-1]]
    assert after[0] == [steel[1], steel[2], *steel[4:]]
    assert after[1] == coercion[1:]
    assert_dense(demo_library, pack)
    for snapshot in reversed(befores):
        run(demo_library, outline.move_entry, snapshot.id, snapshot.section_id, snapshot.position)
    assert entry_ids(demo_library, pack) == [steel, coercion, controls]


def test_move_entries_before_one_of_themselves_is_refused(demo_library: Library, pack: int) -> None:
    steel = entry_ids(demo_library, pack)[0]
    section = section_ids(demo_library, pack)[0]
    with pytest.raises(InputError, match="before one of themselves"):
        run(demo_library, outline.move_entries, steel[:2], section, steel[1])
    assert entry_ids(demo_library, pack)[0] == steel


def test_remove_and_restore_entries_keep_ids_and_places(demo_library: Library, pack: int) -> None:
    original = entry_ids(demo_library, pack)
    steel = original[0]
    removed = [run(demo_library, outline.remove_entry, i) for i in (steel[1], steel[2], steel[5])]
    assert entry_ids(demo_library, pack)[0] == [steel[0], steel[3], steel[4]]
    assert_dense(demo_library, pack)
    with demo_library.store.session() as session:
        assert session.get(Entry, steel[1]) is None
        # the passage or item itself stays in the library
        assert session.get(Item, removed[0].target_id) is not None
    for snapshot in reversed(removed):
        run(demo_library, outline.restore_entry, snapshot)
    assert entry_ids(demo_library, pack) == original
    assert_dense(demo_library, pack)


def test_removing_a_missing_entry_is_a_clear_error(demo_library: Library, pack: int) -> None:
    with pytest.raises(InputError, match="no entry 9999"):
        run(demo_library, outline.remove_entry, 9999)


# -- sections --------------------------------------------------------------------


def test_add_section_at_the_end_and_at_a_position(demo_library: Library, pack: int) -> None:
    sections = section_ids(demo_library, pack)
    end = run(demo_library, outline.add_section, pack, "  Any  other\nbusiness ")
    top = run(demo_library, outline.add_section, pack, "Opening", 0)
    clamped = run(demo_library, outline.add_section, pack, "Way down", 99)
    found = view(demo_library, pack)
    assert [s.id for s in found.sections] == [top.id, *sections, end.id, clamped.id]
    assert found.sections[4].title == "Any other business"
    assert found.sections[4].entries == ()
    assert (end.pack_id, end.position, end.entries) == (pack, 3, ())
    assert_dense(demo_library, pack)


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_a_section_needs_a_title(demo_library: Library, pack: int, title: str) -> None:
    section = section_ids(demo_library, pack)[0]
    with pytest.raises(InputError, match="needs a title"):
        run(demo_library, outline.add_section, pack, title)
    with pytest.raises(InputError, match="needs a title"):
        run(demo_library, outline.rename_section, section, title)
    assert view(demo_library, pack).sections[0].title == "Steel and overcapacity"
    assert len(section_ids(demo_library, pack)) == 3


def test_rename_section_returns_the_old_title(demo_library: Library, pack: int) -> None:
    section = section_ids(demo_library, pack)[1]
    old = run(demo_library, outline.rename_section, section, "Coercion — Japan's  view")
    assert old == "Economic coercion"
    assert view(demo_library, pack).sections[1].title == "Coercion — Japan's view"
    run(demo_library, outline.rename_section, section, old)
    assert view(demo_library, pack).sections[1].title == "Economic coercion"


def test_move_section_and_back(demo_library: Library, pack: int) -> None:
    a, b, c = section_ids(demo_library, pack)
    entries = dict(zip((a, b, c), entry_ids(demo_library, pack), strict=True))
    old = run(demo_library, outline.move_section, a, 2)
    assert old == 0
    assert section_ids(demo_library, pack) == [b, c, a]
    assert_dense(demo_library, pack)
    assert run(demo_library, outline.move_section, c, -5) == 1
    assert section_ids(demo_library, pack) == [c, b, a]
    run(demo_library, outline.move_section, c, 1)
    run(demo_library, outline.move_section, a, old)
    assert section_ids(demo_library, pack) == [a, b, c]
    # sections carry their entries with them
    assert entry_ids(demo_library, pack) == [entries[a], entries[b], entries[c]]


def test_remove_and_restore_a_section_with_its_entries(demo_library: Library, pack: int) -> None:
    before = view(demo_library, pack)
    middle = before.sections[1]
    snapshot = run(demo_library, outline.remove_section, middle.id)
    assert section_ids(demo_library, pack) == [before.sections[0].id, before.sections[2].id]
    assert_dense(demo_library, pack)
    with demo_library.store.session() as session:
        assert not session.scalars(select(Entry).where(Entry.section_id == middle.id)).all()
    assert (snapshot.title, snapshot.position) == ("Economic coercion", 1)
    assert [e.id for e in snapshot.entries] == [e.id for e in middle.entries]

    run(demo_library, outline.restore_section, snapshot)
    assert view(demo_library, pack) == before  # same ids, titles, entries and order
    assert_dense(demo_library, pack)
    # the restored section keeps its topic
    with demo_library.store.session() as session:
        pack_row = session.get(Pack, pack)
        assert pack_row is not None
        assert pack_row.sections[1].topic is not None
        assert pack_row.sections[1].topic.key == "coercion"


def test_remove_a_section_then_others_and_restore_in_reverse(
    demo_library: Library, pack: int
) -> None:
    before = view(demo_library, pack)
    first = run(demo_library, outline.remove_section, before.sections[0].id)
    last = run(demo_library, outline.remove_section, before.sections[2].id)
    assert section_ids(demo_library, pack) == [before.sections[1].id]
    run(demo_library, outline.restore_section, last)
    run(demo_library, outline.restore_section, first)
    assert view(demo_library, pack) == before


def test_deleting_a_library_thing_takes_its_entries_along(demo_library: Library, pack: int) -> None:
    """Entries point at passages and sources; deleting a source empties them from packs."""
    with demo_library.store.session() as session:
        session.delete(session.get(Source, 1))
    found = view(demo_library, pack)
    assert all(e.kind is EntryKind.ITEM for s in found.sections for e in s.entries)
    with demo_library.store.session() as session:
        assert session.scalars(select(Passage)).first() is None
