"""The main window: library | pack outline | editor and preview, with menus and shortcuts."""

from __future__ import annotations

from pathlib import Path

import templates
from briefing.demo import load_demo
from briefing.importer import ImportResult
from briefing.items import ItemData, create_item, delete_item
from briefing.library import Library, PackInfo
from briefing.outline import PackOutline, update_pack
from db.models import EntryKind
from ui import settings as opt
from ui.dialogs.about import show_about
from ui.dialogs.import_summary import ImportSummary
from ui.dialogs.new_pack import NewPack, NewPackDialog
from ui.dialogs.paste_text import PasteTextDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.export_flow import Exporter
from ui.item_editor import EditorPanel
from ui.library_pane import LibraryPane, LibraryView
from ui.ops import Op, TaskRunner, in_session
from ui.outline_editor import OutlineEditor
from ui.outline_pane import OutlinePane
from ui.preview import PreviewPane
from ui.qt import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QFileDialog,
    QInputDialog,
    QKeySequence,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    Qt,
    QTabWidget,
)
from ui.refs import Ref
from ui.settings import Settings
from ui.welcome import WelcomePanel

IMPORT_FILTER = "Documents (*.docx *.pdf *.html *.htm *.md *.txt);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, library: Library, settings: Settings) -> None:
        super().__init__()
        self.library, self.settings = library, settings
        self.setWindowTitle("Briefing")
        self.setAcceptDrops(True)
        self.runner = TaskRunner(library, self)
        self.packs: list[PackInfo] = []

        self.editor = OutlineEditor(self.runner, self)
        self.library_pane = LibraryPane(self.runner)
        self.outline_pane = OutlinePane(self.editor)
        self.editor_panel = EditorPanel(self.runner)
        self.preview = PreviewPane(self.runner, self._credits)
        self.exporter = Exporter(self, self.runner, settings)
        self.right = QTabWidget()
        self.right.addTab(self.editor_panel, "Editor")
        self.right.addTab(self.preview, "Preview")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane in (self.library_pane, self.outline_pane, self.right):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setChildrenCollapsible(False)
        self.welcome = WelcomePanel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)

        self.busy = QProgressBar(maximumWidth=120, maximum=0, textVisible=False)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.runner.busy_changed.connect(self.busy.setVisible)
        self._build_actions()
        self._connect()
        self._outline_changed(None)  # no pack open yet: nothing to export or print
        self._restore_state()
        self.library_pane.refresh()
        self._load_packs(open_last=True)

    # -- building --------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        name = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{name} ({keys})" if keys else name)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_pack_action = self._action(
            "&New pack…", self.new_pack, K.New, "Create a pack for a meeting"
        )
        self.open_pack_action = self._action("&Open pack…", self.choose_pack, K.Open)
        self.import_action = self._action("&Import documents…", self.import_files, "Ctrl+I")
        self.paste_action = self._action("&Paste text as source…", self.paste_text)
        self.export_pdf_action = self._action("&Export PDF…", lambda: self.export("pdf"), "Ctrl+E")
        self.export_docx_action = self._action(
            "Export &Word…", lambda: self.export("docx"), "Ctrl+Shift+E"
        )
        self.print_action = self._action("&Print…", lambda: self.print_pack(False), K.Print)
        self.preview_action = self._action("Print pre&view…", lambda: self.print_pack(True))
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.undo_action = self.editor.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(K.Undo)
        self.redo_action = self.editor.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(K.Redo)
        self.find_action = self._action("&Find", self.library_pane.focus_search, K.Find)
        self.save_action = self._action("&Save item", self.editor_panel.items.save, K.Save)
        self.new_item_action = self._action("New &item", self.new_item, "Ctrl+Shift+N")
        self.settings_action = self._action("&Settings…", self.edit_settings, K.Preferences)
        self.add_section_action = self._action("Add &section…", self.outline_pane.add_section)
        self.rename_action = self._action("&Rename section", self.outline_pane.rename_section, "F2")
        self.up_action = self._action(
            "Move &up", lambda: self.outline_pane.move_selected(-1), "Alt+Up"
        )
        self.down_action = self._action(
            "Move &down", lambda: self.outline_pane.move_selected(1), "Alt+Down"
        )
        self.about_action = self._action("&About Briefing", lambda: show_about(self))
        self.recent_menu = QMenu("Open &recent", self)

        bar = self.menuBar()
        file = bar.addMenu("&File")
        for item in (self.new_pack_action, self.open_pack_action, self.recent_menu, None,
                     self.import_action, self.paste_action, None, self.export_pdf_action,
                     self.export_docx_action, self.print_action, self.preview_action, None,
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
        edit.addAction(self.settings_action)
        pack = bar.addMenu("&Pack")
        pack.addActions(
            [self.add_section_action, self.rename_action, self.up_action, self.down_action]
        )
        bar.addMenu("&Help").addAction(self.about_action)

        tools = self.addToolBar("Main")
        tools.setObjectName("main-toolbar")
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addActions([self.new_pack_action, self.import_action, self.export_pdf_action,
                          self.export_docx_action, self.print_action])  # fmt: skip
        tools.addSeparator()
        tools.addActions([self.undo_action, self.redo_action])
        for action in (
            self.undo_action,
            self.redo_action,
            self.find_action,
            self.save_action,
            self.new_pack_action,
            self.print_action,
            self.open_pack_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _connect(self) -> None:
        lib = self.library_pane
        lib.loaded.connect(self._library_loaded)
        lib.passage_opened.connect(self._open_passage)
        lib.item_opened.connect(self._open_item)
        lib.add_requested.connect(self.add_to_pack)
        lib.new_item_requested.connect(self.new_item)
        lib.delete_item_requested.connect(self.delete_item)
        self.outline_pane.entry_opened.connect(self._open_entry)
        self.editor.changed.connect(self._outline_changed)
        self.editor.edited.connect(self.preview.schedule)
        items = self.editor_panel.items
        items.saved.connect(self._item_saved)
        items.cite_requested.connect(lambda: items.add_citations(lib.selected_refs()))
        self.welcome.import_requested.connect(self.import_files)
        self.welcome.demo_requested.connect(self.open_demo)

    # -- library ---------------------------------------------------------------

    def _library_loaded(self, view: LibraryView) -> None:
        empty = not view.sources and not view.items
        self.stack.setCurrentWidget(self.welcome if empty else self.splitter)
        self.editor_panel.items.set_choices(view.topics, self.settings.marking_scheme())
        self.topics = view.topics

    def open_demo(self) -> None:
        Op(self, self.runner, lambda lib, _p: load_demo(lib)).with_progress(
            "Opening the demo library…"
        ).success(self._demo_loaded).run()

    def _demo_loaded(self, result: ImportResult) -> None:
        if result.status == "failed":
            QMessageBox.warning(self, "Briefing", result.describe())
        self.library_pane.refresh()

    def import_files(self) -> None:
        folder = self.settings.get(opt.IMPORT_DIR)
        names, _ = QFileDialog.getOpenFileNames(self, "Import documents", folder, IMPORT_FILTER)
        if names:
            self.settings.set(opt.IMPORT_DIR, str(Path(names[0]).parent))
            self.import_paths([Path(n) for n in names])

    def import_paths(self, paths: list[Path]) -> Op[list[ImportResult]]:
        return (
            Op(self, self.runner, lambda lib, progress: lib.import_paths(paths, progress))
            .with_progress("Importing…")
            .success(self._imported)
            .run()
        )

    def _imported(self, results: list[ImportResult]) -> None:
        self.library_pane.refresh()
        self.import_summary = ImportSummary(results, self)
        self.import_summary.open()

    def paste_text(self) -> None:
        dialog = PasteTextDialog(self)
        if dialog.exec() and dialog.text.toPlainText().strip():
            text, origin = dialog.text.toPlainText(), dialog.origin.text().strip() or "pasted text"
            Op(self, self.runner, lambda lib, _p: [lib.import_text(text, origin)]).success(
                self._imported
            ).run()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- packs -----------------------------------------------------------------

    def _load_packs(self, open_last: bool = False, select: int | None = None) -> None:
        def loaded(packs: list[PackInfo]) -> None:
            self.packs = packs
            self._fill_recent()
            ids = {p.id for p in packs}
            wanted = (
                select
                if select is not None
                else self.settings.get(opt.LAST_PACK)
                if open_last
                else None
            )
            if wanted in ids:
                self.open_pack(wanted)

        Op(self, self.runner, lambda lib, _p: lib.packs()).success(loaded).run()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        titles = {p.id: p for p in self.packs}
        for pack_id in self.settings.get(opt.RECENT):
            if pack_id in titles:
                info = titles[pack_id]
                action = self.recent_menu.addAction(f"{info.title} ({info.date or 'no date'})")
                action.triggered.connect(lambda _=False, i=pack_id: self.open_pack(i))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def open_pack(self, pack_id: int) -> None:
        self.editor.open(pack_id)
        self.preview.show_pack(pack_id)
        self.settings.set(opt.LAST_PACK, pack_id)
        self.settings.add_recent_pack(pack_id)
        self._fill_recent()

    def choose_pack(self) -> None:
        if not self.packs:
            QMessageBox.information(
                self, "Briefing", "There are no packs yet. Create one with New pack."
            )
            return
        labels = [f"{p.title} — {p.meeting} ({p.date or 'no date'})" for p in self.packs]
        label, ok = QInputDialog.getItem(self, "Open pack", "Pack:", labels, 0, False)
        if ok:
            self.open_pack(self.packs[labels.index(label)].id)

    def new_pack(self) -> None:
        dialog = NewPackDialog(
            getattr(self, "topics", []),
            self.settings.marking_scheme(),
            templates.available(),
            marking=self.settings.get(opt.DEFAULT_MARKING),
            template=self.settings.get(opt.DEFAULT_TEMPLATE),
            parent=self,
        )
        self.new_pack_dialog = dialog
        if dialog.exec():
            self.create_pack(dialog.result_pack())

    def create_pack(self, spec: NewPack) -> None:
        paper = self.settings.get(opt.PAPER_SIZE)

        def create(lib: Library, _progress: object) -> int:
            pack_id = lib.new_pack(
                spec.title,
                meeting=spec.meeting,
                date=spec.date,
                marking=spec.marking,
                topics=spec.topics,
                place=spec.place,
                template=spec.template,
            )
            if paper:
                with lib.store.session() as session:
                    update_pack(session, pack_id, paper_size=paper)
            return pack_id

        Op(self, self.runner, create).success(
            lambda pack_id: self._load_packs(select=pack_id)
        ).run()

    def _outline_changed(self, outline: PackOutline | None) -> None:
        title = f"{outline.title} — Briefing" if outline else "Briefing"
        self.setWindowTitle(title)
        has_pack = outline is not None
        for action in (
            self.export_pdf_action,
            self.export_docx_action,
            self.print_action,
            self.preview_action,
            self.add_section_action,
        ):
            action.setEnabled(has_pack)

    def add_to_pack(self, refs: list[Ref]) -> None:
        section = self.outline_pane.target_section()
        if section is None:
            self.statusBar().showMessage("Open or create a pack first.", 4000)
            return
        self.editor.add(refs, section)

    # -- items -----------------------------------------------------------------

    def _open_item(self, item_id: int) -> None:
        self.editor_panel.open_item(item_id)
        self.right.setCurrentWidget(self.editor_panel)

    def _open_passage(self, passage_id: int) -> None:
        self.editor_panel.open_passage(passage_id)
        self.right.setCurrentWidget(self.editor_panel)

    def _open_entry(self, kind: EntryKind, target_id: int) -> None:
        if kind is EntryKind.ITEM:
            self._open_item(target_id)
        elif kind is EntryKind.PASSAGE:
            self._open_passage(target_id)

    def new_item(self) -> None:
        """Create a draft item (in the current section's pack, if one is open) and edit it."""
        section = self.outline_pane.target_section()
        topic = self.library_pane.topic_id
        data = ItemData(title="New item", topic_ids=(topic,) if topic else ())

        def created(item_id: int) -> None:
            self.library_pane.refresh()
            self._open_item(item_id)
            self.editor_panel.items.title.setFocus()
            self.editor_panel.items.title.selectAll()
            if section is not None:
                self.editor.add([Ref(EntryKind.ITEM, item_id)], section)

        Op(self, self.runner, in_session(create_item, data)).success(created).run()

    def delete_item(self, item_id: int) -> None:
        answer = QMessageBox.question(
            self,
            "Delete item",
            "Delete this item? It is also removed from every pack that uses it.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def deleted(_: object) -> None:
            self.editor.stack.clear()  # entries that pointed at the item are gone
            self.editor.reload()
            self.library_pane.refresh()
            self.preview.schedule()

        Op(self, self.runner, in_session(delete_item, item_id)).success(deleted).run()

    def _item_saved(self, data: ItemData) -> None:
        self.library_pane.show_item(data)
        self.editor.reload()
        self.preview.schedule()

    # -- export and print --------------------------------------------------------

    def export(self, fmt: str) -> None:
        if self.editor.outline is not None:
            self.editor_panel.items.flush(wait=True)
            self.exporter.export(self.editor.outline, fmt)

    def print_pack(self, preview: bool) -> None:
        if self.editor.outline is not None:
            self.editor_panel.items.flush(wait=True)
            self.exporter.print_pack(self.editor.outline, preview)

    def _credits(self) -> tuple[str, str]:
        return self.exporter.credits()

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, templates.available(), self)
        if dialog.exec():
            self.library_pane.refresh()
            self.preview.schedule()

    # -- state -----------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.get(opt.GEOMETRY)
        if geometry.isEmpty():
            self.resize(1500, 900)
            self.splitter.setSizes([420, 460, 620])
        else:
            self.restoreGeometry(geometry)
            self.restoreState(self.settings.get(opt.WINDOW_STATE))
            self.splitter.restoreState(self.settings.get(opt.SPLITTER))

    def closeEvent(self, event: QCloseEvent) -> None:
        items = self.editor_panel.items
        items.flush(wait=True)
        if items.save_error is not None and items.dirty:
            answer = QMessageBox.warning(
                self,
                "Unsaved item",
                f"Your last changes to “{items.title.text()}” could not be saved:\n"
                f"{items.save_error}\n\nClose and lose them?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.settings.set(opt.GEOMETRY, self.saveGeometry())
        self.settings.set(opt.WINDOW_STATE, self.saveState())
        self.settings.set(opt.SPLITTER, self.splitter.saveState())
        self.settings.sync()
        self.runner.wait()
        event.accept()
