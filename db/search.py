"""Full-text search over passages, items and source titles (FTS5, migration 0003).

What a user types is turned into a safe FTS5 query (`parse_query`): words, "phrases",
trailing-* prefixes, AND/OR/NOT and -word are kept, everything else is quoted, so no query
raises a syntax error. Accents and case are folded ("sefcovic" finds ŠEFČOVIČ).

Speed: ranking every match with bm25 is what makes a plain FTS5 query slow for common words
and short prefixes (tens of thousands of matches). So passages are ranked by bm25 among the
newest `RANK_WINDOW` matches, fetched cheaply in rowid order from the index; a rarer query
has fewer matches and is ranked whole. Snippets are made in Python for the rows shown only.
"""

from __future__ import annotations

import heapq
import itertools
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from db.text import fold

RANK_WINDOW = 200  # matches ranked by bm25, newest first, when a query matches more
MIN_PREFIX = 2  # shorter prefixes ("a*") would scan the whole index; they are left out
MAX_QUERY = 1000  # characters of a query that are used
SNIPPET_WORDS = 24
MARK = ("[", "]")
KINDS = ("passage", "item", "source")

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"(?P<star>\*)?|(?P<word>[^\s"]+)')
_WORD = re.compile(r"[^\W_]+")
_OPERATORS = frozenset(["AND", "OR", "NOT"])
_SNIPPET_SCAN = 20_000  # characters of a passage searched for the words to highlight


class SearchError(ValueError):
    """A query that cannot be searched even after quoting; the message says which."""


@dataclass(frozen=True)
class Hit:
    """One search result; `source_title` is an item's own title for items, `seq` the
    paragraph number for passages. `snippet` marks matched words with MARK (or `mark`)."""

    kind: str  # "passage", "item" or "source"
    id: int
    source_id: int | None
    source_title: str
    seq: int | None
    snippet: str
    score: float  # higher is better


@dataclass(frozen=True)
class Query:
    """A user's query made safe: the FTS5 expression and the words it highlights."""

    fts: str
    words: frozenset[str]
    prefixes: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Return what matches the highlighted words in folded text (None if there are none)."""
        words = [re.escape(w) + r"(?![^\W_])" for w in sorted(self.words, key=len, reverse=True)]
        prefixes = [re.escape(p) + r"[^\W_]*" for p in self.prefixes]
        return re.compile(r"(?<![^\W_])(?:" + "|".join(words + prefixes) + ")") if (
            words or prefixes) else None


def parse_query(text: str, *, as_you_type: bool = False) -> Query | None:
    """Return `text` as a safe FTS5 query, or None if it holds nothing to search for.

    With `as_you_type`, a last word not followed by a space is taken as a prefix."""
    text = text[:MAX_QUERY]
    parts: list[str] = []
    words: set[str] = set()
    prefixes: list[str] = []
    pending = ""  # an operator waiting for its right-hand term
    matches = list(_TOKEN.finditer(text))
    for i, match in enumerate(matches):
        raw = match.group("word")
        if raw in _OPERATORS:
            pending = raw
            continue
        negated = bool(raw and raw.startswith("-") and len(raw) > 1)
        if match.group("phrase") is not None:
            body, star = match.group("phrase"), bool(match.group("star"))
        else:
            body = raw.lstrip("-").rstrip("*").replace("*", " ")
            star = raw.endswith("*") or (
                as_you_type and i == len(matches) - 1 and not text[match.end():]
            )
        tokens = _WORD.findall(fold(body))
        if not tokens or (star and len(tokens[-1]) < MIN_PREFIX and len(tokens) == 1):
            continue
        operator = "NOT" if negated else pending
        if not parts and operator == "NOT":
            continue  # nothing to take it away from
        if parts and operator:
            parts.append(operator)
        parts.append('"' + body.replace('"', " ") + '"' + ("*" if star else ""))
        pending = ""
        if operator != "NOT":
            words.update(tokens[:-1] if star else tokens)
            if star:
                prefixes.append(tokens[-1])
    if not parts:
        return None
    return Query(" ".join(parts), frozenset(words), tuple(prefixes))


def search(
    conn: Session | Connection | sqlite3.Connection,
    query: str,
    *,
    topic: int | None = None,
    source_id: int | None = None,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 50,
    as_you_type: bool = False,
    what: Sequence[str] = KINDS,
    mark: tuple[str, str] = MARK,
) -> list[Hit]:
    """Return the best `limit` hits for `query`, best first.

    Filters: `topic` (a topic id), `source_id`, `kinds` (source kinds), `date_from` and
    `date_to` (the source's date, inclusive). Items have no source, so they are only found
    without source, kind and date filters. `what` picks among passages, items and sources."""
    parsed = parse_query(query, as_you_type=as_you_type)
    if parsed is None or limit <= 0:
        return []
    db = _dbapi(conn)
    where = _Filters(topic, source_id, tuple(kinds or ()), date_from, date_to)
    hits: list[Hit] = []
    try:
        if "passage" in what:
            hits += _passages(db, parsed, where, limit, mark)
        if "item" in what and not where.on_sources:
            hits += _items(db, parsed, topic, limit, mark)
        if "source" in what:
            hits += _sources(db, parsed, where, limit, mark)
    except sqlite3.OperationalError as exc:
        raise SearchError(f"cannot search for {query!r} ({exc})") from None
    return heapq.nlargest(limit, hits, key=lambda h: h.score)


@dataclass(frozen=True)
class _Filters:
    topic: int | None
    source_id: int | None
    kinds: tuple[str, ...]
    date_from: date | None
    date_to: date | None

    @property
    def on_sources(self) -> bool:
        return bool(self.source_id is not None or self.kinds or self.date_from or self.date_to)

    def sql(self, source: str) -> tuple[str, list[Any]]:
        """Return SQL conditions on the source table aliased `source`, and their values."""
        conds: list[str] = []
        args: list[Any] = []
        if self.source_id is not None:
            conds.append(f"{source}.id = ?")
            args.append(self.source_id)
        if self.kinds:
            conds.append(f"{source}.kind IN ({','.join('?' * len(self.kinds))})")
            args += self.kinds
        if self.date_from:
            conds.append(f"{source}.date >= ?")
            args.append(self.date_from.isoformat())
        if self.date_to:
            conds.append(f"{source}.date <= ?")
            args.append(self.date_to.isoformat())
        return "".join(f" AND {c}" for c in conds), args


def _passages(db: sqlite3.Connection, q: Query, where: _Filters, limit: int,
              mark: tuple[str, str]) -> list[Hit]:
    conds, args = where.sql("s")
    join = " JOIN passage p ON p.id = passage_fts.rowid JOIN source s ON s.id = p.source_id"
    if where.topic is not None:
        conds += (" AND EXISTS (SELECT 1 FROM passage_topic t"
                  " WHERE t.passage_id = passage_fts.rowid AND t.topic_id = ?)")
        args.append(where.topic)
    if where.source_id is not None:  # a source's passages are (nearly always) one id range
        conds += " AND passage_fts.rowid BETWEEN ? AND ?"
        args += db.execute("SELECT min(id), max(id) FROM passage WHERE source_id = ?",
                           (where.source_id,)).fetchone()
    window = db.execute(
        "SELECT passage_fts.rowid, bm25(passage_fts) FROM passage_fts"
        + (join if conds else "")
        + f" WHERE passage_fts MATCH ?{conds} ORDER BY passage_fts.rowid DESC LIMIT ?",
        (q.fts, *args, max(RANK_WINDOW, limit)),
    ).fetchall()
    best = heapq.nsmallest(limit, window, key=lambda row: row[1])
    rows = _rows(db, "SELECT p.id, p.text, p.seq, p.source_id, s.title FROM passage p"
                 " JOIN source s ON s.id = p.source_id WHERE p.id IN ({})", [i for i, _ in best])
    return [
        Hit("passage", pid, source, title, seq, snippet(text, q, mark), -score)
        for pid, score in best
        for text, seq, source, title in [rows[pid]]
    ]


def _items(db: sqlite3.Connection, q: Query, topic: int | None, limit: int,
           mark: tuple[str, str]) -> list[Hit]:
    cond, args = "", []
    if topic is not None:
        cond = (" AND EXISTS (SELECT 1 FROM item_topic t"
                " WHERE t.item_id = item_fts.rowid AND t.topic_id = ?)")
        args = [topic]
    best = db.execute(
        f"SELECT rowid, rank FROM item_fts WHERE item_fts MATCH ?{cond} ORDER BY rank LIMIT ?",
        (q.fts, *args, limit),
    ).fetchall()
    rows = _rows(db, "SELECT id, title, body, kind FROM item WHERE id IN ({})",
                 [i for i, _ in best])
    hits = []
    for item_id, score in best:
        title, body, kind = rows[item_id]
        found = q.pattern is not None and q.pattern.search(fold(body[:_SNIPPET_SCAN]))
        text = body if found else title
        hits.append(Hit("item", item_id, None, title or kind, None, snippet(text, q, mark), -score))
    return hits


def _sources(db: sqlite3.Connection, q: Query, where: _Filters, limit: int,
             mark: tuple[str, str]) -> list[Hit]:
    conds, args = where.sql("s")
    if where.topic is not None:
        conds += (" AND EXISTS (SELECT 1 FROM passage p JOIN passage_topic t"
                  " ON t.passage_id = p.id WHERE p.source_id = s.id AND t.topic_id = ?)")
        args.append(where.topic)
    best = db.execute(
        "SELECT s.id, s.title, bm25(source_fts) FROM source_fts JOIN source s"
        f" ON s.id = source_fts.rowid WHERE source_fts MATCH ?{conds} ORDER BY rank LIMIT ?",
        (q.fts, *args, limit),
    ).fetchall()
    return [Hit("source", sid, sid, title, None, snippet(title, q, mark), -score)
            for sid, title, score in best]


def _rows(db: sqlite3.Connection, sql: str, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    if not ids:
        return {}
    return {row[0]: row[1:] for row in db.execute(sql.format(",".join("?" * len(ids))), ids)}


def snippet(text: str, q: Query, mark: tuple[str, str] = MARK) -> str:
    """Return about SNIPPET_WORDS words of `text` around the first match, matches marked."""
    head = text[:_SNIPPET_SCAN]
    hits = list(q.pattern.finditer(_fold_aligned(head))) if q.pattern else []
    centre = hits[0].start() if hits else 0
    before = list(_WORD.finditer(head, max(0, centre - 200), centre))[-(SNIPPET_WORDS // 4):]
    after = list(itertools.islice(_WORD.finditer(head, centre), SNIPPET_WORDS - len(before)))
    start = before[0].start() if before else 0
    end = after[-1].end() if after else len(head)
    out = ["…" if head[:start].strip() else ""]
    pos = start
    for hit in hits:
        if start <= hit.start() and hit.end() <= end:
            out += [head[pos:hit.start()], mark[0], head[hit.start():hit.end()], mark[1]]
            pos = hit.end()
    out.append(head[pos:end])
    more = len(head) < len(text) or _WORD.search(head, end) is not None
    out.append(" …" if more else head[end:])
    return "".join(out).strip()


def _fold_aligned(text: str) -> str:
    """Return `text` folded, one character for each of its characters."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(map(_fold_char, text))


@cache
def _fold_char(char: str) -> str:
    """Return the first character of `char` folded (`char` itself if folding drops it)."""
    return (fold(char) or char)[0]


def _dbapi(conn: Session | Connection | sqlite3.Connection) -> sqlite3.Connection:
    """Return the sqlite3 connection under a session or SQLAlchemy connection."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    if isinstance(conn, Session):
        conn = conn.connection()
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection), "search needs an SQLite store"
    return driver
