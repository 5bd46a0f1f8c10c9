"""Full-text search over passages (FTS5, accents folded), kept in step by triggers.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's search comes whole with 0003
    op.execute(
        "CREATE VIRTUAL TABLE passage_fts USING fts5(text, content='passage', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER passage_fts_ai AFTER INSERT ON passage BEGIN"
        " INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER passage_fts_ad AFTER DELETE ON passage BEGIN"
        " INSERT INTO passage_fts(passage_fts, rowid, text)"
        " VALUES ('delete', old.id, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER passage_fts_au AFTER UPDATE OF text ON passage BEGIN"
        " INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text);"
        " INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute("INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("passage_fts_ai", "passage_fts_ad", "passage_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS passage_fts")
