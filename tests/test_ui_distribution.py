"""File ▸ Copies for named people…: the list kept with the pack, the pre-flight at the copies'
level, named copies written and logged, and the log showing copies and overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, pass_preflight, wait_idle

from ui import settings as opt
from ui.dialogs.distribution_dialog import DistributionDialog
from ui.main_window import MainWindow


def test_named_copies_from_the_app(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)  # OFFICIAL, holding an OFFICIAL-SENSITIVE item: it blocks
    window.settings.set(opt.AUTHOR, "Private Office")
    folder = tmp_path / "copies"
    dialogs: list[DistributionDialog] = []

    def fill(dialog: DistributionDialog) -> int:
        dialogs.append(dialog)
        assert dialog.recipients() == [] and not dialog.make.isEnabled()
        assert "Name at least one recipient" in dialog.problem.text()
        dialog.names.setPlainText("Jane DOE\n\n  Maroš ŠEFČOVIČ  \n")
        dialog.folder.setText(str(folder))  # not there yet
        assert dialog.make.isEnabled() and dialog.by.text() == "Private Office"
        dialog.make.click()
        assert dialog.result() == 0 and "does not exist" in dialog.problem.text()
        folder.mkdir()
        assert dialog.level.currentText() == "OFFICIAL"  # the pack's own, first
        dialog.make.click()
        assert dialog.result() == 1
        return 1

    monkeypatch.setattr(DistributionDialog, "exec", fill)
    found = pass_preflight(qtbot, window, window.distribute_action.trigger)
    assert found[-1] == "(blocked)" and any("above-marking" in f for f in found)
    distributor = window.workspace.distributor
    qtbot.waitUntil(lambda: distributor.done_box is not None, timeout=WAIT_MS)
    made = sorted(folder.iterdir())
    assert len(made) == 2
    footers = [PdfReader(p).pages[-1].extract_text() for p in made]
    assert any("Copy 1 of 2 — Jane DOE" in text for text in footers)
    assert any("Copy 2 of 2 — Maroš ŠEFČOVIČ" in text for text in footers)

    # opened again: the list is kept, the log shows both copies and the override
    def look(dialog: DistributionDialog) -> int:
        dialogs.append(dialog)
        assert dialog.recipients() == ["Jane DOE", "Maroš ŠEFČOVIČ"]
        dialog.names.setPlainText("Jane DOE\nA. N. Other\nJane doe")  # named twice
        dialog.keep.click()
        qtbot.waitUntil(lambda: "named twice" in dialog.problem.text(), timeout=WAIT_MS)
        dialog.names.setPlainText("Jane DOE\nA. N. Other")
        dialog.keep.click()  # kept without making copies
        qtbot.waitUntil(lambda: dialog.problem.text() == "List saved: 2 names.", timeout=WAIT_MS)
        rows = [dialog.log.topLevelItem(i) for i in range(dialog.log.topLevelItemCount())]
        texts = [row.text(3) for row in rows if row is not None]
        assert "Copy 1 of 2 — Jane DOE (pdf)" in texts
        assert "Export past what blocks" not in texts and "Copy past what blocks" in texts
        override = next(r for r in rows if r is not None and r.text(3).startswith("Copy past"))
        assert override.childCount() >= 1 and override.text(2) == "Private Office"
        return 0

    monkeypatch.setattr(DistributionDialog, "exec", look)
    wait_idle(qtbot, window)
    window.distribute_action.trigger()
    qtbot.waitUntil(lambda: len(dialogs) == 2, timeout=WAIT_MS)
    pack = window.settings.get(opt.LAST_PACK)
    assert window.library.distribution_list(pack) == ["Jane DOE", "A. N. Other"]
    assert len(list(folder.iterdir())) == 2  # no copies made
