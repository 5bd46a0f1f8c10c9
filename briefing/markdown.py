"""Markdown (the body of the user's items) to Document blocks, with markdown-it-py."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.document import Block, BulletList, Heading, Paragraph, Run, Runs

_md = MarkdownIt("commonmark", {"html": False})


def inline_runs(children: list[Token] | None) -> Runs:
    """Return the runs of an inline token's children, keeping bold, italic and links."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for tok in children or []:
        match tok.type:
            case "strong_open":
                bold += 1
            case "strong_close":
                bold -= 1
            case "em_open":
                italic += 1
            case "em_close":
                italic -= 1
            case "link_open":
                link = str(tok.attrs.get("href", "")) or None
            case "link_close":
                link = None
            case "text" | "code_inline" | "html_inline":
                _append(runs, Run(tok.content, bold > 0, italic > 0, link))
            case "softbreak" | "hardbreak":
                _append(
                    runs, Run(" " if tok.type == "softbreak" else "\n", bold > 0, italic > 0, link)
                )
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    """Add `run`, merging it into the previous run when the formatting is the same."""
    if not run.text:
        return
    if runs and (runs[-1].bold, runs[-1].italic, runs[-1].link) == (run.bold, run.italic, run.link):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic, run.link)
    else:
        runs.append(run)


def markdown_blocks(text: str, heading_offset: int = 2) -> tuple[Block, ...]:
    """Return the blocks of a Markdown text: paragraphs, lists, headings (shifted down by
    `heading_offset` levels and capped at 3, so an item's "# x" sits under the pack's headings)."""
    tokens = _md.parse(text)
    blocks: list[Block] = []
    lists: list[tuple[bool, list[Runs]]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists.append((tok.type == "ordered_list_open", []))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            numbered, items = lists.pop()
            if lists:  # a nested list: flatten its items into the enclosing list
                lists[-1][1].extend(items)
            else:
                blocks.append(BulletList(tuple(items), numbered))
        elif tok.type == "heading_open":
            level = min(3, int(tok.tag[1]) + heading_offset)
            blocks.append(Heading(tokens[i + 1].content, level))
            i += 2
        elif tok.type == "inline":
            runs = inline_runs(tok.children)
            if lists:
                lists[-1][1].append(runs)
            elif runs:
                blocks.append(Paragraph(runs))
        elif tok.type in ("fence", "code_block") and tok.content.strip():
            blocks.append(Paragraph((Run(tok.content.rstrip("\n")),)))
        i += 1
    return tuple(blocks)
