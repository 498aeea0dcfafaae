"""Fidelity of the ledger to the texts (issue 10): each case hand-computed at its edge.

infinity: common 1,000,000 (F); Series A 100,000 (A) at 0.40/0.40 = 100,000 as converted; Series C
100,000 (C) at 1.69/1.69 = 100,000; no options unless a test says so. N before any event = 1,200,000.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from _nvidia_table import NV, nv_table

INF = load_charter("infinity-1996")
DAY = dt.date(1996, 8, 1)


def inf_table(options=()):
    return build_cap_table({
        "as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
        "holdings": [{"holder": "F", "class": "common", "shares": 1_000_000},
                     {"holder": "A", "class": "series_a", "shares": 100_000},
                     {"holder": "C", "class": "series_c", "shares": 100_000}],
        "options": list(options),
    }, INF, "test")


def issue(shares, price, day=DAY):
    return Event("issue", day, shares=shares, price=F(price))


def base_of(note_what: str) -> int:
    return int(note_what.split("N=")[1].split(",")[0])


# --- 4. "after" the Original Issue Date / effective date ----------------------------------------------

def test_infinity_issue_on_the_original_issue_date_is_not_after_it():
    # IV.4(d)(i)(3): Additional Shares are those issued *after* 1994-01-15.
    # 500,000 at $1.00: (1.69 x 1,200,000 + 500,000) / 1,700,000 = 2,528,000 / 1,700,000 = 1.48705... -> 1.49
    assert (F("1.69") * 1_200_000 + 500_000) / 1_700_000 == F(2_528_000, 1_700_000)
    on = run_ledger(INF, inf_table(), [issue(500_000, "1.00", dt.date(1994, 1, 15))])
    after = run_ledger(INF, inf_table(), [issue(500_000, "1.00", dt.date(1994, 1, 16))])
    assert on.states[0].price("series_c") == F("1.69")
    assert after.states[0].price("series_c") == F("1.49")


def test_nvidia_issue_on_the_effective_date_is_not_after_it():
    # IV.D.3(G)(I): "after the effective date" (1998-02-23). A: N = 2,500,000; 500,000 at $0.40, $10,000
    # commissions: (0.50 x 2,500,000 + 190,000) / 3,000,000 = 1,440,000 / 3,000,000 = 0.48
    def run(day):
        e = Event("issue", day, shares=500_000, price=F("0.40"), commissions=F(10_000))
        return run_ledger(NV, nv_table(), [e]).states[0].price("series_a")
    assert run(dt.date(1998, 2, 23)) == F("0.50")
    assert run(dt.date(1998, 2, 24)) == F("0.48")


# --- 1. deemed-issued options stay outstanding -------------------------------------------------------

def test_deemed_issued_options_above_the_a_price_stay_in_later_bases():
    # IV.4(d)(iv), last sentence. 100,000 options at exercise $1.68 (not below A's 0.40, so the option
    # condition alone would leave them out of N) granted for nothing: per share 1.68 < C's 1.69, so they
    # are deemed issued (4(d)(iii)(1)). C: (1.69 x 1,200,000 + 168,000) / 1,300,000 = 1.68923...,
    # a change of 0.00077 < 0.01: carried, C stays 1.69 (100,000 as converted).
    # Then 100,000 common at $1.00: N = 1,000,000 + 100,000 + 100,000 + 100,000 (deemed outstanding) = 1,300,000.
    grant = Event("grant", DAY, shares=100_000, exercise_price=F("1.68"))
    result = run_ledger(INF, inf_table(), [grant, issue(100_000, "1.00", DAY + dt.timedelta(days=1))])
    (note,) = [n for n in result.states[1].notes if n.series == "series_c"]
    assert base_of(note.what) == 1_300_000


def test_options_at_the_c_price_are_not_deemed_issued_and_stay_out():
    # Exercise $1.69: not below C's 1.69, so not deemed issued; the option condition (below A's 0.40) leaves
    # them out: N = 1,000,000 + 100,000 + 100,000 = 1,200,000.
    grant = Event("grant", DAY, shares=100_000, exercise_price=F("1.69"))
    result = run_ledger(INF, inf_table(), [grant, issue(100_000, "1.00", DAY + dt.timedelta(days=1))])
    (note,) = [n for n in result.states[1].notes if n.series == "series_c"]
    assert base_of(note.what) == 1_200_000
