"""PostgreSQL: a team member's search reads the search indexes.

Under row-level security PostgreSQL checks a query's own conditions only after the policy's,
row by row, unless their operators are leakproof; `@@` is not, so a team member's search
read every passage (the owner, who bypasses the policies, was not affected).
`briefing_passage_matches(q, pairs)` finds the matches through the GIN indexes as the
library's owner (SECURITY DEFINER) and applies the clearance itself, the policies' own test
(`briefing_rank(marking) <= briefing_clearance_of(member)`), for the logged-in user
(`session_user`, as `briefing_withheld` does): anyone not in `team_member` gets nothing.
Only ids come out; the caller reads the rows under its own policies.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# `pairs` (migration 0012's word pairs, NULL for none) is matched by the pair index and the
# query rechecked without asking the word index (ts_match_vq), as db.search does for the owner
PG_MATCHES = """
CREATE FUNCTION briefing_passage_matches(q tsquery, pairs tsquery)
RETURNS SETOF integer LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = public, pg_temp AS $$
DECLARE
  clearance integer := briefing_clearance_of(session_user::text);
BEGIN
  IF pairs IS NULL THEN
    RETURN QUERY SELECT p.id FROM passage p JOIN source s ON s.id = p.source_id
      WHERE p.search @@ q AND briefing_rank(s.marking) <= clearance;
  ELSE
    RETURN QUERY SELECT p.id FROM passage p JOIN source s ON s.id = p.source_id
      WHERE briefing_pairs(p.search) @@ pairs AND ts_match_vq(p.search, q)
        AND briefing_rank(s.marking) <= clearance;
  END IF;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_MATCHES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION briefing_passage_matches(tsquery, tsquery)")
