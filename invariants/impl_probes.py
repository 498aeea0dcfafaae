"""Where a third-party engine's classic bugs show: targeted cases, and simple-first generation.

Random proceeds rarely land where a bug shows: a shortfall shared by share count
is visible only inside a short pari passu tier (example-modern: between $11.48M
and $16.48M on the reference table), a cap bug only between the cap binding and
the capped series converting. So before Hypothesis searches at random, the
plugin runs *probes*: every breakpoint computed from the class positions (each
tier's end, the proceeds at which each switch level and each cap is reached,
with everyone else deciding in equilibrium or as if alone), a cent either side,
points inside each tier and each stretch between breakpoints. The breakpoints
come from a closed formula on the positions (no solver, no oracle call: cheap),
and they are the oracle's kinks up to the conversion choice, which is all a
probe needs: the comparison itself is always with the oracle's full answer.

Probes run on the user's cap table (or the bundled reference) and on a probe
table built from the charter: one holder per class, no options, no declared
dividends, prices as issued; vote probes add holders whose as-converted votes
end in fractions that only per-holder rounding adds up.

``minimize`` shrinks a failing case further than Hypothesis can across its
branches: it drops declared dividends, options, price overrides, issue dates,
holders and holdings, and rounds the proceeds, while the case still fails.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from hypothesis import strategies as st

from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case
from charter_oracle.oracle.cap_table import CapTable, Holding, build_cap_table, cap_table_to_toml
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import OracleError
from charter_oracle.oracle.exact import round_down
from charter_oracle.oracle.positions import SeriesPosition, series_positions

CENT = Fraction(1, 100)


def valid(table: CapTable, charter: Charter) -> bool:
    """The table as the oracle's loader reads it back from its TOML (what the engine is given)."""
    try:
        build_cap_table(tomllib.loads(cap_table_to_toml(table)), charter, "<probe>")
    except (OracleError, ValueError, tomllib.TOMLDecodeError):
        return False
    return True


# --- proceeds ------------------------------------------------------------------------------

def _proceeds_at_level(charter: Charter, common: int, positions: tuple[SeriesPosition, ...], level: Fraction,
                       converting: frozenset[str]) -> Fraction:
    """Proceeds at which every tier is paid and the residual reaches ``level`` per common-equivalent share."""
    keep = charter.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
    total = level * common
    for p in positions:
        if p.id in converting:
            total += (p.dividends if keep else 0) + level * p.as_converted
            continue
        total += p.preference + p.dividends
        if p.series.participation.kind != "none":
            at_level = level * p.as_converted
            total += at_level if p.participation_cap is None else min(p.participation_cap, at_level)
    return total


def breakpoints(charter: Charter, table: CapTable) -> list[Fraction]:
    """Tier ends, and the proceeds at each switch level and cap level (equilibrium and as-if-alone)."""
    positions = tuple(p for p in series_positions(charter, table) if p.shares)
    common = table.shares_of(charter.common.id)
    points: set[Fraction] = set()
    paid = Fraction(0)
    for rank in sorted({p.rank for p in positions}):
        tier = sum((p.preference + p.dividends for p in positions if p.rank == rank), Fraction(0))
        points.update(paid + tier * Fraction(k, 4) for k in range(1, 5))  # inside the shortfall, and its end
        paid += tier
    levels = {p.switch_level for p in positions if p.switch_level is not None}
    levels |= {p.participation_cap / p.as_converted for p in positions
               if p.participation_cap and p.as_converted and p.series.participation.kind == "capped"}
    movable = [p for p in positions if p.switch_level is not None]
    for level in levels:
        below = frozenset(p.id for p in movable if p.switch_level is not None and p.switch_level < level)
        for converting in (below, frozenset()):  # in equilibrium; as if nobody else converted
            points.add(_proceeds_at_level(charter, common, positions, level, converting))
    return sorted(p for p in points if p >= 0)


def probe_proceeds(charter: Charter, table: CapTable, cents: bool = False) -> list[Fraction]:
    """Zero, a cent, each breakpoint and a cent either side, the middle of each stretch, far beyond."""
    try:
        points = breakpoints(charter, table)
    except (OracleError, ZeroDivisionError):
        points = []
    top = max(points + [Fraction(1_000_000)]) * 3
    ordered = sorted(set([Fraction(0)] + points + [top]))
    out = [Fraction(0), CENT, top * 1000]
    for p in points:
        out += [p - CENT, p, p + CENT]
    out += [(a + b) / 2 for a, b in zip(ordered, ordered[1:])]
    if cents:
        out = [round_down(p, CENT) for p in out]
    return list(dict.fromkeys(p for p in out if p >= 0))


# --- tables --------------------------------------------------------------------------------

def probe_table(charter: Charter) -> CapTable | None:
    """One holder per class with an odd count, nothing else: what every classic bug needs, and no more."""
    holdings = [Holding(f"{s.name} Holder", s.id, max(1, s.designated - (1 - s.designated % 2)))
                for s in charter.series if s.designated]
    preferred = sum(h.shares for h in holdings)
    common = max(1, min(charter.common.authorized // 2, max(preferred, 1_000_000)))
    holdings.insert(0, Holding("Common Holder", charter.common.id, common - (1 - common % 2) or 1))
    as_of = charter.date
    issue = tuple((s.id, as_of - dt.timedelta(days=731)) for s in charter.series
                  if s.participation.interest_rate is not None or (s.dividend is not None and s.dividend.cumulative))
    table = CapTable(as_of, tuple(holdings), issue_dates=issue)
    return table if valid(table, charter) else None


def _fraction_part(value: Fraction) -> Fraction:
    return value - (value.numerator // value.denominator)


def _votes_in_fractions(charter: Charter, series_id: str, unit: Fraction | None) -> tuple[Fraction, int] | None:
    """A conversion price and share count whose as-converted votes end in between 0.26 and 0.40 (two such
    round away to the nearest, together they round up), or between 0.60 and 0.74 where fractions are
    disregarded (``rounding = "down"``: each truncates away, together they make a whole vote)."""
    series = charter.series_by_id(series_id)
    value = series.conversion.value
    step = unit or CENT
    low, high = (Fraction(60, 100), Fraction(74, 100)) if charter.voting.tie == "down" else (Fraction(26, 100), Fraction(40, 100))
    for j in range(1, 200):
        price = value + j * step
        for n in range(1, min(series.designated, 60) + 1):
            if low <= _fraction_part(n * value / price) <= high:
                return price, n
    return None


def vote_probe_tables(charter: Charter) -> list[CapTable]:
    """A holder of two series whose votes end in fractions (per series they round away), and a tie."""
    tables: list[CapTable] = []
    as_of = charter.date
    issue = tuple((s.id, as_of - dt.timedelta(days=731)) for s in charter.series
                  if s.participation.interest_rate is not None or (s.dividend is not None and s.dividend.cumulative))
    unit = charter.dilution.price_unit if charter.dilution else None
    for first, second in zip(charter.series, charter.series[1:]):
        picks = [_votes_in_fractions(charter, s.id, unit) for s in (first, second)]
        if None in picks:
            continue
        (p1, n1), (p2, n2) = picks  # type: ignore[misc]
        holdings = (Holding("Split Holder", first.id, n1), Holding("Split Holder", second.id, n2),
                    Holding("Common Holder", charter.common.id, 3))
        tables.append(CapTable(as_of, holdings, conversion_prices=tuple(sorted(((first.id, p1), (second.id, p2)))),
                               issue_dates=issue))
    for s in charter.series[:1]:  # 5 shares converting into 1/2 common each: a vote of exactly 2.5
        if s.designated >= 5:
            tables.append(CapTable(as_of, (Holding("Tie Holder", s.id, 5), Holding("Common Holder", charter.common.id, 3)),
                                   conversion_prices=((s.id, 2 * s.conversion.value),), issue_dates=issue))
    return [t for t in tables if valid(t, charter)]


def distribute_probes(charter: Charter, base: CapTable | None, cents: bool = False) -> list[Case]:
    tables = [t for t in (base, probe_table(charter)) if t is not None]
    return [Case(t, p) for t in tables for p in probe_proceeds(charter, t, cents)]


def vote_probes(charter: Charter, base: CapTable | None) -> list[Case]:
    tables = [t for t in (base, probe_table(charter)) if t is not None] + vote_probe_tables(charter)
    return [Case(t) for t in tables]


# --- generation: the simplest tables first, so that shrinking reaches them ---------------------

def simple_first_tables(charter: Charter, base: CapTable | None) -> st.SearchStrategy[CapTable]:
    """Bare tables (no options, dividends or price overrides) first, then full ones, then the user's."""
    bare = gen.cap_tables(charter, options=False, overrides=False, dividends=False)
    full = gen.cap_tables(charter)
    return st.one_of(bare, full, st.just(base)) if base is not None else st.one_of(bare, full)


def exit_cases(charter: Charter, base: CapTable | None, cents: bool = False) -> st.SearchStrategy[Case]:
    def for_table(t: CapTable) -> st.SearchStrategy[Case]:
        probes = probe_proceeds(charter, t, cents)
        anywhere = gen.proceeds_for(charter, t)
        if cents:
            anywhere = anywhere.map(lambda p: round_down(p, CENT))
        return st.one_of(st.sampled_from(probes), anywhere).map(lambda p: Case(t, p))
    return simple_first_tables(charter, base).flatmap(for_table)


def vote_cases(charter: Charter, base: CapTable | None) -> st.SearchStrategy[Case]:
    return simple_first_tables(charter, base).map(lambda t: Case(t))


# --- minimizing a failure ---------------------------------------------------------------------

def _simpler(table: CapTable) -> list[CapTable]:
    """Tables one step simpler than ``table``, the biggest steps first."""
    out = []
    for name in ("declared_unpaid_dividends", "options", "conversion_prices", "issue_dates"):
        items = getattr(table, name)
        if items:
            out.append(replace(table, **{name: ()}))
            if len(items) > 1:
                out += [replace(table, **{name: items[:i] + items[i + 1:]}) for i in range(len(items))]
    holders = table.holders
    if len(holders) > 1:
        out += [replace(table, holdings=tuple(h for h in table.holdings if h.holder != who)) for who in holders]
    by_class: dict[str, list[Holding]] = {}
    for h in table.holdings:
        by_class.setdefault(h.class_id, []).append(h)
    for class_id, held in by_class.items():  # a class's holders as one (its total, hence the bug, unchanged)
        if len(held) > 1:
            merged = Holding(held[0].holder, class_id, sum(h.shares for h in held))
            rest = tuple(h for h in table.holdings if h.class_id != class_id or h is held[0])
            out.append(replace(table, holdings=tuple(merged if h is held[0] else h for h in rest)))
    if len(table.holdings) > len(holders):
        out += [replace(table, holdings=table.holdings[:i] + table.holdings[i + 1:]) for i in range(len(table.holdings))]
        # A holder of several classes split into one holder per class: class totals become readable.
        for who in holders:
            mine = [h for h in table.holdings if h.holder == who]
            if len({h.class_id for h in mine}) > 1:
                split = tuple(Holding(f"{h.holder} ({h.class_id})", h.class_id, h.shares) if h.holder == who else h
                              for h in table.holdings)
                out.append(replace(table, holdings=split))
    return out


def minimize(case: Case, charter: Charter, fails: Callable[[Case], bool], budget: int = 300) -> Case:
    """Greedily drop what the failure does not need (dividends, options, overrides, dates, holders), merge
    the holders of a class, split holders of several classes, round the proceeds: each step kept only
    while the case still fails."""
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        candidates: list[Case] = [Case(t, case.proceeds, case.events, case.params) for t in _simpler(case.table)]
        if case.proceeds is not None:
            for unit in (Fraction(1_000_000), Fraction(1000), Fraction(1), CENT):
                rounded = round_down(case.proceeds, unit)
                if rounded != case.proceeds and rounded > 0:
                    candidates.append(Case(case.table, rounded, case.events, case.params))
        for candidate in candidates:
            tries += 1
            if tries > budget:
                break
            if valid(candidate.table, charter) and fails(candidate):
                case, changed = candidate, True
                break
    return case

