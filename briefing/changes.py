"""What a write changed, so that every view of the library can refresh itself from it.

Like Anki's `OpChanges`: each write of `Library` announces one `Changes` once it has
committed, and so does a change made elsewhere (another window, the CLI), noticed by
`Library.poll`. A view decides for itself whether a change concerns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def __bool__(self) -> bool:
        return bool(
            self.sources or self.items or self.packs or self.topics or self.markings
        ) or self.elsewhere

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.sources | other.sources,
            self.items | other.items,
            self.packs | other.packs,
            self.topics or other.topics,
            self.markings or other.markings,
            self.elsewhere or other.elsewhere,
        )

    def touches_sources(self) -> bool:
        return bool(self.sources) or self.elsewhere

    def touches_items(self) -> bool:
        return bool(self.items) or self.topics or self.elsewhere

    def touches_item(self, item_id: int | None) -> bool:
        return item_id in self.items or self.elsewhere

    def touches_pack(self, pack_id: int | None) -> bool:
        return pack_id in self.packs or self.elsewhere or bool(self.items) or bool(self.sources)

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

    def freeze(self) -> Changes:
        return Changes(
            frozenset(self.sources),
            frozenset(self.items),
            frozenset(self.packs),
            self.topics,
            self.markings,
        )
