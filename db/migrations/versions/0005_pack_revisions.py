"""Issued revisions of packs: each a frozen Document (JSON) with its hash. The pack's own
`revision` counter goes: the working copy's number follows from its revisions.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column("paper_size", sa.String(length=16), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["pack.id"],
            name=op.f("fk_pack_revision_pack_id_pack"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_revision")),
        sa.UniqueConstraint("pack_id", "number", name=op.f("uq_pack_revision_pack_id")),
    )
    op.create_index("ix_pack_revision_pack_id", "pack_revision", ["pack_id"])
    op.drop_column("pack", "revision")  # plain ALTER TABLE, as in 0004


def downgrade() -> None:
    op.add_column("pack", sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    op.drop_table("pack_revision")
