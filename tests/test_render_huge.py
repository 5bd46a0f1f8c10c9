"""Huge text in the PDF: any block of any length is laid out in linear time, comes back whole
and in order, shows no join, and overlong titles and words never stop an export."""

from __future__ import annotations

import itertools
import re
import subprocess
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pdf_text import pdf_text
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import paragraph as platypus_paragraph

import templates
from briefing import document as d
from briefing.render import render
from briefing.render.flowing import flow
from briefing.render.fonts import chains
from briefing.render.pdf import ENTRY, RUNNING
from briefing.render.scripts import Paragraph

TEMPLATE = templates.load("ministerial")
SENTENCE = (
    "Both sides shared concerns about non-market policies that lead to overcapacity in steel, "
    "and Commissioner ŠEFČOVIČ raised <export controls> & coercion with 赤沢亮正 (< 15%). "
)
COVER = d.Cover(title="Huge", marking="OFFICIAL")
XHTML = "{http://www.w3.org/1999/xhtml}"


def prose(size: int) -> str:
    """Return about `size` characters of sentences, each numbered so that order shows."""
    return "".join(f"{i}. {SENTENCE}" for i in range(size // (len(SENTENCE) + 6) + 1))


def runs(text: str) -> d.Runs:
    """Return `text` as runs of changing formatting (a bold and an italic run in every ~3 KB)."""
    parts = re.split(r"(?<=\. )(?=\d+0\. )", text)  # every tenth sentence starts a run
    return tuple(d.Run(p, bold=i % 3 == 1, italic=i % 3 == 2) for i, p in enumerate(parts))


BLOCKS: dict[str, Callable[[d.Runs], d.Block]] = {
    "paragraph": lambda r: d.Paragraph(r),
    "quote": lambda r: d.Quote(r, d.Citation("Joint statement")),
    "line to take": lambda r: d.LineToTake((d.Paragraph(r),)),
    "note": lambda r: d.Note((d.Paragraph(r),), label="Handling"),
    "list entry": lambda r: d.BulletList((d.ListItem(r), d.ListItem((d.Run("Second."),)))),
    "table cell": lambda r: d.Table(("Key", "Value"), (("key", "".join(x.text for x in r)),)),
}

# what the blocks print besides the text: the cover's title, labels, the citation, the table's
# header (repeated on every page) and first column
FURNITURE = ("Huge", "Handling:", "— Joint statement", "Second.", "•", "Key", "Value", "key")


def export(blocks: tuple[d.Block, ...], path: Path, cover: d.Cover = COVER) -> Path:
    render(d.Document(cover=cover, blocks=blocks), TEMPLATE, path, "pdf")
    return path


def frame_text(path: Path) -> str:
    """Return the text inside the page frames (no marking, running title or page number)."""
    p = TEMPLATE.page
    height = p.height.pt - p.margin_top.pt - p.margin_bottom.pt
    crop = ["-x", "0", "-y", f"{p.margin_top.pt - 2:.0f}", "-W", f"{p.width.pt:.0f}"]
    crop += ["-H", f"{height + 4:.0f}"]
    return subprocess.run(
        ["pdftotext", *crop, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def letters(text: str) -> str:
    return "".join(text.split())


@contextmanager
def wrapped_characters() -> Iterator[list[int]]:
    """Count the characters reportlab breaks into lines, over all paragraphs wrapped."""
    counted = [0]
    original = platypus_paragraph.Paragraph.breakLines

    def breakLines(self: platypus_paragraph.Paragraph, width: object) -> object:
        counted[0] += len(self.getPlainText())
        return original(self, width)

    platypus_paragraph.Paragraph.breakLines = breakLines  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        platypus_paragraph.Paragraph.breakLines = original  # type: ignore[method-assign]


@pytest.mark.parametrize("kind", BLOCKS)
def test_a_huge_block_comes_back_whole_in_order_and_wraps_in_linear_work(
    tmp_path: Path, kind: str
) -> None:
    """Every letter once, in order; reportlab wraps each character a few times at most, the
    same for 4× the text (before: once per page it spilled over, quadratic)."""
    work = []
    for size in (60_000, 240_000):
        text = prose(size)
        with wrapped_characters() as counted:
            pdf = export((BLOCKS[kind](runs(text)),), tmp_path / f"{size}.pdf")
        work.append(counted[0] / len(text))
        body = frame_text(pdf)
        for furniture in FURNITURE:
            body = body.replace(furniture, "")
        assert letters(body) == letters(text)
    assert work[1] < 6 and work[1] < 1.3 * work[0], work


def body_lines(pdf: Path) -> list[tuple[float, float, list[float]]]:
    """Return each line of text inside the page frames: (left, right, word widths)."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    top, bottom = TEMPLATE.page.margin_top.pt, TEMPLATE.page.margin_bottom.pt
    lines = []
    for page in list(ElementTree.fromstring(xhtml).iter(f"{XHTML}page"))[1:]:  # not the cover
        height = float(page.get("height", 0))
        for line in page.iter(f"{XHTML}line"):
            if top - 2 < float(line.get("yMin", 0)) < height - bottom:
                widths = [float(w.get("xMax", 0)) - float(w.get("xMin", 0)) for w in line]
                lines.append((float(line.get("xMin", 0)), float(line.get("xMax", 0)), widths))
    return lines


@pytest.mark.parametrize("kind", ["paragraph", "quote", "note"])
def test_a_huge_block_shows_no_join(tmp_path: Path, kind: str) -> None:
    """Every line but the last is full: the next line's first word would not have fit on it
    (a join between two pieces would end a line early, as the old 1,000-character pieces did)."""
    lines = body_lines(export((BLOCKS[kind](runs(prose(60_000))),), tmp_path / "j.pdf"))
    right = max(x for _, x, _ in lines)
    space = 3.0  # points: less than a space at the body size
    assert len(lines) > 300
    for (_, end, _), (_, _, widths) in itertools.pairwise(lines[:-1]):  # not the citation
        assert end + space + widths[0] > right, (end, widths[0], right)


def test_a_huge_quote_exports_about_as_fast_as_the_same_text_in_paragraphs(
    tmp_path: Path,
) -> None:
    """The issue's 1 MB quote (214 s before), within 2× the time of ordinary paragraphs (CPU
    time, so that other work on the machine does not count)."""
    text = prose(1_000_000)
    quote = (BLOCKS["quote"](runs(text)),)
    paragraphs = tuple(d.Paragraph((d.Run(p),)) for p in re.split(r"(?<=\. )(?=\d+\. )", text))

    def cpu(blocks: tuple[d.Block, ...], name: str) -> float:
        start = time.process_time()
        export(blocks, tmp_path / name)
        return time.process_time() - start

    ordinary, quoted = cpu(paragraphs, "p.pdf"), cpu(quote, "q.pdf")
    assert quoted < 2 * ordinary, (quoted, ordinary)


WORD = "Überlängenwort" + "x" * 20_000  # longer than a page holds


def test_overlong_title_and_words_are_wrapped_or_shortened(tmp_path: Path) -> None:
    title = ("Trade ministers on steel overcapacity " * 2700)[:100_000]
    cover = d.Cover(title=title, subtitle=WORD, marking="OFFICIAL", meeting=WORD)
    blocks = (
        d.Contents("Contents"),
        d.Heading(WORD),
        d.Paragraph((d.Run(WORD),)),
        d.Quote((d.Run(WORD),), d.Citation("Statement")),
        d.Note((d.Paragraph((d.Run(WORD),)),), label="Note"),
        d.Table(("Name", "Body"), (("long", WORD),)),
    )
    pdf = export(blocks, tmp_path / "long.pdf", cover)

    text = pdf_text(pdf)
    assert letters(title) in letters(frame_text(pdf))  # the cover has all of it, over pages
    # the long word whole in the subtitle, the meeting, the heading, paragraph, quote, note
    # and table; shortened in the contents
    assert 7 * 20_000 < text.count("x") <= 7 * 20_000 + ENTRY
    reader = PdfReader(pdf)
    meta = reader.metadata
    assert meta is not None and meta.title is not None
    assert len(meta.title) <= 255 and meta.title.endswith("…")
    assert title.startswith(meta.title[:-1].rstrip())
    running = reader.pages[-1].extract_text()
    assert "Trade ministers on steel" in running and "…" in running
    assert max(len(line) for line in running.splitlines()) < RUNNING + 30
    outline = reader.outline
    assert outline and all(len(entry.title) <= ENTRY for entry in outline)


def test_a_shaped_block_flows_too(tmp_path: Path) -> None:
    """With shaping on (ligatures such as "ﬆ" for "st", Arabic presentation forms), pieces
    print other characters than the text holds; the rest is still found, in linear work."""
    body = chains(TEMPLATE)[0]
    style = ParagraphStyle(
        "shaped", fontName=body.name, fontSize=10, leading=13, shaping=1, fonts=body
    )  # as the renderer's: per-glyph fallback (briefing.render.scripts)
    text = prose(60_000).replace("(< 15%)", "مرحبا بالعالم (< 15%)")

    def make(pieces: d.Runs, style: ParagraphStyle) -> Paragraph:
        return Paragraph(body.markup("".join(r.text for r in pieces)), style)

    pdf = tmp_path / "shaped.pdf"
    with wrapped_characters() as counted:
        SimpleDocTemplate(str(pdf)).build([flow((d.Run(text),), style, make)])
    assert counted[0] < 3 * len(text)
    printed = unicodedata.normalize("NFKC", pdf_text(pdf))
    # (pdftotext's order of the digits beside right-to-left text is its own: not checked here)
    for word in ("steel", "ŠEFČOVIČ", "赤沢亮正", "Both", "coercion", "مرحبا"):
        assert printed.count(word) == text.count(word), word
