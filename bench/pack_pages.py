"""How long a one-step pack is: the pack the New pack dialog makes on the demo library, on
three topics, exported to PDF and its pages counted (a minister reads 6–12 pages)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from bench.timing import Row
from briefing.demo import load_demo
from briefing.library import Library

TOPICS = ("steel", "coercion", "export-controls")
PAGES = (6, 12)


def run(work: Path) -> list[Row]:
    """Return the row of the demo pack's page count (and the plan's estimate)."""
    with Library(work / "demo.sqlite") as library:
        load_demo(library)
        estimate = library.plan_pack(TOPICS).pages
        pack = library.new_pack(
            "Brief", meeting="Japan–EU HLED", date=date(2026, 5, 7), marking="OFFICIAL",
            topics=TOPICS,
        )  # fmt: skip
        pages = len(PdfReader(library.export(pack, work / "pack.pdf")).pages)
    low, high = PAGES
    print(f"one-step pack on the demo library: {pages} pages (plan: about {estimate:.1f})")
    return [
        Row(
            "one-step pack, demo library, 3 topics",
            f"{pages} pages (plan {estimate:.1f})",
            f"{low}–{high} pages",
            low <= pages <= high,
        )
    ]
