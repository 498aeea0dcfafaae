"""Fidelity of ``comply`` to the texts (issue 10): reservation, corporate sale by substance, thresholds.

Each case is hand-computed at its edge (one share over and under, the exact fraction).
"""

from __future__ import annotations

from fractions import Fraction as F

from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.compliance import check_action, conversion_need

INF = load_charter("infinity-1996")
AUTHORIZED = 25_000_000  # infinity IV (preamble)


def inf_table(common: int, holdings=(), prices=None):
    raw = {"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
           "holdings": [{"holder": "F", "class": "common", "shares": common}]
           + [{"holder": h, "class": c, "shares": n} for h, c, n in holdings]}
    if prices:
        raw["conversion_prices"] = prices
    return build_cap_table(raw, INF, "test")


def result(checks, name):
    (check,) = [c for c in checks if c.name == name]
    return check.ok


# --- 6. the reserve is each holder's whole shares, summed --------------------------------------------

def test_reservation_counts_whole_shares_per_holder():
    # C's price 1.60: each C share converts into 1.69 / 1.60 = 1.05625 common. P and Q hold 10 C each:
    # 10.5625 -> 10.56 (IV.4(h)(i), nearest 1/100) -> 10 whole each (IV.4(g)); need 10 + 10 = 20.
    # The floor of the combined total would be floor(21.125) = 21: one share too many.
    table = inf_table(AUTHORIZED - 21, [("P", "series_c", 10), ("Q", "series_c", 10)], {"series_c": "1.60"})
    assert 10 * F("1.69") / F("1.60") == F("10.5625")
    assert conversion_need(INF, table) == 20
    # Issuing 1 common leaves 25,000,000 - 24,999,979 - 1 = 20 unissued: exactly enough.
    assert result(check_action(INF, table, {"action": "issue", "class": "common", "shares": 1}), "reservation")
    # Issuing 2 leaves 19: one short.
    assert not result(check_action(INF, table, {"action": "issue", "class": "common", "shares": 2}), "reservation")


# --- 3. issuing preferred checks the reservation for its conversion ----------------------------------

def test_issuing_preferred_checks_the_reservation_for_its_own_conversion():
    # 100 common unissued (24,999,900 outstanding); Series A converts 1:1 (0.40 / 0.40) (IV.4(j)).
    table = inf_table(AUTHORIZED - 100)
    assert result(check_action(INF, table, {"action": "issue", "class": "series_a", "shares": 100}), "reservation")
    checks = check_action(INF, table, {"action": "issue", "class": "series_a", "shares": 101})
    assert not result(checks, "reservation")
    # designated (500,000) and authorized preferred (6,541,667) are still fine: only the reservation fails.
    assert result(checks, "designated") and result(checks, "authorized")
    (check,) = [c for c in checks if c.name == "reservation"]
    assert check.cite == "IV.4(j)" and "needs 101" in check.what
