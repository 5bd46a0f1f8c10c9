"""Commitments in packs: whom a meeting is with, its "Open commitments" section, and the
commitments made since the last meeting for a changes annex."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from briefing.commitments.ledger import OVERDUE, CommitmentInfo, list_commitments
from briefing.dates import format_date
from briefing.document import Block, Citation, Heading, Paragraph, Run, Table
from briefing.markings import Scheme
from briefing.parties import counterpart_of, known_parties
from db.models import CommitmentStatus, Meeting, Pack

OPEN_COMMITMENTS = "Open commitments"
HEADER = ("Who", "What", "By when", "Status", "Source")
WIDTHS = (1.1, 5, 1.6, 1.5, 2.8)
NO_ONE = "none"  # what the user types for a meeting with no one in particular
STILL_OPEN = (CommitmentStatus.OPEN.value, OVERDUE)


def meeting_counterpart(meeting: Meeting | None) -> str:
    """Return whom a meeting is with: the user's choice, else the party its series (or
    name) names other than the EU ("Japan–EU HLED" → "Japan"), else ""."""
    if meeting is None:
        return ""
    if meeting.counterpart is not None:
        return meeting.counterpart
    return counterpart_of(meeting.series or "") or counterpart_of(meeting.title)


def chosen_counterpart(name: str) -> str | None:
    """Return a counterpart the user typed as stored: a known party's own name ("United
    States" → "US"), "" for none ("none"), None to infer it again ("")."""
    name = " ".join(name.split())
    if not name:
        return None
    if name.casefold() == NO_ONE:
        return ""
    named = known_parties().named_in(name)
    return named[0] if len(named) == 1 else name


SHORT_WHAT = 3  # a clause this short ("reinforce it") reads only in its sentence


def _row(c: CommitmentInfo) -> tuple[str, ...]:
    due = format_date(c.due) if c.due else ""
    status = "OVERDUE" if c.overdue else c.status.capitalize()
    source = Citation(c.source, "", c.source_date, c.paragraph).label()
    what = c.text if len(c.what.split()) <= SHORT_WHAT else c.what
    return (c.who, what, due, status, source)


def commitment_tables(found: Sequence[CommitmentInfo], scheme: Scheme) -> list[Block]:
    """Return the commitments as tables of who, what, by when, status and source: one per
    marking of their sources (each marked as they are), so a copy shared at a lower level
    keeps the rows it may show."""
    by_marking: dict[str, list[CommitmentInfo]] = {}
    for c in found:
        by_marking.setdefault(c.marking or scheme.default, []).append(c)
    return [
        Table(HEADER, tuple(_row(c) for c in rows), widths=WIDTHS, origin="commitments",
              marking=marking)
        for marking, rows in by_marking.items()
    ]  # fmt: skip


def open_commitment_blocks(
    session: Session, meeting: Meeting | None, scheme: Scheme
) -> list[Block]:
    """Return a pack's "Open commitments" section: the open commitments concerning the
    meeting's counterpart (overdue ones marked), soonest due first; none without one."""
    counterpart = meeting_counterpart(meeting)
    if not counterpart:
        return []
    found = [
        c for c in list_commitments(session, counterpart=counterpart) if c.status in STILL_OPEN
    ]
    if not found:
        return []
    heading = Heading(OPEN_COMMITMENTS, 1, origin=f"section:{OPEN_COMMITMENTS}")
    return [heading, *commitment_tables(found, scheme)]


def made_since_blocks(
    session: Session, meeting: Meeting | None, since: date, scheme: Scheme
) -> list[Block]:
    """Return, for a changes annex, the commitments concerning the meeting's counterpart
    recorded in sources dated after `since` (the last meeting); none without one."""
    counterpart = meeting_counterpart(meeting)
    if not counterpart:
        return []
    heading = Heading(f"Commitments made since {format_date(since)}", 2)
    found = list_commitments(session, counterpart=counterpart, since=since)
    if not found:
        note = f"No new commitments with {counterpart} in the library."
        return [heading, Paragraph((Run(note, italic=True),))]
    return [heading, *commitment_tables(found, scheme)]


def since_last_meeting_blocks(session: Session, pack: Pack, scheme: Scheme) -> list[Block]:
    """Return, for a changes annex of `pack`, the commitments made since the previous
    meeting of its series (none without such a meeting, or a counterpart)."""
    from briefing.series import previous_pack

    before = previous_pack(session, pack)
    if before is None or before.meeting is None or before.meeting.date is None:
        return []
    return made_since_blocks(session, pack.meeting, before.meeting.date, scheme)
