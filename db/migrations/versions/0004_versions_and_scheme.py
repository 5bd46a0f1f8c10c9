"""Second stage: versions on every editable row, one source per document (its other imported
files as copies), the marking scheme in the library, meeting participants, item history.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = ("item", "pack", "section", "entry", "topic", "meeting")
DEFAULT_LEVELS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite >= 3.35 drops columns too): a batch "move and copy" would
    # drop tables that others refer to, and SQLite's ON DELETE actions would fire.
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column(
        "source", sa.Column("fingerprint", sa.String(length=64), nullable=False, server_default="")
    )
    op.create_index("ix_source_fingerprint", "source", ["fingerprint"])
    op.create_table(
        "source_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=1000), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_source_copy_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_copy")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_source_copy_content_hash")),
    )
    op.create_index("ix_source_copy_source_id", "source_copy", ["source_id"])
    levels = op.create_table(
        "marking_level",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_marking_level")),
        sa.UniqueConstraint("rank", name=op.f("uq_marking_level_rank")),
    )
    op.create_table(
        "marking_caveat",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_marking_caveat")),
    )
    op.bulk_insert(levels, [{"name": n, "rank": i} for i, n in enumerate(DEFAULT_LEVELS)])
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("role", sa.Text(), nullable=False, server_default=""),
        sa.Column("organisation", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("side", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_participant_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_participant_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    op.create_index("ix_participant_meeting_id", "participant", ["meeting_id"])
    op.drop_column("meeting", "participants")  # person ids nothing ever wrote
    op.create_table(
        "item_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_history_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_history")),
    )
    op.create_index("ix_item_history_item_id", "item_history", ["item_id"])


def downgrade() -> None:
    op.drop_table("item_history")
    op.add_column("meeting", sa.Column("participants", sa.JSON(), nullable=False, server_default="[]"))
    op.drop_table("participant")
    op.drop_table("marking_caveat")
    op.drop_table("marking_level")
    op.drop_table("source_copy")
    op.drop_index("ix_source_fingerprint", "source")
    op.drop_column("source", "fingerprint")
    for table in VERSIONED:
        op.drop_column(table, "version")
