"""Meetings come in series and packs carry passages to the next meeting: `meeting.series`
(None: inferred from the title) and `entry.carried` (a passage `pack next` carried over,
to be reviewed).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("meeting", sa.Column("series", sa.String(500), nullable=True))
    op.add_column(
        "entry", sa.Column("carried", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("entry") as batch:
        batch.drop_column("carried")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("series")
