"""The live preview: the pack's real PDF, re-rendered in the background shortly after edits.

The PDF viewer (QtPdf) is loaded when the preview is first shown, not at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefing.changes import Changes
from ui.export_flow import render_op
from ui.ops import TaskRunner
from ui.qt import QLabel, QShowEvent, Qt, QTemporaryDir, QTimer, QVBoxLayout, QWidget
from ui.settings import Settings

if TYPE_CHECKING:
    from ui.qt import QPdfDocument, QPdfView

REFRESH_DELAY_MS = 700


class PreviewPane(QWidget):
    """Shows the open pack as the PDF export would write it."""

    def __init__(
        self, runner: TaskRunner, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.settings = runner, settings
        self.pack_id: int | None = None
        self.pdf: QPdfDocument | None = None  # with the view, made when first shown
        self.view: QPdfView | None = None
        self.status = QLabel("No pack open")
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.status)
        self._dir = QTemporaryDir()
        self._count = 0
        self._stale = False
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        runner.changed.connect(self._library_changed)

    def _library_changed(self, changes: Changes) -> None:
        if changes.touches_pack(self.pack_id):
            self.schedule()

    def show_pack(self, pack_id: int | None) -> None:
        self.pack_id = pack_id
        if pack_id is None:
            if self.pdf is not None:
                self.pdf.close()
            self.status.setText("No pack open")
        self.schedule()

    def schedule(self) -> None:
        """Re-render shortly (edits in quick succession render once)."""
        self._stale = True
        if self.pack_id is not None:
            self._timer.start()

    def refresh(self) -> None:
        """Render now, if the preview is on screen (else when it is shown)."""
        if self.pack_id is None or not self.isVisible():
            return
        self._stale = False
        self._count += 1
        path = Path(self._dir.path()) / f"preview-{self._count}.pdf"
        self.status.setText("Updating preview…")
        render_op(
            self, self.runner, self.settings, self.pack_id, path, "pdf", key="preview"
        ).success(self._loaded).failure(self._failed).run()

    def _viewer(self) -> tuple[QPdfDocument, QPdfView]:
        """The PDF document and its view, made (and QtPdf loaded) on first use."""
        if self.pdf is None or self.view is None:
            from ui.qt import QPdfDocument, QPdfView

            self.pdf = QPdfDocument(self)
            self.view = QPdfView(self)
            self.view.setDocument(self.pdf)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self._layout.addWidget(self.view, 1)
        return self.pdf, self.view

    def _loaded(self, path: Path) -> None:
        pdf, view = self._viewer()
        old = pdf.status() == pdf.Status.Ready
        page = view.pageNavigator().currentPage() if old else 0
        pdf.load(str(path))
        view.pageNavigator().jump(
            min(page, max(0, pdf.pageCount() - 1)), view.pageNavigator().currentLocation()
        )
        self.status.setText(f"{pdf.pageCount()} pages · as exported")
        for stale in Path(self._dir.path()).glob("preview-*.pdf"):
            if stale != path:
                stale.unlink(missing_ok=True)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Preview failed: {error}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._viewer()
        if self._stale:
            self.refresh()
