"""SQLAlchemy 2 typed models of a Briefing library (see docs/DESIGN.md, "Data model")."""

from __future__ import annotations

import enum
import getpass
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from db.kinds import CommitmentStatus as CommitmentStatus
from db.kinds import EntryKind as EntryKind
from db.kinds import ItemKind as ItemKind
from db.kinds import ItemStatus as ItemStatus
from db.kinds import SourceKind as SourceKind

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def who(context: Any = None) -> str:
    """Return who is making a change (the default of `changed_by`; `context` is SQLAlchemy's
    execution context): the database user on PostgreSQL (noted on each connection by the
    store; a trigger stamps it too, whatever is sent), else the login name on this machine."""
    return user_of(context.connection.info if context is not None else {})


def user_of(info: dict[Any, Any]) -> str:
    """Return the user a connection with `info` (Connection.info) writes as; see `who`."""
    if info.get("user"):
        return str(info["user"])
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[object, object]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """A row that records who last changed it and when (migration 0010)."""

    changed_by: Mapped[str] = mapped_column(
        String(300), default=who, onupdate=who, server_default=""
    )
    changed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Versioned(Stamped):
    """A row the user edits: saves name the version they started from, and an UPDATE whose
    version no longer matches raises `StaleDataError` instead of overwriting a newer save.

    The code that changes a row bumps `version` itself (`bump`), so changes to its links
    (topics, citations, entries) count as changes of the row too.
    """

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        table = cls.__table__  # type: ignore[attr-defined]  # the mapped class's, at mapping
        return {"version_id_col": table.c.version, "version_id_generator": False}

    def bump(self) -> None:
        """Mark the row changed: its next UPDATE checks the old version and writes the next."""
        if self.version is not None:  # else not stored yet: it is inserted as version 1
            self.version += 1


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        validate_strings=True,
        length=32,
    )


passage_topic = Table(
    "passage_topic",
    Base.metadata,
    Column("passage_id", ForeignKey("passage.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)

item_topic = Table(
    "item_topic",
    Base.metadata,
    Column("item_id", ForeignKey("item.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)

item_citation = Table(
    "item_citation",
    Base.metadata,
    Column("item_id", ForeignKey("item.id", ondelete="CASCADE"), primary_key=True),
    Column("passage_id", ForeignKey("passage.id", ondelete="CASCADE"), primary_key=True),
)

person_source = Table(
    "person_source",
    Base.metadata,
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("source.id", ondelete="CASCADE"), primary_key=True),
)


class Source(Stamped, Base):
    """An imported document."""

    __tablename__ = "source"
    # the same document is looked for by title and by date at every import (migration 0014)
    __table_args__ = (Index("ix_source_title_lower", func.lower(column("title"))),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[SourceKind] = mapped_column(_enum(SourceKind), default=SourceKind.OTHER)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(1000), default="")
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # hash of the normalised text: the same document imported from another format matches
    fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    marking: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # its commitments have been read (a source stored before the ledger existed has not)
    commitments_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", order_by="Passage.seq", cascade="all, delete-orphan"
    )
    copies: Mapped[list[SourceCopy]] = relationship(
        back_populates="source", order_by="SourceCopy.id", cascade="all, delete-orphan"
    )
    people: Mapped[list[Person]] = relationship(secondary=person_source, back_populates="sources")


class SourceCopy(Base):
    """Another file of the same document (e.g. the PDF of a statement imported as Word)."""

    __tablename__ = "source_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(1000), default="")
    format: Mapped[str] = mapped_column(String(16), default="")
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped[Source] = relationship(back_populates="copies")


class Passage(Base):
    """One paragraph of a source, in order; `runs` keeps inline emphasis."""

    __tablename__ = "passage"
    __table_args__ = (
        UniqueConstraint("source_id", "seq"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # paragraph number within the source, from 1
    text: Mapped[str] = mapped_column(Text)  # plain text (searched, tagged)
    # [[text, flags], ...] with flags "", "b", "i" or "bi"
    runs: Mapped[list[Any]] = mapped_column(default=list)
    heading_level: Mapped[int | None] = mapped_column(Integer)  # set for a heading

    source: Mapped[Source] = relationship(back_populates="passages")
    topics: Mapped[list[Topic]] = relationship(secondary=passage_topic, back_populates="passages")


class Topic(Versioned, Base):
    """A subject a meeting can cover, with the rules that tag passages and items with it."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # short name, e.g. "steel"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"match": [phrase, ...]}
    position: Mapped[int] = mapped_column(Integer, default=0)

    passages: Mapped[list[Passage]] = relationship(secondary=passage_topic, back_populates="topics")
    items: Mapped[list[Item]] = relationship(secondary=item_topic, back_populates="topics")


class Person(Base):
    """Someone named in the sources; one record per person across sources."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # as written, e.g. "Maroš ŠEFČOVIČ"
    key: Mapped[str] = mapped_column(String(300), unique=True)  # folded name for de-duplication
    family_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    side: Mapped[str] = mapped_column(String(100), default="")

    sources: Mapped[list[Source]] = relationship(secondary=person_source, back_populates="people")


class GlossaryTerm(Base):
    __tablename__ = "glossary_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(50), unique=True)
    expansion: Mapped[str] = mapped_column(String(500))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))


class Item(Versioned, Base):
    """The user's own briefing text: objective, line to take, background, …"""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind), default=ItemKind.BACKGROUND)
    title: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    marking: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), default=ItemStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    topics: Mapped[list[Topic]] = relationship(secondary=item_topic, back_populates="items")
    citations: Mapped[list[Passage]] = relationship(secondary=item_citation)


class ItemHistory(Base):
    """An item's text as it was before a save replaced it (conflicts keep both texts)."""

    __tablename__ = "item_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")
    saved_by: Mapped[str] = mapped_column(String(300), default=who, server_default="")


class Meeting(Versioned, Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    # the meeting series it belongs to, as the user set it; None: inferred from the title
    # (`briefing.series.series_of`)
    series: Mapped[str | None] = mapped_column(String(500))
    # whom the meeting is with ("Japan"), as the user set it; None: inferred from the title
    # or series (`briefing.parties.counterpart_of`); "": with no one in particular
    counterpart: Mapped[str | None] = mapped_column(String(100))

    participants: Mapped[list[Participant]] = relationship(
        back_populates="meeting", order_by="Participant.position", cascade="all, delete-orphan"
    )


class Participant(Base):
    """Someone attending a meeting: a person the library knows, or a name typed in."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    side: Mapped[str] = mapped_column(String(100), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    person: Mapped[Person | None] = relationship()


class MarkingLevel(Base):
    """One level of the library's marking scheme; `rank` orders them, lowest first."""

    __tablename__ = "marking_level"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)


class MarkingCaveat(Base):
    """A caveat the scheme allows after a level, e.g. "UK EYES ONLY"."""

    __tablename__ = "marking_caveat"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)


class Pack(Versioned, Base):
    __tablename__ = "pack"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    marking: Mapped[str] = mapped_column(String(64), default="")
    template: Mapped[str] = mapped_column(String(100), default="ministerial")
    paper_size: Mapped[str] = mapped_column(String(16), default="")  # "" = the template's
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    meeting: Mapped[Meeting | None] = relationship()
    sections: Mapped[list[Section]] = relationship(
        back_populates="pack", order_by="Section.position", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PackRevision]] = relationship(
        back_populates="pack", order_by="PackRevision.number", cascade="all, delete-orphan",
        passive_deletes=True,
    )  # fmt: skip


class PackRevision(Base):
    """An issued revision of a pack: its `Document` frozen as JSON (`briefing.snapshot`),
    numbered 1, 2, … per pack; `content_hash` leaves out the cover's revision line."""

    __tablename__ = "pack_revision"
    __table_args__ = (UniqueConstraint("pack_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(100))
    paper_size: Mapped[str] = mapped_column(String(16), default="")
    snapshot: Mapped[str] = mapped_column(Text)
    # the highest level it shows (row-level security on PostgreSQL hides it above that)
    marking: Mapped[str] = mapped_column(String(64), default="", server_default="")

    pack: Mapped[Pack] = relationship(back_populates="revisions")


class Section(Versioned, Base):
    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"))

    pack: Mapped[Pack] = relationship(back_populates="sections")
    topic: Mapped[Topic | None] = relationship()
    entries: Mapped[list[Entry]] = relationship(
        back_populates="section", order_by="Entry.position", cascade="all, delete-orphan"
    )


class Entry(Versioned, Base):
    """One thing in a section: a passage, an item or a whole source (as an annex)."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'passage' AND passage_id IS NOT NULL"
            " AND item_id IS NULL AND source_id IS NULL)"
            " OR (kind = 'item' AND item_id IS NOT NULL"
            " AND passage_id IS NULL AND source_id IS NULL)"
            " OR (kind = 'source' AND source_id IS NOT NULL"
            " AND passage_id IS NULL AND item_id IS NULL)",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EntryKind] = mapped_column(_enum(EntryKind))
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passage.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"))
    # a passage carried from the previous meeting's pack (`pack next`), to be reviewed
    carried: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    section: Mapped[Section] = relationship(back_populates="entries")
    passage: Mapped[Passage | None] = relationship()
    item: Mapped[Item | None] = relationship()
    source: Mapped[Source | None] = relationship()


class DistributionRecipient(Base):
    """One name on a pack's distribution list, in order (`position` from 1)."""

    __tablename__ = "distribution"

    pack_id: Mapped[int] = mapped_column(
        ForeignKey("pack.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))


class DistributionLog(Base):
    """A named copy made of a pack: copy `copy` of `copies`, for `recipient`, of the working
    copy (`revision` None) or an issued revision, at `level` ("" = the pack's own marking)."""

    __tablename__ = "distribution_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int | None] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(300))
    copy: Mapped[int] = mapped_column(Integer)
    copies: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(64), default="")
    format: Mapped[str] = mapped_column(String(16), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by: Mapped[str] = mapped_column(String(300), default="")


class Override(Base):
    """A pack that left the app (export, print, share, named copies) past pre-flight findings
    that block: what was passed over, at which level, when and by whom."""

    __tablename__ = "override"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pack.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))  # "export", "print", "share", "copy"
    level: Mapped[str] = mapped_column(String(64), default="")
    findings: Mapped[str] = mapped_column(Text)  # one finding described per line
    # the highest marking of what the pack showed then: the findings may name any of it
    marking: Mapped[str] = mapped_column(String(64), default="", server_default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by: Mapped[str] = mapped_column(String(300), default="")


class LostCitation(Base):
    """A citation an item lost when the source it cited was deleted: kept so the pre-flight
    can say so until the item is next saved (or the source is put back)."""

    __tablename__ = "lost_citation"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(Integer)  # gone: no foreign key
    source_title: Mapped[str] = mapped_column(String(500))
    passage_text: Mapped[str] = mapped_column(Text)
    marking: Mapped[str] = mapped_column(String(64), default="", server_default="")  # source's
    lost_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Commitment(Versioned, Base):
    """An undertaking a source records ("both sides will …"), found on import; the user
    keeps its status, owner and notes."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)  # the sentence in its paragraph
    text: Mapped[str] = mapped_column(Text)  # the whole sentence
    who: Mapped[str] = mapped_column(String(300))  # "EU", "Japan", "both", "G7", a body
    what: Mapped[str] = mapped_column(Text)
    due_text: Mapped[str] = mapped_column(String(200), default="")  # "by the end of 2027"
    due_start: Mapped[date | None] = mapped_column(Date)
    due_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(
        _enum(CommitmentStatus), default=CommitmentStatus.OPEN
    )
    owner: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    source: Mapped[Source] = relationship()
    passage: Mapped[Passage] = relationship()
