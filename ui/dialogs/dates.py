"""The date field of the pack dialogs: a calendar pop-up, dates shown as "3 March 2026"."""

from __future__ import annotations

from datetime import date

from ui.qt import QDate, QDateEdit


def date_field(value: date | None = None) -> QDateEdit:
    """Return a date field showing `value` (Qt's default date for None)."""
    field = QDateEdit()
    field.setCalendarPopup(True)
    field.setDisplayFormat("d MMMM yyyy")
    if value is not None:
        field.setDate(qdate(value))
    return field


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def chosen_date(field: QDateEdit) -> date:
    """Return the date `field` shows."""
    when = field.date()
    return date(when.year(), when.month(), when.day())
