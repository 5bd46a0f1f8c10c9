"""The settings dialog: who prepares packs, house style, paper, default marking.

The marking scheme itself belongs to the library (`briefing markings`), not to the settings:
the default marking is picked from the library's markings.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui import settings as opt
from ui.marking_box import choose_marking, marking_box
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ui.settings import Settings

PAPER_LABELS = {"": "As the house style sets", "A4": "A4", "Letter": "US Letter"}


class SettingsDialog(QDialog):
    """Each field is loaded from and saved to one declared option."""

    def __init__(
        self,
        settings: Settings,
        templates: list[str],
        markings: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.author = QLineEdit()
        self.organisation = QLineEdit()
        self.template = QComboBox()
        self.template.addItems(templates)
        self.paper = QComboBox()
        for size in opt.PAPER_SIZES:
            self.paper.addItem(PAPER_LABELS[size], size)
        self.default_marking = marking_box(markings)
        form = QFormLayout()
        form.addRow(opt.AUTHOR.title, self.author)
        form.addRow(opt.ORGANISATION.title, self.organisation)
        form.addRow(opt.DEFAULT_TEMPLATE.title, self.template)
        form.addRow(opt.PAPER_SIZE.title, self.paper)
        form.addRow(opt.DEFAULT_MARKING.title, self.default_marking)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        s = self.settings
        self.author.setText(s.get(opt.AUTHOR))
        self.organisation.setText(s.get(opt.ORGANISATION))
        self.template.setCurrentText(s.get(opt.DEFAULT_TEMPLATE))
        self.paper.setCurrentIndex(max(0, self.paper.findData(s.get(opt.PAPER_SIZE))))
        choose_marking(self.default_marking, s.get(opt.DEFAULT_MARKING))

    def save(self) -> None:
        s = self.settings
        s.set(opt.AUTHOR, self.author.text().strip())
        s.set(opt.ORGANISATION, self.organisation.text().strip())
        s.set(opt.DEFAULT_TEMPLATE, self.template.currentText())
        s.set(opt.PAPER_SIZE, self.paper.currentData())
        s.set(opt.DEFAULT_MARKING, self.default_marking.currentText())

    def accept(self) -> None:
        self.save()
        super().accept()
