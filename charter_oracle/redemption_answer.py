"""The API's answer to "redeem": a frozen ``Redemption`` whose ``to_json()`` is ``charter-oracle redeem --json``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.exact import format_exact, format_money
from charter_oracle.oracle.redemption import RedemptionSchedule


@dataclass(frozen=True)
class Redemption:
    charter: str
    series: str
    redeemable: bool
    paid: Mapping[str, Fraction]  # per holder, over every installment
    schedule: RedemptionSchedule = field(repr=False)
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        s = self.schedule
        return {
            "charter": self.charter, "series": s.series_id, "request_date": s.request_date.isoformat(),
            "requested_by": list(s.requested_by), "redeemable": self.redeemable,
            "checks": [{"check": c.name, "ok": c.ok, "cite": c.cite, "what": c.what} for c in s.checks],
            "installments": [
                {"installment": i.number, "date": i.date.isoformat(), "price_per_share": format_exact(i.price_per_share),
                 "funds": None if i.funds is None else format_exact(i.funds),
                 "amount_due": format_exact(i.amount_due), "amount_paid": format_exact(i.amount_paid),
                 "shortfall": format_exact(i.shortfall),
                 "holders": {h.holder: {"shares_due": format_exact(h.shares_due), "amount_due": format_exact(h.amount_due),
                                        "shares_redeemed": format_exact(h.shares_redeemed),
                                        "amount_paid": format_exact(h.amount_paid)} for h in i.holders}}
                for i in s.installments],
            "paid": {h: format_exact(v) for h, v in self.paid.items()},
            "unredeemed": {h: format_exact(v) for h, v in s.unredeemed},
            "cite": s.cite, "interpretations": dict(self.interpretations),
        }

    def __repr__(self) -> str:
        paid = ", ".join(f"{h} {format_money(v)}" for h, v in self.paid.items())
        return f"Redemption({self.charter} {self.series}: {paid or 'not redeemable'})"


def redemption_answer(charter_id: str, schedule: RedemptionSchedule,
                      interpretations: tuple[tuple[str, str], ...]) -> Redemption:
    paid: dict[str, Fraction] = {}
    for installment in schedule.installments:
        for h in installment.holders:
            paid[h.holder] = paid.get(h.holder, Fraction(0)) + h.amount_paid
    return Redemption(charter_id, schedule.series_id, schedule.redeemable, paid, schedule, interpretations)
