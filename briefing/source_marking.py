"""A source's protective marking, read from the document itself: a banner line at its top or
bottom ("OFFICIAL — Trade Policy Committee", "OFFICIAL-SENSITIVE", "SECRET UK EYES ONLY"),
as a running header or footer leaves it in the text."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.markings import Scheme, highest, normalise

EDGE = 3  # paragraphs looked at, at each end
LONGEST = 120  # a banner is a short line


def banner_marking(texts: Sequence[str], scheme: Scheme) -> str:
    """Return the highest marking found on a banner line among the first and last few of
    `texts` (caveats combined), or "" when none carries one."""
    edges = [*texts[:EDGE], *texts[-EDGE:]] if len(texts) > 2 * EDGE else list(texts)
    found = [m for m in (line_marking(t, scheme) for t in edges) if m]
    return highest(found, scheme) if found else ""


def line_marking(text: str, scheme: Scheme) -> str:
    """Return the marking `text` opens with, written in capitals as a level of `scheme`
    followed by nothing, a caveat or a separator ("OFFICIAL — …"); else ""."""
    line = " ".join(text.split())
    if not line or len(line) > LONGEST:
        return ""
    level = next(
        (lv for lv in sorted(scheme.levels, key=len, reverse=True) if _opens(line, lv)), ""
    )
    if not level:
        return ""
    rest, caveats = normalise(line[len(level) :]), []
    while rest:
        caveat = next(
            (c for c in sorted(scheme.caveats, key=len, reverse=True) if _opens(rest, c)), ""
        )
        if not caveat:
            break
        caveats.append(caveat)
        rest = rest[len(caveat) :].strip()
    tail = line[len(level) :]
    if rest and rest[0].isalnum() and tail != tail.upper():
        return ""  # "SECRET diplomacy…" is a sentence; "SECRET NOFORN" a banner all the same
    return " ".join((level, *dict.fromkeys(caveats)))


def _opens(line: str, word: str) -> bool:
    """Whether `line` starts with `word`, as written, ending at a word boundary (a hyphen
    joins: "OFFICIAL-SENSITIVE" does not open with OFFICIAL)."""
    after = line[len(word) : len(word) + 1]
    return line.startswith(word) and not (after.isalnum() or after == "-")
