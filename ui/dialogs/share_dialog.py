"""File ▸ Share a copy…: a copy of the open pack at a lower level, and its redaction log.

`ShareDialog` asks for the level (from the library's scheme; by default the level below the
pack's marking), the file (.pdf or .docx) and who shares it (by default the author name set
in Settings). `Sharer` runs the pre-flight at that level, then `Library.share` in an op with
progress, and says where the copy and its log went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ui import settings as opt
from ui.export_flow import default_file_name
from ui.ops import Op, TaskRunner
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDir,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.saved_box import saved_box
from ui.settings import Settings

if TYPE_CHECKING:
    from briefing.jobs import Progress
    from briefing.library import Library
    from briefing.markings import Scheme
    from briefing.outline import PackOutline
    from briefing.share import Shared
    from ui.preflight_panel import Preflight

SHARE_FILTER = "PDF document (*.pdf);;Word document (*.docx)"
FORMATS = (".pdf", ".docx")


@dataclass(frozen=True)
class ShareChoice:
    level: str
    path: Path
    by: str


def offered_levels(marking: str, scheme: Scheme) -> tuple[list[str], str]:
    """The markings a copy may be shared at (those of levels at or below the pack's) and
    the default: the level below the pack's, or the pack's own when it is the lowest."""
    top = scheme.level_of(marking)
    if top is None:  # no marking, or one the scheme does not know: the default level
        top = 0
    offered = [m for m in scheme.markings() if (scheme.level_of(m) or 0) <= top]
    default = scheme.levels[top - 1] if top > 0 else (marking or scheme.default)
    if default not in offered:
        offered.insert(0, default)
    return offered, default


def share_file_name(outline: PackOutline, level: str, suffix: str = ".pdf") -> str:
    stem = Path(default_file_name(outline, "pdf")).stem
    return f"{stem} ({level} copy){suffix}"


class ShareDialog(QDialog):
    def __init__(
        self,
        outline: PackOutline,
        scheme: Scheme,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.outline, self.settings = outline, settings
        self.setWindowTitle("Share a copy")
        offered, default = offered_levels(outline.marking or "", scheme)
        self.level = QComboBox()
        self.level.addItems(offered)
        self.level.setCurrentText(default)
        self.level.setToolTip("The copy holds only what is marked at or below this level")
        self.folder = Path(settings.get(opt.EXPORT_DIR) or QDir.homePath())
        self._chosen = False  # the user picked the file: a new level leaves it alone
        self.file = QLineEdit(str(self.folder / share_file_name(outline, default)))
        self.file.textEdited.connect(lambda _t: setattr(self, "_chosen", True))
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        self.by = QLineEdit(settings.get(opt.AUTHOR))
        self.by.setPlaceholderText("Your name, for the redaction log")
        self.level.currentTextChanged.connect(self._level_changed)

        note = QLabel(
            f"“{outline.title}” is marked {outline.marking or 'with no marking'}. The copy "
            "leaves out everything marked above the level, and a redaction log (not for "
            "sharing) is written beside it.",
            wordWrap=True,
        )
        form = QFormLayout()
        form.addRow("&Level", self.level)
        form.addRow("&File", file_row)
        form.addRow("Shared &by", self.by)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Share")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def _level_changed(self, level: str) -> None:
        if not self._chosen:
            suffix = self.path().suffix or ".pdf"
            self.file.setText(str(self.path().parent / share_file_name(self.outline, level,
                                                                       suffix)))  # fmt: skip

    def choose_file(self) -> None:
        name, chosen_filter = QFileDialog.getSaveFileName(
            self, "Share a copy", self.file.text(), SHARE_FILTER
        )
        if name:
            path = Path(name)
            if path.suffix.lower() not in FORMATS:
                path = path.with_name(path.name + (".docx" if "docx" in chosen_filter else ".pdf"))
            self.file.setText(str(path))
            self._chosen = True

    def path(self) -> Path:
        path = Path(self.file.text().strip()).expanduser()
        if path.suffix.lower() not in FORMATS:
            path = path.with_name(path.name + ".pdf")
        return path

    def choice(self) -> ShareChoice:
        return ShareChoice(self.level.currentText(), self.path(), self.by.text().strip())

    def accept(self) -> None:
        if not self.file.text().strip():
            self.file.setFocus()
            return
        self.settings.set(opt.EXPORT_DIR, str(self.path().parent))
        super().accept()


class Sharer(QObject):
    """Runs the share journey: pre-flight at the level, the copy and its log, the report."""

    shared = Signal(object)  # briefing.share.Shared

    def __init__(
        self, window: QWidget, runner: TaskRunner, settings: Settings, preflight: Preflight
    ) -> None:
        super().__init__(window)
        self.window, self.runner, self.settings = window, runner, settings
        self.preflight = preflight
        self.done_box: QMessageBox | None = None

    def share(self, outline: PackOutline, choice: ShareChoice) -> None:
        self.preflight.run(
            outline.id, outline.title, "Share", lambda: self.write(outline.id, choice),
            level=choice.level,
        )  # fmt: skip

    def write(self, pack_id: int, choice: ShareChoice) -> Op[Shared]:
        author, company = self.settings.get(opt.AUTHOR), self.settings.get(opt.ORGANISATION)
        def share(lib: Library, progress: Progress) -> Shared:
            return lib.share(
                pack_id, choice.level, choice.path, by=choice.by, author=author,
                company=company, progress=progress,
            )  # fmt: skip

        return (
            Op(self.window, self.runner, share)
            .with_progress(f"Sharing {choice.path.name}…")
            .success(self._shared)
            .run()
        )

    def _shared(self, shared: Shared) -> None:
        count = len(shared.withheld)
        entries = f"{count} entr{'y' if count == 1 else 'ies'}"
        left = f"{entries} withheld" if count else "nothing withheld"
        self.done_box = saved_box(
            self.window,
            "Shared a copy",
            f"Saved {shared.path.name}, marked {shared.level} ({left}).",
            f"The copy: {shared.path}\nIts redaction log (not for sharing): {shared.log}",
            shared.path.parent,
            shared.path,
        )
        self.shared.emit(shared)
