"""Random charter files (parsed dicts) and the charters the oracle's own loader builds from them:
tiers, participation and caps, ratios, adjustment methods, rounding rules."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import build_charter


@st.composite
def random_charter_dicts(draw: Any, max_series: int = 4) -> dict[str, Any]:
    """A charter file (as a parsed dict): tiers, participation, caps, ratios, adjustment methods."""
    def money(low: int, high: int) -> str:
        cents_ = draw(st.integers(low, high))
        return f"{cents_ // 100}.{cents_ % 100:02d}"

    count = draw(st.integers(1, max_series))
    series = []
    total_designated = 0
    for i in range(count):
        price = money(10, 1000)
        kind = draw(st.sampled_from(["none", "none", "full", "capped"]))
        participation: dict[str, Any] = {"kind": kind, "cite": f"P.{i}"}
        if kind == "capped":
            if draw(st.booleans()):
                participation["cap_per_share"] = money(10, 3000)
                participation["cap_includes_preference"] = draw(st.booleans())
            else:
                participation.update(interest_rate=money(1, 30), interest_principal=price, cap_per_share=money(10, 3000))
        designated = draw(st.integers(1, 5_000_000))
        total_designated += designated
        value = draw(st.sampled_from([price, money(10, 1000)]))
        series.append({
            "id": f"s{i}", "name": f"Series {i}", "designated": designated, "original_issue_price": price,
            "cite": f"S.{i}",
            "liquidation": {"preference": draw(st.sampled_from([price, money(0, 2000)])),
                            "rank": draw(st.integers(1, 3)), "cite": f"L.{i}"},
            "participation": participation,
            "conversion": {"value": value, "initial_price": draw(st.sampled_from([value, price])), "cite": f"C.{i}"},
            "dilution": {"method": draw(st.sampled_from(["none", "broad-based-weighted-average"])), "cite": f"D.{i}"},
            "dividend": {"rate": money(0, 50), "rank": draw(st.integers(1, 2)), "cite": f"V.{i}"},
        })
        # A cap that includes the preference is at least the preference (charter files may not say less).
        if participation.get("cap_includes_preference") and \
                Fraction(participation["cap_per_share"]) < Fraction(series[-1]["liquidation"]["preference"]):
            participation["cap_per_share"] = series[-1]["liquidation"]["preference"]
    raw: dict[str, Any] = {
        "format": 1, "id": "random", "name": "Random Charter", "date": "2000-01-01", "source": "generated",
        "common": {"id": "common", "name": "Common", "authorized": draw(st.integers(10_000_000, 100_000_000)),
                   "par": "0.001", "cite": "A"},
        "preferred": {"authorized": total_designated + draw(st.integers(0, 1000)), "cite": "A"},
        "series": series,
        "liquidation": {"cite": "L", "shortfall_cite": "L.short", "residual_cite": "L.rest",
                        "declared_dividends_on_conversion": None},
        "conversion": {"cite": "C", "cash_in_lieu_cite": "C.f", "retire_cite": "C.r", "reservation_cite": "C.res",
                       "share_rounding": draw(st.sampled_from([None, "1/100"]))},
        "voting": {"cite": "V", "aggregate": "holder", "tie": draw(st.sampled_from(["half-up", "half-even"]))},
        "dividends": {"cite": "D", "common_after_full_preferred": True},
    }
    del raw["liquidation"]["declared_dividends_on_conversion"]  # left to the global interpretation
    if raw["conversion"]["share_rounding"] is None:
        del raw["conversion"]["share_rounding"]
    if any(s["dilution"]["method"] != "none" for s in series):
        raw["dilution"] = {
            "cite": "W", "consideration": draw(st.sampled_from(["gross", "net-of-commissions"])),
            "consideration_cite": "W.c", "below_cite": "W.b",
            "options_in_base": draw(st.sampled_from(["all", "below-price-of:s0"])), "base_cite": "W.n",
            "option_expiry": draw(st.sampled_from(["none", "readjust"])), "option_expiry_cite": "W.e",
            "excluded_cite": "W.x", "split_cite": "W.s",
        }
        if draw(st.booleans()):
            raw["dilution"].update(price_unit="1/100", carry_forward_below="1/100")
    return raw


def random_charters(max_series: int = 4) -> st.SearchStrategy[Charter]:
    """Charters built by the oracle's own loader from generated files (so they are valid by its rules)."""
    return random_charter_dicts(max_series).map(lambda raw: build_charter(raw, "<generated>"))
