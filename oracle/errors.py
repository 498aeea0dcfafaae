"""The one exception hierarchy of charter-oracle.

Every error a user can cause (a bad file, number, date, class name or option)
is an ``InputError`` whose message is a single line naming the input, the
value and what was expected. The command line prints that line and exits 2.
An ``InternalInconsistency`` (the solver disagreeing with the oracle, no stable
outcome) is charter-oracle's own fault: a bug report, exit 1, never "bad input".
"""

from __future__ import annotations

import re

# Control characters, line breaks and bidirectional overrides: a message quoting a hostile
# value (a holder name, a path) still prints as exactly one readable line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with every control character and line break shown as ``\\xNN`` / ``\\uNNNN``."""
    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(visible, text)


class OracleError(Exception):
    """Base of every error charter-oracle raises on purpose."""

    exit_status = 2  # the command line's status for it: bad input

    def __str__(self) -> str:
        return one_line(super().__str__())


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

    exit_status = 1  # like a failed check: a bug report, never "bad input"


class NoStableOutcome(InternalInconsistency):
    """No conversion outcome is stable: reported, never papered over."""


class OutputError(OracleError):
    """A destination (report directory, JUnit file, baseline, step summary) cannot be written.

    Its own exit status (3), so that CI never reads an I/O failure as findings (1)
    or as a bad charter (2). Destinations are checked before any work; a failure
    while writing (a full disk) leaves the previous reports untouched.
    """

    exit_status = 3


class EngineError(OracleError):
    """An engine under test over the subprocess protocol crashed, hung, or answered out of protocol.

    The engine's fault, not the user's input: like a failed check, exit 1 (``invariants/engine_process.py``).
    """

    exit_status = 1
