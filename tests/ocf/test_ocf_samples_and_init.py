"""The coalition's Acme Holdings sample, and ``init --from-ocf`` round trips.

Acme's history, by hand (tests/ocf/samples/acme-holdings): si_01 issues Fiona 600,000 Ordinary A;
si_02 Charlie 400,000 Ordinary B. On 2022-06-15 st_01 transfers 300,000 of Charlie's security
(closing it: its balance is stock_issuance_04), creating si_03 (Fiona, 300,000 Ordinary A) and
si_04 (Charlie, 100,000 Ordinary B, the balance); sc_01 cancels those 100,000 on 2022-09-01. On the
as_of, 2023-06-29: Fiona 600,000 + 300,000 = 900,000 Ordinary A; Charlie nothing.
"""

from __future__ import annotations

import re
from fractions import Fraction
import tomllib
from pathlib import Path

import pytest

import charter_oracle as co
from charter_oracle.oracle.charter_file import load_charter
from charter_oracle.oracle.ocf import import_package
from charter_oracle.oracle.ocf.cross_check import cross_check
from ocf_fixtures import ACME, CLASS_MAPS, TWINS, run, zipped

# Values a user would copy from the certificate, for every TODO the skeleton leaves.
FILL = {"date": '"2022-01-01"', "source": '"test fill"', "par": '"0.0001"', "cite": '"Art. 4"',
        "original_issue_price": '"1.00"', "preference": '"1.00"',
        "participation": '{ kind = "none", cite = "Art. 4.3" }',
        "conversion": '{ value = "1.00", initial_price = "1.00", cite = "Art. 4.4" }',
        "dilution": '{ method = "none", cite = "Art. 4.5" }', "retire_converted": "true",
        "preferred_as_converted": "true", "aggregate": '"holder"', "tie": '"half-up"',
        "common_after_full_preferred": "true"}
DELETE = {"consents", "deemed", "automatic_offering", "automatic_consent", "dividend"}


def fill(skeleton: str) -> str:
    """Resolve each TODO: delete the optional clauses, give the others a value (cites: "Art. 4")."""
    lines, section = [], ""
    for line in skeleton.splitlines():
        section = line if line.startswith("[") else section
        key = re.match(r'^(\w+) = "TODO', line)
        if key and (key.group(1) in DELETE or (key.group(1) == "dilution" and not section)):
            continue
        lines.append(re.sub(r'(\w+) = "TODO[^"]*"', lambda m: f"{m.group(1)} = {FILL.get(m.group(1), FILL['cite'])}",
                            line))
    return "\n".join(lines) + "\n"


def skeleton_of(capsys: pytest.CaptureFixture[str], package: Path, out: Path) -> str:
    status, stdout, err = run(capsys, "init", "--from-ocf", str(package), "--out", str(out))
    assert (status, err) == (0, ""), err
    assert "TODO entries" in stdout
    return out.read_text(encoding="utf-8")


def test_the_acme_sample_replays_to_the_hand_computed_holdings(tmp_path) -> None:
    charter = tmp_path / "acme.toml"
    # The sample authorizes 0 Ordinary B yet issues 400,000: this charter authorizes 1,000,000.
    charter.write_text(fill(_acme_skeleton()).replace("authorized = 0\n", "authorized = 1000000\n", 1), encoding="utf-8")
    loaded = co.load(str(charter), cap_table=ACME)
    assert [(h.holder, h.class_id, h.shares) for h in loaded.table.holdings] == [
        ("Fiona Felicity Founder", "ordinary_a", 900_000)]
    assert loaded.table.as_of.isoformat() == "2023-06-29"
    # Before the cancellation Charlie still holds the 100,000 balance of Ordinary B (common).
    earlier = co.load(str(charter), cap_table=zipped(ACME, tmp_path), as_of="2022-08-31")
    assert [(h.holder, h.class_id, h.shares) for h in earlier.table.holdings] == [
        ("Fiona Felicity Founder", "ordinary_a", 900_000), ("Charlie Chuck Cofounder", "ordinary_b", 100_000)]
    # The cross-check reports the authorized count the package and the charter disagree on.
    found = cross_check(import_package(ACME, loaded.charter), loaded.charter)
    assert [(d.charter_class, d.term, d.ocf_value, d.charter_value, d.cite) for d in found] == [
        ("ordinary_b", "shares authorized", "0", "1,000,000", "Art. 4")]


def _acme_skeleton() -> str:
    from charter_oracle.oracle.ocf.importer import read_contents
    from charter_oracle.oracle.ocf.skeleton import skeleton

    return skeleton(read_contents(ACME), "acme-holdings")


def test_init_round_trips_the_acme_sample(capsys, tmp_path) -> None:
    text = skeleton_of(capsys, ACME, tmp_path / "charter.toml")
    raw = tomllib.loads(text)  # valid TOML, TODOs and all
    assert raw["common"] == {"id": "ordinary_b", "name": "Ordinary B", "authorized": 0,
                             "par": "TODO: par value per share", "cite": "TODO: the clause of the certificate"}
    assert [(s["id"], s["designated"], s["liquidation"]["rank"]) for s in raw["series"]] == [
        ("ordinary_a", 10_000_000, 1), ("preferred", 0, 1)]  # both OCF seniority "1": pari passu
    # The loader refuses the skeleton, listing its TODO entries in one line.
    status, out, err = run(capsys, "votes", str(tmp_path / "charter.toml"), "--cap-table", str(ACME))
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert "40 TODO entries" in err and "series.ordinary_a.participation" in err and "voting.tie" in err
    # Resolved, it loads with the sample as its cap table, and the sample agrees with it.
    filled = tmp_path / "filled.toml"
    filled.write_text(fill(text), encoding="utf-8")
    status, out, err = run(capsys, "votes", str(filled), "--cap-table", str(ACME), "--json")
    assert (status, err) == (0, "")
    assert '"Fiona Felicity Founder": 900000' in out
    charter = load_charter(str(filled))
    assert cross_check(import_package(ACME, charter), charter) == ()


@pytest.mark.parametrize("charter_id", ["nvidia-1998", "example-modern"])
def test_init_from_a_twin_recovers_what_ocf_says_of_the_bundled_charter(capsys, tmp_path, charter_id: str) -> None:
    raw = tomllib.loads(skeleton_of(capsys, TWINS / charter_id, tmp_path / "charter.toml"))
    bundled = load_charter(charter_id)
    by_name = {s["name"]: s for s in raw["series"]}
    assert raw["common"]["authorized"] == bundled.common.authorized
    assert Fraction(raw["common"]["par"]) == bundled.common.par  # the twin's common carries a par_value
    for s in bundled.series:
        got = by_name.get(s.name) or by_name[f"{s.name} Stock (2024)"]  # the renamed example-modern A-1
        assert got["designated"] == s.designated
        assert Fraction(got["original_issue_price"]) == s.original_issue_price
        assert Fraction(got["liquidation"]["preference"]) == s.liquidation.preference
        assert got["liquidation"]["rank"] == s.liquidation.rank
        assert got["conversion"]["initial_price"] == got["original_issue_price"]  # initial prices are the issue prices
    if charter_id == "example-modern":
        b = by_name["Series B Preferred"]["participation"]  # capped at 3x its $2.00, the preference included
        assert (b["kind"], b["cap_per_share"], b["cap_includes_preference"]) == ("capped", "6", True)
    assert raw["voting"]["preferred_as_converted"] is True  # OCF votes per share = the 1:1 conversion ratio


def test_init_never_overwrites_and_writes_nothing_on_failure(capsys, tmp_path) -> None:
    out = tmp_path / "charter.toml"
    out.write_text("mine", encoding="utf-8")
    status, _, err = run(capsys, "init", "--from-ocf", str(ACME), "--out", str(out))
    assert status == 2 and "exists" in err and out.read_text(encoding="utf-8") == "mine"
    missing = tmp_path / "new.toml"
    status, _, err = run(capsys, "init", "--from-ocf", str(tmp_path / "nothing.ocf.zip"), "--out", str(missing))
    assert status == 2 and "no such file" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["charter.toml"]  # no skeleton, no temporary file


def test_a_class_map_and_names_agree(tmp_path) -> None:
    # The example-modern twin's A-1 class matches by --class-map only; by id or by name the map says the same.
    by_id = co.load("example-modern", cap_table=TWINS / "example-modern", class_map=CLASS_MAPS["example-modern"])
    by_name = co.load("example-modern", cap_table=TWINS / "example-modern",
                      class_map={"series a-1 preferred stock (2024)": "series_a1"})
    assert by_id.table == by_name.table
