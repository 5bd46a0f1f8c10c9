"""Copies for named people: a pack's distribution list, N copies each stamped "Copy k of N —
Name" (in every page's footer and in the file's subject and keywords), and the log of the
copies made.

`make_copies` only writes files (everything checked first; a failure removes the copies it
wrote); `Library.distribute` then records them in the log and keeps the names as the pack's
distribution list, in one transaction, removing the files again if that fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from briefing.assemble import draft_origins
from briefing.document import Document
from briefing.errors import InputError
from briefing.export import Format, format_for, load_style, pack_document, write_atomically
from briefing.markings import load_scheme
from briefing.render import render
from briefing.sanitise import copy_at
from db.models import DistributionLog, DistributionRecipient, Pack, utcnow


@dataclass(frozen=True)
class Copy:
    """A named copy written: copy `number` of `copies`, for `recipient`."""

    path: Path
    recipient: str
    number: int
    copies: int

    @property
    def note(self) -> str:
        return copy_note(self.number, self.copies, self.recipient)


@dataclass(frozen=True)
class Distributed:
    """A line of the distribution log."""

    pack_id: int
    revision: int | None
    recipient: str
    copy: int
    copies: int
    level: str
    format: str
    at: datetime
    by: str

    def describe(self) -> str:
        what = f"revision {self.revision}" if self.revision else "working copy"
        return (
            f"{self.at.astimezone():%Y-%m-%d %H:%M}  copy {self.copy} of {self.copies}  "
            f"{self.recipient}  {what}  {self.level or 'pack marking'}  {self.format}  "
            f"by {self.by or 'unknown'}"
        )


def copy_note(number: int, copies: int, recipient: str) -> str:
    return f"Copy {number} of {copies} — {recipient}"


def recipients(names: Sequence[str]) -> list[str]:
    """Return `names` stripped, checked: at least one, none empty, no name twice."""
    cleaned = [" ".join(n.split()) for n in names]
    if not cleaned:
        raise InputError("name at least one recipient (--to NAME …)")
    if any(not n for n in cleaned):
        raise InputError("a recipient's name is empty")
    seen: set[str] = set()
    for name in cleaned:
        if name.casefold() in seen:
            raise InputError(f"“{name}” is named twice")
        seen.add(name.casefold())
    return cleaned


def file_name(title: str, number: int, copies: int, recipient: str, kind: Format) -> str:
    def safe(text: str) -> str:
        return re.sub(r"[^\w.-]+", "-", text).strip("-.") or "pack"

    return f"{safe(title)}-copy-{number}-of-{copies}-{safe(recipient)}.{kind}"


def make_copies(
    session_scope: Callable[[], AbstractContextManager[Session]],
    pack_id: int,
    names: Sequence[str],
    folder: Path,
    fmt: str | None = "pdf",
    *,
    level: str | None = None,
    revision: int | None = None,
    author: str = "",
    company: str = "",
) -> tuple[list[Copy], str]:
    """Write one copy of the pack per name into `folder`, each stamped "Copy k of N — Name";
    at `level` (only what is marked at or below it, as `share`), if given. Return the copies
    and the level they were made at ("" for the pack's own marking)."""
    names = recipients(names)
    folder = Path(folder).expanduser().absolute()
    kind = format_for(folder / "copy.pdf", fmt or "pdf")
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{folder}: cannot write (permission denied or read-only)")
    with session_scope() as session:
        pack = session.get(Pack, pack_id)
        if pack is None:
            raise InputError(f"no pack {pack_id}")
        scheme = load_scheme(session)
        document, name, paper = pack_document(
            session, pack_id, revision=revision, author=author, company=company
        )
        title = pack.title
        # a revision shows its items as they were issued: only the working copy's drafts are known
        drafts = draft_origins(session) if revision is None else None
    at = ""
    if level is not None:
        document, _withheld = copy_at(
            document, level, scheme, drafts, pack_id=pack_id, what="copies"
        )
        at = document.marking
    style = load_style(name, paper)
    copies = [
        Copy(folder / file_name(title, k, len(names), who, kind), who, k, len(names))
        for k, who in enumerate(names, 1)
    ]
    written: list[Path] = []

    def writer(stamped: Document) -> Callable[[Path], None]:
        return lambda tmp: render(stamped, style, tmp, kind)

    try:
        for copy in copies:
            write_atomically(copy.path, writer(replace(document, copy_note=copy.note)))
            written.append(copy.path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return copies, at


def record(
    session: Session,
    pack_id: int,
    copies: Sequence[Copy],
    *,
    revision: int | None,
    level: str,
    fmt: str,
    by: str,
) -> None:
    """Log `copies` and keep their recipients as the pack's distribution list."""
    when = utcnow()
    for copy in copies:
        session.add(
            DistributionLog(
                pack_id=pack_id, revision=revision, recipient=copy.recipient, copy=copy.number,
                copies=copy.copies, level=level, format=fmt, at=when, by=by.strip(),
            )
        )  # fmt: skip
    set_list(session, pack_id, [c.recipient for c in copies])


def set_list(session: Session, pack_id: int, names: Sequence[str]) -> list[str]:
    """Replace the pack's distribution list with `names`, in order."""
    if session.get(Pack, pack_id) is None:
        raise InputError(f"no pack {pack_id}")
    cleaned = recipients(names) if names else []
    session.execute(delete(DistributionRecipient).where(DistributionRecipient.pack_id == pack_id))
    session.add_all(
        DistributionRecipient(pack_id=pack_id, position=i, name=n) for i, n in enumerate(cleaned, 1)
    )
    return cleaned


def distribution_list(session: Session, pack_id: int) -> list[str]:
    query = (
        select(DistributionRecipient.name)
        .where(DistributionRecipient.pack_id == pack_id)
        .order_by(DistributionRecipient.position)
    )
    return list(session.scalars(query))


def log(session: Session, pack_id: int) -> list[Distributed]:
    """Return the copies made of the pack, oldest first."""
    if session.get(Pack, pack_id) is None:
        raise InputError(f"no pack {pack_id}")
    query = (
        select(DistributionLog)
        .where(DistributionLog.pack_id == pack_id)
        .order_by(DistributionLog.id)
    )
    return [
        Distributed(r.pack_id, r.revision, r.recipient, r.copy, r.copies, r.level, r.format,
                    r.at, r.by)
        for r in session.scalars(query)
    ]  # fmt: skip
