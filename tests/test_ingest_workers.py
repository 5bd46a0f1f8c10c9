"""Parsing in worker processes: results in order and the same as in this process; a file over
the time limit or the memory limit fails alone, with a reason, and the pool goes on."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.ingest import ParsedSource, parse_file
from briefing.ingest.workers import ParserPool
from briefing.library import Library


def notes(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"note{i}.md"
        path.write_text(f"# Note {i}\n\nSteel and **overcapacity**, item {i}.\n", "utf-8")
        paths.append(path)
    return paths


def test_results_come_in_order_and_match_parsing_here(tmp_path: Path) -> None:
    paths = notes(tmp_path, 12)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    paths.insert(3, bad)
    with ParserPool(workers=2) as pool:
        results = list(pool.parse_many(paths))
    assert [p for p, _ in results] == paths
    for path, outcome in results:
        if path == bad:
            assert isinstance(outcome, BriefingError) and str(outcome) == "binary content, not text"
        else:
            assert outcome == parse_file(path)


def test_a_file_over_the_time_limit_fails_alone(tmp_path: Path) -> None:
    slow = tmp_path / "slow.txt"
    slow.write_text(("word " * 200 + "\n\n") * 3000, "utf-8")  # a second or more to parse
    [first, second] = notes(tmp_path, 2)
    with ParserPool(workers=1, timeout=0.05) as pool:
        assert isinstance(pool.parse(first), ParsedSource)  # started (the start isn't timed)
        outcomes = [o for _, o in pool.parse_many([slow, second])]
    assert str(outcomes[0]).startswith("took too long to read (over 0.05 s")
    assert isinstance(outcomes[1], ParsedSource)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="address-space limit")
def test_a_file_over_the_memory_limit_fails_alone(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (8 * 2**20))  # 40 MB, several copies while parsing
    [small] = notes(tmp_path, 1)
    with ParserPool(workers=1, memory=250 * 2**20) as pool:
        outcomes = [o for _, o in pool.parse_many([big, small])]
    assert isinstance(outcomes[0], BriefingError)
    assert str(outcomes[0]) in (
        "too large to read (over the 250 MB memory limit)",
        "could not read (the reader stopped: out of memory, or a crash reading the file)",
    )
    assert isinstance(outcomes[1], ParsedSource)


def test_a_dead_worker_is_replaced(tmp_path: Path) -> None:
    [first, second] = notes(tmp_path, 2)
    with ParserPool(workers=1) as pool:
        pool.parse(first)
        [worker] = pool._idle
        worker.process.kill()
        worker.process.join()
        assert isinstance(pool.parse(second), ParsedSource)


def test_the_library_stores_what_the_workers_parse(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    paths = notes(tmp_path / "in", 5)
    with ParserPool(workers=2) as pool, Library(tmp_path / "lib.sqlite") as library:
        results = library.import_paths([tmp_path / "in"], parsers=pool)
        assert [r.status for r in results] == ["imported"] * 5
        assert sorted(s.title for s in library.sources()) == [f"Note {i}" for i in range(5)]
        again = library.import_paths(paths[:1], parsers=pool)
        assert again[0].status != "imported"
