"""Search over passages, items and source titles: one FTS5 index each (accents folded,
prefix indexes for as-you-type search), kept in step by triggers.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
# (index, table, columns); each index has prefix indexes for 2-, 3- and 4-letter prefixes
INDEXES = (
    ("passage_fts", "passage", ("text",)),
    ("item_fts", "item", ("title", "body")),
    ("source_fts", "source", ("title",)),
)


def create_index(name: str, table: str, columns: tuple[str, ...], prefix: str) -> None:
    """Create the FTS5 index `name` over `table`, its triggers, and fill it."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    options = f"content='{table}', content_rowid='id', {TOKENIZE}" + (
        f", prefix='{prefix}'" if prefix else ""
    )
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, {options})")
    insert = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    op.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END"
    )
    op.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")


def drop_index(name: str) -> None:
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {name}")


def upgrade() -> None:
    drop_index("passage_fts")  # 0002's, without prefix indexes
    for name, table, columns in INDEXES:
        create_index(name, table, columns, "2 3 4")


def downgrade() -> None:
    for name, _, _ in INDEXES:
        drop_index(name)
    create_index("passage_fts", "passage", ("text",), "")
