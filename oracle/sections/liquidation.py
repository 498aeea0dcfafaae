"""``[liquidation]``: shortfall and residual clauses, deemed liquidation events, the valuation window."""

from __future__ import annotations

from charter_oracle.oracle.charter import DeemedLiquidationEvent, LiquidationTerms
from charter_oracle.oracle.sections.thresholds import read_threshold
from charter_oracle.oracle.strict_table import StrictTable


def _deemed(d: StrictTable) -> DeemedLiquidationEvent:
    measure = d.string("measure", required=False)
    threshold = read_threshold(d, d.cite) if measure else None
    event = DeemedLiquidationEvent(
        kind=d.string("kind"), cite=d.cite, measure=measure, threshold=threshold,
        exceptions=d.strings("exceptions", required=False),
    )
    d.close()
    return event


def read_liquidation(t: StrictTable) -> LiquidationTerms:
    deemed = tuple(_deemed(d) for d in t.tables("deemed"))
    terms = LiquidationTerms(
        cite=t.cite, shortfall_cite=t.string("shortfall_cite"), residual_cite=t.string("residual_cite"),
        deemed=deemed,
        declared_dividends_on_conversion=t.string(
            "declared_dividends_on_conversion", choices=("paid-with-preferences", "forfeited")
        ),
        conversion_choice=t.string("conversion_choice", required=False, choices=("better-of",)) or "better-of",
        valuation_window=t.string("valuation_window", required=False, choices=("calendar-days", "trading-days"))
        or "calendar-days",
        valuation_days=t.positive_whole("valuation_days"),
        valuation_lag_days=t.shares("valuation_lag_days", required=False) or 0,
        valuation_cite=t.string("valuation_cite", required=False) or "",
        valuation_window_end=t.string("valuation_window_end", required=False, choices=("inclusive", "exclusive"))
        or "inclusive",
    )
    t.close()
    return terms
