"""The pytest plugin: a correct implementation passes, a wrong one fails with a replayable file.

Most runs are in-process (``pytest.main`` with the plugin's options, as a user's run would load it); the
properties that only a fresh interpreter shows run in subprocesses: Hypothesis's own ``ci`` profile,
loaded at import when ``CI`` is set, must not replace ours; an unrelated run imports nothing of ours.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple

import pytest

# Imported here, not first inside an in-process run: the run's modules then stay the ones every other test uses.
from charter_oracle.invariants import buggy_engines, impl_check, pytest_suite, suite  # noqa: F401

ADAPTERS = textwrap.dedent('''
    from fractions import Fraction
    from decimal import Decimal
    from charter_oracle.oracle.charter_file import load_charter
    from charter_oracle.oracle.cap_table import load_cap_table
    from charter_oracle.oracle.liquidation import distribute as _distribute
    from charter_oracle.oracle.voting import count_votes

    class Correct:
        """An adapter around the oracle itself, answering in Decimal-free strings: must never fail."""
        @staticmethod
        def distribute(charter, cap_table, proceeds):
            ch = load_charter(charter)
            return {h: str(a) for h, a in _distribute(ch, load_cap_table(cap_table, ch), proceeds).holders}
        @staticmethod
        def votes(charter, cap_table):
            ch = load_charter(charter)
            return {v.holder: v.total for v in count_votes(ch, load_cap_table(cap_table, ch)).holders}

    class ProRataPerShare:
        """A deliberately wrong implementation: everyone shares per share, preferences ignored."""
        @staticmethod
        def distribute(charter, cap_table, proceeds):
            ch = load_charter(charter)
            t = load_cap_table(cap_table, ch)
            total = sum(h.shares for h in t.holdings)
            out = {}
            for h in t.holdings:
                out[h.holder] = out.get(h.holder, Fraction(0)) + proceeds * h.shares / total
            return out

    class VotesPerSeries(Correct):
        """Wrong votes: rounds each series separately (and half even)."""
        @staticmethod
        def votes(charter, cap_table):
            ch = load_charter(charter)
            t = load_cap_table(cap_table, ch)
            out = {}
            for h in t.holdings:
                if h.class_id == ch.common.id:
                    v = h.shares
                else:
                    s = ch.series_by_id(h.class_id)
                    v = round(h.shares * s.conversion.value / t.conversion_price(ch, s.id))
                out[h.holder] = out.get(h.holder, 0) + v
            return out
''')


def _subprocess(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``pytest ARGS`` in a fresh interpreter, as a user runs it (with ``CI`` set)."""
    (tmp_path / "adapters.py").write_text(ADAPTERS)
    env = dict(os.environ, PYTHONPATH=str(tmp_path), CI="true")  # CI set: our profile must still rule
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "--rootdir", str(tmp_path), *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def inprocess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``pytest ARGS`` in this process (``pytest.main``: the plugin loaded from its entry point, a session of
    its own), from ``tmp_path`` with ``adapters.py`` importable: the same run as ``_subprocess`` without
    starting an interpreter."""
    (tmp_path / "adapters.py").write_text(ADAPTERS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))

    def run(*args: str) -> Ran:
        sys.modules.pop("adapters", None)  # each test's own file
        try:
            status = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--rootdir", str(tmp_path), *args])
        finally:
            sys.modules.pop("adapters", None)
        out, err = capsys.readouterr()
        return Ran(int(status), out, err)
    return run


def test_correct_implementation_passes(tmp_path: Path, inprocess) -> None:  # type: ignore[no-untyped-def]
    out = _subprocess(tmp_path, "--charter", "nvidia-1998", "--charter-impl", "adapters:Correct")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout
    out = inprocess("--charter", "infinity-1996", "--charter-impl", "adapters:Correct")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


def test_wrong_implementation_fails_with_a_replayable_cap_table(tmp_path: Path, inprocess) -> None:  # type: ignore[no-untyped-def]
    where = tmp_path / "cex"
    out = inprocess("--charter", "nvidia-1998", "--charter-impl", "adapters:ProRataPerShare",
                  "--charter-counterexample-dir", str(where))
    assert out.returncode == 1, out.stdout
    files = list(where.glob("counterexample-nvidia-1998-distribute.toml"))
    assert files, out.stdout
    # The file is a cap table the oracle loads.
    from charter_oracle.oracle.cap_table import load_cap_table
    from charter_oracle.oracle.charter_file import load_charter
    table = load_cap_table(files[0], load_charter("nvidia-1998"))
    assert table.holdings
    assert "charter-oracle waterfall nvidia-1998 --cap-table" in out.stdout


def test_cents_rounding_option_lets_a_correct_cents_engine_pass(inprocess) -> None:  # type: ignore[no-untyped-def]
    """Through the real plugin: the cents rule is wired to --charter-impl-rounding (exact is the default)."""
    spec = "charter_oracle.invariants.buggy_engines:CORRECT_CENTS"
    out = inprocess("--charter", "nvidia-1998", "--charter-impl", spec, "--charter-impl-rounding", "cents")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


def test_wrong_votes_fail(inprocess) -> None:  # type: ignore[no-untyped-def]
    out = inprocess("--charter", "infinity-1996", "--charter-impl", "adapters:VotesPerSeries")
    assert out.returncode == 1, out.stdout
    assert "votes differ from the oracle" in out.stdout


def test_charter_suite_reports_findings_and_skips(inprocess) -> None:  # type: ignore[no-untyped-def]
    # Two invariants per charter, not all of them (the whole suite on each is check's job, tested in
    # tests/invariants/test_suite_bundled.py): a skip with its reason, a required finding failing by name,
    # another one listed in the findings section.
    out = inprocess("--charter", "byzantine-1999", "-rs", "-k", "preference-priority or conservation")
    assert out.returncode == 0, out.stdout
    assert "no preferred series" in out.stdout
    out = inprocess("--charter", "infinity-1996", "--charter-require", "split-round-trip",
                  "-k", "split-round-trip or vote-tie-independence")
    assert out.returncode == 1
    assert "split-round-trip" in out.stdout and "findings" in out.stdout


def test_user_charter_file_by_path(tmp_path: Path, inprocess) -> None:  # type: ignore[no-untyped-def]
    from charter_oracle.oracle import bundled
    path = tmp_path / "mine.toml"
    path.write_text(bundled.charter_file("nvidia-1998").read_text().replace('id = "nvidia-1998"', 'id = "mine"', 1))
    cap = tmp_path / "mine.cap-table.toml"
    cap.write_text(bundled.reference_cap_table("nvidia-1998").read_text())
    out = inprocess("--charter", str(path), "--charter-cap-table", str(cap), "-k", "conservation or vote-rounding")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 passed" in out.stdout


@pytest.mark.parametrize("name", ["ci", "dev", "thorough"])
def test_profiles_set_every_setting(name: str) -> None:
    from charter_oracle.invariants.profiles import profile_settings
    s = profile_settings(name)
    assert s.deadline is None and s.print_blob is False and s.report_multiple_bugs is False
    if name == "ci":
        assert s.derandomize and s.database is None and s.max_examples == 50


UNRELATED = textwrap.dedent('''
    import sys

    def test_plugin_left_nothing_behind():
        loaded = sorted(m for m in sys.modules if m.startswith("charter_oracle") and m != "charter_oracle"
                        and m != "charter_oracle.invariants" and m != "charter_oracle.invariants.plugin")
        assert loaded == [], loaded
        from hypothesis import settings
        assert not [p for p in settings._profiles if p.startswith("charter-oracle")]
''')


def test_unrelated_pytest_run_gets_nothing_from_the_plugin(tmp_path: Path) -> None:
    """Installed, the plugin loads in every pytest run: without --charter it must import and register nothing."""
    (tmp_path / "test_unrelated.py").write_text(UNRELATED)
    out = _subprocess(tmp_path, "test_unrelated.py")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout
    help_text = _subprocess(tmp_path, "--help").stdout
    for option in ("--charter-impl", "--charter-cap-table", "--charter-profile", "--charter-require",
                   "--charter-impl-rounding"):
        assert option in help_text
    assert "--impl " not in help_text and "--oracle-profile" not in help_text


def test_old_unprefixed_option_is_refused(inprocess) -> None:  # type: ignore[no-untyped-def]
    """--impl and --cap-table are too generic to own: they are not ours any more."""
    out = inprocess("--charter", "nvidia-1998", "--impl", "adapters:Correct")
    assert out.returncode != 0
    assert "unrecognized arguments: --impl" in out.stderr


def test_user_corpus_charter_without_some_dividend_tables(inprocess) -> None:  # type: ignore[no-untyped-def]
    """A user's charter where only one series has a dividend preference (this used to crash every invariant run)."""
    corpus = Path(__file__).parent.parent / "user_charters"
    out = inprocess("--charter", str(corpus / "dividend-one-series.toml"),
                  "--charter-cap-table", str(corpus / "dividend-one-series.cap-table.toml"),
                  "--charter-profile", "ci", "-k", "dividend-priority or participation-cap", "-rs")
    assert out.returncode == 0, out.stdout + out.stderr
    # dividend priority runs (series_b has a dividend); participation is not applicable, with its reason
    assert "1 passed, 1 skipped" in out.stdout and "no series participates" in out.stdout
