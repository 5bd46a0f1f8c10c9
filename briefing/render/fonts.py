"""The PDF's TrueType fonts: registration, per-glyph fallback and safe markup.

reportlab has no glyph fallback. `FontChain.split` gives it one: a run of text set in one
font is cut into runs each set in a font that has every glyph of it (read from the fonts'
cmaps, never guessed from Unicode ranges). The fonts tried, in order:

1. the run's own face (say the body font's italic);
2. the regular face of the same family (a glyph only the regular face has is printed
   upright rather than dropped, e.g. Arabic in DejaVu Sans Oblique);
3. the template's body, heading and CJK families, in the run's style, then regular;
4. the fallback fonts bundled in ``templates/fonts`` (`FALLBACK_FILES`: Noto per script,
   symbols, mathematics, monochrome emoji, CJK Extension B);
5. a TrueType font of the user's system that has the glyph (asked of fontconfig once per
   process; nothing happens if fontconfig is absent).

Punctuation, spaces, digits and combining marks stay in the font of the text before them
when it has them, so a word and its marks are shaped in one font. Fallback fonts have a
regular face and, for some scripts, a bold one; italic text in them prints upright. A
character no font has stays in the run's own font and prints as its missing-glyph box.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from templates import FONTS_DIR, FontFace, Template

_STYLES = ("regular", "bold", "italic", "bold_italic")

FALLBACK_FILES = (
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansGurmukhi-Regular.ttf",
    "NotoSansGujarati-Regular.ttf",
    "NotoSansOriya-Regular.ttf",
    "NotoSansTamil-Regular.ttf",
    "NotoSansTelugu-Regular.ttf",
    "NotoSansKannada-Regular.ttf",
    "NotoSansMalayalam-Regular.ttf",
    "NotoSansSinhala-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansLao-Regular.ttf",
    "NotoSansKhmer-Regular.ttf",
    "NotoSansMyanmar-Regular.ttf",
    "NotoSansGeorgian-Regular.ttf",
    "NotoSansArmenian-Regular.ttf",
    "NotoSansEthiopic-Regular.ttf",
    "DejaVuSans.ttf",
    "NotoSansSymbols-Regular.ttf",
    "NotoSansSymbols2-Regular.ttf",
    "NotoSansMath-Regular.ttf",
    "DroidSansFallbackFull.ttf",
    "NanumGothic.ttf",
    "HanaMinB-Subset.ttf",
    "Symbola-Subset.ttf",
)


@dataclass(frozen=True)
class Font:
    """One registered TrueType file: its reportlab name and the code points it maps."""

    name: str
    codes: frozenset[int]


_REGISTERED: dict[str, Font] = {}  # reportlab name → font, for every font registered here


@cache
def _register(path: Path, prefix: str = "Briefing") -> Font:
    """Register the font file once, named `prefix`-(file name); a code point mapped to
    glyph 0 (.notdef, the missing-glyph box) does not count as covered."""
    tt = TTFont(f"{prefix}-{path.stem}", str(path))
    pdfmetrics.registerFont(tt)
    codes = frozenset(c for c, glyph in tt.face.charToGlyph.items() if glyph)
    font = _REGISTERED[tt.fontName] = Font(tt.fontName, codes)
    return font


@dataclass(frozen=True)
class Family:
    """Four faces registered as a reportlab family, so <b> and <i> find them."""

    regular: Font
    bold: Font
    italic: Font
    bold_italic: Font

    def face(self, bold: bool, italic: bool) -> Font:
        return (self.regular, self.italic, self.bold, self.bold_italic)[2 * bold + italic]


@cache
def _family(face: FontFace) -> Family:
    """Register `face` as a family (so <b>/<i> work)."""
    family = Family(*(_register(getattr(face, style)) for style in _STYLES))
    names = [f.name for f in (family.regular, family.bold, family.italic, family.bold_italic)]
    pdfmetrics.registerFontFamily(
        names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
    )
    return family


def _fallback(path: Path) -> Family:
    """Return a fallback font as a family: its regular face, and its bold face when a
    ``-Bold`` file lies beside it (Arabic, Hebrew, ...), upright for italic."""
    regular = _register(path)
    bold_path = path.with_name(path.name.replace("-Regular.", "-Bold."))
    bold = _register(bold_path) if bold_path != path and bold_path.is_file() else regular
    return Family(regular, bold, regular, bold)


@cache
def _fallbacks() -> tuple[Family, ...]:
    return tuple(_fallback(FONTS_DIR / name) for name in FALLBACK_FILES)


def _class(codes: Iterable[int]) -> str:
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


@cache
def _missing(font: Font) -> re.Pattern[str]:
    """Return the pattern of characters `font` lacks (newline never counts as lacking)."""
    return re.compile(f"[^\n{_class(font.codes)}]")


def _sticky(char: str) -> bool:
    """Return whether `char` keeps the font of the text before it (no letter of its own)."""
    return unicodedata.category(char)[0] not in "L"


@dataclass(frozen=True)
class FontChain:
    """A template's font families and the fallbacks tried, in order, for what they lack."""

    name: str  # reportlab name of the primary family's regular face
    families: tuple[Family, ...]  # the template's
    # the bundled fallbacks, registered on first need (parsing them all takes a second)
    fallbacks: Callable[[], tuple[Family, ...]] = _fallbacks

    @staticmethod
    def markup(text: str) -> str:
        """Return `text` as platypus markup: escaped, newlines as <br/>."""
        return escape(text).replace("\n", "<br/>")

    def covers(self, char: str) -> bool:
        """Return whether some font of the chain, or of the system, has a glyph for `char`."""
        code = ord(char)
        return (
            any(code in f.regular.codes for f in self.families)
            or any(code in f.regular.codes for f in self.fallbacks())
            or bool(_system_font(code))
        )

    def split(self, text: str, font_name: str) -> list[tuple[str, str]]:
        """Return `text`, set in `font_name`, as (font name, text) runs whose fonts have
        every glyph of their run (see the module notes for the order tried)."""
        own = _REGISTERED.get(font_name)
        if own is None or not _missing(own).search(text):
            return [(font_name, text)]
        family, b, i = ps2tt(font_name)
        bold, italic = bool(b), bool(i)
        regular = _REGISTERED.get(tt2ps(family, 0, 0))
        candidates = [own] + ([regular] if regular else [])
        candidates += [f.face(bold, italic) for f in self.families]
        candidates += [f.regular for f in self.families]
        order = tuple(dict.fromkeys(candidates))
        runs: list[tuple[str, str]] = []
        previous: Font | None = None
        for char in text:
            code = ord(char)
            if previous and code in previous.codes and _sticky(char):
                font = previous
            else:
                found = next((f for f in order if code in f.codes), None)
                found = found or self._fallback(code, bold, italic) or _system_font(code)
                font = found or own
            if runs and runs[-1][0] == font.name:
                runs[-1] = (font.name, runs[-1][1] + char)
            else:
                runs.append((font.name, char))
            previous = font
        return runs

    def _fallback(self, code: int, bold: bool, italic: bool) -> Font | None:
        """Return the first bundled fallback face with a glyph for `code`, in the style."""
        return _first_fallback(self.fallbacks, code, bold, italic)


@cache
def _first_fallback(
    fallbacks: Callable[[], tuple[Family, ...]], code: int, bold: bool, italic: bool
) -> Font | None:
    """Return the first face of `fallbacks` in the style, then regular, that has `code`."""
    families = fallbacks()
    faces = [f.face(bold, italic) for f in families] + [f.regular for f in families]
    return next((f for f in faces if code in f.codes), None)


@cache
def chain(primary: FontFace, *others: FontFace) -> FontChain:
    """Return the font chain that prints `primary`, then `others`, then the bundled fallbacks."""
    families = tuple(dict.fromkeys((_family(primary), *map(_family, others))))
    return FontChain(families[0].regular.name, families)


def chains(template: Template) -> tuple[FontChain, FontChain]:
    """Return the (body, heading) font chains of `template`."""
    f = template.fonts
    return chain(f.body, f.heading, f.cjk), chain(f.heading, f.body, f.cjk)


def font_name(path: Path) -> str:
    """Return the reportlab name of the font file at `path`, registering it if needed."""
    return _register(path).name


# -- the system's fonts, the last resort ------------------------------------------------


@cache
def _system_fonts() -> tuple[tuple[Path, tuple[tuple[int, int], ...]], ...]:
    """Return the system's TrueType-outline fonts and the code point ranges each maps,
    from fontconfig; none when fontconfig is missing or fails."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{file}\t%{fontformat}\t%{charset}\n"],
            capture_output=True, text=True, timeout=20, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    fonts = []
    for line in out.splitlines():
        file, kind, charset = [*line.split("\t"), "", ""][:3]
        if kind != "TrueType" or not file.lower().endswith(".ttf"):
            continue  # reportlab embeds TrueType outlines only, one font per file
        ranges = []
        for part in charset.split():
            low, _, high = part.partition("-")
            try:
                ranges.append((int(low, 16), int(high or low, 16)))
            except ValueError:
                continue
        fonts.append((Path(file), tuple(ranges)))
    return tuple(fonts)


@cache
def _system_font(code: int) -> Font | None:
    """Return a system font that has a glyph for `code`, registered, or None."""
    for path, ranges in _system_fonts():
        if any(low <= code <= high for low, high in ranges) and _embeddable(path, code):
            font = _register(path, f"System{zlib.crc32(str(path).encode()):08x}")
            if code in font.codes:
                return font
    return None


_PROBED: dict[Path, bool] = {}


def _embeddable(path: Path, code: int) -> bool:
    """Return whether reportlab reads the font at `path` and can cut a subset from it (for
    the first character it is asked for); a font failing here would fail the export."""
    if path not in _PROBED:
        try:
            TTFont("probe", str(path)).face.makeSubset([code])
            _PROBED[path] = True
        except Exception:  # a foreign font file may be broken in any way: no fallback then
            _PROBED[path] = False
    return _PROBED[path]
