"""What a team library on PostgreSQL needs beyond SQLAlchemy: its URLs (psycopg 3), and news
of teammates' changes (LISTEN/NOTIFY; migration 0010's triggers notify on every write).

The password comes from the URL, else libpq's own `$PGPASSWORD` or `~/.pgpass`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL

if TYPE_CHECKING:  # psycopg is imported when a team library is opened, not at every start
    import psycopg

CHANNEL = "briefing_changes"  # what migration 0010's triggers notify
DRIVERS = ("postgresql", "postgres", "postgresql+psycopg")


def is_postgres(url: URL) -> bool:
    return url.drivername in DRIVERS


def with_driver(url: URL) -> URL:
    """Return `url` driven by psycopg 3 (`postgresql://` would ask SQLAlchemy for psycopg2)."""
    return url.set(drivername="postgresql+psycopg") if is_postgres(url) else url


class Notifications:
    """A connection of its own LISTENing on CHANNEL, polled without blocking. Notifications
    sent by `engine`'s own connections (this program's writes) are not news."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._own: set[int] = set()
        self._listener: psycopg.Connection[Any] | None = None
        self._listened = False  # a listener was open before: reconnecting may have missed news
        event.listen(engine, "connect", self._note_own)

    def _note_own(self, dbapi_connection: psycopg.Connection[Any], _record: object) -> None:
        self._own.add(dbapi_connection.info.backend_pid)

    def changed_elsewhere(self) -> bool:
        """Return whether another program has written since the last call. After a lost
        connection the next call listens again and answers True (news may have been missed)."""
        import psycopg

        if self._listener is None or self._listener.closed:
            missed = self._listened
            try:
                self._listen()
            except psycopg.Error:
                return False
            return missed
        try:
            news = [n for n in self._listener.notifies(timeout=0) if n.pid not in self._own]
        except psycopg.Error:
            self.close()
            return False
        return bool(news)

    def _listen(self) -> None:
        import psycopg

        args, kwargs = self._engine.dialect.create_connect_args(self._engine.url)
        kwargs.pop("context", None)
        self._listener = psycopg.connect(*args, **kwargs, autocommit=True)
        self._listener.execute(f"LISTEN {CHANNEL}")
        self._listened = True

    def close(self) -> None:
        import psycopg

        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                self._listener.close()
            self._listener = None
