"""One document, one source: recognising the same text imported again in another format.

A passage's *key* is its text folded (accents, case), with punctuation, quotes and dashes
dropped and whitespace collapsed, so the .docx, .pdf, .html and .md of one text give the
same keys. A source's *fingerprint* hashes the keys of all its passages joined, so it does
not depend on where a format breaks paragraphs. A near-duplicate (a corrected typo, a page
number left in a PDF) shares most passage keys with a source already in the library.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, func, or_, select, union_all
from sqlalchemy.orm import Session

from briefing.views import format_label as format_label
from briefing.views import format_of as format_of
from db.models import Passage, Source, SourceCopy
from db.text import fold

SHARED = 0.8  # a near-duplicate shares this much of the longer text as equal passages
MAX_CANDIDATES = 10
_NOT_WORDS = re.compile(r"[\W_]+")


def passage_key(text: str) -> str:
    """Return `text` folded to what matters for sameness: words only, lower case, no accents
    ("The EU’s — “steel” measure" → "the eu s steel measure")."""
    return _NOT_WORDS.sub(" ", fold(text)).strip()


def fingerprint(texts: Iterable[str]) -> str:
    """Return the sha256 of a document's passage texts, folded and joined."""
    joined = " ".join(key for key in map(passage_key, texts) if key)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def formats(source: Source) -> tuple[str, ...]:
    """Return the formats a source was imported in: its own first, then its copies'."""
    found = [format_of(source.origin), *(copy.format for copy in source.copies)]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Same:
    """A source already in the library holding the same document."""

    source_id: int
    title: str


def find_same(
    session: Session, texts: list[str], title: str, when: date | None, digest: str
) -> Same | None:
    """Return the source holding the document made of passage `texts` (whose fingerprint is
    `digest`), if the library has one.

    The fingerprint is looked up first (indexed); failing that, only a few candidates are
    compared passage by passage: sources of the same title, or of the same date with a
    similar number of passages. The library's other passages are never read.
    """
    exact = session.execute(
        select(Source.id, Source.title).where(Source.fingerprint == digest).limit(1)
    ).first()
    if exact is not None:
        return Same(exact.id, exact.title)
    ours = _key_words(texts)
    if not ours:
        return None
    # counted only for the sources of that date (the index on passage.source_id)
    count = select(func.count()).where(Passage.source_id == Source.id).scalar_subquery()
    similar = count.between(int(len(texts) * SHARED), int(len(texts) / SHARED) + 1)
    same_title = func.lower(Source.title) == title.lower()
    same_day = and_(Source.date == when, similar) if when is not None else false()
    candidates = session.execute(
        select(Source.id, Source.title)
        .where(or_(same_title, same_day))
        .order_by(Source.id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    for candidate in candidates:
        theirs = _key_words(
            session.scalars(select(Passage.text).where(Passage.source_id == candidate.id))
        )
        if shared(ours, theirs) >= SHARED:
            return Same(candidate.id, candidate.title)
    return None


def _key_words(texts: Iterable[str]) -> dict[str, int]:
    """Return each passage key of `texts` with how many words it holds."""
    return {key: key.count(" ") + 1 for key in map(passage_key, texts) if key}


def shared(ours: dict[str, int], theirs: dict[str, int]) -> float:
    """Return the share of the longer text (in words) that both hold as equal passages."""
    both = sum(words for key, words in ours.items() if key in theirs)
    return both / max(sum(ours.values()), sum(theirs.values()))


def add_copy(session: Session, source_id: int, origin: str, content_hash: str) -> str:
    """Record `origin` as another file of source `source_id`; return its format."""
    fmt = format_of(origin)
    session.add(
        SourceCopy(source_id=source_id, origin=origin, format=fmt, content_hash=content_hash)
    )
    return fmt


def known_file(session: Session, content_hash: str) -> int | None:
    """Return the source that this exact file (or a copy of it) was imported as, if any."""
    return session.scalar(union_all(
        select(Source.id).where(Source.content_hash == content_hash),
        select(SourceCopy.source_id).where(SourceCopy.content_hash == content_hash),
    ).limit(1))  # fmt: skip
