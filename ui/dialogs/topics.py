"""The "Topics" dialog: each topic's name, aliases and match rules, editable; saving retags
the library (through `Library.add_topic` / `edit_topic` / `remove_topic`, run by the caller)."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.library import TopicInfo
from briefing.tagging import TopicChange
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)


@dataclass(frozen=True)
class TopicRules:
    """A topic as the dialog shows it."""

    info: TopicInfo
    match: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TopicEdit:
    """What the user asked for: a new topic (`key` not yet in the library) or a change."""

    key: str
    name: str
    match: tuple[str, ...]
    aliases: tuple[str, ...]
    is_new: bool

    def change(self, before: TopicRules) -> TopicChange:
        """Return the edit as additions and removals against `before` (read from the library
        just before saving, so an edit never undoes one made since the dialog last loaded)."""
        return TopicChange(
            name=self.name if self.name != before.info.name else None,
            add_match=[m for m in self.match if m not in before.match],
            remove_match=[m for m in before.match if m not in self.match],
            add_alias=[a for a in self.aliases if a not in before.aliases],
            remove_alias=[a for a in before.aliases if a not in self.aliases],
        )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class TopicsDialog(QDialog):
    """Lists the topics; the form on the right edits the selected one."""

    save_requested = Signal(object)  # TopicEdit
    remove_requested = Signal(str)  # topic key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Topics")
        self.resize(760, 480)
        self.topics: list[TopicRules] = []
        self.list = QListWidget()
        self.key = QLineEdit(placeholderText="short name, e.g. semiconductors")
        self.name = QLineEdit()
        self.aliases = QPlainTextEdit(placeholderText="one per line")
        self.match = QPlainTextEdit(placeholderText='one phrase per line; "chip*" matches chips')
        self.status = QLabel(wordWrap=True)
        self.new_button = QPushButton("New topic")
        self.remove_button = QPushButton("Remove topic")
        self.save_button = QPushButton("Save and retag")

        form = QFormLayout()
        form.addRow("Key", self.key)
        form.addRow("Name", self.name)
        form.addRow("Aliases", self.aliases)
        form.addRow("Match rules", self.match)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.remove_button, self.save_button):
            buttons.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.status)
        right.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)

        self.list.currentRowChanged.connect(self._selected)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self._save)
        self.remove_button.clicked.connect(self._remove)

    def set_topics(self, topics: list[TopicRules], select: str | None = None) -> None:
        """Show `topics`, selecting the one keyed `select` (or the current one)."""
        current = select or self.selected_key()
        self.topics = topics
        keys = [t.info.key for t in topics]
        row = keys.index(current) if current in keys else 0
        self.list.blockSignals(True)  # a reload keeps the message about what was just saved
        self.list.clear()
        for topic in topics:
            info = topic.info
            self.list.addItem(f"{info.name} · {info.passages} passages, {info.items} items")
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        self._show(row)

    def selected_key(self) -> str | None:
        row = self.list.currentRow()
        return self.topics[row].info.key if 0 <= row < len(self.topics) else None

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def start_new(self) -> None:
        """Clear the form for a topic not yet in the library."""
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        for field in (self.key, self.name):
            field.clear()
        self.aliases.clear()
        self.match.clear()
        self.key.setReadOnly(False)
        self.key.setFocus()

    def _selected(self, row: int) -> None:
        self.status.clear()
        self._show(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.topics):
            return
        topic = self.topics[row]
        self.key.setText(topic.info.key)
        self.key.setReadOnly(True)
        self.name.setText(topic.info.name)
        self.aliases.setPlainText("\n".join(topic.aliases))
        self.match.setPlainText("\n".join(topic.match))

    def _save(self) -> None:
        key = self.key.text().strip()
        edit = TopicEdit(
            key=key,
            name=self.name.text().strip(),
            match=_lines(self.match.toPlainText()),
            aliases=_lines(self.aliases.toPlainText()),
            is_new=key not in [t.info.key for t in self.topics],
        )
        self.status.setText("Saving and retagging the library…")
        self.save_requested.emit(edit)

    def _remove(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.remove_requested.emit(key)
