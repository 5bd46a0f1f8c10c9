"""Every script in the PDF: glyph fallback, shaping, bidi order, and what copies back."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_text import pdf_text

import templates
from briefing import document as d
from briefing.render import fonts, render, scripts
from briefing.render.fonts import FontChain, chain, chains

TEMPLATE = templates.load("ministerial")
TEMPLATE_FONTS = chains(TEMPLATE)[0]
FONTS = templates.FONTS_DIR

SAMPLES = {  # one sample per script family (a name, a greeting, a place)
    "latin": "Šefčovič, Çelik, Dvořák, Łódź",
    "greek": "Καλημέρα Ελλάδα",
    "cyrillic": "Добрый день, Москва",
    "arabic": "مرحبا بالعالم العربي",
    "hebrew": "שלום עולם ירושלים",
    "japanese": "赤沢亮正 ひらがな カタカナ",
    "chinese": "中华人民共和国 𠮷野家 𩸽",  # the last two: CJK Extension B
    "korean": "대한민국 서울특별시",
    "thai": "ภาษาไทย กรุงเทพมหานคร",
    "devanagari": "हिन्दी नमस्ते भारत",
    "georgian": "საქართველო თბილისი",
    "armenian": "Հայաստան Երևան",
    "symbols": "★ ✓ € £ → ∑ ≤ ½ ° © ✈ ☎ 𝐀𝑩",
    "emoji": "😀 🎉 🌍 👍",
}
RTL = ("arabic", "hebrew")


def words(text: str) -> str:
    return " ".join(text.split())


def note_document(text: str) -> d.Document:
    note = d.Note((d.Paragraph((d.Run(text),)),))
    return d.Document(cover=d.Cover(title="Scripts", marking="OFFICIAL"), blocks=(note,))


def test_every_script_copies_back_in_reading_order(tmp_path: Path) -> None:
    """A note mixing every script: pdftotext gives back each sample in reading order (RTL
    ones not reversed, Devanagari's vowel signs after the consonants they are drawn
    before, ligatures and joining forms as their letters)."""
    mixed = ", ".join(f"{name} {text}" for name, text in SAMPLES.items()) + "."
    render(note_document(mixed), TEMPLATE, tmp_path / "mixed.pdf", "pdf")
    out = words(pdf_text(tmp_path / "mixed.pdf"))
    for name, text in SAMPLES.items():
        assert text in out, (name, text)
    for name in RTL:  # reversed text would be the typical failure
        assert SAMPLES[name][::-1] not in out


def test_an_rtl_paragraph_over_many_lines_and_pages_copies_back_whole(tmp_path: Path) -> None:
    sentence = "ويتفق الجانبان في عام 2026 على تعزيز التعاون في مجال الصلب والتجارة. "
    text = sentence * 400  # several pages, RTL from its first letter
    doc = d.Document(
        cover=d.Cover(title="RTL", marking=""), blocks=(d.Paragraph((d.Run(text),)),)
    )
    render(doc, TEMPLATE, tmp_path / "rtl.pdf", "pdf")
    out = pdf_text(tmp_path / "rtl.pdf")
    body = "".join(re.sub(r"(RTL|Page \d+ of \d+)", " ", out).split())
    # spaces left out: pdftotext sets a space beside a number or a full stop in RTL text
    # on either side of it (the letters' order is what is checked)
    assert body == "".join(text.split())


def boxes(tmp_path: Path, blocks: tuple[d.Block, ...], option: str) -> str:
    """Return pdftotext's boxes (`option`: -bbox for words, -bbox-layout for lines) of the
    first page after the cover of a document holding `blocks`."""
    doc = d.Document(cover=d.Cover(title="Boxes", marking=""), blocks=blocks)
    render(doc, TEMPLATE, tmp_path / "boxes.pdf", "pdf")
    return subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", option, str(tmp_path / "boxes.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def test_rtl_lines_are_right_aligned_and_ltr_lines_left(tmp_path: Path) -> None:
    blocks = (
        d.Paragraph((d.Run("שלום עולם, and an English clause"),)),
        d.Paragraph((d.Run("An English sentence quoting שלום עולם"),)),
    )
    html = boxes(tmp_path, blocks, "-bbox-layout")
    lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
    page = TEMPLATE.page
    left, right = page.margin_left.pt, page.width.pt - page.margin_right.pt
    spans = [(float(a), float(b)) for a, b in lines]
    assert any(abs(b - right) < 2 and a > left + 20 for a, b in spans)  # the Hebrew one
    assert any(abs(a - left) < 2 and b < right - 20 for a, b in spans)  # the English one


def test_an_rtl_list_has_its_bullets_at_the_right(tmp_path: Path) -> None:
    items = (d.ListItem((d.Run("פריט ראשון"),)), d.ListItem((d.Run("פריט שני"),)))
    html = boxes(tmp_path, (d.BulletList(items),), "-bbox")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', html)
    bullets = [float(a) for a, _, word in found if word == "•"]
    words = [float(b) for _, b, word in found if re.search("[\u05d0-\u05ea]", word)]
    assert len(bullets) == 2 and min(bullets) > max(words)


@pytest.mark.parametrize(
    "text",
    [
        "abc 12,34 שלום 1,,2 عربي ١٢٣،٤ (x) [שלום] -5% +$3",
        "שלום\u0301\u05b8 abc\u202bdef אבג\u202c ghi \u2067xyz\u2069 \u200f!",
        "Meeting with גדעון סער on steel: tariffs < 25% & quotas > 1,000 t; as agreed.",
    ],
)
def test_bidi_levels_by_runs_equal_the_algorithm_by_characters(text: str) -> None:
    by_characters = "".join(map(scripts._bidi_safe, text))
    for base in (0, 1):
        assert scripts._levels(text, base) == scripts._uba(by_characters, base)


def test_italic_and_bold_quotes_keep_arabic(tmp_path: Path) -> None:
    quote = d.Quote(
        (d.Run("قال الوزير "), d.Run("بوضوح", bold=True), d.Run(" إن الاتفاق مهم")),
        d.Citation("Statement"),
    )
    doc = d.Document(cover=d.Cover(title="Quote", marking=""), blocks=(quote,))
    for template in (TEMPLATE, _dejavu_template(tmp_path)):
        render(doc, template, tmp_path / "quote.pdf", "pdf")
        out = words(pdf_text(tmp_path / "quote.pdf"))
        assert "قال الوزير بوضوح إن الاتفاق مهم" in out, template.name


def _dejavu_template(tmp_path: Path) -> templates.Template:
    """Return ministerial set in DejaVu Sans, whose oblique faces have no Arabic."""
    folder = tmp_path / "dejavu"
    shutil.copytree(TEMPLATE.folder, folder)
    toml = folder / "template.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("Carlito-Regular", "DejaVuSans")
    text = text.replace("Carlito-Bold.", "DejaVuSans-Bold.")
    text = text.replace("Carlito-Italic", "DejaVuSans-Oblique")
    text = text.replace("Carlito-BoldItalic", "DejaVuSans-BoldOblique")
    toml.write_text(text, encoding="utf-8")
    return templates.load_folder(folder)


def test_a_glyph_of_the_regular_face_serves_bold_and_italic() -> None:
    dejavu = templates.FontFace(
        "DejaVu Sans", FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf",
        FONTS / "DejaVuSans-Oblique.ttf", FONTS / "DejaVuSans-BoldOblique.ttf",
    )  # fmt: skip
    fonts_ = chain(dejavu)
    oblique = fonts.font_name(dejavu.italic)
    assert fonts_.split("x مرحبا", oblique) == [(oblique, "x "), ("Briefing-DejaVuSans", "مرحبا")]
    assert fonts_.split("Ελλάδα", oblique) == [(oblique, "Ελλάδα")]  # the oblique has Greek


def _pages(pdf: Path, out: Path) -> list[bytes]:
    """Return each page of `pdf` rendered to a grey image at 40 dpi (PGM bytes)."""
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(out / "p")], check=True)
    return [p.read_bytes() for p in sorted(out.glob("p-*.pgm"))]


def _ink(pgm: bytes) -> int:
    """Return the number of dark pixels of a binary PGM image."""
    header_end = pgm.index(b"\n", pgm.index(b"\n", pgm.index(b"\n") + 1) + 1) + 1
    return sum(1 for value in pgm[header_end:] if value < 128)


def test_each_script_draws_glyphs_not_missing_boxes(tmp_path: Path) -> None:
    """One page per script family, then one page of as many characters no font has (each
    drawn as the body font's missing-glyph box): every script's page has ink and differs
    from the boxes its own length would make."""
    missing = "\U000e0100"  # a variation selector no bundled font maps: a .notdef box
    assert not TEMPLATE_FONTS.covers(missing)
    blocks: list[object] = []
    for text in SAMPLES.values():
        shown = text.replace(" ", "")
        blocks += [d.Paragraph((d.Run(shown),)), d.PageBreak()]
        blocks += [d.Paragraph((d.Run(missing * len(shown)),)), d.PageBreak()]
    doc = d.Document(cover=d.Cover(title="Glyphs", marking=""), blocks=tuple(blocks))
    render(doc, TEMPLATE, tmp_path / "glyphs.pdf", "pdf")
    pages = _pages(tmp_path / "glyphs.pdf", tmp_path)[1:]  # after the cover
    for i, name in enumerate(SAMPLES):
        drawn, boxes = pages[2 * i], pages[2 * i + 1]
        assert _ink(drawn) > 0, name
        assert drawn != boxes, f"{name} printed as missing-glyph boxes"


def test_fallback_fonts_print_bold_where_they_have_a_bold_face() -> None:
    carlito = TEMPLATE.fonts.body
    bold, italic = fonts.font_name(carlito.bold), fonts.font_name(carlito.italic)
    arabic = "Briefing-NotoSansArabic-"
    assert TEMPLATE_FONTS.split("مرحبا", bold) == [(arabic + "Bold", "مرحبا")]
    assert TEMPLATE_FONTS.split("مرحبا", italic) == [(arabic + "Regular", "مرحبا")]
    assert TEMPLATE_FONTS.split("ქართ", bold) == [("Briefing-NotoSansGeorgian-Bold", "ქართ")]


@pytest.fixture
def no_system_fonts_cached() -> Iterator[None]:
    """Forget the system's fonts before and after (the test fakes fontconfig)."""
    fonts._system_fonts.cache_clear()
    fonts._system_font.cache_clear()
    yield
    fonts._system_fonts.cache_clear()
    fonts._system_font.cache_clear()


def test_system_fonts_are_the_last_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_system_fonts_cached: None
) -> None:
    carlito = templates.FontFace("Carlito", *(FONTS / "Carlito-Regular.ttf",) * 4)
    only_carlito = FontChain(
        fonts.font_name(carlito.regular), (fonts._family(carlito),), fallbacks=lambda: ()
    )
    hebrew = tmp_path / "SystemHebrew.ttf"
    shutil.copy(FONTS / "NotoSansHebrew-Regular.ttf", hebrew)
    fc_list = tmp_path / "bin" / "fc-list"
    fc_list.parent.mkdir()
    broken = tmp_path / "Broken.ttf"  # listed first: a font reportlab cannot read is skipped
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
    listing = "".join(f"{f}\\tTrueType\\t20-7e 5d0-5ea\\n" for f in (broken, hebrew))
    fc_list.write_text(f"#!/bin/sh\nprintf '{listing}'\n")
    fc_list.chmod(0o755)
    system = f"System{zlib.crc32(str(hebrew).encode()):08x}-SystemHebrew"
    for path, expected in ((str(fc_list.parent), system), ("", only_carlito.name)):
        monkeypatch.setenv("PATH", path)
        fonts._system_fonts.cache_clear()
        fonts._system_font.cache_clear()
        assert only_carlito.split("שלום", only_carlito.name) == [(expected, "שלום")]
