"""Copies for named people: a pack's distribution list (`distribution`, recipients in
order) and the log of the named copies made (`distribution_log`).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "distribution",
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["pack.id"],
            name=op.f("fk_distribution_pack_id_pack"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pack_id", "position", name=op.f("pk_distribution")),
    )
    op.create_table(
        "distribution_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"],
            ["pack.id"],
            name=op.f("fk_distribution_log_pack_id_pack"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distribution_log")),
    )
    op.create_index("ix_distribution_log_pack_id", "distribution_log", ["pack_id"])


def downgrade() -> None:
    op.drop_table("distribution_log")
    op.drop_table("distribution")
