"""The library pane's first screen read with the standard library's `sqlite3` alone.

The app shows a library's sources, topics, items, people and glossary from this before it
has imported SQLAlchemy (about three times a bare window's start-up by itself); the store
opened through `Store` then reads the same again. Read-only: a file that is missing, not a
library, or one this version cannot read gives None, and opening it the usual way reports
why.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

# id, title, kind, date ("YYYY-MM-DD" or None), place, issuer, passages, origin, marking
SourceRow = tuple[int, str, str, str | None, str, str, int, str, str]


class LibraryRows(NamedTuple):
    """The rows of each listing, in the order the pane shows them."""

    sources: list[SourceRow]
    copies: list[tuple[int, str]]  # source id, format; oldest first
    topics: list[tuple[int, str, str]]  # id, key, name
    passages_per_topic: dict[int, int]
    items_per_topic: dict[int, int]
    items: list[tuple[int, str, str, str, str]]  # id, kind, title, marking, status
    people: list[tuple[int, str, str, str, str]]  # id, name, role, organisation, side
    glossary: list[tuple[str, str]]  # term, expansion
    levels: list[str]  # the marking scheme's levels, lowest first
    caveats: list[str]


SOURCES = """
    SELECT s.id, s.title, s.kind, s.date, s.place, s.issuer, coalesce(n.n, 0), s.origin,
           s.marking
    FROM source AS s
    LEFT JOIN (SELECT source_id, count(*) AS n FROM passage GROUP BY source_id) AS n
        ON n.source_id = s.id
    ORDER BY s.date DESC NULLS LAST, s.id
"""


def library_file(target: str | None) -> Path | None:
    """Return the file a library target names (a path, an sqlite:/// URL, or $BRIEFING_DB
    for None) if it exists; None for anything else (the store then resolves it)."""
    text = target or os.environ.get("BRIEFING_DB") or ""
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    elif "://" in text:
        return None
    path = Path(text).expanduser() if text else None
    return path if path is not None and path.is_file() else None


def read_library_rows(path: Path) -> LibraryRows | None:
    """Return the listings of the library at `path`, or None if it cannot be read as one."""
    try:
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        rows = con.execute
        return LibraryRows(
            rows(SOURCES).fetchall(),
            rows("SELECT source_id, format FROM source_copy ORDER BY id").fetchall(),
            rows("SELECT id, key, name FROM topic ORDER BY position").fetchall(),
            dict(rows("SELECT topic_id, count(*) FROM passage_topic GROUP BY topic_id")),
            dict(rows("SELECT topic_id, count(*) FROM item_topic GROUP BY topic_id")),
            rows("SELECT id, kind, title, marking, status FROM item ORDER BY id").fetchall(),
            rows(
                "SELECT id, name, role, organisation, side FROM person"
                " ORDER BY side, family_name, name"
            ).fetchall(),
            rows("SELECT term, expansion FROM glossary_term ORDER BY term").fetchall(),
            [name for (name,) in rows("SELECT name FROM marking_level ORDER BY rank")],
            [name for (name,) in rows("SELECT name FROM marking_caveat ORDER BY name")],
        )
    except sqlite3.Error:
        return None
    finally:
        con.close()
