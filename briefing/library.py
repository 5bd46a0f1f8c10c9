"""The Library: one object that owns an open store and offers every operation the CLI and the
app need (import, list, search, create packs, export). Like Anki's `Collection`.

Each method runs in its own session and transaction; what it returns is plain data (or
detached rows whose needed attributes are loaded), safe to hand to another thread.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from sqlalchemy import ColumnElement, event, func, select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from briefing import browse, deletion, markings, series
from briefing import items as item_ops
from briefing import outline as outline_ops
from briefing.browse import LibraryView, PassageInfo, PersonInfo
from briefing.changes import ELSEWHERE, Changes, ChangeSet, note_flushed
from briefing.commitments import ledger
from briefing.commitments.ledger import CommitmentInfo, read_unread
from briefing.deletion import Deleted
from briefing.duplicates import formats
from briefing.errors import BriefingError, InputError, InternalError, log_internal_error
from briefing.importer import ImportResult, store_parsed
from briefing.items import ItemData, ItemInfo, list_items
from briefing.jobs import Progress, no_progress
from briefing.markings import Scheme
from briefing.outline import EntrySnapshot, EntryView, PackOutline, SectionSnapshot
from briefing.packs import (
    PASSAGES_PER_TOPIC,
    PackPlan,
    PackSpec,
    copy_pack,
    create_pack,
    next_pack,
    plan_pack,
)
from briefing.participants import ParticipantInfo
from briefing.series import Refreshed, Stale
from briefing.tagging import (
    TopicChange,
    add_topic,
    edit_topic,
    find_topic,
    install_default_topics,
    retag_in_batches,
)
from briefing.views import SourceInfo as SourceInfo
from briefing.views import TopicInfo as TopicInfo
from db import Store, StoreError, team
from db.copy import Copied, check_whole_reader, copy_store
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
from db.search import MARK, Hit, SearchError, search
from db.store import is_locked, store_reason, write_failure

# The vocabulary the app shares with the core is re-exported: ui/ needs nothing from db/.
__all__ = ["EntryKind", "Hit", "ItemKind", "ItemStatus", "Library", "StoreError"]

if TYPE_CHECKING:
    from briefing.diff import Diff
    from briefing.distribute import Copy, Distributed
    from briefing.ingest import ParsedSource
    from briefing.ingest.workers import ParserPool
    from briefing.preflight import Finding, OverrideRecord
    from briefing.revisions import RevisionInfo
    from briefing.share import Shared

T = TypeVar("T")
log = logging.getLogger(__name__)
Listener = Callable[[Changes], None]
WRITE_ATTEMPTS = 2  # a write that meets a lock after the busy timeout is tried again

# The parsers (BeautifulSoup, pypdf, python-docx) and renderers (reportlab) are imported when
# first used, not when a library opens: the app and the CLI start faster without them.


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

    def __init__(
        self, target: str | os.PathLike[str] | None = None, *, make_folder: bool = True
    ) -> None:
        """Open the library at `target` (see `db.resolve_target`); with `make_folder` False, a
        library in a folder that does not exist is an error rather than a new folder."""
        self.store = Store(target, make_folder=make_folder)
        self._listeners: list[Listener] = []
        if not self.store.read_only:
            try:
                with self.store.session() as session:
                    install_default_topics(session)
            except IntegrityError:
                pass  # a teammate opening the new library at the same moment installed them
            read_unread(self.store.session)  # sources stored before the ledger existed
        self.store.changed_elsewhere()  # the baseline: what this library saw when it opened

    def close(self) -> None:
        self.store.close()

    def copy_to(self, target: str | os.PathLike[str]) -> Copied:
        """Copy this whole library into a new, empty one at `target` (either engine)."""
        check_whole_reader(self.store)  # before making a library at `target`
        with Store(target) as other:
            return copy_store(self.store, other)

    @property
    def location(self) -> str:
        """Where the library lives: its file, or its database URL (password hidden)."""
        return str(self.store.path) if self.store.path else self.store.name

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

    def _write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn` in one transaction, announce what it changed, and return its result.

        A write that still meets a lock after the store's busy timeout is tried again, then
        reported as a `StoreError` that names no SQL.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            changed = ChangeSet()
            try:
                with self.store.session() as session:
                    event.listen(session, "after_flush", partial(_flushed, changed))
                    result = fn(session)
            except OSError as exc:  # e.g. no space left for SQLite's temporary files
                raise StoreError(write_failure(exc)) from None
            except SQLAlchemyError as exc:
                if not is_locked(exc):
                    log.exception("a write to the library failed")
                    raise StoreError(write_failure(exc)) from None
                if attempt == WRITE_ATTEMPTS:
                    raise StoreError(
                        "could not save: the library is locked by another window or program"
                        "; try again in a moment"
                    ) from None
                time.sleep(0.2 * attempt)
                continue
            self.store.changed_elsewhere()  # this write is not news from elsewhere
            self._announce(changed.freeze())
            return result
        raise AssertionError("unreachable")

    def _read(self, fn: Callable[[Session], T]) -> T:
        """Run `fn` in one read-only use of a session and return its (plain) result; a store
        that cannot be reached (a team server gone) is a `StoreError` naming no SQL."""
        try:
            with self.store.session() as session:
                return fn(session)
        except OperationalError as exc:
            raise StoreError(f"could not read the library ({store_reason(exc)})") from None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- import -----------------------------------------------------------

    def import_paths(
        self, paths: Sequence[Path], progress: Progress = no_progress, *, separate: bool = False,
        parsers: ParserPool | None = None,
    ) -> list[ImportResult]:
        """Import files and folders; each file is stored whole or not at all, and each is
        reported whatever happens to the others: imported, already there, or failed (why).

        A document the library holds already in another format becomes a copy of that
        source, unless `separate` asks for a source of its own. When the store itself fails
        (a full disk, a read-only or locked library) the batch stops there: the files not
        tried are reported as not imported, with the reason.

        With `parsers`, files are parsed in its worker processes (within their time and
        memory limits), several at once; each is still stored here, one transaction each.
        """
        from briefing import ingest

        files = ingest.expand_paths(paths)
        named = set(map(Path, paths))
        results: list[ImportResult] = []
        stopped = ""
        wanted = [p for p in files if p in named or p.suffix.lower() in ingest.SUPPORTED]
        parsed = (
            parsers.parse_many(wanted) if parsers
            else ((p, partial(ingest.parse_file, p)) for p in wanted)
        )
        for done, path in enumerate(files):
            progress(done, len(files), f"Importing {path.name}")
            if path not in named and path.suffix.lower() not in ingest.SUPPORTED:
                results.append(ImportResult(str(path), "skipped"))  # found in a folder
                continue
            _, outcome = next(parsed)
            if stopped:
                results.append(ImportResult(str(path), "failed", reason=stopped))
                continue
            try:
                results.append(self._import_one(path, _parse_call(outcome), separate))
            except StoreError as exc:
                results.append(ImportResult(str(path), "failed", reason=str(exc)))
                stopped = f"not imported: the import stopped at {path.name} ({exc})"
        progress(len(files), len(files), "Import finished")
        return results

    def import_text(self, text: str, origin: str = "pasted text") -> ImportResult:
        from briefing import ingest

        return self._import_one(Path(origin), partial(ingest.parse_text, text, origin))

    def _import_one(
        self, path: Path, parse: Callable[[], ParsedSource], separate: bool = False
    ) -> ImportResult:
        """Parse and store one file. A parser's bug is this file's failure ("internal error",
        the traceback in the log file); a store that cannot be written raises `StoreError`."""

        def store(session: Session) -> ImportResult:
            return store_parsed(session, parsed, separate=separate)  # its rows announce it

        try:
            parsed = parse()
        except BriefingError as exc:
            return ImportResult(path=str(path), status="failed", reason=str(exc))
        except InternalError as exc:  # met in a parser's worker, which logged it
            return ImportResult(str(path), "failed", reason=str(exc), log=exc.log)
        except Exception:
            log = log_internal_error(f"reading {path}")
            return ImportResult(str(path), "failed", reason="could not read (internal error)",
                                log=str(log or ""))  # fmt: skip
        try:
            return self._write(store)
        except BriefingError as exc:
            return ImportResult(path=str(path), status="failed", reason=str(exc))
        except StoreError:
            raise
        except Exception:
            log = log_internal_error(f"storing {path}")
            return ImportResult(str(path), "failed", reason="could not store (internal error)",
                                log=str(log or ""))  # fmt: skip

    def load_demo(self) -> ImportResult:
        """Fill the library with the demo statement and items (idempotent)."""
        from briefing.demo import add_demo_items, sample_path

        with sample_path() as sample:
            [result] = self.import_paths([sample])
        if result.status != "failed":
            self._write(lambda session: add_demo_items(session))
        return result

    # -- listings ---------------------------------------------------------

    def sources(self) -> list[SourceInfo]:
        return self._read(_source_infos)

    def source(self, source_id: int) -> SourceInfo:
        """Return one source as `sources` lists it (InputError if there is none)."""
        found = self._read(lambda s: _source_infos(s, source_id))
        if not found:
            raise InputError(f"no source {source_id}")
        return found[0]

    def topics(self) -> list[TopicInfo]:
        return self._read(_all_topic_infos)

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
        topic_id: int | None = None,
        as_you_type: bool = False,
        mark: tuple[str, str] = MARK,
    ) -> list[Hit]:
        """Return the best hits for `query` over passages, items and source titles.

        `topic` is a topic's name, key or alias (or give its `topic_id`); `kinds` are source
        kinds ("readout", …); `as_you_type` treats the last word as a prefix. Snippets put
        `mark`'s two strings around each matched word ("[steel]" by default).
        """
        unknown = [k for k in kinds if k not in {kind.value for kind in SourceKind}]
        if unknown:
            known = ", ".join(kind.value for kind in SourceKind)
            raise InputError(f'no source kind "{unknown[0]}"; kinds are: {known}')
        with self.store.session() as session:
            if topic:
                topic_id = find_topic(session, topic).id
            try:
                return search(
                    session, query, topic=topic_id, source_id=source_id, kinds=kinds,
                    date_from=date_from, date_to=date_to, limit=limit, as_you_type=as_you_type,
                    mark=mark,
                )  # fmt: skip
            except SearchError as exc:
                raise InputError(str(exc)) from None

    # -- topics -----------------------------------------------------------

    def add_topic(
        self, key: str, name: str, match: Sequence[str], aliases: Sequence[str] = ()
    ) -> TopicInfo:
        """Add a topic and tag every passage that mentions it."""
        topic_id = self._write(lambda s: add_topic(s, key, name, match, aliases).id)
        return self._retagged(topic_id)

    def edit_topic(self, query: str, change: TopicChange) -> TopicInfo:
        """Change a topic's name, rules or aliases and retag the library with its rules."""
        topic_id = self._write(lambda s: edit_topic(s, find_topic(s, query), change).id)
        return self._retagged(topic_id)

    def _retagged(self, topic_id: int) -> TopicInfo:
        """Retag the library in short transactions (other writers never wait long), then
        return topic `topic_id` with its new counts."""
        retag_in_batches(self.store.session)
        self.store.changed_elsewhere()
        self._announce(Changes(topics=True))
        return self._read(lambda s: self._topic_info(s, s.get_one(Topic, topic_id)))

    def remove_topic(self, query: str) -> str:
        """Delete a topic (its tags go; sections keep their title); return its name."""

        def remove(session: Session) -> str:
            topic = find_topic(session, query)
            session.delete(topic)
            return topic.name

        return self._write(remove)

    def topic_rules(self, query: str) -> tuple[TopicInfo, list[str], list[str]]:
        """Return a topic with its match rules and aliases."""
        with self.store.session() as session:
            topic = find_topic(session, query)
            return self._topic_info(session, topic), list(topic.rules["match"]), list(topic.aliases)

    @staticmethod
    def _topic_info(session: Session, topic: Topic) -> TopicInfo:
        return _topic_infos(session, [topic])[0]

    # -- browsing ---------------------------------------------------------

    def library_view(self, topic_id: int | None = None) -> LibraryView:
        """Everything the app's library pane lists (only what is tagged `topic_id`, if given)."""

        def load(session: Session) -> LibraryView:
            shown = browse.sources_with_topic(session, topic_id) if topic_id else None
            return LibraryView(
                _source_infos(session), _all_topic_infos(session), list_items(session, topic_id),
                browse.people(session), browse.glossary(session), shown,
                markings.load_scheme(session),
            )  # fmt: skip

        return self._read(load)

    def passages(self, source_id: int, topic_id: int | None = None) -> list[PassageInfo]:
        return self._read(lambda s: browse.passages(s, source_id, topic_id))

    def passage(self, passage_id: int) -> PassageInfo | None:
        return self._read(lambda s: browse.passage(s, passage_id))

    def passages_by_id(self, ids: list[int]) -> list[PassageInfo]:
        return self._read(lambda s: browse.passages_by_id(s, ids))

    # -- items ------------------------------------------------------------

    def item(self, item_id: int) -> ItemData:
        return self._read(lambda s: item_ops.item_data(s, item_id))

    def items(self, topic: str | None = None) -> list[ItemInfo]:
        """Return the items (those on `topic`, a name, key or alias, if given)."""
        return self._read(
            lambda s: item_ops.list_items(s, find_topic(s, topic).id if topic else None)
        )

    def create_item(self, data: ItemData) -> int:
        """Store a new item and return its id (no topics given: those its text mentions)."""
        return self._write(lambda s: item_ops.create_item(s, data))

    def update_item(self, data: ItemData) -> ItemData:
        """Save `data` over item `data.id` and return it as stored; raises `Conflict` if the
        item was saved elsewhere since `data.version`."""
        return self._write(lambda s: item_ops.update_item(s, data))

    def keep_item_text(self, data: ItemData, reason: str) -> None:
        """Keep a text a conflict set aside in the item's history."""
        self._write(lambda s: item_ops.keep_text(s, data, reason))

    def item_history(self, item_id: int) -> list[item_ops.HistoryEntry]:
        return self._read(lambda s: item_ops.item_history(s, item_id))

    def delete_item(self, item_id: int) -> Deleted:
        """Delete an item and its entries in packs; `restore_item(deleted.item)` puts them
        back."""
        return self._write(lambda s: deletion.delete_item(s, item_id))

    def restore_item(self, deleted: item_ops.DeletedItem) -> int:
        return self._write(lambda s: item_ops.restore_item(s, deleted))

    def restore(self, deleted: Deleted) -> int:
        """Put back what `delete_item`, `delete_pack` or `delete_source` took away, with its
        ids (leaving out what has gone since); return its id."""
        return self._write(lambda s: deletion.restore(s, deleted))

    def restore_pack(self, deleted: Deleted) -> int:
        if deleted.pack is None:
            raise InputError(f"{deleted.what} {deleted.id} is not a deleted pack")
        return self.restore(deleted)

    def restore_source(self, deleted: Deleted) -> int:
        if deleted.source is None:
            raise InputError(f"{deleted.what} {deleted.id} is not a deleted source")
        return self.restore(deleted)

    # -- outline ----------------------------------------------------------

    # Each edit returns what its undo needs (snapshots of what went, where things were).

    def add_entries(
        self, section_id: int, refs: Sequence[tuple[EntryKind, int]], position: int | None = None
    ) -> list[EntrySnapshot]:
        """Add passages, items or whole sources to a section, in order, at `position`."""

        def add(session: Session) -> list[EntrySnapshot]:
            return [
                outline_ops.add_entry(
                    session, section_id, kind, target, None if position is None else position + i
                )
                for i, (kind, target) in enumerate(refs)
            ]

        return self._write(add)

    def restore_entries(self, snapshots: Sequence[EntrySnapshot]) -> None:
        """Put back entries `remove_entries` (or `add_entries`, for a redo) reported."""

        def restore(session: Session) -> None:
            for snapshot in snapshots:
                outline_ops.restore_entry(session, snapshot)

        self._write(restore)

    def remove_entries(self, entry_ids: Sequence[int]) -> list[EntrySnapshot]:
        return self._write(lambda s: [outline_ops.remove_entry(s, i) for i in entry_ids])

    def move_entries(
        self, entry_ids: Sequence[int], section_id: int, before_id: int | None = None
    ) -> list[EntrySnapshot]:
        """Move entries into a section before entry `before_id`; return where each was."""
        return self._write(
            lambda s: outline_ops.move_entries(s, entry_ids, section_id, before_id)
        )

    def move_entries_back(self, befores: Sequence[EntrySnapshot]) -> None:
        """Undo `move_entries`: put each entry back where it was."""

        def move_back(session: Session) -> None:
            for b in reversed(befores):
                outline_ops.move_entry(session, b.id, b.section_id, b.position)

        self._write(move_back)

    def add_section(self, pack_id: int, title: str, position: int | None = None) -> (
            SectionSnapshot):  # fmt: skip
        return self._write(lambda s: outline_ops.add_section(s, pack_id, title, position))

    def restore_section(self, snapshot: SectionSnapshot) -> None:
        self._write(lambda s: outline_ops.restore_section(s, snapshot))

    def remove_section(self, section_id: int) -> SectionSnapshot:
        return self._write(lambda s: outline_ops.remove_section(s, section_id))

    def rename_section(self, section_id: int, title: str) -> str:
        """Rename a section; return its old title."""
        return self._write(lambda s: outline_ops.rename_section(s, section_id, title))

    def move_section(self, section_id: int, position: int) -> int:
        """Move a section within its pack; return its old position."""
        return self._write(lambda s: outline_ops.move_section(s, section_id, position))

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
        participants: Sequence[str] = (),
    ) -> int:
        """Create a pack on `topics` (names, keys or aliases) and return its id.

        Each topic's section holds its items and its most relevant passages, at most
        `passages_per_topic` (None: all); see `plan_pack` for what will go in.
        """

        def create(session: Session) -> int:
            found = [find_topic(session, name) for name in topics]
            spec = PackSpec(
                title, meeting, date, marking, found, place, template, paper_size,
                passages_per_topic, participants,
            )  # fmt: skip
            return create_pack(session, spec).id

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

    def pack_outline(self, pack_id: int, *, content: bool = True) -> PackOutline:
        """Return a pack's settings, meeting, participants and outline, and what its content
        is marked when that is above the pack's marking (and which entries raise it); not
        `content`: without that roll-up, which assembles the whole pack (the app shows the
        outline first, then asks `pack_marking_rollup`)."""
        from dataclasses import replace

        from briefing.sanitise import pack_rollup

        def read(session: Session) -> PackOutline:
            outline = outline_ops.pack_outline(session, pack_id)
            if not content:
                return outline
            marked, raised = pack_rollup(session, pack_id)
            if not raised:
                return outline
            return replace(outline, content_marking=marked, raised_by=tuple(raised))

        return self._read(read)

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
        clear_date: bool = False,
        expected_version: int | None = None,
        series: str | None = None,
        counterpart: str | None = None,
    ) -> PackOutline:
        """Change what is given of a pack and its meeting (None leaves it; `clear_date` takes
        the date away; `series` names the meeting's series, "" infers it from the meeting's
        title; `counterpart` whom it is with, "" inferred, "none" no one); return the pack.
        Raises `Conflict` if `expected_version` is given and the pack was changed since that
        version was read."""

        def write(session: Session) -> PackOutline:
            outline_ops.update_pack(
                session, pack_id, title=title, marking=marking, template=template,
                paper_size=paper_size, meeting=meeting, date=date, place=place,
                participants=participants, clear_date=clear_date,
                expected_version=expected_version, series=series, counterpart=counterpart,
            )  # fmt: skip
            return outline_ops.pack_outline(session, pack_id)

        return self._write(write)

    def copy_pack(self, pack_id: int, title: str | None = None) -> int:
        """Copy a pack whole (meeting, participants, sections, entries); return the copy's id."""

        return self._write(lambda session: copy_pack(session, pack_id, title).id)

    def next_pack(
        self,
        pack_id: int,
        *,
        meeting: str,
        date: date,
        place: str | None = None,
        title: str | None = None,
    ) -> int:
        """Create the pack for the next meeting of pack `pack_id`'s series (same sections and
        entries, its quoted passages marked carried, for review); return its id."""
        return self._write(
            lambda session: next_pack(session, pack_id, meeting, date, place, title).id
        )

    def stale_sources(self, pack_id: int) -> list[Stale]:
        """Return the sources pack `pack_id` quotes that a newer source of the same series
        and kind supersedes."""

        def find(session: Session) -> list[Stale]:
            outline_ops.pack_outline(session, pack_id)  # an unknown pack is an error
            return series.stale_sources(session, pack_id)

        return self._read(find)

    def refresh_source(self, pack_id: int, source_id: int) -> Refreshed:
        """Point pack `pack_id`'s quotations of source `source_id` at the matching passages
        (same normalised text) of the newest source superseding it; return what was swapped
        and what was not."""

        def write(session: Session) -> Refreshed:
            outline_ops.pack_outline(session, pack_id)  # an unknown pack is an error
            old = session.get(Source, source_id)
            if old is None:
                raise InputError(f"no source {source_id}")
            new = series.newest_of_series(session, old)
            if new is None:
                raise InputError(f"source {source_id} “{old.title}” is not superseded by a newer "
                                 "source of its series and kind")  # fmt: skip
            done = series.refresh(session, pack_id, source_id, new)
            if not done.swapped and not done.unmatched:
                raise InputError(f"pack {pack_id} quotes no passage of source {source_id}")
            return done

        return self._write(write)

    def delete_pack(self, pack_id: int) -> Deleted:
        """Delete a pack with its sections, entries and meeting; `restore(deleted)` puts them
        back."""
        return self._write(lambda session: deletion.delete_pack(session, pack_id))

    def add_to_pack(
        self, pack_id: int, section: str, kind: EntryKind, target_id: int
    ) -> tuple[EntrySnapshot, bool]:
        """Add a passage, item or source to the pack's section titled `section` (made at the
        end if there is none); return the entry and whether the section was made."""

        return self._write(
            lambda session: outline_ops.add_to_pack(
                session, pack_id, section, kind, target_id
            )
        )

    def remove_from_pack(self, pack_id: int, entry_id: int) -> EntryView:
        """Remove entry `entry_id` (as `pack_outline` shows it) from its pack; return it."""

        def write(session: Session) -> EntryView:
            entry = outline_ops.pack_outline(session, pack_id).entry(entry_id)
            if entry is None:
                raise InputError(f"pack {pack_id} has no entry {entry_id}")
            outline_ops.remove_entry(session, entry_id)
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
        return self._read(browse.people)

    # -- items (editing from the command line) ----------------------------

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

        def write(session: Session) -> ItemData:
            topic_ids = None if topics is None else [find_topic(session, t).id for t in topics]
            return item_ops.edit_item(
                session, item_id, title=title, body=body, kind=kind, marking=marking,
                status=status, topic_ids=topic_ids,
            )  # fmt: skip

        return self._write(write)

    # -- sources ----------------------------------------------------------

    def source_use(self, source_id: int) -> str:
        """Say which packs quote a source and which items cite it ("" if none)."""
        return self._read(lambda s: deletion.source_use(s, source_id).describe(s))

    def delete_source(self, source_id: int, *, force: bool = False) -> Deleted:
        """Delete a source and its passages; if packs or items use it, refuse unless `force`
        (then the entries quoting it and the items' citations of it go too); `restore(deleted)`
        puts it all back."""
        return self._write(
            lambda session: deletion.delete_source(session, source_id, force)
        )

    def edit_source(self, source_id: int, *, marking: str) -> str:
        """Set a source's marking (checked against the scheme; "" for none, when it takes the
        scheme's default); return it as stored."""

        def write(session: Session) -> str:
            source = session.get(Source, source_id)
            if source is None:
                raise InputError(f"no source {source_id}")
            source.marking = markings.checked_marking(session, marking, source.marking)
            return source.marking

        return self._write(write)

    # -- commitments ------------------------------------------------------

    def commitments(
        self,
        *,
        counterpart: str | None = None,
        topic: str | None = None,
        status: str | None = None,
        topic_id: int | None = None,
    ) -> list[CommitmentInfo]:
        """Return the ledger: the commitments the sources record (those concerning
        `counterpart`, on `topic` — a name, key or alias — or `topic_id`, of `status`:
        open, overdue, done or dropped), soonest due first."""

        def read(session: Session) -> list[CommitmentInfo]:
            wanted = find_topic(session, topic).id if topic else topic_id
            return ledger.list_commitments(
                session, counterpart=counterpart, topic_id=wanted, status=status
            )

        return self._read(read)

    def edit_commitment(
        self,
        commitment_id: int,
        *,
        status: str | None = None,
        owner: str | None = None,
        note: str | None = None,
        due: date | None = None,
        version: int | None = None,
    ) -> CommitmentInfo:
        """Change a commitment's status, owner or date, add a note; return it. With
        `version`, a commitment saved elsewhere since then raises `Conflict`."""
        return self._write(
            lambda session: ledger.edit_commitment(
                session, commitment_id, status=status, owner=owner, note=note, due=due,
                version=version,
            )
        )  # fmt: skip

    def counterparts(self) -> list[str]:
        """Return the parties the library's sources are between, for choosing whom a
        meeting is with."""
        return self._read(ledger.counterparts)

    # -- markings ---------------------------------------------------------

    def pack_marking_rollup(self, pack_id: int) -> tuple[str, list[tuple[str, str]]]:
        """Return the highest marking of what the pack shows (caveats combined) and the
        entries (origin, marking) marked above the pack's own marking."""
        from briefing.sanitise import pack_rollup

        return self._read(lambda s: pack_rollup(s, pack_id))

    def check(self, pack_id: int, level: str | None = None) -> list[Finding]:
        """Return the pre-flight findings on the pack, printed at `level` (default: its own
        marking; another level checks a copy shared at it)."""
        from briefing.preflight import run_checks

        return self._read(lambda s: run_checks(s, pack_id, level))

    def record_override(
        self,
        pack_id: int,
        action: str,
        level: str | None,
        findings: list[Finding],
        by: str = "",
    ) -> None:
        """Record that the pack left (`action`: export, print, share, copy) at `level`
        (None: its own marking) past the findings that block, by `by`."""
        from briefing.preflight import record_override

        self._write(lambda s: record_override(s, pack_id, action, level, findings, by))

    def overrides(self, pack_id: int) -> list[OverrideRecord]:
        """Return the times the pack left past findings that block, oldest first."""
        from briefing.preflight import overrides

        return self._read(lambda s: overrides(s, pack_id))

    def share(
        self,
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
        """Write a copy of the pack holding only what is marked at or below `level`, and a
        redaction log beside it (or at `log`) naming what was left out, by `by`."""
        from briefing.share import share_pack

        return share_pack(
            self.store.session, pack_id, level, path, fmt, log=log, by=by, author=author,
            company=company, progress=progress,
        )  # fmt: skip

    # -- distribution -----------------------------------------------------

    def distribute(
        self,
        pack_id: int,
        folder: Path,
        names: Sequence[str] | None = None,
        fmt: str | None = "pdf",
        *,
        level: str | None = None,
        revision: int | None = None,
        by: str = "",
        author: str = "",
        company: str = "",
    ) -> list[Copy]:
        """Write one copy of the pack per name (default: its distribution list) into `folder`,
        each stamped "Copy k of N — Name", at `level` if given; log them, and keep the names
        as the pack's distribution list. A failure leaves no copy and no log line."""
        from briefing import distribute

        if names is None:
            names = self._read(lambda s: distribute.distribution_list(s, pack_id))
            if not names:
                raise InputError(f"pack {pack_id} has no distribution list; name the recipients")
        copies, at = distribute.make_copies(
            self.store.session, pack_id, names, folder, fmt, level=level, revision=revision,
            author=author, company=company,
        )  # fmt: skip
        kind = copies[0].path.suffix.lstrip(".")
        try:
            self._write(
                lambda session: distribute.record(
                    session, pack_id, copies, revision=revision, level=at, fmt=kind, by=by
                )
            )
        except BaseException:
            for copy in copies:
                copy.path.unlink(missing_ok=True)
            raise
        return copies

    def distribution(self, pack_id: int) -> list[Distributed]:
        """Return the log of the named copies made of the pack, oldest first."""
        from briefing import distribute

        return self._read(lambda s: distribute.log(s, pack_id))

    def distribution_list(self, pack_id: int) -> list[str]:
        from briefing import distribute

        return self._read(lambda s: distribute.distribution_list(s, pack_id))

    def set_distribution_list(self, pack_id: int, names: Sequence[str]) -> list[str]:
        from briefing import distribute

        return self._write(lambda s: distribute.set_list(s, pack_id, names))

    # -- team (a library on PostgreSQL) --------------------------------------

    def team_users(self) -> list[team.Member]:
        """Return the library's owner, then its users with their clearances."""
        return self._read(team.members)

    def add_team_user(self, name: str, clearance: str, password: str | None = None) -> str:
        """Make `name` a user of this team library cleared to `clearance` (a level of the
        scheme) and return that level; only the owner may. `password`: their login's."""
        name = _role_name(name)

        def add(session: Session) -> str:
            level = _clearance(session, clearance)
            team.add_member(session, name, level, password)
            return level

        return self._write(add)

    def set_clearance(self, name: str, clearance: str) -> str:
        """Change user `name`'s clearance and return it; only the owner may."""

        def change(session: Session) -> str:
            level = _clearance(session, clearance)
            team.set_clearance(session, name, level)
            return level

        return self._write(change)

    def marking_scheme(self) -> Scheme:
        return self._read(markings.load_scheme)

    def set_marking_scheme(
        self,
        levels: Sequence[str] | None = None,
        *,
        add_caveats: Sequence[str] = (),
        remove_caveats: Sequence[str] = (),
    ) -> Scheme:
        """Replace the scheme's levels (lowest first), add and remove caveats; refuses to drop
        a level or caveat a pack or item carries."""

        return self._write(
            lambda session: markings.set_scheme(
                session, levels, add_caveats, remove_caveats
            )
        )

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
        revision: int | None = None,
        changes_since: int | str | None = None,
    ) -> Path:
        """Export the pack's working copy, or its issued `revision` exactly as issued;
        `changes_since` adds an annex of the changes since that revision (or, given
        "last-meeting", since the last revision of the previous meeting's pack in its series,
        with what is new in the library on its topics since that meeting)."""
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
            revision=revision,
            changes_since=changes_since,
        )

    # -- revisions (imported on first use: assembly and diffing, not needed to open) -----

    def issue_revision(self, pack_id: int) -> int | None:
        """Freeze the pack as its next revision and return its number; None (and nothing
        stored) if it shows the same as its last revision."""
        from briefing import revisions as revision_ops

        return self._write(lambda session: revision_ops.issue(session, pack_id))

    def revisions(self, pack_id: int) -> list[RevisionInfo]:
        """Return the pack's issued revisions, oldest first."""
        from briefing import revisions as revision_ops

        return self._read(lambda session: revision_ops.revisions(session, pack_id))

    def diff(self, pack_id: int, old: int | None = None, new: int | None = None) -> Diff:
        """Return what changed from revision `old` (default: the last) to revision `new`
        (default: the working copy)."""
        from briefing import revisions as revision_ops

        return self._read(lambda session: revision_ops.diff(session, pack_id, old, new))


def _role_name(name: str) -> str:
    name = name.strip()
    if not name or len(name.encode()) > 63 or not name.isprintable():
        raise InputError(f'"{name}" cannot be a user name (1 to 63 printable characters)')
    return name


def _clearance(session: Session, text: str) -> str:
    """Return `text` as a level of the library's scheme, or raise InputError naming them."""
    scheme = markings.load_scheme(session)
    level = markings.normalise(text)
    if level not in scheme.levels:
        raise InputError(f'unknown clearance "{text.strip()}"; levels are: '
                         f"{', '.join(scheme.levels)}")  # fmt: skip
    return level


def _parse_call(outcome: Callable[[], ParsedSource] | object) -> Callable[[], ParsedSource]:
    """Return a call giving `outcome`: a parse to run here, a worker's source, or its error."""
    if callable(outcome):
        return outcome

    def given() -> ParsedSource:
        if isinstance(outcome, BaseException):
            raise outcome
        return cast("ParsedSource", outcome)

    return given


def _flushed(changed: ChangeSet, session: Session, _context: object) -> None:
    note_flushed(changed, session)


def _source_infos(session: Session, source_id: int | None = None) -> list[SourceInfo]:
    """Return every source (or only `source_id`), newest first, with how many passages it
    holds."""
    counts = select(Passage.source_id, func.count().label("n")).group_by(Passage.source_id)
    query = select(Source).options(selectinload(Source.copies))
    if source_id is not None:
        counts = counts.where(Passage.source_id == source_id)
        query = query.where(Source.id == source_id)
    n = counts.subquery()
    rows = session.execute(
        query.add_columns(func.coalesce(n.c.n, 0))
        .outerjoin(n, n.c.source_id == Source.id)
        .order_by(Source.date.desc().nulls_last(), Source.id)
    ).all()
    return [
        SourceInfo(
            s.id,
            s.title,
            s.kind.value,
            s.date,
            s.place,
            s.issuer,
            n,
            formats(s),
            s.marking,
        )
        for s, n in rows
    ]


def _all_topic_infos(session: Session) -> list[TopicInfo]:
    return _topic_infos(session, session.scalars(select(Topic).order_by(Topic.position)))


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
