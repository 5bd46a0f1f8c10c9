"""The box that says where a journey wrote its files (export, share, named copies), with
buttons to open the file and to show its folder."""

from __future__ import annotations

from pathlib import Path

from ui.qt import QDesktopServices, QMessageBox, QUrl, QWidget


def saved_box(
    parent: QWidget, title: str, text: str, details: str, folder: Path, file: Path | None = None
) -> QMessageBox:
    """Open (not exec) and return an information box saying `text` and `details`, offering
    to open `file` (when given) and to show `folder`."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setInformativeText(details)
    if file is not None:
        open_file = box.addButton("Open file", QMessageBox.ButtonRole.AcceptRole)
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(file))))
    show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
    show.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
    box.addButton(QMessageBox.StandardButton.Close)
    box.open()
    return box
