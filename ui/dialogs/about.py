"""The About box, with the versions a support request needs."""

from __future__ import annotations

import platform
import sqlite3

from briefing import __version__
from ui.qt import PYSIDE_VERSION, QMessageBox, QWidget, qVersion


def versions() -> dict[str, str]:
    return {
        "Briefing": __version__,
        "Qt": qVersion(),
        "PySide6": PYSIDE_VERSION,
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }


def show_about(parent: QWidget) -> QMessageBox:
    rows = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in versions().items())
    box = QMessageBox(parent)
    box.setWindowTitle("About Briefing")
    box.setText(
        "<b>Briefing</b><br>Meeting briefing packs (Word and PDF) from your library of sources."
        f"<table>{rows}</table>"
    )
    box.open()
    return box
