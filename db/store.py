"""Opening a Briefing store: one object owns the database, like Anki's `Collection`.

`Store(target)` accepts a file path or an SQLAlchemy URL (SQLite, or a team library on
PostgreSQL: `postgresql://user@host/db`), refuses files that are not a Briefing store
(without touching them), applies Alembic migrations, and hands out sessions.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import logging
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db.postgres import Notifications, is_postgres, with_driver

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. A store already there opens without loading Alembic at all (a third
# of a second at start-up); tests check this names the head of db/migrations/versions.
SCHEMA_HEAD = "0014"
# every migration's revision; tests check it
REVISIONS = frozenset(
    {"0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
     "0012", "0013", "0014"}
)
# Every table a Briefing library has held at any revision (FTS5 shadow tables included), and
# the tables every revision holds: a database with others, or without these, is not ours.
TABLES = frozenset({
    "alembic_version", "commitment", "distribution", "distribution_log", "entry",
    "glossary_term", "item",
    "item_citation", "item_history", "lost_citation", "override",
    "item_topic", "marking_caveat", "marking_level", "meeting", "pack", "pack_revision",
    "participant",
    "passage", "passage_topic", "person", "person_source", "section", "source", "source_copy",
    "team_member", "topic",
    *(f"{fts}{shadow}" for fts in ("passage_fts", "item_fts", "source_fts")
      for shadow in ("", "_config", "_data", "_docsize", "_idx")),
})
CORE_TABLES = frozenset({"source", "passage", "topic", "item", "pack", "section", "entry"})
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The store cannot be opened or used; the message says which and why."""


class NoSuchFolder(StoreError):
    """A new store was asked for in a folder that does not exist (and may not be made)."""


def default_store_path() -> Path:
    """Return the store used when neither --db nor BRIEFING_DB names one."""
    return Path(user_data_dir("Briefing", appauthor=False)) / "library.sqlite"


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """Return an SQLAlchemy URL for a path, a URL, $BRIEFING_DB or the default store."""
    if target is None or str(target) == "":
        target = os.environ.get("BRIEFING_DB") or default_store_path()
    text = str(target)
    if "://" in text:
        try:
            url = make_url(text)
        except (ArgumentError, ValueError) as exc:
            raise StoreError(f"{text}: not a database URL ({exc})") from None
        return with_driver(url).render_as_string(hide_password=False) if is_postgres(url) else text
    return f"sqlite:///{Path(text).expanduser().absolute()}"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _note_user(dbapi_connection: Any, record: Any) -> None:
    """Note the database user a PostgreSQL connection writes as (`db.models.who`)."""
    record.info["user"] = dbapi_connection.info.user


def _read_only(uri: str) -> sqlite3.Connection:
    con = sqlite3.connect(uri, uri=True, check_same_thread=False)
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return con


def _create_library(path: Path) -> None:
    """Create a new library at `path` whole or not at all: its schema is built in a hidden
    file beside it (rollback journal, so no -wal file to carry along), closed, then linked
    into place, so a kill at any moment leaves a library that opens, or no file. (A library
    another program created at `path` meanwhile is kept, and ours dropped.)"""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    url = f"sqlite:///{tmp}"
    engine = create_engine(url)
    event.listen(engine, "connect", _set_creation_pragmas)
    try:
        _upgrade(engine, url)
        engine.dispose()
        try:
            os.link(tmp, path)  # never replaces a file that is there
        except FileExistsError:
            pass
        except OSError as exc:  # a file system without hard links
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if not path.exists():
                os.replace(tmp, path)
    except (OSError, SQLAlchemyError) as exc:
        raise StoreError(f"{path}: cannot create a library ({_creation_failure(exc)})") from None
    finally:
        engine.dispose()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _remove_abandoned(path: Path) -> None:
    """Remove what killed creations of `path` left beside it: their hidden files, untouched
    for a minute (a creation takes well under a second)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.\d+-[0-9a-f]{{8}}\.new(?:-journal)?")
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.new*"):
        with contextlib.suppress(OSError):
            if pattern.fullmatch(leftover.name) and time.time() - leftover.stat().st_mtime > 60:
                leftover.unlink()


def _creation_failure(exc: OSError | SQLAlchemyError) -> str:
    reason = write_failure(exc)
    if reason.startswith("cannot write: "):
        return reason.removeprefix("cannot write: ").replace("library", "folder")
    return reason.removeprefix("could not save (").removesuffix(")")


def _set_creation_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = DELETE")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _upgrade(engine: Engine, url: str) -> None:
    """Bring the store behind `engine` to the newest schema, in one transaction."""
    from alembic import command

    config = alembic_config(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


class Store:
    """An open Briefing store. Use as a context manager or call `close()`."""

    def __init__(
        self, target: str | os.PathLike[str] | None = None, *, make_folder: bool = True
    ) -> None:
        """Open the store at `target`, creating it if need be; its folder too if `make_folder`."""
        # Alembic reports every step at INFO; an app that logs at INFO needn't see that.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        self.url = resolve_target(target)
        url = make_url(self.url)
        is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        self.path: Path | None = Path(url.database) if is_file and url.database else None
        # A library file that cannot be written (or whose folder cannot take SQLite's
        # side files) opens for reading; writes are refused as "the library is read-only".
        self.read_only = False
        if self.path is not None:
            self._check_sqlite_file(self.path, make_folder)
            _remove_abandoned(self.path)
            if not self.path.exists():
                _create_library(self.path)
            self.read_only = not (os.access(self.path, os.W_OK)
                                  and os.access(self.path.parent, os.W_OK))  # fmt: skip
        current = self._check_schema()
        if self.read_only and current != SCHEMA_HEAD:
            raise StoreError(f"{self.name}: read-only, and made by an older Briefing: open it"
                             " once where it can be written, to upgrade it")  # fmt: skip
        self.engine: Engine = self._create_engine()
        self._notifications = (Notifications(self.engine)
                               if self.engine.dialect.name == "postgresql" else None)  # fmt: skip
        try:
            if current != SCHEMA_HEAD:
                self._migrate()
        except BaseException:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._watch: sqlite3.Connection | None = None
        self._data_version: int | None = None

    # -- opening ---------------------------------------------------------

    def _create_engine(self) -> Engine:
        if self.read_only and self.path is not None:
            uri = f"{self.path.as_uri()}?mode=ro"
            return create_engine("sqlite://", creator=lambda: _read_only(uri))
        if make_url(self.url).get_backend_name() == "postgresql":
            # a team server may restart or drop idle connections: test each before use
            engine = create_engine(self.url, pool_pre_ping=True)
            event.listen(engine, "connect", _note_user)
            return engine
        engine = create_engine(self.url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine

    @staticmethod
    def _check_sqlite_file(path: Path, make_folder: bool) -> None:
        """Refuse a file that is not an SQLite database, without writing to it."""
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a Briefing library file")
        if not path.exists():
            if not make_folder and not path.parent.is_dir():
                raise NoSuchFolder(f"{path.parent}: no such folder")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create folder ({exc.strerror})") from None
            if not os.access(path.parent, os.W_OK):
                raise StoreError(f"{path.parent}: cannot create a library: the folder is read-only")
            return
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{path}: not a Briefing library (not an SQLite database)")
        if head:
            try:
                con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
                try:
                    result = con.execute("PRAGMA quick_check").fetchone()
                finally:
                    con.close()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{path}: library file is damaged ({exc})") from None
            if result is None or result[0] != "ok":
                why = result[0] if result else "unreadable"
                raise StoreError(f"{path}: library file is damaged ({why})")

    def _check_schema(self) -> str | None:
        """Refuse databases that are not a Briefing library (tables or a schema revision not
        ours, or some of ours missing) or come from a newer Briefing; return the schema
        revision (None for a new store).

        Reads through a separate read-only engine, so a refused file is never written to.
        """
        if self.path is not None:
            if not self.path.exists():
                return None
            uri = f"{self.path.as_uri()}?mode=ro"
            probe = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        else:
            probe = create_engine(self.url)
        try:
            with probe.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                current = _revision(conn) if "alembic_version" in tables else None
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.name}: cannot open library ({store_reason(exc)})") from None
        finally:
            probe.dispose()
        tables = {t for t in tables if not t.startswith("sqlite_")}
        if tables and "alembic_version" not in tables:
            raise StoreError(f"{self.name}: not a Briefing library (it holds other tables)")
        if current in REVISIONS or (current is None and tables):
            if tables - TABLES or CORE_TABLES - tables:
                raise StoreError(f"{self.name}: not a Briefing library (its tables are not"
                                 " those of a Briefing library)")  # fmt: skip
        elif current is not None:
            if not (re.fullmatch(r"\d{4}", current) and current > SCHEMA_HEAD) or (
                CORE_TABLES - tables
            ):
                raise StoreError(f"{self.name}: not a Briefing library (unknown schema {current})")
            raise StoreError(
                f"{self.name}: made by a newer version of Briefing (schema {current});"
                " update Briefing to open it"
            )
        return current

    def _migrate(self) -> None:
        try:
            _upgrade(self.engine, self.url)
        except SQLAlchemyError as exc:
            reason = store_reason(exc)
            raise StoreError(f"{self.name}: cannot upgrade library ({reason})") from None

    @property
    def name(self) -> str:
        if self.path:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    # -- use ---------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session; commit if the block succeeds, roll back if it raises."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def changed_elsewhere(self) -> bool:
        """Return whether any other connection has committed to the store since the last call.

        SQLite's `PRAGMA data_version`, read on a connection kept for this alone, moves
        whenever another connection commits (this store's own sessions included, so a writer
        calls this after its own commits). PostgreSQL: the notifications of other programs'
        writes (`db.postgres.Notifications`).
        """
        if self._notifications is not None:
            return self._notifications.changed_elsewhere()
        if self.path is None:
            return False
        if self._watch is None:
            self._watch = sqlite3.connect(self.path, check_same_thread=False)
        try:
            version = self._watch.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        return changed

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return _revision(conn)

    def close(self) -> None:
        if self._notifications is not None:
            self._notifications.close()
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _revision(conn: Connection) -> str | None:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def store_reason(exc: SQLAlchemyError) -> str:
    """Return the database's own one-line reason for `exc`, without the SQL or parameters."""
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def write_failure(exc: SQLAlchemyError | OSError) -> str:
    """Return what a failed write means to the user: "cannot write: the disk is full",
    "cannot write: the library is read-only", else "could not save (<the reason>)"."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "cannot write: the disk is full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "cannot write: the library is read-only"
        return f"could not save ({exc.strerror or exc})"
    reason = store_reason(exc)
    if "disk is full" in reason:
        return "cannot write: the disk is full"
    if "readonly" in reason or "read-only" in reason:
        return "cannot write: the library is read-only"
    return f"could not save ({reason})"


def is_locked(exc: SQLAlchemyError) -> bool:
    """Return whether `exc` says another connection holds the lock."""
    return "locked" in store_reason(exc) or "busy" in store_reason(exc)
