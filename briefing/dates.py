"""Dates the way briefs write them, "7 May 2026", alike on every platform (strftime's "%-d"
is not there on Windows)."""

from __future__ import annotations

from datetime import date, datetime


def format_date(value: date) -> str:
    """Return "7 May 2026"."""
    return f"{value.day} {value:%B %Y}"


def short_date(value: date) -> str:
    """Return "7 May 2026" with the month shortened: "7 Sep 2026"."""
    return f"{value.day} {value:%b %Y}"


def short_stamp(moment: datetime) -> str:
    """Return `moment` in local time as "7 Sep 2026 14:05"."""
    local = moment.astimezone()
    return f"{short_date(local)} {local:%H:%M}"
