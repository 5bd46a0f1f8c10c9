"""A team library's users on PostgreSQL: login roles, each with a clearance (a level of the
library's marking scheme) in `team_member`, which the row-level security policies of
migration 0010 compare every marked row with. Only the library's owner (the role owning its
tables) manages them. On SQLite there are no users: the laptop's user reads everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.store import StoreError

if TYPE_CHECKING:  # imported when users are managed, not at every start
    import psycopg
    from psycopg import sql

# what a team member may do to each table (the rest: read, write, delete)
READ_ONLY = ("alembic_version", "marking_level", "marking_caveat", "team_member")
OWNER = "(owner)"  # the clearance shown for the library's owner, who sees everything


class TeamError(StoreError):
    """A team operation refused; the message says why, in one line."""


@dataclass(frozen=True)
class Member:
    name: str
    clearance: str


def _driver(session: Session) -> psycopg.Connection[Any]:
    if not _on_postgres(session):
        raise TeamError("team users need a library on PostgreSQL (--db postgresql://…)")
    return cast("psycopg.Connection[Any]", session.connection().connection.driver_connection)


def _on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def owner(session: Session) -> str:
    """Return the role that owns the library's tables."""
    _driver(session)
    return str(session.scalar(text("SELECT pg_get_userbyid(relowner) FROM pg_class"
                                   " WHERE oid = 'public.source'::regclass")))  # fmt: skip


def _require_owner(session: Session) -> None:
    manager = session.scalar(text(
        "SELECT pg_has_role(current_user, relowner, 'MEMBER') FROM pg_class"
        " WHERE oid = 'public.source'::regclass"))
    if not manager:
        raise TeamError(f"only the library's owner ({owner(session)}) can manage users")


def members(session: Session) -> list[Member]:
    """Return the owner, then the team's users by name, with their clearances."""
    rows = session.execute(text("SELECT name, clearance FROM team_member ORDER BY name"))
    return [Member(owner(session), OWNER), *(Member(n, c) for n, c in rows)]


def add_member(session: Session, name: str, clearance: str, password: str | None) -> None:
    """Make `name` a login role (or use the role of that name) and a member cleared to
    `clearance`, with the rights every member has."""
    import psycopg
    from psycopg import sql

    con = _driver(session)
    _require_owner(session)
    if session.scalar(text("SELECT 1 FROM team_member WHERE name = :n"), {"n": name}):
        raise TeamError(f"{name} is already a user of this library (team set-clearance changes"
                        " a clearance)")  # fmt: skip
    role = sql.Identifier(name)
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    try:
        _grant(con, role, create=not exists, password=password)
    except psycopg.Error as exc:
        reason = exc.diag.message_primary or str(exc).splitlines()[0]
        raise TeamError(f"cannot add {name} ({reason})") from None
    session.execute(text("INSERT INTO team_member (name, clearance) VALUES (:n, :c)"),
                    {"n": name, "c": clearance})  # fmt: skip


def _grant(con: psycopg.Connection[Any], role: sql.Identifier, *, create: bool,
           password: str | None) -> None:
    from psycopg import sql

    with con.cursor() as cur:
        if create:
            cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
        if password is not None:
            cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
        database = sql.Identifier(con.info.dbname)
        cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, role))
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
        cur.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
                            " TO {}").format(role))  # fmt: skip
        cur.execute(sql.SQL("REVOKE INSERT, UPDATE, DELETE ON {} FROM {}").format(
            sql.SQL(", ").join(map(sql.Identifier, READ_ONLY)), role))
        cur.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}")
                    .format(role))  # fmt: skip
        # tables a later migration adds (run by the owner, as this is) are granted as well;
        # the migration gives them their row-level security
        cur.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT,"
                            " UPDATE, DELETE ON TABLES TO {}").format(role))  # fmt: skip
        cur.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT"
                            " ON SEQUENCES TO {}").format(role))  # fmt: skip


def set_clearance(session: Session, name: str, clearance: str) -> None:
    _driver(session)
    _require_owner(session)
    changed = session.execute(text("UPDATE team_member SET clearance = :c WHERE name = :n"),
                              {"n": name, "c": clearance})  # fmt: skip
    if not changed.rowcount:  # type: ignore[attr-defined]
        raise TeamError(f"{name} is not a user of this library (see `briefing team users`)")


@dataclass(frozen=True)
class Withheld:
    """An entry of a pack the reader may not see: where it is, never what it holds."""

    entry_id: int
    section_id: int
    position: int
    kind: str


def withheld(session: Session, pack_id: int) -> list[Withheld]:
    """Return the entries of pack `pack_id` hidden from this reader (none on SQLite)."""
    if not _on_postgres(session):
        return []
    rows = session.execute(text("SELECT * FROM briefing_withheld(:p)"), {"p": pack_id})
    return [Withheld(*row) for row in rows]
