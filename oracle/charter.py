"""The charter model: every economic term of a certificate, as cited values.

A ``Charter`` is built from a charter file (see ``oracle/charter_file.py`` and
``docs/charter-format.md``). Every group of terms carries the ``cite`` of the
section it encodes. The engines read only these values: nothing in them tests a
charter's id, so a user's own charter with the same quirks behaves the same.

Over 300 lines on purpose: it is one concept (the terms' frozen values, no behaviour beyond small
lookups), and one file is where a reader checks what a charter file can say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the optional NVCA series terms live in their own module (it imports Threshold from here)
    from charter_oracle.oracle.series_extras import PayToPlayTerms, RedemptionTerms

Compare = Literal[">", ">=", "<", "<="]

# NVCA 2020 §4.4.1's Exempted Securities by category, besides "employee" and "other" (an events
# file's ``excluded``; a charter's ``[dilution] exempted``): oracle/adjustments/exempted.py.
EXEMPTED_CATEGORIES = ("conversion", "split-dividend", "preferred-dividend", "strategic", "lender")


@dataclass(frozen=True)
class Threshold:
    """A fraction compared exactly with a stated strictness ("more than", "at least")."""

    fraction: Fraction
    compare: Compare
    cite: str

    def met(self, part: Fraction | int, whole: Fraction | int) -> bool:
        """Is ``part / whole`` on the passing side? Compared by cross-multiplying, exactly."""
        if whole == 0:
            return False
        lhs, rhs = Fraction(part), self.fraction * Fraction(whole)
        return {
            ">": lhs > rhs,
            ">=": lhs >= rhs,
            "<": lhs < rhs,
            "<=": lhs <= rhs,
        }[self.compare]

    def describe(self) -> str:
        words = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most"}
        return f"{words[self.compare]} {self.fraction}"


@dataclass(frozen=True)
class CommonTerms:
    id: str
    name: str
    authorized: int
    par: Fraction
    cite: str


@dataclass(frozen=True)
class Liquidation:
    """Preference per share and its rank (1 is paid first; equal ranks are pari passu)."""

    preference: Fraction
    rank: int
    cite: str


@dataclass(frozen=True)
class Participation:
    """What a non-converting series takes beside common after all preferences.

    ``none``: nothing. ``full``: shares the residual as if converted, without
    limit. ``capped``: shares it until the per-share total under this clause
    reaches the cap, which is the lesser of ``cap_per_share`` and, when an
    interest leg is given, simple interest on ``interest_principal`` at
    ``interest_rate`` per ``day_count``-day year since the series' first issue
    date (infinity-1996 IV.3(b)). When ``cap_includes_preference`` the cap counts
    the preference already received (the modern "3x cap" form).
    """

    kind: Literal["none", "full", "capped"]
    cite: str
    cap_per_share: Fraction | None = None
    cap_includes_preference: bool = False
    interest_rate: Fraction | None = None
    interest_principal: Fraction | None = None
    day_count: int = 365
    interest_start: Literal["series-first-issue"] = "series-first-issue"


@dataclass(frozen=True)
class ConversionRight:
    """Common per preferred share = conversion value / conversion price."""

    value: Fraction
    initial_price: Fraction
    cite: str


@dataclass(frozen=True)
class DilutionProtection:
    """Which adjustment a series' price gets for cheap issues of common.

    ``full-ratchet``: the price drops to the issue's price (NVCA 2020 §4.4 alternative);
    ``narrow-based-weighted-average``: the weighted average over outstanding stock only (common and
    preferred as converted; no options or other convertibles), see ``oracle/adjustments/methods.py``.
    """

    method: Literal["none", "broad-based-weighted-average", "narrow-based-weighted-average", "full-ratchet"]
    cite: str


@dataclass(frozen=True)
class DividendPreference:
    """An annual dividend preference per share (``rate``, dollars): paid in rank order, pari passu within a rank.

    Non-cumulative by default: only a declaration counts. ``cumulative``: it accrues from the series'
    issue date to the cap table's date (``oracle/accrual.py``), simple or compounding annually on a
    ``day_count``-day year, and the accrued amount is part of the liquidation amount (NVCA 2020 §1, §2.1).
    ``annual_fraction`` is the rate as a fraction of the original issue price when written so (needed
    to compound).
    """

    rate: Fraction
    rank: int
    cite: str
    cumulative: bool = False
    compounding: Literal["simple", "annual"] = "simple"
    day_count: int = 365
    annual_fraction: Fraction | None = None


@dataclass(frozen=True)
class Series:
    id: str
    name: str
    designated: int
    original_issue_price: Fraction
    cite: str
    liquidation: Liquidation
    participation: Participation
    conversion: ConversionRight
    dilution: DilutionProtection
    dividend: DividendPreference | None
    redemption: RedemptionTerms | None = None  # NVCA §6 (oracle/series_extras.py)
    pay_to_play: PayToPlayTerms | None = None  # NVCA §4, optional provision


@dataclass(frozen=True)
class DeemedLiquidationEvent:
    """A transaction the charter treats as a liquidation (infinity 3(d), nvidia IV.D.2(C))."""

    kind: str
    cite: str
    measure: str | None = None  # e.g. "voting-power-retained", "voting-power-transferred"
    threshold: Threshold | None = None
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiquidationTerms:
    cite: str
    shortfall_cite: str
    residual_cite: str
    deemed: tuple[DeemedLiquidationEvent, ...] = ()
    # Set by the interpretation all.declared-dividends-on-conversion.
    declared_dividends_on_conversion: Literal["paid-with-preferences", "forfeited"] = "paid-with-preferences"
    conversion_choice: Literal["better-of"] = "better-of"
    valuation_window: Literal["calendar-days", "trading-days"] = "calendar-days"
    # Non-cash distributions: listed securities at the average close over a window of
    # ``valuation_days`` ending ``valuation_lag_days`` before the distribution (infinity IV.3(e)).
    valuation_days: int | None = None
    valuation_lag_days: int = 0
    valuation_cite: str = ""
    # Is the day the window ends on (``valuation_lag_days`` before the distribution) inside it?
    # (interpretation infinity.valuation-window-end)
    valuation_window_end: Literal["inclusive", "exclusive"] = "inclusive"


@dataclass(frozen=True)
class OfferingTrigger:
    """Automatic conversion on a public offering meeting a price and an amount test."""

    cite: str
    min_price: Fraction
    price_compare: Compare
    min_amount: Fraction
    amount_compare: Compare
    amount_basis: Literal["gross", "net"]  # net: after underwriting discounts, commissions, expenses
    firm_commitment_required: bool
    # Registrations that never qualify (nvidia IV.D.3(B)(ii): solely Rule 145, or an employee benefit plan).
    excluded_registrations: tuple[str, ...] = ()
    # The price test is "as adjusted" for splits and combinations (infinity IV.4(b)(i), nvidia IV.D.3(B)(ii)).
    price_split_adjusted: bool = False


@dataclass(frozen=True)
class ConsentTrigger:
    """Automatic conversion on the consent of a fraction of named preferred, counted in shares.

    ``also``: further groups whose consent is needed at the same time (the Requisite Holders *and*
    a majority of one series, NVCA 2020 §5.1(b)); all must consent (``oracle/consent_conversion.py``).
    """

    cite: str
    classes: tuple[str, ...]
    basis: Literal["shares", "as-converted"]
    threshold: Threshold
    also: tuple["ConsentTrigger", ...] = ()


@dataclass(frozen=True)
class ConversionTerms:
    cite: str
    share_rounding: Fraction | None  # e.g. 1/100 share (infinity 4(h)(i)); None: exact
    share_rounding_cite: str
    cash_in_lieu_cite: str
    retire_converted: bool
    retire_cite: str
    reservation_cite: str
    automatic_offering: OfferingTrigger | None = None
    automatic_consent: ConsentTrigger | None = None
    # Converted preferred also leaves the authorized preferred (infinity IV.4(f): "cease to be a part of the
    # authorized capital stock"; nvidia IV.D.6: "eliminated from the shares ... authorized to issue").
    retire_from_authorized: bool = False
    # Cash on conversion to this unit (infinity IV.4(h)(i): to the nearest cent); None: exact.
    cash_unit: Fraction | None = None
    cash_unit_cite: str = ""
    # Declared but unpaid dividends paid in cash on conversion (infinity IV.4(a)); False: the text says nothing.
    pays_declared_dividends: bool = False
    declared_dividends_cite: str = ""


@dataclass(frozen=True)
class DilutionTerms:
    """The charter-wide rules of the weighted-average adjustment."""

    cite: str
    start_date: dt.date | None  # issues before it are not Additional Shares
    consideration: Literal["gross", "net-of-commissions"]
    consideration_cite: str
    below_cite: str
    options_in_base: str  # "all" or "below-price-of:<series id>"
    base_cite: str
    price_unit: Fraction | None  # None: exact prices
    price_tie: Literal["half-up", "half-even"]
    carry_forward_below: Fraction | None
    carry_forward: Literal["exact-cumulative", "per-adjustment"]
    rounding_cite: str
    # "readjust-if-adjusted": only options whose grant itself moved a price readjust on expiry (NVCA 2020 §4.4.3).
    option_expiry: Literal["readjust", "readjust-if-adjusted", "none"]
    option_expiry_cite: str
    employee_cap: int | None  # excluded employee issues up to this many shares (net)
    employee_cap_used: int
    excluded_cite: str
    split_cite: str
    # infinity IV.4(d)(iii)(C): a recomputation for changed option terms never raises the price
    # above the lower of the price before the original adjustment and the price intervening
    # issues alone would give.
    reprice_ceiling: bool = False
    # infinity IV.4(h)(iii): is the $0.01 threshold measured on the exact change or on the change of the
    # price rounded to the unit (interpretation infinity.minimum-change-test)?
    minimum_change_test: Literal["exact-change", "rounded-price"] = "exact-change"
    # After an adjustment that was made and rounded, does the next formula start from the unrounded price
    # (the remainder carried) or from the price in effect (dropped)? (interpretation infinity.rounding-remainder)
    rounding_remainder: Literal["carried", "dropped"] = "carried"
    # NVCA 2020 §4.4.1: the categories of Exempted Securities (oracle/adjustments/exempted.py); None: any.
    exempted: tuple[str, ...] | None = None


@dataclass(frozen=True)
class VotingTerms:
    cite: str
    # Always true: the vote count implements only preferred voting as converted; the reader refuses false.
    preferred_as_converted: bool
    aggregate: Literal["holder", "series", "share"]
    # "down" (``rounding = "down"``): whole votes, fractions disregarded (NVCA 2020 §3.1).
    tie: Literal["half-up", "half-even", "down"]
    # "hundredths-first": as-converted shares rounded to 1/100 before the whole-vote rounding.
    share_rounding_first: bool = False


@dataclass(frozen=True)
class DividendTerms:
    """The dividend clause. Common takes nothing until every preferred rank has its full amount
    (``oracle/dividends.py``); a file's ``common_after_full_preferred`` may only confirm it (true).

    ``preferred_share_common``: what goes to common is shared with every preferred share as
    converted (NVCA 2020 §1), counted per holder and series in whole shares (``"whole"``) or exactly;
    None: common alone.
    """

    cite: str
    # Distribution kinds on common that the preferred share as converted ("like distributions": infinity
    # IV.4(d)(vi)(2), nvidia IV.D.3(E)); a kind neither "cash" nor listed here has no rule in the charter.
    like_distributions: tuple[str, ...] = ()
    like_cite: str = ""
    preferred_share_common: Literal["whole", "exact"] | None = None
    share_cite: str = ""


@dataclass(frozen=True)
class ConsentRule:
    """A vote or consent a charter requires: who votes, how counted, what fraction."""

    id: str
    cite: str
    classes: tuple[str, ...]  # voting classes; ("*",) means all voting stock
    basis: Literal["shares", "as-converted", "voting-power"]
    threshold: Threshold
    actions: tuple[str, ...]
    while_outstanding: tuple[str, ...] = ()
    # Asked for by substance: any action whose transaction is a deemed liquidation needs it, whatever the
    # action is called (infinity IV.8(f): "consummates a Corporate Sale", a Corporate Sale being IV.3(d)).
    on_deemed_liquidation: bool = False
    # action -> flags that take it outside this rule (infinity IV.8(e): repurchases under 2(c); nvidia
    # IV.D.5(A)(II): a merger into a wholly owned subsidiary).
    exempt: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class InterpretationSpec:
    """A place where the text is silent: a setting with a default and alternatives."""

    id: str
    cite: str
    question: str
    setting: str
    default: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class Charter:
    id: str
    name: str
    date: dt.date
    source: str
    common: CommonTerms
    preferred_authorized: int
    preferred_cite: str
    series: tuple[Series, ...]
    liquidation: LiquidationTerms
    conversion: ConversionTerms
    dilution: DilutionTerms | None
    voting: VotingTerms
    dividends: DividendTerms
    consents: tuple[ConsentRule, ...]
    interpretations: tuple[InterpretationSpec, ...]
    chosen: tuple[tuple[str, str], ...] = field(default=())  # interpretation id -> value in force

    @property
    def class_ids(self) -> tuple[str, ...]:
        return (self.common.id, *(s.id for s in self.series))

    def series_by_id(self, series_id: str) -> Series:
        for series in self.series:
            if series.id == series_id:
                return series
        raise KeyError(series_id)

    @property
    def interpretations_in_force(self) -> dict[str, str]:
        return dict(self.chosen)
