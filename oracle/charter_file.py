"""Reading and validating charter files (TOML) into the ``Charter`` model.

Validation is strict: an unknown key, a missing ``cite``, a wrong type or an
inconsistent value is a ``CharterFormatError`` naming the file, the key and the
value. The format is documented in ``docs/charter-format.md``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle import bundled
from charter_oracle.oracle.charter import (
    Charter,
    CommonTerms,
    ConsentRule,
    ConsentTrigger,
    ConversionRight,
    ConversionTerms,
    DeemedLiquidationEvent,
    DilutionProtection,
    DilutionTerms,
    DividendPreference,
    DividendTerms,
    InterpretationSpec,
    Liquidation,
    LiquidationTerms,
    OfferingTrigger,
    Participation,
    Series,
    Threshold,
    VotingTerms,
)
from charter_oracle.oracle.dates import parse_date
from charter_oracle.oracle.errors import CharterFormatError, InputError
from charter_oracle.oracle.exact import parse_exact, parse_shares
from charter_oracle.oracle.input_files import read_toml_file
from charter_oracle.oracle.interpretations import GLOBAL_INTERPRETATIONS, resolve
from charter_oracle.oracle.naming import did_you_mean, nearest

COMPARES = (">", ">=", "<", "<=")

# A charter id names its report files (``<id>.md``, ``<id>.json``, ``<id>.svg``): letters, digits,
# '.', '_' and '-', starting with a letter or digit, at most 64 characters; "index" is the index's.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)
RESERVED_IDS = ("index",)


def check_id(value: str, what: str) -> str:
    """A charter id safe as a file name on every system (documented in docs/charter-format.md)."""
    if not ID_PATTERN.fullmatch(value) or value.lower() in RESERVED_IDS:
        raise CharterFormatError(
            f"{what}: {value!r} is not a charter id (letters, digits, '.', '_', '-', starting with a letter or "
            f"digit, at most 64 characters, not 'index')"
        )
    return value


def _item_name(item: Any, index: int) -> str:
    """How an error names an item of an array of tables: by its id when it has a usable one
    (``series.series_c``), else by position (``series[0]``)."""
    found = item.get("id") if isinstance(item, dict) else None
    if isinstance(found, str) and ID_PATTERN.fullmatch(found):
        return f".{found}"
    return f"[{index}]"


class _Table:
    """A TOML table read key by key; ``close()`` refuses keys nobody asked for."""

    def __init__(self, data: Any, where: str, file: str, *, cited: bool = True) -> None:
        if not isinstance(data, dict):
            raise CharterFormatError(f"{file}: {where}: expected a table, got {data!r}")
        self.data, self.where, self.file = data, where, file
        self.seen: set[str] = set()
        if cited:
            self.cite = self.string("cite")

    def fail(self, key: str, message: str) -> CharterFormatError:
        return CharterFormatError(f"{self.file}: {self.where}.{key}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:  # a typo of the key is the likeliest cause: say which key is there instead
                typo = nearest(key, [k for k in self.data if k not in self.seen and isinstance(k, str)])
                raise self.fail(key, "missing" + (f" (the table has {typo!r}: a typo?)" if typo else ""))
            return None
        return self.data[key]

    def string(self, key: str, required: bool = True, choices: tuple[str, ...] | None = None) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        if choices is not None and value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}{did_you_mean(value, choices)}")
        return value

    def exact(self, key: str, required: bool = True, positive: bool = False) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            number = parse_exact(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None
        if number < 0 or (positive and number == 0):
            raise self.fail(key, f"expected a {'positive' if positive else 'non-negative'} number, got {value!r}")
        return number

    def unit_or_exact(self, key: str) -> Fraction | None:
        """A rounding unit, or None when absent or written "exact" (interpretations may say so)."""
        if self.data.get(key) == "exact":
            self.seen.add(key)
            return None
        return self.exact(key, required=False, positive=True)

    def shares(self, key: str, required: bool = True) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return parse_shares(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def date(self, key: str, required: bool = True) -> Any:
        value = self._get(key, required)
        if value is None:
            return None
        try:
            return parse_date(value, f"{self.file}: {self.where}.{key}")
        except InputError as error:
            raise CharterFormatError(str(error)) from None

    def strings(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        if len(set(value)) != len(value):
            raise self.fail(key, f"a value is listed twice in {value!r}")
        return tuple(value)

    def nonempty_strings(self, key: str) -> tuple[str, ...]:
        """A required list that must name at least one thing (an empty consent class list is meaningless)."""
        values = self.strings(key)
        if not values:
            raise self.fail(key, "expected at least one entry, got an empty list")
        return values

    def positive_whole(self, key: str) -> int | None:
        """An optional whole number that must be at least 1 when given (a count of days)."""
        value = self.shares(key, required=False)
        if value is not None and value < 1:
            raise self.fail(key, f"expected a whole number of at least 1, got {value!r}")
        return value

    def table(self, key: str, required: bool = True, cited: bool = True) -> _Table | None:
        value = self._get(key, required)
        if value is None:
            return None
        return _Table(value, f"{self.where}.{key}", self.file, cited=cited)

    def tables(self, key: str) -> list[_Table]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected an array of tables ([[{key}]]), got {value!r}")
        return [_Table(item, f"{self.where}.{key}{_item_name(item, i)}", self.file) for i, item in enumerate(value)]

    def threshold(self, cite: str) -> Threshold:
        fraction = self.exact("threshold")
        compare = self.string("compare", choices=COMPARES)
        if fraction > 1:
            raise self.fail("threshold", f"a fraction of a vote must be at most 1, got {fraction}")
        return Threshold(fraction=fraction, compare=compare, cite=cite)

    def close(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            key = unknown[0]
            allowed = ", ".join(sorted(self.seen))
            raise self.fail(key, f"unknown key (value {self.data[key]!r}){did_you_mean(key, self.seen)} "
                                 f"(keys here: {allowed})")


def _set_path(raw: dict[str, Any], path: str, value: str, file: str) -> None:
    """Write an interpretation's value at its setting path (``series.<id>.`` reaches a series)."""
    parts = path.split(".")
    node: Any = raw
    if parts[0] == "series" and len(parts) > 2:
        for i, item in enumerate(raw.get("series", []) if isinstance(raw.get("series"), list) else []):
            found = item.get("id") if isinstance(item, dict) else None
            if isinstance(item, dict) and not (isinstance(found, str) and found.strip()):
                # the series table is validated later; name the bad id here rather than "no series"
                raise CharterFormatError(f"{file}: charter.series[{i}].id: expected a non-empty string, got {found!r}")
        matches = [s for s in raw.get("series", []) if isinstance(s, dict) and s.get("id") == parts[1]]
        if not matches:
            raise CharterFormatError(f"{file}: interpretation setting {path!r}: no series {parts[1]!r}")
        node, parts = matches[0], parts[2:]
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise CharterFormatError(f"{file}: interpretation setting {path!r} is not a table path")
    if parts[-1] in node:
        raise CharterFormatError(
            f"{file}: {path} is set in the file but also left to an interpretation; set it in one place"
        )
    node[parts[-1]] = value


def _participation(t: _Table, preference: Fraction | None = None) -> Participation:
    kind = t.string("kind", choices=("none", "full", "capped"))
    cap = t.exact("cap_per_share", required=False)
    rate = t.exact("interest_rate", required=False)
    principal = t.exact("interest_principal", required=False)
    day_count = t.positive_whole("day_count")
    day_count = 365 if day_count is None else day_count
    includes = t.boolean("cap_includes_preference", False)
    interest_start = t.string("interest_start", required=False, choices=("series-first-issue",))
    if kind == "capped" and cap is None and rate is None:
        raise t.fail("cap_per_share", "a capped participation needs cap_per_share or interest_rate")
    if kind != "capped" and (cap is not None or rate is not None):
        raise t.fail("kind", f"{kind!r} participation takes no cap")
    if (rate is None) != (principal is None):
        raise t.fail("interest_rate", "interest_rate and interest_principal go together")
    if cap is not None and includes and preference is not None and cap < preference:
        raise t.fail("cap_per_share", f"a cap of {cap} including the preference is below the preference {preference}")
    t.close()
    return Participation(
        kind=kind, cite=t.cite, cap_per_share=cap, cap_includes_preference=includes,
        interest_rate=rate, interest_principal=principal, day_count=day_count,
        interest_start=interest_start or "series-first-issue",
    )


def _series(t: _Table, common_id: str) -> Series:
    series_id = t.string("id")
    if series_id == common_id:
        raise t.fail("id", f"{series_id!r} is the common class id")
    liq = t.table("liquidation")
    liquidation = Liquidation(preference=liq.exact("preference"), rank=liq.shares("rank"), cite=liq.cite)
    liq.close()
    participation = _participation(t.table("participation"), liquidation.preference)
    conv = t.table("conversion")
    conversion = ConversionRight(
        value=conv.exact("value", positive=True), initial_price=conv.exact("initial_price", positive=True),
        cite=conv.cite,
    )
    conv.close()
    dil = t.table("dilution")
    dilution = DilutionProtection(
        method=dil.string("method", choices=("none", "broad-based-weighted-average")), cite=dil.cite
    )
    dil.close()
    div = t.table("dividend", required=False)
    dividend = None
    if div is not None:
        dividend = DividendPreference(rate=div.exact("rate"), rank=div.shares("rank"), cite=div.cite)
        div.close()
    series = Series(
        id=series_id, name=t.string("name"), designated=t.shares("designated"),
        original_issue_price=t.exact("original_issue_price", positive=True), cite=t.cite,
        liquidation=liquidation, participation=participation, conversion=conversion,
        dilution=dilution, dividend=dividend,
    )
    t.close()
    return series


def _conversion(t: _Table, class_ids: set[str]) -> ConversionTerms:
    offering = None
    o = t.table("automatic_offering", required=False)
    if o is not None:
        offering = OfferingTrigger(
            cite=o.cite, min_price=o.exact("min_price"), price_compare=o.string("price_compare", choices=COMPARES),
            min_amount=o.exact("min_amount"), amount_compare=o.string("amount_compare", choices=COMPARES),
            amount_basis=o.string("amount_basis", choices=("gross", "net")),
            firm_commitment_required=o.boolean("firm_commitment_required", False),
            excluded_registrations=o.strings("excluded_registrations", required=False),
            price_split_adjusted=o.boolean("price_split_adjusted", False),
        )
        o.close()
    consent = None
    c = t.table("automatic_consent", required=False)
    if c is not None:
        classes = c.nonempty_strings("classes")
        for cls in classes:
            if cls not in class_ids:
                raise c.fail("classes", f"unknown class {cls!r}")
        consent = ConsentTrigger(
            cite=c.cite, classes=classes, basis=c.string("basis", choices=("shares", "as-converted")),
            threshold=c.threshold(c.cite),
        )
        c.close()
    terms = ConversionTerms(
        cite=t.cite,
        share_rounding=t.exact("share_rounding", required=False, positive=True),
        share_rounding_cite=t.string("share_rounding_cite", required=False) or t.cite,
        cash_in_lieu_cite=t.string("cash_in_lieu_cite"),
        retire_converted=t.boolean("retire_converted", True),
        retire_cite=t.string("retire_cite"),
        reservation_cite=t.string("reservation_cite"),
        automatic_offering=offering,
        automatic_consent=consent,
        retire_from_authorized=t.boolean("retire_from_authorized", False),
        cash_unit=t.exact("cash_unit", required=False, positive=True),
        cash_unit_cite=t.string("cash_unit_cite", required=False) or "",
        pays_declared_dividends=t.boolean("pays_declared_dividends", False),
        declared_dividends_cite=t.string("declared_dividends_cite", required=False) or "",
    )
    t.close()
    return terms


def _dilution(t: _Table, series_ids: set[str]) -> DilutionTerms:
    options_in_base = t.string("options_in_base")
    if options_in_base != "all":
        prefix = "below-price-of:"
        if not options_in_base.startswith(prefix) or options_in_base[len(prefix):] not in series_ids:
            raise t.fail("options_in_base", f"expected 'all' or 'below-price-of:<series id>', got {options_in_base!r}")
    terms = DilutionTerms(
        cite=t.cite,
        start_date=t.date("start_date", required=False),
        # "net" (the name of interpretation infinity.consideration's alternative) is "net-of-commissions"
        consideration={"net": "net-of-commissions"}.get(c := t.string("consideration", choices=("gross", "net", "net-of-commissions")), c),
        consideration_cite=t.string("consideration_cite"),
        below_cite=t.string("below_cite"),
        options_in_base=options_in_base,
        base_cite=t.string("base_cite"),
        price_unit=t.unit_or_exact("price_unit"),
        price_tie=t.string("price_tie", required=False, choices=("half-up", "half-even")) or "half-up",
        carry_forward_below=t.exact("carry_forward_below", required=False, positive=True),
        carry_forward=t.string("carry_forward", required=False, choices=("exact-cumulative", "per-adjustment"))
        or "exact-cumulative",
        rounding_cite=t.string("rounding_cite", required=False) or t.cite,
        option_expiry=t.string("option_expiry", choices=("readjust", "none")),
        reprice_ceiling=t.boolean("reprice_ceiling", False),
        minimum_change_test=t.string("minimum_change_test", required=False, choices=("exact-change", "rounded-price"))
        or "exact-change",
        rounding_remainder=t.string("rounding_remainder", required=False, choices=("carried", "dropped")) or "carried",
        option_expiry_cite=t.string("option_expiry_cite"),
        employee_cap=t.shares("employee_cap", required=False),
        employee_cap_used=t.shares("employee_cap_used", required=False) or 0,
        excluded_cite=t.string("excluded_cite"),
        split_cite=t.string("split_cite"),
    )
    t.close()
    return terms


def _consent(t: _Table, class_ids: set[str]) -> ConsentRule:
    classes = t.nonempty_strings("classes")
    for cls in (*classes, *t.strings("while_outstanding", required=False)):
        if cls != "*" and cls not in class_ids:
            raise t.fail("classes", f"unknown class {cls!r}")
    rule = ConsentRule(
        id=t.string("id"), cite=t.cite, classes=classes,
        basis=t.string("basis", choices=("shares", "as-converted", "voting-power")),
        threshold=t.threshold(t.cite), actions=t.strings("actions"),
        while_outstanding=t.strings("while_outstanding", required=False),
        on_deemed_liquidation=t.boolean("on_deemed_liquidation", False),
        exempt=_exempt(t),
    )
    t.close()
    return rule


def _exempt(t: _Table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``exempt = { ACTION = [FLAG, ...] }``: the flags that take an action outside a consent rule."""
    inner = t.table("exempt", required=False, cited=False)
    if inner is None:
        return ()
    pairs = tuple((str(action), inner.nonempty_strings(action)) for action in sorted(inner.data))
    inner.close()
    return pairs


def build_charter(raw: Mapping[str, Any], file: str, chosen: Mapping[str, str] | None = None) -> Charter:
    """Validate a parsed charter file and build the model, with interpretations applied."""
    raw = copy.deepcopy(dict(raw))
    root = _Table(raw, "charter", file, cited=False)
    fmt = root._get("format", True)
    if type(fmt) is not int or fmt != 1:  # ``true == 1`` in Python: a boolean is not a format number
        raise root.fail("format", f"expected format = 1, got {fmt!r}")
    specs: list[InterpretationSpec] = []
    for t in root.tables("interpretations"):
        alternatives = t.strings("alternatives")
        default = t.string("default")
        if default not in alternatives:
            raise t.fail("default", f"{default!r} is not among the alternatives {alternatives}")
        spec_id = t.string("id")
        if any(spec.id == spec_id for spec in specs):
            raise t.fail("id", f"interpretation {spec_id!r} is declared twice")
        specs.append(InterpretationSpec(
            id=spec_id, cite=t.cite, question=t.string("question"), setting=t.string("setting"),
            default=default, alternatives=alternatives,
        ))
        t.close()
    for spec in GLOBAL_INTERPRETATIONS:
        if any(own.id == spec.id for own in specs):
            raise root.fail("interpretations", f"{spec.id!r} is a global interpretation; a charter cannot redeclare it")
    specs.extend(GLOBAL_INTERPRETATIONS)
    values = resolve(specs, chosen or {})
    for spec in specs:
        if spec.setting:
            _set_path(raw, spec.setting, values[spec.id], file)
    root = _Table(raw, "charter", file, cited=False)
    root.seen.update({"format", "interpretations"})

    common_t = root.table("common")
    common = CommonTerms(
        id=common_t.string("id"), name=common_t.string("name"), authorized=common_t.shares("authorized"),
        par=common_t.exact("par"), cite=common_t.cite,
    )
    common_t.close()
    series = tuple(_series(t, common.id) for t in root.tables("series"))
    ids = [s.id for s in series]
    if len(set(ids)) != len(ids):
        raise root.fail("series", f"duplicate series id in {ids}")
    class_ids = {common.id, *ids}
    pref_t = root.table("preferred", required=bool(series))
    preferred_authorized, preferred_cite = 0, common.cite
    if pref_t is not None:
        preferred_authorized, preferred_cite = pref_t.shares("authorized"), pref_t.cite
        pref_t.close()
    designated = sum(s.designated for s in series)
    if designated > preferred_authorized:
        raise root.fail("series", f"designated shares {designated} exceed authorized preferred {preferred_authorized}")

    liq_t = root.table("liquidation")
    deemed = []
    for d in liq_t.tables("deemed"):
        measure = d.string("measure", required=False)
        threshold = d.threshold(d.cite) if measure else None
        deemed.append(DeemedLiquidationEvent(
            kind=d.string("kind"), cite=d.cite, measure=measure, threshold=threshold,
            exceptions=d.strings("exceptions", required=False),
        ))
        d.close()
    liquidation = LiquidationTerms(
        cite=liq_t.cite, shortfall_cite=liq_t.string("shortfall_cite"), residual_cite=liq_t.string("residual_cite"),
        deemed=tuple(deemed),
        declared_dividends_on_conversion=liq_t.string(
            "declared_dividends_on_conversion", choices=("paid-with-preferences", "forfeited")
        ),
        conversion_choice=liq_t.string("conversion_choice", required=False, choices=("better-of",)) or "better-of",
        valuation_window=liq_t.string("valuation_window", required=False, choices=("calendar-days", "trading-days"))
        or "calendar-days",
        valuation_days=liq_t.positive_whole("valuation_days"),
        valuation_lag_days=liq_t.shares("valuation_lag_days", required=False) or 0,
        valuation_cite=liq_t.string("valuation_cite", required=False) or "",
        valuation_window_end=liq_t.string("valuation_window_end", required=False, choices=("inclusive", "exclusive"))
        or "inclusive",
    )
    liq_t.close()

    conversion = _conversion(root.table("conversion"), class_ids)
    dil_t = root.table("dilution", required=False)
    dilution = _dilution(dil_t, set(ids)) if dil_t is not None else None
    if dilution is None and any(s.dilution.method != "none" for s in series):
        raise root.fail("dilution", "a series has a weighted-average adjustment but the charter has no [dilution]")

    vote_t = root.table("voting")
    voting = VotingTerms(
        cite=vote_t.cite, preferred_as_converted=vote_t.boolean("preferred_as_converted", True),
        aggregate=vote_t.string("aggregate", choices=("holder", "series", "share")),
        tie=vote_t.string("tie", choices=("half-up", "half-even")),
        share_rounding_first=vote_t.string("share_rounding_first", required=False, choices=("none", "hundredths-first"))
        == "hundredths-first",
    )
    vote_t.close()
    div_t = root.table("dividends")
    dividends = DividendTerms(cite=div_t.cite, common_after_full_preferred=div_t.boolean("common_after_full_preferred", True),
                              like_distributions=div_t.strings("like_distributions", required=False),
                              like_cite=div_t.string("like_cite", required=False) or "")
    div_t.close()
    consents = tuple(_consent(t, class_ids) for t in root.tables("consents"))
    consent_ids = [rule.id for rule in consents]
    if len(set(consent_ids)) != len(consent_ids):
        raise root.fail("consents", f"duplicate consent id in {consent_ids}")

    charter = Charter(
        id=check_id(root.string("id"), f"{file}: charter.id"), name=root.string("name"), date=root.date("date"), source=root.string("source"),
        common=common, preferred_authorized=preferred_authorized, preferred_cite=preferred_cite,
        series=series, liquidation=liquidation, conversion=conversion, dilution=dilution, voting=voting,
        dividends=dividends, consents=consents, interpretations=tuple(specs),
        chosen=tuple(sorted(values.items())),
    )
    root.close()
    return charter


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML input file: a bounded regular file (``input_files``), every problem one clear line."""
    return read_toml_file(path, what)


def charter_path(name_or_path: str) -> Path:
    """A bundled charter id, or a path to a charter file."""
    bundled_path = bundled.charter_file(name_or_path)
    if bundled_path is not None:
        return bundled_path
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return path
    raise InputError(
        f"charter {name_or_path!r}: not a bundled charter{did_you_mean(name_or_path, bundled.CHARTER_IDS)} "
        f"({', '.join(bundled.CHARTER_IDS)}) nor a file"
    )


def load_charter(name_or_path: str, chosen: Mapping[str, str] | None = None) -> Charter:
    """Load a bundled charter by id, or a user's charter file by path."""
    path = charter_path(name_or_path)
    return build_charter(read_toml(path, "charter"), str(path), chosen)

