"""The commitments ledger: `commitment` (an undertaking a source records, with its status,
owner and notes), `source.commitments_read` (false for the sources stored before: the
library reads their commitments when it next opens) and `meeting.counterpart`.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=300), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_text", sa.String(length=200), nullable=False),
        sa.Column("due_start", sa.Date(), nullable=True),
        sa.Column("due_end", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "done", "dropped", name="commitmentstatus", native_enum=False,
                    length=32),
            nullable=False,
        ),
        sa.Column("owner", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_commitment_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passage.id"], name=op.f("fk_commitment_passage_id_passage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
    )  # fmt: skip
    op.create_index("ix_commitment_source_id", "commitment", ["source_id"])
    op.create_index("ix_commitment_passage_id", "commitment", ["passage_id"])
    op.add_column(
        "source",
        sa.Column("commitments_read", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("meeting", sa.Column("counterpart", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("counterpart")
    with op.batch_alter_table("source") as batch:
        batch.drop_column("commitments_read")
    op.drop_table("commitment")
