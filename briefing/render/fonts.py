"""The template's TrueType fonts for reportlab: registration, coverage and safe markup.

reportlab has no glyph fallback, so `FontChain.markup` escapes text for platypus and
wraps every run of characters the primary font lacks (read from the font's cmap, not
guessed from Unicode ranges) in the first fallback font that has them. Characters no font
has stay in the primary font and print as its missing-glyph box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from templates import FontFace, Template

_STYLES = ("regular", "bold", "italic", "bold_italic")


@cache
def _register(path: Path) -> tuple[str, frozenset[int]]:
    """Register the font file once; return its reportlab name and the code points it maps."""
    font = TTFont(f"Briefing-{path.stem}", str(path))
    pdfmetrics.registerFont(font)
    return font.fontName, frozenset(font.face.charToGlyph)


@cache
def _family(face: FontFace) -> tuple[str, frozenset[int]]:
    """Register `face` as a family (so <b>/<i> work); return its name and shared coverage."""
    names, cover = [], None
    for style in _STYLES:
        name, codes = _register(getattr(face, style))
        names.append(name)
        cover = codes if cover is None else cover & codes
    pdfmetrics.registerFontFamily(
        names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
    )
    return names[0], cover or frozenset()


def _class(codes: frozenset[int]) -> str:
    """Return a regex character class body matching exactly `codes`."""
    ordered = sorted(codes)
    parts, start = [], None
    for i, code in enumerate(ordered):
        if start is None:
            start = code
        if i + 1 == len(ordered) or ordered[i + 1] != code + 1:
            parts.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(code)) if code > start else "")
            )
            start = None
    return "".join(parts)


@dataclass(frozen=True)
class FontChain:
    """A primary font family and the fallbacks tried, in order, for what it lacks."""

    name: str  # reportlab family name of the primary font (its regular face)
    missing: re.Pattern[str]  # runs of characters the primary font lacks
    fallbacks: tuple[tuple[str, frozenset[int]], ...]

    def markup(self, text: str) -> str:
        """Return `text` as platypus markup: escaped, newlines as <br/>, fallback fonts wrapped."""
        out: list[str] = []
        pos = 0
        for match in self.missing.finditer(text):
            out.append(_escape(text[pos : match.start()]))
            out.append(self._fallback(match.group()))
            pos = match.end()
        out.append(_escape(text[pos:]))
        return "".join(out)

    def covers(self, char: str) -> bool:
        """Return whether some font of the chain has a glyph for `char`."""
        return not self.missing.fullmatch(char) or any(ord(char) in c for _, c in self.fallbacks)

    def _fallback(self, run: str) -> str:
        def font(char: str) -> str | None:
            return next((name for name, codes in self.fallbacks if ord(char) in codes), None)

        out: list[str] = []
        for name, chars in groupby(run, key=font):
            text = _escape("".join(chars))
            out.append(f'<font face="{name}">{text}</font>' if name else text)
        return "".join(out)


def _escape(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


@cache
def chain(primary: FontFace, *fallbacks: FontFace) -> FontChain:
    """Return the font chain that prints `primary` and falls back to `fallbacks` in order."""
    name, cover = _family(primary)
    rest = tuple(_family(face) for face in fallbacks if face != primary)
    missing = re.compile(f"[^\n{_class(cover)}]+")
    return FontChain(name, missing, rest)


def chains(template: Template) -> tuple[FontChain, FontChain]:
    """Return the (body, heading) font chains of `template`."""
    f = template.fonts
    return chain(f.body, f.heading, f.cjk), chain(f.heading, f.body, f.cjk)


def font_name(path: Path) -> str:
    """Return the reportlab name of the font file at `path`, registering it if needed."""
    return _register(path)[0]
