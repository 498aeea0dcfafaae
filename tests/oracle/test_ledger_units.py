"""The ledger after splits and repricings (issue 8 section 3), its base counts, and its refusals.

Units: the shares and prices of an event are in the units current at its date. Formula of both
charters (infinity IV.4(d)(iv), nvidia IV.D.3(G)(I)): CP' = (CP x N + consideration) / (N + new shares).
Every expected price below is computed by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import sys
from fractions import Fraction as F

import pytest

from charter_oracle.cli import main
from charter_oracle.oracle.adjustments import Event, parse_events, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.errors import EventsError, InputError
from charter_oracle.oracle.exact import format_exact
from _nvidia_table import NV, nv_table

INF = load_charter("infinity-1996")
NV_DAY = dt.date(1998, 6, 1)
INF_DAY = dt.date(1996, 8, 1)


def grant(shares, exercise, day=NV_DAY, price="0"):
    return Event("grant", day, shares=shares, exercise_price=F(exercise), price=F(price))


def expire(shares, of, day=NV_DAY):
    return Event("expire", day, shares=shares, grant=of)


def reprice(of, exercise, day=NV_DAY):
    return Event("reprice", day, grant=of, exercise_price=F(exercise))


def split(ratio, day=NV_DAY):
    return Event("split", day, ratio=F(ratio))


def issue(shares, price, day=NV_DAY, commissions="0"):
    return Event("issue", day, shares=shares, price=F(price), commissions=F(commissions))


# nvidia: common 1,000,000; A 1,000,000 (0.50/0.50: 1,000,000 as converted); C 150,000; D 100,000
# (5.26/5.26); options 250,000 at $0.25. N = 2,500,000. Each holder holds one series unless said.


def nv_prices(events, charter=NV, holdings=None):
    return [s.conversion_prices for s in run_ledger(charter, nv_table(charter, holdings), events).states]


# --- 1. units ------------------------------------------------------------------------------------


def test_expiring_all_of_a_grant_after_a_split_restores_the_split_adjusted_prices():
    # grant 200,000 at $0.30: A = (0.50 x 2,500,000 + 60,000) / 2,700,000 = 1,310,000/2,700,000 = 131/270.
    # 2-for-1: A = 131/540 and the grant is 400,000 options at $0.15. All 400,000 (post-split) expire:
    # readjusted as if never granted (IV.D.3(G)(III)): 0.50 / 2 = 0.25; D 5.26 / 2 = 2.63; B 1.80 / 2 = 0.90.
    states = nv_prices([grant(200_000, "0.30"), split(2), expire(400_000, 0)])
    assert states[0]["series_a"] == F(1_310_000, 2_700_000) == F(131, 270)
    assert states[1]["series_a"] == F(131, 540)
    assert states[2] == {"series_a": F("0.25"), "series_b": F("0.90"), "series_c": F("6.666667") / 2,
                         "series_d": F("2.63")}


def test_partial_expiry_after_a_split_is_counted_in_post_split_options():
    # grant 200,000 at $0.30, 2-for-1, then 200,000 post-split options (= 100,000 pre-split) expire:
    # as if 100,000 had been granted: A = (1,250,000 + 30,000) / 2,600,000 = 1,280,000/2,600,000 = 32/65,
    # then halved by the split: 16/65. (Read as 200,000 pre-split shares, the whole grant would go: 0.25.)
    states = nv_prices([grant(200_000, "0.30"), split(2), expire(200_000, 0)])
    assert states[2]["series_a"] == F(1_280_000, 2_600_000) / 2 == F(16, 65)
    # the 200,000 options left still count in a later base: a third expiry of them all restores 0.25
    assert nv_prices([grant(200_000, "0.30"), split(2), expire(200_000, 0), expire(200_000, 0)])[3]["series_a"] == F("0.25")


def test_uneven_splits_keep_whole_options_in_the_books_and_expiry_restores_exactly():
    # 5 options; 3-for-2 twice: 7.5 -> 7 options, 10.5 -> 10 (fractions of options are not kept).
    # 1 expires: 9 left in the books (9 / (9/4) = 4 grant-date options in the replay, whose splits give
    # 6 then 9). All 9 expire: A = 0.50 / (3/2 x 3/2) = 0.50 x 4/9 = 2/9, the splits alone.
    result = run_ledger(NV, nv_table(), [grant(5, "0.10"), split("3/2"), split("3/2"), expire(1, 0), expire(9, 0)])
    assert [next(g.shares for g in s.grants if g.index == 0) for s in result.states] == [5, 7, 10, 9, 0]
    assert result.states[4].price("series_a") == F("0.50") * F(4, 9) == F(2, 9)


def test_an_expiry_or_reprice_of_no_earlier_grant_built_in_code_is_refused():
    with pytest.raises(EventsError, match=r"events\[0\]: grant 0 is not an earlier option grant event"):
        run_ledger(NV, nv_table(), [reprice(0, "0.10")])
    with pytest.raises(EventsError, match=r"events\[1\]: grant 0 is not an earlier option grant event"):
        run_ledger(NV, nv_table(), [issue(5, "1"), expire(1, 0)])


def test_repricing_a_pre_split_grant_to_the_same_terms_in_post_split_units_changes_nothing():
    # grant at $0.30, 2-for-1 (exercise now $0.15): a reprice to $0.15 is no change of terms. A stays 131/540.
    # (Read in pre-split units, $0.15 would give (1,250,000 + 30,000)/2,700,000 / 2 = 64/270 instead.)
    states = nv_prices([grant(200_000, "0.30"), split(2), reprice(0, "0.15")])
    assert states[2] == states[1]
    assert states[2]["series_a"] == F(131, 540) != F(1_280_000, 2_700_000) / 2


def test_infinity_readjusting_expiry_after_a_split_restores_the_rounded_split_price():
    # infinity.option-expiry=readjust. common 1,000,000; A 100,000; C 100,000; options 300,000 at $0.10
    # (below the $0.40 A price: counted) and 200,000 at $0.50 (not counted): N = 1,500,000.
    # grant 200,000 at $0.10: C = (1.69 x 1,500,000 + 20,000) / 1,700,000 = 2,555,000/1,700,000 = 1.50294 -> 1.50.
    # 2-for-1: 1.50 / 2 = 0.75. All 400,000 post-split options expire: as if never granted, 1.69 / 2 = 0.845,
    # to the nearest cent, half up (infinity.cent-tie): 0.85, the price a 2-for-1 alone gives.
    readjust = load_charter("infinity-1996", {"infinity.option-expiry": "readjust"})
    table = build_cap_table({
        "as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
        "holdings": [{"holder": "F", "class": "common", "shares": 1_000_000},
                     {"holder": "A", "class": "series_a", "shares": 100_000},
                     {"holder": "C", "class": "series_c", "shares": 100_000}],
        "options": [{"holder": "P", "shares": 300_000, "exercise_price": "0.10"},
                    {"holder": "P", "shares": 200_000, "exercise_price": "0.50"}],
    }, readjust, "test")
    states = run_ledger(readjust, table, [grant(200_000, "0.10", INF_DAY), split(2, INF_DAY),
                                          expire(400_000, 0, INF_DAY)]).states
    c = [s.price("series_c") for s in states]
    assert c == [F("1.50"), F("0.75"), F("0.85")]
    assert run_ledger(readjust, table, [split(2, INF_DAY)]).states[0].price("series_c") == F("0.85")


# --- 2. a second repricing is recalculated from the original terms -------------------------------


def _reprice_table(charter):
    # common 1,000,000; A 250,000 (1:1); no options: N = 1,250,000.
    return build_cap_table({"as_of": "1998-06-30", "holdings": [
        {"holder": "C", "class": "common", "shares": 1_000_000},
        {"holder": "A", "class": "series_a", "shares": 250_000}]}, charter, "t")


def test_nvidia_reprice_down_then_back_up_returns_to_the_price_before_the_grant():
    # grant 250,000 at $0.30: A = (0.50 x 1,250,000 + 75,000)/1,500,000 = 700,000/1,500,000 = 7/15
    # reprice to $0.10: as if granted so: (625,000 + 25,000)/1,500,000 = 13/30
    # reprice to $0.60 (not below $0.50): as if granted so -- no adjustment at all: 0.50 (IV.D.3(G)(III),
    #   "again recalculated" from the grant's terms, not from the first repricing's result)
    # reprice to $0.30: the original terms again: 7/15
    events = [grant(250_000, "0.30", dt.date(1998, 7, 1)), reprice(0, "0.10", dt.date(1998, 8, 1)),
              reprice(0, "0.60", dt.date(1998, 9, 1)), reprice(0, "0.30", dt.date(1998, 10, 1))]
    states = run_ledger(NV, _reprice_table(NV), events).states
    assert [s.price("series_a") for s in states] == [F(7, 15), F(13, 30), F("0.50"), F(7, 15)]


def test_infinity_second_reprice_recomputed_from_the_original_terms():
    # common 1,000,000; C 100,000: N = 1,100,000. grant 100,000 at $1.00:
    #   C = (1.69 x 1,100,000 + 100,000)/1,200,000 = 1,959,000/1,200,000 = 1.6325 -> 1.63
    # reprice to $0.50: (1,859,000 + 50,000)/1,200,000 = 1.590833 -> 1.59 (a decrease: no ceiling)
    # reprice to $1.00: as on the original terms, 1.63; the 4(d)(iii)(C) ceiling is min(1.69 before the grant,
    #   1.69 from no intervening issue) = 1.69, not binding.
    table = build_cap_table({"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"}, "holdings": [
        {"holder": "C0", "class": "common", "shares": 1_000_000},
        {"holder": "P", "class": "series_c", "shares": 100_000}]}, INF, "t")
    events = [grant(100_000, "1.00", dt.date(1996, 1, 1)), reprice(0, "0.50", dt.date(1996, 2, 1)),
              reprice(0, "1.00", dt.date(1996, 3, 1))]
    assert [s.price("series_c") for s in run_ledger(INF, table, events).states] == [F("1.63"), F("1.59"), F("1.63")]


# --- 3. whole conversion shares in the base ------------------------------------------------------


def test_base_counts_whole_conversion_shares_by_default():
    # issue 1: 500,000 at $0.40, $10,000 commissions (net 190,000): A 0.48, B 469/300, D 667/150 (C never).
    # issue 2: 100,000 at $0.01 (1,000). N before it:
    #   common 1,500,000
    #   A 1,000,000 x 0.50 / 0.48        = 1,041,666 2/3    -> 1,041,666 whole shares
    #   C 150,000 x 6.666667 / 6.666667  = 150,000
    #   D 100,000 x 5.26 / (667/150)     = 78,900,000/667 = 118,290.85 -> 118,290
    #   options 250,000
    #   N = 1,500,000 + 1,041,666 + 150,000 + 118,290 + 250,000 = 3,059,956
    # A = (0.48 x 3,059,956 + 1,000) / 3,159,956
    events = [issue(500_000, "0.40", commissions="10000"), issue(100_000, "0.01")]
    states = nv_prices(events)
    assert states[0]["series_a"] == F("0.48") and states[0]["series_d"] == F(667, 150)
    assert 100_000 * F("5.26") / F(667, 150) == F(78_900_000, 667)
    assert states[1]["series_a"] == (F("0.48") * 3_059_956 + 1_000) / 3_159_956
    # all.base-conversion-shares=exact keeps the fractions: N = 3,059,956 + 2/3 + (78,900,000/667 - 118,290)
    exact = load_charter("nvidia-1998", {"all.base-conversion-shares": "exact"})
    n = 3_059_956 + F(2, 3) + (F(78_900_000, 667) - 118_290)
    assert nv_prices(events, exact)[1]["series_a"] == (F("0.48") * n + 1_000) / (n + 100_000)
    # hundredths (infinity IV.4(h)(i) read onto the counts): 2/3 -> 0.67 and 570/667 = 0.8546 -> 0.85
    hundredths = load_charter("nvidia-1998", {"all.base-conversion-shares": "hundredths"})
    n = F("3059956") + F("0.67") + F("0.85")
    assert nv_prices(events, hundredths)[1]["series_a"] == (F("0.48") * n + 1_000) / (n + 100_000)


def test_base_aggregates_a_holders_series_before_dropping_the_fraction():
    # One holder "AD" holds the A and the D shares: 1,041,666 2/3 + 118,290 + 570/667 = 1,159,957.52..
    # -> 1,159,957 whole shares (one more than the two series rounded apart, 1,159,956): IV.D.3(M)
    # aggregates a holder's shares of all series before the fraction. N = 3,059,957.
    holdings = [{"holder": "F", "class": "common", "shares": 1_000_000},
                {"holder": "AD", "class": "series_a", "shares": 1_000_000},
                {"holder": "C", "class": "series_c", "shares": 150_000},
                {"holder": "AD", "class": "series_d", "shares": 100_000}]
    assert F(78_900_000, 667) - 118_290 == F(570, 667)  # 667 x 118,290 = 78,899,430
    assert F(2, 3) + F(570, 667) > 1
    states = nv_prices([issue(500_000, "0.40", commissions="10000"), issue(100_000, "0.01")], holdings=holdings)
    assert states[1]["series_a"] == (F("0.48") * 3_059_957 + 1_000) / 3_159_957


def _digits(value: F) -> int:
    return max(len(str(abs(value.numerator))), len(str(value.denominator)))


def test_exact_prices_stay_short_over_ten_issues():
    # Ten dilutive issues at cent prices with exact nvidia prices. With whole-share bases each step
    # multiplies a denominator by about N + new shares (7 digits); with fractional bases the length
    # roughly quadrupled per issue (1.6 million bits after ten). 10 x 7 = 70 digits bound it.
    events = [issue(150_000 + 10_000 * i, F(90 - 7 * i, 100), NV_DAY + dt.timedelta(days=i)) for i in range(10)]
    last = nv_prices(events)[-1]
    assert max(_digits(p) for p in last.values()) <= 80


def test_exact_base_refused_before_prices_become_unprintable():
    # Under all.base-conversion-shares=exact the same issues pass 13,000 bits at the 7th (28,523 bits
    # measured before the fix): refused in one line, instead of running for minutes.
    exact = load_charter("nvidia-1998", {"all.base-conversion-shares": "exact"})
    events = [issue(150_000 + 10_000 * i, F(90 - 7 * i, 100), NV_DAY + dt.timedelta(days=i)) for i in range(10)]
    with pytest.raises(EventsError, match=r"events\[\d\]: .* over 4,000 digits") as info:
        run_ledger(exact, nv_table(exact), events)
    assert "\n" not in str(info.value)


def test_the_int_to_str_limit_is_not_lifted():
    # Loading the oracle (and the pytest plugin, loaded in this run) leaves Python's default guard in place.
    import charter_oracle.oracle.exact  # noqa: F401
    assert sys.get_int_max_str_digits() != 0
    with pytest.raises(InputError, match="over 4,000 digits"):
        format_exact(F(1, 10**5000 + 1))


# --- 5. refusals ----------------------------------------------------------------------------------


def test_a_split_that_rounds_a_price_to_zero_is_refused():
    # infinity prices are to the cent: A 0.40 / 1000 = 0.0004 -> 0.00.
    with pytest.raises(EventsError, match=r"events\[0\]: a split of 1000 .* series_a's conversion price to 0"):
        run_ledger(INF, build_cap_table({"as_of": "1996-07-01", "holdings": [
            {"holder": "F", "class": "common", "shares": 10}]}, INF, "t"), [split(1000, INF_DAY)])


def test_a_free_issue_with_nothing_outstanding_is_refused():
    # Nothing outstanding (a holder of 0 common, no preferred, no options): N = 0, so
    # A = 0.50 x (0 + 0/0.50) / (0 + 100) = 0.
    empty = build_cap_table({"as_of": "1998-03-01", "holdings": [
        {"holder": "F", "class": "common", "shares": 0}]}, NV, "t")
    with pytest.raises(EventsError, match=r"events\[0\]: issuing 100 shares for 0 with a base of 0"):
        run_ledger(NV, empty, [issue(100, "0")])


def _refused(row, needle):
    with pytest.raises(EventsError) as info:
        parse_events({"events": [row]}, "ev.toml")
    message = str(info.value)
    assert "\n" not in message and "ev.toml: events[0]" in message and needle in message, message


@pytest.mark.parametrize("change, needle", [
    ({"shares": "x"}, ".shares"),
    ({"kind": 5}, ".kind"),
    ({"price": [1]}, ".price"),
    ({"shares": [100]}, ".shares"),
    ({"commissions": {"a": 1}}, ".commissions"),
    ({"date": 19980701}, ".date"),
    ({"date": dt.date(1, 1, 1)}, "outside the supported dates"),
    ({"date": "9999-12-31"}, "outside the supported dates"),
    ({"date": "1799-12-31"}, "outside the supported dates"),
])
def test_events_of_the_wrong_type_or_date_are_refused(change, needle):
    row = {"kind": "issue", "date": "1998-07-01", "shares": 100, "price": "0.10"}
    row.update(change)
    _refused(row, needle)


def test_events_on_the_edges_of_the_date_range_are_accepted():
    for day in ("1800-01-01", "2199-12-31"):
        (event,) = parse_events({"events": [{"kind": "split", "date": day, "ratio": 2}]}, "ev.toml")
        assert event.date == dt.date.fromisoformat(day)


def test_cli_refuses_a_zeroing_split_in_one_line(tmp_path, capsys):
    events = tmp_path / "e.toml"
    events.write_text('[[events]]\nkind = "split"\ndate = "1996-08-01"\nratio = "1e30"\n')
    code = main(["adjust", "infinity-1996", "--events", str(events)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "conversion price to 0" in err


# --- properties over generated histories (small example counts: a few tenths of a second) ---------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_STEP = st.one_of(
    st.tuples(st.just("issue"), st.integers(1, 2_000_000), st.integers(1, 60)),
    st.tuples(st.just("grant"), st.integers(1, 500_000), st.integers(1, 60)),
    st.tuples(st.just("split"), st.sampled_from([F(2), F(3, 2), F(1, 2), F(3)]), st.just(0)),
)


def _history(steps):
    """Events in date order; issue and exercise prices in cents, of the units current at each date."""
    events = []
    for i, (kind, a, cents) in enumerate(steps):
        day = NV_DAY + dt.timedelta(days=i)
        if kind == "issue":
            events.append(issue(a, F(cents, 100), day))
        elif kind == "grant":
            events.append(grant(a, F(cents, 100), day))
        else:
            events.append(split(a, day))
    return events


@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(st.lists(_STEP, min_size=1, max_size=8))
def test_expiring_every_option_in_todays_units_equals_a_history_without_the_grants(steps):
    # nvidia readjusts on expiry as if the expired options had never been granted (IV.D.3(G)(III)).
    # Expire, at the end, each grant's options as counted today (after any splits): the prices must be
    # exactly those of the same history with the grants left out.
    events = _history(steps)
    end = run_ledger(NV, nv_table(), events).states[-1]
    day = NV_DAY + dt.timedelta(days=len(events))
    expiries = [expire(g.shares, g.index, day) for g in end.grants if g.index is not None and g.shares]
    with_expiries = run_ledger(NV, nv_table(), events + expiries).states[-1]
    without = run_ledger(NV, nv_table(), [e for e in events if e.kind != "grant"])
    expected = without.states[-1] if without.states else without.initial
    assert with_expiries.conversion_prices == expected.conversion_prices


@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(st.lists(_STEP, min_size=1, max_size=8))
def test_repricing_every_grant_to_its_terms_in_todays_units_changes_nothing(steps):
    # A reprice to the exercise price a grant has today (its grant-date price divided by the splits
    # since) is no change of terms: every price stays as it is (IV.D.3(G)(III), infinity IV.4(d)(iii)(B)).
    events = _history(steps)
    for charter in (NV, load_charter("nvidia-1998", {"nvidia.price-rounding": "1/100"})):
        end = run_ledger(charter, nv_table(charter), events).states[-1]
        day = NV_DAY + dt.timedelta(days=len(events))
        reprices = [reprice(g.index, g.exercise_price, day) for g in end.grants if g.index is not None]
        after = run_ledger(charter, nv_table(charter), events + reprices).states[-1]
        assert after.conversion_prices == end.conversion_prices
