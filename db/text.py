"""Folding text for matching: accents and case removed, as the FTS5 tokenizer does it
(unicode61 remove_diacritics 2). Shared by search, tagging and people matching."""

from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    + "]"
)


def strip_accents(text: str) -> str:
    """Return `text` with combining accents removed, case kept ("Š" → "S"); lengths may differ."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Return `text` without accents and in lower case ("ŠEFČOVIČ" → "sefcovic")."""
    if text.isascii():
        return text.lower()
    return strip_accents(text).casefold()
