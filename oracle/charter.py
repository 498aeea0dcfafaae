"""The charter model: every economic term of a certificate, as cited values.

A ``Charter`` is built from a charter file (see ``oracle/charter_file.py`` and
``docs/charter-format.md``). Every group of terms carries the ``cite`` of the
section it encodes. The engines read only these values: nothing in them tests a
charter's id, so a user's own charter with the same quirks behaves the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the optional NVCA series terms live in their own module (it imports Threshold from here)
    from charter_oracle.oracle.series_extras import PayToPlayTerms, RedemptionTerms

Compare = Literal[">", ">=", "<", "<="]


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
    """Which adjustment a series' price gets for cheap issues of common."""

    method: Literal["none", "broad-based-weighted-average"]
    cite: str


@dataclass(frozen=True)
class DividendPreference:
    """A non-cumulative annual dividend preference: paid in rank order, pari passu within a rank."""

    rate: Fraction
    rank: int
    cite: str


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


@dataclass(frozen=True)
class ConsentTrigger:
    """Automatic conversion on the consent of a fraction of named preferred, counted in shares."""

    cite: str
    classes: tuple[str, ...]
    basis: Literal["shares", "as-converted"]
    threshold: Threshold


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
    option_expiry: Literal["readjust", "none"]
    option_expiry_cite: str
    employee_cap: int | None  # excluded employee issues up to this many shares (net)
    employee_cap_used: int
    excluded_cite: str
    split_cite: str
    # infinity IV.4(d)(iii)(C): a recomputation for changed option terms never raises the price
    # above the lower of the price before the original adjustment and the price intervening
    # issues alone would give.
    reprice_ceiling: bool = False


@dataclass(frozen=True)
class VotingTerms:
    cite: str
    # Always true: the vote count implements only preferred voting as converted; the reader refuses false.
    preferred_as_converted: bool
    aggregate: Literal["holder", "series", "share"]
    tie: Literal["half-up", "half-even"]
    # "hundredths-first": as-converted shares rounded to 1/100 before the whole-vote rounding.
    share_rounding_first: bool = False


@dataclass(frozen=True)
class DividendTerms:
    """The dividend clause. Common takes nothing until every preferred rank has its full amount
    (``oracle/dividends.py``); a file's ``common_after_full_preferred`` may only confirm it (true)."""

    cite: str


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
