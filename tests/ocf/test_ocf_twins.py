"""The OCF twins of the bundled reference cap tables give the TOML route's answers, byte for byte.

Each twin (``tests/ocf/twins/``, written by ``make_twins.py``) reaches its reference table
through a history of tranches, transfers, a cancellation or repurchase, a split, option grants
and cancellations, an exercise and a retraction; a transaction dated after ``as_of`` must not count.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

import charter_oracle as co
from charter_oracle.api import LoadedCharter
from charter_oracle.oracle.ocf import import_package
from charter_oracle.oracle.ocf.cross_check import cross_check
from ocf_fixtures import CLASS_MAPS, TWINS, run, zipped

CHARTERS = ("byzantine-1999", "infinity-1996", "nvidia-1998", "example-modern")
PROCEEDS = ("0", "1", "1000000", "7777777.77", "25000000", "1000000000")


def _routes(charter_id: str) -> tuple[LoadedCharter, LoadedCharter]:
    toml = co.load(charter_id)
    ocf = co.load(charter_id, cap_table=TWINS / charter_id, class_map=CLASS_MAPS.get(charter_id))
    if charter_id == "example-modern":
        # OCF has no declared-but-unpaid dividends (docs/ocf.md): the twin matches the reference
        # table without its [declared_unpaid_dividends], and that is the only difference.
        assert toml.table.declared_unpaid_dividends and not ocf.table.declared_unpaid_dividends
        toml = LoadedCharter(toml.charter, dataclasses.replace(toml.table, declared_unpaid_dividends=()))
    return toml, ocf


@pytest.mark.parametrize("charter_id", CHARTERS)
def test_the_twin_holds_what_the_reference_table_holds(charter_id: str) -> None:
    toml, ocf = _routes(charter_id)
    assert ocf.table.as_of == toml.table.as_of
    # The same rows (the twin lists each holder's classes together) and the same holder order, which
    # every output follows.
    assert sorted(ocf.table.holdings, key=repr) == sorted(toml.table.holdings, key=repr)
    assert ocf.table.holders == toml.table.holders
    assert ocf.table.options == toml.table.options
    assert ocf.table.conversion_prices == toml.table.conversion_prices == ()


@pytest.mark.parametrize("charter_id", CHARTERS)
def test_waterfalls_and_votes_are_identical_json(charter_id: str) -> None:
    toml, ocf = _routes(charter_id)
    for proceeds in PROCEEDS:
        assert json.dumps(ocf.waterfall(proceeds).to_json()) == json.dumps(toml.waterfall(proceeds).to_json())
    assert json.dumps(ocf.votes().to_json()) == json.dumps(toml.votes().to_json())


@pytest.mark.parametrize("charter_id", CHARTERS)
def test_the_twins_terms_agree_with_the_charter(charter_id: str) -> None:
    toml, _ = _routes(charter_id)
    imported = import_package(TWINS / charter_id, toml.charter, CLASS_MAPS.get(charter_id))
    assert cross_check(imported, toml.charter) == ()


def test_infinity_series_c_first_issue_comes_from_the_history() -> None:
    # 3(b)'s cap accrues interest from the series' first issue: the TOML table states 1994-01-15;
    # the twin's first Series C issuance (tx-06) is on that day, its later tranche on 1995-03-01.
    _, ocf = _routes("infinity-1996")
    assert ocf.table.issue_date("series_c").isoformat() == "1994-01-15"


def test_every_path_shape_gives_the_same_command_output(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    folder = TWINS / "nvidia-1998"
    archive = zipped(folder, tmp_path)
    outputs = []
    for cap in (None, str(folder), str(folder / "Manifest.ocf.json"), str(archive)):
        argv = ["waterfall", "nvidia-1998", "--proceeds", "25000000", "--json"] + (["--cap-table", cap] if cap else [])
        status, out, err = run(capsys, *argv)
        assert (status, err) == (0, "")
        outputs.append(out)
    assert outputs[1:] == outputs[:1] * 3


def test_an_archive_with_the_package_in_a_folder_reads_the_same(tmp_path) -> None:
    folder = TWINS / "byzantine-1999"
    archive = zipped(folder, tmp_path, prefix="export-2000-03-31/")
    assert co.load("byzantine-1999", cap_table=archive).table == co.load("byzantine-1999", cap_table=folder).table


def test_date_replays_the_history_up_to_that_day(capsys: pytest.CaptureFixture[str]) -> None:
    # On 1996-01-01 (nvidia twin): Founders 5,500,000 x 2 (the 1994-12-01 split) = 11,000,000 common;
    # Lead Ventures 2,000,000 + 1,000,000 Series A; Early Angel still holds its 1,383,000 (the transfer
    # to Angel Group is 1996-02-01); Employees, Series B-D and the options come later. Series A votes
    # as converted at 0.50 / 0.50 = 1 vote a share.
    status, out, err = run(capsys, "votes", "nvidia-1998", "--cap-table", str(TWINS / "nvidia-1998"),
                           "--date", "1996-01-01", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out)["holders"] == {"Founders": 11_000_000, "Lead Ventures": 3_000_000, "Early Angel": 1_383_000}
    loaded = co.load("nvidia-1998", cap_table=TWINS / "nvidia-1998", as_of="1996-01-01")
    assert loaded.table.options == () and loaded.table.as_of.isoformat() == "1996-01-01"
