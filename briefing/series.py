"""Meetings and documents in series: the 7th and 8th Japan–EU HLED, their joint statements.

A name's *series* is the name without its ordinal ("8th Japan-EU HLED" → "Japan-EU HLED"),
dashes made plain hyphens and spaces collapsed; its *key* folds it further (accents, case,
punctuation: `duplicates.passage_key`) for comparing. A meeting's series can be set by the
user (`Meeting.series`); a source's is always inferred, and only a title holding an ordinal
puts a source in a series (so "Press release" and "Press release" are not one series).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from briefing.dates import format_date
from briefing.document import Block, BulletList, Document, Heading, ListItem, Paragraph, Run
from briefing.duplicates import passage_key
from db.models import Entry, EntryKind, Meeting, Pack, Passage, Section, Source, SourceKind

_WORDS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?:(\d+)\s*(?:st|nd|rd|th|e|er|ème)|(" + "|".join(_WORDS) + r"))\b\.?", re.IGNORECASE
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")


def _tidy(text: str) -> str:
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" ,:;-")
    return re.sub(r"^(?:the|of the)\s+", "", text, flags=re.IGNORECASE) or text


def ordinal(name: str) -> int | None:
    """Return the ordinal a name holds (8 for "8th Japan-EU HLED"), or None."""
    found = _ORDINAL.search(name)
    if found is None:
        return None
    return int(found.group(1)) if found.group(1) else _WORDS.index(found.group(2).lower()) + 1


def infer_series(name: str) -> str:
    """Return `name` without its ordinal, dashes plain: "7th Japan–EU High-Level Economic
    Dialogue" → "Japan-EU High-Level Economic Dialogue"; a name without one, tidied."""
    without = _ORDINAL.sub(" ", name, count=1)
    without = re.sub(r"\s+of\s+the\s+(?=of\b|$)", " ", without)
    return _tidy(without) or _tidy(name)


def series_key(series: str) -> str:
    return passage_key(_DASHES.sub("-", series))


def meeting_series(meeting: Meeting | None) -> str:
    """Return the series a meeting belongs to: the user's, or inferred from its title."""
    if meeting is None:
        return ""
    return meeting.series or infer_series(meeting.title)


def source_series(source: Source) -> str | None:
    """Return the series a source belongs to (its title without its ordinal), or None when
    its title holds no ordinal."""
    return infer_series(source.title) if ordinal(source.title) is not None else None


def previous_pack(session: Session, pack: Pack) -> Pack | None:
    """Return the pack of the latest meeting of `pack`'s series dated before its meeting."""
    meeting = pack.meeting
    if meeting is None or meeting.date is None:
        return None
    key = series_key(meeting_series(meeting))
    query = (
        select(Pack)
        .join(Meeting, Pack.meeting_id == Meeting.id)
        .where(Meeting.date < meeting.date, Pack.id != pack.id)
        .order_by(Meeting.date.desc(), Pack.id.desc())
    )
    for other in session.scalars(query):
        if series_key(meeting_series(other.meeting)) == key:
            return other
    return None


def _newer(a: Source, b: Source) -> bool:
    """Whether `b` is a later one of `a`'s series: its ordinal is higher, or (without
    ordinals to compare) its date later."""
    na, nb = ordinal(a.title), ordinal(b.title)
    if na is not None and nb is not None and na != nb:
        return nb > na
    if a.date is not None and b.date is not None:
        return b.date > a.date
    return False


def newest_of_series(
    session: Session, source: Source, kin: Sequence[Source] | None = None
) -> Source | None:
    """Return the newest source of `source`'s series and kind, if newer than it (`kin`: the
    library's sources of its kind, if already read)."""
    series = source_series(source)
    if series is None:
        return None
    key = series_key(series)
    best: Source | None = None
    if kin is None:
        kin = session.scalars(select(Source).where(Source.kind == source.kind)).all()
    for other in kin:
        if other.id == source.id:
            continue
        found = source_series(other)
        if found is None or series_key(found) != key:
            continue
        if _newer(best or source, other):
            best = other
    return best


@dataclass(frozen=True)
class Stale:
    """A source a pack quotes that a newer one of its series and kind supersedes."""

    pack_id: int
    old_id: int
    old_title: str
    old_date: date | None
    new_id: int
    new_title: str
    new_date: date | None
    entries: int  # how many of the pack's entries quote the old source

    def describe(self) -> str:
        def day(d: date | None) -> str:
            return f", {d.isoformat()}" if d else ""

        return (
            f"source {self.old_id} “{self.old_title}”{day(self.old_date)} is superseded by "
            f"source {self.new_id} “{self.new_title}”{day(self.new_date)}: {self.entries} "
            f"entr{'y' if self.entries == 1 else 'ies'} of pack {self.pack_id} quote it "
            f"(`briefing pack refresh {self.pack_id} --source {self.old_id}`)"
        )


def _quoted_sources(session: Session, pack_id: int) -> dict[int, int]:
    """Return {source id: entries quoting it (its passages or it whole)} for a pack."""
    in_pack = select(Section.id).where(Section.pack_id == pack_id)
    by_passage = (
        select(Passage.source_id, func.count())
        .join(Entry, Entry.passage_id == Passage.id)
        .where(Entry.section_id.in_(in_pack), Entry.kind == EntryKind.PASSAGE)
        .group_by(Passage.source_id)
    )
    whole = (
        select(Entry.source_id, func.count())
        .where(
            Entry.section_id.in_(in_pack),
            Entry.kind == EntryKind.SOURCE,
            Entry.source_id.is_not(None),
        )
        .group_by(Entry.source_id)
    )
    counts: dict[int, int] = {sid: count for sid, count in session.execute(by_passage)}
    for sid, count in session.execute(whole):
        if sid is not None:
            counts[sid] = counts.get(sid, 0) + count
    return counts


def stale_sources(session: Session, pack_id: int) -> list[Stale]:
    """Return the sources pack `pack_id` quotes that a newer one supersedes."""
    found: list[Stale] = []
    quoted = _quoted_sources(session, pack_id)
    if not quoted:
        return found
    # Every source read once (not once per quoted source): the candidates, by kind.
    by_kind: dict[SourceKind, list[Source]] = {}
    for source in session.scalars(select(Source).order_by(Source.id)):
        by_kind.setdefault(source.kind, []).append(source)
    for sid, count in sorted(quoted.items()):
        old = session.get(Source, sid)
        assert old is not None
        new = newest_of_series(session, old, by_kind.get(old.kind, []))
        if new is not None:
            found.append(Stale(pack_id, old.id, old.title, old.date, new.id, new.title,
                               new.date, count))  # fmt: skip
    return found


@dataclass(frozen=True)
class Refreshed:
    old_id: int
    new_id: int
    swapped: tuple[tuple[int, int, int], ...]  # (entry id, old passage id, new passage id)
    unmatched: tuple[tuple[int, int, str], ...]  # (entry id, passage id, its text)

    def describe(self) -> list[str]:
        out = [f"swapped {len(self.swapped)} quotation(s) from source {self.old_id} to source "
               f"{self.new_id}"]  # fmt: skip
        for entry, old, new in self.swapped:
            out.append(f"  #{entry}: passage {old} → passage {new}")
        if self.unmatched:
            out.append(f"{len(self.unmatched)} quotation(s) have no matching passage in source "
                       f"{self.new_id}; left quoting source {self.old_id}:")  # fmt: skip
        for entry, passage, text in self.unmatched:
            short = " ".join(text.split())
            short = short if len(short) <= 70 else short[:69] + "…"
            out.append(f"  #{entry}: passage {passage} “{short}”")
        return out


def refresh(session: Session, pack_id: int, old_id: int, new: Source) -> Refreshed:
    """Point the entries of pack `pack_id` quoting passages of source `old_id` at the
    passages of `new` whose normalised text is the same; leave the others."""
    keys: dict[str, Passage] = {}
    for passage in new.passages:
        keys.setdefault(passage_key(passage.text), passage)
    swapped: list[tuple[int, int, int]] = []
    unmatched: list[tuple[int, int, str]] = []
    query = (
        select(Entry)
        .join(Section, Entry.section_id == Section.id)
        .join(Passage, Entry.passage_id == Passage.id)
        .where(Section.pack_id == pack_id, Passage.source_id == old_id)
        .order_by(Section.position, Entry.position)
    )
    for entry in session.scalars(query):
        old = entry.passage
        assert old is not None
        match = keys.get(passage_key(old.text))
        if match is None:
            unmatched.append((entry.id, old.id, old.text))
            continue
        entry.passage = match
        entry.carried = False
        entry.bump()
        swapped.append((entry.id, old.id, match.id))
    session.flush()
    return Refreshed(old_id, new.id, tuple(swapped), tuple(unmatched))


@dataclass(frozen=True)
class NewSource:
    """A source new in the library since a date, on some of a pack's topics."""

    id: int
    title: str
    kind: str
    date: date | None
    topics: tuple[str, ...]
    passages: int  # its passages on those topics


def new_since(session: Session, pack: Pack, since: date) -> list[NewSource]:
    """Return the sources dated after `since` (or, undated, imported after it) that hold
    passages on the topics of `pack`'s sections, newest first."""
    from sqlalchemy import and_, func, or_

    from db.models import Topic, passage_topic

    topic_ids = {s.topic_id for s in pack.sections if s.topic_id is not None}
    if not topic_ids:
        return []
    after = or_(
        Source.date > since,
        and_(Source.date.is_(None), func.date(Source.imported_at) > since.isoformat()),
    )
    query = (
        select(Source.id, Topic.name, func.count())
        .join(Passage, Passage.source_id == Source.id)
        .join(passage_topic, passage_topic.c.passage_id == Passage.id)
        .join(Topic, Topic.id == passage_topic.c.topic_id)
        .where(after, Topic.id.in_(topic_ids))
        .group_by(Source.id, Topic.name)
    )
    topics: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for sid, name, count in session.execute(query):
        topics.setdefault(sid, []).append(name)
        counts[sid] = counts.get(sid, 0) + count
    found = []
    for sid in topics:
        source = session.get(Source, sid)
        assert source is not None
        found.append(NewSource(sid, source.title, source.kind.value, source.date,
                               tuple(sorted(topics[sid])), counts[sid]))  # fmt: skip
    return sorted(found, key=lambda s: (s.date or date.min, s.id), reverse=True)


def since_last_meeting(session: Session, pack_id: int, document: Document) -> Document:
    """Return `document` (pack `pack_id` as it shows) with an annex of what changed since the
    last issued revision of the previous meeting's pack in its series, and what is new in
    the library on its topics since that meeting."""
    from briefing.commitments.pack import made_since_blocks
    from briefing.diff import compare, with_annex
    from briefing.errors import InputError
    from briefing.markings import load_scheme
    from briefing.outline import last_revision
    from briefing.revisions import issued

    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    before = previous_pack(session, pack)
    if before is None:
        why = "" if pack.meeting and pack.meeting.date else " (its meeting has no date)"
        raise InputError(
            f"pack {pack_id} has no earlier meeting's pack in the series "
            f"“{meeting_series(pack.meeting)}”{why}"
        )
    number = last_revision(session, before.id)
    if not number:
        raise InputError(
            f"pack {before.id} (the previous meeting's) has no issued revision; issue one "
            f"with `briefing pack issue {before.id}`"
        )
    old = issued(session, before.id, number)
    meeting = before.meeting
    assert meeting is not None and meeting.date is not None  # previous_pack holds to this
    diff = compare(old.document, document, f"pack {before.id} {old.info.name}", "this copy")
    extra: list[Block] = [Heading(f"New in the library since {format_date(meeting.date)}", 2)]
    fresh = new_since(session, pack, meeting.date)
    if fresh:
        extra.append(BulletList(tuple(
            ListItem((Run(s.title, bold=True),
                      Run(f" ({s.kind}{', ' + format_date(s.date) if s.date else ''})"
                          f": {s.passages} passage(s) on {', '.join(s.topics)}")))
            for s in fresh
        )))  # fmt: skip
    else:
        extra.append(Paragraph((Run("Nothing new on this pack's topics.", italic=True),)))
    extra += made_since_blocks(session, pack.meeting, meeting.date, load_scheme(session))
    title = f"Changes since the {meeting.title} ({format_date(meeting.date)})"
    return with_annex(document, diff, title, tuple(extra))
