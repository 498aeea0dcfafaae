"""How a third-party engine's answer is compared with the oracle's, and how a difference is told.

A difference is told class first: which class got too much or too little, with
the clause of the oracle's step for that class, then the holders. The engine
answers per holder only, so class totals are read back from the holders' payouts
(holders of a class are paid the same per share, so ``holder = sum of shares x
per-share amount`` is a linear system, solved exactly); when it has no unique
answer (one holder of two classes, or a class whose holders the engine paid
differently per share), the report says so and gives the holders.

Amounts are shown as decimals, with the exact value beside when the decimal
does not terminate: ``333,333.333333… (exact 1000000/3)``.

Rounding rules (``--charter-impl-rounding``):

* ``exact`` (default): each holder's amount equals the oracle's exactly.
* ``cents``: for engines that pay whole cents. Proceeds are whole cents; each
  holder's amount must be a whole number of cents, within one cent of the
  oracle's exact amount (the exact amount rounded down or up to a cent), and the
  amounts must add up to the proceeds exactly. The oracle's own cents reading
  (``all.payout-cents=cents``: largest remainder, ties in cap-table order) is one
  such answer and is shown beside; any other tie-break among equal remainders
  passes too.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from charter_oracle.invariants.cases import Case, Violation
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import format_exact, parse_exact, round_down
from charter_oracle.oracle.liquidation import Distribution, in_cents
from charter_oracle.oracle.voting import VoteCount, as_converted_votes

CENT = Fraction(1, 100)
ROUNDINGS = ("exact", "cents")


class Mismatch(Violation):
    """A difference from the oracle, with the class-level and holder-level lines of its report."""

    def __init__(self, message: str, case: Case | None = None, classes: list[dict[str, Any]] | None = None,
                 holders: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, case)
        self.classes = classes or []
        self.holders = holders or []


def show(value: Fraction) -> str:
    """A decimal with thousands separators; the exact value beside when the decimal does not terminate."""
    exact = format_exact(value)
    if "/" not in exact:
        whole, _, frac = exact.lstrip("-").partition(".")
        sign = "-" if value < 0 else ""
        return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")
    places = 6
    while abs(value) * 10**places < 10**5 and places < 30:  # at least 6 significant digits
        places += 1
    shown = round_down(abs(value), Fraction(1, 10**places))
    return f"{'-' if value < 0 else ''}{show(shown)}… (exact {exact})"


def amount(value: Any, what: str) -> Fraction:
    """Accept Fraction, Decimal, int or an exact string; refuse floats (they cannot be compared exactly)."""
    if isinstance(value, bool):
        raise Violation(f"{what}: the implementation returned the bool {value!r}; return Fraction, Decimal or str")
    if isinstance(value, float):
        raise Violation(f"{what}: the implementation returned the float {value!r}; return Fraction, Decimal or str")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise Violation(f"{what}: the implementation returned {value}")
        return Fraction(value)
    try:
        return parse_exact(value, what)
    except Exception as error:  # the oracle's parser names what is wrong
        raise Violation(f"{what}: {error}") from None


def implied_class_totals(table: CapTable, paid: Mapping[str, Fraction]) -> dict[str, Fraction] | None:
    """Class totals behind holder payouts, if the holders determine them (exact Gaussian elimination)."""
    classes = [c for c in dict.fromkeys(h.class_id for h in table.holdings) if table.shares_of(c)]
    rows = [[Fraction(table.holder_shares(h, c)) for c in classes] + [paid.get(h, Fraction(0))] for h in table.holders]
    n, pivots, r = len(classes), [], 0
    for col in range(n):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            return None  # a class the holders do not pin down
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    if any(row[n] != 0 for row in rows[r:]):
        return None  # inconsistent: holders of one class paid differently per share
    return {classes[col]: rows[i][n] * table.shares_of(classes[col]) for i, col in enumerate(pivots)}


def class_clause(charter: Charter, want: Distribution, class_id: str) -> str:
    """The clause of the oracle's step(s) for a class; the shortfall or residual clause when it pays nothing."""
    steps = [f"{s.cite} ({s.what})" for s in want.steps if s.class_id == class_id]
    if steps:
        return "; ".join(dict.fromkeys(steps))
    if class_id == charter.common.id:
        return f"{charter.liquidation.residual_cite}; nothing is left for it ({charter.liquidation.shortfall_cite})"
    series = charter.series_by_id(class_id)
    return f"{series.liquidation.cite}; nothing reaches its tier ({charter.liquidation.shortfall_cite})"


def _class_lines(charter: Charter, table: CapTable, want: Distribution, got: Mapping[str, Fraction],
                 tolerance: Mapping[str, Fraction]) -> tuple[list[dict[str, Any]], str]:
    implied = implied_class_totals(table, got)
    if implied is None:
        return [], ("class totals cannot be read from these holders' payouts (a holder of several classes, "
                    "or holders of one class paid differently per share): see the holders")
    oracle = dict(want.classes)
    lines = []
    for cid in charter.class_ids:
        if cid not in implied:
            continue
        diff = implied[cid] - oracle.get(cid, Fraction(0))
        if abs(diff) > tolerance.get(cid, Fraction(0)):
            lines.append({"class": cid, "got": "too much" if diff > 0 else "too little", "difference": format_exact(diff),
                          "oracle": format_exact(oracle.get(cid, Fraction(0))), "implementation": format_exact(implied[cid]),
                          "clause": class_clause(charter, want, cid), "_diff": diff})
    lines.sort(key=lambda line: -abs(line["_diff"]))
    text = "\n".join(f"  {line['class']} got {show(abs(line.pop('_diff')))} {line['got']}: implementation "
                     f"{show(Fraction(line['implementation']))}, oracle {show(Fraction(line['oracle']))} "
                     f"[{line['clause']}]" for line in lines)
    return lines, text or "  every class total agrees (within the rounding rule): the difference is in how holders are paid"


def compare_distribution(charter: Charter, case: Case, want: Distribution, got_raw: Any, rounding: str) -> None:
    """Raise ``Mismatch`` when the engine's payouts differ from the oracle's under the rounding rule."""
    if not isinstance(got_raw, Mapping):
        raise Violation(f"distribute returned {type(got_raw).__name__}, not a mapping of holder to amount")
    got = {str(k): amount(v, f"distribute()[{k!r}]") for k, v in got_raw.items()}
    exact = dict(want.holders)
    unknown = sorted(set(got) - set(exact))
    if unknown:
        raise Violation(f"distribute paid {unknown[0]!r}, who is not in the cap table")
    proceeds = case.proceeds or Fraction(0)
    total = sum(got.values(), Fraction(0))
    cents = in_cents(exact, proceeds) if rounding == "cents" else None
    bad = []
    for holder in exact:
        g = got.get(holder, Fraction(0))
        if rounding == "cents":
            low = round_down(exact[holder], CENT)
            high = low if low == exact[holder] else low + CENT
            wrong = (g * 100).denominator != 1 or not low <= g <= high
        else:
            wrong = g != exact[holder]
        if wrong:
            bad.append(holder)
    if not bad and total == proceeds:
        return
    tolerance: dict[str, Fraction] = {}
    if rounding == "cents":  # a class may be a cent off per holder
        for h in case.table.holdings:
            tolerance[h.class_id] = tolerance.get(h.class_id, Fraction(0)) + CENT
    classes, class_text = _class_lines(charter, case.table, want, got, tolerance)
    holders = []
    for holder in bad:
        g = got.get(holder, Fraction(0))
        line = {"holder": holder, "implementation": format_exact(g), "oracle": format_exact(exact[holder])}
        if cents is not None:
            line["oracle_cents"] = format_exact(cents[holder])
        holders.append(line)
    holder_text = "\n".join(
        f"  {line['holder']}: implementation {show(Fraction(line['implementation']))}, oracle "
        f"{show(Fraction(line['oracle']))}" + (f" (in cents: {show(Fraction(line['oracle_cents']))})" if cents else "")
        + ("" if rounding == "exact" or (Fraction(line["implementation"]) * 100).denominator == 1 else " — not whole cents")
        for line in holders)
    rule = "" if rounding == "exact" else " (rule: whole cents, within a cent of the oracle's amount, summing to the proceeds)"
    lines = [f"distribute differs from the oracle at proceeds {show(proceeds)}{rule}",
             "classes, largest difference first (implementation vs oracle, clause of the oracle's step):", class_text]
    if holders:
        lines += ["holders:", holder_text]
    if total != proceeds:
        lines.append(f"payouts sum to {show(total)}, not the proceeds {show(proceeds)} (conservation) "
                     f"[{charter.liquidation.cite}]")
    raise Mismatch("\n".join(lines), case, classes, holders)


def compare_votes(charter: Charter, case: Case, want: VoteCount, got_raw: Any) -> None:
    """Raise ``Mismatch`` unless every holder's votes are the oracle's whole number."""
    if not isinstance(got_raw, Mapping):
        raise Violation(f"votes returned {type(got_raw).__name__}, not a mapping of holder to votes")
    for k, v in got_raw.items():
        if isinstance(v, bool) or not isinstance(v, int):
            raise Violation(f"votes()[{k!r}]: the implementation returned {type(v).__name__} {v!r}; votes are "
                            f"whole numbers (int) [{charter.voting.cite}]")
    got = {str(k): v for k, v in got_raw.items()}
    by_holder = {h.holder: h for h in want.holders}
    unknown = sorted(set(got) - set(by_holder))
    if unknown:
        raise Violation(f"votes gave {unknown[0]!r} votes, who is not in the cap table")
    holders = []
    for holder, votes in by_holder.items():
        if got.get(holder) != votes.total:
            series = {s.id: as_converted_votes(charter, case.table, holder, (s.id,)) for s in charter.series
                      if case.table.holder_shares(holder, s.id)}
            holders.append({"holder": holder, "implementation": got.get(holder), "oracle": votes.total,
                            "common": votes.common, "preferred_as_converted": format_exact(votes.preferred_exact),
                            "by_series": {sid: format_exact(v) for sid, v in series.items()}})
    if not holders:
        return
    text = "\n".join(f"  {h['holder']}: implementation {h['implementation']}, oracle {h['oracle']} = common "
                     f"{h['common']} + preferred as converted {show(Fraction(h['preferred_as_converted']))} rounded "
                     f"per {charter.voting.aggregate} ({charter.voting.tie})"
                     + ("; by series: " + ", ".join(f"{sid} {show(Fraction(v))}" for sid, v in h["by_series"].items())
                        if len(h["by_series"]) > 1 else "") for h in holders)
    raise Mismatch(f"votes differ from the oracle [{want.cite}]:\n{text}", case, [], holders)
