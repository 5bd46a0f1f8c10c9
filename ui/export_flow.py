"""Export, print and print preview of the open pack, each from a PDF rendered off-thread."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.markings import ExportWarning
from briefing.outline import PackOutline
from ui import settings as opt
from ui.ops import Op, TaskRunner
from ui.preflight_panel import Preflight
from ui.qt import (
    QDesktopServices,
    QDir,
    QFileDialog,
    QMessageBox,
    QObject,
    QTemporaryDir,
    QUrl,
    QWidget,
    Signal,
)
from ui.settings import Settings

if TYPE_CHECKING:
    from ui.qt import QPdfDocument

FILTERS = {"pdf": "PDF document (*.pdf)", "docx": "Word document (*.docx)"}


def default_file_name(outline: PackOutline, fmt: str) -> str:
    """Return the suggested file name: the pack title and meeting date, safe on any disk."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", outline.title)
    title = " ".join(title.split()).strip(". ") or "Briefing pack"
    when = f" {outline.date:%Y-%m-%d}" if outline.date else ""
    return f"{title[:120]}{when}.{fmt}"


def render_op(
    parent: QWidget,
    runner: TaskRunner,
    settings: Settings,
    pack_id: int,
    path: Path,
    fmt: str,
    key: str | None = None,
) -> Op[Path]:
    """An op writing pack `pack_id` to `path` as the export does, credited to the settings'
    author and organisation (export, print and the live preview all render through it)."""
    author, company = settings.get(opt.AUTHOR), settings.get(opt.ORGANISATION)
    return Op(
        parent,
        runner,
        lambda lib, progress: lib.export(
            pack_id, path, fmt, author=author, company=company, progress=progress
        ),
        key=key,
    )


class Exporter(QObject):
    """Runs the export and print journeys for the window."""

    exported = Signal(str)  # path written

    def __init__(self, window: QWidget, runner: TaskRunner, settings: Settings) -> None:
        super().__init__(window)
        self.window, self.runner, self.settings = window, runner, settings
        self.done_box: QMessageBox | None = None
        self._print_dir = QTemporaryDir()
        self._print_pdf: QPdfDocument | None = None  # made (and QtPdf loaded) at the first print
        self.preflight = Preflight(window, runner, self)  # the checks before export and print

    # -- export ----------------------------------------------------------------

    def export(self, outline: PackOutline, fmt: str) -> None:
        """Run the pre-flight (drafts, markings, …: ui/preflight_panel.py), ask where, then
        write the file."""
        self.preflight.run(
            outline.id, outline.title, "Export", lambda: self._confirmed(outline, fmt, [])
        )

    def _confirmed(self, outline: PackOutline, fmt: str, warnings: list[ExportWarning]) -> None:
        if warnings and not self.confirm(outline, warnings):
            return
        path = self.ask_path(outline, fmt)
        if path is not None:
            self.write(outline.id, path, fmt)

    def confirm(self, outline: PackOutline, warnings: list[ExportWarning]) -> bool:
        listed = "\n".join(f"• {w.describe()}" for w in warnings)
        answer = QMessageBox.warning(
            self.window,
            "Check before exporting",
            f"“{outline.title}” is marked {outline.marking or 'with no marking'}, but:\n\n"
            f"{listed}\n\nExport anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_path(self, outline: PackOutline, fmt: str) -> Path | None:
        folder = self.settings.get(opt.EXPORT_DIR) or QDir.homePath()
        name, _ = QFileDialog.getSaveFileName(
            self.window,
            f"Export {fmt.upper() if fmt == 'pdf' else 'Word'}",
            str(Path(folder) / default_file_name(outline, fmt)),
            FILTERS[fmt],
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        self.settings.set(opt.EXPORT_DIR, str(path.parent))
        return path

    def write(self, pack_id: int, path: Path, fmt: str) -> Op[Path]:
        """Start writing the file; return the running op."""
        return (
            self._render(pack_id, path, fmt, f"Exporting {path.name}…").success(self._written).run()
        )

    def _render(self, pack_id: int, path: Path, fmt: str, label: str) -> Op[Path]:
        return render_op(self.window, self.runner, self.settings, pack_id, path, fmt).with_progress(
            label
        )

    def _written(self, path: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Exported", f"Saved {path.name}", parent=self.window
        )
        box.setInformativeText(str(path.parent))
        open_file = box.addButton("Open file", QMessageBox.ButtonRole.AcceptRole)
        show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        self.done_box = box
        box.open()
        self.exported.emit(str(path))

    # -- print -----------------------------------------------------------------

    def print_pack(self, outline: PackOutline, preview: bool = False) -> None:
        """Run the export's pre-flight, render the pack's PDF, then print it or show Qt's
        print preview."""
        path = Path(self._print_dir.path()) / "print.pdf"
        self.preflight.run(
            outline.id, outline.title, "Print",
            lambda: self._render(outline.id, path, "pdf", "Preparing to print…")
            .success(lambda p: self._print(p, preview)).run(),
        )  # fmt: skip

    def _print(self, path: Path, preview: bool) -> None:
        from ui.printing import paint_pdf
        from ui.qt import QPdfDocument, QPrintDialog, QPrinter, QPrintPreviewDialog

        if self._print_pdf is None:
            self._print_pdf = QPdfDocument(self)
        pdf = self._print_pdf
        pdf.load(str(path))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(path.stem)
        if preview:
            dialog = QPrintPreviewDialog(printer, self.window)
            dialog.paintRequested.connect(lambda p: paint_pdf(p, pdf))
            dialog.exec()
        elif QPrintDialog(printer, self.window).exec() == QPrintDialog.DialogCode.Accepted:
            paint_pdf(printer, pdf)
