"""Protective markings: the scheme's order, and the checks made before a pack is exported.

A scheme is a sequence of markings from lowest to highest; "" (no marking) sits below all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from briefing.errors import InputError
from db.models import EntryKind, ItemStatus, Pack

NO_MARKING = ""
DEFAULT_SCHEME: tuple[str, ...] = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")


def normalise(marking: str) -> str:
    """Return `marking` as compared and printed: trimmed, single-spaced, upper case."""
    return " ".join(marking.split()).upper()


def rank(marking: str, scheme: Sequence[str] = DEFAULT_SCHEME) -> int:
    """Return the place of `marking` in `scheme` (-1 for no marking).

    A marking the scheme does not know ranks above every known one, so it is never
    treated as harmless.
    """
    wanted = normalise(marking)
    if not wanted:
        return -1
    levels = [normalise(m) for m in scheme]
    return levels.index(wanted) if wanted in levels else len(levels)


def exceeds(marking: str, limit: str, scheme: Sequence[str] = DEFAULT_SCHEME) -> bool:
    """Return whether `marking` is higher than `limit` in `scheme`.

    A marking the scheme does not know cannot be compared: if either is unknown, any other
    marking than `limit` counts as higher, so it is never waved through.
    """
    mine, theirs = rank(marking, scheme), rank(limit, scheme)
    unknown = len(scheme)  # where `rank` puts a marking it does not know
    if mine != -1 and unknown in (mine, theirs):
        return normalise(marking) != normalise(limit)
    return mine > theirs


@dataclass(frozen=True)
class ExportWarning:
    """Something in a pack the user should confirm before it leaves the app."""

    entry_title: str
    problem: str

    def describe(self) -> str:
        return f"{self.entry_title}: {self.problem}"


def export_warnings(
    session: Session, pack_id: int, scheme: Sequence[str] = DEFAULT_SCHEME
) -> list[ExportWarning]:
    """Return the pack's items and sources marked higher than the pack, and its draft items."""
    pack = session.get(Pack, pack_id)
    if pack is None:
        raise InputError(f"no pack {pack_id}")
    found: list[ExportWarning] = []
    seen: set[tuple[str, int]] = set()
    for entry in (e for section in pack.sections for e in section.entries):
        if entry.kind is EntryKind.ITEM and entry.item is not None:
            item = entry.item
            key, title, marking = ("item", item.id), item.title or item.kind.value, item.marking
            draft = item.status is ItemStatus.DRAFT
        else:
            source = entry.source or (entry.passage.source if entry.passage else None)
            if source is None:
                continue
            key, title, marking, draft = ("source", source.id), source.title, source.marking, False
        if key in seen:
            continue
        seen.add(key)
        if exceeds(marking, pack.marking, scheme):
            limit = pack.marking or "no marking"
            problem = f"marked {normalise(marking)}, higher than the pack ({limit})"
            found.append(ExportWarning(title, problem))
        if draft:
            found.append(ExportWarning(title, "still a draft (not cleared)"))
    return found
