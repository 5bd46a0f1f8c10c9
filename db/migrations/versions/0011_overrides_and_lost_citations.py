"""Overrides recorded in the library (`override`: a pack let out past blocking pre-flight
findings) and citations lost to a deleted source (`lost_citation`), for the pre-flight; each
row carries the marking of what it names, and on PostgreSQL notifies and is hidden from
readers not cleared for that marking, as 0010's tables are.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CLEARED = "briefing_rank(marking) <= briefing_clearance()"  # 0010's functions
POLICIES = {
    "override": CLEARED,
    "lost_citation": f"item_id IN (SELECT id FROM item) AND {CLEARED}",
}


def upgrade() -> None:
    op.create_table(
        "override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("marking", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["pack_id"], ["pack.id"], name=op.f("fk_override_pack_id_pack"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_override")),
    )
    op.create_index("ix_override_pack_id", "override", ["pack_id"])
    op.create_table(
        "lost_citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_title", sa.String(length=500), nullable=False),
        sa.Column("passage_text", sa.Text(), nullable=False),
        sa.Column("marking", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("lost_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_lost_citation_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_citation")),
    )
    op.create_index("ix_lost_citation_item_id", "lost_citation", ["item_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table, visible in POLICIES.items():
            op.execute(f"CREATE TRIGGER briefing_notify AFTER INSERT OR UPDATE OR DELETE OR"
                       f" TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION"
                       " briefing_notify()")  # fmt: skip
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY clearance ON {table} USING ({visible})")


def downgrade() -> None:
    op.drop_table("lost_citation")
    op.drop_table("override")
