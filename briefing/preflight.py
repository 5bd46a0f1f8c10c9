"""Pre-flight: what to look at before a pack leaves the app (export, print, share).

Each check is a function registered with `@check`; it reads a `Context` (the pack as
stored, its assembled Document, the scheme, the level it will print) and returns findings.
A new check is a new function here; nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.assemble import PACK_CONTENTS, assemble, blocks_text
from briefing.document import BulletList, Document, Heading, ListItem, plain
from briefing.errors import InputError
from briefing.markings import Scheme, check_marking, exceeds, highest, load_scheme
from briefing.sanitise import Shown, label, marked, origin_marking, pack_rollup
from briefing.series import stale_sources
from db.models import Item, ItemStatus, LostCitation, Override, Pack

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
    """A draft item, once however many sections hold it."""
    found: dict[int, Finding] = {}
    for section, item in _items(c.pack):
        if item.status is ItemStatus.DRAFT and item.id not in found:
            found[item.id] = Finding(
                "draft",
                "blocks",
                _where(section, f"item:{item.id}"),
                f"“{item.title or item.kind}” is still a draft",
                "clear it, or take it out",
                f"item:{item.id}",
            )
    return list(found.values())


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


def _drawable(c: Context) -> Callable[[str], bool]:
    """Return whether some font of the pack's house style can draw a character (the PDF
    renderer's coverage: the body font, then the heading and CJK fallbacks)."""
    import templates
    from briefing.render.fonts import chains

    try:
        body, _heading = chains(templates.load(c.pack.template))
    except templates.TemplateError:
        return lambda _char: True  # the export says what is wrong with the style
    return body.covers


def _undrawable(text: str, drawable: Callable[[str], bool]) -> list[str]:
    chars = dict.fromkeys(text)
    return [ch for ch in chars if not ch.isspace() and ch.isprintable() and not drawable(ch)]


@check
def undrawable_characters(c: Context) -> list[Finding]:
    """Characters no font of the house style has (an emoji, a rare script): the PDF would
    print them as boxes. One finding per entry, listing the characters as U+XXXX."""
    drawable = _drawable(c)
    cover = c.document.cover
    places: list[tuple[str, str, str]] = [
        ("cover", "", "\n".join((cover.title, cover.subtitle, cover.meeting, cover.place)))
    ]
    places += [
        (_where(section, getattr(block, "origin", None)), getattr(block, "origin", None) or "",
         _text(block))
        for section, block in _shown(c.document)
    ]  # fmt: skip
    found: dict[str, tuple[str, list[str]]] = {}
    for where, origin, text in places:
        missing = _undrawable(text, drawable)
        if missing:
            key = origin or where
            _, chars = found.setdefault(key, (where, []))
            chars += [ch for ch in missing if ch not in chars]
    return [
        Finding(
            "undrawable",
            "warns",
            where,
            "no font can draw " + ", ".join(f"U+{ord(ch):04X} “{ch}”" for ch in chars),
            "they would print as boxes: replace them, or pick a house style whose fonts have them",
            key if ":" in key else "",
        )
        for key, (where, chars) in found.items()
    ]


@check
def changed_sources(c: Context) -> list[Finding]:
    """An item citing a passage whose source has had a newer file imported (another copy, a
    different fingerprint of the same document) since the item was last edited: what it
    quotes may have changed."""
    found: list[Finding] = []
    for section, item in _items(c.pack):
        edited = _aware(item.updated_at)
        sources = {p.source.id: p.source for p in item.citations}
        for source in sources.values():
            newer = [copy for copy in source.copies if _aware(copy.imported_at) > edited]
            if newer:
                found.append(
                    Finding(
                        "source-changed",
                        "warns",
                        _where(section, f"item:{item.id}"),
                        f"“{item.title}” cites source {source.id} “{source.title}”, of which a"
                        f" newer file ({newer[-1].origin or newer[-1].format}) was imported"
                        " after the item was last edited",
                        "check the passage it quotes still says the same",
                        f"item:{item.id}",
                    )
                )
    return found


@check
def deleted_sources(c: Context) -> list[Finding]:
    """An item that cited a passage of a source deleted since (`LostCitation`, kept until
    the item is next saved): what it says may rest on a text no longer in the library."""
    items = {item.id: (section, item) for section, item in _items(c.pack)}
    lost = c.session.scalars(
        select(LostCitation)
        .where(LostCitation.item_id.in_(items))
        .order_by(LostCitation.item_id, LostCitation.id)
    )
    found: dict[tuple[int, int], Finding] = {}
    for row in lost:
        section, item = items[row.item_id]
        found.setdefault((item.id, row.source_id), Finding(
            "source-deleted",
            "warns",
            _where(section, f"item:{item.id}"),
            f"“{item.title}” cited source {row.source_id} “{row.source_title}”, deleted on"
            f" {_aware(row.lost_at).astimezone():%d %b %Y %H:%M}",
            "check the item still stands without it, then save it (or undo the deletion)",
            f"item:{item.id}",
        ))  # fmt: skip
    return list(found.values())


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


# what would leak in a copy's text or properties: a file path (a user's folder, a drive or a
# network share) in the pack's title or meeting, and markers of notes meant for the team only
# in the user's own text. Author and company come from the export's settings, not the store.
FILE_PATH = re.compile(r"(?:/home/|/Users/|/mnt/|/tmp/|\b[A-Za-z]:\\|\\\\\w)")
INTERNAL = re.compile(r"internal(?:\s+|-)note|\bNOT FOR\b|\bDO NOT (?:SHARE|CIRCULATE)\b", re.I)


@check
def leaking_metadata(c: Context) -> list[Finding]:
    found: list[Finding] = []
    meeting = c.pack.meeting
    fields = [("pack title", c.pack.title)]
    if meeting is not None:
        fields += [("meeting title", meeting.title), ("meeting place", meeting.place)]
    for what, text in fields:
        if FILE_PATH.search(text or ""):
            found.append(
                Finding(
                    "file-path",
                    "warns",
                    what,
                    f"“{text}” holds a file path; it goes into the copy's title and properties",
                    "rename it in the pack's settings",
                )
            )
    for section, item in _items(c.pack):
        hit = INTERNAL.search(f"{item.title}\n{item.body}")
        if hit:
            found.append(
                Finding(
                    "internal-note",
                    "warns",
                    _where(section, f"item:{item.id}"),
                    f"“{item.title}” holds “{hit.group(0)}”: a note not meant to leave the team",
                    "take the note out, or the item",
                    f"item:{item.id}",
                )
            )
    return found


@dataclass(frozen=True)
class OverrideRecord:
    """A time the pack left past findings that block (`override` rows)."""

    pack_id: int
    action: str
    level: str
    findings: tuple[str, ...]
    at: datetime
    by: str

    def describe(self) -> str:
        who = f" by {self.by}" if self.by else ""
        head = f"{_aware(self.at).astimezone():%Y-%m-%d %H:%M}  {self.action} at {self.level}{who}"
        return "\n".join([head, *(f"    {line}" for line in self.findings)])


def record_override(
    session: Session,
    pack_id: int,
    action: str,
    level: str | None,
    findings: list[Finding],
    by: str,
) -> None:
    """Record that pack `pack_id` was let out (`action`: export, print, share, copy) at
    `level` (None: its own marking) past the blocking `findings`."""
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    scheme = load_scheme(session)
    level = level or pack.marking or scheme.default
    passed = "\n".join(f.describe() for f in findings if f.severity == "blocks")
    content, _ = pack_rollup(session, pack_id)
    marking = highest((pack.marking, content), scheme)
    session.add(Override(pack_id=pack_id, action=action, level=level, findings=passed,
                         marking=marking, by=by))  # fmt: skip


def overrides(session: Session, pack_id: int) -> list[OverrideRecord]:
    """Return the pack's recorded overrides, oldest first."""
    if session.get(Pack, pack_id) is None:
        raise InputError(f"no pack {pack_id}")
    rows = session.scalars(
        select(Override).where(Override.pack_id == pack_id).order_by(Override.id)
    )
    return [
        OverrideRecord(r.pack_id, r.action, r.level, tuple(r.findings.splitlines()), r.at, r.by)
        for r in rows
    ]
