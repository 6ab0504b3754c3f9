"""The leads of a job: table, lead card, verification and notes, downloads.

Downloads go through :func:`exports.dispatch.export_leads`, the same function as
``leadharvest export``, so the browser's Excel sheet and CRM files are the CLI's, cell
safety included; they hold exactly the rows the current filter shows.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from exports.crm import load_profile, profile_names
from exports.dispatch import export_leads, format_names
from leadharvest.grading import GradingRules, score_lead
from leadharvest.items import BUSINESS_TYPES, METHODS, VERIFICATION, Job, Lead
from leadharvest.suppression import apply_suppression, entries_for
from leadharvest.web.accounts import User
from leadharvest.web.app import (
    CurrentUser,
    WebState,
    checked_form,
    render,
    request_lang,
    state,
)
from leadharvest.web.i18n import Translator
from leadharvest.web.leadview import GRADES, SORTS, LeadFilter
from leadharvest.web.routes import job_row

router = APIRouter()

MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".vcf": "text/vcard; charset=utf-8",
    ".jsonl": "application/x-ndjson",
    ".zip": "application/zip",
}
MAX_NOTES = 4000


def new_lead_ids(leads: list[Lead]) -> set[str]:
    """Leads no earlier run of this job (same name or same query) had: the sheet's "New"."""
    return {lead.lead_id for lead in leads if lead.is_new}


def format_choices(t: Translator) -> list[tuple[str, str]]:
    """(format, label) for the download menu: the sheet, every CRM profile, vCard, JSONL."""
    labels = {"xlsx": t("format_xlsx"), "vcard": t("format_vcard"), "jsonl": t("format_jsonl")}
    profiles = set(profile_names())
    out = []
    for name in format_names():
        label = labels.get(name, name)
        if name in profiles:
            label = load_profile(name).title
        out.append((name, label))
    return out


PAGE_SIZE = 200
"""Rows per page of the leads table: a browser renders a few hundred rows at once easily,
a job of ten thousand slowly. Filters, sort and downloads still cover every lead."""


def _job_leads(web: WebState, user: User, job_id: str) -> tuple[dict[str, Any], list[Lead]]:
    row = job_row(web, user, job_id)
    return row, web.store.leads(job_id=job_id)


@router.get("/jobs/{job_id}/leads")
def leads_page(request: Request, job_id: str, user: CurrentUser) -> Response:
    web = state(request)
    row, leads = _job_leads(web, user, job_id)
    chosen = LeadFilter.from_params(request.query_params)
    new_ids = new_lead_ids(leads)
    matching = chosen.apply(leads, new_ids=new_ids)
    pages = max(1, -(-len(matching) // PAGE_SIZE))
    try:
        number = min(max(1, int(request.query_params.get("page", "1"))), pages)
    except ValueError:
        number = 1
    shown = matching[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    held = {lead.lead_id for lead in apply_suppression(shown, web.store).suppressed}
    t = Translator(request_lang(request))
    return render(
        request,
        "leads.html",
        job=row,
        leads=shown,
        matching=len(matching),
        page=number,
        pages=pages,
        first=(number - 1) * PAGE_SIZE + 1,
        total=len(leads),
        new_ids=new_ids,
        suppressed=held,
        f=chosen,
        grades=GRADES,
        methods=list(METHODS),
        business_types=BUSINESS_TYPES,
        verifications=VERIFICATION,
        sorts=SORTS,
        formats=format_choices(t),
    )


def _back(raw: str) -> str:
    """A leads-table query string from a form or link, rebuilt from known fields only."""
    return LeadFilter.from_params(dict(parse_qsl(raw))).query_string()


def _lead_in_job(web: WebState, user: User, job_id: str, lead_id: str) -> tuple[Any, Lead]:
    row = job_row(web, user, job_id)
    if lead_id not in web.store.job_lead_ids(job_id):
        raise HTTPException(status_code=404)
    lead = web.store.get_lead(lead_id)
    if lead is None:
        raise HTTPException(status_code=404)
    return row, lead


@router.get("/jobs/{job_id}/leads/{lead_id}")
def lead_card(
    request: Request,
    job_id: str,
    lead_id: str,
    user: CurrentUser,
    back: str = "",
    saved: str = "",
) -> Response:
    web = state(request)
    row, lead = _lead_in_job(web, user, job_id, lead_id)
    lang = request_lang(request)
    reasons = lead.grade_reasons
    if str((row.get("spec") or {}).get("lang", "en")) != lang or not reasons:
        # the job graded in its own language; the reasons are re-said in the page's
        reasons = score_lead(lead, rules=GradingRules.load(), lang=lang).reasons
    return render(
        request,
        "lead.html",
        job=row,
        lead=lead,
        reasons=reasons,
        review=[
            (pair.right_id, pair.right_name, pair.reason)
            if pair.left_id == lead_id
            else (pair.left_id, pair.left_name, pair.reason)
            for pair in web.store.review_pairs(job_id)
            if lead_id in (pair.left_id, pair.right_id)
        ],
        back=_back(back),
        saved=saved == "1",
        verifications=VERIFICATION,
        error="",
    )


@router.post("/jobs/{job_id}/leads/{lead_id}/verification")
async def set_verification(
    request: Request, job_id: str, lead_id: str, user: CurrentUser
) -> Response:
    form = await checked_form(request)
    web = state(request)
    _, lead = _lead_in_job(web, user, job_id, lead_id)
    verification = str(form.get("verification", ""))
    notes = str(form.get("notes", ""))[:MAX_NOTES]
    back = _back(str(form.get("back", "")))
    if verification not in VERIFICATION:
        raise HTTPException(status_code=400)
    # Do not contact also lists the lead's e-mails, phones, domain and registration id, so
    # the business stays off every later export whichever job finds it (as `import` does)
    who = f" by {user.name}" if user.name else ""
    entries = (
        entries_for(lead, f"marked do not contact in the web UI{who}")
        if verification == "do_not_contact"
        else []
    )
    web.store.apply_review([(lead_id, verification, notes)], entries)
    target = f"/jobs/{quote(job_id)}/leads/{quote(lead_id)}?saved=1"
    if back:
        target += "&back=" + quote(back, safe="")
    return RedirectResponse(target, status_code=303)


@router.get("/jobs/{job_id}/export")
def download(request: Request, job_id: str, user: CurrentUser, fmt: str = "xlsx") -> Response:
    web = state(request)
    row, leads = _job_leads(web, user, job_id)
    if fmt not in format_names():
        raise HTTPException(status_code=400)
    chosen = LeadFilter.from_params(request.query_params)
    shown = chosen.apply(leads, new_ids=new_lead_ids(leads))
    lang = request_lang(request)
    job = Job(
        job_id=job_id,
        query=str(row.get("query") or ""),
        pages=web.store.job_pages(job_id),
        status=str(row.get("status") or ""),
    )
    if row.get("started_at") is not None:
        job.started_at = row["started_at"]
    folder = Path(tempfile.mkdtemp(prefix="leadharvest-web-"))
    cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
    try:
        suffix = {"xlsx": ".xlsx", "vcard": ".vcf", "jsonl": ".jsonl"}.get(fmt)
        if suffix is None:
            suffix = load_profile(fmt).extension
        base = f"leads-{job_id}" + ("" if fmt in ("xlsx", "vcard", "jsonl") else f"-{fmt}")
        allowed = apply_suppression(shown, web.store)  # do-not-contact leads never leave
        ids = {lead.lead_id for lead in allowed.kept}
        review = [
            pair
            for pair in allowed.pairs(web.store.review_pairs(job_id))
            if pair.left_id in ids or pair.right_id in ids
        ]
        result = export_leads(
            allowed.kept, fmt, folder / f"{base}{suffix}", lang=lang, job=job, review=review
        )
        paths = result.paths
        if len(paths) == 1:
            path = paths[0]
        else:  # a CRM profile split past its rows-per-file limit: one zip of the parts
            path = folder / f"{base}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
                for part in paths:
                    bundle.write(part, part.name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        path,
        filename=path.name,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        background=cleanup,
    )
