"""What a write changed, so that every view of the library can refresh itself from it.

Like Anki's `OpChanges`: each write of `Library` announces one `Changes` once it has
committed, and so does a change made elsewhere (another window, the CLI), noticed by
`Library.poll`. A view decides for itself whether a change concerns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Commitment,
    Entry,
    Item,
    MarkingCaveat,
    MarkingLevel,
    Meeting,
    Pack,
    PackRevision,
    Participant,
    Passage,
    Section,
    Source,
    SourceCopy,
    Topic,
)


@dataclass(frozen=True)
class Changes:
    """Ids of the rows a write changed (created, edited or deleted), by kind.

    `sources` covers sources and their passages, people and glossary; `packs` covers a
    pack's settings, meeting, sections and entries. `elsewhere` is a change made by
    another program or window: what it touched is unknown, so every view reloads.
    """

    sources: frozenset[int] = frozenset()
    items: frozenset[int] = frozenset()
    packs: frozenset[int] = frozenset()
    topics: bool = False
    markings: bool = False
    elsewhere: bool = False
    commitments: frozenset[int] = frozenset()  # edited in the ledger

    def __bool__(self) -> bool:
        return bool(
            self.sources or self.items or self.packs or self.topics or self.markings
            or self.commitments
        ) or self.elsewhere

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.sources | other.sources,
            self.items | other.items,
            self.packs | other.packs,
            self.topics or other.topics,
            self.markings or other.markings,
            self.elsewhere or other.elsewhere,
            self.commitments | other.commitments,
        )

    def touches_sources(self) -> bool:
        return bool(self.sources) or self.elsewhere

    def touches_items(self) -> bool:
        return bool(self.items) or self.topics or self.elsewhere

    def touches_item(self, item_id: int | None) -> bool:
        return item_id in self.items or self.elsewhere

    def touches_pack(self, pack_id: int | None) -> bool:
        # a new scheme can change how the pack's content marking rolls up
        return (
            pack_id in self.packs
            or self.elsewhere
            or bool(self.items)
            or bool(self.sources)
            or bool(self.commitments)
            or self.markings
        )

    def touches_commitments(self) -> bool:
        """Whether the ledger may show something else: a commitment edited, a source (and
        so its commitments) added or removed, topics retagged."""
        return bool(self.commitments) or bool(self.sources) or self.topics or self.elsewhere

    def touches_packs(self) -> bool:
        return bool(self.packs) or self.elsewhere


ELSEWHERE = Changes(elsewhere=True)


@dataclass
class ChangeSet:
    """Collects what one write changes, as it goes; `freeze` gives the `Changes`."""

    sources: set[int] = field(default_factory=set)
    items: set[int] = field(default_factory=set)
    packs: set[int] = field(default_factory=set)
    topics: bool = False
    markings: bool = False
    commitments: set[int] = field(default_factory=set)

    def freeze(self) -> Changes:
        return Changes(
            frozenset(self.sources),
            frozenset(self.items),
            frozenset(self.packs),
            self.topics,
            self.markings,
            commitments=frozenset(self.commitments),
        )


def note_flushed(changed: ChangeSet, session: Session) -> None:
    """Record in `changed` the rows a flush of `session` inserts, updates or deletes.

    Wired to the session's `after_flush` event by `Library._write`: ids are known by then,
    and the rows are still listed as new, dirty or deleted. Writes made with plain SQL
    (tagging's bulk links, cascades in the database) are recorded by the writer itself.
    """
    for row in (*session.new, *session.dirty, *session.deleted):
        match row:
            case Item(id=item_id):
                changed.items.add(item_id)
            case Pack(id=pack_id) | Section(pack_id=pack_id) | PackRevision(pack_id=pack_id):
                changed.packs.add(pack_id)
            case Entry(section=Section(pack_id=pack_id)):
                changed.packs.add(pack_id)
            case Meeting() | Participant():
                changed.packs.update(_packs_of_meeting(session, row))
            case Source(id=source_id) | Passage(source_id=source_id) | SourceCopy(
                source_id=source_id
            ):
                changed.sources.add(source_id)
            case Topic():
                changed.topics = True
            case MarkingLevel() | MarkingCaveat():
                changed.markings = True
            case Commitment(id=commitment_id):
                changed.commitments.add(commitment_id)


def _packs_of_meeting(session: Session, row: Meeting | Participant) -> set[int]:
    meeting_id = row.id if isinstance(row, Meeting) else row.meeting_id
    return set(session.scalars(select(Pack.id).where(Pack.meeting_id == meeting_id)))
