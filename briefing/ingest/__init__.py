"""Import: parse .txt, .md, .docx, .pdf and .html files or pasted text into sources with
passages, metadata, people and glossary (`parse_file`, `parse_text`); `briefing.importer`
stores them."""

from __future__ import annotations

from briefing.ingest.model import IngestError, ParsedParagraph, ParsedPerson, ParsedSource
from briefing.ingest.parse import SUPPORTED, parse_file, parse_text
from briefing.ingest.paths import expand_paths

__all__ = [
    "SUPPORTED",
    "IngestError",
    "ParsedParagraph",
    "ParsedPerson",
    "ParsedSource",
    "expand_paths",
    "parse_file",
    "parse_text",
]
