"""Pre-flight: what to look at before a pack leaves the app (export, print, share).

Each check is a function registered with `@check`; it reads a `Context` (the pack as
stored, its assembled Document, the scheme, the level it will print) and returns findings.
A new check is a new function here; nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from briefing.assemble import PACK_CONTENTS, assemble, blocks_text
from briefing.document import BulletList, Document, Heading, ListItem, plain
from briefing.errors import InputError
from briefing.markings import Scheme, check_marking, exceeds, load_scheme
from briefing.sanitise import Shown, label, marked, origin_marking
from briefing.series import stale_sources
from db.models import Item, ItemStatus, Pack

Severity = Literal["blocks", "warns"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    where: str  # e.g. "section “Steel”, item 3", or "meeting"
    message: str
    hint: str
    origin: str = ""  # the entry it is about ("item:3"), for the app to go to

    def describe(self) -> str:
        return f"{self.severity:<6}  {self.code:<16}  {self.where}: {self.message} ({self.hint})"


@dataclass(frozen=True)
class Context:
    session: Session  # for checks that look beyond the pack (newer sources)
    pack: Pack  # loaded with its meeting, sections and entries
    document: Document
    scheme: Scheme
    level: str  # what the copy will print: the pack's marking, or the level shared at
    sharing: bool  # a copy at `level`: what is above it will be withheld, not printed


Check = Callable[[Context], list[Finding]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register `fn` as a pre-flight check."""
    CHECKS.append(fn)
    return fn


def run_checks(session: Session, pack_id: int, level: str | None = None) -> list[Finding]:
    """Return every finding of every check on pack `pack_id`, printed at `level` (default:
    the pack's own marking)."""
    pack = session.get(Pack, pack_id, options=PACK_CONTENTS)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    scheme = load_scheme(session)
    at = (pack.marking or scheme.default) if level is None else check_marking(scheme, level)
    if level is not None and not at:
        raise InputError(f"give a level to check at; {scheme.describe()}")
    context = Context(session, pack, assemble(session, pack_id), scheme, at, level is not None)
    return [finding for fn in CHECKS for finding in fn(context)]


def _items(pack: Pack) -> Iterator[tuple[str, Item]]:
    for section in pack.sections:
        for entry in section.entries:
            if entry.item is not None:
                yield section.title, entry.item


def _shown(doc: Document) -> Iterator[tuple[str, Shown]]:
    """Yield each block the Document shows (each objective on its own) with the section
    it is in."""
    section = ""
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            section = block.text
        if isinstance(block, BulletList) and block.origin is None:
            yield from ((section, i) for i in block.items)
        else:
            yield section, block


def _text(thing: Shown) -> str:
    if isinstance(thing, ListItem):
        return f"{plain(thing.runs)}\n{blocks_text(thing.children)}"
    return blocks_text([thing])


def _where(section: str, origin: str | None) -> str:
    entry = (origin or "").replace(":", " ")
    return ", ".join(x for x in (f"section “{section}”" if section else "", entry) if x)


@check
def draft_items(c: Context) -> list[Finding]:
    return [
        Finding(
            "draft",
            "blocks",
            _where(section, f"item:{item.id}"),
            f"“{item.title}” is still a draft",
            "clear it, or take it out",
            f"item:{item.id}",
        )
        for section, item in _items(c.pack)
        if item.status is ItemStatus.DRAFT
    ]


@check
def above_marking(c: Context) -> list[Finding]:
    found: dict[str, Finding] = {}
    sections = {id(b): s for s, b in _shown(c.document)}
    for thing in marked(c.document):
        origin, mark = origin_marking(thing)
        if origin in found or not exceeds(mark, c.level, c.scheme):
            continue
        section = sections.get(id(thing), "Annexes")
        if c.sharing:
            message = f"“{label(thing)}” is marked {mark}: it will be withheld from the copy"
            found[origin] = Finding(
                "withheld",
                "warns",
                _where(section, origin),
                message,
                "nothing to do, unless it must be shared",
                origin,
            )
        else:
            message = f"“{label(thing)}” is marked {mark}, above the printed {c.level or 'none'}"
            hint = "raise the pack's marking, or take it out, or share a copy at a level"
            found[origin] = Finding(
                "above-marking", "blocks", _where(section, origin), message, hint, origin
            )
    return list(found.values())


@check
def empty_sections(c: Context) -> list[Finding]:
    return [
        Finding(
            "empty-section",
            "warns",
            f"section “{s.title}”",
            "holds nothing",
            "add entries to it or remove it",
        )
        for s in c.pack.sections
        if not s.entries
    ]


@check
def meeting_details(c: Context) -> list[Finding]:
    meeting = c.pack.meeting
    missing = [
        ("no-date", "has no date", meeting is None or meeting.date is None),
        ("no-place", "has no place", meeting is None or not meeting.place.strip()),
        ("no-participants", "has no participants", meeting is None or not meeting.participants),
    ]
    return [
        Finding(code, "warns", "meeting", f"the meeting {what}", "set it in the pack's settings")
        for code, what, absent in missing
        if absent
    ]


PLACEHOLDER = re.compile(r"(?<!\w)(TBC|TBD|XX+)(?!\w)|\[\s?\]|\?\?\?")


@check
def placeholders(c: Context) -> list[Finding]:
    found: list[Finding] = []
    for section, block in _shown(c.document):
        origin = getattr(block, "origin", None) or ""
        if not origin.startswith(("item:", "section:")):
            continue  # the user's own text only: what a source says is quoted as it is
        for hit in dict.fromkeys(m.group(0) for m in PLACEHOLDER.finditer(_text(block))):
            found.append(
                Finding(
                    "placeholder",
                    "blocks",
                    _where(section, origin),
                    f"“{hit}” left in the text",
                    "fill it in before it goes out",
                    origin or "",
                )
            )
    return found


@check
def superseded_sources(c: Context) -> list[Finding]:
    """A quoted source that a newer one of its series and kind supersedes (the 8th HLED's
    statement supersedes the 7th's): the pack may quote what has since moved on."""
    return [
        Finding(
            "superseded-source",
            "warns",
            f"source {stale.old_id} “{stale.old_title}”",
            f"superseded by source {stale.new_id} “{stale.new_title}”"
            f" ({stale.entries} entr{'y' if stale.entries == 1 else 'ies'} quote it)",
            f"briefing pack refresh {stale.pack_id} --source {stale.old_id}",
            f"source:{stale.old_id}",
        )
        for stale in stale_sources(c.session, c.pack.id)
    ]
