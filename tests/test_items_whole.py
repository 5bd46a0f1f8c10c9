"""Items whole: every kind of item prints its whole Markdown body, its title and its sources,
in PDF and Word; a pack holding drafts says DRAFT on every page, the cover and in metadata."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from pdf_text import pdf_text
from pypdf import PdfReader
from sqlalchemy import select

from briefing import items
from briefing.assemble import citation
from briefing.items import CitationInfo, ItemData
from briefing.library import Library
from briefing.outline import add_entry, add_section
from db.models import EntryKind, ItemKind, ItemStatus, Passage

KINDS = tuple(ItemKind)
SECOND = 'Second paragraph of {k}: 5 < 6 & "quotes" <b>not bold</b> 👩‍👩‍👧 שלום עולם.'
BODY = """First paragraph of {k} with **bold {k}**, *italic {k}*, ~~struck {k}~~ and a \
[link {k}](https://example.org/{k}?a=1&b=2).

{second}

- outer {k} one
  - inner {k} one
  - inner {k} two
- outer {k} two

1. number {k} one
2. number {k} two

| Metal {k} | Share {k} |
|---|---|
| **gallium {k}** | 98% {k} |
"""


def tag(kind: ItemKind) -> str:
    return kind.name.lower()  # objective, line_to_take, if_asked, … (none inside another)


def title(kind: ItemKind) -> str:
    return f"Title {tag(kind)}"


def phrases(kind: ItemKind, second: str = SECOND) -> list[str]:
    """What must come back, in this order, once each."""
    k = tag(kind)
    return [
        f"First paragraph of {k} with bold {k}, italic {k}, struck {k} and a link {k}.",
        second.format(k=k),
        f"outer {k} one",
        f"inner {k} one",
        f"inner {k} two",
        f"outer {k} two",
        f"number {k} one",
        f"number {k} two",
        f"Metal {k}",
        f"Share {k}",
        f"gallium {k}",
        f"98% {k}",
    ]


def new_pack(library: Library, status: ItemStatus, kinds: tuple[ItemKind, ...]) -> int:
    """Return a pack holding one item of each of `kinds` (each citing one passage)."""
    pack_id = library.new_pack(
        "Whole", meeting="M", date=None, marking="OFFICIAL", topics=["automobiles"]
    )
    with library.store.session() as session:
        passage = session.scalars(
            select(Passage).where(Passage.text.contains("global steel overcapacity"))
        ).first()
        assert passage is not None
        section = add_section(session, pack_id, "Items")
        for kind in kinds:
            body = BODY.format(k=tag(kind), second=SECOND.format(k=tag(kind)))
            cites = (CitationInfo(passage.id, "", 0, ""),)
            data = ItemData(kind, title(kind), body, "OFFICIAL", status, citations=cites)
            item_id = items.create_item(session, data)
            add_entry(session, section.id, EntryKind.ITEM, item_id)
    return pack_id


def cited_label(library: Library) -> str:
    with library.store.session() as session:
        passage = session.scalars(
            select(Passage).where(Passage.text.contains("global steel overcapacity"))
        ).first()
        assert passage is not None
        return citation(passage).label()


@pytest.fixture(scope="module")
def whole(demo_store_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A pack with one item of every kind, exported to both formats."""
    folder = tmp_path_factory.mktemp("whole")
    shutil.copy(demo_store_file, folder / "library.sqlite")
    with Library(folder / "library.sqlite") as library:
        pack_id = new_pack(library, ItemStatus.CLEARED, KINDS)
        out = {"label": cited_label(library)}
        for fmt in ("pdf", "docx"):
            out[fmt] = library.export(pack_id, folder / f"whole.{fmt}")
        yield out


def flat(text: str) -> str:
    """Return `text` with every run of white space (line wraps, table cells) as one space."""
    return " ".join(text.split())


# pdftotext gives SECOND back whole: emoji (joiners too) and Hebrew in reading order.
PDF_SECOND = SECOND


def item_slice(text: str, kind: ItemKind, start_at: str) -> str:
    """Return the part of `text` showing the item of `kind`: from `start_at` (the last time it
    occurs: a heading is also in the contents) to the next item's title."""
    start = text.rindex(start_at)
    others = [text.rfind(title(k)) for k in KINDS if k is not kind]
    return text[start : min([i for i in others if i > start], default=len(text))]


def assert_in_order(text: str, wanted: list[str]) -> None:
    at = 0
    for phrase in wanted:
        found = text.find(phrase, at)
        assert found >= 0, f"{phrase!r} missing (or out of order) in {text!r}"
        at = found + len(phrase)


# -- PDF --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=tag)
def test_pdf_prints_every_item_whole_with_its_title_and_sources(
    whole: dict, kind: ItemKind
) -> None:
    text = flat(pdf_text(whole["pdf"]))
    lead = {ItemKind.IF_ASKED: f"If asked: {title(kind)}"}.get(kind, title(kind))
    part = item_slice(text, kind, lead)
    if kind in (ItemKind.LINE_TO_TAKE, ItemKind.OBJECTIVE):
        assert part.startswith(f"{title(kind)} – First paragraph")
    if kind in (ItemKind.RISK, ItemKind.KEY_FACT):
        label = kind.value.capitalize()
        assert f"{label}: {title(kind)} – First paragraph" in text
    assert_in_order(part, [*phrases(kind, PDF_SECOND), f"Source: {whole['label']}"])
    for phrase in phrases(kind, PDF_SECOND):
        assert text.count(phrase) == 1, phrase
    assert "**" not in part and "~~" not in part and "|" not in part, "no Markdown left"


# -- Word -------------------------------------------------------------------------------


def word_blocks(path: Path) -> list[tuple[str, str]]:
    """Return the body of a .docx as (style, text); a table as ("table", cells by tabs)."""
    out = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, WordParagraph):
            out.append((block.style.name if block.style else "", block.text))
        elif isinstance(block, WordTable):
            rows = ["\t".join(c.text for c in row.cells) for row in block.rows]
            out.append(("table", "\n".join(rows)))
    return out


PARAGRAPH_STYLE = {
    ItemKind.OBJECTIVE: "List Continue",
    ItemKind.LINE_TO_TAKE: "Line To Take",
    ItemKind.IF_ASKED: "If Asked",
    ItemKind.BACKGROUND: "Normal",
    ItemKind.KEY_FACT: "Note",
    ItemKind.RISK: "Note",
}


@pytest.mark.parametrize("kind", KINDS, ids=tag)
def test_word_prints_every_item_whole_in_named_styles(whole: dict, kind: ItemKind) -> None:
    blocks = word_blocks(whole["docx"])
    starts = [i for i, (_, text) in enumerate(blocks) if title(kind) in text]
    start = starts[-1]  # a background item's heading is in the contents first
    ends = [
        i for i, (_, text) in enumerate(blocks) if i > start and any(
            title(k) in text for k in KINDS if k is not kind
        )
    ]  # fmt: skip
    part = blocks[start : min(ends, default=len(blocks))]
    k, nest = tag(kind), " 2" if kind is ItemKind.OBJECTIVE else ""
    deeper = " 3" if kind is ItemKind.OBJECTIVE else " 2"
    first = f"First paragraph of {k} with bold {k}, italic {k}, struck {k} and a link {k}."
    lead = {
        ItemKind.OBJECTIVE: ("List Bullet", f"{title(kind)} – {first}"),
        ItemKind.LINE_TO_TAKE: ("Line To Take", f"{title(kind)} – {first}"),
        ItemKind.IF_ASKED: ("If Asked", f"If asked: {title(kind)}"),
        ItemKind.BACKGROUND: ("Heading 2", title(kind)),
        ItemKind.KEY_FACT: ("Note", f"Key fact: {title(kind)} – {first}"),
        ItemKind.RISK: ("Note", f"Risk: {title(kind)} – {first}"),
    }[kind]
    assert part[0][0] == lead[0] and part[0][1].endswith(lead[1])
    assert (PARAGRAPH_STYLE[kind], SECOND.format(k=k)) in part  # emoji, ZWJ, RTL, <, & whole
    expected = [
        (f"List Bullet{nest}", f"outer {k} one"),
        (f"List Bullet{deeper}", f"inner {k} one"),
        (f"List Bullet{deeper}", f"inner {k} two"),
        (f"List Bullet{nest}", f"outer {k} two"),
        (f"List Number{nest}", f"number {k} one"),
        (f"List Number{nest}", f"number {k} two"),
        ("table", f"Metal {k}\tShare {k}\ngallium {k}\t98% {k}"),
        ("Citation", f"Source: {whole['label']}"),
    ]
    assert [b for b in part if b in expected] == expected


def test_word_keeps_inline_formatting_and_links(whole: dict) -> None:
    word = docx.Document(str(whole["docx"]))
    k = tag(ItemKind.RISK)
    [paragraph] = [p for p in word.paragraphs if p.text.startswith(f"Risk: Title {k}")]
    runs = {r.text: r for r in paragraph.runs}
    assert runs[f"Title {k}"].bold and runs["Risk: "].bold
    assert runs[f"bold {k}"].bold and runs[f"italic {k}"].italic
    assert runs[f"struck {k}"].font.strike
    [link] = [h for h in paragraph.hyperlinks if h.text == f"link {k}"]
    assert link.address == f"https://example.org/{k}?a=1&b=2"


# -- DRAFT ------------------------------------------------------------------------------


def word_text(path: Path) -> list[str]:
    """Every paragraph of a .docx: body, tables, headers and footers (first page too)."""
    word = docx.Document(str(path))
    texts = [text for _, text in word_blocks(path)]
    for section in word.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):  # fmt: skip
            texts += [p.text for p in part.paragraphs]
    return texts


@pytest.mark.parametrize("status", [ItemStatus.DRAFT, ItemStatus.CLEARED])
def test_a_pack_with_drafts_says_draft_everywhere_and_a_cleared_one_nowhere(
    demo_library: Library, tmp_path: Path, status: ItemStatus
) -> None:
    kinds = (ItemKind.LINE_TO_TAKE, ItemKind.BACKGROUND)  # enough for pages after the contents
    pack_id = new_pack(demo_library, status, kinds)
    draft = status is ItemStatus.DRAFT
    pdf = demo_library.export(pack_id, tmp_path / "pack.pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) > 2
    pages = [pdf_text(pdf, "-f", str(n), "-l", str(n)) for n in range(1, len(reader.pages) + 1)]
    assert [("DRAFT" in page) for page in pages] == [draft] * len(pages)
    assert ("DRAFT: holds items not yet cleared" in flat(pages[0])) is draft  # the cover
    meta = reader.metadata
    assert meta is not None
    assert ("DRAFT" in (meta.subject or "")) is draft
    assert ("DRAFT" in str(meta.get("/Keywords", ""))) is draft

    word_path = demo_library.export(pack_id, tmp_path / "pack.docx")
    core = docx.Document(str(word_path)).core_properties
    assert core.content_status == ("Draft" if draft else "")
    assert ("DRAFT" in core.keywords) is draft
    texts = word_text(word_path)
    assert ("Status\tDRAFT: holds items not yet cleared" in texts) is draft  # the cover
    markings = [t for t in texts if t.startswith("OFFICIAL")]
    assert len(markings) == 4  # top and bottom of the cover and of every other page
    assert all(t == ("OFFICIAL – DRAFT" if draft else "OFFICIAL") for t in markings)
    assert any("DRAFT" in t for t in texts) is draft
