"""OCF transactions as typed values, and the order they are replayed in.

Each supported ``object_type`` is read into one ``Transaction`` with the fields
its replay needs (``replay.py``). Kinds that do not change who holds what or
on which terms (vesting, acceptances, agreements, pool adjustments, convertible
notes and SAFEs until they convert into stock) are ``IGNORED``; any other kind is
refused by name rather than silently skipped. ``docs/ocf.md`` lists both.

Order: by date, then, within a day, by ``STEP`` (issuances first, so that a
security issued and transferred on the same day exists when it moves; then
moves, then removals, then class-level changes), then in package order (files in
manifest order, items in file order). Sorting is stable, so the order is total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.errors import CapTableError
from charter_oracle.oracle.ocf.models import (
    ConversionMechanism,
    Where,
    conversion_mechanism,
    date_field,
    ids_field,
    monetary,
    quantity,
    ratio,
    text_field,
)

ISSUE_STOCK = ("TX_STOCK_ISSUANCE",)
ISSUE_OPTION = ("TX_EQUITY_COMPENSATION_ISSUANCE", "TX_PLAN_SECURITY_ISSUANCE")
ISSUE_WARRANT = ("TX_WARRANT_ISSUANCE",)
# Moves: the quantity leaves the security; the securities it goes to are created by their own issuances.
MOVES = {
    "TX_STOCK_TRANSFER": "quantity", "TX_STOCK_CONVERSION": "quantity_converted",
    "TX_EQUITY_COMPENSATION_EXERCISE": "quantity", "TX_PLAN_SECURITY_EXERCISE": "quantity",
    "TX_WARRANT_EXERCISE": "quantity", "TX_EQUITY_COMPENSATION_TRANSFER": "quantity",
    "TX_PLAN_SECURITY_TRANSFER": "quantity", "TX_WARRANT_TRANSFER": "quantity",
}
REMOVALS = {
    "TX_STOCK_CANCELLATION": "quantity", "TX_STOCK_REPURCHASE": "quantity",
    "TX_EQUITY_COMPENSATION_CANCELLATION": "quantity", "TX_PLAN_SECURITY_CANCELLATION": "quantity",
    "TX_WARRANT_CANCELLATION": "quantity",
}
# Whole-security: a retraction undoes an issuance; a reissuance replaces a security by its resulting ones.
WHOLE = ("TX_STOCK_RETRACTION", "TX_STOCK_REISSUANCE", "TX_EQUITY_COMPENSATION_RETRACTION",
         "TX_PLAN_SECURITY_RETRACTION", "TX_WARRANT_RETRACTION")
CLASS_LEVEL = ("TX_STOCK_CLASS_SPLIT", "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT",
               "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT")
REPRICE = ("TX_EQUITY_COMPENSATION_REPRICING",)
SUPPORTED = (ISSUE_STOCK + ISSUE_OPTION + ISSUE_WARRANT + tuple(MOVES) + tuple(REMOVALS) + WHOLE + CLASS_LEVEL
             + REPRICE)
IGNORED = (
    "TX_VESTING_START", "TX_VESTING_EVENT", "TX_VESTING_ACCELERATION",
    "TX_STOCK_ACCEPTANCE", "TX_EQUITY_COMPENSATION_ACCEPTANCE", "TX_PLAN_SECURITY_ACCEPTANCE",
    "TX_WARRANT_ACCEPTANCE", "TX_CONVERTIBLE_ACCEPTANCE",
    "TX_CONVERTIBLE_ISSUANCE", "TX_CONVERTIBLE_CONVERSION", "TX_CONVERTIBLE_CANCELLATION",
    "TX_CONVERTIBLE_RETRACTION", "TX_CONVERTIBLE_TRANSFER",
    "TX_STOCK_PLAN_POOL_ADJUSTMENT", "TX_STOCK_PLAN_RETURN_TO_POOL", "TX_ISSUER_AUTHORIZED_SHARES_ADJUSTMENT",
    "TX_EQUITY_COMPENSATION_RELEASE", "TX_PLAN_SECURITY_RELEASE",
    "TX_STAKEHOLDER_RELATIONSHIP_CHANGE_EVENT", "TX_STAKEHOLDER_STATUS_CHANGE_EVENT",
    "TX_SECURITYHOLDERS_AGREEMENT_EXECUTION", "TX_SECURITYHOLDERS_AGREEMENT_MODIFICATION",
    "TX_SECURITYHOLDERS_AGREEMENT_TERMINATION",
)
STEP = {**{k: 0 for k in ISSUE_STOCK + ISSUE_OPTION + ISSUE_WARRANT}, **{k: 1 for k in MOVES}, **{k: 1 for k in REPRICE},
        **{k: 2 for k in REMOVALS}, **{k: 2 for k in WHOLE}, **{k: 3 for k in CLASS_LEVEL}}
OPTION_TYPES = ("OPTION", "OPTION_ISO", "OPTION_NSO", "RSU", "SSAR")  # CSAR: settled in cash, never shares


@dataclass(frozen=True)
class Transaction:
    id: str
    kind: str  # the OCF object_type
    date: dt.date
    position: int  # package order, the last tie-breaker
    where: str  # "OCF package 'p': FILE: object ID"
    security_id: str | None = None
    stakeholder_id: str | None = None
    stock_class_id: str | None = None
    quantity: int | None = None
    price: Fraction | None = None  # exercise price (options, warrants), base price (SSAR)
    split_ratio: Fraction | None = None
    mechanism: ConversionMechanism | None = None
    authorized: int | None = None
    compensation_type: str | None = None
    resulting: tuple[str, ...] = ()
    balance: str | None = None

    def fail(self, problem: str) -> CapTableError:
        return CapTableError(f"{self.where}: {problem}")

    @property
    def sort_key(self) -> tuple[dt.date, int, int]:
        return (self.date, STEP[self.kind], self.position)


def transaction(obj: Mapping[str, Any], package: str, file: str, position: int) -> Transaction | None:
    """The transaction, None for an ignored kind; an unsupported kind is refused."""
    at = Where(package, file, str(obj.get("id")))
    kind = obj.get("object_type")
    if kind in IGNORED:
        return None
    if kind not in SUPPORTED:
        raise at.fail(f"object_type {kind!r} is not supported (supported: see docs/ocf.md); "
                      "charter-oracle refuses a history it cannot replay rather than skip part of it")
    tx_id = text_field(obj, "id", at)
    assert tx_id is not None
    base: dict[str, Any] = {"id": tx_id, "kind": kind, "date": date_field(obj, "date", at), "position": position,
                            "where": at.text}
    if kind in CLASS_LEVEL:
        base["stock_class_id"] = text_field(obj, "stock_class_id", at)
        if kind == "TX_STOCK_CLASS_SPLIT":
            base["split_ratio"] = ratio(obj, "split_ratio", at)
            if base["split_ratio"] is None:
                raise at.fail("split_ratio: missing")
        elif kind == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT":
            mechanism = conversion_mechanism(obj.get("new_ratio_conversion_mechanism"),
                                             "new_ratio_conversion_mechanism", at)
            if mechanism is None or (mechanism.price is None and mechanism.ratio is None):
                raise at.fail("new_ratio_conversion_mechanism: expected a RATIO_CONVERSION with a conversion_price "
                              "or a ratio")
            base["mechanism"] = mechanism
        else:
            base["authorized"] = quantity(obj, "new_shares_authorized", at)
        return Transaction(**base)
    base["security_id"] = text_field(obj, "security_id", at)
    if kind in ISSUE_STOCK + ISSUE_OPTION + ISSUE_WARRANT:
        base["stakeholder_id"] = text_field(obj, "stakeholder_id", at)
        base["stock_class_id"] = text_field(obj, "stock_class_id", at, required=kind in ISSUE_STOCK)
        base["quantity"] = quantity(obj, "quantity", at)
        if kind in ISSUE_OPTION:
            compensation = obj.get("compensation_type", obj.get("option_grant_type"))
            if not isinstance(compensation, str):
                raise at.fail(f"compensation_type: expected a string, got {compensation!r}")
            base["compensation_type"] = compensation
            if compensation == "RSU":
                base["price"] = monetary(obj, "exercise_price", at) or 0
            elif compensation == "SSAR" or compensation == "CSAR":
                base["price"] = monetary(obj, "base_price", at, required=compensation == "SSAR")
            else:
                base["price"] = monetary(obj, "exercise_price", at, required=True)
        elif kind in ISSUE_WARRANT:
            base["price"] = monetary(obj, "exercise_price", at, required=True)
        return Transaction(**base)
    if kind in REPRICE:
        base["price"] = monetary(obj, "new_exercise_price", at, required=True)
        return Transaction(**base)
    if kind in MOVES:
        base["quantity"] = quantity(obj, MOVES[kind], at)
    elif kind in REMOVALS:
        base["quantity"] = quantity(obj, REMOVALS[kind], at)
    base["resulting"] = ids_field(obj, "resulting_security_ids", at)
    balance = obj.get("balance_security_id")
    if balance is not None and (not isinstance(balance, str) or not balance):
        raise at.fail(f"balance_security_id: expected a security id, got {balance!r}")
    base["balance"] = balance
    return Transaction(**base)
