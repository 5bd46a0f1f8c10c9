"""Changes made elsewhere reach the app, and no save overwrites a newer one (pytest-qt, real
widgets): two windows on one library, the CLI editing an item the app holds, undoing a delete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from test_ui_items import open_item
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from briefing.changes import Changes
from briefing.cli import main as cli
from briefing.library import EntryKind, Library
from ui.main_window import MainWindow
from ui.qt import QMessageBox

pytestmark = pytest.mark.gui

TITLE = "Will Japanese steel be exempted?"


@pytest.fixture
def store(demo_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "shared.sqlite"
    shutil.copy(demo_store_file, path)
    return path


def conflict_box(window: MainWindow) -> QMessageBox:
    box = window.workspace.editor_panel.items.conflict_box
    assert box is not None and box.isVisible()
    return box


def press(box: QMessageBox, label: str) -> None:
    button = next(b for b in box.buttons() if b.text() == label)
    button.click()


def history_bodies(store: Path, item_id: int) -> list[str]:
    with Library(store) as library:
        return [h.body for h in library.item_history(item_id)]


def two_windows_in_conflict(qtbot: QtBot, make_window, store: Path):  # type: ignore[no-untyped-def]
    """Window A saves an edit; window B, still holding the older text, saves its own."""
    a, b = make_window(store), make_window(store)
    editor_a, editor_b = open_item(qtbot, a, TITLE), open_item(qtbot, b, TITLE)
    item_id = editor_a.data.id  # type: ignore[union-attr]
    b.workspace._poll.stop()  # B has not looked yet: its text is the older one
    editor_a.body.setPlainText("A's text: no exemption is on the table.")
    qtbot.waitUntil(lambda: editor_a.state.text() == "Saved", timeout=WAIT_MS)
    editor_b.body.setPlainText("B's text: we are seeking an exemption.")
    qtbot.waitUntil(lambda: editor_b.conflict_box is not None, timeout=WAIT_MS)
    assert "changed elsewhere at" in conflict_box(b).text()
    return a, b, item_id


def test_a_stale_save_asks_and_keep_both_keeps_both_texts(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    _a, b, item_id = two_windows_in_conflict(qtbot, make_window, store)
    editor_b = b.workspace.editor_panel.items
    press(conflict_box(b), "Keep both")
    # B now edits a new item holding its text; the original keeps A's
    qtbot.waitUntil(
        lambda: editor_b.data is not None and editor_b.data.id != item_id, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: editor_b.body.toPlainText().startswith("B's text"), timeout=WAIT_MS)
    with Library(store) as library:
        assert library.item(item_id).body == "A's text: no exemption is on the table."
        copy = library.item(editor_b.data.id)  # type: ignore[union-attr]
        assert copy.body == "B's text: we are seeking an exemption."
        assert copy.title == f"{TITLE} (my version)"


def test_keep_mine_saves_over_theirs_and_keeps_theirs_in_history(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    a, b, item_id = two_windows_in_conflict(qtbot, make_window, store)
    editor_a, editor_b = a.workspace.editor_panel.items, b.workspace.editor_panel.items
    press(conflict_box(b), "Keep mine")
    qtbot.waitUntil(lambda: editor_b.state.text() == "Saved", timeout=WAIT_MS)
    assert history_bodies(store, item_id)[0] == "A's text: no exemption is on the table."
    # and B's History… shows it, as it was written
    editor_b.history.click()
    qtbot.waitUntil(lambda: editor_b.history_dialog is not None, timeout=WAIT_MS)
    shown = editor_b.history_dialog.text.toPlainText()  # type: ignore[union-attr]
    assert "A's text: no exemption is on the table." in shown and "kept mine" in shown
    editor_b.history_dialog.close()  # type: ignore[union-attr]
    # A notices B's save (polling) and shows it, since A has no edits of its own
    a.workspace.poll()
    qtbot.waitUntil(lambda: editor_a.body.toPlainText().startswith("B's text"), timeout=WAIT_MS)


def test_take_theirs_shows_theirs_and_keeps_mine_in_history(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    _a, b, item_id = two_windows_in_conflict(qtbot, make_window, store)
    editor_b = b.workspace.editor_panel.items
    press(conflict_box(b), "Take theirs")
    qtbot.waitUntil(lambda: editor_b.body.toPlainText().startswith("A's text"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not editor_b.dirty, timeout=WAIT_MS)
    assert history_bodies(store, item_id)[0] == "B's text: we are seeking an exemption."
    with Library(store) as library:
        assert library.item(item_id).body == "A's text: no exemption is on the table."


def test_a_cli_edit_while_the_app_holds_the_item_is_noticed(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    editor = open_item(qtbot, window, TITLE)
    item_id = editor.data.id  # type: ignore[union-attr]
    pack_id = open_new_pack(qtbot, window, topics=["steel"])
    assert cli(["--db", str(store), "item", "edit", str(item_id), "--title", "Edited in a terminal",
                "--body", "The CLI's text."]) == 0  # fmt: skip
    seen: list[Changes] = []
    window.runner.changed.connect(seen.append)
    window.workspace.poll()  # what the timer and focus do every few seconds
    qtbot.waitUntil(lambda: editor.title.text() == "Edited in a terminal", timeout=WAIT_MS)
    assert editor.body.toPlainText() == "The CLI's text." and seen[0].elsewhere
    # the outline and the library list show the new title too
    qtbot.waitUntil(
        lambda: any(
            e.label == "Edited in a terminal"
            for s in window.workspace.editor.outline.sections  # type: ignore[union-attr]
            for e in s.entries
        ),
        timeout=WAIT_MS,
    )
    assert window.workspace.editor.outline.id == pack_id  # type: ignore[union-attr]
    items = window.workspace.library_pane.items
    qtbot.waitUntil(
        lambda: any(
            items.item(i).text().startswith("Edited in a terminal") for i in range(items.count())
        ),
        timeout=WAIT_MS,
    )


def test_the_poll_finds_nothing_after_the_apps_own_saves(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    editor = open_item(qtbot, window, TITLE)
    editor.body.setPlainText("Saved by this window.")
    qtbot.waitUntil(lambda: editor.state.text() == "Saved", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert window.library is not None
    assert not window.library.poll()


def test_deleting_an_item_in_the_app_can_be_undone(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    pack_id = open_new_pack(qtbot, window, topics=["steel"])
    editor = open_item(qtbot, window, TITLE)
    item_id = editor.data.id  # type: ignore[union-attr]

    def held() -> bool:
        outline = window.workspace.editor.outline
        assert outline is not None and outline.id == pack_id
        return any(e.kind is EntryKind.ITEM and e.target_id == item_id
                   for s in outline.sections for e in s.entries)  # fmt: skip

    before = [[e.id for e in s.entries] for s in window.workspace.editor.outline.sections]  # type: ignore[union-attr]
    assert held()
    window.workspace.delete_item(item_id)
    qtbot.waitUntil(lambda: not held(), timeout=WAIT_MS)
    assert "Edit ▸ Undo" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    qtbot.waitUntil(held, timeout=WAIT_MS)
    after = [[e.id for e in s.entries] for s in window.workspace.editor.outline.sections]  # type: ignore[union-attr]
    assert after == before  # the same entries, in the same places
    assert window.library is not None and window.library.item(item_id).title == TITLE


def test_edits_to_an_item_deleted_elsewhere_are_kept_as_a_new_item(
    qtbot: QtBot, make_window, store: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(store)
    editor = open_item(qtbot, window, TITLE)
    item_id = editor.data.id  # type: ignore[union-attr]
    window.workspace._poll.stop()
    assert cli(["--db", str(store), "item", "delete", str(item_id)]) == 0
    editor.body.setPlainText("Written while a colleague deleted it.")
    qtbot.waitUntil(
        lambda: editor.data is not None and editor.data.id != item_id, timeout=WAIT_MS
    )
    assert "saved as a new item" in editor.state.text()
    with Library(store) as library:
        kept = library.item(editor.data.id)  # type: ignore[union-attr]
    assert (kept.title, kept.body) == (TITLE, "Written while a colleague deleted it.")
