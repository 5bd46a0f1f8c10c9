"""Markdown (the body of the user's items) to Document blocks, with markdown-it-py.

One parser, configured once, serves both the export (`markdown_blocks`) and the item
editor's preview (`markdown_html`): CommonMark plus GFM tables and strikethrough, raw HTML
off (it stays text). Nothing the user wrote is dropped: nested lists keep their levels,
a list item's further paragraphs stay under it, table cells keep their text.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from briefing.document import (
    Block,
    BulletList,
    Heading,
    ListItem,
    Paragraph,
    Run,
    Runs,
    Table,
    plain,
)

_md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

_COUNTERS = {
    "strong_open": ("bold", 1),
    "strong_close": ("bold", -1),
    "em_open": ("italic", 1),
    "em_close": ("italic", -1),
    "s_open": ("strike", 1),
    "s_close": ("strike", -1),
}


def inline_runs(children: list[Token] | None) -> Runs:
    """Return the runs of an inline token's children, keeping bold, italic, strike and links."""
    runs: list[Run] = []
    depth = {"bold": 0, "italic": 0, "strike": 0}
    link: str | None = None

    def add(text: str, href: str | None = None) -> None:
        style = {k: v > 0 for k, v in depth.items()}
        _append(runs, Run(text, link=href or link, **style))

    for tok in children or []:
        if tok.type in _COUNTERS:
            name, step = _COUNTERS[tok.type]
            depth[name] += step
        elif tok.type == "link_open":
            link = str(tok.attrs.get("href", "")) or None
        elif tok.type == "link_close":
            link = None
        elif tok.type in ("text", "code_inline", "html_inline"):
            add(tok.content)
        elif tok.type == "image":  # its description, linked to the picture
            add(plain(inline_runs(tok.children)), str(tok.attrs.get("src", "")) or None)
        elif tok.type in ("softbreak", "hardbreak"):
            add(" " if tok.type == "softbreak" else "\n")
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    """Add `run`, merging it into the previous run when the formatting is the same."""
    if not run.text:
        return
    last = runs[-1] if runs else None
    if last and (last.bold, last.italic, last.strike, last.link) == (
        run.bold,
        run.italic,
        run.strike,
        run.link,
    ):
        runs[-1] = Run(last.text + run.text, run.bold, run.italic, run.link, run.strike)
    else:
        runs.append(run)


def markdown_blocks(text: str, heading_offset: int = 2) -> tuple[Block, ...]:
    """Return the blocks of a Markdown text: paragraphs, lists, tables, headings (shifted down
    by `heading_offset` levels and capped at 3, so an item's "# x" sits under the pack's)."""
    return _blocks(SyntaxTreeNode(_md.parse(text)).children, heading_offset)


def markdown_html(text: str) -> str:
    """Return the HTML of a Markdown text, parsed exactly as `markdown_blocks` parses it."""
    html: str = _md.render(text)  # markdown-it annotates render as returning Any
    return html


def _runs(node: SyntaxTreeNode) -> Runs:
    """Return the runs of a block node holding one inline node (paragraph, heading, cell)."""
    token = node.children[0].token if node.children else None
    return inline_runs(token.children if token is not None else [])


def _blocks(nodes: list[SyntaxTreeNode], heading_offset: int) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for node in nodes:
        match node.type:
            case "paragraph":
                if runs := _runs(node):
                    blocks.append(Paragraph(runs))
            case "heading":
                level = min(3, int(node.tag[1]) + heading_offset)
                blocks.append(Heading(plain(_runs(node)), level))
            case "bullet_list" | "ordered_list":
                blocks.append(_list(node, heading_offset))
            case "table":
                blocks.append(_table(node))
            case "fence" | "code_block" if node.content.strip():
                blocks.append(Paragraph((Run(node.content.rstrip("\n")),)))
            case "blockquote":
                blocks.extend(_blocks(node.children, heading_offset))
    return tuple(blocks)


def _list(node: SyntaxTreeNode, heading_offset: int) -> BulletList:
    items = []
    for entry in node.children:
        inner = _blocks(entry.children, heading_offset)
        match inner:
            case (Paragraph(runs=runs), *rest):
                items.append(ListItem(runs, tuple(rest)))
            case _:
                items.append(ListItem((), inner))
    numbered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if numbered else 1
    return BulletList(tuple(items), numbered, start)


def _table(node: SyntaxTreeNode) -> Table:
    """Return a GFM table; cell text is kept, its inline formatting is not."""
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    for part in node.children:  # thead, tbody
        for row in part.children:
            cells = tuple(plain(_runs(cell)) for cell in row.children)
            if part.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return Table(header, tuple(rows))
