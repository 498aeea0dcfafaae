"""A naive FLOAT waterfall of our own, to measure the exact oracle against: speed ratio and disagreements.

Written for this comparison only (not anyone's code, never used by the project): the way a
spreadsheet or a quick script does it. Terms are read from the charter and the cap table and
turned into floats at once; then

- preferences are paid rank by rank, a short rank shared by preferential amount (as the oracle);
- the residual is shared per common-equivalent share among common and participating series,
  capped series dropping out when their cap binds (water-filling, in floats);
- a series converts when converting *on its own* (nobody else converting) pays it more than
  not converting: the usual shortcut, which ignores that one series' conversion changes what
  converting is worth to the others (the oracle searches for a stable outcome instead).

Prints evaluations per second of both engines on the same cap tables and exit values, and how
many holder amounts disagree by a cent or more (and why: float rounding or a conversion decision).
Beside them, the exact payout function (charter_oracle/payout_function.py: the oracle's answers as
one piecewise-linear function of the proceeds, built once per cap table, then a bisection and one
line per holder): its rate on the same exits, and its disagreements with the oracle (it is exact:
0 expected) and with the float engine (the same as the oracle's, then). One evaluation of each
engine returns every holder's amount (the float engine also its converting set).
Rates are CPU time (``process_time``), the median of 3 runs of 0.5 s each, so that other processes
on a shared machine weigh less; the ratios are what to read.

Run: python benchmarks/float_peer.py
"""

from __future__ import annotations

import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter_oracle.oracle.cap_table import CapTable  # noqa: E402
from charter_oracle.oracle.charter import Charter  # noqa: E402
from charter_oracle.oracle.liquidation import distribute  # noqa: E402
from charter_oracle.oracle.loading import load_with_table  # noqa: E402
from charter_oracle.oracle.positions import participation_cap_per_share  # noqa: E402
from charter_oracle.payout_function import build_payout_function  # noqa: E402

Terms = list[tuple[str, int, float, float, str, float | None]]  # id, rank, claim, as-converted, kind, cap


def float_terms(charter: Charter, table: CapTable) -> tuple[float, Terms]:
    """Common shares and, per series, its terms as floats (the float engine's only input)."""
    terms: Terms = []
    for s in charter.series:
        shares = table.shares_of(s.id)
        if not shares:
            continue
        ratio = float(s.conversion.value) / float(table.conversion_price(charter, s.id))
        claim = shares * (float(s.liquidation.preference) + float(table.dividend_per_share(s.id)))
        cap = participation_cap_per_share(s, table)
        terms.append((s.id, s.liquidation.rank, claim, shares * ratio, s.participation.kind,
                      None if cap is None else shares * float(cap)))
    return float(table.shares_of(charter.common.id)), terms


def float_allocate(proceeds: float, common: float, terms: Terms, converting: set[str]) -> dict[str, float]:
    """Class totals in floats for one set of converting series."""
    paid: dict[str, float] = {t[0]: 0.0 for t in terms}
    remaining = proceeds
    for rank in sorted({t[1] for t in terms}):
        tier = [t for t in terms if t[1] == rank and t[0] not in converting]
        total = sum(t[2] for t in tier)
        if total <= 0:
            continue
        pay = min(remaining, total)
        for t in tier:
            paid[t[0]] += pay * t[2] / total
        remaining -= pay
    weight = common + sum(t[3] for t in terms if t[0] in converting)
    sharing = [t for t in terms if t[0] not in converting and t[4] != "none"]
    capped = sorted((t for t in sharing if t[5] is not None and t[3] > 0), key=lambda t: t[5] / t[3])
    weight += sum(t[3] for t in sharing if t[5] is None)
    active = weight + sum(t[3] for t in capped)
    level, done = 0.0, 0.0
    saturated: set[str] = set()
    for t in capped:
        if remaining - done <= t[5] / t[3] * active:
            break
        saturated.add(t[0])
        done += t[5]
        active -= t[3]
    level = max((remaining - done) / active, 0.0) if active > 0 else 0.0
    totals = {"common": level * common}
    for t in terms:
        if t[0] in converting:
            totals[t[0]] = paid[t[0]] + t[3] * level
        elif t[4] != "none":
            totals[t[0]] = paid[t[0]] + (t[5] if t[0] in saturated else t[3] * level)
        else:
            totals[t[0]] = paid[t[0]]
    return totals


def float_waterfall(table: CapTable, common: float, terms: Terms, proceeds: float,
                    common_id: str) -> tuple[dict[str, float], set[str]]:
    """Holder amounts: each series converts if converting alone pays it more."""
    nobody = float_allocate(proceeds, common, terms, set())
    converting = {t[0] for t in terms if float_allocate(proceeds, common, terms, {t[0]})[t[0]] > nobody[t[0]]}
    totals = float_allocate(proceeds, common, terms, converting)
    totals[common_id] = totals.pop("common")
    holders: dict[str, float] = {h: 0.0 for h in table.holders}
    for holding in table.holdings:
        outstanding = table.shares_of(holding.class_id)
        holders[holding.holder] += totals.get(holding.class_id, 0.0) * holding.shares / outstanding
    return holders, converting


def rate(run, seconds: float = 0.5) -> float:
    """Calls per CPU second, the median of 3 runs."""
    rates = []
    for _ in range(3):
        n, start = 0, time.process_time()
        while time.process_time() - start < seconds:
            run(n)
            n += 1
        rates.append(n / (time.process_time() - start))
    return statistics.median(rates)


def main() -> None:
    cases = [("nvidia-1998", None), ("infinity-1996", None), ("byzantine-1999", None)]
    print(f"{'charter':<16} {'exact evals/s':>14} {'float evals/s':>14} {'ratio':>6} {'exits':>6} "
          f"{'disagree':>9} {'by conversion':>14} {'max error $':>12}")
    functions = []
    for charter_id, cap_table in cases:
        charter, table = load_with_table(charter_id, cap_table)
        if not charter.series:
            continue
        common, terms = float_terms(charter, table)
        # Every $250,000 from $0 to $150 million, and the same in odd cents: 1,200 exit values.
        exits = [Fraction(250_000 * i) for i in range(600)] + [Fraction(250_000 * i + 1337, 100) for i in range(600)]
        exact_rate = rate(lambda n: distribute(charter, table, exits[n % len(exits)]))
        float_rate = rate(lambda n: float_waterfall(table, common, terms, float(exits[n % len(exits)]), charter.common.id))
        t0 = time.process_time()
        f = build_payout_function(charter, table)
        build = time.process_time() - t0
        function_rate = rate(lambda n: f.holders(exits[n % len(exits)]))
        disagree = by_conversion = function_off = function_vs_float = 0
        worst = Fraction(0)
        for proceeds in exits:
            exact = distribute(charter, table, proceeds)
            naive, converting = float_waterfall(table, common, terms, float(proceeds), charter.common.id)
            errors = [abs(Fraction(naive[h]) - a) for h, a in exact.holders]
            error = max(errors)
            worst = max(worst, error)
            if error >= Fraction(1, 100):
                disagree += 1
                by_conversion += converting != set(exact.converted)
            paid = f.holders(proceeds)
            function_off += tuple(paid.items()) != exact.holders
            function_vs_float += max(abs(Fraction(naive[h]) - a) for h, a in paid.items()) >= Fraction(1, 100)
        functions.append((charter_id, function_rate, exact_rate, float_rate, build, len(f.knots), function_off,
                          function_vs_float, len(exits)))
        print(f"{charter_id:<16} {exact_rate:>14,.0f} {float_rate:>14,.0f} {float_rate / exact_rate:>6.1f} "
              f"{len(exits):>6} {disagree:>9} {by_conversion:>14} {float(worst):>12,.2f}")
    print()
    print(f"{'payout function':<16} {'evals/s':>10} {'÷ exact':>8} {'÷ float':>8} {'build ms':>9} {'knots':>6} "
          f"{'≠ oracle':>9} {'float wrong':>12}")
    for charter_id, function_rate, exact_rate, float_rate, build, knots, off, vs_float, count in functions:
        print(f"{charter_id:<16} {function_rate:>10,.0f} {function_rate / exact_rate:>8.1f} "
              f"{function_rate / float_rate:>8.2f} {build * 1000:>9.0f} {knots:>6} {off:>4} of {count:<4}"
              f"{vs_float:>7} of {count}")


if __name__ == "__main__":
    main()
