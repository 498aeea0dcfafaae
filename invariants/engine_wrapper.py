"""A catalogue engine served over the subprocess protocol: what an engine in another language looks like.

    python -m charter_oracle.invariants.engine_wrapper ENGINE_ID

serves one engine of ``buggy_engines`` (``correct``, ``correct-cents`` or a ``CATALOGUE`` id)
over docs/engine-protocol.md: it reads the charter and cap table from each request's JSON
form, calls the engine, and answers with what the engine returned, as a naive port would:
exact values as strings, and a float as a JSON number (which the protocol refuses). The
tests check every buggy engine through it (tests/invariants/test_engine_process.py).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

from charter_oracle.invariants import buggy_engines as bugs
from charter_oracle.invariants.engine_json import cap_table_from_json, charter_from_json
from charter_oracle.oracle.charter import Charter
from charter_oracle.oracle.exact import format_exact

ENGINES: dict[str, Any] = {"correct": bugs.CORRECT, "correct-cents": bugs.CORRECT_CENTS,
                           **{entry.id: entry.engine for entry in bugs.CATALOGUE}}


def _wire(value: Any) -> Any:
    """A returned value as a naive port writes it: exact types as strings, a float as a JSON number."""
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return format_exact(value)
    if isinstance(value, Decimal):
        return str(value)
    return value  # str as is; a float stays a float, and json.dumps writes a number


def serve(engine: Any, lines: Any, out: Any) -> None:
    charters: dict[str, Charter] = {}  # by JSON text: one reading per charter, not per request
    for line in lines:
        request = json.loads(line)
        key = json.dumps(request["charter"], sort_keys=True)
        if key not in charters:
            charters[key] = charter_from_json(request["charter"])
        charter = charters[key]
        table = cap_table_from_json(request["cap_table"], charter)
        if request["op"] == "distribute":
            got = engine.distribute_loaded(charter, table, Fraction(request["proceeds"]))
        else:
            got = engine.votes_loaded(charter, table)
        out.write(json.dumps({"holders": {h: _wire(v) for h, v in got.items()}}) + "\n")
        out.flush()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ENGINES:
        print(f"usage: python -m charter_oracle.invariants.engine_wrapper {{{','.join(ENGINES)}}}", file=sys.stderr)
        raise SystemExit(2)
    serve(ENGINES[sys.argv[1]], sys.stdin, sys.stdout)
