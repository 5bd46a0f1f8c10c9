"""Shared clean-up of parsed paragraphs, whatever the format: tidy whitespace and inline runs,
drop empty paragraphs and join paragraphs that a page break split mid-sentence."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from briefing.document import Run, Runs
from briefing.ingest.model import ParsedParagraph

# Characters after which a paragraph is complete; any other ending may continue.
CLOSING = frozenset('.!?:;…"”’»)]')
# Every character of the source is kept (joiners, zero-width and no-break spaces, soft and
# non-breaking hyphens, line and paragraph separators) but control characters: the spacing
# ones (tab, newline, …) become spaces, collapsed with their neighbours, the others go.
_SPACE = re.compile(r"(?! )[ \t-\r\x1c-\x1f\x85]+| [ \t-\r\x1c-\x1f\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(" {2,}")


def tidy(raw: Iterable[ParsedParagraph]) -> tuple[ParsedParagraph, ...]:
    """Return `raw` with clean runs, without empty paragraphs, split paragraphs joined."""
    out: list[ParsedParagraph] = []
    for para in raw:
        runs = clean_runs(para.runs)
        if not runs:
            continue
        joins = para.heading_level is None and not para.standalone
        if out and joins and continues(out[-1], runs):
            out[-1] = ParsedParagraph(merge_runs((*out[-1].runs, Run(" "), *runs)))
        else:
            out.append(ParsedParagraph(runs, para.heading_level, para.standalone))
    return tuple(out)


def continues(previous: ParsedParagraph, runs: Runs) -> bool:
    """Whether a paragraph starting with `runs` continues `previous` (split by a page break):
    `previous` ends without closing punctuation and the new one starts in lower case.
    Headings, list items and table rows are never joined."""
    if previous.heading_level is not None or previous.standalone:
        return False
    return previous.runs[-1].text[-1] not in CLOSING and runs[0].text[0].islower()


def clean_runs(runs: Iterable[Run]) -> Runs:
    """Return `runs` in NFC with control characters removed (spacing ones collapsed to single
    spaces; no other character is touched), and the same runs whatever the source format:
    spaces at the edges of a formatted run are moved out of it, a lone space between two
    runs of equal formatting joins them, neighbours of equal formatting are merged and the
    paragraph is stripped."""
    pieces: list[Run] = []
    for run in runs:
        text = _SPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", run.text)))
        core = text.strip(" ")
        pieces += [Run(text[: len(text) - len(text.lstrip(" "))]),
                   _with_text(run, core),
                   Run(text[len(text.rstrip(" ")):] if core else "")]
    merged: list[Run] = []
    for run in merge_runs(pieces):
        run = _with_text(run, _SPACES.sub(" ", run.text))
        if len(merged) >= 2 and merged[-1].text == " " and _style(merged[-2]) == _style(run):
            merged[-2:] = [_with_text(merged[-2], f"{merged[-2].text} {run.text}")]
        else:
            merged.append(run)
    if merged:
        merged[0] = _with_text(merged[0], merged[0].text.lstrip(" "))
        merged[-1] = _with_text(merged[-1], merged[-1].text.rstrip(" "))
    return merge_runs(merged)


def merge_runs(runs: Iterable[Run]) -> Runs:
    """Return `runs` with empty runs dropped and neighbours of equal formatting merged."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].link) == (run.bold, run.italic, run.link):
            out[-1] = _with_text(run, out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


def _style(run: Run) -> tuple[bool, bool, str | None]:
    return run.bold, run.italic, run.link


def _with_text(run: Run, text: str) -> Run:
    return Run(text, run.bold, run.italic, run.link)
