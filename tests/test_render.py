"""The sample pack rendered with every bundled template, in both formats, read back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

import templates
from briefing.jobs import Cancelled
from briefing.render import render
from briefing.render.docx import STYLES, TOC_FIELD
from briefing.render.layout import layout
from briefing.render.sample import MARKING, sample_document

TEMPLATES = ("ministerial", "compact")
NAMES = ("Maroš ŠEFČOVIČ", "Stéphane SÉJOURNÉ", "AKAZAWA Ryosei", "赤沢亮正")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module", params=TEMPLATES)
def template(request: pytest.FixtureRequest) -> templates.Template:
    return templates.load(request.param)


@pytest.fixture(scope="module")
def outputs(template: templates.Template, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp(template.name)
    paths = {}
    for fmt in ("pdf", "docx"):
        paths[fmt] = folder / f"pack.{fmt}"
        render(sample_document(), template, paths[fmt], fmt)  # type: ignore[arg-type]
    return paths


def headings(template: templates.Template) -> list[str]:
    return [h.text for h in layout(sample_document(), template).headings]


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


# -- Word -------------------------------------------------------------------------------


def test_docx_uses_named_styles_and_headings(outputs: dict, template: templates.Template) -> None:
    word = docx.Document(str(outputs["docx"]))
    used = {p.style.name for p in word.paragraphs}
    expected = {"Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
                "List Number", "Quote", "Citation", "Caption", "TOC Heading", "TOC 1", "TOC 2",
                "TOC 3", "Line To Take", "If Asked", "Note"}  # fmt: skip
    assert expected <= used
    found = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert found == headings(template)
    numbered = template.numbered_headings
    assert found[0] == ("1 Objectives" if numbered else "Objectives")
    assert "Annex A: Joint press statement, 7 May 2026" in found
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert set(NAMES) <= cells


def test_docx_header_footer_marking_and_page_fields(outputs: dict) -> None:
    section = docx.Document(str(outputs["docx"])).sections[0]
    assert section.different_first_page_header_footer
    for part in (section.header, section.footer, section.first_page_header,
                 section.first_page_footer):  # fmt: skip
        assert part.paragraphs[0].text == MARKING
        assert part.paragraphs[0].style.name == "Marking"
    for footer in (section.footer, section.first_page_footer):
        instructions = [i.text.strip() for i in footer._element.iter(f"{W}instrText")]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert footer.paragraphs[1].text.startswith("Page ")


def test_docx_toc_field_has_cached_linked_entries(
    outputs: dict, template: templates.Template
) -> None:
    word = docx.Document(str(outputs["docx"]))
    body = word.element.body
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    pagerefs = [f"PAGEREF {anchor} \\h" for anchor in anchors]
    assert [i.text.strip() for i in body.iter(f"{W}instrText")] == [TOC_FIELD, *pagerefs]
    assert word.settings.element.find(f"{W}updateFields") is None  # no prompt on open
    entries = [p for p in word.paragraphs if p.style.name in ("TOC 1", "TOC 2", "TOC 3")]
    assert [p.text.rsplit("\t", 1)[0] for p in entries] == headings(template)
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert len(anchors) == len(entries) and set(anchors) == bookmarks
    kinds = [c.get(f"{W}fldCharType") for p in entries for c in p._p.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", *["begin", "separate", "end"] * len(entries), "end"]


def test_docx_tables_repeat_header_and_links(outputs: dict) -> None:
    word = docx.Document(str(outputs["docx"]))
    for table in word.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert table.style.name == "Table Grid"
    rels = [r for r in word.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [r.target_ref for r in rels] == ["https://trade.ec.europa.eu/statement?a=1&b=<2>"]


def test_docx_properties(outputs: dict) -> None:
    core = docx.Document(str(outputs["docx"])).core_properties
    assert core.title == "EU–Japan High-Level Economic Dialogue"
    assert core.subject == "Briefing pack"
    assert core.author == "Trade Policy Unit C.2"


def test_every_style_the_renderer_uses_is_in_every_reference_docx() -> None:
    for name in templates.available():
        styles = {s.name for s in docx.Document(str(templates.load(name).reference_docx)).styles}
        assert set(STYLES) <= styles, name


# -- PDF --------------------------------------------------------------------------------


def test_pdf_outline_metadata_and_pages(outputs: dict, template: templates.Template) -> None:
    reader = PdfReader(outputs["pdf"])

    def titles(items: list) -> list[str]:
        return [t for i in items for t in (titles(i) if isinstance(i, list) else [i.title])]

    assert titles(reader.outline) == headings(template)
    assert reader.metadata.title == "EU–Japan High-Level Economic Dialogue"
    assert reader.metadata.subject == "Briefing pack"
    assert reader.metadata.author == "Trade Policy Unit C.2"
    assert 3 <= len(reader.pages) <= 8
    assert reader.pages[0].mediabox.width == pytest.approx(template.page.width.pt, abs=0.5)


def test_pdf_text_names_marking_and_page_numbers(outputs: dict) -> None:
    pages = pdf_pages(outputs["pdf"])
    assert len(pages) == len(PdfReader(outputs["pdf"]).pages)
    text = "".join(pages)
    for name in ("ŠEFČOVIČ", "SÉJOURNÉ", "赤沢亮正", "AKAZAWA Ryosei", "para 5"):
        assert name in text
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == MARKING and lines[-2] == MARKING, number
        assert lines[-1] == f"Page {number} of {len(pages)}"


def test_pdf_contents_has_page_numbers_and_links(
    outputs: dict, template: templates.Template
) -> None:
    reader = PdfReader(outputs["pdf"])
    contents = pdf_pages(outputs["pdf"])[1]
    for heading in headings(template):
        assert heading.split(",")[0] in contents
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert len([a for a in links if a.get("/Subtype") == "/Link"]) >= len(headings(template))


def test_pdf_fonts_embedded(outputs: dict) -> None:
    report = subprocess.run(["pdffonts", str(outputs["pdf"])], check=True,
                            capture_output=True, text=True).stdout.splitlines()[2:]  # fmt: skip
    assert report
    assert all(line.split()[-5] == "yes" for line in report), report
    assert any("DroidSansFallback" in line for line in report)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_progress_reports_and_cancel_propagates(
    fmt: str, template: templates.Template, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    render(sample_document(), template, tmp_path / f"a.{fmt}", fmt,  # type: ignore[arg-type]
           progress=lambda done, total, _: seen.append((done, total)))  # fmt: skip
    assert seen and all(0 <= done <= total for done, total in seen)

    def cancel(done: int, total: int, message: str) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        render(sample_document(), template, tmp_path / f"b.{fmt}", fmt, progress=cancel)  # type: ignore[arg-type]


# -- LibreOffice ------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_docx_and_shows_contents(
    outputs: dict, template: templates.Template, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/install-system-deps.sh"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(outputs["docx"])],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "pack.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    contents = pages[1]
    for heading in headings(template):
        assert heading.split(",")[0] in contents
    for page in pages:
        assert MARKING in page
    assert "ŠEFČOVIČ" in "".join(pages) and "赤沢亮正" in "".join(pages)
    assert f"Page 1 of {len(pages)}" in pages[0]
