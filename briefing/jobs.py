"""Progress reporting and cancellation for long core operations (import, export, search).

A long operation takes an optional `progress` callback `progress(done, total, message)`.
The caller (the CLI, or the app's background-operation helper) may raise `Cancelled`
from inside the callback to stop the work; the operation then cleans up and re-raises.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """The user cancelled a long operation; nothing it was making is kept."""


def no_progress(done: int, total: int, message: str) -> None:
    """A `Progress` callback that ignores every report."""
