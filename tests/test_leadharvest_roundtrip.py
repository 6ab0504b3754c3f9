"""The round trip: a practice job's sheet, edited in openpyxl as a trainee would, imported back.

A real job over the practice web fills a store (SQLite and PostgreSQL); `leadharvest export`
writes the sheet; the test sets one lead Verified with a note and one Do not contact,
`leadharvest import`s it, and checks the store, the suppression list, the next export and
the next run. A tampered sheet must be refused with one line, exit code 2, and the store
exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from exports.columns import VERIFICATION_LABELS
from exports.xlsx import write_lead_sheet
from leadharvest.cli import main
from leadharvest.importer import SheetImportError, import_sheet
from leadharvest.items import Email, Evidence, Job, Lead, Phone
from leadharvest.practice import DEMO_PRODUCTS, DEMO_QUERY, DEMO_SOURCES, archive_path
from leadharvest.runner import JobSpec, run_job
from leadharvest.store import Store, evidence, leads, suppression
from tests.cli_support import run_cli as _cli
from tests.cli_support import user_error
from tests.services import backend_store_url

KESTREL = "Kestrel Camera Distributors"
CAIHONG = "义乌市彩虹贸易有限公司"
NOTE = "-Called 23 Nov: Priya wants the trade price list"
"""Starts with "-", so the sheet neutralises it; the import must give back exactly this."""

CAIHONG_KEYS = {
    # read off caihong-trading.example/lianxi.html on the practice web
    ("email", "info@caihong-trading.example"),
    ("phone", "+8657985550303"),  # 电话 0579-8555 0303
    ("phone", "+8657985550304"),  # 传真 0579-8555 0304: a fax is a contact channel too
    ("domain", "caihong-trading.example"),
    ("regid", "91330782MA0000000X"),  # 统一社会信用代码
}


def _spec(out: Path, store: str) -> JobSpec:
    return JobSpec(
        query=DEMO_QUERY,
        products=list(DEMO_PRODUCTS),
        sources=list(DEMO_SOURCES),
        replay=str(archive_path()),
        out=out,
        store=store,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from backend_store_url(request.param, tmp_path)


def _rows(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    ws = load_workbook(path)["Leads"]
    header = [str(c.value) for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    return header, rows


def _edit(src: Path, dst: Path, change: Callable[[Any, list[str]], None]) -> Path:
    wb = load_workbook(src)
    ws = wb["Leads"]
    change(ws, [str(c.value) for c in ws[1]])
    wb.save(dst)
    return dst


def _row_of(ws: Any, header: list[str], company: str, key: str = "Company") -> int:
    at = header.index(key) + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, at).value == company)


def _set(ws: Any, header: list[str], row: int, column: str, value: object) -> None:
    ws.cell(row, header.index(column) + 1).value = value


def test_round_trip_edit_import_and_next_export(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    job = run_job(_spec(tmp_path / "run1", store_url))
    job_id = job.job.job_id
    sheet = tmp_path / "exported.xlsx"
    code, _, _ = _cli(
        ["export", "--job", job_id, "--store", store_url, "-f", "xlsx", "-o", str(sheet)], capsys
    )
    assert code == 0
    _, before = _rows(sheet)
    names = [r["Company"] for r in before]
    assert KESTREL in names and CAIHONG in names
    assert {r["Verification"] for r in before} == {"Unverified"}

    def trainee(ws: Any, header: list[str]) -> None:
        kestrel = _row_of(ws, header, KESTREL)
        _set(ws, header, kestrel, "Verification", "Verified")
        _set(ws, header, kestrel, "Notes", NOTE)
        _set(ws, header, _row_of(ws, header, CAIHONG), "Verification", "Do not contact")

    edited = _edit(sheet, tmp_path / "checked.xlsx", trainee)
    code, out, err = _cli(["import", str(edited), "--store", store_url], capsys)
    assert code == 0, err
    assert f"{len(before)} leads, 2 updated, {len(before) - 2} unchanged" in out
    assert "1 do not contact (5 keys added to the suppression list)" in out

    db = Store(store_url)
    try:
        stored = {lead.name: lead for lead in db.leads()}
        assert (stored[KESTREL].verification, stored[KESTREL].notes) == ("verified", NOTE)
        assert stored[CAIHONG].verification == "do_not_contact"
        others = [lead for name, lead in stored.items() if name not in (KESTREL, CAIHONG)]
        assert len(others) == len(before) - 2
        assert all(lead.verification == "unverified" and lead.notes == "" for lead in others)
        listed = db.suppression_list()
        assert {(e.kind, e.value) for e in listed} == CAIHONG_KEYS
        assert {e.lead_id for e in listed} == {stored[CAIHONG].lead_id}
    finally:
        db.close()

    # the next export shows the verification and the note, and leaves the business out
    again = tmp_path / "next.xlsx"
    code, out, _ = _cli(
        ["export", "--job", job_id, "--store", store_url, "-f", "xlsx", "-o", str(again)], capsys
    )
    assert code == 0
    assert "1 lead left out: on the suppression list" in out
    assert f"wrote {len(before) - 1} leads" in out
    _, after = _rows(again)
    by_name = {r["Company"]: r for r in after}
    assert CAIHONG not in by_name and len(after) == len(before) - 1
    assert by_name[KESTREL]["Verification"] == "Verified"
    assert by_name[KESTREL]["Notes"] == "'" + NOTE  # neutralised in the cell, not a formula

    # importing that sheet unchanged changes nothing: the apostrophe is not taken as an edit
    code, out, _ = _cli(["import", str(again), "--store", store_url], capsys)
    assert code == 0
    assert f"0 updated, {len(before) - 1} unchanged" in out
    db = Store(store_url)
    try:
        assert next(lead for lead in db.leads() if lead.name == KESTREL).notes == NOTE
    finally:
        db.close()

    # the JSON-lines export is an export too
    jsonl = tmp_path / "next.jsonl"
    code, _, _ = _cli(
        ["export", "--job", job_id, "--store", store_url, "-f", "jsonl", "-o", str(jsonl)], capsys
    )
    assert code == 0
    exported = [json.loads(line)["name"] for line in jsonl.read_text("utf-8").splitlines()]
    assert CAIHONG not in exported and KESTREL in exported

    # and so is the next run's sheet: the verification survives, the business stays out
    rerun = run_job(_spec(tmp_path / "run2", store_url))
    assert rerun.suppressed == 1
    _, rows = _rows(rerun.sheet)
    by_name = {r["Company"]: r for r in rows}
    assert CAIHONG not in by_name
    assert by_name[KESTREL]["Verification"] == "Verified"
    assert not any(r["New"] for r in rows), "same query, same businesses: nothing is new"


# -- tampered sheets: refused, nothing written --------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def practice(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A store holding one practice job, and that job's exported sheet (not to be changed)."""
    folder = tmp_path_factory.mktemp(f"practice-{request.param}")
    for url in backend_store_url(request.param, folder):
        job = run_job(_spec(folder / "run", url))
        sheet = folder / "exported.xlsx"
        with pytest.raises(SystemExit) as exc:
            main(
                ["export", "--job", job.job.job_id, "--store", url, "-f", "xlsx", "-o", str(sheet)]
            )
        assert exc.value.code in (0, None)
        yield url, sheet


def _snapshot(url: str) -> dict[str, Any]:
    db = Store(url)
    try:
        with db.engine.connect() as conn:
            lead_rows = conn.execute(
                select(leads.c.lead_id, leads.c.verification, leads.c.notes, leads.c.data).order_by(
                    leads.c.lead_id
                )
            ).all()
            listed = conn.execute(select(suppression.c.kind, suppression.c.value)).all()
            n_evidence = conn.execute(select(func.count()).select_from(evidence)).scalar_one()
        return {
            "leads": [tuple(r) for r in lead_rows],
            "suppression": sorted(tuple(r) for r in listed),
            "evidence": n_evidence,
        }
    finally:
        db.close()


def _rename(old: str, new: str) -> Callable[[Any, list[str]], None]:
    def change(ws: Any, header: list[str]) -> None:
        ws.cell(1, header.index(old) + 1).value = new

    return change


def _last_row(column: str, value: object) -> Callable[[Any, list[str]], None]:
    def change(ws: Any, header: list[str]) -> None:
        _set(ws, header, ws.max_row, column, value)

    return change


def _duplicate_first_id(ws: Any, header: list[str]) -> None:
    at = header.index("Lead ID") + 1
    ws.cell(ws.max_row, at).value = ws.cell(2, at).value


def _delete_notes(ws: Any, header: list[str]) -> None:
    ws.delete_cols(header.index("Notes") + 1)


TAMPERS: dict[str, tuple[Callable[[Any, list[str]], None], str]] = {
    "renamed Notes header": (_rename("Notes", "Comments"), "'Comments' is not a column"),
    "renamed Lead ID header": (_rename("Lead ID", "ID"), "no 'Lead ID' / '线索编号'"),
    "header in the other language": (_rename("Notes", "备注"), "header in the other language"),
    "Notes column deleted": (_delete_notes, "lacks 'Notes'"),
    "id changed to another store's": (
        _last_row("Lead ID", "L0123456789ab"),
        "1 lead id(s) are not in this store (first: L0123456789ab",
    ),
    "id mangled": (_last_row("Lead ID", "9.1E+17"), "is not a LeadHarvest lead id"),
    "id emptied": (_last_row("Lead ID", None), "lead id empty is not a LeadHarvest lead id"),
    "bad verification": (_last_row("Verification", "Maybe"), "verification 'Maybe' is not one of"),
    "duplicate id": (_duplicate_first_id, "each lead must appear once"),
}


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_a_tampered_sheet_is_refused_and_nothing_changes(
    tamper: str,
    practice: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, sheet = practice
    change, message = TAMPERS[tamper]

    def edit(ws: Any, header: list[str]) -> None:
        # a valid edit on the FIRST row: a streaming import would write it before failing
        _set(ws, header, 2, "Verification", "Verified")
        _set(ws, header, 2, "Notes", "checked by phone")
        _set(ws, header, 3, "Verification", "Do not contact")
        change(ws, header)

    tampered = _edit(sheet, tmp_path / "tampered.xlsx", edit)
    before = _snapshot(url)
    line = user_error(["import", str(tampered), "--store", url], capsys)
    assert message in line
    assert line.endswith("nothing was imported")
    assert _snapshot(url) == before
    assert not before["suppression"]


def test_the_untampered_control_does_import(
    practice: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same edit without a tamper goes in: the refusals above are the tamper's doing.

    Runs after the tamper tests (file order) because it changes the shared store.
    """
    url, sheet = practice

    def edit(ws: Any, header: list[str]) -> None:
        _set(ws, header, 2, "Verification", "Verified")
        _set(ws, header, 2, "Notes", "checked by phone")

    code, out, _ = _cli(
        ["import", str(_edit(sheet, tmp_path / "ok.xlsx", edit)), "--store", url], capsys
    )
    assert code == 0
    assert ", 1 updated," in out


def test_not_a_sheet_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "leads.xlsx"
    junk.write_text("Company,Lead ID\n", encoding="utf-8")
    code, _, err = _cli(["import", str(junk), "--store", str(tmp_path / "s.db")], capsys)
    assert code == 2 and "not an Excel .xlsx lead sheet" in err
    code, _, err = _cli(["import", str(tmp_path / "missing.xlsx")], capsys)
    assert code == 2 and "sheet not found" in err


# -- a Chinese sheet ----------------------------------------------------------------------
def _lead(name: str, phone: str, domain: str) -> Lead:
    return Lead(
        name=name,
        normalized_name=name.lower(),
        website=f"https://{domain}",
        domain=domain,
        phones=[Phone(raw=phone, e164=phone, type="landline", valid=True)],
        emails=[Email(raw=f"sales@{domain}", address=f"sales@{domain}", role=True, valid=True)],
        evidence=[
            Evidence(source="practice_cn_b2b", method="industry_site", url=f"https://{domain}/")
        ],
    )


def test_a_chinese_sheet_imports_with_chinese_or_english_labels(
    store_url: str, tmp_path: Path
) -> None:
    db = Store(store_url)
    try:
        db.save_job(Job(job_id="cn", query="数码相机"), {"query": "数码相机"})
        stored = db.upsert_leads(
            [
                _lead("深圳市光影数码科技有限公司", "+8675588881234", "guangying-digital.example"),
                _lead("广州市星河影像器材批发有限公司", "+862088885678", "xinghe-imaging.example"),
                _lead("东莞市镜界光学有限公司", "+8676988889012", "jingjie-optics.example"),
            ],
            job_id="cn",
        )
        sheet = write_lead_sheet(db.leads(job_id="cn"), tmp_path / "线索.xlsx", lang="zh")
        zh = VERIFICATION_LABELS

        def edit(ws: Any, header: list[str]) -> None:
            assert "线索编号" in header and "Lead ID" not in header
            first = _row_of(ws, header, stored[0].lead_id, key="线索编号")
            _set(ws, header, first, "核实状态", zh["verified"]["zh"])
            _set(ws, header, first, "备注", "=已电话核实，联系人王经理")
            second = _row_of(ws, header, stored[1].lead_id, key="线索编号")
            _set(ws, header, second, "核实状态", " invalid ")  # English label, any case, spaces

        result = import_sheet(_edit(sheet, tmp_path / "已核实.xlsx", edit), db)
        assert (result.lang, result.rows, result.updated, result.unchanged) == ("zh", 3, 2, 1)
        after = {lead.lead_id: lead for lead in db.leads()}
        assert after[stored[0].lead_id].verification == "verified"
        assert after[stored[0].lead_id].notes == "=已电话核实，联系人王经理"
        assert after[stored[1].lead_id].verification == "invalid"
        assert after[stored[2].lead_id].verification == "unverified"
        assert db.suppression_list() == []
        with pytest.raises(SheetImportError, match="verification '待定' is not one of"):
            import_sheet(_edit(sheet, tmp_path / "bad.xlsx", _last_row("核实状态", "待定")), db)
    finally:
        db.close()


def test_a_sheet_split_past_the_row_limit_imports_from_every_part(
    tmp_path: Path, store_url: str
) -> None:
    db = Store(store_url)
    try:
        db.save_job(Job(job_id="cn", query="数码相机"), {"query": "数码相机"})
        db.upsert_leads(
            [
                _lead("深圳市光影数码科技有限公司", "+8675588881234", "guangying-digital.example"),
                _lead("广州市星河影像器材批发有限公司", "+862088885678", "xinghe-imaging.example"),
                _lead("东莞市镜界光学有限公司", "+8676988889012", "jingjie-optics.example"),
            ],
            job_id="cn",
        )
        # two data rows per sheet: "Leads" holds two leads, "Leads (2)" the third
        sheet = write_lead_sheet(db.leads(job_id="cn"), tmp_path / "split.xlsx", max_rows=3)
        wb = load_workbook(sheet)
        assert [n for n in wb.sheetnames if n.startswith("Leads")] == ["Leads", "Leads (2)"]
        ws = wb["Leads (2)"]
        header = [str(c.value) for c in ws[1]]
        _set(ws, header, 2, "Verification", "Invalid")
        last_id = ws.cell(2, header.index("Lead ID") + 1).value
        wb.save(sheet)
        result = import_sheet(sheet, db)
        assert (result.rows, result.updated) == (3, 1)
        assert {lead.lead_id: lead.verification for lead in db.leads()}[last_id] == "invalid"
    finally:
        db.close()
