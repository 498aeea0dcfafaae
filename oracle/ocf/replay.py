"""Replaying an OCF transaction history up to a date: who holds how many of which security.

Semantics (``docs/ocf.md``): an issuance creates a security; a move (transfer,
conversion, exercise) and a removal (cancellation, repurchase) take their quantity
from the security; when the transaction names a ``balance_security_id`` the
remainder has moved to that security (created by its own issuance), so the source
closes. A retraction or reissuance closes the whole security. A class split
multiplies every stock position of the class (a fraction of a share is refused);
a conversion-ratio adjustment sets the class's conversion terms; an authorized-shares
adjustment its authorized count. A transaction that would take a position below
zero, or names a security, stakeholder or class the package does not have, is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.ocf.models import ConversionMechanism
from charter_oracle.oracle.ocf.transactions import (
    CLASS_LEVEL,
    ISSUE_OPTION,
    ISSUE_STOCK,
    ISSUE_WARRANT,
    OPTION_TYPES,
    REPRICE,
    WHOLE,
    Transaction,
)


# No company has 10^30 shares; a history that reaches it is an error (or an attack on number sizes).
MAX_SHARES = 10**30


@dataclass(frozen=True)
class StockPosition:
    security_id: str
    stakeholder_id: str
    class_id: str  # the OCF stock class id
    shares: int


@dataclass(frozen=True)
class OptionPosition:
    """An option, RSU, stock-settled SAR or warrant: the right to common at ``price``."""

    security_id: str
    stakeholder_id: str
    class_id: str | None  # the class it exercises into, when the package says
    shares: int
    price: Fraction
    where: str


@dataclass(frozen=True)
class Replayed:
    stock: tuple[StockPosition, ...]  # open positions, in issuance order
    options: tuple[OptionPosition, ...]
    conversion: tuple[tuple[str, ConversionMechanism], ...]  # the latest adjustment per class
    authorized: tuple[tuple[str, int], ...]  # the latest authorized-shares adjustment per class
    first_issue: tuple[tuple[str, dt.date], ...]  # per class, its first stock issuance
    classes_used: frozenset[str]


class _Security:
    __slots__ = ("tx", "stock", "quantity", "price", "class_id")

    def __init__(self, tx: Transaction, stock: bool) -> None:
        self.tx, self.stock = tx, stock
        self.quantity = tx.quantity or 0
        self.price = tx.price
        self.class_id = tx.stock_class_id


def replay(transactions: Iterable[Transaction], stakeholders: set[str], classes: set[str],
           as_of: dt.date) -> Replayed:
    ordered = sorted(transactions, key=lambda t: t.sort_key)
    issued_anywhere = {t.security_id for t in ordered if t.kind in ISSUE_STOCK + ISSUE_OPTION + ISSUE_WARRANT}
    open_: dict[str, _Security] = {}
    closed: set[str] = set()
    conversion: dict[str, ConversionMechanism] = {}
    authorized: dict[str, int] = {}
    first_issue: dict[str, dt.date] = {}
    used: set[str] = set()
    for tx in ordered:
        if tx.date > as_of:
            break  # sorted by date: everything after is later too
        if tx.kind in CLASS_LEVEL:
            _class_level(tx, classes, open_, conversion, authorized)
            used.add(tx.stock_class_id or "")
            continue
        if tx.kind in ISSUE_STOCK + ISSUE_OPTION + ISSUE_WARRANT:
            _issue(tx, stakeholders, classes, open_, closed, used, first_issue)
            continue
        security = _source(tx, open_, closed)
        for target in tx.resulting + ((tx.balance,) if tx.balance else ()):
            if target not in issued_anywhere:
                raise tx.fail(f"names security {target!r}, which no issuance in the package creates (unknown security)")
        if tx.kind in REPRICE:
            if security.stock:
                raise tx.fail(f"reprices security {tx.security_id!r}, which is stock, not an option")
            security.price = tx.price
            continue
        if tx.kind in WHOLE:
            security.quantity = 0
        else:
            amount = tx.quantity or 0
            if amount > security.quantity:
                raise tx.fail(f"takes {amount} from security {tx.security_id!r}, which holds {security.quantity}: "
                              "the position would go negative")
            security.quantity -= amount
            if tx.balance:  # the remainder now lives in the balance security
                security.quantity = 0
        if security.quantity == 0:
            del open_[tx.security_id or ""]
            closed.add(tx.security_id or "")
    stock = tuple(StockPosition(sid, s.tx.stakeholder_id or "", s.class_id or "", s.quantity)
                  for sid, s in open_.items() if s.stock and s.quantity)
    options = tuple(OptionPosition(sid, s.tx.stakeholder_id or "", s.class_id, s.quantity, s.price or Fraction(0),
                                   s.tx.where)
                    for sid, s in open_.items() if not s.stock and s.quantity)
    return Replayed(stock, options, tuple(conversion.items()), tuple(authorized.items()), tuple(first_issue.items()),
                    frozenset(used))


def _issue(tx: Transaction, stakeholders: set[str], classes: set[str], open_: dict[str, _Security],
           closed: set[str], used: set[str], first_issue: dict[str, dt.date]) -> None:
    sid = tx.security_id or ""
    if sid in open_ or sid in closed:
        raise tx.fail(f"issues security {sid!r} a second time")
    if tx.stakeholder_id not in stakeholders:
        raise tx.fail(f"stakeholder_id {tx.stakeholder_id!r}: no such stakeholder in the package (unknown stakeholder)")
    if tx.stock_class_id is not None and tx.stock_class_id not in classes:
        raise tx.fail(f"stock_class_id {tx.stock_class_id!r}: no such stock class in the package (unknown class)")
    if tx.kind in ISSUE_OPTION and tx.compensation_type not in OPTION_TYPES:
        return  # a cash-settled right: never shares, no part in any base
    stock = tx.kind in ISSUE_STOCK
    open_[sid] = _Security(tx, stock)
    if tx.stock_class_id is not None:
        used.add(tx.stock_class_id)
    if stock and tx.stock_class_id not in first_issue:
        first_issue[tx.stock_class_id or ""] = tx.date


def _source(tx: Transaction, open_: dict[str, _Security], closed: set[str]) -> _Security:
    sid = tx.security_id or ""
    security = open_.get(sid)
    if security is None:
        state = "is already closed (transferred, cancelled or retracted)" if sid in closed else \
            "no issuance up to this date creates it (unknown security)"
        raise tx.fail(f"security_id {sid!r}: {state}")
    stock_kind = tx.kind.startswith("TX_STOCK_")
    if stock_kind != security.stock:
        raise tx.fail(f"{tx.kind} on security {sid!r}, which is {'stock' if security.stock else 'an option or warrant'}")
    return security


def _class_level(tx: Transaction, classes: set[str], open_: dict[str, _Security],
                 conversion: dict[str, ConversionMechanism], authorized: dict[str, int]) -> None:
    class_id = tx.stock_class_id or ""
    if class_id not in classes:
        raise tx.fail(f"stock_class_id {class_id!r}: no such stock class in the package (unknown class)")
    if tx.kind == "TX_STOCK_CLASS_SPLIT":
        ratio = tx.split_ratio or Fraction(1)
        for sid, security in open_.items():
            if security.stock and security.class_id == class_id:
                after = security.quantity * ratio
                if after.denominator != 1:
                    raise tx.fail(f"a {ratio} split leaves security {sid!r} with {after} shares, a fraction of a share")
                if after > MAX_SHARES:  # repeated splits could otherwise build numbers too long to print
                    raise tx.fail(f"a {ratio} split gives security {sid!r} more than {MAX_SHARES:.0e} shares")
                security.quantity = after.numerator
    elif tx.kind == "TX_STOCK_CLASS_CONVERSION_RATIO_ADJUSTMENT":
        assert tx.mechanism is not None
        conversion[class_id] = tx.mechanism
    else:
        assert tx.authorized is not None
        authorized[class_id] = tx.authorized
