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
_WHITE = r"[\s\x00-\x1f\x7f-\x9f\u200b\ufeff]"
_SPACE = re.compile(rf"(?! ){_WHITE}+| {_WHITE}+")  # any whitespace but a single plain space
_SPACES = re.compile(" {2,}")
_DROP = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060"))  # soft hyphen, joiners
_DROP.update({0x2011: "-"})  # non-breaking hyphen
_INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\u2011]")


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
    """Return `runs` in NFC with whitespace collapsed to single spaces, invisible characters
    removed, and the same runs whatever the source format: spaces at the edges of a formatted
    run are moved out of it, a lone space between two runs of equal formatting joins them,
    neighbours of equal formatting are merged and the paragraph is stripped."""
    pieces: list[Run] = []
    for run in runs:
        text = unicodedata.normalize("NFC", run.text)
        if _INVISIBLE.search(text):
            text = text.translate(_DROP)
        text = _SPACE.sub(" ", text)
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
