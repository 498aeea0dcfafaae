"""The command line of the issue-10 additions: new JSON fields, and bad input as one line, exit 2."""

from __future__ import annotations

from fractions import Fraction as F

from test_cli import bad, run_json


def test_dividend_kind_and_paid_this_year_on_the_command_line(capsys):
    # nvidia reference cap table; a like distribution in other securities goes to every class as converted.
    out = run_json(capsys, "dividend", "nvidia-1998", "--amount", "1000", "--kind", "other-securities")
    assert out["kind"] == "other-securities" and sum(F(v) for v in out["classes"].values()) == 1000
    out = run_json(capsys, "dividend", "nvidia-1998", "--amount", "1000", "--paid-this-year", "series_a=0.04")
    assert out["kind"] == "cash" and out["classes"]["series_a"] == "0"  # A already had its full $0.04
    bad(capsys, "dividend", "nvidia-1998", "--amount", "1", "--kind", "property", needle="no rule")
    bad(capsys, "dividend", "nvidia-1998", "--amount", "1", "--kind", "stock", needle="not one of")
    bad(capsys, "dividend", "nvidia-1998", "--amount", "1", "--paid-this-year", "series_a", needle="SERIES=AMOUNT")
    bad(capsys, "dividend", "nvidia-1998", "--amount", "1", "--paid-this-year", "series_a=0.1.2", needle="paid-this-year")


def test_convert_json_has_the_dividends_paid_and_the_authorized_preferred(capsys):
    out = run_json(capsys, "convert", "infinity-1996", "--holder", "Crest Capital", "--fair-market-value", "1")
    # Crest Capital's 500,000 C leave the authorized preferred: 6,541,667 - 500,000 = 6,041,667.
    assert out["declared_dividends_paid"] == "0" and out["authorized_preferred_after"] == 6_041_667


def test_comply_corporate_sale_without_transaction_is_one_line(tmp_path, capsys):
    action = tmp_path / "a.toml"
    action.write_text('action = "corporate-sale"\n')
    bad(capsys, "comply", "infinity-1996", "--action", str(action), needle="give transaction")
