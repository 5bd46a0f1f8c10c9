"""Write a template's ``reference.docx`` from its ``template.toml`` (run once per edit).

The Word renderer opens ``reference.docx`` and only applies style names, so every look
(fonts, sizes, colours, spacing, borders) lives in the named styles written here. Users may
instead restyle ``reference.docx`` in Word; keep the style names.

Usage: ``python scripts/make_reference.py [template folder or name ...]`` (default: all
bundled templates).
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import CharacterStyle, ParagraphStyle
from lxml import etree

import templates
from briefing.render.docx import PPR_ORDER, RPR_ORDER, after, empty_body, page_setup, shading
from templates import Colour, Length, Template

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "centre": WD_ALIGN_PARAGRAPH.CENTER}
CELL_PADDING = {"top": 3.0, "left": 6.0, "bottom": 3.0, "right": 6.0}  # pt, as the PDF's tables


def _fonts(element: BaseOxmlElement, family: str, east_asian: str) -> None:
    """Set the Latin and complex-script font of a ``w:rPr`` to `family`, the East Asian one
    to `east_asian`: names, never the theme's."""
    rfonts = element.get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "cs"):
        rfonts.set(qn(f"w:{attr}"), family)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _size(style: CharacterStyle, size: Length) -> None:
    """Give `style` the font size `size` for every script (``w:sz`` and ``w:szCs``)."""
    style.font.size = Pt(size.pt)
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:szCs")):
        rpr.remove(old)
    sz_cs = OxmlElement("w:szCs")
    sz_cs.set(qn("w:val"), str(round(size.pt * 2)))
    rpr.insert_element_before(sz_cs, *after(RPR_ORDER, "w:szCs"))


def _east_asian_font(t: Template) -> str:
    """Return the font of the template's default East Asian language (or the body font)."""
    return t.word.font(t.word.east_asian_language) or t.word.body


def _rgb(colour: Colour) -> RGBColor:
    return RGBColor(*colour.rgb)


def _border(
    style: ParagraphStyle, sides: tuple[str, ...], colour: Colour, width_pt: float, space_pt: float
) -> None:
    """Give paragraphs of `style` a border on `sides` ("top", "left", "bottom", "right")."""
    ppr = style.element.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(round(width_pt * 8)))
            edge.set(qn("w:space"), str(round(space_pt)))
            edge.set(qn("w:color"), colour.hex[1:])
            pbdr.append(edge)
    old = ppr.find(qn("w:pBdr"))
    if old is not None:
        ppr.remove(old)
    ppr.insert_element_before(pbdr, *after(PPR_ORDER, "w:pBdr"))


def _shade(style: ParagraphStyle, colour: Colour) -> None:
    ppr = style.element.get_or_add_pPr()
    ppr.insert_element_before(shading(colour), *after(PPR_ORDER, "w:shd"))


def _para(doc: docx.document.Document, name: str, base: str = "Normal") -> ParagraphStyle:
    """Return the paragraph style `name`, adding it (based on `base`) if missing."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[base]
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True
    return style


def _char(doc: docx.document.Document, name: str) -> CharacterStyle:
    """Return the character style `name`, adding it if missing."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.hidden = False
    style.unhide_when_used = False
    return style


def _look(
    style: ParagraphStyle,
    t: Template,
    *,
    size: Length | None = None,
    colour: Colour | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    before: Length | None = None,
    after: Length | None = None,
    indent: Length | None = None,
    heading: bool = False,
    leading: float | None = None,
) -> None:
    """Apply the template's fonts and the given overrides to `style`; `leading` sets the
    line height to at least that multiple of the font size, as the PDF's leading is (Word's
    "multiple" spacing multiplies the font's own line height instead, ~1.2 times taller)."""
    family = t.word.heading if heading else t.word.body
    _fonts(style.element.get_or_add_rPr(), family, _east_asian_font(t))
    font = style.font
    if size is not None:
        _size(style, size)
    if colour is not None:
        font.color.rgb = _rgb(colour)
    font.bold, font.italic = bold, italic
    font.cs_bold, font.cs_italic = bold, italic  # Arabic and Hebrew runs take these
    pf = style.paragraph_format
    if before is not None:
        pf.space_before = Pt(before.pt)
    if after is not None:
        pf.space_after = Pt(after.pt)
    if indent is not None:
        pf.left_indent = Pt(indent.pt)
    if leading is not None:
        pf.line_spacing = Pt((size or t.sizes.body).pt * leading)
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST


# the theme's script of each language Word files may name a font for (DrawingML a:font)
_THEME_SCRIPTS = {
    "ja-JP": "Jpan", "ko-KR": "Hang", "zh-CN": "Hans", "zh-TW": "Hant", "ar-SA": "Arab",
    "he-IL": "Hebr", "th-TH": "Thai", "hi-IN": "Deva",
}  # fmt: skip
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def _defaults(doc: docx.document.Document, t: Template) -> None:
    """Give the document its defaults from `t`: fonts and languages (``w:docDefaults``, the
    theme's language), and the theme's heading and body fonts, so that Word's font lists
    show them as "Headings" and "Body"."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, t.word.body, _east_asian_font(t))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *after(RPR_ORDER, "w:lang"))
    lang.set(qn("w:val"), t.word.language)
    lang.set(qn("w:eastAsia"), t.word.east_asian_language)
    lang.set(qn("w:bidi"), "ar-SA")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), t.word.language)
        theme_lang.set(qn("w:eastAsia"), t.word.east_asian_language)
    part = doc.part.part_related_by(THEME)
    theme = etree.fromstring(part.blob)
    for tag, family in (("majorFont", t.word.heading), ("minorFont", t.word.body)):
        fonts = theme.find(f".//{_A}{tag}")
        fonts.find(f"{_A}latin").set("typeface", family)
        scripts = {f.get("script"): f for f in fonts.findall(f"{_A}font")}
        for language, font in t.word.by_language:
            script = _THEME_SCRIPTS.get(language)
            if script in scripts:
                scripts[script].set("typeface", font)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def build(t: Template) -> docx.document.Document:
    """Return a reference document carrying `t`'s look in named styles."""
    doc = docx.Document()
    empty_body(doc)
    s, c = t.sizes, t.colours
    half = Length(s.paragraph_space.pt / 2)
    ls = s.line_spacing
    _defaults(doc, t)

    normal = _para(doc, "Normal")
    _look(
        normal, t, size=s.body, colour=c.text, before=Length(0), after=s.paragraph_space, leading=ls
    )
    normal.paragraph_format.widow_control = True

    title = _para(doc, "Title")
    _look(
        title,
        t,
        size=s.title,
        colour=c.heading,
        bold=True,
        heading=True,
        before=t.cover.space_before_title,
        after=s.paragraph_space,
        leading=1.15,
    )
    title.paragraph_format.alignment = _ALIGN[t.cover.align]
    if t.cover.rule:
        _border(title, ("bottom",), c.rule, 1.0, 6)
    else:
        _border(title, (), c.rule, 0, 0)
    subtitle = _para(doc, "Subtitle")
    _look(
        subtitle,
        t,
        size=s.subtitle,
        colour=c.muted,
        italic=False,
        heading=True,
        before=s.paragraph_space,
        after=s.heading_space,
        leading=ls,
    )
    subtitle.paragraph_format.alignment = _ALIGN[t.cover.align]
    detail = _para(doc, "Cover Detail")
    _look(detail, t, after=Length(2))
    detail.paragraph_format.alignment = _ALIGN[t.cover.align]
    detail.paragraph_format.left_indent = Pt(t.cover.label_width.pt)
    detail.paragraph_format.first_line_indent = Pt(-t.cover.label_width.pt)
    detail.paragraph_format.tab_stops.add_tab_stop(Pt(t.cover.label_width.pt))
    label = _char(doc, "Cover Label")
    label.font.color.rgb = _rgb(c.muted)

    for level, size in enumerate((s.heading1, s.heading2, s.heading3), start=1):
        h = _para(doc, f"Heading {level}")
        before = s.heading_space if level == 1 else Length(s.heading_space.pt * 0.7)
        _look(
            h,
            t,
            size=size,
            colour=c.heading,
            bold=True,
            italic=False,
            heading=True,
            before=before,
            after=half,
            leading=ls,
        )
        h.paragraph_format.keep_with_next = True

    toc_heading = _para(doc, "TOC Heading", base="Heading 1")
    _look(
        toc_heading,
        t,
        size=s.heading1,
        colour=c.heading,
        bold=True,
        heading=True,
        before=Length(0),
        after=s.paragraph_space,
        leading=ls,
    )
    for level in (1, 2, 3):
        toc = _para(doc, f"TOC {level}")
        _look(
            toc,
            t,
            bold=level == 1,
            before=Length(half.pt if level == 1 else 0),
            after=Length(1),
            indent=Length(s.indent.pt * (level - 1)),
        )
        toc.paragraph_format.tab_stops.add_tab_stop(
            Pt(t.page.text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    for base in ("List Bullet", "List Number", "List Continue"):
        for name in (base, f"{base} 2", f"{base} 3"):
            _look(_para(doc, name), t, after=s.paragraph_space)  # as the PDF's list entries
    quote = _para(doc, "Quote")
    _look(quote, t, italic=True, colour=c.text, before=half, after=Length(1), indent=s.indent)
    quote.paragraph_format.right_indent = Pt(s.indent.pt)
    quote.paragraph_format.keep_with_next = True
    _border(quote, ("left",), c.rule, 2.0, 8)
    citation = _para(doc, "Citation")  # not on Caption, which keeps with the next paragraph
    _look(
        citation,
        t,
        size=s.small,
        colour=c.muted,
        bold=False,
        italic=False,
        before=Length(0),
        after=s.paragraph_space,
        indent=s.indent,
        leading=ls,
    )
    caption = _para(doc, "Caption")
    _look(
        caption,
        t,
        size=s.small,
        colour=c.muted,
        bold=True,
        italic=False,
        before=half,
        after=Length(3),
        leading=ls,
    )
    caption.paragraph_format.keep_with_next = True

    for name in ("Line To Take", "If Asked"):
        style = _para(doc, name)
        _look(style, t, before=half, after=s.paragraph_space, indent=s.indent)
        _border(style, ("left",), c.line_to_take, 3.0, 8)
    note = _para(doc, "Note")
    _look(
        note, t, size=s.body, before=half, after=s.paragraph_space, indent=Length(4),
        leading=ls,
    )
    note.paragraph_format.right_indent = Pt(4)
    _border(note, ("top", "left", "bottom", "right"), c.rule, 0.75, 4)
    _shade(note, c.note)

    for name in ("Table Heading", "Table Text"):
        style = _para(doc, name)
        _look(
            style, t, size=s.small, bold=name == "Table Heading", before=Length(0),
            after=Length(0), leading=1.2,
        )

    header, footer = _para(doc, "Header"), _para(doc, "Footer")
    for style in (header, footer):
        _look(
            style, t, size=s.small, colour=c.muted, before=Length(0), after=Length(0),
            leading=1.2,
        )
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking = _para(doc, "Marking", base="Header")
    _look(marking, t, size=s.marking, colour=c.marking, bold=True, leading=1.2)
    running = _para(doc, "Running Title", base="Header")
    _look(running, t, size=s.small, colour=c.muted, before=Length(2), leading=1.2)

    link = _char(doc, "Hyperlink")
    link.font.color.rgb = _rgb(c.link)
    link.font.underline = True

    grid = doc.styles["Table Grid"]
    for edge in grid.element.iter(
        qn("w:top"), qn("w:left"), qn("w:bottom"), qn("w:right"), qn("w:insideH"), qn("w:insideV")
    ):
        if edge.get(qn("w:val")):
            edge.set(qn("w:color"), c.rule.hex[1:])
    margins = grid.element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    for side, pt in CELL_PADDING.items():
        margins.find(qn(f"w:{side}")).set(qn("w:w"), str(round(pt * 20)))

    page_setup(doc.sections[0], t.page)
    doc.core_properties.title = f"Briefing reference styles: {t.name}"
    doc.core_properties.author = ""
    return doc


def main(argv: list[str]) -> None:
    folders = argv or [
        str(d) for d in sorted(templates.BUNDLED_DIR.iterdir()) if (d / "template.toml").is_file()
    ]
    for folder in folders:
        where = Path(folder) if Path(folder).is_dir() else templates.find(folder)
        path = where / templates.REFERENCE_DOCX
        path.touch()  # load_folder() insists on the file existing
        build(templates.load_folder(where)).save(str(path))
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
