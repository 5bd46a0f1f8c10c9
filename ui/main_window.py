"""The main window: library | pack outline | editor and preview, with menus and shortcuts.

The window is built from Qt alone and shown at once: menus, toolbar, and three panes that
say "Opening library…", with the actions that need a library disabled. `open_library`
first lists the library in the library pane from a quick `sqlite3` read (`first_look`),
then imports the core and opens the library on the worker thread; when it arrives, a
`Workspace` (ui/workspace.py) takes that pane over and the other panes' places, and fills
them. A library that cannot be opened is reported in a dialog, and the window offers to open
or create another.

What the shell imports and touches is what the start-up pays for before the window shows.
It leaves out the `Qt` namespace: PySide6 builds its hundreds of enums on first use
(~40 ms, a quarter of a bare window's start); the workspace uses it freely.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ui import settings as opt
from ui.ops import Op, TaskRunner, error_message
from ui.qt import (
    QAction,
    QDir,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QRect,
    QSplitter,
    QStackedWidget,
    Qt,
    QToolButton,
    QUndoStack,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from briefing.library import Library
    from ui.library_pane import LibraryPane
    from ui.qt import QCloseEvent, QDragEnterEvent, QDropEvent
    from ui.workspace import Workspace

LIBRARY_FILTER = "Briefing libraries (*.sqlite *.db);;All files (*)"


def load_library(target: str | None) -> Library:
    """Import the core and the workspace, then open the library (run on the worker thread)."""
    import ui.workspace  # noqa: F401  (the core and the panes: most of the start-up's imports)
    from briefing.library import Library

    return Library(target)


def available_screen(widget: QWidget) -> QRect:
    """The part of the widget's screen a window may use (not the task bar, say)."""
    return widget.screen().availableGeometry()


def fitted(rect: QRect, area: QRect, *, centre: bool = False) -> QRect:
    """Return `rect` shrunk to fit `area` and moved inside it (or centred in it)."""
    inner = area.adjusted(4, 32, -4, -4)  # room for the frame and title bar around it
    size = rect.size().boundedTo(inner.size())
    out = QRect(rect.topLeft(), size)
    if centre:
        out.moveCenter(inner.center())
    out.moveLeft(min(max(out.left(), inner.left()), inner.right() - size.width() + 1))
    out.moveTop(min(max(out.top(), inner.top()), inner.bottom() - size.height() + 1))
    return out


def remembered_library(settings: Settings) -> str | None:
    """The library to open when none is named: $BRIEFING_DB's, else the one used last (if
    it is still there), else None (the store's default)."""
    last = settings.get(opt.LAST_LIBRARY)
    if os.environ.get("BRIEFING_DB") or not last:
        return None
    return last if "://" in last or Path(last).is_file() else None


class Placeholder(QWidget):
    """Stands in for a pane until a library is open; the buttons show when opening failed."""

    def __init__(self, actions: Sequence[QAction] = ()) -> None:
        super().__init__()
        self.message = QLabel(wordWrap=True)
        self.buttons: list[QToolButton] = []
        self.show_message("Opening library…", offer=False)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.message)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.hide()
            row = QHBoxLayout()
            row.addStretch()
            row.addWidget(button)
            row.addStretch()
            layout.addLayout(row)
            self.buttons.append(button)
        layout.addStretch()

    def show_message(self, text: str, offer: bool) -> None:
        self.message.setText(text)
        for button in self.buttons:
            button.setVisible(offer)


class MainWindow(QMainWindow):
    library_opened = Signal(object)  # Library: open, and its panes are loading
    library_failed = Signal(str)  # the message shown
    library_listed = Signal()  # the library pane first lists the library (first look or open)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self._workspace: Workspace | None = None
        self._first_pane: LibraryPane | None = None  # filled by the first look, until open
        self._listed = False
        self.error_box: QMessageBox | None = None
        self.setWindowTitle("Briefing")
        self.setAcceptDrops(True)
        self.runner = TaskRunner(parent=self)
        self.undo_stack = QUndoStack(self)
        self._build_actions()

        self.placeholders = [
            Placeholder([self.open_library_action, self.new_library_action]),
            Placeholder(),
            Placeholder(),
        ]
        self.splitter = QSplitter()  # horizontal
        for pane in self.placeholders:
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget()  # the panes, or the workspace's welcome page
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.busy = QProgressBar(maximum=0, textVisible=False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.runner.busy_changed.connect(self.busy.setVisible)
        self._enable_library_actions(False)
        self._restore_state()

    @property
    def library(self) -> Library | None:
        return self.runner.library

    @property
    def workspace(self) -> Workspace:
        """The open library's panes (the actions that use them are disabled until then)."""
        if self._workspace is None:
            raise RuntimeError("no library is open")
        return self._workspace

    # -- building --------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        # setShortcuts, not setShortcut: resolving that one's overloads makes PySide build
        # the `Qt` namespace's enums (~30 ms at start-up)
        if isinstance(shortcut, str):
            action.setShortcuts([QKeySequence(shortcut)])
        elif shortcut is not None:
            action.setShortcuts(shortcut)  # every binding the platform has for it
        action.setStatusTip(tip)
        name = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{name} ({keys})" if keys else name)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey

        def ws() -> Workspace:
            return self.workspace  # the actions using it are enabled once a library is open

        self.new_pack_action = self._action(
            "&New pack…", lambda: ws().new_pack(), K.New, "Create a pack for a meeting"
        )
        self.open_pack_action = self._action("&Open pack…", lambda: ws().choose_pack(), K.Open)
        self.open_library_action = self._action(
            "Open &library…", self.choose_library, tip="Open another library file"
        )
        self.new_library_action = self._action(
            "New li&brary…", self.new_library, tip="Create an empty library file"
        )
        self.import_action = self._action(
            "&Import documents…", lambda: ws().import_files(), "Ctrl+I"
        )
        self.paste_action = self._action("&Paste text as source…", lambda: ws().paste_text())
        self.export_pdf_action = self._action("&Export PDF…", lambda: ws().export("pdf"), "Ctrl+E")
        self.export_docx_action = self._action(
            "Export &Word…", lambda: ws().export("docx"), "Ctrl+Shift+E"
        )
        self.export_changes_action = self._action(
            "Export PDF with &changes since…", lambda: ws().export_changes(),
            tip="Export with an annex of what changed since a revision or the last meeting",
        )  # fmt: skip
        self.export_revision_action = self._action(
            "Export issued re&vision…", lambda: ws().export_revision(),
            tip="Export a revision of the pack exactly as it was issued, as PDF or Word",
        )  # fmt: skip
        self.print_action = self._action("&Print…", lambda: ws().print_pack(False), K.Print)
        self.preview_action = self._action("Print pre&view…", lambda: ws().print_pack(True))
        self.share_action = self._action(
            "S&hare a copy…", lambda: ws().share_copy(),
            tip="Write a copy holding only what is marked at or below a level, with its log",
        )  # fmt: skip
        self.distribute_action = self._action(
            "Copies for &named people…", lambda: ws().distribute(),
            tip='Copies stamped "Copy k of N — Name", the distribution list, and the log',
        )  # fmt: skip
        self.check_action = self._action(
            "Chec&k pack…", lambda: ws().check_pack(),
            tip="List what to look at before the pack leaves the app",
        )  # fmt: skip
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(K.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(K.Redo)
        self.find_action = self._action("&Find", lambda: ws().library_pane.focus_search(), K.Find)
        self.save_action = self._action(
            "&Save item", lambda: ws().editor_panel.items.save(), K.Save
        )
        self.new_item_action = self._action("New &item", lambda: ws().new_item(), "Ctrl+Shift+N")
        self.settings_action = self._action(
            "&Settings…", lambda: ws().edit_settings(), K.Preferences
        )
        self.scheme_action = self._action(
            "&Marking scheme…", lambda: ws().edit_marking_scheme(),
            tip="The library's protective-marking levels and caveats",
        )  # fmt: skip
        self.topics_action = self._action(
            "&Topics and rules…", lambda: ws().edit_topics(), tip="Edit topics and retag"
        )
        self.add_section_action = self._action(
            "Add &section…", lambda: ws().outline_pane.add_section()
        )
        self.rename_action = self._action(
            "&Rename section", lambda: ws().outline_pane.rename_section(), "F2"
        )
        self.up_action = self._action(
            "Move &up", lambda: ws().outline_pane.move_selected(-1), "Alt+Up"
        )
        self.down_action = self._action(
            "Move &down", lambda: ws().outline_pane.move_selected(1), "Alt+Down"
        )
        self.pack_settings_action = self._action(
            "Pack se&ttings…", lambda: ws().edit_pack_settings(),
            tip="Change the pack's title, meeting, participants, marking and style",
        )  # fmt: skip
        self.copy_pack_action = self._action(
            "&Copy pack", lambda: ws().copy_pack(), tip="Copy the pack whole and open the copy"
        )
        self.issue_action = self._action(
            "&Issue revision", lambda: ws().issue_revision(),
            tip="Freeze the pack as its next revision, to re-export or compare later",
        )  # fmt: skip
        self.delete_pack_action = self._action(
            "De&lete pack…", lambda: ws().delete_pack(), tip="Delete the pack (Undo puts it back)"
        )
        self.next_pack_action = self._action(
            "New pack for &next meeting…", lambda: ws().next_pack(),
            tip="Carry this pack's sections and items to the next meeting of its series",
        )  # fmt: skip
        self.refresh_action = self._action(
            "Re&fresh from newer sources", lambda: ws().refresh_sources(),
            tip="Quote the newer statement of a series where the pack quotes an older one (⚠)",
        )  # fmt: skip
        self.about_action = self._action("&About Briefing", self.about)
        self.recent_menu = QMenu("Open &recent", self)
        # enabled once a pack is open
        self.pack_actions = [self.export_pdf_action, self.export_docx_action,
                             self.export_changes_action, self.export_revision_action,
                             self.print_action,
                             self.preview_action, self.share_action,
                             self.distribute_action, self.check_action,
                             self.add_section_action,
                             self.pack_settings_action, self.copy_pack_action,
                             self.issue_action, self.delete_pack_action,
                             self.next_pack_action, self.refresh_action]  # fmt: skip
        # enabled once a library is open
        self.library_actions = [self.new_pack_action, self.open_pack_action, self.import_action,
                                self.paste_action, self.find_action, self.save_action,
                                self.new_item_action, self.settings_action, self.topics_action,
                                self.scheme_action,
                                self.rename_action,
                                self.up_action, self.down_action]  # fmt: skip

        bar = self.menuBar()
        file = bar.addMenu("&File")
        for item in (self.new_pack_action, self.open_pack_action, self.recent_menu, None,
                     self.open_library_action, self.new_library_action, None,
                     self.import_action, self.paste_action, None, self.export_pdf_action,
                     self.export_docx_action, self.export_changes_action,
                     self.export_revision_action, self.print_action,
                     self.preview_action, self.share_action, self.distribute_action, None,
                     self.quit_action):  # fmt: skip
            if item is None:
                file.addSeparator()
            elif isinstance(item, QMenu):
                file.addMenu(item)
            else:
                file.addAction(item)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.find_action, self.new_item_action, self.save_action])
        edit.addSeparator()
        edit.addActions([self.topics_action, self.scheme_action, self.settings_action])
        pack = bar.addMenu("&Pack")
        pack.addActions(
            [self.pack_settings_action, self.check_action, self.copy_pack_action,
             self.issue_action, self.next_pack_action, self.refresh_action,
             self.delete_pack_action]
        )  # fmt: skip
        pack.addSeparator()
        pack.addActions(
            [self.add_section_action, self.rename_action, self.up_action, self.down_action]
        )
        bar.addMenu("&Help").addAction(self.about_action)

        tools = self.addToolBar("Main")  # the actions have no icons: their text shows
        tools.setObjectName("main-toolbar")
        tools.addActions([self.new_pack_action, self.import_action, self.export_pdf_action,
                          self.export_docx_action, self.print_action])  # fmt: skip
        tools.addSeparator()
        tools.addActions([self.undo_action, self.redo_action])

    def _enable_library_actions(self, enabled: bool) -> None:
        """Enable what needs a library (and, for the pack actions, an open pack)."""
        has_pack = self._workspace is not None and self._workspace.editor.outline is not None
        for action in self.library_actions:
            action.setEnabled(enabled)
        for action in self.pack_actions:
            action.setEnabled(enabled and has_pack)
        self.recent_menu.setEnabled(enabled and not self.recent_menu.isEmpty())

    # -- opening a library -------------------------------------------------------

    def open_library(self, target: str | None) -> None:
        """Open the library at `target` (a path or URL; None: $BRIEFING_DB or the default).

        The core is imported and the library opened on the worker thread; the library open
        until then stays usable if the new one cannot be opened.
        """
        if self._workspace is not None and not self._workspace.may_leave():
            return
        if self._workspace is None:
            self._show_placeholders("Opening library…", offer=False)
        self.statusBar().showMessage("Opening library…")
        self._enable_library_actions(False)
        self.stack.setEnabled(False)
        for action in (self.open_library_action, self.new_library_action):
            action.setEnabled(False)
        if self._workspace is None and self._first_pane is None:
            self._first_look(target)
        Op.standalone(self, self.runner, lambda _progress: load_library(target)).success(
            self._library_loaded
        ).failure(self._library_failed).run()

    def _first_look(self, target: str | None) -> None:
        """Show the library pane filled from a quick read of the library file (no
        SQLAlchemy: `briefing.first_look`), disabled with the rest until the library is
        open; its workspace then takes the pane over and reloads it."""
        from briefing.first_look import first_look
        from ui.library_pane import LibraryPane

        view = first_look(target)
        if view is None or not (view.sources or view.items):  # empty: the welcome page, once open
            return
        self._first_pane = LibraryPane(self.runner)
        self._first_pane.show_view(view)
        self.splitter.replaceWidget(0, self._first_pane)
        self._library_listed()

    def _library_listed(self) -> None:
        if not self._listed:
            self._listed = True
            self.library_listed.emit()

    def _library_loaded(self, library: Library) -> None:
        from ui.shell import Shell
        from ui.workspace import Workspace  # imported by load_library, on the worker

        old = self.runner.library
        self.runner.cancel_all()  # what the previous library's panes still waited for
        self.runner.use(library)
        if old is not None:
            Op.standalone(self, self.runner, lambda _progress: old.close()).run()
        location = library.location
        if location != self.settings.get(opt.LAST_LIBRARY):
            self.settings.forget_packs()
            self.settings.set(opt.LAST_LIBRARY, location)
        if self._workspace is not None:
            self._workspace.welcome.deleteLater()
            self._workspace.deleteLater()
        shell = Shell(self, self.settings, self.runner, self.undo_stack, self.stack,
                      self.splitter, self.recent_menu, tuple(self.pack_actions))  # fmt: skip
        self._workspace = Workspace(shell, self._first_pane)
        self._workspace.library_pane.loaded.connect(self._library_listed)
        if self._first_pane is not None:  # already in its place
            self.placeholders[0].deleteLater()
            self._first_pane = None
        for index, pane in enumerate(self._workspace.panes):
            if self.splitter.widget(index) is pane:
                continue
            if (placeholder := self.splitter.replaceWidget(index, pane)) is not None:
                placeholder.deleteLater()
        self.stack.setCurrentWidget(self.splitter)
        self._opening_ended()
        self._enable_library_actions(True)
        self._workspace.load()
        self.library_opened.emit(library)

    def _library_failed(self, error: BaseException) -> None:
        message = error_message(error)
        self._opening_ended()
        if self._first_pane is not None:  # what it showed is not a library that opens
            self.splitter.replaceWidget(0, self.placeholders[0])
            self._first_pane.deleteLater()
            self._first_pane = None
        if self._workspace is None:
            self._show_placeholders(
                "No library is open. Open a library file, or create a new library.", offer=True
            )
        else:
            self._enable_library_actions(True)
        self.error_box = QMessageBox(
            QMessageBox.Icon.Critical, "Briefing", f"Cannot open the library.\n\n{message}",
            parent=self,
        )  # fmt: skip
        self.error_box.open()
        self.library_failed.emit(message)

    def _opening_ended(self) -> None:
        self.statusBar().clearMessage()
        self.stack.setEnabled(True)
        for action in (self.open_library_action, self.new_library_action):
            action.setEnabled(True)

    def _show_placeholders(self, text: str, offer: bool) -> None:
        self.stack.setCurrentWidget(self.splitter)
        for placeholder in self.placeholders:
            placeholder.show_message(text, offer)

    def about(self) -> None:
        from ui.dialogs.about import show_about  # platform and sqlite3: not at start-up

        show_about(self)

    def choose_library(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open library", self._library_folder(), LIBRARY_FILTER
        )
        if name:
            self.open_library(name)

    def new_library(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New library",
            str(Path(self._library_folder()) / "library.sqlite"),
            LIBRARY_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".sqlite")
        if path.exists():
            QMessageBox.warning(
                self, "New library", f"{path} already exists. To use it, choose Open library…"
            )
            return
        self.open_library(str(path))

    def _library_folder(self) -> str:
        last = self.settings.get(opt.LAST_LIBRARY)
        return str(Path(last).parent) if last and "://" not in last else QDir.homePath()

    # -- drag and drop -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._workspace is not None and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self._workspace is not None:
            event.acceptProposedAction()
            self._workspace.import_paths(paths)

    # -- state -----------------------------------------------------------------

    def _restore_state(self) -> None:
        """Restore the last geometry, kept inside the screen; at first, fill 90% of it."""
        geometry = self.settings.get(opt.GEOMETRY)
        area = available_screen(self)
        if geometry.isEmpty():
            self.setGeometry(fitted(QRect(0, 0, area.width() * 9 // 10,
                                          area.height() * 9 // 10), area, centre=True))  # fmt: skip
            width = self.width()
            self.splitter.setSizes([width * 28 // 100, width * 31 // 100, width * 41 // 100])
        else:
            self.restoreGeometry(geometry)
            self.restoreState(self.settings.get(opt.WINDOW_STATE))
            self.splitter.restoreState(self.settings.get(opt.SPLITTER))
            if not self.windowState() & Qt.WindowState.WindowMaximized:
                self.setGeometry(fitted(self.geometry(), area))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._workspace is not None and not self._workspace.may_leave():
            event.ignore()
            return
        self.settings.set(opt.GEOMETRY, self.saveGeometry())
        self.settings.set(opt.WINDOW_STATE, self.saveState())
        self.settings.set(opt.SPLITTER, self.splitter.saveState())
        self.settings.sync()
        if self._workspace is not None:
            self._workspace.stop_polling()
        self.runner.wait()
        event.accept()
