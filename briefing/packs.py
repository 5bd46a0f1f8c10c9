"""Creating packs: a meeting, a marking and its topics → sections filled from the library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from briefing.duplicates import passage_key
from briefing.errors import InputError
from briefing.markings import checked_marking
from briefing.participants import set_participants
from briefing.tagging import TopicRules, compile_rules, rule_hits
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
    SourceKind,
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
PASSAGES_PER_TOPIC = 5  # a new pack quotes at most this many passages per topic
# How much a passage's source counts when ranking passages: what was said jointly or to
# us first, commentary last.
KIND_WEIGHT = {
    SourceKind.JOINT_STATEMENT: 1.0,
    SourceKind.READOUT: 1.0,
    SourceKind.SPEECH: 0.8,
    SourceKind.PRESS_RELEASE: 0.8,
    SourceKind.NOTE: 0.7,
    SourceKind.OTHER: 0.6,
}
# Estimating pages: the ministerial template's body page holds about this many words of
# quotes and items; each block adds some lines (spacing, a citation); cover, contents,
# people, glossary and sources take about FIXED_PAGES, and each section adds a heading.
WORDS_PER_PAGE = 430
WORDS_PER_BLOCK = 18
WORDS_PER_SECTION = 40
FIXED_PAGES = 3.0


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
    passages_per_topic: int | None = PASSAGES_PER_TOPIC  # None: every passage on the topic
    participants: Sequence[str] = ()  # names: of people the library knows, or typed in

    def check(self) -> None:
        if not self.title.strip():
            raise InputError("a pack needs a title")
        if self.passages_per_topic is not None and self.passages_per_topic < 0:
            raise InputError("passages per topic: expected a whole number, 0 or more")
        if not self.topics:
            raise InputError("a pack needs at least one topic")
        if len({t.id for t in self.topics}) != len(self.topics):
            raise InputError("a topic is named twice")
        check_style(self.template, self.paper_size)


def check_style(template: str | None, paper_size: str | None) -> None:
    """Raise InputError unless `template` exists and `paper_size` is known ("" or None: the
    template's own); None for either means "not being changed"."""
    import templates  # the style files: read when a pack's style is set, not to open a library

    if template is not None:
        try:
            templates.find(template)
        except templates.TemplateError as exc:
            raise InputError(str(exc)) from None
    if paper_size not in (None, "", *templates.PAPER_SIZES):
        expected = ", ".join(templates.PAPER_SIZES)
        raise InputError(f'paper size "{paper_size}": expected one of {expected}, or none')


@dataclass(frozen=True)
class TopicPlan:
    """What a new pack's section on one topic will hold."""

    topic_id: int
    name: str
    item_ids: tuple[int, ...]
    passage_ids: tuple[int, ...]
    tagged: int  # passages tagged with the topic, before ranking, the cap and repeats
    words: int  # in its items and passages

    @property
    def items(self) -> int:
        return len(self.item_ids)

    @property
    def passages(self) -> int:
        return len(self.passage_ids)


@dataclass(frozen=True)
class PackPlan:
    """What a new pack will hold, topic by topic, before it is created (a dry run)."""

    topics: tuple[TopicPlan, ...]
    sources: int  # sources its passages quote
    pages: float  # an estimate of the whole pack, cover to sources list

    def describe(self) -> list[str]:
        """Return one line per topic and a last line with the estimated pages."""
        lines = [
            f"{t.name}: {t.items} items, {t.passages} of {t.tagged} passages" for t in self.topics
        ]
        quoting = f"{self.sources} source" + ("s" if self.sources != 1 else "")
        return [*lines, f"about {round(self.pages)} pages, quoting {quoting}"]


@dataclass(frozen=True)
class _Section:
    topic: Topic
    items: list[Item]
    passages: list[Passage]
    tagged: int


def plan_pack(session: Session, spec: PackSpec) -> PackPlan:
    """Return what `create_pack(session, spec)` would put in the pack, without creating it."""
    sections = _choose(session, spec)
    topics = tuple(
        TopicPlan(
            s.topic.id,
            s.topic.name,
            tuple(i.id for i in s.items),
            tuple(p.id for p in s.passages),
            s.tagged,
            sum(_words(i.body) for i in s.items) + sum(_words(p.text) for p in s.passages),
        )
        for s in sections
    )
    blocks = sum(t.items + t.passages for t in topics)
    words = sum(t.words for t in topics) + blocks * WORDS_PER_BLOCK
    words += len(topics) * WORDS_PER_SECTION
    sources = {p.source_id for s in sections for p in s.passages}
    return PackPlan(topics, len(sources), FIXED_PAGES + words / WORDS_PER_PAGE)


def create_pack(session: Session, spec: PackSpec) -> Pack:
    """Create a pack with one section per topic holding the items tagged with it and its most
    relevant passages (see `plan_pack`); nothing goes in twice."""
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
    for position, chosen in enumerate(_choose(session, spec)):
        section = Section(position=position, title=chosen.topic.name, topic=chosen.topic)
        pack.sections.append(section)
        entries = [Entry(kind=EntryKind.ITEM, item=item) for item in chosen.items]
        entries += [Entry(kind=EntryKind.PASSAGE, passage=p) for p in chosen.passages]
        for index, entry in enumerate(entries):
            entry.position = index
            section.entries.append(entry)
    session.flush()
    return pack


def _choose(session: Session, spec: PackSpec) -> list[_Section]:
    """Return each topic's items and its best passages (at most `spec.passages_per_topic`,
    shown in reading order); an item or a passage (or the same text in another source)
    goes under the first topic that takes it only."""
    taken_items: set[int] = set()
    taken_texts: set[str] = set()
    sections: list[_Section] = []
    for topic in spec.topics:
        items = [i for i in items_for(session, topic) if i.id not in taken_items]
        taken_items.update(i.id for i in items)
        tagged = passages_for(session, topic)
        passages: list[Passage] = []
        for passage in ranked(tagged, compile_rules([topic])[0]):
            if spec.passages_per_topic is not None and len(passages) >= spec.passages_per_topic:
                break
            key = passage_key(passage.text)
            if key and key not in taken_texts:
                taken_texts.add(key)
                passages.append(passage)
        order = {p.id: index for index, p in enumerate(tagged)}
        passages.sort(key=lambda p: order[p.id])
        sections.append(_Section(topic, items, passages, len(tagged)))
    return sections


def ranked(passages: Sequence[Passage], rules: TopicRules) -> list[Passage]:
    """Return `passages` most relevant first: how often the topic's rules match (and how
    densely), weighed by the source's kind and age and by the passage's length."""
    dates = [p.source.date for p in passages if p.source.date is not None]
    newest = max(dates, default=None)

    def score(passage: Passage) -> float:
        hits = rule_hits(passage.text, rules)
        words = _words(passage.text)
        density = min(1.0, 20 * hits / max(words, 1))  # a hit per 20 words is dense
        length = 1.0 if 20 <= words <= 180 else 0.7 if 8 <= words <= 300 else 0.4
        when = passage.source.date
        years = (newest - when).days / 365 if newest and when else 1.0
        recency = 1 / (1 + years)
        weight = KIND_WEIGHT.get(passage.source.kind, 0.6) * length * (0.6 + 0.4 * recency)
        return (hits + density) * weight

    return sorted(passages, key=score, reverse=True)  # stable: ties keep newest first


def _words(text: str) -> int:
    return len(text.split())


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
            .options(selectinload(Passage.source))
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
        meeting = Meeting(title=old.title, date=old.date, place=old.place, series=old.series,
                          counterpart=old.counterpart)
    return _copy(session, pack, title or f"{pack.title} (copy)", meeting)


def _copy(
    session: Session, pack: Pack, title: str, meeting: Meeting | None, carry: bool = False
) -> Pack:
    """Copy `pack`'s settings, participants, sections and entries into a new pack for
    `meeting`; with `carry`, its quoted passages are marked `carried` (to be reviewed)."""
    old = pack.meeting
    if meeting is not None and old is not None:
        meeting.participants = [
            Participant(position=p.position, name=p.name, role=p.role,
                        organisation=p.organisation, side=p.side, person=p.person)
            for p in old.participants
        ]  # fmt: skip
    copy = Pack(
        title=title,
        meeting=meeting,
        marking=pack.marking,
        template=pack.template,
        paper_size=pack.paper_size,
    )
    for section in pack.sections:
        new = Section(position=section.position, title=section.title, topic=section.topic)
        new.entries = [
            Entry(position=e.position, kind=e.kind, passage=e.passage, item=e.item,
                  source=e.source,
                  carried=e.carried or (carry and e.kind is EntryKind.PASSAGE))
            for e in section.entries
        ]  # fmt: skip
        copy.sections.append(new)
    session.add(copy)
    session.flush()
    return copy


def next_pack(
    session: Session,
    pack_id: int,
    meeting: str,
    when: date,
    place: str | None = None,
    title: str | None = None,
) -> Pack:
    """Create the pack for the next meeting of pack `pack_id`'s series: same settings,
    participants, sections and entries, its quoted passages marked carried (for review).

    Refuses a pack whose meeting has no date, and a next meeting not after it."""
    from briefing.series import infer_series, meeting_series, series_key

    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    old = pack.meeting
    if old is None or old.date is None:
        raise InputError(
            f"pack {pack_id}'s meeting has no date; set it with "
            f"`briefing pack edit {pack_id} --date YYYY-MM-DD`"
        )
    if not meeting.strip():
        raise InputError("a meeting needs a title")
    if when <= old.date:
        raise InputError(
            f"the next meeting must come after “{old.title}” ({old.date.isoformat()})"
        )
    series = meeting_series(old)
    # the new meeting joins the old one's series: named only where its title would not say so
    new_meeting = Meeting(
        title=meeting.strip(), date=when, place=old.place if place is None else place.strip(),
        series=None if series_key(infer_series(meeting)) == series_key(series) else series,
        counterpart=old.counterpart,
    )  # fmt: skip
    if title is None:
        title = (
            pack.title.replace(old.title, meeting.strip())
            if old.title and old.title in pack.title
            else meeting.strip()
        )
    if not title.strip():
        raise InputError("a pack needs a title")
    return _copy(session, pack, title.strip(), new_meeting, carry=True)
