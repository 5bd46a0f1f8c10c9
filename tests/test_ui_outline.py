"""Editing the pack outline through the real widgets: keys, drag and drop, rename, remove, undo."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import (
    WAIT_MS,
    all_entries,
    drag_and_drop,
    open_new_pack,
    section_ids,
    wait_idle,
)

from db.models import EntryKind
from ui.library_pane import REF_ROLE
from ui.main_window import MainWindow
from ui.outline_pane import ROW_ROLE
from ui.qt import QAbstractItemView, QLineEdit, Qt, QTreeWidgetItem
from ui.refs import Ref, refs_mime

pytestmark = pytest.mark.gui
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot: QtBot, demo_window: MainWindow) -> MainWindow:
    """The demo library with a pack on three topics open (sections of 6, 3 and 3 entries)."""
    open_new_pack(qtbot, demo_window)
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow, timeout=WAIT_MS)
    return demo_window


def row(window: MainWindow, section: int, entry: int | None = None) -> QTreeWidgetItem:
    top = window.workspace.outline_pane.tree.topLevelItem(section)
    return top if entry is None else top.child(entry)


def select(window: MainWindow, *rows: QTreeWidgetItem) -> None:
    tree = window.workspace.outline_pane.tree
    tree.clearSelection()
    tree.setCurrentItem(rows[0])
    for item in rows:
        item.setSelected(True)
    tree.setFocus()


def current_row(window: MainWindow) -> tuple[str, int] | None:
    item = window.workspace.outline_pane.tree.currentItem()
    return tuple(item.data(0, ROW_ROLE)) if item is not None else None  # type: ignore[return-value]


def wait_for(qtbot: QtBot, window: MainWindow, expected: list[list[int]]) -> None:
    qtbot.waitUntil(lambda: all_entries(window) == expected, timeout=WAIT_MS)
    wait_idle(qtbot, window)


def tree_ids(window: MainWindow) -> list[list[int]]:
    """What the tree shows, as entry ids per section."""
    tree = window.workspace.outline_pane.tree
    sections = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[s.child(j).data(0, ROW_ROLE)[1] for j in range(s.childCount())] for s in sections]


# -- keyboard ------------------------------------------------------------------------


def test_alt_down_and_up_move_an_entry_step_by_step(qtbot: QtBot, window: MainWindow) -> None:
    (a, b, c, *rest), coercion, controls = all_entries(window)
    tree = window.workspace.outline_pane.tree
    select(window, row(window, 0, 0))
    qtbot.keyClick(tree, Qt.Key.Key_Down, ALT)
    wait_for(qtbot, window, [[b, a, c, *rest], coercion, controls])
    # the moved entry stays the current one, so the next press moves it on
    assert current_row(window) == ("entry", a)
    qtbot.keyClick(tree, Qt.Key.Key_Down, ALT)
    wait_for(qtbot, window, [[b, c, a, *rest], coercion, controls])
    qtbot.keyClick(tree, Qt.Key.Key_Up, ALT)
    wait_for(qtbot, window, [[b, a, c, *rest], coercion, controls])
    assert tree_ids(window) == all_entries(window)


def test_alt_down_on_a_last_entry_moves_it_into_the_next_section(
    qtbot: QtBot, window: MainWindow
) -> None:
    steel, coercion, controls = all_entries(window)
    tree = window.workspace.outline_pane.tree
    select(window, row(window, 0, len(steel) - 1))
    qtbot.keyClick(tree, Qt.Key.Key_Down, ALT)
    wait_for(qtbot, window, [steel[:-1], [steel[-1], *coercion], controls])
    qtbot.keyClick(tree, Qt.Key.Key_Up, ALT)
    wait_for(qtbot, window, [steel, coercion, controls])
    # up from the first section's first entry goes nowhere
    select(window, row(window, 0, 0))
    qtbot.keyClick(tree, Qt.Key.Key_Up, ALT)
    wait_idle(qtbot, window)
    assert all_entries(window) == [steel, coercion, controls]
    assert window.workspace.editor.stack.count() == 2


def test_alt_down_on_a_section_moves_the_section(qtbot: QtBot, window: MainWindow) -> None:
    a, b, c = section_ids(window)
    select(window, row(window, 0))
    qtbot.keyClick(window.workspace.outline_pane.tree, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: section_ids(window) == [b, a, c], timeout=WAIT_MS)
    qtbot.keyClick(window.workspace.outline_pane.tree, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: section_ids(window) == [b, c, a], timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: section_ids(window) == [b, a, c], timeout=WAIT_MS)


# -- drag and drop within the outline ------------------------------------------------------


def test_drag_an_entry_down_within_its_section(qtbot: QtBot, window: MainWindow) -> None:
    (a, b, c, d, *rest), coercion, controls = all_entries(window)
    tree = window.workspace.outline_pane.tree
    select(window, row(window, 0, 0))
    drag_and_drop(tree, tree.mimeData([row(window, 0, 0)]), row(window, 0, 3), "lower")
    assert tree.state() == QAbstractItemView.State.NoState  # no drop indicator left behind
    wait_for(qtbot, window, [[b, c, d, a, *rest], coercion, controls])
    window.undo_action.trigger()
    wait_for(qtbot, window, [[a, b, c, d, *rest], coercion, controls])


def test_drag_entries_into_another_section_keeps_their_order(
    qtbot: QtBot, window: MainWindow
) -> None:
    steel, (x, *rest), controls = all_entries(window)  # coercion holds at least two
    tree = window.workspace.outline_pane.tree
    moving = [row(window, 0, 0), row(window, 0, 2)]
    select(window, *moving)
    drag_and_drop(tree, tree.mimeData(moving), row(window, 1, 1), "upper")
    left = [steel[1], *steel[3:]]
    wait_for(qtbot, window, [left, [x, steel[0], steel[2], *rest], controls])
    assert tree_ids(window) == all_entries(window)
    window.undo_action.trigger()
    wait_for(qtbot, window, [steel, [x, *rest], controls])
    window.redo_action.trigger()
    wait_for(qtbot, window, [left, [x, steel[0], steel[2], *rest], controls])


def test_drop_on_a_section_heading_puts_entries_at_its_end(
    qtbot: QtBot, window: MainWindow
) -> None:
    steel, coercion, controls = all_entries(window)
    tree = window.workspace.outline_pane.tree
    drag_and_drop(tree, tree.mimeData([row(window, 0, 1)]), row(window, 2), "upper")
    wait_for(qtbot, window, [[steel[0], *steel[2:]], coercion, [*controls, steel[1]]])


def test_drag_a_section_below_another(qtbot: QtBot, window: MainWindow) -> None:
    a, b, c = section_ids(window)
    entries = all_entries(window)
    tree = window.workspace.outline_pane.tree
    drag_and_drop(tree, tree.mimeData([row(window, 0)]), row(window, 2, 1), "upper")
    qtbot.waitUntil(lambda: section_ids(window) == [b, c, a], timeout=WAIT_MS)
    assert all_entries(window) == [entries[1], entries[2], entries[0]]
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: section_ids(window) == [a, b, c], timeout=WAIT_MS)


# -- from the library -------------------------------------------------------------------


def library_passage(qtbot: QtBot, window: MainWindow, seq: int) -> QTreeWidgetItem:
    """Expand the demo source in the library and return the row of its paragraph `seq`."""
    sources = window.workspace.library_pane.sources
    source = sources.topLevelItem(0)
    source.setExpanded(True)
    qtbot.waitUntil(lambda: source.childCount() == 16, timeout=WAIT_MS)
    return source.child(seq - 1)


def test_drop_a_passage_from_the_library_between_two_entries(
    qtbot: QtBot, window: MainWindow
) -> None:
    steel, coercion, controls = all_entries(window)
    passage = library_passage(qtbot, window, 3)
    mime = window.workspace.library_pane.sources.mimeData([passage])
    drag_and_drop(window.workspace.outline_pane.tree, mime, row(window, 0, 2), "top")
    assert window.workspace.outline_pane.tree.state() == QAbstractItemView.State.NoState
    qtbot.waitUntil(lambda: len(all_entries(window)[0]) == len(steel) + 1, timeout=WAIT_MS)
    assert window.workspace.editor.outline is not None
    added = window.workspace.editor.outline.sections[0].entries[2]
    assert (added.kind, added.target_id) == (EntryKind.PASSAGE, passage.data(0, REF_ROLE).id)
    assert added.label.startswith("On 7 May 2026, Japan and the EU")
    assert all_entries(window)[1:] == [coercion, controls]
    window.undo_action.trigger()
    wait_for(qtbot, window, [steel, coercion, controls])


def test_drop_library_items_on_a_section_and_skip_what_it_holds(
    qtbot: QtBot, window: MainWindow
) -> None:
    steel, coercion, controls = all_entries(window)
    assert window.workspace.editor.outline is not None
    held = window.workspace.editor.outline.sections[1].entries[0].target_id
    risk = next(
        i.id for i in window.workspace.library_pane.view.items if i.title == "Retaliation risk"
    )
    mime = refs_mime([Ref(EntryKind.ITEM, held), Ref(EntryKind.ITEM, risk)])
    drag_and_drop(window.workspace.outline_pane.tree, mime, row(window, 1), "upper")
    qtbot.waitUntil(lambda: len(all_entries(window)[1]) == len(coercion) + 1, timeout=WAIT_MS)
    last = window.workspace.editor.outline.sections[1].entries[-1]
    assert (last.kind, last.target_id) == (EntryKind.ITEM, risk)
    assert window.workspace.editor.stack.count() == 1
    # dropping only what the section holds does nothing, and leaves nothing to undo
    again = refs_mime([Ref(EntryKind.ITEM, risk)])
    drag_and_drop(window.workspace.outline_pane.tree, again, row(window, 1), "upper")
    assert window.workspace.outline_pane.tree.state() == QAbstractItemView.State.NoState
    wait_idle(qtbot, window)
    assert window.workspace.editor.stack.count() == 1
    assert all_entries(window)[0] == steel and all_entries(window)[2] == controls


# -- rename, remove ----------------------------------------------------------------------


def edit_in_place(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type `text` over the title in the open in-place editor and press Enter."""
    tree = window.workspace.outline_pane.tree
    qtbot.waitUntil(lambda: tree.findChild(QLineEdit) is not None, timeout=WAIT_MS)
    editor = tree.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def titles(window: MainWindow) -> list[str]:
    assert window.workspace.editor.outline is not None
    return [s.title for s in window.workspace.editor.outline.sections]


def test_rename_a_section_in_place_with_f2_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    select(window, row(window, 1, 1))  # F2 on an entry renames its section
    qtbot.keyClick(window.workspace.outline_pane.tree, Qt.Key.Key_F2)
    edit_in_place(qtbot, window, "Coercion: Japan's view")
    qtbot.waitUntil(lambda: titles(window)[1] == "Coercion: Japan's view", timeout=WAIT_MS)
    assert row(window, 1).text(0) == "Coercion: Japan's view"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: titles(window)[1] == "Economic coercion", timeout=WAIT_MS)
    assert row(window, 1).text(0) == "Economic coercion"


def test_renaming_to_nothing_keeps_the_title(qtbot: QtBot, window: MainWindow) -> None:
    select(window, row(window, 0))
    window.rename_action.trigger()
    edit_in_place(qtbot, window, "   ")
    wait_idle(qtbot, window)
    assert row(window, 0).text(0) == "Steel and overcapacity"
    assert titles(window)[0] == "Steel and overcapacity"
    assert window.workspace.editor.stack.count() == 0


def test_remove_a_section_with_delete_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    before = window.workspace.editor.outline
    a, _, c = section_ids(window)
    select(window, row(window, 1))
    qtbot.keyClick(window.workspace.outline_pane.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: section_ids(window) == [a, c], timeout=WAIT_MS)
    assert window.workspace.outline_pane.tree.topLevelItemCount() == 2
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.workspace.editor.outline == before, timeout=WAIT_MS)
    assert [row(window, i).text(0) for i in range(3)] == titles(window)


def test_remove_entries_and_a_section_together_undo_as_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    before = window.workspace.editor.outline
    steel, coercion, controls = all_entries(window)
    select(window, row(window, 0, 1), row(window, 2), row(window, 2, 0), row(window, 0, 4))
    window.workspace.outline_pane.remove_selected()
    left = [s for s in steel if s not in (steel[1], steel[4])]
    qtbot.waitUntil(lambda: all_entries(window) == [left, coercion], timeout=WAIT_MS)
    assert window.undo_action.text() == "&Undo Remove section"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.workspace.editor.outline == before, timeout=WAIT_MS)
    assert controls == all_entries(window)[2]


def test_add_a_section_from_the_menu(qtbot: QtBot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.qt import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Any other business", True))
    window.add_section_action.trigger()
    qtbot.waitUntil(lambda: titles(window)[-1] == "Any other business", timeout=WAIT_MS)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: len(titles(window)) == 3, timeout=WAIT_MS)


def test_the_header_says_when_content_is_marked_above_the_pack(
    qtbot: QtBot, window: MainWindow
) -> None:
    details = window.workspace.outline_pane.details
    # the demo's "Retaliation risk" is OFFICIAL-SENSITIVE, in an OFFICIAL pack
    assert "content marked OFFICIAL-SENSITIVE (1 entry above the pack's marking)" in details.text()
    item = next(i for i in window.library.items() if i.title == "Steel safeguard replacement")
    window.library.edit_item(item.id, marking="SECRET")
    window.library.poll()  # as the app does every few seconds
    qtbot.waitUntil(lambda: "content marked SECRET" in details.text(), timeout=WAIT_MS)
    assert f"item {item.id}: SECRET" in details.toolTip()
