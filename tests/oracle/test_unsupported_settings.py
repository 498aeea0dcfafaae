"""Every setting that is parsed is used, or refused (issue 9).

``common_after_full_preferred`` and ``voting.preferred_as_converted`` have one value the engines
implement (true: oracle/dividends.py pays common last; oracle/voting.py counts preferred as
converted). That value stays accepted, written or left out; the other is refused with one line
naming the key, and through the command line with exit status 2.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter_file import build_charter, read_toml
from charter_oracle.oracle.errors import CharterFormatError

FILE = "my-charter.toml"
SETTINGS = [("dividends", "common_after_full_preferred"), ("voting", "preferred_as_converted")]


def raw() -> dict:
    return copy.deepcopy(read_toml(bundled.charter_file("nvidia-1998"), "charter"))


@pytest.mark.parametrize(("table", "key"), SETTINGS)
def test_the_unimplemented_value_is_refused_naming_the_key(table, key):
    data = raw()
    data[table][key] = False
    with pytest.raises(CharterFormatError) as info:
        build_charter(data, FILE)
    message = str(info.value)
    assert "\n" not in message
    assert f"{FILE}: charter.{table}.{key}: false is not supported" in message, message


@pytest.mark.parametrize(("table", "key"), SETTINGS)
def test_the_implemented_value_is_accepted_written_or_left_out(table, key):
    written, left_out = raw(), raw()
    written[table][key] = True
    left_out[table].pop(key, None)
    assert build_charter(written, FILE) == build_charter(left_out, FILE)


def test_a_non_boolean_is_still_a_type_error():
    data = raw()
    data["dividends"]["common_after_full_preferred"] = "yes"
    with pytest.raises(CharterFormatError, match="expected true or false, got 'yes'"):
        build_charter(data, FILE)


def test_the_command_line_refuses_with_exit_2(tmp_path: Path, capsys):
    from charter_oracle.cli import main

    text = bundled.charter_file("nvidia-1998").read_text()
    assert text.count("common_after_full_preferred = true") == 1
    path = tmp_path / "charter.toml"
    path.write_text(text.replace("common_after_full_preferred = true", "common_after_full_preferred = false"))
    try:
        status = main(["votes", str(path)])
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "common_after_full_preferred: false is not supported" in lines[0], err
