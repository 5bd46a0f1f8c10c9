"""A block of any length laid out in time linear in its length: `Flowing`.

reportlab wraps a whole paragraph each time it splits it over a page, so a paragraph of n
pages costs n² page-wraps (a 1 MB quote: minutes). `Flowing` holds the block's runs and
wraps only a window of them a little taller than the room left; when the window is split
over a page, what remains of it is found again in the runs (by counting the characters
that are not spaces, which wrapping keeps one for one) and the next page starts a fresh
window there. Every piece is an ordinary paragraph of the block's style, cut where a page
ends, so no join shows: quotes keep their bar, and only the first piece has a first-line
indent, a bullet or the space before.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from copy import copy

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from briefing import document as d
from briefing.render.tagged import Marked

LONG = 8_000  # a block longer than this (about two pages) flows; shorter ones stay paragraphs
ROOM = 1500.0  # points: taller than a page's text; a table sizing its cells offers 72,000
WORD = 1000  # characters: a longer word is cut inside (where reportlab breaks it anyway)
NARROWEST = 0.15  # em: no text averages narrower characters than this (spaces included)...
TYPICAL = 0.5  # em: ...and prose averages about this
_WHOLE = 1e9  # points: room for the whole rest
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")

# Return the paragraph for a piece: markup of some runs, in a style.
MakeParagraph = Callable[[d.Runs, ParagraphStyle], Paragraph]


def letters(text: str) -> int:
    """Return how many characters of `text` are not white space, counted in compatibility
    decomposition: shaping prints "st" as the ligature "ﬆ" and Arabic letters as their
    presentation forms, which decompose to what was typed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
    return len(text) - len(_SPACE.findall(text))


def words(text: str) -> int:
    """Return how many words (runs of characters that are not white space) `text` has."""
    return len(_WORD.findall(text))


def _plain(para: Paragraph) -> str:
    """Return the characters a paragraph (or a split-off piece of one) prints."""
    text = para.getPlainText()
    if not text and para.frags and hasattr(para.frags[0], "words"):  # a simple piece's words
        text = " ".join(para.frags[0].words)
    return text


def after_letters(text: str, start: int, count: int) -> int:
    """Return the index in `text` of the first non-space character after `count` of them
    (as `letters` counts) from `start` (`len(text)` when there are no more)."""
    for word in _WORD.finditer(text, start):
        n = letters(word.group())
        if count < n:
            at = word.start()
            if word.group().isascii():
                return at + count
            while count >= 0:
                count -= letters(text[at])
                at += 1
            return at - 1
        count -= n
    return len(text)


def after_words(text: str, start: int, count: int) -> int:
    """Return the index in `text` of the word after `count` words from `start`."""
    for i, word in enumerate(_WORD.finditer(text, start)):
        if i == count:
            return word.start()
    return len(text)


def slice_runs(runs: d.Runs, starts: list[int], begin: int, end: int) -> d.Runs:
    """Return the runs covering characters `begin:end` of their joined text (`starts[i]` is
    where run i begins), each cut to its part."""
    out = []
    for run, at in zip(runs, starts, strict=True):
        lo, hi = max(begin - at, 0), min(end - at, len(run.text))
        if lo < hi:
            out.append(run if (lo, hi) == (0, len(run.text)) else
                       dataclasses.replace(run, text=run.text[lo:hi]))  # fmt: skip
    return tuple(out)


@dataclasses.dataclass
class _Window:
    """A paragraph of the block's characters `begin:end`, wrapped at a width and height."""

    begin: int
    end: int
    para: Paragraph
    size: tuple[float, float]  # the (width, available height) it was wrapped for
    height: float


class Flowing(Marked):
    """A paragraph-like block that wraps a window of its text at a time (see module doc)."""

    def __init__(
        self,
        runs: d.Runs,
        style: ParagraphStyle,
        make: MakeParagraph,
        *,
        begin: int = 0,
        text: str | None = None,
        starts: list[int] | None = None,
        density: float = 0.0,
    ) -> None:
        super().__init__()
        self.runs, self.style, self.make = runs, style, make
        self.text = "".join(r.text for r in runs) if text is None else text
        if starts is None:
            starts, at = [], 0
            for r in runs:
                starts.append(at)
                at += len(r.text)
        self.starts, self.begin = starts, begin
        self.keepWithNext = 0  # a block taller than a page keeps with nothing
        self.density = density  # characters per point of height on the last page (0: unknown)
        self._window: _Window | None = None
        self._wrapped_at: float | None = None  # the width of the last wrap

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def window(self, width: float, height: float) -> _Window:
        """Return a window from `begin` over a line taller than `height` (so that it ends in no
        widow to keep company), or the whole rest if shorter."""
        w = self._window
        if w is not None and w.size == (width, height):
            return w
        style = self.style
        per_line = max(width / (style.fontSize * 0.4), 20)  # more characters than fit a line
        if self.density:  # as many as last page's lines held, and three lines more
            chars = int(self.density * height + 3 * per_line)
        else:
            chars = int(per_line * (height / style.leading + 2))
        while True:
            end = self._word_end(self.begin + chars)
            para = self.make(slice_runs(self.runs, self.starts, self.begin, end), style)
            _, h = para.wrap(width, height)
            if h > height + style.leading or end >= len(self.text):  # no widow in the window
                self._window = _Window(self.begin, end, para, (width, height), h)
                return self._window
            chars *= 2

    def _word_end(self, at: int) -> int:
        """Return the end of the word at `at`, or of the text; inside a longer word, a cut
        `WORD` characters on (the window's last line, which holds it, is never drawn)."""
        at = min(at, len(self.text))
        space = _SPACE.search(self.text, at, at + WORD)
        return space.start() if space else min(at + WORD, len(self.text))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size of the rest: exact when it fits the room (the available height, at
        most `ROOM`), else an estimate taller than the room."""
        self._wrapped_at, self.width = availWidth, availWidth
        room = min(availHeight, ROOM)
        rest, style = len(self.text) - self.begin, self.style
        lines = room / style.leading + 1
        if rest > lines * availWidth / (style.fontSize * NARROWEST):  # cannot fit: no wrap
            self.height = max(rest * style.fontSize * TYPICAL / availWidth * style.leading, room)
            self.height += 1
            return self.width, self.height
        w = self.window(availWidth, room)
        if w.end >= len(self.text):
            self.height = w.height
        else:  # an estimate of the whole rest, by its share of the text
            self.height = w.height * rest / (w.end - w.begin)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self.carry(self._split(availWidth, availHeight))

    def _split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # at the width it was last wrapped at, as a paragraph splits (a table offers its
        # cells' width without their padding)
        availWidth = self._wrapped_at or availWidth
        w = self.window(availWidth, availHeight)
        parts = w.para.split(availWidth, availHeight)
        if len(parts) != 2:  # too little room ([]), or the rest fits ([para])
            self._window = None
            return parts if w.end >= len(self.text) else parts[:0]
        first, rest = parts
        assert isinstance(first, Paragraph) and isinstance(rest, Paragraph)
        back = self._back(w, _plain(first), _plain(rest))
        if back is None:
            # the pieces do not add up to the window (never seen): let reportlab split the
            # whole rest itself rather than lose or repeat a letter
            whole = slice_runs(self.runs, self.starts, self.begin, len(self.text))
            return self.make(whole, self.style).split(availWidth, availHeight)
        # reportlab marks the first piece's lines as styled ones (kind 1) whatever they are,
        # as it wraps a piece again before drawing it; `_Laid` does not, so keep their kind
        first.blPara = w.para.blPara.clone(lines=first.blPara.lines)  # type: ignore[attr-defined]
        return [_Laid(first), *self._after(back, (back - w.begin) / max(first.height, 1))]

    def _back(self, w: _Window, first: str, rest: str) -> int | None:
        """Return where in the text the window's second piece begins, given what each piece
        prints: by its letters, or else (when shaping changed their count) by its words;
        None when neither adds up to the window."""
        window = self.text[w.begin : w.end]
        total = letters(window)
        if letters(first) + letters(rest) == total:
            return after_letters(self.text, w.begin, total - letters(rest))
        if words(first) + words(rest) == words(window):  # not cut inside a word
            return after_words(self.text, w.begin, words(first))
        return None

    def _after(self, begin: int, density: float) -> list[Flowable]:
        """Return the block from `begin` on, as a continuation (no indent or space before)."""
        if begin >= len(self.text):
            return []
        style = copy(self.style)
        style.firstLineIndent = style.spaceBefore = 0
        rest = Flowing(
            self.runs,
            style,
            self.make,
            begin=begin,
            text=self.text,
            starts=self.starts,
            density=density,
        )
        return [rest]

    def draw(self) -> None:
        w = self._window
        if w is None or w.end < len(self.text):  # drawn without the wrap that found it fits
            w = self.window(self.width, _WHOLE)
        w.para.drawOn(self.canv, 0, 0)

    def __repr__(self) -> str:
        return f"Flowing({self.text[self.begin : self.begin + 40]!r}…)"


class _Laid(Marked):
    """A piece split off a paragraph, its lines already broken: wrapping it again (a table
    does, twice) costs nothing."""

    def __init__(self, para: Paragraph) -> None:
        super().__init__()
        self.para, self.width, self.height = para, para.width, para.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.para.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.para.getSpaceAfter())

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)


def flow(runs: d.Runs, style: ParagraphStyle, make: MakeParagraph) -> Flowable:
    """Return `runs` as one paragraph, or as a `Flowing` block when they are long."""
    if sum(len(r.text) for r in runs) <= LONG:
        return make(runs, style)
    return Flowing(runs, style, make)
