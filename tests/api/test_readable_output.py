"""Text output people can read: decimals (exact p/q only beside a decimal), everything the JSON has,
no Python reprs or raw dicts in tables."""

from __future__ import annotations

import re
from fractions import Fraction as F
from pathlib import Path

import pytest

from charter_oracle.cli import main
from charter_oracle.readable import readable

REPR = re.compile(r"Fraction\(|\{'|\['|\(\('")  # a Python repr, a raw dict, a list or a tuple of pairs


def text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_readable_numbers() -> None:
    assert readable(F("0.5")) == "0.5"
    assert readable(F(1, 3)) == "~0.333333 (1/3)"
    assert readable(F(2, 3)) == "~0.666667 (2/3)"  # half up at the sixth place
    assert readable(7) == "7"


def test_adjust_shows_prices_as_decimals_and_the_reservation_shortfall(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    events = tmp_path / "e.toml"
    events.write_text('[[events]]\nkind = "issue"\ndate = "1998-06-01"\nshares = 1000000\nprice = "0.20"\n')
    out = text(capsys, "adjust", "nvidia-1998", "--events", str(events))
    assert "reservation shortfall" in out
    # series_a: (0.5 x 27,322,719 + 200,000) / 28,322,719 = 27722719/56645438 = 0.4894076...
    assert "~0.489408 (27722719/56645438)" in out
    assert not REPR.search(out)


def test_dividend_shows_the_per_holder_split(capsys: pytest.CaptureFixture[str]) -> None:
    out = text(capsys, "dividend", "nvidia-1998", "--amount", "1000")
    assert "holder" in out and "Growth Fund" in out and "undistributed" in out
    assert not REPR.search(out)


def test_convert_shows_a_table_not_raw_dicts(capsys: pytest.CaptureFixture[str]) -> None:
    out = text(capsys, "convert", "nvidia-1998", "--holder", "Lead Ventures")
    assert "3,000,000 series_a, 1,879,719 series_b" in out
    assert "series_a designated after retirement" in out
    assert not REPR.search(out)


def test_value_takes_the_common_cap_table_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    closes = tmp_path / "closes.toml"
    closes.write_text('[[closes]]\ndate = "1996-02-15"\nprice = "10"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text("as_of = 1\n")
    common = ["value", "infinity-1996", "--closes", str(closes), "--distribution-date", "1996-03-04"]
    assert main([*common, "--cap-table", str(bad)]) == 2  # a cap table given is checked, not ignored
    assert "bad.toml" in capsys.readouterr().err
    out = text(capsys, *common)
    assert "average close" in out and not REPR.search(out)
