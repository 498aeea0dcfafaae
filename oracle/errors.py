"""The one exception hierarchy of charter-oracle.

Every error a user can cause (a bad file, number, date, class name or option)
is an ``OracleError`` whose message is a single line naming the input, the
value and what was expected. The command line prints that line and exits 2.
"""

from __future__ import annotations


class OracleError(Exception):
    """Base of every error charter-oracle raises on purpose."""


class InputError(OracleError):
    """A value given by the user is not acceptable (number, date, option...)."""


class CharterFormatError(InputError):
    """A charter file does not follow the charter file format."""


class CapTableError(InputError):
    """A cap-table file is malformed or inconsistent with its charter."""


class EventsError(InputError):
    """An events (financing history) file is malformed."""


class InterpretationError(InputError):
    """An unknown interpretation id or value was chosen."""


class NoStableOutcome(OracleError):
    """No conversion outcome is stable: reported, never papered over."""


class OutputError(OracleError):
    """A destination (report directory, JUnit file, baseline, step summary) cannot be written.

    Its own exit status (3), so that CI never reads an I/O failure as findings (1)
    or as a bad charter (2). Destinations are checked before any work; a failure
    while writing (a full disk) leaves the previous reports untouched.
    """
