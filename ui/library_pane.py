"""The library pane: sources and their passages, items, people, glossary and commitments;
search; topics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing.dates import short_date
from briefing.views import EntryKind, ItemInfo, ItemStatus, LibraryView, TopicInfo
from ui.commitments_tab import CommitmentsTab
from ui.ops import Op, TaskRunner, error_message
from ui.qt import (
    QAbstractItemView,
    QAction,
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMimeData,
    QPushButton,
    QStackedWidget,
    Qt,
    QTabWidget,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.refs import Ref, refs_mime
from ui.rich_text import HIGHLIGHT, HTML_ROLE, RichTextDelegate, emphasised, plain
from ui.tree_rows import top_rows

if TYPE_CHECKING:  # the core: imported on the worker, after the first look (ui.main_window)
    from briefing.browse import PassageInfo
    from briefing.changes import Changes
    from briefing.items import ItemData
    from briefing.library import Hit

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 100
REF_ROLE = Qt.ItemDataRole.UserRole


def _item_label(info: ItemInfo | ItemData) -> str:
    """An item's row in the list: its title, then kind, marking and whether it is a draft."""
    marking = f" · {info.marking}" if info.marking else ""
    draft = " · draft" if info.status is ItemStatus.DRAFT else ""
    return f"{info.title or '(untitled)'}\n{info.kind.value}{marking}{draft}"


def _ref_of(row: QTreeWidgetItem | QListWidgetItem) -> Ref | None:
    if isinstance(row, QTreeWidgetItem):
        return row.data(0, REF_ROLE)
    return row.data(REF_ROLE)


def _refs(rows: Sequence[QTreeWidgetItem] | Sequence[QListWidgetItem]) -> list[Ref]:
    return [r for row in rows if (r := _ref_of(row)) is not None]


class _RefTree(QTreeWidget):
    """A tree whose rows carry `Ref`s and can be dragged into the outline."""

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        return refs_mime(_refs(items))


class _RefList(QListWidget):
    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        return refs_mime(_refs(items))


def _draggable(view: QAbstractItemView) -> None:
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)


class LibraryPane(QWidget):
    """Browse and search the library; emits what the user opens or wants in the pack."""

    passage_opened = Signal(int)
    item_opened = Signal(int)
    add_requested = Signal(list)  # list[Ref]
    new_item_requested = Signal()
    delete_item_requested = Signal(int)
    delete_source_requested = Signal(int)
    source_marking_requested = Signal(int)
    loaded = Signal(object)  # LibraryView

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.view: LibraryView | None = None

        self.search = QLineEdit(placeholderText="Search the library…", clearButtonEnabled=True)
        self.search.setAccessibleName("Search the library")
        self.topic = QComboBox()
        self.topic.setToolTip("Show only what is tagged with this topic (passages · items)")
        self.topic.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.topic.setMinimumContentsLength(16)

        self.sources = _RefTree()
        self.sources.setHeaderHidden(True)
        self.sources.setWordWrap(True)
        self.sources.setUniformRowHeights(False)
        self.sources.itemExpanded.connect(self._load_passages)
        self.sources.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        delete_source_action = QAction("Delete source…", self.sources)
        delete_source_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete)])
        delete_source_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_source_action.triggered.connect(self._delete_source)
        self.sources.addAction(delete_source_action)
        marking_action = QAction("Set marking…", self.sources)
        marking_action.triggered.connect(self._mark_source)
        self.sources.addAction(marking_action)
        self.items = _RefList()
        self.people = QTreeWidget()
        self.people.setHeaderLabels(["Name", "Role", "Organisation", "Side"])
        self.people.setRootIsDecorated(False)
        self.glossary = QTreeWidget()
        self.glossary.setHeaderLabels(["Term", "Meaning"])
        self.glossary.setRootIsDecorated(False)
        self.results = _RefList()
        self.results.setWordWrap(True)
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results_label = QLabel()
        for view in (self.sources, self.items, self.results):
            _draggable(view)

        new_item = QPushButton("New item")
        new_item.setToolTip("Write a new briefing item (objective, line to take, …)")
        new_item.clicked.connect(self.new_item_requested)
        delete_item = QPushButton("Delete item")
        delete_item.clicked.connect(self._delete_item)
        items_page = QWidget()
        items_layout = QVBoxLayout(items_page)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(self.items)
        buttons = QHBoxLayout()
        buttons.addWidget(new_item)
        buttons.addWidget(delete_item)
        buttons.addStretch()
        items_layout.addLayout(buttons)
        delete_source = QPushButton("Delete source")
        delete_source.setToolTip("Delete the selected source and its passages (Undo puts it back)")
        delete_source.clicked.connect(self._delete_source)
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.setContentsMargins(0, 0, 0, 0)
        sources_layout.addWidget(self.sources)
        mark_source = QPushButton("Set marking…")
        mark_source.setToolTip("The source's protective marking (read from its banner on import)")
        mark_source.clicked.connect(self._mark_source)
        source_buttons = QHBoxLayout()
        source_buttons.addWidget(delete_source)
        source_buttons.addWidget(mark_source)
        source_buttons.addStretch()
        sources_layout.addLayout(source_buttons)
        self.delete_source_button = delete_source

        self.tabs = QTabWidget()
        self.tabs.addTab(sources_page, "Sources")
        self.tabs.addTab(items_page, "Items")
        self.tabs.addTab(self.people, "People")
        self.tabs.addTab(self.glossary, "Glossary")
        self.commitments = CommitmentsTab(runner)
        self.tabs.addTab(self.commitments, "Commitments")
        self.commitments.loaded.connect(
            lambda found: self.tabs.setTabText(
                self.tabs.indexOf(self.commitments), f"Commitments ({len(found)})"
            )
        )
        results_page = QWidget()
        results_layout = QVBoxLayout(results_page)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.addWidget(self.results_label)
        results_layout.addWidget(self.results)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(results_page)

        add = QPushButton("Add to pack")
        add.setToolTip("Add the selected passages, items or sources to the pack (or drag them)")
        add.clicked.connect(lambda: self.add_requested.emit(self.selected_refs()))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.topic)
        layout.addWidget(self.stack, 1)
        layout.addWidget(add)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.topic.currentIndexChanged.connect(self._topic_changed)
        for view in (self.sources, self.results):
            view.itemActivated.connect(self._activated)
            view.itemSelectionChanged.connect(self._selected)
        self.items.itemActivated.connect(self._activated)
        self.items.itemSelectionChanged.connect(self._selected)
        runner.changed.connect(self._library_changed)

    # -- loading -------------------------------------------------------------

    @property
    def topic_id(self) -> int | None:
        value = self.topic.currentData()
        return int(value) if value else None

    def _library_changed(self, changes: Changes) -> None:
        # the view holds the marking scheme too (the editor's and dialogs' choices)
        if changes.touches_sources() or changes.touches_items() or changes.markings:
            self.refresh()

    def refresh(self) -> None:
        """Reload every list in the background."""
        topic_id = self.topic_id
        Op(self, self.runner, lambda lib, _p: lib.library_view(topic_id), key="library").success(
            self.show_view
        ).run()
        self.commitments.refresh()
        if self.search.text().strip():
            self._run_search()

    def show_view(self, view: LibraryView) -> None:
        """List what `view` holds (and keep it as the pane's view)."""
        self.view = view
        self._fill_topics(view.topics)
        self.commitments.show_topics(view.topics)
        self._fill_sources(view)
        selected = set(_refs(self.items.selectedItems()))
        self.items.blockSignals(True)  # a reload is no new selection
        self.items.clear()
        for info in view.items:
            row = QListWidgetItem(_item_label(info))
            row.setData(REF_ROLE, Ref(EntryKind.ITEM, info.id))
            self.items.addItem(row)
            row.setSelected(row.data(REF_ROLE) in selected)
        self.items.blockSignals(False)
        self.tabs.setTabText(1, f"Items ({len(view.items)})")
        self.people.clear()
        for person in view.people:
            person_row = QTreeWidgetItem(
                [person.name, person.role, person.organisation, person.side]
            )
            person_row.setToolTip(1, person.role)
            self.people.addTopLevelItem(person_row)
        self.people.resizeColumnToContents(0)
        self.glossary.clear()
        for term in view.glossary:
            self.glossary.addTopLevelItem(QTreeWidgetItem([term.term, term.expansion]))
        self.glossary.resizeColumnToContents(0)
        self.loaded.emit(view)

    def show_item(self, info: ItemInfo | ItemData) -> None:
        """Relabel the item's row after it was saved (the rest of the list stays as it is)."""
        if info.id is None:  # not stored, so not listed
            return
        for i in range(self.items.count()):
            row = self.items.item(i)
            if row.data(REF_ROLE) == Ref(EntryKind.ITEM, info.id):
                row.setText(_item_label(info))

    def _fill_topics(self, topics: list[TopicInfo]) -> None:
        current = self.topic_id
        self.topic.blockSignals(True)
        self.topic.clear()
        self.topic.addItem("All topics", 0)
        for t in topics:
            self.topic.addItem(f"{t.name}  ({t.passages} · {t.items})", t.id)
            self.topic.setItemData(
                self.topic.count() - 1,
                f"{t.passages} passages and {t.items} items tagged {t.name}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.topic.setCurrentIndex(max(0, self.topic.findData(current or 0)))
        self.topic.blockSignals(False)

    def _fill_sources(self, view: LibraryView) -> None:
        expanded = {
            r.id
            for item in top_rows(self.sources)
            if item.isExpanded() and (r := item.data(0, REF_ROLE)) is not None
        }
        self.sources.clear()
        for source in view.sources:
            if view.shown_sources is not None and source.id not in view.shown_sources:
                continue
            when = f"{short_date(source.date)} · " if source.date else ""
            row = QTreeWidgetItem([source.title])
            also = f"\n{source.also_as().capitalize()}" if source.also_as() else ""
            tip = f"{source.title}\n{when}{source.kind} · {source.passages} passages{also}"
            row.setToolTip(0, tip)
            row.setData(0, REF_ROLE, Ref(EntryKind.SOURCE, source.id))
            row.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.sources.addTopLevelItem(row)
            if source.id in expanded:
                row.setExpanded(True)
        self.tabs.setTabText(0, f"Sources ({self.sources.topLevelItemCount()})")

    def _load_passages(self, row: QTreeWidgetItem) -> None:
        ref = row.data(0, REF_ROLE)
        if ref is None or ref.kind is not EntryKind.SOURCE:
            return
        topic_id = self.topic_id
        Op(
            self, self.runner, lambda lib, _p: lib.passages(ref.id, topic_id), key=f"p{ref.id}"
        ).success(lambda found: self._show_passages(ref, found)).run()

    def _show_passages(self, source: Ref, found: list[PassageInfo]) -> None:
        row = next(
            (item for item in top_rows(self.sources) if item.data(0, REF_ROLE) == source), None
        )
        if row is None:
            return
        row.takeChildren()
        for p in found:
            child = QTreeWidgetItem([f"¶{p.seq}  {p.text}"])
            child.setToolTip(0, ", ".join(p.topics) or "no topics")
            child.setData(0, REF_ROLE, Ref(EntryKind.PASSAGE, p.id))
            if p.heading:
                font = child.font(0)
                font.setBold(True)
                child.setFont(0, font)
            row.addChild(child)

    def _topic_changed(self) -> None:
        self.refresh()

    # -- search --------------------------------------------------------------

    def _run_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.stack.setCurrentIndex(0)
            self.runner.cancel_key("search")
            return
        topic_id = self.topic_id
        Op(
            self,
            self.runner,
            lambda lib, _p: lib.search(
                query, topic_id=topic_id, limit=SEARCH_LIMIT, as_you_type=True, mark=HIGHLIGHT
            ),
            key="search",
        ).success(lambda hits: self._show_results(query, hits)).failure(
            lambda error: self._search_failed(query, error)
        ).run()

    def _search_failed(self, query: str, error: BaseException) -> None:
        if query == self.search.text().strip():
            self.results.clear()
            self.results_label.setText(error_message(error))
            self.stack.setCurrentIndex(1)

    def _show_results(self, query: str, hits: list[Hit]) -> None:
        if query != self.search.text().strip():
            return  # the user typed on; a newer search is coming
        self.results.clear()
        for hit in hits:
            kind = EntryKind(hit.kind)
            where = f"{hit.source_title} ¶{hit.seq}" if hit.seq else hit.source_title
            text = f"{where or kind.value.capitalize()}\n{hit.snippet}"
            row = QListWidgetItem(plain(text))
            row.setData(HTML_ROLE, emphasised(text))  # matched words in bold
            row.setData(REF_ROLE, Ref(kind, hit.id))
            self.results.addItem(row)
        count = len(hits)
        self.results_label.setText(
            f"{count} result{'s' if count != 1 else ''} for “{query}”"
            if count
            else f"Nothing matches “{query}”"
        )
        self.stack.setCurrentIndex(1)

    # -- selection -----------------------------------------------------------

    def selected_refs(self) -> list[Ref]:
        return _refs(self._current_view().selectedItems())

    def _current_view(self) -> QTreeWidget | QListWidget:
        if self.stack.currentIndex() == 1:
            return self.results
        return self.items if self.tabs.currentIndex() == 1 else self.sources

    def _activated(self, row: QTreeWidgetItem | QListWidgetItem) -> None:
        ref = _ref_of(row)
        if ref is not None and ref.kind is not EntryKind.SOURCE:
            self.add_requested.emit([ref])

    def _selected(self) -> None:
        refs = self.selected_refs()
        if len(refs) != 1:
            return
        if refs[0].kind is EntryKind.PASSAGE:
            self.passage_opened.emit(refs[0].id)
        elif refs[0].kind is EntryKind.ITEM:
            self.item_opened.emit(refs[0].id)

    def _delete_item(self) -> None:
        row = self.items.currentItem()
        if row is not None:
            self.delete_item_requested.emit(row.data(REF_ROLE).id)

    def selected_source(self) -> int | None:
        """The source selected in the Sources tab (the one holding a selected passage)."""
        row = self.sources.currentItem()
        while row is not None and row.parent() is not None:
            row = row.parent()
        ref = None if row is None else _ref_of(row)
        return ref.id if ref is not None and ref.kind is EntryKind.SOURCE else None

    def _delete_source(self) -> None:
        source_id = self.selected_source()
        if source_id is not None:
            self.delete_source_requested.emit(source_id)

    def _mark_source(self) -> None:
        source_id = self.selected_source()
        if source_id is not None:
            self.source_marking_requested.emit(source_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
