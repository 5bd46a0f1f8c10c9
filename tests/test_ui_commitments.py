"""The library pane's Commitments tab: the ledger, its filters, and its status edited in
place (saved through the library, refreshed from the change it announces)."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from briefing.changes import Changes
from ui.commitments_tab import DUE, OWNER, STATUS, CommitmentsTab
from ui.main_window import MainWindow
from ui.qt import QComboBox, QDate, QDateEdit, QInputDialog, QLineEdit, QMessageBox, Qt


def loaded_tab(qtbot: QtBot, window: MainWindow) -> CommitmentsTab:
    pane = window.workspace.library_pane
    tab = pane.commitments
    pane.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 10, timeout=WAIT_MS)
    return tab


def statuses(tab: CommitmentsTab) -> list[str]:
    return [tab.model.index(r, STATUS).data() for r in range(tab.model.rowCount())]


def test_the_tab_lists_the_ledger(qtbot: QtBot, demo_window: MainWindow) -> None:
    tab = loaded_tab(qtbot, demo_window)
    pane = demo_window.workspace.library_pane
    assert pane.tabs.tabText(pane.tabs.indexOf(tab)) == "Commitments (10)"
    whats = [tab.model.index(r, 1).data() for r in range(10)]
    assert any(w.startswith("continue discussions, in consideration of") for w in whats)
    assert set(statuses(tab)) == {"open"}
    tip = tab.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "7th Japan-EU High-Level Economic Dialogue, para" in tip


def test_filters(qtbot: QtBot, demo_window: MainWindow) -> None:
    tab = loaded_tab(qtbot, demo_window)
    assert tab.counterpart.findData("Japan") > 0  # offered from the sources
    tab.topic.setCurrentIndex(tab.topic.findText("Steel and overcapacity"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=WAIT_MS)
    assert all("Steel and overcapacity" in c.topics for c in tab.model.rows)
    tab.topic.setCurrentIndex(0)
    tab.status.setCurrentIndex(tab.status.findData("done"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT_MS)
    assert tab.summary.text() == "0 commitments"
    tab.status.setCurrentIndex(0)
    tab.counterpart.setCurrentIndex(tab.counterpart.findData("Japan"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 10, timeout=WAIT_MS)


def test_counterparts_read_again_only_when_sources_change(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = loaded_tab(qtbot, demo_window)
    library = demo_window.runner.library
    assert library is not None
    reads: list[int] = []
    counterparts = library.counterparts
    monkeypatch.setattr(library, "counterparts", lambda: reads.append(1) or counterparts())
    tab.status.setCurrentIndex(tab.status.findData("done"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=WAIT_MS)
    assert reads == []  # a filter changed, not the sources
    demo_window.runner.changed.emit(Changes(elsewhere=True))
    # read again (once, or twice when a second refresh starts before the first is back)
    qtbot.waitUntil(lambda: bool(reads), timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    assert tab.counterpart.findData("Japan") > 0


def test_status_edited_in_place(qtbot: QtBot, demo_window: MainWindow) -> None:
    tab = loaded_tab(qtbot, demo_window)
    first = tab.model.rows[0]
    index = tab.model.index(0, STATUS)
    tab.table.edit(index)
    editor = tab.table.findChild(QComboBox)
    assert editor is not None and editor.currentText() == "open"
    assert [editor.itemText(i) for i in range(editor.count())] == ["open", "done", "dropped"]
    editor.setCurrentText("done")
    editor.activated.emit(editor.currentIndex())  # the user picks it
    qtbot.waitUntil(lambda: "done" in statuses(tab), timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    stored = next(c for c in demo_window.library.commitments() if c.id == first.id)
    assert stored.status == "done" and stored.version == first.version + 1


def test_due_date_edited_in_place(qtbot: QtBot, demo_window: MainWindow) -> None:
    tab = loaded_tab(qtbot, demo_window)
    first = tab.model.rows[0]
    tab.table.edit(tab.model.index(0, DUE))
    editor = tab.table.findChild(QDateEdit)
    assert editor is not None
    editor.setDate(QDate(2027, 3, 9))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, demo_window)
    qtbot.waitUntil(lambda: any(c.id == first.id and c.due == date(2027, 3, 9)
                                for c in tab.model.rows), timeout=WAIT_MS)  # fmt: skip
    row = next(r for r, c in enumerate(tab.model.rows) if c.id == first.id)
    assert tab.model.index(row, DUE).data() == "9 Mar 2027"
    stored = next(c for c in demo_window.library.commitments() if c.id == first.id)
    assert stored.due == date(2027, 3, 9) and stored.version == first.version + 1


def test_owner_edited_in_place_and_notes_added(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = loaded_tab(qtbot, demo_window)
    first = tab.model.rows[0]
    assert not tab.add_note.isEnabled()  # nothing selected
    tab.table.edit(tab.model.index(0, OWNER))
    editor = tab.table.findChild(QLineEdit)
    assert editor is not None
    editor.setText("  Trade   Policy desk ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.model.rows[0].owner == "Trade Policy desk", timeout=WAIT_MS)

    tab.table.selectRow(0)
    assert tab.add_note.isEnabled()
    asked: list[str] = []

    def answer(_parent, _title, label, *_args):  # type: ignore[no-untyped-def]
        asked.append(label)
        return "Raised by the Commissioner on 3 June.", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    tab.add_note.click()
    qtbot.waitUntil(lambda: "3 June" in tab.model.rows[0].notes, timeout=WAIT_MS)
    assert asked and first.what[:40] in asked[0]
    stored = next(c for c in demo_window.library.commitments() if c.id == first.id)
    assert stored.owner == "Trade Policy desk" and "Raised by the Commissioner" in stored.notes


def test_an_overdue_one_is_marked_and_a_stale_save_refused(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = loaded_tab(qtbot, demo_window)
    first = tab.model.rows[0]
    demo_window.library.edit_commitment(first.id, due=date(2020, 1, 31))  # elsewhere, say
    qtbot.waitUntil(lambda: "overdue" in statuses(tab), timeout=WAIT_MS)
    row = statuses(tab).index("overdue")
    assert tab.model.index(row, STATUS).data(Qt.ItemDataRole.FontRole).bold()
    assert tab.summary.text() == "10 commitments, 1 overdue"

    shown = tab.model.rows[row]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    demo_window.library.edit_commitment(shown.id, owner="Someone else")  # a newer save
    qtbot.waitUntil(lambda: tab.model.rows[row].owner == "Someone else", timeout=WAIT_MS)
    wait_idle(qtbot, demo_window)
    tab.model.rows[row] = shown  # the row as the user still sees it
    assert tab.model.setData(tab.model.index(row, STATUS), "dropped")
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT_MS)
    assert "was changed elsewhere" in warnings[0]
    stored = next(c for c in demo_window.library.commitments() if c.id == shown.id)
    assert stored.status == "overdue" and stored.owner == "Someone else"


def test_whom_the_meeting_is_with_in_pack_settings(qtbot: QtBot, demo_window: MainWindow) -> None:
    from test_ui_packs import open_settings, press_ok
    from ui_helpers import open_new_pack

    pack = open_new_pack(qtbot, demo_window)
    dialog = open_settings(qtbot, demo_window)
    assert dialog.counterpart.currentText() == "From the meeting's name (Japan)"
    dialog.counterpart.setCurrentIndex(dialog.counterpart.findData("none"))
    press_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    outline = demo_window.library.pack_outline(pack)
    assert (outline.counterpart, outline.counterpart_set) == ("", True)

    dialog = open_settings(qtbot, demo_window)
    assert dialog.counterpart.currentText() == "No one"
    dialog.counterpart.setCurrentText("Korea")  # typed
    press_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert demo_window.library.pack_outline(pack).counterpart == "Korea"
