"""The solver: exact breakpoints, indifference sets, proofs and boundary searches, over the oracle.

Public API::

    solve(charter, table, *, rlimit=..., model=None, searches=True, strict=True) -> SolveResult
    to_json(result) -> dict
    to_text(result) -> str
    geometry(charter, table) -> Geometry   # breakpoints and indifference only
"""

from solver.render import to_json, to_text
from solver.solve import Geometry, SolveResult, geometry, solve
from solver.witness import SolverDisagreement, Witness

__all__ = ["Geometry", "SolveResult", "SolverDisagreement", "Witness", "geometry", "solve", "to_json", "to_text"]
