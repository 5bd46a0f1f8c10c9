"""Errors meant for the user: the CLI prints the message as one line, the app in a dialog."""


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
