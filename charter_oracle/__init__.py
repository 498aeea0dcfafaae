"""charter-oracle: what a corporate charter means in money and votes, exactly, with the clause behind every number.

The public API (everything else is internal, like Hypothesis's ``internal/``)::

    import charter_oracle as co
    c = co.load("nvidia-1998", cap_table=None, interpret={"nvidia.price-rounding": "exact"})
    c.waterfall("25000000").holders      # exact Fractions; .to_json() is the CLI's JSON
    c.sweep(start=0, stop=50_000_000, step=1_000_000, breakpoints=True)
    f = c.payout_function(); f.holders("25000000")   # the same Fractions as c.waterfall, built once
    c.votes(); c.adjust(events); c.convert(holder); c.dividend(amount); c.comply(action)
    c.value(closes, distribution_date); c.solve(); c.check(profile="ci")
    co.conform("nvidia-1998", engine_cmd="node engine.js")   # an engine in any language (docs/engine-protocol.md)
    c.redeem(series, requested_by); c.pay_to_play(events)

``charter_oracle.strategies`` holds the Hypothesis strategies for users' own tests.
Names load on first use: importing the package (as the pytest plugin's entry point does
in every pytest run) loads nothing of the oracle.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Adjustment", "Compliance", "ConformResult", "Conversion", "Dividend", "ExitSweep", "LoadedCharter", "MarketValue", "Money",
    "OracleError", "InputError", "PayToPlay", "Redemption", "Votes", "Waterfall", "conform", "load", "value_of",
]

_FROM = {
    "ExitSweep": "charter_oracle.exit_sweep",
    "ConformResult": "charter_oracle.conform",
    "conform": "charter_oracle.conform",
    "OracleError": "charter_oracle.oracle.errors",
    "InputError": "charter_oracle.oracle.errors",
}

# Written as one long string: Hypothesis draws string literals of up to 20 characters found in loaded modules
# as example values, so a new short literal here would change what `check` generates (benchmarks/README.md).
_PAYOUT_FUNCTION = "NotPiecewiseLinear PayoutFunction".split()
__all__ += _PAYOUT_FUNCTION
_FROM.update(dict.fromkeys(_PAYOUT_FUNCTION, "charter_oracle.payout_function"))


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'charter_oracle' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(_FROM.get(name, "charter_oracle.api"))
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
