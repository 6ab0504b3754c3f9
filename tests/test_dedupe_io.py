"""``leadharvest dedupe``: every input row out, in order, with cluster_id and match_reason.

The duplicates used here are ones any dedupe model must join (same domain, same phone and
name), so these tests check the file handling, not the model's thresholds.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dedupe.io import dedupe_file, open_input, parse_mapping
from leadharvest.items import Lead, Phone
from leadharvest.query import parse_query
from leadharvest.runner import JobSpec, process
from tests.cli_support import run_cli as run


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


HEADER = ["id", "name", "phone", "email", "website", "city", "notes"]
ROWS = [
    ["1", "深圳市光影数码科技有限公司", "0755-8600 1234", "sales@guangying.cn", "", "深圳", "a"],
    ["2", "Harbour Freight Logistics", "(07) 4051 1234", "", "", "Cairns", "b"],
    ["3", "Shenzhen Guangying Digital Technology Co., Ltd.", "", "", "www.guangying.cn", "", "c"],
    ["4", "Brightlens Optics Pty Ltd", "+61 7 4051 9999", "", "", "Cairns", "=1+2"],
    ["5", "（深圳）光影數碼科技", "+86 755 8600 1234", "", "guangying.cn", "", "e"],
    ["6", "BRIGHTLENS OPTICS PTY. LTD.", "07 4051 9999; 0412 345 678", "", "", "Cairns", "f"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], **kw: str) -> Path:
    with path.open("w", encoding=kw.get("encoding", "utf-8"), newline="") as fh:
        writer = csv.writer(fh, delimiter=kw.get("delimiter", ","))
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_every_row_in_order_with_its_cluster(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS)
    out = tmp_path / "out.csv"
    code, stdout, _ = run(["dedupe", str(src), "-o", str(out), "--region", "AU"], capsys)
    assert code == 0
    rows = read_csv(out)
    assert list(rows[0]) == [*HEADER, "cluster_id", "match_reason"]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    # the other columns come through as they were (a formula-looking cell made safe)
    assert [r["notes"] for r in rows] == ["a", "b", "c", "'=1+2", "e", "f"]
    ids = [r["cluster_id"] for r in rows]
    # rows 1, 3 and 5 share the domain guangying.cn; 4 and 6 the phone +61740519999 and
    # the name; clusters are numbered from 1 in order of first appearance
    assert ids == ["1", "2", "1", "3", "1", "3"]
    assert "guangying.cn" in rows[0]["match_reason"]
    assert rows[0]["match_reason"] == rows[2]["match_reason"] == rows[4]["match_reason"]
    assert "+61740519999" in rows[3]["match_reason"]
    assert rows[1]["match_reason"] == ""
    assert "6 rows, 3 businesses: 5 rows in 2 groups" in stdout


def test_map_renames_columns_and_jsonl_input_works(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    records = [
        {"公司名称": "Brightlens Optics Pty Ltd", "电话": ["+61 7 4051 9999"], "rank": 1},
        {"公司名称": "Harbour Freight", "电话": "", "extra": {"k": "v"}},
        {"公司名称": "Brightlens Optics", "电话": "(07) 4051 9999", "rank": None},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n")
    out = tmp_path / "out.csv"
    dedupe_file(src, out, mapping=parse_mapping(["公司名称=name", "电话=phone"]), region="AU")
    rows = read_csv(out)
    assert list(rows[0]) == ["公司名称", "电话", "rank", "extra", "cluster_id", "match_reason"]
    assert [r["cluster_id"] for r in rows] == ["1", "2", "1"]
    # a cell starting with + that is not an E.164 number could be a formula: made safe
    assert rows[0]["电话"] == "'+61 7 4051 9999"
    assert rows[1]["extra"] == '{"k": "v"}'
    assert rows[2]["rank"] == ""


def test_lead_records_from_export_jsonl_are_read(tmp_path: Path) -> None:
    # ``export --format jsonl`` writes the lead record: phones are objects, address_raw
    leads = [
        Lead(name="Brightlens Optics Pty Ltd", phones=[Phone(raw="(07) 4051 9999")]),
        Lead(name="Brightlens Optics", phones=[Phone(raw="+61 7 4051 9999")]),
    ]
    src = tmp_path / "leads.jsonl"
    src.write_text("".join(json.dumps(x.to_dict()) + "\n" for x in leads))
    out = tmp_path / "out.csv"
    dedupe_file(src, out, region="AU")
    assert [r["cluster_id"] for r in read_csv(out)] == ["1", "1"]


def test_gb18030_semicolons_and_a_rerun_on_its_own_output(tmp_path: Path) -> None:
    # a CSV saved by Excel in China: GB18030, and here ';' between columns
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS, encoding="gb18030", delimiter=";")
    source = open_input(src)
    assert (source.encoding, source.delimiter) == ("gb18030", ";")
    out = tmp_path / "out.csv"
    dedupe_file(src, out, region="AU")
    first = read_csv(out)
    assert first[0]["name"] == "深圳市光影数码科技有限公司"
    again = tmp_path / "again.csv"
    dedupe_file(out, again, region="AU")
    # the old cluster columns are replaced, not doubled
    assert read_csv(again) == first


def test_ragged_rows_keep_every_cell(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("name,phone\nAcme Trading,\nBeta Foods,123,surplus\n\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    dedupe_file(src, out)
    rows = read_csv(out)
    assert list(rows[0]) == ["name", "phone", "column_3", "cluster_id", "match_reason"]
    assert [(r["name"], r["column_3"], r["cluster_id"]) for r in rows] == [
        ("Acme Trading", "", "1"),
        ("Beta Foods", "surplus", "2"),
    ]


@pytest.mark.parametrize(
    ("setup", "extra", "message"),
    [
        (None, [], "input not found"),
        ("id,company\n1,Acme\n", [], "has no name column (columns: id, company)"),
        ("name\nAcme\n", ["--map", "name=title"], "unknown field 'title'"),
        ("name\nAcme\n", ["--map", "name"], "--map expects COLUMN=FIELD"),
        ("name\nAcme\n", ["--map", "firm=name"], "has no column 'firm'"),
        ("name\nAcme\n", ["--region", "XX"], "--region must be an ISO country code"),
        ("", [], "is empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    setup: str | None,
    extra: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "in.csv"
    if setup is not None:
        src.write_text(setup, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run(["dedupe", str(src), "-o", str(out), *extra], capsys)
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_bad_jsonl_line_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"name": "Acme"}\n[1, 2]\n', encoding="utf-8")
    code, _, err = run(["dedupe", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2
    assert "line 2: not a JSON object" in err


def test_output_must_not_overwrite_the_input(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", HEADER, ROWS)
    with pytest.raises(ValueError, match="must not be the input"):
        dedupe_file(src, src)
    assert read_csv(src)[0]["name"] == ROWS[0][1]


def test_the_job_flags_shared_numbers_before_dedupe() -> None:
    # a directory prints its hotline on four different companies' listings
    raw = [
        Lead(name=name, phones=[Phone(raw="400-800-1234")], context="camera")
        for name in ("Acme Trading", "Beta Foods", "Coastal Marine", "Delta Print")
    ]
    kept, _, _ = process(raw, parse_query("camera"), JobSpec(query="camera", region="CN"), "j")
    assert len(kept) == 4  # not merged by the shared number
    assert all(lead.phones[0].shared for lead in kept)
