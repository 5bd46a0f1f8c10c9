"""Paragraphs in every script: per-glyph font fallback, shaping, bidirectional order.

`Paragraph` is platypus' paragraph with three steps added after parsing:

* each text fragment is cut into runs its fonts can print (`FontChain.split`; the chain is
  the style's ``fonts`` attribute, so a style without one behaves as plain platypus);
* a paragraph holding a complex script (Arabic, Hebrew, Indic, Thai, Khmer, ...) or
  combining marks is shaped by HarfBuzz (uharfbuzz, through reportlab's ``shaping`` style
  flag); other paragraphs are not, which keeps plain text as fast as before;
* a paragraph holding right-to-left letters gets the Unicode bidi levels (python-bidi)
  of its characters. Lines are broken in logical order and drawn in visual order (rule
  L2, by words and runs; HarfBuzz already orders the glyphs inside an RTL run), and a
  paragraph whose first strong letter is RTL is right-aligned unless its style says
  ``direction="ltr"`` (the contents, whose page numbers sit at the right).

Lines keep their logical order, so a paragraph split over pages stays right. The PDF's
ToUnicode maps are rewritten (`_to_unicode`) so that shaped glyphs (Arabic joining forms,
ligatures) and characters beyond U+FFFF copy back as the text they print.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import groupby
from typing import Any
from unicodedata import bidirectional
from weakref import WeakKeyDictionary

from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from bidi.mirror import MIRRORED
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedFragWord, ShapedStr, makeShapedFragWord
from reportlab.platypus import paragraph as _platypus
from reportlab.platypus import tableofcontents as _toc

from briefing.render.languages import is_rtl
from briefing.render.tagged import Marked

# scripts whose letters change shape or order in context, and combining marks
_COMPLEX = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff"
    "\u1000-\u109f\u1100-\u11ff\u1700-\u18af\u1a00-\u1cff\u1dc0-\u1dff\u200c-\u200f"
    "\u20d0-\u20ff\ua800-\ua8ff\ua900-\uabff\ufb1d-\ufdff\ufe00-\ufe0f\ufe20-\ufe2f"
    "\ufe70-\ufeff\U00010800-\U00010fff\U00011000-\U000115ff\U0001e800-\U0001efff]"
)
# strong right-to-left letters and the explicit RTL marks
_RTL = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefc"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_PIECES = re.compile(r" +|[^ ]+")

# per font face (PostScript name): alias code → the text its glyph prints
_ACTUAL: dict[str, dict[int, str]] = {}
_ALIASES: dict[tuple[str, int, str], int] = {}  # (face, glyph, text) → alias code
_PRIVATE = 0xF0000 - 1  # aliases are taken from plane 15, which no font maps
_SHAPED: dict[tuple[str, float, int, str], str | None] = {}  # see `_shape_run`
_VARIANTS: WeakKeyDictionary[ParagraphStyle, dict[int | None, ParagraphStyle]] = (
    WeakKeyDictionary()
)


class Paragraph(Marked, _platypus.Paragraph):
    """A platypus paragraph with font fallback, shaping and bidi (see the module notes),
    drawn as marked content of its tag (`briefing.render.tagged`)."""

    def __init__(self, text: Any, style: ParagraphStyle | None = None, *args: Any, **kw: Any):
        super().__init__(text, style, *args, **kw)
        fonts = getattr(self.style, "fonts", None)
        if fonts is None or any(isinstance(getattr(f, "text", ""), ShapedStr) for f in self.frags):
            return  # not ours, or the rest of a paragraph split over pages: done already
        frags = []
        for f in self.frags:
            text = getattr(f, "text", "")
            if not text or hasattr(f, "cbDefn"):
                frags.append(f)
                continue
            runs = fonts.split(text, f.fontName)
            if runs == [(f.fontName, text)]:
                frags.append(f)
            else:
                frags += [f.clone(fontName=name, text=part) for name, part in runs]
        text = "".join("\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "")
                       for f in frags)  # fmt: skip
        base = None
        if _RTL.search(text):
            ltr = getattr(self.style, "direction", "auto") == "ltr" or not is_rtl(text)
            base = 0 if ltr else 1
            frags = _with_levels(frags, text, base)
        if base is not None or _COMPLEX.search(text):
            self.style = _variant(self.style, base)
        self.frags = frags

    def drawPara(self, debug: int = 0) -> None:
        """Draw each line in visual order (the lines themselves stay logical)."""
        base = getattr(self.style, "bidi_base", None)
        logical: Any = getattr(self, "blPara")  # noqa: B009 (set by wrap; untyped)
        if base is None or logical.kind != 1:
            super().drawPara(debug)
            return
        lines = [line.clone(words=_visual(line.words, base)) for line in logical.lines]
        self.blPara = logical.clone(lines=lines)
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


def _variant(style: ParagraphStyle, base: int | None) -> ParagraphStyle:
    """Return `style` shaped; with `base` (0 or 1) also bidi, right-aligned when RTL (made
    once per style and base, and forgotten with the style)."""
    variants = _VARIANTS.setdefault(style, {})
    if base not in variants:
        kw: dict[str, Any] = {"shaping": 1}
        if base is not None:
            kw["bidi_base"] = base
            if base == 1 and style.alignment == TA_LEFT:
                kw["alignment"] = TA_RIGHT
        variants[base] = ParagraphStyle(f"{style.name} shaped", parent=style, **kw)
    return variants[base]


def _bidi_safe(char: str) -> str:
    """Return `char`, or a stand-in of the same bidi behaviour for the characters
    python-bidi's algorithm rejects: isolates (as neutrals) and unassigned code points
    (left-to-right, or right-to-left in the RTL blocks, as UAX #9 defaults them)."""
    kind = bidirectional(char)
    if kind in ("LRI", "RLI", "FSI", "PDI"):
        return "!"
    if not kind:
        return "\u05d0" if _RTL.match(char) else "a"
    return char


# bidi classes whose runs the algorithm treats as one character would be treated (strong
# letters, numbers, neutrals, marks): not separators (W4 wants them single), explicit
# controls or boundary neutrals
_RUNS = frozenset({"L", "R", "AL", "EN", "AN", "WS", "ON", "NSM"})


def _levels(text: str, base: int) -> list[int]:
    """Return the resolved bidi level of every character of `text` (rules X1–I2).

    python-bidi's algorithm keeps a dict per character; each run of characters of one
    class in `_RUNS` goes in as its first character and its level is given to the run,
    which makes a paragraph of words a few times cheaper and changes no level."""
    safe = "".join(map(_bidi_safe, text))
    runs = [(kind, len(list(group))) for kind, group in groupby(map(bidirectional, safe))]
    sizes: list[int] = []
    for kind, size in runs:
        sizes += [size] if kind in _RUNS else [1] * size
    starts = [0]
    for size in sizes[:-1]:
        starts.append(starts[-1] + size)
    levels = _uba("".join(safe[i] for i in starts), base)
    return [level for level, size in zip(levels, sizes, strict=True) for _ in range(size)]


def _uba(text: str, base: int) -> list[int]:
    """Return python-bidi's level of every character of `text`."""
    storage = get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, "LR"[base]
    get_embedding_levels(text, storage)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage, False)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    chars, levels, j, level = storage["chars"], [], 0, base
    for char in text:  # X9 removed embedding controls and BN characters: they inherit
        if j < len(chars) and chars[j]["ch"] == char:
            level = chars[j]["level"]
            j += 1
        levels.append(level)
    return levels


def _with_levels(frags: list[Any], text: str, base: int) -> list[Any]:
    """Return `frags` cut where the bidi level changes, each with its level as ``bidi``."""
    levels = iter(_levels(text, base))
    out = []
    for f in frags:
        if getattr(f, "lineBreak", False):
            next(levels)
        ftext = getattr(f, "text", "")
        if not ftext or hasattr(f, "cbDefn"):
            out.append(f.clone(bidi=base) if not hasattr(f, "cbDefn") else f)
            continue
        pos = 0
        for level, chars in groupby(ftext, key=lambda _c: next(levels)):
            size = len(list(chars))
            out.append(f.clone(text=ftext[pos : pos + size], bidi=level))
            pos += size
    return out


def _visual(words: list[Any], base: int) -> list[Any]:
    """Return a line's fragments in visual order (rules L1 and L2, by words and runs)."""
    if base == 0 and not any(getattr(f, "bidi", 0) for f in words):
        return words  # a left-to-right line of a paragraph with RTL elsewhere
    tokens: list[tuple[Any, Any, int]] = []
    for f in words:
        text = getattr(f, "text", "")
        level = getattr(f, "bidi", base)
        if not text or hasattr(f, "cbDefn"):
            tokens.append((f, None, base))
            continue
        tokens += [(f, text[m.start() : m.end()], level) for m in _PIECES.finditer(text)]
    end = len(tokens)
    while end and (tokens[end - 1][1] is None or not tokens[end - 1][1].strip()):
        end -= 1  # L1: trailing spaces take the paragraph's level
        tokens[end] = (tokens[end][0], tokens[end][1], base)
    levels = [level for _, _, level in tokens]
    for k in range(max(levels, default=0), (min(levels, default=0) | 1) - 1, -1):
        i = 0
        while i < len(tokens):
            if tokens[i][2] >= k:
                j = i
                while j < len(tokens) and tokens[j][2] >= k:
                    j += 1
                tokens[i:j] = tokens[i:j][::-1]
                i = j
            else:
                i += 1
    out = []
    for f, group in groupby(tokens, key=lambda token: token[0]):
        texts = [text for _, text, _ in group]
        if texts[0] is None:
            out += [f] * len(texts)
        else:
            joined = texts[0]
            for text in texts[1:]:
                joined = joined + text  # ShapedStr + str keeps the glyph positions
            out.append(f.clone(text=joined))
    return out


def _shape_word(w: Any, *args: Any, **kw: Any) -> Any:
    """Shape a word per run of one font and bidi level (reportlab shapes a whole word in
    its first font), and note what each substituted glyph prints for ToUnicode."""
    if isinstance(w, ShapedFragWord) or any(isinstance(s, ShapedStr) for _, s in w[1:]):
        return w
    parts: list[Any] = []
    changed = False
    for _key, group in groupby(w[1:], key=_run_key):
        pieces = list(group)
        shaped = _shape_run(pieces)
        changed = changed or shaped is not None
        parts += shaped or pieces
    if not changed:
        return w
    width = sum(_width(f, s) for f, s in parts)
    return makeShapedFragWord(w)([width, *parts])


def _run_key(piece: tuple[Any, str]) -> tuple[Any, ...]:
    f = piece[0]
    return (hasattr(f, "cbDefn"), f.fontName, getattr(f, "bidi", 0))


def _width(f: Any, s: str) -> float:
    if hasattr(f, "cbDefn"):
        return float(getattr(f, "width", 0))
    if isinstance(s, ShapedStr):
        return float(sum(d.x_advance for d in _shape_data(s)) * f.fontSize / 1000)
    return stringWidth(s, f.fontName, f.fontSize)


def _shape_run(pieces: list[tuple[Any, str]]) -> list[tuple[Any, str]] | None:
    """Return one font's run shaped (None when shaping changes nothing)."""
    f = pieces[0][0]
    text = "".join(s for _, s in pieces)
    if hasattr(f, "cbDefn") or not text:
        return None
    odd = getattr(f, "bidi", 0) % 2
    if odd and not _RTL.search(text):
        # neutrals alone in an RTL run: HarfBuzz would set them left to right, unmirrored
        mirrored = (_alias(f.fontName, MIRRORED.get(c, c), c) for c in reversed(text))
        return [(f, "".join(mirrored))]
    if not odd and not _COMPLEX.search(text):
        return None  # Latin, CJK, symbols: drawn as in any other paragraph
    if len(pieces) > 1:  # a word whose parts differ in colour, link, ...: shaped each time
        return _shaped(pieces, text)
    key = (f.fontName, f.fontSize, odd, text)
    if key not in _SHAPED:  # words recur: shape each once per font, size and direction
        if len(_SHAPED) > 100_000:
            _SHAPED.clear()
        shaped = _shaped(pieces, text)
        _SHAPED[key] = shaped[0][1] if shaped else None
    glyphs = _SHAPED[key]
    return None if glyphs is None else [(f, glyphs)]


def _shaped(pieces: list[tuple[Any, str]], text: str) -> list[tuple[Any, str]] | None:
    """Return `pieces` (one font, one direction) shaped by HarfBuzz, None if unchanged."""
    shaped = _SHAPE([0, *pieces])
    if shaped is None or shaped[1:] == pieces:
        return None
    return _with_actual_text(list(shaped[1:]), text)


def _with_actual_text(parts: list[tuple[Any, str]], text: str) -> list[tuple[Any, str]]:
    """Return shaped `parts` with glyphs set as alias codes that copy out as the text they
    show: a glyph that is no character of its cluster (a joining form, a ligature, a
    mirrored bracket) as the characters no other glyph of the cluster shows, and glyphs
    drawn out of order (a Devanagari vowel sign before its consonant) each as the
    character an extractor should read in its place."""
    data = [_shape_data(s) if isinstance(s, ShapedStr) else [] for _, s in parts]
    chars = [list(s) for _, s in parts]
    starts = sorted({d.cluster for ds in data for d in ds if 0 <= d.cluster < len(text)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    clusters: dict[int, list[tuple[int, int]]] = {}  # cluster → its glyphs, as drawn
    for i, ds in enumerate(data):
        for k, d in enumerate(ds):
            if d.cluster in ends:
                clusters.setdefault(d.cluster, []).append((i, k))
    for cluster, glyphs in clusters.items():
        source = text[cluster : ends[cluster]]
        rtl = getattr(parts[glyphs[0][0]][0], "bidi", 0) % 2
        reading = source[::-1] if rtl else source  # extractors reverse an RTL run
        drawn = [chars[i][k] for i, k in glyphs]
        if "".join(drawn) == reading:
            continue
        # read in drawing order, the glyphs give the cluster's characters one each, the
        # last glyph the rest; glyphs beyond the characters give nothing
        wanted = [reading[k] if k < len(reading) else "" for k in range(len(drawn))]
        wanted[-1] += reading[len(drawn) :]
        for (i, k), want in zip(glyphs, wanted, strict=True):
            chars[i][k] = _alias(parts[i][0].fontName, chars[i][k], want)
    out = []
    for (f, s), ds, cs in zip(parts, data, chars, strict=True):
        shaped = ShapedStr("".join(cs), shapeData=ds)  # type: ignore[arg-type, unused-ignore]
        out.append((f, shaped if ds else s))
    return out


def _alias(font_name: str, drawn: str, text: str) -> str:
    """Return a private code of the font that draws the glyph of `drawn` and copies out
    as `text` (`drawn` itself when the font has no glyph for it)."""
    face = getattr(pdfmetrics.getFont(font_name), "face")  # noqa: B009 (untyped in the stubs)
    glyph = face.charToGlyph.get(ord(drawn))
    if glyph is None or drawn == text:
        return drawn
    name = face.name.decode("latin-1")
    code = _ALIASES.get((name, glyph, text))
    if code is None:
        code = _ALIASES[(name, glyph, text)] = max(_ACTUAL.get(name, {}), default=_PRIVATE) + 1
        face.charToGlyph[code] = glyph
        face.charWidths[code] = face.charWidths[ord(drawn)]
        _ACTUAL.setdefault(name, {})[code] = text
    return chr(code)


def _shape_data(s: ShapedStr) -> list[Any]:
    """Return the HarfBuzz positions reportlab keeps with a shaped string, one per glyph."""
    data: list[Any] = getattr(s, "__shapeData__")  # noqa: B009 (a name-mangling-proof read)
    return data


def _to_unicode(fontname: str, subset: list[int]) -> str:
    """Return the ToUnicode CMap of a font subset (reportlab's, with the shaped glyphs'
    text and UTF-16 surrogate pairs for code points beyond U+FFFF)."""
    actual = _ACTUAL.get(fontname.partition("+")[2], {})

    def utf16(code: int) -> str:
        return actual.get(code, chr(code)).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])  # fmt: skip


_SHAPE: Callable[[list[Any]], Any] = ttfonts.shapeFragWord
_platypus.shapeFragWord = _shape_word  # type: ignore[attr-defined, unused-ignore]
ttfonts.makeToUnicodeCMap = _to_unicode  # type: ignore[assignment, unused-ignore]
_toc.Paragraph = Paragraph  # type: ignore[attr-defined, misc, unused-ignore]
