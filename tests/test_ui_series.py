"""Meetings in series in the app: the next meeting's pack, entries flagged for review
(carried ↻, superseded ⚠), and refreshing quotations from the newer statement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from test_series import STEEL_NEW, STEEL_OLD, STEEL_SAME, statement
from ui_helpers import WAIT_MS, wait_idle

from briefing.library import Library
from ui.dialogs.next_meeting import NextMeetingDialog
from ui.main_window import MainWindow
from ui.qt import QDate

pytestmark = pytest.mark.gui


def rows(window: MainWindow) -> list[tuple[str, str]]:
    tree = window.workspace.outline_pane.tree
    return [
        (tree.topLevelItem(i).child(j).text(0), tree.topLevelItem(i).child(j).toolTip(0))
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]


@pytest.fixture
def series_window(make_window, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A library with the 7th statement and an 8th-meeting pack quoting it."""
    store = tmp_path / "series.sqlite"
    seventh = tmp_path / "7th.md"
    seventh.write_text(statement("7th", "3 March 2025", STEEL_SAME, STEEL_OLD), "utf-8")
    with Library(store) as library:
        library.import_paths([seventh])
        pack = library.new_pack(
            "X brief", meeting="8th X Dialogue", date=date(2026, 3, 1), marking="OFFICIAL",
            topics=["steel"],
        )  # fmt: skip
    window = make_window(store)
    window.workspace.open_pack(pack)
    return window, pack


def test_a_superseded_source_is_flagged_and_refreshed(
    qtbot: QtBot, series_window, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, _pack = series_window
    qtbot.waitUntil(lambda: len(rows(window)) == 2, timeout=WAIT_MS)
    assert not any("⚠" in text for text, _ in rows(window))
    eighth = tmp_path / "8th.md"
    eighth.write_text(statement("8th", "2 March 2026", STEEL_SAME, STEEL_NEW), "utf-8")
    window.workspace.import_paths([eighth])
    qtbot.waitUntil(lambda: all("⚠" in text for text, _ in rows(window)), timeout=WAIT_MS)
    assert all("superseded by source" in tip and "8th X Dialogue" in tip for _, tip in rows(window))
    window.workspace.import_summary.close()

    window.refresh_action.trigger()
    qtbot.waitUntil(
        lambda: "1 quotation(s) now quote the newer source; 1 left to review"
        in window.statusBar().currentMessage(),
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(lambda: sum("⚠" in text for text, _ in rows(window)) == 1, timeout=WAIT_MS)


def test_the_next_meetings_pack_carries_the_entries_for_review(
    qtbot: QtBot, series_window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window, pack = series_window
    qtbot.waitUntil(lambda: len(rows(window)) == 2, timeout=WAIT_MS)

    def fill(dialog: NextMeetingDialog) -> int:
        dialog.meeting.setText("9th X Dialogue")
        dialog.date.setDate(QDate(2027, 3, 1))
        dialog.place.setText("Tokyo")
        return 1

    monkeypatch.setattr(NextMeetingDialog, "exec", fill)
    window.next_pack_action.trigger()
    qtbot.waitUntil(
        lambda: window.workspace.editor.outline is not None
        and window.workspace.editor.outline.id != pack,
        timeout=WAIT_MS,
    )
    wait_idle(qtbot, window)
    outline = window.workspace.editor.outline
    assert (outline.meeting, outline.date, outline.place) == (
        "9th X Dialogue", date(2027, 3, 1), "Tokyo")  # fmt: skip
    qtbot.waitUntil(lambda: len(rows(window)) == 2, timeout=WAIT_MS)
    assert all("↻" in text and "Carried from the previous meeting's pack" in tip
               for text, tip in rows(window))  # fmt: skip
