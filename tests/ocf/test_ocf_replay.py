"""Replay semantics, one transaction kind at a time, on small packages with hand-computed results."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

import charter_oracle as co
from charter_oracle.oracle.errors import CapTableError
from ocf_fixtures import stock, write_package

PEOPLE = [("sh-f", "Founder"), ("sh-l", "Lead")]
BASE = [stock("t1", "1996-01-01", "c1", "sh-f", "cs", "1000000"),
        stock("t2", "1996-02-01", "a1", "sh-l", "a", "800000")]


def loaded(tmp_path, txs: list[dict[str, Any]], people=PEOPLE, **kw: Any) -> co.LoadedCharter:
    return co.load("nvidia-1998", cap_table=write_package(tmp_path / "pkg", txs, people), **kw)


def rows(c: co.LoadedCharter) -> list[tuple[str, str, int]]:
    return [(h.holder, h.class_id, h.shares) for h in c.table.holdings]


def _adjust(mechanism: dict[str, Any]) -> dict[str, Any]:
    return {"object_type": "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT", "id": "adj", "date": "1997-01-01",
            "stock_class_id": "a", "new_ratio_conversion_mechanism": {"mechanism_type": "RATIO_CONVERSION", **mechanism}}


@pytest.mark.parametrize("mechanism", [
    {"conversion_price": {"amount": "0.40", "currency": "USD"}, "ratio": {"numerator": "5", "denominator": "4"}},
    {"ratio": {"numerator": "5", "denominator": "4"}},  # no price: 0.50 (the charter's value) / (5/4) = 0.40
])
def test_a_conversion_ratio_adjustment_becomes_the_conversion_price(tmp_path, mechanism: dict[str, Any]) -> None:
    c = loaded(tmp_path, BASE + [_adjust(mechanism)])
    assert c.table.conversion_prices == (("series_a", Fraction("0.40")),)
    # Lead's 800,000 Series A vote as converted at 0.50 / 0.40: 1,000,000 votes.
    assert c.votes().holders == {"Founder": 1_000_000, "Lead": 1_000_000}
    # The same as a TOML cap table with that conversion price, byte for byte.
    toml = tmp_path / "same.toml"
    toml.write_text('as_of = "1998-06-30"\n[[holdings]]\nholder = "Founder"\nclass = "common"\nshares = 1000000\n'
                    '[[holdings]]\nholder = "Lead"\nclass = "series_a"\nshares = 800000\n'
                    '[conversion_prices]\nseries_a = "0.40"\n[issue_dates]\nseries_a = "1996-02-01"\n', encoding="utf-8")
    other = co.load("nvidia-1998", cap_table=toml)
    assert json.dumps(c.waterfall("3000000").to_json()) == json.dumps(other.waterfall("3000000").to_json())
    assert c.table == other.table


def test_options_rsus_sars_and_warrants(tmp_path) -> None:
    def grant(tx: str, security: str, kind: str, quantity: str, **price: Any) -> dict[str, Any]:
        return {"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": tx, "date": "1997-01-01", "security_id": security,
                "stakeholder_id": "sh-f", "compensation_type": kind, "quantity": quantity, **price}
    money = lambda amount: {"amount": amount, "currency": "USD"}  # noqa: E731
    txs = BASE + [
        grant("g1", "o1", "OPTION_ISO", "1000", exercise_price=money("0.25")),
        grant("g2", "o2", "RSU", "200"),
        grant("g3", "o3", "SSAR", "300", base_price=money("0.30")),
        grant("g4", "o4", "CSAR", "400", base_price=money("0.30")),  # cash-settled: never shares
        grant("g5", "o5", "OPTION", "500", exercise_price=money("0.25")),
        {"object_type": "TX_WARRANT_ISSUANCE", "id": "w1", "date": "1997-02-01", "security_id": "w1",
         "stakeholder_id": "sh-l", "quantity": "600", "exercise_price": money("1.00")},
        {"object_type": "TX_EQUITY_COMPENSATION_REPRICING", "id": "r1", "date": "1997-03-01", "security_id": "o5",
         "new_exercise_price": money("0.10")},
        {"object_type": "TX_EQUITY_COMPENSATION_RETRACTION", "id": "x1", "date": "1997-04-01", "security_id": "o3",
         "reason_text": "granted in error"},
    ]
    c = loaded(tmp_path, txs)
    assert [(o.holder, o.shares, o.exercise_price) for o in c.table.options] == [
        ("Founder", 1000, Fraction("0.25")), ("Founder", 200, Fraction(0)), ("Founder", 500, Fraction("0.10")),
        ("Lead", 600, Fraction(1))]


def test_a_stock_conversion_moves_preferred_into_common(tmp_path) -> None:
    txs = BASE + [
        {"object_type": "TX_STOCK_CONVERSION", "id": "cv", "date": "1997-05-01", "security_id": "a1",
         "quantity_converted": "300000", "resulting_security_ids": ["c2"], "balance_security_id": "a2"},
        stock("t3", "1997-05-01", "c2", "sh-l", "cs", "300000"),
        stock("t4", "1997-05-01", "a2", "sh-l", "a", "500000"),
    ]
    assert rows(loaded(tmp_path, txs)) == [("Founder", "common", 1_000_000), ("Lead", "common", 300_000),
                                           ("Lead", "series_a", 500_000)]


def test_same_day_transactions_replay_issuances_first_whatever_the_file_order(tmp_path) -> None:
    txs = [
        {"object_type": "TX_STOCK_CANCELLATION", "id": "k", "date": "1996-01-01", "security_id": "c1",
         "quantity": "250000", "reason_text": "listed before the issuance it cancels"},
        {"object_type": "TX_STOCK_CLASS_SPLIT", "id": "s", "date": "1996-01-01", "stock_class_id": "cs",
         "split_ratio": {"numerator": "2", "denominator": "1"}},
    ] + BASE
    # Issue 1,000,000; cancel 250,000 (no balance security: 750,000 stay); then the day's split: 1,500,000.
    assert rows(loaded(tmp_path, txs))[0] == ("Founder", "common", 1_500_000)


def test_a_partial_transfer_without_balance_keeps_the_rest_on_the_security(tmp_path) -> None:
    txs = BASE + [
        {"object_type": "TX_STOCK_TRANSFER", "id": "tr", "date": "1997-01-01", "security_id": "c1",
         "quantity": "100000", "resulting_security_ids": ["c2"]},
        stock("t3", "1997-01-01", "c2", "sh-l", "cs", "100000"),
    ]
    assert rows(loaded(tmp_path, txs)) == [("Founder", "common", 900_000), ("Lead", "common", 100_000),
                                           ("Lead", "series_a", 800_000)]


def test_transactions_that_change_no_position_are_skipped(tmp_path) -> None:
    txs = BASE + [
        {"object_type": "TX_VESTING_START", "id": "v", "date": "1996-01-01", "security_id": "c1",
         "vesting_condition_id": "start"},
        {"object_type": "TX_CONVERTIBLE_ISSUANCE", "id": "safe", "date": "1996-03-01", "security_id": "n1",
         "stakeholder_id": "sh-l", "convertible_type": "SAFE", "investment_amount": {"amount": "100000"}},
    ]
    assert rows(loaded(tmp_path, txs)) == rows(loaded(tmp_path / "plain", BASE))


def test_two_stakeholders_of_one_name_are_told_apart_by_id(tmp_path) -> None:
    txs = BASE + [stock("t3", "1996-03-01", "c2", "sh-f2", "cs", "5")]
    c = loaded(tmp_path, txs, people=PEOPLE + [("sh-f2", "Founder")])
    assert c.table.holders == ("Founder (sh-f)", "Lead", "Founder (sh-f2)")


def test_options_into_a_series_and_an_empty_table_are_refused(tmp_path) -> None:
    grant = {"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": "g", "date": "1997-01-01", "security_id": "o",
             "stakeholder_id": "sh-f", "stock_class_id": "a", "compensation_type": "OPTION", "quantity": "10",
             "exercise_price": {"amount": "0.50", "currency": "USD"}}
    with pytest.raises(CapTableError, match="'g': exercises into series_a, not common"):
        loaded(tmp_path, BASE + [grant])
    with pytest.raises(CapTableError, match="no stock is outstanding on 1995-12-31"):
        loaded(tmp_path / "early", BASE, as_of="1995-12-31")
