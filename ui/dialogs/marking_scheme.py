"""Edit ▸ Marking scheme…: the library's protective-marking levels (lowest first; the lowest is
what unmarked content takes) and the caveats allowed after a level, one per line.

The dialog only asks; the workspace saves through `Library.set_marking_scheme` off the GUI
thread and either closes the dialog (`saved`) or shows why not (`show_problem`: e.g. a level
still carried by a pack), leaving the user's text as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.markings import normalise
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:
    from briefing.markings import Scheme


def lines(edit: QPlainTextEdit) -> list[str]:
    """The non-blank lines of `edit`, trimmed."""
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class MarkingSchemeDialog(QDialog):
    # levels (lowest first), caveats to add, caveats to remove
    save_requested = Signal(list, list, list)

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.setWindowTitle("Marking scheme")
        self.levels = QPlainTextEdit("\n".join(scheme.levels))
        self.levels.setPlaceholderText("One level per line, lowest first")
        self.caveats = QPlainTextEdit("\n".join(scheme.caveats))
        self.caveats.setPlaceholderText("One caveat per line, e.g. UK EYES ONLY")
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #a00")
        form = QFormLayout()
        form.addRow("&Levels", self.levels)
        form.addRow("&Caveats", self.caveats)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.request_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Levels run lowest first: content with no marking of its own takes the lowest. "
            "A caveat may follow any level (“SECRET UK EYES ONLY”). A level or caveat a pack "
            "or item still carries cannot be removed.", wordWrap=True,
        ))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(480, 420)

    def request_save(self) -> None:
        levels = lines(self.levels)
        if not levels:
            self.show_problem("Name at least one level.")
            return
        caveats = lines(self.caveats)
        wanted = {normalise(c) for c in caveats}
        removed = [c for c in self.scheme.caveats if c not in wanted]
        self.problem.clear()
        self.buttons.setEnabled(False)
        self.save_requested.emit(levels, caveats, removed)

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.buttons.setEnabled(True)

    def saved(self) -> None:
        self.accept()
