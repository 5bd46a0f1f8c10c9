"""Pack ▸ New pack for next meeting…: the next meeting's name, date and place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from briefing.outline import PackOutline
from ui.dialogs.dates import chosen_date, date_field
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


@dataclass(frozen=True)
class NextMeeting:
    meeting: str
    date: date
    place: str


class NextMeetingDialog(QDialog):
    """Asks for the next meeting of the open pack's series; the pack is made from it."""

    def __init__(self, outline: PackOutline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New pack for next meeting")
        after = outline.date or date.today()
        self.meeting = QLineEdit(placeholderText=f"e.g. the next {outline.series or 'meeting'}")
        self.date = date_field(after + timedelta(days=365))
        self.place = QLineEdit()
        intro = QLabel(
            f"Sections and items of “{outline.title}” are carried to the new pack; its quoted"
            " passages are marked ↻ for review."
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("&Meeting", self.meeting)
        form.addRow("&Date", self.date)
        form.addRow("&Place", self.place)
        form.addRow(buttons)

    def result_meeting(self) -> NextMeeting:
        return NextMeeting(
            self.meeting.text().strip(), chosen_date(self.date), self.place.text().strip()
        )
