"""Compliance checks on a proposed action: consents, authorized shares, reservation, triggers.

For one proposed action the oracle answers, each with its clause:
* which class or series consents it needs (protective provisions, supermajorities)
  and, given the approving holders, whether each is met -- exactly;
* whether an issue exceeds the authorized or designated shares;
* whether authorized unissued common still covers full conversion afterwards;
* whether an offering triggers automatic conversion (price and amount tests with
  their stated strictness and gross/net basis);
* whether a transaction is a deemed liquidation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from charter_oracle.oracle import reservation
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter, Threshold
from charter_oracle.oracle.consent_conversion import converts_by_consent
from charter_oracle.oracle.errors import InputError
from charter_oracle.oracle.exact import parse_amount, parse_exact, parse_shares
from charter_oracle.oracle.naming import did_you_mean, unknown_name
from charter_oracle.oracle.voting import consent_counts


@dataclass(frozen=True)
class Check:
    """One answer about a proposed action, with its clause and a sentence saying why.

    ``ok`` is the answer to the question the check's ``name`` asks, so its sense depends on the check:
    for ``consent:<id>``, ``designated`` and ``authorized`` (and reservation) True means allowed / met /
    within the limit; for the event checks ``automatic-conversion`` and ``deemed-liquidation`` True means
    the event IS triggered (the offering converts the preferred; the transaction is a deemed liquidation).
    The name ``ok`` stays because it is the key in the command's and the API's JSON output.
    """

    name: str
    ok: bool  # the answer to the question ``name`` asks (see above): True is "yes", not always "fine"
    cite: str
    what: str


def _consents(charter: Charter, table: CapTable, action: str, approving: list[str] | None,
              deemed: bool = False, flags: frozenset[str] = frozenset()) -> list[Check]:
    """The consents an action needs: by its name (``actions``), or by its substance where a rule says so
    (``on_deemed_liquidation``: the transaction is a deemed liquidation, infinity IV.8(f)); none where a
    flag of the action is one the rule excepts (``exempt``: infinity IV.8(e), nvidia IV.D.5(A)(II))."""
    checks = []
    for rule in charter.consents:
        by_name = action in rule.actions
        by_substance = rule.on_deemed_liquidation and deemed
        if not (by_name or by_substance):
            continue
        why = "" if by_name else " (asked for by substance: the transaction is a deemed liquidation)"
        excepted = sorted(set(dict(rule.exempt).get(action, ())) & flags)
        if excepted:
            checks.append(Check(f"consent:{rule.id}", True, rule.cite,
                                f"not required: a {action} flagged {', '.join(excepted)} is excepted"))
            continue
        if approving is None:
            checks.append(Check(f"consent:{rule.id}", False, rule.cite,
                                f"needs {rule.threshold.describe()} of {', '.join(rule.classes)} by {rule.basis}{why}"))
            continue
        result = consent_counts(charter, table, rule, approving)
        if not result.required:
            checks.append(Check(f"consent:{rule.id}", True, rule.cite, "not required: the class is not outstanding"))
            continue
        checks.append(Check(
            f"consent:{rule.id}", result.met, rule.cite,
            f"{result.in_favour} of {result.outstanding} {rule.basis} in favour; needs {rule.threshold.describe()}{why}",
        ))
    return checks


def _prices(charter: Charter, table: CapTable) -> dict[str, Fraction]:
    return {s.id: table.conversion_price(charter, s.id) for s in charter.series}


def _holdings(charter: Charter, table: CapTable) -> list[tuple[tuple[str, int], ...]]:
    return [tuple((s.id, table.holder_shares(h, s.id)) for s in charter.series if table.holder_shares(h, s.id))
            for h in table.holders]


def conversion_need(charter: Charter, table: CapTable) -> int:
    """Whole common shares needed to convert all outstanding preferred: each holder's whole shares, summed
    (infinity IV.4(g), nvidia IV.D.3(M): a holder's fraction is paid in cash, never issued)."""
    return reservation.reserve_needed(charter, _holdings(charter, table), _prices(charter, table))


def _issue(charter: Charter, table: CapTable, class_id: str, shares: int) -> list[Check]:
    if class_id == charter.common.id:
        after = table.shares_of(class_id) + shares
        checks = [Check("authorized", after <= charter.common.authorized, charter.common.cite,
                        f"{after} common outstanding after the issue; {charter.common.authorized} authorized")]
        unissued = charter.common.authorized - after
        need = conversion_need(charter, table)
        checks.append(Check("reservation", need <= unissued, charter.conversion.reservation_cite,
                            f"{unissued} authorized unissued common after the issue; full conversion needs {need}"))
        return checks
    try:
        series = charter.series_by_id(class_id)
    except KeyError:
        raise InputError(f"action class {class_id!r} is not a series of {charter.id}"
                         f"{did_you_mean(class_id, [s.id for s in charter.series])} "
                         f"(series: {', '.join(s.id for s in charter.series) or 'none'})") from None
    after = table.shares_of(class_id) + shares
    preferred_after = sum(table.shares_of(s.id) for s in charter.series) + shares
    # The new preferred must be convertible too (infinity IV.4(j), nvidia IV.D.3(L)): its whole conversion
    # shares, as one new holding, on top of every present holder's.
    unissued = charter.common.authorized - table.shares_of(charter.common.id)
    need = reservation.reserve_needed(charter, [*_holdings(charter, table), ((class_id, shares),)],
                                      _prices(charter, table))
    return [
        Check("designated", after <= series.designated, series.cite,
              f"{after} {class_id} outstanding after the issue; {series.designated} designated"),
        Check("authorized", preferred_after <= charter.preferred_authorized, charter.preferred_cite,
              f"{preferred_after} preferred outstanding after the issue; {charter.preferred_authorized} authorized"),
        Check("reservation", need <= unissued, charter.conversion.reservation_cite,
              f"{unissued} authorized unissued common; full conversion after the issue needs {need}"),
    ]


def split_factor(splits: list[Fraction]) -> Fraction:
    """New shares per original share after the given splits and combinations, in order."""
    factor = Fraction(1)
    for ratio in splits:
        factor *= ratio
    return factor


def offering_triggers(charter: Charter, price: Fraction, gross: Fraction, net: Fraction, firm: bool,
                      splits: Fraction = Fraction(1), registration: str | None = None) -> Check:
    """Whether an offering converts the preferred automatically. ``splits``: new shares per share of the
    charter's date (the price test is "as adjusted" for them where the charter says so); ``registration``:
    its kind, refused where the charter excludes it (nvidia IV.D.3(B)(ii): Rule 145, employee plans)."""
    trigger = charter.conversion.automatic_offering
    if trigger is None:
        return Check("automatic-conversion", False, charter.conversion.cite, "the charter has no offering trigger")
    min_price = trigger.min_price / splits if trigger.price_split_adjusted else trigger.min_price
    price_ok = Threshold(min_price, trigger.price_compare, trigger.cite).met(price, 1)
    amount = gross if trigger.amount_basis == "gross" else net
    amount_ok = Threshold(trigger.min_amount, trigger.amount_compare, trigger.cite).met(amount, 1)
    firm_ok = firm or not trigger.firm_commitment_required
    registration_ok = registration not in trigger.excluded_registrations
    hit = price_ok and amount_ok and firm_ok and registration_ok
    adjusted = f" (as adjusted for splits: {trigger.min_price} / {splits})" if splits != 1 and trigger.price_split_adjusted else ""
    return Check(
        "automatic-conversion", hit, trigger.cite,
        f"price {price} {'meets' if price_ok else 'fails'} {trigger.price_compare} {min_price}{adjusted}; "
        f"{trigger.amount_basis} amount {amount} {'meets' if amount_ok else 'fails'} {trigger.amount_compare} "
        f"{trigger.min_amount}" + ("" if firm_ok else "; not a firm-commitment offering")
        + ("" if registration_ok else f"; a {registration} registration does not qualify"),
    )


def deemed_liquidation(charter: Charter, transaction: str, measures: Mapping[str, Fraction], flags: set[str]) -> Check:
    for event in charter.liquidation.deemed:
        if event.kind != transaction or flags & set(event.exceptions):
            continue
        if event.measure is None:
            return Check("deemed-liquidation", True, event.cite, f"a {transaction} is a deemed liquidation")
        if event.measure not in measures:
            raise InputError(f"action: a {transaction} needs {event.measure} to decide {event.cite}")
        assert event.threshold is not None
        if event.threshold.met(measures[event.measure], 1):
            return Check("deemed-liquidation", True, event.cite,
                         f"{event.measure} {measures[event.measure]} is {event.threshold.describe()}")
        return Check("deemed-liquidation", False, event.cite,
                     f"{event.measure} {measures[event.measure]} is not {event.threshold.describe()}")
    return Check("deemed-liquidation", False, charter.liquidation.cite, f"a {transaction} is not a deemed liquidation here")


# The action that asks whether a deal is a Corporate Sale (infinity IV.3(d), IV.8(f)): decided by substance.
CORPORATE_SALE = "corporate-sale"

ACTION_KEYS = {"action", "approving", "class", "shares", "price", "gross", "net", "firm_commitment",
               "transaction", "voting-power-retained", "voting-power-transferred", "flags", "splits", "registration",
               "series", "date"}


def _flag(raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):  # "false" is a non-empty string, which Python counts as true
        raise InputError(f"action.{key}: expected true or false, got {value!r}")
    return value


def _names(raw: Mapping[str, Any], key: str) -> list[str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"action.{key}: expected a list of names (strings), got {value!r}")
    return value


def _text(raw: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"action.{key}: expected a non-empty string, got {value!r}")
    return value


def _splits(raw: Mapping[str, Any]) -> list[Fraction]:
    """``splits``: the ratios (new shares per old) of every split and combination since the charter's date."""
    value = raw.get("splits", [])
    if not isinstance(value, list):
        raise InputError(f"action.splits: expected a list of ratios (new shares per old), got {value!r}")
    ratios = [parse_exact(v, f"action.splits[{i}]") for i, v in enumerate(value)]
    for i, ratio in enumerate(ratios):
        if ratio <= 0:
            raise InputError(f"action.splits[{i}]: a split needs a positive ratio (new shares per old), got {value[i]!r}")
    return ratios


def _share_of_vote(raw: Mapping[str, Any], key: str) -> Fraction:
    """A fraction of the voting power: between 0 and 1 (3/2 of the votes is not a fraction of them)."""
    value = parse_amount(raw[key], f"action.{key}")
    if value > 1:
        raise InputError(f"action.{key}: {raw[key]!r} is more than all of the voting power (expected 0 to 1)")
    return value


def check_action(charter: Charter, table: CapTable, raw: Mapping[str, Any]) -> list[Check]:
    """All the checks a proposed action (as parsed from an action file) triggers.

    Every key is type-checked: a string where a boolean or a list belongs would
    otherwise change the answer silently (``"false"`` is true, ``"abc"`` is a list of letters).
    """
    unknown = set(raw) - ACTION_KEYS
    if unknown:
        raise InputError(f"action: unknown key {sorted(unknown)[0]!r}")
    if "action" not in raw:
        raise InputError("action: 'action' (the kind of action) is missing")
    action = _text(raw, "action")
    approving = _names(raw, "approving")
    firm = _flag(raw, "firm_commitment")
    flags = _names(raw, "flags") or []
    if approving:  # named holders are checked first, whatever the action needs
        unknown = sorted(set(approving) - set(table.holders))
        if unknown:
            raise InputError("approving " + unknown_name("holder", unknown[0], "the cap table", table.holders))
    transaction = _text(raw, "transaction") if "transaction" in raw else None
    by_substance = any(rule.on_deemed_liquidation for rule in charter.consents)
    if transaction is None and by_substance:
        if action == CORPORATE_SALE:
            raise InputError(f"action: whether a deal is a {CORPORATE_SALE} depends on its substance "
                             f"({charter.liquidation.cite}): give transaction (one of "
                             f"{', '.join(dict.fromkeys(e.kind for e in charter.liquidation.deemed)) or 'none'})")
        if action in {e.kind for e in charter.liquidation.deemed}:
            transaction = action  # a merger asked for under its own name is still judged by its substance
    deemed = None
    if transaction is not None:
        measures = {key: _share_of_vote(raw, key) for key in ("voting-power-retained", "voting-power-transferred") if key in raw}
        deemed = deemed_liquidation(charter, transaction, measures, set(flags))
    checks = _consents(charter, table, action, approving, deemed is not None and deemed.ok, frozenset(flags))
    if action == "issue":
        checks += _issue(charter, table, _text(raw, "class"), parse_shares(raw.get("shares"), "action.shares"))
    if action == "offering":
        checks.append(offering_triggers(
            charter, parse_amount(raw.get("price"), "action.price"), parse_amount(raw.get("gross", "0"), "action.gross"),
            parse_amount(raw.get("net", "0"), "action.net"), firm, split_factor(_splits(raw)),
            _text(raw, "registration") if "registration" in raw else None,
        ))
    if action == "automatic-conversion-consent":
        # Every group of the consent trigger must consent at once (oracle/consent_conversion.py).
        hit, cite, what = converts_by_consent(charter, table, approving or [])
        checks.append(Check("automatic-conversion", hit, cite, what))
    if action == "redeem":  # NVCA §6.1: the approving holders are the ones requesting (oracle/redemption.py)
        from charter_oracle.oracle.redemption import action_checks

        checks += action_checks(charter, table, raw, approving)
    if deemed is not None:
        checks.append(deemed)
    return checks
