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


# --- 2. a Corporate Sale needs the Series C consent by its substance (IV.8(f), IV.3(d)) ----------------

def _needs_series_c(raw) -> bool:
    table = inf_table(1000, [("P", "series_c", 10)])
    return any(c.name == "consent:series-c-protective" for c in check_action(INF, table, raw))


def test_a_merger_under_its_own_name_needs_the_series_c_consent_when_it_is_a_corporate_sale():
    # IV.3(d)(i): old holders keeping less than 50% of the survivor's voting stock. Exactly 1/2 kept is
    # not "not holding at least 50%": no Corporate Sale; one millionth less is one.
    assert not _needs_series_c({"action": "merger", "voting-power-retained": "1/2"})
    assert _needs_series_c({"action": "merger", "voting-power-retained": "499999/1000000"})
    # An asset sale (3(d)(iii)) always is one.
    assert _needs_series_c({"action": "asset-sale"})


def test_an_action_called_corporate_sale_is_judged_by_its_substance():
    assert not _needs_series_c({"action": "corporate-sale", "transaction": "merger", "voting-power-retained": "1/2"})
    assert _needs_series_c({"action": "corporate-sale", "transaction": "merger", "voting-power-retained": "1/3"})
    # 3(d)(ii): a primary issuance for cash is excepted from the control-transfer test.
    assert not _needs_series_c({"action": "corporate-sale", "transaction": "control-transfer",
                                "voting-power-retained": "1/3", "flags": ["primary-issuance"]})


def test_a_corporate_sale_without_its_substance_is_one_clear_error():
    import pytest
    from charter_oracle.oracle.errors import InputError

    with pytest.raises(InputError, match="give transaction"):
        check_action(INF, inf_table(1000), {"action": "corporate-sale"})
    with pytest.raises(InputError, match="voting-power-retained"):
        check_action(INF, inf_table(1000), {"action": "merger"})


# --- exceptions in the protective provisions -------------------------------------------------------

def test_infinity_repurchases_under_2c_need_no_series_c_consent():
    # IV.8(e): "except as provided in Section 2(c)": employee shares on termination, right of first refusal.
    table = inf_table(1000, [("P", "series_c", 10)])
    plain = check_action(INF, table, {"action": "repurchase"})
    assert [(c.name, c.ok) for c in plain] == [("consent:series-c-protective", False)]
    for flag in ("section-2c-employee", "section-2c-first-refusal"):
        (check,) = check_action(INF, table, {"action": "repurchase", "flags": [flag]})
        assert check.ok and "excepted" in check.what and check.cite == "IV.8"
    # IV.8(d): a dividend payable in common is excepted too.
    (check,) = check_action(INF, table, {"action": "common-dividend", "flags": ["payable-in-common"]})
    assert check.ok


def test_nvidia_merger_into_a_wholly_owned_subsidiary_needs_no_preferred_consent():
    # IV.D.5(A)(II): any merger "(other than a wholly owned subsidiary corporation)".
    from _nvidia_table import NV, nv_table

    plain = {c.name: c.ok for c in check_action(NV, nv_table(), {"action": "merger"})}
    assert plain["consent:preferred-protective"] is False
    flagged = {c.name: c for c in check_action(NV, nv_table(), {"action": "merger", "flags": ["wholly-owned-subsidiary"]})}
    assert flagged["consent:preferred-protective"].ok and "excepted" in flagged["consent:preferred-protective"].what


# --- offering thresholds as adjusted for splits; registrations that never qualify ------------------------

def _converts(charter, table, **offering) -> bool:
    (check,) = [c for c in check_action(charter, table, {"action": "offering", **offering})
                if c.name == "automatic-conversion"]
    return check.ok


def test_infinity_offering_price_is_adjusted_for_splits():
    # IV.4(b)(i): at least $5.00 "as adjusted to reflect Recapitalizations", aggregate at least $5,000,000.
    table = inf_table(1000)
    assert _converts(INF, table, price="5.00", gross="5000000")
    assert not _converts(INF, table, price="4.99", gross="5000000")
    # After a 2-for-1 split the test is 5.00 / 2 = 2.50: 2.50 passes, 2.49 fails.
    assert _converts(INF, table, price="2.50", gross="5000000", splits=[2])
    assert not _converts(INF, table, price="2.49", gross="5000000", splits=[2])
    # 2-for-1 then 1-for-4: 5.00 / (2 x 1/4) = 10.00.
    assert not _converts(INF, table, price="9.99", gross="5000000", splits=[2, "1/4"])
    assert _converts(INF, table, price="10.00", gross="5000000", splits=[2, "1/4"])


def test_nvidia_rule_145_and_employee_plan_registrations_do_not_qualify():
    # IV.D.3(B)(ii): firm commitment, at least $10.00, net proceeds *exceeding* $15,000,000; not a registration
    # relating solely to Rule 145 or an employee benefit plan (Form S-8).
    from _nvidia_table import NV, nv_table

    ok = dict(price="10.00", net="15000000.01", firm_commitment=True)
    assert _converts(NV, nv_table(), **ok)
    assert _converts(NV, nv_table(), **ok, registration="s-1")
    assert not _converts(NV, nv_table(), **ok, registration="rule-145")
    assert not _converts(NV, nv_table(), **ok, registration="employee-benefit-plan")
    assert not _converts(NV, nv_table(), **{**ok, "net": "15000000"})
    # 1-for-2 combination: the price test becomes 10.00 / (1/2) = 20.00.
    assert not _converts(NV, nv_table(), **ok, splits=["1/2"])
    assert _converts(NV, nv_table(), **{**ok, "price": "20.00"}, splits=["1/2"])


def test_bad_splits_are_one_clear_error():
    import pytest
    from charter_oracle.oracle.errors import InputError

    for bad in ("2", [0], [2.0]):
        with pytest.raises(InputError, match="splits"):
            check_action(INF, inf_table(1000), {"action": "offering", "price": "5", "gross": "5000000", "splits": bad})
