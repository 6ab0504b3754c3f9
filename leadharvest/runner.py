"""A collection job end to end: plan → crawl → enrich → dedupe → query → store → grade → sheet.

Only the runner and the CLI touch the store; every stage in between is a pure function over
lead objects. The crawl runs in a child process (Scrapy's reactor runs once per process) that
appends every finished page to a sink file as it is scraped, so an interrupted crawl still
hands over everything it collected; the sink is also the crawl's journal, so a job killed
even with ``kill -9`` goes on with :func:`resume_job` (see ``spiders/journal.py``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from dedupe.engine import Borderline, dedupe_with_review
from enrich.pipeline import enrich_lead
from enrich.shared import flag_shared_contacts
from exports.xlsx import write_lead_sheet
from leadharvest.grading import Tiers, grade_leads
from leadharvest.items import Job, Lead, PageRecord, ReviewPair, parse_dt, utcnow
from leadharvest.joblock import job_lock
from leadharvest.planning import StartRequest, plan_start_requests
from leadharvest.query import Query, parse_query
from leadharvest.saved import SavedPage, archive_saved_pages, find_saved_pages
from leadharvest.settings import ConfigError, defaults
from leadharvest.store import Store
from leadharvest.suppression import apply_suppression
from spiders.journal import drop_torn_tail, read_journal
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
    tiers: str = ""
    """Grade by share, e.g. ``1,4,15,80`` (A/B/C/D percent); empty: by the score thresholds."""


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
    review: list[ReviewPair] = field(default_factory=list)
    """Borderline duplicate pairs for the sheet's Review tab."""
    suppressed: int = 0
    """Leads left out of the sheet because a key of theirs is on the suppression list."""


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


@dataclass(frozen=True)
class CrawlState:
    """Where a job's crawl keeps its state: the sink (the journal a resume reads) and logs."""

    sink: Path
    log: Path
    stderr: Path


def crawl_state(out: Path, job_id: str) -> CrawlState:
    """The files of one job's crawl under ``OUT``: one place, so a resume finds them."""
    return CrawlState(
        sink=out / "work" / f"{job_id}.raw.jsonl",
        log=out / "logs" / f"{job_id}.log",
        stderr=out / "logs" / f"{job_id}.stderr",
    )


class ResumeError(ConfigError):
    """A ``--resume`` of a job the store does not have, or one that already finished."""


def resumable_spec(store: Store, job_id: str) -> JobSpec:
    """The stored spec of an unfinished job, to run again with ``resume=True``."""
    row = next((r for r in store.job_rows() if r["job_id"] == job_id), None)
    if row is None:
        known = [r["job_id"] for r in store.job_rows() if r["status"] != "finished"][:5]
        raise ResumeError(
            f"no job {job_id!r} in the store {store.url}; unfinished: {', '.join(known) or 'none'}"
        )
    if row["status"] == "finished":
        raise ResumeError(f"job {job_id!r} has finished; nothing to resume")
    stored = dict(row["spec"])
    known_fields = set(JobSpec.__dataclass_fields__)
    spec = JobSpec(**{k: v for k, v in stored.items() if k in known_fields})
    return replace(spec, out=Path(spec.out), job_id=job_id)


def resume_job(
    job_id: str,
    *,
    store: str = "",
    out: Path | None = None,
    settings: dict[str, Any] | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> JobResult:
    """Go on with an interrupted or killed job from its stored spec and its crawl journal.

    The store is ``store``, else the default store under ``out`` (``leadharvest-out``).
    ``settings`` adds Scrapy overrides for this run (e.g. the politeness delays).
    """
    store_url = store or default_store_url(out or Path("leadharvest-out"))
    db = Store(store_url)
    try:
        spec = resumable_spec(db, job_id)
    finally:
        db.close()
    spec = replace(spec, store=store_url, settings={**spec.settings, **(settings or {})})
    return run_job(spec, on_event=on_event, resume=True)


def _fresh_job_id(store: Store, base: str) -> str:
    """An unnamed run never joins an earlier one: two runs started in the same second (a
    script, a test, a double click) would otherwise share an id and mix their pages."""
    taken = set(store.job_ids())
    job_id, n = base, 1
    while job_id in taken:
        n += 1
        job_id = f"{base}-{n}"
    return job_id


def run_job(
    spec: JobSpec,
    *,
    on_event: Callable[[Event], None] | None = None,
    resume: bool = False,
    stop: threading.Event | None = None,
) -> JobResult:
    """Run one job and write its lead sheet; see the module docstring for the stages.

    ``resume``: the job (``spec.job_id``) was started before and stopped; its crawl goes on
    from the journal and the leads of the whole job, old and new, are stored once.
    ``stop``: set it (from another thread, e.g. the web UI's Cancel) to stop the crawl now,
    like Ctrl-C; what it collected is kept and the job ends as interrupted.
    """
    query = parse_query(spec.query)
    tiers = Tiers.parse(spec.tiers) if spec.tiers else None
    saved, saved_problems = find_saved_pages(spec.from_saved) if spec.from_saved else ([], [])
    start_requests = plan(spec, query, saved)
    skipped = unconfigured(spec)
    if not start_requests:
        why = f" ({skipped[0].source}: {skipped[0].reason})" if skipped else ""
        raise ConfigError(
            "nothing to fetch: the chosen sources take no query (or are not configured)"
            f" and no --start-url or --from-saved was given{why}"
        )
    out = Path(spec.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    spec = replace(spec, out=out)
    store_url = spec.store or default_store_url(out)
    store = Store(store_url)
    lock: AbstractContextManager[None] | None = None
    try:
        started = utcnow()
        if resume:
            row = next(r for r in store.job_rows() if r["job_id"] == spec.job_id)
            started = row["started_at"] or started
        job = new_job(spec, query, store, started=started)
        held = job_lock(out, job.job_id)
        held.__enter__()  # one process per job; released in the finally below
        lock = held
        keyword = job_keyword(spec, query)
        spec_dict = {**spec.__dict__, "out": str(spec.out)}
        store.save_job(job, spec_dict)
        if saved:
            spec = saved_job_spec(spec, saved, out / "work" / f"{job.job_id}.saved.warc.gz")
        raw, pages, interrupted, error = crawl(
            spec,
            start_requests,
            out=out,
            job_id=job.job_id,
            on_event=on_event,
            resume=resume,
            stop=stop,
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
        # a resumed job's sink holds every page of the job: its page rows are replaced
        store.add_pages(job.job_id, pages, replace=resume)

        stored, filtered, review = store_leads(
            store, raw, query, spec, job.job_id, seen_at=started, resumed=resume
        )
        store.save_review_pairs(job.job_id, review)
        review = store.review_pairs(job.job_id)  # a pair the trainee decided is not asked again
        graded = grade_leads(stored, lang=spec.lang, tiers=tiers)
        store.save_grades(graded)
        job.finished_at = utcnow()
        job.status = "failed" if error else "interrupted" if interrupted else "finished"
        store.save_job(job, spec_dict)
        sheet = out / f"leads-{slug(keyword)}-{started:%Y-%m-%d}.xlsx"
        shown = apply_suppression(graded, store)
        write_lead_sheet(shown.kept, sheet, job=job, lang=spec.lang, review=shown.pairs(review))
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)
        store.close()
    return JobResult(
        job=job,
        leads=shown.kept,
        sheet=sheet,
        store_url=store_url,
        raw_leads=len(raw),
        filtered_out=filtered,
        interrupted=interrupted,
        error=error,
        review=shown.pairs(review),
        suppressed=len(shown.suppressed),
    )


def job_keyword(spec: JobSpec, query: Query) -> str:
    return spec.products[0] if spec.products else " ".join(query.positive_terms()[:3])


def new_job(spec: JobSpec, query: Query, store: Store, *, started: datetime | None = None) -> Job:
    """The job record for a run (named by ``--job``, else keyword and time)."""
    started = started or utcnow()
    keyword = job_keyword(spec, query)
    return Job(
        job_id=spec.job_id or _fresh_job_id(store, f"{slug(keyword)}-{started:%Y%m%d-%H%M%S}"),
        query=query.text,
        product=", ".join(spec.products),
        sources=[s.name for s in job_sources(spec)]
        + (["company_website"] if spec.start_urls else []),
        region=spec.region,
        started_at=started,
        replay=str(spec.replay or ""),
    )


def store_leads(
    store: Store,
    raw: list[Lead],
    query: Query,
    spec: JobSpec,
    job_id: str,
    *,
    seen_at: datetime | None = None,
    keep: Callable[[Lead], bool] | None = None,
    guard: AbstractContextManager[Any] | None = None,
    resumed: bool = False,
) -> tuple[list[Lead], int, list[ReviewPair]]:
    """Process raw leads (:func:`process`) and merge them into the store: the one path from
    crawled records to stored leads, for a whole job (the runner) or one page (a worker).

    Returns the stored leads, how many the query dropped, and the borderline pairs. ``guard``
    (a lock shared by the workers) is held around the store writes only.
    """
    kept, filtered, borderline = process(raw, query, spec, job_id, keep=keep)
    with guard or nullcontext():
        stored = store.upsert_leads(kept, job_id=job_id, seen_at=seen_at, resumed=resumed)
    return stored, filtered, review_pairs(stored, borderline)


def enqueue_job(spec: JobSpec, scheduler: str) -> tuple[Job, int]:
    """Save a job in the store and put its start requests in the shared queue at
    ``scheduler`` (``leadharvest worker`` processes crawl it); returns the job and the
    number of requests queued."""
    from leadharvest.distributed import enqueue_requests

    if spec.replay or spec.record or spec.from_saved:
        raise ConfigError(
            "--replay, --record and --from-saved run on one machine: drop --scheduler"
        )
    query = parse_query(spec.query)
    start_requests = plan(spec, query)
    skipped = unconfigured(spec)
    if not start_requests:
        why = f" ({skipped[0].source}: {skipped[0].reason})" if skipped else ""
        raise ConfigError(f"nothing to fetch: no source takes the query{why}")
    store = Store(spec.store or default_store_url(Path(spec.out)))
    try:
        job = new_job(spec, query, store)
        job.status = "queued"
        spec_dict = {**spec.__dict__, "out": str(spec.out)}
        store.save_job(job, spec_dict)
        store.add_pages(job.job_id, skipped)
        queued = enqueue_requests(scheduler, job.job_id, start_requests)
    finally:
        store.close()
    return job, queued


def review_pairs(stored: list[Lead], borderline: list[Borderline]) -> list[ReviewPair]:
    """Borderline pairs by stored lead id; a pair the store joined into one lead is dropped."""
    pairs: dict[tuple[str, str], ReviewPair] = {}
    for pair in borderline:
        left, right = sorted((stored[pair.left], stored[pair.right]), key=lambda x: x.lead_id)
        if left.lead_id == right.lead_id or (left.lead_id, right.lead_id) in pairs:
            continue
        pairs[(left.lead_id, right.lead_id)] = ReviewPair(
            left_id=left.lead_id,
            left_name=left.name,
            right_id=right.lead_id,
            right_name=right.name,
            score=pair.score,
            reason=pair.reason,
        )
    return sorted(pairs.values(), key=lambda p: (-p.score, p.left_id, p.right_id))


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


def process(
    raw: list[Lead],
    query: Query,
    spec: JobSpec,
    job_id: str,
    *,
    keep: Callable[[Lead], bool] | None = None,
) -> tuple[list[Lead], int, list[Borderline]]:
    """Enrich, deduplicate, then apply the Boolean query locally to each business.

    The query is applied after dedupe, to everything known about a business (its listing
    card, the search snippet that led to it, its own pages): a contact page that never says
    "camera" still belongs to the camera wholesaler whose listing does. Also returns the
    borderline pairs between kept leads (indices into the kept list). A worker sees one page
    at a time, so it passes ``keep``: a business its job already stored stays, whatever
    this one page says.
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
    flag_shared_contacts(raw)
    kept: list[Lead] = []
    position: dict[int, int] = {}
    filtered = 0
    deduped = dedupe_with_review(raw)
    for index, lead in enumerate(deduped.leads):
        text = lead.text()
        if not query.matches(text) and not (keep is not None and keep(lead)):
            filtered += 1
            continue
        lead.relevance = query.relevance(text)
        position[index] = len(kept)
        kept.append(lead)
    borderline = [
        Borderline(position[p.left], position[p.right], p.score, p.reason)
        for p in deduped.review
        if p.left in position and p.right in position
    ]
    return kept, filtered, borderline


def crawl(
    spec: JobSpec,
    start_requests: list[StartRequest],
    *,
    out: Path,
    job_id: str,
    on_event: Callable[[Event], None] | None = None,
    resume: bool = False,
    stop: threading.Event | None = None,
) -> tuple[list[Lead], list[PageRecord], bool, str]:
    """Run the spiders in a child process; return the raw leads, page records, whether it was
    interrupted, and the crawl process's error (if it failed).

    ``resume`` keeps the sink (a torn last line from a kill aside) and the crawl goes on from
    it; otherwise the sink starts empty.
    """
    state = crawl_state(out, job_id)
    sink = state.sink
    sink.parent.mkdir(parents=True, exist_ok=True)
    if resume:
        drop_torn_tail(sink)
        sink.touch()
    else:
        sink.write_text("", encoding="utf-8")
    state.log.parent.mkdir(parents=True, exist_ok=True)
    crawl_spec = {
        "plan": [r.__dict__ for r in start_requests],
        "sink": str(sink.resolve()),
        "replay": ",".join(str(Path(p).resolve()) for p in spec.replay.split(",") if p),
        "record": str(Path(spec.record).resolve()) if spec.record else "",
        "progress": True,
        "log_file": str(state.log.resolve()),
        "settings": spec.settings,
        "resume": resume,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(crawl_spec, fh)
        spec_path = fh.name
    interrupted = False
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    stderr_path = state.stderr
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
        watcher = _stop_watcher(proc, stop) if stop is not None else None
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
            if watcher is not None:
                watcher.join()
        interrupted = interrupted or bool(stop is not None and stop.is_set())
    error = ""
    if proc.returncode not in (0, None) and not interrupted:
        # keep going: what the crawl wrote to the sink before it died is still processed
        lines = [ln for ln in stderr_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        error = f"the crawl process failed ({proc.returncode}): {(lines or ['no output'])[-1]}"
    return (*read_sink(sink), interrupted, error)


STOP_GRACE_SECONDS = 3.0
"""How long a stopped crawl may take to close before it is told again (then killed)."""


def _stop_watcher(proc: subprocess.Popen[str], stop: threading.Event) -> threading.Thread:
    """Terminate the crawl as soon as ``stop`` is set. The progress loop only runs when the
    crawl prints an event, so a crawl waiting on a slow site would otherwise not notice a
    Cancel until its next page; SIGTERM makes Scrapy close as on Ctrl-C, and the journal
    keeps every page it finished."""

    def watch() -> None:
        while proc.poll() is None:
            if stop.wait(0.2):
                # first SIGTERM: Scrapy closes gracefully, but waits for downloads in flight;
                # a second one forces it (the journal is whole lines, so nothing is torn)
                for grace in (STOP_GRACE_SECONDS, STOP_GRACE_SECONDS):
                    if proc.poll() is not None:
                        return
                    proc.terminate()
                    try:
                        proc.wait(timeout=grace)
                    except subprocess.TimeoutExpired:
                        continue
                if proc.poll() is None:
                    proc.kill()
                return

    thread = threading.Thread(target=watch, name="crawl-stop", daemon=True)
    thread.start()
    return thread


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
    """Leads and page records from a crawl's sink file.

    A torn last line (a kill mid-write) is ignored: its page was not done and is fetched
    again on resume. A request finished twice counts once (the first time).
    """
    raw: list[Lead] = []
    pages: list[PageRecord] = []
    done: set[str] = set()
    for record in read_journal(path):
        if record.get("type") == "lead":
            raw.append(Lead.from_dict(record["data"]))
        elif record.get("type") == "page":
            fp = str(record.get("fp") or "")
            if fp and fp in done:
                continue
            done.add(fp)
            data = dict(record["data"])
            data["fetched_at"] = parse_dt(data.get("fetched_at"))
            pages.append(PageRecord(**data))
            raw.extend(Lead.from_dict(lead) for lead in record.get("leads") or [])
    return raw, pages
