"""Commitments: precision, recall and who-accuracy of the extractor on the labelled set in
`bench/commitments/` (statements parsed as an import parses them), and how fast it reads.

Alone: python -m bench.commitments [--verbose]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.timing import Row
from briefing.commitments.extract import (
    MAX_CHARS,
    Found,
    extract,
    read_statement,
    sentences,
    statement_context,
)
from briefing.ingest import parse_file

LABELLED = Path(__file__).with_name("commitments")
TARGETS = {"precision": 0.85, "recall": 0.85, "who": 0.85}


@dataclass(frozen=True)
class Label:
    file: str
    text: str
    who: str
    due: date | None


@dataclass(frozen=True)
class Score:
    sentences: int
    labels: int
    found: int
    right: int  # found and labelled
    who_right: int
    due_right: int
    due_labelled: int  # labelled with a due date, and found
    misses: tuple[str, ...]  # labelled, not found
    wrong: tuple[str, ...]  # found, not labelled
    wrong_who: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.labels if self.labels else 0.0

    @property
    def who(self) -> float:
        return self.who_right / self.right if self.right else 0.0


def labels() -> list[Label]:
    data = tomllib.loads((LABELLED / "labels.toml").read_text("utf-8"))
    return [
        Label(f["name"], c["text"], c["who"], date.fromisoformat(c["due"]) if "due" in c else None)
        for f in data["file"]
        for c in f["commitments"]
    ]


def found_in(path: Path) -> tuple[list[Found], int]:
    """Return the commitments found in a statement, read as an import reads it, and how many
    sentences it holds."""
    parsed = parse_file(path)
    count = sum(len(sentences(p.text)) for p in parsed.paragraphs)
    return [f for _, f in parsed.commitments], count


def score() -> Score:
    wanted = labels()
    files = sorted({label.file for label in wanted})
    total = right = who_right = due_right = due_labelled = found_count = 0
    misses: list[str] = []
    wrong: list[str] = []
    wrong_who: list[str] = []
    for name in files:
        found, count = found_in(LABELLED / name)
        total += count
        found_count += len(found)
        mine = [label for label in wanted if label.file == name]
        matched: set[int] = set()
        for label in mine:
            hit = next((i for i, f in enumerate(found) if label.text in f.sentence), None)
            if hit is None:
                misses.append(f"{name}: {label.text}")
                continue
            matched.add(hit)
            right += 1
            if found[hit].who.casefold() == label.who.casefold():
                who_right += 1
            else:
                wrong_who.append(f"{name}: {label.text}: {found[hit].who!r}, not {label.who!r}")
            if label.due is not None:
                due_labelled += 1
                due = found[hit].due
                due_right += due is not None and due.end == label.due
        wrong += [f"{name}: {f.sentence}" for i, f in enumerate(found) if i not in matched]
    return Score(total, len(wanted), found_count, right, who_right, due_right, due_labelled,
                 tuple(misses), tuple(wrong), tuple(wrong_who))  # fmt: skip


def speed() -> float:
    """Return passages read per second on the labelled statements' own paragraphs (each
    paragraph split and checked: the worst case, every paragraph holding a cue word)."""
    paragraphs: list[str] = []
    for path in sorted(LABELLED.glob("*.md")):
        paragraphs += [p.text for p in parse_file(path).paragraphs]
    context = statement_context("Japan-EU", "", date(2027, 1, 1), (), ())
    extract(paragraphs, context)  # warm up
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        extract(paragraphs, context)
    return rounds * len(paragraphs) / (time.perf_counter() - start)


def hostile_seconds() -> float:
    """Return how long a 1 MB paragraph of text flattened from a table takes."""
    cell = "Steel 12.5 | will | 2027 | EU-Japan | agreed to. | Mr. X | "
    text = cell * (1_000_000 // len(cell))
    start = time.perf_counter()
    extract([text], statement_context("Japan-EU", "", None, (), ()))
    return time.perf_counter() - start


def import_rate(work: Path, copies: int = 30) -> tuple[float, int, int]:
    """Import `copies` copies of every labelled statement (each a document of its own)
    through the real import path, commitments read by the parsers' worker processes;
    return documents per second, documents imported and commitments found."""
    from briefing.ingest.workers import ParserPool
    from briefing.library import Library

    folder = work / "statements"
    folder.mkdir()
    for k in range(copies):
        for path in sorted(LABELLED.glob("*.md")):
            text = path.read_text("utf-8")
            (folder / f"{k:03}-{path.name}").write_text(f"{text}\n\nReference {k}.\n", "utf-8")
    with Library(work / "statements.sqlite") as library, ParserPool() as parsers:
        start = time.perf_counter()
        results = library.import_paths([folder], parsers=parsers, separate=True)
        seconds = time.perf_counter() - start
        imported = sum(r.status == "imported" for r in results)
        return imported / seconds, imported, len(library.commitments())


def reading_seconds() -> float:
    """Return the seconds reading the commitments of one labelled statement takes (mean)."""
    parsed = [parse_file(p) for p in sorted(LABELLED.glob("*.md"))]
    jobs = [(s.title, s.issuer, s.date, s.people, [p.text for p in s.paragraphs]) for s in parsed]
    rounds = 10
    start = time.perf_counter()
    for _ in range(rounds):
        for job in jobs:
            read_statement(*job)
    return (time.perf_counter() - start) / rounds / len(jobs)


def run(work: Path, verbose: bool = False) -> list[Row]:
    s = score()
    print(
        f"commitments: labelled set of {s.sentences} sentences in "
        f"{len({label.file for label in labels()})} statements, {s.labels} commitments; found "
        f"{s.found}, {s.right} right: precision {s.precision:.2f}, recall {s.recall:.2f}, "
        f"who {s.who:.2f}, due date {s.due_right}/{s.due_labelled}",
        flush=True,
    )
    if verbose:
        for title, lines in (("missed", s.misses), ("not commitments", s.wrong),
                             ("wrong who", s.wrong_who)):  # fmt: skip
            for line in lines:
                print(f"  {title}: {line}")
    rate = speed()
    hostile = hostile_seconds()
    print(f"commitments: {rate:,.0f} passages/s read; a 1 MB paragraph ({MAX_CHARS:,} characters"
          f" read) in {hostile:.2f} s", flush=True)  # fmt: skip
    docs, imported, found = import_rate(work)
    share = reading_seconds() * docs
    print(f"commitments: import of {imported} statements: {docs:.1f} documents/s with "
          f"commitments read ({found:,} found); reading takes {share:.0%} of a document's "
          "import time, in the parsers' worker processes (the ≥ 50 documents/s target at "
          "100k passages: `bench search`, commitments read)", flush=True)  # fmt: skip
    return [
        Row("commitments: share of import time", f"{share:.0%} ({docs:.1f} docs/s)",
            "≤ 25%", share <= 0.25),
        Row("commitments precision", f"{s.precision:.2f}", f"≥ {TARGETS['precision']}",
            s.precision >= TARGETS["precision"]),
        Row("commitments recall", f"{s.recall:.2f}", f"≥ {TARGETS['recall']}",
            s.recall >= TARGETS["recall"]),
        Row("commitments who-accuracy", f"{s.who:.2f}", f"≥ {TARGETS['who']}",
            s.who >= TARGETS["who"]),
        Row("commitments, 1 MB paragraph", f"{hostile:.2f} s", "≤ 1 s", hostile <= 1),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.commitments",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        rows = run(Path(tmp), args.verbose)
    for row in rows:
        print(f"{row.name:<36} {row.measured:<20} {row.target:<18} {row.verdict}")


if __name__ == "__main__":
    main()
