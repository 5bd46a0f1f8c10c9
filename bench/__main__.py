"""``python -m bench`` (``make bench``): run every benchmark, each in its own temporary folder,
print each result as it comes, then a summary table with the targets and the desktop build's
size (from an existing ``dist/Briefing/``); exit 1 if a target is missed.

Name benchmarks to run only those: ``python -m bench export startup``.
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    build_size,
    commitments,
    export,
    hostile,
    huge,
    memory,
    pack_pages,
    revisions,
    search_postgres,
    share,
    startup,
)
from bench.timing import Row

BENCHMARKS: dict[str, Callable[[Path], list[Row]]] = {
    "export": lambda work: [c.row() for c in export.run(work)],
    "startup": lambda work: [c.row() for c in startup.run(work)],
    "memory": lambda work: [memory.run(work).row()],
    "huge": huge.run,
    "pages": pack_pages.run,
    "revisions": revisions.run,
    "hostile": hostile.run,
    "share": lambda work: [c.row() for c in share.run(work)],
    "commitments": commitments.run,
}
if importlib.util.find_spec("bench.search_import"):  # written with the search (issue 5)
    from bench import search_import

    BENCHMARKS["search"] = search_import.run
BENCHMARKS["search-postgres"] = search_postgres.run  # the team library, beside SQLite's


def table(rows: list[Row]) -> str:
    """Return the rows as an aligned text table with a header."""
    lines = [("benchmark", "measured", "target", "result")]
    lines += [(r.name, r.measured, r.target, r.verdict) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join([text[0], "-" * len(text[0]), *text[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    unknown = set(args.names) - BENCHMARKS.keys()
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}")
    start = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        for name in args.names or BENCHMARKS:
            work = Path(tmp) / name
            work.mkdir()
            rows += BENCHMARKS[name](work)
    print(f"\nSummary ({time.perf_counter() - start:.0f} s)\n{table(rows)}")
    print(build_size.line())
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
