"""The API's answers: one frozen dataclass per question, ``Fraction`` amounts, a ``to_json()`` equal to
the command line's JSON and a ``repr`` in decimals. ``api.LoadedCharter``'s methods return them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.adjustments import LedgerResult
from charter_oracle.oracle.compliance import Check
from charter_oracle.oracle.conversion import ConversionResult
from charter_oracle.oracle.dividends import DividendAllocation
from charter_oracle.oracle.exact import format_exact, format_money
from charter_oracle.oracle.liquidation import Distribution
from charter_oracle.oracle.valuation import Valuation
from charter_oracle.oracle.voting import VoteCount


def _money_map(pairs: Iterable[tuple[str, Fraction]]) -> str:
    return ", ".join(f"{k} {format_money(v)}" for k, v in pairs)


@dataclass(frozen=True)
class Waterfall:
    """A liquidation (or deemed liquidation) at one exit value."""

    charter: str
    proceeds: Fraction
    classes: Mapping[str, Fraction]
    converted: frozenset[str]
    holders: Mapping[str, Fraction]
    distribution: Distribution = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        d = self.distribution
        return {
            "charter": self.charter,
            "proceeds": format_exact(self.proceeds),
            "classes": {cid: {"amount": format_exact(a), "converted": cid in d.converted} for cid, a in d.classes},
            "holders": {h: format_exact(a) for h, a in d.holders},
            "stable_outcomes": [sorted(o) for o in d.stable_outcomes],
            "steps": [{"class": s.class_id, "amount": format_exact(s.amount), "cite": s.cite, "what": s.what}
                      for s in d.steps],
            # all.options-in-exit = cash-exercise: the grants exercised; their exercise price joined the proceeds.
            "exercised": [{"kind": e.kind, "holder": e.holder, "class": e.class_id, "shares": e.shares,
                           "exercise_price": format_exact(e.exercise_price)} for e in d.exercised],
            "paid_in": format_exact(d.paid_in),
            "interpretations": dict(d.interpretations),
        }

    def __repr__(self) -> str:
        return f"Waterfall({self.charter} at {format_money(self.proceeds)}: {_money_map(self.holders.items())})"


@dataclass(frozen=True)
class Votes:
    charter: str
    holders: Mapping[str, int]
    total: int
    count: VoteCount = field(repr=False)
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "charter": self.charter,
            "holders": dict(self.holders),
            "total": self.total,
            "detail": {v.holder: {"common": v.common, "preferred_exact": format_exact(v.preferred_exact),
                                  "preferred": v.preferred} for v in self.count.holders},
            "cite": self.count.cite,
            "interpretations": dict(self.interpretations),
        }


@dataclass(frozen=True)
class Adjustment:
    charter: str
    initial: Mapping[str, Fraction]
    after: tuple[Mapping[str, Fraction], ...]
    ledger: LedgerResult = field(repr=False)
    reservation_shortfalls: tuple[int, ...] = field(repr=False, default=())
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        r = self.ledger
        return {
            "charter": self.charter,
            "initial": {sid: format_exact(p) for sid, p in r.initial.conversion_prices.items()},
            "after": [
                {"event": i, "kind": e.kind,
                 "conversion_prices": {sid: format_exact(p) for sid, p in s.conversion_prices.items()},
                 "reservation_shortfall": short}
                for i, (e, s, short) in enumerate(zip(r.events, r.states, self.reservation_shortfalls))
            ],
            "notes": [{"event": n.event, "series": n.series, "before": format_exact(n.before),
                       "after": format_exact(n.after), "cite": n.cite, "what": n.what} for n in r.notes],
            "interpretations": dict(self.interpretations),
        }


@dataclass(frozen=True)
class Conversion:
    charter: str
    holder: str
    whole_shares: int
    cash_in_lieu: Fraction
    result: ConversionResult = field(repr=False)
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "charter": self.charter, "holder": r.holder,
            "converted": dict(r.converted), "common_exact": format_exact(r.common_exact),
            "whole_shares": r.whole_shares, "fraction": format_exact(r.fraction),
            "cash_in_lieu": format_exact(r.cash_in_lieu),
            "declared_dividends_paid": format_exact(r.declared_dividends),
            "designated_after": dict(r.designated_after), "authorized_preferred_after": r.authorized_preferred_after,
            "cites": list(r.cites),
            "interpretations": dict(self.interpretations),
        }


@dataclass(frozen=True)
class Dividend:
    charter: str
    amount: Fraction
    classes: Mapping[str, Fraction]
    holders: Mapping[str, Fraction]
    allocation: DividendAllocation = field(repr=False)
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        a = self.allocation
        return {
            "charter": self.charter, "amount": format_exact(self.amount), "kind": a.kind,
            "classes": {c: format_exact(v) for c, v in a.classes},
            "holders": {h: format_exact(v) for h, v in a.holders},
            "undistributed": format_exact(a.undistributed),
            "cites": dict(a.cites), "interpretations": dict(self.interpretations),
        }

    def __repr__(self) -> str:
        return f"Dividend({self.charter}, {format_money(self.amount)}: {_money_map(self.holders.items())})"


@dataclass(frozen=True)
class Compliance:
    charter: str
    checks: tuple[Check, ...]
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        return {"charter": self.charter,
                "checks": [{"check": c.name, "ok": c.ok, "cite": c.cite, "what": c.what} for c in self.checks],
                "interpretations": dict(self.interpretations)}


@dataclass(frozen=True)
class MarketValue:
    charter: str
    value: Fraction
    average: Fraction
    valuation: Valuation = field(repr=False)
    interpretations: tuple[tuple[str, str], ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        v = self.valuation
        return {"charter": self.charter, "value": format_exact(v.value), "average": format_exact(v.average),
                "window": [v.window[0].isoformat(), v.window[1].isoformat()], "closes_used": len(v.closes_used),
                "cite": v.cite, "interpretations": dict(self.interpretations)}
