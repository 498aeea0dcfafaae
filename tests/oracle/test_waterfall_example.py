"""example-modern (illustrative charter): seniority, a pari passu pair, and a 3x participation cap.

Terms (oracle/bundled/example-modern.toml, IV.B.2):
  Series C: rank 1, $4.00, non-participating; converts 4.00/4.00 = 1 common per share.
  Series B: rank 2, $2.00, participates with common until its total (preference included) is
            $6.00 per share (3x); 1 common per share.
  Series A-1 ($1.00) and A-2 ($1.25): rank 3, pari passu, non-participating; 1 common per share.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.cap_table import build_cap_table, load_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.positions import participation_cap_per_share

EX = load_charter("example-modern")
CENT = F("0.01")


def table(holdings, charter=EX, **extra):
    raw = {"as_of": "2026-06-30",
           "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings], **extra}
    return build_cap_table(raw, charter, "hand-made")


def pay(tbl, proceeds, charter=EX):
    d = distribute(charter, tbl, F(proceeds))
    assert sum((v for _, v in d.holders), F(0)) == d.proceeds  # conservation
    assert sum((v for _, v in d.classes), F(0)) == d.proceeds
    assert all(v >= 0 for _, v in d.holders)
    return d


# --- the 3x cap, preference included ---------------------------------------------------------------
# Series B 100 shares, common 900. Preference 200. B shares the residual by 100 of 1000 common
# equivalents until its participation is 6.00 - 2.00 = 4.00 per share (400): level 4.00, residual
# 4000, P = 4200. Beyond that B is capped at 600 (3 x 2.00 x 100) until converting beats 6.00 per
# share: not converting (P - 600) / 900 = 6 => P = 6000; converting 6000 / 1000 = 6.
B_ONLY = [("Venture", "series_b", 100), ("Founders", "common", 900)]


def test_cap_per_share_excludes_the_preference_already_paid():
    assert participation_cap_per_share(EX.series_by_id("series_b"), table(B_ONLY)) == F("4.00")


def test_participating_below_the_cap():
    d = pay(table(B_ONLY), "3000")
    level = (F(3000) - 200) / 1000  # 2.80
    assert d.class_amount("series_b") == 200 + 100 * level  # 480
    assert d.class_amount("series_b") == F("480")
    assert d.class_amount("common") == F("2520")


def test_cap_reached_exactly_at_3x():
    d = pay(table(B_ONLY), "4200")
    assert d.class_amount("series_b") == F("600")  # 3 x $2.00 x 100
    assert d.class_amount("common") == F("3600")


def test_cap_binding_the_rest_to_common():
    d = pay(table(B_ONLY), "5000")
    assert d.class_amount("series_b") == F("600")
    assert d.class_amount("common") == F("4400")
    assert d.converted == frozenset()


def test_switch_to_conversion_at_6_per_share():
    below = pay(table(B_ONLY), F(6000) - CENT)
    assert below.converted == frozenset() and below.class_amount("series_b") == F("600")
    assert below.class_amount("common") == F("5399.99")
    at = pay(table(B_ONLY), F(6000))
    assert at.class_amount("series_b") == F("600")
    above = pay(table(B_ONLY), F(6000) + CENT)
    assert above.converted == frozenset({"series_b"})
    assert above.class_amount("series_b") == F("6000.01") / 10
    far = pay(table(B_ONLY), "10000")
    assert far.class_amount("series_b") == F("1000")


# --- seniority and the pari passu pair -------------------------------------------------------------
# C 100, B 100, A-1 100, A-2 100, common 1000. Declared: C 0.32, A-2 0.10.
# Claims: rank 1 C 100 x 4.32 = 432; rank 2 B 200; rank 3 A-1 100 and A-2 100 x 1.35 = 135 (235).
ALL = [("Growth", "series_c", 100), ("Venture", "series_b", 100), ("Venture", "series_a1", 100),
       ("Seed", "series_a1", 0), ("Seed", "series_a2", 100), ("Founders", "common", 1000)]
DIVS = {"declared_unpaid_dividends": {"series_c": "0.32", "series_a2": "0.10"}}


def test_senior_tier_short():
    d = pay(table(ALL, **DIVS), "300")
    assert d.class_amount("series_c") == F("300")
    assert all(d.class_amount(c) == 0 for c in ("series_b", "series_a1", "series_a2", "common"))


def test_second_tier_short():
    d = pay(table(ALL, **DIVS), "500")
    assert d.class_amount("series_c") == F("432")
    assert d.class_amount("series_b") == F("68")
    assert d.class_amount("series_a1") == 0


def test_pari_passu_pair_shortfall_by_preferential_amount():
    # P = 432 + 200 + 117.50: the pair gets half of its 235: A-1 50, A-2 67.50 (by share count 58.75 each)
    d = pay(table(ALL, **DIVS), F("432") + 200 + F("117.50"))
    assert d.class_amount("series_c") == F("432")
    assert d.class_amount("series_b") == F("200")
    assert d.class_amount("series_a1") == F("50")
    assert d.class_amount("series_a2") == F("67.50")
    assert d.class_amount("common") == 0
    # Venture: B 200 + A-1 50
    assert d.holder_amount("Venture") == F("250")
    assert d.holder_amount("Seed") == F("67.50")


def test_pair_boundary_one_cent_either_side():
    total = F("432") + 200 + 235  # 867
    at = pay(table(ALL, **DIVS), total)
    assert (at.class_amount("series_a1"), at.class_amount("series_a2")) == (F("100"), F("135"))
    below = pay(table(ALL, **DIVS), total - CENT)
    assert below.class_amount("series_a1") == (F("235") - CENT) * 100 / 235
    assert below.class_amount("series_a2") == (F("235") - CENT) * 135 / 235
    above = pay(table(ALL, **DIVS), total + CENT)
    # the cent is shared by common (1000) and participating B (100)
    assert above.class_amount("series_b") == 200 + CENT * 100 / 1100
    assert above.class_amount("common") == CENT * 1000 / 1100


# --- the whole structure: switch points in order ---------------------------------------------------
# No dividends. Preferences C 400, B 200, A-1 100, A-2 125: 825. B participates beside common.
#   A-1 switches at level 1.00: (P - 825) / 1100 = 1     => P = 1925  (converted: 1800 / 1200... see below)
#   A-2 at level 1.25 (A-1 converted): (P - 725) / 1200 = 1.25 => P = 2225
#   B's cap binds and C switches at level 4.00 (A-1, A-2 converted): (P - 600) / 1300 = 4 => P = 5800
#   B converts at 6.00 (C, A-1, A-2 converted, B capped at 600): (P - 600) / 1300 = 6 => P = 8400;
#   all converted: 8400 / 1400 = 6.
PLAIN = [("Growth", "series_c", 100), ("Venture", "series_b", 100), ("Venture", "series_a1", 100),
         ("Seed", "series_a2", 100), ("Founders", "common", 1000)]


@pytest.mark.parametrize(
    "series, point, before",
    [
        ("series_a1", F(1925), frozenset()),
        ("series_a2", F(2225), frozenset({"series_a1"})),
        ("series_c", F(5800), frozenset({"series_a1", "series_a2"})),
        ("series_b", F(8400), frozenset({"series_a1", "series_a2", "series_c"})),
    ],
)
def test_switch_points(series, point, before):
    below = pay(table(PLAIN), point - CENT)
    assert below.converted == before
    above = pay(table(PLAIN), point + CENT)
    assert above.converted == before | {series}
    at = pay(table(PLAIN), point)
    assert before in at.stable_outcomes and before | {series} in at.stable_outcomes


def test_middle_region_by_hand():
    # P = 3000: converted; residual 3000 - 400 - 200 = 2400 over 1300 (common 1000,
    # A-1 100, A-2 100, B 100 participating): level 24/13, below B's 4.00
    d = pay(table(PLAIN), "3000")
    assert d.converted == frozenset({"series_a1", "series_a2"})
    level = F(2400, 1300)
    assert d.class_amount("series_c") == F("400")
    assert d.class_amount("series_b") == 200 + 100 * level
    assert d.class_amount("series_a1") == 100 * level
    assert d.class_amount("common") == 1000 * level
    assert d.holder_amount("Venture") == 200 + 200 * level


def test_b_capped_while_the_others_converted():
    # P = 8000: C, A-1, A-2 converted; B capped at 600; (8000 - 600) / 1300 = 7400/1300 per share
    d = pay(table(PLAIN), "8000")
    assert d.converted == frozenset({"series_a1", "series_a2", "series_c"})
    assert d.class_amount("series_b") == F("600")
    assert d.class_amount("series_c") == F(7400) * 100 / 1300
    assert d.class_amount("common") == F(7400) * 1000 / 1300


def test_all_convert_far_above():
    d = pay(table(PLAIN), "14000")  # 10 per common equivalent
    assert d.converted == frozenset({"series_a1", "series_a2", "series_b", "series_c"})
    assert dict(d.holders) == {"Growth": F(1000), "Venture": F(2000), "Seed": F(1000), "Founders": F(10000)}


# --- declared dividends on conversion --------------------------------------------------------------


def test_senior_dividend_paid_on_conversion_by_default():
    # C declared 0.32 x 100 = 32 paid first; 13,968 over 1,400 common equivalents
    tbl = table(PLAIN, declared_unpaid_dividends={"series_c": "0.32"})
    d = pay(tbl, "14000")
    assert "series_c" in d.converted
    assert d.class_amount("series_c") == 32 + F(13968) * 100 / 1400
    assert d.class_amount("common") == F(13968) * 1000 / 1400


def test_senior_dividend_forfeited_when_chosen():
    charter = load_charter("example-modern", {"all.declared-dividends-on-conversion": "forfeited"})
    tbl = table(PLAIN, charter=charter, declared_unpaid_dividends={"series_c": "0.32"})
    d = pay(tbl, "14000", charter)
    assert d.class_amount("series_c") == F(1000)
    assert d.class_amount("common") == F(10000)


# --- the bundled reference cap table ---------------------------------------------------------------


def test_reference_cap_table_tiers():
    tbl = load_cap_table(bundled.reference_cap_table("example-modern"), EX)
    # C 1,500,000 x (4.00 + 0.32) = 6,480,000; B 2,500,000 x 2.00 = 5,000,000;
    # A-1 3,000,000 x 1.00 and A-2 1,600,000 x 1.25 = 2,000,000 (pair 5,000,000)
    d = pay(tbl, F(6_480_000) + F(5_000_000) + F(2_500_000))  # the pair gets half
    assert d.class_amount("series_c") == F(6_480_000)
    assert d.class_amount("series_b") == F(5_000_000)
    assert d.class_amount("series_a1") == F(1_500_000)
    assert d.class_amount("series_a2") == F(1_000_000)
    # Venture Partners: all of B + 1/3 of A-1; Seed Fund: 2/3 of A-1 + all of A-2
    assert d.holder_amount("Venture Partners") == F(5_000_000) + F(500_000)
    assert d.holder_amount("Seed Fund") == F(1_000_000) + F(1_000_000)


# --- the stable-outcome search against brute force (2^4 subsets, small enough to enumerate) ---------


@pytest.mark.parametrize("proceeds", ["700", "1925", "2000", "2225", "4000", "5800", "7000", "8400", "9000"])
def test_stable_outcome_matches_brute_force(proceeds):
    import itertools

    from charter_oracle.oracle.positions import series_positions
    from charter_oracle.oracle.waterfall import allocate

    tbl = table(PLAIN, declared_unpaid_dividends={"series_a2": "0.10"})
    p = F(proceeds)
    positions = series_positions(EX, tbl)
    ids = [s.id for s in EX.series]
    outcomes = {
        frozenset(sub): allocate(EX, p, tbl.shares_of("common"), positions, frozenset(sub))
        for r in range(len(ids) + 1) for sub in itertools.combinations(ids, r)
    }
    stable = [k for k, a in outcomes.items()
              if all(outcomes[k ^ {s}].amount(s) <= a.amount(s) for s in ids)]
    d = pay(tbl, p)
    # every stable payoff is reported, and the one paid is the best for the preferred as a whole
    assert {outcomes[k].classes for k in stable} == {outcomes[k].classes for k in d.stable_outcomes}
    best = max(sum(v for c, v in outcomes[k].classes if c != "common") for k in stable)
    assert sum(v for c, v in d.classes if c != "common") == best


# byzantine-1999 is left out: all its series participate fully and have no switch level.
@pytest.mark.parametrize("charter_id", ["infinity-1996", "nvidia-1998", "example-modern"])
def test_switch_levels_are_exact_fractions(charter_id):
    """Switch levels order the stable-outcome search in the oracle and the solver alike: a float
    (a non-participating series' cap of 0 once became the int 0, and 0 / shares a float) would
    let both misorder candidates identically, so that their cross-check could not catch it."""
    from charter_oracle.oracle.positions import series_positions

    charter = load_charter(charter_id)
    table = load_cap_table(bundled.reference_cap_table(charter_id), charter)
    levels = [p.switch_level for p in series_positions(charter, table) if p.switch_level is not None]
    assert levels
    assert all(type(level) is F for level in levels), [type(level) for level in levels]
