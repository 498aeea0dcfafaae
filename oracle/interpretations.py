"""Named interpretations: where a charter is silent, the oracle says what it assumed.

A charter file declares its own interpretations (``[[interpretations]]``), each
bound to a setting of the charter model. The ones below apply to every charter
and are defined here. ``--interpret ID=VALUE`` picks an alternative; every JSON
output lists the values in force under ``"interpretations"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from charter_oracle.oracle.charter import InterpretationSpec
from charter_oracle.oracle.errors import InterpretationError
from charter_oracle.oracle.naming import did_you_mean

REPRICE_CEILING_BASE = "all.reprice-ceiling-base"
EXPIRY_RELEASE = "all.expiry-release"

GLOBAL_INTERPRETATIONS: tuple[InterpretationSpec, ...] = (
    InterpretationSpec(
        id="all.declared-dividends-on-conversion",
        cite="infinity-1996 IV.4(a); nvidia-1998 IV.D.2(A)",
        question=(
            "Does a series that converts still receive its declared but unpaid dividends in a "
            "liquidation? A declared dividend is a debt of the company."
        ),
        setting="liquidation.declared_dividends_on_conversion",
        default="paid-with-preferences",
        alternatives=("paid-with-preferences", "forfeited"),
    ),
    InterpretationSpec(
        id="all.base-conversion-shares",
        cite="nvidia-1998 IV.D.3(G)(I), IV.D.3(M); infinity-1996 IV.4(d)(iv), IV.4(g), IV.4(h)(i)",
        question=(
            "The base of a weighted-average adjustment counts the common issuable on conversion of the "
            "preferred; does it count the fraction of a share, which conversion never issues? Default: "
            "whole shares, each holder's series aggregated before the fraction is dropped; 'hundredths' "
            "takes infinity IV.4(h)(i)'s nearest 1/100 of a share to apply to these counts."
        ),
        setting="",
        default="whole",
        alternatives=("whole", "exact", "hundredths"),
    ),
    InterpretationSpec(
        id="all.reprice-ceiling-base",
        cite="infinity-1996 IV.4(d)(iii)(C)",
        question=(
            "A recomputation for changed option terms never exceeds 'the Conversion Price on the original "
            "adjustment date': the price just before that adjustment, or the price it produced? Applies where "
            "the charter states the ceiling (reprice_ceiling)."
        ),
        setting="",
        default="before-original",
        alternatives=("before-original", "after-original"),
    ),
    InterpretationSpec(
        id="all.expiry-release",
        cite="infinity-1996 IV.4(d)(i)(3)(B)",
        question=(
            "The employee cap is net of expirations; when part of a grant that was only partly inside the cap "
            "expires, are its capped (excluded) options freed first, or its Additional Shares first?"
        ),
        setting="",
        default="excluded-first",
        alternatives=("excluded-first", "additional-first"),
    ),
    InterpretationSpec(
        id="all.payout-cents",
        cite="-",
        question="Are payouts shown as exact fractions, or in cents allocated by largest remainder?",
        setting="",
        default="exact",
        alternatives=("exact", "cents"),
    ),
    InterpretationSpec(
        id="all.equilibrium",
        cite="-",
        question=(
            "When several conversion outcomes are stable, which one is paid? All are reported; "
            "the default pays the one the preferred as a whole prefer (ties: fewest conversions)."
        ),
        setting="",
        default="preferred-best",
        alternatives=("preferred-best", "fewest-conversions"),
    ),
    InterpretationSpec(
        id="all.options-in-exit",
        cite="NVCA 2020 §2.1, §2.2 (only stock shares in a liquidation); the option plan and warrant terms",
        question=(
            "Do outstanding options and warrants take part in an exit? 'excluded': no, only stock is paid; "
            "'cash-exercise': every vested one in the money exercises, its exercise price joins the proceeds "
            "and its shares share as their class."
        ),
        setting="",
        default="excluded",
        alternatives=("excluded", "cash-exercise"),
    ),
)


def parse_choices(pairs: Iterable[str]) -> dict[str, str]:
    """Parse repeated ``ID=VALUE`` options into a mapping (one clear error if malformed)."""
    chosen: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InterpretationError(f"--interpret {pair!r}: expected ID=VALUE")
        key, value = (part.strip() for part in pair.split("=", 1))
        if not key or not value:
            raise InterpretationError(f"--interpret {pair!r}: expected ID=VALUE")
        if chosen.get(key, value) != value:
            raise InterpretationError(f"--interpret {key}: given twice with different values ({chosen[key]!r} and {value!r})")
        chosen[key] = value
    return chosen


def resolve(specs: Iterable[InterpretationSpec], chosen: Mapping[str, str]) -> dict[str, str]:
    """The value of every interpretation: the chosen one, else its default."""
    specs = list(specs)
    known = {spec.id: spec for spec in specs}
    for key, value in chosen.items():
        if key not in known:
            raise InterpretationError(
                f"--interpret {key}={value}: no interpretation {key!r} for this charter{did_you_mean(key, known)} "
                f"(known: {', '.join(sorted(known))})"
            )
        if value not in known[key].alternatives:
            raise InterpretationError(
                f"--interpret {key}={value}: {value!r} is not an alternative{did_you_mean(value, known[key].alternatives)} "
                f"(expected one of {', '.join(known[key].alternatives)})"
            )
    return {spec.id: chosen.get(spec.id, spec.default) for spec in specs}
