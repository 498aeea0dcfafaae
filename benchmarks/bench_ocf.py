"""OCF import benchmark: prints numbers, asserts nothing (speed is measured, not tested).

A generated package for nvidia-1998 with N stakeholders (default 10,000; target < 2 s to import):
each holds common from an issuance, one in four also a Series A-D tranche, one in two an option
grant; one in ten common positions is partly transferred (the rest as a balance security) and
one in five option grants partly cancelled. The import is timed end to end, as every command runs
it: read the manifest and files, verify md5s, parse, replay, map, validate the cap table; once
from the directory and once from a ``.ocf.zip`` of it.

Run: python benchmarks/bench_ocf.py [--stakeholders N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter_oracle.oracle.charter_file import load_charter  # noqa: E402
from charter_oracle.oracle.ocf import load_ocf_cap_table  # noqa: E402

SERIES = ("series_a", "series_b", "series_c", "series_d")


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "USD"}


def generate(folder: Path, stakeholders: int) -> dict[str, int]:
    classes = [{"object_type": "STOCK_CLASS", "id": "cs", "name": "Common Stock", "class_type": "COMMON",
                "initial_shares_authorized": "200000000", "votes_per_share": "1", "seniority": "1"}]
    classes += [{"object_type": "STOCK_CLASS", "id": s, "name": f"Series {s[-1].upper()} Preferred",
                 "class_type": "PREFERRED", "seniority": "2"} for s in SERIES]
    people = [{"object_type": "STAKEHOLDER", "id": f"sh-{i}", "name": {"legal_name": f"Holder {i:05d}"},
               "stakeholder_type": "INDIVIDUAL"} for i in range(stakeholders)]
    txs: list[dict[str, Any]] = []
    for i in range(stakeholders):
        txs.append({"object_type": "TX_STOCK_ISSUANCE", "id": f"t-c{i}", "date": "1996-01-02", "security_id": f"c{i}",
                    "stakeholder_id": f"sh-{i}", "stock_class_id": "cs", "share_price": _money("0.01"),
                    "quantity": "1000", "security_law_exemptions": [], "stock_legend_ids": []})
        if i % 4 == 0:
            txs.append({"object_type": "TX_STOCK_ISSUANCE", "id": f"t-p{i}", "date": "1997-03-01",
                        "security_id": f"p{i}", "stakeholder_id": f"sh-{i}", "stock_class_id": SERIES[i // 4 % 4],
                        "share_price": _money("1.80"), "quantity": "100", "security_law_exemptions": []})
        if i % 2 == 0:
            txs.append({"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": f"t-o{i}", "date": "1997-06-01",
                        "security_id": f"o{i}", "stakeholder_id": f"sh-{i}", "compensation_type": "OPTION_NSO",
                        "quantity": "50", "exercise_price": _money("0.25"), "expiration_date": None,
                        "termination_exercise_windows": []})
        if i % 10 == 0:
            j = (i + 1) % stakeholders
            txs.append({"object_type": "TX_STOCK_TRANSFER", "id": f"t-tr{i}", "date": "1998-01-05",
                        "security_id": f"c{i}", "quantity": "400", "resulting_security_ids": [f"x{i}"],
                        "balance_security_id": f"b{i}"})
            for sid, holder, n in ((f"x{i}", j, 400), (f"b{i}", i, 600)):
                txs.append({"object_type": "TX_STOCK_ISSUANCE", "id": f"t-{sid}", "date": "1998-01-05",
                            "security_id": sid, "stakeholder_id": f"sh-{holder}", "stock_class_id": "cs",
                            "share_price": _money("0.50"), "quantity": str(n), "security_law_exemptions": []})
        if i % 10 == 2:
            txs.append({"object_type": "TX_EQUITY_COMPENSATION_CANCELLATION", "id": f"t-k{i}", "date": "1998-02-01",
                        "security_id": f"o{i}", "quantity": "20", "reason_text": "forfeited"})
    files = {"StockClasses.ocf.json": ("OCF_STOCK_CLASSES_FILE", classes),
             "Stakeholders.ocf.json": ("OCF_STAKEHOLDERS_FILE", people),
             "Transactions.ocf.json": ("OCF_TRANSACTIONS_FILE", txs)}
    md5, sizes = {}, {}
    for name, (file_type, items) in files.items():
        data = json.dumps({"file_type": file_type, "items": items}, indent=2).encode()
        (folder / name).write_bytes(data)
        md5[name], sizes[name] = hashlib.md5(data).hexdigest(), len(data)
    manifest = {"ocf_version": "1.2.0", "file_type": "OCF_MANIFEST_FILE", "as_of": "1998-06-30",
                "issuer": {"object_type": "ISSUER", "id": "i", "legal_name": "Bench Corp"},
                "stock_classes_files": [{"filepath": "StockClasses.ocf.json", "md5": md5["StockClasses.ocf.json"]}],
                "stakeholders_files": [{"filepath": "Stakeholders.ocf.json", "md5": md5["Stakeholders.ocf.json"]}],
                "transactions_files": [{"filepath": "Transactions.ocf.json", "md5": md5["Transactions.ocf.json"]}]}
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest, indent=2))
    return {"transactions": len(txs), **sizes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stakeholders", type=int, default=10_000)
    args = parser.parse_args()
    charter = load_charter("nvidia-1998")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "bench"
        folder.mkdir()
        facts = generate(folder, args.stakeholders)
        archive = Path(work) / "bench.ocf.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(folder.iterdir()):
                z.write(path, path.name)
        print(f"package: {args.stakeholders:,} stakeholders, {facts['transactions']:,} transactions, "
              f"Transactions.ocf.json {facts['Transactions.ocf.json'] / 1e6:.1f} MB, zip {archive.stat().st_size / 1e6:.1f} MB")
        for label, path in (("directory", folder), ("zip", archive)):
            walls, cpus = [], []
            for _ in range(3):
                start, cpu = time.perf_counter(), time.process_time()
                table = load_ocf_cap_table(path, charter)
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            # CPU time too: on a machine shared with other work, wall time says more about the neighbours.
            print(f"import from {label}: {min(walls):.2f} s wall, {min(cpus):.2f} s CPU (best of 3; target < 2 s): "
                  f"{len(table.holders):,} holders, {len(table.holdings):,} holdings, {len(table.options):,} option rows")


if __name__ == "__main__":
    main()
