"""Revisions of a pack: issuing one of the 40-page pack (≤ 0.5 s), and the diff of two
revisions of the 400-page pack (≤ 2 s). Each is the best of a few runs; between issues an
item is reworded, so each issue stores a new revision."""

from __future__ import annotations

from pathlib import Path

from bench.synthetic import PACK_40, PACK_400, Scale, build_library, new_pack
from bench.timing import Row, timed
from briefing.library import Library

RUNS = 3
ISSUE_TARGET = 0.5
DIFF_TARGET = 2.0


def _reword(library: Library, n: int) -> None:
    item = library.items()[0]
    body = library.item(item.id).body
    library.edit_item(item.id, body=f"{body}\n\nReworded ({n}).")


def _built(work: Path, name: str, scale: Scale) -> tuple[Library, int]:
    library = build_library(work / f"{name}.sqlite", scale)
    return library, new_pack(library)


def run(work: Path) -> list[Row]:
    library, pack = _built(work, "pack40", PACK_40)
    with library:
        issue_times = []
        numbers: list[int | None] = []
        for n in range(RUNS):
            _reword(library, n)
            issue_times.append(timed(lambda: numbers.append(library.issue_revision(pack))))
        assert numbers == list(range(1, RUNS + 1))  # each issue stored a revision
        issue = min(issue_times)
    print(f"issue a revision of the 40-page pack: {issue:.3f} s (best of {RUNS})")

    library, pack = _built(work, "pack400", PACK_400)
    with library:
        assert library.issue_revision(pack) == 1
        _reword(library, 0)
        outline = library.pack_outline(pack)
        library.move_entries([outline.sections[0].entries[0].id], outline.sections[1].id)
        library.remove_entries([outline.sections[2].entries[1].id])
        assert library.issue_revision(pack) == 2
        found: list[int] = []
        diff = min(timed(lambda: found.append(len(library.diff(pack, 1, 2).changes)))
                   for _ in range(RUNS))  # fmt: skip
        entries = library.revisions(pack)[-1].entries
    print(f"diff two revisions of the 400-page pack ({entries} entries, {found[0]} changes):"
          f" {diff:.3f} s (best of {RUNS})")  # fmt: skip
    return [
        Row("issue a revision, 40-page pack", f"{issue:.3f} s", f"≤ {ISSUE_TARGET} s",
            issue <= ISSUE_TARGET),
        Row("diff two revisions, 400-page pack", f"{diff:.3f} s", f"≤ {DIFF_TARGET} s",
            diff <= DIFF_TARGET),
    ]  # fmt: skip
