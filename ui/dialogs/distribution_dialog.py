"""File ▸ Copies for named people…: the pack's distribution list, the named copies to make
(each stamped "Copy k of N — Name"), and the pack's release log.

`DistributionDialog` edits the list (one name per line) and asks for the level (the pack's
own marking, or a lower one: as `share`), the format and the folder. Its Log tab lists the
named copies made of the pack and the times it went out past what the pre-flight blocks.
`Distributor` runs the pre-flight at the level, then `Library.distribute` in an op with
progress, and says where the copies went.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ui import settings as opt
from ui.dialogs.share_dialog import offered_levels
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
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.saved_box import saved_box
from ui.settings import Settings

if TYPE_CHECKING:
    from briefing.distribute import Copy, Distributed
    from briefing.jobs import Progress
    from briefing.library import Library
    from briefing.markings import Scheme
    from briefing.outline import PackOutline
    from briefing.preflight import OverrideRecord
    from ui.preflight_panel import Preflight

FORMATS = {"PDF": "pdf", "Word": "docx"}


@dataclass(frozen=True)
class Release:
    """What the dialog shows of a pack: its list, and its log of copies and overrides."""

    scheme: Scheme
    names: list[str]
    copies: list[Distributed]
    overrides: list[OverrideRecord]


@dataclass(frozen=True)
class CopiesChoice:
    names: tuple[str, ...]
    level: str
    fmt: str
    folder: Path
    by: str


def release_of(library: Library, pack_id: int) -> Release:
    return Release(
        library.marking_scheme(),
        library.distribution_list(pack_id),
        library.distribution(pack_id),
        library.overrides(pack_id),
    )


class DistributionDialog(QDialog):
    save_list = Signal(list)  # the recipients, to keep as the pack's list without copies

    def __init__(
        self,
        outline: PackOutline,
        release: Release,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(f"Copies for named people — {outline.title}")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._copies_tab(outline, release), "&Copies")
        self.tabs.addTab(
            self._log_tab(release), f"&Log ({len(release.copies) + len(release.overrides)})"
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close
        )
        self.make = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.make.setText("Make copies")
        self.keep = self.buttons.addButton("Save list", QDialogButtonBox.ButtonRole.ActionRole)
        self.keep.setToolTip("Keep these names as the pack's distribution list, making no copies")
        self.keep.clicked.connect(lambda: self.save_list.emit(self.recipients()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.names.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(640, 420)

    def _copies_tab(self, outline: PackOutline, release: Release) -> QWidget:
        self.names = QPlainTextEdit("\n".join(release.names))
        self.names.setPlaceholderText("One name per line, in the order of the copies")
        offered, _default = offered_levels(outline.marking or "", release.scheme)
        own = outline.marking or release.scheme.default
        self.level = QComboBox()
        self.level.addItems([own, *(m for m in offered if m != own)])
        self.level.setToolTip("Each copy holds only what is marked at or below this level")
        self.format = QComboBox()
        self.format.addItems(list(FORMATS))
        self.folder = QLineEdit(self.settings.get(opt.EXPORT_DIR) or QDir.homePath())
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.by = QLineEdit(self.settings.get(opt.AUTHOR))
        self.by.setPlaceholderText("Your name, for the distribution log")
        self.problem = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow("&Recipients", self.names)
        form.addRow("L&evel", self.level)
        form.addRow("&Format", self.format)
        form.addRow("Folder", folder_row)
        form.addRow("Sent &by", self.by)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel(
            "Each copy is stamped “Copy k of N — Name” in its footer and properties, and "
            "logged. The list is kept with the pack (Save list keeps it without copies).",
            wordWrap=True,
        ))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.problem)
        return tab

    def _log_tab(self, release: Release) -> QWidget:
        self.log = QTreeWidget()
        self.log.setHeaderLabels(["When", "Level", "By", "What"])
        self.log.setRootIsDecorated(True)
        rows: list[tuple[str, QTreeWidgetItem]] = []
        for copy in release.copies:
            what = f"Copy {copy.copy} of {copy.copies} — {copy.recipient} ({copy.format})"
            if copy.revision is not None:
                what += f", revision {copy.revision}"
            when = copy.at.astimezone()
            rows.append((when.isoformat(), QTreeWidgetItem(
                [f"{when:%Y-%m-%d %H:%M}", copy.level or "its own", copy.by, what]
            )))  # fmt: skip
        for record in release.overrides:
            when = record.at.astimezone()
            row = QTreeWidgetItem([f"{when:%Y-%m-%d %H:%M}", record.level, record.by,
                                   f"{record.action.capitalize()} past what blocks"])  # fmt: skip
            for line in record.findings:
                finding = QTreeWidgetItem(["", "", "", line])
                finding.setToolTip(3, line)
                row.addChild(finding)
            rows.append((when.isoformat(), row))
        self.log.addTopLevelItems([row for _when, row in sorted(rows, key=lambda r: r[0])])
        for column in (0, 1, 2):
            self.log.resizeColumnToContents(column)
        empty = QLabel("No copies made and no overrides recorded yet.")
        empty.setVisible(not rows)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(empty)
        layout.addWidget(self.log)
        return tab

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the copies", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def recipients(self) -> list[str]:
        return [line.strip() for line in self.names.toPlainText().splitlines() if line.strip()]

    def _update(self) -> None:
        named = bool(self.recipients())
        self.problem.setText("" if named else "Name at least one recipient.")
        self.make.setEnabled(named)

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)

    def choice(self) -> CopiesChoice:
        return CopiesChoice(
            tuple(self.recipients()),
            self.level.currentText(),
            FORMATS[self.format.currentText()],
            Path(self.folder.text().strip()).expanduser(),
            self.by.text().strip(),
        )

    def accept(self) -> None:
        if not self.make.isEnabled():
            return  # Return pressed with no one named
        folder = self.choice().folder
        if not folder.is_dir():
            self.problem.setText(f"The folder “{folder}” does not exist: choose one that does.")
            self.folder.setFocus()
            return
        self.settings.set(opt.EXPORT_DIR, str(folder))
        super().accept()


class Distributor(QObject):
    """Makes the named copies: the pre-flight at the copies' level, then the copies."""

    made = Signal(list)  # the Copy list written

    def __init__(
        self, window: QWidget, runner: TaskRunner, settings: Settings, preflight: Preflight
    ) -> None:
        super().__init__(window)
        self.window, self.runner, self.settings = window, runner, settings
        self.preflight = preflight
        self.done_box: QMessageBox | None = None

    def distribute(self, outline: PackOutline, choice: CopiesChoice) -> None:
        level = None if choice.level == outline.marking else choice.level
        self.preflight.run(
            outline.id, outline.title, "Copy",
            lambda: self.write(outline.id, choice, level), level=level,
        )  # fmt: skip

    def write(self, pack_id: int, choice: CopiesChoice, level: str | None) -> Op[list[Copy]]:
        author, company = self.settings.get(opt.AUTHOR), self.settings.get(opt.ORGANISATION)

        def make(lib: Library, _progress: Progress) -> list[Copy]:
            return lib.distribute(
                pack_id, choice.folder, choice.names, choice.fmt, level=level, by=choice.by,
                author=author, company=company,
            )  # fmt: skip

        return (
            Op(self.window, self.runner, make)
            .with_progress(f"Making {len(choice.names)} named copies…")
            .success(lambda copies: self._made(copies, choice.folder))
            .run()
        )

    def _made(self, copies: list[Copy], folder: Path) -> None:
        self.done_box = saved_box(
            self.window,
            "Copies made",
            f"Saved {len(copies)} named cop{'y' if len(copies) == 1 else 'ies'} in {folder}.",
            "\n".join(f"{c.path.name} ({c.note})" for c in copies),
            folder,
        )
        self.made.emit(copies)
