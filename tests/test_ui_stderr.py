"""Normal use prints nothing to stderr: no traceback, error or warning through the import,
export and print preview journeys (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import WAIT_MS, open_new_pack, pass_preflight, wait_idle

from ui.qt import QFileDialog, QMessageBox

pytestmark = pytest.mark.gui

# Known platform noise, not ours: Qt's offscreen platform plugin (used by the tests, never by
# users) says this whenever a window's size hints change.
KNOWN_NOISE = ("This plugin does not support propagateSizeHints()",)


def noise(text: str) -> list[str]:
    """The lines of `text` that look like a traceback, an error or a warning."""
    return [
        line
        for line in text.splitlines()
        if any(word in line for word in ("Traceback", "Error", "Warning", "error", "warning"))
        and not any(known in line for known in KNOWN_NOISE)
    ]


def test_noise_spots_tracebacks_and_warnings() -> None:
    assert noise("Traceback (most recent call last):\nAttributeError: x\nok") == [
        "Traceback (most recent call last):",
        "AttributeError: x",
    ]
    assert noise("qt.qpa: This plugin does not support propagateSizeHints()\nfine") == []


def test_stderr_stays_clean_through_import_export_and_print_preview(
    qtbot, demo_window, tmp_path: Path, monkeypatch, capfd
) -> None:  # type: ignore[no-untyped-def]
    from ui.qt import QPrintPreviewDialog

    window = demo_window
    wait_idle(qtbot, window)
    capfd.readouterr()  # start counting from an open library

    # import: a few files, one of them long enough to report progress
    files = []
    for i in range(3):
        path = tmp_path / f"readout-{i}.md"
        body = "\n\n".join(
            f"Paragraph {j}: the Ministers discussed steel overcapacity and export controls."
            for j in range(150 * (i + 1))
        )
        path.write_text(f"# Readout {i}\n\n{body}\n", "utf-8")
        files.append(path)
    window.workspace.import_paths(files)
    qtbot.waitUntil(lambda: hasattr(window.workspace, "import_summary"), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    window.workspace.import_summary.close()

    # export, PDF and Word, into a folder created on the way
    open_new_pack(qtbot, window)
    window.new_item_action.trigger()  # a draft: the export warns first
    wait_idle(qtbot, window)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    for fmt in ("pdf", "docx"):
        target = tmp_path / "out" / f"brief.{fmt}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target: (str(t), ""))
        action = window.export_pdf_action if fmt == "pdf" else window.export_docx_action
        with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
            pass_preflight(qtbot, window, action.trigger)
        assert target.is_file()
    window.workspace.exporter.done_box.close()

    # print preview: the dialog is shown (painting the pages), then closed
    shown: list[int] = []

    def preview(dialog: QPrintPreviewDialog) -> int:
        dialog.show()
        qtbot.wait(300)
        shown.append(dialog.printer().fromPage())
        dialog.close()
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    pass_preflight(qtbot, window, window.preview_action.trigger)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    qtbot.wait(100)  # late reports (a progress after its op) would arrive now

    out, err = capfd.readouterr()
    assert noise(err) == [], err
    assert noise(out) == [], out


def test_a_progress_report_whose_op_finishes_meanwhile_is_quiet(
    qtbot, demo_window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The `'NoneType' object has no attribute 'setLabelText'` of issue 17: a modal progress
    dialog's setValue() processes events, and the op's result delivered then closes it."""
    from ui.ops import Op
    from ui.qt import QProgressDialog

    wait_idle(qtbot, demo_window)
    op = Op(demo_window, demo_window.runner, lambda _lib, _progress: None)
    op._dialog = QProgressDialog("Importing…", "Cancel", 0, 0, demo_window)  # as run() makes it
    op._dialog.canceled.connect(op.cancel)
    monkeypatch.setattr(QProgressDialog, "setValue", lambda _self, _v: op._finish(None, None))
    op._show_progress(1, 10, "readout.md")  # raised AttributeError before
    assert op._dialog is None
    op._show_progress(2, 10, "late.md")  # after the dialog has gone: nothing to do
