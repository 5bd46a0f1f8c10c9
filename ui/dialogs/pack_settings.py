"""The "Pack settings" dialog: a pack's title, meeting, date, place, participants, whom the
meeting is with (its counterpart, for the pack's open commitments), marking, house style and
paper size.

The dialog does not save by itself: OK checks what it can and emits `save_requested` with
the settings, and whoever opened it saves them (off the GUI thread) and then calls `saved`,
`show_problem` or `show_conflict`. It stays open until the save has gone through, so no
edit is lost to an error or to a change made elsewhere meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefing.browse import PersonInfo
from briefing.commitments.pack import NO_ONE
from briefing.outline import PackOutline
from briefing.parties import HOME, known_parties
from ui.dialogs.dates import chosen_date, date_field, qdate
from ui.marking_box import choose_marking, marking_box
from ui.qt import (
    QComboBox,
    QDate,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

FROM_NAME = "From the meeting's name"
NO_DATE = QDate(1900, 1, 1)  # the date edit's minimum, shown as "No date"
TEMPLATES_OWN = "(the house style's own)"


@dataclass(frozen=True)
class PackSettings:
    """What the dialog holds: a pack's settings as the user left them."""

    title: str
    meeting: str
    date: date | None
    place: str
    participants: tuple[str, ...]
    marking: str
    template: str
    paper_size: str  # "": the template's own
    counterpart: str = ""  # "": inferred from the meeting's name; "none": no one

    @classmethod
    def of(cls, outline: PackOutline) -> PackSettings:
        chosen = (outline.counterpart or NO_ONE) if outline.counterpart_set else ""
        return cls(
            outline.title, outline.meeting, outline.date, outline.place,
            tuple(p.name for p in outline.participants), outline.marking, outline.template,
            outline.paper_size, chosen,
        )  # fmt: skip

    def changes(self, stored: PackSettings) -> dict[str, object]:
        """The `Library.edit_pack` arguments that turn `stored` into these settings."""
        changed: dict[str, object] = {
            name: value
            for name, value in vars(self).items()
            if value != getattr(stored, name) and name != "date"
        }
        if "participants" in changed:
            changed["participants"] = list(self.participants)
        if self.date != stored.date:
            changed["date" if self.date else "clear_date"] = self.date or True
        return changed


class PackSettingsDialog(QDialog):
    save_requested = Signal(object)  # PackSettings

    def __init__(
        self,
        outline: PackOutline,
        people: Sequence[PersonInfo],
        markings: Sequence[str],
        templates: Sequence[str],
        paper_sizes: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pack settings")
        self.conflict_box: QMessageBox | None = None
        self.title = QLineEdit()
        self.meeting = QLineEdit()
        self.date = date_field()
        self.date.setMinimumDate(NO_DATE)
        self.date.setSpecialValueText("No date")
        no_date = QPushButton("No date")
        no_date.setToolTip("The meeting has no date yet")
        no_date.clicked.connect(lambda: self.date.setDate(NO_DATE))
        self.place = QLineEdit()
        self.participants = QListWidget()
        self.participants.setToolTip("Who attends the meeting, in the order the pack lists them")
        self.person = QComboBox(editable=True)
        self.person.addItems([p.name for p in people])
        self.person.setCurrentText("")
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if (line := self.person.lineEdit()) is not None:  # editable, so it has one
            line.setPlaceholderText("A person the library knows, or any name")
        self.marking = marking_box(markings)
        self.template = QComboBox()
        self.template.addItems(list(templates))
        self.paper = QComboBox()
        self.paper.addItem(TEMPLATES_OWN, "")
        for size in paper_sizes:
            self.paper.addItem(size, size)
        self.counterpart = QComboBox(editable=True)
        self.counterpart.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.counterpart.setToolTip(
            "Whom the meeting is with: the pack lists the commitments still open with them"
        )
        self.counterpart.addItem(FROM_NAME, "")
        self.counterpart.addItem("No one", NO_ONE)
        for party in known_parties().parties:
            if party.name != HOME:
                self.counterpart.addItem(party.name, party.name)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #a00")

        when = QHBoxLayout()
        when.addWidget(self.date, 1)
        when.addWidget(no_date)
        self.add_person = QPushButton("Add")
        self.add_person.clicked.connect(self._add_person)
        adding = QHBoxLayout()
        adding.addWidget(self.person, 1)
        adding.addWidget(self.add_person)
        buttons = QVBoxLayout()
        for label, slot in (("Remove", self._remove_person), ("Up", lambda: self._move_person(-1)),
                            ("Down", lambda: self._move_person(1))):  # fmt: skip
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        people_row = QHBoxLayout()
        people_row.addWidget(self.participants, 1)
        people_row.addLayout(buttons)
        people_box = QVBoxLayout()
        people_box.addLayout(people_row)
        people_box.addLayout(adding)

        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Meeting", self.meeting)
        form.addRow(_label("&Date", self.date), when)
        form.addRow("&Place", self.place)
        form.addRow(_label("Pa&rticipants", self.participants), people_box)
        form.addRow("&With", self.counterpart)
        form.addRow("M&arking", self.marking)
        form.addRow("House st&yle", self.template)
        form.addRow("Paper si&ze", self.paper)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 480)
        self.show_outline(outline)

    def show_outline(self, outline: PackOutline) -> None:
        """Show a pack's settings as stored; saves now start from its version."""
        self.outline = outline
        self.version = outline.version
        self.title.setText(outline.title)
        self.meeting.setText(outline.meeting)
        self.date.setDate(qdate(outline.date) if outline.date else NO_DATE)
        self.place.setText(outline.place)
        self.participants.clear()
        self.participants.addItems([p.name for p in outline.participants])
        choose_marking(self.marking, outline.marking)
        if self.template.findText(outline.template) < 0:
            self.template.addItem(outline.template)
        self.template.setCurrentText(outline.template)
        self.paper.setCurrentIndex(max(0, self.paper.findData(outline.paper_size)))
        inferred = f" ({outline.counterpart})" if outline.counterpart else " (no one)"
        self.counterpart.setItemText(0, FROM_NAME + ("" if outline.counterpart_set else inferred))
        chosen = PackSettings.of(outline).counterpart
        found = self.counterpart.findData(chosen)
        if found >= 0:
            self.counterpart.setCurrentIndex(found)
        else:
            self.counterpart.setCurrentText(chosen)
        self.problem.clear()

    def settings(self) -> PackSettings:
        return PackSettings(
            title=self.title.text().strip(),
            meeting=self.meeting.text().strip(),
            date=None if self.date.date() == NO_DATE else chosen_date(self.date),
            place=self.place.text().strip(),
            participants=tuple(
                self.participants.item(i).text() for i in range(self.participants.count())
            ),
            marking=self.marking.currentText(),
            template=self.template.currentText(),
            paper_size=self.paper.currentData() or "",
            counterpart=self._counterpart(),
        )

    def _counterpart(self) -> str:
        """Return the counterpart chosen: "" (from the meeting's name), "none" or a name."""
        text = " ".join(self.counterpart.currentText().split())
        found = self.counterpart.findText(text)
        return str(self.counterpart.itemData(found)) if found >= 0 else text

    # -- participants --------------------------------------------------------

    def _add_person(self) -> None:
        name = " ".join(self.person.currentText().split())
        names = self.settings().participants
        if name and name.casefold() not in {n.casefold() for n in names}:
            self.participants.addItem(name)
            self.participants.setCurrentRow(self.participants.count() - 1)
        self.person.setCurrentText("")

    def _remove_person(self) -> None:
        row = self.participants.currentRow()
        if row >= 0:
            self.participants.takeItem(row)

    def _move_person(self, step: int) -> None:
        row = self.participants.currentRow()
        target = row + step
        if row >= 0 and 0 <= target < self.participants.count():
            self.participants.insertItem(target, self.participants.takeItem(row))
            self.participants.setCurrentRow(target)

    # -- saving --------------------------------------------------------------

    def accept(self) -> None:
        """Check the settings, then ask for them to be saved (the dialog stays open).

        Enter in the participant field adds the name typed there instead."""
        if self.person.hasFocus() and self.person.currentText().strip():
            self._add_person()
            return
        settings = self.settings()
        if not settings.title:
            self.show_problem("Give the pack a title.")
            self.title.setFocus()
        elif not settings.meeting and self.outline.meeting:
            self.show_problem("Give the meeting a title.")
            self.meeting.setFocus()
        else:
            self.problem.clear()
            self.buttons.setEnabled(False)
            self.save_requested.emit(settings)

    def saved(self) -> None:
        super().accept()

    def show_problem(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(message)

    def show_conflict(self, message: str, theirs: PackOutline) -> None:
        """Say the pack was changed elsewhere; offer their settings or to save mine over."""
        self.show_problem(f"Not saved: {message}.")
        box = QMessageBox(QMessageBox.Icon.Warning, "Changed elsewhere", f"{message}.", parent=self)
        box.setInformativeText(
            "Take theirs shows the settings as they are now saved; keep mine saves yours"
            " over them."
        )
        take = box.addButton("Take theirs", QMessageBox.ButtonRole.RejectRole)
        keep = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        take.clicked.connect(lambda: self.show_outline(theirs))
        keep.clicked.connect(lambda: self._keep_mine(theirs))
        self.conflict_box = box
        box.open()

    def _keep_mine(self, theirs: PackOutline) -> None:
        mine = self.settings()
        self.outline, self.version = theirs, theirs.version
        self.buttons.setEnabled(False)
        self.save_requested.emit(mine)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose shortcut focuses `buddy` (a row holding a layout has none)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
