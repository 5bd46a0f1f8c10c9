"""Render a `Document` to Word with python-docx, applying only the template's named styles.

The look lives in the template's ``reference.docx`` (see ``scripts/make_reference.py``);
this module opens it, empties its body and writes paragraphs that name styles from
`STYLES`. Page geometry comes from the template. The contents is a real ``TOC`` field
whose cached result already lists every heading (linked to bookmarks) with its page number
(a ``PAGEREF`` field cached with the page of the PDF layout, `render.pages`), so Word and
LibreOffice show it at once and Word's Update Field refreshes it. Text is written in runs
cut where its script changes, each carrying its language, font and direction
(`render.languages`); the fonts are the template's ``[word]`` ones, never the PDF's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Pt
from docx.table import Table as WordTable
from docx.text.font import Font
from docx.text.paragraph import Paragraph as WordParagraph
from lxml import etree

from briefing import document as d
from briefing.document import Document
from briefing.jobs import Progress
from briefing.render.languages import Span, east_asian_language, is_rtl, spans
from briefing.render.layout import Layout, NumberedHeading, layout
from briefing.render.pages import heading_pages
from briefing.render.text import shortened, split_label
from templates import Colour, Page, Template

PARAGRAPH_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Cover Detail",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "TOC Heading",
    "TOC 1",
    "TOC 2",
    "TOC 3",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "List Continue",
    "List Continue 2",
    "List Continue 3",
    "Quote",
    "Citation",
    "Caption",
    "Line To Take",
    "If Asked",
    "Note",
    "Table Heading",
    "Table Text",
    "Header",
    "Footer",
    "Marking",
    "Running Title",
)
CHARACTER_STYLES = ("Hyperlink", "Cover Label")
TABLE_STYLES = ("Table Grid",)
STYLES = PARAGRAPH_STYLES + CHARACTER_STYLES + TABLE_STYLES
TOC_FIELD = r'TOC \o "1-3" \h \z \u'

# the order of a paragraph's and a run's properties (ECMA-376 CT_PPrBase, CT_RPr): an element
# goes before the ones listed after it
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def after(order: tuple[str, ...], tag: str) -> tuple[str, ...]:
    """Return the tags of `order` that follow `tag`: what a new `tag` element goes before."""
    return order[order.index(tag) + 1 :]


EXTENDED_PROPERTIES = "/docProps/app.xml"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# what the reference documents carry from the word processor that made them, never wanted in
# a pack: a preview picture of the blank template, its bibliography store, Word 2010's
# duplicate of the styles (438 KB)
LEFTOVER_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
)
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def _set_company(word: WordDocument, company: str) -> None:
    """Write the extended properties afresh: the application (Briefing) and the organisation
    (Company, where Word shows it) only.

    The reference documents' app.xml names the word processor that made them ("Microsoft
    Macintosh Word"), its Normal.dotm template and the blank page's counts: none of it is
    kept.
    """
    part = next(
        (p for p in word.part.package.iter_parts() if p.partname == EXTENDED_PROPERTIES), None
    )
    if part is None:
        return
    root = etree.Element(f"{{{EXTENDED_NS}}}Properties", nsmap={None: EXTENDED_NS})
    etree.SubElement(root, f"{{{EXTENDED_NS}}}Application").text = "Briefing"
    etree.SubElement(root, f"{{{EXTENDED_NS}}}DocSecurity").text = "0"
    etree.SubElement(root, f"{{{EXTENDED_NS}}}Company").text = company
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_package(word: WordDocument) -> None:
    """Leave out what the reference document carries over from its making: the thumbnail,
    bibliography store and stylesWithEffects parts (unlinked, so not written), the settings'
    revision-save ids, fixed document id, preview-picture flag and attached template, and the
    styles' revision ids."""
    for rels in (word.part.package.rels, word.part.rels):
        for r_id in [k for k, rel in rels.items() if rel.reltype in LEFTOVER_RELATIONSHIPS]:
            rels.pop(r_id)
    settings = word.settings.element
    for tag in ("w:rsids", "w:savePreviewPicture", "w:attachedTemplate"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)
    for element in settings.findall(f"{{{W14_NS}}}docId"):
        settings.remove(element)
    rsid = qn("w:rsid")
    for part in word.part.package.iter_parts():
        root = getattr(part, "element", None)  # the XML parts python-docx parsed
        if root is None:
            continue
        for element in list(root.iter(rsid)):
            element.getparent().remove(element)
        for element in root.iter():
            for name in [a for a in element.attrib if a.startswith(rsid)]:  # w:rsidR, …
                del element.attrib[name]


def render_docx(
    doc: Document, template: Template, path: Path, progress: Progress | None = None
) -> None:
    """Write `doc` as a .docx to `path` in `template`'s style; `progress` may raise `Cancelled`.

    The contents' page numbers are the PDF renderer's: it lays the document out first (the
    first half of the progress reported).
    """
    lay = layout(doc, template)
    pages = (
        heading_pages(doc, template, lay.headings, _first_half(progress))
        if lay.headings and _has_contents(lay)
        else {}
    )
    word = docx.Document(str(template.reference_docx))
    writer = _Writer(word, template, lay, pages)
    total = len(lay.items)
    for done, item in enumerate(lay.items):
        if progress:
            progress(total + done, 2 * total, "Writing Word document")
        writer.item(item)
    clean_package(word)
    word.save(str(path))


def _has_contents(lay: Layout) -> bool:
    return any(isinstance(item, d.Contents) for item in lay.items)


def _first_half(progress: Progress | None) -> Progress | None:
    """Return `progress` reporting into the first half of its bar."""
    if progress is None:
        return None
    report = progress
    return lambda done, total, message: report(done, 2 * total, message)


def empty_body(word: WordDocument) -> None:
    """Remove everything from the body of `word` but its section properties."""
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def page_setup(section: Section, p: Page) -> None:
    """Give `section` the paper size, margins and header/footer distances of `p`."""
    section.page_width, section.page_height = Pt(p.width.pt), Pt(p.height.pt)
    section.top_margin, section.bottom_margin = Pt(p.margin_top.pt), Pt(p.margin_bottom.pt)
    section.left_margin, section.right_margin = Pt(p.margin_left.pt), Pt(p.margin_right.pt)
    section.header_distance = Pt(p.header_distance.pt)
    section.footer_distance = Pt(p.footer_distance.pt)


def shading(fill: Colour) -> BaseOxmlElement:
    """Return a ``w:shd`` element filling a paragraph or cell with `fill`."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.hex[1:])
    return shd


def _run(parent: BaseOxmlElement, text: str = "") -> BaseOxmlElement:
    """Append a ``w:r`` to `parent` (a paragraph or a hyperlink) holding `text`."""
    r = OxmlElement("w:r")
    parent.append(r)
    if text:
        r.text = text  # python-docx's CT_R turns tabs and newlines into w:tab and w:br
    return r


def _field(parent: BaseOxmlElement, instruction: str, cached: str = "") -> None:
    """Append a complex field (``begin``, instruction, ``separate``, cached result, ``end``)."""
    _field_start(parent, instruction)
    if cached:
        _run(parent, cached)
    _fld_char(parent, "end")


def _field_start(parent: BaseOxmlElement, instruction: str) -> None:
    """Append a field's ``begin``, instruction and ``separate``: its result comes next."""
    _fld_char(parent, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(parent).append(instr)
    _fld_char(parent, "separate")


def _fld_char(parent: BaseOxmlElement, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    _run(parent).append(char)


class _Writer:
    """Appends layout items to a Word document opened from the reference."""

    def __init__(
        self, word: WordDocument, t: Template, lay: Layout, pages: dict[str, int]
    ) -> None:
        self.word, self.t, self.lay, self.pages = word, t, lay, pages
        self.break_before = False
        self.bookmarks = 0
        self.style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        empty_body(word)
        page_setup(word.sections[0], t.page)
        word.sections[0].different_first_page_header_footer = True
        self.properties()
        self.header_footer(word.sections[0])
        self.cover()

    # -- document level ---------------------------------------------------------------

    def properties(self) -> None:
        props, core = self.lay.properties, self.word.core_properties
        core.title, core.subject = shortened(props.title), shortened(props.subject)
        core.author, core.keywords = shortened(props.author), shortened(", ".join(props.keywords))
        core.last_modified_by = core.author
        core.comments = core.category = ""
        core.content_status = "Draft" if self.lay.draft else ""
        core.revision = 1
        core.created = core.modified = datetime.now(UTC).replace(tzinfo=None)
        _set_company(self.word, props.company)

    def header_footer(self, section: Section) -> None:
        """Marking centred at top and bottom of every page; the cover has its own header."""
        marking = self.lay.marking
        first, header = section.first_page_header, section.header
        for part in (first, header):
            part.is_linked_to_previous = False
            self.write(self.styled(part.paragraphs[0], "Marking"), marking)
        if self.t.header_footer.running_title:
            self.write(header.add_paragraph(style="Running Title"), self.lay.properties.title)
        for foot in (section.first_page_footer, section.footer):
            foot.is_linked_to_previous = False
            self.write(self.styled(foot.paragraphs[0], "Marking"), marking)
            label = foot.add_paragraph(style="Footer")
            if self.lay.copy_note:
                self.write(label, f"{self.lay.copy_note} · ")
            for piece in split_label(self.t.header_footer.page_label):
                match piece:
                    case "{page}":
                        _field(label._p, "PAGE", "1")
                    case "{pages}":
                        _field(label._p, "NUMPAGES", "1")
                    case _:
                        self.write(label, piece)

    def styled(self, paragraph: WordParagraph, style: str) -> WordParagraph:
        paragraph._p.style = self.style_id(style)
        return paragraph

    def cover(self) -> None:
        cover = self.lay.cover
        last = self.write(self.para("Title"), cover.title)
        if cover.subtitle:
            last = self.write(self.para("Subtitle"), cover.subtitle)
        for label, value in cover.details:
            last = self.para("Cover Detail")
            self.runs(last, (d.Run(label), d.Run("\t" + value)), styles=("Cover Label", None))
        last.add_run().add_break(WD_BREAK.PAGE)

    # -- blocks -----------------------------------------------------------------------

    def style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """Return the id of style `name` (None for the default), cached: python-docx finds it
        by scanning every style in the document, ~3 ms a time, for each paragraph."""
        key = (name, kind)
        if key not in self.style_ids:
            # python-docx leaves get_style_id unannotated
            self.style_ids[key] = self.word.part.get_style_id(name, kind)  # type: ignore[no-untyped-call]
        return self.style_ids[key]

    def para(self, style: str) -> WordParagraph:
        """Return a new paragraph in `style`, starting a new page if a break is pending."""
        paragraph = self.word.add_paragraph()
        paragraph._p.style = self.style_id(style)
        if self.break_before:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False
        return paragraph

    def write(self, paragraph: WordParagraph, text: str) -> WordParagraph:
        """Add `text` to `paragraph` (see `runs`) and return the paragraph."""
        self.runs(paragraph, (d.Run(text),))
        return paragraph

    def runs(
        self,
        paragraph: WordParagraph,
        runs: d.Runs,
        styles: tuple[str | None, ...] = (),
        parent: BaseOxmlElement | None = None,
    ) -> None:
        """Add `runs` to `paragraph` (or to `parent` inside it), each in character style
        `styles[i]` if given, cut where the script changes so that each piece carries its
        language, font and direction; a paragraph whose text starts right to left is marked
        so (``w:bidi``)."""
        text = "".join(r.text for r in runs)
        east_asian = east_asian_language(text, self.t.word.east_asian_language)
        if is_rtl(text):
            p_pr = paragraph._p.get_or_add_pPr()
            if p_pr.find(qn("w:bidi")) is None:
                p_pr.insert_element_before(OxmlElement("w:bidi"), *after(PPR_ORDER, "w:bidi"))
        for i, run in enumerate(runs):
            style = styles[i] if i < len(styles) else None
            into = parent if parent is not None else paragraph._p
            if run.link:
                into = self.hyperlink(paragraph, run.link, into)
                style = style or "Hyperlink"
            for span in spans(run.text, east_asian):
                self.span(into, span, run, style)

    def span(
        self, parent: BaseOxmlElement, span: Span, run: d.Run, style: str | None
    ) -> None:
        """Append one run of `span`'s text with `run`'s emphasis and the span's language."""
        r = _run(parent)
        if style:
            r.style = self.style_id(style, WD_STYLE_TYPE.CHARACTER)
        r.text = span.text
        font = Font(r)
        complex_script = span.slot == "cs"
        font.bold, font.italic = run.bold or None, run.italic or None
        if complex_script:
            font.cs_bold, font.cs_italic = run.bold or None, run.italic or None
        font.strike, font.underline = run.strike or None, run.inserted or None
        if span.slot is None:
            return
        words = self.t.word
        name = words.ext_b if span.ext_b else words.font(span.language)
        r_pr = r.get_or_add_rPr()
        fonts = r_pr.get_or_add_rFonts()
        if name:
            fonts.set(qn(f"w:{span.slot}"), name)
        fonts.set(qn("w:hint"), span.slot)
        if span.rtl:
            font.rtl = True
        lang = OxmlElement("w:lang")
        lang.set(qn("w:bidi" if complex_script else "w:eastAsia"), span.language)
        r_pr.insert_element_before(lang, *after(RPR_ORDER, "w:lang"))

    def hyperlink(
        self, paragraph: WordParagraph, url: str, parent: BaseOxmlElement
    ) -> BaseOxmlElement:
        """Return a new external hyperlink to `url` at the end of `parent`."""
        r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        parent.append(link)
        return link

    def item(self, item: object, style: str = "Normal") -> None:
        """Add one layout item; its paragraphs (not lists or tables) take `style`."""
        match item:
            case NumberedHeading():
                self.heading(item)
            case d.Contents(title=title):
                self.write(self.para("TOC Heading"), title)
                self.contents()
            case d.Paragraph(runs=runs):
                self.runs(self.para(style), runs)
            case d.BulletList():
                self.bullets(item, depth=0)
            case d.LineToTake(blocks=blocks, reactive=reactive):
                self.blocks(blocks, "If Asked" if reactive else "Line To Take")
            case d.Quote(runs=runs, citation=citation):
                self.runs(self.para("Quote"), runs)
                self.write(self.para("Citation"), f"— {citation.label()}")
            case d.Sources():
                self.write(self.para("Citation"), item.text())
            case d.Table():
                self.table(item)
            case d.Note(blocks=blocks):
                self.blocks(blocks, "Note")
            case d.PageBreak():
                self.break_before = True
            case _:
                raise TypeError(f"unknown layout item {item!r}")

    def blocks(self, blocks: tuple[object, ...], style: str) -> None:
        for block in blocks:
            self.item(block, style)

    def heading(self, heading: NumberedHeading) -> None:
        """Add a heading wrapped in the bookmark its contents entry links to."""
        paragraph = self.para(f"Heading {heading.level}")
        self.bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), heading.anchor)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmarks))
        paragraph._p.append(start)
        self.write(paragraph, heading.text)
        paragraph._p.append(end)

    def contents(self) -> None:
        """Add a TOC field whose cached result already lists every heading, linked, with its
        page number: a PAGEREF field to the heading's bookmark whose cached result is the
        page the PDF renderer puts the heading on (Word's Update Field or printing
        recomputes both fields from Word's own layout)."""
        headings = self.lay.headings
        if not headings:
            _field(self.para("TOC 1")._p, TOC_FIELD)
            return
        for i, heading in enumerate(headings):
            paragraph = self.para(f"TOC {heading.level}")
            if i == 0:
                _field_start(paragraph._p, TOC_FIELD)
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), heading.anchor)
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            self.runs(paragraph, (d.Run(heading.text),), styles=("Hyperlink",), parent=link)
            _run(link, "\t")
            page = self.pages.get(heading.anchor)
            _field(link, f"PAGEREF {heading.anchor} \\h", str(page) if page else "")
            if i == len(headings) - 1:
                _fld_char(paragraph._p, "end")

    def bullets(self, bullets: d.BulletList, depth: int) -> None:
        """Add a list in "List Bullet"/"List Number" (" 2", " 3" when nested); what else an
        entry holds follows it in "List Continue" of the same level."""
        level = f" {min(depth, 2) + 1}" if depth else ""
        style = ("List Number" if bullets.numbered else "List Bullet") + level
        num_id = self.restart_numbering(style, bullets.start) if bullets.numbered else None
        for entry in bullets.items:
            paragraph = self.para(style)
            if num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self.runs(paragraph, entry.runs)
            for child in entry.children:
                if isinstance(child, d.BulletList):
                    self.bullets(child, depth + 1)
                else:
                    self.item(child, "List Continue" + level)

    def restart_numbering(self, style: str, start: int = 1) -> int | None:
        """Return a new numbering instance for `style`'s list that starts again at `start`."""
        p_pr = self.word.styles[style].element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        numbering = self.word.part.numbering_part.element
        abstract = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        num_id: int = num.numId  # an XML attribute descriptor, typed Any
        return num_id

    def table(self, table: d.Table) -> None:
        columns = len(table.widths)  # one per column (see `layout`)
        if not columns:
            return
        if table.caption:
            self.write(self.para("Caption"), table.caption)
        elif self.break_before:
            self.para("Normal")
        rows = ([table.header] if table.header else []) + list(table.rows)
        grid: WordTable = self.word.add_table(rows=len(rows), cols=columns)
        grid.style = "Table Grid"
        grid.autofit = False
        width, weights = self.t.page.text_width, table.widths
        widths = [Pt(width * w / sum(weights)) for w in weights]
        for column, column_width in zip(grid.columns, widths, strict=True):
            column.width = column_width  # the grid Word and LibreOffice lay the cells on
        for r, (cells, row) in enumerate(zip(rows, grid.rows, strict=True)):
            head = bool(table.header) and r == 0
            if head:
                tr_pr = row._tr.get_or_add_trPr()
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, cell in enumerate(row.cells):
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                paragraph._p.style = self.style_id("Table Heading" if head else "Table Text")
                if c < len(cells) and cells[c]:
                    self.write(paragraph, cells[c])
                if head:
                    cell._tc.get_or_add_tcPr().append(shading(self.t.colours.table_header))
        self.word.add_paragraph()  # in Normal: keeps the next table apart
