"""Undoable outline edits: each QUndoCommand calls a `Library` outline edit off-thread.

Commands run on the serial store worker in the order they are pushed, undone or redone,
so a command can keep what its redo returned (a snapshot, an old position) for its undo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from briefing.changes import Changes
from briefing.library import Library
from briefing.outline import EntrySnapshot, PackOutline, SectionSnapshot
from ui.ops import Op, TaskRunner, show_error
from ui.qt import QObject, QUndoCommand, QUndoStack, QWidget, Signal
from ui.refs import Ref

Edit = Callable[[Library], object]


class OutlineEditor(QObject):
    """The open pack: its outline as last loaded, and the undo stack of edits to it."""

    changed = Signal(object)  # PackOutline | None
    marked = Signal(object)  # the PackOutline shown, with its content's marking roll-up
    edited = Signal()  # an edit reached the store

    def __init__(self, runner: TaskRunner, parent: QWidget, stack: QUndoStack) -> None:
        """Edit through `stack`, the window's (its Undo and Redo actions are made from it)."""
        super().__init__(parent)
        self.runner, self.window, self.stack = runner, parent, stack
        stack.clear()  # the edits of a library opened before
        self.pack_id: int | None = None
        self.outline: PackOutline | None = None
        runner.changed.connect(self._library_changed)

    def _library_changed(self, changes: Changes) -> None:
        """Reload when the pack, or anything it shows (items, sources), changed anywhere."""
        if self.pack_id is not None and changes.touches_pack(self.pack_id):
            self.reload()

    def open(self, pack_id: int | None, keep_history: bool = False) -> None:
        """Show pack `pack_id` (None: no pack); its edit history starts afresh, unless
        `keep_history` (a pack deleted, or put back, by an undoable command)."""
        if not keep_history:
            self.stack.clear()
        self.pack_id = pack_id
        self.outline = None
        self.reload()

    def reload(self) -> None:
        if self.pack_id is None:
            self.changed.emit(None)
            return
        pack_id = self.pack_id
        Op(
            self.window,
            self.runner,
            lambda lib, _p: lib.pack_outline(pack_id, content=False),
            key="outline",
        ).success(self._loaded).failure(self._load_failed).run()

    def _loaded(self, loaded: PackOutline) -> None:
        if loaded.id != self.pack_id:
            return
        before = self.outline
        if before is not None and before.id == loaded.id:  # the last roll-up till the new one
            loaded = replace(
                loaded, content_marking=before.content_marking, raised_by=before.raised_by
            )
        self.outline = loaded
        self.changed.emit(loaded)
        # What the content is marked assembles the whole pack: read after the outline shows.

        def rolled_up(rollup: tuple[str, list[tuple[str, str]]]) -> None:
            content, raised = rollup
            if self.outline is not loaded:  # reloaded, or another pack opened, since
                return
            marked = replace(
                loaded, content_marking=content if raised else "", raised_by=tuple(raised)
            )
            if (marked.content_marking, marked.raised_by) != (
                loaded.content_marking,
                loaded.raised_by,
            ):
                self.outline = marked
                self.marked.emit(marked)

        Op(
            self.window,
            self.runner,
            lambda lib, _p: lib.pack_marking_rollup(loaded.id),
            key="outline-marking",
        ).success(rolled_up).failure(lambda _error: None).run()  # the outline stands without it

    def _load_failed(self, error: BaseException) -> None:
        show_error(self.window, error)
        self.open(None)

    def apply(self, edit: Edit) -> None:
        """Run `edit` on the library; the outline reloads from the change it announces."""

        def failed(error: BaseException) -> None:
            show_error(self.window, error)
            self.stack.clear()  # the history no longer matches the store
            self.reload()

        Op(self.window, self.runner, lambda lib, _p: edit(lib)).success(
            lambda _: self.edited.emit()
        ).failure(failed).run()

    # -- edits (each pushes one undoable command) ------------------------------

    def add(self, refs: Sequence[Ref], section_id: int, position: int | None = None) -> None:
        """Add library things to a section, skipping any it already holds."""
        held = self._held(section_id)
        fresh = [r for r in dict.fromkeys(refs) if (r.kind, r.id) not in held]
        if fresh:
            self.stack.push(AddEntries(self, fresh, section_id, position))

    def move(self, entry_ids: Sequence[int], section_id: int, before_id: int | None) -> None:
        if entry_ids and before_id not in entry_ids:
            self.stack.push(MoveEntries(self, list(entry_ids), section_id, before_id))

    def remove(self, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            self.stack.push(RemoveEntries(self, list(entry_ids)))

    def add_section(self, title: str, position: int | None = None) -> None:
        if self.pack_id is not None:
            self.stack.push(AddSection(self, self.pack_id, title, position))

    def rename_section(self, section_id: int, title: str) -> None:
        self.stack.push(RenameSection(self, section_id, title))

    def remove_section(self, section_id: int) -> None:
        self.stack.push(RemoveSection(self, section_id))

    def move_section(self, section_id: int, position: int) -> None:
        self.stack.push(MoveSection(self, section_id, position))

    def _held(self, section_id: int) -> set[tuple[object, int]]:
        if self.outline is None:
            return set()
        section = next((s for s in self.outline.sections if s.id == section_id), None)
        return {(e.kind, e.target_id) for e in section.entries} if section else set()


class _Command(QUndoCommand):
    def __init__(self, editor: OutlineEditor, text: str) -> None:
        super().__init__(text)
        self.editor = editor


class AddEntries(_Command):
    def __init__(
        self, editor: OutlineEditor, refs: list[Ref], section_id: int, position: int | None
    ) -> None:
        what = "entry" if len(refs) == 1 else f"{len(refs)} entries"
        super().__init__(editor, f"Add {what}")
        self.refs, self.section_id, self.position = refs, section_id, position
        self.added: list[EntrySnapshot] | None = None

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            if self.added is not None:
                lib.restore_entries(self.added)
            else:
                refs = [(ref.kind, ref.id) for ref in self.refs]
                self.added = lib.add_entries(self.section_id, refs, self.position)

        self.editor.apply(edit)

    def undo(self) -> None:
        def edit(lib: Library) -> None:  # self.added is read once the redo has run
            lib.remove_entries([e.id for e in reversed(self.added or [])])

        self.editor.apply(edit)


class MoveEntries(_Command):
    def __init__(
        self, editor: OutlineEditor, entry_ids: list[int], section_id: int, before_id: int | None
    ) -> None:
        super().__init__(editor, "Move entry" if len(entry_ids) == 1 else "Move entries")
        self.entry_ids, self.section_id, self.before_id = entry_ids, section_id, before_id
        self.befores: list[EntrySnapshot] = []

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            self.befores = lib.move_entries(self.entry_ids, self.section_id, self.before_id)

        self.editor.apply(edit)

    def undo(self) -> None:
        self.editor.apply(lambda lib: lib.move_entries_back(self.befores))


class RemoveEntries(_Command):
    def __init__(self, editor: OutlineEditor, entry_ids: list[int]) -> None:
        super().__init__(editor, "Remove entry" if len(entry_ids) == 1 else "Remove entries")
        self.entry_ids = entry_ids
        self.removed: list[EntrySnapshot] = []

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            self.removed = lib.remove_entries(self.entry_ids)

        self.editor.apply(edit)

    def undo(self) -> None:
        self.editor.apply(lambda lib: lib.restore_entries(list(reversed(self.removed))))


class AddSection(_Command):
    def __init__(
        self, editor: OutlineEditor, pack_id: int, title: str, position: int | None
    ) -> None:
        super().__init__(editor, "Add section")
        self.pack_id, self.title, self.position = pack_id, title, position
        self.added: SectionSnapshot | None = None

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            if self.added is None:
                self.added = lib.add_section(self.pack_id, self.title, self.position)
            else:
                lib.restore_section(self.added)

        self.editor.apply(edit)

    def undo(self) -> None:
        def edit(lib: Library) -> None:
            if self.added is not None:
                lib.remove_section(self.added.id)

        self.editor.apply(edit)


class RenameSection(_Command):
    def __init__(self, editor: OutlineEditor, section_id: int, title: str) -> None:
        super().__init__(editor, "Rename section")
        self.section_id, self.title, self.old = section_id, title, ""

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            self.old = lib.rename_section(self.section_id, self.title)

        self.editor.apply(edit)

    def undo(self) -> None:
        self.editor.apply(lambda lib: lib.rename_section(self.section_id, self.old))


class RemoveSection(_Command):
    def __init__(self, editor: OutlineEditor, section_id: int) -> None:
        super().__init__(editor, "Remove section")
        self.section_id = section_id
        self.removed: SectionSnapshot | None = None

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            self.removed = lib.remove_section(self.section_id)

        self.editor.apply(edit)

    def undo(self) -> None:
        def edit(lib: Library) -> None:
            if self.removed is not None:
                lib.restore_section(self.removed)

        self.editor.apply(edit)


class MoveSection(_Command):
    def __init__(self, editor: OutlineEditor, section_id: int, position: int) -> None:
        super().__init__(editor, "Move section")
        self.section_id, self.position, self.old = section_id, position, position

    def redo(self) -> None:
        def edit(lib: Library) -> None:
            self.old = lib.move_section(self.section_id, self.position)

        self.editor.apply(edit)

    def undo(self) -> None:
        self.editor.apply(lambda lib: lib.move_section(self.section_id, self.old))
