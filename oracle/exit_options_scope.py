"""Where ``all.options-in-exit = cash-exercise`` is answered, and where it is refused (one line, exit 2).

``waterfall`` (and the API's ``waterfall``) exercise in-the-money options and warrants
(``oracle/exercise_in_exit.py``). The solver's model, the sweep's interpolation and the invariant suite
do not model the exercise yet: rather than answer for the stock alone under a reading that says
otherwise, they refuse it. ``check`` still tests the reading: its ``options-in-exit`` invariant runs
every charter under it.
"""

from __future__ import annotations

from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.errors import InputError


def refuse_cash_exercise(charter: Charter, command: str) -> None:
    if charter.interpretations_in_force.get("all.options-in-exit") == "cash-exercise":
        raise InputError(f"--interpret all.options-in-exit=cash-exercise: {command} does not model options and "
                         "warrants exercised in an exit yet (waterfall does; check's options-in-exit invariant tests it)")
