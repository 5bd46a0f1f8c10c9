"""One parser per file format; each turns the file's bytes into raw paragraphs."""

from __future__ import annotations

from collections.abc import Callable

from briefing.ingest.formats import docx, html, md, pdf, txt
from briefing.ingest.model import ParsedParagraph

Parser = Callable[[bytes], list[ParsedParagraph]]

PARSERS: dict[str, Parser] = {
    ".txt": txt.parse,
    ".text": txt.parse,
    ".md": md.parse,
    ".markdown": md.parse,
    ".docx": docx.parse,
    ".pdf": pdf.parse,
    ".html": html.parse,
    ".htm": html.parse,
}
