"""The small nvidia-1998 cap table the ledger tests compute by hand, shared by their files.

common 1,000,000; Series A 1,000,000 (at 0.50/0.50: 1,000,000 as converted); Series C 150,000;
Series D 100,000 (5.26/5.26); options 250,000 at $0.25. N = 2,500,000. Each holder holds one series.
"""

from __future__ import annotations

from charter_oracle.oracle.cap_table import CapTable, build_cap_table
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.charter_file import load_charter

NV = load_charter("nvidia-1998")


def nv_table(charter: Charter = NV, holdings: list[dict] | None = None) -> CapTable:
    return build_cap_table({
        "as_of": "1998-03-01",
        "holdings": holdings or [
            {"holder": "F", "class": "common", "shares": 1_000_000},
            {"holder": "A", "class": "series_a", "shares": 1_000_000},
            {"holder": "C", "class": "series_c", "shares": 150_000},
            {"holder": "D", "class": "series_d", "shares": 100_000},
        ],
        "options": [{"holder": "Pool", "shares": 250_000, "exercise_price": "0.25"}],
    }, charter, "test")
