"""The pytest plugin takes an OCF package as --charter-cap-table, with --charter-class-map (one subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ocf_fixtures import TWINS


def test_the_plugin_runs_the_suite_on_an_ocf_package(tmp_path: Path) -> None:
    env = dict(os.environ, CI="true")
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "--rootdir", str(tmp_path), "--charter", "example-modern",
                          "--charter-cap-table", str(TWINS / "example-modern"),
                          "--charter-class-map", "sc-example-modern-series-a1=series_a1",
                          "-k", "conservation or vote-rounding"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout
