"""The invariant registry: every invariant, in the order reports list them.

Each invariant is defined in its domain module under ``invariants/domains/`` (statement,
clauses, scope, cases and check together); this module only registers them. The order is the
reports' order: a new invariant is appended, never inserted, so existing reports do not move.
"""

from __future__ import annotations

from charter_oracle.invariants.domains import adjustments, compliance, conversion, dividends, liquidation, splits
from charter_oracle.invariants.domains import dilution_methods, exit_options, options, pay_to_play, redemption
from charter_oracle.invariants.domains import valuation, voting
from charter_oracle.invariants.domains.core import Invariant

__all__ = ["BY_ID", "INVARIANTS", "Invariant"]

INVARIANTS: tuple[Invariant, ...] = (
    liquidation.CONSERVATION,
    liquidation.PREFERENCE_PRIORITY,
    liquidation.PRO_RATA_SHORTFALL,
    liquidation.EQUAL_TREATMENT,
    liquidation.MONOTONE_CONTINUOUS,
    liquidation.CONVERSION_RATIONAL,
    liquidation.PARTICIPATION_CAP,
    adjustments.NO_CONVERSION_PRICE_INCREASE,
    adjustments.ANTI_DILUTION_SCOPE,
    adjustments.ADJUSTMENT_FORMULA,
    splits.SPLIT_PROPORTIONAL,
    voting.VOTE_ROUNDING,
    compliance.AUTHORIZED_CAP,
    dividends.DIVIDEND_PRIORITY,
    compliance.THRESHOLD_EXACTNESS,
    conversion.AUTOMATIC_CONVERSION,
    voting.PROTECTIVE_CONSENTS,
    voting.SUPERMAJORITY,
    compliance.DEEMED_LIQUIDATION,
    conversion.CASH_IN_LIEU,
    valuation.VALUATION_WINDOW,
    splits.SPLIT_ROUND_TRIP,
    adjustments.RESERVATION_SUFFICIENT,
    adjustments.BROAD_BASED_STANDARD,
    voting.VOTE_TIE_INDEPENDENCE,
    compliance.RESERVATION_WHOLE_SHARES,
    compliance.CONSENT_BY_SUBSTANCE,
    adjustments.ADDITIONAL_SHARES_AFTER_START,
    options.DEEMED_OPTIONS_OUTSTANDING,
    conversion.DECLARED_DIVIDENDS_ON_CONVERSION,
    dividends.ACCRUED_DIVIDENDS,
    dilution_methods.METHOD_ORDER,
    conversion.CONSENT_TRIGGER,
    dilution_methods.EXEMPTED_ISSUES,
    redemption.REDEMPTION_INSTALLMENTS,
    pay_to_play.PAY_TO_PLAY_NON_BUYERS,
    exit_options.OPTIONS_IN_EXIT,
)

BY_ID: dict[str, Invariant] = {inv.id: inv for inv in INVARIANTS}
