"""The Excel lead sheet, read back with openpyxl the way a trainee's Excel would see it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from exports.columns import COLUMNS, headers
from exports.xlsx import GRADE_FILLS, SHEETS, write_lead_sheet
from leadharvest.items import (
    DATA_STATUS,
    Email,
    Evidence,
    Job,
    Lead,
    PageRecord,
    Person,
    Phone,
)

SEEN = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)


def _lead(name: str, grade: str, score: float, **kw: Any) -> Lead:
    return Lead(name=name, grade=grade, score=score, first_seen=SEEN, last_seen=SEEN, **kw)


def _leads() -> list[Lead]:
    return [
        _lead("Dee Co", "D", 10, lead_id="000123"),
        _lead(
            "Alpha Toys Pty Ltd",
            "A",
            90,
            lead_id="00042",
            website="https://alpha.example.com.au",
            phones=[
                Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline", valid=True),
                Phone(raw="139****1234", masked=True),
            ],
            emails=[Email(raw="jo@alpha.example", address="jo@alpha.example", valid=True)],
            people=[
                Person(
                    name="Jo Citizen",
                    title="Buyer",
                    phones=[Phone(raw="0412345678", e164="+61412345678", type="mobile")],
                )
            ],
            evidence=[
                Evidence(
                    source="duckduckgo", method="search_engine", url="https://ddg.example/?q=toys"
                ),
                Evidence(
                    source="yellowpages_com_au",
                    method="yellow_pages",
                    url="https://yp.example/alpha",
                ),
            ],
            grade_reasons=["A: sells the product; direct mobile", "+15 valid phone number"],
        ),
        _lead(
            '=HYPERLINK("http://evil.example","x")',
            "B",
            60,
            website="javascript:alert(1)",
            evidence=[Evidence(source="indiamart", method="industry_site", url="ftp://x.example")],
        ),
        _lead("Bravo Higher", "B", 70, verification="verified", notes="called 2024-05-02"),
        _lead("Charlie", "C", 40, data_status=""),
        _lead(
            "玩具批发部",
            "A",
            80,
            evidence=[
                Evidence(source="company", method="company_website", url="https://toy.example.cn/")
            ],
        ),
    ]


def _job() -> Job:
    pages = [
        PageRecord(
            url="https://ddg.example/1", source="duckduckgo", method="search_engine", status="ok"
        ),
        PageRecord(
            url="https://ddg.example/2",
            source="duckduckgo",
            method="search_engine",
            status="no_results",
        ),
        PageRecord(
            url="https://yp.example/1",
            source="yellowpages_com_au",
            method="yellow_pages",
            status="ok",
        ),
        PageRecord(
            url="https://yp.example/2",
            source="yellowpages_com_au",
            method="yellow_pages",
            status="blocked",
        ),
        PageRecord(
            url="https://yp.example/3",
            source="yellowpages_com_au",
            method="yellow_pages",
            status="missing",
        ),
        PageRecord(
            url="https://im.example/1", source="indiamart", method="industry_site", status="error"
        ),
    ]
    return Job(
        job_id="job-20240501-001",
        query='"toys" AND (wholesale OR distributor)',
        product="toys",
        sources=["duckduckgo", "yellowpages_com_au", "indiamart"],
        region="AU",
        started_at=SEEN,
        replay="practice.warc.gz",
        pages=pages,
    )


def _sheet(tmp_path: Path, lang: str = "en", leads: list[Lead] | None = None) -> Any:
    path = write_lead_sheet(
        _leads() if leads is None else leads, tmp_path / "s.xlsx", job=_job(), lang=lang
    )
    return openpyxl.load_workbook(path)


def _rows(ws: Any) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [
        {h: cell for h, cell in zip(header, row, strict=True)} for row in ws.iter_rows(min_row=2)
    ]


def test_sheets_header_freeze_and_filter(tmp_path: Path) -> None:
    wb = _sheet(tmp_path)
    assert wb.sheetnames == list(SHEETS) == ["Leads", "Evidence", "Review", "Summary", "About"]
    ws = wb["Leads"]
    header = [c.value for c in ws[1]]
    assert header == headers("en")
    for required in (
        "Grade",
        "Score",
        "Reasons",
        "Company",
        "Business type",
        "Contact",
        "Phones",
        "E-mails",
        "Website",
        "Address",
        "Collection method",
        "Source",
        "Source URL",
        "First seen",
        "Last seen",
        "Verification",
        "Notes",
        "Data status",
        "Lead ID",
    ):
        assert required in header
    assert ws.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(COLUMNS))
    assert ws.auto_filter.ref == f"A1:{last}7"
    assert ws.column_dimensions["D"].width > 20  # Company is wide enough to read


def test_sorted_by_grade_then_score(tmp_path: Path) -> None:
    rows = _rows(_sheet(tmp_path)["Leads"])
    assert [(r["Grade"].value, r["Score"].value) for r in rows] == [
        ("A", 90),
        ("A", 80),
        ("B", 70),
        ("B", 60),
        ("C", 40),
        ("D", 10),
    ]


def test_every_row_is_marked_unverified_third_party_data(tmp_path: Path) -> None:
    rows = _rows(_sheet(tmp_path)["Leads"])
    assert all(r["Data status"].value == DATA_STATUS for r in rows)
    verification = {r["Company"].value: r["Verification"].value for r in rows}
    assert verification.pop("Bravo Higher") == "Verified"
    assert set(verification.values()) == {"Unverified"}


def test_phones_ids_and_contact_are_text(tmp_path: Path) -> None:
    rows = _rows(_sheet(tmp_path)["Leads"])
    alpha = next(r for r in rows if r["Company"].value == "Alpha Toys Pty Ltd")
    phones = alpha["Phones"]
    assert phones.data_type == "s" and phones.number_format == "@"
    assert phones.value == ("+61740511234 (landline); 139****1234 (masked); +61412345678 (mobile)")
    assert alpha["Contact"].value == "Jo Citizen (Buyer)"
    assert alpha["E-mails"].value == "jo@alpha.example"
    assert alpha["Collection method"].value == "Search engine; Yellow pages"
    assert alpha["Source"].value == "duckduckgo; yellowpages_com_au"
    assert alpha["Source URL"].value == "https://ddg.example/?q=toys"
    # leading zeros survive: ids are text, never numbers
    dee = next(r for r in rows if r["Company"].value == "Dee Co")
    assert dee["Lead ID"].value == "000123" and dee["Lead ID"].data_type == "s"
    assert isinstance(alpha["First seen"].value, datetime)
    assert alpha["First seen"].value == datetime(2024, 5, 1, 8, 30)


def test_no_formula_anywhere_and_hyperlinks_only_for_http(tmp_path: Path) -> None:
    wb = _sheet(tmp_path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    rows = _rows(wb["Leads"])
    alpha = next(r for r in rows if r["Company"].value == "Alpha Toys Pty Ltd")
    assert alpha["Website"].hyperlink.target == "https://alpha.example.com.au"
    assert alpha["Source URL"].hyperlink.target == "https://ddg.example/?q=toys"
    evil = next(r for r in rows if r["Grade"].value == "B" and r["Score"].value == 60)
    assert evil["Company"].value.startswith("'=HYPERLINK")
    assert evil["Website"].value == "javascript:alert(1)"
    assert evil["Website"].hyperlink is None
    assert evil["Source URL"].hyperlink is None  # ftp: is not http(s)


def test_grade_cells_are_coloured(tmp_path: Path) -> None:
    rows = _rows(_sheet(tmp_path)["Leads"])
    for row in rows:
        cell = row["Grade"]
        assert cell.fill.fgColor.rgb.endswith(GRADE_FILLS[cell.value])


def test_summary_counts_match_the_input(tmp_path: Path) -> None:
    ws = _sheet(tmp_path)["Summary"]
    values = list(ws.iter_rows(values_only=True))

    def row_of(first: str, after: str | None = None) -> tuple[Any, ...]:
        start = 0 if after is None else next(i for i, r in enumerate(values) if r[0] == after)
        return next(r for r in values[start:] if r[0] == first)

    assert values[0][0] == "Electronic collection methods used and customer data found"
    assert [row_of(g)[1] for g in "ABCD"] == [2, 2, 1, 1]
    assert row_of("Total")[1] == 6
    search = row_of("Search engine")
    # method, course name, leads, with phone, with e-mail, with contact, ok, blocked, no results,
    # missing, errors
    assert search[:11] == ("Search engine", "搜索引擎法", 1, 1, 1, 1, 1, 0, 1, 0, 0)
    assert row_of("Yellow pages")[:11] == ("Yellow pages", "网上黄页法", 1, 1, 1, 1, 1, 1, 0, 1, 0)
    assert row_of("Industry site")[:3] == ("Industry site", "行业网站法", 1)
    assert row_of("Company website")[:3] == ("Company website", "电子邮件法", 1)
    assert row_of("yellowpages_com_au", after="Leads by source")[:4] == (
        "yellowpages_com_au",
        "Yellow pages",
        1,
        1,
    )
    pages = {r[0]: r[1] for r in values[values.index(row_of("Pages")) :] if r[0]}
    assert pages["Pages fetched"] == 2
    assert pages["Blocked"] == 1
    assert pages["No results"] == 1
    assert pages["Missing from archive"] == 1
    assert pages["Errors"] == 1
    assert pages["Total"] == 6


def test_about_describes_the_job_and_the_data(tmp_path: Path) -> None:
    ws = _sheet(tmp_path)["About"]
    about = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert about["Query"] == '"toys" AND (wholesale OR distributor)'
    assert about["Product"] == "toys"
    assert about["Sources"] == "duckduckgo, yellowpages_com_au, indiamart"
    assert about["Region"] == "AU"
    assert about["Job ID"] == "job-20240501-001"
    assert about["Replay archive"] == "practice.warc.gz"
    assert about["Date (UTC)"] == datetime(2024, 5, 1, 8, 30)
    assert "unverified" in about["Statement"] and "third-party" in about["Statement"]
    assert "未经核实" in about["Statement (Chinese)"]
    assert "第三方数据" in about["Statement (Chinese)"]


def test_chinese_headers_and_labels(tmp_path: Path) -> None:
    wb = _sheet(tmp_path, lang="zh")
    assert wb.sheetnames == ["Leads", "Evidence", "Review", "Summary", "About"]
    ws = wb["Leads"]
    header = [c.value for c in ws[1]]
    assert header == headers("zh")
    assert header[:4] == ["等级", "得分", "评级理由", "公司名称"]
    rows = _rows(ws)
    alpha = next(r for r in rows if r["公司名称"].value == "Alpha Toys Pty Ltd")
    assert alpha["收集方法"].value == "搜索引擎法; 网上黄页法"
    assert alpha["电话"].value.startswith("+61740511234 (固话)")
    assert {r["核实状态"].value for r in rows} == {"未核实", "已核实"}
    assert {r["数据状态"].value for r in rows} == {"未经核实的第三方数据"}
    summary = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert "所用电子收集方法及找到的客户资料" in summary
    assert "搜索引擎法" in summary
    about = {r[0] for r in wb["About"].iter_rows(values_only=True)}
    assert {"查询", "任务编号", "声明"} <= about


def test_empty_sheet_and_no_job(tmp_path: Path) -> None:
    path = write_lead_sheet([], tmp_path / "sub" / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Leads"]
    assert ws.max_row == 1
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}1"
    summary = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert "No job record: page counts are not available." in summary
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Leads"] == 0
    assert "Query" not in about


def test_input_list_is_not_reordered(tmp_path: Path) -> None:
    leads = _leads()
    names = [lead.name for lead in leads]
    write_lead_sheet(leads, tmp_path / "s.xlsx")
    assert [lead.name for lead in leads] == names


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        write_lead_sheet([], tmp_path / "x.xlsx", lang="de")


@pytest.mark.parametrize(
    ("lang", "phones", "emails"),
    [
        ("en", "+61740511234 (landline); +611300975708 (shared cost, shared)", "a@b.example"),
        ("zh", "+61740511234 (固话); +611300975708 (分摊费用, 多家共用)", "a@b.example"),
    ],
)
def test_shared_contacts_are_labelled(tmp_path: Path, lang: str, phones: str, emails: str) -> None:
    lead = Lead(
        name="Shared Line Co",
        phones=[
            Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline"),
            Phone(raw="1300 975 708", e164="+611300975708", type="shared_cost", shared=True),
        ],
        emails=[
            Email(raw="a@b.example", address="a@b.example"),
            Email(raw="hello@dir.example", address="hello@dir.example", shared=True),
        ],
    )
    ws = _sheet(tmp_path, lang=lang, leads=[lead])["Leads"]
    row = [cell.value for cell in ws[2]]
    shared = "shared" if lang == "en" else "多家共用"
    assert phones in row
    assert f"{emails}; hello@dir.example ({shared})" in row
