"""The panel shown while the library is empty: import documents, or open the demo."""

from __future__ import annotations

from ui.qt import QLabel, QPushButton, Qt, QVBoxLayout, QWidget, Signal


class WelcomePanel(QWidget):
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>Welcome to Briefing</h1>")
        text = QLabel(
            "Your library is empty. Import the documents you brief from — joint statements,"
            " readouts, speeches, your own notes (Word, PDF, HTML, Markdown or text) — or"
            " open the demo library to try things out."
        )
        text.setWordWrap(True)
        self.import_button = QPushButton("Import documents…")
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = QPushButton("Open the demo library")
        self.demo_button.clicked.connect(self.demo_requested)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (title, text, self.import_button, self.demo_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        text.setFixedWidth(520)
        layout.addStretch()
