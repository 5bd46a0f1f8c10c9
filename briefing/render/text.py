"""Text safety shared by both renderers: what any string from the store becomes on paper.

Cleaning is visible and documented, so tests can say exactly what must come back:

* ``\\r\\n`` and a lone ``\\r`` become ``\\n``;
* C0 and C1 control characters other than tab and newline are dropped (they have no
  printed form and some are forbidden in XML);
* characters XML 1.0 forbids that are not controls (lone surrogates, U+FFFE, U+FFFF)
  become U+FFFD REPLACEMENT CHARACTER, so the reader sees that something was there.

Everything else (accents, CJK, RTL, emoji, ``<`` and ``&``) passes through unchanged;
each renderer escapes it for its own format.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
PROPERTY_LIMIT = 255  # characters: Word's limit for a core property (python-docx refuses more)

_NEWLINES = re.compile(r"\r\n?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_XML_INVALID = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Return `text` with newlines normalised, controls dropped, XML-invalid chars replaced."""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    return _XML_INVALID.sub(REPLACEMENT, text)


def split_label(label: str) -> list[str]:
    """Return ``"Page {page} of {pages}"`` as ``["Page ", "{page}", " of ", "{pages}"]``."""
    return [part for part in re.split(r"(\{page\}|\{pages\})", label) if part]


def shortened(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """Return `text` cut to `limit` characters at a word (or list) boundary, with an ellipsis
    (for where a whole text cannot go: file properties, bookmarks, running titles)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut
    return head.rstrip(" ,;:") + "…"
