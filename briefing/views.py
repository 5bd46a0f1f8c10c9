"""The plain records the library lists: sources, topics, items, people, glossary terms and
the marking scheme, as the app's library pane shows them.

No SQLAlchemy here: the app reads its first screen into these (`briefing.first_look`) before
the store's engine is built. The modules that fill them from the store re-export them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# re-exported for the app, which imports nothing of db/
from db.kinds import EntryKind as EntryKind
from db.kinds import ItemKind as ItemKind
from db.kinds import ItemStatus as ItemStatus


def format_of(origin: str) -> str:
    """Return the format an origin names, e.g. "pdf" for "statement.PDF"; "text" if none."""
    return Path(origin).suffix.lstrip(".").lower() or "text"


def format_label(fmt: str) -> str:
    return fmt.upper() if fmt != "text" else "text"


NO_MARKING = ""
DEFAULT_SCHEME: tuple[str, ...] = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")


@dataclass(frozen=True)
class Scheme:
    """A marking scheme: levels lowest first, and the caveats allowed after a level."""

    levels: tuple[str, ...] = DEFAULT_SCHEME
    caveats: tuple[str, ...] = ()

    def markings(self) -> list[str]:
        """Every level, then every level with one caveat: what a drop-down offers."""
        return [*self.levels, *(f"{lv} {cv}" for lv in self.levels for cv in self.caveats)]

    @property
    def default(self) -> str:
        """The level of what carries no marking of its own (an unmarked source or item): the
        lowest. (The library keeps no separate setting for it.)"""
        return self.levels[0] if self.levels else NO_MARKING

    def describe(self) -> str:
        caveats = f"; caveats are: {', '.join(self.caveats)}" if self.caveats else ""
        return f"markings are: {', '.join(self.levels)}{caveats}"

    def level_of(self, marking: str) -> int | None:
        """The index in `levels` of the level `marking` starts with (caveats after it)."""
        level = leading(self.levels, marking)
        return None if level is None else self.levels.index(level)


def leading(words: Sequence[str], text: str) -> str | None:
    """Return the longest of `words` that `text` starts with as a whole word, if any."""
    return next(
        (w for w in sorted(words, key=len, reverse=True) if text == w or text.startswith(w + " ")),
        None,
    )


@dataclass(frozen=True)
class SourceInfo:
    id: int
    title: str
    kind: str
    date: date | None
    place: str
    issuer: str
    passages: int
    formats: tuple[str, ...] = ()  # e.g. ("docx", "pdf"): the source's own file first
    marking: str = ""  # as stored; "" takes the scheme's default level

    def also_as(self) -> str:
        """Return e.g. "also imported as PDF, HTML" ("" for a source imported once)."""
        others = [format_label(f) for f in self.formats[1:]]
        return f"also imported as {', '.join(others)}" if others else ""


@dataclass(frozen=True)
class TopicInfo:
    id: int
    key: str
    name: str
    passages: int
    items: int


@dataclass(frozen=True)
class ItemInfo:
    """An item as listed in the library."""

    id: int
    kind: ItemKind
    title: str
    marking: str
    status: ItemStatus


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    role: str
    organisation: str
    side: str


@dataclass(frozen=True)
class TermInfo:
    term: str
    expansion: str


@dataclass(frozen=True)
class LibraryView:
    """Everything the app's library pane lists, read in one go."""

    sources: list[SourceInfo]
    topics: list[TopicInfo]
    items: list[ItemInfo]
    people: list[PersonInfo]
    glossary: list[TermInfo]
    shown_sources: set[int] | None  # None: every source
    scheme: Scheme  # the library's marking scheme, for the marking drop-downs
