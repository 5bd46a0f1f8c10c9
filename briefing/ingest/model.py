"""What a parser makes of one document, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from briefing.commitments.extract import Found
from briefing.document import Runs, plain
from briefing.errors import InputError


class IngestError(InputError):
    """A document cannot be imported; the message is a one-line reason, e.g. "empty file"."""


def first_line(exc: BaseException) -> str:
    """Return the first line of `exc`'s message (its type's name if it has none)."""
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def raised_in(exc: BaseException, folder: Path) -> bool:
    """Whether `exc` was raised by code in `folder` (a library's package), not by ours: a
    library's AttributeError or AssertionError on a mangled file means damage, ours a bug."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and Path(tb.tb_frame.f_code.co_filename).is_relative_to(folder)


@dataclass(frozen=True)
class ParsedParagraph:
    """One paragraph in reading order; `heading_level` is set for headings (1 = top),
    `standalone` for list items and table rows, which are never joined to a neighbour."""

    runs: Runs
    heading_level: int | None = None
    standalone: bool = False

    @property
    def text(self) -> str:
        return plain(self.runs)


class Paragraphs(list[ParsedParagraph]):
    """A parser's paragraphs, with the title the file names apart from its text (an HTML
    page's <title>), used when the text gives none."""

    title: str = ""


@dataclass(frozen=True)
class ParsedPerson:
    """Someone named with a role, e.g. "Maroš ŠEFČOVIČ", European Commissioner for Trade …"""

    name: str  # as written: "Maroš ŠEFČOVIČ", "AKAZAWA Ryosei"
    family_name: str
    role: str = ""
    organisation: str = ""
    side: str = ""


@dataclass(frozen=True)
class ParsedSource:
    """A parsed document: metadata, paragraphs, people and glossary, ready to store."""

    title: str
    issuer: str
    kind: str  # a db.models.SourceKind value
    date: date | None
    place: str
    origin: str
    content_hash: str
    paragraphs: tuple[ParsedParagraph, ...]
    people: tuple[ParsedPerson, ...] = ()
    glossary: tuple[tuple[str, str], ...] = ()
    # the commitments its paragraphs record: (paragraph index, commitment), read here so
    # that the parser's worker process does the reading, not the import's store
    commitments: tuple[tuple[int, Found], ...] = ()
