"""Store a parsed source: its passages, people and glossary, tagged, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from briefing.commitments.ledger import store_found
from briefing.document import Runs
from briefing.duplicates import add_copy, find_same, fingerprint, format_label, known_file
from briefing.markings import load_scheme
from briefing.source_marking import banner_marking
from briefing.tagging import tag_passages
from db.models import GlossaryTerm, Passage, Person, Source, SourceKind
from db.text import fold

if TYPE_CHECKING:
    from briefing.ingest import ParsedSource

Status = Literal["imported", "same document", "already in library", "skipped", "failed"]


@dataclass(frozen=True)
class ImportResult:
    path: str
    status: Status
    passages: int = 0
    source_id: int | None = None
    reason: str = ""  # why it failed; for "same document", what it is the same as
    log: str = ""  # the log file holding the traceback of an internal error

    def describe(self) -> str:
        match self.status:
            case "imported":
                return f"{self.path}: imported ({self.passages} passages)"
            case "same document":
                return f"{self.path}: {self.reason}"
            case "already in library":
                return f"{self.path}: already in library"
            case "skipped":  # a file in a folder that is not a document Briefing reads
                return f"{self.path}: skipped (not a document Briefing reads)"
        return f"{self.path}: failed: {self.reason}"


def runs_json(runs: Runs) -> list[list[str]]:
    """Return runs in the stored form: [[text, flags], …] with flags "", "b", "i" or "bi"."""
    return [[r.text, ("b" if r.bold else "") + ("i" if r.italic else "")] for r in runs]


def store_parsed(session: Session, parsed: ParsedSource, *, separate: bool = False) -> ImportResult:
    """Add `parsed` to the library unless the same file is there already.

    The same document in another format (or nearly the same) is kept as one source: the file
    is recorded as a copy of the source already there. With `separate`, it becomes a source
    of its own all the same.
    """
    existing = known_file(session, parsed.content_hash)
    if existing is not None:
        return ImportResult(parsed.origin, "already in library", source_id=existing)
    texts = [p.text for p in parsed.paragraphs]
    digest = fingerprint(texts)
    same = None if separate else find_same(session, texts, parsed.title, parsed.date, digest)
    if same is not None:
        fmt = add_copy(session, same.source_id, parsed.origin, parsed.content_hash)
        what = f"same document as source {same.source_id} (“{same.title}”)"
        return ImportResult(
            parsed.origin,
            "same document",
            source_id=same.source_id,
            reason=f"{what}; also imported as {format_label(fmt)}",
        )
    source = Source(
        title=parsed.title,
        issuer=parsed.issuer,
        kind=SourceKind(parsed.kind),
        date=parsed.date,
        place=parsed.place,
        origin=parsed.origin,
        content_hash=parsed.content_hash,
        fingerprint=digest,
        marking=banner_marking(texts, load_scheme(session)),
        commitments_read=True,  # store_found stores them below, in this transaction
    )
    session.add(source)
    session.flush()
    rows = [
        {
            "source_id": source.id,
            "seq": seq,
            "text": text,
            "runs": runs_json(para.runs),
            "heading_level": para.heading_level,
        }
        for seq, (para, text) in enumerate(zip(parsed.paragraphs, texts, strict=True), start=1)
    ]
    # One multi-row INSERT … RETURNING rather than an ORM object per paragraph.
    ids = list(
        session.scalars(insert(Passage).returning(Passage.id, sort_by_parameter_order=True), rows)
    )
    for found in parsed.people:
        person = _person(session, found.name)
        if person is None:
            person = Person(name=found.name, key=fold(found.name))
            session.add(person)
        for field in ("family_name", "role", "organisation", "side"):
            if not getattr(person, field):
                setattr(person, field, getattr(found, field))
        person.sources.append(source)
    terms = [term for term, _ in parsed.glossary]
    known = set(session.scalars(select(GlossaryTerm.term).where(GlossaryTerm.term.in_(terms)))
                ) if terms else set()  # fmt: skip
    for term, expansion in parsed.glossary:
        if term not in known:
            session.add(GlossaryTerm(term=term, expansion=expansion, source_id=source.id))
            known.add(term)
    session.flush()
    tag_passages(session, list(zip(ids, texts, strict=True)), new=True)
    store_found(session, source, ids, parsed.commitments)
    return ImportResult(parsed.origin, "imported", len(rows), source.id)


def _person(session: Session, name: str) -> Person | None:
    return session.scalar(select(Person).where(Person.key == fold(name)))
