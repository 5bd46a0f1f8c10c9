"""What the main window lends the workspace of the library it opens (so that the workspace
needs nothing from `ui.main_window`, and the two modules do not import each other)."""

from __future__ import annotations

from dataclasses import dataclass

from ui.ops import TaskRunner
from ui.qt import QAction, QMainWindow, QMenu, QSplitter, QStackedWidget, QUndoStack
from ui.settings import Settings


@dataclass(frozen=True)
class Shell:
    window: QMainWindow  # parent of the workspace's dialogs; its title names the open pack
    settings: Settings
    runner: TaskRunner
    undo_stack: QUndoStack
    stack: QStackedWidget  # holds the panes' splitter and the welcome page
    splitter: QSplitter
    recent_menu: QMenu
    pack_actions: tuple[QAction, ...]  # enabled while a pack is open
