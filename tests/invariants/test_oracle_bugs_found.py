"""Oracle bugs the invariant suite found, kept as regression tests now that they are fixed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction


from charter_oracle.oracle import bundled
from charter_oracle.oracle.adjustments import Event, run_ledger
from charter_oracle.oracle.cap_table import Holding, load_cap_table
from charter_oracle.oracle.charter_file import load_charter


def test_five_successive_financings_on_exact_prices() -> None:
    charter = load_charter("nvidia-1998")
    table = load_cap_table(bundled.reference_cap_table("nvidia-1998"), charter)
    for i in range(6):
        event = Event("issue", dt.date(1999, 1, 1), shares=1_000_003 + i, price=Fraction(7, 100))
        state = run_ledger(charter, table, [event]).states[-1]
        table = dataclasses.replace(table, holdings=table.holdings + (Holding("New", "common", event.shares),),
                                    conversion_prices=tuple(sorted(state.conversion_prices.items())))
