"""The one place the app imports Qt from (like Anki's `aqt.qt`): `from ui.qt import QWidget`.

Names are looked up on first use (PEP 562) in QtWidgets, QtGui and QtCore, then in the Pdf
and print modules: PySide6 creates a class only when it is asked for, so the start-up pays
for the classes the shell uses, and QtPdf / QtPrintSupport load with the first preview or
print (`from PySide6.QtCore import *` would create every class, ~0.2 s).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6 import __version__ as PYSIDE_VERSION

if TYPE_CHECKING:
    # ruff: noqa: F403
    # Each module's stubs declare its own QIntList (and QtGui its own qFuzzyCompare and point
    # lists), so the later imports clash with the earlier ones on those names only.
    from PySide6.QtCore import *
    from PySide6.QtGui import *  # type: ignore[assignment]
    from PySide6.QtPdf import *  # type: ignore[assignment]
    from PySide6.QtPdfWidgets import *  # type: ignore[assignment]
    from PySide6.QtPrintSupport import *  # type: ignore[assignment]
    from PySide6.QtWidgets import *  # type: ignore[assignment]

__all__ = ["PYSIDE_VERSION"]
MODULES = ("QtWidgets", "QtGui", "QtCore", "QtPdf", "QtPdfWidgets", "QtPrintSupport")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"PySide6.{name}")


def __getattr__(name: str) -> object:
    if name.startswith("__"):  # asked for by import machinery and introspection, never Qt
        raise AttributeError(name)
    for module in MODULES:
        value = getattr(_module(module), name, None)
        if value is not None:
            globals()[name] = value
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
