"""Sharing benchmark: a copy of the 40-page pack shared at a lower level (sanitised, its
derived parts rebuilt, a redaction log written) against a normal export of the same pack."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bench.synthetic import PACK_40, build_library, new_pack
from bench.timing import Comparison, compare

RUNS = 7


def run(work: Path) -> list[Comparison]:
    """Build the pack with a third of its items and one annexed source marked above the level
    shared at, and return the share-against-export comparison for PDF and Word."""
    with build_library(work / "share.sqlite", PACK_40) as library:
        for item in library.items()[::3]:
            library.edit_item(item.id, marking="SECRET")
        library.edit_source(library.sources()[0].id, marking="SECRET")
        pack = new_pack(library)
        library.edit_pack(pack, marking="SECRET")
        out = work / "out"
        out.mkdir()
        return [
            compare(
                f"share at OFFICIAL vs export ({kind})",
                partial(library.share, pack, "OFFICIAL", out / f"copy.{kind}"),
                partial(library.export, pack, out / f"whole.{kind}"),
                runs=RUNS,
                max_ratio=1.2,
                target="ratio ≤ 1.2",
            )
            for kind in ("pdf", "docx")
        ]
