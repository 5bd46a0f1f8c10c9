"""Export a pack to .docx or .pdf: assemble, render to a temporary file, then rename.

A failed or cancelled export never leaves a partial file behind. One killed outright (kill -9,
power cut) leaves its hidden temporary file (".NAME.HOST-PID.XXXXXXXX.pdf.part"); the next export
to that folder removes it once it is stale: untouched for an hour and written by a process of
this computer that is no longer running (a name without a pid, from older versions: untouched
for an hour). Any other (another computer's export to a shared folder; Windows, where a pid
is not checked) is stale when untouched for a day. No other file is touched.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

import templates
from briefing import revisions
from briefing.assemble import assemble
from briefing.commitments.pack import since_last_meeting_blocks
from briefing.diff import compare, with_annex
from briefing.document import Document
from briefing.errors import InputError
from briefing.jobs import Progress
from briefing.markings import load_scheme
from briefing.outline import check_whole
from briefing.render import render
from briefing.series import since_last_meeting
from db.models import Pack

LAST_MEETING = "last-meeting"  # `changes_since`: the previous meeting's pack in the series

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")
STALE_AFTER = 3600  # seconds untouched after which a killed export's temporary file may go
_PART = re.compile(r"^\..+?\.(?:(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.)?[0-9a-f]{8}"
                   r"\.(?:pdf|docx)\.part$")  # fmt: skip


def format_for(path: Path, fmt: str | None) -> Format:
    """Return the export format: `fmt` if given, else from the file extension."""
    name = (fmt or path.suffix.lstrip(".")).lower()
    for known in FORMATS:
        if name == known:
            return known
    if fmt:
        raise InputError(f'unknown format "{fmt}": use pdf or docx')
    raise InputError(f"{path}: cannot tell the format from the file name; add .pdf or .docx")


def export_pack(
    session_scope: Callable[[], AbstractContextManager[Session]],
    pack_id: int,
    path: Path,
    fmt: str | None = None,
    *,
    template: str | None = None,
    author: str = "",
    company: str = "",
    progress: Progress | None = None,
    revision: int | None = None,
    changes_since: int | str | None = None,
) -> Path:
    """Write pack `pack_id` to `path` and return the path written: its working copy, or
    issued revision `revision` exactly as issued; `changes_since` adds an annex of what
    changed since that revision.

    The pack is read in one short session from `session_scope`; rendering, the long part,
    runs after it has closed, so no read transaction stays open while pages are laid out.
    """
    path = Path(path).expanduser().absolute()
    kind = format_for(path, fmt)
    check_target(path)
    with session_scope() as session:
        document, name, paper = pack_document(
            session, pack_id, revision=revision, author=author, company=company
        )
        if changes_since == LAST_MEETING:
            document = since_last_meeting(session, pack_id, document)
        elif isinstance(changes_since, int):
            old = revisions.issued(session, pack_id, changes_since)
            changes = compare(old.document, document, old.info.name, "this copy")
            pack = session.get(Pack, pack_id)
            assert pack is not None  # pack_document() has checked
            made = since_last_meeting_blocks(session, pack, load_scheme(session))
            document = with_annex(document, changes, revisions.changes_title(old.info), made)
    style = load_style(template or name, paper)
    write_atomically(path, lambda tmp: render(document, style, tmp, kind, progress))
    return path


def check_target(path: Path) -> None:
    """Refuse to write to `path` when it is a folder or its folder does not exist."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise InputError(f"{path.parent}: no such folder")


def pack_document(
    session: Session, pack_id: int, *, revision: int | None = None, author: str = "",
    company: str = "",
) -> tuple[Document, str, str]:
    """Return what a pack prints: its working copy assembled, or issued revision `revision`
    as issued; with the house style and paper size it prints in."""  # fmt: skip
    if revision is not None:
        held = revisions.issued(session, pack_id, revision)
        return held.document, held.template, held.paper_size
    check_whole(session, pack_id)
    document = assemble(session, pack_id, author=author, company=company)
    pack = session.get(Pack, pack_id)
    assert pack is not None  # assemble() has checked
    return document, pack.template, pack.paper_size


def load_style(name: str, paper: str) -> templates.Template:
    """Return house style `name` set to `paper` ("" for its own), or raise InputError."""
    try:
        style = templates.load(name)
    except templates.TemplateError as exc:
        raise InputError(str(exc)) from None
    return style.with_paper_size(paper) if paper and paper != style.page.size else style


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`.

    The result gets the permissions of the file it replaces, or the user's usual ones for
    a new file (not the owner-only mode of a typical temporary file), so colleagues on a
    shared folder can open it.
    """
    remove_stale_parts(path.parent)
    tmp = _new_temporary(path)
    try:
        write(tmp)
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({_why(exc)})") from None
    finally:
        tmp.unlink(missing_ok=True)


def _new_temporary(path: Path) -> Path:
    """Create an empty, hidden file beside `path` with the umask's permissions."""
    for _ in range(100):
        tag = f"{_host()}-{os.getpid()}.{secrets.token_hex(4)}"
        tmp = path.with_name(f".{path.stem}.{tag}{path.suffix}.part")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(f"{path.parent}: cannot write here ({_why(exc)})") from None
    raise InputError(f"{path.parent}: cannot create a temporary file")


def remove_stale_parts(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed exports left in `folder` (see the module's
    docstring for when one is stale); return them. Other files are never touched."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if _PART.match(p.name)]
    except OSError:
        return removed
    for part in candidates:
        found = _PART.match(part.name)
        try:
            age = now - part.stat().st_mtime
        except OSError:
            continue
        host, pid = (found.group("host"), found.group("pid")) if found else (None, None)
        ours_dead = pid is None or (host == _host() and not _running(int(pid)))
        stale = age > 24 * STALE_AFTER or (age > STALE_AFTER and ours_dead)
        if stale:
            try:
                part.unlink()
                removed.append(part)
            except OSError:
                pass
    return removed


def _host() -> str:
    """A short tag of this computer, so a pid is only judged where it was taken."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def _running(pid: int) -> bool:
    """Whether process `pid` runs here (True when that cannot be told safely, as on Windows,
    where os.kill would end it)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied or read-only"
    return exc.strerror or str(exc)
