"""PostgreSQL: a team member's search as quick as the owner's.

Two things made a member's search read every row, twice over:

- The policies of 0010 and 0011 worked out each row's level with `briefing_rank`, a function
  reading `marking_level` (never inlined: ~10 µs a row), and the reader's clearance, again
  for every row. `briefing_rank` is now written from the scheme itself, a plain CASE that
  PostgreSQL inlines (`briefing_define_rank`, run again by a trigger whenever the scheme
  changes), and the policies ask for the clearance once per query (`(SELECT …)`).
- Under row-level security PostgreSQL checks a query's own conditions only after the
  policy's, row by row, unless their operators are leakproof; `@@` is not, so no index
  served a member's search. `briefing_passage_matches(q, pairs, recheck, after, newest)`
  finds the matches, ranked, through the GIN indexes as the library's owner (SECURITY DEFINER) and applies the policies' own
  test for the logged-in user (`session_user`, as `briefing_withheld` does): anyone not in
  `team_member` gets nothing. Only ids and ranks come out; the caller reads the rows under
  its own policies.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# (table, its policy); the clearance asked once per query, not once per row
CLEARED = "briefing_rank(marking) <= (SELECT briefing_clearance())"
POLICIES = {
    "source": CLEARED,
    "item": CLEARED,
    "pack_revision": CLEARED,
    "override": CLEARED,
    "lost_citation": f"item_id IN (SELECT id FROM item) AND {CLEARED}",
}
OLD_CLEARED = "briefing_rank(marking) <= briefing_clearance()"  # 0010 and 0011's

# `briefing_rank(marking)`: the highest rank of the levels the marking is or starts with
# ("" the lowest level's), NULL for one outside the scheme, as 0010's, tested highest first
PG_RANK = """
CREATE FUNCTION briefing_define_rank() RETURNS void LANGUAGE plpgsql AS $define$
DECLARE
  marked constant text := 'upper(btrim(marking))';
  cases text;
BEGIN
  SELECT string_agg(format('WHEN %s = %L OR starts_with(%s, %L) THEN %s',
                           marked, name, marked, name || ' ', rank), ' ' ORDER BY rank DESC)
    INTO cases FROM marking_level;
  EXECUTE format('CREATE OR REPLACE FUNCTION briefing_rank(marking text) RETURNS integer'
                 ' LANGUAGE sql STABLE AS %L',
                 format('SELECT CASE WHEN btrim(marking) = %L THEN %s %s END', '',
                        coalesce((SELECT min(rank) FROM marking_level)::text, 'NULL::integer'),
                        coalesce(cases, '')));
END $define$;

CREATE FUNCTION briefing_scheme_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM briefing_define_rank();
  RETURN NULL;
END $$;

CREATE TRIGGER briefing_rank AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON marking_level
  FOR EACH STATEMENT EXECUTE FUNCTION briefing_scheme_changed();

SELECT briefing_define_rank();
"""
OLD_RANK = """
CREATE OR REPLACE FUNCTION briefing_rank(marking text) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN btrim(marking) = '' THEN (SELECT min(rank) FROM marking_level)
    ELSE (SELECT max(rank) FROM marking_level
          WHERE upper(btrim(marking)) = name OR upper(btrim(marking)) LIKE name || ' %')
  END
$$
"""

# The `newest` newest (NULL: all) passages above `after` matching `q`, with their ts_rank:
# `pairs` (0012's word pairs, NULL for none) are matched by the pair index and `q` checked
# again in those with `recheck` (the pairs not exact), without asking the word index
# (ts_match_vq), as db.search does for the owner. A pair lookup is precise: its matches are
# sorted ("+ 0"); words leave the order to the planner, which is given the query each time
# (a generic plan, not knowing how rare a word is, would walk the table newest first).
PG_MATCHES = """
CREATE FUNCTION briefing_passage_matches(q tsquery, pairs tsquery, recheck boolean,
                                         after integer, newest integer)
RETURNS TABLE (passage_id integer, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100
SET search_path = public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  clearance integer := briefing_clearance_of(session_user::text);
BEGIN
  IF pairs IS NULL THEN
    RETURN QUERY WITH hits AS (
      SELECT p.id FROM passage p JOIN source s ON s.id = p.source_id
      WHERE p.search @@ q AND p.id > after AND briefing_rank(s.marking) <= clearance
      ORDER BY p.id DESC LIMIT newest)
    SELECT p.id, ts_rank(p.search, q) FROM hits JOIN passage p ON p.id = hits.id;
  ELSE
    RETURN QUERY WITH hits AS (
      SELECT p.id FROM passage p JOIN source s ON s.id = p.source_id
      WHERE briefing_pairs(p.search) @@ pairs AND (NOT recheck OR ts_match_vq(p.search, q))
        AND p.id > after AND briefing_rank(s.marking) <= clearance
      ORDER BY p.id + 0 DESC LIMIT newest)
    SELECT p.id, ts_rank(p.search, q) FROM hits JOIN passage p ON p.id = hits.id;
  END IF;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PG_RANK)
    for table, visible in POLICIES.items():
        op.execute(f"ALTER POLICY clearance ON {table} USING ({visible})")
    op.execute(PG_MATCHES)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION briefing_passage_matches(tsquery, tsquery, boolean, integer, integer)")
    for table, visible in POLICIES.items():
        op.execute(f"ALTER POLICY clearance ON {table}"
                   f" USING ({visible.replace(CLEARED, OLD_CLEARED)})")  # fmt: skip
    op.execute("DROP TRIGGER briefing_rank ON marking_level")
    op.execute("DROP FUNCTION briefing_scheme_changed()")
    op.execute("DROP FUNCTION briefing_define_rank()")
    op.execute(OLD_RANK)
