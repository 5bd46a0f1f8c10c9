"""Share a copy of a pack at a level: sanitise its Document, render it (temporary file, then
rename, as an export), and write a redaction log beside it saying what was left out.

Everything is checked before anything is written; if the log cannot be written after the
copy has been, the copy is removed again, so a failed share leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from briefing.assemble import draft_origins
from briefing.errors import InputError
from briefing.export import (
    check_target,
    format_for,
    load_style,
    pack_document,
    write_atomically,
)
from briefing.jobs import Progress
from briefing.markings import highest, load_scheme, normalise
from briefing.render import render
from briefing.sanitise import Withheld, content_marking, copy_at

LOG_SUFFIX = ".redaction-log.txt"


@dataclass(frozen=True)
class Shared:
    """What a share wrote: the copy, its log, the level and what was left out."""

    path: Path
    log: Path
    level: str
    withheld: tuple[Withheld, ...]


def share_pack(
    session_scope: Callable[[], AbstractContextManager[Session]],
    pack_id: int,
    level: str,
    path: Path,
    fmt: str | None = None,
    *,
    log: Path | None = None,
    by: str = "",
    author: str = "",
    company: str = "",
    progress: Progress | None = None,
) -> Shared:
    """Write a copy of pack `pack_id` holding only what is marked at or below `level` to
    `path`, and its redaction log to `log` (default: `path` + ".redaction-log.txt")."""
    path = Path(path).expanduser().absolute()
    kind = format_for(path, fmt)
    log = Path(log).expanduser().absolute() if log else path.with_name(path.name + LOG_SUFFIX)
    for target in (path, log):
        check_target(target)
        if not os.access(target.parent, os.W_OK) or (
            target.exists() and not os.access(target, os.W_OK)
        ):
            raise InputError(f"{target}: cannot write (permission denied or read-only)")
    if log == path:
        raise InputError(f"{log}: the log cannot be the copy itself")
    with session_scope() as session:
        scheme = load_scheme(session)
        document, name, paper = pack_document(session, pack_id, author=author, company=company)
        drafts = draft_origins(session)
    copy, withheld = copy_at(document, level, scheme, drafts, pack_id=pack_id, what="copy")
    level = copy.marking
    style = load_style(name, paper)
    content, _ = content_marking(document, scheme)
    text = log_text(document.cover.title, pack_id, highest((document.marking, content), scheme),
                    level, withheld, by, path)  # fmt: skip
    write_atomically(path, lambda tmp: render(copy, style, tmp, kind, progress))
    try:
        write_atomically(log, lambda tmp: _write_text(tmp, text))
    except InputError:
        path.unlink(missing_ok=True)
        raise
    return Shared(path, log, level, tuple(withheld))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def log_text(
    title: str,
    pack_id: int,
    marking: str,
    level: str,
    withheld: list[Withheld],
    by: str,
    path: Path,
    when: datetime | None = None,
) -> str:
    """Return the redaction log: not for sharing, marked as the pack (or its content, when
    higher), then the copy, the level, when, by whom, and each entry left out."""
    when = when or datetime.now().astimezone()
    lines = [
        f"NOT FOR SHARING — redaction log — {normalise(marking) or 'no marking'}",
        "",
        f"pack:   {pack_id} “{title}”",
        f"copy:   {path}",
        f"level:  {level}",
        f"when:   {when:%Y-%m-%d %H:%M %Z}".rstrip(),
        f"by:     {by.strip() or 'unknown'}",
        "",
        f"withheld ({len(withheld)}):" if withheld else "withheld: nothing",
        *(f"  {w.describe()}" for w in withheld),
        "",
        f"NOT FOR SHARING — {normalise(marking) or 'no marking'}",
    ]
    return "\n".join(lines) + "\n"
