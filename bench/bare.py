"""The baselines: the same `Document` written with bare reportlab platypus and bare python-docx.

What someone would write by hand to get the same pages: the same text, fonts (from
``templates/fonts``), cover, contents with page numbers, headings, lists, quotes, notes,
tables, marking and "Page X of Y" — and nothing else (no template, layout pass, text
cleaning, per-character glyph coverage or progress reporting).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import patch
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as WordParagraph
from reportlab.lib import colors, rl_accel
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, PropertySet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as platypus_paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from briefing import document as d
from templates import FONTS_DIR

# Runs of characters DejaVu lacks (CJK, kana, full-width forms): set in the fallback font.
_CJK = re.compile(r"([\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+)")
_FONTS = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Sans-Italic": "DejaVuSans-Oblique.ttf",
    "Sans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "CJK": "DroidSansFallbackFull.ttf",
}


def register_fonts() -> None:
    """Register the fonts once per process (as any reportlab program does)."""
    if "Sans" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
    pdfmetrics.registerFontFamily(
        "Sans", normal="Sans", bold="Sans-Bold", italic="Sans-Italic", boldItalic="Sans-BoldItalic"
    )


def blocks(doc: d.Document) -> Iterator[d.Block]:
    """Return the blocks of `doc` with annexes flattened to a page break and a heading."""
    for block in doc.blocks:
        if isinstance(block, d.Annex):
            yield d.PageBreak()
            yield d.Heading(f"Annex {block.letter}: {block.title}", 1)
            yield from block.blocks
        else:
            yield block


def details(cover: d.Cover) -> list[tuple[str, str]]:
    date = f"{cover.date.day} {cover.date:%B %Y}" if cover.date else ""
    rows = [("Meeting", cover.meeting), ("Date", date), ("Place", cover.place)]
    return [(label, value) for label, value in rows if value]


# -- PDF ------------------------------------------------------------------------------------


def _markup(text: str) -> str:
    return _CJK.sub(r'<font name="CJK">\1</font>', escape(text))


def _runs(runs: d.Runs) -> str:
    out = []
    for run in runs:
        text = _markup(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.link:
            text = f'<a href="{escape(run.link)}">{text}</a>'
        out.append(text)
    return "".join(out)


_BODY = ParagraphStyle("Body", fontName="Sans", fontSize=10.5, leading=14, spaceAfter=6)
_HEADINGS = [
    ParagraphStyle(f"H{n}", _BODY, fontName="Serif-Bold", fontSize=size, leading=size * 1.3)
    for n, size in ((1, 15), (2, 12.5), (3, 11))
]
_TITLE = ParagraphStyle("Title", _BODY, fontName="Serif-Bold", fontSize=24, leading=28)
_QUOTE = ParagraphStyle("Quote", _BODY, fontName="Sans-Italic", leftIndent=20)
_SMALL = ParagraphStyle("Small", _BODY, fontSize=8.5, leading=10)
_NOTE = ParagraphStyle("Note", _BODY, backColor=colors.whitesmoke, borderPadding=6)
_TOC: list[PropertySet] = [
    ParagraphStyle(f"TOC{n}", _BODY, leftIndent=20 * n, spaceAfter=1) for n in range(3)
]


class _Heading(Paragraph):
    def __init__(self, text: str, level: int) -> None:
        super().__init__(_markup(text), _HEADINGS[level - 1])
        self.level, self.text = level, text


class _Doc(BaseDocTemplate):
    def __init__(self, path: Path, doc: d.Document) -> None:
        super().__init__(
            str(path),
            pagesize=A4,
            title=doc.properties.title,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=28 * mm,
            bottomMargin=28 * mm,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height)
        self.addPageTemplates([PageTemplate("page", [frame])])
        self.level = -1

    def beforeDocument(self) -> None:
        self.level = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            key = f"h{id(flowable)}"
            self.level = min(flowable.level - 1, self.level + 1)  # outlines may not skip levels
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.text, key, level=self.level)
            self.notify("TOCEntry", (flowable.level - 1, _markup(flowable.text), self.page, key))


class _NumberedCanvas(Canvas):
    """Defers pages so each can show the marking and "Page X of Y"."""

    marking = ""
    _pageNumber: int  # ReportLab's own state, left out of its stubs
    _startPage: Callable[[], None]

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        width, height = A4
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Sans-Bold", 10)
            self.setFillColor(colors.darkred)
            self.drawCentredString(width / 2, height - 12 * mm, self.marking)
            self.drawCentredString(width / 2, 14 * mm, self.marking)
            self.setFont("Sans", 8.5)
            self.setFillColor(colors.black)
            self.drawCentredString(
                width / 2, 9 * mm, f"Page {self._pageNumber} of {len(self._pages)}"
            )
            super().showPage()
        super().save()


def _table(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> Table:
    data = [[Paragraph(_markup(c), _SMALL) for c in row] for row in (header, *rows)]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightsteelblue),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _flowables(block: d.Block) -> list[Flowable]:
    match block:
        case d.Contents(title=title):
            return [Paragraph(_markup(title), _HEADINGS[0]), TableOfContents(levelStyles=_TOC)]
        case d.Heading(text=text, level=level):
            return [_Heading(text, level)]
        case d.Paragraph(runs=runs):
            return [Paragraph(_runs(runs), _BODY)]
        case d.BulletList(items=items, numbered=numbered):
            paras = [
                ListItem(
                    [
                        Paragraph(_runs(i.runs), _BODY),
                        *(f for c in i.children for f in _flowables(c)),
                    ]
                )
                for i in items
            ]
            kind = "1" if numbered else "bullet"
            # it takes ListItems; the stubs say flowables
            return [ListFlowable(paras, bulletType=kind)]  # type: ignore[arg-type]
        case d.LineToTake(blocks=blocks, question=question):
            asked = f"<b>If asked:</b> <i>{_markup(question)}</i>" if question else ""
            return [Paragraph(asked, _QUOTE), *(f for b in blocks for f in _flowables(b))]
        case d.Sources():
            return [Paragraph(_markup(block.text()), _SMALL)]
        case d.Quote(runs=runs, citation=citation):
            return [Paragraph(_runs(runs), _QUOTE), Paragraph(_markup(citation.label()), _SMALL)]
        case d.Note(blocks=blocks, label=label):
            label_para = Paragraph(f"<b>{_markup(label)}:</b>", _NOTE)
            return [label_para, *(f for b in blocks for f in _flowables(b))]
        case d.Table(header=header, rows=rows):
            return [_table(header, rows), Spacer(1, 6)]
        case d.PageBreak():
            return [PageBreak()]
    raise TypeError(block)


def bare_pdf(doc: d.Document, path: Path) -> None:
    """Write `doc` as a PDF with stock platypus (multiple passes, for the contents)."""
    # without Briefing's line-breaking speed-up (`briefing.render.pdf._same_frag`)
    with patch.object(platypus_paragraph, "sameFrag", rl_accel.sameFrag):
        _bare_pdf(doc, path)


def _bare_pdf(doc: d.Document, path: Path) -> None:
    register_fonts()
    cover = doc.cover
    story: list[Flowable] = [Spacer(1, 45 * mm), Paragraph(_markup(cover.title), _TITLE)]
    story += [Paragraph(f"{label}: {_markup(value)}", _BODY) for label, value in details(cover)]
    story.append(PageBreak())
    for block in blocks(doc):
        story += _flowables(block)
    canvas = type("Canvas", (_NumberedCanvas,), {"marking": cover.marking})
    _Doc(path, doc).multiBuild(story, canvasmaker=canvas)


# -- Word -----------------------------------------------------------------------------------


def _field(paragraph: WordParagraph, instruction: str) -> None:
    for kind in ("begin", None, "separate", "end"):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        paragraph.add_run()._r.append(element)


def _word_runs(paragraph: WordParagraph, runs: d.Runs) -> None:
    for run in runs:
        word_run = paragraph.add_run(run.text)
        word_run.bold = run.bold or None
        word_run.italic = run.italic or None


def bare_docx(doc: d.Document, path: Path) -> None:
    """Write `doc` as a .docx with bare python-docx and its default template."""
    word = docx.Document()
    section = word.sections[0]
    section.header.paragraphs[0].text = doc.cover.marking
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{doc.cover.marking}  Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    word.add_heading(doc.cover.title, 0)
    for label, value in details(doc.cover):
        word.add_paragraph(f"{label}: {value}")
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    flat = list(blocks(doc))

    def write(block: d.Block) -> None:
        match block:
            case d.Contents(title=title):
                word.add_heading(title, 1)
                _field(word.add_paragraph(), r'TOC \o "1-3" \h \z \u')
                for heading in flat:
                    if isinstance(heading, d.Heading):
                        word.add_paragraph(heading.text)
            case d.Heading(text=text, level=level):
                word.add_heading(text, level)
            case d.Paragraph(runs=runs):
                _word_runs(word.add_paragraph(), runs)
            case d.BulletList(items=items, numbered=numbered):
                for item in items:
                    style = "List Number" if numbered else "List Bullet"
                    _word_runs(word.add_paragraph(style=style), item.runs)
                    for child in item.children:
                        write(child)
            case d.LineToTake(blocks=inner, question=question):
                if question:
                    word.add_paragraph(style="Intense Quote").add_run(f"If asked: {question}")
                for child in inner:
                    write(child)
            case d.Sources():
                word.add_paragraph(block.text(), "Caption")
            case d.Quote(runs=runs, citation=citation):
                _word_runs(word.add_paragraph(style="Quote"), runs)
                word.add_paragraph(citation.label(), "Caption")
            case d.Note(blocks=inner, label=label):
                word.add_paragraph().add_run(f"{label}: ").bold = True
                for child in inner:
                    write(child)
            case d.Table(header=header, rows=rows):
                table = word.add_table(rows=len(rows) + 1, cols=len(header))
                table.style = "Table Grid"
                for cells, row in zip((header, *rows), table.rows, strict=True):
                    for text, cell in zip(cells, row.cells, strict=True):
                        cell.paragraphs[0].add_run(text)
            case d.PageBreak():
                word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for block in flat:
        write(block)
    word.save(str(path))
