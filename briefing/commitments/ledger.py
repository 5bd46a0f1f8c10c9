"""The ledger: commitments stored from each source's text, listed with their topics and
status (overdue: past its date and still open), and edited (status, owner, notes, date).

A source's commitments are read when it is imported (`read_source`); sources stored before
the ledger existed are read when the library next opens (`read_unread`, in short batches).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from briefing.commitments.extract import Found, read_statement
from briefing.dates import format_date
from briefing.errors import Conflict, InputError, Missing
from briefing.parties import HOME, known_parties
from db.models import Commitment, CommitmentStatus, Passage, Source, Topic, passage_topic
from db.text import fold

OVERDUE = "overdue"  # shown as a status; stored as "open"
STATUSES = (*(s.value for s in CommitmentStatus), OVERDUE)
READ_BATCH = 200  # sources read per transaction when a library's older sources are read


@dataclass(frozen=True)
class CommitmentInfo:
    """A commitment as the ledger lists it (`due`: the last day it allows, or None)."""

    id: int
    text: str
    who: str
    what: str
    due: date | None
    due_text: str
    status: str  # open, overdue, done or dropped
    owner: str
    notes: str
    source: str
    source_id: int
    source_date: date | None
    paragraph: int
    topics: tuple[str, ...]
    marking: str  # its source's
    version: int

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE

    def describe(self) -> str:
        due = f" by {self.due.isoformat()}" if self.due else ""
        owner = f" (owner: {self.owner})" if self.owner else ""
        return (f"{self.id:>4}  {self.status:<8} {self.who:<10} {self.what}{due}  "
                f"[{self.source}, para {self.paragraph}]{owner}")  # fmt: skip


def read_source(session: Session, source: Source) -> int:
    """Read and store the commitments of `source`'s passages; return how many it makes."""
    passages = session.execute(
        select(Passage.id, Passage.text).where(Passage.source_id == source.id).order_by(Passage.seq)
    ).all()
    found = read_statement(
        source.title, source.issuer, source.date, source.people, [text for _, text in passages]
    )
    return store_found(session, source, [i for i, _ in passages], found)


def store_found(
    session: Session, source: Source, passage_ids: Sequence[int],
    found: Iterable[tuple[int, Found]],
) -> int:
    """Store the commitments `found` in `source` (each with the index of its paragraph,
    `passage_ids` in order); return how many."""  # fmt: skip
    now = datetime.now().astimezone()
    rows = [
        {
            "source_id": source.id,
            "passage_id": passage_ids[index],
            "position": f.position,
            "text": f.sentence,
            "who": f.who,
            "what": f.what,
            "due_text": f.due.text if f.due else "",
            "due_start": f.due.start if f.due else None,
            "due_end": f.due.end if f.due else None,
            "status": CommitmentStatus.OPEN,
            "owner": "",
            "notes": "",
            "updated_at": now,
        }
        for index, f in found
    ]
    if rows:
        session.execute(insert(Commitment), rows)
    source.commitments_read = True
    return len(rows)


def read_unread(sessions: Callable[[], AbstractContextManager[Session]]) -> int:
    """Read the commitments of every source not read yet, `READ_BATCH` sources per
    transaction; return how many sources were read."""
    with sessions() as session:
        ids = list(session.scalars(select(Source.id).where(Source.commitments_read.is_(False))))
    for start in range(0, len(ids), READ_BATCH):
        with sessions() as session:
            query = select(Source).where(Source.id.in_(ids[start : start + READ_BATCH]))
            for source in session.scalars(query.options(selectinload(Source.people))):
                if not source.commitments_read:
                    read_source(session, source)
    return len(ids)


def status_of(row: Commitment, today: date) -> str:
    if row.status is CommitmentStatus.OPEN and row.due_end is not None and row.due_end < today:
        return OVERDUE
    return row.status.value


def checked_status(status: str) -> str:
    """Return `status` as the ledger spells it, or raise InputError."""
    wanted = status.strip().lower()
    if wanted not in STATUSES:
        raise InputError(f'no status "{status}"; statuses are: {", ".join(STATUSES)}')
    return wanted


def parties_of(source: Source) -> set[str]:
    """Return the parties a source is between: those its title and issuer name, and the
    sides of its people."""
    named = set(known_parties().named_in(f"{source.title}\n{source.issuer}"))
    return named | {p.side for p in source.people if p.side}


def counterparts(session: Session) -> list[str]:
    """Return the parties the library's sources are between, other than the EU, by name."""
    sources = session.scalars(select(Source).options(selectinload(Source.people)))
    found = set().union(*(parties_of(s) for s in sources))
    return sorted(found - {HOME})


def concerns(row: Commitment, parties: set[str], counterpart: str) -> bool:
    """Whether a commitment concerns `counterpart`: made by it, or recorded in a text
    between it and others."""
    wanted = fold(counterpart)
    return wanted == fold(row.who) or any(wanted == fold(p) for p in parties)


def list_commitments(
    session: Session,
    *,
    counterpart: str | None = None,
    topic_id: int | None = None,
    status: str | None = None,
    since: date | None = None,
    today: date | None = None,
) -> list[CommitmentInfo]:
    """Return the commitments (those concerning `counterpart`, on topic `topic_id`, of
    `status`, recorded in sources dated — or, undated, imported — after `since`), by due
    date, soonest first, then by source and paragraph."""
    today = today or date.today()
    wanted = checked_status(status) if status else None
    query = (
        select(Commitment)
        .join(Source, Commitment.source_id == Source.id)
        .options(selectinload(Commitment.source).selectinload(Source.people),
                 selectinload(Commitment.passage))
    )  # fmt: skip
    if topic_id is not None:
        tagged = select(passage_topic.c.passage_id).where(passage_topic.c.topic_id == topic_id)
        query = query.where(Commitment.passage_id.in_(tagged))
    if wanted in (CommitmentStatus.DONE.value, CommitmentStatus.DROPPED.value):
        query = query.where(Commitment.status == CommitmentStatus(wanted))
    elif wanted is not None:
        query = query.where(Commitment.status == CommitmentStatus.OPEN)
    if since is not None:
        query = query.where(or_(
            Source.date > since,
            and_(Source.date.is_(None), func.date(Source.imported_at) > since.isoformat()),
        ))  # fmt: skip
    rows = list(session.scalars(query.order_by(Commitment.id)))
    if counterpart:
        parties = {s.id: parties_of(s) for s in {r.source for r in rows}}
        rows = [r for r in rows if concerns(r, parties[r.source_id], counterpart)]
    topics = _topics(session, [r.passage_id for r in rows])
    infos = [_info(r, topics.get(r.passage_id, ()), today) for r in rows]
    if wanted is not None:
        infos = [i for i in infos if i.status == wanted]
    return sorted(infos, key=lambda i: (i.due or date.max, i.source_id, i.paragraph, i.id))


def _topics(session: Session, passage_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    ids = list(set(passage_ids))
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 10_000):
        query = (
            select(passage_topic.c.passage_id, Topic.name)
            .join(Topic, Topic.id == passage_topic.c.topic_id)
            .where(passage_topic.c.passage_id.in_(ids[start : start + 10_000]))
            .order_by(Topic.position)
        )
        for passage_id, name in session.execute(query):
            found.setdefault(passage_id, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


def _info(row: Commitment, topics: tuple[str, ...], today: date) -> CommitmentInfo:
    return CommitmentInfo(
        row.id, row.text, row.who, row.what, row.due_end, row.due_text, status_of(row, today),
        row.owner, row.notes, row.source.title, row.source_id, row.source.date,
        row.passage.seq, topics, row.source.marking, row.version,
    )  # fmt: skip


def commitment(session: Session, commitment_id: int, today: date | None = None) -> CommitmentInfo:
    row = session.get(Commitment, commitment_id)
    if row is None:
        raise Missing(f"no commitment {commitment_id}")
    topics = _topics(session, [row.passage_id]).get(row.passage_id, ())
    return _info(row, topics, today or date.today())


def edit_commitment(
    session: Session,
    commitment_id: int,
    *,
    status: str | None = None,
    owner: str | None = None,
    note: str | None = None,
    due: date | None = None,
    version: int | None = None,
) -> CommitmentInfo:
    """Change a commitment's status (open, done, dropped), owner or date, and add `note` to
    its notes (dated; earlier notes are kept); return it. With `version`, a commitment
    saved elsewhere since that version raises `Conflict`."""
    row = session.get(Commitment, commitment_id)
    if row is None:
        raise Missing(f"no commitment {commitment_id}")
    if version is not None and row.version != version:
        raise Conflict(
            f"commitment {commitment_id} was changed elsewhere; it is now "
            f"{status_of(row, date.today())}", commitment(session, commitment_id)
        )  # fmt: skip
    if status is not None:
        wanted = checked_status(status)
        if wanted == OVERDUE:
            raise InputError("overdue is not set: an open commitment past its date is overdue")
        row.status = CommitmentStatus(wanted)
    if owner is not None:
        row.owner = owner.strip()
    if due is not None:
        row.due_end = due
        row.due_start = min(row.due_start or due, due)
        row.due_text = f"by {format_date(due)}"
    if note is not None and note.strip():
        line = f"{date.today().isoformat()}: {note.strip()}"
        row.notes = f"{row.notes}\n{line}" if row.notes else line
    row.bump()
    session.flush()
    return commitment(session, commitment_id)
