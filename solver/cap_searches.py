"""Boundary searches on a capped participation: the day the interest leg reaches the fixed leg, and a leap day.

Each witness compares the oracle's cap (``oracle.positions.participation_cap_per_share``) with one
computed here from a count of days (infinity IV.3(b)).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterator
from fractions import Fraction

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.positions import participation_cap_per_share
from charter_oracle.solver.witness import Witness


def _cap_after_days(series: Series, days: int) -> Fraction:
    """The expected per-share cap ``days`` after first issue, from the witness's own day count.

    Independent on purpose of ``oracle.positions.participation_cap_per_share`` (which the witnesses
    check): that one reads the issue date and the as-of date from the cap table and handles every
    participation kind; this one is only the capped case with both legs, from a count of days.
    """
    terms = series.participation
    assert terms.cap_per_share is not None and terms.interest_rate is not None and terms.interest_principal is not None
    interest = terms.interest_principal * terms.interest_rate / terms.day_count * days
    lesser = terms.cap_per_share if terms.cap_per_share <= interest else interest
    if not terms.cap_includes_preference:
        return lesser
    return lesser - series.liquidation.preference if lesser > series.liquidation.preference else Fraction(0)


def cap_legs(charter: Charter, table: CapTable) -> Iterator[Witness]:
    """The first day the interest leg of a capped participation reaches the fixed leg, and a leap day."""
    for series in charter.series:
        terms = series.participation
        start = table.issue_date(series.id)
        if (terms.kind != "capped" or terms.cap_per_share is None or terms.interest_rate is None
                or terms.interest_principal is None or start is None):
            continue
        per_day = terms.interest_principal * terms.interest_rate / terms.day_count
        days = math.ceil(terms.cap_per_share / per_day)
        for offset, leg in ((days - 1, "interest"), (days, "fixed")):
            at = dataclasses.replace(table, as_of=start + dt.timedelta(days=offset))
            expected = _cap_after_days(series, offset)
            got = participation_cap_per_share(series, at)
            yield Witness(
                "cap-leg-switch", terms.cite,
                f"{series.id} cap on {at.as_of}, {offset} days after first issue: the {leg} leg",
                (("series", series.id), ("as_of", at.as_of.isoformat()), ("days", offset), ("cap_per_share", expected)),
                f"{expected}", f"{got}", got == expected,
            )
        leap = next(d for d in (dt.date(y, 2, 29) for y in range(start.year, start.year + 9) if _leap(y)) if d > start)
        before = dataclasses.replace(table, as_of=leap - dt.timedelta(days=1))
        on = dataclasses.replace(table, as_of=leap)
        expected = min(per_day, max(terms.cap_per_share - _cap_after_days(series, (before.as_of - start).days), Fraction(0)))
        got = participation_cap_per_share(series, on) - participation_cap_per_share(series, before)  # type: ignore[operator]
        yield Witness(
            "cap-leap-day", terms.cite,
            f"{series.id}: the leap day {leap} inside the accrual adds one day's interest on a {terms.day_count}-day basis",
            (("series", series.id), ("as_of", leap.isoformat()), ("one_day", per_day)),
            f"+{expected}", f"+{got}", got == expected,
        )


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
