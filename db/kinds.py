"""The kinds and states a library's rows take, as plain enums: the models store their values,
and the app's first screen reads them without importing SQLAlchemy (see `db.first_look`)."""

from __future__ import annotations

import enum


class SourceKind(enum.StrEnum):
    JOINT_STATEMENT = "joint statement"
    READOUT = "readout"
    SPEECH = "speech"
    PRESS_RELEASE = "press release"
    NOTE = "note"
    OTHER = "other"


class ItemKind(enum.StrEnum):
    OBJECTIVE = "objective"
    LINE_TO_TAKE = "line to take"
    IF_ASKED = "if asked"
    BACKGROUND = "background"
    KEY_FACT = "key fact"
    RISK = "risk"


class ItemStatus(enum.StrEnum):
    DRAFT = "draft"
    CLEARED = "cleared"


class CommitmentStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class EntryKind(enum.StrEnum):
    PASSAGE = "passage"
    ITEM = "item"
    SOURCE = "source"  # a whole source, shown as an annex
