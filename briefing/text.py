"""Small text helpers shared by tagging, people matching and topic lookup."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return `text` without accents and in lower case, for matching ("ŠEFČOVIČ" → "sefcovic")."""
    return strip_accents(text).casefold()


def strip_accents(text: str) -> str:
    """Return `text` with combining accents removed, case kept; lengths may differ."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
