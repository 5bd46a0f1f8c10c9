"""The panes of an open library and the journeys on it: packs, items, import, export, print.

The window builds one `Workspace` for each library it opens. This module imports the core
(SQLAlchemy, the models, the renderers), so the window imports it on the worker thread,
together with the library, and the shell is shown before either has loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from briefing.browse import PersonInfo
from briefing.changes import Changes
from briefing.deletion import Deleted
from briefing.errors import Conflict, InputError
from briefing.importer import ImportResult
from briefing.items import ItemData
from briefing.jobs import Progress
from briefing.library import EntryKind, Library, PackInfo, SourceInfo, TopicInfo
from briefing.markings import Scheme
from briefing.outline import PackOutline
from ui import settings as opt
from ui.dialogs.distribution_dialog import (
    DistributionDialog,
    Distributor,
    Release,
    release_of,
)
from ui.dialogs.next_meeting import NextMeetingDialog
from ui.dialogs.pack_settings import PackSettings, PackSettingsDialog
from ui.dialogs.paste_text import PasteTextDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.share_dialog import ShareDialog, Sharer
from ui.export_flow import Exporter
from ui.item_editor import EditorPanel
from ui.library_pane import LibraryPane, LibraryView
from ui.ops import Op, error_message
from ui.outline_editor import OutlineEditor
from ui.outline_pane import OutlinePane
from ui.preview import PreviewPane
from ui.qt import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QObject,
    Qt,
    QTabWidget,
    QTimer,
    QUndoCommand,
)
from ui.refs import Ref
from ui.shell import Shell
from ui.welcome import WelcomePanel

if TYPE_CHECKING:  # the dialogs are imported when first opened (not at start-up)
    from briefing.revisions import RevisionInfo
    from ui.dialogs.new_pack import NewPack
    from ui.dialogs.topics import TopicEdit, TopicRules, TopicsDialog

IMPORT_FILTER = "Documents (*.docx *.pdf *.html *.htm *.md *.txt);;All files (*)"
T = TypeVar("T")
POLL_MS = 3000  # how often to look for changes made by another window or program


class Workspace(QObject):
    """Library | pack outline | editor and preview, on the library the window's runner holds."""

    def __init__(self, shell: Shell, library_pane: LibraryPane | None = None) -> None:
        """Build the panes on `shell`'s window; `library_pane` is one the window already
        shows (filled by its first look), taken over and reloaded by `load`."""
        window = shell.window
        super().__init__(window)
        self.shell, self.window = shell, window
        self.settings, self.runner = shell.settings, shell.runner
        self.packs: list[PackInfo] = []
        self.pack_settings_dialog: PackSettingsDialog | None = None
        self.topics_dialog: TopicsDialog | None = None

        self.editor = OutlineEditor(self.runner, window, shell.undo_stack)
        self.library_pane = library_pane if library_pane is not None else LibraryPane(self.runner)
        self.outline_pane = OutlinePane(self.editor)
        self.editor_panel = EditorPanel(self.runner)
        self.preview = PreviewPane(self.runner, self.settings)
        self.exporter = Exporter(window, self.runner, self.settings)
        self.sharer = Sharer(window, self.runner, self.settings, self.exporter.preflight)
        self.distributor = Distributor(
            window, self.runner, self.settings, self.exporter.preflight
        )
        for part in (self.editor, self.exporter, self.sharer, self.distributor):
            part.setParent(self)  # they go with the workspace when another library opens
        self.right = QTabWidget()
        self.right.addTab(self.editor_panel, "Editor")
        self.right.addTab(self.preview, "Preview")
        self.welcome = WelcomePanel()  # shown instead of the panes while the library is empty
        shell.stack.addWidget(self.welcome)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._connect()

    @property
    def panes(self) -> tuple[LibraryPane, OutlinePane, QTabWidget]:
        return self.library_pane, self.outline_pane, self.right

    def _connect(self) -> None:
        lib = self.library_pane
        lib.loaded.connect(self._library_loaded)
        lib.passage_opened.connect(self._open_passage)
        lib.item_opened.connect(self._open_item)
        lib.add_requested.connect(self.add_to_pack)
        lib.new_item_requested.connect(self.new_item)
        lib.delete_item_requested.connect(self.delete_item)
        lib.delete_source_requested.connect(self.delete_source)
        lib.source_marking_requested.connect(self.mark_source)
        self.outline_pane.entry_opened.connect(self._open_entry)
        self.editor.changed.connect(self._outline_changed)
        self.exporter.preflight.go_to.connect(self.go_to)
        items = self.editor_panel.items
        items.opened.connect(self._open_item)
        items.cite_requested.connect(lambda: items.add_citations(lib.selected_refs()))
        self.welcome.import_requested.connect(self.import_files)
        self.welcome.demo_requested.connect(self.open_demo)
        self.runner.changed.connect(self._library_changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._app_state_changed)

    def _library_changed(self, changes: Changes) -> None:
        if changes.touches_packs():
            self._load_packs()

    def stop_polling(self) -> None:
        """Stop looking for changes made elsewhere (the window is closing)."""
        self._poll.stop()

    def poll(self) -> None:
        """Look for changes another window or program made; they arrive as `Changes`."""
        if not self.runner.busy:  # else at the next tick: never queue behind a long job
            Op(self.window, self.runner, lambda lib, _p: lib.poll(), key="poll").failure(
                lambda _error: None  # a locked or vanished file is reported by real work
            ).run()

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.poll()

    def load(self) -> None:
        """Fill the panes from the library, and reopen the pack used last."""
        self._outline_changed(None)  # no pack open yet: nothing to export or print
        self._fill_recent()  # none until the packs have loaded
        self.library_pane.refresh()
        self._load_packs(open_last=True)
        self._poll.start()

    # -- library ---------------------------------------------------------------

    def _library_loaded(self, view: LibraryView) -> None:
        empty = not view.sources and not view.items
        shell = self.shell
        shell.stack.setCurrentWidget(self.welcome if empty else shell.splitter)
        self._offer_choices()

    def _offer_choices(self) -> None:
        """Offer the item editor the topics and the library's markings last loaded."""
        view = self.library_pane.view
        if view is not None:  # else once the library pane has loaded
            self.editor_panel.items.set_choices(view.topics, view.scheme.markings())

    def open_demo(self) -> None:
        Op(self.window, self.runner, lambda lib, _p: lib.load_demo()).with_progress(
            "Opening the demo library…"
        ).success(self._demo_loaded).run()

    def _demo_loaded(self, result: ImportResult) -> None:
        if result.status == "failed":
            QMessageBox.warning(self.window, "Briefing", result.describe())

    def import_files(self) -> None:
        folder = self.settings.get(opt.IMPORT_DIR)
        names, _ = QFileDialog.getOpenFileNames(
            self.window, "Import documents", folder, IMPORT_FILTER
        )
        if names:
            self.settings.set(opt.IMPORT_DIR, str(Path(names[0]).parent))
            self.import_paths([Path(n) for n in names])

    def import_paths(self, paths: list[Path]) -> Op[list[ImportResult]]:
        return (
            Op(self.window, self.runner, partial(_import_in_workers, paths))
            .with_progress("Importing…")
            .success(self._imported)
            .run()
        )

    def _imported(self, results: list[ImportResult]) -> None:
        from ui.dialogs.import_summary import ImportSummary

        self.import_summary = ImportSummary(results, self.window)
        self.import_summary.open()

    def paste_text(self) -> None:
        dialog = PasteTextDialog(self.window)
        if dialog.exec() and dialog.text.toPlainText().strip():
            text, origin = dialog.text.toPlainText(), dialog.origin.text().strip() or "pasted text"
            Op(self.window, self.runner, lambda lib, _p: [lib.import_text(text, origin)]).success(
                self._imported
            ).run()

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

        Op(self.window, self.runner, lambda lib, _p: lib.packs()).success(loaded).run()

    def _fill_recent(self) -> None:
        menu = self.shell.recent_menu
        menu.clear()
        titles = {p.id: p for p in self.packs}
        for pack_id in self.settings.get(opt.RECENT):
            if pack_id in titles:
                info = titles[pack_id]
                action = menu.addAction(f"{info.title} ({info.date or 'no date'})")
                action.triggered.connect(lambda _=False, i=pack_id: self.open_pack(i))
        menu.setEnabled(not menu.isEmpty())

    def open_pack(self, pack_id: int, keep_history: bool = False) -> None:
        self.editor.open(pack_id, keep_history)
        self.preview.show_pack(pack_id)
        self.settings.set(opt.LAST_PACK, pack_id)
        self.settings.add_recent_pack(pack_id)
        self._fill_recent()

    def close_pack(self) -> None:
        """Show no pack, keeping the edit history (the pack is being deleted, undoably)."""
        self.editor.open(None, keep_history=True)
        self.preview.show_pack(None)

    def choose_pack(self) -> None:
        if not self.packs:
            QMessageBox.information(
                self.window, "Briefing", "There are no packs yet. Create one with New pack."
            )
            return
        labels = [f"{p.title} — {p.meeting} ({p.date or 'no date'})" for p in self.packs]
        label, ok = QInputDialog.getItem(self.window, "Open pack", "Pack:", labels, 0, False)
        if ok:
            self.open_pack(self.packs[labels.index(label)].id)

    def new_pack(self) -> None:
        import templates  # the style files: read when a dialog offers them, not at start-up
        from ui.dialogs.new_pack import NewPackDialog

        view = self.library_pane.view  # the topics as the library pane last loaded them
        dialog = NewPackDialog(
            view.topics if view is not None else [],
            self._markings(),
            templates.available(),
            marking=self.settings.get(opt.DEFAULT_MARKING),
            template=self.settings.get(opt.DEFAULT_TEMPLATE),
            parent=self.window,
        )

        def plan(keys: tuple[str, ...], cap: int) -> None:
            """Count what a pack on `keys` would hold, off the GUI thread; the newest ask wins."""
            op = Op(self.window, self.runner, lambda lib, _p: lib.plan_pack(keys, cap), key="plan")
            op.success(lambda plan: dialog.show_plan(keys, plan)).failure(
                lambda error: dialog.plan.setText(error_message(error))
            ).run()

        dialog.plan_requested.connect(plan)
        if dialog.exec():
            self.create_pack(dialog.result_pack())

    def create_pack(self, spec: NewPack) -> None:
        paper = self.settings.get(opt.PAPER_SIZE)

        def create(lib: Library, _progress: object) -> int:
            return lib.new_pack(
                spec.title,
                meeting=spec.meeting,
                date=spec.date,
                marking=spec.marking,
                topics=spec.topics,
                place=spec.place,
                template=spec.template,
                paper_size=paper,
                passages_per_topic=spec.passages_per_topic,
            )

        Op(self.window, self.runner, create).success(self.open_pack).run()

    def edit_pack_settings(self) -> None:
        """Open the settings of the open pack, as stored now, with the people to choose from."""
        pack_id = self.editor.pack_id
        if pack_id is not None:
            Op(self.window, self.runner,
               lambda lib, _p: (lib.pack_outline(pack_id), lib.people())).success(
                lambda loaded: self._show_pack_settings(*loaded)).run()  # fmt: skip

    def _show_pack_settings(self, outline: PackOutline, people: list[PersonInfo]) -> None:
        import templates

        dialog = PackSettingsDialog(
            outline, people, self._markings(), templates.available(), templates.PAPER_SIZES,
            parent=self.window,
        )  # fmt: skip

        def save(settings: PackSettings) -> None:
            changes = settings.changes(PackSettings.of(dialog.outline))
            version = dialog.version
            if not changes:
                dialog.saved()
                return
            Op(self.window, self.runner, lambda lib, _p: lib.edit_pack(
                outline.id, expected_version=version, **changes)  # type: ignore[arg-type]
               ).success(lambda _: dialog.saved()).failure(failed).run()  # fmt: skip

        def failed(error: BaseException) -> None:
            if isinstance(error, Conflict) and isinstance(error.theirs, PackOutline):
                dialog.show_conflict(str(error), error.theirs)
            else:
                dialog.show_problem(error_message(error))

        dialog.save_requested.connect(save)
        self.pack_settings_dialog = dialog
        dialog.open()

    def copy_pack(self) -> None:
        """Copy the open pack whole and open the copy."""
        pack_id = self.editor.pack_id
        if pack_id is not None:
            Op(self.window, self.runner, lambda lib, _p: lib.copy_pack(pack_id)).success(
                self.open_pack
            ).run()

    def next_pack(self) -> None:
        """Make the next meeting's pack from the open one (its sections and items carried,
        its quotations marked for review) and open it."""
        outline = self.editor.outline
        if outline is None:
            return
        dialog = NextMeetingDialog(outline, self.window)
        if not dialog.exec():
            return
        spec = dialog.result_meeting()
        Op(self.window, self.runner, lambda lib, _p: lib.next_pack(
            outline.id, meeting=spec.meeting, date=spec.date, place=spec.place or None,
        )).success(self.open_pack).run()  # fmt: skip

    def refresh_sources(self) -> None:
        """Quote the newer source of a series wherever the open pack quotes a superseded one
        (matching passages only); the status bar says what moved and what did not."""
        pack_id = self.editor.pack_id
        if pack_id is None:
            return

        def refresh(lib: Library, _progress: object) -> str:
            done = [lib.refresh_source(pack_id, s.old_id) for s in lib.stale_sources(pack_id)]
            if not done:
                return "No quoted source is superseded by a newer one."
            swapped = sum(len(r.swapped) for r in done)
            left = sum(len(r.unmatched) for r in done)
            return f"{swapped} quotation(s) now quote the newer source; {left} left to review."

        Op(self.window, self.runner, refresh).success(
            lambda message: self.window.statusBar().showMessage(message, 8000)
        ).run()

    def issue_revision(self) -> None:
        """Freeze the open pack as its next revision; the status bar says which (or that
        nothing changed since the last one)."""
        pack_id = self.editor.pack_id
        if pack_id is None:
            return

        def issue(lib: Library, _progress: object) -> str:
            number = lib.issue_revision(pack_id)
            if number is None:
                return f"No change since revision {lib.revisions(pack_id)[-1].number}"
            return f"Issued revision {number}"

        Op(self.window, self.runner, issue).success(
            lambda message: self.window.statusBar().showMessage(message, 6000)
        ).run()

    def delete_pack(self) -> None:
        """Ask, then delete the open pack; Edit ▸ Undo puts it back and opens it again."""
        outline = self.editor.outline
        if outline is None or not self._confirm(
            "Delete pack",
            f"Delete the pack “{outline.title}” with its {len(outline.sections)} sections?",
        ):
            return
        pack_id = outline.id
        self.shell.undo_stack.push(UndoableDelete(
            self, "Delete pack", lambda lib: lib.delete_pack(pack_id), before=self.close_pack,
            restored=lambda pack: self.open_pack(pack, keep_history=True),
        ))  # fmt: skip

    def delete_source(self, source_id: int) -> None:
        """Ask (saying which packs quote the source and which items cite it), then delete
        it; Edit ▸ Undo puts it back with its passages, entries and citations."""

        def ask(found: tuple[str, str]) -> None:
            title, use = found
            text = f"Delete the source “{title}” and its passages?"
            if use:
                text += f"\n\nIt is {use}. Those entries and citations go too."
            if self._confirm("Delete source", text):
                self.shell.undo_stack.push(UndoableDelete(
                    self, "Delete source", lambda lib: lib.delete_source(source_id, force=True)
                ))  # fmt: skip

        def look(lib: Library, _progress: object) -> tuple[str, str]:
            return lib.source(source_id).title, lib.source_use(source_id)

        Op(self.window, self.runner, look).success(ask).run()

    def mark_source(self, source_id: int) -> None:
        """Pick the source's marking from the library's scheme; its passages take it."""

        def look(lib: Library, _progress: object) -> tuple[SourceInfo, Scheme]:
            return lib.source(source_id), lib.marking_scheme()

        def ask(found: tuple[SourceInfo, Scheme]) -> None:
            source, scheme = found
            choices = ["", *scheme.markings()]
            if source.marking not in choices:
                choices.append(source.marking)  # kept as it is, though the scheme has moved on
            label, ok = QInputDialog.getItem(
                self.window, "Source marking",
                f"Marking of “{source.title}” (none: the scheme's lowest level):",
                [c or "(none)" for c in choices], choices.index(source.marking), False,
            )  # fmt: skip
            if ok:
                marking = "" if label == "(none)" else label
                Op(self.window, self.runner,
                   lambda lib, _p: lib.edit_source(source_id, marking=marking)).run()  # fmt: skip

        Op(self.window, self.runner, look).success(ask).run()

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, title, f"{text}\n\nEdit ▸ Undo puts it back.",
            buttons.Yes | buttons.Cancel, buttons.Cancel,
        )  # fmt: skip
        return answer == buttons.Yes

    def _outline_changed(self, outline: PackOutline | None) -> None:
        window = self.window
        window.setWindowTitle(f"{outline.title} — Briefing" if outline else "Briefing")
        for action in self.shell.pack_actions:
            action.setEnabled(outline is not None)

    def add_to_pack(self, refs: list[Ref]) -> None:
        section = self.outline_pane.target_section()
        if section is None:
            self.window.statusBar().showMessage("Open or create a pack first.", 4000)
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
            self._open_item(item_id)
            self.editor_panel.items.title.setFocus()
            self.editor_panel.items.title.selectAll()
            if section is not None:
                self.editor.add([Ref(EntryKind.ITEM, item_id)], section)

        Op(self.window, self.runner, lambda lib, _p: lib.create_item(data)).success(created).run()

    def delete_item(self, item_id: int) -> None:
        """Delete an item and its entries in packs; Edit ▸ Undo puts them back."""
        self.shell.undo_stack.push(
            UndoableDelete(self, "Delete item", lambda lib: lib.delete_item(item_id))
        )

    # -- export and print --------------------------------------------------------

    def _saved_outline(self) -> PackOutline | None:
        """Return the open pack (None if none) once the item being edited is stored."""
        if self.editor.outline is None:
            return None
        self.editor_panel.items.flush(wait=True)
        return self.editor.outline

    def export(self, fmt: str) -> None:
        if (outline := self._saved_outline()) is not None:
            self.exporter.export(outline, fmt)

    def export_revision(self) -> None:
        """File ▸ Export issued revision…: a revision of the pack exactly as it was issued."""
        self._with_open_pack(Library.revisions, self._choose_revision)

    def _choose_revision(self, outline: PackOutline, issued: list[RevisionInfo]) -> None:
        if not issued:
            QMessageBox.information(
                self.window, "Export issued revision",
                "This pack has no issued revision yet: issue one first (Pack ▸ Issue revision).",
            )  # fmt: skip
            return
        choices = {f"Revision {r.number}, issued {r.issued}": r.number for r in reversed(issued)}
        label, ok = QInputDialog.getItem(
            self.window, "Export issued revision", "Export, exactly as issued:", list(choices),
            0, False,
        )  # fmt: skip
        if ok:
            self.exporter.export_revision(outline, choices[label])

    def export_changes(self) -> None:
        """Export PDF with an annex of what changed since a revision the user picks (or since
        the last meeting's pack of the series)."""
        self._with_open_pack(Library.revisions, self._choose_changes)

    def _choose_changes(self, outline: PackOutline, issued: list[RevisionInfo]) -> None:
        choices: dict[str, int | str] = {
            f"Revision {r.number}, issued {r.issued}": r.number for r in reversed(issued)
        }
        if outline.previous:
            choices[f"The last meeting's pack ({outline.previous})"] = "last-meeting"
        if not choices:
            QMessageBox.information(
                self.window, "Export with changes",
                "This pack has no issued revision yet, and no earlier meeting's pack:"
                " issue a revision first (Pack ▸ Issue revision).",
            )  # fmt: skip
            return
        labels = list(choices)
        label, ok = QInputDialog.getItem(
            self.window, "Export with changes", "Show what changed since:", labels, 0, False
        )
        if ok:
            self.exporter.export(outline, "pdf", changes_since=choices[label])

    def print_pack(self, preview: bool) -> None:
        if (outline := self._saved_outline()) is not None:
            self.exporter.print_pack(outline, preview)

    def check_pack(self) -> None:
        """Pack ▸ Check pack…: the pre-flight panel, whatever it finds."""
        if (outline := self._saved_outline()) is not None:
            self.exporter.preflight.run(outline.id, outline.title, None)

    def _with_open_pack(
        self, load: Callable[[Library, int], T], then: Callable[[PackOutline, T], object]
    ) -> None:
        """Save the item being edited, `load` what a dialog about the open pack needs off the
        GUI thread, then call `then` with the pack and it (unless another pack opened since)."""
        outline = self._saved_outline()
        if outline is None:
            return

        def loaded(value: T) -> None:
            if self.editor.outline is not None and self.editor.outline.id == outline.id:
                then(outline, value)

        Op(self.window, self.runner, lambda lib, _p: load(lib, outline.id)).success(
            loaded
        ).run()

    def share_copy(self) -> None:
        """File ▸ Share a copy…: a copy at a level, after the pre-flight at that level."""

        def ask(outline: PackOutline, scheme: Scheme) -> None:
            dialog = ShareDialog(outline, scheme, self.settings, self.window)
            if dialog.exec():
                self.sharer.share(outline, dialog.choice())

        self._with_open_pack(lambda lib, _pack: lib.marking_scheme(), ask)

    def distribute(self) -> None:
        """File ▸ Copies for named people…: the distribution list, the copies, the log."""

        def ask(outline: PackOutline, release: Release) -> None:
            dialog = DistributionDialog(outline, release, self.settings, self.window)

            def save_list(names: list[str]) -> None:
                Op(self.window, self.runner,
                   lambda lib, _p: lib.set_distribution_list(outline.id, names)).success(
                    lambda kept: dialog.show_problem(f"List saved: {len(kept)} names.")).failure(
                    lambda error: dialog.show_problem(error_message(error))).run()  # fmt: skip

            dialog.save_list.connect(save_list)
            if dialog.exec():
                self.distributor.distribute(outline, dialog.choice())

        self._with_open_pack(release_of, ask)

    def go_to(self, origin: str) -> None:
        """Select the entry a finding is about ("item:7", "passage:12", "source:3",
        "section:2") in the outline, and open it in the editor."""
        kind, _, number = origin.partition(":")
        if not number.isdigit():
            return
        target = int(number)
        if self.outline_pane.select_target(kind, target):
            if kind == "source":
                self.outline_pane.setFocus()
            return
        if kind == "item":
            self._open_item(target)
        elif kind == "passage":
            self._open_passage(target)

    def edit_settings(self) -> None:
        import templates

        dialog = SettingsDialog(
            self.settings, templates.available(), self._markings(), parent=self.window
        )
        if dialog.exec():
            self.preview.schedule()

    def _markings(self) -> list[str]:
        """The markings of the library's scheme, as the library pane last loaded it."""
        view = self.library_pane.view
        return (view.scheme if view is not None else Scheme()).markings()

    def edit_marking_scheme(self) -> None:
        """Edit ▸ Marking scheme…: the library's levels and caveats."""
        from ui.dialogs.marking_scheme import MarkingSchemeDialog

        def show(scheme: Scheme) -> None:
            dialog = MarkingSchemeDialog(scheme, self.window)
            self.marking_scheme_dialog = dialog

            def save(levels: list[str], add: list[str], remove: list[str]) -> None:
                Op(self.window, self.runner, lambda lib, _p: lib.set_marking_scheme(
                    levels, add_caveats=add, remove_caveats=remove)).success(
                    lambda _scheme: dialog.saved()).failure(
                    lambda error: dialog.show_problem(error_message(error))).run()  # fmt: skip

            dialog.save_requested.connect(save)
            dialog.open()

        Op(self.window, self.runner, lambda lib, _p: lib.marking_scheme()).success(show).run()

    def edit_topics(self) -> None:
        """Open the topics dialog; each save or removal retags the library in the background."""
        from ui.dialogs.topics import TopicsDialog

        dialog = TopicsDialog(self.window)
        self.topics_dialog = dialog

        def reload(select: str | None = None) -> None:
            Op(self.window, self.runner, lambda lib, _p: _all_topic_rules(lib)).success(
                lambda topics: dialog.set_topics(topics, select)
            ).run()

        def save(edit: TopicEdit) -> None:
            def apply(lib: Library, _progress: object) -> TopicInfo:
                if edit.is_new:
                    return lib.add_topic(edit.key, edit.name, edit.match, edit.aliases)
                return lib.edit_topic(edit.key, edit.change(_topic_rules(lib, edit.key)))

            def saved(info: TopicInfo) -> None:
                dialog.show_message(f"Saved: {info.passages} passages tagged “{info.name}”.")
                reload(info.key)

            Op(self.window, self.runner, apply).success(saved).failure(
                lambda error: dialog.show_message(str(error))
            ).run()

        def remove(key: str) -> None:
            def removed(name: str) -> None:
                dialog.show_message(f"Removed “{name}”.")
                reload()

            Op(self.window, self.runner, lambda lib, _p: lib.remove_topic(key)).success(
                removed
            ).run()

        def closed() -> None:
            self.topics_dialog = None
            self.library_pane.refresh()  # the topic filter's counts and the tags changed

        dialog.save_requested.connect(save)
        dialog.remove_requested.connect(remove)
        dialog.finished.connect(closed)
        reload()
        dialog.open()

    # -- leaving -------------------------------------------------------------------

    def may_leave(self) -> bool:
        """Save the item being edited; if that fails, ask whether to lose the changes."""
        items = self.editor_panel.items
        items.flush(wait=True)
        if items.save_error is None or not items.dirty:
            return True
        answer = QMessageBox.warning(
            self.window,
            "Unsaved item",
            f"Your last changes to “{items.title.text()}” could not be saved:\n"
            f"{items.save_error}\n\nClose and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


def _topic_rules(lib: Library, key: str) -> TopicRules:
    from ui.dialogs.topics import TopicRules

    info, match, aliases = lib.topic_rules(key)
    return TopicRules(info, tuple(match), tuple(aliases))


def _all_topic_rules(lib: Library) -> list[TopicRules]:
    return [_topic_rules(lib, t.key) for t in lib.topics()]


class UndoableDelete(QUndoCommand):
    """Deleting an item, a pack or a source, undone by putting it back with its ids.

    `before` runs on the GUI thread before each delete (e.g. closing the pack about to go);
    `restored` gets the id of what an undo put back.
    """

    def __init__(
        self,
        workspace: Workspace,
        text: str,
        delete: Callable[[Library], Deleted],
        *,
        before: Callable[[], None] | None = None,
        restored: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.workspace, self.delete = workspace, delete
        self.before, self.restored = before, restored
        self.deleted: Deleted | None = None

    def redo(self) -> None:
        def done(deleted: Deleted) -> None:
            self.workspace.window.statusBar().showMessage(
                f"Deleted “{deleted.title}” (Edit ▸ Undo puts it back)", 8000
            )

        def delete(lib: Library, _progress: object) -> Deleted:
            self.deleted = None
            self.deleted = self.delete(lib)  # kept on the worker: an undo queued next finds it
            return self.deleted

        if self.before is not None:
            self.before()
        Op(self.workspace.window, self.workspace.runner, delete).success(done).run()

    def undo(self) -> None:
        def restore(lib: Library, _progress: object) -> int:
            if self.deleted is None:  # read on the worker, once the delete has run
                raise InputError("nothing was deleted")
            return lib.restore(self.deleted)

        op = Op(self.workspace.window, self.workspace.runner, restore)
        if self.restored is not None:
            op.success(self.restored)
        op.run()


def _import_in_workers(
    paths: list[Path], library: Library, progress: Progress
) -> list[ImportResult]:
    """Import `paths`, parsed in worker processes (a hostile file can neither hang nor
    exhaust the app), started for this batch and stopped after it."""
    from briefing.ingest.workers import pool_from_environment

    with pool_from_environment() as parsers:
        return library.import_paths(paths, progress, parsers=parsers)
