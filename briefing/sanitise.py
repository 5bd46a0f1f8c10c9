"""What a `Document` shows at which marking: the roll-up (`content_marking`) and a copy for
readers cleared to a lower level (`sanitise`).

Both read the `marking` that `briefing.assemble` gives every block it takes from the store
(an item's, a passage's or annexed source's). A copy at a level drops the blocks marked
above it, then rebuilds what a pack derives from its entries from the blocks that remain:
the objectives list, section headings (a section showing nothing goes, and with it its line
in the contents and its PDF bookmark, which renderers make from headings), the glossary, the
sources list, the annexes (lettered again), the document's keywords and the cover's
marking. "See the passage quoted under…" pointers are marked as the higher of their passage
and the quotation they point to, so one never outlives its quotation. People (the meeting's
participants) carry no marking and stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from briefing.assemble import (
    GLOSSARY,
    OBJECTIVES,
    SOURCES,
    annex_letter,
    assemble,
    blocks_text,
    glossary_of,
)
from briefing.document import (
    Annex,
    Block,
    BulletList,
    Citation,
    Document,
    Heading,
    LineToTake,
    ListItem,
    Note,
    Paragraph,
    Quote,
    Sources,
    Table,
    plain,
)
from briefing.errors import InputError
from briefing.markings import Scheme, check_marking, exceeds, highest, load_scheme

Shown = Block | ListItem  # what carries a marking: a block, or an entry of the objectives


@dataclass(frozen=True)
class Withheld:
    """One entry a shared copy leaves out."""

    origin: str  # "item:7", "passage:12", "source:3"
    marking: str
    label: str  # the item's title, the passage's citation, the annexed source's title

    def describe(self) -> str:
        kind, _, number = self.origin.partition(":")
        return f"{kind} {number} “{self.label}” ({self.marking})"


def marked(doc: Document) -> Iterator[Shown]:
    """Yield every marked thing `doc` shows, in order: its blocks, and each objective."""
    for block in doc.blocks:
        if isinstance(block, BulletList) and block.origin is None:
            yield from (i for i in block.items if i.marking)
        elif getattr(block, "marking", ""):
            yield block


def origin_marking(thing: Shown) -> tuple[str, str]:
    """Return what `thing` shows ("item:7") and its marking ("" for either it lacks)."""
    return str(getattr(thing, "origin", None) or ""), str(getattr(thing, "marking", ""))


def content_marking(doc: Document, scheme: Scheme) -> tuple[str, list[tuple[str, str]]]:
    """Return the highest marking of what `doc` shows (caveats combined), and the entries
    (origin, marking) marked above the marking it prints, each once. A Document printing no
    marking is taken to be at the scheme's default level, as its unmarked content is."""
    shown = dict(map(origin_marking, marked(doc)))
    printed = doc.marking or scheme.default
    raised = [(o, m) for o, m in shown.items() if exceeds(m, printed, scheme)]
    return highest(shown.values(), scheme), raised


def sanitise(
    doc: Document, level: str, scheme: Scheme, drafts: frozenset[str] | None = None
) -> tuple[Document, list[Withheld]]:
    """Return a copy of `doc` holding only what is marked at or below `level`, marked
    `level`, and what it left out (each entry once, in order). Given `drafts` (the origins
    of draft items: `assemble.draft_origins`), the copy is a draft only if it still shows one.

    Raises InputError if `level` is not a marking of `scheme`.
    """
    level = check_marking(scheme, level)
    withheld: dict[str, Withheld] = {}

    def keep(thing: Shown) -> bool:
        origin, mark = origin_marking(thing)
        if not mark or not exceeds(mark, level, scheme):
            return True
        withheld.setdefault(origin, Withheld(origin, mark, label(thing)))
        return False

    head: list[Block] = []
    parts: list[tuple[Heading, list[Block]]] = []
    annexes: list[Annex] = []
    for block in doc.blocks:
        if isinstance(block, Annex):
            annexes.append(block)
        elif _starts_part(block):
            assert isinstance(block, Heading)
            parts.append((block, []))
        elif parts:
            parts[-1][1].append(block)
        else:
            head.append(block)

    body: list[Block] = [b for b in head if keep(b)]
    kept_sections: set[str] = set()
    glossary: Table | None = None
    for heading, blocks in parts:
        if heading.origin is None and heading.text == GLOSSARY:
            glossary = next((b for b in blocks if isinstance(b, Table)), None)
            continue
        if heading.origin is None and heading.text == SOURCES:
            continue  # rebuilt below
        if heading.origin is None and heading.text == OBJECTIVES:
            blocks = [_objectives(b, keep) for b in blocks]
            blocks = [b for b in blocks if not (isinstance(b, BulletList) and not b.items)]
            if not blocks:
                continue
            body += [heading, *blocks]
            continue
        kept = [b for b in blocks if keep(b)]
        if heading.origin:
            if not kept:
                continue  # a section showing nothing goes, with its line in the contents
            kept_sections.add(heading.text)
        body += [heading, *kept]

    if glossary is not None:
        body += glossary_of(tuple((r[0], r[1]) for r in glossary.rows), blocks_text(body))
    kept_annexes = [
        replace(a, letter=annex_letter(n)) for n, a in enumerate(x for x in annexes if keep(x))
    ]
    body += _sources(doc, body, kept_annexes)
    body += kept_annexes
    keywords = tuple(k for k in doc.properties.keywords if k in kept_sections)
    draft = doc.draft
    if draft and drafts is not None:
        shown = {origin_marking(thing)[0] for thing in marked(replace(doc, blocks=tuple(body)))}
        draft = not drafts.isdisjoint(shown)
    copy = replace(
        doc,
        draft=draft,
        cover=replace(doc.cover, marking=level),
        blocks=tuple(body),
        properties=replace(doc.properties, keywords=keywords),
    )
    return copy, list(withheld.values())


def pack_rollup(session: Session, pack_id: int) -> tuple[str, list[tuple[str, str]]]:
    """`content_marking` of pack `pack_id` as it prints now, by the library's scheme."""
    return content_marking(assemble(session, pack_id), load_scheme(session))


def copy_at(
    doc: Document,
    level: str,
    scheme: Scheme,
    drafts: frozenset[str] | None,
    *,
    pack_id: int,
    what: str,
) -> tuple[Document, list[Withheld]]:
    """`sanitise` for a copy to hand out (`what`: "copy", "copies"): `level` must be a level
    of `scheme` no higher than the marking `doc` prints, and the copy must show something."""
    at = check_marking(scheme, level)
    if not at:
        raise InputError(f"give a level to make the {what} at; {scheme.describe()}")
    if doc.marking and exceeds(at, doc.marking, scheme):
        raise InputError(f"{at} is above the pack's marking {doc.marking}")
    copy, withheld = sanitise(doc, at, scheme, drafts)
    if not any(True for _ in marked(copy)):
        raise InputError(f"nothing in pack {pack_id} is marked at or below {at}; no {what} made")
    return copy, withheld


def _starts_part(block: Block) -> bool:
    """Whether `block` heads a part of the pack: a section or a derived list (objectives,
    people, glossary, sources) — a level-1 heading of no entry."""
    return (
        isinstance(block, Heading)
        and block.level == 1
        and (block.origin is None or block.origin.startswith("section:"))
    )


def _objectives(block: Block, keep: Callable[[Shown], bool]) -> Block:
    if isinstance(block, BulletList) and block.origin is None:
        return replace(block, items=tuple(i for i in block.items if keep(i)))
    return block


def _sources(doc: Document, body: Sequence[Block], annexes: Sequence[Annex]) -> list[Block]:
    """Return the original sources list cut to the sources `body` still quotes or cites (or
    points to) and those still annexed."""
    table = next(
        (
            b
            for h, b in zip(doc.blocks, doc.blocks[1:], strict=False)
            if isinstance(h, Heading) and h.origin is None and h.text == SOURCES
            and isinstance(b, Table)
        ),
        None,
    )  # fmt: skip
    if table is None:
        return []
    cited = {Citation(c.source_title, c.issuer, c.date).label() for c in citations(body)}
    pointers = [
        plain(b.runs)
        for b in body
        if isinstance(b, Paragraph) and (b.origin or "").startswith("passage:")
    ]
    titles = {a.title for a in annexes}

    def shown(row: tuple[str, ...]) -> bool:
        key = ", ".join(x for x in row[:3] if x)
        return key in cited or row[0] in titles or any(f"({key}, para " in p for p in pointers)

    rows = tuple(r for r in table.rows if shown(r))
    return [Heading(SOURCES, 1), replace(table, rows=rows)] if rows else []


def citations(blocks: Iterable[Block]) -> Iterator[Citation]:
    """Yield every citation in `blocks`, nested ones included."""
    for block in blocks:
        match block:
            case Quote(citation=c):
                yield c
            case Sources(citations=cs):
                yield from cs
            case LineToTake(blocks=inner) | Note(blocks=inner) | Annex(blocks=inner):
                yield from citations(inner)
            case BulletList(items=items):
                for item in items:
                    yield from citations(item.children)


def label(thing: Shown) -> str:
    """Return a short name for what `thing` shows: an item's title, a passage's citation,
    an annexed source's title."""
    match thing:
        case Quote(citation=c):
            return c.label()
        case Annex(title=text) | Heading(text=text):
            return text
        case LineToTake(question=question) if question:
            return question
        case ListItem(runs=runs) | Paragraph(runs=runs):
            text = plain(runs)
        case LineToTake(blocks=inner) | Note(blocks=inner):
            text = blocks_text(inner)
        case _:
            text = blocks_text([thing])
    first = text.strip().split("\n")[0].split(" – ")[0]
    return first if len(first) <= 80 else first[:79] + "…"
