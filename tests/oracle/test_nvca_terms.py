"""The NVCA terms (issue 11) on the bundled nvca-style charter and small edits of it, hand-computed.

nvca-style (oracle/bundled/nvca-style.toml) and its reference cap table:
  common 22,000,000 (Founders 20M, Employees 2M); options 5,000,000 at $0.20
  series_b $4.00: 1.5x ($6.00), rank 1, participating capped at 3x ($12.00, preference included),
           8% cumulative simple actual/365 from 2023-03-15; full ratchet. 3,750,000 shares.
  series_a $1.00: 1x, rank 2, 8% non-cumulative; broad WA to $0.0001. 9,000,000 shares.
  series_seed $0.50: 1x, rank 3, 6% non-cumulative; broad WA. 3,000,000 shares.
  as_of 2026-06-30: 1,203 days after 2023-03-15 (2023-03-15 -> 2026-03-15 is 1,096 days with
  29 Feb 2024; +16 +30 +31 +30 to 30 June).
"""

from __future__ import annotations

import copy
import json
import datetime as dt
from fractions import Fraction as F

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.accrual import accrued_per_share
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table, load_cap_table
from charter_oracle.oracle.charter_file import build_charter, load_charter, read_toml
from charter_oracle.oracle.compliance import check_action
from charter_oracle.oracle.dividends import allocate_dividend
from charter_oracle.oracle.errors import CapTableError, CharterFormatError
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.voting import count_votes

NV = load_charter("nvca-style")
TABLE = load_cap_table(bundled.reference_cap_table("nvca-style"), NV)
ACCRUED_B = F(32, 100) * F(1203, 365)  # $0.32 a year (8% of $4.00) for 1,203 of 365 days


def raw() -> dict:
    return copy.deepcopy(read_toml(bundled.charter_file("nvca-style"), "charter"))


def raw_table() -> dict:
    return copy.deepcopy(read_toml(bundled.reference_cap_table("nvca-style"), "cap table"))


def refused(data: dict, *needles: str) -> None:
    with pytest.raises(CharterFormatError) as info:
        build_charter(data, "mine.toml")
    message = str(info.value)
    assert "\n" not in message and "mine.toml" in message, message
    for needle in needles:
        assert needle in message, message


# --- multiples and rates ----------------------------------------------------------------------


def test_multiples_of_the_issue_price():
    b = NV.series_by_id("series_b")
    assert b.liquidation.preference == F(6)  # 1.5 x $4.00
    assert b.participation.cap_per_share == F(12)  # 3 x $4.00
    assert NV.series_by_id("series_seed").liquidation.preference == F(1, 2)  # 1 x $0.50


def test_preference_and_multiple_are_exclusive():
    data = raw()
    data["series"][0]["liquidation"]["preference"] = "6.00"
    refused(data, "series_b.liquidation.preference", "exactly one")
    data = raw()
    del data["series"][0]["liquidation"]["multiple"]
    refused(data, "series_b.liquidation.preference")
    data = raw()
    data["series"][0]["participation"]["cap_per_share"] = "12.00"
    refused(data, "cap_multiple", "not both")


@pytest.mark.parametrize("written", ["8%", "0.08", "2/25", " 8 %"])
def test_rate_of_issue_price_as_percentage_or_fraction(written):
    data = raw()
    data["series"][1]["dividend"]["rate_of_issue_price"] = written
    assert build_charter(data, "mine.toml").series_by_id("series_a").dividend.rate == F(8, 100)  # 8% of $1.00


def test_rate_is_never_ambiguous():
    data = raw()
    data["series"][1]["dividend"]["rate"] = "0.08"
    refused(data, "dividend.rate", "exactly one")
    data = raw()
    data["series"][1]["dividend"]["rate_of_issue_price"] = "108%"
    refused(data, "rate_of_issue_price", "more than the whole issue price")
    data = raw()
    data["series"][1]["dividend"]["compounding"] = "annual"  # on a non-cumulative series
    refused(data, "dividend.kind", "only to kind")
    data = raw()
    data["series"][0]["dividend"]["day_count"] = 364
    refused(data, "day_count", "365 or 360")


# --- cumulative dividends ---------------------------------------------------------------------


def test_simple_accrual():
    b = NV.series_by_id("series_b")
    assert accrued_per_share(b.dividend, b.original_issue_price, dt.date(2023, 3, 15), dt.date(2026, 6, 30)) == ACCRUED_B
    assert accrued_per_share(b.dividend, b.original_issue_price, dt.date(2023, 3, 15), dt.date(2023, 3, 15)) == 0


def test_annual_compounding():
    data = raw()
    data["series"][0]["dividend"]["compounding"] = "annual"
    b = build_charter(data, "mine.toml").series_by_id("series_b")
    # Two anniversaries (2024-03-15, 2025-03-15): base $4.00 x 1.08^2 = $4.6656; then 2025-03-15 ->
    # 2025-09-13 is 182 days at 8% simple on the base: 4.6656 x (1 + 0.08 x 182/365) - 4.00.
    got = accrued_per_share(b.dividend, F(4), dt.date(2023, 3, 15), dt.date(2025, 9, 13))
    assert got == F(46656, 10000) * (1 + F(8, 100) * F(182, 365)) - 4
    simple = F(32, 100) * F((dt.date(2025, 9, 13) - dt.date(2023, 3, 15)).days, 365)
    assert got > simple  # compounding earns interest on the first years' dividends


def test_accrued_dividends_in_the_liquidation_amount():
    # $30M: Series B takes 3,750,000 x ($6.00 + accrued) = $22,500,000 + $1,443,600,000/365, Series A the rest.
    d = distribute(NV, TABLE, F(30_000_000))
    b_claim = 3_750_000 * (6 + ACCRUED_B)
    assert b_claim == 22_500_000 + F(1_443_600_000, 365)
    assert d.class_amount("series_b") == b_claim
    assert d.class_amount("series_a") == 30_000_000 - b_claim
    assert d.class_amount("common") == 0


def test_accrued_dividends_given_up_on_conversion():
    # $600M: Series B converts (its cap, $12.00 + accrued a share, is below its share as common);
    # it then takes exactly what its 3,750,000 common would, nothing for the accrued dividends.
    d = distribute(NV, TABLE, F(600_000_000))
    assert "series_b" in d.converted
    level = d.class_amount("common") / 22_000_000
    assert d.class_amount("series_b") == 3_750_000 * level
    assert 3_750_000 * level > 3_750_000 * (12 + ACCRUED_B)


def test_cumulative_series_needs_an_issue_date():
    data = raw_table()
    del data["issue_dates"]["series_b"]
    with pytest.raises(CapTableError, match=r"issue_dates\] series_b is needed: its cumulative dividends"):
        build_cap_table(data, NV, "t.toml")


def test_declaration_pays_accrued_then_shares_common_as_converted():
    # $5,000,000 declared: B is owed its accrued $1,443,600,000/365, A $0.08 x 9,000,000 = $720,000,
    # Seed $0.03 x 3,000,000 = $90,000; the rest, $85,750,000/365, per common-equivalent share:
    # 22,000,000 common + 3,750,000 + 9,000,000 + 3,000,000 preferred as converted = 37,750,000.
    a = allocate_dividend(NV, TABLE, F(5_000_000))
    got = dict(a.classes)
    rest = F(85_750_000, 365)
    assert 5_000_000 - F(1_443_600_000, 365) - 720_000 - 90_000 == rest
    assert got["common"] == rest * 22_000_000 / 37_750_000
    assert got["series_b"] == F(1_443_600_000, 365) + rest * 3_750_000 / 37_750_000
    assert got["series_a"] == 720_000 + rest * 9_000_000 / 37_750_000
    assert got["series_seed"] == 90_000 + rest * 3_000_000 / 37_750_000
    assert dict(a.holders)["Founders"] == got["common"] * 20 / 22


def test_sharing_counts_whole_shares_per_holder_and_series():
    # Series A at $0.90: Seed Fund's 1,000,000 A convert into 1,111,111 1/9 -> 1,111,111 whole;
    # Venture Fund's 8,000,000 into 8,888,888 8/9 -> 8,888,888. A's count 9,999,999 (exact: 10,000,000).
    data = raw_table()
    data["conversion_prices"] = {"series_a": "0.90"}
    table = build_cap_table(data, NV, "t.toml")
    amount = F(10_000_000)
    rest = amount - F(1_443_600_000, 365) - 720_000 - 90_000
    whole = dict(allocate_dividend(NV, table, amount).classes)
    assert whole["common"] == rest * 22_000_000 / (22_000_000 + 3_750_000 + 9_999_999 + 3_000_000)
    nv = raw()
    nv["dividends"]["preferred_share_common"]["count"] = "exact"
    exact = build_charter(nv, "mine.toml")
    got = dict(allocate_dividend(exact, build_cap_table(data, exact, "t.toml"), amount).classes)
    assert got["common"] == rest * 22_000_000 / (22_000_000 + 3_750_000 + 10_000_000 + 3_000_000)


def test_common_after_full_preferred_false_stays_refused():
    data = raw()
    data["dividends"]["common_after_full_preferred"] = False
    refused(data, "common_after_full_preferred", "not supported")


# --- anti-dilution ----------------------------------------------------------------------------


def _prices(charter, events):
    return run_ledger(charter, load_cap_table(bundled.reference_cap_table("nvca-style"), charter), events).states[-1].conversion_prices


def test_full_ratchet_and_broad_base_to_a_hundredth_of_a_cent():
    # 1,000,000 common at $0.40. Series B (full ratchet): $4.00 -> $0.40, however few the shares.
    # Broad base N = 22,000,000 common + 15,750,000 preferred as converted + 5,000,000 options = 42,750,000.
    # Series A: 1.00 x (42,750,000 + 400,000/1.00) / 43,750,000 = 0.98628571... -> $0.9863.
    # Seed:     0.50 x (42,750,000 + 400,000/0.50) / 43,750,000 = 0.49771428... -> $0.4977.
    prices = _prices(NV, [Event("issue", dt.date(2026, 7, 1), shares=1_000_000, price=F(40, 100))])
    assert prices["series_b"] == F(40, 100)
    assert F(1) * (42_750_000 + 400_000) / 43_750_000 == F(4315, 4375)
    assert prices["series_a"] == F(9863, 10000)
    assert prices["series_seed"] == F(4977, 10000)


def test_full_ratchet_on_a_tiny_issue():
    # 10 shares at $2.00: Series B ratchets to $2.00; the weighted averages barely move (A, Seed not below).
    prices = _prices(NV, [Event("issue", dt.date(2026, 7, 1), shares=10, price=F(2))])
    assert prices == {"series_b": F(2), "series_a": F(1), "series_seed": F(1, 2)}


def test_narrow_base_leaves_options_out():
    # Series A narrow: N = 22,000,000 + 15,750,000 = 37,750,000 (no options):
    # 1.00 x (37,750,000 + 400,000) / 38,750,000 = 0.98451612... -> $0.9845 (broad gave $0.9863).
    data = raw()
    data["series"][1]["dilution"]["method"] = "narrow-based-weighted-average"
    narrow = build_charter(data, "mine.toml")
    prices = _prices(narrow, [Event("issue", dt.date(2026, 7, 1), shares=1_000_000, price=F(40, 100))])
    assert prices["series_a"] == F(9845, 10000)


def test_unknown_method_refused():
    data = raw()
    data["series"][1]["dilution"]["method"] = "ratchet"
    refused(data, "dilution.method", "full-ratchet")


# --- votes and consents -----------------------------------------------------------------------


def test_votes_rounded_down():
    # Series B at $3.83: Growth Fund's 3,000,000 B -> 3,000,000 x 4/3.83 = 3,133,159.2689... -> 3,133,159.
    # At $3.81: 3,000,000 x 4/3.81 = 3,149,606.2992... -> 3,149,606; Venture Fund's 750,000 B ->
    # 787,401.5748... plus 8,000,000 A = 8,787,401.5748... -> 8,787,401 (to the nearest it would be 8,787,402).
    data = raw_table()
    data["conversion_prices"] = {"series_b": "3.83"}
    table = build_cap_table(data, NV, "t.toml")
    votes = count_votes(NV, table)
    exact = F(3_000_000) * 4 / F(383, 100)
    assert exact == F(1_200_000_000, 383)  # 3,133,159.268...
    assert votes.of("Growth Fund") == 3_133_159
    data["conversion_prices"] = {"series_b": "3.81"}
    table = build_cap_table(data, NV, "t.toml")
    # 3,000,000 x 4/3.81 = 3,149,606.2992... -> 3,149,606; 750,000 x 4/3.81 = 787,401.5748 -> with A 8,787,401
    assert count_votes(NV, table).of("Growth Fund") == 3_149_606
    assert count_votes(NV, table).of("Venture Fund") == 8_787_401  # nearest would give 8,787,402


def test_rounding_down_takes_no_tie_rule():
    data = raw()
    data["voting"]["tie"] = "half-up"
    refused(data, "voting.tie", "no tie rule")
    data = raw()
    data["voting"]["rounding"] = "up"
    refused(data, "voting.rounding")


def test_an_action_needing_two_consents():
    # amend-series-b-rights: Requisite Holders (> 1/2 of 15,750,000 preferred as converted) and
    # 60% of Series B shares (>= 2,250,000 of 3,750,000).
    def consents(approving):
        return {c.name: c.ok for c in check_action(NV, TABLE, {"action": "amend-series-b-rights", "approving": approving})}
    # Venture + Seed: 12,750,000 as converted (yes); Series B 750,000 (no).
    assert consents(["Venture Fund", "Seed Fund"]) == {"consent:requisite-holders": True, "consent:series-b-rights": False}
    # Growth + Seed: 7,000,000 (no); Series B 3,000,000 (yes).
    assert consents(["Growth Fund", "Seed Fund"]) == {"consent:requisite-holders": False, "consent:series-b-rights": True}
    assert all(consents(["Growth Fund", "Venture Fund"]).values())  # 11,750,000 and 3,750,000


def test_automatic_conversion_needs_every_consent_group():
    def triggered(approving):
        (check,) = [c for c in check_action(NV, TABLE, {"action": "automatic-conversion-consent", "approving": approving})
                    if c.name == "automatic-conversion"]
        return check.ok
    assert not triggered(["Venture Fund", "Seed Fund"])  # Requisite yes (12,750,000), Series B 750,000 of 3,750,000 no
    assert not triggered(["Growth Fund"])  # Series B 3,000,000 yes, Requisite 3,000,000 of 15,750,000 no
    assert triggered(["Growth Fund", "Venture Fund"])  # 11,750,000 > 7,875,000 and 3,750,000 > 1,875,000


def test_nested_also_refused():
    data = raw()
    data["conversion"]["automatic_consent"]["also"][0]["also"] = []
    refused(data, "also")


# --- --date: accrual to another date ---------------------------------------------------------


def _cli(capsys, *argv):
    from charter_oracle.cli import main
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    return (code, *capsys.readouterr())


def test_waterfall_accrues_to_the_date_given(capsys):
    # 2027-06-30 is 1,568 days after 2023-03-15 (1,203 + 365): B takes 3,750,000 x ($6.00 + $0.32 x 1568/365).
    code, out, err = _cli(capsys, "waterfall", "nvca-style", "--proceeds", "30000000", "--date", "2027-06-30", "--json")
    assert code == 0, err
    b = json.loads(out)["classes"]["series_b"]["amount"]
    assert F(b) == 3_750_000 * (6 + F(32, 100) * F(1568, 365))


@pytest.mark.parametrize("date, needle", [("2022-01-01", "before the cap table's as_of 2026-06-30"),
                                          ("2026-13-01", "expected a date")])
def test_bad_date_is_one_line_and_status_2(capsys, date, needle):
    code, out, err = _cli(capsys, "dividend", "nvca-style", "--amount", "1000000", "--date", date)
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err, err


# --- exempted securities by category ----------------------------------------------------------


def _events(*rows):
    from charter_oracle.oracle.adjustments import parse_events
    return parse_events({"events": list(rows)}, "e.toml")


CHEAP = {"kind": "issue", "date": "2026-07-01", "shares": 1_000_000, "price": "0.40"}


def test_strategic_issue_exempted_only_with_board_approval():
    # Approved: no price moves. Not approved: the same issue as test_full_ratchet_and_broad_base... ($0.40, $0.9863).
    approved = _prices(NV, _events({**CHEAP, "excluded": "strategic", "board_approved": True}))
    assert approved == {"series_b": F(4), "series_a": F(1), "series_seed": F(1, 2)}
    refused_approval = _prices(NV, _events({**CHEAP, "excluded": "strategic", "board_approved": False}))
    assert refused_approval["series_b"] == F(40, 100) and refused_approval["series_a"] == F(9863, 10000)


@pytest.mark.parametrize("row, needle", [
    ({**CHEAP, "excluded": "strategic"}, "board_approved: a strategic issue is exempted only with the board's approval"),
    ({**CHEAP, "excluded": "conversion", "board_approved": True}, "only a strategic or lender issue"),
    ({**CHEAP, "excluded": "acquisition"}, "exempted category"),
])
def test_bad_exemptions_refused(row, needle):
    from charter_oracle.oracle.errors import EventsError
    with pytest.raises(EventsError, match=needle):
        _events(row)


def test_category_the_charter_does_not_exempt_is_refused():
    from charter_oracle.oracle.errors import EventsError
    with pytest.raises(EventsError, match=r"events\[0\].excluded: 'other' is not an exempted category of nvca-style"):
        _prices(NV, _events({**CHEAP, "excluded": True}))  # true means "other"; nvca-style lists its categories
    data = raw()
    data["dilution"]["exempted"] = ["employee", "acquisitions"]
    refused(data, "dilution.exempted", "'acquisitions' is not a category")


# --- option expiry: readjust only options that adjusted ----------------------------------------


def test_expiry_readjusts_only_options_that_caused_an_adjustment():
    # Grant 1,000,000 options at $5.00 (above every price: no adjustment), then issue 1,000,000 common at
    # $0.40 with the options in the base: N = 42,750,000 + 1,000,000 = 43,750,000:
    #   A: 1.00 x (43,750,000 + 400,000) / 44,750,000 = 0.98659... -> $0.9866
    #   Seed: 0.50 x (43,750,000 + 800,000) / 44,750,000 = 0.49776... -> $0.4978
    # Then all the options expire. "readjust" replays as if they had never been granted ($0.9863, $0.4977,
    # as in test_full_ratchet_and_broad_base...); "readjust-if-adjusted" keeps $0.9866 and $0.4978:
    # the grant itself moved no price.
    events = _events(
        {"kind": "grant", "date": "2026-07-01", "shares": 1_000_000, "exercise_price": "5.00"},
        {**CHEAP, "date": "2026-07-02"},
        {"kind": "expire", "date": "2026-07-03", "grant": 0, "shares": 1_000_000},
    )
    assert NV.dilution.option_expiry == "readjust-if-adjusted"
    assert _prices(NV, events[:2])["series_a"] == F(9866, 10000)
    kept = _prices(NV, events)
    assert (kept["series_a"], kept["series_seed"]) == (F(9866, 10000), F(4978, 10000))
    data = raw()
    data["dilution"]["option_expiry"] = "readjust"
    readjusted = _prices(build_charter(data, "mine.toml"), events)
    assert (readjusted["series_a"], readjusted["series_seed"]) == (F(9863, 10000), F(4977, 10000))


def test_expiry_of_options_that_adjusted_still_readjusts():
    # Grant 1,000,000 options at $0.80: A (1.00) adjusts: 1.00 x (42,750,000 + 800,000) / 43,750,000
    # = 0.99542... -> $0.9954 (Series B ratchets to $0.80; Seed is not above $0.80). On expiry of all
    # of them both readings go back: A to $1.00 (nothing else happened), B to $4.00.
    events = _events(
        {"kind": "grant", "date": "2026-07-01", "shares": 1_000_000, "exercise_price": "0.80"},
        {"kind": "expire", "date": "2026-07-03", "grant": 0, "shares": 1_000_000},
    )
    only = NV
    assert _prices(only, events[:1]) == {"series_b": F(80, 100), "series_a": F(9954, 10000), "series_seed": F(1, 2)}
    assert _prices(only, events) == {"series_b": F(4), "series_a": F(1), "series_seed": F(1, 2)}
