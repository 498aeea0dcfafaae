"""The bounded input reader: refusals come before parsing, so they are fast and need no int-digit lift."""

from __future__ import annotations

import sys
import time

import pytest

from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.input_files import MAX_INPUT_BYTES, read_input_bytes, read_toml_file


def test_huge_integer_is_one_line_with_pythons_default_digit_limit(tmp_path):
    # Python's default (4,300 digits) is back once the process-wide lift goes: the digit bound
    # must refuse a 3 MB literal before tomllib's int() could raise a bare ValueError.
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(4300)
    try:
        path = tmp_path / "big.toml"
        path.write_text("x = " + "7" * 3_000_000 + "\n")
        start = time.monotonic()
        with pytest.raises(InputError, match=r"line 1: a run of more than 200 digits"):
            read_toml_file(path, "charter")
        assert time.monotonic() - start < 2
    finally:
        sys.set_int_max_str_digits(previous)


def test_two_hundred_thousand_dotted_parts_are_refused_quickly(tmp_path):
    path = tmp_path / "dotted.toml"
    path.write_text("[" + ".".join(["a"] * 200_000) + "]\n")
    start = time.monotonic()
    with pytest.raises(InputError, match="more than 32 dotted key parts"):
        read_toml_file(path, "charter")
    assert time.monotonic() - start < 2  # the TOML parser alone takes minutes on it


def test_dots_and_digits_inside_strings_and_comments_are_fine(tmp_path):
    path = tmp_path / "ok.toml"
    # a name with dots and brackets, a comment with many dots, a 200-digit string: all acceptable
    path.write_text('name = "A.B.C. [Holdings] {x}"  # ' + "." * 100 + '\nn = "' + "9" * 200 + '"\n')
    assert read_toml_file(path, "charter") == {"name": "A.B.C. [Holdings] {x}", "n": "9" * 200}


def test_size_limit_checked_before_reading(tmp_path):
    path = tmp_path / "big.toml"
    with open(path, "wb") as handle:  # sparse: the size is known without writing 4 MiB
        handle.truncate(MAX_INPUT_BYTES + 1)
    with pytest.raises(InputError, match=f"{MAX_INPUT_BYTES + 1} bytes is over the {MAX_INPUT_BYTES}-byte limit"):
        read_input_bytes(path, "cap table")
    path.write_bytes(b"x" * MAX_INPUT_BYTES)  # exactly the limit is accepted
    assert len(read_input_bytes(path, "cap table")) == MAX_INPUT_BYTES
