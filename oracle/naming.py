"""Messages for a name that is not there: what was given, the nearest known name, and the known ones.

A user who types ``Lead Venture`` for ``Lead Ventures`` should read the fix in the
error itself, not search the cap table for it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_LISTED = 12  # beyond this many known names the message lists the first ones and says how many more


def nearest(given: object, known: Iterable[str]) -> str | None:
    """The known name nearest to ``given`` (a likely typo of it), or None."""
    if not isinstance(given, str):
        return None
    close = difflib.get_close_matches(given, list(dict.fromkeys(known)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(given: object, known: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the nearest known name, or "" when none is near."""
    found = nearest(given, known)
    return f"; did you mean {found!r}?" if found else ""


def unknown_name(kind: str, given: str, absent_from: str, known: Iterable[str]) -> str:
    """e.g. "holder 'Lead Venture' is not in the cap table; did you mean 'Lead Ventures'? (holders: A, B)"."""
    names = list(dict.fromkeys(known))
    hint = did_you_mean(given, names)
    shown = ", ".join(names[:_LISTED]) + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
    return f"{kind} {given!r} is not in {absent_from}{hint} ({kind}s: {shown or 'none'})"
