"""The state of the ledger between events: share counts, outstanding grants, prices, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from charter_oracle.oracle.adjustments.events import Event
from charter_oracle.oracle.cap_table import CapTable
from charter_oracle.oracle.charter import Charter


@dataclass(frozen=True)
class Grant:
    """An option grant outstanding in the ledger (deemed issued when granted)."""

    index: int | None  # event index; None for options already in the cap table
    shares: int | Fraction  # whole after any split; a fraction only inside a replay (see Event)
    exercise_price: Fraction
    employee_excluded: int | Fraction = 0  # shares of it counted against the employee cap
    # Additional Shares deemed issued at grant (infinity IV.4(d)(iii)(1): only when the grant's price per
    # share was below the price in effect). Deemed outstanding in every later base, whatever the base's
    # own option condition says (IV.4(d)(iv), last sentence).
    deemed: int | Fraction = 0
    exercised: int | Fraction = 0  # options of it exercised so far (issued common; neither expired nor open)
    row: int | None = None  # the cap table's [[options]] row, for options already in it (events name it ``option``)


@dataclass(frozen=True)
class SeriesPrice:
    effective: Fraction  # the price in effect
    exact: Fraction  # the unrounded chain (for exact-cumulative carry-forward)
    pending: Fraction = Fraction(0)  # per-adjustment carry-forward not yet made
    # The price the next formula starts from, when not ``exact``: the rounded price in effect after a change
    # that was made with its rounding remainder dropped (interpretation infinity.rounding-remainder).
    base: Fraction | None = None

    @property
    def start(self) -> Fraction:
        """What the next weighted average or split multiplies (infinity IV.4(d)(iv) "such Conversion Price")."""
        return self.exact if self.base is None else self.base


@dataclass(frozen=True)
class Note:
    event: int
    series: str
    before: Fraction
    after: Fraction
    cite: str
    what: str


@dataclass(frozen=True)
class LedgerState:
    common: int
    preferred: tuple[tuple[str, int], ...]
    grants: tuple[Grant, ...]
    prices: tuple[tuple[str, SeriesPrice], ...]
    employee_cap_used: int | Fraction
    # Each holder's preferred shares by series (constant in a ledger: no event issues preferred),
    # for the whole-share count of a base (IV.D.3(M), 4(g): a holder's series are aggregated).
    holdings: tuple[tuple[tuple[str, int], ...], ...]
    notes: tuple[Note, ...] = field(default=())

    def price(self, series_id: str) -> Fraction:
        return dict(self.prices)[series_id].effective

    @property
    def conversion_prices(self) -> dict[str, Fraction]:
        return {sid: p.effective for sid, p in self.prices}


@dataclass(frozen=True)
class LedgerResult:
    events: tuple[Event, ...]
    states: tuple[LedgerState, ...]  # states[i] is after event i
    initial: LedgerState

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for state in self.states for note in state.notes)


def initial_state(charter: Charter, table: CapTable) -> LedgerState:
    prices = tuple(
        (s.id, SeriesPrice(table.conversion_price(charter, s.id), table.conversion_price(charter, s.id)))
        for s in charter.series
    )
    return LedgerState(
        common=table.shares_of(charter.common.id),
        preferred=tuple((s.id, table.shares_of(s.id)) for s in charter.series),
        grants=_table_grants(charter, table),
        prices=prices,
        employee_cap_used=charter.dilution.employee_cap_used if charter.dilution else 0,
        holdings=tuple(
            held for held in (
                tuple((s.id, table.holder_shares(h, s.id)) for s in charter.series if table.holder_shares(h, s.id))
                for h in table.holders
            ) if held
        ),
    )


def _table_grants(charter: Charter, table: CapTable) -> tuple[Grant, ...]:
    """The cap table's options (events name them by ``option``, their row). Where the charter caps
    employee issues, they are taken to be inside the cap's used count, in order, as far as it goes
    (infinity IV.4(d)(i)(3)(B) counts the 1,406,542 options outstanding on the Original Issue Date), so that
    their expiry frees room in the cap ("net of ... expirations") and their exercise does not."""
    room = charter.dilution.employee_cap_used if charter.dilution and charter.dilution.employee_cap is not None else 0
    grants = []
    for k, option in enumerate(table.options):
        inside = min(option.shares, room)
        room -= inside
        grants.append(Grant(None, option.shares, option.exercise_price, inside, row=k))
    return tuple(grants)
