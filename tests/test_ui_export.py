"""The export dialog helps: missing folders, failed exports retried in one click, where it opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from ui import settings as opt
from ui.main_window import MainWindow
from ui.preflight_panel import Preflight
from ui.qt import QFileDialog, QMessageBox, QStandardPaths

pytestmark = pytest.mark.gui


class Dialogs:
    """Stands in for the save dialog and the static message boxes, recording what they saw."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: Path | None) -> None:
        self.answers = list(answers)
        self.suggested: list[str] = []
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self.create = QMessageBox.StandardButton.Yes
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self.save)
        monkeypatch.setattr(QMessageBox, "warning", self.warning)
        monkeypatch.setattr(QMessageBox, "question", self.question)
        # the pre-flight panel is tested in test_ui_share.py; here it is passed, as a user
        # who reads it and goes on
        monkeypatch.setattr(Preflight, "run", self.preflight)
        self.checked: list[str] = []

    def preflight(self, _pack_id, _title, action, proceed=lambda: None, level=None):  # type: ignore[no-untyped-def]
        self.checked.append(action)
        proceed()

    def save(self, parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        self.suggested.append(suggested)
        answer = self.answers.pop(0) if self.answers else None
        return (str(answer) if answer else "", "")

    def warning(self, parent, title, text, *args):  # type: ignore[no-untyped-def]
        self.warnings.append(text)
        return QMessageBox.StandardButton.Yes

    def question(self, parent, title, text, *args):  # type: ignore[no-untyped-def]
        self.questions.append(text)
        return self.create


def pack_with_a_draft(qtbot, window: MainWindow) -> int:  # type: ignore[no-untyped-def]
    """A new pack holding a draft item, so that the export asks before writing."""
    pack_id = open_new_pack(qtbot, window)
    window.new_item_action.trigger()
    wait_idle(qtbot, window)
    return pack_id


def button(box: QMessageBox, text: str):  # type: ignore[no-untyped-def]
    return next(b for b in box.buttons() if b.text() == text)


def test_a_missing_folder_is_offered_and_created(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    open_new_pack(qtbot, demo_window)
    target = tmp_path / "exports" / "may" / "brief.pdf"
    dialogs = Dialogs(monkeypatch, target)
    with qtbot.waitSignal(demo_window.workspace.exporter.exported, timeout=WAIT_MS):
        demo_window.export_pdf_action.trigger()
    assert target.is_file()
    assert len(dialogs.questions) == 1 and str(target.parent) in dialogs.questions[0]
    assert demo_window.settings.get(opt.EXPORT_DIR) == str(target.parent)


def test_a_folder_that_cannot_be_created_says_so_and_asks_again(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    pack_id = open_new_pack(qtbot, demo_window)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    dialogs = Dialogs(monkeypatch, blocker / "sub" / "brief.pdf", None)  # then: cancel
    outline = demo_window.workspace.editor.outline
    assert outline is not None and outline.id == pack_id
    assert demo_window.workspace.exporter.ask_path(outline, "pdf") is None
    [failure] = [w for w in dialogs.warnings if "Could not create the folder" in w]
    assert str(blocker / "sub") in failure
    # the dialog came back, in the nearest folder that exists, with the name kept
    assert Path(dialogs.suggested[1]) == tmp_path / "brief.pdf"
    assert not (blocker.parent / "sub").exists()


def test_declining_to_create_the_folder_asks_again(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    open_new_pack(qtbot, demo_window)
    dialogs = Dialogs(monkeypatch, tmp_path / "new" / "brief.docx", tmp_path / "brief.docx")
    dialogs.create = QMessageBox.StandardButton.Cancel
    outline = demo_window.workspace.editor.outline
    assert demo_window.workspace.exporter.ask_path(outline, "docx") == tmp_path / "brief.docx"
    assert not (tmp_path / "new").exists() and len(dialogs.suggested) == 2


def test_a_failed_export_says_so_and_tries_again_with_the_same_choices(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    pack_with_a_draft(qtbot, demo_window)
    exporter = demo_window.workspace.exporter
    target = tmp_path / "brief.pdf"
    target.mkdir()  # a folder where the file should go: the write fails
    dialogs = Dialogs(monkeypatch, target)
    with qtbot.waitSignal(exporter.failed, timeout=WAIT_MS) as failed:
        demo_window.export_pdf_action.trigger()
    assert failed.args[0].startswith("Export failed: ") and "is a folder" in failed.args[0]
    box = exporter.failed_box
    assert box is not None and box.isVisible() and box.text() == failed.args[0]
    assert dialogs.checked == ["Export"], "the pre-flight (the draft) is passed once"

    target.rmdir()  # the user fixes the cause; retrying is one click
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS) as written:
        button(box, "Try again").click()
    assert written.args[0] == str(target) and target.is_file()
    assert dialogs.checked == ["Export"] and len(dialogs.suggested) == 1  # nothing asked again


def test_a_failed_export_can_go_to_another_place(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    open_new_pack(qtbot, demo_window)
    exporter = demo_window.workspace.exporter
    blocked = tmp_path / "brief.docx"
    blocked.mkdir()
    elsewhere = tmp_path / "other" / "brief.docx"
    dialogs = Dialogs(monkeypatch, blocked, elsewhere)
    with qtbot.waitSignal(exporter.failed, timeout=WAIT_MS):
        demo_window.export_docx_action.trigger()
    assert exporter.failed_box is not None
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS):
        button(exporter.failed_box, "Choose another place…").click()
    assert elsewhere.is_file()
    assert Path(dialogs.suggested[1]) == blocked  # the dialog opened where the user had chosen
    assert len(dialogs.questions) == 1  # "other" did not exist: offered and created


def test_a_retry_into_a_folder_gone_since_offers_to_create_it(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    open_new_pack(qtbot, demo_window)
    exporter = demo_window.workspace.exporter
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "brief.pdf"
    dialogs = Dialogs(monkeypatch)
    folder.rmdir()  # gone after it was chosen: the write fails
    with qtbot.waitSignal(exporter.failed, timeout=WAIT_MS) as failed:
        exporter.write(demo_window.workspace.editor.outline.id, target, "pdf")
    assert failed.args[0] == f"Export failed: {folder}: no such folder"
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS):
        button(exporter.failed_box, "Try again").click()
    assert target.is_file() and len(dialogs.questions) == 1


def test_the_dialog_opens_in_the_last_folder_that_exists_else_documents(
    qtbot, demo_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    open_new_pack(qtbot, demo_window)
    exporter = demo_window.workspace.exporter
    outline = demo_window.workspace.editor.outline
    documents = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    documents.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    dialogs = Dialogs(monkeypatch, None, None, None)

    last = tmp_path / "last"
    last.mkdir()
    demo_window.settings.set(opt.EXPORT_DIR, str(last))
    exporter.ask_path(outline, "pdf")
    last.rmdir()
    exporter.ask_path(outline, "pdf")
    demo_window.settings.set(opt.EXPORT_DIR, "")
    exporter.ask_path(outline, "pdf")
    folders = [Path(s).parent for s in dialogs.suggested]
    assert folders == [last, documents, documents]
    assert all(Path(s).name.startswith("Brief for the Trade Minister") for s in dialogs.suggested)
