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


# --- option exercises, and the options outstanding on the Original Issue Date ----------------------

def test_exercise_issues_common_without_adjusting_and_keeps_deemed_shares_in_the_base():
    # Grant 100,000 at $0.50 for nothing: (1.69 x 1,200,000 + 50,000) / 1,300,000 = 1.59846 -> 1.60.
    # Exercising all of them issues 100,000 common and adjusts nothing (IV.4(d)(iii)(A)). A later issue of
    # 100,000 at $1.00 then has N = 1,100,000 common + 100,000 A + 105,625 C (100,000 x 1.69 / 1.60)
    # + 0 options = 1,305,625: the exercised shares count once, as common.
    events = [Event("grant", DAY, shares=100_000, exercise_price=F("0.50")),
              Event("exercise", DAY, shares=100_000, grant=0),
              issue(100_000, "1.00", DAY + dt.timedelta(days=1))]
    result = run_ledger(INF, inf_table(), events)
    assert [s.price("series_c") for s in result.states[:2]] == [F("1.60"), F("1.60")]
    assert result.states[1].common == 1_100_000 and result.states[1].grants[0].shares == 0
    (note,) = [n for n in result.states[2].notes if n.series == "series_c"]
    assert base_of(note.what) == 1_305_625


def test_options_outstanding_on_the_original_issue_date_move_the_employee_cap():
    # IV.4(d)(i)(3)(B): the 7,300,000 cap includes the options outstanding on the Original Issue Date and is
    # net of expirations. The cap table's 1,000 options are inside the 6,159,781 already used.
    table = inf_table([{"holder": "Pool", "shares": 1000, "exercise_price": "0.10"}])
    expire = Event("expire", DAY, shares=400, grant=-1)  # the events file writes it `option = 0`
    exercise = Event("exercise", DAY, shares=600, grant=-1)
    states = run_ledger(INF, table, [expire, exercise]).states
    # 400 expire: 6,159,781 - 400 = 6,159,381 used. 600 exercised: issued under the plan, still inside: unchanged.
    assert [s.employee_cap_used for s in states] == [6_159_381, 6_159_381]
    assert states[1].common == 1_000_600 and states[1].grants[0].shares == 0


def test_events_file_names_cap_table_options_by_row():
    from charter_oracle.oracle.adjustments import parse_events
    from charter_oracle.oracle.errors import EventsError
    import pytest

    (event,) = parse_events({"events": [{"kind": "exercise", "date": "1996-08-01", "shares": 5, "option": 0}]}, "e")
    assert event.grant == -1
    with pytest.raises(EventsError, match="option"):
        parse_events({"events": [{"kind": "expire", "date": "1996-08-01", "shares": 5, "option": -1}]}, "e")


def test_nvidia_expiry_after_a_partial_exercise_keeps_the_exercised_shares():
    # IV.D.3(G)(III): on expiry the price is readjusted as if the only Additional Shares were those actually
    # issued on exercise. N = 2,500,000; grant 100,000 at $0.25 for nothing:
    #   A: (0.50 x 2,500,000 + 25,000) / 2,600,000 = 1,275,000 / 2,600,000
    # 40,000 exercised, 60,000 expire: as if granted 40,000: (1,250,000 + 10,000) / 2,540,000 = 1,260,000 / 2,540,000
    # (not 0.50, as if nothing had been granted).
    day = dt.date(1998, 6, 1)
    events = [Event("grant", day, shares=100_000, exercise_price=F("0.25")),
              Event("exercise", day, shares=40_000, grant=0),
              Event("expire", day, shares=60_000, grant=0)]
    states = run_ledger(NV, nv_table(), events).states
    assert [s.price("series_a") for s in states] == [F(1_275_000, 2_600_000)] * 2 + [F(1_260_000, 2_540_000)]
    assert states[2].common == 1_040_000
