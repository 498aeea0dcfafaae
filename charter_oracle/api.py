"""The Python API: a charter with its cap table, asked what the command line asks, in exact numbers.

    import charter_oracle as co
    c = co.load("nvidia-1998")                       # a bundled id or a charter file's path
    w = c.waterfall("25000000")                      # int, str, Decimal or Fraction; never a float
    w.holders["Lead Ventures"]                       # a Fraction
    w.to_json() == <the JSON of `charter-oracle waterfall nvidia-1998 --proceeds 25000000 --json`>

Every result is a frozen dataclass with ``Fraction`` amounts, a ``to_json()`` equal to the
command line's JSON, and a ``repr`` in decimals (``answers.py``). The command line is a shell over this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.answers import Adjustment, Compliance, Conversion, Dividend, MarketValue, Votes, Waterfall
from charter_oracle.oracle.adjustments import load_events, parse_events, reservation_shortfall, run_ledger
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import read_toml
from charter_oracle.oracle.compliance import check_action
from charter_oracle.oracle.conversion import convert_holder
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.dividends import allocate_dividend
from charter_oracle.oracle.exact import parse_amount
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.oracle.valuation import load_closes, market_value
from charter_oracle.oracle.voting import count_votes
from charter_oracle.pay_to_play_answer import PayToPlay
from charter_oracle.redemption_answer import Redemption

Money = int | str | Decimal | Fraction


def exact_amount(value: Any, name: str) -> Fraction:
    """Money or a price from a caller: int, str, Decimal or Fraction. A float is refused (TypeError):
    0.1 is not one tenth, and an answer exact to the last fraction of a cent cannot start from it."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{name}: got the {type(value).__name__} {value!r}; pass an int, str, Decimal or Fraction "
                        "(a float cannot hold an exact amount)")
    if isinstance(value, Fraction | int | str):
        return parse_amount(value, name)  # exact, not negative; a string as the command line reads one
    if isinstance(value, Decimal):
        return parse_amount(str(value), name)
    raise TypeError(f"{name}: got {type(value).__name__}; pass an int, str, Decimal or Fraction")


@dataclass(frozen=True)
class LoadedCharter:
    """A charter and its cap table, loaded once; every question is a method."""

    charter: Charter
    table: CapTable

    @property
    def id(self) -> str:
        return self.charter.id

    def __repr__(self) -> str:
        return (f"LoadedCharter({self.charter.id}: {len(self.charter.series)} series, "
                f"{len(self.table.holders)} holders, as of {self.table.as_of.isoformat()})")

    def waterfall(self, proceeds: Money) -> Waterfall:
        amount = exact_amount(proceeds, "proceeds")
        d = distribute(self.charter, self.table, amount)
        return Waterfall(self.charter.id, amount, dict(d.classes), d.converted, dict(d.holders), d)

    def sweep(self, *, start: Money | None = None, stop: Money | None = None, step: Money | None = None,
              points: Sequence[Money] | None = None, by: str = "holder", breakpoints: bool = False) -> Any:
        """Payouts across exit values (``start``/``stop``/``step`` or ``points``): an ``ExitSweep``."""
        from charter_oracle.exit_sweep import exit_points, sweep_exits
        from charter_oracle.oracle.errors import InputError

        if points is not None:
            if any(v is not None for v in (start, stop, step)):
                raise InputError("points goes without start/stop/step")
            values = [exact_amount(p, f"points[{i}]") for i, p in enumerate(points)]
        elif start is None or stop is None or step is None:
            raise InputError("give start, stop and step, or points")
        else:
            values = exit_points(exact_amount(start, "start"), exact_amount(stop, "stop"), exact_amount(step, "step"))
        return sweep_exits(self.charter, self.table, values, by=by, breakpoints=breakpoints)

    def payout_function(self) -> Any:
        """Every holder's and class's payout as one exact piecewise-linear function of the proceeds, built
        once from the solver's sweep and verified against the oracle: a ``PayoutFunction``
        (``charter_oracle/payout_function.py``) whose ``holders(x)`` / ``classes(x)`` equal
        ``waterfall(x).holders`` / ``.classes`` at every ``x``, by a bisection and one line per holder.
        ``NotPiecewiseLinear`` (an ``InputError``) under whole-cent payouts, options exercised in the exit,
        or a charter the sweep cannot follow: ask ``waterfall`` then."""
        from charter_oracle.payout_function import build_payout_function

        return build_payout_function(self.charter, self.table)

    def votes(self) -> Votes:
        count = count_votes(self.charter, self.table)
        return Votes(self.charter.id, {v.holder: v.total for v in count.holders}, count.total, count, self.charter.chosen)

    def adjust(self, events: str | Path | Mapping[str, Any]) -> Adjustment:
        """``events``: an events file's path, or its content as a mapping (``{"events": [{...}, ...]}``)."""
        parsed = load_events(events) if isinstance(events, str | Path) else parse_events(events, "events")
        result = run_ledger(self.charter, self.table, parsed)
        return Adjustment(
            self.charter.id, dict(result.initial.conversion_prices),
            tuple(dict(s.conversion_prices) for s in result.states), result,
            tuple(reservation_shortfall(self.charter, s) for s in result.states), self.charter.chosen)

    def convert(self, holder: str, fair_market_value: Money = 0) -> Conversion:
        r = convert_holder(self.charter, self.table, holder, None, exact_amount(fair_market_value, "fair_market_value"))
        return Conversion(self.charter.id, r.holder, r.whole_shares, r.cash_in_lieu, r, self.charter.chosen)

    def dividend(self, amount: Money, kind: str = "cash", paid_this_year: Mapping[str, Money] | None = None) -> Dividend:
        """``kind``: cash (out of earnings), cash-not-from-earnings, other-securities or property;
        ``paid_this_year``: per share, by series, the preference already paid in the fiscal year."""
        value = exact_amount(amount, "amount")
        paid = {sid: exact_amount(v, f"paid_this_year.{sid}") for sid, v in (paid_this_year or {}).items()}
        a = allocate_dividend(self.charter, self.table, value, kind, paid)
        return Dividend(self.charter.id, value, dict(a.classes), dict(a.holders), a, self.charter.chosen)

    def comply(self, action: str | Path | Mapping[str, Any]) -> Compliance:
        """``action``: an action file's path, or its content as a mapping."""
        raw = read_toml(Path(action), "action file") if isinstance(action, str | Path) else action
        return Compliance(self.charter.id, tuple(check_action(self.charter, self.table, raw)), self.charter.chosen)

    def redeem(self, series: str, requested_by: Sequence[str], request_date: dt.date | str | None = None,
               funds: Sequence[Money] | None = None) -> Redemption:
        """NVCA §6 redemption of ``series`` at the request of ``requested_by`` (holder names) on
        ``request_date`` (default: the cap table's as_of), with ``funds`` legally available on each
        redemption date (default: enough): a ``Redemption`` (``charter_oracle/redemption_answer.py``)."""
        from charter_oracle.oracle.redemption import redemption_schedule
        from charter_oracle.redemption_answer import redemption_answer

        day = self.table.as_of if request_date is None else (
            request_date if isinstance(request_date, dt.date) else parse_date(request_date, "request_date"))
        amounts = None if funds is None else [exact_amount(f, f"funds[{i}]") for i, f in enumerate(funds)]
        schedule = redemption_schedule(self.charter, self.table, series, list(requested_by), day, amounts)
        return redemption_answer(self.charter.id, schedule, self.charter.chosen)

    def pay_to_play(self, events: str | Path | Mapping[str, Any]) -> PayToPlay:
        """Financing events (a file's path, or its content as a mapping) applied to the cap table:
        the pay-to-play conversions (NVCA §4) and the cap table after (``charter_oracle/pay_to_play_answer.py``)."""
        from charter_oracle.oracle.pay_to_play import apply_financings, load_financings, parse_financings

        financings = (load_financings(events, self.charter) if isinstance(events, str | Path)
                      else parse_financings(events, "events", self.charter))
        outcomes = apply_financings(self.charter, self.table, financings)
        return PayToPlay(self.charter.id, outcomes, outcomes[-1].table, self.charter.chosen)

    def value(self, closes: str | Path | Sequence[tuple[dt.date | str, Money]], distribution_date: dt.date | str,
              discount: Money = 0) -> MarketValue:
        """``closes``: a closes file's path, or (date, price) pairs."""
        return value_of(self.charter, closes, distribution_date, discount)

    def solve(self) -> Any:
        """Breakpoints, indifference sets, proofs and witnesses (Z3): a ``solver.SolveResult``."""
        from charter_oracle import solver

        return solver.solve(self.charter, self.table)

    def check(self, profile: str = "ci") -> Any:
        """The invariant suite through Hypothesis on this charter and cap table: a ``SuiteResult``."""
        from charter_oracle.invariants.suite import run_suite

        return run_suite(self.charter, self.table, profile)


def value_of(charter: Charter, closes: str | Path | Sequence[tuple[dt.date | str, Money]],
             distribution_date: dt.date | str, discount: Money = 0) -> MarketValue:
    """The market value of listed securities distributed in a liquidation: needs the charter, not a cap table."""
    if isinstance(closes, str | Path):
        rows = load_closes(closes)
    else:
        rows = tuple((d if isinstance(d, dt.date) else parse_date(d, f"closes[{i}].date"),
                      exact_amount(p, f"closes[{i}].price")) for i, (d, p) in enumerate(closes))
    day = distribution_date if isinstance(distribution_date, dt.date) else parse_date(distribution_date,
                                                                                     "distribution_date")
    v = market_value(charter, rows, day, exact_amount(discount, "discount"))
    return MarketValue(charter.id, v.value, v.average, v, charter.chosen)


def load(charter: str | Path, cap_table: str | Path | None = None,
         interpret: Mapping[str, str] | None = None, *, class_map: Mapping[str, str] | None = None,
         as_of: dt.date | str | None = None) -> LoadedCharter:
    """A bundled charter id or a charter file's path, with its cap table (default: the bundled reference).

    ``cap_table`` may be an OCF package (``docs/ocf.md``); ``class_map`` ({OCF class id: charter class id})
    and ``as_of`` (replay up to this date) are for OCF packages only.
    """
    day = parse_date(as_of, "as_of") if isinstance(as_of, str) else as_of
    loaded, table = load_with_table(str(charter), cap_table, interpret, class_map, day)
    return LoadedCharter(loaded, table)


__all__ = ["Adjustment", "Compliance", "Conversion", "Dividend", "LoadedCharter", "MarketValue", "Money", "PayToPlay", "Redemption", "Votes",
           "Waterfall", "exact_amount", "load", "value_of"]
