"""The sample statement in all five formats (and pasted) gives the same source: the .docx,
.pdf and .html versions are made here from the Markdown sample."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from conftest import SAMPLE
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from briefing.ingest import ParsedSource, parse_file, parse_text

FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
HEADER = "Japan-EU HLED — Joint press statement"

Segments = list[tuple[str, bool]]  # (text, bold); "\n" inside text is a line break


def sample_paragraphs() -> list[Segments]:
    """Return the sample's paragraphs as bold/plain segments, read with a plain split."""
    blocks = [b.strip() for b in SAMPLE.read_text("utf-8").split("\n\n") if b.strip()]
    return [[(s, i % 2 == 1) for i, s in enumerate(b.split("**")) if s] for b in blocks]


def write_txt(path: Path) -> Path:
    path.write_text("\n\n".join("".join(t for t, _ in p) for p in sample_paragraphs()), "utf-8")
    return path


def write_html(path: Path) -> Path:
    body = "".join(
        "<p>" + "".join(
            (f"<strong>{escape(t)}</strong>" if bold else escape(t)).replace("\n", "<br>\n")
            for t, bold in p
        ) + "</p>\n"
        for p in sample_paragraphs()
    )
    path.write_text(
        "<!doctype html><html><head><title>EU–Japan</title><style>p {margin: 1em}</style>"
        "<script>var x = '<p>not text</p>';</script></head><body>"
        "<header>European Commission</header><nav><a href='/'>Home</a> | News</nav>"
        f"<main><article>\n{body}</article></main><aside>Related: steel</aside>"
        "<!-- a comment --><footer>© European Union</footer></body></html>",
        "utf-8",
    )
    return path


def write_docx(path: Path) -> Path:
    document = docx.Document()
    for para in sample_paragraphs():
        paragraph = document.add_paragraph()
        for text, bold in para:
            paragraph.add_run(text).bold = bold  # "\n" becomes a line break
    document.save(str(path))
    return path


def write_pdf(path: Path) -> Path:
    """A5 pages, so page breaks split paragraphs mid-sentence; soft hyphens in long words, so
    lines end hyphenated; a running header and page numbers on every page."""
    pdfmetrics.registerFont(TTFont("Body", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Body-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("Body", normal="Body", bold="Body-Bold", italic="Body",
                                  boldItalic="Body-Bold")
    style = ParagraphStyle("body", fontName="Body", fontSize=10, leading=13, spaceAfter=8,
                           embeddedHyphenation=1, hyphenationMinWordLength=6)

    def markup(text: str) -> str:
        words = []
        for word in escape(text).split(" "):
            if len(word) >= 9 and word.isalpha():  # hyphenation points every 4 letters
                word = "&shy;".join(word[i:i + 4] for i in range(0, len(word), 4))
            words.append(word.replace("-", "\u2011"))  # real hyphens never break a line
        return " ".join(words).replace("\n", "<br/>")

    def decorate(canvas: object, doc: SimpleDocTemplate) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont("Body", 8)  # type: ignore[attr-defined]
        canvas.drawString(40, A5[1] - 30, HEADER)  # type: ignore[attr-defined]
        canvas.drawCentredString(A5[0] / 2, 20, f"- {doc.page} -")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    story = [
        Paragraph("".join(f"<b>{markup(t)}</b>" if b else markup(t) for t, b in p), style)
        for p in sample_paragraphs()
    ]
    SimpleDocTemplate(str(path), pagesize=A5).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return path


WRITERS = {".txt": write_txt, ".html": write_html, ".docx": write_docx, ".pdf": write_pdf}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedSource]:
    folder = tmp_path_factory.mktemp("formats")
    result = {".md": parse_file(SAMPLE)}
    for suffix, write in WRITERS.items():
        result[suffix] = parse_file(write(folder / f"sample{suffix}"))
    result["pasted"] = parse_text((folder / "sample.txt").read_text("utf-8"))
    return result


def test_the_generated_pdf_has_what_pdfs_do(tmp_path: Path) -> None:
    raw = [page.extract_text() for page in PdfReader(write_pdf(tmp_path / "s.pdf")).pages]
    assert len(raw) >= 3
    assert all(page.startswith(HEADER) for page in raw)
    joined = "\n".join(raw)
    assert re.search(r"[a-z]-\n[a-z]", joined), "a line ends hyphenated"
    bodies = [page.strip().splitlines()[1:-1] for page in raw]
    assert any(lines[-1][-1] not in ".!?" for lines in bodies[:-1]), "a page ends mid-sentence"


def test_markdown_sample(parsed: dict[str, ParsedSource]) -> None:
    source = parsed[".md"]
    assert source.title == "7th Japan-EU High-Level Economic Dialogue"
    assert (source.date, source.place, source.kind) == (date(2026, 5, 7), "Brussels",
                                                        "joint statement")
    assert source.issuer == "Japan and the EU"
    texts = [p.text for p in source.paragraphs]
    assert len(texts) == 16  # 18 blocks, two page-break splits joined
    assert texts[0] == "7th Japan-EU High-Level Economic Dialogue, Brussels, 7 May 2026"
    assert "in strategic products, notably in critical minerals" in texts[7]
    assert "maintaining and further enhancing free, open" in texts[14]
    assert texts[2].startswith("On 7 May 2026, Japan and the EU held their 7th High-Level")
    bold = [r.text for r in source.paragraphs[2].runs if r.bold]
    assert bold == ["7th High-Level Economic Dialogue", "SÉJOURNÉ", "ŠEFČOVIČ", "AKAZAWA", "HORII"]


@pytest.mark.parametrize("fmt", [".txt", ".html", ".docx", ".pdf", "pasted"])
def test_every_format_gives_the_same_source(parsed: dict[str, ParsedSource], fmt: str) -> None:
    expected, got = parsed[".md"], parsed[fmt]
    assert [plain_hyphens(p.text) for p in got.paragraphs] == [
        p.text for p in expected.paragraphs]
    assert [replace(p, role=plain_hyphens(p.role)) for p in got.people] == list(expected.people)
    assert [(a, plain_hyphens(b)) for a, b in got.glossary] == list(expected.glossary)
    assert (plain_hyphens(got.title), got.issuer, got.kind, got.date, got.place) == (
        expected.title, expected.issuer, expected.kind, expected.date, expected.place)


@pytest.mark.parametrize("fmt", [".html", ".docx", ".pdf"])
def test_bold_survives(parsed: dict[str, ParsedSource], fmt: str) -> None:
    def runs(source: ParsedSource) -> list[list[tuple[str, bool]]]:
        return [[(plain_hyphens(r.text), r.bold) for r in p.runs] for p in source.paragraphs]

    assert runs(parsed[fmt]) == runs(parsed[".md"])


def plain_hyphens(text: str) -> str:
    """The PDF is written with non-breaking hyphens (U+2011), which import keeps."""
    return text.replace("\u2011", "-")


def test_content_hash_is_of_the_bytes(tmp_path: Path) -> None:
    a = parse_file(write_txt(tmp_path / "a.txt"))
    b = parse_file(write_txt(tmp_path / "b.txt"))
    assert a.content_hash == b.content_hash and a.origin != b.origin
    assert parse_text("Hello.").content_hash != parse_text("Hello!").content_hash
