"""oracle.voting: votes per holder (infinity IV.5, nvidia IV.D.4) and consents at their exact boundaries.

Every expected value is computed by hand in the test: a preferred share votes
conversion value / conversion price common votes; a holder's preferred votes
are summed over all its series first and rounded once.
"""

from __future__ import annotations

from fractions import Fraction as F


from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.voting import consent_counts, count_votes, round_votes

NV = load_charter("nvidia-1998")
INF = load_charter("infinity-1996")


def nv_table(holdings, prices=None):
    raw = {"as_of": "1998-06-30",
           "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings]}
    if prices:
        raw["conversion_prices"] = prices
    return build_cap_table(raw, NV, "test")


def inf_table(holdings, prices=None):
    raw = {"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
           "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings]}
    if prices:
        raw["conversion_prices"] = prices
    return build_cap_table(raw, INF, "test")


def votes_of(charter, table):
    return {v.holder: v.total for v in count_votes(charter, table).holders}


def rule(charter, rule_id):
    return next(r for r in charter.consents if r.id == rule_id)


# --- per-holder aggregation before rounding -------------------------------------------------


def test_nvidia_holder_of_two_series_aggregates_before_rounding():
    # series_a: value 0.50 / price 5/11 = 1.1 votes per share; 3 shares = 3.3
    # series_b: value 1.80 / price 1.5  = 1.2 votes per share; 2 shares = 2.4
    # aggregated: 3.3 + 2.4 = 5.7 -> 6.  Per series: round(3.3) + round(2.4) = 3 + 2 = 5;
    # per share: 5 x round(1.1 or 1.2) = 5.  Only the per-holder rule gives 6.
    table = nv_table([("X", "series_a", 3), ("X", "series_b", 2), ("Y", "common", 7)],
                     {"series_a": "5/11", "series_b": "1.5"})
    count = count_votes(NV, table)
    x = next(v for v in count.holders if v.holder == "X")
    assert x.preferred_exact == F(1, 2) / F(5, 11) * 3 + F(18, 10) / F(3, 2) * 2 == F(57, 10)
    assert x.preferred == 6
    assert votes_of(NV, table) == {"X": 6, "Y": 7}
    assert count.total == 6 + 7


def test_infinity_holder_of_a_and_c_aggregates_before_rounding():
    # series_a: 0.40 / 0.32 = 1.25 per share; 2 shares = 2.5
    # series_c: 1.69 / 3.38 = 0.5 per share; 1 share = 0.5
    # aggregated 2.5 + 0.5 = 3 exactly -> 3.  Per series half up: 3 + 1 = 4.
    table = inf_table([("H", "series_a", 2), ("H", "series_c", 1)], {"series_a": "0.32", "series_c": "3.38"})
    assert votes_of(INF, table) == {"H": 3}


# --- ties ---------------------------------------------------------------------------------------


def test_nvidia_exact_half_rounds_up():
    # series_a at price 0.40: 0.50 / 0.40 = 1.25 per share; 2 shares = 2.5 -> 3 (IV.D.4: one half up)
    table = nv_table([("X", "series_a", 2)], {"series_a": "0.40"})
    count = count_votes(NV, table)
    assert count.holders[0].preferred_exact == F(5, 2)
    assert count.total == 3


def test_nvidia_just_below_half_rounds_down():
    # series_a price 0.4000001: 2 x 0.50 / 0.4000001 = 2.4999993... < 2.5 -> 2
    table = nv_table([("X", "series_a", 2)], {"series_a": "0.4000001"})
    assert count_votes(NV, table).holders[0].preferred_exact < F(5, 2)
    assert count_votes(NV, table).total == 2


def test_infinity_tie_default_half_up_and_half_even_interpretation():
    # series_a at 0.32: 0.40 / 0.32 = 1.25; 2 shares = 2.5 exactly
    holdings = [("H", "series_a", 2), ("C", "common", 10)]
    prices = {"series_a": "0.32"}
    # default infinity.vote-tie=half-up: 2.5 -> 3
    assert votes_of(INF, inf_table(holdings, prices)) == {"H": 3, "C": 10}
    even = load_charter("infinity-1996", {"infinity.vote-tie": "half-even"})
    table = build_cap_table({"as_of": "1996-07-01", "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings],
                             "conversion_prices": prices}, even, "test")
    # half-even: 2.5 -> 2 (2 is even)
    assert votes_of(even, table) == {"H": 2, "C": 10}
    assert dict(even.chosen)["infinity.vote-tie"] == "half-even"
    assert dict(INF.chosen)["infinity.vote-tie"] == "half-up"
    # and 3.5 -> 4 under both (4 is even)
    assert round_votes(even, F(7, 2)) == 4 and round_votes(INF, F(7, 2)) == 4


# --- common and totals ---------------------------------------------------------------------------


def test_common_one_vote_per_share_and_total():
    # common: 1 vote a share; series_c at its initial price 6.666667: 6.666667/6.666667 = 1 per share
    # series_d 3 shares at price 2.63: 5.26/2.63 = 2 per share = 6
    table = nv_table([("A", "common", 1234), ("B", "common", 1), ("A", "series_c", 10), ("D", "series_d", 3)],
                     {"series_d": "2.63"})
    assert votes_of(NV, table) == {"A": 1234 + 10, "B": 1, "D": 6}
    assert count_votes(NV, table).total == 1234 + 10 + 1 + 6


def test_reference_infinity_votes_add_up():
    # Reference cap table at initial prices: every share votes 1 (value == price).
    # Founders 3,100,000 + Employees 1,653,239 common; Harbor 300,000 A + 541,667 C; Bayside 200,000 A;
    # Crest 500,000 C.
    from charter_oracle.oracle import bundled
    from charter_oracle.oracle.cap_table import load_cap_table
    table = load_cap_table(bundled.reference_cap_table("infinity-1996"), INF)
    assert votes_of(INF, table) == {"Founders Trust": 3100000, "Employees": 1653239,
                                    "Harbor Ventures": 841667, "Bayside Partners": 200000, "Crest Capital": 500000}
    assert count_votes(INF, table).total == 4753239 + 500000 + 1041667


# --- consent thresholds at their exact boundaries ----------------------------------------------


def test_two_thirds_consent_exact_boundary_nvidia():
    r = rule(NV, "automatic-conversion-consent")  # IV.D.3(B)(i): at least 2/3 of preferred shares
    # 200 of 300 = 2/3 exactly: passes ">= 2/3"
    t = nv_table([("P", "series_a", 200), ("Q", "series_b", 100)])
    res = consent_counts(NV, t, r, ["P"])
    assert (res.in_favour, res.outstanding) == (200, 300)
    assert res.met
    # one share less: 199 of 300 < 2/3 (199 x 3 = 597 < 600): fails
    t = nv_table([("P", "series_a", 199), ("Q", "series_b", 101)])
    assert not consent_counts(NV, t, r, ["P"]).met


def test_two_thirds_consent_exact_boundary_infinity_counts_shares():
    r = rule(INF, "automatic-conversion-consent")  # IV.4(b)(ii): 2/3 of A and C together, in shares
    # 2 A + 0 C of 3 shares, even though C would be worth more as converted at a low price
    t = inf_table([("P", "series_a", 2), ("Q", "series_c", 1)], {"series_c": "0.01"})
    assert consent_counts(INF, t, r, ["P"]).met  # 2/3 by shares (as converted: 2 of 171 would fail)
    t = inf_table([("P", "series_a", 599), ("Q", "series_c", 301)])
    assert not consent_counts(INF, t, r, ["P"]).met  # 599/900 < 600/900


def test_two_thirds_supermajority_voting_power_nvidia():
    r = rule(NV, "director-removal-without-cause")  # V: at least 66 2/3% of the voting power
    # voting power: P 200 common; Q 50 series_a at price 0.25 = 0.5/0.25 x 50 = 100 votes -> total 300
    t = nv_table([("P", "common", 200), ("Q", "series_a", 50)], {"series_a": "0.25"})
    res = consent_counts(NV, t, r, ["P"])
    assert (res.in_favour, res.outstanding) == (200, 300) and res.met
    # 199 + 101 = 300; 199/300 fails (a threshold of 0.6667 would be wrong either way: 200/300 < 0.6667)
    t = nv_table([("P", "common", 199), ("Q", "common", 101)])
    assert not consent_counts(NV, t, r, ["P"]).met


def test_more_than_half_exactly_half_fails_nvidia_series_vote():
    r = rule(NV, "series-b-protective")  # IV.D.5(B): more than 50% of Series B
    t = nv_table([("P", "series_b", 100), ("Q", "series_b", 100)])
    assert not consent_counts(NV, t, r, ["P"]).met  # 100/200 = 50%: not more than
    t = nv_table([("P", "series_b", 101), ("Q", "series_b", 100)])
    assert consent_counts(NV, t, r, ["P"]).met  # 101/201 > 1/2


def test_more_than_half_nvidia_5a_exactly_half_as_converted():
    r = rule(NV, "preferred-protective")  # IV.D.5(A): more than 50% of preferred, as converted
    # P: 100 A at 0.50 = 100 votes; Q: 50 B at 0.90 = 1.80/0.90 x 50 = 100 votes -> exactly 50%
    t = nv_table([("P", "series_a", 100), ("Q", "series_b", 50)], {"series_b": "0.90"})
    res = consent_counts(NV, t, r, ["P"])
    assert (res.in_favour, res.outstanding) == (100, 200)
    assert not res.met
    # P gets one more share: 101 of 201 passes
    t = nv_table([("P", "series_a", 101), ("Q", "series_b", 50)], {"series_b": "0.90"})
    assert consent_counts(NV, t, r, ["P"]).met


def test_nvidia_5a_counts_as_converted_not_shares():
    r = rule(NV, "preferred-protective")
    # P: 100 A at 0.50 -> 100 votes; Q: 60 B at 0.90 -> 2 x 60 = 120 votes. Total 220 votes, 160 shares.
    t = nv_table([("P", "series_a", 100), ("Q", "series_b", 60)], {"series_b": "0.90"})
    p = consent_counts(NV, t, r, ["P"])
    assert (p.in_favour, p.outstanding) == (100, 220)
    assert not p.met  # 100/220 < 1/2, although by shares 100/160 > 1/2
    q = consent_counts(NV, t, r, ["Q"])
    assert (q.in_favour, q.outstanding) == (120, 220)
    assert q.met  # 120/220 > 1/2, although by shares 60/160 < 1/2


def test_infinity_8_series_c_majority_exactly_half_fails():
    r = rule(INF, "series-c-protective")  # IV.8: at least a majority of Series C (encoded as more than half)
    t = inf_table([("P", "series_c", 500), ("Q", "series_c", 500), ("R", "series_a", 10000)])
    assert not consent_counts(INF, t, r, ["P"]).met  # 500/1000 = 50%
    t = inf_table([("P", "series_c", 501), ("Q", "series_c", 500), ("R", "series_a", 10000)])
    assert consent_counts(INF, t, r, ["P"]).met  # 501/1001
    # Series A holders do not vote in it: R alone has nothing of 1001
    assert not consent_counts(INF, t, r, ["R"]).met


def test_protective_rule_not_required_when_class_not_outstanding():
    r = rule(INF, "series-c-protective")
    t = inf_table([("P", "series_a", 10), ("Q", "common", 10)])
    assert consent_counts(INF, t, r, []).required is False


def test_a_vote_count_asked_for_an_unknown_holder_names_the_nearest():
    import pytest

    from charter_oracle.oracle import bundled
    from charter_oracle.oracle.cap_table import load_cap_table
    from charter_oracle.oracle.charter_file import load_charter
    from charter_oracle.oracle.errors import InputError
    from charter_oracle.oracle.voting import count_votes

    charter = load_charter("nvidia-1998")
    count = count_votes(charter, load_cap_table(bundled.reference_cap_table("nvidia-1998"), charter))
    assert count.of("Growth Fund") == 1_300_000  # 1,300,000 series_d shares, one vote each at the initial price
    with pytest.raises(InputError, match=r"'Growth Fnd' is not in the vote count; did you mean 'Growth Fund'\?"):
        count.of("Growth Fnd")
