"""Plain text (.txt files and pasted text): paragraphs are separated by blank lines."""

from __future__ import annotations

import re

from briefing.document import Run
from briefing.ingest.decode import decode_text
from briefing.ingest.model import ParsedParagraph

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")


def parse(data: bytes) -> list[ParsedParagraph]:
    return text_paragraphs(decode_text(data))


def text_paragraphs(text: str) -> list[ParsedParagraph]:
    """Split plain text into paragraphs: blank lines separate them, wrapped lines are joined,
    and a bulleted line starts a new one. Text without any blank line has one per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    paragraphs: list[ParsedParagraph] = []
    for block in blocks:
        lines: list[str] = []
        for line in block.split("\n"):
            if lines and _BULLET.match(line):
                paragraphs.append(_paragraph(lines))
                lines = []
            lines.append(line)
        paragraphs.append(_paragraph(lines))
    return paragraphs


def _paragraph(lines: list[str]) -> ParsedParagraph:
    return ParsedParagraph((Run(" ".join(lines)),), standalone=bool(_BULLET.match(lines[0])))
