"""Search ignores the invisible characters import now keeps: soft hyphens, zero-width spaces,
joiners (so "steel" finds "ste\u00adel"). The search indexes are fed the text without them.
(So never 'rebuild' them: FTS5 would re-read the raw text; refill them as `feed` does.)
SQLite only: on PostgreSQL, 0003's `briefing_fold` drops them from the start.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (index, table, columns), as made by 0003
INDEXES = (
    ("passage_fts", "passage", ("text",)),
    ("item_fts", "item", ("title", "body")),
    ("source_fts", "source", ("title",)),
)
# soft hyphen, zero-width space, non-joiner, joiner, word joiner, zero-width no-break space:
# the characters db.text.fold ignores
INVISIBLE = (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)


def visible(column: str) -> str:
    """Return SQL giving `column` without the invisible characters."""
    for code in INVISIBLE:
        column = f"replace({column}, char({code}), '')"
    return column


def plain(column: str) -> str:
    return column


def feed(name: str, table: str, columns: tuple[str, ...], clean: Callable[[str], str]) -> None:
    """Make the triggers of index `name` feed it `clean(column)`, and refill it so."""
    cols = ", ".join(columns)
    new = ", ".join(clean(f"new.{c}") for c in columns)
    old = ", ".join(clean(f"old.{c}") for c in columns)
    insert = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
    op.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END"
    )
    op.execute(f"INSERT INTO {name}({name}) VALUES ('delete-all')")
    values = ", ".join(clean(c) for c in columns)
    op.execute(f"INSERT INTO {name}(rowid, {cols}) SELECT id, {values} FROM {table}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's folding (0003) ignores them already
    for name, table, columns in INDEXES:
        feed(name, table, columns, visible)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, table, columns in INDEXES:
        feed(name, table, columns, plain)
