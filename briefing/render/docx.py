"""Render a `Document` to Word with python-docx, applying only the template's named styles.

The look lives in the template's ``reference.docx`` (see ``scripts/make_reference.py``);
this module opens it, empties its body and writes paragraphs that name styles from
`STYLES`. Page geometry comes from the template. The contents is a real ``TOC`` field
whose cached result already lists every heading (linked to bookmarks), so Word and
LibreOffice show it at once and Word's Update Field refreshes it.
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
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml import etree

from briefing import document as d
from briefing.document import Document
from briefing.jobs import Progress
from briefing.render.layout import Layout, NumberedHeading, layout
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
    """Write `doc` as a .docx to `path` in `template`'s style; `progress` may raise `Cancelled`."""
    lay = layout(doc, template)
    word = docx.Document(str(template.reference_docx))
    writer = _Writer(word, template, lay)
    total = len(lay.items)
    for done, item in enumerate(lay.items):
        if progress:
            progress(done, total, "Writing Word document")
        writer.item(item)
    clean_package(word)
    word.save(str(path))


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


def _field(paragraph: WordParagraph, instruction: str, cached: str = "") -> None:
    """Append a complex field (``begin``, instruction, ``separate``, cached result, ``end``)."""
    _field_start(paragraph, instruction)
    if cached:
        paragraph.add_run(cached)
    _fld_char(paragraph, "end")


def _field_start(paragraph: WordParagraph, instruction: str) -> None:
    """Append a field's ``begin``, instruction and ``separate``: its result comes next."""
    _fld_char(paragraph, "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _fld_char(paragraph, "separate")


def _fld_char(paragraph: WordParagraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


class _Writer:
    """Appends layout items to a Word document opened from the reference."""

    def __init__(self, word: WordDocument, t: Template, lay: Layout) -> None:
        self.word, self.t, self.lay = word, t, lay
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
            self.text(part.paragraphs[0], marking, "Marking")
        if self.t.header_footer.running_title:
            header.add_paragraph(self.lay.properties.title, style="Running Title")
        for foot in (section.first_page_footer, section.footer):
            foot.is_linked_to_previous = False
            self.text(foot.paragraphs[0], marking, "Marking")
            label = foot.add_paragraph(style="Footer")
            if self.lay.copy_note:
                label.add_run(f"{self.lay.copy_note} · ")
            for piece in split_label(self.t.header_footer.page_label):
                match piece:
                    case "{page}":
                        _field(label, "PAGE", "1")
                    case "{pages}":
                        _field(label, "NUMPAGES", "1")
                    case _:
                        label.add_run(piece)

    @staticmethod
    def text(paragraph: WordParagraph, text: str, style: str) -> WordParagraph:
        paragraph.style = style
        if text:
            paragraph.add_run(text)
        return paragraph

    def cover(self) -> None:
        cover = self.lay.cover
        last = self.para("Title")
        last.add_run(cover.title)
        if cover.subtitle:
            last = self.para("Subtitle")
            last.add_run(cover.subtitle)
        for label, value in cover.details:
            last = self.para("Cover Detail")
            last.add_run(label, style="Cover Label")
            last.add_run("\t" + value)
        last.add_run().add_break(WD_BREAK.PAGE)

    # -- blocks -----------------------------------------------------------------------

    def style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """Return the id of style `name` (None for the default), cached: python-docx finds it
        by scanning every style in the document, ~3 ms a time, for each paragraph."""
        key = (name, kind)
        if key not in self.style_ids:
            self.style_ids[key] = self.word.part.get_style_id(name, kind)
        return self.style_ids[key]

    def para(self, style: str) -> WordParagraph:
        """Return a new paragraph in `style`, starting a new page if a break is pending."""
        paragraph = self.word.add_paragraph()
        paragraph._p.style = self.style_id(style)
        if self.break_before:
            paragraph.paragraph_format.page_break_before = True
            self.break_before = False
        return paragraph

    def runs(self, paragraph: WordParagraph, runs: d.Runs) -> None:
        for run in runs:
            word_run = self.hyperlink(paragraph, run.link) if run.link else paragraph.add_run()
            word_run.text = run.text
            word_run.bold = run.bold or None
            word_run.italic = run.italic or None
            word_run.font.strike = run.strike or None
            word_run.font.underline = run.inserted or None

    def hyperlink(self, paragraph: WordParagraph, url: str) -> WordRun:
        """Return a new run inside an external hyperlink to `url` at the end of `paragraph`."""
        r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        return self.link_run(paragraph, link)

    def link_run(self, paragraph: WordParagraph, link: BaseOxmlElement) -> WordRun:
        paragraph._p.append(link)
        r = OxmlElement("w:r")
        r.style = self.style_id("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.append(r)
        return WordRun(r, paragraph)

    def item(self, item: object, style: str = "Normal") -> None:
        """Add one layout item; its paragraphs (not lists or tables) take `style`."""
        match item:
            case NumberedHeading():
                self.heading(item)
            case d.Contents(title=title):
                self.para("TOC Heading").add_run(title)
                self.contents()
            case d.Paragraph(runs=runs):
                self.runs(self.para(style), runs)
            case d.BulletList():
                self.bullets(item, depth=0)
            case d.LineToTake(blocks=blocks, reactive=reactive):
                self.blocks(blocks, "If Asked" if reactive else "Line To Take")
            case d.Quote(runs=runs, citation=citation):
                self.runs(self.para("Quote"), runs)
                self.para("Citation").add_run(f"— {citation.label()}")
            case d.Sources():
                self.para("Citation").add_run(item.text())
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
        paragraph.add_run(heading.text)
        paragraph._p.append(end)

    def contents(self) -> None:
        """Add a TOC field whose cached result already lists every heading, linked.

        The cached entries carry no page numbers (they depend on Word's own layout, which
        is unknown here); Word's Update Field fills them in.
        """
        headings = self.lay.headings
        if not headings:
            _field(self.para("TOC 1"), TOC_FIELD)
            return
        for i, heading in enumerate(headings):
            paragraph = self.para(f"TOC {heading.level}")
            if i == 0:
                _field_start(paragraph, TOC_FIELD)
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), heading.anchor)
            link.set(qn("w:history"), "1")
            self.link_run(paragraph, link).text = heading.text
            if i == len(headings) - 1:
                _fld_char(paragraph, "end")

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
        return num.numId

    def table(self, table: d.Table) -> None:
        columns = len(table.widths)  # one per column (see `layout`)
        if not columns:
            return
        if table.caption:
            self.para("Caption").add_run(table.caption)
        elif self.break_before:
            self.para("Normal")
        rows = ([table.header] if table.header else []) + list(table.rows)
        grid: WordTable = self.word.add_table(rows=len(rows), cols=columns)
        grid.style = "Table Grid"
        grid.autofit = False
        width, weights = self.t.page.text_width, table.widths
        widths = [Pt(width * w / sum(weights)) for w in weights]
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
                    paragraph.add_run(cells[c])
                if head:
                    cell._tc.get_or_add_tcPr().append(shading(self.t.colours.table_header))
        self.word.add_paragraph()  # in Normal: keeps the next table apart
