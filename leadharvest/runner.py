"""A collection job end to end: plan → crawl → enrich → dedupe → query → store → grade → sheet.

Only the runner and the CLI touch the store; every stage in between is a pure function over
lead objects. The crawl runs in a child process (Scrapy's reactor runs once per process) that
appends every item to a sink file as it is scraped, so an interrupted crawl still hands over
everything it collected.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dedupe.engine import dedupe_leads
from enrich.pipeline import enrich_lead
from exports.xlsx import write_lead_sheet
from leadharvest.grading import grade_leads
from leadharvest.items import Job, Lead, PageRecord, parse_dt, utcnow
from leadharvest.planning import StartRequest, plan_start_requests
from leadharvest.query import Query, parse_query
from leadharvest.saved import SavedPage, archive_saved_pages, find_saved_pages
from leadharvest.settings import ConfigError, defaults
from leadharvest.store import Store
from spiders.pages import GENERIC, Source, catalogue, source_for_url

Event = dict[str, Any]


@dataclass
class JobSpec:
    """Everything a collection job is asked to do."""

    query: str
    products: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    """Company websites to visit directly (the e-mail method without a search)."""
    region: str = ""
    replay: str = ""
    record: str = ""
    store: str = ""
    out: Path = Path("leadharvest-out")
    job_id: str = ""
    lang: str = "en"
    settings: dict[str, Any] = field(default_factory=dict)
    """Scrapy setting overrides (``-s NAME=VALUE``)."""
    from_saved: str = ""
    """A folder of result / listing pages saved from the browser to start from."""


@dataclass
class JobResult:
    """What a finished job produced."""

    job: Job
    leads: list[Lead]
    sheet: Path
    store_url: str
    raw_leads: int = 0
    filtered_out: int = 0
    interrupted: bool = False
    error: str = ""
    """Why the crawl process failed, if it did; the sheet still holds what it collected."""


def slug(text: str) -> str:
    """File-name-safe keyword (keeps Chinese characters): ``digital-camera``, ``数码相机``."""
    cleaned = re.sub(r"[^\w\u3400-\u9fff]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "leads"


def resolve_sources(names: list[str]) -> list[Source]:
    """Catalogue entries for the given names (the configured default when none)."""
    wanted = names or list(defaults().get("sources", []))
    known = catalogue()
    missing = [n for n in wanted if n not in known]
    if missing:
        raise ConfigError(f"unknown source(s): {', '.join(missing)}; see `leadharvest sources`")
    return [known[n] for n in wanted]


def job_sources(spec: JobSpec) -> list[Source]:
    """The sources a job searches: those named, or the defaults unless only sites were given."""
    if not spec.sources and (spec.start_urls or spec.from_saved):
        return []
    return resolve_sources(spec.sources)


def plan(spec: JobSpec, query: Query, saved: list[SavedPage] | None = None) -> list[StartRequest]:
    """Start requests: searches per source, saved pages, and any company sites given."""
    planned = plan_start_requests(query, spec.products, job_sources(spec))
    for page in saved or []:
        planned.append(
            StartRequest(url=page.url, source=source_for_url(page.url).name, query=query.text)
        )
    for url in spec.start_urls:
        planned.append(StartRequest(url=url, source=GENERIC.name, query=query.text))
    return planned


def unconfigured(spec: JobSpec) -> list[PageRecord]:
    """A health-report line for each chosen source that lacks its key or endpoint."""
    return [
        PageRecord(
            url=f"config:{src.name}",
            source=src.name,
            method=src.method,
            status="not_configured",
            reason="set " + ", ".join(src.missing_settings()),
        )
        for src in job_sources(spec)
        if src.missing_settings()
    ]


def default_store_url(out: Path) -> str:
    return f"sqlite:///{(out / 'leadharvest.db').resolve()}"


def run_job(spec: JobSpec, *, on_event: Callable[[Event], None] | None = None) -> JobResult:
    """Run one job and write its lead sheet; see the module docstring for the stages."""
    query = parse_query(spec.query)
    saved, saved_problems = find_saved_pages(spec.from_saved) if spec.from_saved else ([], [])
    start_requests = plan(spec, query, saved)
    skipped = unconfigured(spec)
    if not start_requests:
        why = f" ({skipped[0].source}: {skipped[0].reason})" if skipped else ""
        raise ConfigError(
            "nothing to fetch: the chosen sources take no query (or are not configured)"
            f" and no --start-url or --from-saved was given{why}"
        )
    out = Path(spec.out)
    out.mkdir(parents=True, exist_ok=True)
    store_url = spec.store or default_store_url(out)
    store = Store(store_url)
    try:
        started = utcnow()
        keyword = spec.products[0] if spec.products else " ".join(query.positive_terms()[:3])
        job = Job(
            job_id=spec.job_id or f"{slug(keyword)}-{started:%Y%m%d-%H%M%S}",
            query=query.text,
            product=", ".join(spec.products),
            sources=[s.name for s in job_sources(spec)]
            + (["company_website"] if spec.start_urls else []),
            region=spec.region,
            started_at=started,
            replay=str(spec.replay or ""),
        )
        spec_dict = {**spec.__dict__, "out": str(spec.out)}
        store.save_job(job, spec_dict)
        if saved:
            spec = saved_job_spec(spec, saved, out / "work" / f"{job.job_id}.saved.warc.gz")
        raw, pages, interrupted, error = crawl(
            spec, start_requests, out=out, job_id=job.job_id, on_event=on_event
        )
        problems = [
            PageRecord(
                url=f"file:{line.split(':', 1)[0]}",
                source="saved",
                method="",
                status="error",
                reason=line,
            )
            for line in saved_problems
        ]
        pages = skipped + problems + pages
        job.pages = pages
        store.add_pages(job.job_id, pages)

        kept, filtered = process(raw, query, spec, job.job_id)
        stored = store.upsert_leads(kept, job_id=job.job_id, seen_at=started)
        graded = grade_leads(stored, lang=spec.lang)
        store.save_grades(graded)
        job.finished_at = utcnow()
        job.status = "failed" if error else "interrupted" if interrupted else "finished"
        store.save_job(job, spec_dict)
        sheet = out / f"leads-{slug(keyword)}-{started:%Y-%m-%d}.xlsx"
        write_lead_sheet(graded, sheet, job=job, lang=spec.lang)
    finally:
        store.close()
    return JobResult(
        job=job,
        leads=graded,
        sheet=sheet,
        store_url=store_url,
        raw_leads=len(raw),
        filtered_out=filtered,
        interrupted=interrupted,
        error=error,
    )


def saved_job_spec(spec: JobSpec, saved: list[SavedPage], archive: Path) -> JobSpec:
    """The job with the saved pages served first; the rest from ``--replay`` or, politely, live."""
    archive_saved_pages(saved, archive)
    replay = ",".join(str(p) for p in (archive, spec.replay) if p)
    overrides: dict[str, Any] = {}
    if not spec.replay:
        crawl = defaults().get("crawl", {})
        overrides = {
            "LEADHARVEST_REPLAY_PASSTHROUGH": True,
            "DOWNLOAD_DELAY": float(crawl.get("download_delay", 2.0)),
            "AUTOTHROTTLE_ENABLED": bool(crawl.get("autothrottle", True)),
            "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.get("concurrent_requests_per_domain", 1)),
            "RETRY_ENABLED": True,
        }
    return replace(spec, replay=replay, settings={**overrides, **spec.settings})


def process(raw: list[Lead], query: Query, spec: JobSpec, job_id: str) -> tuple[list[Lead], int]:
    """Enrich, deduplicate, then apply the Boolean query locally to each business.

    The query is applied after dedupe, to everything known about a business (its listing
    card, the search snippet that led to it, its own pages): a contact page that never says
    "camera" still belongs to the camera wholesaler whose listing does.
    """
    default_region = spec.region or str(defaults().get("region", ""))
    known = catalogue()
    for lead in raw:
        src_region = ""
        for ev in lead.evidence:
            ev.job_id = job_id
            if ev.source in known and known[ev.source].region:
                src_region = known[ev.source].region
        enrich_lead(lead, region=spec.region or src_region or default_region)
    kept: list[Lead] = []
    filtered = 0
    for lead in dedupe_leads(raw):
        text = lead.text()
        if not query.matches(text):
            filtered += 1
            continue
        lead.relevance = query.relevance(text)
        kept.append(lead)
    return kept, filtered


def crawl(
    spec: JobSpec,
    start_requests: list[StartRequest],
    *,
    out: Path,
    job_id: str,
    on_event: Callable[[Event], None] | None = None,
) -> tuple[list[Lead], list[PageRecord], bool, str]:
    """Run the spiders in a child process; return the raw leads, page records, whether it was
    interrupted, and the crawl process's error (if it failed)."""
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    sink = work / f"{job_id}.raw.jsonl"
    sink.write_text("", encoding="utf-8")
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    crawl_spec = {
        "plan": [r.__dict__ for r in start_requests],
        "sink": str(sink.resolve()),
        "replay": ",".join(str(Path(p).resolve()) for p in spec.replay.split(",") if p),
        "record": str(Path(spec.record).resolve()) if spec.record else "",
        "progress": True,
        "log_file": str((logs / f"{job_id}.log").resolve()),
        "settings": spec.settings,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(crawl_spec, fh)
        spec_path = fh.name
    interrupted = False
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    stderr_path = logs / f"{job_id}.stderr"
    with (
        stderr_path.open("w", encoding="utf-8") as stderr,
        subprocess.Popen(
            [sys.executable, "-m", "leadharvest.crawl", spec_path],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            env=env,
        ) as proc,
    ):
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                event = _event(line)
                if event and on_event:
                    on_event(event)
            proc.wait()
        except KeyboardInterrupt:
            interrupted = True
            proc.terminate()
            proc.wait(timeout=30)
        finally:
            os.unlink(spec_path)
    error = ""
    if proc.returncode not in (0, None) and not interrupted:
        # keep going: what the crawl wrote to the sink before it died is still processed
        lines = [ln for ln in stderr_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        error = f"the crawl process failed ({proc.returncode}): {(lines or ['no output'])[-1]}"
    return (*read_sink(sink), interrupted, error)


def _event(line: str) -> Event | None:
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return None
    return event if isinstance(event, dict) else None


def read_sink(path: Path) -> tuple[list[Lead], list[PageRecord]]:
    """Leads and page records from a crawl's sink file (a torn last line is ignored)."""
    raw: list[Lead] = []
    pages: list[PageRecord] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("type") == "lead":
            raw.append(Lead.from_dict(record["data"]))
        elif record.get("type") == "page":
            data = dict(record["data"])
            data["fetched_at"] = parse_dt(data.get("fetched_at"))
            pages.append(PageRecord(**data))
    return raw, pages
