"""oracle.strict_table: the charter-free TOML reader -- typed reads, refused floats, unknown keys refused on close."""

from __future__ import annotations

from fractions import Fraction

import pytest

from charter_oracle.oracle.errors import CharterFormatError
from charter_oracle.oracle.strict_table import StrictTable


def table(data: dict, cited: bool = False) -> StrictTable:
    return StrictTable(data, "charter.x", "f.toml", cited=cited)


def test_an_exact_number_from_a_decimal_string():
    assert table({"price": "1.35"}).exact("price") == Fraction(135, 100)  # 1.35 = 135/100 exactly


def test_a_float_is_refused_naming_file_key_and_value():
    with pytest.raises(CharterFormatError) as info:
        table({"price": 1.35}).exact("price")
    message = str(info.value)
    assert message.startswith("f.toml: charter.x.price") and "1.35" in message and "\n" not in message


def test_a_key_nobody_read_is_refused_on_close_with_the_nearest_name():
    t = table({"price": "1", "prise": "2"})
    t.exact("price")
    with pytest.raises(CharterFormatError, match=r"charter\.x\.prise: unknown key \(value '2'\)"):
        t.close()


def test_keys_marked_read_elsewhere_are_not_refused():
    t = table({"format": 1})
    t.mark_read("format")
    t.close()  # nothing raised: format was read before interpretations were bound


def test_a_fixed_boolean_accepts_its_value_or_absence_and_refuses_the_other():
    table({"k": True}).fixed_boolean("k", True)
    table({}).fixed_boolean("k", True)
    with pytest.raises(CharterFormatError, match=r"charter\.x\.k: false is not supported"):
        table({"k": False}).fixed_boolean("k", True)


def test_a_missing_cite_is_refused_when_the_table_is_cited():
    with pytest.raises(CharterFormatError, match=r"charter\.x\.cite: missing"):
        table({}, cited=True)
