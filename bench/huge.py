"""A 1 MB quoted paragraph to PDF, against the same text as ordinary paragraphs (the issue's
worst case: 214–224 s and ~800 MB before blocks flowed a window at a time).

Times compare the best of `RUNS` exports each, alternating; the peak memory is the quote's
export in a fresh process (``python -m bench.huge OUT``), read from its own ``VmHWM``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import templates
from bench.memory import own_peak_kb, peak_rss_mb
from bench.timing import Row, compare
from briefing import document as d
from briefing.render import render

SIZE = 1_000_000  # characters
RUNS = 3
MAX_RATIO = 2.0
MAX_MB = 600
SENTENCE = (
    "Both sides shared serious concerns about non-market policies and practices that lead to "
    "structural overcapacity in steel, and Commissioner ŠEFČOVIČ raised export controls & "
    "economic coercion with 赤沢亮正 (< 15% of trade). "
)
COVER = d.Cover(title="A 1 MB quote", marking="OFFICIAL")


def text() -> str:
    """Return `SIZE` characters of numbered sentences."""
    sentences = (f"{i}. {SENTENCE}" for i in range(SIZE // len(SENTENCE) + 1))
    return "".join(sentences)[:SIZE]


def quoted() -> d.Document:
    """Return a pack quoting the whole text as one paragraph."""
    quote = d.Quote((d.Run(text()),), d.Citation("Joint statement", "EU–Japan"))
    return d.Document(cover=COVER, blocks=(quote,))


def paragraphs() -> d.Document:
    """Return the same text as ordinary paragraphs of five sentences (about 1 KB each)."""
    sentences = re.split(r"(?<=\. )(?=\d+\. )", text())
    runs = ("".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5))
    return d.Document(cover=COVER, blocks=tuple(d.Paragraph((d.Run(r),)) for r in runs))


def run(work: Path) -> list[Row]:
    template = templates.load("ministerial")
    quote, plain = quoted(), paragraphs()
    timing = compare(
        "pdf 1 MB quote vs the same text in paragraphs",
        lambda: render(quote, template, work / "quote.pdf", "pdf"),
        lambda: render(plain, template, work / "plain.pdf", "pdf"),
        runs=RUNS,
        max_ratio=MAX_RATIO,
        target=f"ratio ≤ {MAX_RATIO:g}",
    )
    peak = peak_rss_mb([str(work / "child.pdf")], module="bench.huge")
    print(f"pdf 1 MB quote: peak RSS {peak:.0f} MB (a fresh process)", flush=True)
    return [
        timing.row(),
        Row("pdf 1 MB quote: peak memory", f"{peak:.0f} MB", f"≤ {MAX_MB} MB", peak <= MAX_MB),
    ]


if __name__ == "__main__":
    render(quoted(), templates.load("ministerial"), Path(sys.argv[1]), "pdf")
    print(own_peak_kb())
