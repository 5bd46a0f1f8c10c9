"""Creating packs: a meeting, a marking and its topics → sections filled from the library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

import templates
from briefing.errors import InputError
from briefing.markings import checked_marking
from briefing.participants import set_participants
from db.models import (
    Entry,
    EntryKind,
    Item,
    ItemKind,
    Meeting,
    Pack,
    Participant,
    Passage,
    Section,
    Source,
    Topic,
    item_topic,
    passage_topic,
)

# The order a section shows the user's items in, before the quoted passages.
ITEM_ORDER = [
    ItemKind.OBJECTIVE,
    ItemKind.LINE_TO_TAKE,
    ItemKind.IF_ASKED,
    ItemKind.KEY_FACT,
    ItemKind.BACKGROUND,
    ItemKind.RISK,
]


@dataclass(frozen=True)
class PackSpec:
    """What the user asks for when creating a pack."""

    title: str
    meeting: str
    date: date | None
    marking: str
    topics: Sequence[Topic]
    place: str = ""
    template: str = "ministerial"
    paper_size: str = ""  # "" = the template's
    participants: Sequence[str] = ()  # names: of people the library knows, or typed in

    def check(self) -> None:
        if not self.title.strip():
            raise InputError("a pack needs a title")
        if not self.topics:
            raise InputError("a pack needs at least one topic")
        if len({t.id for t in self.topics}) != len(self.topics):
            raise InputError("a topic is named twice")
        check_style(self.template, self.paper_size)


def check_style(template: str | None, paper_size: str | None) -> None:
    """Raise InputError unless `template` exists and `paper_size` is known ("" or None: the
    template's own); None for either means "not being changed"."""
    if template is not None:
        try:
            templates.find(template)
        except templates.TemplateError as exc:
            raise InputError(str(exc)) from None
    if paper_size not in (None, "", *templates.PAPER_SIZES):
        expected = ", ".join(templates.PAPER_SIZES)
        raise InputError(f'paper size "{paper_size}": expected one of {expected}, or none')


def create_pack(session: Session, spec: PackSpec) -> Pack:
    """Create a pack with one section per topic, holding the items and passages tagged with it."""
    spec.check()
    meeting = Meeting(
        title=spec.meeting.strip() or spec.title.strip(), date=spec.date, place=spec.place
    )
    pack = Pack(
        title=spec.title.strip(),
        meeting=meeting,
        marking=checked_marking(session, spec.marking),
        template=spec.template,
        paper_size=spec.paper_size,
    )
    session.add(pack)
    set_participants(session, meeting, spec.participants)
    for position, topic in enumerate(spec.topics):
        section = Section(position=position, title=topic.name, topic=topic)
        pack.sections.append(section)
        entries = [Entry(kind=EntryKind.ITEM, item=item) for item in items_for(session, topic)]
        entries += [Entry(kind=EntryKind.PASSAGE, passage=p) for p in passages_for(session, topic)]
        for index, entry in enumerate(entries):
            entry.position = index
            section.entries.append(entry)
    session.flush()
    return pack


def items_for(session: Session, topic: Topic) -> list[Item]:
    items = session.scalars(
        select(Item).join(item_topic).where(item_topic.c.topic_id == topic.id).order_by(Item.id)
    )
    return sorted(items, key=lambda item: ITEM_ORDER.index(item.kind))


def passages_for(session: Session, topic: Topic) -> list[Passage]:
    """Return the passages tagged with `topic`, newest source first, in paragraph order."""
    return list(
        session.scalars(
            select(Passage)
            .join(passage_topic)
            .join(Source)
            .where(passage_topic.c.topic_id == topic.id, Passage.heading_level.is_(None))
            .order_by(Source.date.desc().nulls_last(), Source.id, Passage.seq)
        )
    )


def copy_pack(session: Session, pack_id: int, title: str | None = None) -> Pack:
    """Copy a pack whole: its settings, meeting and participants, sections and entries."""
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    old = pack.meeting
    meeting = None
    if old is not None:
        meeting = Meeting(title=old.title, date=old.date, place=old.place)
        meeting.participants = [
            Participant(position=p.position, name=p.name, role=p.role,
                        organisation=p.organisation, side=p.side, person=p.person)
            for p in old.participants
        ]  # fmt: skip
    copy = Pack(
        title=title or f"{pack.title} (copy)",
        meeting=meeting,
        marking=pack.marking,
        template=pack.template,
        paper_size=pack.paper_size,
    )
    for section in pack.sections:
        new = Section(position=section.position, title=section.title, topic=section.topic)
        new.entries = [
            Entry(position=e.position, kind=e.kind, passage=e.passage, item=e.item, source=e.source)
            for e in section.entries
        ]
        copy.sections.append(new)
    session.add(copy)
    session.flush()
    return copy
