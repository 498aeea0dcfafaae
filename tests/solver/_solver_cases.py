"""Shared fixtures: bundled charters with their reference cap tables, solved once per session."""

from __future__ import annotations


from charter_oracle.oracle.bundled import reference_cap_table
from charter_oracle.oracle.cap_table import CapTable, load_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter

from charter_oracle import solver


def bundled(charter_id: str) -> tuple[Charter, CapTable]:
    charter = load_charter(charter_id)
    return charter, load_cap_table(reference_cap_table(charter_id), charter)


_SOLVED: dict[str, solver.SolveResult] = {}


def solved(charter_id: str) -> solver.SolveResult:
    if charter_id not in _SOLVED:
        _SOLVED[charter_id] = solver.solve(*bundled(charter_id))
    return _SOLVED[charter_id]


