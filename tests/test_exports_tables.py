"""The lead sheet's Evidence and Review sheets, streaming and splitting, read back with openpyxl."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dedupe.engine import dedupe_with_review
from enrich.pipeline import enrich_lead
from exports.columns import COLUMNS
from exports.jsonl import write_jsonl
from exports.xlsx import write_lead_sheet
from leadharvest.cli import main
from leadharvest.items import Email, Evidence, Job, Lead, Person, Phone, ReviewPair
from leadharvest.query import parse_query
from leadharvest.runner import JobSpec, process, review_pairs
from leadharvest.settings import config_dir
from leadharvest.store import Store
from tests.cli_support import run_cli as _run

DDG = "https://ddg.example/?q=toys"
YP = "https://yp.example/alpha"
SITE = "https://alpha.example.com.au/contact"
T1 = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
T2 = datetime(2024, 5, 2, 9, 0, tzinfo=UTC)
T3 = datetime(2024, 5, 3, 10, 15, tzinfo=UTC)


def _alpha() -> Lead:
    """A merged lead: three pages, each supplying some fields; phones know their pages."""
    return Lead(
        name="Alpha Toys Pty Ltd",
        lead_id="00042",
        grade="A",
        score=90,
        website="https://alpha.example.com.au",
        address_raw="1 Lake St, Cairns QLD 4870",
        alternates={"address_raw": ["1 Lake Street Cairns"]},
        phones=[
            Phone(raw="(07) 4051 1234", e164="+61740511234", type="landline", sources=[YP, SITE]),
            Phone(raw="0740 999 000", e164="+61740999000", type="fax", sources=[SITE]),
        ],
        emails=[Email(raw="jo@alpha.example", address="jo@alpha.example", sources=[SITE])],
        people=[
            Person(
                name="Jo Citizen",
                title="Buyer",
                phones=[
                    Phone(raw="0412345678", e164="+61412345678", type="mobile", sources=[SITE])
                ],
            )
        ],
        evidence=[
            Evidence("duckduckgo", "search_engine", DDG, fetched_at=T1, fields=["name", "website"]),
            Evidence(
                "yellowpages_com_au",
                "yellow_pages",
                YP,
                fetched_at=T2,
                fields=["name", "phones", "address"],
            ),
            Evidence(
                "company",
                "company_website",
                SITE,
                fetched_at=T3,
                fields=["phones", "emails", "people"],
            ),
        ],
    )


def _evil() -> Lead:
    return Lead(
        name='=HYPERLINK("http://evil.example","x")',
        lead_id="0077",
        grade="D",
        score=5,
        phones=[Phone(raw="=1+1", sources=["javascript:alert(1)"])],
        evidence=[
            Evidence(
                "x", "company_website", "javascript:alert(1)", fetched_at=T1, fields=["phones"]
            )
        ],
    )


def _book(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def _values(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(min_row=2, values_only=True))


def test_evidence_lists_each_value_under_the_pages_that_showed_it(tmp_path: Path) -> None:
    path = write_lead_sheet([_alpha()], tmp_path / "s.xlsx")
    ws = _book(path)["Evidence"]
    assert [c.value for c in ws[1]] == [
        "Lead ID",
        "Company",
        "Field",
        "Value",
        "Source",
        "Source URL",
        "Fetched at (UTC)",
    ]
    company = "Alpha Toys Pty Ltd"
    t1, t2, t3 = (t.replace(tzinfo=None) for t in (T1, T2, T3))
    expected = [
        # duckduckgo supplied the name and the website
        ("00042", company, "Company", company, "duckduckgo", DDG, t1),
        ("00042", company, "Website", "https://alpha.example.com.au", "duckduckgo", DDG, t1),
        # the directory: name, the landline (its only phone), and an address the records
        # disagree on, so both spellings are given
        ("00042", company, "Company", company, "yellowpages_com_au", YP, t2),
        ("00042", company, "Phone", "+61740511234 (landline)", "yellowpages_com_au", YP, t2),
        (
            "00042",
            company,
            "Address (one of)",
            "1 Lake St, Cairns QLD 4870 | 1 Lake Street Cairns",
            "yellowpages_com_au",
            YP,
            t2,
        ),
        # the company's own contact page: all three numbers (the mobile is Jo's), the e-mail
        # and Jo
        ("00042", company, "Phone", "+61740511234 (landline)", "company", SITE, t3),
        ("00042", company, "Phone", "+61740999000 (fax)", "company", SITE, t3),
        ("00042", company, "Phone", "+61412345678 (mobile)", "company", SITE, t3),
        ("00042", company, "E-mail", "jo@alpha.example", "company", SITE, t3),
        ("00042", company, "Contact", "Jo Citizen (Buyer)", "company", SITE, t3),
    ]
    assert _values(ws) == expected
    for row in ws.iter_rows(min_row=2):
        lead_id, value, url = row[0], row[3], row[5]
        assert lead_id.data_type == "s" and lead_id.number_format == "@"
        assert value.data_type == "s" and value.number_format == "@"  # phones stay text
        assert url.hyperlink is not None and url.hyperlink.target == url.value
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:G{len(expected) + 1}"


def test_evidence_in_chinese_and_unsafe_values(tmp_path: Path) -> None:
    path = write_lead_sheet([_alpha(), _evil()], tmp_path / "s.xlsx", lang="zh")
    ws = _book(path)["Evidence"]
    assert [c.value for c in ws[1]][:4] == ["线索编号", "公司名称", "字段", "值"]
    rows = _values(ws)
    assert rows[3][:4] == ("00042", "Alpha Toys Pty Ltd", "电话", "+61740511234 (固话)")
    assert rows[4][2] == "地址（其一）"
    evil = [r for r in rows if r[0] == "0077"]
    assert evil == [
        (
            "0077",
            '\'=HYPERLINK("http://evil.example","x")',
            "电话",
            "'=1+1",
            "x",
            "javascript:alert(1)",
            T1.replace(tzinfo=None),
        )
    ]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "0077")
    assert row[5].hyperlink is None  # javascript: never becomes a link


def _harbour() -> list[Lead]:
    """Two listings a person would call "maybe the same shop" (see test_dedupe_engine)."""
    url_a, url_b = "https://yp.example/harbour-1", "https://b2b.example/harbour-2"
    return [
        enrich_lead(
            Lead(
                name="Harbour Photo Supplies",
                products="digital camera wholesale",
                city="Sydney",
                postcode="2000",
                phones=[Phone(raw="(02) 9555 0101", sources=[url_a])],
                evidence=[Evidence("yp", "yellow_pages", url_a, fields=["name", "phones"])],
            ),
            region="AU",
        ),
        enrich_lead(
            Lead(
                name="Harbour Photographic Supplies",
                products="digital camera distributor",
                city="Sydney",
                postcode="2000",
                phones=[Phone(raw="(02) 9555 0199", sources=[url_b])],
                evidence=[Evidence("b2b", "industry_site", url_b, fields=["name", "phones"])],
            ),
            region="AU",
        ),
    ]


def test_review_sheet_lists_the_borderline_pair_with_a_decision_drop_down(tmp_path: Path) -> None:
    leads = _harbour()
    deduped = dedupe_with_review(leads)
    assert len(deduped.leads) == 2  # not merged...
    leads[0].lead_id, leads[1].lead_id = "L-A", "L-B"
    pairs = review_pairs(deduped.leads, deduped.review)  # ...but offered for review
    assert len(pairs) == 1
    path = write_lead_sheet(deduped.leads, tmp_path / "s.xlsx", review=pairs)
    ws = _book(path)["Review"]
    assert [c.value for c in ws[1]] == [
        "Lead ID 1",
        "Company 1",
        "Lead ID 2",
        "Company 2",
        "Name similarity",
        "Why they may be one business",
        "Decision",
    ]
    ((left_id, left, right_id, right, score, why, decision),) = _values(ws)
    assert (left_id, left, right_id, right) == (
        "L-A",
        "Harbour Photo Supplies",
        "L-B",
        "Harbour Photographic Supplies",
    )
    assert 80 <= score < 92 and decision is None
    assert why.startswith("similar name (") and "same city sydney" in why
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"Accept,Split"'
    assert str(validation.sqref) == "G2"  # the one pair's Decision cell

    zh = _book(write_lead_sheet(deduped.leads, tmp_path / "zh.xlsx", review=pairs, lang="zh"))
    ws = zh["Review"]
    assert [c.value for c in ws[1]][:2] == ["线索编号 1", "公司名称 1"]
    assert ws.data_validations.dataValidation[0].formula1 == '"合并,分开"'


def test_review_pairs_reach_the_store_and_export_job(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the runner does between crawl and sheet: process → store → review pairs."""
    db_url = f"sqlite:///{tmp_path / 'leads.db'}"
    spec = JobSpec(query="camera", out=tmp_path)
    kept, filtered, borderline = process(_harbour(), parse_query("camera"), spec, "job-1")
    assert (len(kept), filtered, len(borderline)) == (2, 0, 1)
    store = Store(db_url)
    store.save_job(Job(job_id="job-1", query="camera"), {})
    stored = store.upsert_leads(kept, job_id="job-1")
    pairs = review_pairs(stored, borderline)
    store.save_review_pairs("job-1", pairs)
    store.save_review_pairs("job-1", pairs)  # a re-run replaces, never doubles
    assert store.review_pairs("job-1") == pairs
    assert store.review_pairs("other-job") == []
    store.close()
    ids = {lead.name: lead.lead_id for lead in stored}

    out = tmp_path / "export.xlsx"
    with pytest.raises(SystemExit) as exc:
        main(["export", "--job", "job-1", "--store", db_url, "--format", "xlsx", "-o", str(out)])
    assert exc.value.code in (0, None)
    capsys.readouterr()
    rows = _values(_book(out)["Review"])
    assert len(rows) == 1
    assert {rows[0][0], rows[0][2]} == {
        ids["Harbour Photo Supplies"],
        ids["Harbour Photographic Supplies"],
    }


def _many(n: int) -> list[Lead]:
    return [
        Lead(
            name=f"Shop {i:02d}",
            lead_id=f"0{i:03d}",
            grade="ABCD"[i % 4],
            score=float(100 - i),
            phones=[Phone(raw="0412345678", e164="+61412345678", type="mobile", sources=[DDG])],
            evidence=[Evidence("ddg", "search_engine", DDG, fetched_at=T1, fields=["phones"])],
        )
        for i in range(n)
    ]


def test_a_table_past_the_row_limit_continues_on_numbered_sheets(tmp_path: Path) -> None:
    # 3 rows a sheet (header + 2 leads): 5 leads need Leads, Leads (2), Leads (3)
    path = write_lead_sheet(_many(5), tmp_path / "s.xlsx", max_rows=3)
    wb = _book(path)
    assert wb.sheetnames == [
        "Leads",
        "Leads (2)",
        "Leads (3)",
        "Evidence",
        "Evidence (2)",
        "Evidence (3)",
        "Review",
        "Summary",
        "About",
    ]
    header = [c.value for c in wb["Leads"][1]]
    last = openpyxl.utils.get_column_letter(len(COLUMNS))
    verification = openpyxl.utils.get_column_letter(header.index("Verification") + 1)
    ids: list[str] = []
    for name, count in (("Leads", 2), ("Leads (2)", 2), ("Leads (3)", 1)):
        ws = wb[name]
        assert [c.value for c in ws[1]] == header
        assert ws.max_row == count + 1
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}{count + 1}"
        (validation,) = ws.data_validations.dataValidation
        span = f"{verification}2" + (f":{verification}{count + 1}" if count > 1 else "")
        assert str(validation.sqref) == span
        ids += [r[header.index("Lead ID")] for r in _values(ws)]
    # sorted by grade, then score, and nothing lost or repeated across the sheets
    assert ids == ["0000", "0004", "0001", "0002", "0003"]
    evidence = [
        r[0] for name in ("Evidence", "Evidence (2)", "Evidence (3)") for r in _values(wb[name])
    ]
    assert evidence == ids


def test_exactly_full_sheets_add_no_empty_one(tmp_path: Path) -> None:
    wb = _book(write_lead_sheet(_many(4), tmp_path / "s.xlsx", max_rows=3))
    assert [n for n in wb.sheetnames if n.startswith("Leads")] == ["Leads", "Leads (2)"]
    with pytest.raises(ValueError, match="max_rows"):
        write_lead_sheet(_many(1), tmp_path / "x.xlsx", max_rows=1)


def test_no_formula_and_text_phones_in_every_sheet(tmp_path: Path) -> None:
    pair = ReviewPair("=1+1", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", 85.0, "=evil()")
    path = write_lead_sheet([_alpha(), _evil(), *_many(3)], tmp_path / "s.xlsx", review=[pair])
    wb = _book(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    review = _values(wb["Review"])[0]
    assert review[:4] == ("'=1+1", "'@SUM(A1)", "'-2+3", "'+cmd|' /C calc'!A0")
    header = [c.value for c in wb["Leads"][1]]
    for row in wb["Leads"].iter_rows(min_row=2):
        phones = row[header.index("Phones")]
        assert phones.data_type == "s" and phones.number_format == "@"


def test_a_large_sheet_streams(tmp_path: Path) -> None:
    """5,000 leads in write-only mode: every row and the last lead come back in order."""
    leads = [
        Lead(name=f"Shop {i:06d}", lead_id=f"{i:06d}", grade="D", score=1.0) for i in range(5000)
    ]
    wb = openpyxl.load_workbook(write_lead_sheet(leads, tmp_path / "big.xlsx"), read_only=True)
    rows = list(wb["Leads"].iter_rows(values_only=True))
    wb.close()
    assert len(rows) == 5001
    ids = [row[len(COLUMNS) - 1] for row in rows[1:]]
    assert ids == sorted(lead.lead_id for lead in leads)  # same grade and score: by name


# -- --tiers and config errors on the command line -----------------------------------------


def _input(tmp_path: Path, n: int) -> Path:
    leads = [
        Lead(
            name=f"Shop {i:03d}",
            lead_id=f"L{i:03d}",
            relevance=i / n,
            phones=[Phone(raw="+61740511234", e164="+61740511234", type="landline", valid=True)],
        )
        for i in range(n)
    ]
    return write_jsonl(leads, tmp_path / "leads.jsonl")


def test_export_tiers_grades_by_share(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _input(tmp_path, 20)
    out = tmp_path / "s.xlsx"
    code, _, err = _run(
        [
            "export",
            "--input",
            str(src),
            "--format",
            "xlsx",
            "-o",
            str(out),
            "--tiers",
            "5,15,30,50",
        ],
        capsys,
    )
    assert code == 0, err
    ws = _book(out)["Leads"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in _values(ws)]
    grades = {r["Lead ID"]: r["Grade"] for r in rows}
    # 20 leads, best (highest relevance) first: 1 A, 3 B, 6 C, 10 D
    assert grades["L019"] == "A"
    assert [grades[f"L{i:03d}"] for i in (18, 17, 16)] == ["B"] * 3
    assert sorted(grades.values()) == ["A"] + ["B"] * 3 + ["C"] * 6 + ["D"] * 10
    best = next(r for r in rows if r["Lead ID"] == "L019")
    assert best["Reasons"].startswith("A (top 5% by score): ")


@pytest.mark.parametrize("tiers", ["1,4,15", "1,4,15,81", "x,4,15,80", "-1,5,16,80", "1;4;15;80"])
def test_bad_tiers_exit_2_in_one_line(
    tiers: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _input(tmp_path, 3)
    for argv in (
        ["export", "--input", str(src), "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")],
        ["collect", "camera", "--out", str(tmp_path / "out")],
    ):
        code, _, err = _run([*argv, "--tiers", tiers], capsys)
        assert code == 2
        assert err.startswith("error: --tiers") and err.count("\n") == 1, err
    assert not list(tmp_path.rglob("*.xlsx"))


def test_a_broken_grading_config_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _input(tmp_path, 3)
    argv = ["export", "--input", str(src), "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")]
    text = (config_dir() / "grading.toml").read_text(encoding="utf-8")
    for number, broken in enumerate(
        (
            text.replace("stale_days = 365", "stale_days = 30"),
            text.replace("aging = -5", "aging = 5"),
            text + "\n[rules\n",
        )
    ):
        config = tmp_path / f"config-{number}"  # config files are cached by path
        shutil.copytree(config_dir(), config)
        (config / "grading.toml").write_text(broken, encoding="utf-8")
        monkeypatch.setenv("LEADHARVEST_CONFIG", str(config))
        code, _, err = _run(argv, capsys)
        assert code == 2
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "grading.toml" in err


def test_wrapped_rows_are_tall_enough_to_read(tmp_path: Path) -> None:
    three = Lead(
        name="Three", lead_id="1", grade="A", score=9, grade_reasons=["A: x", "+5 y", "+4 z"]
    )
    many = Lead(name="Many", lead_id="2", grade="B", score=8, grade_reasons=["r"] * 40)
    plain = Lead(name="Plain", lead_id="3", grade="C", score=7, grade_reasons=["C: short"])
    ws = _book(write_lead_sheet([three, many, plain], tmp_path / "s.xlsx"))["Leads"]
    assert ws.row_dimensions[2].height == 45  # three lines of 15 points
    assert ws.row_dimensions[3].height == 6 * 15  # capped; the cell still holds all 40
    assert ws.cell(3, 3).value.count("\n") == 39
    assert ws.row_dimensions[4].height is None  # one line: the default height
    assert ws.cell(2, 4).alignment.vertical == "top"  # Company beside the tall Reasons
