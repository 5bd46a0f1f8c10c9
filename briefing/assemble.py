"""Turn a pack from the store into a `Document`: the one place that decides what a pack shows."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from briefing.commitments.pack import open_commitment_blocks
from briefing.dates import format_date
from briefing.document import (
    Annex,
    Block,
    BulletList,
    Citation,
    Contents,
    Cover,
    Document,
    Heading,
    LineToTake,
    ListItem,
    Note,
    Paragraph,
    Properties,
    Quote,
    Run,
    Runs,
    Sources,
    Table,
    lead_in,
    plain,
    with_origin,
)
from briefing.duplicates import format_label, formats, passage_key
from briefing.errors import InputError
from briefing.markdown import markdown_blocks
from briefing.markings import Scheme, highest, load_scheme
from briefing.outline import last_revision
from briefing.participants import participant_info
from db.models import (
    Entry,
    GlossaryTerm,
    Item,
    ItemKind,
    ItemStatus,
    Meeting,
    Pack,
    Participant,
    Passage,
    Section,
    Source,
)

# Everything a pack shows, loaded in one query per relationship instead of one per row.
_SOURCE = selectinload(Passage.source).selectinload(Source.copies)
PACK_CONTENTS = [
    selectinload(Pack.meeting).selectinload(Meeting.participants).selectinload(Participant.person),
    selectinload(Pack.sections)
    .selectinload(Section.entries)
    .options(
        selectinload(Entry.passage).options(_SOURCE),
        selectinload(Entry.item).selectinload(Item.citations).options(_SOURCE),
        selectinload(Entry.source).options(
            selectinload(Source.passages), selectinload(Source.copies)
        ),
    ),
]


# The headings of what a pack derives from its entries (they carry no origin).
OBJECTIVES, PEOPLE, GLOSSARY, SOURCES = "Objectives", "People", "Glossary", "Sources"


def passage_runs(passage: Passage) -> Runs:
    """Return a passage's text as runs, keeping the emphasis stored with it."""
    runs = tuple(Run(text, "b" in flags, "i" in flags) for text, flags in passage.runs or [])
    return runs or (Run(passage.text),)


def citation(passage: Passage) -> Citation:
    source = passage.source
    return Citation(source.title, source.issuer, source.date, passage.seq)


def item_body(item: Item) -> tuple[Block, ...]:
    """Return an item's whole body, then its citations ("Sources: …") if it has any."""
    body = markdown_blocks(item.body)
    cited = tuple(citation(p) for p in item.citations)
    return (*body, Sources(cited)) if cited else body


def title_lead(title: str) -> Runs:
    """Return an item's title as printed run in before its body: bold, then an en dash."""
    return (Run(title, bold=True), Run(" – ")) if title.strip() else ()


def objective_entry(item: Item, default: str = "") -> ListItem:
    """Return an objective as an entry of the "Objectives" list: its first paragraph (title
    run in) with the rest of its body nested under it."""
    origin, marking = f"item:{item.id}", item.marking or default
    match lead_in(title_lead(item.title), item_body(item)):
        case (Paragraph(runs=runs), *rest):
            return ListItem(runs, tuple(rest), origin=origin, marking=marking)
        case blocks:
            return ListItem((), blocks, origin=origin, marking=marking)


def item_blocks(item: Item, default: str = "") -> list[Block]:
    """Return the blocks showing one of the user's items, whole, by its kind, each with the
    item as its origin and its marking (`default` when it has none)."""
    origin, marking = f"item:{item.id}", item.marking or default
    return [with_origin(block, origin, marking) for block in _item_blocks(item)]


def _item_blocks(item: Item) -> list[Block]:
    """Return an item's blocks by its kind. Lines to take, risks, key facts and objectives
    carry their title run in, in bold, before the body; an "if asked" line's title is its
    question; a background item's is a heading."""
    body = item_body(item)
    match item.kind:
        case ItemKind.LINE_TO_TAKE:
            return [LineToTake(lead_in(title_lead(item.title), body))]
        case ItemKind.IF_ASKED:
            return [LineToTake(body, reactive=True, question=item.title)]
        case ItemKind.RISK | ItemKind.KEY_FACT:
            label = item.kind.value.capitalize()
            return [Note(lead_in(title_lead(item.title), body), label=label)]
        case ItemKind.OBJECTIVE:
            return [BulletList((objective_entry(item),))]
    heading: list[Block] = [Heading(item.title, 2)] if item.title.strip() else []
    return [*heading, *body]


class _Body:
    """The pack's topic sections, collected in outline order.

    Objectives are pulled out for the "Objectives" section; a passage quoted a second time
    (or a passage of another source with the same text) becomes a pointer to its first
    quotation; every source cited is remembered for the sources list, and the whole
    sources the user added for the annexes. Whatever carries no marking takes the scheme's
    default; a pointer is marked as the higher of its passage and the quotation it points
    to, so it never outlives that quotation in a copy shared at a lower level.
    """

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.blocks: list[Block] = []
        self.objectives: list[ListItem] = []
        self.draft = False
        self.cited: dict[int, Source] = {}
        self.annexed: dict[int, Source] = {}
        # passage key → the section quoting it first, and that quotation's marking
        self.quoted: dict[str, tuple[Section, str]] = {}

    def add_section(self, section: Section) -> None:
        self.blocks.append(Heading(section.title, 1, origin=f"section:{section.title}"))
        for entry in section.entries:
            if entry.passage is not None:
                self.add_passage(entry.passage, section)
            elif entry.item is not None:
                self.add_item(entry.item)
            elif entry.source is not None:
                self.cited.setdefault(entry.source.id, entry.source)
                self.annexed.setdefault(entry.source.id, entry.source)

    def add_passage(self, passage: Passage, section: Section) -> None:
        self.cited.setdefault(passage.source_id, passage.source)
        origin, marking = f"passage:{passage.id}", passage.source.marking or self.scheme.default
        key = passage_key(passage.text)
        first = self.quoted.get(key)
        if first is None:
            self.quoted[key] = section, marking
            quote = Quote(passage_runs(passage), citation(passage), origin=origin, marking=marking)
            self.blocks.append(quote)
        else:
            label = citation(passage).label()
            where = f"See the passage quoted under “{first[0].title}” ({label})."
            marking = highest((marking, first[1]), self.scheme)
            pointer = Paragraph((Run(where, italic=True),), origin=origin, marking=marking)
            self.blocks.append(pointer)

    def add_item(self, item: Item) -> None:
        for passage in item.citations:
            self.cited.setdefault(passage.source_id, passage.source)
        self.draft = self.draft or item.status is ItemStatus.DRAFT
        if item.kind is ItemKind.OBJECTIVE:
            self.objectives.append(objective_entry(item, self.scheme.default))
        else:
            self.blocks.extend(item_blocks(item, self.scheme.default))


def draft_origins(session: Session) -> frozenset[str]:
    """Return the origins ("item:7") of the library's draft items: what makes a Document
    showing one a draft (`sanitise` uses it to tell whether a copy still is)."""
    query = select(Item.id).where(Item.status == ItemStatus.DRAFT)
    return frozenset(f"item:{item_id}" for item_id in session.scalars(query))


def blocks_text(blocks: Iterable[Block]) -> str:
    """Return the visible text of `blocks`, nested ones included, for finding the glossary
    terms a pack uses."""
    parts: list[str] = []
    for block in blocks:
        match block:
            case Heading(text=text):
                parts.append(text)
            case Paragraph(runs=runs) | Quote(runs=runs):
                parts.append(plain(runs))
            case LineToTake(blocks=inner, question=question):
                parts += [question, blocks_text(inner)]
            case Note(blocks=inner, label=label):
                parts += [label, blocks_text(inner)]
            case BulletList(items=items):
                parts += [f"{plain(i.runs)}\n{blocks_text(i.children)}" for i in items]
            case Table(header=header, rows=rows, caption=caption):
                parts += [caption, *header, *(cell for row in rows for cell in row)]
            case Annex(title=title, blocks=inner):
                parts += [title, blocks_text(inner)]
    return "\n".join(parts)


def assemble(session: Session, pack_id: int, *, author: str = "", company: str = "") -> Document:
    """Return the Document for pack `pack_id`."""
    pack = session.get(Pack, pack_id, options=PACK_CONTENTS)
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
        version=f"Revision {last_revision(session, pack_id) + 1} (draft)",
        prepared_by=", ".join(x for x in (author, company) if x),
    )
    scheme = load_scheme(session)
    body = _Body(scheme)
    for section in pack.sections:
        body.add_section(section)
    blocks: list[Block] = [Contents()]
    if body.objectives:
        blocks += [Heading(OBJECTIVES, 1), BulletList(tuple(body.objectives))]
    blocks += body.blocks
    blocks += open_commitment_blocks(session, meeting, scheme)
    blocks += people_blocks(meeting)
    blocks += glossary_blocks(session, blocks_text(blocks))
    blocks += sources_blocks(body.cited.values())
    blocks += annex_blocks(body.annexed.values(), scheme.default)
    props = Properties(
        title=pack.title,
        subject=cover.meeting,
        author=author,
        company=company,
        keywords=tuple(s.title for s in pack.sections),
    )
    return Document(cover=cover, blocks=tuple(blocks), properties=props, draft=body.draft)


def people_blocks(meeting: Meeting | None) -> list[Block]:
    """Return a table of the meeting's participants, in the order given (none: no table)."""
    people = [participant_info(p) for p in meeting.participants] if meeting else []
    if not people:
        return []
    rows = tuple((p.name, p.role, p.organisation, p.side) for p in people)
    table = Table(("Name", "Role", "Organisation", "Side"), rows, widths=(3, 5, 3, 1.2))
    return [Heading(PEOPLE, 1), table]


Terms = tuple[tuple[str, str], ...]  # (term, meaning), by term


def glossary_terms(session: Session) -> Terms:
    """Return every glossary term the library knows, with its meaning."""
    rows = session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.term))
    return tuple((t.term, t.expansion) for t in rows)


def glossary_blocks(session: Session, text: str) -> list[Block]:
    """Return a glossary of the library's terms that appear in `text` as whole words."""
    return glossary_of(glossary_terms(session), text)


def glossary_of(terms: Terms, text: str) -> list[Block]:
    """Return a glossary of those of `terms` that appear in `text` as whole words (a copy
    shared at a lower level rebuilds its glossary from the text it keeps)."""
    used = tuple((t, m) for t, m in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text))
    if not used:
        return []
    return [Heading(GLOSSARY, 1), Table(("Term", "Meaning"), used, widths=(1, 4))]


def sources_blocks(sources: Iterable[Source]) -> list[Block]:
    """Return the list of the sources a pack cites: title, issuer, date and formats."""
    rows = tuple(
        (
            s.title,
            s.issuer,
            f"{s.date.day} {s.date:%B %Y}" if s.date else "",
            ", ".join(map(format_label, formats(s))),
        )
        for s in sources
    )
    if not rows:
        return []
    table = Table(("Title", "Issuer", "Date", "Formats"), rows, widths=(5, 3, 2, 1.5))
    return [Heading(SOURCES, 1), table]


def annex_letter(index: int) -> str:
    """Return the letter of the `index`-th annex: A … Z, then AA, AB, …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def annex_blocks(sources: Iterable[Source], default: str = "") -> list[Block]:
    """Return an annex with the full text of each source, paragraphs numbered as cited, marked
    as its source (`default` when it has no marking)."""
    annexes: list[Block] = []
    for index, source in enumerate(sources):
        blocks: list[Block] = []
        facts = ", ".join(
            x
            for x in (source.issuer, source.place, source.date and format_date(source.date))
            if x
        )
        if facts:
            blocks.append(Paragraph((Run(facts, italic=True),)))
        for passage in source.passages:
            if passage.heading_level:
                blocks.append(Heading(passage.text, min(3, passage.heading_level + 1)))
            else:
                blocks.append(Paragraph((Run(f"{passage.seq}. "), *passage_runs(passage))))
        letter = annex_letter(index)
        origin, marking = f"source:{source.id}", source.marking or default
        annexes.append(Annex(letter, source.title, tuple(blocks), origin=origin, marking=marking))
    return annexes
