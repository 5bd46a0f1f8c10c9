"""Import throughput and search latency on a synthetic 100,000-passage library.

Imports DOCS text files of PASSAGES paragraphs each through the real import path
(`Library.import_paths`: parse, store, tag, index), then times `db.search.search` against
the raw FTS5 query (bm25-ranked MATCH with snippet, LIMIT 20) on the same data, for what
users type: whole words, "two-word phrases" and 2–4-letter prefixes as they type.

Alone: python -m bench.search_import [--docs 5000] [--passages 20] [--queries 100]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.timing import Row
from briefing.ingest.workers import ParserPool
from briefing.library import Library
from db.search import search

SYLLABLES = [
    "ta",
    "ri",
    "ko",
    "mu",
    "se",
    "la",
    "ne",
    "po",
    "vi",
    "dra",
    "št",
    "če",
    "ré",
    "ja",
    "zu",
]
TERMS = [
    "tariff",
    "steel",
    "semiconductor",
    "Šefčovič",
    "Séjourné",
    "Akazawa",
    "summit",
    "quota",
    "dialogue",
    "overcapacity",
    "coercion",
    "minerals",
    "batteries",
    "export",
]
RAW_SQL = (
    "SELECT rowid, snippet(passage_fts, 0, '[', ']', '…', 10), bm25(passage_fts) AS score"
    " FROM passage_fts WHERE passage_fts MATCH ? ORDER BY score LIMIT 20"
)
TARGETS = {"word": 20.0, "phrase": 20.0, "prefix": 50.0}  # p95 ms
KINDS = ["Joint statement", "Readout", "Press release", "Speech", "Note"]


def vocabulary(rnd: random.Random) -> tuple[list[str], list[float]]:
    """Return 5,000 pseudo-words plus real terms, with Zipf-like weights."""
    words = (
        sorted(
            {"".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))) for _ in range(6000)}
        )[:5000]
        + TERMS
    )
    weights = [1 / (i + 1) ** 0.9 for i in range(len(words))]
    rnd.shuffle(weights)
    return words, weights


def write_documents(folder: Path, docs: int, passages: int, rnd: random.Random) -> list[str]:
    """Write `docs` text files; return every paragraph written (to draw queries from)."""
    words, weights = vocabulary(rnd)
    written: list[str] = []
    for n in range(docs):
        day = date(2020, 1, 1) + timedelta(days=n % 2000)
        body = [
            " ".join(rnd.choices(words, weights, k=rnd.randint(50, 70))).capitalize() + "."
            for _ in range(passages - 2)
        ]
        head = [f"Synthetic meeting {n}, Brussels, {day.day} {day:%B %Y}", KINDS[n % len(KINDS)]]
        (folder / f"doc{n:05}.txt").write_text("\n\n".join(head + body), "utf-8")
        written += body
    return written


def queries(paragraphs: list[str], count: int, rnd: random.Random) -> list[tuple[str, str]]:
    """Return (kind, query) pairs: words, phrases, and prefixes typed letter by letter."""
    result: list[tuple[str, str]] = []
    for _ in range(count):
        words = rnd.choice(paragraphs).rstrip(".").split()
        k = rnd.randrange(len(words) - 1)
        result.append(("word", words[k]))
        result.append(("phrase", f'"{words[k]} {words[k + 1]}"'))
        typed = rnd.choice(words)
        result += [("prefix", typed[:n]) for n in (2, 3, 4) if len(typed) > n]
    rnd.shuffle(result)
    return result


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


Latencies = dict[str, tuple[list[float], list[float]]]


def measure(con: sqlite3.Connection, qs: list[tuple[str, str]]) -> Latencies:
    """Return per kind (our latencies, raw latencies) in ms, each query run both ways."""

    def ours(kind: str, q: str) -> float:
        return timed(lambda: search(con, q, limit=20, as_you_type=kind == "prefix"))

    def raw(kind: str, q: str) -> float:
        fts = f'"{q}"*' if kind == "prefix" else q
        return timed(lambda: con.execute(RAW_SQL, (fts,)).fetchall())

    for kind, q in qs[:20]:  # warm the page cache for both
        ours(kind, q), raw(kind, q)
    result: Latencies = {}
    for i, (kind, q) in enumerate(qs):
        mine, theirs = result.setdefault(kind, ([], []))
        order = (ours, raw) if i % 2 else (raw, ours)  # alternate, so drift hits both
        times = {fn: fn(kind, q) for fn in order}
        mine.append(times[ours])
        theirs.append(times[raw])
    return result


def run(work: Path, docs: int = 5000, passages: int = 20, count: int = 100) -> list[Row]:
    """Build the library in `work`, print the numbers, and return the summary rows."""
    rnd = random.Random(7)
    folder = work / "search-docs"
    folder.mkdir()
    paragraphs = write_documents(folder, docs, passages, rnd)
    with Library(work / "search.sqlite") as library, ParserPool() as parsers:
        start = time.perf_counter()
        results = library.import_paths([folder], parsers=parsers)  # as the CLI and the app do
        seconds = time.perf_counter() - start
        imported = [r for r in results if r.status == "imported"]
        total = sum(r.passages for r in imported)
        rate = len(imported) / seconds
        print(
            f"import (parsers in {parsers.size} worker processes): {len(imported)} documents, "
            f"{total:,} passages in {seconds:.1f} s = "
            f"{rate:.0f} documents/s, {total / seconds:,.0f} passages/s (target ≥ 50/s)",
            flush=True,
        )
        with library.store.engine.connect() as conn:
            con = conn.connection.driver_connection
            assert isinstance(con, sqlite3.Connection)
            latencies = measure(con, queries(paragraphs, count, rnd))
    rows = [
        Row(f"import {total:,} passages", f"{rate:.0f} documents/s", "≥ 50 documents/s", rate >= 50)
    ]
    return rows + report(latencies)


def report(result: Latencies) -> list[Row]:
    """Print latencies per kind of query, ours against raw FTS5; return the summary rows."""
    print(
        f"{'query':<8}{'n':>5}{'ours p50':>10}{'p95':>8}{'raw p50':>10}{'p95':>8}{'ratio p95':>11}"
    )
    rows: list[Row] = []
    all_ours: list[float] = []
    all_raw: list[float] = []
    for kind, (ours, raw) in sorted(result.items()):
        all_ours += ours
        all_raw += raw
        p95 = percentile(ours, 95)
        print(
            f"{kind:<8}{len(ours):>5}{percentile(ours, 50):>10.1f}{p95:>8.1f}"
            f"{percentile(raw, 50):>10.1f}{percentile(raw, 95):>8.1f}"
            f"{p95 / percentile(raw, 95):>11.2f}"
        )
        rows.append(
            Row(
                f"search {kind} p95",
                f"{p95:.1f} ms (raw FTS5 {percentile(raw, 95):.1f} ms)",
                f"≤ {TARGETS[kind]:.0f} ms",
                p95 <= TARGETS[kind],
            )
        )
    ratio = statistics.mean(all_ours) / statistics.mean(all_raw)
    print(
        f"overall: mean {statistics.mean(all_ours):.1f} ms, raw FTS5 "
        f"{statistics.mean(all_raw):.1f} ms, ratio {ratio:.2f}",
        flush=True,
    )
    rows.append(Row("search vs raw FTS5 (mean)", f"ratio {ratio:.2f}", "ratio ≤ 2", ratio <= 2))
    return rows


def main(argv: list[str] | None = None) -> None:
    """Run this benchmark alone: python -m bench.search_import [--docs N] …"""
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_import", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--passages", type=int, default=20, help="paragraphs per document")
    parser.add_argument("--queries", type=int, default=100, help="query groups")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        rows = run(Path(tmp), args.docs, args.passages, args.queries)
    for row in rows:
        print(f"{row.name:<28} {row.measured:<34} {row.target:<18} {row.verdict}")


if __name__ == "__main__":
    main()
