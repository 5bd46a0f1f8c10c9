"""Copying a whole library from one store to another, SQLite and PostgreSQL either way.

Every table the models hold is copied row for row (ids, versions, who and when kept), in one
transaction on the destination, parents before children; the search indexes fill themselves
(FTS5 triggers, generated tsvector columns). Team members are the server's, not copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from db.models import Base, Item, Meeting, Pack, Person, Source
from db.store import Store, StoreError

BATCH = 5000  # rows read and written at a time
# a destination holding any of these is not empty: a copy would mix two libraries
CONTENT = (Source, Item, Pack, Meeting, Person)
# on PostgreSQL, the triggers that stamp the database user and clock (migration 0010) are off
# while copying, so the rows keep who changed them and when
STAMP_TRIGGER = "briefing_stamp"


@dataclass(frozen=True)
class Copied:
    """What a copy carried: rows per table."""

    rows: dict[str, int]

    def describe(self) -> str:
        """Return e.g. "1 sources, 16 passages, 6 items, 1 packs, 9 entries, 1 revisions"."""
        main = {"source": "sources", "passage": "passages", "item": "items", "pack": "packs",
                "entry": "entries", "pack_revision": "revisions"}
        return ", ".join(f"{self.rows.get(t, 0)} {label}" for t, label in main.items())


def check_whole_reader(store: Store) -> None:
    """Refuse a PostgreSQL library read by someone row-level security hides rows from."""
    with store.engine.connect() as conn:
        _refuse_partial_reader(conn, store)


def copy_store(source: Store, target: Store) -> Copied:
    """Copy everything in `source` into the empty library `target`; whole or not at all."""
    if source.url == target.url:
        raise StoreError("cannot copy a library onto itself")
    tables = Base.metadata.sorted_tables
    with source.engine.connect() as src:
        _refuse_partial_reader(src, source)
        with target.engine.begin() as dst:
            _refuse_non_empty(dst, target)
            for table in reversed(tables):  # what a new library holds: topics, the scheme
                dst.execute(table.delete())
            stamped = _stamped(dst, tables)
            for name in stamped:
                dst.execute(text(f"ALTER TABLE {name} DISABLE TRIGGER {STAMP_TRIGGER}"))
            rows = {table.name: _copy_table(src, dst, table) for table in tables}
            for name in stamped:
                dst.execute(text(f"ALTER TABLE {name} ENABLE TRIGGER {STAMP_TRIGGER}"))
            if dst.dialect.name == "postgresql":
                _advance_sequences(dst, tables)
    return Copied(rows)


def _refuse_partial_reader(conn: Connection, store: Store) -> None:
    """Refuse a PostgreSQL source read by someone row-level security hides rows from."""
    if conn.dialect.name != "postgresql":
        return
    hidden = conn.scalar(text(
        "SELECT count(*) FROM pg_class c WHERE c.relname = 'source' AND c.relrowsecurity"
        " AND NOT pg_has_role(current_user, c.relowner, 'MEMBER')"
        " AND NOT (SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user)"))
    if hidden:
        raise StoreError(f"{store.name}: only the library's owner can copy it whole")


def _refuse_non_empty(conn: Connection, store: Store) -> None:
    for model in CONTENT:
        if conn.scalar(select(func.count()).select_from(model)):
            raise StoreError(f"{store.name}: not empty (it holds {model.__tablename__} rows);"
                             " copy into a new library")  # fmt: skip


def _stamped(conn: Connection, tables: list[Table]) -> list[str]:
    if conn.dialect.name != "postgresql":
        return []
    names = conn.scalars(text("SELECT c.relname FROM pg_trigger t JOIN pg_class c"
                              " ON c.oid = t.tgrelid WHERE t.tgname = :name"),
                         {"name": STAMP_TRIGGER}).all()  # fmt: skip
    return [t.name for t in tables if t.name in names]


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    count = 0
    for batch in _batches(src, table):
        dst.execute(table.insert(), batch)
        count += len(batch)
    return count


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    for part in result.mappings().partitions(BATCH):
        yield [{k: _utc(v) for k, v in row.items()} for row in part]


def _utc(value: Any) -> Any:
    """Return a datetime as UTC (SQLite keeps them naive, in UTC); anything else as it is."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """Make PostgreSQL's id sequences continue after the ids copied in."""
    for table in tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"))
