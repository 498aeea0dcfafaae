"""oracle.conversion and oracle.compliance: holder conversion with cash in lieu, and proposed-action checks.

Conversion (infinity IV.4(g), 4(h)(i), 4(f); nvidia IV.D.3(M), IV.D.6): a holder's conversion
shares are aggregated over everything it converts together, infinity first takes the total to
the nearest 1/100 share, the whole number is issued and the fraction paid in cash; converted
preferred leaves the designated count.
Compliance: automatic-conversion triggers and deemed liquidations at their exact boundaries.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.compliance import check_action
from charter_oracle.oracle.conversion import convert_holder
from charter_oracle.oracle.errors import InputError

INF = load_charter("infinity-1996")
NV = load_charter("nvidia-1998")


def inf_table(holdings, prices=None):
    raw = {"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"},
           "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings]}
    if prices:
        raw["conversion_prices"] = prices
    return build_cap_table(raw, INF, "test")


def nv_table(holdings, prices=None):
    raw = {"as_of": "1998-06-30", "holdings": [{"holder": h, "class": c, "shares": s} for h, c, s in holdings]}
    if prices:
        raw["conversion_prices"] = prices
    return build_cap_table(raw, NV, "test")


# --- conversion ------------------------------------------------------------------------------------


def test_infinity_aggregates_a_and_c_then_hundredths_then_cash():
    # A: 0.40 / 0.30 = 4/3 per share, 2 shares = 8/3 = 2.6667
    # C: 1.69 / (169/140) = 1.4 per share, 1 share = 1.4
    # together 8/3 + 7/5 = 61/15 = 4.0667 -> nearest 1/100: 4.07 -> 4 whole shares, 0.07 in cash
    # (per series: 2 + 1 = 3 whole shares; without 4(h)(i) the fraction would be 1/15 = 0.0667)
    table = inf_table([("H", "series_a", 2), ("H", "series_c", 1)], {"series_a": "0.30", "series_c": "169/140"})
    result = convert_holder(INF, table, "H", fair_market_value=F("2.00"))
    assert result.common_exact == F("4.07")
    assert result.whole_shares == 4
    assert result.fraction == F("0.07")
    assert result.cash_in_lieu == F("0.07") * 2 == F("0.14")


def test_infinity_hundredths_rounding_can_complete_a_share():
    # A at 100/333: 0.40 x 333/100 = 1.332 per share; 3 shares = 3.996 -> 4.00: 4 shares, no cash
    table = inf_table([("H", "series_a", 3)], {"series_a": "100/333"})
    result = convert_holder(INF, table, "H", fair_market_value=F(5))
    assert (result.common_exact, result.whole_shares, result.fraction, result.cash_in_lieu) == (F(4), 4, 0, 0)


def test_infinity_converted_shares_retired_from_designated():
    table = inf_table([("H", "series_a", 2), ("H", "series_c", 1), ("X", "series_c", 7)])
    result = convert_holder(INF, table, "H")
    # A 500,000 - 2; C 1,041,667 - 1 (X's 7 are not converted)
    assert dict(result.designated_after) == {"series_a": 499_998, "series_c": 1_041_666}
    assert result.whole_shares == 3 and result.fraction == 0


def test_nvidia_aggregates_exactly_without_hundredths():
    # A at 0.30: 0.50/0.30 = 5/3, 2 shares = 10/3; B at 1.50: 1.80/1.50 = 1.2, 4 shares = 4.8
    # together 10/3 + 24/5 = 122/15 = 8.1333.. -> 8 whole shares, 2/15 in cash (exact: no 1/100 rule)
    # (per series: 3 + 4 = 7)
    table = nv_table([("L", "series_a", 2), ("L", "series_b", 4), ("O", "common", 10)],
                     {"series_a": "0.30", "series_b": "1.50"})
    result = convert_holder(NV, table, "L", fair_market_value=F(3))
    assert result.common_exact == F(122, 15)
    assert result.whole_shares == 8
    assert result.fraction == F(2, 15)
    assert result.cash_in_lieu == F(2, 15) * 3 == F(2, 5)
    # IV.D.6: A 4,383,000 - 2; B 2,879,719 - 4; C and D unchanged
    assert dict(result.designated_after) == {"series_a": 4_382_998, "series_b": 2_879_715,
                                             "series_c": 760_000, "series_d": 1_800_000}


def test_nvidia_partial_conversion_retires_only_converted():
    table = nv_table([("L", "series_a", 10), ("L", "series_b", 4)])
    result = convert_holder(NV, table, "L", {"series_a": 3})
    # 3 x 0.50/0.50 = 3
    assert result.whole_shares == 3
    assert dict(result.designated_after)["series_a"] == 4_383_000 - 3
    assert dict(result.designated_after)["series_b"] == 2_879_719


def test_convert_more_than_held_or_unknown_holder_refused():
    table = nv_table([("L", "series_a", 10)])
    with pytest.raises(InputError):
        convert_holder(NV, table, "L", {"series_a": 11})
    with pytest.raises(InputError):
        convert_holder(NV, table, "Nobody")
    with pytest.raises(InputError):
        convert_holder(NV, table, "L", {"common": 1})


# --- automatic conversion on an offering -----------------------------------------------------------

INF_T = inf_table([("H", "series_a", 10), ("C", "common", 10)])
NV_T = nv_table([("H", "series_a", 10), ("C", "common", 10)])


def triggered(charter, table, **action):
    checks = check_action(charter, table, {"action": "offering", **action})
    (check,) = [c for c in checks if c.name == "automatic-conversion"]
    return check.ok


@pytest.mark.parametrize("price, gross, net, hit", [
    ("5.00", "5000000", "5000000", True),        # exactly $5.00 and exactly $5,000,000: "at least" both
    ("4.99", "5000000", "5000000", False),       # a cent under the price
    ("5.00", "4999999.99", "4999999.99", False),  # a cent under the aggregate
    ("5.00", "5000000", "1", True),              # gross basis: net is irrelevant
    ("5.00", "1", "9000000", False),             # ... both ways
])
def test_infinity_offering_trigger_at_boundary(price, gross, net, hit):
    # IV.4(b)(i): any underwritten registered offering (no firm commitment needed)
    assert triggered(INF, INF_T, price=price, gross=gross, net=net) is hit


@pytest.mark.parametrize("price, gross, net, firm, hit", [
    ("10.00", "20000000", "15000000", True, False),     # net exactly $15,000,000: not "exceeding"
    ("10.00", "20000000", "15000000.01", True, True),   # a cent more: triggers; price exactly $10.00 is "at least"
    ("9.99", "20000000", "20000000", True, False),      # price a cent under
    ("10.00", "30000000", "14999999.99", True, False),  # net basis: a large gross does not help
    ("10.00", "20000000", "20000000", False, False),    # not a firm-commitment offering
])
def test_nvidia_offering_trigger_at_boundary(price, gross, net, firm, hit):
    # IV.D.3(B)(ii)
    assert triggered(NV, NV_T, price=price, gross=gross, net=net, firm_commitment=firm) is hit


# --- deemed liquidation ----------------------------------------------------------------------------


def deemed(charter, table, transaction, **extra):
    raw = {"action": transaction, "transaction": transaction}
    flags = extra.pop("flags", None)
    if flags is not None:
        raw["flags"] = flags
    raw.update({k.replace("_", "-"): v for k, v in extra.items()})
    (check,) = [c for c in check_action(charter, table, raw) if c.name == "deemed-liquidation"]
    return check.ok


def test_infinity_merger_retaining_exactly_half_is_not_deemed_liquidation():
    # IV.3(d)(i): less than 50% retained is a Corporate Sale; exactly 1/2 is not
    assert deemed(INF, INF_T, "merger", voting_power_retained="1/2") is False
    assert deemed(INF, INF_T, "merger", voting_power_retained="0.4999999") is True
    assert deemed(INF, INF_T, "merger", voting_power_retained="0.6") is False


def test_infinity_control_transfer_and_primary_issuance_exception():
    assert deemed(INF, INF_T, "control-transfer", voting_power_retained="0.49") is True
    # IV.3(d)(ii): issuances for cash or cancelled debt excepted
    assert deemed(INF, INF_T, "control-transfer", voting_power_retained="0.49", flags=["primary-issuance"]) is False
    assert deemed(INF, INF_T, "asset-sale") is True


def test_nvidia_control_transfer_exactly_half_is_not_deemed_liquidation():
    # IV.D.2(C): more than 50% of the voting power
    assert deemed(NV, NV_T, "control-transfer", voting_power_transferred="1/2") is False
    assert deemed(NV, NV_T, "control-transfer", voting_power_transferred="0.5000001") is True


def test_nvidia_merger_but_reincorporation_excepted():
    assert deemed(NV, NV_T, "merger") is True
    assert deemed(NV, NV_T, "merger", flags=["reincorporation"]) is False


def test_deemed_liquidation_needs_its_measure():
    with pytest.raises(InputError):
        check_action(NV, NV_T, {"action": "x", "transaction": "control-transfer"})


# --- issues beyond authorized / designated; reservation ---------------------------------------------


def issue_checks(charter, table, class_id, shares):
    return {c.name: c.ok for c in check_action(charter, table, {"action": "issue", "class": class_id, "shares": shares})}


def test_nvidia_issue_common_beyond_authorized():
    # 199,999,000 outstanding of 200,000,000 authorized: 1,000 more fits exactly, 1,001 does not
    table = nv_table([("F", "common", 199_999_000)])
    assert issue_checks(NV, table, "common", 1_000)["authorized"] is True
    assert issue_checks(NV, table, "common", 1_001)["authorized"] is False


def test_nvidia_issue_common_reservation_boundary():
    # 195,990,000 common + 4,000,000 A (needs 4,000,000 common at 0.50/0.50).
    # issue 10,000: unissued 200,000,000 - 196,000,000 = 4,000,000 = need -> ok; 10,001 -> short by 1
    table = nv_table([("F", "common", 195_990_000), ("A", "series_a", 4_000_000)])
    ok = issue_checks(NV, table, "common", 10_000)
    assert ok["authorized"] is True and ok["reservation"] is True
    short = issue_checks(NV, table, "common", 10_001)
    assert short["authorized"] is True and short["reservation"] is False


def test_nvidia_issue_series_beyond_designated():
    # Series C designated 760,000
    table = nv_table([("S", "series_c", 759_999)])
    assert issue_checks(NV, table, "series_c", 1)["designated"] is True
    assert issue_checks(NV, table, "series_c", 2)["designated"] is False


def test_infinity_issue_common_beyond_authorized():
    # 25,000,000 authorized; 24,000,000 common outstanding; C 1,000,000 needs 1,000,000 common (1.69/1.69)
    table = inf_table([("F", "common", 24_000_000), ("C", "series_c", 1_000_000)])
    checks = issue_checks(INF, table, "common", 1)
    # 24,000,001 <= 25,000,000 authorized, but 999,999 unissued < 1,000,000 needed
    assert checks == {"authorized": True, "reservation": False}
    assert issue_checks(INF, table, "common", 1_000_001)["authorized"] is False


def test_unknown_class_and_key_refused():
    with pytest.raises(InputError):
        check_action(NV, NV_T, {"action": "issue", "class": "series_z", "shares": 1})
    with pytest.raises(InputError):
        check_action(NV, NV_T, {"action": "offering", "price": 10.0, "net": "1"})  # float price
    with pytest.raises(InputError):
        check_action(NV, NV_T, {"action": "offering", "colour": "red"})


def test_consent_check_through_action():
    # IV.8 corporate sale needs more than half of Series C (by shares); exactly half fails
    table = inf_table([("P", "series_c", 5), ("Q", "series_c", 5)])
    # (a sale of all or substantially all assets is a Corporate Sale, IV.3(d)(iii), so 8(f) asks for it)
    sale = {"action": "corporate-sale", "transaction": "asset-sale"}
    checks = check_action(INF, table, {**sale, "approving": ["P"]})
    assert [(c.name, c.ok) for c in checks] == [("consent:series-c-protective", False), ("deemed-liquidation", True)]
    checks = check_action(INF, table, {**sale, "approving": ["P", "Q"]})
    assert [(c.name, c.ok) for c in checks] == [("consent:series-c-protective", True), ("deemed-liquidation", True)]


def test_an_unknown_holder_is_named_with_the_nearest_one_and_the_list():
    from charter_oracle.oracle import bundled
    from charter_oracle.oracle.cap_table import load_cap_table
    from charter_oracle.oracle.errors import InputError

    reference = load_cap_table(bundled.reference_cap_table("nvidia-1998"), NV)
    with pytest.raises(InputError) as refused:
        convert_holder(NV, reference, "Lead Venture")
    message = str(refused.value)
    assert "'Lead Venture' is not in the cap table; did you mean 'Lead Ventures'?" in message
    assert "(holders: " in message and "Growth Fund" in message and "\n" not in message
