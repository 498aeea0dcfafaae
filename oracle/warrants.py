"""Warrants in the cap table (``[[warrants]]``): rights to buy shares of common or of a preferred series.

Like ``[[options]]`` they are not capital stock: they take nothing in an exit unless exercised, which
interpretation ``all.options-in-exit`` decides (``oracle/exercise_in_exit.py``). ``vested`` (optional,
also on ``[[options]]``) is how many of the shares may be exercised now; absent, all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle.errors import CapTableError
from charter_oracle.oracle.exact import parse_amount, parse_shares
from charter_oracle.oracle.naming import did_you_mean


@dataclass(frozen=True)
class Warrant:
    holder: str
    class_id: str
    shares: int
    exercise_price: Fraction
    vested: int | None = None  # None: all of them


def parse_vested(row: Mapping[str, Any], shares: int, at: str) -> int | None:
    """An optional ``vested`` count: whole shares, at most ``shares``."""
    if "vested" not in row:
        return None
    vested = parse_shares(row["vested"], f"{at}.vested")
    if vested > shares:
        raise CapTableError(f"{at}.vested: {vested} is more than the {shares} shares")
    return vested


def parse_warrants(raw: Mapping[str, Any], class_ids: tuple[str, ...], where: str) -> tuple[Warrant, ...]:
    rows = raw.get("warrants", [])
    if not isinstance(rows, list):
        raise CapTableError(f"{where}: warrants must be an array of tables ([[warrants]])")
    out = []
    for i, row in enumerate(rows):
        at = f"{where}: warrants[{i}]"
        required = {"holder", "class", "shares", "exercise_price"}
        if not isinstance(row, dict) or not required <= set(row) or set(row) - required - {"vested"}:
            raise CapTableError(f"{at}: expected holder, class, shares, exercise_price and optionally vested, got {row!r}")
        if not isinstance(row["holder"], str) or not row["holder"].strip():
            raise CapTableError(f"{at}.holder: expected a name, got {row['holder']!r}")
        if row["class"] not in class_ids:
            raise CapTableError(f"{at}.class: {row['class']!r} is not a class{did_you_mean(str(row['class']), class_ids)} "
                                f"(classes: {', '.join(class_ids)})")
        shares = parse_shares(row["shares"], f"{at}.shares")
        out.append(Warrant(row["holder"], row["class"], shares, parse_amount(row["exercise_price"], f"{at}.exercise_price"),
                           parse_vested(row, shares, at)))
    return tuple(out)
