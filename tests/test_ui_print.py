"""Printing from the app sends vector pages: the exported PDF itself, not page images."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pdf_text import pdf_text
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, pass_preflight, wait_idle

from ui import printing
from ui.main_window import MainWindow
from ui.printing import PrintError, PrintJob, lp_command, send
from ui.qt import (
    QFileDialog,
    QPageRanges,
    QPrintDialog,
    QPrinter,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)

pytestmark = pytest.mark.gui


def export_pdf(
    qtbot: QtBot, window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))
    with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
        pass_preflight(qtbot, window, window.export_pdf_action.trigger)
    return path


def print_to_file(
    qtbot: QtBot,
    window: MainWindow,
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pages: tuple[int, int] | None = None,
) -> Path:
    """Print through File ▸ Print…, choosing the dialog's PDF printer (and `pages`)."""

    def choose(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        # the job is named after the pack, as its exported file would be
        assert printer.docName().startswith("Brief for the Trade Minister")
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        if pages:
            ranges = QPageRanges()
            ranges.addRange(*pages)
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setPageRanges(ranges)
        return QPrintDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", choose)
    with qtbot.waitSignal(window.workspace.exporter.printed, timeout=WAIT_MS):
        pass_preflight(qtbot, window, window.print_action.trigger)
    return path


def test_printing_to_a_pdf_gives_the_exported_pages_with_their_text(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window, title="Brief for the Trade Minister")
    exported = export_pdf(qtbot, window, tmp_path / "export.pdf", monkeypatch)
    printed = print_to_file(qtbot, window, tmp_path / "printed.pdf", monkeypatch)

    # bitmaps made an 18-page pack 17 MB against 183 KB exported
    assert printed.stat().st_size <= 3 * exported.stat().st_size
    assert len(PdfReader(printed).pages) == len(PdfReader(exported).pages) > 3
    text = pdf_text(printed)
    assert "Brief for the Trade Minister" in text and "Page 2 of" in text
    assert text == pdf_text(exported)


def test_printing_chosen_pages_prints_those_pages(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)
    printed = print_to_file(qtbot, window, tmp_path / "p.pdf", monkeypatch, pages=(2, 3))
    reader = PdfReader(printed)
    assert len(reader.pages) == 2
    assert "Page 2 of" in reader.pages[0].extract_text()
    assert "Page 3 of" in reader.pages[1].extract_text()


def test_print_preview_shows_every_page_and_prints_nothing(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)
    exported = export_pdf(qtbot, window, tmp_path / "export.pdf", monkeypatch)
    shown: list[int] = []

    def look(dialog: QPrintPreviewDialog) -> int:
        dialog.show()
        preview = dialog.findChild(QPrintPreviewWidget)
        qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=WAIT_MS)
        shown.append(preview.pageCount())
        dialog.close()
        return QPrintPreviewDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintPreviewDialog, "exec", look)
    printed: list[str] = []
    window.workspace.exporter.printed.connect(printed.append)
    pass_preflight(qtbot, window, window.preview_action.trigger)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert shown == [len(PdfReader(exported).pages)]
    assert not printed


def test_a_printer_gets_the_pdf_through_cups_with_the_dialogs_choices(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(printing.shutil, "which", lambda name: f"/usr/bin/{name}")
    job = PrintJob(
        printer="Office",
        file="",
        pages=((1, 2), (5, 5)),
        copies=2,
        collate=False,
        sides="two-sided-long-edge",
        grey=True,
        title="print",
    )
    pdf = tmp_path / "print.pdf"
    assert lp_command(job, pdf) == [
        "/usr/bin/lp", "-t", "print", "-n", "2", "-d", "Office", "-P", "1-2,5",
        "-o", "collate=false", "-o", "sides=two-sided-long-edge",
        "-o", "print-color-mode=monochrome", "--", str(pdf),
    ]  # fmt: skip

    def refuse(command: list[str], **kw: object) -> None:
        raise subprocess.CalledProcessError(1, command, "", "lp: The printer does not exist.\n")

    monkeypatch.setattr(printing.subprocess, "run", refuse)
    with pytest.raises(PrintError, match=r"^The printer refused the pack: lp: The printer does"):
        send(job, pdf, lambda *a: None)


def test_the_print_job_reads_the_dialogs_choices(qtbot: QtBot) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName("/tmp/x.pdf")
    printer.setCopyCount(3)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    printer.setDocName("brief")
    job = PrintJob.of(printer)
    assert (job.file, job.copies, job.grey, job.title, job.pages) == (
        "/tmp/x.pdf", 3, True, "brief", (),
    )  # fmt: skip
