"""The pack outline pane: sections and entries; drag to reorder, drop from the library."""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefing.dates import format_date
from briefing.library import EntryKind
from briefing.outline import EntryView, PackOutline
from ui.outline_editor import OutlineEditor
from ui.qt import (
    QAbstractItemView,
    QDragEnterEvent,
    QDropEvent,
    QHBoxLayout,
    QInputDialog,
    QItemSelectionModel,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QMimeData,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.refs import MIME_ENTRIES, MIME_REFS, mime_refs
from ui.tree_rows import child_rows, top_rows

ROW_ROLE = Qt.ItemDataRole.UserRole  # ("section" | "entry", id)
ENTRY_ICONS = {EntryKind.ITEM: "✎", EntryKind.PASSAGE: "❝", EntryKind.SOURCE: "📄"}


class OutlineTree(QTreeWidget):
    """The outline tree; drops become undoable edits through the editor."""

    def __init__(self, editor: OutlineEditor) -> None:
        super().__init__()
        self.editor = editor
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDropIndicatorShown(True)
        self.setWordWrap(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    def mimeTypes(self) -> list[str]:
        return [MIME_ENTRIES, MIME_REFS]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        mime = QMimeData()
        rows = [item.data(0, ROW_ROLE) for item in items]
        mime.setData(MIME_ENTRIES, json.dumps(rows).encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        super().dragEnterEvent(event)
        if event.mimeData().hasFormat(MIME_REFS):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        target = self.itemAt(event.position().toPoint())
        where = self.dropIndicatorPosition()
        mime = event.mimeData()
        if mime.hasFormat(MIME_ENTRIES):
            rows = json.loads(bytes(mime.data(MIME_ENTRIES).data()).decode())
            sections = [id_ for kind, id_ in rows if kind == "section"]
            if sections:
                self.drop_section(sections[0], target, where)
            else:
                self.drop_entries([id_ for _, id_ in rows], target, where)
        elif mime.hasFormat(MIME_REFS):
            section_id, before_id = self.insertion_point(target, where)
            if section_id is not None:
                position = self.entry_index(before_id) if before_id is not None else None
                self.editor.add(mime_refs(mime), section_id, position)
        event.setDropAction(Qt.DropAction.CopyAction)  # the outline redraws from the store
        event.accept()
        # what the base class does after a drop: no drop indicator left on screen
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()

    def drop_entries(
        self,
        entry_ids: list[int],
        target: QTreeWidgetItem | None,
        where: QAbstractItemView.DropIndicatorPosition,
    ) -> None:
        section_id, before_id = self.insertion_point(target, where)
        if section_id is not None:
            self.editor.move(entry_ids, section_id, before_id)

    def drop_section(
        self,
        section_id: int,
        target: QTreeWidgetItem | None,
        where: QAbstractItemView.DropIndicatorPosition,
    ) -> None:
        if target is None:
            position = self.topLevelItemCount() - 1
        else:
            top = target.parent() or target
            position = self.indexOfTopLevelItem(top)
            old = self._section_index(section_id)
            below = where == QAbstractItemView.DropIndicatorPosition.BelowItem or target.parent()
            if below:
                position += 1
            if old < position:
                position -= 1
        self.editor.move_section(section_id, position)

    def insertion_point(
        self, target: QTreeWidgetItem | None, where: QAbstractItemView.DropIndicatorPosition
    ) -> tuple[int | None, int | None]:
        """Return (section id, id of the entry to insert before or None for the end)."""
        if target is None:
            last = self.topLevelItem(self.topLevelItemCount() - 1)
            return (last.data(0, ROW_ROLE)[1] if last else None), None
        kind, id_ = target.data(0, ROW_ROLE)
        if kind == "section":
            if where == QAbstractItemView.DropIndicatorPosition.AboveItem:
                index = self.indexOfTopLevelItem(target)
                if index > 0:  # the end of the section above
                    return _row_id(self.topLevelItem(index - 1)), None
                return id_, _row_id(target.child(0))
            if where == QAbstractItemView.DropIndicatorPosition.OnItem:
                return id_, None
            return id_, _row_id(target.child(0))
        section = target.parent()
        assert section is not None  # an entry's row sits in its section's
        index = section.indexOfChild(target)
        if where in (
            QAbstractItemView.DropIndicatorPosition.BelowItem,
            QAbstractItemView.DropIndicatorPosition.OnItem,
        ):
            index += 1
        return section.data(0, ROW_ROLE)[1], _row_id(section.child(index))

    def entry_index(self, entry_id: int) -> int:
        for section in top_rows(self):
            for j, entry in enumerate(child_rows(section)):
                if _row_id(entry) == entry_id:
                    return j
        return 0

    def _section_index(self, section_id: int) -> int:
        for i, section in enumerate(top_rows(self)):
            if _row_id(section) == section_id:
                return i
        return -1


def _row_id(item: QTreeWidgetItem | None) -> int | None:
    """Return the id of the section or entry `item` shows (None for no row)."""
    return item.data(0, ROW_ROLE)[1] if item is not None else None


START_HINT = (
    "Create a pack (Ctrl+N) or open one (Ctrl+O); to bring in more sources,"
    " import documents (Ctrl+I)."
)


class OutlinePane(QWidget):
    """The open pack: a header with its title and marking, and its outline."""

    entry_opened = Signal(object, int)  # EntryKind, target id

    def __init__(self, editor: OutlineEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.title = QLabel("No pack open")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.details = QLabel(START_HINT)
        self.details.setWordWrap(True)
        self.tree = OutlineTree(editor)
        self.tree.itemChanged.connect(self._renamed)
        self.tree.itemSelectionChanged.connect(self._selected)
        self._filling = False

        buttons = QHBoxLayout()
        for text, tip, slot in (
            ("Add section", "Add a section at the end", self.add_section),
            ("Remove", "Remove the selected entries or section (Delete)", self.remove_selected),
            ("▲", "Move up (Alt+Up)", lambda: self.move_selected(-1)),
            ("▼", "Move down (Alt+Down)", lambda: self.move_selected(1)),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        editor.changed.connect(self.show_outline)
        editor.marked.connect(self.show_marking)

    def show_marking(self, outline: PackOutline) -> None:
        """Show the pack's details with what its content is marked, if above its marking."""
        when = format_date(outline.date) if outline.date else ""
        facts = [outline.meeting, when, outline.place, outline.marking or "no marking"]
        self.details.setText(" · ".join(x for x in facts if x))
        self.details.setToolTip("")
        if outline.content_marking:
            raised = "\n".join(f"{o.replace(':', ' ')}: {m}" for o, m in outline.raised_by)
            count = len(outline.raised_by)
            entries = f"{count} entr{'y' if count == 1 else 'ies'}"
            self.details.setText(
                f"{self.details.text()} · content marked {outline.content_marking}"
                f" ({entries} above the pack's marking)"
            )
            self.details.setToolTip(f"Content marked above the pack's marking:\n{raised}")

    def show_outline(self, outline: PackOutline | None) -> None:
        """Redraw from `outline`, keeping the selection, expansion and scroll position."""
        self._filling = True
        selected = {tuple(i.data(0, ROW_ROLE)) for i in self.tree.selectedItems()}
        current = self.tree.currentItem()
        current_row = tuple(current.data(0, ROW_ROLE)) if current is not None else None
        collapsed = {_row_id(top) for top in top_rows(self.tree) if not top.isExpanded()}
        scroll = self.tree.verticalScrollBar().value()
        self.tree.clear()
        if outline is None:
            self.title.setText("No pack open")
            self.details.setText(START_HINT)
            self._filling = False
            return
        self.title.setText(outline.title)
        self.show_marking(outline)
        for section in outline.sections:
            top = QTreeWidgetItem([section.title])
            top.setData(0, ROW_ROLE, ["section", section.id])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsEditable)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for entry in section.entries:
                flag, notes = _review_flag(entry, outline.previous)
                row = QTreeWidgetItem([f"{ENTRY_ICONS[entry.kind]}{flag}  {entry.label}"])
                row.setToolTip(0, "\n".join([entry.label, entry.detail, *notes]))
                row.setData(0, ROW_ROLE, ["entry", entry.id])
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
                top.addChild(row)
            top.setExpanded(section.id not in collapsed)
            for item in (top, *child_rows(top)):
                if tuple(item.data(0, ROW_ROLE)) in selected:
                    item.setSelected(True)
                if tuple(item.data(0, ROW_ROLE)) == current_row:  # Alt+Down again moves it on
                    self.tree.setCurrentItem(item, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.tree.verticalScrollBar().setValue(scroll)
        self._filling = False

    # -- actions ---------------------------------------------------------------

    def select_target(self, kind: str, target_id: int) -> bool:
        """Select (and so open) the first entry showing `kind` ("item", "passage", "source")
        `target_id`, or the section `target_id` for "section"; False when none shows."""
        outline = self.editor.outline
        if outline is None:
            return False
        if kind == "section":
            row = ["section", target_id]
        else:
            entry = next(
                (e for s in outline.sections for e in s.entries
                 if e.kind == kind and e.target_id == target_id),
                None,
            )  # fmt: skip
            if entry is None:
                return False
            row = ["entry", entry.id]
        for top in top_rows(self.tree):
            for item in (top, *child_rows(top)):
                if list(item.data(0, ROW_ROLE)) == row:
                    top.setExpanded(True)
                    self.tree.clearSelection()
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    return True
        return False

    def selected_entries(self) -> list[int]:
        return [id_ for kind, id_ in self._selected_rows() if kind == "entry"]

    def selected_section(self) -> int | None:
        """Return the section selected, or holding the current entry."""
        item = self.tree.currentItem()
        if item is None:
            return None
        return (item.parent() or item).data(0, ROW_ROLE)[1]

    def target_section(self) -> int | None:
        """Return where library additions go: the current section, else the first."""
        section = self.selected_section()
        if section is None and self.tree.topLevelItemCount():
            section = _row_id(self.tree.topLevelItem(0))
        return section

    def add_section(self) -> None:
        if self.editor.pack_id is None:
            return
        title, ok = QInputDialog.getText(self, "Add section", "Section title:")
        if ok and title.strip():
            self.editor.add_section(title)

    def rename_section(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item.parent() or item, 0)

    def remove_selected(self) -> None:
        rows = self._selected_rows()
        sections = [id_ for kind, id_ in rows if kind == "section"]
        if sections:
            self.editor.stack.beginMacro(
                "Remove sections" if len(sections) > 1 else "Remove section"
            )
            for section_id in sections:
                self.editor.remove_section(section_id)
            entries = [e for e in self.selected_entries() if not self._in_sections(e, sections)]
            self.editor.remove(entries)
            self.editor.stack.endMacro()
        else:
            self.editor.remove(self.selected_entries())

    def move_selected(self, step: int) -> None:
        """Move the selected entry (or section) one place up (-1) or down (1)."""
        item = self.tree.currentItem()
        if item is None:
            return
        kind, id_ = item.data(0, ROW_ROLE)
        if kind == "section":
            index = self.tree.indexOfTopLevelItem(item) + step
            if 0 <= index < self.tree.topLevelItemCount():
                self.editor.move_section(id_, index)
            return
        section = item.parent()
        assert section is not None  # an entry's row sits in its section's
        index = section.indexOfChild(item) + step
        section_id = section.data(0, ROW_ROLE)[1]
        if 0 <= index < section.childCount():
            before = section.child(index + 1 if step > 0 else index)
            self.editor.move([id_], section_id, _row_id(before))
            return
        neighbour = self.tree.topLevelItem(self.tree.indexOfTopLevelItem(section) + step)
        if neighbour is not None:  # across into the next or previous section
            first = neighbour.child(0) if step > 0 else None
            self.editor.move([id_], neighbour.data(0, ROW_ROLE)[1], _row_id(first))

    def _selected_rows(self) -> list[tuple[str, int]]:
        return [tuple(i.data(0, ROW_ROLE)) for i in self.tree.selectedItems()]

    def _in_sections(self, entry_id: int, sections: list[int]) -> bool:
        outline = self.editor.outline
        return outline is not None and any(
            s.id in sections and any(e.id == entry_id for e in s.entries) for s in outline.sections
        )

    def _renamed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling:
            return
        kind, id_ = item.data(0, ROW_ROLE)
        outline = self.editor.outline
        old = next((s.title for s in outline.sections if s.id == id_), None) if outline else None
        title = item.text(0).strip()
        if kind == "section" and title and title != old:
            self.editor.rename_section(id_, title)
        elif kind == "section" and old is not None:
            self._filling = True
            item.setText(0, old)
            self._filling = False

    def _selected(self) -> None:
        item = self.tree.currentItem()
        outline = self.editor.outline
        if self._filling or item is None or outline is None or not item.isSelected():
            return
        kind, id_ = item.data(0, ROW_ROLE)
        entry = outline.entry(id_) if kind == "entry" else None
        if entry is not None and not entry.withheld:  # a withheld one has nothing to open
            self.entry_opened.emit(entry.kind, entry.target_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete):
            self.remove_selected()
        else:
            super().keyPressEvent(event)


def _review_flag(entry: EntryView, previous: str) -> tuple[str, list[str]]:
    """Return the mark an entry to review carries in the outline, and why (for its tooltip)."""
    notes = []
    if entry.superseded_by:
        notes.append(f"Its source is superseded by {entry.superseded_by}:"
                     " Pack ▸ Refresh from newer sources")  # fmt: skip
    if entry.carried:
        notes.append(f"Carried from the previous meeting's pack ({previous or 'deleted'}):"
                     " review it")  # fmt: skip
    return (" ⚠" if entry.superseded_by else " ↻" if entry.carried else ""), notes
