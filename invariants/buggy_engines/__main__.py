"""``python -m charter_oracle.invariants.buggy_engines [profile]``: the catch table, as Markdown."""

from __future__ import annotations

import sys

from charter_oracle.invariants.buggy_engines import catch_table

print(catch_table(sys.argv[1] if len(sys.argv) > 1 else "ci"))
