"""Web pages (.html, .htm) with BeautifulSoup and the stdlib parser: block elements become
paragraphs, <h1>–<h6> headings, table rows "cell | cell"; scripts, styles, navigation,
headers, footers and asides are dropped. The <title> is the title when the text names none.
A doctype is removed whole before parsing (its internal subset "[ <!ENTITY …> ]" too, which
the parser would otherwise end at the first ">" and leave "]>" as text); entities are never
resolved."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

from briefing.document import Run
from briefing.ingest.decode import decode_text
from briefing.ingest.model import Paragraphs, ParsedParagraph

DROPPED = frozenset([
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "head",
    "form", "button", "select", "iframe", "svg", "canvas", "object",
])
BLOCKS = frozenset([
    "p", "div", "section", "article", "main", "body", "blockquote", "pre", "li", "ul", "ol",
    "dl", "dt", "dd", "figure", "figcaption", "address", "table", "thead", "tbody", "tfoot",
    "caption", "center", "details", "summary", "hr",
])
HEADINGS = {f"h{n}": n for n in range(1, 7)}
# <!DOCTYPE name …[internal subset]…>, quoted strings and the subset may hold ">".
_DOCTYPE = re.compile(
    r"<!DOCTYPE(?:[^\[>\"']|\"[^\"]*\"|'[^']*')*(?:\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\]\s*)?>",
    re.I,
)


def parse(data: bytes) -> Paragraphs:
    text = _DOCTYPE.sub("", decode_text(data), count=1)
    soup = BeautifulSoup(text, "html.parser")
    walker = _Walker()
    walker.walk(soup, Run(""))
    walker.flush()
    paragraphs = Paragraphs(walker.paragraphs)
    title = soup.find("title")
    if isinstance(title, Tag):
        paragraphs.title = " ".join(title.get_text(" ").split())
    return paragraphs


class _Walker:
    def __init__(self) -> None:
        self.paragraphs: list[ParsedParagraph] = []
        self.runs: list[Run] = []

    def flush(self, heading: int | None = None, standalone: bool = False) -> None:
        if self.runs:
            self.paragraphs.append(ParsedParagraph(tuple(self.runs), heading, standalone))
            self.runs = []

    def walk(self, node: Tag, style: Run) -> None:
        """Add the text under `node`; `style` carries the inherited bold/italic/link."""
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    self.runs.append(Run(str(child), style.bold, style.italic, style.link))
            elif isinstance(child, Tag) and not _hidden(child):
                self._tag(child, style)

    def _tag(self, tag: Tag, style: Run) -> None:
        name = tag.name.lower()
        if name == "br":
            self.runs.append(Run("\n"))
        elif name == "tr":
            self.flush()
            cells = [
                c.get_text(" ", strip=True) for c in tag.find_all(("td", "th"), recursive=False)
            ]
            self.paragraphs.append(ParsedParagraph((Run(" | ".join(cells)),), standalone=True))
        elif name in HEADINGS:
            self.flush()
            self.walk(tag, style)
            self.flush(HEADINGS[name])
        elif name in BLOCKS:
            self.flush()
            self.walk(tag, style)
            self.flush(standalone=name == "li")
        else:
            href = tag.get("href") if name == "a" else None
            self.walk(tag, Run(
                "",
                style.bold or name in ("b", "strong"),
                style.italic or name in ("i", "em", "cite"),
                str(href) if href else style.link,
            ))


def _hidden(tag: Tag) -> bool:
    return tag.name.lower() in DROPPED or tag.has_attr("hidden") or tag.get("aria-hidden") == "true"
