"""Running the command line in-process for the report tests: its status, stdout and stderr."""

from __future__ import annotations

import pytest

from charter_oracle.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``charter-oracle ARGV...`` as a user runs it (``main`` never raises SystemExit; argparse's own exits
    are caught anyway, so a regression there shows as a status, not a crashed test)."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err
