"""Many machines, one job: a shared Redis queue (scrapy-redis with leases) and one store.

``collect … --scheduler redis://HOST:PORT/DB --workers 0`` saves the job in the store and
puts its start requests in the queue (:func:`enqueue_requests`, through
``runner.enqueue_job``); ``leadharvest worker`` processes on any machine take requests of any
job from the queue (:mod:`spiders.worker`, :mod:`spiders.redis_scheduler`) and write what
each page yielded to the store (:class:`JobWriter`) the way the runner does for a whole job
(``runner.store_leads``: enrich, dedupe, query, merge into the store). Progress and the
health report are the store's page records, whichever worker fetched the page
(:func:`job_status`).

Store writes from all workers take one Redis lock: the store merges a new lead into the
stored one that shares a key, and two workers merging the same business at the same moment
must not both create it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, text

from dedupe.engine import dedupe_with_review
from leadharvest.grading import Tiers, grade_leads
from leadharvest.items import Job, Lead, PageRecord, ReviewPair, utcnow
from leadharvest.planning import StartRequest
from leadharvest.query import Query, parse_query
from leadharvest.settings import ConfigError
from leadharvest.store import Store, StoreError
from leadharvest.store import pages as pages_table
from spiders.redis_scheduler import (
    JOB_KEY,
    JobDupeFilter,
    LeaseQueue,
    SiteBudget,
    env_prefix,
    redis_from_url,
)

STORE_LOCK_ID = 0x4C48_5354  # "LHST": the PostgreSQL advisory lock of store writers


class SchedulerError(ConfigError):
    """The ``--scheduler`` URL is malformed or Redis cannot be reached."""


def connect(url: str) -> Any:
    """A Redis client for ``--scheduler``, checked with a PING (one-line error if not)."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise SchedulerError(f"--scheduler must be a redis:// URL, got {url!r}")
    try:
        server = redis_from_url(url)
        server.ping()
    except Exception as exc:
        raise SchedulerError(f"cannot reach the scheduler at {url}: {exc}") from None
    return server


def enqueue_requests(
    scheduler: str, job_id: str, start: list[StartRequest], prefix: str = ""
) -> int:
    """Queue a job's start requests, built as the job spiders build them; returns how many."""
    from spiders.worker import WorkerSpider

    server = connect(scheduler)
    prefix = prefix or env_prefix()
    queue = LeaseQueue(server, prefix)
    seen = JobDupeFilter(server, prefix)
    spider = WorkerSpider()
    spider.site_pages = SiteBudget(server, queue.job_key(job_id, "sites"))
    queued = 0
    for planned in start:
        request = spider.planned_request(planned.__dict__)
        if request is None:
            continue
        request.meta[JOB_KEY] = job_id
        if queue.push(request, spider, seen.request_fingerprint(request)):
            queued += 1
    return queued


@dataclass
class _JobState:
    spec: Any
    query: Query
    stored: set[str] = field(default_factory=set)


class JobWriter:
    """A worker's results into the store, per job (see the module docstring)."""

    def __init__(self, store_url: str, scheduler: str, prefix: str = "") -> None:
        self.store = Store(store_url)
        self.server = connect(scheduler)
        self.prefix = prefix or env_prefix()
        self.jobs: dict[str, _JobState] = {}
        self._pg_lock: Connection | None = None

    def close(self) -> None:
        if self._pg_lock is not None:
            self._pg_lock.close()
        self.store.close()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time. On PostgreSQL an advisory lock, which the server drops the
        moment a killed worker's connection goes; elsewhere (a SQLite file shared by local
        workers) a Redis lock that expires after 30 s."""
        if self.store.engine.dialect.name == "postgresql":
            if self._pg_lock is None:
                self._pg_lock = self.store.engine.connect()
            self._pg_lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": STORE_LOCK_ID})
            self._pg_lock.commit()
            try:
                yield
            finally:
                self._pg_lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": STORE_LOCK_ID})
                self._pg_lock.commit()
            return
        with self.server.lock(f"{self.prefix}:store-lock", timeout=30, blocking_timeout=600):
            yield

    def job(self, job_id: str) -> _JobState:
        from leadharvest.runner import JobSpec

        if job_id not in self.jobs:
            row = next((r for r in self.store.job_rows() if r["job_id"] == job_id), None)
            if row is None:
                raise StoreError(f"job {job_id!r} is queued but not in the store {self.store.url}")
            names = {f.name for f in fields(JobSpec)}
            spec = JobSpec(**{k: v for k, v in row["spec"].items() if k in names})
            spec.out = Path(str(spec.out))
            self.jobs[job_id] = _JobState(spec=spec, query=parse_query(spec.query))
            if row["status"] == "queued":
                self._save_status(job_id, "running")
        return self.jobs[job_id]

    def _recorded(self, job_id: str, url: str) -> bool:
        """Whether this page's results are already stored: a page whose lease expired after
        its worker wrote it (killed before it could say so) is not counted twice."""
        with self.store.engine.connect() as conn:
            found = conn.execute(
                select(pages_table.c.id)
                .where((pages_table.c.job_id == job_id) & (pages_table.c.url == url))
                .limit(1)
            ).first()
        return found is not None

    def write(self, job_id: str, url: str, records: list[Lead | PageRecord]) -> None:
        """Store one page's leads, then its page record (the record marks it done)."""
        from leadharvest.runner import store_leads

        state = self.job(job_id)
        leads = [r for r in records if isinstance(r, Lead)]
        pages = [r for r in records if isinstance(r, PageRecord)]
        with self.locked():
            if self._recorded(job_id, pages[0].url if pages else url):
                return
            if leads:
                stored, _, _ = store_leads(
                    self.store,
                    leads,
                    state.query,
                    state.spec,
                    job_id,
                    keep=lambda lead: self._in_job(job_id, lead),
                    resumed=True,  # earlier pages of this job are not "earlier runs"
                )
                state.stored.update(lead.lead_id for lead in stored)
                self.store.save_grades(grade_leads(stored, lang=state.spec.lang))
            self.store.add_pages(job_id, pages)

    def _in_job(self, job_id: str, lead: Lead) -> bool:
        existing = self.store.find_existing(lead)
        return existing is not None and existing in self.store.job_lead_ids(job_id)

    def given_up(self, job_id: str, url: str, reason: str) -> None:
        """A request whose lease kept expiring (it kills its workers?): say so in the report."""
        state = self.job(job_id)
        with self.locked():
            self.store.add_pages(
                job_id,
                [
                    PageRecord(
                        url=url,
                        source=(state.spec.sources or ["generic"])[0],
                        method="",
                        status="error",
                        reason=reason,
                    )
                ],
            )

    def finish(self, job_id: str) -> None:
        """The job's last request is done: its Review pairs, grades by share if asked, and
        the job marked finished."""
        state = self.job(job_id)
        with self.locked():
            leads = self.store.leads(job_id=job_id)
            self.store.save_review_pairs(job_id, job_review_pairs(leads))
            if state.spec.tiers:
                self.store.save_grades(
                    grade_leads(leads, lang=state.spec.lang, tiers=Tiers.parse(state.spec.tiers))
                )
            self._save_status(job_id, "finished")

    def _save_status(self, job_id: str, status: str) -> None:
        row = next(r for r in self.store.job_rows() if r["job_id"] == job_id)
        job = Job(job_id=job_id, query=str(row["spec"].get("query", "")), status=status)
        job.started_at = row["started_at"] or job.started_at
        job.finished_at = utcnow() if status == "finished" else None
        self.store.save_job(job, row["spec"])


def job_review_pairs(leads: list[Lead]) -> list[ReviewPair]:
    """The borderline pairs among a job's stored leads, for its Review sheet.

    Workers store a job page by page, so no single write sees two leads from different
    pages side by side; the whole job is looked at once, when it is done. Only pairs of two
    leads the store kept apart are listed (the review never changes a merge: a pair whose
    two leads the model would join is left to the store's own matching).
    """
    from leadharvest.runner import review_pairs

    deduped = dedupe_with_review(leads)
    stored = {id(lead) for lead in leads}
    apart = [
        pair
        for pair in deduped.review
        if id(deduped.leads[pair.left]) in stored and id(deduped.leads[pair.right]) in stored
    ]
    return review_pairs(deduped.leads, apart)


def worker_settings(
    scheduler: str,
    *,
    exit_when_idle: float = 0,
    overrides: dict[str, Any] | None = None,
    prefix: str = "",
) -> dict[str, Any]:
    """The Scrapy settings of a worker: the job crawl's, on the shared scheduler."""
    from spiders.settings import crawl_settings, scheduler_settings

    settings = crawl_settings(sink="", overrides={})
    settings.update(scheduler_settings(scheduler, prefix=prefix or env_prefix()))
    settings["LEADHARVEST_EXIT_WHEN_IDLE"] = exit_when_idle
    settings.update(overrides or {})
    return settings


def run_worker(
    scheduler: str,
    store: str,
    *,
    exit_when_idle: float = 0,
    overrides: dict[str, Any] | None = None,
    prefix: str = "",
) -> int:
    """Run one crawler process on the shared queue until it is idle (or stopped); returns
    the pages this worker handled."""
    from scrapy.crawler import AsyncCrawlerProcess

    from spiders.worker import WorkerSpider

    writer = JobWriter(store, scheduler, prefix)
    settings = worker_settings(
        scheduler, exit_when_idle=exit_when_idle, overrides=overrides, prefix=prefix
    )
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, writer=writer)
    try:
        process.start()
    finally:
        writer.close()
    spider = crawler.spider
    return spider.pages_done if isinstance(spider, WorkerSpider) else 0


def run_local_workers(
    count: int,
    scheduler: str,
    store: str,
    *,
    exit_when_idle: float = 5.0,
    settings: list[str] | None = None,
) -> list[int]:
    """Start ``count`` worker processes on this machine and wait; returns their exit codes."""
    command = [sys.executable, "-m", "leadharvest", "worker", "--scheduler", scheduler]
    command += ["--store", store, "--exit-when-idle", str(exit_when_idle)]
    for item in settings or []:
        command += ["-s", item]
    procs = [subprocess.Popen(command, env={**os.environ}) for _ in range(count)]
    try:
        return [proc.wait() for proc in procs]
    except KeyboardInterrupt:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        raise


@dataclass
class JobStatus:
    """A job's progress, read from the store (and the queue, when given)."""

    job_id: str
    status: str
    pages: Counter[str]
    leads: int
    grades: Counter[str]
    pending: int | None = None
    page_records: list[PageRecord] = field(default_factory=list)
    lead_list: list[Lead] = field(default_factory=list)


def job_status(store_url: str, job_id: str, scheduler: str = "") -> JobStatus:
    store = Store(store_url)
    try:
        row = next((r for r in store.job_rows() if r["job_id"] == job_id), None)
        if row is None:
            known = ", ".join(store.job_ids()[-5:]) or "none"
            raise StoreError(f"no job {job_id!r} in the store; known: {known}")
        records = store.job_pages(job_id)
        leads = store.leads(job_id=job_id)
    finally:
        store.close()
    pending = None
    if scheduler:
        pending = LeaseQueue(connect(scheduler), env_prefix()).pending(job_id)
    return JobStatus(
        job_id=job_id,
        status=str(row["status"]),
        pages=Counter(p.status for p in records),
        leads=len(leads),
        grades=Counter(lead.grade or "-" for lead in leads),
        pending=pending,
        page_records=records,
        lead_list=leads,
    )
