"""Turn a `Document` into the flat, cleaned sequence both renderers draw, one item at a time.

Here, and only here, text is cleaned (`text.clean`), headings get their numbers and
bookmark anchors, annexes become a page break plus a heading, cover details get their
labels and every table gets one width per column (none for a table without cells). The
renderers never see raw store text and never number anything themselves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from briefing import document as d
from briefing.dates import format_date
from briefing.render.text import clean
from templates import Labels, Template


@dataclass(frozen=True)
class NumberedHeading:
    """A heading as printed: `text` already carries its number ("2.1 Steel")."""

    text: str
    level: int  # 1..3
    anchor: str  # bookmark name, unique in the document


@dataclass(frozen=True)
class CoverPage:
    title: str
    subtitle: str
    marking: str
    details: tuple[tuple[str, str], ...]  # (label, value), empty values left out


# A block other than a heading, contents or an annex, its text cleaned (as nested in lists,
# lines to take and notes, where a page break never comes).
Cleaned = (
    d.Paragraph | d.BulletList | d.LineToTake | d.Quote | d.Sources | d.Table | d.Note | d.PageBreak
)
LaidOutItem = d.Contents | NumberedHeading | d.PageBreak | Cleaned


@dataclass(frozen=True)
class Layout:
    cover: CoverPage
    items: tuple[LaidOutItem, ...]
    properties: d.Properties
    draft: bool = False
    copy_note: str = ""  # printed in every page's footer, before the page number

    @property
    def headings(self) -> tuple[NumberedHeading, ...]:
        """Return every heading, in order: the entries of the contents."""
        return tuple(i for i in self.items if isinstance(i, NumberedHeading))

    @property
    def marking(self) -> str:
        """Return what the top and bottom of every page say: the marking, and DRAFT for a
        pack holding items not yet cleared."""
        return " – ".join(x for x in (self.cover.marking, d.DRAFT if self.draft else "") if x)


def layout(doc: d.Document, template: Template) -> Layout:
    """Return the cleaned, numbered items of `doc` for `template`."""
    c, labels = doc.cover, template.labels
    details = (
        (labels.meeting, c.meeting),
        (labels.date, format_date(c.date) if c.date else ""),
        (labels.place, c.place),
        (labels.version, c.version),
        (labels.prepared_by, c.prepared_by),
        ("Status", f"{d.DRAFT}: holds items not yet cleared" if doc.draft else ""),
    )
    cover = CoverPage(
        clean(c.title),
        clean(c.subtitle),
        clean(c.marking),
        tuple((label, clean(value)) for label, value in details if value.strip()),
    )
    props = doc.properties
    draft = (d.DRAFT,) if doc.draft else ()
    note = clean(doc.copy_note).strip()
    copy = (note,) if note else ()
    properties = d.Properties(
        title=clean(props.title or c.title),
        subject=" – ".join(x for x in (*draft, clean(props.subject), *copy) if x),
        author=clean(props.author),
        company=clean(props.company),
        keywords=(*draft, *(clean(k) for k in props.keywords), *copy),
    )
    items: list[LaidOutItem] = []
    _Numberer(template, items).add(doc.blocks, prefix="")
    return Layout(cover, tuple(items), properties, doc.draft, note)


def _runs(runs: d.Runs) -> d.Runs:
    return tuple(
        dataclasses.replace(
            r, text=clean(r.text), link=clean(r.link).strip() or None if r.link else None
        )
        for r in runs
    )


def _table(table: d.Table) -> d.Table:
    """Return `table` cleaned, with one width per column (none for a table without cells)."""
    header, rows, widths = table.header, table.rows, table.widths
    columns = max([len(header), *(len(r) for r in rows)], default=0)
    return dataclasses.replace(
        table,
        header=tuple(map(clean, header)),
        rows=tuple(tuple(map(clean, row)) for row in rows),
        caption=clean(table.caption),
        widths=widths if len(widths) == columns else (1.0,) * columns,
    )


def _citation(citation: d.Citation) -> d.Citation:
    return dataclasses.replace(
        citation, source_title=clean(citation.source_title), issuer=clean(citation.issuer)
    )


def _nested(blocks: tuple[d.Block, ...], labels: Labels) -> tuple[Cleaned, ...]:
    """Return blocks nested in a list, a line to take or a note, cleaned: a heading there
    becomes a bold paragraph (only the pack's own headings are numbered and listed), an
    annex its blocks; contents and page breaks have no place there."""
    out: list[Cleaned] = []
    for block in blocks:
        match block:
            case d.Heading(text=text):
                out.append(d.Paragraph((d.Run(clean(text), bold=True),)))
            case d.Annex(blocks=inner):
                out += _nested(inner, labels)
            case d.Contents() | d.PageBreak():
                pass
            case _:
                out.append(_clean(block, labels))
    return tuple(out)


def _clean(block: d.Block, labels: Labels) -> Cleaned:
    """Return a block other than a heading, an annex or contents, with all its text cleaned.

    A note's label and an "if asked" line's question are run in to their blocks here, so the
    renderers only draw blocks inside a box or beside a bar.
    """
    match block:
        case d.Paragraph(runs=runs):
            return d.Paragraph(_runs(runs))
        case d.BulletList(items=entries):
            cleaned = tuple(d.ListItem(_runs(e.runs), _nested(e.children, labels)) for e in entries)
            return dataclasses.replace(block, items=cleaned)
        case d.LineToTake(blocks=inner, reactive=True, question=question):
            asked: tuple[d.Run, ...] = (d.Run(f"{labels.if_asked}:", bold=True),)
            if question.strip():
                asked += (d.Run(f" {clean(question)}", italic=True),)
            inner = (d.Paragraph(asked), *inner)
            return d.LineToTake(_nested(inner, labels), reactive=True, question=clean(question))
        case d.LineToTake(blocks=inner):
            return d.LineToTake(_nested(inner, labels))
        case d.Note(blocks=inner, label=label):
            lead = (d.Run(f"{clean(label)}: ", bold=True),) if label.strip() else ()
            return d.Note(_nested(d.lead_in(lead, inner), labels), clean(label))
        case d.Quote(runs=runs, citation=citation):
            return d.Quote(_runs(runs), _citation(citation))
        case d.Sources(citations=citations):
            return d.Sources(tuple(map(_citation, citations)))
        case d.Table():
            return _table(block)
        case d.PageBreak():
            return block
    raise TypeError(f"not a block to clean: {block!r}")


class _Numberer:
    """Walks blocks, numbering headings and expanding annexes into `items`."""

    def __init__(self, template: Template, items: list[LaidOutItem]) -> None:
        self.template, self.items = template, items
        self.anchors = 0

    def heading(self, text: str, level: int) -> NumberedHeading:
        self.anchors += 1
        return NumberedHeading(text, level, f"_Toc{self.anchors:06d}")

    def add(self, blocks: tuple[d.Block, ...], prefix: str) -> None:
        """Add `blocks`, numbering their headings after `prefix` (an annex's letter).

        Numbers count the headings open above, not the levels: a level-2 heading under an
        annex (itself level 1) is "B.1", never "B.1.1"; one straight under a level-1 heading
        "2" whose level 2 was skipped is "2.1".
        """
        open_levels: list[int] = []  # levels of the headings the next one sits under
        numbers: list[int] = []  # the number at each depth so far
        for block in blocks:
            match block:
                case d.Heading(text=text, level=level):
                    level = min(max(level, 1), 3)
                    while open_levels and open_levels[-1] > level:
                        open_levels.pop()
                    if not open_levels or open_levels[-1] < level:
                        open_levels.append(level)
                    depth = len(open_levels)
                    numbers = numbers[:depth] + [0] * (depth - len(numbers))
                    numbers[-1] += 1
                    number = ".".join([prefix] * bool(prefix) + [str(n) for n in numbers])
                    shown = (
                        f"{number} {clean(text)}"
                        if self.template.numbered_headings
                        else clean(text)
                    )
                    self.items.append(self.heading(shown, level))
                case d.Annex(letter=letter, title=title, blocks=inner):
                    letter = clean(letter)
                    self.items.append(d.PageBreak())
                    text = self.template.labels.annex.format(letter=letter, title=clean(title))
                    self.items.append(self.heading(text, 1))
                    self.add(inner, prefix=letter)
                case d.Contents(title=title):
                    self.items.append(d.Contents(clean(title)))
                case _:
                    self.items.append(_clean(block, self.template.labels))
