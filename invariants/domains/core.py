"""The invariant value and what every domain module shares to define one.

An ``Invariant`` is data: its statement, kind, the clauses it comes from (read from the
charter file's cites), its scope, its case strategy and its check. Two kinds: ``oracle``
invariants must hold (a violation is a bug); ``charter-property`` invariants may be broken by
the text itself (a violation is a *finding*). Whether an invariant applies is decided from the
charter's data, never its id: a charter without preferred stock reports the preference
invariants as not applicable, with the reason, never as passed.

The verdicts a run gives are in ``invariants.suite``; one example and its failure are
``invariants.cases``; the registration order (the order reports list them in) is
``invariants.registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st

from charter_oracle.invariants import strategies as gen
from charter_oracle.invariants.cases import Case
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter

Kind = Literal["oracle", "charter-property"]
CasesFn = Callable[[Charter, CapTable | None], st.SearchStrategy[Case]]
CheckFn = Callable[[Charter, Case], None]
Scope = Callable[[Charter], tuple[bool, str]]
CitesFn = Callable[[Charter], tuple[str, ...]]


@dataclass(frozen=True)
class Invariant:
    id: str
    statement: str
    kind: Kind
    cites: CitesFn
    scope: Scope
    cases: CasesFn
    check: CheckFn

    def applies_to(self, charter: Charter) -> tuple[bool, str]:
        return self.scope(charter)

    def clauses(self, charter: Charter) -> tuple[str, ...]:
        """The clauses of *this* charter the invariant comes from (from the charter file's cites)."""
        return tuple(dict.fromkeys(c for c in self.cites(charter) if c))


# --- scopes -------------------------------------------------------------------------------

def everywhere(reason: str) -> Scope:
    return lambda charter: (True, reason)


def needs_preferred(charter: Charter) -> tuple[bool, str]:
    if not charter.series:
        return False, "no preferred series: the charter has only common stock"
    return True, f"{len(charter.series)} preferred series"


def requires(first: Scope, test: Callable[[Charter], bool], yes: str, no: str) -> Scope:
    """``first``, and then ``test`` on the charter's data (``yes``/``no`` say why)."""
    def scope(charter: Charter) -> tuple[bool, str]:
        ok, why = first(charter)
        if not ok:
            return ok, why
        return (True, yes) if test(charter) else (False, no)
    return scope


def _protected(charter: Charter) -> bool:
    return charter.dilution is not None and any(s.dilution.method != "none" for s in charter.series)


has_dilution = requires(needs_preferred, _protected, "a series has weighted-average protection",
                        "no series has dilution protection")


# --- clauses ------------------------------------------------------------------------------

def series_cites(attr: str) -> CitesFn:
    # Optional terms (a series' ``dividend``) are skipped where a series has none.
    return lambda c: tuple(getattr(s, attr).cite for s in c.series if getattr(s, attr) is not None)


def dilution_cites(*attrs: str) -> CitesFn:
    return lambda c: tuple(getattr(c.dilution, a) for a in attrs) if c.dilution else ()


# --- cases --------------------------------------------------------------------------------

def tables(charter: Charter, base: CapTable | None, **kw: Any) -> st.SearchStrategy[CapTable]:
    """Generated tables, and the user's own table often (its realistic sizes reach every region)."""
    generated = gen.cap_tables(charter, **kw)
    return st.one_of(st.just(base), generated, st.just(base)) if base is not None else generated
