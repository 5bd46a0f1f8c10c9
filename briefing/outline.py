"""Editing a pack's outline: its sections and the entries in them.

Each edit is a small function taking a Session, so the app (through its undo stack) and
the CLI share it. Removals return a snapshot that `restore_*` puts back with the same ids,
so an undo history that refers to those ids stays valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, selectinload

from briefing.commitments.pack import chosen_counterpart
from briefing.errors import Conflict, InputError
from briefing.markings import checked_marking
from briefing.packs import check_style
from briefing.participants import ParticipantInfo, participant_info, set_participants
from db import team
from db.models import (
    Entry,
    EntryKind,
    Item,
    Meeting,
    Pack,
    PackRevision,
    Participant,
    Passage,
    Section,
    Source,
    Topic,
    utcnow,
)
from db.text import fold

LABEL_LENGTH = 90
_Row = TypeVar("_Row")


def last_revision(session: Session, pack_id: int) -> int:
    """Return the number of the pack's last issued revision (0: none yet)."""
    query = select(func.max(PackRevision.number)).where(PackRevision.pack_id == pack_id)
    return session.scalar(query) or 0


@dataclass(frozen=True)
class EntryView:
    """One entry as the outline shows it."""

    id: int
    kind: EntryKind
    target_id: int
    label: str
    detail: str
    carried: bool = False  # a passage carried from the previous meeting's pack, to review
    superseded_by: str = ""  # a quoted source's newer one of its series, e.g. 'source 5 “…”'
    withheld: bool = False  # on a team library: marked above the reader's clearance


WITHHELD = "withheld (above your clearance)"


@dataclass(frozen=True)
class SectionView:
    id: int
    title: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class PackOutline:
    """A pack's settings and outline, as plain data."""

    id: int
    title: str
    meeting: str
    date: date | None
    place: str
    marking: str
    template: str
    paper_size: str
    revision: int
    sections: tuple[SectionView, ...]
    participants: tuple[ParticipantInfo, ...] = ()
    series: str = ""  # the meeting's series (set by the user, or inferred from its title)
    # whom the meeting is with (set by the user, or inferred from its name), "" no one; and
    # whether the user set it
    counterpart: str = ""
    counterpart_set: bool = False
    previous: str = ""  # the previous meeting's pack in the series, e.g. "pack 3 “…”"
    # when it was read (edits check the version: see `update_pack`); not part of its content
    version: int = field(default=0, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)
    # what its content is marked when above `marking` ("" otherwise, or not worked out), and
    # the entries ("item:7", marking) that raise it: see `Library.pack_outline`
    content_marking: str = field(default="", compare=False)
    raised_by: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def entry(self, entry_id: int) -> EntryView | None:
        return next((e for s in self.sections for e in s.entries if e.id == entry_id), None)


@dataclass(frozen=True)
class EntrySnapshot:
    """What `remove_entry` took away, enough to put it back where it was."""

    id: int
    section_id: int
    position: int
    kind: EntryKind
    target_id: int
    carried: bool = False


@dataclass(frozen=True)
class SectionSnapshot:
    id: int
    pack_id: int
    position: int
    title: str
    topic_id: int | None
    entries: tuple[EntrySnapshot, ...]


def short(text: str, length: int = LABEL_LENGTH) -> str:
    """Return `text` on one line, cut to `length` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def _target_id(entry: Entry) -> int:
    target = {
        EntryKind.PASSAGE: entry.passage_id,
        EntryKind.ITEM: entry.item_id,
        EntryKind.SOURCE: entry.source_id,
    }[entry.kind]
    assert target is not None
    return target


def entry_view(entry: Entry, newer: dict[int, str] | None = None) -> EntryView:
    """Return `entry` as the outline shows it; `newer` maps superseded source ids to what
    supersedes them."""
    if entry.kind is EntryKind.PASSAGE and entry.passage is not None:
        p = entry.passage
        return EntryView(entry.id, entry.kind, p.id, short(p.text), f"{p.source.title} ¶{p.seq}",
                         entry.carried, (newer or {}).get(p.source_id, ""))  # fmt: skip
    if entry.kind is EntryKind.ITEM and entry.item is not None:
        item = entry.item
        detail = " · ".join(x for x in (item.kind.value, item.marking, item.status.value) if x)
        return EntryView(entry.id, entry.kind, item.id, short(item.title or item.body), detail)
    assert entry.source is not None
    return EntryView(entry.id, entry.kind, entry.source.id, short(entry.source.title), "annex")


def pack_outline(session: Session, pack_id: int) -> PackOutline:
    """Return pack `pack_id` with its sections and entries, in order."""
    from briefing.commitments.pack import meeting_counterpart
    from briefing.series import meeting_series, previous_pack, stale_sources

    # The sections, entries and what they quote read in one query each (not one per entry).
    pack = session.scalars(
        select(Pack)
        .where(Pack.id == pack_id)
        .options(
            selectinload(Pack.meeting)
            .selectinload(Meeting.participants)
            .selectinload(Participant.person),
            selectinload(Pack.sections)
            .selectinload(Section.entries)
            .options(
                selectinload(Entry.passage).options(
                    defer(Passage.runs),
                    selectinload(Passage.source),  # runs: not shown
                ),
                selectinload(Entry.item),
                selectinload(Entry.source),
            ),
        )
    ).one_or_none()
    if pack is None:
        raise InputError(f"no pack {pack_id} (it may have been deleted)")
    meeting = pack.meeting
    before = previous_pack(session, pack)
    stale = stale_sources(session, pack_id)
    newer = {s.old_id: f"source {s.new_id} “{s.new_title}”" for s in stale}
    hidden = team.withheld(session, pack_id)
    return PackOutline(
        id=pack.id,
        title=pack.title,
        meeting=meeting.title if meeting else "",
        date=meeting.date if meeting else None,
        place=meeting.place if meeting else "",
        marking=pack.marking,
        template=pack.template,
        paper_size=pack.paper_size,
        revision=last_revision(session, pack.id) + 1,  # the working copy's number
        sections=tuple(
            SectionView(s.id, s.title, _with_withheld(s, hidden, newer)) for s in pack.sections
        ),
        participants=tuple(participant_info(p) for p in meeting.participants) if meeting else (),
        series=meeting_series(meeting),
        counterpart=meeting_counterpart(meeting),
        counterpart_set=meeting is not None and meeting.counterpart is not None,
        previous=f"pack {before.id} “{before.title}”" if before else "",
        version=pack.version,
        updated_at=pack.updated_at,
    )


def check_whole(session: Session, pack_id: int) -> None:
    """Raise InputError if the reader cannot see all of pack `pack_id` (a team library's
    entries above their clearance): such a pack is never exported or issued as if whole."""
    hidden = len(team.withheld(session, pack_id))
    if hidden:
        entries = "an entry" if hidden == 1 else f"{hidden} entries"
        raise InputError(f"pack {pack_id} holds {entries} withheld above your clearance: it"
                         " cannot be exported, shared or issued as if whole")  # fmt: skip


def _with_withheld(section: Section, hidden: list[team.Withheld], newer: dict[int, str]
                   ) -> tuple[EntryView, ...]:
    """Return the section's entries in order, those the reader may not see as placeholders."""
    shown = [(e.position, entry_view(e, newer)) for e in section.entries]
    shown += [(w.position, EntryView(w.entry_id, EntryKind(w.kind), 0, WITHHELD, "", withheld=True))
              for w in hidden if w.section_id == section.id]  # fmt: skip
    return tuple(view for _, view in sorted(shown, key=lambda pair: pair[0]))


def update_pack(
    session: Session,
    pack_id: int,
    *,
    title: str | None = None,
    marking: str | None = None,
    template: str | None = None,
    paper_size: str | None = None,
    meeting: str | None = None,
    date: date | None = None,
    place: str | None = None,
    participants: Sequence[str] | None = None,
    clear_date: bool = False,
    expected_version: int | None = None,
    series: str | None = None,
    counterpart: str | None = None,
) -> None:
    """Change a pack's title, marking, template or paper size, and its meeting's title, date,
    place, participants, series or counterpart (None leaves it; `participants` replaces the
    list; `clear_date` takes the meeting's date away; `counterpart` "" infers it from the
    meeting's name, "none" says the meeting is with no one in particular).

    Checks every value before changing any, so a bad one leaves the pack as it was. Raises
    `Conflict` (holding the stored pack's `PackOutline`) if `expected_version` is given and
    the pack was changed since: an edit never overwrites a newer one unseen.
    """
    pack = _get(session, Pack, pack_id)
    if expected_version is not None and pack.version != expected_version:
        theirs = pack_outline(session, pack_id)
        when = f"{theirs.updated_at.astimezone():%H:%M}" if theirs.updated_at else "just now"
        raise Conflict(f"“{pack.title}” was changed elsewhere at {when}", theirs)
    if title is not None and not title.strip():
        raise InputError("a pack needs a title")
    if meeting is not None and not meeting.strip():
        raise InputError("a meeting needs a title")
    check_style(template, paper_size)
    if marking is not None:
        pack.marking = checked_marking(session, marking, pack.marking)
    if title is not None:
        pack.title = title.strip()
    if template is not None:
        pack.template = template
    if paper_size is not None:
        pack.paper_size = paper_size
    if (meeting, date, place, participants) != (None, None, None, None) or clear_date:
        _update_meeting(session, pack, meeting, date, place, participants, clear_date)
    if series is not None:
        if pack.meeting is None:
            _update_meeting(session, pack, None, None, None, None)
        else:
            pack.meeting.bump()
        assert pack.meeting is not None
        # "" goes back to the series inferred from the meeting's title
        pack.meeting.series = " ".join(series.split()) or None
    if counterpart is not None:
        if pack.meeting is None:
            _update_meeting(session, pack, None, None, None, None)
        else:
            pack.meeting.bump()
        assert pack.meeting is not None
        pack.meeting.counterpart = chosen_counterpart(counterpart)
    _touch(pack)


def _update_meeting(
    session: Session,
    pack: Pack,
    title: str | None,
    when: date | None,
    place: str | None,
    participants: Sequence[str] | None,
    clear_date: bool = False,
) -> None:
    if pack.meeting is None:
        pack.meeting = Meeting(title=pack.title)
    else:
        pack.meeting.bump()
    meeting = pack.meeting
    if title is not None:
        meeting.title = title.strip()
    if when is not None or clear_date:
        meeting.date = when
    if place is not None:
        meeting.place = place.strip()
    if participants is not None:
        set_participants(session, meeting, participants)


# -- entries ---------------------------------------------------------------

_TARGETS: dict[EntryKind, type[Passage] | type[Item] | type[Source]] = {
    EntryKind.PASSAGE: Passage,
    EntryKind.ITEM: Item,
    EntryKind.SOURCE: Source,
}


def add_entry(
    session: Session, section_id: int, kind: EntryKind, target_id: int, position: int | None = None
) -> EntrySnapshot:
    """Add a passage, item or whole source to a section at `position` (default: the end).

    Raises InputError if the section already holds it.
    """
    section = _get(session, Section, section_id)
    target = _get(session, _TARGETS[kind], target_id)
    if any(e.kind is kind and _target_id(e) == target_id for e in section.entries):
        raise InputError(f'"{section.title}" already holds this {kind.value}')
    entry = Entry(kind=kind, **{f"{kind.value}": target})
    _place(section, entry, position)
    session.flush()
    return EntrySnapshot(entry.id, section.id, entry.position, kind, target_id)


def move_entry(
    session: Session, entry_id: int, section_id: int, position: int | None
) -> EntrySnapshot:
    """Move an entry to `position` in section `section_id` (None: the end); return where it
    was."""
    entry = _get(session, Entry, entry_id)
    before = entry_snapshot(entry)
    source, target = entry.section, _get(session, Section, section_id)
    if target.pack_id != source.pack_id:
        raise InputError("an entry can only move within its pack")
    with session.no_autoflush:  # a flush between remove and insert would delete the orphan
        source.entries.remove(entry)
        _renumber(source)
        _place(target, entry, position)
    return before


def move_entries(
    session: Session, entry_ids: Sequence[int], section_id: int, before_id: int | None = None
) -> list[EntrySnapshot]:
    """Move entries, in order, into a section just before entry `before_id` (None: the end).

    Return where each was, in order; undo by moving them back in reverse order.
    """
    section = _get(session, Section, section_id)
    if before_id in entry_ids:
        raise InputError("cannot move entries before one of themselves")
    befores = []
    for entry_id in entry_ids:
        anchor = next((e.position for e in section.entries if e.id == before_id), None)
        befores.append(
            move_entry(session, entry_id, section_id, _after_removal(anchor, section, entry_id))
        )
    return befores


def _after_removal(anchor: int | None, section: Section, moving_id: int) -> int | None:
    """Return the position `anchor` ends up at once entry `moving_id` leaves `section`."""
    if anchor is None:
        return None
    moving = next((e for e in section.entries if e.id == moving_id), None)
    return anchor - 1 if moving is not None and moving.position < anchor else anchor


def add_to_pack(
    session: Session, pack_id: int, section_title: str, kind: EntryKind, target_id: int
) -> tuple[EntrySnapshot, bool]:
    """Add a passage, item or source at the end of the pack's section titled `section_title`
    (case and accents aside), made at the end of the pack if there is none; return the new
    entry and whether the section was made."""
    pack = _get(session, Pack, pack_id)
    wanted = fold(_section_title(section_title))
    section = next((s for s in pack.sections if fold(s.title) == wanted), None)
    made = section is None
    section_id = add_section(session, pack_id, section_title).id if section is None else section.id
    return add_entry(session, section_id, kind, target_id), made


def remove_entry(session: Session, entry_id: int) -> EntrySnapshot:
    """Remove an entry from its section; return a snapshot to restore it."""
    entry = _get(session, Entry, entry_id)
    snapshot = entry_snapshot(entry)
    section = entry.section
    section.entries.remove(entry)
    session.delete(entry)
    _renumber(section)
    _touch(section.pack)
    session.flush()
    return snapshot


def restore_entry(session: Session, snapshot: EntrySnapshot) -> None:
    """Put back an entry `remove_entry` took away, with its id and at its position."""
    section = _get(session, Section, snapshot.section_id)
    target = _get(session, _TARGETS[snapshot.kind], snapshot.target_id)
    entry = Entry(id=snapshot.id, kind=snapshot.kind, carried=snapshot.carried,
                  **{f"{snapshot.kind.value}": target})  # fmt: skip
    _place(section, entry, snapshot.position)
    session.flush()


# -- sections --------------------------------------------------------------


def add_section(
    session: Session, pack_id: int, title: str, position: int | None = None
) -> SectionSnapshot:
    """Add an empty section to a pack at `position` (default: the end)."""
    pack = _get(session, Pack, pack_id)
    section = Section(title=_section_title(title))
    index = len(pack.sections) if position is None else max(0, min(position, len(pack.sections)))
    pack.sections.insert(index, section)
    _renumber_sections(pack)
    _touch(pack)
    session.flush()
    return section_snapshot(section)


def rename_section(session: Session, section_id: int, title: str) -> str:
    """Rename a section; return its old title."""
    section = _get(session, Section, section_id)
    old, section.title = section.title, _section_title(title)
    section.bump()
    _touch(section.pack)
    return old


def move_section(session: Session, section_id: int, position: int) -> int:
    """Move a section to `position` in its pack; return its old position."""
    section = _get(session, Section, section_id)
    pack = section.pack
    old = pack.sections.index(section)
    with session.no_autoflush:
        pack.sections.remove(section)
        pack.sections.insert(max(0, min(position, len(pack.sections))), section)
        _renumber_sections(pack)
    _touch(pack)
    return old


def remove_section(session: Session, section_id: int) -> SectionSnapshot:
    """Remove a section and its entries; return a snapshot to restore them."""
    section = _get(session, Section, section_id)
    snapshot = section_snapshot(section)
    pack = section.pack
    pack.sections.remove(section)
    session.delete(section)
    _renumber_sections(pack)
    _touch(pack)
    session.flush()
    return snapshot


def restore_section(session: Session, snapshot: SectionSnapshot) -> None:
    """Put back a section `remove_section` took away, with its entries and their ids."""
    pack = _get(session, Pack, snapshot.pack_id)
    topic = session.get(Topic, snapshot.topic_id) if snapshot.topic_id is not None else None
    section = Section(id=snapshot.id, title=snapshot.title, topic=topic)
    pack.sections.insert(min(snapshot.position, len(pack.sections)), section)
    _renumber_sections(pack)
    session.flush()
    for entry in snapshot.entries:
        restore_entry(session, entry)
    _touch(pack)


# -- helpers ---------------------------------------------------------------


def _get(session: Session, model: type[_Row], id_: int) -> _Row:
    row = session.get(model, id_)
    if row is None:
        raise InputError(f"no {model.__name__.lower()} {id_} (it may have been deleted)")
    return row


def _section_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InputError("a section needs a title")
    return title


def _place(section: Section, entry: Entry, position: int | None) -> None:
    count = len(section.entries)
    section.entries.insert(count if position is None else max(0, min(position, count)), entry)
    _renumber(section)
    _touch(section.pack)


def _renumber(section: Section) -> None:
    _number(section.entries)


def _renumber_sections(pack: Pack) -> None:
    _number(pack.sections)


def _number(rows: Sequence[Entry | Section]) -> None:
    """Give `rows` the positions 0, 1, …; a stored row whose position changes is bumped."""
    for index, row in enumerate(rows):
        if row.position != index:
            row.position = index
            row.bump()


def _touch(pack: Pack) -> None:
    """Mark the pack changed: an outline change is a change of the pack."""
    pack.updated_at = utcnow()
    pack.bump()


def entry_snapshot(entry: Entry) -> EntrySnapshot:
    return EntrySnapshot(entry.id, entry.section_id, entry.position, entry.kind, _target_id(entry),
                         entry.carried)  # fmt: skip


def section_snapshot(section: Section) -> SectionSnapshot:
    return SectionSnapshot(
        section.id,
        section.pack_id,
        section.position,
        section.title,
        section.topic_id,
        tuple(entry_snapshot(e) for e in section.entries),
    )
