"""The "New pack" dialog: meeting, marking, template and topics (with counts), and what the
pack will hold (items and passages per topic, estimated pages) as the topics are ticked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from briefing.library import TopicInfo
from briefing.packs import PASSAGES_PER_TOPIC, PackPlan
from ui.dialogs.dates import chosen_date, date_field
from ui.marking_box import choose_marking, marking_box
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class NewPack:
    """What the dialog asks `Library.new_pack` for."""

    title: str
    meeting: str
    date: date | None
    place: str
    marking: str
    template: str
    topics: tuple[str, ...]  # topic keys, in the order shown
    passages_per_topic: int = PASSAGES_PER_TOPIC


class NewPackDialog(QDialog):
    """Asks for a new pack. When the topics or the cap change it emits `plan_requested`
    (topic keys, passages per topic); whoever opened it answers with `show_plan`."""

    plan_requested = Signal(tuple, int)

    def __init__(
        self,
        topics: list[TopicInfo],
        markings: list[str],
        templates: list[str],
        *,
        marking: str,
        template: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New pack")
        self.title = QLineEdit(placeholderText="e.g. Brief for the Trade Minister")
        self.meeting = QLineEdit(placeholderText="e.g. Japan–EU High-Level Economic Dialogue")
        self.date = date_field(date.today() + timedelta(days=1))
        self.place = QLineEdit()
        self.marking = marking_box(markings)
        choose_marking(self.marking, marking)
        self.template = QComboBox()
        self.template.addItems(templates)
        self.template.setCurrentText(template)
        self.topics = QListWidget()
        self.topics.setMinimumHeight(220)
        for t in topics:
            row = QListWidgetItem(f"{t.name}  —  {t.passages} passages · {t.items} items")
            row.setData(KEY_ROLE, t.key)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.topics.addItem(row)
        self.topics.itemChanged.connect(self._request_plan)
        self.passages = QSpinBox(minimum=1, maximum=99, value=PASSAGES_PER_TOPIC)
        self.passages.setSuffix(" per topic")
        self.passages.setToolTip("The most relevant passages on each topic are quoted")
        self.passages.valueChanged.connect(self._request_plan)
        self.plan = QLabel("Tick the topics the meeting will cover.")
        self.plan.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a00")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Meeting", self.meeting)
        form.addRow("&Date", self.date)
        form.addRow("&Place", self.place)
        form.addRow("M&arking", self.marking)
        form.addRow("House st&yle", self.template)
        form.addRow("T&opics", self.topics)
        form.addRow("Pa&ssages", self.passages)
        form.addRow("Will hold", self.plan)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create pack")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 600)

    def check_topics(self, keys: list[str]) -> None:
        """Tick the topics with these keys."""
        for i in range(self.topics.count()):
            row = self.topics.item(i)
            if row.data(KEY_ROLE) in keys:
                row.setCheckState(Qt.CheckState.Checked)

    def checked_topics(self) -> tuple[str, ...]:
        return tuple(
            self.topics.item(i).data(KEY_ROLE)
            for i in range(self.topics.count())
            if self.topics.item(i).checkState() == Qt.CheckState.Checked
        )

    def _request_plan(self) -> None:
        keys = self.checked_topics()
        if keys:
            self.plan.setText("Counting…")
            self.plan_requested.emit(keys, self.passages.value())
        else:
            self.plan.setText("Tick the topics the meeting will cover.")

    def show_plan(self, keys: tuple[str, ...], plan: PackPlan) -> None:
        """Show what a pack on topics `keys` will hold (ignored if the ticks changed since)."""
        if keys == self.checked_topics():
            self.plan.setText("\n".join(plan.describe()))

    def result_pack(self) -> NewPack:
        keys = self.checked_topics()
        return NewPack(
            title=self.title.text().strip(),
            meeting=self.meeting.text().strip(),
            date=chosen_date(self.date),
            place=self.place.text().strip(),
            marking=self.marking.currentText(),
            template=self.template.currentText(),
            topics=keys,
            passages_per_topic=self.passages.value(),
        )

    def accept(self) -> None:
        pack = self.result_pack()
        if not pack.title:
            self.problem.setText("Give the pack a title.")
            self.title.setFocus()
        elif not pack.topics:
            self.problem.setText("Tick at least one topic.")
            self.topics.setFocus()
        else:
            super().accept()
