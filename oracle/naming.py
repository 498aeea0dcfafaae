"""Messages for a name that is not there: what was given, the nearest known name, and the known ones.

A user who types ``Lead Venture`` for ``Lead Ventures`` should read the fix in the
error itself, not search the cap table for it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_LISTED = 12  # beyond this many known names the message lists the first ones and says how many more


def unknown_name(kind: str, given: str, absent_from: str, known: Iterable[str]) -> str:
    """e.g. "holder 'Lead Venture' is not in the cap table; did you mean 'Lead Ventures'? (holders: A, B)"."""
    names = list(dict.fromkeys(known))
    close = difflib.get_close_matches(given, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    shown = ", ".join(names[:_LISTED]) + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
    return f"{kind} {given!r} is not in {absent_from}{hint} ({kind}s: {shown or 'none'})"
