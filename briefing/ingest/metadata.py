"""Title, date, place, issuer and kind, read from the opening lines of a document, e.g.
"7th Japan-EU High-Level Economic Dialogue, Brussels, 7 May 2026" + "Joint press statement".
Dates in English are read here; in French, German and Japanese ("le 7 mai 2026",
"7. Mai 2026", "2026年5月7日") by dateparser, asked only about what looks like such a date."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.models import SourceKind

OPENING = 6  # paragraphs that may carry the title, date, place and kind
_HEAD_CHARS = 400  # characters of each opening paragraph that are looked at
MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun",
         "july jul", "august aug", "september sep sept", "october oct", "november nov",
         "december dec"),
        start=1,
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = (
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
# What may be a date in French, German or Japanese; dateparser says whether it is one.
_FOREIGN_DATES = (
    re.compile(r"(?:\b(?:le|du|den|am|vom)\s+)?\b(?P<date>\d{1,2}(?:er|\.)?\s+[^\W\d_]{3,10}\.?"
               r"\s+\d{4})\b", re.I),
    re.compile(r"(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"),
)
_MONTH_WORD = re.compile(r"[^\W\d_]{3,}")
_LANGUAGES = ["fr", "de", "ja"]
_KINDS = (
    (SourceKind.JOINT_STATEMENT, re.compile(
        r"\bjoint\s+(?:press\s+)?(?:statement|declaration|communiqu[ée]|communication)\b", re.I)),
    (SourceKind.READOUT, re.compile(r"\bread-?out\b", re.I)),
    (SourceKind.PRESS_RELEASE, re.compile(r"\bpress\s+(?:release|statement)\b", re.I)),
    (SourceKind.SPEECH, re.compile(
        r"\b(?:speech|remarks|address|statement)\s+by\b|\bcheck against delivery\b|^speech\b",
        re.I,
    )),
    (SourceKind.NOTE, re.compile(r"^(?:note|memo|minutes)\b", re.I)),
)
_TITLE_CHARS = 200  # a longer opening paragraph is body text, not a title or dateline
_NOT_PLACES = frozenset([
    "on", "dated", "date", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "today",
])
_PLACE = re.compile(r"^[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,2}$")
_IN_PLACE = re.compile(r"\bin ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)\b")
# "Japan and the EU held …", "the EU and Japan adopted …"
_PARTIES = re.compile(
    r"\b((?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?) and ((?:the )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)"
    r" (?:held|issued|adopted|agreed|signed|met|reaffirmed|welcomed)\b"
)
_BY = re.compile(
    r"\b(?:speech|remarks|address|statement|readout)\s+(?:by|of)\s+(.{3,120}?)(?:[,:(]|$)", re.I
)
_COMPOUND = re.compile(r"\b([A-Z][a-z]+|[A-Z]{2,})[-–]([A-Z]{2,}|[A-Z][a-z]+)\b")
_THE = frozenset(["EU", "US", "UK", "UN", "UAE"])


@dataclass(frozen=True)
class Metadata:
    title: str
    issuer: str
    kind: str
    date: date | None
    place: str


def detect(texts: Sequence[str], fallback_title: str, heading: int | None = None) -> Metadata:
    """Return what the opening paragraphs `texts` say; `fallback_title` if they name no title.

    `heading` is the index of the document's first heading, which is then its title (even a
    short one such as "Readout of the call", which would otherwise read as a kind label)."""
    head = [t[:_HEAD_CHARS] for t in texts[:OPENING]]
    kind = next((k for k, rx in _KINDS for t in head if rx.search(t)), SourceKind.OTHER)
    found = next(((i, m) for i, t in enumerate(head) if (m := _find_date(t))), None)
    when = found[1].date if found else None
    first = heading if heading is not None and heading < len(head) else None
    title, place = _title_and_place(head, found, first)
    return Metadata(
        title=title or fallback_title,
        issuer=_issuer(head, title),
        kind=kind.value,
        date=when,
        place=place or _place_in_text(head, found),
    )


@dataclass(frozen=True)
class _Found:
    """A date found in a paragraph, and where its words start ("le 7 mai 2026": at "le")."""

    date: date
    at: int

    def start(self) -> int:
        return self.at


def _find_date(text: str) -> _Found | None:
    for rx in _DATES:
        for match in rx.finditer(text):
            if when := _to_date(match):
                return _Found(when, match.start())
    for rx in _FOREIGN_DATES:
        for match in rx.finditer(text):
            words = match.group("date")
            month = _MONTH_WORD.search(words)
            if month and month.group().casefold() in MONTHS:
                continue  # English, and not a date (the patterns above would have found it)
            if when := _foreign_date(words):
                return _Found(when, match.start())
    return None


def _foreign_date(words: str) -> date | None:
    found = _date_parser().get_date_data(words)
    return found.date_obj.date() if found and found.date_obj else None


@functools.cache
def _date_parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=_LANGUAGES, settings={
        "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
    })


def _to_date(match: re.Match[str]) -> date | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else MONTHS[month.casefold()]
    try:
        return date(int(match.group("year")), number, int(match.group("day")))
    except ValueError:
        return None


def _title_and_place(
    head: list[str], found: tuple[int, _Found] | None, heading: int | None
) -> tuple[str, str]:
    """Return the first opening line that reads as a title (the `heading`-th, if given) and
    the place named before the date on a dateline ("…, Brussels, 7 May 2026"); the title
    loses its ", place, date"."""
    place = ""
    if found and len(head[found[0]]) <= _TITLE_CHARS:
        before = head[found[0]][: found[1].start()].rstrip(" ,;–—-")
        last = before.rsplit(",", 1)[-1].strip()
        if _PLACE.match(last) and last.casefold() not in _NOT_PLACES:
            place = last
    for i, text in enumerate(head):
        if len(text) > _TITLE_CHARS:
            break  # the body has begun
        if heading is not None and i != heading:
            continue
        if heading is None and len(text.split()) <= 4 and any(rx.search(text) for _, rx in _KINDS):
            continue  # a label such as "Joint press statement"
        if found and found[0] == i:
            text = text[: found[1].start()].rstrip(" ,;–—-")
            text = text.removesuffix(place) if place else text
        title = text.strip(" ,;–—-")
        if len(title) >= 3:
            return title, place
    return "", place


def _place_in_text(head: list[str], found: tuple[int, _Found] | None) -> str:
    """Return "Brussels" from "On 7 May 2026, … held … in Brussels." near the date."""
    if not found:
        return ""
    for match in _IN_PLACE.finditer(head[found[0]]):
        if match.group(1).split()[0].casefold() not in MONTHS:
            return match.group(1)
    return ""


def _issuer(head: list[str], title: str) -> str:
    for text in head:
        if match := _PARTIES.search(text):
            return f"{match.group(1)} and {match.group(2)}"
        if match := _BY.search(text):
            return match.group(1).strip()
    if match := _COMPOUND.search(title):
        first, second = (f"the {p}" if p in _THE else p for p in match.groups())
        return f"{first[0].upper()}{first[1:]} and {second}"
    return ""
