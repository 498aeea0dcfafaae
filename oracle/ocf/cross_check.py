"""Cross-checking an OCF package's class terms against the charter: report, never trust.

OCF carries some economic terms per stock class. Where they disagree with the
charter file, the charter is the legal text and the oracle follows it; each
disagreement is a ``Disagreement`` naming both values and the charter clause, which
``check`` reports as a ``data-consistency`` finding. Compared, for each OCF class
mapped to a charter class (the terms a package leaves out are not compared):

* ``initial_shares_authorized`` (after authorized-shares adjustments up to the date)
  with a series' designated count, or common's authorized count;
* ``price_per_share`` with a series' original issue price;
* ``liquidation_preference_multiple`` with the preference over the original issue price;
* ``participation_cap_multiple`` with the charter's participation: none, full, or a cap
  (whose total per share, the preference included, over the original issue price is
  the multiple);
* the conversion mechanism's ``conversion_price`` with the initial conversion price,
  its ``ratio`` with the conversion value over that price;
* ``votes_per_share``: common 1; a series, as converted at the initial price when the
  charter's voting is as converted;
* ``seniority`` between every two series: OCF's higher number is paid first, the
  charter's rank 1 is; equal is pari passu in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from charter_oracle.oracle.charter import Charter, Series
from charter_oracle.oracle.exact import format_exact
from charter_oracle.oracle.ocf.importer import OcfImport
from charter_oracle.oracle.ocf.models import StockClass


@dataclass(frozen=True)
class Disagreement:
    charter_class: str
    term: str  # e.g. "liquidation_preference_multiple"
    ocf_value: str
    charter_value: str
    cite: str
    where: str  # the OCF object: "OCF package 'p': FILE: object ID"

    @property
    def message(self) -> str:
        return (f"{self.charter_class}: OCF {self.term} is {self.ocf_value}, the charter says {self.charter_value} "
                f"({self.cite}); the oracle follows the charter [{self.where}]")


def _x(value: Fraction) -> str:
    return format_exact(value)


def cross_check(imported: OcfImport, charter: Charter) -> tuple[Disagreement, ...]:
    mapping = dict(imported.mapping)
    authorized = dict(imported.replayed.authorized)
    found: list[Disagreement] = []
    series = {s.id: s for s in charter.series}
    for c in imported.contents.classes:
        target = mapping.get(c.id)
        if target is None:
            continue
        count = authorized.get(c.id, c.authorized)
        if target == charter.common.id:
            if count is not None and count != charter.common.authorized:
                found.append(Disagreement(target, "shares authorized", f"{count:,}", f"{charter.common.authorized:,}",
                                          charter.common.cite, c.where))
            if c.votes_per_share is not None and c.votes_per_share != 1:
                found.append(Disagreement(target, "votes_per_share", _x(c.votes_per_share), "1 (common)",
                                          charter.voting.cite, c.where))
            continue
        s = series[target]
        if count is not None and count != s.designated:
            found.append(Disagreement(target, "shares authorized", f"{count:,}", f"{s.designated:,} designated",
                                      s.cite, c.where))
        found += _terms(c, s, charter)
    found += _seniority(imported.contents.classes, mapping, series)
    return tuple(found)


def _terms(c: StockClass, s: Series, charter: Charter) -> list[Disagreement]:
    out = []
    oip = s.original_issue_price
    if c.price_per_share is not None and c.price_per_share != oip:
        out.append(Disagreement(s.id, "price_per_share", _x(c.price_per_share), f"original issue price {_x(oip)}",
                                s.cite, c.where))
    multiple = s.liquidation.preference / oip if oip else None
    if c.liquidation_preference_multiple is not None and multiple is not None \
            and c.liquidation_preference_multiple != multiple:
        out.append(Disagreement(s.id, "liquidation_preference_multiple", _x(c.liquidation_preference_multiple),
                                f"{_x(multiple)} (preference {_x(s.liquidation.preference)} / issue price {_x(oip)})",
                                s.liquidation.cite, c.where))
    p = s.participation
    if c.participation_cap_multiple is not None and oip:
        if p.kind == "none":
            charter_says = "non-participating"
        elif p.kind == "full":
            charter_says = "participating without a cap"
        elif p.cap_per_share is None:
            charter_says = "a cap on an interest leg only"
        else:
            total = p.cap_per_share if p.cap_includes_preference else p.cap_per_share + s.liquidation.preference
            charter_says = "" if total / oip == c.participation_cap_multiple else \
                f"a cap of {_x(total / oip)}x ({_x(total)} per share with the preference)"
        if charter_says:
            out.append(Disagreement(s.id, "participation_cap_multiple", _x(c.participation_cap_multiple),
                                    charter_says, p.cite, c.where))
    if c.conversion is not None:
        price = s.conversion.initial_price
        if c.conversion.price is not None and c.conversion.price != price:
            out.append(Disagreement(s.id, "conversion_price", _x(c.conversion.price), f"initial price {_x(price)}",
                                    s.conversion.cite, c.where))
        ratio = s.conversion.value / price
        if c.conversion.ratio is not None and c.conversion.ratio != ratio:
            out.append(Disagreement(s.id, "conversion ratio", _x(c.conversion.ratio),
                                    f"{_x(ratio)} (value {_x(s.conversion.value)} / price {_x(price)})",
                                    s.conversion.cite, c.where))
    if c.votes_per_share is not None:
        votes = s.conversion.value / s.conversion.initial_price if charter.voting.preferred_as_converted else Fraction(0)
        if c.votes_per_share != votes:
            out.append(Disagreement(s.id, "votes_per_share", _x(c.votes_per_share),
                                    f"{_x(votes)} ({'as converted' if charter.voting.preferred_as_converted else 'no vote'})",
                                    charter.voting.cite, c.where))
    return out


def _seniority(classes: tuple[StockClass, ...], mapping: Mapping[str, str],
               series: Mapping[str, Series]) -> list[Disagreement]:
    ranked = [(c, series[mapping[c.id]]) for c in classes
              if c.seniority is not None and mapping.get(c.id) in series]
    out = []
    for i, (a, sa) in enumerate(ranked):
        for b, sb in ranked[i + 1:]:
            if sa.id == sb.id:
                continue
            assert a.seniority is not None and b.seniority is not None
            ocf = (a.seniority > b.seniority) - (a.seniority < b.seniority)  # 1: a paid first
            charter = (sa.liquidation.rank < sb.liquidation.rank) - (sa.liquidation.rank > sb.liquidation.rank)
            if ocf != charter:
                word = {1: "before", 0: "pari passu with", -1: "after"}
                out.append(Disagreement(
                    sa.id, f"seniority against {sb.id}",
                    f"{_x(a.seniority)} vs {_x(b.seniority)} (paid {word[ocf]} {sb.id})",
                    f"rank {sa.liquidation.rank} vs {sb.liquidation.rank} (paid {word[charter]} {sb.id})",
                    sa.liquidation.cite, a.where))
    return out
