"""The language and direction of text, told from its characters (for Word's run properties).

Word draws East Asian characters in a run's ``eastAsia`` font and complex-script ones
(Arabic, Hebrew, Thai, Devanagari) in its ``cs`` font, and wants the language of each
(``w:lang``) and the direction of right-to-left runs (``w:rtl``). `spans` cuts a run's text
where its script changes; spaces, digits and punctuation between two letters of one script
stay with them. Kana makes a paragraph's Han characters Japanese, Hangul Korean; Han alone
takes the template's East Asian language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bidi.algorithm import get_base_level

JAPANESE, KOREAN = "ja-JP", "ko-KR"

Slot = Literal["eastAsia", "cs"]  # which of Word's font slots draws the span

_KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\U0001b000-\U0001b16f"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc"
_HAN = (
    "\u2e80-\u2fdf\u3000-\u303f\u3190-\u31ef\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff65\uffe0-\uffef"  # with CJK punctuation and symbols
)
_HAN_EXT = "\U00020000-\U0003ffff"  # Extension B and later: a font of their own
_EAST_ASIAN = _KANA + _HANGUL + _HAN + _HAN_EXT
_COMPLEX = {  # script's characters → (language, right to left)
    "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufefe": ("ar-SA", True),
    "\u0590-\u05ff\ufb1d-\ufb4f": ("he-IL", True),
    "\u0e00-\u0e7f": ("th-TH", False),
    "\u0900-\u097f\ua8e0-\ua8ff": ("hi-IN", False),
}
# what may sit between two letters of one script and stay in its span
_NEUTRAL = r"\s0-9!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f"


def _span_pattern(letters: str) -> str:
    return f"[{letters}](?:[{letters}{_NEUTRAL}]*[{letters}])?"


_SPANS = re.compile(
    "|".join(
        f"(?P<s{i}>{_span_pattern(letters)})"
        for i, letters in enumerate([_EAST_ASIAN, *_COMPLEX])
    )
)
_LANGUAGES = [("", False), *_COMPLEX.values()]  # by group: East Asian first
_KANA_RE, _HANGUL_RE = re.compile(f"[{_KANA}]"), re.compile(f"[{_HANGUL}]")
_HAN_EXT_RE = re.compile(f"[{_HAN_EXT}]+")
_HANGUL_SPAN = re.compile(_span_pattern(_HANGUL))


@dataclass(frozen=True)
class Span:
    """A piece of a run's text: plain (`slot` None) or in one language and font slot."""

    text: str
    language: str = ""  # BCP 47, e.g. "ja-JP"; "" for the document's language
    slot: Slot | None = None
    rtl: bool = False
    ext_b: bool = False  # CJK characters beyond the Basic Multilingual Plane


def east_asian_language(text: str, default: str) -> str:
    """Return the language of the East Asian characters of a paragraph holding `text`."""
    if _KANA_RE.search(text):
        return JAPANESE
    if _HANGUL_RE.search(text):
        return KOREAN
    return default


def is_rtl(text: str) -> bool:
    """Return whether a paragraph of `text` reads right to left: its first strong letter is
    right to left (Unicode bidi rules P2–P3)."""
    return bool(get_base_level(text) == 1)


def spans(text: str, east_asian: str) -> list[Span]:
    """Return `text` cut where its script changes; `east_asian` is the East Asian language
    of the paragraph holding it (see `east_asian_language`)."""
    if text.isascii():
        return [Span(text)] if text else []
    out: list[Span] = []
    done = 0
    for match in _SPANS.finditer(text):
        if match.start() > done:
            out.append(Span(text[done : match.start()]))
        group = match.lastgroup or ""
        piece = match.group()
        if group == "s0":
            out += _east_asian(piece, east_asian)
        else:
            language, rtl = _LANGUAGES[int(group[1:])]
            out.append(Span(piece, language, "cs", rtl))
        done = match.end()
    if done < len(text):
        out.append(Span(text[done:]))
    return out


def _east_asian(text: str, paragraph: str) -> list[Span]:
    """Return East Asian text in spans of one language, Extension B characters apart."""
    out: list[Span] = []
    for piece, language in _by_language(text, paragraph):
        done = 0
        for match in _HAN_EXT_RE.finditer(piece):
            if match.start() > done:
                out.append(Span(piece[done : match.start()], language, "eastAsia"))
            out.append(Span(match.group(), language, "eastAsia", ext_b=True))
            done = match.end()
        if done < len(piece):
            out.append(Span(piece[done:], language, "eastAsia"))
    return out


def _by_language(text: str, paragraph: str) -> list[tuple[str, str]]:
    """Return (piece, language) for East Asian text in a paragraph of East Asian language
    `paragraph`: one piece, but for Hangul among Japanese or Chinese, which is Korean."""
    if paragraph == KOREAN or not _HANGUL_RE.search(text):
        return [(text, paragraph)]
    pieces: list[tuple[str, str]] = []
    done = 0
    for match in _HANGUL_SPAN.finditer(text):
        if match.start() > done:
            pieces.append((text[done : match.start()], paragraph))
        pieces.append((match.group(), KOREAN))
        done = match.end()
    if done < len(text):
        pieces.append((text[done:], paragraph))
    return pieces
