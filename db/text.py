"""Folding text for matching: accents and case removed, as the FTS5 tokenizer does it
(unicode61 remove_diacritics 2). Shared by search, tagging and people matching. Only here are
joiners, zero-width spaces and soft hyphens ignored and spacing variants made plain spaces:
the stored text keeps them all."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    + "]"
)

# Ignored when matching (soft hyphen, zero-width space, non-joiner and joiner, word joiner,
# zero-width no-break space); line and paragraph separators match as spaces. NFKD already
# makes no-break and other fixed-width spaces plain ones.
_MATCHING = {**dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff")),
             0x2028: " ", 0x2029: " "}  # fmt: skip


def strip_accents(text: str) -> str:
    """Return `text` with combining accents removed, case kept ("Š" → "S"), and the characters
    matching ignores removed ("ste\u00adel" → "steel"); lengths may differ."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_MATCHING)


def fold(text: str) -> str:
    """Return `text` without accents and in lower case ("ŠEFČOVIČ" → "sefcovic")."""
    if text.isascii():
        return text.lower()
    return strip_accents(text).casefold()
