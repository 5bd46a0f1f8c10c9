"""Full-text search over passages, items and source titles (migration 0003): FTS5 on SQLite,
tsvector columns on PostgreSQL, one contract.

What a user types is turned into a safe query (`parse_query`): words, "phrases", trailing-*
prefixes, AND/OR/NOT and -word are kept, everything else is quoted, so no query raises a
syntax error. Accents and case are folded ("sefcovic" finds ŠEFČOVIČ). On PostgreSQL the same
clauses become a tsquery (`'critical' <-> 'min':*`), their words folded by the database's own
`briefing_fold`, the function its search columns are made with.

Speed: ranking every match with bm25 is what makes a plain FTS5 query slow for common words
and short prefixes (tens of thousands of matches). So passages are ranked by bm25 among the
newest `RANK_WINDOW` matches, fetched cheaply in rowid order from the index; a rarer query
has fewer matches and is ranked whole (ts_rank on PostgreSQL, the same window). Snippets are
made in Python for the rows shown only, on both engines. On PostgreSQL a phrase is looked up by
its adjacent word pairs (migration 0012's index): its GIN index on words alone offers every
passage holding them all, and each must be read again to see whether they stand together.
"""

from __future__ import annotations

import heapq
import itertools
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from db.text import fold

if TYPE_CHECKING:  # imported with a team library's first search, not at every start
    import psycopg

RANK_WINDOW = 200  # matches ranked by bm25, newest first, when a query matches more
RECENT = 5000  # PostgreSQL: passages read newest first before asking the GIN index
# PostgreSQL: the cost of fetching a match a GIN index found against checking a row read in
# order (measured at 100k passages: 4–6 to 1 for a word, 8–10 for a phrase by its pairs)
INDEX_FETCH = 5.0
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
class Clause:
    """One term of a query: its operator ("" for the first and for AND, "OR", "NOT"), its
    folded words (a phrase if more than one) and whether the last is a prefix."""

    operator: str
    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class Query:
    """A user's query made safe: the FTS5 expression, its clauses and the words it
    highlights."""

    fts: str
    words: frozenset[str]
    prefixes: tuple[str, ...]
    clauses: tuple[Clause, ...] = field(default=(), compare=False)

    def tsquery(self, folded: dict[str, str]) -> str:
        """Return the query as PostgreSQL tsquery text, each word as `folded` folds it
        (a word folding to nothing is dropped, one folding to several becomes a phrase)."""
        out: list[str] = []
        for clause in self.clauses:
            words = [w for word in clause.words for w in folded.get(word, "").split()]
            if not words:
                continue
            terms = [f"'{w}'" for w in words]
            if clause.prefix:
                terms[-1] += ":*"
            term = " <-> ".join(terms)
            if out:
                out.append({"OR": "|", "NOT": "& !"}.get(clause.operator, "&"))
            elif clause.operator == "NOT":
                continue
            out.append(f"({term})")
        return " ".join(out)

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
    clauses: list[Clause] = []
    pending = ""  # an operator waiting for its right-hand term
    matches = list(_TOKEN.finditer(text))
    for i, match in enumerate(matches):
        raw = match.group("word")
        if raw in _OPERATORS:
            pending = raw
            continue
        negated = bool(raw and raw.startswith("-") and len(raw) > 1)
        if match.group("phrase") is not None:
            body = match.group("phrase").rstrip()
            star = bool(match.group("star")) or body.endswith("*")  # "critical min*" too
            body = body.rstrip("*")
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
        clauses.append(Clause(operator if operator != "AND" else "", tuple(tokens), star))
        pending = ""
        if operator != "NOT":
            words.update(tokens[:-1] if star else tokens)
            if star:
                prefixes.append(tokens[-1])
    if not parts:
        return None
    return Query(" ".join(parts), frozenset(words), tuple(prefixes), tuple(clauses))


def search(
    conn: Session | Connection | sqlite3.Connection | psycopg.Connection[Any],
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
    db = _engine(conn)
    where = _Filters(topic, source_id, tuple(kinds or ()), date_from, date_to)
    hits: list[Hit] = []
    try:
        q = db.prepare(parsed)
        if q is None:
            return []
        if "passage" in what:
            hits += _passages(db, parsed, q, where, limit, mark)
        if "item" in what and not where.on_sources:
            hits += _items(db, parsed, q, topic, limit, mark)
        if "source" in what:
            hits += _sources(db, parsed, q, where, limit, mark)
    except db.errors as exc:
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

    def sql(self, source: str, ph: str) -> tuple[str, list[Any]]:
        """Return SQL conditions on the source table aliased `source`, and their values
        (`ph` is the driver's placeholder)."""
        conds: list[str] = []
        args: list[Any] = []
        if self.source_id is not None:
            conds.append(f"{source}.id = {ph}")
            args.append(self.source_id)
        if self.kinds:
            conds.append(f"{source}.kind IN ({','.join([ph] * len(self.kinds))})")
            args += self.kinds
        if self.date_from:
            conds.append(f"{source}.date >= {ph}")
            args.append(self.date_from.isoformat())
        if self.date_to:
            conds.append(f"{source}.date <= {ph}")
            args.append(self.date_to.isoformat())
        return "".join(f" AND {c}" for c in conds), args


class _SQLite:
    """FTS5: `passage_fts`, `item_fts` and `source_fts` (bm25: lower is better)."""

    ph = "?"
    passage = "passage_fts.rowid"  # a matching passage's id in `passage_window`'s SQL
    errors: tuple[type[Exception], ...] = (sqlite3.OperationalError,)

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def rows(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, args).fetchall()

    @staticmethod
    def prepare(q: Query) -> str:
        return q.fts

    def passage_window(self, q: str, conds: str, args: list[Any], n: int,
                       source_id: int | None) -> list[tuple[int, float]]:
        join = " JOIN passage p ON p.id = passage_fts.rowid JOIN source s ON s.id = p.source_id"
        if source_id is not None:  # a source's passages are (nearly always) one id range
            conds += " AND passage_fts.rowid BETWEEN ? AND ?"
            args += self.rows("SELECT min(id), max(id) FROM passage WHERE source_id = ?",
                              (source_id,))[0]
        return [(i, -score) for i, score in self.rows(
            "SELECT passage_fts.rowid, bm25(passage_fts) FROM passage_fts"
            + (join if conds else "")
            + f" WHERE passage_fts MATCH ?{conds} ORDER BY passage_fts.rowid DESC LIMIT ?",
            (q, *args, n))]

    def best_items(self, q: str, cond: str, args: list[Any], limit: int
                   ) -> list[tuple[int, float]]:
        cond = cond.replace("{item}", "item_fts.rowid")
        return [(i, -score) for i, score in self.rows(
            f"SELECT rowid, rank FROM item_fts WHERE item_fts MATCH ?{cond} ORDER BY rank LIMIT ?",
            (q, *args, limit))]

    def best_sources(self, q: str, conds: str, args: list[Any], limit: int
                     ) -> list[tuple[int, str, float]]:
        return [(i, title, -score) for i, title, score in self.rows(
            "SELECT s.id, s.title, bm25(source_fts) FROM source_fts JOIN source s"
            f" ON s.id = source_fts.rowid WHERE source_fts MATCH ?{conds} ORDER BY rank LIMIT ?",
            (q, *args, limit))]


# PostgreSQL's passage window: the newest matches, then their ranks for those kept only
# ("= ANY(ARRAY(…))": one index scan, however the planner prices a policy's check per row)
_NEWEST = "SELECT p.id FROM {table} p{join} WHERE {match}{conds} ORDER BY {order} DESC LIMIT %s"
_SOURCE = " JOIN source s ON s.id = p.source_id"  # what filters on a passage's source need
_RANKED = ("WITH hits AS ({newest}) SELECT p.id,"
           " ts_rank(p.search, to_tsquery('simple', %s)), (SELECT max(id) FROM passage)"
           " FROM passage p WHERE p.id = ANY(ARRAY(SELECT id FROM hits))"
           " ORDER BY p.id DESC")  # fmt: skip
# A team member's newest matches, ranked, through the GIN indexes and within their clearance
# (migration 0013): under row-level security PostgreSQL checks `@@` row by row after the
# policy, never from an index; and every statement reading `passage` under the policy first
# works out which sources the reader may see. `{after}` is SQL holding one placeholder.
_MEMBER_MATCHES = ("briefing_passage_matches(to_tsquery('simple', %s), %s::tsquery, %s,"
                   " {after}, %s)")  # fmt: skip


class _Postgres:
    """tsvector columns `search` on passage, item and source (ts_rank: higher is better)."""

    ph = "%s"
    passage = "p.id"

    def __init__(self, db: psycopg.Connection[Any]) -> None:
        import psycopg

        self.db = db
        self.errors: tuple[type[Exception], ...] = (psycopg.DataError, psycopg.ProgrammingError)
        self.pairs = ""  # set by `prepare`, as is:
        self.exact = False

    def rows(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, args).fetchall()

    @cached_property
    def policed(self) -> bool:
        """Whether the reader is under row-level security (a team member): PostgreSQL then
        checks a query's own conditions row by row after the policy's, never from an index."""
        return bool(self.rows("SELECT row_security_active('passage')", ())[0][0])

    def prepare(self, q: Query) -> str | None:
        """Return `q` as tsquery text, its words folded by the database (None: no words).

        Also sets `pairs`: the word pairs (migration 0012) every passage matching `q` holds,
        as tsquery text ("" if there are none: no phrase, or an OR); and `exact`: whether
        a passage holding them matches `q` (all its clauses two-word phrases)."""
        words = sorted({w for c in q.clauses for w in c.words})
        phrases = [] if any(c.operator == "OR" for c in q.clauses) else [
            " ".join(c.words[:-1] if c.prefix else c.words)
            for c in q.clauses if c.operator != "NOT" and len(c.words) - c.prefix > 1]
        folded = {w: w for w in words} if all(w.isascii() for w in words) else None
        if folded is None or phrases:
            [(folded_words, pairs)] = self.rows(
                "SELECT array(SELECT briefing_fold(w) FROM unnest(%s::text[]) WITH ORDINALITY"
                " u(w, n) ORDER BY n), array(SELECT DISTINCT unnest(tsvector_to_array("
                "briefing_pairs(to_tsvector('simple', briefing_fold(t)))))"
                " FROM unnest(%s::text[]) t)",
                (words if folded is None else [], phrases))
            folded = folded or dict(zip(words, folded_words, strict=True))
            self.pairs = " & ".join(_quoted(pair) for pair in pairs)
            # each phrase the database folded to two words gives one pair
            self.exact = len(pairs) == len(q.clauses) == len(phrases) and not any(
                c.operator or c.prefix for c in q.clauses)
        return q.tsquery(folded) or None

    def passage_window(self, q: str, conds: str, args: list[Any], n: int,
                       source_id: int | None) -> list[tuple[int, float]]:
        """The newest `n` matches, ranked: first among the newest RECENT passages (a common
        query is done there); then, for a query found there a tenth as often as wanted, the
        rest of the table newest first, else every match from the GIN index (a rare query
        has few; a phrase's are looked up by its word pairs). Ranks are computed for the `n`
        kept only."""
        join = _SOURCE if conds else ""
        # The newest passages; with a prefix, read in order and checked one by one ("OFFSET 0"
        # keeps the planner from also reading the GIN index, costly for a short prefix);
        # else the search index's matches among them (a member's from the function).
        checked = "p.search @@ to_tsquery('simple', %s)"
        after = "(SELECT max(id) FROM passage) - %s"
        if self.policed and not (":*" in q or self.pairs or conds):
            # words, unfiltered: the function's planner, told the words, reads newest first
            # or asks the index for them all, the newest `n` in one go
            found = self._member_window(q, "%s", 0, n, conds, args)
            return [(i, float(score)) for i, score, _ in found]
        if self.policed and ":*" not in q:
            found = self._member_window(q, after, RECENT, n, conds, args)
        else:
            fence = " ORDER BY id DESC OFFSET 0" if ":*" in q else ""
            table = f"(SELECT * FROM passage WHERE id > {after}{fence})"
            recent = _NEWEST.format(table=table, join=join, match=checked, conds=conds,
                                    order="p.id")  # fmt: skip
            found = self.rows(_RANKED.format(newest=recent), (RECENT, q, *args, n, q))
        if len(found) < n:
            # Read on newest first if that checks fewer rows than the index has matches (by
            # how often the newest held one); else ask the index for every match ("+ 0" keeps
            # the planner from walking the table: it cannot tell how rare a phrase is).
            total = found[0][2] if found else 0
            scan = n * RECENT / len(found) if found else float("inf")
            read_on = scan < INDEX_FETCH * len(found) / RECENT * total
            if self.policed and not read_on:
                found = self._member_window(q, "%s", 0, n, conds, args)
                return [(i, float(score)) for i, score, _ in found]
            match, match_args = checked, [q]
            if self.pairs and not read_on:
                # A phrase's matches by its pairs (exact for two words: not rechecked), the
                # whole query checked in those unless `exact` (ts_match_vq: the search index
                # is not asked; it reads every match's search column). Only for a few
                # matches: a bitmap too big for work_mem turns lossy, and its rows would be
                # rechecked by computing their pairs.
                match = "briefing_pairs(p.search) @@ %s::tsquery"
                match_args = [self.pairs]
                if not self.exact:
                    match = f"ts_match_vq(p.search, to_tsquery('simple', %s)) AND {match}"
                    match_args = [q, self.pairs]
            every = _NEWEST.format(table="passage", join=join, match=match, conds=conds,
                                   order="p.id" if read_on else "p.id + 0")
            found = self.rows(_RANKED.format(newest=every), (*match_args, *args, n, q))
        return [(i, float(score)) for i, score, _ in found]

    def _member_window(self, q: str, after: str, after_arg: int, n: int, conds: str,
                       args: list[Any]) -> list[tuple[Any, ...]]:
        """A team member's `n` newest matches above `after`, ranked by the function itself;
        with filters (`conds`), all its matches, filtered and ranked here."""
        call = _MEMBER_MATCHES.format(after=after)
        call_args = [q, self.pairs or None, not self.exact, after_arg]
        if not conds:  # (the newest id, read under the policy, only for a window of them)
            total = "(SELECT max(id) FROM passage)" if after_arg else "0"
            return self.rows(f"SELECT m.passage_id, m.score, {total}"
                             f" FROM {call} m ORDER BY m.passage_id DESC", (*call_args, n))
        match = f"p.id = ANY(ARRAY(SELECT passage_id FROM {call}))"
        newest = _NEWEST.format(table="passage", join=_SOURCE, match=match, conds=conds,
                                order="p.id + 0")  # fmt: skip
        return self.rows(_RANKED.format(newest=newest), (*call_args, None, *args, n, q))

    def best_items(self, q: str, cond: str, args: list[Any], limit: int
                   ) -> list[tuple[int, float]]:
        cond = cond.replace("{item}", "i.id")
        return [(i, float(score)) for i, score in self.rows(
            "SELECT i.id, ts_rank(i.search, q) r FROM item i CROSS JOIN to_tsquery('simple', %s) q"
            f" WHERE i.search @@ q{cond} ORDER BY r DESC, i.id LIMIT %s", (q, *args, limit))]

    def best_sources(self, q: str, conds: str, args: list[Any], limit: int
                     ) -> list[tuple[int, str, float]]:
        return [(i, title, float(score)) for i, title, score in self.rows(
            "SELECT s.id, s.title, ts_rank(s.search, q) r FROM source s"
            f" CROSS JOIN to_tsquery('simple', %s) q WHERE s.search @@ q{conds}"
            " ORDER BY r DESC, s.id LIMIT %s", (q, *args, limit))]


_Backend = _SQLite | _Postgres


def _passages(db: _Backend, parsed: Query, q: str, where: _Filters, limit: int,
              mark: tuple[str, str]) -> list[Hit]:
    ph = db.ph
    conds, args = where.sql("s", ph)
    if where.topic is not None:
        conds += (" AND EXISTS (SELECT 1 FROM passage_topic t"
                  f" WHERE t.passage_id = {db.passage} AND t.topic_id = {ph})")
        args.append(where.topic)
    window = db.passage_window(q, conds, args, max(RANK_WINDOW, limit), where.source_id)
    best = heapq.nlargest(limit, window, key=lambda row: row[1])
    rows = _rows(db, "SELECT p.id, p.text, p.seq, p.source_id, s.title FROM passage p"
                 " JOIN source s ON s.id = p.source_id WHERE p.id IN ({})", [i for i, _ in best])
    return [
        Hit("passage", pid, source, title, seq, snippet(text, parsed, mark), score)
        for pid, score in best
        for text, seq, source, title in [rows[pid]]
    ]


def _items(db: _Backend, parsed: Query, q: str, topic: int | None, limit: int,
           mark: tuple[str, str]) -> list[Hit]:
    cond, args = "", []
    if topic is not None:
        cond = (" AND EXISTS (SELECT 1 FROM item_topic t"
                f" WHERE t.item_id = {{item}} AND t.topic_id = {db.ph})")
        args = [topic]
    best = db.best_items(q, cond, args, limit)
    rows = _rows(db, "SELECT id, title, body, kind FROM item WHERE id IN ({})",
                 [i for i, _ in best])
    hits = []
    for item_id, score in best:
        title, body, kind = rows[item_id]
        found = parsed.pattern is not None and parsed.pattern.search(fold(body[:_SNIPPET_SCAN]))
        text = body if found else title
        hits.append(Hit("item", item_id, None, title or kind, None,
                        snippet(text, parsed, mark), score))
    return hits


def _sources(db: _Backend, parsed: Query, q: str, where: _Filters, limit: int,
             mark: tuple[str, str]) -> list[Hit]:
    conds, args = where.sql("s", db.ph)
    if where.topic is not None:
        conds += (" AND EXISTS (SELECT 1 FROM passage p JOIN passage_topic t"
                  f" ON t.passage_id = p.id WHERE p.source_id = s.id AND t.topic_id = {db.ph})")
        args.append(where.topic)
    return [Hit("source", sid, sid, title, None, snippet(title, parsed, mark), score)
            for sid, title, score in db.best_sources(q, conds, args, limit)]


def _quoted(lexeme: str) -> str:
    """Return `lexeme` as a quoted tsquery term."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _rows(db: _Backend, sql: str, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    if not ids:
        return {}
    return {row[0]: row[1:] for row in db.rows(sql.format(",".join([db.ph] * len(ids))), ids)}


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


def _engine(conn: Session | Connection | sqlite3.Connection | psycopg.Connection[Any]
            ) -> _Backend:
    """Return the search backend over the driver connection under `conn`."""
    if isinstance(conn, Session):
        conn = conn.connection()
    driver = conn.connection.driver_connection if isinstance(conn, Connection) else conn
    if isinstance(driver, sqlite3.Connection):
        return _SQLite(driver)
    assert type(driver).__module__.startswith("psycopg"), "search needs SQLite or PostgreSQL"
    return _Postgres(cast("psycopg.Connection[Any]", driver))
