"""The spider a ``leadharvest worker`` runs: any job's requests, from the shared queue.

It crawls exactly like the job spiders (it *is* a :class:`LeadSpider`: same callbacks, limits
and page objects); what differs is where things go. A page's leads and page record are handed
to the ``writer`` (the store) inside the callback, before its lease ends; its follow-up
requests carry the job's id; the pages-per-site budget is the job's, kept in Redis. Every
second the worker renews its leases, puts back expired ones (a dead worker's) and, with
``LEADHARVEST_EXIT_WHEN_IDLE``, stops once nothing is queued or leased anywhere for that long.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar, Protocol

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from leadharvest.items import Lead, PageRecord
from spiders.base import LeadSpider
from spiders.journal import PageResult
from spiders.pages import GENERIC
from spiders.redis_scheduler import (
    JOB_KEY,
    LeasedScheduler,
    LeaseQueue,
    SiteBudget,
    finish_lease,
)
from spiders.settings import crawl_settings

logger = logging.getLogger(__name__)


class Writer(Protocol):
    """Where a worker's results go (``leadharvest.distributed.JobWriter``)."""

    def write(self, job_id: str, url: str, records: list[Lead | PageRecord]) -> None: ...

    def finish(self, job_id: str) -> None: ...

    def given_up(self, job_id: str, url: str, reason: str) -> None: ...


class WorkerSpider(LeadSpider):
    """Takes any enqueued job's requests; see the module docstring."""

    name: ClassVar[str] = "leadharvest_worker"  # type: ignore[misc]

    def __init__(self, writer: Writer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.writer = writer
        self.idle_since: float | None = None
        self.tick: LoopingCall | None = None
        self.pages_done = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WorkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, WorkerSpider)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Nothing of its own: ``collect --scheduler`` put the start requests in the queue."""
        return
        yield  # pragma: no cover

    def planned_request(self, planned: dict[str, str]) -> scrapy.Request | None:
        """A job's start request as the job spiders make it (a company site through
        ``company_request``, anything else as a search page)."""
        if planned.get("source") == GENERIC.name:
            return self.company_request(planned["url"], "", "", planned.get("query", ""))
        return self.request(
            planned["url"],
            source=planned["source"],
            kind="search",
            query=planned.get("query", ""),
            result_page=1,
        )

    def company_request(
        self, url: str, name: str, context: str, query: str, *, via: dict[str, str] | None = None
    ) -> scrapy.Request | None:
        if isinstance(self.site_pages, SiteBudget):
            self.site_pages.current = url
        return super().company_request(url, name, context, query, via=via)

    def contact_request(
        self, url: str, meta: dict[str, Any], from_url: str
    ) -> scrapy.Request | None:
        if isinstance(self.site_pages, SiteBudget):
            self.site_pages.current = url
        return super().contact_request(url, meta, from_url)

    def setting(self, name: str, default: int) -> int:
        if getattr(self, "crawler", None) is None:  # enqueueing: no crawler, the defaults
            return int(crawl_settings(sink="").get(name, default))
        return super().setting(name, default)

    # -- the shared queue ---------------------------------------------------------------
    @property
    def leases(self) -> LeaseQueue | None:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        return scheduler.leases if isinstance(scheduler, LeasedScheduler) else None

    def budget(self, job_id: str) -> SiteBudget:
        leases = self.leases
        assert leases is not None
        return SiteBudget(leases.server, leases.job_key(job_id, "sites"))

    def on_opened(self, spider: scrapy.Spider) -> None:
        interval = self.crawler.settings.getfloat("LEADHARVEST_LEASE_TICK", 1.0)
        self.tick = LoopingCall(self.on_tick)
        self.tick.start(interval, now=False)

    def on_closed(self, spider: scrapy.Spider) -> None:
        if self.tick is not None and self.tick.running:
            self.tick.stop()
        leases = self.leases
        if leases is not None:
            leases.release()  # stopped early (Ctrl-C): hand what is in flight back at once

    def on_tick(self) -> None:
        leases = self.leases
        engine = self.crawler.engine
        if leases is None or engine is None:
            return
        try:
            leases.renew()
            for envelope in leases.reap():
                self._give_up(envelope)
            queued, leased = leases.queued(), leases.leased()
        except Exception:  # Redis away for a moment: try again next tick
            logger.exception("lease upkeep failed")
            return
        if queued:
            # the engine asks the scheduler again only after its own events or a 5 s
            # heartbeat; requests put back or queued by other workers should not wait that long
            slot = getattr(engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()
        limit = self.crawler.settings.getfloat("LEADHARVEST_EXIT_WHEN_IDLE", 0)
        busy = queued or leased or leases.held or engine.downloader.active
        if busy or limit <= 0:
            self.idle_since = None
            return
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if now - self.idle_since >= limit:
            deferred_from_coro(engine.close_spider_async(reason="idle"))

    def on_idle(self, spider: scrapy.Spider) -> None:
        """Another worker may still queue requests, and dead workers' leases come back."""
        raise DontCloseSpider

    def _give_up(self, envelope: dict[str, Any]) -> None:
        if self.writer is None:
            return
        import json

        url = str(json.loads(envelope["r"]).get("url", ""))
        job = str(envelope.get("j", ""))
        self.writer.given_up(job, url, f"lease expired {envelope.get('a', 0)} times")

    def job_drained(self, job_id: str) -> None:
        """The job's last request was handled (by this worker): the job is finished."""
        if self.writer is not None:
            self.writer.finish(job_id)

    # -- callbacks ------------------------------------------------------------------------
    def _split(
        self, job_id: str, url: str, outputs: list[Any]
    ) -> tuple[list[Lead | PageRecord], list[scrapy.Request]]:
        records: list[Lead | PageRecord] = []
        for result in outputs:
            if isinstance(result, PageResult) and result.record is not None:
                records += [*result.leads, result.record]
        requests = [o for o in outputs if isinstance(o, scrapy.Request)]
        for request in requests:
            request.meta[JOB_KEY] = job_id
        if self.writer is not None:
            self.writer.write(job_id, url, records)
        self.pages_done += 1
        return records, requests

    def parse_page(self, response: Response) -> Iterator[Any]:
        job_id = str(response.meta.get(JOB_KEY, ""))
        self.site_pages = self.budget(job_id)
        outputs = list(super().parse_page(response))
        _, requests = self._split(job_id, response.url, outputs)
        # LeaseMiddleware queues these, then ends this page's lease
        yield from requests

    def page_failed(self, failure: Failure) -> Iterator[PageResult]:
        request = failure.request  # type: ignore[attr-defined]
        job_id = str(request.meta.get(JOB_KEY, ""))
        self._split(job_id, request.url, list(super().page_failed(failure)))
        leases = self.leases
        if leases is not None:
            finish_lease(self, leases, request)
        return iter(())
