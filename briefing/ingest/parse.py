"""Parse a file or pasted text into a `ParsedSource`: the format's parser gives raw paragraphs,
then the shared steps tidy them and find metadata, people and glossary."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from briefing.commitments.extract import read_statement
from briefing.ingest import metadata
from briefing.ingest.formats import PARSERS
from briefing.ingest.formats.txt import text_paragraphs
from briefing.ingest.glossary import find_glossary, known_acronyms
from briefing.ingest.model import IngestError, ParsedParagraph, ParsedSource
from briefing.ingest.paragraphs import tidy
from briefing.ingest.people import find_people

MAX_FILE_BYTES = 256 * 1024 * 1024
SUPPORTED = frozenset(PARSERS)


def parse_file(path: Path) -> ParsedSource:
    """Return the parsed document at `path`; raise IngestError with a one-line reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PARSERS:
        raise IngestError(f"unsupported file type '{suffix or path.name}' (supported: "
                          + ", ".join(sorted(SUPPORTED)) + ")")
    data = _read(path)
    raw = PARSERS[suffix](data)
    fallback = getattr(raw, "title", "") or path.stem
    return build(raw, str(path), hashlib.sha256(data).hexdigest(), fallback)


def parse_text(text: str, origin: str = "pasted text") -> ParsedSource:
    """Return pasted text parsed as a document (paragraphs separated by blank lines)."""
    if not text.strip():
        raise IngestError("no text to import")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return build(text_paragraphs(text), origin, digest, origin)


def build(raw: Sequence[ParsedParagraph], origin: str, content_hash: str,
          fallback_title: str) -> ParsedSource:
    """Return the source made of a format's raw paragraphs, with what they say about it."""
    paragraphs = tidy(raw)
    if not paragraphs:
        raise IngestError("no text found (the document is empty)")
    texts = [p.text for p in paragraphs]
    heading = next((i for i, p in enumerate(paragraphs) if p.heading_level is not None), None)
    found = metadata.detect(texts, fallback_title, heading)
    people = find_people(texts, frozenset(known_acronyms()))
    return ParsedSource(
        title=found.title,
        issuer=found.issuer,
        kind=found.kind,
        date=found.date,
        place=found.place,
        origin=origin,
        content_hash=content_hash,
        paragraphs=paragraphs,
        people=people,
        glossary=find_glossary(texts),
        commitments=tuple(read_statement(found.title, found.issuer, found.date, people, texts)),
    )


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"file too large ({size // 2**20} MB; the limit is "
                              f"{MAX_FILE_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError("file not found (moved or deleted?)") from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file") from None
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror or exc})") from None
    if not data.strip():
        raise IngestError("empty file")
    return data
