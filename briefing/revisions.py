"""Issued revisions of a pack: each its `Document` frozen (`briefing.snapshot`), numbered
1, 2, …; the working copy is the next number, "(draft)" until issued."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.dates import format_date
from briefing.diff import Diff, compare, units
from briefing.document import Document
from briefing.errors import InputError
from briefing.markings import highest, load_scheme
from briefing.outline import check_whole, last_revision
from briefing.sanitise import content_marking
from briefing.snapshot import content_hash, from_json, to_json
from db.models import Pack, PackRevision, utcnow

WORKING = "the working copy"


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    issued_at: datetime
    entries: int

    @property
    def issued(self) -> str:
        """Return the day it was issued, e.g. "30 November 2026" (local time)."""
        return format_date(self.issued_at.astimezone())

    @property
    def name(self) -> str:
        return f"revision {self.number} ({self.issued})"


@dataclass(frozen=True)
class Issued:
    """A revision as issued: what it shows and the house style it was issued in."""

    info: RevisionInfo
    document: Document
    template: str
    paper_size: str


def _pack(session: Session, pack_id: int) -> Pack:
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    return pack


def _info(row: PackRevision) -> RevisionInfo:
    return RevisionInfo(row.number, row.issued_at, row.entries)


def issue(session: Session, pack_id: int) -> int | None:
    """Freeze pack `pack_id` as its next revision and return its number; None if it shows
    the same as its last revision (nothing is stored)."""
    pack = _pack(session, pack_id)
    check_whole(session, pack_id)
    from briefing.assemble import assemble

    document = assemble(session, pack_id)
    digest = content_hash(document)
    last = session.scalar(
        select(PackRevision)
        .where(PackRevision.pack_id == pack_id)
        .order_by(PackRevision.number.desc())
        .limit(1)
    )
    if last is not None and last.content_hash == digest:
        return None
    scheme = load_scheme(session)
    marking = highest([pack.marking, content_marking(document, scheme)[0]], scheme)
    row = PackRevision(
        pack_id=pack_id, number=(last.number if last else 0) + 1, issued_at=utcnow(),
        entries=len(units(document)), content_hash=digest, template=pack.template,
        paper_size=pack.paper_size, snapshot="", marking=marking,
    )  # fmt: skip
    cover = replace(document.cover, version=f"Revision {row.number} · issued {_info(row).issued}")
    row.snapshot = to_json(replace(document, cover=cover))
    session.add(row)
    session.flush()
    return row.number


def revisions(session: Session, pack_id: int) -> list[RevisionInfo]:
    """Return the revisions of pack `pack_id`, oldest first."""
    _pack(session, pack_id)
    query = (
        select(PackRevision.number, PackRevision.issued_at, PackRevision.entries)
        .where(PackRevision.pack_id == pack_id)
        .order_by(PackRevision.number)
    )
    return [RevisionInfo(*row) for row in session.execute(query)]


def issued(session: Session, pack_id: int, number: int) -> Issued:
    """Return revision `number` of pack `pack_id` as issued."""
    _pack(session, pack_id)
    row = session.scalar(
        select(PackRevision).where(PackRevision.pack_id == pack_id, PackRevision.number == number)
    )
    if row is None:
        last = last_revision(session, pack_id)
        held = f"its revisions are 1 to {last}" if last > 1 else "it has revision 1 only"
        raise InputError(
            f"pack {pack_id} has no revision {number}; "
            + (held if last else f"issue one with `briefing pack issue {pack_id}`")
        )
    return Issued(_info(row), from_json(row.snapshot), row.template, row.paper_size)


def diff(session: Session, pack_id: int, old: int | None = None, new: int | None = None) -> Diff:
    """Return what changed from revision `old` (default: the last) to revision `new`
    (default: the working copy)."""
    if old is None:
        old = last_revision(session, _pack(session, pack_id).id)
        if not old:
            raise InputError(
                f"pack {pack_id} has no revisions to compare with; "
                f"issue one with `briefing pack issue {pack_id}`"
            )
    before = issued(session, pack_id, old)
    if new is None:
        from briefing.assemble import assemble

        return compare(before.document, assemble(session, pack_id), before.info.name, WORKING)
    after = issued(session, pack_id, new)
    return compare(before.document, after.document, before.info.name, after.info.name)


def changes_title(info: RevisionInfo) -> str:
    return f"Changes since revision {info.number} ({info.issued})"
