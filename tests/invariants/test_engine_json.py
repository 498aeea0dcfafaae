"""The JSON form engines receive, and the protocol's schemas checked against real messages (docs/engine-protocol.md)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest

from charter_oracle.invariants.engine_json import (cap_table_from_json, cap_table_to_json, charter_from_json,
                                                   charter_to_json)
from charter_oracle.invariants.engine_process import parse_answer, request_line
from charter_oracle.oracle import bundled
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.loading import load_with_table

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs" / "schemas"


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


REQUEST = _validator("engine-request.schema.json")
ANSWER = _validator("engine-answer.schema.json")
CASES = _validator("conformance-cases.schema.json")


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_the_json_form_reads_back_to_the_same_charter_and_cap_table(charter_id: str) -> None:
    charter, table = load_with_table(charter_id)
    text = json.dumps(charter_to_json(charter))
    assert charter_from_json(json.loads(text)) == charter
    assert cap_table_from_json(json.loads(json.dumps(cap_table_to_json(table))), charter) == table


def test_interpretation_choices_travel_in_the_json_form() -> None:
    charter, _ = load_with_table("nvidia-1998", None, {"all.declared-dividends-on-conversion": "forfeited"})
    raw = charter_to_json(charter)
    assert raw["interpretations_in_force"]["all.declared-dividends-on-conversion"] == "forfeited"
    assert raw["liquidation"]["declared_dividends_on_conversion"] == "forfeited"  # the setting it governs
    assert charter_from_json(raw) == charter


def test_amounts_are_exact_strings_and_counts_integers() -> None:
    charter, table = load_with_table("nvidia-1998")
    raw = charter_to_json(charter)
    series_c = next(s for s in raw["series"] if s["id"] == "series_c")
    assert series_c["liquidation"]["preference"] == "6.666667"  # as in the charter file, not 6.666667000000001
    assert type(series_c["designated"]) is int and type(series_c["liquidation"]["rank"]) is int
    holdings = cap_table_to_json(table)["holdings"]
    assert all(isinstance(h["shares"], int) for h in holdings)
    with pytest.raises(InputError, match="expected an exact string"):
        charter_from_json({**raw, "series": [{**series_c, "original_issue_price": 6.666667}]})


@pytest.mark.parametrize("charter_id", bundled.CHARTER_IDS)
def test_real_requests_follow_the_request_schema(charter_id: str) -> None:
    charter, table = load_with_table(charter_id)
    text = json.dumps(charter_to_json(charter), separators=(",", ":"))
    for line in (request_line("distribute", 1, text, cap_table_to_json(table), "11480000.01"),
                 request_line("votes", 2, text, cap_table_to_json(table), None)):
        assert "\n" not in line and line.isascii()
        REQUEST.validate(json.loads(line))


def test_the_request_schema_refuses_numbers_for_amounts() -> None:
    charter, table = load_with_table("example-modern")
    good = json.loads(request_line("distribute", 1, json.dumps(charter_to_json(charter)), cap_table_to_json(table), "5"))
    REQUEST.validate(good)
    for bad in ({**good, "proceeds": 5}, {**good, "proceeds": "1e6"}, {**good, "op": "votes"},
                {k: v for k, v in good.items() if k != "proceeds"}):
        with pytest.raises(jsonschema.ValidationError):
            REQUEST.validate(bad)


def test_answers_and_the_schema_agree_on_what_is_an_amount() -> None:
    for line in ('{"holders": {"A": "0.1", "B": "1000000/3", "C": "-2"}}', '{"error": "not implemented"}'):
        ANSWER.validate(parse_answer(line))
    for value in (0.1, 1e6, 7, "1e6", "1,000", "1/0", " 3"):
        with pytest.raises(jsonschema.ValidationError):
            ANSWER.validate({"holders": {"A": value}})  # the schema refuses it ...
        if not isinstance(value, str):
            with pytest.raises(ValueError):  # ... and so does the protocol's parser, before any float exists
                parse_answer(json.dumps({"holders": {"A": value}}))


def test_the_committed_corpus_follows_its_schema() -> None:
    manifest = json.loads((ROOT / "conformance" / "manifest.json").read_text(encoding="utf-8"))
    for charter_id, entry in manifest["charters"].items():
        cases = json.loads((ROOT / "conformance" / entry["cases"]).read_text(encoding="utf-8"))
        CASES.validate(cases)
        charter = json.loads((ROOT / "conformance" / entry["charter"]).read_text(encoding="utf-8"))
        REQUEST.validate({"op": "votes", "request": 1, "charter": charter, "cap_table": cases["cases"][0]["cap_table"]})
        assert len(cases["cases"]) == entry["count"]
        assert all(Fraction(v) >= 0 for c in cases["cases"] for v in c["expected"]["holders"].values())
