"""Changed option terms (infinity IV.4(d)(iii)(B)-(C), nvidia IV.D.3(G)(III)): recompute, capped for infinity."""

from fractions import Fraction as F

from charter_oracle.oracle.adjustments import parse_events, run_ledger
from charter_oracle.oracle.cap_table import build_cap_table
from charter_oracle.oracle.charter_file import load_charter


def nvidia_table(charter):
    # common 1,000,000; A 250,000 (1:1); no options: N = 1,250,000 before any event.
    return build_cap_table({"as_of": "1998-06-30", "holdings": [
        {"holder": "C", "class": "common", "shares": 1_000_000},
        {"holder": "A", "class": "series_a", "shares": 250_000}]}, charter, "t")


def test_nvidia_reprice_recomputes_as_if_granted_on_the_new_terms():
    charter = load_charter("nvidia-1998")
    events = parse_events({"events": [
        {"kind": "grant", "date": "1998-07-01", "shares": 250_000, "exercise_price": "0.30"},
        {"kind": "reprice", "date": "1998-08-01", "grant": 0, "exercise_price": "0.10"},
    ]}, "t")
    result = run_ledger(charter, nvidia_table(charter), events)
    # grant at 0.30: A = 0.50 x (1,250,000 + 75,000/0.50) / 1,500,000 = (625,000 + 75,000) / 1,500,000 = 7/15
    assert result.states[0].price("series_a") == F(700_000, 1_500_000)
    # as if granted at 0.10: (625,000 + 25,000) / 1,500,000 = 13/30
    assert result.states[1].price("series_a") == F(650_000, 1_500_000)


def test_infinity_reprice_upward_is_capped_at_the_price_before_the_original_adjustment():
    charter = load_charter("infinity-1996")
    table = build_cap_table({"as_of": "1996-07-01", "issue_dates": {"series_c": "1994-01-15"}, "holdings": [
        {"holder": "C0", "class": "common", "shares": 1_000_000},
        {"holder": "P", "class": "series_c", "shares": 100_000}]}, charter, "t")
    events = parse_events({"events": [
        {"kind": "grant", "date": "1996-01-01", "shares": 100_000, "exercise_price": "1.00"},
        {"kind": "reprice", "date": "1996-02-01", "grant": 0, "exercise_price": "3.00"},
    ]}, "t")
    result = run_ledger(charter, table, events)
    # N = 1,100,000 (options at 1.00 are not below the $0.40 Series A price, but none exist yet).
    # grant: 1.69 x (1,100,000 + 100,000/1.69) / 1,200,000 = (1,859,000 + 100,000)/1,200,000 = 1.63250 -> 1.63
    assert result.states[0].price("series_c") == F("1.63")
    # repriced to 3.00 (above 1.69): a recomputation would not adjust at all (1.69), and the ceiling is
    # min(1.69 before the grant, 1.69 from no intervening issue) = 1.69.
    assert result.states[1].price("series_c") == F("1.69")
