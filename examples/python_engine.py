#!/usr/bin/env python3
"""A small, honest liquidation and vote engine over charter-oracle's subprocess protocol.

It imports nothing of charter-oracle: it reads one JSON request per line on stdin and
answers one JSON line on stdout (docs/engine-protocol.md), computing in exact fractions.
Check it with any of:

    pytest --charter example-modern --charter-impl-cmd "python examples/python_engine.py"
    charter-oracle conform example-modern --engine-cmd "python examples/python_engine.py"
    charter-oracle conformance run conformance --engine-cmd "python examples/python_engine.py"

What it implements (the rules of the bundled charters' liquidation and voting clauses):

* seniority tiers, most senior (rank 1) first; a cumulative dividend's accrual (from the
  series' first issue to the cap table's as_of) adds to the preference; declared unpaid dividends rank with the
  preference (a converting series keeps them unless the interpretation
  all.declared-dividends-on-conversion is "forfeited"); a short tier is shared in
  proportion to each series' full claim, not by share count;
* the residual shared per common-equivalent share by common, converted series and
  participating series, each capped participant stopping at its cap (a fixed amount per
  share, or simple interest from the series' first issue, the lesser; minus the
  preference when the cap includes it), the excess going on to everyone still sharing;
* each series converts when that pays it more, the others' choices fixed: the stable
  outcomes are prefixes of the series ordered by the common value per share at which
  converting starts to pay; among several, the one the preferred as a whole prefer
  (all.equilibrium=fewest-conversions: the fewest conversions first);
* votes: common one per share, preferred as converted, a holder's preferred aggregated
  then rounded once (half-up, half-even or down, optionally to 1/100 of a share first).

It refuses (answers {"error": ...}) what it does not implement: all.payout-cents=cents,
and vote aggregation other than per holder.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from fractions import Fraction


def exact(text: str) -> Fraction:
    return Fraction(text)


def show(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


class Unsupported(Exception):
    pass


def anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February: the anniversary is 28 February in other years
        return start.replace(year=start.year + years, day=28)


def accrued_per_share(series: dict, table: dict) -> Fraction:
    """Cumulative dividends accrued per share from the series' first issue to as_of (docs/charter-format.md).

    Simple: rate * days / day_count. Annual compounding: each full year multiplies the base (issue
    price plus accrual) by 1 + annual_fraction; the part year accrues simply on the base reached.
    """
    dividend = series["dividend"]
    if dividend is None or not dividend["cumulative"]:
        return Fraction(0)
    if series["id"] not in table["issue_dates"]:
        raise Unsupported(f"cumulative dividends of {series['id']} without its issue date")
    start = dt.date.fromisoformat(table["issue_dates"][series["id"]])
    end = dt.date.fromisoformat(table["as_of"])
    if end <= start:
        return Fraction(0)
    if dividend["compounding"] == "simple":
        return exact(dividend["rate"]) * Fraction((end - start).days, dividend["day_count"])
    price, yearly = exact(series["original_issue_price"]), exact(dividend["annual_fraction"])
    years = 0
    while anniversary(start, years + 1) <= end:
        years += 1
    base = price * (1 + yearly) ** years
    days = (end - anniversary(start, years)).days
    return base * (1 + yearly * Fraction(days, dividend["day_count"])) - price


def positions(charter: dict, table: dict) -> list[dict]:
    shares: dict[str, int] = {}
    for h in table["holdings"]:
        shares[h["class"]] = shares.get(h["class"], 0) + h["shares"]
    out = []
    for s in charter["series"]:
        n = shares.get(s["id"], 0)
        price = exact(table["conversion_prices"].get(s["id"], s["conversion"]["initial_price"]))
        part = s["participation"]
        cap = None  # per share; None: no limit
        if part["kind"] == "none":
            cap = Fraction(0)
        elif part["kind"] == "capped":
            legs = []
            if part["cap_per_share"] is not None:
                legs.append(exact(part["cap_per_share"]))
            if part["interest_rate"] is not None:
                start = dt.date.fromisoformat(table["issue_dates"][s["id"]]) if n else dt.date.fromisoformat(table["as_of"])
                days = max((dt.date.fromisoformat(table["as_of"]) - start).days, 0)
                legs.append(exact(part["interest_principal"]) * exact(part["interest_rate"]) * Fraction(days, part["day_count"]))
            cap = min(legs)
            if part["cap_includes_preference"]:
                cap = max(cap - exact(s["liquidation"]["preference"]), Fraction(0))
        dividend = exact(table["declared_unpaid_dividends"].get(s["id"], "0"))
        # Accrued cumulative dividends are part of the preference (given up on conversion); a cap
        # that includes the preference counts the preference proper only (above).
        accrued = accrued_per_share(s, table) if n else Fraction(0)
        as_converted = n * exact(s["conversion"]["value"]) / price
        out.append({"id": s["id"], "rank": s["liquidation"]["rank"], "shares": n, "kind": part["kind"],
                    "as_converted": as_converted, "preference": n * (exact(s["liquidation"]["preference"]) + accrued),
                    "dividends": n * dividend, "cap": None if cap is None else cap * n})
    return out


def allocate(charter: dict, common: int, pos: list[dict], proceeds: Fraction, converting: frozenset) -> dict:
    keep = charter["liquidation"]["declared_dividends_on_conversion"] == "paid-with-preferences"
    paid = {p["id"]: Fraction(0) for p in pos}
    left = proceeds
    for rank in sorted({p["rank"] for p in pos}):
        tier = [p for p in pos if p["rank"] == rank]
        claims = {p["id"]: ((p["dividends"] if keep else Fraction(0)) if p["id"] in converting
                            else p["preference"] + p["dividends"]) for p in tier}
        total = sum(claims.values(), Fraction(0))
        if total == 0:
            continue
        pay = min(left, total)
        for p in tier:
            paid[p["id"]] += pay * claims[p["id"]] / total  # by claim, never by share count
        left -= pay
    # Water-fill the residual: every sharing common-equivalent share at one level, caps stopping some.
    weight = Fraction(common)
    capped = []
    for p in pos:
        if p["id"] in converting or (p["kind"] != "none" and p["cap"] is None):
            weight += p["as_converted"]
        elif p["kind"] != "none" and p["as_converted"] > 0:
            capped.append(p)
    capped.sort(key=lambda p: (p["cap"] / p["as_converted"], p["id"]))
    active = weight + sum((p["as_converted"] for p in capped), Fraction(0))
    full: set[str] = set()
    used = Fraction(0)
    for p in capped:
        if active == 0 or left - used <= p["cap"] / p["as_converted"] * active:
            break
        full.add(p["id"])
        used += p["cap"]
        active -= p["as_converted"]
    level = max((left - used) / active, Fraction(0)) if active > 0 else Fraction(0)
    classes = {charter["common"]["id"]: level * common}
    for p in pos:
        extra = Fraction(0)
        if p["id"] in converting or (p["kind"] != "none" and p["id"] not in full):
            extra = level * p["as_converted"]
        elif p["id"] in full:
            extra = p["cap"]
        classes[p["id"]] = paid[p["id"]] + extra
    return classes


def choose(charter: dict, common: int, pos: list[dict], proceeds: Fraction) -> dict:
    def switch_level(p: dict) -> Fraction:
        per_share = p["preference"] / p["shares"] + (p["cap"] / p["shares"])
        return per_share * p["shares"] / p["as_converted"]

    movable = sorted((p for p in pos if p["shares"] > 0 and p["kind"] != "full"), key=lambda p: (switch_level(p), p["id"]))
    ids = [p["id"] for p in movable]
    memo: dict[frozenset, dict] = {}

    def pay(converting: frozenset) -> dict:
        if converting not in memo:
            memo[converting] = allocate(charter, common, pos, proceeds, converting)
        return memo[converting]

    stable = [frozenset(ids[:k]) for k in range(len(ids) + 1)
              if all(pay(frozenset(ids[:k]) ^ {sid})[sid] <= pay(frozenset(ids[:k]))[sid] for sid in ids)]
    if not stable:
        raise Unsupported("no stable conversion outcome among the prefixes")
    series = [p["id"] for p in pos]

    def preferred(c: frozenset) -> Fraction:
        return sum((pay(c)[s] for s in series), Fraction(0))

    if charter["interpretations_in_force"].get("all.equilibrium") == "fewest-conversions":
        best = min(stable, key=lambda c: (len(c), -preferred(c), sorted(c)))
    else:
        best = min(stable, key=lambda c: (-preferred(c), len(c), sorted(c)))
    return pay(best)


def distribute(charter: dict, table: dict, proceeds: Fraction) -> dict[str, Fraction]:
    if charter["interpretations_in_force"].get("all.payout-cents", "exact") != "exact":
        raise Unsupported("payouts in cents (all.payout-cents=cents)")
    common_id = charter["common"]["id"]
    common = sum(h["shares"] for h in table["holdings"] if h["class"] == common_id)
    classes = choose(charter, common, positions(charter, table), proceeds)
    outstanding: dict[str, int] = {}
    for h in table["holdings"]:
        outstanding[h["class"]] = outstanding.get(h["class"], 0) + h["shares"]
    out: dict[str, Fraction] = {}
    for h in table["holdings"]:
        per_share = classes[h["class"]] / outstanding[h["class"]] if outstanding[h["class"]] else Fraction(0)
        out[h["holder"]] = out.get(h["holder"], Fraction(0)) + per_share * h["shares"]
    return out


def round_whole(value: Fraction, tie: str) -> int:
    floor = value.numerator // value.denominator
    rest = value - floor
    if tie == "down":  # whole votes only, any fraction dropped
        return floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (tie == "half-up" or floor % 2 == 1)):
        return floor + 1
    return floor


def votes(charter: dict, table: dict) -> dict[str, int]:
    voting = charter["voting"]
    if voting["aggregate"] != "holder":
        raise Unsupported(f"vote aggregation {voting['aggregate']!r}")
    ratio = {s["id"]: exact(s["conversion"]["value"]) / exact(table["conversion_prices"].get(
        s["id"], s["conversion"]["initial_price"])) for s in charter["series"]}
    common: dict[str, int] = {}
    preferred: dict[str, Fraction] = {}
    for h in table["holdings"]:
        common.setdefault(h["holder"], 0)
        preferred.setdefault(h["holder"], Fraction(0))
        if h["class"] == charter["common"]["id"]:
            common[h["holder"]] += h["shares"]
        else:
            preferred[h["holder"]] += h["shares"] * ratio[h["class"]]
    out = {}
    for holder, pref in preferred.items():
        if voting["share_rounding_first"]:  # to the nearest 1/100 of a share, half up, then whole votes
            pref = Fraction(round_whole(pref * 100, "half-up"), 100)
        out[holder] = common[holder] + round_whole(pref, voting["tie"])
    return out


def answer(request: dict) -> dict:
    try:
        if request["op"] == "distribute":
            got = distribute(request["charter"], request["cap_table"], exact(request["proceeds"]))
        elif request["op"] == "votes":
            got = {h: Fraction(v) for h, v in votes(request["charter"], request["cap_table"]).items()}
        else:
            return {"error": f"unknown op {request['op']!r}"}
    except Unsupported as why:
        return {"error": f"not implemented: {why}"}
    return {"holders": {h: show(v) for h, v in got.items()}}


def main() -> None:
    for line in sys.stdin:
        sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
