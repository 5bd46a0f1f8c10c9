"""A team library: who changed what and when (`changed_by`, `changed_at` on every edited row,
`item_history.saved_by`), the marking of what an issued revision shows
(`pack_revision.marking`), and on PostgreSQL: the database user and clock stamped by
triggers, a NOTIFY on every write, team members' clearances (`team_member`) and row-level
security hiding every row marked above the reader's clearance.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STAMPED = ("item", "pack", "section", "entry", "topic", "meeting", "source", "commitment")
CHANNEL = "briefing_changes"  # db.postgres.CHANNEL
# every table of the library at this revision (notifications)
TABLES = (
    "commitment", "distribution", "distribution_log", "entry", "glossary_term", "item", "item_citation",
    "item_history", "item_topic", "marking_caveat", "marking_level", "meeting", "pack",
    "pack_revision", "participant", "passage", "passage_topic", "person", "person_source",
    "section", "source", "source_copy", "team_member", "topic",
)
VISIBLE = "{column} IN (SELECT id FROM {table})"  # the row it hangs on is visible
# (table, who may see a row); `briefing_rank(marking) <= briefing_clearance()` for the rest
POLICIES = {
    "source": "briefing_rank(marking) <= briefing_clearance()",
    "item": "briefing_rank(marking) <= briefing_clearance()",
    "pack_revision": "briefing_rank(marking) <= briefing_clearance()",
    "source_copy": VISIBLE.format(column="source_id", table="source"),
    "passage": VISIBLE.format(column="source_id", table="source"),
    "person_source": VISIBLE.format(column="source_id", table="source"),
    "glossary_term": "source_id IS NULL OR " + VISIBLE.format(column="source_id", table="source"),
    "passage_topic": VISIBLE.format(column="passage_id", table="passage"),
    "item_topic": VISIBLE.format(column="item_id", table="item"),
    "commitment": VISIBLE.format(column="source_id", table="source"),
    "item_history": VISIBLE.format(column="item_id", table="item"),
    "item_citation": VISIBLE.format(column="item_id", table="item") + " AND "
    + VISIBLE.format(column="passage_id", table="passage"),
    "entry": " AND ".join(
        f"({column} IS NULL OR {VISIBLE.format(column=column, table=table)})"
        for column, table in (("passage_id", "passage"), ("item_id", "item"),
                              ("source_id", "source"))),
}  # fmt: skip

PG_FUNCTIONS = f"""
CREATE FUNCTION briefing_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.changed_by := current_user;
  NEW.changed_at := now();
  RETURN NEW;
END $$;

CREATE FUNCTION briefing_stamp_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.saved_by := current_user;
  RETURN NEW;
END $$;

CREATE FUNCTION briefing_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
  RETURN NULL;
END $$;

-- The rank of a marking's level ("" is the lowest level's); NULL for one outside the scheme.
CREATE FUNCTION briefing_rank(marking text) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN btrim(marking) = '' THEN (SELECT min(rank) FROM marking_level)
    ELSE (SELECT max(rank) FROM marking_level
          WHERE upper(btrim(marking)) = name OR upper(btrim(marking)) LIKE name || ' %')
  END
$$;

-- The rank of a team member's clearance; NULL (sees no marked row) for anyone else.
CREATE FUNCTION briefing_clearance_of(member text) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT l.rank FROM team_member m JOIN marking_level l ON l.name = m.clearance
  WHERE m.name = member
$$;

CREATE FUNCTION briefing_clearance() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT briefing_clearance_of(current_user::text)
$$;

-- The entries of a pack the connected user may not see, without their content: a pack
-- shows them as withheld rather than silently dropping them.
CREATE FUNCTION briefing_withheld(pack integer)
RETURNS TABLE (entry_id integer, section_id integer, entry_position integer, entry_kind text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT e.id, e.section_id, e.position, e.kind::text
  FROM entry e
  JOIN section s ON s.id = e.section_id
  LEFT JOIN passage p ON p.id = e.passage_id
  LEFT JOIN source ps ON ps.id = p.source_id
  LEFT JOIN item i ON i.id = e.item_id
  LEFT JOIN source es ON es.id = e.source_id
  WHERE s.pack_id = pack
    AND session_user::text IN (SELECT name FROM team_member)
    AND NOT coalesce(
      briefing_rank(coalesce(ps.marking, i.marking, es.marking))
        <= briefing_clearance_of(session_user::text), false)
  ORDER BY e.section_id, e.position
$$;
"""


def upgrade() -> None:
    for table in STAMPED:
        op.add_column(
            table, sa.Column("changed_by", sa.String(300), nullable=False, server_default="")
        )
        op.add_column(table, sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "item_history", sa.Column("saved_by", sa.String(300), nullable=False, server_default="")
    )
    op.add_column(
        "pack_revision", sa.Column("marking", sa.String(64), nullable=False, server_default="")
    )
    _mark_revisions()
    # who may read what on PostgreSQL (kept empty on SQLite, where the laptop's user reads all)
    op.create_table(
        "team_member",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("clearance", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_team_member")),
        sa.ForeignKeyConstraint(
            ["clearance"], ["marking_level.name"], name=op.f("fk_team_member_clearance_marking_level"),
            deferrable=True, initially="DEFERRED",  # a scheme is replaced level by level
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()


def _mark_revisions() -> None:
    """Mark each issued revision with the highest level its snapshot shows."""
    conn = op.get_bind()
    ranks = {name: rank for name, rank in conn.execute(sa.text("SELECT name, rank FROM marking_level"))}
    for rid, snapshot in conn.execute(sa.text("SELECT id, snapshot FROM pack_revision")).all():
        levels = [_level(m, ranks) for m in _markings(json.loads(snapshot))]
        known = [lv for lv in levels if lv]
        if known:
            top = max(known, key=ranks.__getitem__)
            conn.execute(sa.text("UPDATE pack_revision SET marking = :m WHERE id = :i"),
                         {"m": top, "i": rid})  # fmt: skip


def _markings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "marking" and isinstance(value, str):
                yield value
            else:
                yield from _markings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _markings(value)


def _level(marking: str, ranks: dict[str, int]) -> str:
    text = " ".join(marking.split()).upper()
    return max((lv for lv in ranks if text == lv or text.startswith(lv + " ")),
               key=len, default="")  # fmt: skip


def _pg_upgrade() -> None:
    op.execute(PG_FUNCTIONS)
    for table in STAMPED:
        op.execute(f"CREATE TRIGGER briefing_stamp BEFORE INSERT OR UPDATE ON {table}"
                   " FOR EACH ROW EXECUTE FUNCTION briefing_stamp()")  # fmt: skip
    op.execute("CREATE TRIGGER briefing_stamp BEFORE INSERT ON item_history"
               " FOR EACH ROW EXECUTE FUNCTION briefing_stamp_history()")  # fmt: skip
    for table in TABLES:
        op.execute(f"CREATE TRIGGER briefing_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                   f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION briefing_notify()")
    for table, visible in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY clearance ON {table} USING ({visible})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in POLICIES:
            op.execute(f"DROP POLICY clearance ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for table in TABLES:
            op.execute(f"DROP TRIGGER briefing_notify ON {table}")
        for table in (*STAMPED, "item_history"):
            op.execute(f"DROP TRIGGER briefing_stamp ON {table}")
        for function in ("briefing_withheld(integer)", "briefing_clearance()",
                         "briefing_clearance_of(text)", "briefing_rank(text)",
                         "briefing_notify()", "briefing_stamp_history()", "briefing_stamp()"):
            op.execute(f"DROP FUNCTION {function}")
    op.drop_table("team_member")
    op.drop_column("pack_revision", "marking")
    op.drop_column("item_history", "saved_by")
    for table in STAMPED:
        op.drop_column(table, "changed_at")
        op.drop_column(table, "changed_by")
