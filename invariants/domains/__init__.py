"""The invariants, one module per domain; ``core`` holds the invariant value and what they share.

Internal: the public names are ``invariants.registry``'s ``INVARIANTS`` (in report order),
``BY_ID`` and ``Invariant``. Each domain module keeps an invariant's statement, clauses,
applicability, cases and check together: liquidation, conversion, adjustments (with splits),
voting, compliance, dividends, valuation.
"""
