"""The solver: exact breakpoints, indifference sets, proofs and boundary searches, over the oracle.

Public API::

    solve(charter, table, *, rlimit=..., model=None, searches=True, strict=True) -> SolveResult
    to_json(result) -> dict
    to_text(result) -> str
    geometry(charter, table) -> Geometry   # breakpoints and indifference only
"""

from charter_oracle.solver.render import to_json, to_text
from charter_oracle.solver.solve import Geometry, SolveResult, geometry, solve
from charter_oracle.solver.witness import SolverDisagreement, Witness

__all__ = ["Geometry", "SolveResult", "SolverDisagreement", "Witness", "geometry", "solve", "to_json", "to_text"]
