"""Errors meant for the user: the CLI prints the message as one line, the app in a dialog.
Anything else is a bug: the user gets a one-line reason, the traceback goes to the log file."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path


class BriefingError(Exception):
    """Base of every error the core reports to the user."""


class InputError(BriefingError):
    """Bad input from the user: an unknown topic, a malformed date, an unreadable file."""


class Missing(InputError):
    """The row asked for is not there (never was, or was deleted elsewhere)."""


class Conflict(BriefingError):
    """A save started from an older version of a row that was changed elsewhere since.

    `theirs` is the stored row as plain data (what the other window or program saved).
    """

    def __init__(self, message: str, theirs: object) -> None:
        super().__init__(message)
        self.theirs = theirs


class InternalError(Exception):
    """A bug met where it could be logged but not reported (in a parser's worker process):
    `log` is the log file holding its traceback."""

    def __init__(self, message: str, log: str) -> None:
        super().__init__(message)
        self.log = log


def log_path() -> Path:
    """Return the file where internal errors are written (in the user's log folder)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("Briefing", appauthor=False)) / "briefing.log"


def log_internal_error(what: str) -> Path | None:
    """Append the exception being handled, with its traceback, to the log file; return the
    file (None if it could not be written: the user still gets the one-line reason)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now().isoformat(timespec='seconds')} {what}\n")
            log.write(traceback.format_exc())
            log.write("\n")
    except OSError:
        return None
    return path
