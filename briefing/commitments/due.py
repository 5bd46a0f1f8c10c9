"""By when a commitment is due: the date expressions of statements ("by the end of 2027",
"before the end of September 2027", "in the second half of 2027", "within the year",
"within 90 days", "by mid-2027") as a range of days.

Relative expressions count from the statement's date. An expression whose range ends
before that date looks back ("established at the Summit in July 2025") and is passed over.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "a": 1, "an": 1,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(_NUMBERS) + ")"
_BY = r"(?:by|before|no later than|not later than|until|ahead of)"


@dataclass(frozen=True)
class Due:
    """When a commitment falls due: the first and last day its words allow, as written."""

    start: date
    end: date
    text: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(m: re.Match[str]) -> int:
    return _MONTHS[m["month"].lower()]


def _after(today: date, count: str, unit: str) -> date:
    n = int(count) if count.isdigit() else _NUMBERS[count.lower()]
    unit = unit.lower().rstrip("s")
    if unit == "day":
        return today + timedelta(days=n)
    if unit == "week":
        return today + timedelta(weeks=n)
    months = n * 12 if unit == "year" else n
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


_HALVES = {"first": (1, 6), "second": (7, 12), "1st": (1, 6), "2nd": (7, 12)}
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "last": 4, "final": 4}  # fmt: skip
_PARTS = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12)}


def _rules() -> list[tuple[re.Pattern[str], object]]:
    """Return (pattern, how to read a match as (start, end)) for every expression, most
    specific first."""

    def rx(pattern: str) -> re.Pattern[str]:
        return re.compile(rf"\b{pattern}\b", re.IGNORECASE)

    return [
        (rx(rf"{_BY}\s+(?:the\s+)?(?:very\s+)?end\s+of\s+(?:{_MONTH}\s+)?{_YEAR}"),
         lambda m, t: (t, _month_end(int(m["year"]), _month(m)) if m["month"]
                       else date(int(m["year"]), 12, 31))),
        (rx(rf"(?:{_BY}\s+the\s+end\s+of|within|during|in the course of)\s+(?:the|this)\s+"
            r"(?:current\s+)?year"),
         lambda m, t: (t, date(t.year, 12, 31))),
        (rx(rf"{_BY}\s+the\s+end\s+of\s+{_MONTH}(?!\s+\d)"),
         lambda m, t: (t, _month_end(t.year + (_month(m) < t.month), _month(m)))),
        (rx(r"(?:in|during|by)\s+the\s+(?P<half>first|second|1st|2nd)\s+half\s+of\s+" + _YEAR),
         lambda m, t: (date(int(m["year"]), _HALVES[m["half"].lower()][0], 1),
                       _month_end(int(m["year"]), _HALVES[m["half"].lower()][1]))),
        (rx(r"(?:in|during|by)\s+(?:the\s+)?(?P<q>first|second|third|fourth|last|final|1st|2nd|"
            r"3rd|4th)\s+quarter\s+of\s+" + _YEAR),
         lambda m, t: _quarter(int(m["year"]), _QUARTERS[m["q"].lower()])),
        (rx(r"(?:in|during|by)\s+Q(?P<q>[1-4])\s+" + _YEAR),
         lambda m, t: _quarter(int(m["year"]), int(m["q"]))),
        (rx(r"(?P<by>by|before|in|during)\s+(?P<part>early|mid|late|the middle of)[\s-]*" + _YEAR),
         lambda m, t: _part(int(m["year"]), m["part"].lower(), m["by"].lower(), t)),
        (rx(rf"(?P<by>{_BY}|in|on|during)\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
         lambda m, t: _day(date(int(m["year"]), _month(m), int(m["day"])), m["by"].lower(), t)),
        (rx(rf"(?P<by>{_BY}|in|during)\s+{_MONTH},?\s+{_YEAR}"),
         lambda m, t: _whole(date(int(m["year"]), _month(m), 1),
                             _month_end(int(m["year"]), _month(m)), m["by"].lower(), t)),
        (rx(rf"within\s+(?:the\s+(?:next|coming)\s+)?{_COUNT}\s+(?P<unit>days?|weeks?|months?|"
            r"years?)"),
         lambda m, t: (t, _after(t, m["count"], m["unit"]))),
        (rx(r"(?:by|before|in|during)\s+(?:the\s+)?next\s+year"),
         lambda m, t: (date(t.year + 1, 1, 1), date(t.year + 1, 12, 31))),
        (rx(rf"(?P<by>{_BY}|in|during)\s+{_YEAR}"),
         lambda m, t: _whole(date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31),
                             m["by"].lower(), t)),
    ]  # fmt: skip


def _quarter(year: int, q: int) -> tuple[date, date]:
    return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)


def _part(year: int, part: str, by: str, today: date) -> tuple[date, date]:
    """Early, mid or late in a year: "in early 2028" is January to April; "by mid-2027"
    ends with June."""
    first, last = _PARTS["mid" if part == "the middle of" else part]
    if by not in ("in", "during"):
        return today, _month_end(year, 6 if part in ("mid", "the middle of") else last)
    return date(year, first, 1), _month_end(year, last)


def _day(day: date, by: str, today: date) -> tuple[date, date]:
    if by in ("in", "on", "during"):
        return day, day
    return today, day - timedelta(days=1) if by == "before" else day


def _whole(start: date, end: date, by: str, today: date) -> tuple[date, date]:
    """A month or a year: "in June 2027" is June; "by June 2027" ends with it; "before June
    2027" ends the day before it."""
    if by in ("in", "during"):
        return start, end
    if by == "before":
        return today, start - timedelta(days=1)
    return today, end


RULES = _rules()


def find_due(text: str, today: date | None) -> Due | None:
    """Return when `text` says its commitment is due (relative to `today`, the statement's
    date; None: the date expressions that need it are not read), or None."""
    found: list[tuple[int, Due]] = []
    for pattern, read in RULES:
        for m in pattern.finditer(text):
            if today is None and not m.groupdict().get("year"):
                continue
            base = today or date.min
            try:
                start, end = read(m, base)  # type: ignore[operator]
            except (ValueError, OverflowError, KeyError):
                continue  # "31 February", a year out of range
            if today is not None and end < today:
                continue  # looks back
            if today is None and start == date.min:
                start = end
            found.append((m.start(), Due(start, end, m[0])))
    if not found:
        return None
    return min(found, key=lambda f: f[0])[1]
