"""Errors meant for the user: the CLI prints the message as one line, the app in a dialog."""


class BriefingError(Exception):
    """Base of every error the core reports to the user."""


class InputError(BriefingError):
    """Bad input from the user: an unknown topic, a malformed date, an unreadable file."""
