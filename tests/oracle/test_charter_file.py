"""oracle.charter_file: every bundled charter loads; a bad charter file is one clear line.

Issue 2 section 1: "validated (unknown keys, missing cites, wrong types: a clear error naming the
file, key and value)".
"""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path

import pytest

from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter_file import build_charter, load_charter, read_toml
from charter_oracle.oracle.errors import CharterFormatError, InputError, InterpretationError
from charter_oracle.oracle.interpretations import GLOBAL_INTERPRETATIONS, parse_choices, resolve

FILE = "my-charter.toml"


def raw(charter_id: str) -> dict:
    return copy.deepcopy(read_toml(bundled.charter_file(charter_id), "charter"))


def refused(data: dict, *needles: str, error: type = CharterFormatError) -> str:
    """Build the charter, expect a one-line error naming the file and every needle."""
    with pytest.raises(error) as info:
        build_charter(data, FILE)
    message = str(info.value)
    assert "\n" not in message, message
    assert FILE in message, message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


# --- the bundled charters --------------------------------------------------------------------


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_every_bundled_charter_loads(charter_id):
    charter = load_charter(charter_id)
    assert charter.id == charter_id
    assert charter.common.id == "common"
    # every global interpretation is in force with its default
    chosen = charter.interpretations_in_force
    for spec in GLOBAL_INTERPRETATIONS:
        assert chosen[spec.id] == spec.default
    assert bundled.reference_cap_table(charter_id).exists()


def test_bundled_terms_match_the_texts():
    inf = load_charter("infinity-1996")
    # Art. IV preamble: common 25,000,000; preferred 6,541,667; A 500,000; C 1,041,667
    assert inf.common.authorized == 25_000_000
    assert inf.preferred_authorized == 6_541_667
    a, c = inf.series_by_id("series_a"), inf.series_by_id("series_c")
    assert (a.designated, c.designated) == (500_000, 1_041_667)
    # 3(a): $0.40 and $1.69, one rank (pari passu)
    assert (a.liquidation.preference, c.liquidation.preference) == (Fraction("0.40"), Fraction("1.69"))
    assert a.liquidation.rank == c.liquidation.rank
    # 3(b): Series A takes no part; Series C capped at min($1.69, 15% simple on $1.69, 365-day year)
    assert a.participation.kind == "none"
    p = c.participation
    assert (p.kind, p.cap_per_share, p.interest_rate, p.interest_principal, p.day_count) == (
        "capped", Fraction("1.69"), Fraction("0.15"), Fraction("1.69"), 365)
    assert p.cap_includes_preference is False

    nv = load_charter("nvidia-1998")
    # IV.C designations and IV.D.2(A) preferences, all pari passu, none participating
    expected = {"series_a": (4_383_000, "0.50"), "series_b": (2_879_719, "1.80"),
                "series_c": (760_000, "6.666667"), "series_d": (1_800_000, "5.26")}
    for s in nv.series:
        designated, pref = expected[s.id]
        assert s.designated == designated
        assert s.liquidation.preference == Fraction(pref)
        assert s.conversion.value == s.conversion.initial_price == Fraction(pref)
        assert s.participation.kind == "none"
    assert len({s.liquidation.rank for s in nv.series}) == 1
    # 3(G) names A, B and D only
    assert nv.series_by_id("series_c").dilution.method == "none"

    byz = load_charter("byzantine-1999")
    assert byz.series == () and byz.common.authorized == 10_000_000


def test_load_charter_by_path(tmp_path: Path):
    text = bundled.charter_file("byzantine-1999").read_text()
    path = tmp_path / "mine.toml"
    path.write_text(text)
    assert load_charter(str(path)).id == "byzantine-1999"


def test_load_charter_error_names_the_users_file(tmp_path: Path):
    text = bundled.charter_file("byzantine-1999").read_text()
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('par = "0.001"', "par = 0.001"))
    with pytest.raises(CharterFormatError) as info:
        load_charter(str(path))
    message = str(info.value)
    assert str(path) in message and "common.par" in message and "0.001" in message
    assert "\n" not in message


def test_missing_or_unknown_charter_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        load_charter(str(tmp_path / "nope.toml"))
    with pytest.raises(InputError, match="not a bundled charter"):
        load_charter("acme-2001")
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\n[common\n")
    with pytest.raises(InputError, match="not valid TOML"):
        load_charter(str(bad))


# --- validation: one line naming file, key and value --------------------------------------------


def test_unknown_key():
    data = raw("byzantine-1999")
    data["common"]["colour"] = "blue"
    refused(data, "common.colour", "unknown key", "blue")


def test_unknown_top_level_key():
    data = raw("nvidia-1998")
    data["preferred_stock"] = {"authorized": 1}
    refused(data, "preferred_stock", "unknown key")


def test_unknown_key_inside_a_series():
    data = raw("nvidia-1998")
    data["series"][1]["liquidation"]["multiplier"] = "2"
    refused(data, "series.series_b.liquidation.multiplier", "'2'")


def test_missing_cite():
    data = raw("byzantine-1999")
    del data["common"]["cite"]
    refused(data, "common.cite", "missing")


def test_missing_cite_in_a_series_term():
    data = raw("infinity-1996")
    del data["series"][1]["participation"]["cite"]
    refused(data, "series.series_c.participation.cite", "missing")


def test_float_for_a_price():
    data = raw("infinity-1996")
    data["series"][0]["liquidation"]["preference"] = 0.4
    refused(data, "series.series_a.liquidation.preference", "0.4", "float")


def test_float_for_a_conversion_price():
    data = raw("nvidia-1998")
    data["series"][2]["conversion"]["initial_price"] = 6.666667
    refused(data, "series.series_c.conversion.initial_price", "6.666667")


def test_string_for_shares():
    data = raw("byzantine-1999")
    data["common"]["authorized"] = "ten million"
    refused(data, "common.authorized", "ten million")


def test_fractional_designated_shares():
    data = raw("nvidia-1998")
    data["series"][0]["designated"] = "4383000.5"
    refused(data, "series.series_a.designated", "4383000.5")


def test_negative_preference():
    data = raw("nvidia-1998")
    data["series"][3]["liquidation"]["preference"] = "-5.26"
    refused(data, "series.series_d.liquidation.preference", "-5.26")


def test_absurd_exponent_for_a_price():
    data = raw("nvidia-1998")
    data["series"][3]["liquidation"]["preference"] = "1e999999999"
    refused(data, "series.series_d.liquidation.preference", "1e999999999")


def test_designated_exceeds_authorized_preferred():
    data = raw("infinity-1996")
    # A 500,000 + C 1,041,667 = 1,541,667 designated
    data["preferred"]["authorized"] = 1_541_666
    refused(data, "series", "1541667", "1541666")


def test_designated_equal_to_authorized_is_fine():
    data = raw("infinity-1996")
    data["preferred"]["authorized"] = 1_541_667
    assert build_charter(data, FILE).preferred_authorized == 1_541_667


def test_unknown_class_in_a_consent():
    data = raw("nvidia-1998")
    data["consents"][1]["classes"] = ["series_z"]
    refused(data, "consents.series-b-protective.classes", "series_z")


def test_unknown_class_in_automatic_conversion_consent():
    data = raw("infinity-1996")
    data["conversion"]["automatic_consent"]["classes"] = ["series_a", "series_b"]
    refused(data, "automatic_consent.classes", "series_b")


def test_bad_choice_value():
    data = raw("nvidia-1998")
    data["voting"]["tie"] = "coin-flip"
    refused(data, "voting.tie", "coin-flip")


def test_threshold_above_one():
    data = raw("nvidia-1998")
    data["consents"][0]["threshold"] = "3/2"
    refused(data, "consents.preferred-protective.threshold", "3/2")


def test_wrong_format_version():
    data = raw("byzantine-1999")
    data["format"] = 2
    refused(data, "format", "2")


def test_duplicate_series_id():
    data = raw("nvidia-1998")
    data["series"][1]["id"] = "series_a"
    refused(data, "series", "series_a")


def test_weighted_average_without_dilution_table():
    data = raw("nvidia-1998")
    del data["dilution"]
    refused(data, "dilution")


def test_malformed_charter_date():
    data = raw("byzantine-1999")
    data["date"] = "1999-12-32"
    refused(data, "charter.date", "1999-12-32")


def test_capped_participation_without_a_cap():
    data = raw("example-modern")
    del data["series"][1]["participation"]["cap_per_share"]
    refused(data, "series.series_b.participation", "cap")


# --- interpretations ---------------------------------------------------------------------------


def test_unknown_interpretation_id():
    with pytest.raises(InterpretationError) as info:
        load_charter("infinity-1996", {"x": "y"})
    message = str(info.value)
    assert "x=y" in message and "'x'" in message and "infinity.vote-tie" in message
    assert "\n" not in message


def test_interpretation_of_another_charter_is_unknown():
    with pytest.raises(InterpretationError, match="infinity.vote-tie"):
        load_charter("nvidia-1998", {"infinity.vote-tie": "half-even"})


def test_bad_interpretation_value():
    with pytest.raises(InterpretationError) as info:
        load_charter("infinity-1996", {"infinity.vote-tie": "coin-flip"})
    message = str(info.value)
    assert "coin-flip" in message and "half-up" in message and "half-even" in message


def test_resolve_directly():
    assert resolve(GLOBAL_INTERPRETATIONS, {})["all.payout-cents"] == "exact"
    assert resolve(GLOBAL_INTERPRETATIONS, {"all.payout-cents": "cents"})["all.payout-cents"] == "cents"
    with pytest.raises(InterpretationError):
        resolve(GLOBAL_INTERPRETATIONS, {"all.payout-cents": "dollars"})
    with pytest.raises(InterpretationError):
        resolve(GLOBAL_INTERPRETATIONS, {"x": "y"})


def test_parse_choices():
    assert parse_choices(["a=b", " c = d "]) == {"a": "b", "c": "d"}
    for bad in ("ab", "=b", "a="):
        with pytest.raises(InterpretationError):
            parse_choices([bad])


def test_chosen_interpretations_reach_the_model():
    inf = load_charter("infinity-1996", {"infinity.vote-tie": "half-even",
                                         "all.declared-dividends-on-conversion": "forfeited"})
    assert inf.voting.tie == "half-even"
    assert inf.liquidation.declared_dividends_on_conversion == "forfeited"
    assert inf.interpretations_in_force["infinity.vote-tie"] == "half-even"
    default = load_charter("infinity-1996")
    assert default.voting.tie == "half-up"
    assert default.liquidation.declared_dividends_on_conversion == "paid-with-preferences"
    nv = load_charter("nvidia-1998", {"nvidia.price-rounding": "1/100"})
    assert nv.dilution.price_unit == Fraction(1, 100)
    assert load_charter("nvidia-1998").dilution.price_unit is None


def test_setting_both_in_file_and_by_interpretation_is_refused():
    data = raw("infinity-1996")
    data["voting"]["tie"] = "half-up"  # voting.tie is left to infinity.vote-tie
    refused(data, "voting.tie")


def test_typos_are_answered_with_the_nearest_name():
    """A typo'd key, value, class or interpretation gets the nearest known one and what is allowed."""
    data = raw("nvidia-1998")
    data["series"][1]["participation"]["knd"] = data["series"][1]["participation"].pop("kind")
    refused(data, "series.series_b.participation.kind: missing (the table has 'knd': a typo?)")
    data = raw("nvidia-1998")
    data["series"][1]["designatd"] = 5
    refused(data, "series.series_b.designatd: unknown key", "did you mean 'designated'?", "(keys here: cite, ")
    data = raw("nvidia-1998")
    data["series"][1]["participation"]["kind"] = "nne"
    refused(data, "'nne' is not one of none, full, capped; did you mean 'none'?")
    with pytest.raises(InputError, match=r"did you mean 'nvidia-1998'\?"):
        load_charter("nvidia-199")
    with pytest.raises(InputError, match=r"did you mean 'nvidia.price-rounding'\?"):
        load_charter("nvidia-1998", {"nvidia.price-roundin": "exact"})
