"""Search over passages, items and source titles: one FTS5 index each (accents folded,
prefix indexes for as-you-type search), kept in step by triggers.

On PostgreSQL: a generated `search` tsvector column on each table (the `simple` configuration
over `briefing_fold(text)`: unaccented, lower case, invisible characters dropped, words split
as db.search splits them) with a GIN index; prefix queries use `word:*`.

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


# db.text.fold's invisible characters: soft hyphen, zero-width space, non-joiner, joiner,
# word joiner, zero-width no-break space
PG_FOLD = r"""
CREATE FUNCTION briefing_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(
    public.unaccent('public.unaccent'::regdictionary,
                    translate($1, E'\u00ad\u200b\u200c\u200d\u2060\ufeff', '')),
    '[^[:alnum:]]+', ' ', 'g'))
$$
"""


def pg_upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
    op.execute(PG_FOLD)
    for _, table, columns in INDEXES:
        words = " || ' ' || ".join(columns)
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search tsvector GENERATED ALWAYS AS"
            f" (to_tsvector('simple'::regconfig, briefing_fold({words}))) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search)")


def pg_downgrade() -> None:
    for _, table, _ in INDEXES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN search")
    op.execute("DROP FUNCTION briefing_fold(text)")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        pg_upgrade()
        return
    drop_index("passage_fts")  # 0002's, without prefix indexes
    for name, table, columns in INDEXES:
        create_index(name, table, columns, "2 3 4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        pg_downgrade()
        return
    for name, _, _ in INDEXES:
        drop_index(name)
    create_index("passage_fts", "passage", ("text",), "")
