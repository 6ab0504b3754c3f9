"""Pages and small JSON endpoints: sign-in, language, jobs (new, progress, cancel, resume).

The leads table, the lead card and the downloads are in :mod:`leadharvest.web.routes_leads`.
Every job page checks first that the user may see the job; a job that is not theirs answers
404 exactly like a job that does not exist, so job names do not leak between trainees.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from leadharvest.grading import Tiers, TiersError
from leadharvest.items import utcnow
from leadharvest.planning import is_cjk
from leadharvest.practice import DEMO_SOURCES, archive_path
from leadharvest.query import QuerySyntaxError, parse_query
from leadharvest.report import SourceHealth, source_health
from leadharvest.runner import JobSpec, ResumeError, resumable_spec, slug
from leadharvest.settings import defaults
from leadharvest.templates import expand_product, propose_query
from leadharvest.web.accounts import User
from leadharvest.web.app import (
    LANG_COOKIE,
    CurrentUser,
    WebState,
    checked_form,
    local_path,
    render,
    request_lang,
    state,
)
from leadharvest.web.i18n import LANGS, Translator
from spiders.pages import Source, catalogue

router = APIRouter()

_SPLIT_RE = re.compile(r"[,;，、；\n]+")
_JOB_NAME_RE = re.compile(r"^[\w-]{1,80}$")
PRACTICE_ARCHIVE = "practice-web"


# -- sign-in and language -------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=local_path(next), failed=False)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request)
    web = state(request)
    target = local_path(str(form.get("next", "/")))
    name = str(form.get("name", ""))
    client = request.client.host if request.client else ""
    if web.throttle.blocked(client, name):
        return render(request, "login.html", status_code=429, next=target, failed="throttled")
    user = web.accounts.authenticate(name, str(form.get("password", "")))
    if user is None:
        web.throttle.failed(client, name)
        return render(request, "login.html", status_code=401, next=target, failed=True)
    web.throttle.succeeded(client, name)
    request.session.clear()  # a fresh session (and CSRF token) for the signed-in user
    request.session["user"] = user.name
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login" if state(request).config.accounts else "/", status_code=303)


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    if code not in LANGS:
        raise HTTPException(status_code=404)
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="strict",
        secure=state(request).config.https,
    )
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/jobs", status_code=303)


# -- the query: proposal and check-as-you-type ----------------------------------------------
def split_products(text: str) -> list[str]:
    """``digital camera, 数码相机`` → two keywords (commas, 、, ； and new lines separate)."""
    out: list[str] = []
    for part in _SPLIT_RE.split(unicodedata.normalize("NFKC", text)):
        cleaned = " ".join(part.replace('"', " ").split())
        if cleaned and cleaned not in out:
            out.append(cleaned[:100])
    return out[:10]


def template_searches(products: list[str]) -> list[str]:
    """What the search engines will be asked: each keyword through config/queries.toml, in
    its own language (the runner's planning does the same)."""
    out: list[str] = []
    for product in products:
        langs = ("zh",) if is_cjk(product) else ("en",)
        for query in expand_product(product, languages=langs):
            if query not in out:
                out.append(query)
    return out


def query_problem(query: str, lang: str = "en") -> dict[str, Any] | None:
    """None for a good query; else where it broke, split around the column for display."""
    try:
        parse_query(query)
    except QuerySyntaxError as exc:
        col = max(0, min(exc.column, len(query)))
        return {
            "ok": False,
            "column": exc.column,
            "message": exc.message_in(lang),
            "before": query[:col],
            "at": query[col : col + 1] or " ",
            "after": query[col + 1 :],
        }
    return None


@router.get("/api/query/check")
def check_query(request: Request, user: CurrentUser, q: str = "") -> JSONResponse:
    if not q.strip():
        return JSONResponse({"ok": False, "empty": True})
    return JSONResponse(query_problem(q, request_lang(request)) or {"ok": True})


@router.get("/api/query/propose")
def propose(user: CurrentUser, product: str = "") -> JSONResponse:
    products = split_products(product)
    if not products:
        return JSONResponse({"query": "", "searches": [], "products": []})
    try:
        query = propose_query(products)
        searches = template_searches(products)
    except (QuerySyntaxError, ValueError) as exc:
        return JSONResponse({"query": "", "searches": [], "products": products, "error": str(exc)})
    return JSONResponse({"query": query, "searches": searches, "products": products})


# -- jobs -----------------------------------------------------------------------------------
def visible_jobs(web: WebState, user: User) -> list[dict[str, Any]]:
    """The jobs this user may see: stored ones, and those still waiting to start."""
    owners = web.accounts.owners()
    rows = [
        {**row, "owner": owners.get(row["job_id"], "")}
        for row in web.store.job_rows()
        if user.supervisor or owners.get(row["job_id"]) == user.name
    ]
    stored = {row["job_id"] for row in rows}
    for job_id, job in web.jobs.items():
        if job_id not in stored and (user.supervisor or job.owner == user.name):
            spec = job.spec
            rows.insert(
                0,
                {
                    "job_id": job_id,
                    "query": spec.query if spec else "",
                    "spec": asdict(spec) if spec else {},
                    "started_at": job.created,
                    "finished_at": None,
                    "status": job.state,
                    "owner": job.owner,
                },
            )
    return rows


def job_row(web: WebState, user: User, job_id: str) -> dict[str, Any]:
    """The job's row if this user may see it; 404 otherwise (whether or not it exists)."""
    for row in visible_jobs(web, user):
        if row["job_id"] == job_id:
            return row
    raise HTTPException(status_code=404)


@router.get("/jobs")
def jobs_page(request: Request, user: CurrentUser) -> Response:
    web = state(request)
    return render(request, "jobs.html", jobs=visible_jobs(web, user))


def archives(web: WebState) -> dict[str, Path]:
    """Replay archives the form offers: the bundled practice web, then OUT/archives/*.warc.gz.

    The form sends a key, never a path, so nothing outside these can be replayed."""
    found = {PRACTICE_ARCHIVE: archive_path()}
    folder = web.config.archives or Path(web.config.out) / "archives"
    if folder.is_dir():
        for path in sorted(folder.glob("*.warc.gz")):
            found.setdefault(path.name, path)
    return found


def form_sources() -> tuple[list[Source], list[Source]]:
    """(practice sources, live sources) from the catalogue."""
    sources = list(catalogue().values())
    return [s for s in sources if s.practice], [s for s in sources if not s.practice]


def new_job_form(
    request: Request,
    web: WebState,
    values: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
) -> Response:
    practice, live = form_sources()
    defaults_live = [str(s) for s in defaults().get("sources", [])]
    values = values or {
        "product": "",
        "query": "",
        "mode": "practice",
        "archive": PRACTICE_ARCHIVE,
        "sources_practice": list(DEMO_SOURCES),
        "sources_live": defaults_live,
        "region": "",
        "tiers": "",
        "job_name": "",
    }
    products = split_products(str(values.get("product", "")))
    try:
        searches = template_searches(products)
    except ValueError:
        searches = []
    return render(
        request,
        "new_job.html",
        status_code=400 if errors else 200,
        values=values,
        errors=errors or {},
        practice_sources=practice,
        live_sources=live,
        archives=list(archives(web)),
        practice_archive=PRACTICE_ARCHIVE,
        searches=searches,
    )


@router.get("/jobs/new")
def new_job_page(request: Request, user: CurrentUser) -> Response:
    return new_job_form(request, state(request))


@router.post("/jobs")
async def create_job(request: Request, user: CurrentUser) -> Response:
    form = await checked_form(request)
    web = state(request)
    values: dict[str, Any] = {
        "product": str(form.get("product", ""))[:500],
        "query": str(form.get("query", ""))[:2000],
        "mode": "live" if form.get("mode") == "live" else "practice",
        "archive": str(form.get("archive", PRACTICE_ARCHIVE)),
        "sources_practice": [str(v) for v in form.getlist("sources_practice")],
        "sources_live": [str(v) for v in form.getlist("sources_live")],
        "region": str(form.get("region", "")).strip().upper(),
        "tiers": str(form.get("tiers", "")).strip()[:40],
        "job_name": str(form.get("job_name", "")).strip(),
    }
    errors: dict[str, Any] = {}
    products = split_products(values["product"])
    query = values["query"].strip()
    if not query and products:
        query = values["query"] = propose_query(products)
    if not query:
        errors["query"] = {"key": "query_required"}
    else:
        problem = query_problem(query, request_lang(request))
        if problem:
            errors["query"] = {"key": "query_error", **problem}
    practice, live = form_sources()
    chosen = values["sources_practice"] if values["mode"] == "practice" else values["sources_live"]
    allowed = {s.name for s in (practice if values["mode"] == "practice" else live)}
    sources = [s for s in chosen if s in allowed]
    if not sources:
        errors["sources"] = {"key": "sources_required"}
    if values["region"] and not re.fullmatch(r"[A-Z]{2}", values["region"]):
        errors["region"] = {"key": "region_error"}
    if values["tiers"]:
        try:
            Tiers.parse(values["tiers"])
        except TiersError:
            errors["tiers"] = {"key": "tiers_error"}
    replay = ""
    if values["mode"] == "practice":
        known = archives(web)
        if values["archive"] not in known:
            errors["archive"] = {"key": "archive_error"}
        else:
            replay = str(known[values["archive"]])
    job_id = values["job_name"]
    if job_id and not _JOB_NAME_RE.fullmatch(job_id):
        errors["job_name"] = {"key": "job_name_error"}
    elif job_id and (job_id in web.store.job_ids() or web.jobs.get(job_id)):
        errors["job_name"] = {"key": "job_exists"}
    if errors:
        return new_job_form(request, web, values, errors)
    keyword = products[0] if products else " ".join(parse_query(query).positive_terms()[:3])
    job_id = job_id or f"{slug(keyword)}-{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
    spec = JobSpec(
        query=query,
        products=products,
        sources=sources,
        region=values["region"],
        tiers=values["tiers"],
        replay=replay,
        store=web.config.store_url,
        out=Path(web.config.out),
        job_id=job_id,
        lang=request_lang(request),
    )
    if web.config.accounts:
        web.accounts.set_owner(job_id, user.name)
    web.jobs.start(spec, owner=user.name)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def progress(web: WebState, job_id: str, row: dict[str, Any], t: Translator) -> dict[str, Any]:
    """Per-source counts: live from the runner's events while the job runs, then from the
    store's page records (the same health report the terminal and the sheet show)."""
    running = web.jobs.get(job_id)
    leads_total = 0
    if running is not None and not running.done:
        pages, found = running.snapshot()
        health = source_health(pages, [])
        for item in health:
            item.leads = found[item.source]
        leads_total = sum(found.values())
        job_state = running.state
    else:
        pages = web.store.job_pages(job_id)
        leads = web.store.leads(job_id=job_id)
        health = source_health(pages, leads)
        leads_total = len(leads)
        job_state = running.state if running is not None else str(row.get("status") or "")
    done = job_state not in ("queued", "running")
    stored_status = str(row.get("status") or "")
    return {
        # a stopped job goes on from its crawl journal, like `collect --resume`
        "resumable": done
        and job_state in ("interrupted", "failed")
        and stored_status != "finished",
        "state": job_state,
        "state_label": t.state(job_state),
        "done": done,
        "error": running.error if running is not None else "",
        "cancelling": bool(running and running.cancel.is_set() and not done),
        "leads": leads_total,
        "rows": [_health_row(item, t) for item in health],
    }


def _health_row(item: SourceHealth, t: Translator) -> dict[str, Any]:
    return {
        "source": item.source,
        "method": t.method(item.method) if item.method else "",
        "requests": item.requests,
        "responses": item.responses,
        "leads": item.leads,
        "empty": item.empty,
        "blocked": item.blocked,
        "robots": item.robots,
        "missing": item.missing,
        "errors": item.errors,
        "why": item.reason_text(),
    }


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, user: CurrentUser) -> Response:
    web = state(request)
    row = job_row(web, user, job_id)
    t = Translator(request_lang(request))
    return render(
        request, "job.html", job=row, progress=progress(web, job_id, row, t), mode=_mode(row)
    )


@router.get("/jobs/{job_id}/progress.json")
def job_progress(request: Request, job_id: str, user: CurrentUser) -> Response:
    web = state(request)
    row = job_row(web, user, job_id)
    return JSONResponse(progress(web, job_id, row, Translator(request_lang(request))))


@router.post("/jobs/{job_id}/cancel")
async def cancel_job(request: Request, job_id: str, user: CurrentUser) -> Response:
    await checked_form(request)
    web = state(request)
    job_row(web, user, job_id)
    web.jobs.cancel(job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id}/resume")
async def resume_job(request: Request, job_id: str, user: CurrentUser) -> Response:
    await checked_form(request)
    web = state(request)
    job_row(web, user, job_id)
    running = web.jobs.get(job_id)
    if running is not None and not running.done:
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)  # already going
    try:
        spec = resumable_spec(web.store, job_id)
    except ResumeError:
        raise HTTPException(status_code=409) from None
    spec = replace(spec, store=web.config.store_url)
    owner = web.accounts.owners().get(job_id, user.name) if web.config.accounts else user.name
    web.jobs.start(spec, owner=owner, resume=True)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _mode(row: dict[str, Any]) -> str:
    replay = str((row.get("spec") or {}).get("replay") or "")
    return Path(replay).name if replay else "live"
