"""The pytest plugin takes an OCF package as --charter-cap-table, with --charter-class-map (one run, in-process:
``pytest.main`` loads the plugin from its entry point as a user's run does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocf_fixtures import TWINS


def test_the_plugin_runs_the_suite_on_an_ocf_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    status = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "--rootdir", str(tmp_path), "--charter", "example-modern",
                          "--charter-cap-table", str(TWINS / "example-modern"),
                          "--charter-class-map", "sc-example-modern-series-a1=series_a1",
                          "-k", "conservation or vote-rounding"])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert "2 passed" in out
