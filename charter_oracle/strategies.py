"""Hypothesis strategies for users' own property tests, over a charter in hand.

    from hypothesis import given
    import charter_oracle as co
    from charter_oracle.strategies import cap_tables, proceeds_for

    c = co.load("nvidia-1998")

    @given(cap_tables(c.charter), st.data())
    def test_my_engine(table, data):
        proceeds = data.draw(proceeds_for(c.charter, table))
        assert my_engine(table, proceeds) == co.api.LoadedCharter(c.charter, table).waterfall(proceeds).holders

These are the strategies the invariant suite itself uses (cap tables valid for the charter,
exit values that reach its breakpoints, financing histories); their module is internal,
this one is the public name that stays.
"""

from __future__ import annotations

from charter_oracle.invariants.strategies import cap_tables, event_histories, proceeds_for

__all__ = ["cap_tables", "event_histories", "proceeds_for"]
