"""The Python API: the same answers and JSON as the command line, floats refused, a small public surface."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path

import pytest

import charter_oracle as co
from charter_oracle.cli import main
from charter_oracle.oracle import bundled

ROOT = Path(__file__).resolve().parents[2]
EVENTS = """\
[[events]]
kind = "issue"
date = "1998-06-01"
shares = 1000000
price = "0.20"

[[events]]
kind = "split"
date = "1998-07-01"
ratio = 2
"""


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_to_json_is_the_command_lines_json(charter_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    c = co.load(charter_id)
    assert c.waterfall("25000000").to_json() == cli_json(capsys, "waterfall", charter_id, "--proceeds", "25000000")
    assert c.votes().to_json() == cli_json(capsys, "votes", charter_id)
    assert c.dividend(Decimal("1000.50")).to_json() == cli_json(capsys, "dividend", charter_id, "--amount", "1000.50")
    holder = next((h.holder for h in c.table.holdings if h.class_id != c.charter.common.id), None)
    if holder is not None:  # byzantine-1999's reference cap table holds common only: nothing to convert
        assert c.convert(holder, "2.5").to_json() == cli_json(capsys, "convert", charter_id, "--holder", holder,
                                                             "--fair-market-value", "2.5")
    assert c.sweep(points=[0, "1000000"]).to_json() == cli_json(capsys, "sweep", charter_id, "--points", "0,1000000")


def test_adjust_comply_and_value_from_files_or_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = co.load("nvidia-1998")
    events = tmp_path / "events.toml"
    events.write_text(EVENTS)
    from_file = c.adjust(events)
    assert from_file.to_json() == cli_json(capsys, "adjust", "nvidia-1998", "--events", str(events))
    data = {"events": [{"kind": "issue", "date": "1998-06-01", "shares": 1000000, "price": "0.20"},
                       {"kind": "split", "date": "1998-07-01", "ratio": 2}]}
    assert c.adjust(data).to_json() == from_file.to_json()

    action = tmp_path / "action.toml"
    action.write_text('action = "merger"\ntransaction = "merger"\n')
    assert c.comply(action).to_json() == cli_json(capsys, "comply", "nvidia-1998", "--action", str(action))

    closes = tmp_path / "closes.toml"
    start = dt.date(1996, 1, 20)
    rows = [(start + dt.timedelta(days=i), F(10 + i)) for i in range(51)]
    closes.write_text("".join(f'[[closes]]\ndate = "{d.isoformat()}"\nprice = "{p}"\n\n' for d, p in rows))
    infinity = co.load("infinity-1996")
    value = infinity.value(closes, "1996-03-04")
    assert value.to_json() == cli_json(capsys, "value", "infinity-1996", "--closes", str(closes),
                                       "--distribution-date", "1996-03-04")
    # closes as data give the same answer: 30 calendar days 02-01..03-01 at 22..51 average 36.5 (73/2)
    assert infinity.value([(d, p) for d, p in rows], dt.date(1996, 3, 4)).value == F(73, 2) == value.value


@pytest.mark.parametrize("call", [
    lambda c: c.waterfall(0.1), lambda c: c.dividend(1000.0), lambda c: c.convert("Lead Ventures", 1.5),
    lambda c: c.sweep(points=[1.0]), lambda c: c.sweep(start=0, stop=10.0, step=1),
])
def test_a_float_is_refused_naming_the_argument(call) -> None:
    with pytest.raises(TypeError, match=r"(proceeds|amount|fair_market_value|points\[0\]|stop): got the float"):
        call(co.load("nvidia-1998"))


def test_money_in_every_exact_form_gives_the_same_answer() -> None:
    c = co.load("nvidia-1998")
    answers = {c.waterfall(v).holders["Growth Fund"] for v in (25_000_000, "25000000", Decimal("25000000.00"),
                                                                F(50_000_000, 2))}
    assert len(answers) == 1


def test_results_are_frozen_and_read_in_decimals() -> None:
    w = co.load("nvidia-1998").waterfall("25000000")
    with pytest.raises(AttributeError):
        w.proceeds = F(1)  # type: ignore[misc]
    assert "Fraction(" not in repr(w) and "$25,000,000.00" in repr(w)


def test_the_public_surface_is_what_all_says() -> None:
    assert sorted(dir(co)) == sorted(co.__all__)
    for name in co.__all__:
        assert getattr(co, name) is not None
    with pytest.raises(AttributeError):
        co.distribute  # noqa: B018  -- internal: reach it through charter_oracle.oracle, not the API
    from charter_oracle import api, strategies

    assert set(api.__all__) <= set(co.__all__) | {"exact_amount"}
    assert strategies.__all__ == ["cap_tables", "event_histories", "proceeds_for"]


def test_importing_the_package_loads_nothing_of_the_oracle() -> None:
    code = "import charter_oracle, sys; print(sorted(m for m in sys.modules if m.startswith('charter_oracle.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "[]"


def test_the_notebook_example_in_docs_runs() -> None:
    """Every ```python block of docs/api.md, in order, in one namespace, as a notebook would."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)  # noqa: S102 -- our own documentation
