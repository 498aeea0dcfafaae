"""OCF class terms that disagree with the charter: data-consistency findings naming both values and the clause.

The waterfall follows the charter whatever the package says.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import charter_oracle as co
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.ocf import import_package
from charter_oracle.oracle.ocf.cross_check import cross_check
from ocf_fixtures import TWINS, changed, item, run

CLASSES = "StockClasses.ocf.json"


def _found(folder, charter_id: str, class_map: dict[str, str] | None = None) -> list[tuple[str, str, str, str, str]]:
    charter = load_charter(charter_id)
    return [(d.charter_class, d.term, d.ocf_value, d.charter_value, d.cite)
            for d in cross_check(import_package(folder, charter, class_map), charter)]


def test_preference_seniority_cap_price_votes_and_authorized(tmp_path) -> None:
    def disagree(items: list[dict[str, Any]]) -> None:
        b = item(items, "sc-example-modern-series-b")
        b["liquidation_preference_multiple"] = "2"  # the charter: 2.00 / 2.00 = 1x
        b["participation_cap_multiple"] = "2.5"  # the charter: a 6.00 cap with the preference, 3x of 2.00
        b["initial_shares_authorized"] = "2900000"  # the charter designates 3,000,000
        b["seniority"] = "9"  # OCF: B paid before C; the charter: C rank 1, B rank 2
        c = item(items, "sc-example-modern-series-c")
        c["price_per_share"] = {"amount": "4.50", "currency": "USD"}  # the charter: 4.00
        c["votes_per_share"] = "2"  # as converted at 4.00 / 4.00 = 1
    folder = changed(TWINS / "example-modern", tmp_path, CLASSES, disagree)
    found = _found(folder, "example-modern", {"sc-example-modern-series-a1": "series_a1"})
    assert ("series_b", "liquidation_preference_multiple", "2", "1 (preference 2 / issue price 2)",
            "IV.B.2(b): after Series C") in found
    assert ("series_b", "participation_cap_multiple", "2.5", "a cap of 3x (6 per share with the preference)",
            "IV.B.2(c): shares with common up to 3x including the preference") in found
    assert ("series_b", "shares authorized", "2,900,000", "3,000,000 designated", "IV.B.1") in found
    assert ("series_c", "price_per_share", "4.5", "original issue price 4", "IV.B.1") in found
    assert ("series_c", "votes_per_share", "2", "1 (as converted)", "IV.B.3") in found
    # Seniority: B (9) against C (4: rank 1 of three levels, above common's 1) and against.
    assert ("series_c", "seniority against series_b", "4 vs 9 (paid after series_b)",
            "rank 1 vs 2 (paid before series_b)", "IV.B.2(a): paid first") in found
    # Nothing else: B at 9 is still senior to A-1 and A-2 (at 2) as in the charter, so of the pairs
    # only C-B disagrees.
    assert len(found) == 6


def test_the_waterfall_follows_the_charter_not_the_package(tmp_path) -> None:
    folder = changed(TWINS / "nvidia-1998", tmp_path, CLASSES,
                     lambda items: item(items, "sc-nvidia-1998-series-a").update(liquidation_preference_multiple="3"))
    assert _found(folder, "nvidia-1998")[0][:4] == ("series_a", "liquidation_preference_multiple", "3",
                                                    "1 (preference 0.5 / issue price 0.5)")
    told = co.load("nvidia-1998", cap_table=folder).waterfall("10000000").to_json()
    assert told == co.load("nvidia-1998").waterfall("10000000").to_json()


def test_check_reports_each_disagreement_as_a_data_consistency_finding(capsys, tmp_path, monkeypatch) -> None:
    # The invariant suite and the payout drawing are not what this test is about (and take seconds):
    # no rows from the suite, no SVG (byzantine-1999 has no series, so no solver either).
    import charter_oracle.check_files as check_files
    from charter_oracle.invariants import registry

    monkeypatch.setattr(registry, "INVARIANTS", ())
    monkeypatch.setattr(check_files, "payout_curve_svg", lambda *args, **kwargs: "<svg/>")
    folder = changed(TWINS / "byzantine-1999", tmp_path, CLASSES,
                     lambda items: item(items, "sc-byzantine-1999-common").update(initial_shares_authorized="9000000"))
    out = tmp_path / "reports"
    status, stdout, err = run(capsys, "check", "byzantine-1999", "--cap-table", str(folder), "--out", str(out))
    assert status == 1, err
    assert "check: FAILED byzantine-1999: data-consistency (new finding)" in stdout
    rows = json.loads((out / "byzantine-1999.json").read_text(encoding="utf-8"))["invariants"]
    assert [(r["id"], r["verdict"], r["clauses"]) for r in rows] == [("data-consistency", "finding", "VI")]
    assert "OCF shares authorized is 9,000,000, the charter says 10,000,000" in rows[0]["detail"]
    assert "data consistency" in (out / "byzantine-1999.md").read_text(encoding="utf-8")
    # The twin as written agrees with the charter: no row at all.
    status, stdout, err = run(capsys, "check", "byzantine-1999", "--cap-table", str(TWINS / "byzantine-1999"),
                              "--out", str(tmp_path / "ok"))
    assert status == 0, stdout + err
    assert json.loads((tmp_path / "ok" / "byzantine-1999.json").read_text(encoding="utf-8"))["invariants"] == []


@pytest.mark.parametrize("field,value", [("seniority", "1.5"), ("votes_per_share", "1")])
def test_agreeing_values_written_differently_are_not_findings(tmp_path, field: str, value: str) -> None:
    # Seniority 1.5 for common still ranks it below every series (none compared with common); votes "1" as before.
    folder = changed(TWINS / "nvidia-1998", tmp_path, CLASSES,
                     lambda items: item(items, "sc-nvidia-1998-common").update({field: value}))
    assert _found(folder, "nvidia-1998") == []
