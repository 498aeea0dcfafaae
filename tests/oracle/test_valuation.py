"""infinity IV.3(e): listed securities at the average close over 30 days ending 3 days before."""

import datetime as dt
from fractions import Fraction as F

import pytest

from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.valuation import market_value

DIST = dt.date(1996, 3, 4)  # window ends 1996-03-01; 30 calendar days back: 1996-02-01 (leap February)


def closes(start: dt.date, n: int, price=lambda i: F(10 + i)):
    return [(start + dt.timedelta(days=i), price(i)) for i in range(n)]


def test_calendar_window_averages_the_closes_within_it():
    charter = load_charter("infinity-1996")
    # closes every day from 1996-01-20 to 1996-03-10 at 10, 11, ...; the window 02-01..03-01 holds days
    # 12..41 (12 = Feb 1 - Jan 20), prices 22..51: mean (22 + 51) / 2 = 36.5
    v = market_value(charter, closes(dt.date(1996, 1, 20), 51), DIST)
    assert v.window == (dt.date(1996, 2, 1), dt.date(1996, 3, 1))
    assert len(v.closes_used) == 30 and v.value == F(73, 2)


def test_trading_window_takes_the_last_30_closes():
    charter = load_charter("infinity-1996", {"infinity.valuation-window": "trading-days"})
    # closes only on even days: the last 30 on or before 03-01 reach back 58 days
    series = [c for c in closes(dt.date(1995, 12, 1), 100) if c[0].day % 2 == 0]
    v = market_value(charter, series, DIST)
    used = [p for d, p in series if d <= dt.date(1996, 3, 1)][-30:]
    assert len(v.closes_used) == 30 and v.value == sum(used) / 30


def test_closes_outside_the_window_do_not_matter_and_discount_applies():
    charter = load_charter("infinity-1996")
    base = closes(dt.date(1996, 1, 1), 80)
    moved = [(d, p * 100 if not dt.date(1996, 2, 1) <= d <= dt.date(1996, 3, 1) else p) for d, p in base]
    assert market_value(charter, base, DIST).value == market_value(charter, moved, DIST).value
    # a 25% restricted-securities discount: 3/4 of the average
    assert market_value(charter, base, DIST, F(1, 4)).value == market_value(charter, base, DIST).average * F(3, 4)


def test_refusals():
    with pytest.raises(InputError, match="no market valuation window"):
        market_value(load_charter("nvidia-1998"), closes(dt.date(1998, 1, 1), 40), dt.date(1998, 3, 1))
    with pytest.raises(InputError, match="no close between"):
        market_value(load_charter("infinity-1996"), closes(dt.date(1990, 1, 1), 5), DIST)
