"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temporary folder, listening
on a Unix socket only, run as an unprivileged user (initdb refuses root), torn down after.

One cluster per test session; each test gets a database of its own, copied from a template
that already holds an empty Briefing library (`CREATE DATABASE … TEMPLATE`), so the schema is
migrated once per session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

SUPERUSER = "briefing_admin"
PASSWORD = "test-secret"
UNPRIVILEGED = "postgres"  # Debian's postgresql package makes this user; else it is made here
SEARCH_PATHS = ("/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin")


def pg_tool(name: str) -> str:
    """Return the path of PostgreSQL's `name` (initdb, pg_ctl), the Debian server's first."""
    for folder in SEARCH_PATHS:
        path = Path(folder) / name
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: run scripts/install-system-deps.sh")
    return found


def _unprivileged_user() -> pwd.struct_passwd:
    """Return the user the cluster runs as when we are root, made if missing."""
    try:
        return pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", UNPRIVILEGED], check=True)
        return pwd.getpwnam(UNPRIVILEGED)


def _as_unprivileged(command: list[str]) -> list[str]:
    """Return `command` run as the unprivileged user when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", UNPRIVILEGED, "--", *command]


class Cluster:
    """A running throwaway cluster; `url(db, user, password)` names one of its databases."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="briefing-pg-"))  # short: sockets ≤ 107 bytes
        self.data = self.root / "data"
        if os.geteuid() == 0:
            user = _unprivileged_user()
            os.chown(self.root, user.pw_uid, user.pw_gid)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD)
        pwfile.chmod(0o644)
        subprocess.run(
            _as_unprivileged([
                pg_tool("initdb"), "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8",
                "--locale=C.UTF-8", "--auth=scram-sha-256", f"--pwfile={pwfile}", "--no-sync",
            ]),
            check=True, capture_output=True,
        )  # fmt: skip
        pwfile.unlink()
        self.start_server()
        self._template: str | None = None

    def start_server(self) -> None:
        options = (f"-k {self.root} -c listen_addresses='' -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
        subprocess.run(
            _as_unprivileged([pg_tool("pg_ctl"), "-D", str(self.data), "-l",
                              str(self.root / "log"), "-o", options, "-w", "start"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop_server(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_unprivileged([pg_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def url(self, database: str, user: str = SUPERUSER, password: str = PASSWORD) -> str:
        """Return the SQLAlchemy URL of `database` for `user`, over the cluster's socket."""
        return f"postgresql://{user}:{password}@/{database}?host={self.root}"

    def admin(self) -> psycopg.Connection:
        """Return an autocommit connection to the cluster's `postgres` database as superuser."""
        return psycopg.connect(host=str(self.root), dbname="postgres", user=SUPERUSER,
                               password=PASSWORD, autocommit=True)  # fmt: skip

    def new_database(self, *, library: bool = True) -> str:
        """Return the URL of a new database: an empty Briefing library, or with `library`
        False a database with nothing in it."""
        name = f"t_{secrets.token_hex(6)}"
        template = self._library_template() if library else "template0"
        with self.admin() as con:
            con.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)))
        return self.url(name)

    def _library_template(self) -> str:
        if self._template is None:
            name = "briefing_template"
            with self.admin() as con:
                con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            from db import Store

            Store(self.url(name)).close()
            self._template = name
        return self._template

    def as_user(self, url: str, user: str, password: str) -> str:
        """Return `url`'s database as `user` logging in with `password`."""
        return self.url(database_of(url), user, password)

    def drop_database(self, url: str) -> None:
        name = database_of(url)
        with self.admin() as con:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop_server("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def database_of(url: str) -> str:
    return str(make_url(url).database)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
