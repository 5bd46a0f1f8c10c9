"""Markdown (.md) with markdown-it-py: bold and italic kept as runs, headings as headings,
list items and table rows as paragraphs of their own."""

from __future__ import annotations

from markdown_it import MarkdownIt

from briefing.document import Run
from briefing.ingest.decode import decode_text
from briefing.ingest.model import ParsedParagraph
from briefing.markdown import inline_runs

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


def parse(data: bytes) -> list[ParsedParagraph]:
    paragraphs: list[ParsedParagraph] = []
    heading: int | None = None
    lists = 0  # depth of list items around the current token
    row: list[str] | None = None
    for tok in _md.parse(decode_text(data)):
        if tok.type == "heading_open":
            heading = int(tok.tag[1])
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in ("list_item_open", "list_item_close"):
            lists += 1 if tok.type == "list_item_open" else -1
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close" and row is not None:
            paragraphs.append(ParsedParagraph((Run(" | ".join(row)),), standalone=True))
            row = None
        elif tok.type == "inline" and row is not None:
            row.append(tok.content)
        elif tok.type == "inline":
            paragraphs.append(ParsedParagraph(inline_runs(tok.children), heading, lists > 0))
        elif tok.type in ("fence", "code_block"):
            paragraphs.append(ParsedParagraph((Run(tok.content),)))
    return paragraphs
