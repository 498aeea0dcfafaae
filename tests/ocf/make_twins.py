"""Writes the OCF twins of the bundled reference cap tables (``tests/ocf/twins/<charter id>/``).

Each twin is an OCF package whose transaction history (tranches, a transfer, a
cancellation or repurchase, a split, option grants, an exercise, a retraction) ends,
on the reference table's ``as_of``, in exactly its holdings and options. Stock class
terms are the charter's, as OCF states them (a price, a preference multiple, a
seniority where the higher number is paid first, a 1:1 ratio conversion, votes and
authorized counts), so the cross-check finds nothing. OCF ids are not the charter's
class ids: classes map by name (one twin needs a ``--class-map``).

Run ``python tests/ocf/make_twins.py`` to regenerate; the output is deterministic.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.exact import format_exact

HERE = Path(__file__).parent / "twins"


def _money(value: Fraction | str) -> dict[str, str]:
    return {"amount": value if isinstance(value, str) else format_exact(value), "currency": "USD"}


class Package:
    def __init__(self, charter_id: str, as_of: str) -> None:
        self.charter = load_charter(charter_id)
        self.charter_id, self.as_of = charter_id, as_of
        self.classes: list[dict[str, Any]] = []
        self.people: list[dict[str, Any]] = []
        self.txs: list[dict[str, Any]] = []
        self.ocf_ids: dict[str, str] = {}

    def stock_classes(self, renamed: dict[str, str] | None = None) -> None:
        """The charter's classes, in OCF terms; ``renamed``: an OCF name that differs from the charter's."""
        ch = self.charter
        ranks = sorted({s.liquidation.rank for s in ch.series}, reverse=True)
        common_id = f"sc-{self.charter_id}-common"
        self.ocf_ids[ch.common.id] = common_id
        self.classes.append({"object_type": "STOCK_CLASS", "id": common_id, "name": ch.common.name,
                             "class_type": "COMMON", "default_id_prefix": "CS-",
                             "initial_shares_authorized": str(ch.common.authorized), "votes_per_share": "1",
                             "seniority": "1", "par_value": _money(ch.common.par), "conversion_rights": []})
        for s in ch.series:
            ocf_id = f"sc-{self.charter_id}-{s.id.replace('_', '-')}"
            self.ocf_ids[s.id] = ocf_id
            item: dict[str, Any] = {
                "object_type": "STOCK_CLASS", "id": ocf_id, "name": (renamed or {}).get(s.id, s.name),
                "class_type": "PREFERRED", "default_id_prefix": "PS-",
                "initial_shares_authorized": str(s.designated), "votes_per_share": format_exact(
                    s.conversion.value / s.conversion.initial_price),
                "seniority": str(2 + ranks.index(s.liquidation.rank)),  # above common; the higher is paid first
                "price_per_share": _money(s.original_issue_price),
                "liquidation_preference_multiple": format_exact(s.liquidation.preference / s.original_issue_price),
                "conversion_rights": [{"conversion_mechanism": {
                    "mechanism_type": "RATIO_CONVERSION",
                    "conversion_price": _money(s.conversion.initial_price),
                    "ratio": {"numerator": format_exact(s.conversion.value / s.conversion.initial_price),
                              "denominator": "1"},
                    "rounding_type": "NORMAL"}, "converts_to_stock_class_id": common_id}],
            }
            p = s.participation
            if p.kind == "capped" and p.cap_per_share is not None and p.interest_rate is None:
                total = p.cap_per_share if p.cap_includes_preference else p.cap_per_share + s.liquidation.preference
                item["participation_cap_multiple"] = format_exact(total / s.original_issue_price)
            self.classes.append(item)

    def holder(self, key: str, name: str) -> None:
        self.people.append({"object_type": "STAKEHOLDER", "id": f"sh-{key}", "name": {"legal_name": name},
                            "stakeholder_type": "INSTITUTION"})

    def issue(self, tx: str, date: str, security: str, holder: str, class_id: str, quantity: int,
              price: str = "0.0001") -> None:
        self.txs.append({"object_type": "TX_STOCK_ISSUANCE", "id": tx, "date": date, "security_id": security,
                         "custom_id": security.upper(), "stakeholder_id": f"sh-{holder}",
                         "stock_class_id": self.ocf_ids[class_id], "share_price": _money(price),
                         "quantity": str(quantity), "security_law_exemptions": [], "stock_legend_ids": []})

    def grant(self, tx: str, date: str, security: str, holder: str, quantity: int, price: str) -> None:
        self.txs.append({"object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": tx, "date": date,
                         "security_id": security, "custom_id": security.upper(), "stakeholder_id": f"sh-{holder}",
                         "stock_class_id": self.ocf_ids[self.charter.common.id], "compensation_type": "OPTION_ISO",
                         "quantity": str(quantity), "exercise_price": _money(price), "expiration_date": None,
                         "termination_exercise_windows": [], "security_law_exemptions": []})

    def tx(self, object_type: str, tx: str, date: str, **fields: Any) -> None:
        self.txs.append({"object_type": object_type, "id": tx, "date": date, **fields})

    def split(self, tx: str, date: str, class_id: str, numerator: int, denominator: int = 1) -> None:
        self.tx("TX_STOCK_CLASS_SPLIT", tx, date, stock_class_id=self.ocf_ids[class_id],
                split_ratio={"numerator": str(numerator), "denominator": str(denominator)})

    def write(self) -> Path:
        folder = HERE / self.charter_id
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        files = {"StockClasses.ocf.json": ("OCF_STOCK_CLASSES_FILE", self.classes),
                 "Stakeholders.ocf.json": ("OCF_STAKEHOLDERS_FILE", self.people),
                 "Transactions.ocf.json": ("OCF_TRANSACTIONS_FILE", self.txs)}
        md5 = {}
        for name, (file_type, items) in files.items():
            data = (json.dumps({"file_type": file_type, "items": items}, indent=2) + "\n").encode("utf-8")
            (folder / name).write_bytes(data)
            md5[name] = hashlib.md5(data).hexdigest()
        manifest = {
            "ocf_version": "1.2.0", "file_type": "OCF_MANIFEST_FILE",
            "issuer": {"object_type": "ISSUER", "id": f"issuer-{self.charter_id}", "legal_name": self.charter.name,
                       "formation_date": self.charter.date.isoformat(), "country_of_formation": "US"},
            "as_of": self.as_of, "generated_at": f"{self.as_of}T00:00:00Z",
            "stock_classes_files": [{"filepath": "./StockClasses.ocf.json", "md5": md5["StockClasses.ocf.json"]}],
            "stakeholders_files": [{"filepath": "./Stakeholders.ocf.json", "md5": md5["Stakeholders.ocf.json"]}],
            "transactions_files": [{"filepath": "./Transactions.ocf.json", "md5": md5["Transactions.ocf.json"]}],
            "comments": [f"OCF twin of oracle/bundled/{self.charter_id}.cap-table.toml (tests/ocf/make_twins.py)"],
        }
        (folder / "Manifest.ocf.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return folder


def nvidia() -> Package:
    p = Package("nvidia-1998", "1998-06-30")
    p.stock_classes()
    for key, name in (("founders", "Founders"), ("employees", "Employees"), ("lead", "Lead Ventures"),
                      ("angel", "Angel Group"), ("second", "Second Fund"), ("strategic", "Strategic Partner"),
                      ("growth", "Growth Fund"), ("early", "Early Angel"), ("pool", "Option Pool")):
        p.holder(key, name)
    p.issue("tx-01", "1993-04-05", "cs-1", "founders", "common", 5_500_000)
    p.split("tx-02", "1994-12-01", "common", 2)  # 5,500,000 -> 11,000,000, before any preferred
    p.issue("tx-03", "1995-03-01", "pa-1", "lead", "series_a", 2_000_000, "0.50")
    p.issue("tx-04", "1995-03-01", "pa-2", "early", "series_a", 1_383_000, "0.50")
    p.issue("tx-05", "1995-09-01", "pa-3", "lead", "series_a", 1_000_000, "0.50")  # the second tranche
    # Early Angel sells its whole Series A position to Angel Group: a transfer, the new security issued.
    p.tx("TX_STOCK_TRANSFER", "tx-06", "1996-02-01", security_id="pa-2", quantity="1383000",
         resulting_security_ids=["pa-4"])
    p.issue("tx-07", "1996-02-01", "pa-4", "angel", "series_a", 1_383_000, "0.50")
    p.issue("tx-08", "1996-04-01", "cs-2", "employees", "common", 3_200_000)
    # 200,000 unvested employee shares repurchased; the remaining 3,000,000 as a balance security.
    p.tx("TX_STOCK_REPURCHASE", "tx-09", "1997-01-15", security_id="cs-2", quantity="200000",
         price=_money("0.0001"), balance_security_id="cs-3")
    p.issue("tx-10", "1997-01-15", "cs-3", "employees", "common", 3_000_000)
    p.issue("tx-11", "1996-06-01", "pb-1", "lead", "series_b", 1_879_719, "1.80")
    p.issue("tx-12", "1996-06-01", "pb-2", "second", "series_b", 1_000_000, "1.80")
    p.issue("tx-13", "1997-05-01", "pc-1", "strategic", "series_c", 760_000, "6.666667")
    p.issue("tx-14", "1998-03-01", "pd-1", "growth", "series_d", 1_800_000, "5.26")
    # Growth Fund transfers 500,000 Series D to Second Fund and keeps 1,300,000 as a balance security.
    p.tx("TX_STOCK_TRANSFER", "tx-15", "1998-05-01", security_id="pd-1", quantity="500000",
         resulting_security_ids=["pd-2"], balance_security_id="pd-3")
    p.issue("tx-16", "1998-05-01", "pd-2", "second", "series_d", 500_000, "5.26")
    p.issue("tx-17", "1998-05-01", "pd-3", "growth", "series_d", 1_300_000, "5.26")
    p.grant("tx-18", "1997-02-01", "op-1", "pool", 4_000_000, "0.25")
    p.tx("TX_EQUITY_COMPENSATION_CANCELLATION", "tx-19", "1998-01-10", security_id="op-1", quantity="500000",
         reason_text="forfeited on departures")
    # After as_of: never replayed (a later issuance must not reach the table).
    p.issue("tx-20", "1998-07-15", "cs-4", "founders", "common", 1_000)
    return p


def byzantine() -> Package:
    p = Package("byzantine-1999", "2000-03-31")
    p.stock_classes()
    for key, name in (("one", "Founder One"), ("two", "Founder Two"), ("seed", "Seed Investor")):
        p.holder(key, name)
    p.issue("tx-01", "1999-01-05", "cs-1", "one", "common", 1_500_000)
    p.issue("tx-02", "1999-01-05", "cs-2", "two", "common", 1_000_000)
    p.split("tx-03", "1999-06-01", "common", 2)
    p.issue("tx-04", "1999-09-01", "cs-3", "seed", "common", 1_200_000, "0.50")
    p.tx("TX_STOCK_CANCELLATION", "tx-05", "1999-12-01", security_id="cs-3", quantity="200000",
         balance_security_id="cs-4", reason_text="subscription reduced")
    p.issue("tx-06", "1999-12-01", "cs-4", "seed", "common", 1_000_000, "0.50")
    p.grant("tx-07", "1999-10-01", "op-1", "two", 10, "0.01")
    p.tx("TX_EQUITY_COMPENSATION_EXERCISE", "tx-08", "2000-01-10", security_id="op-1", quantity="1",
         resulting_security_ids=["cs-5"])
    p.issue("tx-09", "2000-01-10", "cs-5", "two", "common", 1, "0.01")
    p.tx("TX_EQUITY_COMPENSATION_CANCELLATION", "tx-10", "2000-02-01", security_id="op-1", quantity="9",
         reason_text="expired")
    return p


def infinity() -> Package:
    p = Package("infinity-1996", "1996-07-01")
    p.stock_classes()
    for key, name in (("trust", "Founders Trust"), ("employees", "Employees"), ("harbor", "Harbor Ventures"),
                      ("bayside", "Bayside Partners"), ("crest", "Crest Capital"), ("pool", "Option Pool")):
        p.holder(key, name)
    p.issue("tx-01", "1990-02-01", "cs-1", "trust", "common", 3_100_000)
    p.issue("tx-02", "1992-05-01", "cs-2", "employees", "common", 1_700_000, "0.05")
    p.tx("TX_STOCK_REPURCHASE", "tx-03", "1993-06-30", security_id="cs-2", quantity="46761", price=_money("0.05"))
    p.issue("tx-04", "1991-03-01", "pa-1", "harbor", "series_a", 300_000, "0.40")
    p.issue("tx-05", "1991-03-01", "pa-2", "bayside", "series_a", 200_000, "0.40")
    p.issue("tx-06", "1994-01-15", "pc-1", "harbor", "series_c", 541_667, "1.69")  # the series' first issue
    p.issue("tx-07", "1994-01-15", "pc-2", "crest", "series_c", 250_000, "1.69")
    p.issue("tx-08", "1995-03-01", "pc-3", "crest", "series_c", 250_000, "1.69")  # second tranche
    p.issue("tx-09", "1995-03-01", "pc-4", "crest", "series_c", 10_000, "1.69")  # entered by mistake...
    p.tx("TX_STOCK_RETRACTION", "tx-10", "1995-03-15", security_id="pc-4", reason_text="entered twice")  # ...undone
    p.grant("tx-11", "1993-01-01", "op-1", "pool", 1_000_000, "0.10")
    p.grant("tx-12", "1994-06-01", "op-2", "pool", 206_542, "0.10")
    p.grant("tx-13", "1995-06-01", "op-3", "pool", 250_000, "0.50")
    p.tx("TX_EQUITY_COMPENSATION_CANCELLATION", "tx-14", "1996-03-01", security_id="op-3", quantity="50000",
         balance_security_id="op-4", reason_text="forfeited")
    p.grant("tx-15", "1996-03-01", "op-4", "pool", 200_000, "0.50")
    return p


def example_modern() -> Package:
    p = Package("example-modern", "2026-06-30")
    # The package calls Series A-1 by another name: the twin is read with --class-map.
    p.stock_classes(renamed={"series_a1": "Series A-1 Preferred Stock (2024)"})
    for key, name in (("founders", "Founders"), ("growth", "Growth Capital"), ("venture", "Venture Partners"),
                      ("seed", "Seed Fund"), ("pool", "Option Pool")):
        p.holder(key, name)
    p.issue("tx-01", "2024-06-15", "cs-1", "founders", "common", 4_000_000)
    p.split("tx-02", "2024-09-01", "common", 2)
    p.issue("tx-03", "2024-10-01", "a1-1", "seed", "series_a1", 3_000_000, "1.00")
    p.issue("tx-04", "2024-10-01", "a2-1", "seed", "series_a2", 1_600_000, "1.25")
    p.tx("TX_STOCK_TRANSFER", "tx-05", "2025-03-01", security_id="a1-1", quantity="1000000",
         resulting_security_ids=["a1-2"], balance_security_id="a1-3")
    p.issue("tx-06", "2025-03-01", "a1-2", "venture", "series_a1", 1_000_000, "1.00")
    p.issue("tx-07", "2025-03-01", "a1-3", "seed", "series_a1", 2_000_000, "1.00")
    p.issue("tx-08", "2025-06-01", "b-1", "venture", "series_b", 1_500_000, "2.00")
    p.issue("tx-09", "2025-09-01", "b-2", "venture", "series_b", 1_000_000, "2.00")
    p.issue("tx-10", "2026-03-01", "c-1", "growth", "series_c", 1_500_000, "4.00")
    p.grant("tx-11", "2025-01-01", "op-1", "pool", 2_200_000, "0.40")
    p.tx("TX_EQUITY_COMPENSATION_CANCELLATION", "tx-12", "2026-01-01", security_id="op-1", quantity="200000",
         reason_text="forfeited")
    return p


if __name__ == "__main__":
    for build in (byzantine, infinity, nvidia, example_modern):
        print(build().write())
