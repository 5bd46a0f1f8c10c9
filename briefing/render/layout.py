"""Turn a `Document` into the flat, cleaned sequence both renderers draw, one item at a time.

Here, and only here, text is cleaned (`text.clean`), headings get their numbers and
bookmark anchors, annexes become a page break plus a heading, cover details get their
labels and every table gets one width per column (none for a table without cells). The
renderers never see raw store text and never number anything themselves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from briefing import document as d
from briefing.render.text import clean
from templates import Template


@dataclass(frozen=True)
class Heading:
    """A heading as printed: `text` already carries its number ("2.1 Steel")."""

    text: str
    level: int  # 1..3
    anchor: str  # bookmark name, unique in the document


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    marking: str
    details: tuple[tuple[str, str], ...]  # (label, value), empty values left out


Item = (
    d.Contents
    | Heading
    | d.Paragraph
    | d.BulletList
    | d.LineToTake
    | d.Quote
    | d.Table
    | d.Note
    | d.PageBreak
)


@dataclass(frozen=True)
class Layout:
    cover: Cover
    items: tuple[Item, ...]
    properties: d.Properties

    @property
    def headings(self) -> tuple[Heading, ...]:
        """Return every heading, in order: the entries of the contents."""
        return tuple(i for i in self.items if isinstance(i, Heading))

    @property
    def marking(self) -> str:
        return self.cover.marking


def format_date(value: date) -> str:
    """Return a date the way briefs write it: "7 May 2026"."""
    return f"{value.day} {value:%B %Y}"


def layout(doc: d.Document, template: Template) -> Layout:
    """Return the cleaned, numbered items of `doc` for `template`."""
    c, labels = doc.cover, template.labels
    details = (
        (labels.meeting, c.meeting),
        (labels.date, format_date(c.date) if c.date else ""),
        (labels.place, c.place),
        (labels.version, c.version),
        (labels.prepared_by, c.prepared_by),
    )
    cover = Cover(
        clean(c.title),
        clean(c.subtitle),
        clean(c.marking),
        tuple((label, clean(value)) for label, value in details if value.strip()),
    )
    props = doc.properties
    properties = d.Properties(
        title=clean(props.title or c.title),
        subject=clean(props.subject),
        author=clean(props.author),
        company=clean(props.company),
        keywords=tuple(clean(k) for k in props.keywords),
    )
    items: list[Item] = []
    _Numberer(template, items).add(doc.blocks, prefix="")
    return Layout(cover, tuple(items), properties)


def _runs(runs: d.Runs) -> d.Runs:
    return tuple(
        d.Run(clean(r.text), r.bold, r.italic, clean(r.link).strip() or None if r.link else None)
        for r in runs
    )


class _Numberer:
    """Walks blocks, numbering headings and expanding annexes into `items`."""

    def __init__(self, template: Template, items: list[Item]) -> None:
        self.template, self.items = template, items
        self.anchors = 0

    def heading(self, text: str, level: int) -> Heading:
        self.anchors += 1
        return Heading(text, level, f"_Toc{self.anchors:06d}")

    def add(self, blocks: tuple[d.Block, ...], prefix: str) -> None:
        counters = [0, 0, 0]
        for block in blocks:
            match block:
                case d.Heading(text=text, level=level):
                    level = min(max(level, 1), 3)
                    counters[level - 1] += 1
                    counters[level:] = [0] * (3 - level)
                    parts = [prefix] if prefix else []
                    parts += [str(max(n, 1)) for n in counters[:level]]
                    number = ".".join(parts)
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
                case d.Paragraph(runs=runs):
                    self.items.append(d.Paragraph(_runs(runs)))
                case d.BulletList(items=entries):
                    self.items.append(dataclasses.replace(block, items=tuple(map(_runs, entries))))
                case d.LineToTake(runs=runs, question=question):
                    self.items.append(
                        dataclasses.replace(block, runs=_runs(runs), question=clean(question))
                    )
                case d.Quote(runs=runs, citation=citation):
                    cited = dataclasses.replace(
                        citation,
                        source_title=clean(citation.source_title),
                        issuer=clean(citation.issuer),
                    )
                    self.items.append(d.Quote(_runs(runs), cited))
                case d.Table(header=header, rows=rows, caption=caption, widths=widths):
                    columns = max([len(header), *(len(r) for r in rows)], default=0)
                    self.items.append(
                        dataclasses.replace(
                            block,
                            header=tuple(map(clean, header)),
                            rows=tuple(tuple(map(clean, row)) for row in rows),
                            caption=clean(caption),
                            widths=widths if len(widths) == columns else (1.0,) * columns,
                        )
                    )
                case d.Note(runs=runs, label=label):
                    self.items.append(d.Note(_runs(runs), clean(label)))
                case d.Contents(title=title):
                    self.items.append(d.Contents(clean(title)))
                case d.PageBreak():
                    self.items.append(block)
