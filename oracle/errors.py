"""The one exception hierarchy of charter-oracle.

Every error a user can cause (a bad file, number, date, class name or option)
is an ``InputError`` whose message is a single line naming the input, the
value and what was expected. The command line prints that line and exits 2.
An ``InternalInconsistency`` (the solver disagreeing with the oracle, no stable
outcome) is charter-oracle's own fault: a bug report, exit 1, never "bad input".
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


class InternalInconsistency(OracleError):
    """charter-oracle contradicted itself (a bug to report, not bad input): the command line exits 1."""


class NoStableOutcome(InternalInconsistency):
    """No conversion outcome is stable: reported, never papered over."""
