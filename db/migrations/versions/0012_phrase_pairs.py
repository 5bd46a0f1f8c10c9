"""PostgreSQL: a GIN index of each passage's adjacent word pairs, so a phrase is found by
looking its pairs up rather than by rechecking every passage that holds all its words.

`briefing_pairs(search)` turns a passage's tsvector into a tsvector of "word next" pairs (from
its positions, so a pair is there exactly when `'word' <-> 'next'` matches). Pairs of more
than 62 bytes are left out, which keeps the 16,383 pairs a tsvector can place under its 1 MB
limit; a phrase holding one is searched as before. SQLite (FTS5 keeps positions in its index)
is unchanged.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MAX_PAIR = 62  # bytes of the longest pair indexed (db.search asks briefing_pairs for its pairs)
# COST: ~0.14 ms a call (as much as folding and splitting the text), so the planner never
# prefers computing it row by row to reading the index
PG_PAIRS = f"""
CREATE FUNCTION briefing_pairs(tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
  SELECT array_to_tsvector(coalesce(array_agg(word || ' ' || next)
           FILTER (WHERE next_at = at + 1 AND octet_length(word) + octet_length(next) <= {MAX_PAIR}),
         '{{}}'))
  FROM (SELECT word, at, lead(word) OVER w AS next, lead(at) OVER w AS next_at
        FROM (SELECT lexeme AS word, unnest(positions) AS at FROM unnest($1)) words
        WINDOW w AS (ORDER BY at)) pairs
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PG_PAIRS)
    op.execute("CREATE INDEX ix_passage_pairs ON passage USING gin (briefing_pairs(search))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_passage_pairs")
    op.execute("DROP FUNCTION briefing_pairs(tsvector)")
