"""Export, print and print preview of the open pack, each from a PDF rendered off-thread."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.outline import PackOutline
from ui import settings as opt
from ui.ops import Op, TaskRunner, error_message
from ui.preflight_panel import Preflight
from ui.qt import (
    QDir,
    QFileDialog,
    QMessageBox,
    QObject,
    QStandardPaths,
    QTemporaryDir,
    QWidget,
    Signal,
)
from ui.saved_box import saved_box
from ui.settings import Settings

if TYPE_CHECKING:
    from ui.qt import QPdfDocument, QPrinter

FILTERS = {"pdf": "PDF document (*.pdf)", "docx": "Word document (*.docx)"}


def default_file_name(outline: PackOutline, fmt: str) -> str:
    """Return the suggested file name: the pack title and meeting date, safe on any disk."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", outline.title)
    title = " ".join(title.split()).strip(". ") or "Briefing pack"
    when = f" {outline.date:%Y-%m-%d}" if outline.date else ""
    return f"{title[:120]}{when}.{fmt}"


def _nearest_existing(folder: Path) -> Path:
    """Return `folder` or its nearest ancestor that exists."""
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    return folder


def render_op(
    parent: QWidget,
    runner: TaskRunner,
    settings: Settings,
    pack_id: int,
    path: Path,
    fmt: str,
    key: str | None = None,
    changes_since: int | str | None = None,
    revision: int | None = None,
) -> Op[Path]:
    """An op writing pack `pack_id` to `path` as the export does, credited to the settings'
    author and organisation (export, print and the live preview all render through it);
    `changes_since` (a revision number, or "last-meeting") adds the changes annex; `revision`
    writes that issued revision instead of the working copy."""
    author, company = settings.get(opt.AUTHOR), settings.get(opt.ORGANISATION)
    return Op(
        parent,
        runner,
        lambda lib, progress: lib.export(
            pack_id,
            path,
            fmt,
            author=author,
            company=company,
            progress=progress,
            changes_since=changes_since,
            revision=revision,
        ),
        key=key,
    )


@dataclass(frozen=True)
class ExportJob:
    """What the user chose for one export: kept whole, so a retry repeats it exactly."""

    pack_id: int
    path: Path
    fmt: str
    changes_since: int | str | None = None
    revision: int | None = None  # an issued revision, exported exactly as issued


class Exporter(QObject):
    """Runs the export and print journeys for the window."""

    exported = Signal(str)  # path written
    failed = Signal(str)  # the message shown: "Export failed: …"
    printed = Signal(str)  # the PDF handed to the printer or written to the file printed to

    def __init__(self, window: QWidget, runner: TaskRunner, settings: Settings) -> None:
        super().__init__(window)
        self.window, self.runner, self.settings = window, runner, settings
        self.done_box: QMessageBox | None = None
        self.failed_box: QMessageBox | None = None  # the last failure's box
        self._print_dir = QTemporaryDir()
        self._print_pdf: QPdfDocument | None = None  # made (and QtPdf loaded) at the first print
        # the checks before export, print and share; overrides are recorded as by the author
        self.preflight = Preflight(window, runner, self, lambda: settings.get(opt.AUTHOR))

    # -- export ----------------------------------------------------------------

    def export(
        self, outline: PackOutline, fmt: str, changes_since: int | str | None = None
    ) -> None:
        """Run the pre-flight (drafts, markings, …: ui/preflight_panel.py), ask where, then
        write the file (with a changes annex, given `changes_since`)."""
        self.preflight.run(
            outline.id, outline.title, "Export",
            lambda: self._checked(outline, fmt, changes_since),
        )  # fmt: skip

    def _checked(self, outline: PackOutline, fmt: str, changes_since: int | str | None) -> None:
        path = self.ask_path(outline, fmt)
        if path is not None:
            self.write(outline.id, path, fmt, changes_since)

    def start_folder(self) -> Path:
        """Where the save dialog opens: the last export folder if it still exists, else the
        user's Documents folder (else home); never the working directory."""
        last = self.settings.get(opt.EXPORT_DIR)
        if last and Path(last).is_dir():
            return Path(last)
        where = QStandardPaths.StandardLocation.DocumentsLocation
        documents = QStandardPaths.writableLocation(where)
        if documents and Path(documents).is_dir():
            return Path(documents)
        return Path(QDir.homePath())

    def ask_path(
        self,
        outline: PackOutline | None,
        fmt: str,
        suggested: Path | None = None,
        either: bool = False,
    ) -> Path | None:
        """Ask where to write (as `fmt`; with `either`, PDF or Word as the name or the chosen
        filter says); a folder that does not exist is offered to be created (the dialog comes
        back if the user declines or it cannot be made). None: cancelled."""
        if suggested is None:
            assert outline is not None
            suggested = self.start_folder() / default_file_name(outline, fmt)
        title = "PDF or Word" if either else fmt.upper() if fmt == "pdf" else "Word"
        while True:
            name, chosen = QFileDialog.getSaveFileName(
                self.window,
                f"Export {title}",
                str(suggested),
                ";;".join(FILTERS.values()) if either else FILTERS[fmt],
            )
            if not name:
                return None
            path = Path(name).expanduser()
            wanted = {f".{f}" for f in FILTERS} if either else {f".{fmt}"}
            if path.suffix.lower() not in wanted:
                kind = "docx" if either and chosen == FILTERS["docx"] else fmt
                path = path.with_name(f"{path.name}.{kind}")
            if path.parent.is_dir() or self._create_folder(path.parent):
                self.settings.set(opt.EXPORT_DIR, str(path.parent))
                return path
            suggested = _nearest_existing(path.parent) / path.name

    def _create_folder(self, folder: Path) -> bool:
        """Offer to create `folder`; True once it exists."""
        answer = QMessageBox.question(
            self.window,
            "Folder not found",
            f"The folder “{folder}” does not exist.\n\nCreate it and export there?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            QMessageBox.warning(
                self.window,
                "Folder not created",
                f"Could not create the folder “{folder}”: {exc.strerror or exc}.\n\n"
                "Choose another place.",
            )
            return False
        return True

    def write(
        self, pack_id: int, path: Path, fmt: str, changes_since: int | str | None = None
    ) -> Op[Path]:
        """Start writing the file; return the running op. A failure offers to try again with
        the same choices (the draft warning is not asked again) or to choose another place."""
        return self._write(ExportJob(pack_id, path, fmt, changes_since))

    def export_revision(self, outline: PackOutline, number: int) -> None:
        """Export issued revision `number` exactly as issued, as PDF or Word (the user's
        choice in the save dialog). No pre-flight: it was issued as it is."""
        stem = Path(default_file_name(outline, "pdf")).stem
        suggested = self.start_folder() / f"{stem} (revision {number}).pdf"
        path = self.ask_path(outline, "pdf", suggested, either=True)
        if path is not None:
            self._write(ExportJob(outline.id, path, path.suffix[1:].lower(), revision=number))

    def _write(self, job: ExportJob) -> Op[Path]:
        return (
            self._render(
                job.pack_id, job.path, job.fmt, f"Exporting {job.path.name}…", job.changes_since,
                job.revision,
            )
            .success(self._written)
            .failure(lambda error: self._failed(job, error))
            .run()
        )

    def _failed(self, job: ExportJob, error: BaseException) -> None:
        path = job.path
        message = f"Export failed: {error_message(error)}"
        box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, parent=self.window)
        box.setInformativeText(f"{path.name} was not written to {path.parent}.")
        again = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
        elsewhere = box.addButton("Choose another place…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(again)
        again.clicked.connect(lambda: self._retry(job))
        elsewhere.clicked.connect(lambda: self._write_elsewhere(job))
        self.failed_box = box
        box.open()
        self.failed.emit(message)

    def _retry(self, job: ExportJob) -> None:
        # the folder may have gone since it was chosen: offer to create it again
        if job.path.parent.is_dir() or self._create_folder(job.path.parent):
            self._write(job)
        else:
            self._write_elsewhere(job)

    def _write_elsewhere(self, job: ExportJob) -> None:
        start = job.path.parent if job.path.parent.is_dir() else self.start_folder()
        chosen = self.ask_path(None, job.fmt, suggested=start / job.path.name)
        if chosen is not None:
            self._write(replace(job, path=chosen))

    def _render(
        self,
        pack_id: int,
        path: Path,
        fmt: str,
        label: str,
        changes_since: int | str | None = None,
        revision: int | None = None,
    ) -> Op[Path]:
        return render_op(
            self.window,
            self.runner,
            self.settings,
            pack_id,
            path,
            fmt,
            changes_since=changes_since,
            revision=revision,
        ).with_progress(label)

    def _written(self, path: Path) -> None:
        self.done_box = saved_box(
            self.window, "Exported", f"Saved {path.name}", str(path.parent), path.parent, path
        )
        self.exported.emit(str(path))

    # -- print -----------------------------------------------------------------

    def print_pack(self, outline: PackOutline, preview: bool = False) -> None:
        """Run the export's pre-flight, render the pack's PDF, then print it or show Qt's
        print preview. The job is named as the export's file would be (title and date)."""
        path = Path(self._print_dir.path()) / default_file_name(outline, "pdf")
        self.preflight.run(
            outline.id, outline.title, "Print",
            lambda: self._render(outline.id, path, "pdf", "Preparing to print…")
            .success(lambda p: self._print(p, preview)).run(),
        )  # fmt: skip

    def _print(self, path: Path, preview: bool) -> None:
        from ui.qt import QPrintDialog, QPrinter, QPrintPreviewDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(path.stem)
        if preview:
            dialog = QPrintPreviewDialog(printer, self.window)
            dialog.paintRequested.connect(lambda p: self._paint(p, path))
            dialog.exec()
        elif QPrintDialog(printer, self.window).exec() == QPrintDialog.DialogCode.Accepted:
            self._paint(printer, path)

    def _paint(self, printer: QPrinter, path: Path) -> None:
        """Print `path` on `printer`: the PDF itself where it can go (a file, CUPS: in an op,
        with progress), else page images; page images for the preview."""
        from ui.printing import (
            MAX_PRINT_DPI,
            PREVIEW_DPI,
            PrintJob,
            is_preview,
            paint_pdf,
            send,
            sends_vectors,
        )

        if is_preview(printer) or not sends_vectors(printer):
            dpi = PREVIEW_DPI if is_preview(printer) else min(printer.resolution(), MAX_PRINT_DPI)
            paint_pdf(printer, self._loaded(path), dpi)
            return
        job = PrintJob.of(printer)
        op = Op.standalone(self.window, self.runner, lambda progress: send(job, path, progress))
        op.with_progress("Printing…").success(lambda _: self.printed.emit(str(path))).run()

    def _loaded(self, path: Path) -> QPdfDocument:
        """Return the print PDF opened in QtPdf (for drawing its pages as images)."""
        from ui.qt import QPdfDocument

        if self._print_pdf is None:
            self._print_pdf = QPdfDocument(self)
        self._print_pdf.load(str(path))
        return self._print_pdf
