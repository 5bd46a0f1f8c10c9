"""The one place the app imports Qt from (like Anki's `aqt.qt`): `from ui.qt import QWidget`."""

# ruff: noqa: F401, F403
from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import *
from PySide6.QtGui import *
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import *
