"""Printing a rendered pack as vector pages: the same PDF the export writes goes to paper.

* Print to a file (the print dialog's PDF printer): the PDF itself is written there, its
  chosen pages only, so the file is the export's size and keeps its text and fonts.
* A printer, where CUPS is (Linux, macOS: `lp` on the path): the PDF is handed to CUPS with
  the dialog's choices (printer, copies, collation, pages, sides, colour), and CUPS renders its
  vectors at the printer's own resolution.
* Elsewhere (Windows has no `lp`) each page is drawn as an image at the printer's resolution,
  up to `MAX_PRINT_DPI`: the one case that still sends bitmaps.
* Print preview draws page images at `PREVIEW_DPI`: a screen needs no more.

`send` runs on a worker thread (see `ui.export_flow`); it reads a `PrintJob`, plain data taken
from the printer on the GUI thread.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError
from briefing.jobs import Progress
from ui.qt import QPaintEngine, QPainter, QPdfDocument, QPrinter, QRectF, QSize

MAX_PRINT_DPI = 300  # enough for text; keeps page images small
PREVIEW_DPI = 150
SIDES = {
    QPrinter.DuplexMode.DuplexNone: "one-sided",
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
}  # DuplexAuto: the printer's default

Pages = tuple[tuple[int, int], ...]  # ranges of page numbers from 1, ends included


class PrintError(BriefingError):
    """The printer or the file printed to refused the pages."""


@dataclass(frozen=True)
class PrintJob:
    """What the print dialog chose, as plain data."""

    printer: str  # the printer's name ("": the default printer)
    file: str  # where "print to file" writes ("": a printer)
    pages: Pages = ()
    copies: int = 1
    collate: bool = True
    sides: str = ""  # CUPS "sides" ("": the printer's default)
    grey: bool = False
    title: str = "Briefing"

    @classmethod
    def of(cls, printer: QPrinter) -> PrintJob:
        """Return the choices made in the print dialog for `printer`."""
        pages: Pages = ()
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            pages = tuple((r.from_, r.to) for r in printer.pageRanges().toRangeList())
        is_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
        return cls(
            printer=printer.printerName(),
            file=printer.outputFileName() if is_file else "",
            pages=pages,
            copies=max(printer.copyCount(), 1),
            collate=printer.collateCopies(),
            sides=SIDES.get(printer.duplex(), ""),
            grey=printer.colorMode() == QPrinter.ColorMode.GrayScale,
            title=printer.docName() or "Briefing",
        )


def sends_vectors(printer: QPrinter) -> bool:
    """Return whether `printer` gets the PDF itself: a file, or a printer behind CUPS."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return bool(printer.outputFileName())
    return shutil.which("lp") is not None


def is_preview(printer: QPrinter) -> bool:
    """Return whether `printer` is being painted for print preview (not for paper)."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def send(job: PrintJob, pdf: Path, progress: Progress) -> None:
    """Write `pdf` to the job's file, or hand it to CUPS; `progress` may raise `Cancelled`."""
    progress(0, 1, "Printing…")
    if job.file:
        write_pages(pdf, Path(job.file), job.pages, progress)
        return
    try:
        subprocess.run(lp_command(job, pdf), check=True, capture_output=True, text=True, timeout=60)
    except subprocess.CalledProcessError as error:
        reason = (error.stderr or "").strip().splitlines()[-1:] or [f"status {error.returncode}"]
        raise PrintError(f"The printer refused the pack: {reason[0]}") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrintError(f"Could not reach the print system: {error}") from None


def lp_command(job: PrintJob, pdf: Path) -> list[str]:
    """Return the CUPS `lp` command printing `pdf` as `job` says."""
    lp = shutil.which("lp") or "lp"
    command = [lp, "-t", job.title, "-n", str(job.copies)]
    if job.printer:
        command += ["-d", job.printer]
    if job.pages:
        command += ["-P", ",".join(f"{a}-{b}" if a != b else str(a) for a, b in job.pages)]
    options = [f"collate={'true' if job.collate else 'false'}"]
    options += [f"sides={job.sides}"] if job.sides else []
    options += ["print-color-mode=monochrome"] if job.grey else []
    for option in options:
        command += ["-o", option]
    return [*command, "--", str(pdf)]


def write_pages(pdf: Path, target: Path, pages: Pages, progress: Progress) -> None:
    """Write `pdf` to `target`: a copy, or only `pages` (out-of-range numbers are ignored)."""
    try:
        if not pages:
            shutil.copyfile(pdf, target)
            return
        from pypdf import PdfReader, PdfWriter

        reader, writer = PdfReader(pdf), PdfWriter()
        chosen = [n for a, b in pages for n in range(a, b + 1) if 1 <= n <= len(reader.pages)]
        for done, number in enumerate(chosen):
            progress(done, len(chosen), "Printing…")
            writer.add_page(reader.pages[number - 1])
        with target.open("wb") as out:
            writer.write(out)
    except OSError as error:
        raise PrintError(f"Could not print to {target}: {error.strerror or error}") from None


def paint_pdf(printer: QPrinter, pdf: QPdfDocument, dpi: int) -> None:
    """Draw every page of `pdf` on `printer` as an image at `dpi`, fitted to the printable area
    (print preview, and printers without CUPS)."""
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        area = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        area.moveTo(0, 0)
        for page in range(pdf.pageCount()):
            if page:
                printer.newPage()
            points = pdf.pagePointSize(page)
            image = pdf.render(
                page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
    finally:
        painter.end()
