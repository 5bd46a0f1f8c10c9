"""Text safety: any string reaches Word and PDF intact or visibly cleaned, never crashes."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_text import pdf_text
from pypdf import PdfReader

import templates
from briefing.document import Cover, Document, Heading, Paragraph, Run, Table
from briefing.render import render
from briefing.render.fonts import chains
from briefing.render.text import REPLACEMENT, clean

TEMPLATE = templates.load("ministerial")
BODY_FONTS = chains(TEMPLATE)[0]
PRINTABLE = ("L", "N", "P", "S")  # categories pdftotext must give back when a font covers them


def document(text: str) -> Document:
    return Document(
        cover=Cover(title="Text safety", marking="OFFICIAL"),
        blocks=(Heading(text), Paragraph((Run(text),)), Table(("Cell",), ((text,),))),
    )


def test_clean_drops_controls_and_replaces_xml_invalid() -> None:
    assert clean("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"
    assert clean("tab\there\r\nnew\rline") == "tab\there\nnew\nline"
    assert (
        clean("lone \ud800 surrogate \ufffe\uffff")
        == f"lone {REPLACEMENT} surrogate {REPLACEMENT * 2}"
    )
    keep = "<b>&amp;</b> ŠEFČOVIČ 赤沢亮正 مرحبا עברית 😀 \u200d"
    assert clean(keep) == keep


def test_markup_is_escaped_and_fonts_fall_back_by_cmap() -> None:
    assert BODY_FONTS.markup('<b x="1">&amp; 赤沢 ř\n') == '&lt;b x="1"&gt;&amp;amp; 赤沢 ř<br/>'
    body, cjk = BODY_FONTS.name, "Briefing-DroidSansFallbackFull"
    # the space after 赤沢 stays in its font (a run and its punctuation shape together)
    assert BODY_FONTS.split("Café 赤沢 ř", body) == [(body, "Café "), (cjk, "赤沢 "), (body, "ř")]


def test_markup_like_text_stays_text(tmp_path: Path) -> None:
    text = '<b>bold?</b> &amp; </para><font name="x"> a < b > c'
    for fmt in ("docx", "pdf"):
        render(document(text), TEMPLATE, tmp_path / f"t.{fmt}", fmt)  # type: ignore[arg-type]
    word = docx.Document(str(tmp_path / "t.docx"))
    assert text in [p.text for p in word.paragraphs]
    assert text.replace("  ", " ") in " ".join(pdf_text(tmp_path / "t.pdf").split())


# derandomize: the same examples every run, so CI never meets a new one by chance (a glyph
# two code points share prints as whichever the font subset met first: see the notes)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(
    st.text(
        st.one_of(
            st.characters(exclude_categories=("Cs",)),
            st.sampled_from("<>&\"'\x00\x0b\r\n\t ŠČÉ赤沢亮正مرحباעברית😀🇪🇺\u200f\u202e"),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_any_text_renders_and_comes_back(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Docx: the paragraph text equals `clean(text)` exactly. PDF: after NFC on both sides,
    every letter, number, punctuation mark and symbol that one of the template's fonts has a
    glyph for appears in pdftotext's output, beyond U+FFFF too (emoji, mathematical letters,
    CJK Extension B). Not compared: spacing, controls and format characters (no reliable
    extracted form) and glyphs no font has."""
    folder = tmp_path_factory.mktemp("prop")
    for fmt in ("docx", "pdf"):
        render(document(text), TEMPLATE, folder / f"t.{fmt}", fmt)  # type: ignore[arg-type]

    word = docx.Document(str(folder / "t.docx"))
    assert clean(text) in [p.text for p in word.paragraphs if p.style.name == "Normal"]
    assert word.tables[0].rows[1].cells[0].text == clean(text)

    expected = {
        c
        for c in unicodedata.normalize("NFC", clean(text))
        if unicodedata.category(c)[0] in PRINTABLE and BODY_FONTS.covers(c)
    }
    extracted = unicodedata.normalize("NFC", pdf_text(folder / "t.pdf"))
    assert expected <= set(extracted), expected - set(extracted)


def test_very_long_word_wraps(tmp_path: Path) -> None:
    word = "Überlängenwort" * 400
    render(document(word), TEMPLATE, tmp_path / "w.pdf", "pdf")
    assert word in "".join(pdf_text(tmp_path / "w.pdf").split())


def big_paragraph(size: int) -> Document:
    sentence = (
        "Both sides shared serious concerns about non-market policies and practices that lead "
        "to structural overcapacity in steel, and Commissioner ŠEFČOVIČ raised export controls "
        "& economic coercion (< 15% of trade). "
    )
    text = sentence * (size // len(sentence))
    return Document(cover=Cover(title="Big", marking="OFFICIAL"), blocks=(Paragraph((Run(text),)),))


@pytest.mark.parametrize(
    ("size", "seconds"),
    [(1_000_000, 30), pytest.param(10_000_000, 300, marks=pytest.mark.slow)],
)
def test_huge_paragraph_splits_across_pages(tmp_path: Path, size: int, seconds: float) -> None:
    doc = big_paragraph(size)
    start = time.perf_counter()
    for fmt in ("docx", "pdf"):
        render(doc, TEMPLATE, tmp_path / f"big.{fmt}", fmt)  # type: ignore[arg-type]
    assert time.perf_counter() - start < seconds
    reader = PdfReader(tmp_path / "big.pdf")
    assert len(reader.pages) > size / 10_000
    last = reader.pages[-1].extract_text()
    assert "OFFICIAL" in last and f"Page {len(reader.pages)} of {len(reader.pages)}" in last
