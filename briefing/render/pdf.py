"""Render a `Document` to PDF with reportlab platypus, in a template's house style.

Fonts are the template's embedded TrueType files; every paragraph falls back per glyph
to bundled and system fonts, is shaped when its script needs it and laid out right to left
where it reads so (`briefing.render.fonts`, `briefing.render.scripts`). Every size, colour
and distance comes from the template. The contents has page numbers and links, every
heading has a PDF outline entry, each page carries the marking at top and bottom and
"Page X of Y", and the file names its language and carries XMP (`briefing.render.pdfmeta`).
It is a tagged PDF: each block is drawn as marked content of its element in a structure
tree, page furniture as artifacts (`briefing.render.tagged`, `briefing.render.structtree`).
"""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _platypus_paragraph
from reportlab.platypus.flowables import LIIndenter
from reportlab.platypus.tableofcontents import TableOfContents

from briefing import document as d
from briefing.document import Document
from briefing.jobs import Progress
from briefing.render.flowing import flow
from briefing.render.fonts import FontChain, chains, font_name
from briefing.render.languages import is_rtl
from briefing.render.layout import Layout, NumberedHeading, layout
from briefing.render.pdfmeta import describe
from briefing.render.scripts import Paragraph
from briefing.render.structtree import write_structure
from briefing.render.tagged import END, PAGINATION, Element, Label, Marked, MarkingCanvas
from briefing.render.text import shortened, split_label
from templates import Colour, Template


def _same_frag(f: Any, g: Any) -> bool:
    """Return whether two text fragments can share a line run (reportlab's own Python code).

    rl_accel's C `sameFrag` raises and clears four AttributeErrors per call and is ~4× slower
    than this; line breaking calls it once per word, so it cost ~30% of a whole export.
    """
    fd, gd = f.__dict__, g.__dict__
    if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
        return False
    return tuple(map(fd.get, _FRAG_KEYS)) == tuple(map(gd.get, _FRAG_KEYS))


_FRAG_KEYS = (
    "fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr", "bidi"
)
_platypus_paragraph.sameFrag = _same_frag  # type: ignore[attr-defined]  # private; not in stubs

# Where a whole text cannot go, it is shortened at a word with an ellipsis (`shortened`):
ENTRY = 200  # characters of a heading in the contents and the bookmarks
RUNNING = 100  # characters of the title at the top of each page


def render_pdf(
    doc: Document, template: Template, path: Path, progress: Progress | None = None
) -> None:
    """Write `doc` as a PDF to `path` in `template`'s style; `progress` may raise `Cancelled`."""
    lay = layout(doc, template)
    builder = _Builder(template, lay)
    story = builder.story(progress)
    pdf = _Doc(path, template, lay, builder, len(story), progress)
    decorate = partial(_decorate, template=template, lay=lay, builder=builder)
    pdf.multiBuild(story, canvasmaker=partial(_PagedCanvas, decorate=decorate))
    write_structure(path, builder.root, pdf.canv.marked_pages)


def _colour(c: Colour) -> Color:
    return HexColor(c.hex)


class _Builder:
    """Holds the template's paragraph styles and turns layout items into flowables."""

    def __init__(self, t: Template, lay: Layout) -> None:
        self.t, self.lay = t, lay
        self.root = self.parent = Element("Document")  # the structure tree, and where it grows
        self.body, self.heading = chains(t)
        self.width = t.page.text_width
        s, c = t.sizes, t.colours
        align = TA_CENTER if t.cover.align == "centre" else TA_LEFT

        def style(name: str, parent: ParagraphStyle | None = None, **kw: Any) -> ParagraphStyle:
            size = kw.pop("size", None)
            if size is not None:
                kw["fontSize"] = size.pt
                kw.setdefault("leading", size.pt * s.line_spacing)
            return ParagraphStyle(name, parent=parent, **kw)

        heading_font = font_name(t.fonts.heading.bold)
        self.normal = style(
            "Normal",
            fontName=self.body.name,
            fonts=self.body,  # per-glyph fallback (briefing.render.scripts.Paragraph)
            size=s.body,
            textColor=_colour(c.text),
            spaceAfter=s.paragraph_space.pt,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )
        n = self.normal
        self.title = style(
            "Title",
            n,
            fontName=heading_font,
            size=s.title,
            leading=s.title.pt * 1.15,
            textColor=_colour(c.heading),
            alignment=align,
        )
        self.subtitle = style(
            "Subtitle",
            n,
            fontName=self.heading.name,
            size=s.subtitle,
            textColor=_colour(c.muted),
            alignment=align,
            spaceBefore=s.paragraph_space.pt,
            spaceAfter=s.heading_space.pt,
        )
        self.headings = [
            style(
                f"Heading {level}",
                n,
                fontName=heading_font,
                size=size,
                textColor=_colour(c.heading),
                keepWithNext=1,
                spaceBefore=s.heading_space.pt * (1 if level == 1 else 0.7),
                spaceAfter=s.paragraph_space.pt / 2,
            )
            for level, size in enumerate((s.heading1, s.heading2, s.heading3), start=1)
        ]
        self.toc_heading = style("TOC Heading", self.headings[0], spaceBefore=0)
        self.toc = [
            style(
                f"TOC {level}",
                n,
                fontName=font_name(t.fonts.body.bold if level == 1 else t.fonts.body.regular),
                leftIndent=s.indent.pt * (level - 1),
                spaceBefore=s.paragraph_space.pt / 2 if level == 1 else 0,
                spaceAfter=1,
                direction="ltr",  # page numbers at the right, whatever the title's script
            )
            for level in (1, 2, 3)
        ]
        self.bar = style(
            "Line To Take", n, leftIndent=s.indent.pt, spaceBefore=s.paragraph_space.pt / 2
        )
        self.quote = style(
            "Quote",
            self.bar,
            fontName=font_name(t.fonts.body.italic),
            rightIndent=s.indent.pt,
            keepWithNext=1,
            spaceAfter=1,
        )
        self.citation = style(
            "Citation", n, size=s.small, textColor=_colour(c.muted), leftIndent=s.indent.pt
        )
        self.sources = style("Sources", self.citation, leftIndent=0)
        self.bar_width = s.indent.pt / 8
        self.caption = style(
            "Caption",
            n,
            fontName=font_name(t.fonts.body.bold),
            size=s.small,
            textColor=_colour(c.muted),
            keepWithNext=1,
            spaceBefore=s.paragraph_space.pt / 2,
            spaceAfter=3,
        )
        pad = s.paragraph_space.pt
        self.note = style(
            "Note",
            n,
            backColor=_colour(c.note),
            borderColor=_colour(c.rule),
            borderWidth=0.75,
            borderPadding=pad,
            leftIndent=pad,
            rightIndent=pad,
            spaceBefore=pad * 1.5,
            spaceAfter=pad * 2,
        )
        self.cell = style("Table Text", n, size=s.small, spaceAfter=0, leading=s.small.pt * 1.2)
        self.cell_head = style("Table Heading", self.cell, fontName=font_name(t.fonts.body.bold))
        self.detail = style("Cover Detail", n, spaceAfter=2)
        self.detail_label = style("Cover Label", self.detail, textColor=_colour(c.muted))
        self.marking = style(
            "Marking",
            n,
            fontName=font_name(t.fonts.body.bold),
            size=s.marking,
            leading=s.marking.pt * 1.2,
            textColor=_colour(c.marking),
            alignment=TA_CENTER,
            spaceAfter=0,
        )
        self.small = style(
            "Header",
            n,
            size=s.small,
            leading=s.small.pt * 1.2,
            textColor=_colour(c.muted),
            alignment=TA_CENTER,
            spaceAfter=0,
        )

    def tagged(self, flowable: Flowable, kind: str, scope: str = "") -> Flowable:
        """Return `flowable` drawn as a new structure element `kind` (see `tagged`)."""
        if not isinstance(flowable, Marked):
            raise TypeError(f"{flowable!r} cannot be tagged")
        flowable.tag = self.parent.add(kind, scope)
        return flowable

    @contextmanager
    def within(self, kind: str) -> Iterator[Element]:
        """Make the elements tagged inside the block children of a new element `kind`."""
        outer = self.parent
        self.parent = outer.add(kind)
        try:
            yield self.parent
        finally:
            self.parent = outer

    def runs(self, runs: d.Runs, chain: FontChain | None = None) -> str:
        """Return runs as platypus markup: escaped, with fallback fonts, bold, italic, strike,
        underline (inserted words) and links."""
        chain = chain or self.body
        out = []
        for run in runs:
            text = chain.markup(run.text)
            if run.bold:
                text = f"<b>{text}</b>"
            if run.italic:
                text = f"<i>{text}</i>"
            if run.strike:
                text = f"<strike>{text}</strike>"
            if run.inserted:
                text = f"<u>{text}</u>"
            if run.link:
                href = escape(run.link, {'"': "&quot;"})
                text = f'<a href="{href}" color="{self.t.colours.link.hex}"><u>{text}</u></a>'
            out.append(text)
        return "".join(out)

    def entry(self, heading: NumberedHeading) -> str:
        """Return a heading as the contents lists it: its markup, shortened past `ENTRY`."""
        return self.body.markup(shortened(heading.text, ENTRY))

    def paragraph(self, runs: d.Runs, style: ParagraphStyle) -> Paragraph:
        """Return `runs` as a paragraph in `style`."""
        return Paragraph(self.runs(runs), style)

    def in_heading_font(self, runs: d.Runs, style: ParagraphStyle) -> Paragraph:
        """Return `runs` as a paragraph in `style`, in the heading font (the cover)."""
        return Paragraph(self.runs(runs, self.heading), style)

    def quoted(self, runs: d.Runs, style: ParagraphStyle) -> Paragraph:
        """Return `runs` as a quoted paragraph in `style`: beside a bar in the rule colour."""
        return _BarParagraph(self.runs(runs), style, bar=self.t.colours.rule)

    def story(self, progress: Progress | None) -> list[Flowable]:
        """Return the flowables of the whole document, cover first."""
        story = self.cover()
        total = len(self.lay.items)
        for done, item in enumerate(self.lay.items):
            if progress:
                progress(done, total, "Preparing PDF")
            story += self.item(item)
        return story

    def cover(self) -> list[Flowable]:
        t, cover = self.t, self.lay.cover
        story: list[Flowable] = [
            Spacer(1, t.cover.space_before_title.pt),
            self.tagged(flow((d.Run(cover.title),), self.title, self.in_heading_font), "H1"),
        ]
        if t.cover.rule:
            story.append(
                HRFlowable(
                    width="100%",
                    thickness=1,
                    color=_colour(t.colours.rule),
                    spaceBefore=2,
                    spaceAfter=t.sizes.paragraph_space.pt,
                )
            )
        if cover.subtitle:
            subtitle = flow((d.Run(cover.subtitle),), self.subtitle, self.in_heading_font)
            story.append(self.tagged(subtitle, "P"))
        if cover.details:
            label_width = t.cover.label_width.pt
            rows = []
            with self.within("Table"):
                for label, value in cover.details:
                    with self.within("TR"):
                        rows.append([
                            self.tagged(
                                Paragraph(self.body.markup(label), self.detail_label), "TH", "Row"
                            ),
                            self.tagged(flow((d.Run(value),), self.detail, self.paragraph), "TD"),
                        ])  # fmt: skip
            table = _Grid(
                rows,
                colWidths=[label_width, self.width - label_width],
                hAlign="CENTER" if t.cover.align == "centre" else "LEFT",
            )
            table.setStyle(self.table_style(("LEFTPADDING", (0, 0), (-1, -1), 0)))
            story.append(table)
        return [*story, NextPageTemplate("body"), PageBreak()]

    def item(self, item: object) -> list[Flowable]:
        """Return the flowables for one layout item."""
        match item:
            case NumberedHeading(text=text, level=level):
                heading = _HeadingParagraph(
                    self.heading.markup(text), self.headings[level - 1], heading=item
                )
                return [self.tagged(heading, f"H{level}")]
            case d.Contents(title=title):
                title_para = Paragraph(self.heading.markup(title), self.toc_heading)
                contents = self.tagged(title_para, "H1")  # before the TOC, in reading order
                with self.within("TOC") as element:
                    entries = [element.add("TOCI").add("Reference") for _ in self.lay.headings]
                toc = _Contents(
                    [(h.level - 1, self.entry(h), h.anchor) for h in self.lay.headings],
                    entries,
                    levelStyles=self.toc,
                    dotsMinLevel=0,
                    # entries spaced by their paragraph styles alone, as Word's TOC styles
                    # space them: both formats then put the headings on the same pages
                    tableStyle=self.table_style(
                        *((f"{side}PADDING", (0, 0), (-1, -1), 0)
                          for side in ("LEFT", "RIGHT", "TOP", "BOTTOM"))
                    ),
                )
                return [contents, toc]
            case d.Paragraph(runs=runs):
                return [self.tagged(flow(runs, self.normal, self.paragraph), "P")]
            case d.BulletList():
                return [self.bullets(item, depth=0)]
            case d.LineToTake(blocks=blocks):
                bar = _colour(self.t.colours.line_to_take)
                with self.within("Div"):
                    return [
                        self.aside(blocks, ("LINEBEFORE", (0, 0), (0, 0), self.bar_width, bar))
                    ]
            case d.Note(blocks=blocks):
                c = self.t.colours
                pad = self.t.sizes.paragraph_space.pt
                with self.within("Div"):
                    return [
                        self.aside(
                            blocks,
                            ("BACKGROUND", (0, 0), (0, 0), _colour(c.note)),
                            ("BOX", (0, 0), (0, 0), 0.75, _colour(c.rule)),
                            ("RIGHTPADDING", (0, 0), (0, 0), pad),
                            ("TOPPADDING", (0, 0), (0, 0), pad),
                        )
                    ]
            case d.Sources():
                return [self.tagged(Paragraph(self.body.markup(item.text()), self.sources), "P")]
            case d.Quote(runs=runs, citation=citation):
                cited = "— " + self.body.markup(citation.label())
                with self.within("BlockQuote"):
                    return [
                        self.tagged(flow(runs, self.quote, self.quoted), "P"),
                        self.tagged(Paragraph(cited, self.citation), "P"),
                    ]
            case d.Table():
                return self.table(item)
            case d.PageBreak():
                return [PageBreak()]
        raise TypeError(f"unknown layout item {item!r}")

    def blocks(self, blocks: tuple[object, ...]) -> list[Flowable]:
        """Return the flowables of blocks nested in a list entry, a line to take or a note."""
        return [f for block in blocks for f in self.item(block)]

    def bullets(self, bullets: d.BulletList, depth: int) -> ListFlowable:
        """Return a list whose entries hold their nested blocks; bullets and numbers change
        with the depth (•, ◦, ▪; 1, a, i)."""
        entries, labels = [], []
        with self.within("L"):
            for entry in bullets.items:
                with self.within("LI") as item:
                    labels.append(item.add("Lbl"))
                    with self.within("LBody"):
                        first = self.tagged(flow(entry.runs, self.normal, self.paragraph), "P")
                        nested = [
                            f
                            for c in entry.children
                            for f in (
                                [self.bullets(c, depth + 1)]
                                if isinstance(c, d.BulletList)
                                else self.item(c)
                            )
                        ]
                entries.append(ListItem([first, *nested]))
        kind = (
            {"bulletType": "1ai"[depth % 3], "bulletFormat": "%s.", "start": bullets.start}
            if bullets.numbered
            else {"bulletType": "bullet", "start": "•◦▪"[depth % 3]}
        )
        rtl = is_rtl(" ".join(run.text for entry in bullets.items for run in entry.runs))
        indent = self.t.sizes.indent.pt  # at the right of RTL lists, with their bullets
        return _List(
            entries,
            labels,
            bulletFontName=self.body.name,
            bulletFontSize=self.normal.fontSize,
            bulletDir="rtl" if rtl else "ltr",
            leftIndent=0 if rtl else indent,
            rightIndent=indent if rtl else 0,
            **kind,
        )

    def aside(self, blocks: tuple[object, ...], *commands: tuple[Any, ...]) -> Table:
        """Return `blocks` in a one-cell table drawn by `commands` (a bar, a box), which
        breaks across pages between and inside its blocks."""
        box = Table(
            [[self.blocks(blocks)]],
            colWidths=["100%"],
            splitInRow=1,
            hAlign="LEFT",
            spaceBefore=self.t.sizes.paragraph_space.pt / 2,
            spaceAfter=self.t.sizes.paragraph_space.pt,
        )
        pad = ("LEFTPADDING", (0, 0), (0, 0), self.t.sizes.indent.pt)
        box.setStyle(self.table_style(("TOPPADDING", (0, 0), (0, 0), 0), pad, *commands))
        return box

    def table_style(self, *commands: tuple[Any, ...]) -> TableStyle:
        """Return a table style: top-aligned cells, the body font (never reportlab's default)."""
        base = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), self.body.name)]
        return TableStyle([*base, *commands])

    def table(self, table: d.Table) -> list[Flowable]:
        widths, columns = table.widths, len(table.widths)  # one per column (see `layout`)
        if not columns:
            return []
        col_widths = [f"{100 * w / sum(widths):.4f}%" for w in widths]  # of where it sits

        def row(cells: tuple[str, ...], style: ParagraphStyle, kind: str) -> list[Flowable]:
            padded = (*cells, *("",) * (columns - len(cells)))
            scope = "Column" if kind == "TH" else ""
            with self.within("TR"):
                return [
                    self.tagged(flow((d.Run(c),), style, self.paragraph), kind, scope)
                    for c in padded
                ]

        with self.within("Table"):
            caption = (
                [self.tagged(Paragraph(self.body.markup(table.caption), self.caption), "Caption")]
                if table.caption
                else []
            )
            data = ([row(table.header, self.cell_head, "TH")] if table.header else []) + [
                row(r, self.cell, "TD") for r in table.rows
            ]
        c = self.t.colours
        grid = _Grid(data, colWidths=col_widths, repeatRows=1 if table.header else 0, hAlign="LEFT")
        header = [("BACKGROUND", (0, 0), (-1, 0), _colour(c.table_header))] if table.header else []
        grid.setStyle(self.table_style(("GRID", (0, 0), (-1, -1), 0.5, _colour(c.rule)), *header))
        return [*caption, grid, Spacer(1, self.t.sizes.paragraph_space.pt)]


class _Grid(Table):
    """A table that breaks between rows, a row moving to the next page whole; only a row
    taller than a page breaks inside its cells, from the top of a page."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **{**kw, "splitInRow": 1})

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)  # set by the frame asking
        if frame is None or frame._atTop:
            return super().split(availWidth, availHeight)
        self._calc(availWidth, availHeight)  # type: ignore[attr-defined]
        return self._splitRows(availHeight, doInRowSplit=False)  # type: ignore[attr-defined,no-any-return]


class _List(ListFlowable):
    """A list whose bullets and numbers are drawn as the `Lbl` elements of its entries."""

    def __init__(self, entries: list[ListItem], labels: list[Element], **kw: Any) -> None:
        super().__init__(entries, **kw)  # type: ignore[arg-type]  # it takes ListItems too
        self.labels = labels

    def _getContent(self) -> list[Flowable]:
        content: list[Flowable] = super()._getContent()  # type: ignore[misc]  # private
        indenters: list[Any] = [f for f in content if isinstance(f, LIIndenter)]
        bulleted = (f for f in indenters if f._bullet)  # an entry's first flowable
        for indenter, label in zip(bulleted, self.labels, strict=False):
            indenter._bullet = Label(indenter._bullet, label)
        return content


class _HeadingParagraph(Paragraph):
    """A heading paragraph; the document bookmarks it and lists it in the contents."""

    heading: NumberedHeading | None = None

    def __init__(self, *args: Any, heading: NumberedHeading | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.heading = heading

    def split(self, width: float, height: float) -> list[Flowable]:
        """Split a heading longer than the room: its first piece is the one bookmarked."""
        parts = super().split(width, height)
        if parts and parts[0] is not self:
            parts[0].heading = self.heading  # type: ignore[attr-defined]
        return parts


class _BarParagraph(Paragraph):
    """A paragraph with a coloured bar in its left indent (lines to take, quotes)."""

    bar_colour: Colour | None = None

    def __init__(self, *args: Any, bar: Colour | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.bar_colour = bar or type(self).bar_colour

    def split(self, width: float, height: float) -> list[Flowable]:
        parts = super().split(width, height)
        for part in parts:
            if isinstance(part, _BarParagraph):  # Paragraph.split makes its own class
                part.bar_colour = self.bar_colour
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Draw the bar (an artifact, outside the paragraph's marked content), then the text."""
        if self.bar_colour:
            canvas.saveState()
            canvas.setStrokeColor(HexColor(self.bar_colour.hex))
            canvas.setLineWidth(self.style.leftIndent / 8)
            bar = self._hAlignAdjust(x, _sW) + self.style.leftIndent / 3  # type: ignore[attr-defined]
            canvas.line(bar, y, bar, y + self.height)
            canvas.restoreState()
        super().drawOn(canvas, x, y, _sW)


class _Doc(BaseDocTemplate):
    """The page set-up: a cover page template, then body pages; bookmarks every heading."""

    canv: _PagedCanvas  # made by `render_pdf`'s canvasmaker

    def __init__(
        self,
        path: Path,
        t: Template,
        lay: Layout,
        builder: _Builder,
        total: int,
        progress: Progress | None,
    ) -> None:
        p = t.page
        props = lay.properties
        language = t.word.language  # the document's language, one for Word and PDF
        super().__init__(
            str(path),
            pagesize=(p.width.pt, p.height.pt),
            leftMargin=p.margin_left.pt,
            rightMargin=p.margin_right.pt,
            topMargin=p.margin_top.pt,
            bottomMargin=p.margin_bottom.pt,
            title=shortened(props.title),
            subject=shortened(props.subject),
            author=shortened(props.author),
            keywords=[shortened(k) for k in props.keywords],
            creator="Briefing",
            initialFontName=builder.body.name,
            lang=language,
        )
        frame = partial(
            Frame,
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame(id="cover")]),
                PageTemplate("body", [frame(id="body")]),
            ]
        )
        self.builder, self.total, self.progress = builder, total, progress
        self.properties, self.language = props, language
        self.drawn, self.level, self.passes = 0, -1, 0

    def beforeDocument(self) -> None:
        # multiBuild lays the story out once, then again with the page numbers it found
        self.drawn, self.level, self.passes = 0, -1, self.passes + 1
        describe(self.canv, self.properties, self.language)

    def afterFlowable(self, flowable: Flowable) -> None:
        self.drawn += 1
        if self.progress:
            # two passes as a rule: the bar fills over both, and never goes back
            done = min((self.passes - 1) * self.total + self.drawn, 2 * self.total - 1)
            self.progress(done, 2 * self.total, f"Laying out page {self.page}")
        heading = getattr(flowable, "heading", None)
        if heading is None:
            return
        self.level = min(heading.level - 1, self.level + 1)  # outlines may not skip levels
        self.canv.bookmark(heading.anchor)
        title = shortened(heading.text, ENTRY)
        self.canv.addOutlineEntry(title, heading.anchor, level=self.level, closed=False)
        entry = self.builder.entry(heading)
        self.notify("TOCEntry", (heading.level - 1, entry, self.page, heading.anchor))


class _Contents(TableOfContents):
    """The contents, laid out in the same single pass as the pages it lists.

    Its entries are known before the build, so its height is final at once; each page
    number is left as a `_PageNumber` placeholder in the page's drawing code and drawn
    when the canvas saves the pages, by which time every heading's page is known. Each
    entry is drawn as its element of the structure tree (`tags`, one per entry).
    """

    # TableOfContents's entries (level, text, page, key), this pass's and the last
    _entries: list[tuple[int, str, int, str | None]]
    _lastEntries: list[tuple[int, str, int, str | None]]

    def __init__(
        self, entries: list[tuple[int, str, str]], tags: list[Element], **kw: Any
    ) -> None:
        super().__init__(**kw)
        self.tags = tags
        self.pages: dict[str, int] = {}  # anchor → page, as laid out in this pass
        for level, text, key in entries:
            self.addEntry(level, text, 0, key)

    def clearEntries(self) -> None:
        super().clearEntries()
        self.pages = {}

    def addEntry(self, level: int, text: str, pageNum: int, key: str | None = None) -> None:
        super().addEntry(level, text, pageNum, key)
        if key:
            self.pages[key] = pageNum

    def isSatisfied(self) -> bool:
        """Return whether the headings are as expected (their pages are drawn at save)."""
        return [e[:2] + e[3:] for e in self._entries] == [e[:2] + e[3:] for e in self._lastEntries]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = super().wrap(availWidth, availHeight)
        rows = self._table._cellvalues  # type: ignore[attr-defined]  # each cell a tuple
        paras = (f for row in rows for cell in row for f in cell if isinstance(f, Marked))
        for para, tag in zip(paras, self.tags, strict=False):
            para.tag = tag
        self.canv.setNamedCB("drawTOCEntryEnd", partial(self._defer, availWidth))
        return size

    def _defer(self, width: float, canv: _PagedCanvas, _kind: str, label: str) -> None:
        _, level, key = label.split(",", 2)  # as TableOfContents.wrap writes it
        key, style = literal_eval(key), self.getLevelStyle(int(level))
        x, y = canv._curr_tx_info["cur_x"], canv._curr_tx_info["cur_y"]
        canv.after_text(_PageNumber(self, style, x, y, width, key))
        canv.linkRect("", key, (x, y, width, y + style.leading), relative=1)


@dataclass(frozen=True)
class _PageNumber:
    """A contents entry's dot leader and page number, drawn once the page is known."""

    contents: _Contents
    style: ParagraphStyle
    x: float
    y: float
    width: float
    key: str

    def code(self, canv: Canvas) -> str:
        """Return the PDF drawing operators, as reportlab's `drawPageNumbers` would draw."""
        text, size = str(self.contents.pages.get(self.key, "")), self.style.fontSize
        text_width = stringWidth(text, self.style.fontName, size)
        dot_width = stringWidth(" . ", self.style.fontName, size)
        dots = max(0, int((self.width - self.x - text_width) / dot_width))
        tx = canv.beginText(self.width - dots * dot_width - text_width, self.y)
        tx.setFont(self.style.fontName, size)
        tx.setFillColor(self.style.textColor)
        tx.textLine(" . " * dots + text)
        return f"q {tx.getCode()} Q"


class _PagedCanvas(MarkingCanvas):
    """Holds pages back until the end so each can say "Page X of Y"; marks content."""

    # ReportLab's own state, left out of its stubs
    _code: list[Any]  # the operators for the page being drawn
    _curr_tx_info: dict[str, float]  # where the last text object ended
    _pageNumber: int
    _startPage: Callable[[], None]

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._decorate_page = decorate
        self._pages: list[dict[str, Any]] = []
        self._anchors: list[str] = []  # bookmarks on the page being drawn
        self._after_text: list[_PageNumber] = []

    def after_text(self, number: _PageNumber) -> None:
        """Draw a contents entry's page number after the entry's text (which is drawn once
        its paragraph is done, after the paragraph asked for the number), so that it reads
        after the text."""
        self._after_text.append(number)

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        self._code += self._after_text
        self._after_text = []

    def bookmark(self, key: str) -> None:
        """Make this page the destination of `key` (once the page really exists, at save)."""
        self._anchors.append(key)

    def showPage(self) -> None:
        self.end_page()
        self._pages.append(dict(self.__dict__))
        self._anchors = []
        self._startPage()
        self.start_page()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._code = [c.code(self) if isinstance(c, _PageNumber) else c for c in self._code]
            for key in self._anchors:
                self.bookmarkPage(key)
            self._code.append(PAGINATION)
            self._decorate_page(self, self._pageNumber, total)
            self._code.append(END)
            super().showPage()
        super().save()


def _decorate(
    canv: Canvas, page: int, total: int, *, template: Template, lay: Layout, builder: _Builder
) -> None:
    """Draw the marking at top and bottom, the running title and "Page X of Y"."""
    p, hf = template.page, template.header_footer
    left, width = p.margin_left.pt, builder.width

    def line(markup: str, style: ParagraphStyle, y: float, from_top: bool) -> float:
        para = Paragraph(markup, style)
        _, height = para.wrap(width, p.height.pt)
        para.drawOn(canv, left, y - height if from_top else y)
        return height

    y = p.height.pt - p.header_distance.pt
    if lay.marking:
        y -= line(builder.body.markup(lay.marking), builder.marking, y, from_top=True)
    if hf.running_title and page > 1:
        title = shortened(lay.properties.title, RUNNING)
        line(builder.body.markup(title), builder.small, y - 2, from_top=True)
    numbers = {"{page}": str(page), "{pages}": str(total)}
    label = "".join(numbers.get(part, part) for part in split_label(hf.page_label))
    if lay.copy_note:
        label = f"{lay.copy_note} · {label}"
    y = p.footer_distance.pt
    y += line(builder.body.markup(label), builder.small, y, from_top=False) + 2
    if lay.marking:
        line(builder.body.markup(lay.marking), builder.marking, y, from_top=False)
