"""Bad OCF packages are refused: exit 2, one stderr line naming the file, the object id and the problem.

Each case starts from a good twin and breaks one thing; the good twin itself loads (the
twin tests), so each refusal is caused by the one change.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ocf_fixtures import TWINS, changed, copy_package, item, reseal, run, zipped

NVIDIA = TWINS / "nvidia-1998"
TX = "Transactions.ocf.json"


def refused(capsys: pytest.CaptureFixture[str], cap: Path | str, *words: str, charter: str = "nvidia-1998",
            extra: tuple[str, ...] = ()) -> str:
    status, out, err = run(capsys, "votes", charter, "--cap-table", str(cap), *extra)
    assert status == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def _set(object_id: str, **fields: Any):
    def change(items: list[dict[str, Any]]) -> None:
        item(items, object_id).update(fields)
    return change


def test_unmapped_class(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, "StockClasses.ocf.json", _set("sc-nvidia-1998-series-b", name="Series B-2"))
    refused(capsys, bad, "StockClasses.ocf.json", "sc-nvidia-1998-series-b", "unmapped class", "--class-map")


def test_unknown_stakeholder(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-12", stakeholder_id="sh-nobody"))
    refused(capsys, bad, TX, "'tx-12'", "sh-nobody", "unknown stakeholder")


def test_unknown_security(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-19", security_id="op-404"))
    refused(capsys, bad, TX, "'tx-19'", "op-404", "unknown security")


def test_unknown_resulting_security(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-06", resulting_security_ids=["pa-404"]))
    refused(capsys, bad, TX, "'tx-06'", "pa-404", "unknown security")


def test_unknown_stock_class(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-13", stock_class_id="sc-nowhere"))
    refused(capsys, bad, TX, "'tx-13'", "sc-nowhere", "unknown class")


def test_bad_md5(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-12", quantity="1000001"), seal=False)
    refused(capsys, bad, TX, "bad md5", "manifest says")


def test_a_position_that_would_go_negative(capsys, tmp_path) -> None:
    # op-1 holds 4,000,000 options; cancelling 4,000,001 would leave -1.
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-19", quantity="4000001"))
    refused(capsys, bad, TX, "'tx-19'", "holds 4000000", "negative")


def test_a_security_used_after_it_closed(capsys, tmp_path) -> None:
    def transfer_again(items: list[dict[str, Any]]) -> None:
        items.append({"object_type": "TX_STOCK_TRANSFER", "id": "tx-again", "date": "1998-06-01",
                      "security_id": "pa-2", "quantity": "1", "resulting_security_ids": []})
    bad = changed(NVIDIA, tmp_path, TX, transfer_again)
    refused(capsys, bad, TX, "'tx-again'", "pa-2", "already closed")


def test_malformed_json(capsys, tmp_path) -> None:
    folder = copy_package(NVIDIA, tmp_path)
    text = (folder / TX).read_text(encoding="utf-8")
    (folder / TX).write_text(text[: len(text) // 2], encoding="utf-8")
    reseal(folder)
    refused(capsys, folder, TX, "malformed JSON")


def test_a_json_float_is_refused_by_name(capsys, tmp_path) -> None:
    folder = copy_package(NVIDIA, tmp_path)
    text = (folder / TX).read_text(encoding="utf-8").replace('"quantity": "760000"', '"quantity": 760000.0')
    (folder / TX).write_text(text, encoding="utf-8")
    reseal(folder)
    refused(capsys, folder, TX, "'tx-13'", "quantity", "float")


def test_a_fraction_of_a_share(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-13", quantity="760000.5"))
    refused(capsys, bad, TX, "'tx-13'", "fraction of a share")


def test_a_split_into_fractions(capsys, tmp_path) -> None:
    # 5,500,000 x 2/3 = 3,666,666 2/3 shares: not whole, so refused, naming the security.
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-02", split_ratio={"numerator": "2", "denominator": "3"}))
    refused(capsys, bad, TX, "'tx-02'", "cs-1", "fraction of a share")


def test_splits_cannot_build_absurd_share_counts(capsys, tmp_path) -> None:
    def many_splits(items: list[dict[str, Any]]) -> None:
        items += [{"object_type": "TX_STOCK_CLASS_SPLIT", "id": f"split-{i}", "date": "1995-01-01",
                   "stock_class_id": "sc-nvidia-1998-common",
                   "split_ratio": {"numerator": "1" + "0" * 59, "denominator": "1"}} for i in range(100)]
    bad = changed(NVIDIA, tmp_path, TX, many_splits)
    refused(capsys, bad, TX, "'split-0'", "cs-1", "more than 1e+30 shares")


def test_an_unsupported_transaction_kind(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-02", object_type="TX_STOCK_CONSOLIDATION"))
    refused(capsys, bad, TX, "'tx-02'", "TX_STOCK_CONSOLIDATION", "not supported")


def test_a_security_issued_twice(capsys, tmp_path) -> None:
    bad = changed(NVIDIA, tmp_path, TX, _set("tx-12", security_id="pb-1"))
    refused(capsys, bad, TX, "'tx-12'", "pb-1", "second time")


@pytest.mark.parametrize("path", ["../outside.json", "/etc/passwd", "sub/../../x.json", "a\\..\\b.json"])
def test_paths_out_of_the_package_are_refused(capsys, tmp_path, path: str) -> None:
    folder = copy_package(NVIDIA, tmp_path)
    manifest = json.loads((folder / "Manifest.ocf.json").read_text(encoding="utf-8"))
    manifest["transactions_files"][0]["filepath"] = path
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest), encoding="utf-8")
    refused(capsys, folder, "Manifest.ocf.json", "transactions_files[0]", "not a relative path inside the package")


def test_a_symbolic_link_out_of_the_package_is_refused(capsys, tmp_path) -> None:
    folder = copy_package(NVIDIA, tmp_path)
    outside = tmp_path / "elsewhere.json"
    (folder / TX).rename(outside)
    os.symlink(outside, folder / TX)
    refused(capsys, folder, TX, "resolves outside the package")


def test_a_zip_bomb_stops_at_the_limit(capsys, tmp_path) -> None:
    # 40 MiB of spaces deflate to ~40 KB; reading stops at the 32 MiB file limit, whatever the header says.
    folder = copy_package(NVIDIA, tmp_path)
    archive = tmp_path / "bomb.ocf.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            if path.name != TX:
                z.write(path, path.name)
        z.writestr(TX, b" " * (40 * 1024 * 1024))
    assert archive.stat().st_size < 1024 * 1024
    refused(capsys, archive, TX, "over the 33554432-byte limit")


def test_not_a_zip(capsys, tmp_path) -> None:
    archive = tmp_path / "junk.ocf.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip archive")
    refused(capsys, archive, "junk.ocf.zip", "not a readable zip archive")


def test_a_zip_without_a_manifest(capsys, tmp_path) -> None:
    archive = tmp_path / "empty.ocf.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "no manifest here")
    refused(capsys, archive, "exactly one Manifest.ocf.json", "found none")


def test_a_file_missing_from_the_archive(capsys, tmp_path) -> None:
    folder = copy_package(NVIDIA, tmp_path)
    (folder / "Stakeholders.ocf.json").unlink()
    refused(capsys, zipped(folder, tmp_path), "Stakeholders.ocf.json", "not in the archive")


def test_a_date_after_the_package(capsys) -> None:
    refused(capsys, NVIDIA, "--date 1999-01-01", "after the package's as_of 1998-06-30", extra=("--date", "1999-01-01"))


def test_class_map_to_an_unknown_charter_class(capsys) -> None:
    refused(capsys, NVIDIA, "--class-map", "series_z", "not a class of nvidia-1998",
            extra=("--class-map", "sc-nvidia-1998-series-b=series_z"))


def test_class_map_of_a_class_the_package_lacks(capsys) -> None:
    refused(capsys, NVIDIA, "--class-map", "no stock class 'Series Q'", extra=("--class-map", "Series Q=series_b"))


def test_class_map_refused_and_an_earlier_date_refused_with_a_toml_cap_table(capsys) -> None:
    status, _, err = run(capsys, "votes", "nvidia-1998", "--class-map", "a=series_b")
    assert status == 2 and "--class-map applies to an OCF package" in err and len(err.splitlines()) == 1
    # A cap table file states positions at its as_of: --date may move accruals forward, never back.
    status, _, err = run(capsys, "votes", "nvidia-1998", "--date", "1998-01-01")
    assert status == 2 and "before the cap table's as_of" in err and len(err.splitlines()) == 1
