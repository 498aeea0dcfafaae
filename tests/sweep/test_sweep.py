"""charter-oracle sweep: every row is the oracle's answer; formats, plots and bad input."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from fractions import Fraction as F
from pathlib import Path

import pytest

from charter_oracle import exit_sweep, payout_function
from charter_oracle.cli import main
from charter_oracle.exit_sweep import exit_points, sweep_exits
from charter_oracle.oracle import bundled
from charter_oracle.oracle.exact import format_exact, round_half_up
from charter_oracle.oracle.liquidation import distribute
from charter_oracle.oracle.loading import load_with_table
from charter_oracle.readable import decimal


def _oracle_rows(charter, table, result):
    for row in result.rows:
        got = dict(zip(result.keys, row.payouts))
        want = dict(distribute(charter, table, row.proceeds).holders)
        assert got == want, f"at {row.proceeds}"


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_every_row_is_the_oracles_answer(charter_id: str) -> None:
    """Interpolated rows (most of them) equal a direct oracle run at that exit value, knots included."""
    charter, table = load_with_table(charter_id)
    points = exit_points(F(0), F(60_000_000), F("600000.01"))  # 100 points: more than the payout function costs
    result = sweep_exits(charter, table, points, breakpoints=True)
    assert result.oracle_evaluations < len(result.rows)  # interpolation really happened
    _oracle_rows(charter, table, result)


def test_class_rows_from_the_payout_function_are_the_oracles() -> None:
    charter, table = load_with_table("example-modern")
    points = exit_points(F(0), F(40_000_000), F("333333.33"))  # 121 points: the payout function answers
    result = sweep_exits(charter, table, points, by="class")
    assert result.oracle_evaluations < len(points)
    for row in result.rows:
        assert tuple(zip(result.keys, row.payouts)) == distribute(charter, table, row.proceeds).classes


def test_a_few_points_go_to_the_oracle_directly() -> None:
    """Fewer points than the payout function's build costs (nvidia: 16 knots, 65 oracle runs): no function."""
    charter, table = load_with_table("nvidia-1998")
    points = exit_points(F(0), F(60_000_000), F(3_000_000))
    result = sweep_exits(charter, table, points)
    assert result.oracle_evaluations == len(points) == 21
    _oracle_rows(charter, table, result)


def test_a_missing_knot_is_caught_and_every_point_goes_to_the_oracle(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sweep without nvidia's first breakpoint (21,909,661.12: every preference paid, IV.D.2(A)) extends the
    lines before it past it: the payout function's verification sees the oracle off those lines, and every
    point is computed by the oracle rather than interpolated wrongly."""
    real = payout_function.sweep_of

    def missing_first_knot(charter, table):  # type: ignore[no-untyped-def]
        swept = real(charter, table)
        i = [p.at for p in swept.points].index(F("21909661.12"))
        return replace(swept, points=swept.points[:i] + swept.points[i + 1:],
                       regions=swept.regions[:i] + swept.regions[i + 1:])

    monkeypatch.setattr(payout_function, "sweep_of", missing_first_knot)
    charter, table = load_with_table("nvidia-1998")
    points = exit_points(F(0), F(60_000_000), F(500_000))
    result = sweep_exits(charter, table, points)
    _oracle_rows(charter, table, result)
    assert result.oracle_evaluations == len(points)


def test_whole_cent_payouts_are_never_interpolated() -> None:
    """all.payout-cents=cents is not piecewise linear: every point goes to the oracle."""
    charter, table = load_with_table("nvidia-1998", interpret={"all.payout-cents": "cents"})
    points = exit_points(F(0), F(1000), F("33.33"))
    result = sweep_exits(charter, table, points)
    assert result.oracle_evaluations == len(points)
    _oracle_rows(charter, table, result)


def test_total_preference_by_class_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    # nvidia reference: each series is paid exactly its preference at
    # 4,383,000 x 0.50 + 2,879,719 x 1.80 + 760,000 x 6.666667 + 1,800,000 x 5.26
    # = 2,191,500 + 5,183,494.2 + 5,066,666.92 + 9,468,000 = 21,909,661.12; common gets 0.
    assert main(["sweep", "nvidia-1998", "--points", "21909661.12", "--by", "class", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (row,) = data["rows"]
    assert row["payouts"] == {"common": "0", "series_a": "2191500", "series_b": "5183494.2",
                              "series_c": "5066666.92", "series_d": "9468000"}
    # per share: 2,191,500 / 4,383,000 = 0.5; percent: 9,468,000 / 21,909,661.12 x 100
    assert row["per_share"]["series_a"] == "0.5"
    assert F(row["percent"]["series_d"]) == F(9_468_000 * 100) / F("21909661.12")


def test_breakpoints_become_rows_with_their_clause(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "nvidia-1998", "--from", "0", "--to", "30000000", "--step", "10000000",
                 "--breakpoints", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("exit value,marks,")
    marked = [line for line in lines[1:] if line.split(",")[1]]
    assert any(line.startswith("21909661.12,") and "IV.D.2(A)" in line for line in marked)
    assert len(lines) == 1 + 4 + len(marked)  # 0, 10M, 20M, 30M and one row per knot in range


def test_xlsx_and_plots_are_files_with_the_same_bytes_every_time(tmp_path: Path) -> None:
    args = ["sweep", "example-modern", "--from", "0", "--to", "40000000", "--step", "5000000", "--breakpoints"]
    for run in ("a", "b"):
        assert main([*args, "--format", "xlsx", "--out", str(tmp_path / f"{run}.xlsx"),
                     "--plot", str(tmp_path / f"{run}.svg")]) == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert "<v>40000000</v>" in sheet and "exit value" in sheet
    assert main([*args, "--plot", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("argv, needle", [
    (["--from", "0", "--to", "10", "--step", "0"], "--step"),
    (["--from", "10", "--to", "0", "--step", "1"], "--to"),
    (["--from", "0", "--to", "10"], "--from"),
    (["--points", "1,2", "--from", "0"], "--points"),
    (["--points", "1,,2"], "--points"),
    (["--points", "-5"], "--points"),
    (["--points", "abc"], "--points"),
    (["--from", "0", "--to", "1000000", "--step", "1"], "at most"),
    (["--points", "1", "--format", "xlsx"], "--out"),
    (["--points", "1", "--plot", "picture.gif"], "--plot"),
    (["--points", "1", "--out", "/no/such/dir/x.csv"], "--out"),
])
def test_bad_input_is_one_line_exit_2(argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "nvidia-1998", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err, err


@pytest.mark.parametrize("value", [F(0), F(1, 3), F(2, 3), F(-7, 3), F("1234.5678905"), F("0.0000005"),
                                   F("0.0000004999"), F(10**12 + 1, 7), F(5)])
def test_decimal_is_round_half_up_to_six_places(value: F) -> None:
    """The fast integer formatter agrees with the oracle's named rounding helper and exact printer."""
    assert decimal(value) == format_exact(round_half_up(value, F(1, 10**6)))


@pytest.mark.parametrize("value", [F(0), F(1, 3), F(2, 3), F("0.005"), F("0.004999"), F("1234567.895"),
                                   F(10**9, 7), F(5), F("-0.004"), F("-12.345")])
def test_money_agrees_with_the_oracles_format_money(value: F) -> None:
    from charter_oracle.oracle.exact import format_money
    from charter_oracle.readable import money

    assert money(value) == format_money(value)
