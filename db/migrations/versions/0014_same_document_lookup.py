"""Indexes for finding the same document at import: `source` by lower-cased title and by
date. Without them every import read every source (the candidates of `find_same`), so
importing into a library of thousands of sources slowed with each one.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_source_title_lower", "source", [sa.text("lower(title)")])
    op.create_index("ix_source_date", "source", ["date"])


def downgrade() -> None:
    op.drop_index("ix_source_date", "source")
    op.drop_index("ix_source_title_lower", "source")
