"""Jobs started from the browser: the CLI's runner in a background thread, watched live.

Each job is :func:`leadharvest.runner.run_job`, exactly as ``collect`` runs it (the crawl in
a child process, the store, the sheet); this module only keeps the progress events in memory
so the job page can show them while the job runs. At most ``parallel`` jobs run at once (a
classroom server has few cores); the rest wait their turn.

Cancelling reuses the runner's Ctrl-C path: the progress callback raises
:class:`JobCancelled` (a KeyboardInterrupt) on the next event, the runner terminates the
crawl process and still stores and grades everything collected so far, and the job ends as
``interrupted``.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadharvest.items import PageRecord, utcnow
from leadharvest.runner import Event, JobSpec, run_job


class JobCancelled(KeyboardInterrupt):
    """Raised from the progress callback to stop a crawl the way Ctrl-C does."""


@dataclass
class RunningJob:
    """What the server knows about a job it started."""

    job_id: str
    owner: str
    spec: JobSpec | None = None
    created: datetime = field(default_factory=utcnow)
    state: str = "queued"
    """queued, running, finished, interrupted, failed, cancelled (before it started)."""
    pages: list[PageRecord] = field(default_factory=list)
    leads_found: Counter[str] = field(default_factory=Counter)
    """Records found per source as the pages come in (before dedupe)."""
    error: str = ""
    leads: int = 0
    cancel: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def done(self) -> bool:
        return self.state not in ("queued", "running")

    def on_event(self, event: Event) -> None:
        if self.cancel.is_set():
            raise JobCancelled
        if event.get("event") != "page":
            return
        source = str(event.get("source", "?"))
        record = PageRecord(
            url=str(event.get("url", "")),
            source=source,
            method=str(event.get("method", "")),
            status=str(event.get("status", "")),
            leads=_int(event.get("leads")),
        )
        with self.lock:
            self.pages.append(record)
            self.leads_found[source] += record.leads

    def snapshot(self) -> tuple[list[PageRecord], Counter[str]]:
        with self.lock:
            return list(self.pages), Counter(self.leads_found)


class JobManager:
    """Starts jobs in threads and remembers their progress while the server runs."""

    def __init__(self, *, parallel: int = 2) -> None:
        self._jobs: dict[str, RunningJob] = {}
        self._slots = threading.BoundedSemaphore(parallel)
        self._threads: list[threading.Thread] = []

    def start(self, spec: JobSpec, *, owner: str, resume: bool = False) -> RunningJob:
        """Run ``spec`` in a thread; ``resume`` goes on with a stopped job from its journal."""
        job = RunningJob(job_id=spec.job_id, owner=owner, spec=spec)
        self._jobs[spec.job_id] = job
        thread = threading.Thread(
            target=self._run, args=(spec, job, resume), name=f"job-{spec.job_id}", daemon=True
        )
        self._threads.append(thread)
        thread.start()
        return job

    def items(self) -> list[tuple[str, RunningJob]]:
        return list(self._jobs.items())

    def get(self, job_id: str) -> RunningJob | None:
        return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.done:
            return False
        job.cancel.set()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every job thread (tests, and a server shutting down)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, spec: JobSpec, job: RunningJob, resume: bool = False) -> None:
        with self._slots:
            if job.cancel.is_set():
                job.state = "cancelled"
                return
            job.state = "running"
            try:
                result = run_job(spec, on_event=job.on_event, resume=resume, stop=job.cancel)
            except Exception as exc:  # a failed job is shown on its page, the server goes on
                job.error = str(exc) or type(exc).__name__
                job.state = "failed"
                return
            job.leads = len(result.leads)
            job.error = result.error
            job.state = (
                "failed" if result.error else "interrupted" if result.interrupted else "finished"
            )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
