"""The solver's budget: no run can hang, what the budget stops is 'unknown' and says so, and verdicts
do not depend on what ran before in the same process (a fresh Z3 context per query)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from fractions import Fraction as F

import pytest

from _solver_cases import bundled
from charter_oracle import solver
from charter_oracle.cli import main
from charter_oracle.oracle.charter import ConversionRight
from charter_oracle.solver.generated import generated


def awkward(series_count: int):
    """Generated series with preferences and prices over coprime denominators: once minutes of work,
    about 7 s of CPU since the sweep remembers its comparisons and the proofs are asked cell by cell."""
    charter, table = generated(series_count)
    changed = []
    for i, s in enumerate(charter.series):
        price = F(100 + 37 * i, 97 + i)
        changed.append(dataclasses.replace(
            s, liquidation=dataclasses.replace(s.liquidation, preference=price),
            conversion=ConversionRight(price, price * (50 + i) / (53 + i), "gen.4(a)")))
    return dataclasses.replace(charter, series=tuple(changed)), table


def test_a_run_that_would_take_minutes_stops_at_its_budget_and_says_what_it_did_not_do() -> None:
    charter, table = awkward(40)  # its sweep alone takes more than 20 s of CPU
    start = time.monotonic()
    result = solver.solve(charter, table, budget_seconds=2)
    elapsed = time.monotonic() - start
    assert elapsed < 60  # generous on a loaded machine; without the budget this run takes several seconds
    assert {p.verdict for p in result.proofs} == {"unknown"}
    assert all("time budget of 2 s" in p.reason for p in result.proofs)
    assert result.incomplete and result.breakpoints == ()
    data = solver.to_json(result)
    assert data["incomplete"] == list(result.incomplete)


def test_a_complete_run_has_no_incomplete_field() -> None:
    data = solver.to_json(solver.solve(*bundled("infinity-1996")))
    assert "incomplete" not in data  # complete runs keep the JSON (and reports) they had


def test_solve_passes_its_budget_to_the_solver(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}
    real = solver.solve

    def spy(*args, **kw):
        seen.update(kw)
        return real(*args, **kw)

    monkeypatch.setattr(solver, "solve", spy)
    assert main(["solve", "byzantine-1999", "--solver-budget", "17", "--json"]) == 0
    assert seen["budget_seconds"] == 17
    json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "ten", "", "١٠"])
def test_bad_budget_is_one_line_exit_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "nvidia-1998", "--solver-budget", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--solver-budget" in err


VERDICTS = """
import json, sys
sys.path.insert(0, {tests!r})
from charter_oracle import solver
from charter_oracle.solver.generated import generated
from charter_oracle.solver.model import WaterfallModel
from charter_oracle.solver.proofs import prove_all
from _solver_cases import bundled
if sys.argv[1] == "after-other-work":
    solver.solve(*bundled("infinity-1996"), searches=False)
    prove_all(WaterfallModel.of(*generated(6)), generated(6)[1])
charter, table = generated(15)
proofs = prove_all(WaterfallModel.of(charter, table), table)
print(json.dumps({{p.invariant: [p.verdict, p.reason] for p in proofs}}, sort_keys=True))
"""


def test_verdicts_do_not_depend_on_what_ran_before_in_the_process(tmp_path) -> None:
    """The case of issue 14: 15 generated series, whose conservation was unknown in a fresh process
    and proved after another solve had run first (z3's state was shared between queries)."""
    from pathlib import Path

    script = tmp_path / "verdicts.py"
    script.write_text(VERDICTS.format(tests=str(Path(__file__).parent)))
    running = [subprocess.Popen([sys.executable, str(script), mode], stdout=subprocess.PIPE, text=True)
               for mode in ("fresh", "after-other-work")]
    runs = [process.communicate()[0] for process in running]
    assert [process.returncode for process in running] == [0, 0]
    assert runs[0] == runs[1]
    assert {verdict for verdict, _ in json.loads(runs[0]).values()} == {"proved"}
