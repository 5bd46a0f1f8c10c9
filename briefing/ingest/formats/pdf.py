"""PDF files with pypdf: text per page with positions and fonts, running headers, footers and
page numbers removed, lines rebuilt into paragraphs by the gaps between them, hyphenation at
line ends undone, and a paragraph that runs over a page break kept whole."""

from __future__ import annotations

import itertools
import re
import statistics
import zlib
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from briefing.document import Run
from briefing.ingest.model import IngestError, ParsedParagraph, first_line, raised_in
from briefing.ingest.paragraphs import CLOSING, merge_runs

_PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:page|p\.|seite|página)?\s*(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of|von|de)\s*\d{1,4})?"
    r"[\W_]*$",
    re.I,
)
_EDGE_LINES = 2  # lines at the top and bottom of a page that may be running headers/footers
_PARAGRAPH_GAP = 1.4  # a gap this many times the usual line spacing starts a paragraph
_KEEP_HYPHEN_PREFIXES = frozenset([
    "co", "non", "self", "well", "cross", "anti", "ex", "semi", "pro", "post", "pre",
])
_WORD_END = re.compile(r"([^\W\d_]+)-$")
_WORD_START = re.compile(r"^([^\W\d_]+)")
# What pypdf raises on a damaged file: its own errors (a loop in the page tree: a limit
# reached), and those of the parsing and decoding under it (an unknown filter:
# NotImplementedError; bad deflate data: zlib.error).
_DAMAGED = (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError,
            zlib.error, RecursionError)
# Raised by pypdf's own code on a mangled file, these are damage too; raised by ours, bugs.
_PYPDF_SLIPS = (AttributeError, AssertionError, IndexError, ZeroDivisionError)
_PYPDF_DIR = Path(pypdf.__file__).parent


@dataclass
class _Line:
    y: float
    size: float
    runs: list[Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs).strip()


def parse(data: bytes) -> list[ParsedParagraph]:
    pages = [_page_lines(page) for page in _open(data)]
    _drop_running_lines(pages)
    paragraphs = _paragraphs(pages)
    if not paragraphs:
        raise IngestError("no text found in the PDF (a scan? text recognition is not supported)")
    return paragraphs


def _open(data: bytes) -> list[PageObject]:
    """Return the pages of the PDF `data`, or refuse it with the reason."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError("not a PDF file")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError("truncated PDF (the end of the file is missing)")
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError("encrypted PDF: remove the password and import it again")
        pages = list(reader.pages)
    except (DependencyError, FileNotDecryptedError):
        raise IngestError("encrypted PDF: remove the password and import it again") from None
    except _DAMAGED as exc:
        raise IngestError(f"damaged PDF ({first_line(exc)})") from None
    except _PYPDF_SLIPS as exc:
        _damaged_if_pypdf(exc)
    return pages


def _damaged_if_pypdf(exc: BaseException) -> None:
    """Refuse the file as damaged if pypdf raised `exc`; raise it again if we did."""
    if not raised_in(exc, _PYPDF_DIR):
        raise exc
    raise IngestError(f"damaged PDF ({first_line(exc)})") from None


def _page_lines(page: PageObject) -> list[_Line]:
    """Return the text lines of `page` top to bottom as they are drawn, with fonts as runs."""
    lines: list[_Line] = []
    pending_break = False

    def visit(text: str, cm: list[float], tm: list[float], font: dict[str, Any] | None,
              size: float) -> None:
        nonlocal pending_break
        if not text:
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        height = abs(size * (tm[3] or 1) * (cm[3] or 1)) or 1.0
        name = str(font.get("/BaseFont", "")).lower() if font else ""
        run = Run(text.rstrip("\n"), "bold" in name or "black" in name or "heavy" in name,
                  "italic" in name or "oblique" in name)
        if not lines or pending_break or abs(lines[-1].y - y) > height * 0.4:
            lines.append(_Line(y, height))
        elif lines[-1].runs and _needs_space(lines[-1].runs[-1], run):
            lines[-1].runs.append(Run(" "))
        lines[-1].runs.append(run)
        pending_break = text.endswith("\n")

    try:
        page.extract_text(visitor_text=visit)
    except _DAMAGED as exc:
        raise IngestError(f"damaged PDF ({first_line(exc)})") from None
    except _PYPDF_SLIPS as exc:
        _damaged_if_pypdf(exc)
    return [line for line in lines if line.text]


def _needs_space(before: Run, after: Run) -> bool:
    """Whether two pieces of one line drawn in different fonts lost the space between them."""
    if not before.text or not after.text:
        return False
    if (before.bold, before.italic) == (after.bold, after.italic):
        return False
    left, right = before.text[-1], after.text[0]
    return (left.isalnum() or left in ".,;:!?)”’") and (right.isalnum() or right in "(“‘")


def _drop_running_lines(pages: list[list[_Line]]) -> None:
    """Remove page numbers, and lines repeated at the top or bottom of most pages."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.casefold())

    edges = [page[:_EDGE_LINES] + page[-_EDGE_LINES:] for page in pages]
    counts = Counter(k for edge in edges for k in {key(line) for line in edge})
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    for page, edge in zip(pages, edges, strict=True):
        for line in edge:
            if line in page and (key(line) in repeated or _PAGE_NUMBER.match(line.text)):
                page.remove(line)


def _paragraphs(pages: list[list[_Line]]) -> list[ParsedParagraph]:
    gaps = [a.y - b.y for page in pages for a, b in itertools.pairwise(page) if a.y > b.y]
    spacing = statistics.median(gaps) if gaps else 0.0
    sizes: Counter[int] = Counter()  # characters per font size; the commonest is the body's
    for page in pages:
        for line in page:
            sizes[round(line.size)] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 0
    vocabulary = _vocabulary(pages)
    blocks: list[list[_Line]] = []
    for page in pages:
        for i, line in enumerate(page):
            if i == 0 and blocks and _runs_over(blocks[-1][-1], body):
                blocks[-1].append(line)  # the paragraph continues on this page
            elif i == 0 or _starts_paragraph(page[i - 1], line, spacing, body):
                blocks.append([line])
            else:
                blocks[-1].append(line)
    return [_paragraph(block, body, vocabulary) for block in blocks]


def _starts_paragraph(previous: _Line, line: _Line, spacing: float, body: int) -> bool:
    gap = previous.y - line.y
    return (
        gap <= 0
        or (spacing > 0 and gap > spacing * _PARAGRAPH_GAP)
        or _heading_level(previous, body) != _heading_level(line, body)
    )


def _runs_over(last: _Line, body: int) -> bool:
    """Whether the last line of a page leaves its paragraph open (no closing punctuation)."""
    return _heading_level(last, body) is None and last.text[-1] not in CLOSING


def _heading_level(line: _Line, body: int) -> int | None:
    ratio = line.size / body if body else 1
    return 1 if ratio >= 1.6 else 2 if ratio >= 1.3 else 3 if ratio >= 1.15 else None


def _paragraph(lines: list[_Line], body: int, vocabulary: set[str]) -> ParsedParagraph:
    runs: list[Run] = []
    for line in lines:
        if runs:
            _join_line(runs, line.text, vocabulary)
        runs += line.runs
    return ParsedParagraph(merge_runs(runs), _heading_level(lines[0], body))


def _join_line(runs: list[Run], next_text: str, vocabulary: set[str]) -> None:
    """Glue the next line onto `runs`: undo hyphenation ("strength-" + "ening"), keep real
    hyphens ("Vice-" + "President", "co-" + "chairs"), else add a space."""
    last = runs[-1]
    text = last.text.rstrip()
    head, tail = _WORD_END.search(text), _WORD_START.match(next_text)
    if head and tail and text.endswith("-"):
        left, right = head.group(1), tail.group(1)
        compound = f"{left}-{right}".casefold()
        if right[0].islower() and left[-1].islower() and not (
            left.casefold() in _KEEP_HYPHEN_PREFIXES
            or (compound in vocabulary and f"{left}{right}".casefold() not in vocabulary)
        ):
            text = text[:-1]
        runs[-1] = Run(text, last.bold, last.italic, last.link)
    else:
        runs.append(Run(" "))


def _vocabulary(pages: list[list[_Line]]) -> set[str]:
    """Return the words (hyphenated ones too) that occur inside lines, lower-cased."""
    return {
        word.casefold()
        for page in pages
        for line in page
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", line.text[:-1])
    }
