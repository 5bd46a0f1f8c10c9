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

from briefing.changes import ELSEWHERE, Changes, ChangeSet
from briefing.duplicates import format_label, formats
from briefing.errors import BriefingError, InputError
from briefing.importer import ImportResult, store_parsed
from briefing.jobs import Progress, no_progress
from briefing.packs import PASSAGES_PER_TOPIC, PackPlan, PackSpec, create_pack, plan_pack
from briefing.tagging import (
    TopicChange,
    add_topic,
    edit_topic,
    find_topic,
    install_default_topics,
)
from db import Store, StoreError
from db.models import Pack, Passage, Source, SourceKind, Topic, item_topic, passage_topic
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
    formats: tuple[str, ...] = ()  # e.g. ("docx", "pdf"): the source's own file first

    def also_as(self) -> str:
        """Return e.g. "also imported as PDF, HTML" ("" for a source imported once)."""
        others = [format_label(f) for f in self.formats[1:]]
        return f"also imported as {', '.join(others)}" if others else ""


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
        self, paths: Sequence[Path], progress: Progress = no_progress, *, separate: bool = False
    ) -> list[ImportResult]:
        """Import files and folders; each file is stored whole or not at all.

        A document the library holds already in another format becomes a copy of that
        source, unless `separate` asks for a source of its own.
        """
        from briefing import ingest

        files = ingest.expand_paths(paths)
        results: list[ImportResult] = []
        for done, path in enumerate(files):
            progress(done, len(files), f"Importing {path.name}")
            results.append(self._import_one(path, partial(ingest.parse_file, path), separate))
        progress(len(files), len(files), "Import finished")
        return results

    def import_text(self, text: str, origin: str = "pasted text") -> ImportResult:
        from briefing import ingest

        return self._import_one(Path(origin), partial(ingest.parse_text, text, origin))

    def _import_one(
        self, path: Path, parse: Callable[[], ParsedSource], separate: bool = False
    ) -> ImportResult:
        def store(session: Session, changed: ChangeSet) -> ImportResult:
            result = store_parsed(session, parsed, separate=separate)
            if result.status != "already in library" and result.source_id is not None:
                changed.sources.add(result.source_id)
            return result

        try:
            parsed = parse()
            return self._write(store)
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
                .options(selectinload(Source.copies))
                .order_by(Source.date.desc().nulls_last(), Source.id)
            ).all()
            return [
                SourceInfo(
                    s.id, s.title, s.kind.value, s.date, s.place, s.issuer, n, formats(s)
                )
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
        passages_per_topic: int | None = PASSAGES_PER_TOPIC,
    ) -> int:
        """Create a pack on `topics` (names, keys or aliases) and return its id.

        Each topic's section holds its items and its most relevant passages, at most
        `passages_per_topic` (None: all); see `plan_pack` for what will go in.
        """

        def create(session: Session, changed: ChangeSet) -> int:
            found = [find_topic(session, name) for name in topics]
            spec = PackSpec(
                title, meeting, date, marking, found, place, template, paper_size,
                passages_per_topic,
            )  # fmt: skip
            pack_id = create_pack(session, spec).id
            changed.packs.add(pack_id)
            return pack_id

        return self._write(create)

    def plan_pack(
        self, topics: Sequence[str], passages_per_topic: int | None = PASSAGES_PER_TOPIC
    ) -> PackPlan:
        """Return what a new pack on `topics` would hold (counts per topic, estimated
        pages), without creating it."""
        with self.store.session() as session:
            found = [find_topic(session, name) for name in topics]
            spec = PackSpec("", "", None, "", found, passages_per_topic=passages_per_topic)
            return plan_pack(session, spec)

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
