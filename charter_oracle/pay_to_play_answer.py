"""The API's answer to "pay-to-play": a frozen ``PayToPlay`` whose ``to_json()`` is ``charter-oracle pay-to-play --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from charter_oracle.oracle.cap_table import CapTable, cap_table_to_toml
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.pay_to_play import FinancingOutcome


@dataclass(frozen=True)
class PayToPlay:
    charter: str
    outcomes: tuple[FinancingOutcome, ...] = field(repr=False)
    table: CapTable = field(repr=False)  # the cap table after every financing
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    @property
    def converted(self) -> tuple[tuple[str, str], ...]:
        """(holder, series) converted, in order."""
        return tuple((c.holder, c.series_id) for o in self.outcomes for c in o.conversions)

    def to_json(self) -> dict[str, Any]:
        t = self.table
        return {
            "charter": self.charter,
            "financings": [
                {"event": i, "date": o.financing.date.isoformat(), "class": o.financing.class_id,
                 "price": format_exact(o.financing.price), "qualified": o.financing.qualified,
                 "offered": o.financing.offered, "purchases": dict(o.financing.purchases),
                 "conversions": [{"holder": c.holder, "series": c.series_id, "shares": c.shares,
                                  "pro_rata": format_exact(c.pro_rata), "bought": c.bought, "into": c.into,
                                  "new_shares": c.new_shares, "fraction": format_exact(c.fraction), "cite": c.cite}
                                 for c in o.conversions]}
                for i, o in enumerate(self.outcomes)],
            "cap_table": {"as_of": t.as_of.isoformat(),
                          "holdings": [{"holder": h.holder, "class": h.class_id, "shares": h.shares} for h in t.holdings]},
            "cap_table_toml": cap_table_to_toml(t),
            "interpretations": dict(self.interpretations),
        }

    def __repr__(self) -> str:
        moved = ", ".join(f"{h} {s}" for h, s in self.converted) or "nobody"
        return f"PayToPlay({self.charter}: converted {moved})"
