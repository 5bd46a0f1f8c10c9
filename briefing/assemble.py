"""Turn a pack from the store into a `Document`: the one place that decides what a pack shows."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.document import (
    Annex,
    Block,
    Citation,
    Contents,
    Cover,
    Document,
    Heading,
    LineToTake,
    Note,
    Paragraph,
    Properties,
    Quote,
    Run,
    Runs,
    Table,
    plain,
)
from briefing.errors import InputError
from briefing.markdown import markdown_blocks
from db.models import EntryKind, GlossaryTerm, Item, ItemKind, Pack, Passage, Person, Source


def passage_runs(passage: Passage) -> Runs:
    """Return a passage's text as runs, keeping the emphasis stored with it."""
    runs = tuple(Run(text, "b" in flags, "i" in flags) for text, flags in passage.runs or [])
    return runs or (Run(passage.text),)


def citation(passage: Passage) -> Citation:
    source = passage.source
    return Citation(source.title, source.issuer, source.date, passage.seq)


def item_blocks(item: Item) -> list[Block]:
    """Return the blocks showing one of the user's items, by its kind."""
    body = markdown_blocks(item.body)
    first = next((b.runs for b in body if isinstance(b, Paragraph)), (Run(item.title),))
    match item.kind:
        case ItemKind.LINE_TO_TAKE:
            return [LineToTake(first)]
        case ItemKind.IF_ASKED:
            return [LineToTake(first, reactive=True, question=item.title)]
        case ItemKind.RISK | ItemKind.KEY_FACT:
            return [Note(first, label=item.kind.value.capitalize())]
    blocks: list[Block] = []
    if item.title and item.kind is not ItemKind.OBJECTIVE:
        blocks.append(Heading(item.title, 3))
    blocks.extend(body)
    return blocks


def assemble(session: Session, pack_id: int, *, author: str = "", company: str = "") -> Document:
    """Return the Document for pack `pack_id`."""
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    meeting = pack.meeting
    cover = Cover(
        title=pack.title,
        marking=pack.marking,
        subtitle=meeting.title if meeting and meeting.title != pack.title else "",
        meeting=meeting.title if meeting else "",
        date=meeting.date if meeting else None,
        place=meeting.place if meeting else "",
        version=f"Revision {pack.revision}",
        prepared_by=", ".join(x for x in (author, company) if x),
    )
    blocks: list[Block] = [Contents()]
    cited: dict[int, Source] = {}
    annexed: dict[int, Source] = {}
    for section in pack.sections:
        blocks.append(Heading(section.title, 1))
        for entry in section.entries:
            if entry.kind is EntryKind.PASSAGE and entry.passage is not None:
                blocks.append(Quote(passage_runs(entry.passage), citation(entry.passage)))
                cited.setdefault(entry.passage.source_id, entry.passage.source)
            elif entry.kind is EntryKind.ITEM and entry.item is not None:
                blocks.extend(item_blocks(entry.item))
                for passage in entry.item.citations:
                    cited.setdefault(passage.source_id, passage.source)
            elif entry.kind is EntryKind.SOURCE and entry.source is not None:
                annexed.setdefault(entry.source.id, entry.source)
    text = " ".join(plain(b.runs) for b in blocks if isinstance(b, Quote | Paragraph | LineToTake))
    blocks += people_blocks(session, list(cited.values()))
    blocks += glossary_blocks(session, text)
    for source in annexed.values():
        cited.setdefault(source.id, source)
    blocks += annex_blocks(cited.values())
    props = Properties(
        title=pack.title,
        subject=cover.meeting,
        author=author,
        company=company,
        keywords=tuple(s.title for s in pack.sections),
    )
    return Document(cover=cover, blocks=tuple(blocks), properties=props)


def people_blocks(session: Session, sources: list[Source]) -> list[Block]:
    if not sources:
        return []
    people = session.scalars(
        select(Person)
        .where(Person.sources.any(Source.id.in_([s.id for s in sources])))
        .order_by(Person.side, Person.family_name)
    ).all()
    if not people:
        return []
    rows = tuple((p.name, p.role, p.organisation, p.side) for p in people)
    table = Table(("Name", "Role", "Organisation", "Side"), rows, widths=(3, 5, 3, 1.2))
    return [Heading("People", 1), table]


def glossary_blocks(session: Session, text: str) -> list[Block]:
    """Return a glossary of the terms that appear in `text`."""
    words = set(re.findall(r"[\w&-]+", text))
    terms = [
        t
        for t in session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term))
        if t.term in words
    ]
    if not terms:
        return []
    table = Table(("Term", "Meaning"), tuple((t.term, t.expansion) for t in terms), widths=(1, 4))
    return [Heading("Glossary", 1), table]


def annex_letter(index: int) -> str:
    """Return the letter of the `index`-th annex: A … Z, then AA, AB, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def annex_blocks(sources: Iterable[Source]) -> list[Block]:
    """Return an annex with the full text of each source, paragraphs numbered as cited."""
    annexes: list[Block] = []
    for index, source in enumerate(sources):
        blocks: list[Block] = []
        facts = ", ".join(
            x
            for x in (source.issuer, source.place, source.date and f"{source.date:%-d %B %Y}")
            if x
        )
        if facts:
            blocks.append(Paragraph((Run(facts, italic=True),)))
        for passage in source.passages:
            if passage.heading_level:
                blocks.append(Heading(passage.text, min(3, passage.heading_level + 1)))
            else:
                blocks.append(Paragraph((Run(f"{passage.seq}. "), *passage_runs(passage))))
        annexes.append(Annex(annex_letter(index), source.title, tuple(blocks)))
    return annexes
