"""The Library: one object that owns an open store and offers every operation the CLI and the
app need (import, list, search, create packs, export). Like Anki's `Collection`.

Each method runs in its own session and transaction; what it returns is plain data (or
detached rows whose needed attributes are loaded), safe to hand to another thread.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, selectinload

from briefing import browse, deletion, items, markings, outline
from briefing.browse import PersonInfo
from briefing.changes import ELSEWHERE, Changes, ChangeSet
from briefing.deletion import Deleted
from briefing.errors import BriefingError, InputError
from briefing.importer import ImportResult, store_parsed
from briefing.items import ItemData
from briefing.jobs import Progress, no_progress
from briefing.markings import ExportWarning, Scheme
from briefing.outline import PackOutline
from briefing.packs import PackSpec, copy_pack, create_pack
from briefing.participants import ParticipantInfo
from briefing.tagging import (
    TopicChange,
    add_topic,
    edit_topic,
    find_topic,
    install_default_topics,
)
from db import Store, StoreError
from db.models import (
    EntryKind,
    ItemKind,
    ItemStatus,
    Pack,
    Passage,
    Source,
    SourceKind,
    Topic,
    item_topic,
    passage_topic,
)
from db.search import Hit, SearchError, search
from db.store import is_locked, store_reason

if TYPE_CHECKING:
    from briefing.ingest import ParsedSource

T = TypeVar("T")
Listener = Callable[[Changes], None]
WRITE_ATTEMPTS = 3  # a write that meets a lock after the busy timeout is tried again

# The parsers (BeautifulSoup, pypdf, python-docx) and renderers (reportlab) are imported when
# first used, not when a library opens: the app and the CLI start faster without them.


@dataclass(frozen=True)
class SourceInfo:
    id: int
    title: str
    kind: str
    date: date | None
    place: str
    issuer: str
    passages: int


@dataclass(frozen=True)
class TopicInfo:
    id: int
    key: str
    name: str
    passages: int
    items: int


@dataclass(frozen=True)
class PackInfo:
    id: int
    title: str
    meeting: str
    date: date | None
    marking: str
    template: str
    sections: int


class Library:
    """An open Briefing library. Use as a context manager or call `close()`."""

    def __init__(self, target: str | os.PathLike[str] | None = None) -> None:
        self.store = Store(target)
        self._listeners: list[Listener] = []
        with self.store.session() as session:
            install_default_topics(session)
        self.store.changed_elsewhere()  # the baseline: what this library saw when it opened

    def close(self) -> None:
        self.store.close()

    # -- changes ----------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with the `Changes` of every write once it has committed (on the
        thread that wrote), and with `ELSEWHERE` when `poll` finds another program's."""
        self._listeners.append(listener)

    def _announce(self, changes: Changes) -> None:
        if changes:
            for listener in self._listeners:
                listener(changes)

    def poll(self) -> Changes:
        """Announce and return `ELSEWHERE` if another window or program has changed the
        library since this one last looked; else an empty `Changes`."""
        changes = ELSEWHERE if self.store.changed_elsewhere() else Changes()
        self._announce(changes)
        return changes

    def _write(self, fn: Callable[[Session, ChangeSet], T]) -> T:
        """Run `fn` in one transaction, announce what it changed, and return its result.

        A write that still meets a lock after the store's busy timeout is tried again, then
        reported as a `StoreError` that names no SQL.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            changed = ChangeSet()
            try:
                with self.store.session() as session:
                    result = fn(session, changed)
            except OperationalError as exc:
                if not is_locked(exc):
                    raise StoreError(f"could not save ({store_reason(exc)})") from None
                if attempt == WRITE_ATTEMPTS:
                    raise StoreError(
                        "could not save: the library is busy (another window or program is"
                        " writing to it); try again in a moment"
                    ) from None
                time.sleep(0.2 * attempt)
                continue
            self.store.changed_elsewhere()  # this write is not news from elsewhere
            self._announce(changed.freeze())
            return result
        raise AssertionError("unreachable")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- import -----------------------------------------------------------

    def import_paths(
        self, paths: Sequence[Path], progress: Progress = no_progress
    ) -> list[ImportResult]:
        """Import files and folders; each file is stored whole or not at all."""
        from briefing import ingest

        files = ingest.expand_paths(paths)
        results: list[ImportResult] = []
        for done, path in enumerate(files):
            progress(done, len(files), f"Importing {path.name}")
            results.append(self._import_one(path, partial(ingest.parse_file, path)))
        progress(len(files), len(files), "Import finished")
        return results

    def import_text(self, text: str, origin: str = "pasted text") -> ImportResult:
        from briefing import ingest

        return self._import_one(Path(origin), partial(ingest.parse_text, text, origin))

    def _import_one(self, path: Path, parse: Callable[[], ParsedSource]) -> ImportResult:
        try:
            parsed = parse()
            with self.store.session() as session:
                return store_parsed(session, parsed)
        except BriefingError as exc:
            return ImportResult(path=str(path), status="failed", reason=str(exc))

    # -- listings ---------------------------------------------------------

    def sources(self) -> list[SourceInfo]:
        with self.store.session() as session:
            counts = (
                select(Passage.source_id, func.count().label("n"))
                .group_by(Passage.source_id)
                .subquery()
            )
            rows = session.execute(
                select(Source, func.coalesce(counts.c.n, 0))
                .outerjoin(counts, counts.c.source_id == Source.id)
                .order_by(Source.date.desc().nulls_last(), Source.id)
            ).all()
            return [
                SourceInfo(s.id, s.title, s.kind.value, s.date, s.place, s.issuer, n)
                for s, n in rows
            ]

    def topics(self) -> list[TopicInfo]:
        with self.store.session() as session:
            return _topic_infos(session, session.scalars(select(Topic).order_by(Topic.position)))

    def packs(self) -> list[PackInfo]:
        with self.store.session() as session:
            query = select(Pack).options(selectinload(Pack.meeting), selectinload(Pack.sections))
            return [
                PackInfo(
                    p.id,
                    p.title,
                    p.meeting.title if p.meeting else "",
                    p.meeting.date if p.meeting else None,
                    p.marking,
                    p.template,
                    len(p.sections),
                )
                for p in session.scalars(query.order_by(Pack.id))
            ]

    # -- search -----------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        topic: str | None = None,
        source_id: int | None = None,
        kinds: Sequence[str] = (),
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """Return the best hits for `query` over passages, items and source titles.

        `topic` is a topic's name, key or alias; `kinds` are source kinds ("readout", …).
        """
        unknown = [k for k in kinds if k not in {kind.value for kind in SourceKind}]
        if unknown:
            known = ", ".join(kind.value for kind in SourceKind)
            raise InputError(f'no source kind "{unknown[0]}"; kinds are: {known}')
        with self.store.session() as session:
            topic_id = find_topic(session, topic).id if topic else None
            try:
                return search(
                    session, query, topic=topic_id, source_id=source_id, kinds=kinds,
                    date_from=date_from, date_to=date_to, limit=limit,
                )  # fmt: skip
            except SearchError as exc:
                raise InputError(str(exc)) from None

    # -- topics -----------------------------------------------------------

    def add_topic(
        self, key: str, name: str, match: Sequence[str], aliases: Sequence[str] = ()
    ) -> TopicInfo:
        with self.store.session() as session:
            topic = add_topic(session, key, name, match, aliases)
            return self._topic_info(session, topic)

    def edit_topic(self, query: str, change: TopicChange) -> TopicInfo:
        with self.store.session() as session:
            topic = edit_topic(session, find_topic(session, query), change)
            return self._topic_info(session, topic)

    def remove_topic(self, query: str) -> str:
        """Delete a topic (its tags go; sections keep their title); return its name."""
        with self.store.session() as session:
            topic = find_topic(session, query)
            session.delete(topic)
            return topic.name

    def topic_rules(self, query: str) -> tuple[TopicInfo, list[str], list[str]]:
        """Return a topic with its match rules and aliases."""
        with self.store.session() as session:
            topic = find_topic(session, query)
            return self._topic_info(session, topic), list(topic.rules["match"]), list(topic.aliases)

    @staticmethod
    def _topic_info(session: Session, topic: Topic) -> TopicInfo:
        return _topic_infos(session, [topic])[0]

    # -- packs ------------------------------------------------------------

    def new_pack(
        self,
        title: str,
        *,
        meeting: str,
        date: date | None,
        marking: str,
        topics: Sequence[str],
        place: str = "",
        template: str = "ministerial",
        paper_size: str = "",
        participants: Sequence[str] = (),
    ) -> int:
        """Create a pack on `topics` (names, keys or aliases) and return its id."""

        def write(session: Session, changed: ChangeSet) -> int:
            found = [find_topic(session, name) for name in topics]
            spec = PackSpec(
                title, meeting, date, marking, found, place, template, paper_size, participants
            )
            pack_id = create_pack(session, spec).id
            changed.packs.add(pack_id)
            return pack_id

        return self._write(write)

    def pack_outline(self, pack_id: int) -> PackOutline:
        """Return a pack's settings, meeting, participants and outline."""
        with self.store.session() as session:
            return outline.pack_outline(session, pack_id)

    def edit_pack(
        self,
        pack_id: int,
        *,
        title: str | None = None,
        meeting: str | None = None,
        date: date | None = None,
        place: str | None = None,
        participants: Sequence[str] | None = None,
        marking: str | None = None,
        template: str | None = None,
        paper_size: str | None = None,
    ) -> PackOutline:
        """Change what is given of a pack and its meeting (None leaves it); return the pack."""

        def write(session: Session, changed: ChangeSet) -> PackOutline:
            outline.update_pack(
                session, pack_id, title=title, marking=marking, template=template,
                paper_size=paper_size, meeting=meeting, date=date, place=place,
                participants=participants,
            )  # fmt: skip
            changed.packs.add(pack_id)
            return outline.pack_outline(session, pack_id)

        return self._write(write)

    def copy_pack(self, pack_id: int, title: str | None = None) -> int:
        """Copy a pack whole (meeting, participants, sections, entries); return the copy's id."""

        def write(session: Session, changed: ChangeSet) -> int:
            copy_id = copy_pack(session, pack_id, title).id
            changed.packs.add(copy_id)
            return copy_id

        return self._write(write)

    def delete_pack(self, pack_id: int) -> Deleted:
        return self._write(
            lambda session, changed: _record(changed, deletion.delete_pack(session, pack_id))
        )

    def add_to_pack(
        self, pack_id: int, section: str, kind: EntryKind, target_id: int
    ) -> tuple[outline.EntrySnapshot, bool]:
        """Add a passage, item or source to the pack's section titled `section` (made at the
        end if there is none); return the entry and whether the section was made."""

        def write(session: Session, changed: ChangeSet) -> tuple[outline.EntrySnapshot, bool]:
            added = outline.add_to_pack(session, pack_id, section, kind, target_id)
            changed.packs.add(pack_id)
            return added

        return self._write(write)

    def remove_from_pack(self, pack_id: int, entry_id: int) -> outline.EntryView:
        """Remove entry `entry_id` (as `pack_outline` shows it) from its pack; return it."""

        def write(session: Session, changed: ChangeSet) -> outline.EntryView:
            entry = outline.pack_outline(session, pack_id).entry(entry_id)
            if entry is None:
                raise InputError(f"pack {pack_id} has no entry {entry_id}")
            outline.remove_entry(session, entry_id)
            changed.packs.add(pack_id)
            return entry

        return self._write(write)

    def pack_participants(self, pack_id: int) -> list[ParticipantInfo]:
        return list(self.pack_outline(pack_id).participants)

    def set_participants(self, pack_id: int, names: Sequence[str]) -> list[ParticipantInfo]:
        """Replace the participants of a pack's meeting with `names`, matched to the people
        the library knows; return them."""
        return list(self.edit_pack(pack_id, participants=names).participants)

    def people(self) -> list[PersonInfo]:
        """Return the people the library knows (from its sources), by side and family name."""
        with self.store.session() as session:
            return browse.people(session)

    # -- items ------------------------------------------------------------

    def add_item(self, data: ItemData) -> int:
        """Store a new item and return its id; with no topics given, suggest them."""

        def write(session: Session, changed: ChangeSet) -> int:
            item_id = items.create_item(session, data)
            changed.items.add(item_id)
            return item_id

        return self._write(write)

    def edit_item(
        self,
        item_id: int,
        *,
        title: str | None = None,
        body: str | None = None,
        kind: ItemKind | None = None,
        marking: str | None = None,
        status: ItemStatus | None = None,
        topics: Sequence[str] | None = None,
    ) -> ItemData:
        """Change the given fields of an item (`topics`: names, keys or aliases); return it."""

        def write(session: Session, changed: ChangeSet) -> ItemData:
            topic_ids = None if topics is None else [find_topic(session, t).id for t in topics]
            data = items.edit_item(
                session, item_id, title=title, body=body, kind=kind, marking=marking,
                status=status, topic_ids=topic_ids,
            )  # fmt: skip
            changed.items.add(item_id)
            return data

        return self._write(write)

    def delete_item(self, item_id: int) -> Deleted:
        """Delete an item, taking it out of the packs that hold it."""
        return self._write(
            lambda session, changed: _record(changed, deletion.delete_item(session, item_id))
        )

    # -- sources ----------------------------------------------------------

    def source_use(self, source_id: int) -> str:
        """Say which packs quote a source and which items cite it ("" if none)."""
        with self.store.session() as session:
            return deletion.source_use(session, source_id).describe(session)

    def delete_source(self, source_id: int, *, force: bool = False) -> Deleted:
        """Delete a source and its passages; if packs or items use it, refuse unless `force`
        (then the entries quoting it and the items' citations of it go too)."""
        return self._write(
            lambda session, changed: _record(
                changed, deletion.delete_source(session, source_id, force)
            )
        )

    # -- markings ---------------------------------------------------------

    def marking_scheme(self) -> Scheme:
        with self.store.session() as session:
            return markings.load_scheme(session)

    def set_marking_scheme(
        self,
        levels: Sequence[str] | None = None,
        *,
        add_caveats: Sequence[str] = (),
        remove_caveats: Sequence[str] = (),
    ) -> Scheme:
        """Replace the scheme's levels (lowest first), add and remove caveats; refuses to drop
        a level or caveat a pack or item carries."""

        def write(session: Session, changed: ChangeSet) -> Scheme:
            scheme = markings.set_scheme(session, levels, add_caveats, remove_caveats)
            changed.markings = True
            return scheme

        return self._write(write)

    def export_warnings(self, pack_id: int) -> list[ExportWarning]:
        """Items and sources in the pack marked higher than it, and its draft items."""
        with self.store.session() as session:
            return markings.export_warnings(session, pack_id)

    def export(
        self,
        pack_id: int,
        path: Path,
        fmt: str | None = None,
        *,
        template: str | None = None,
        author: str = "",
        company: str = "",
        progress: Progress | None = None,
    ) -> Path:
        from briefing.export import export_pack

        return export_pack(
            self.store.session,
            pack_id,
            path,
            fmt,
            template=template,
            author=author,
            company=company,
            progress=progress,
        )


def _record(changed: ChangeSet, deleted: Deleted) -> Deleted:
    """Note in `changed` what a delete took away and changed."""
    {"pack": changed.packs, "item": changed.items, "source": changed.sources}[deleted.what].add(
        deleted.id
    )
    changed.packs |= deleted.packs
    changed.items |= deleted.items
    return deleted


def _topic_infos(session: Session, topics: Iterable[Topic]) -> list[TopicInfo]:
    """Return `topics` with how many passages and items each is tagged on."""
    topics = list(topics)
    ids = [t.id for t in topics]
    passages = _counts(session, passage_topic.c.topic_id, ids)
    items = _counts(session, item_topic.c.topic_id, ids)
    return [
        TopicInfo(t.id, t.key, t.name, passages.get(t.id, 0), items.get(t.id, 0)) for t in topics
    ]


def _counts(session: Session, column: ColumnElement[int], keys: list[int]) -> dict[int, int]:
    """Return how many rows hold each of `keys` in `column`."""
    query = select(column, func.count()).where(column.in_(keys)).group_by(column)
    return {key: count for key, count in session.execute(query)}
