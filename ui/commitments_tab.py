"""The library pane's Commitments tab: the ledger, filtered by counterpart, topic and status,
with each commitment's status editable in place (a drop-down in the Status column)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from briefing.dates import short_date
from ui.dialogs.dates import chosen_date, date_field
from ui.ops import Op, TaskRunner, show_error
from ui.qt import (
    QAbstractItemModel,
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QColor,
    QComboBox,
    QDateEdit,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)

COLUMNS = ("Who", "What", "By when", "Status", "Owner", "Source")
DUE = COLUMNS.index("By when")
STATUS = COLUMNS.index("Status")
OWNER = COLUMNS.index("Owner")
SETTABLE = ("open", "done", "dropped")  # "overdue" follows from the date
FILTERS = ("open", "overdue", "done", "dropped")
FIT_ROWS = 300  # rows made as tall as their text; a longer ledger keeps one line a row
Index = QModelIndex | QPersistentModelIndex


if TYPE_CHECKING:  # the core: loaded after the first look (ui.main_window)
    from briefing.changes import Changes
    from briefing.commitments.ledger import CommitmentInfo
    from briefing.library import Library
    from briefing.views import TopicInfo


class CommitmentsModel(QAbstractTableModel):
    """The commitments shown, one per row; setting a row's date, status or owner emits
    `edited`."""

    edited = Signal(object, str, object)  # CommitmentInfo, the field ("due", …), its value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[CommitmentInfo] = []

    def show(self, rows: list[CommitmentInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        editable = index.column() in (DUE, STATUS, OWNER)
        return flags | Qt.ItemFlag.ItemIsEditable if editable else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.ItemDataRole.EditRole and index.column() == DUE:
            return c.due
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            due = short_date(c.due) if c.due else ""
            source = f"{c.source}, para {c.paragraph}"
            return (c.who, c.what, due, c.status, c.owner, source)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = f"\n\nNotes:\n{c.notes}" if c.notes else ""
            topics = f"\nTopics: {', '.join(c.topics)}" if c.topics else ""
            return f"{c.text}\n\n{c.source}, para {c.paragraph}{topics}{notes}"
        if c.overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#b00020"))
        if c.overdue and role == Qt.ItemDataRole.FontRole and index.column() == STATUS:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in (DUE, STATUS, OWNER):
            return False
        c = self.rows[index.row()]
        if index.column() == DUE:
            if value == c.due:
                return False
            self.edited.emit(c, "due", value)
            return True
        if index.column() == OWNER:
            owner = " ".join(str(value).split())
            if owner == c.owner:
                return False
            self.edited.emit(c, "owner", owner)
            return True
        if value not in SETTABLE or value == c.status:
            return False
        self.edited.emit(c, "status", str(value))
        return True


class StatusDelegate(QStyledItemDelegate):
    """Edits a status with a drop-down of the statuses one sets: open, done, dropped."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.addItems(list(SETTABLE))
        box.setAccessibleName("Status")
        box.activated.connect(lambda _: self.commitData.emit(box))
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        status = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentText("open" if status == "overdue" else status)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class DueDelegate(QStyledItemDelegate):
    """Edits the date a commitment is due by with a calendar (today's for one without)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        field = date_field(index.data(Qt.ItemDataRole.EditRole) or date.today())
        field.setParent(parent)
        field.setAccessibleName("Due by")
        return field

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, chosen_date(editor), Qt.ItemDataRole.EditRole)


class CommitmentsTab(QWidget):
    """The ledger, filtered; reloads itself when the library changes."""

    loaded = Signal(list)  # list[CommitmentInfo]

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.counterpart = QComboBox()
        self.counterpart.setAccessibleName("Counterpart")
        self.counterpart.addItem("Everyone", "")
        self.topic = QComboBox()
        self.topic.setAccessibleName("Topic")
        self.topic.addItem("All topics", 0)
        self.known: list[str] | None = None  # the counterparts offered; None: read them again
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItem("Any status", "")
        for status in FILTERS:
            self.status.addItem(status.capitalize(), status)
        self.model = CommitmentsModel(self)
        self.model.edited.connect(self._edit)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setItemDelegateForColumn(DUE, DueDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COLUMNS.index("What"), QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.add_note = QPushButton("Add note…")
        self.add_note.setToolTip("Add a dated note to the selected commitment")
        self.add_note.clicked.connect(self.ask_note)
        self.add_note.setEnabled(False)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.add_note.setEnabled(self.selected() is not None)
        )

        filters = QHBoxLayout()
        for box in (self.counterpart, self.topic, self.status):
            filters.addWidget(box)
            box.currentIndexChanged.connect(self.refresh)
        filters.addStretch(1)
        filters.addWidget(self.add_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        runner.changed.connect(self._library_changed)

    def _library_changed(self, changes: Changes) -> None:
        if changes.touches_sources():
            self.known = None
        if changes.touches_commitments():
            self.refresh()

    def show_topics(self, topics: list[TopicInfo]) -> None:
        """Offer `topics` in the topic filter, keeping the one chosen."""
        _offer(self.topic, [("All topics", 0), *((t.name, t.id) for t in topics)])

    def refresh(self) -> None:
        """Reload the ledger with the filters chosen, in the background."""
        counterpart = self.counterpart.currentData() or None
        topic_id = self.topic.currentData() or None
        status = self.status.currentData() or None
        known = self.known  # read from every source: only again once the sources change

        def load(lib: Any, _progress: object) -> tuple[list[CommitmentInfo], list[str]]:
            found = lib.commitments(counterpart=counterpart, topic_id=topic_id, status=status)
            return found, lib.counterparts() if known is None else known

        Op(self, self.runner, load, key="commitments").success(self._show).run()

    def _show(self, loaded: tuple[list[CommitmentInfo], list[str]]) -> None:
        found, counterparts = loaded
        self.known = counterparts
        _offer(self.counterpart, [("Everyone", ""), *((f"With {n}", n) for n in counterparts)])
        self.model.show(found)
        if len(found) <= FIT_ROWS:  # measuring every row of a long ledger would stall the GUI
            self.table.resizeRowsToContents()
        overdue = sum(c.overdue for c in found)
        late = f", {overdue} overdue" if overdue else ""
        self.summary.setText(f"{len(found)} commitment{'s' if len(found) != 1 else ''}{late}")
        self.loaded.emit(found)

    def selected(self) -> CommitmentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def ask_note(self) -> None:
        """Ask for a note and add it to the selected commitment (notes add up, dated)."""
        commitment = self.selected()
        if commitment is None:
            return
        note, ok = QInputDialog.getMultiLineText(
            self, "Add note", f"Note on: {commitment.what[:200]}"
        )
        if ok and note.strip():
            self._edit(commitment, "note", note.strip())

    def _edit(self, commitment: CommitmentInfo, field: str, value: Any) -> None:
        """Save one field of `commitment` (due, status, owner, note) checking its version."""

        def failed(error: BaseException) -> None:
            show_error(self, error)  # e.g. saved elsewhere meanwhile: the reload shows theirs
            self.refresh()

        def save(lib: Library, _progress: object) -> CommitmentInfo:
            return lib.edit_commitment(
                commitment.id,
                version=commitment.version,
                status=value if field == "status" else None,
                owner=value if field == "owner" else None,
                note=value if field == "note" else None,
                due=value if field == "due" else None,
            )

        Op(self, self.runner, save).failure(failed).run()


def _offer(box: QComboBox, items: list[tuple[str, object]]) -> None:
    """Fill a filter with (label, value) `items`, keeping the value chosen (else the first),
    without signalling a change."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    for label, value in items:
        box.addItem(label, value)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)
