"""Events of a financing history: their kinds, fields and units, and the events file.

Shares and prices of an event are in the units current at its date (after every split before
it); dates run from 1900-01-01 to 2199-12-31 (docs/charter-format.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.charter import EXEMPTED_CATEGORIES
from charter_oracle.oracle.charter_file import read_toml
from charter_oracle.oracle.dates import EARLIEST, LATEST, parse_date
from charter_oracle.oracle.errors import EventsError, InputError
from charter_oracle.oracle.exact import parse_amount, parse_exact, parse_shares

EVENT_KINDS = ("issue", "grant", "expire", "reprice", "split", "exercise")
# The dates an events file may use (docs/charter-format.md): wide enough for any charter the
# format describes, narrow enough that a typo such as 0998 or 9998 is caught, not replayed.
EVENT_DATES = (EARLIEST, LATEST)  # one supported range for every date charter-oracle reads


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    shares: int = 0
    price: Fraction = Fraction(0)  # per share paid (issue), or paid per option at grant
    commissions: Fraction = Fraction(0)
    # None, "employee" (capped where the charter caps it), "other", or an exempted category (EXEMPTED_CATEGORIES)
    excluded: str | None = None
    exercise_price: Fraction = Fraction(0)
    ratio: Fraction = Fraction(1)  # split: new shares per old share (1/2 is a 1-for-2 combination)
    grant: int | None = None  # expire: index of the grant event
    # Replay only: premium received for options of this grant that later expired, which
    # nvidia IV.D.3(G)(III) keeps in the consideration of the readjusted price.
    retained_premium: Fraction = Fraction(0)
    # ``shares`` of a grant's terms in a replay may be a fraction of a grant-date share: the
    # options left after an expiry following a split, expressed in grant-date units.


# "strategic" and "lender" issues are exempted only with the board's approval (``board_approved``).
NEEDS_BOARD = ("strategic", "lender")


def board_approval(row: Mapping[str, Any], excluded: str | None, at: str) -> str | None:
    """A strategic or lender issue is exempted only when the board approved it; otherwise it adjusts."""
    approved = row.get("board_approved")
    if approved is not None and not isinstance(approved, bool):
        raise EventsError(f"{at}.board_approved: expected true or false, got {approved!r}")
    if excluded in NEEDS_BOARD:
        if approved is None:
            raise EventsError(f"{at}.board_approved: a {excluded} issue is exempted only with the board's approval: "
                              f"say true or false")
        return excluded if approved else None
    if approved is not None:
        raise EventsError(f"{at}.board_approved: only a strategic or lender issue takes a board approval")
    return excluded


_EVENT_FIELDS = {
    "issue": {"kind", "date", "shares", "price", "commissions", "excluded", "board_approved"},
    "grant": {"kind", "date", "shares", "price", "exercise_price", "excluded", "board_approved"},
    "expire": {"kind", "date", "shares", "grant", "option"},
    "exercise": {"kind", "date", "shares", "grant", "option"},
    "reprice": {"kind", "date", "grant", "exercise_price"},
    "split": {"kind", "date", "ratio"},
}


def parse_events(raw: Mapping[str, Any], where: str, count_grants: bool = True) -> tuple[Event, ...]:
    """Validate an events file: ``[[events]]`` with a kind and the fields that kind needs."""
    if set(raw) - {"events"}:
        raise EventsError(f"{where}: unknown key {sorted(set(raw) - {'events'})[0]!r} (expected [[events]])")
    rows = raw.get("events")
    if not isinstance(rows, list) or not rows:
        raise EventsError(f"{where}: no [[events]]")
    events: list[Event] = []
    try:
        for i, row in enumerate(rows):
            at = f"{where}: events[{i}]"
            if not isinstance(row, dict):
                raise EventsError(f"{at}: expected a table")
            kind = row.get("kind")
            if kind not in EVENT_KINDS:
                raise EventsError(f"{at}.kind: {kind!r} is not one of {', '.join(EVENT_KINDS)}")
            extra = set(row) - _EVENT_FIELDS[kind]
            if extra:
                raise EventsError(f"{at}: {sorted(extra)[0]!r} is not a field of a {kind} event")
            if "date" not in row:
                raise EventsError(f"{at}.date: missing")
            date = parse_date(row["date"], f"{at}.date")  # refuses dates outside EVENT_DATES itself
            excluded = row.get("excluded")
            if excluded is not None:
                if excluded is True:
                    excluded = "other"
                elif excluded is False:
                    excluded = None
                elif excluded not in ("employee", "other", *EXEMPTED_CATEGORIES):
                    raise EventsError(f"{at}.excluded: expected true, false, \"employee\", \"other\" or an exempted "
                                      f"category ({', '.join(EXEMPTED_CATEGORIES)}), got {excluded!r}")
            excluded = board_approval(row, excluded, at)
            if kind in ("issue", "grant"):
                shares = parse_shares(row.get("shares", 0), f"{at}.shares")
                if shares == 0:
                    raise EventsError(f"{at}.shares: an {kind} needs a positive number of shares")
                event = Event(kind, date, shares=shares,
                              price=parse_amount(row.get("price", "0"), f"{at}.price"),
                              commissions=parse_amount(row.get("commissions", "0"), f"{at}.commissions"),
                              excluded=excluded,
                              exercise_price=parse_amount(row.get("exercise_price", "0"), f"{at}.exercise_price"))
                if event.commissions > event.shares * event.price:
                    raise EventsError(f"{at}.commissions: {row.get('commissions')} exceed the gross price")
            elif kind == "split":
                ratio = parse_exact(row.get("ratio"), f"{at}.ratio") if "ratio" in row else None
                if ratio is None or ratio <= 0:
                    raise EventsError(f"{at}.ratio: a split needs a positive ratio (new shares per old)")
                event = Event(kind, date, ratio=ratio)
            elif kind == "reprice":
                grant = row.get("grant")
                if isinstance(grant, bool) or not isinstance(grant, int) or not 0 <= grant < i or rows[grant].get("kind") != "grant":
                    raise EventsError(f"{at}.grant: expected the index of an earlier grant event, got {grant!r}")
                event = Event(kind, date, grant=grant,
                              exercise_price=parse_amount(row.get("exercise_price"), f"{at}.exercise_price"))
            else:  # expire or exercise: of a grant event, or of the cap table's options row ``option``
                if "option" in row:
                    option = row["option"]
                    if "grant" in row or isinstance(option, bool) or not isinstance(option, int) or option < 0:
                        raise EventsError(f"{at}.option: expected the row (0, 1, ...) of the cap table's [[options]] "
                                          f"and no grant, got {option!r}")
                    grant = -1 - option
                else:
                    grant = row.get("grant")
                    if isinstance(grant, bool) or not isinstance(grant, int) or not 0 <= grant < i or rows[grant].get("kind") != "grant":
                        raise EventsError(f"{at}.grant: expected the index of an earlier grant event, got {grant!r}")
                event = Event(kind, date, shares=parse_shares(row.get("shares", 0), f"{at}.shares"), grant=grant)
            if events and date < events[-1].date:
                raise EventsError(f"{at}.date: {date} is before the previous event's {events[-1].date}")
            events.append(event)
    except InputError as error:
        raise EventsError(str(error)) from None
    return tuple(events)


def load_events(path: str | Path) -> tuple[Event, ...]:
    path = Path(path)
    return parse_events(read_toml(path, "events file"), str(path))
