"""Acronyms: those a document defines ("European Investment Bank (EIB)") and known ones it
uses without defining (WTO, G7, …, from the shipped briefing/data/acronyms.toml)."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources

_DEFINED = re.compile(r"\(([A-Z][A-Za-z0-9&]{1,11})\)")
_ATTEMPTS = 3  # occurrences of one "(ACRONYM)" tried before giving up on it
_LOOKBACK = 160  # characters before "(ACRONYM)" searched for its expansion
_STOPWORDS = frozenset([
    "of", "and", "for", "the", "on", "in", "to", "de", "des", "du", "la", "le", "der",
    "die", "das", "und", "&", "'s",
])


@cache
def known_acronyms() -> dict[str, str]:
    """Return the shipped acronym list, {"WTO": "World Trade Organization", …}."""
    data = resources.files("briefing.data").joinpath("acronyms.toml").read_text("utf-8")
    return dict(tomllib.loads(data)["acronyms"])


def find_glossary(texts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Return (acronym, expansion) pairs for `texts`: definitions in the text first, then
    known acronyms that occur (or whose expansion occurs) undefined; sorted by acronym."""
    entries: dict[str, str] = {}
    attempts: Counter[str] = Counter()
    for text in texts:
        for match in _DEFINED.finditer(text):
            acronym = match.group(1)
            if acronym in entries or attempts[acronym] >= _ATTEMPTS:
                continue
            attempts[acronym] += 1
            if expansion := _defined_at(text, match):
                entries[acronym] = expansion
    whole = "\n".join(texts)
    folded = whole.casefold()
    for acronym, expansion in known_acronyms().items():
        if acronym not in entries and (
            _occurs(acronym, whole) or _occurs(expansion.casefold(), folded)
        ):
            entries[acronym] = expansion
    return tuple(sorted(entries.items(), key=lambda e: e[0].casefold()))


def _defined_at(text: str, match: re.Match[str]) -> str:
    """Return "European Investment Bank" for "European Investment Bank (EIB)" at `match`."""
    letters = [c.casefold() for c in match.group(1) if c.isupper() or c.isdigit()]
    if len(letters) < 2:
        return ""
    before = text[max(0, match.start() - _LOOKBACK):match.start()]
    words = re.findall(r"[\w'’&\-\u2010\u2011]+", before)
    return _expansion(words, letters)


def _expansion(words: list[str], letters: list[str]) -> str:
    """Return the shortest run of trailing `words` whose initials spell `letters`: small words
    ("of", "and") and at most two extra capitalised words may be skipped; hyphenated words
    give one letter or one per part; "X" matches "Trans…", "Ex…" and "Cross…"."""
    def match(w: int, n: int, skips: int) -> int | None:
        """Return the index of the first word when words[:w] end in letters[:n]."""
        if n == 0:
            return w
        if w == 0:
            return None
        word = words[w - 1]
        for initials in _initials(word):
            k = len(initials)
            if n >= k and all(_letter_matches(letters[n - k + i], part) for i, part in
                              enumerate(initials)):
                found = match(w - 1, n - k, skips)
                if found is not None:
                    return found
        if n < len(letters) and word.casefold() in _STOPWORDS:
            return match(w - 1, n, skips)
        if n < len(letters) and skips and word[0].isupper():
            return match(w - 1, n, skips - 1)
        return None

    start = match(len(words), len(letters), 2)
    if start is None or words[start].casefold() in _STOPWORDS:
        return ""
    return " ".join(words[start:])


def _initials(word: str) -> list[list[str]]:
    parts = [p for p in re.split(r"[\-\u2010\u2011]", word) if p]  # hyphens, non-breaking too
    return [parts[:1], parts] if len(parts) > 1 else [parts]


def _letter_matches(letter: str, word: str) -> bool:
    folded = word.casefold()
    if folded.startswith(letter):
        return True
    return letter == "x" and folded.startswith(("trans", "ex", "cross"))


def _occurs(phrase: str, text: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words (a plain substring search first)."""
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        if not (at and text[at - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            return True
        at = text.find(phrase, at + 1)
    return False
