"""The whole liquidation payout as an exact piecewise-linear function of the proceeds.

For one charter, cap table (its date included: accrued dividends are fixed by ``as_of``) and
set of interpretations, every holder's and every class's payout is a function of the proceeds
alone. ``build_payout_function`` computes that function once; afterwards an evaluation is a
bisection on the knots and one line per holder: no waterfall, no conversion search.

Why it is exact
---------------
* The knots are the points of the solver's sweep (``solver/sweep.py``): it reads the solver's
  model of the waterfall (``solver/model.py``, the oracle's rules restated term by term) with
  exact lines and ends a region at the nearest exit value where any comparison the reading
  depended on changes its truth (a tier filled, a cap reached, a conversion choice changing).
  Between two consecutive points nothing changes but the proceeds, so every class total is one
  exact line there (``Region.classes``), and every holder's amount -- its classes' totals split
  by shares (``split_among_holders``) -- is a fixed linear combination of those lines. A point
  where the lines on both sides are the same and the value there is on them (only an unpaid
  comparison changed: an indifference) joins its two regions; the rest are the knots.
* At a knot itself the conversion choice may jump, so the value *at* a knot is not a limit of
  either side: the function holds the oracle's own answer there (``distribute`` at that knot).
* The model is not the oracle, so its answers are verified before they are used: the oracle is
  run at every knot (its class totals must equal the model's there) and at five interior points
  of every segment ``(lo, hi)``: ``lo + w / 2**40``, the quarter, middle and three-quarter points,
  and ``hi - w / 2**40`` (``w = hi - lo``); for the unbounded last segment ``(lo, inf)`` the same
  points of ``(lo, 2 lo + 2)`` and two more, ``2 lo + 2`` and ``2**40 (lo + 1)``. Every class and
  every holder must equal the segment's line exactly, computed by the same code that answers
  later (``SolverDisagreement`` otherwise). Chord verification: if the oracle had one kink or
  jump the sweep missed anywhere between the first and the last sample of a segment, the samples
  on its two sides could not all lie on one line, so it is caught. What finitely many samples
  cannot exclude: a missed kink within ``w / 2**40`` of a knot (for a $100 million segment, less
  than a hundredth of a cent), two missed kinks between the same two samples that happen to
  return to the line, and anything beyond the last sample of the unbounded segment. Those would
  be model/oracle disagreements, which the solver's own replay (``solver/replay.py``) and the
  tests comparing this function with the oracle at random proceeds, at every knot and a cent
  and ``10**-30`` either side of it look for.

Where it refuses (``NotPiecewiseLinear``, one line; callers may fall back to the oracle)
-------------------------------------------------------------------------------------
* ``all.payout-cents = cents``: whole-cent payouts by largest remainder are steps, not lines;
* ``all.options-in-exit = cash-exercise``: the exercising set, hence the share count, changes
  with the proceeds in a way the model does not follow (``oracle/exit_options_scope.py``);
* a charter the sweep cannot follow (no stable prefix of the conversion order somewhere, too
  many regions, anything the model refuses).
A disagreement found while verifying raises ``SolverDisagreement`` (a bug to report, exit 1).

Evaluation in integers
----------------------
``value + slope * (x - knot)`` is kept per segment as integers over one common denominator
``D``: amount = ``(a + b * x) / D``. For ``x = p / q`` that is ``(a * q + b * p) / (D * q)``,
one ``Fraction`` per amount (normalised by its gcd, so equal to the oracle's value, which is the
same rational number). The knots are kept as integers over their common denominator ``K``;
``knot <= x`` exactly when ``knot * K <= floor(p * K / q)``, so the bisection compares integers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError, OracleError
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.liquidation import distribute

if TYPE_CHECKING:
    from charter_oracle.solver.sweep import Point, Region, Sweep

Money = Fraction | int | str | Decimal  # never a float (the API's ``exact_amount``)


class NotPiecewiseLinear(InputError):
    """The payout is not (or cannot be shown to be) an exact piecewise-linear function of the proceeds."""


@dataclass(frozen=True, slots=True)
class _Lines:
    """Amounts on one segment: amount ``i`` is ``(a[i] + b[i] * x) / denominator``."""

    denominator: int
    terms: tuple[tuple[int, int], ...]  # (a, b) per key

    @classmethod
    def of(cls, lines: Iterable[tuple[Fraction, Fraction]]) -> _Lines:
        """From (intercept, slope) pairs."""
        pairs = list(lines)
        denominator = math.lcm(1, *(v.denominator for pair in pairs for v in pair))
        return cls(denominator, tuple((int(i * denominator), int(s * denominator)) for i, s in pairs))

    def at(self, p: int, q: int) -> tuple[Fraction, ...]:
        d = self.denominator * q
        return tuple([Fraction(a * q + b * p, d) for a, b in self.terms])


@dataclass(frozen=True, slots=True)
class PayoutFunction:
    """Every holder's and class's payout at any proceeds, equal to ``distribute``'s answer there.

    ``knots[i]``: where segment ``i`` starts (``knots[0] == 0``); segment ``i`` is the open
    interval up to ``knots[i + 1]`` (the last one is unbounded).
    """

    charter_id: str
    interpretations: tuple[tuple[str, str], ...]
    as_of: dt.date
    holder_ids: tuple[str, ...]  # the cap table's holders, in its order (as ``distribute``)
    class_ids: tuple[str, ...]  # the charter's classes, in its order (as ``distribute``)
    knots: tuple[Fraction, ...]
    oracle_evaluations: int  # how many times the build ran the oracle (knots and verification points)
    _scale: int  # common denominator K of the knots
    _scaled_knots: tuple[int, ...]  # knots[i] * K
    _holders_at_knots: tuple[tuple[Fraction, ...], ...]
    _classes_at_knots: tuple[tuple[Fraction, ...], ...]
    _holder_lines: tuple[_Lines, ...]  # per segment
    _class_lines: tuple[_Lines, ...]

    def __repr__(self) -> str:
        return (f"PayoutFunction({self.charter_id}: {len(self.knots)} knots, {len(self.holder_ids)} holders, "
                f"as of {self.as_of.isoformat()})")

    def _where(self, proceeds: Money) -> tuple[int, bool, int, int]:
        """(segment index, exactly at its knot, p, q) for proceeds p / q."""
        if type(proceeds) is not Fraction and type(proceeds) is not int:
            from charter_oracle.api import exact_amount  # str, Decimal; a float is refused (TypeError)

            proceeds = exact_amount(proceeds, "proceeds")
        p, q = proceeds.numerator, proceeds.denominator
        if p < 0:
            raise InputError(f"proceeds: {proceeds} is negative")
        scaled = p * self._scale // q  # floor(x * K): knot * K <= x * K  iff  knot * K <= floor(x * K)
        index = bisect.bisect_right(self._scaled_knots, scaled) - 1
        return index, self._scaled_knots[index] * q == p * self._scale, p, q

    def holder_values(self, proceeds: Money) -> tuple[Fraction, ...]:
        """Each holder's payout in ``holder_ids`` order (what ``distribute(...).holders`` pays)."""
        index, on_knot, p, q = self._where(proceeds)
        return self._holders_at_knots[index] if on_knot else self._holder_lines[index].at(p, q)

    def class_values(self, proceeds: Money) -> tuple[Fraction, ...]:
        """Each class's total in ``class_ids`` order (what ``distribute(...).classes`` pays)."""
        index, on_knot, p, q = self._where(proceeds)
        return self._classes_at_knots[index] if on_knot else self._class_lines[index].at(p, q)

    def holders(self, proceeds: Money) -> dict[str, Fraction]:
        """``dict(distribute(charter, table, proceeds).holders)``, without running the waterfall."""
        return dict(zip(self.holder_ids, self.holder_values(proceeds)))

    def classes(self, proceeds: Money) -> dict[str, Fraction]:
        """``dict(distribute(charter, table, proceeds).classes)``, without running the waterfall."""
        return dict(zip(self.class_ids, self.class_values(proceeds)))


def _refuse_readings(charter: Charter) -> None:
    chosen = charter.interpretations_in_force
    if chosen.get("all.payout-cents") == "cents":
        raise NotPiecewiseLinear(f"{charter.id}: under all.payout-cents=cents payouts are whole cents (steps, not "
                                 "lines); the payout function does not apply (the oracle answers each exit value)")
    if chosen.get("all.options-in-exit") == "cash-exercise":
        raise NotPiecewiseLinear(f"{charter.id}: under all.options-in-exit=cash-exercise the exercised options "
                                 "change with the proceeds; the payout function does not apply (the oracle does)")


def sweep_of(charter: Charter, table: CapTable) -> Sweep:
    """The solver's exact sweep of the proceeds axis, or ``NotPiecewiseLinear`` saying why there is none."""
    from charter_oracle.solver.model import WaterfallModel
    from charter_oracle.solver.sweep import sweep

    _refuse_readings(charter)
    try:
        return sweep(WaterfallModel.of(charter, table))
    except OracleError as error:
        raise NotPiecewiseLinear(f"{charter.id}: the sweep of exit values cannot follow this charter ({error}); "
                                 "the payout function does not apply") from None


def _samples(lo: Fraction, hi: Fraction | None) -> tuple[Fraction, ...]:
    """Interior points of a segment where the oracle verifies its lines (see the module docstring):
    ``2**-40`` of the width from either end, and the quarter, middle and three-quarter points."""
    far: tuple[Fraction, ...] = ()
    if hi is None:
        hi = 2 * lo + 2
        far = (hi, (lo + 1) * 2 ** 40)
    width = hi - lo
    near = width / 2 ** 40
    return (lo + near, lo + width / 4, lo + width / 2, lo + 3 * width / 4, hi - near, *far)


def _segments(swept: Sweep) -> tuple[list[Point], list[Region]]:
    """The sweep's points and regions without the points where nothing paid changes.

    The sweep also ends a region where only an unpaid comparison changes (an indifference, an
    allocation that is compared with the paid one): when the regions on both sides have the same
    class lines and the point pays what those lines give there, the two regions are one segment.
    """
    points, regions = [swept.points[0]], [swept.regions[0]]
    for point, region in zip(swept.points[1:], swept.regions[1:]):
        lines = dict(regions[-1].classes)
        same = dict(region.classes) == lines and all(lines[c].at(point.at) == v for c, v in point.classes)
        if not same:
            points.append(point)
            regions.append(region)
    return points, regions


def build_cost(swept: Sweep) -> int:
    """The oracle runs ``build_payout_function`` makes on this sweep: one per knot, five per bounded
    segment, seven for the unbounded one."""
    return 6 * len(_segments(swept)[0]) + 1


def build_payout_function(charter: Charter, table: CapTable, swept: Sweep | None = None) -> PayoutFunction:
    """The payout function of this charter and cap table (``swept``: the sweep, when already computed).

    Raises ``NotPiecewiseLinear`` where the payout is not piecewise linear or the sweep cannot follow the
    charter, ``SolverDisagreement`` where the oracle disagrees with the sweep's lines."""
    from charter_oracle.solver.witness import SolverDisagreement

    _refuse_readings(charter)
    swept = swept if swept is not None else sweep_of(charter, table)
    holder_ids = tuple(table.holders)
    class_ids = tuple(charter.class_ids)
    # Holder amount = sum over its classes of (shares held / shares outstanding) x class total.
    weights: dict[str, list[tuple[str, Fraction]]] = {h: [] for h in holder_ids}
    for holding in table.holdings:
        outstanding = table.shares_of(holding.class_id)
        if outstanding:
            weights[holding.holder].append((holding.class_id, Fraction(holding.shares, outstanding)))
    evaluations = 0

    def oracle(at: Fraction) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        nonlocal evaluations
        evaluations += 1
        d = distribute(charter, table, at)
        got_holders, got_classes = dict(d.holders), dict(d.classes)
        return (tuple(got_holders[h] for h in holder_ids), tuple(got_classes.get(c, Fraction(0)) for c in class_ids))

    def disagree(at: Fraction, model: tuple[Fraction, ...], got: tuple[Fraction, ...],
                 keys: tuple[str, ...]) -> SolverDisagreement:
        # Messages only in f-strings: Hypothesis draws short string literals of loaded modules as
        # candidate values, and a new one would change the examples `check` generates.
        what = f"{'holder amounts' if keys is holder_ids else 'class totals'}"
        differ = f"{'; '.join(f'{k}: model {format_exact(m)}, oracle {format_exact(g)}' for k, m, g in zip(keys, model, got) if m != g)}"
        return SolverDisagreement(f"{charter.id} at exit value {format_exact(at)}: the payout function's {what} "
                                  f"differ from the oracle's ({differ})")

    if tuple(p.at for p in swept.points)[:1] != (Fraction(0),) or \
            tuple(r.lo for r in swept.regions) != tuple(p.at for p in swept.points):
        raise SolverDisagreement(f"{charter.id}: the sweep's regions do not start at its points (a bug in the sweep)")
    points, regions = _segments(swept)
    knots = tuple(point.at for point in points)
    holders_at_knots, classes_at_knots = [], []
    for point in points:
        got_holders, got_classes = oracle(point.at)
        model_classes = dict(point.classes)
        expected = tuple(model_classes.get(c, Fraction(0)) for c in class_ids)
        if expected != got_classes:
            raise disagree(point.at, expected, got_classes, class_ids)
        holders_at_knots.append(got_holders)
        classes_at_knots.append(got_classes)
    holder_lines, class_lines = [], []
    for index, region in enumerate(regions):
        by_class = dict(region.classes)
        zero = (Fraction(0), Fraction(0))
        class_terms = [(by_class[c].intercept, by_class[c].slope) if c in by_class else zero for c in class_ids]
        terms = dict(zip(class_ids, class_terms))
        holder_terms = [(sum((w * terms[c][0] for c, w in weights[h]), Fraction(0)),
                         sum((w * terms[c][1] for c, w in weights[h]), Fraction(0))) for h in holder_ids]
        holder_lines.append(_Lines.of(holder_terms))
        class_lines.append(_Lines.of(class_terms))
        # The knots are the authority on where a segment ends (a region's own ``hi`` is not consulted).
        for at in _samples(knots[index], knots[index + 1] if index + 1 < len(knots) else None):
            got_holders, got_classes = oracle(at)
            for lines, got, keys in ((class_lines[-1], got_classes, class_ids),
                                     (holder_lines[-1], got_holders, holder_ids)):
                model = lines.at(at.numerator, at.denominator)
                if model != got:
                    raise disagree(at, model, got, keys)
    scale = math.lcm(1, *(k.denominator for k in knots))
    return PayoutFunction(
        charter.id, charter.chosen, table.as_of, holder_ids, class_ids, knots, evaluations,
        scale, tuple(int(k * scale) for k in knots), tuple(holders_at_knots), tuple(classes_at_knots),
        tuple(holder_lines), tuple(class_lines),
    )
