"""A derandomized run draws the same examples whatever modules the process has imported (example_constants.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from charter_oracle.invariants.example_constants import pinned_constants
from charter_oracle.invariants.profiles import profile_settings

_DRAWN: list[int] = []
_LITERALS = "\n".join(f"VALUE_{i} = {123_457 + 7_919 * i}" for i in range(60))  # 60 new integer literals


@settings(profile_settings("ci"), max_examples=200)
@given(st.integers(0, 10**6))
def _draw(value: int) -> None:
    _DRAWN.append(value)


def _run(pinned: bool) -> list[int]:
    _DRAWN.clear()
    if pinned:
        with pinned_constants():
            _draw()
    else:
        _draw()
    return list(_DRAWN)


def _import_literals(tmp_path: Path, name: str) -> None:
    """A module of the user's (a file outside site-packages is 'local' to Hypothesis), imported mid-process."""
    path = tmp_path / f"{name}.py"
    path.write_text(_LITERALS + "\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


def test_importing_a_module_does_not_change_pinned_examples(tmp_path: Path) -> None:
    before_pinned, before_free = _run(pinned=True), _run(pinned=False)
    _import_literals(tmp_path, "charter_oracle_test_literals_module")
    try:
        after_pinned, after_free = _run(pinned=True), _run(pinned=False)
    finally:
        del sys.modules["charter_oracle_test_literals_module"]
    assert after_pinned == before_pinned  # what the suite relies on
    # Without the pin the same run draws the imported literals: the test above could fail.
    literals = {123_457 + 7_919 * i for i in range(60)}
    assert after_free != before_free and literals & set(after_free)
    assert not literals & set(after_pinned)
