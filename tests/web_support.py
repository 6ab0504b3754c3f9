"""Helpers shared by the web UI's tests: a practice job in a store, a hostile lead, a sheet
read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from exports.columns import COLUMNS
from leadharvest.grading import grade_leads
from leadharvest.items import Evidence, Job, Lead, Phone, utcnow
from leadharvest.practice import DEMO_PRODUCTS, DEMO_QUERY, DEMO_SOURCES, archive_path
from leadharvest.runner import JobSpec, run_job
from leadharvest.store import Store

XSS_NAME = "<script>alert(1)</script>"
XSS_NOTES = "</textarea><script>alert(3)</script>"


def practice_spec(out: Path, store: str, job_id: str) -> JobSpec:
    """The demo's job (the practice web, replayed), into the given store."""
    return JobSpec(
        query=DEMO_QUERY,
        products=list(DEMO_PRODUCTS),
        sources=list(DEMO_SOURCES),
        replay=str(archive_path()),
        store=store,
        out=out,
        job_id=job_id,
    )


def run_practice_job(out: Path, store: str, job_id: str) -> list[Lead]:
    return run_job(practice_spec(out, store, job_id)).leads


def seed_hostile_job(store_url: str, job_id: str = "hostile") -> str:
    """A job whose one lead carries script in every place a page could put it; its lead id."""
    store = Store(store_url)
    try:
        job = Job(job_id=job_id, query="camera", status="finished")
        store.save_job(job, {"lang": "en"})
        lead = Lead(
            name=XSS_NAME,
            normalized_name="script alert 1 script",
            website="javascript:alert(2)",
            address_raw='"><img src=x onerror=alert(4)>',
            phones=[Phone(raw="+61 7 4051 1234", e164="+61740511234", valid=True)],
            evidence=[
                Evidence(
                    source="practice_search",
                    method="search_engine",
                    url="javascript:alert(5)",
                    fields=["name"],
                )
            ],
            notes=XSS_NOTES,
        )
        stored = store.upsert_leads([lead], job_id=job_id, seen_at=utcnow())
        store.save_grades(grade_leads(stored))
        lead_id = stored[0].lead_id
        store.apply_review([(lead_id, "unverified", XSS_NOTES)], [])
        return lead_id
    finally:
        store.close()


def sheet_rows(path: Path) -> list[dict[str, Any]]:
    """The lead sheet's rows by column key (the English headers of exports.columns)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Leads"]
    rows = list(ws.iter_rows(values_only=True))
    by_header = {column.en: column.key for column in COLUMNS}
    keys = [by_header.get(str(h), str(h)) for h in rows[0]]
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]]
