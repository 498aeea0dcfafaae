"""Subprocess protocol benchmark: prints numbers, asserts nothing (speed is measured, not tested).

Per-request cost of checking an engine through ``engine_process.ProcessEngine`` on
example-modern's reference cap table (distribute at spread-out proceeds):

1. round trip with an engine that answers at once (reads the line, parses it, answers
   ``{"holders": {}}``): the protocol alone, i.e. writing the request (charter and cap
   table as JSON), the pipe both ways, and reading and checking the answer;
2. the example Python engine over the protocol;
3. the same engine's ``answer`` called in-process on the same requests (its own work);
   (2) - (3) is the protocol's overhead per request for that engine;
4. the request's size in bytes (the charter is sent with every request).

Run: python benchmarks/bench_protocol.py [REQUESTS]
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charter_oracle.invariants.engine_json import cap_table_to_json, charter_to_json  # noqa: E402
from charter_oracle.invariants.engine_process import ProcessEngine, request_line  # noqa: E402
from charter_oracle.oracle.exact import format_exact  # noqa: E402
from charter_oracle.oracle.loading import load_with_table  # noqa: E402

ECHO = "import json, sys\nfor line in sys.stdin:\n    json.loads(line)\n    print('{\"holders\": {}}', flush=True)\n"


def per_request(engine: ProcessEngine, charter: object, table: object, points: list[Fraction]) -> float:
    engine.distribute_loaded(charter, table, points[0])  # start the process outside the timing
    start = time.perf_counter()
    for p in points:
        engine.distribute_loaded(charter, table, p)
    return (time.perf_counter() - start) / len(points)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    charter, table = load_with_table("example-modern")
    points = [Fraction(250_000 * i) + Fraction(1, 100) for i in range(1, n + 1)]  # $0.25M steps, and a cent

    with tempfile.TemporaryDirectory() as work:
        echo = Path(work) / "echo.py"
        echo.write_text(ECHO, encoding="utf-8")
        with ProcessEngine(f"{sys.executable} {echo}") as engine:
            bare = per_request(engine, charter, table, points)
    with ProcessEngine(f"{sys.executable} {ROOT / 'examples' / 'python_engine.py'}") as engine:
        over = per_request(engine, charter, table, points)

    spec = importlib.util.spec_from_file_location("python_engine", ROOT / "examples" / "python_engine.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = json.dumps(charter_to_json(charter), separators=(",", ":"))
    lines = [request_line("distribute", i + 1, text, cap_table_to_json(table), format_exact(p))
             for i, p in enumerate(points)]
    start = time.perf_counter()
    for line in lines:
        module.answer(json.loads(line))
    inside = (time.perf_counter() - start) / len(lines)

    print(f"requests: {n} distribute on example-modern ({len(table.holders)} holders), request size "
          f"{len(lines[0].encode())} bytes")
    print(f"protocol round trip, engine answering at once: {bare * 1e6:8.0f} us per request")
    print(f"example Python engine over the protocol:       {over * 1e6:8.0f} us per request")
    print(f"example Python engine in-process (its work):   {inside * 1e6:8.0f} us per request")
    print(f"protocol overhead for that engine:             {(over - inside) * 1e6:8.0f} us per request")


if __name__ == "__main__":
    main()
