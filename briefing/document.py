"""The Document model: every block a briefing pack shows, as plain immutable data.

`briefing.assemble` builds a `Document` from a pack in the store; the renderers in
`briefing.render` turn one `Document` plus a template into .docx or .pdf. Nothing here
does I/O, so Word and PDF output can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date


@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of inline formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    strike: bool = False
    inserted: bool = False  # words a revision added (underlined), beside `strike` for removed


Runs = tuple[Run, ...]

# Blocks assembled from the store carry their `origin`, what they show: "item:7",
# "passage:12", "source:3" (an annex), "section:Steel" (a section's heading). Renderers ignore
# it; comparing two revisions matches blocks by it (`briefing.diff`). Such a block also carries
# the `marking` of what it shows (an item's; a passage's or annexed source's is its source's;
# an unmarked one takes the scheme's default level), which the roll-up and `briefing.sanitise`
# read. Neither takes part in equality, so a block reads the same wherever it came from.


def plain(runs: Runs) -> str:
    """Return the text of `runs` without formatting."""
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Cover:
    title: str
    marking: str
    subtitle: str = ""
    meeting: str = ""
    date: date | None = None
    place: str = ""
    version: str = ""
    prepared_by: str = ""


@dataclass(frozen=True)
class Contents:
    """Where the table of contents goes; renderers fill it from the headings."""

    title: str = "Contents"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1..3
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class ListItem:
    """One entry of a list: its first paragraph, then what is nested under it (further
    paragraphs, lists one level deeper, tables)."""

    runs: Runs
    children: tuple[Block, ...] = ()
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    numbered: bool = False
    start: int = 1  # the first number of a numbered list
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


def list_of(*entries: Runs, numbered: bool = False) -> BulletList:
    """Return a flat list whose entries are `entries`."""
    return BulletList(tuple(ListItem(runs) for runs in entries), numbered)


@dataclass(frozen=True)
class LineToTake:
    """A line the principal can say, whole (paragraphs, lists, tables); `reactive` marks an
    "if asked" line with its question."""

    blocks: tuple[Block, ...]
    reactive: bool = False
    question: str = ""
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class Citation:
    source_title: str
    issuer: str = ""
    date: date | None = None
    paragraph: int | None = None

    def label(self) -> str:
        """Return the citation as one line, e.g. 'Joint statement, EU–Japan, 7 May 2026, para 5'."""
        parts = [self.source_title]
        if self.issuer:
            parts.append(self.issuer)
        if self.date:
            parts.append(f"{self.date.day} {self.date:%B %Y}")
        if self.paragraph is not None:
            parts.append(f"para {self.paragraph}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Sources:
    """The citations of the block just before it (a small "Sources: …" line)."""

    citations: tuple[Citation, ...]
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)

    def text(self) -> str:
        """Return e.g. 'Sources: Joint statement, EU–Japan, 7 May 2026, para 5; …'."""
        word = "Source" if len(self.citations) == 1 else "Sources"
        return f"{word}: " + "; ".join(c.label() for c in self.citations)


@dataclass(frozen=True)
class Quote:
    """A passage quoted from a source, with where it comes from."""

    runs: Runs
    citation: Citation
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty means equal
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class Note:
    """A boxed aside (e.g. a handling note, a risk), whole; `label` runs in before it."""

    blocks: tuple[Block, ...]
    label: str = "Note"
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Annex:
    """An annex: starts on a new page with a level-1 heading "Annex A: title"."""

    letter: str
    title: str
    blocks: tuple[Block, ...]
    origin: str | None = field(default=None, compare=False)
    marking: str = field(default="", compare=False)


Block = (
    Contents
    | Heading
    | Paragraph
    | BulletList
    | LineToTake
    | Quote
    | Sources
    | Table
    | Note
    | PageBreak
    | Annex
)


@dataclass(frozen=True)
class Properties:
    """Document metadata written into both formats."""

    title: str
    subject: str = ""
    author: str = ""
    company: str = ""
    keywords: tuple[str, ...] = ()


def with_origin(block: Block, origin: str, marking: str = "") -> Block:
    """Return `block` marked as showing `origin`, marked `marking` (contents and page breaks
    show nothing)."""
    if isinstance(block, Contents | PageBreak):
        return block
    return replace(block, origin=origin, marking=marking)


def lead_in(lead: Runs, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return `blocks` with `lead` run in at the start of the first paragraph (or, when they
    do not start with one, as a paragraph of its own)."""
    if not lead:
        return blocks
    match blocks:
        case (Paragraph(runs=runs), *rest):
            return (Paragraph((*lead, *runs)), *rest)
    return (Paragraph(lead), *blocks)


DRAFT = "DRAFT"


@dataclass(frozen=True)
class Document:
    cover: Cover
    blocks: tuple[Block, ...]
    properties: Properties = field(default_factory=lambda: Properties(title=""))
    draft: bool = False  # holds items not yet cleared: every page, the cover and metadata say so
    # a named copy ("Copy 2 of 5 — Jane DOE"): printed in every page's footer, beside the page
    # number, and put into the file's subject and keywords (`briefing.distribute`)
    copy_note: str = ""

    @property
    def marking(self) -> str:
        return self.cover.marking
