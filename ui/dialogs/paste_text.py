"""Paste text (an e-mail, a web page) to import it as a new source."""

from __future__ import annotations

from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGuiApplication,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class PasteTextDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste text as a new source")
        self.origin = QLineEdit(
            placeholderText="Where it came from, e.g. a URL or “e-mail from Tokyo”"
        )
        self.text = QPlainTextEdit(
            placeholderText="Paste the text here. The first line becomes the title."
        )
        self.text.setPlainText(QGuiApplication.clipboard().text())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Origin", self.origin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)
