"""The right-hand editor: one of the user's items (autosaved) or a passage (read only)."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing.browse import PassageInfo
from briefing.changes import Changes
from briefing.errors import Conflict, Missing
from briefing.items import CitationInfo, HistoryEntry, ItemData
from briefing.library import EntryKind, ItemKind, ItemStatus, TopicInfo
from briefing.outline import short
from ui.marking_box import choose_marking, marking_box, set_markings
from ui.ops import Op, TaskRunner
from ui.qt import (
    QComboBox,
    QEventLoop,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTextBrowser,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.refs import Ref, mime_refs

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefing.library import Library
    from ui.qt import QDragMoveEvent, QDropEvent

AUTOSAVE_MS = 800
TOPIC_ROLE = Qt.ItemDataRole.UserRole


class CitationList(QListWidget):
    """The passages an item cites; passages dropped from the library are added."""

    dropped = Signal(list)  # list[Ref]

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setWordWrap(True)

    def dragEnterEvent(self, event: QDragMoveEvent) -> None:
        if mime_refs(event.mimeData()):
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event: QDropEvent) -> None:
        self.dropped.emit(mime_refs(event.mimeData()))
        event.acceptProposedAction()


class ItemEditor(QWidget):
    """Edit one item; changes are saved shortly after each edit, and before leaving it."""

    saved = Signal(object)  # ItemData, as stored
    settled = Signal()  # a save finished, stored or not
    cite_requested = Signal()
    opened = Signal(int)  # the id of another item to edit (a conflict's "keep both" copy)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.data: ItemData | None = None  # as last stored
        self.citations: list[CitationInfo] = []
        self.save_error: str | None = None
        self._saving = 0
        self._loading = False

        self.title = QLineEdit(placeholderText="Title (the question, for an “if asked” line)")
        self.kind = QComboBox()
        for kind in ItemKind:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.marking = marking_box(())
        self.marking.setToolTip("Protective marking; higher than the pack's warns before export")
        self.status = QComboBox()
        for status in ItemStatus:
            self.status.addItem(status.value.capitalize(), status.value)
        self.topics = QListWidget()
        self.topics.setMaximumHeight(110)
        self.body = QPlainTextEdit(placeholderText="Write in Markdown: **bold**, *italic*, - lists")
        self.rendered = QTextBrowser()
        self.rendered.setOpenExternalLinks(False)
        self.cites = CitationList()
        self.cites.setMaximumHeight(110)
        self.cites.dropped.connect(self.add_citations)
        cite = QPushButton("Cite selected passage")
        cite.setToolTip("Cite the passage selected in the library (or drop passages here)")
        cite.clicked.connect(self.cite_requested)
        uncite = QPushButton("Remove citation")
        uncite.clicked.connect(self._remove_citation)
        self.history = QPushButton("History…")
        self.history.setToolTip("Texts this item had before edits and conflicting saves")
        self.history.clicked.connect(self.show_history)
        self.history_dialog: QWidget | None = None
        self.state = QLabel()
        self.state.setAccessibleName("Save state")

        form = QFormLayout()
        form.addRow("&Title", self.title)
        row = QHBoxLayout()
        for label, widget in (
            ("&Kind", self.kind),
            ("&Marking", self.marking),
            ("&Status", self.status),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget, 1)
        form.addRow(row)
        form.addRow("Topics", self.topics)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.body)
        split.addWidget(self.rendered)
        form.addRow("&Body", split)
        cite_buttons = QHBoxLayout()
        cite_buttons.addWidget(cite)
        cite_buttons.addWidget(uncite)
        cite_buttons.addStretch()
        cite_box = QVBoxLayout()
        cite_box.addWidget(self.cites)
        cite_box.addLayout(cite_buttons)
        form.addRow("Citations", cite_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.history)
        layout.addLayout(state_row)

        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)
        for signal in (
            self.title.textChanged,
            self.kind.currentIndexChanged,
            self.marking.currentTextChanged,
            self.status.currentIndexChanged,
            self.body.textChanged,
            self.topics.itemChanged,
        ):
            signal.connect(self._edited)
        self.body.textChanged.connect(self._render_body)
        runner.changed.connect(self._library_changed)
        self.conflict_box: QMessageBox | None = None

    # -- loading -------------------------------------------------------------

    def set_choices(self, topics: list[TopicInfo], markings: list[str]) -> None:
        """Offer these topics and markings (keeps the item's own)."""
        self._loading = True
        offered = [(row.data(TOPIC_ROLE), row.text()) for row in self._topic_rows()]
        if offered != [(t.id, t.name) for t in topics]:  # else keep the rows and their ticks
            self._offer_topics(topics)
        set_markings(self.marking, markings)
        self._loading = False

    def _offer_topics(self, topics: list[TopicInfo]) -> None:
        checked = self._checked_topics()
        self.topics.clear()
        for t in topics:
            row = QListWidgetItem(t.name)
            row.setData(TOPIC_ROLE, t.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if t.id in checked else Qt.CheckState.Unchecked)
            self.topics.addItem(row)

    def _topic_rows(self) -> list[QListWidgetItem]:
        return [self.topics.item(i) for i in range(self.topics.count())]

    def open_item(self, item_id: int) -> None:
        """Save the current item, then load item `item_id`."""
        self.flush()
        Op(self, self.runner, lambda lib, _p: lib.item(item_id), key="item").success(
            self.show_data
        ).run()

    def show_history(self) -> None:
        """Show the texts set aside from the item being edited (newest first)."""
        data = self.data
        if data is None or data.id is None:
            return
        item_id, title = data.id, data.title

        def show(entries: list[HistoryEntry]) -> None:
            from ui.dialogs.item_history import ItemHistoryDialog

            self.history_dialog = ItemHistoryDialog(title, entries, self)
            self.history_dialog.show()

        Op(self, self.runner, lambda lib, _p: lib.item_history(item_id)).success(show).run()

    def _library_changed(self, changes: Changes) -> None:
        """Another window or program may have saved this item: show its text, unless the
        form holds edits of its own (their save then meets the conflict and asks)."""
        data = self.data
        if data is None or data.id is None or not changes.touches_item(data.id) or self._saving:
            return
        item_id = data.id

        def loaded(stored: ItemData) -> None:
            current = self.data
            # the same version: this window's own save
            if current is not None and stored.id == current.id and not self.dirty and (
                stored.version != current.version
            ):
                self.show_data(stored)

        def gone(_error: BaseException) -> None:
            if self.data is None or self.data.id != data.id:
                return
            if self.dirty:
                self.save()  # meets `Missing`: the edits are kept as a new item
            else:
                self.state.setText("This item was deleted elsewhere.")
                self.data = None

        Op(self, self.runner, lambda lib, _p: lib.item(item_id), key="item-check").success(
            loaded
        ).failure(gone).run()

    def show_data(self, data: ItemData) -> None:
        self._loading = True
        self.data = data
        self.title.setText(data.title)
        self.kind.setCurrentIndex(self.kind.findData(data.kind.value))
        choose_marking(self.marking, data.marking)
        self.status.setCurrentIndex(self.status.findData(data.status.value))
        for row in self._topic_rows():
            on = row.data(TOPIC_ROLE) in data.topic_ids
            row.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.body.setPlainText(data.body)
        self.citations = list(data.citations)
        self._show_citations()
        self._render_body()
        self.state.setText("Saved")
        self._loading = False

    # -- saving --------------------------------------------------------------

    def current(self) -> ItemData | None:
        if self.data is None:
            return None
        return ItemData(
            kind=ItemKind(self.kind.currentData()),
            title=self.title.text(),
            body=self.body.toPlainText(),
            marking=self.marking.currentText(),
            status=ItemStatus(self.status.currentData()),
            topic_ids=tuple(sorted(self._checked_topics())),
            citations=tuple(self.citations),
            id=self.data.id,
            version=self.data.version,  # what this form started from: a newer save conflicts
            updated_at=self.data.updated_at,
        )

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not yet stored."""
        current = self.current()
        return current is not None and self.data is not None and _differs(current, self.data)

    def save(self) -> None:
        """Store the form's changes in the background (autosave calls this)."""
        self._timer.stop()
        data = self.current()
        if data is None or self.data is None or not _differs(data, self.data):
            return
        self._saving += 1
        self.state.setText("Saving…")
        Op(self, self.runner, lambda lib, _p: lib.update_item(data)).success(self._saved).failure(
            lambda error: self._save_failed(data, error)
        ).run()

    def flush(self, wait: bool = False) -> None:
        """Save pending changes now; with `wait`, return only once they are stored."""
        self.save()
        while wait and self._saving:
            loop = QEventLoop()
            self.settled.connect(loop.quit)
            loop.exec()
            self.settled.disconnect(loop.quit)

    def _saved(self, data: ItemData) -> None:
        self._saving -= 1
        self.save_error = None
        if self.data is not None and self.data.id == data.id:
            self.data = data  # with its new version: the next save starts from it
            self.state.setText("Saved" if not self.dirty else "Editing…")
        self.saved.emit(data)
        self.settled.emit()

    def _save_failed(self, mine: ItemData, error: BaseException) -> None:
        self._saving -= 1
        if isinstance(error, Conflict) and isinstance(error.theirs, ItemData):
            self._resolve(mine, error.theirs, str(error))
            return
        if isinstance(error, Missing) and mine.id is not None:
            self._save_as_new(mine)
            return
        self.save_error = str(error)
        self.state.setText(f"Not saved: {error}")
        self.settled.emit()

    def _save_as_new(self, mine: ItemData) -> None:
        """The item was deleted elsewhere while this form held edits: keep them as a new
        item (its citations of passages deleted since are dropped), and edit that."""
        self._settle_with(lambda lib: (lib.item(lib.create_item(replace(
            mine, id=None, version=0, citations=tuple(
                c for c in mine.citations if lib.passage(c.passage_id) is not None))
        )), None), "It was deleted elsewhere: your text is saved as a new item.")  # fmt: skip

    def _resolve(self, mine: ItemData, theirs: ItemData, message: str) -> None:
        """Ask whether to keep my text, take theirs, or keep both; no text is ever lost:
        the one set aside goes to the item's history, or becomes a new item."""
        self.save_error = message
        self.state.setText(f"Not saved: {message}")
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed elsewhere", f"{message}.", parent=self)
        box.setInformativeText(
            "Keep mine saves your text over theirs; take theirs shows their text. Either way,"
            " the other text is kept in the item's history. Keep both saves yours as a new item."
        )
        keep = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        take = box.addButton("Take theirs", QMessageBox.ButtonRole.RejectRole)
        both = box.addButton("Keep both", QMessageBox.ButtonRole.ActionRole)
        keep.clicked.connect(lambda: self._keep_mine(mine, theirs))
        take.clicked.connect(lambda: self._take_theirs(mine, theirs))
        both.clicked.connect(lambda: self._keep_both(mine, theirs))
        self.conflict_box = box
        box.open()
        self.settled.emit()  # the save ended: not stored, until the user chooses

    def _settle_with(
        self, fn: Callable[[Library], tuple[ItemData, int | None]], note: str = "Saved"
    ) -> None:
        """Run a conflict's resolution as one op; it returns the item to show and, for
        "keep both", the id of the new item holding my text. `note` says what happened."""
        self._saving += 1
        Op(self, self.runner, lambda lib, _p: fn(lib)).success(
            lambda result: self._resolved(result, note)
        ).failure(lambda error: self._save_failed(self.data or ItemData(), error)).run()

    def _keep_mine(self, mine: ItemData, theirs: ItemData) -> None:
        def keep(lib: Library) -> tuple[ItemData, int | None]:
            lib.keep_item_text(theirs, "replaced by a conflicting save (kept mine)")
            return lib.update_item(replace(mine, version=theirs.version)), None

        self._settle_with(keep)

    def _take_theirs(self, mine: ItemData, theirs: ItemData) -> None:
        def take(lib: Library) -> tuple[ItemData, int | None]:
            lib.keep_item_text(mine, "set aside for a conflicting save (took theirs)")
            return theirs, None

        self._settle_with(take)

    def _keep_both(self, mine: ItemData, theirs: ItemData) -> None:
        def both(lib: Library) -> tuple[ItemData, int | None]:
            title = f"{mine.title} (my version)".strip()
            return theirs, lib.create_item(replace(mine, title=title, id=None, version=0))

        self._settle_with(both)

    def _resolved(self, result: tuple[ItemData, int | None], note: str) -> None:
        stored, copy = result
        self._saving -= 1
        self.save_error = None
        self.show_data(stored)
        self.state.setText(note)
        self.saved.emit(stored)
        self.settled.emit()
        if copy is not None:
            self.opened.emit(copy)

    def _edited(self) -> None:
        if not self._loading and self.data is not None:
            self.state.setText("Editing…")
            self._timer.start()

    # -- citations and body --------------------------------------------------

    def add_citations(self, refs: list[Ref]) -> None:
        ids = [r.id for r in refs if r.kind is EntryKind.PASSAGE]
        if not ids or self.data is None:
            return

        Op(self, self.runner, lambda lib, _p: lib.passages_by_id(ids)).success(self._cite).run()

    def _cite(self, found: list[PassageInfo]) -> None:
        held = {c.passage_id for c in self.citations}
        for p in found:
            if p.id not in held:
                self.citations.append(CitationInfo(p.id, p.source_title, p.seq, p.text))
        self._show_citations()
        self._edited()

    def _remove_citation(self) -> None:
        row = self.cites.currentRow()
        if 0 <= row < len(self.citations):
            del self.citations[row]
            self._show_citations()
            self._edited()

    def _show_citations(self) -> None:
        self.cites.clear()
        for c in self.citations:
            self.cites.addItem(f"{c.source_title} ¶{c.seq}: {short(c.text, 70)}")

    def _render_body(self) -> None:
        """Show the body as the export reads it: the same Markdown parser (not Qt's own)."""
        from briefing.markdown import markdown_html  # markdown-it: not at start-up

        self.rendered.setHtml(markdown_html(self.body.toPlainText()))

    def _checked_topics(self) -> set[int]:
        return {
            row.data(TOPIC_ROLE)
            for row in self._topic_rows()
            if row.checkState() == Qt.CheckState.Checked
        }


def _differs(a: ItemData, b: ItemData) -> bool:
    return (a.kind, a.title, a.body, a.marking, a.status, set(a.topic_ids)) != (
        b.kind,
        b.title,
        b.body,
        b.marking,
        b.status,
        set(b.topic_ids),
    ) or [c.passage_id for c in a.citations] != [c.passage_id for c in b.citations]


class PassageView(QWidget):
    """A passage with its source, paragraph number and topics (read only).

    While an item is open in the editor, a button cites the passage in it.
    """

    cite_requested = Signal(int)  # passage id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passage_id: int | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.text = QTextBrowser()
        self.topics = QLabel()
        self.topics.setWordWrap(True)
        self.cite = QPushButton()
        self.cite.setToolTip("Add this passage to the citations of the item you were editing")
        self.cite.clicked.connect(self._cite)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cite)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.topics)
        layout.addLayout(buttons)

    def show_passage(self, passage: PassageInfo, item_title: str | None = None) -> None:
        """Show `passage`; offer to cite it in the item titled `item_title`, if one is open."""
        self.passage_id = passage.id
        source = html.escape(passage.source_title, quote=False)
        self.heading.setText(f"<b>{source}</b>, paragraph {passage.seq}")
        self.text.setPlainText(passage.text)
        self.topics.setText("Topics: " + (", ".join(passage.topics) or "none"))
        self.cite.setVisible(item_title is not None)
        self.cite.setText(f"Cite in “{short(item_title or '(untitled)', 40)}”")

    def _cite(self) -> None:
        if self.passage_id is not None:
            self.cite_requested.emit(self.passage_id)


class EditorPanel(QStackedWidget):
    """The "Editor" tab: a hint, the item editor or the passage view."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        hint = QLabel("Select an item or a passage to see it here.\nNew item: Ctrl+Shift+N.")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.items = ItemEditor(runner)
        self.passage = PassageView()
        for page in (hint, self.items, self.passage):
            self.addWidget(page)
        self.passage.cite_requested.connect(self._cite)

    def open_item(self, item_id: int) -> None:
        self.items.open_item(item_id)
        self.setCurrentWidget(self.items)

    def open_passage(self, passage_id: int) -> None:
        self.items.flush()
        Op(self, self.runner, lambda lib, _p: lib.passage(passage_id), key="item").success(
            self._show_passage
        ).run()

    def _show_passage(self, passage: PassageInfo | None) -> None:
        if passage is not None:
            item = self.items.title.text() if self.items.data is not None else None
            self.passage.show_passage(passage, item)
            self.setCurrentWidget(self.passage)

    def _cite(self, passage_id: int) -> None:
        """Cite the passage shown in the item being edited, and go back to that item."""
        self.items.add_citations([Ref(EntryKind.PASSAGE, passage_id)])
        self.setCurrentWidget(self.items)
