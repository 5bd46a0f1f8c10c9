"""The pre-flight panel before export, print and share; File ▸ Share a copy…"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from briefing.library import ItemStatus, Library
from ui import settings as opt
from ui.dialogs.new_pack import NewPack
from ui.dialogs.share_dialog import ShareDialog, offered_levels
from ui.export_flow import Exporter
from ui.main_window import MainWindow
from ui.preflight_panel import PreflightPanel
from ui.qt import QDialogButtonBox, QFileDialog

pytestmark = pytest.mark.gui

DRAFT_TITLE = "Steel safeguard replacement"  # item 2 of the demo
SENSITIVE_TITLE = "Retaliation risk"  # item 6 of the demo, OFFICIAL-SENSITIVE


def item_id(library: Library, title: str) -> int:
    return next(i.id for i in library.items() if i.title == title)


def panel_of(qtbot: QtBot, window: MainWindow) -> PreflightPanel:
    preflight = window.workspace.exporter.preflight
    qtbot.waitUntil(
        lambda: preflight.panel is not None and preflight.panel.isVisible(), timeout=WAIT_MS
    )
    assert preflight.panel is not None
    return preflight.panel


def codes(panel: PreflightPanel) -> set[str]:
    return {f.code for f in panel.findings}


def test_printing_runs_the_export_checks_and_a_draft_blocks_until_overridden(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    wait_idle(qtbot, window)
    window.library.edit_item(item_id(window.library, DRAFT_TITLE), status=ItemStatus.DRAFT)
    open_new_pack(qtbot, window, topics=["steel"])
    printed: list[Path] = []
    monkeypatch.setattr(Exporter, "_print", lambda self, path, preview: printed.append(path))

    window.print_action.trigger()
    panel = panel_of(qtbot, window)
    assert "draft" in codes(panel)
    assert any(DRAFT_TITLE in f.message for f in panel.findings if f.code == "draft")
    assert panel.proceed is not None and not panel.proceed.isEnabled()
    assert panel.override.isVisible()
    panel.accept()  # Return while blocked: nothing happens
    wait_idle(qtbot, window)
    assert panel.isVisible() and not printed

    window.settings.set(opt.AUTHOR, "Desk Officer")
    panel.override.setChecked(True)
    assert panel.proceed.isEnabled()
    panel.proceed.click()
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=WAIT_MS)
    assert printed[0].stat().st_size > 0
    # the override is recorded in the library, by the author named in Settings
    pack = window.settings.get(opt.LAST_PACK)
    qtbot.waitUntil(lambda: bool(window.library.overrides(pack)), timeout=WAIT_MS)
    (record,) = window.library.overrides(pack)
    assert (record.action, record.by) == ("print", "Desk Officer")
    assert any(DRAFT_TITLE in line for line in record.findings)


def test_export_lists_the_findings_and_goes_on_when_overridden(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)  # OFFICIAL, holding the OFFICIAL-SENSITIVE item
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    window.export_pdf_action.trigger()
    panel = panel_of(qtbot, window)
    above = [f for f in panel.findings if f.code == "above-marking"]
    assert above and above[0].severity == "blocks"
    assert panel.list.topLevelItemCount() == len(panel.findings)
    assert not panel.proceed.isEnabled()  # type: ignore[union-attr]

    # activating the finding selects its entry in the outline and opens it in the editor
    sensitive = item_id(window.library, SENSITIVE_TITLE)
    row = next(
        panel.list.topLevelItem(i)
        for i in range(panel.list.topLevelItemCount())
        if panel.findings[i].origin == f"item:{sensitive}"
    )
    panel.list.itemActivated.emit(row, 0)
    current = window.workspace.outline_pane.tree.currentItem()
    assert current is not None and SENSITIVE_TITLE in current.text(0)
    editor = window.workspace.editor_panel.items
    qtbot.waitUntil(lambda: editor.data is not None and editor.data.title == SENSITIVE_TITLE)

    panel.override.setChecked(True)
    with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
        panel.proceed.click()  # type: ignore[union-attr]
    assert target.exists()


def test_nothing_found_means_the_export_goes_straight_on(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)
    monkeypatch.setattr(Library, "check", lambda self, pack_id, level=None: [])
    target = tmp_path / "out.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
        window.export_docx_action.trigger()
    assert window.workspace.exporter.preflight.panel is None
    assert target.exists()


def test_check_pack_shows_the_panel_with_close_only(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    open_new_pack(qtbot, window)
    assert window.check_action.isEnabled()
    window.check_action.trigger()
    panel = panel_of(qtbot, window)
    assert panel.proceed is None and not panel.override.isVisible()
    assert "above-marking" in codes(panel)


def test_the_level_offered_by_default_is_the_one_below_the_packs() -> None:
    from briefing.markings import Scheme

    scheme = Scheme(("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"), ("UK EYES ONLY",))
    offered, default = offered_levels("SECRET UK EYES ONLY", scheme)
    assert default == "OFFICIAL-SENSITIVE" and "SECRET" in offered
    offered, default = offered_levels("OFFICIAL-SENSITIVE", scheme)
    assert default == "OFFICIAL" and "SECRET" not in offered
    assert offered_levels("OFFICIAL", scheme)[1] == "OFFICIAL"
    assert offered_levels("", scheme)[1] == "OFFICIAL"


def test_share_a_copy_writes_the_copy_and_its_log_without_the_withheld_item(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    wait_idle(qtbot, window)
    window.settings.set(opt.AUTHOR, "A. Official")
    assert not window.share_action.isEnabled()
    before = {p.id for p in window.library.packs()}
    window.workspace.create_pack(
        NewPack("Sensitive brief", "Japan–EU HLED", date(2026, 5, 7), "Tokyo",
                "OFFICIAL-SENSITIVE", "ministerial", ("steel", "coercion", "export-controls"))
    )  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            window.workspace.editor.outline is not None
            and window.workspace.editor.outline.id not in before
        ),
        timeout=WAIT_MS,
    )
    assert window.share_action.isEnabled()
    target = tmp_path / "shared.pdf"
    seen: dict[str, str] = {}

    def fill(dialog: ShareDialog) -> int:
        seen["level"], seen["by"] = dialog.level.currentText(), dialog.by.text()
        dialog.file.setText(str(target))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ShareDialog, "exec", fill)
    window.share_action.trigger()
    assert_seen = {"level": "OFFICIAL", "by": "A. Official"}
    sharer = window.workspace.sharer
    with qtbot.waitSignal(sharer.shared, timeout=WAIT_MS) as signal:
        panel = panel_of(qtbot, window)  # the pre-flight at OFFICIAL: the item is withheld
        assert seen == assert_seen
        if panel.proceed is not None and not panel.proceed.isEnabled():
            panel.override.setChecked(True)
        panel.proceed.click()  # type: ignore[union-attr]
    shared = signal.args[0]
    log = target.with_name(target.name + ".redaction-log.txt")
    assert shared.path == target and shared.log == log
    assert target.exists() and log.exists()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "OFFICIAL" in text and SENSITIVE_TITLE not in text
    log_text = log.read_text(encoding="utf-8")
    assert SENSITIVE_TITLE in log_text and "A. Official" in log_text
    assert sharer.done_box is not None and str(log) in sharer.done_box.informativeText()


def test_choosing_the_file_keeps_a_word_copy_and_a_new_level_renames_the_default(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefing.markings import Scheme

    window = demo_window
    open_new_pack(qtbot, window)
    outline = window.workspace.editor.outline
    assert outline is not None
    scheme = Scheme(("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"))
    dialog = ShareDialog(outline, scheme, window.settings, window)
    qtbot.addWidget(dialog)
    assert dialog.level.currentText() == "OFFICIAL"
    assert [dialog.level.itemText(i) for i in range(dialog.level.count())] == ["OFFICIAL"]
    assert "(OFFICIAL copy).pdf" in dialog.file.text()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName",
        lambda *a: (str(tmp_path / "copy"), "Word document (*.docx)"),
    )  # fmt: skip
    dialog.choose_file()
    assert dialog.choice().path == tmp_path / "copy.docx"


def test_the_marking_scheme_is_edited_in_the_app(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    wait_idle(qtbot, window)
    window.scheme_action.trigger()
    qtbot.waitUntil(lambda: getattr(window.workspace, "marking_scheme_dialog", None) is not None,
                    timeout=WAIT_MS)  # fmt: skip
    dialog = window.workspace.marking_scheme_dialog
    assert dialog.levels.toPlainText().splitlines()[0] == "OFFICIAL"
    # a level a pack or item still carries cannot go: the dialog says so and stays open
    dialog.levels.setPlainText("OFFICIAL\nSECRET\nTOP SECRET")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "cannot remove OFFICIAL-SENSITIVE" in dialog.problem.text(),
                    timeout=WAIT_MS)  # fmt: skip
    assert dialog.isVisible() and dialog.buttons.isEnabled()
    assert "OFFICIAL-SENSITIVE" in window.library.marking_scheme().levels
    dialog.levels.setPlainText("official\nofficial-sensitive\nsecret\ntop secret\ncosmic")
    dialog.caveats.setPlainText("uk eyes  only\n")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    scheme = window.library.marking_scheme()
    assert scheme.levels[-1] == "COSMIC" and scheme.caveats == ("UK EYES ONLY",)
    # the item editor's choices follow the library's scheme
    qtbot.waitUntil(
        lambda: "SECRET UK EYES ONLY" in window.workspace._markings(), timeout=WAIT_MS
    )
