"""CRM import profiles: loading and validation, each shipped profile's rows, splitting."""

from __future__ import annotations

import csv
import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exports.columns import headers as sheet_headers
from exports.crm import (
    CrmExportError,
    build_rows,
    load_profile,
    numbered_paths,
    parse_profile,
    profile_names,
    split_name,
    write_crm,
)
from leadharvest.cli import main
from leadharvest.items import Email, Evidence, Lead, Person, Phone
from leadharvest.settings import ConfigError, config_dir

FETCHED = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def _evidence(method: str = "yellow_pages", url: str = "https://yp.example/a") -> Evidence:
    return Evidence(source="practice_yellowpages", method=method, url=url, fetched_at=FETCHED)


def _two_people() -> Lead:
    return Lead(
        name="Alpha Toys Pty Ltd",
        lead_id="L00000000a1",
        website="https://alpha.example.com.au",
        domain="alpha.example.com.au",
        country="AU",
        city="Cairns",
        grade="A",
        score=90,
        grade_reasons=["A: sells the product; direct mobile"],
        phones=[
            Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline", extension="12"),
            Phone(raw="139****1234", masked=True),
            Phone(raw="(07) 4051 9999", e164="+61740519999", type="fax"),
        ],
        emails=[Email(raw="info@alpha.example", address="info@alpha.example", role=True)],
        people=[
            Person(
                name="Jo Citizen",
                title="Buyer",
                phones=[Phone(raw="0412 345 678", e164="+61412345678", type="mobile")],
                emails=[Email(raw="jo@alpha.example", address="jo@alpha.example")],
            ),
            Person(name="Sam Lee", title="Owner"),
        ],
        evidence=[_evidence(), _evidence("search_engine", "https://search.example/?q=toys")],
    )


def _no_person() -> Lead:
    return Lead(
        name="深圳光影数码有限公司",
        lead_id="L00000000b2",
        country="CN",
        grade="D",
        score=5,
        phones=[Phone(raw="0755-8888 1234", e164="+8675588881234", type="landline")],
        evidence=[_evidence("search_engine", "https://search.example/?q=camera")],
    )


def _rows(fmt: str, leads: list[Lead]) -> list[dict[str, str]]:
    built = build_rows(leads, load_profile(fmt))
    return [dict(zip(built.headers, row, strict=True)) for row in built.rows]


def test_every_shipped_profile_loads_and_is_a_format() -> None:
    names = profile_names()
    assert {"hubspot", "salesforce", "zoho", "pipedrive", "odoo", "wukong", "csv"} <= set(names)
    for name in names:
        profile = load_profile(name)
        assert profile.name == name
        assert all(key in [c.header for c in profile.columns] for key in profile.keys)


def test_split_name() -> None:
    assert split_name("Jo Citizen") == ("Jo", "Citizen")
    assert split_name("  Mary  Anne   Smith ") == ("Mary Anne", "Smith")
    assert split_name("Cher") == ("", "Cher")
    assert split_name("张伟") == ("", "张伟")
    assert split_name("") == ("", "")


def test_salesforce_rows_per_person_and_fills_last_name() -> None:
    rows = _rows("salesforce", [_two_people(), _no_person()])
    assert len(rows) == 3  # two people of Alpha, one company-only row
    jo, sam, shop = rows
    assert (jo["First Name"], jo["Last Name"], jo["Title"]) == ("Jo", "Citizen", "Buyer")
    assert jo["Company"] == sam["Company"] == "Alpha Toys Pty Ltd"
    # Jo's own address; Sam has none and must not get Jo's or the shared info@ (first row only)
    assert jo["Email"] == "jo@alpha.example"
    assert sam["Email"] == ""
    # the landline keeps its extension in the cell-safe form, mobile goes to Mobile
    assert jo["Phone"] == "+61740511234 ext. 12"
    assert jo["Mobile"] == "+61412345678"
    assert sam["Mobile"] == ""  # Jo's mobile is Jo's
    assert jo["Fax"] == "+61740519999"
    assert jo["Rating"] == "Hot"
    assert jo["Lead Source"] == "Web research (unverified)"
    assert shop["Last Name"] == "(unknown)"
    assert shop["Company"] == "深圳光影数码有限公司"
    assert shop["Rating"] == "Cold"
    assert shop["Phone"] == "+8675588881234"
    for row in rows:
        assert "139****1234" not in " ".join(row.values())
        assert row["Description"].startswith("Unverified third-party data")
        assert "2024-05-01" in row["Description"]
    assert "https://yp.example/a" in jo["Description"]
    assert "https://search.example/?q=toys" in jo["Description"]


def test_a_lead_with_no_company_name_is_skipped_and_reported() -> None:
    lead = _no_person()
    lead.name = "  "
    built = build_rows([lead, _two_people()], load_profile("salesforce"))
    assert len(built.rows) == 2
    assert built.skipped == [("  ", "no Company")]


def test_hubspot_keys_and_company_only_rows() -> None:
    lead = _two_people()
    lone = _no_person()
    lone.emails = [Email(raw="sales@gy.example", address="sales@gy.example", role=True)]
    rows = _rows("hubspot", [lead, lone])
    assert [r["Email"] for r in rows] == ["jo@alpha.example", "", "sales@gy.example"]
    assert [r["Company Domain Name"] for r in rows] == ["alpha.example.com.au"] * 2 + [""]
    assert rows[2]["First Name"] == rows[2]["Last Name"] == ""
    assert all(r["Lifecycle Stage"] == "Lead" for r in rows)
    assert load_profile("hubspot").keys == ("Email", "Company Domain Name")


def test_odoo_external_ids_make_reimports_update() -> None:
    first = _rows("odoo", [_two_people(), _no_person()])
    again = _rows("odoo", [_no_person(), _two_people()])
    assert sorted(r["id"] for r in first) == sorted(r["id"] for r in again)
    alpha = next(r for r in first if r["partner_name"] == "Alpha Toys Pty Ltd")
    assert alpha["id"] == "__import__.leadharvest_L00000000a1"
    assert alpha["name"] == "Alpha Toys Pty Ltd"
    assert alpha["contact_name"] == "Jo Citizen"
    assert alpha["country_id/id"] == "base.au"
    assert alpha["priority"] == "3"
    assert alpha["type"] == "lead"
    # one row per lead: the second person is named in the description
    assert len(first) == 2
    assert "Sam Lee" in alpha["description"]


def test_odoo_lead_without_id_gets_the_stores_stable_id() -> None:
    lead = _no_person()
    lead.lead_id = ""
    lead.country = ""
    [row] = _rows("odoo", [lead])
    assert row["id"].startswith("__import__.leadharvest_L")
    assert row["country_id/id"] == ""  # a template with an empty field is empty


def test_pipedrive_lead_title_and_labels() -> None:
    rows = _rows("pipedrive", [_two_people(), _no_person()])
    assert [r["Lead - Title"] for r in rows] == ["Alpha Toys Pty Ltd"] * 2 + [
        "深圳光影数码有限公司"
    ]
    assert [r["Lead - Labels"] for r in rows] == ["Hot", "Hot", "Cold"]
    assert rows[0]["Person - Name"] == "Jo Citizen"
    assert rows[2]["Person - Name"] == ""
    assert rows[2]["Organization - Name"] == "深圳光影数码有限公司"


def test_zoho_uses_its_own_lead_source_value() -> None:
    rows = _rows("zoho", [_no_person()])
    assert rows[0]["Lead Source"] == "Web Research"
    assert rows[0]["Tag"] == "Unverified"
    assert rows[0]["Last Name"] == "(unknown)"


def test_wukong_workbook_follows_its_template(tmp_path: Path) -> None:
    profile = load_profile("wukong")
    result = write_crm([_two_people(), _no_person()], profile, tmp_path / "线索.xlsx")
    wb = openpyxl.load_workbook(result.paths[0])
    ws = wb.active
    assert ws.title == "线索导入表"
    assert ws["A1"].value == "线索导入模板(*)为必填项"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    assert header[0] == "线索名称(*)"
    assert set(header) == {
        "线索名称(*)",
        "邮箱",
        "线索来源",
        "手机",
        "电话",
        "地址",
        "客户行业",
        "客户级别",
        "下次联系时间",
        "备注",
    }
    rows = [dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(3)]
    alpha, shop = rows
    assert alpha["线索名称(*)"] == "Alpha Toys Pty Ltd"
    assert alpha["线索来源"] == "公司资源"  # first found in a yellow-pages directory
    assert shop["线索来源"] == "搜索引擎"
    assert alpha["客户级别"] == "A（重点客户）"
    assert shop["客户级别"] == "C（非优先客户）"  # D has no level of its own
    assert alpha["手机"] == "+61412345678"
    assert alpha["电话"] == "+61740511234 ext. 12"
    assert shop["手机"] is None
    assert shop["备注"].startswith("未经核实的第三方数据")
    assert "等级 D" in shop["备注"] and "2024-05-01" in shop["备注"]
    assert all(c.number_format == "@" for c in ws[3])
    # a workbook named like a CSV would be refused by Excel and the CRM: it gets .xlsx added
    misnamed = write_crm([_no_person()], profile, tmp_path / "线索.csv")
    assert misnamed.paths == [tmp_path / "线索.csv.xlsx"]
    assert openpyxl.load_workbook(misnamed.paths[0]).active["A3"].value == "深圳光影数码有限公司"


def test_generic_csv_is_the_lead_sheet_in_either_language(tmp_path: Path) -> None:
    profile = load_profile("csv")
    for lang in ("en", "zh"):
        result = write_crm([_two_people()], profile, tmp_path / f"{lang}.csv", lang=lang)
        raw = result.paths[0].read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert rows[0] == sheet_headers(lang)
        assert "Alpha Toys Pty Ltd" in rows[1]


def test_rows_per_file_splits_into_numbered_files(tmp_path: Path) -> None:
    data = _profile_data("salesforce")
    data["rows_per_file"] = 2
    profile = parse_profile(data, name="salesforce", path="test")
    leads = [_two_people(), _no_person(), _no_person()]
    leads[2].name = "Third Co"
    result = write_crm(leads, profile, tmp_path / "sf.csv")
    assert [p.name for p in result.paths] == ["sf-001.csv", "sf-002.csv"]
    chunks = [list(csv.reader(p.read_text(encoding="utf-8").splitlines())) for p in result.paths]
    assert all(chunk[0] == profile.headers() for chunk in chunks)
    assert [len(chunk) - 1 for chunk in chunks] == [2, 2]  # 4 rows: Jo, Sam, two companies
    assert result.rows == 4


def test_numbered_paths() -> None:
    assert numbered_paths(Path("a/b.csv"), 1) == [Path("a/b.csv")]
    assert numbered_paths(Path("b.csv"), 1001)[-1] == Path("b-1001.csv")


def test_encoding_that_cannot_hold_a_name_is_a_clear_error(tmp_path: Path) -> None:
    data = _profile_data("salesforce")
    data["encoding"] = "iso-8859-1"
    profile = parse_profile(data, name="salesforce", path="sf.toml")
    with pytest.raises(CrmExportError, match=r"cannot hold '深圳.*row 2, column 'Company'"):
        write_crm([_no_person()], profile, tmp_path / "x.csv")


def test_a_chinese_encoding_reads_back(tmp_path: Path) -> None:
    data = _profile_data("salesforce")
    data["encoding"] = "gb18030"
    data["delimiter"] = ";"
    profile = parse_profile(data, name="salesforce", path="sf.toml")
    result = write_crm([_no_person()], profile, tmp_path / "x.csv")
    with result.paths[0].open(encoding="gb18030", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert rows[0]["Company"] == "深圳光影数码有限公司"


def _profile_data(name: str) -> dict[str, Any]:
    with (config_dir() / "crm" / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def _column(**kw: Any) -> dict[str, Any]:
    return {"header": "X", "field": "company", **kw}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": [_column(field="nope")]}, "unknown field 'nope'"),
        ({"columns": [_column(required=True)]}, "must say what to do"),
        ({"columns": [_column(required=True, missing="fill")]}, "needs a non-empty 'default'"),
        ({"columns": [_column(required=True, missing="derive")]}, "needs 'from'"),
        ({"columns": [_column(missing="guess")]}, "missing must be one of"),
        ({"columns": [_column(picklist="nope")]}, "picklist 'nope' is not defined"),
        ({"columns": [_column(value="x")]}, "exactly one of field, value or template"),
        ({"columns": [{"header": "X", "template": "{nope}"}]}, "template needs {field}"),
        ({"columns": [{"header": "X", "template": "{"}]}, "bad template"),
        ({"columns": [_column(colour="red")]}, "unknown key(s) colour"),
        ({"columns": [_column(), _column()]}, "duplicate header(s) X"),
        ({"columns": []}, "needs [[columns]]"),
        ({"encoding": "klingon"}, "unknown encoding"),
        ({"encoding": "gbk", "bom": True}, "bom = true needs encoding utf-8"),
        ({"delimiter": ";;"}, "delimiter must be one character"),
        ({"file_type": "pdf"}, "file_type must be csv or xlsx"),
        ({"row_per": "company"}, "row_per must be lead or person"),
        ({"rows_per_file": 0}, "rows_per_file must be"),
        ({"file_type": "xlsx", "rows_per_file": 2_000_000}, "rows_per_file must be"),
        ({"phone_extension": ";ext={ext}"}, "would not stay a phone number"),
        ({"phone_extension": " x{nope}"}, "bad date_format or phone_extension"),
        ({"lang": "fr"}, "lang must be en or zh"),
        ({"keys": ["Nope"]}, "not headers of this profile"),
        ({"name": "other"}, "must match the file name"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"bom": "yes"}, "'bom' must be true or false"),
    ],
)
def test_a_bad_profile_is_a_one_line_error(change: dict[str, Any], message: str) -> None:
    data = {"name": "foo", "columns": [_column()], **change}
    with pytest.raises(ConfigError) as exc:
        parse_profile(data, name="foo", path="config/crm/foo.toml")
    text = str(exc.value)
    assert text.startswith("config/crm/foo.toml: ")
    assert message in text
    assert "\n" not in text


def test_a_reserved_name_is_refused() -> None:
    with pytest.raises(ConfigError, match="reserved"):
        parse_profile({"columns": [_column()]}, name="vcard", path="vcard.toml")


def _config_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(config_dir(), folder)
    return folder


def test_a_new_profile_file_is_a_new_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _config_copy(tmp_path)
    (folder / "crm" / "foo.toml").write_text(
        'name = "foo"\ndelimiter = "|"\n[[columns]]\nheader = "Firma"\nfield = "company"\n'
        '[[columns]]\nheader = "Quelle"\nvalue = "Webrecherche (ungeprüft)"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("LEADHARVEST_CONFIG", str(folder))
    from exports.jsonl import write_jsonl

    src = write_jsonl([_no_person()], tmp_path / "in.jsonl")
    out = tmp_path / "foo.csv"
    with pytest.raises(SystemExit) as exc:
        main(["export", "--input", str(src), "--format", "foo", "-o", str(out)])
    assert exc.value.code in (0, None), capsys.readouterr().err
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Firma|Quelle",
        "深圳光影数码有限公司|Webrecherche (ungeprüft)",
    ]


def test_unknown_format_lists_the_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", "pdf", "-o", str(tmp_path / "x"), "--job", "j"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.count("\n") == 1
    for name in ("xlsx", "hubspot", "salesforce", "zoho", "pipedrive", "odoo", "wukong"):
        assert name in err
    assert "csv" in err and "vcard" in err and "jsonl" in err


def test_a_broken_profile_fails_the_export_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _config_copy(tmp_path)
    (folder / "crm" / "bad.toml").write_text(
        '[[columns]]\nheader = "A"\nfield = "compnay"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LEADHARVEST_CONFIG", str(folder))
    from exports.jsonl import write_jsonl

    src = write_jsonl([_no_person()], tmp_path / "in.jsonl")
    with pytest.raises(SystemExit) as exc:
        main(["export", "--input", str(src), "--format", "bad", "-o", str(tmp_path / "b.csv")])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "Traceback" not in err
    assert "bad.toml: column 'A': unknown field 'compnay'" in err
    assert not (tmp_path / "b.csv").exists()
