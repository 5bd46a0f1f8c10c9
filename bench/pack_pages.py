"""How long a one-step pack is: the pack the New pack dialog makes on the demo library, on
three topics, exported to PDF and its pages counted.

A minister reads 6–12 pages; the demo library holds less than that on these topics (the pack
with every passage on them is no longer), so the target here is the upper bound: the old
one-step pack ran to 18 pages of repeats and full-text annexes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from bench.timing import Row
from briefing.library import Library

TOPICS = ("steel", "coercion", "export-controls")
MOST_PAGES = 12


def run(work: Path) -> list[Row]:
    """Return the row of the demo pack's page count (and the plan's estimate)."""
    with Library(work / "demo.sqlite") as library:
        library.load_demo()
        estimate = library.plan_pack(TOPICS).pages
        pack = library.new_pack(
            "Brief", meeting="Japan–EU HLED", date=date(2026, 5, 7), marking="OFFICIAL",
            topics=TOPICS,
        )  # fmt: skip
        pages = len(PdfReader(library.export(pack, work / "pack.pdf")).pages)
    print(f"one-step pack on the demo library: {pages} pages (plan: about {estimate:.1f})")
    return [
        Row(
            "one-step pack, demo library, 3 topics",
            f"{pages} pages (plan {estimate:.1f})",
            f"≤ {MOST_PAGES} pages",
            pages <= MOST_PAGES,
        )
    ]
