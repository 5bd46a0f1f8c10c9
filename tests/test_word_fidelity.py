"""Word files that look the same on an Office machine: fonts Office has, each run's language,
font and direction, contents with page numbers, tables on their cells' grid, annexes numbered
without gaps. Read back from the .docx's XML (and, for the page numbers, from our PDF and
LibreOffice's)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

import templates
from briefing import document as d
from briefing.render import render
from briefing.render.layout import layout
from briefing.render.sample import sample_document

TEMPLATES = ("ministerial", "compact")
JAPANESE = "経済産業省の赤沢大臣は"  # kana: Japanese, Han and all
KOREAN = "한국 산업통상자원부"
CHINESE = "中华人民共和国商务部"  # Han alone: the template's East Asian language
ARABIC = "وزارة التجارة"
HEBREW = "משרד הכלכלה"
EXT_B = "𠀋"  # CJK Extension B


def mixed_document() -> d.Document:
    """Return the sample pack with a note, a quote and a paragraph in several scripts."""
    note = d.Note(
        (
            d.Paragraph(
                (
                    d.Run(f"Japan: {JAPANESE}. Korea: {KOREAN}. "),
                    d.Run(f"Gulf: {ARABIC}", bold=True),
                    d.Run("."),
                )
            ),
            d.Paragraph((d.Run(f"China: {CHINESE}{EXT_B}."),)),  # no kana: Han is Chinese
        ),
        label="Names",
    )
    quote = d.Quote(
        (d.Run(f"{ARABIC} 2026"),), d.Citation("Statement", "Ministry", None, 1)
    )
    hebrew = d.Paragraph((d.Run(f"{HEBREW} (Israel)"),))
    doc = sample_document()
    return dataclasses.replace(doc, blocks=(*doc.blocks, note, quote, hebrew))


@pytest.fixture(scope="module", params=TEMPLATES)
def template(request: pytest.FixtureRequest) -> templates.Template:
    return templates.load(request.param)


@pytest.fixture(scope="module")
def word_file(template: templates.Template, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(template.name) / "pack.docx"
    render(mixed_document(), template, path, "docx")
    return path


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def w(name: str) -> str:
    return qn(f"w:{name}")


def run_with(body: etree._Element, text: str) -> etree._Element:
    """Return the one run whose text is exactly `text`."""
    found = [r for r in body.iter(w("r")) if "".join(r.itertext()) == text]
    assert len(found) == 1, (text, len(found))
    return found[0]


def props(run: etree._Element) -> dict[str, str | None]:
    """Return a run's fonts, languages and direction as `{attribute: value}`."""
    rpr = run.find(w("rPr"))
    out: dict[str, str | None] = {}
    for tag in ("rFonts", "lang"):
        element = rpr.find(w(tag)) if rpr is not None else None
        for key, value in (element.attrib if element is not None else {}).items():
            out[f"{tag}.{etree.QName(key).localname}"] = value
    for tag in ("rtl", "b", "bCs"):
        out[tag] = "on" if rpr is not None and rpr.find(w(tag)) is not None else None
    return out


# -- fonts and languages ----------------------------------------------------------------


def test_styles_name_office_fonts_and_the_template_language(
    word_file: Path, template: templates.Template
) -> None:
    styles = xml(word_file, "word/styles.xml")
    defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    fonts, lang = defaults.find(w("rFonts")), defaults.find(w("lang"))
    body, heading = template.word.body, template.word.heading
    assert (body, heading) == ("Calibri", "Cambria")
    assert [fonts.get(w(a)) for a in ("ascii", "hAnsi", "cs")] == [body] * 3
    assert lang.get(w("val")) == "en-GB"
    by_id = {s.get(w("styleId")): s for s in styles.iter(w("style"))}
    for style_id, family in (("Normal", body), ("Heading1", heading), ("Title", heading),
                             ("Quote", body), ("TOC1", body)):  # fmt: skip
        style_fonts = by_id[style_id].find(f"{w('rPr')}/{w('rFonts')}")
        assert style_fonts.get(w("ascii")) == style_fonts.get(w("hAnsi")) == family, style_id
        assert style_fonts.get(w("eastAsia")) == "Microsoft YaHei"  # zh-CN's, the default
    settings = xml(word_file, "word/settings.xml")
    assert settings.find(w("themeFontLang")).get(w("val")) == "en-GB"


def test_no_font_office_lacks_is_named_anywhere(word_file: Path) -> None:
    with zipfile.ZipFile(word_file) as z:
        for name in z.namelist():
            data = z.read(name)
            assert b"DejaVu" not in data and b"Droid" not in data, name


def test_east_asian_runs_name_their_language_and_font(word_file: Path) -> None:
    body = xml(word_file, "word/document.xml")
    expected = {
        JAPANESE: ("Yu Gothic", "ja-JP"),
        KOREAN: ("Malgun Gothic", "ko-KR"),
        CHINESE: ("Microsoft YaHei", "zh-CN"),
        EXT_B: ("SimSun-ExtB", "zh-CN"),
    }
    for text, (font, language) in expected.items():
        p = props(run_with(body, text))
        assert p["rFonts.eastAsia"] == font, text
        assert p["rFonts.hint"] == "eastAsia"
        assert p["lang.eastAsia"] == language
        assert p["rtl"] is None
    latin = props(run_with(body, "Japan: "))
    assert latin == {"rtl": None, "b": None, "bCs": None}  # the document's font and language


def test_rtl_runs_and_paragraphs_carry_direction_language_and_emphasis(word_file: Path) -> None:
    body = xml(word_file, "word/document.xml")
    runs = [r for r in body.iter(w("r")) if "".join(r.itertext()) == ARABIC]
    assert len(runs) == 2  # bold in the note, italic (by style) in the quote
    for run in runs:
        p = props(run)
        assert p["rtl"] == "on" and p["lang.bidi"] == "ar-SA" and p["rFonts.cs"] == "Arial"
    bold = [props(r) for r in runs if props(r)["b"]]
    assert len(bold) == 1 and bold[0]["bCs"] == "on"  # bold shows in right-to-left text too
    hebrew = props(run_with(body, HEBREW))
    assert hebrew["rtl"] == "on" and hebrew["lang.bidi"] == "he-IL"
    rtl_paragraphs = [
        "".join(p.itertext()) for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('bidi')}")
        is not None
    ]
    assert rtl_paragraphs == [f"{ARABIC} 2026", f"{HEBREW} (Israel)"]
    assert props(run_with(body, " (Israel)"))["rtl"] is None


def test_quote_style_is_italic_for_every_script(word_file: Path) -> None:
    styles = xml(word_file, "word/styles.xml")
    quote = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "Quote")
    rpr = quote.find(w("rPr"))
    assert rpr.find(w("i")) is not None and rpr.find(w("iCs")) is not None
    sized = [s.find(w("rPr")) for s in styles.iter(w("style")) if s.find(f"{w('rPr')}/{w('sz')}")
             is not None]  # fmt: skip
    assert len(sized) > 10
    for rpr in sized:  # every script at the style's size
        assert rpr.find(w("sz")).get(w("val")) == rpr.find(w("szCs")).get(w("val"))


def test_lines_and_cells_are_spaced_as_in_the_pdf(
    word_file: Path, template: templates.Template
) -> None:
    """Lines at least the PDF's leading apart (Word's "multiple" spacing would multiply the
    font's own line height, ~1.2 em), cells padded as the PDF's tables are."""
    styles = {s.get(w("styleId")): s for s in xml(word_file, "word/styles.xml").iter(w("style"))}
    sizes, ls = template.sizes, template.sizes.line_spacing
    leadings = {
        "Normal": sizes.body.pt * ls,
        "Heading1": sizes.heading1.pt * ls,
        "Citation": sizes.small.pt * ls,
        "TableText": sizes.small.pt * 1.2,
    }
    for style_id, leading in leadings.items():
        spacing = styles[style_id].find(f"{w('pPr')}/{w('spacing')}")
        assert spacing.get(w("lineRule")) == "atLeast", style_id
        assert int(spacing.get(w("line"))) == pytest.approx(leading * 20, abs=1), style_id
    margins = styles["TableGrid"].find(f"{w('tblPr')}/{w('tblCellMar')}")
    assert {etree.QName(m).localname: int(m.get(w("w"))) for m in margins} == {
        "top": 60, "left": 120, "bottom": 60, "right": 120}  # fmt: skip


# -- contents, citations, tables, numbers -----------------------------------------------


def contents_pages(word: docx.document.Document) -> dict[str, int]:
    """Return each contents entry's heading → its cached page number."""
    out = {}
    for p in word.paragraphs:
        if p.style.name in ("TOC 1", "TOC 2", "TOC 3"):
            text, page = p.text.rsplit("\t", 1)
            out[text] = int(page)
    return out


def test_contents_page_numbers_are_the_pages_our_pdf_puts_headings_on(
    template: templates.Template, tmp_path: Path
) -> None:
    doc = mixed_document()
    render(doc, template, tmp_path / "pack.docx", "docx")
    render(doc, template, tmp_path / "pack.pdf", "pdf")
    word = docx.Document(str(tmp_path / "pack.docx"))
    body = word.element.body
    anchors = [h.get(w("anchor")) for h in body.iter(w("hyperlink")) if h.get(w("anchor"))]
    instructions = [i.text.strip() for i in body.iter(w("instrText"))][1:]
    assert instructions == [f"PAGEREF {a} \\h" for a in anchors]
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pack.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    printed = {
        line.strip(): number
        for number, page in enumerate(text.split("\f"), start=1)
        for line in page.splitlines()
        if line.strip()
    }  # a heading's own line (a contents line ends in dots and a number)
    cached = contents_pages(word)
    assert list(cached) == [h.text for h in layout(doc, template).headings]
    assert cached == {heading: printed[heading] for heading in cached}
    assert len(set(cached.values())) >= 3  # the headings run over several pages


def test_citation_does_not_keep_with_next(word_file: Path) -> None:
    styles = {s.get(w("styleId")): s for s in xml(word_file, "word/styles.xml").iter(w("style"))}
    style, chain = styles["Citation"], []
    while style is not None:
        chain.append(style.get(w("styleId")))
        assert style.find(f"{w('pPr')}/{w('keepNext')}") is None, chain
        based = style.find(w("basedOn"))
        style = styles.get(based.get(w("val"))) if based is not None else None
    assert chain == ["Citation", "Normal"]


def test_table_grids_match_their_cells(word_file: Path, template: templates.Template) -> None:
    body = xml(word_file, "word/document.xml")
    tables = list(body.iter(w("tbl")))
    assert len(tables) >= 2
    for table in tables:
        grid = [int(c.get(w("w"))) for c in table.find(w("tblGrid")).iter(w("gridCol"))]
        for row in table.iter(w("tr")):
            cells = [int(c.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) for c in row.iter(w("tc"))]
            assert cells == grid
        assert sum(grid) == pytest.approx(template.page.text_width * 20, abs=len(grid))
    assert any(len(set(t.find(w("tblGrid")).iter(w("gridCol")))) > 1 for t in tables)
    uneven = [
        [c.get(w("w")) for c in t.find(w("tblGrid")).iter(w("gridCol"))] for t in tables
    ]
    assert any(len(set(widths)) > 1 for widths in uneven)  # the glossary's 1:4


def test_annex_headings_are_numbered_without_gaps() -> None:
    annex = d.Annex(
        "B",
        "Statement",
        (d.Heading("Steel", 2), d.Heading("Quotas", 3), d.Heading("Coercion", 2)),
    )
    doc = dataclasses.replace(
        sample_document(),
        blocks=(d.Heading("Aims", 1), d.Heading("Detail", 3), d.Heading("More", 2), annex),
    )
    shown = [h.text for h in layout(doc, templates.load("ministerial")).headings]
    assert shown == ["1 Aims", "1.1 Detail", "1.2 More", "Annex B: Statement", "B.1 Steel",
                     "B.1.1 Quotas", "B.2 Coercion"]  # fmt: skip


# -- LibreOffice --------------------------------------------------------------------------


CROSEXTRA = Path("/usr/share/fonts/truetype/crosextra")  # Debian's fonts-crosextra-*
METRIC_TWINS = {"body": "Carlito", "heading": "Caladea"}  # Calibri's and Cambria's metrics
FACES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}


def with_word_metrics(template: templates.Template, folder: Path) -> templates.Template:
    """Return a copy of `template` in `folder` whose PDF fonts have the metrics of the fonts
    its Word files name (Carlito for Calibri, Caladea for Cambria), under the file names the
    template gives (a template folder's own fonts come first)."""
    shutil.copytree(template.folder, folder)
    for role, twin in METRIC_TWINS.items():
        face = getattr(template.fonts, role)
        for style, suffix in FACES.items():
            source = CROSEXTRA / f"{twin}-{suffix}.ttf"
            assert source.is_file(), "run scripts/install-system-deps.sh (fonts-crosextra-*)"
            shutil.copy(source, folder / getattr(face, style).name)
    return templates.load_folder(folder)


@pytest.mark.slow
def test_libreoffice_finds_headings_on_the_pages_the_contents_says(
    template: templates.Template, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/install-system-deps.sh"
    twin = with_word_metrics(template, tmp_path / template.name)
    render(sample_document(), twin, tmp_path / "pack.docx", "docx")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "pack.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(tmp_path / "pack.pdf")
    laid_out = {str(e.title): reader.get_destination_page_number(e) + 1 for e in _flat(reader)}
    cached = contents_pages(docx.Document(str(tmp_path / "pack.docx")))
    assert cached == laid_out
    contents = reader.pages[1].extract_text()
    for heading, page in cached.items():  # shown as opened: no field update needed
        assert re.search(rf"{re.escape(heading)}\W*{page}\b", contents), heading


def _flat(reader: PdfReader) -> list:
    out, todo = [], list(reader.outline)
    while todo:
        entry = todo.pop(0)
        if isinstance(entry, list):
            todo[:0] = entry
        else:
            out.append(entry)
    return out
