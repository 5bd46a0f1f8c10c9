"""The same import and search benchmark on a team library (PostgreSQL), beside SQLite's:
import throughput and search p95 at 100,000 passages through the real import path (as the
owner, then as a team member under row-level security), then search p95 at 1,000,000
passages loaded in bulk (COPY), with the same query mix as `bench.search_import`; raw = a
plain ts_rank-ordered tsquery with ts_headline, LIMIT 20 (as the same user).

It starts its own throwaway cluster (tests/pg.py), as the tests do.

Alone: python -m bench.search_postgres [--docs 5000] [--bulk 1000000] [--queries 100]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any, cast

import psycopg

from bench.search_import import (
    TARGETS,
    Latencies,
    percentile,
    queries,
    timed,
    vocabulary,
    write_documents,
)
from bench.timing import Row
from briefing.ingest.workers import ParserPool
from briefing.library import Library
from db.search import parse_query, search
from tests.pg import Cluster, running_cluster

RAW_SQL = (
    "SELECT id, ts_headline('simple', text, q, 'StartSel=[, StopSel=]'), ts_rank(search, q) r"
    " FROM passage, to_tsquery('simple', %s) q WHERE search @@ q ORDER BY r DESC LIMIT 20"
)
BULK_TARGET = 50.0  # p95 ms at 1M passages, every kind of query
MEMBER = "bench_reader"  # a team member (name and password), searching under row-level security


def measure(con: psycopg.Connection[Any], qs: list[tuple[str, str]]) -> Latencies:
    """Return per kind (our latencies, raw latencies) in ms, each query run both ways."""

    def ours(kind: str, q: str) -> float:
        return timed(lambda: search(con, q, limit=20, as_you_type=kind == "prefix"))

    def raw(kind: str, q: str) -> float:
        parsed = parse_query(q, as_you_type=kind == "prefix")
        words = {w: w for c in (parsed.clauses if parsed else ()) for w in c.words}
        tsquery = parsed.tsquery(words) if parsed else ""
        return timed(lambda: con.execute(RAW_SQL, (tsquery,)).fetchall() if tsquery else None)

    for kind, q in qs[:20]:  # warm the caches for both
        ours(kind, q), raw(kind, q)
    result: Latencies = {}
    for i, (kind, q) in enumerate(qs):
        mine, theirs = result.setdefault(kind, ([], []))
        order = (ours, raw) if i % 2 else (raw, ours)
        times = {fn: fn(kind, q) for fn in order}
        mine.append(times[ours])
        theirs.append(times[raw])
    return result


def report(label: str, result: Latencies, targets: dict[str, float]) -> list[Row]:
    print(f"{'query':<8}{'n':>5}{'ours p50':>10}{'p95':>8}{'raw p50':>10}{'p95':>8}")
    rows = []
    for kind, (ours, raw) in sorted(result.items()):
        p95 = percentile(ours, 95)
        print(f"{kind:<8}{len(ours):>5}{percentile(ours, 50):>10.1f}{p95:>8.1f}"
              f"{percentile(raw, 50):>10.1f}{percentile(raw, 95):>8.1f}", flush=True)  # fmt: skip
        rows.append(Row(f"{label} {kind} p95", f"{p95:.1f} ms (raw {percentile(raw, 95):.1f} ms)",
                        f"≤ {targets[kind]:.0f} ms", p95 <= targets[kind]))  # fmt: skip
    return rows


def bulk_load(url: str, passages: int, rnd: random.Random) -> list[str]:
    """Fill the library at `url` with `passages` passages in 1,000 sources by COPY, its GIN
    indexes (words, word pairs) dropped before and built after, as a bulk load is done;
    return a sample of the paragraphs (to draw queries from)."""
    words, weights = vocabulary(rnd)
    sample: list[str] = []
    per_source = passages // 1000
    with Library(url) as library:
        args, kwargs = library.store.engine.dialect.create_connect_args(library.store.engine.url)
    kwargs.pop("context", None)
    with psycopg.connect(*args, **kwargs) as con:
        with con.cursor().copy("COPY source (id, title, content_hash, kind, place, origin,"
                               " imported_at, marking, issuer, fingerprint) FROM STDIN") as copy:
            for s in range(1, 1001):
                copy.write_row((s, f"Bulk source {s}", f"bulk-{s}", "other", "", "", "now()",
                                "", "", ""))  # fmt: skip
        indexes = con.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename ="
                              " 'passage' AND indexdef LIKE '%USING gin%'").fetchall()  # fmt: skip
        for name, _ in indexes:
            con.execute(f"DROP INDEX {name}")
        with con.cursor().copy("COPY passage (source_id, seq, text, runs) FROM STDIN") as copy:
            for s in range(1, 1001):
                for seq in range(1, per_source + 1):
                    text = " ".join(rnd.choices(words, weights, k=rnd.randint(50, 70))) + "."
                    if len(sample) < 5000:
                        sample.append(text)
                    copy.write_row((s, seq, text, "[]"))
        start = time.perf_counter()
        con.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            con.execute(definition)
        print(f"PostgreSQL indexes built in {time.perf_counter() - start:.0f} s", flush=True)
        con.execute("SELECT setval(pg_get_serial_sequence('source', 'id'), 1000)")
        con.execute("ANALYZE")
    return sample


def run(work: Path, docs: int = 5000, passages: int = 20, count: int = 100,
        bulk: int = 1_000_000) -> list[Row]:  # fmt: skip
    """Start a cluster, import `docs` documents and measure; then `bulk` passages."""
    rnd = random.Random(7)
    folder = work / "search-docs"
    folder.mkdir()
    paragraphs = write_documents(folder, docs, passages, rnd)
    rows: list[Row] = []
    with running_cluster() as cluster:
        rows += _imported(cluster, folder, paragraphs, count, rnd)
        if bulk:
            url = cluster.new_database()
            start = time.perf_counter()
            sample = bulk_load(url, bulk, rnd)
            print(f"PostgreSQL bulk load: {bulk:,} passages in {time.perf_counter() - start:.0f}"
                  " s (COPY, then the GIN indexes built)", flush=True)
            with Library(url) as library, library.store.engine.connect() as conn:
                latencies = measure(_driver(conn), queries(sample, count, rnd))
            rows += report(f"PostgreSQL {bulk // 1_000_000}M search", latencies,
                           dict.fromkeys(TARGETS, BULK_TARGET))  # fmt: skip
    return rows


def _driver(conn: Any) -> psycopg.Connection[Any]:
    """The psycopg connection under an SQLAlchemy one."""
    con = conn.connection.driver_connection
    assert con is not None
    return cast("psycopg.Connection[Any]", con)


def _imported(cluster: Cluster, folder: Path, paragraphs: list[str], count: int,
              rnd: random.Random) -> list[Row]:  # fmt: skip
    with Library(cluster.new_database()) as library, ParserPool() as parsers:
        start = time.perf_counter()
        results = library.import_paths([folder], parsers=parsers)
        seconds = time.perf_counter() - start
        imported = [r for r in results if r.status == "imported"]
        total = sum(r.passages for r in imported)
        rate = len(imported) / seconds
        print(f"PostgreSQL import: {len(imported)} documents, {total:,} passages in"
              f" {seconds:.1f} s = {rate:.0f} documents/s", flush=True)  # fmt: skip
        sample = queries(paragraphs, count, rnd)
        with library.store.engine.connect() as conn:
            latencies = measure(_driver(conn), sample)
        library.add_team_user(MEMBER, "OFFICIAL", MEMBER)
        member = cluster.as_user(library.store.engine.url.render_as_string(hide_password=False),
                                 MEMBER, MEMBER)  # fmt: skip
    with Library(member) as library, library.store.engine.connect() as conn:
        print("As a team member, under row-level security:", flush=True)
        policed = measure(_driver(conn), sample)
    label = f"PostgreSQL {total // 1000}k search"
    row = Row(f"PostgreSQL import {total:,} passages", f"{rate:.0f} documents/s",
              "≥ 50 documents/s", rate >= 50)  # fmt: skip
    return [row, *report(label, latencies, TARGETS),
            *report(f"{label} (member)", policed, TARGETS)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_postgres", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--passages", type=int, default=20, help="paragraphs per document")
    parser.add_argument("--queries", type=int, default=100, help="query groups")
    parser.add_argument("--bulk", type=int, default=1_000_000, help="passages loaded by COPY")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        rows = run(Path(tmp), args.docs, args.passages, args.queries, args.bulk)
    for row in rows:
        print(f"{row.name:<32} {row.measured:<34} {row.target:<18} {row.verdict}")


if __name__ == "__main__":
    main()
