"""Exempted Securities by category (NVCA 2020 §4.4.1): which excluded issues a charter allows.

An events file marks an issue ``excluded`` with a category: ``employee`` (the option pool, capped where
the charter caps it), ``conversion`` (common issued on conversion of preferred), ``split-dividend``
(a split or dividend on common), ``preferred-dividend`` (a dividend on preferred), ``strategic`` and
``lender`` (exempted only with the board's approval, ``board_approved``), or ``other``. A charter
whose ``[dilution]`` lists ``exempted`` exempts only those categories: an issue marked with another is
refused rather than silently exempted (or silently adjusted).
"""

from __future__ import annotations

from collections.abc import Sequence

from charter_oracle.oracle.adjustments.events import Event
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import EventsError


def check_categories(charter: Charter, events: Sequence[Event]) -> None:
    terms = charter.dilution
    if terms is None or terms.exempted is None:
        return
    for index, event in enumerate(events):
        if event.excluded is not None and event.excluded not in terms.exempted:
            raise EventsError(f"events[{index}].excluded: {event.excluded!r} is not an exempted category of "
                              f"{charter.id} ({', '.join(terms.exempted)}; {terms.excluded_cite})")
