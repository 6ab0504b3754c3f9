"""Page limits that stop link traps, and say so in the health report.

An events calendar whose every month links the next month, a shop whose filters combine
forever, a session id in every link: a site can offer endless pages. Two limits hold a job
inside it, and this spider middleware (replacing Scrapy's ``DepthMiddleware`` at 900) applies
both to every link a spider follows:

- ``DEPTH_LIMIT`` (config ``depth_limit``): links followed from a start page, as Scrapy
  counts them;
- ``LEADHARVEST_MAX_PAGES_PER_SITE`` (config ``max_pages_per_site``): distinct pages asked
  of one site (its registered domain, or host for an IP address), whatever kind of link led
  there. Start requests are what the user asked for and are not counted.

Scrapy drops a request past ``DEPTH_LIMIT`` with one debug line; here the first link a limit
stops on each site becomes a page record (status ``limit``, reason ``limit reached: …``), so
the health report shows that the site was cut short and why, not just fewer pages.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.spidermiddlewares.depth import DepthMiddleware

from leadharvest.items import PageRecord
from leadharvest.report import fault_reason
from spiders.base import LeadSpider, site_key
from spiders.journal import FP_META, RESUME_SETTING, budget_decisions

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class LimitsMiddleware(DepthMiddleware):
    """``DEPTH_LIMIT`` plus a page budget per site; a stop is recorded once per site.

    The ``spider`` parameters keep the parent's signature; Scrapy never passes them.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = 0
        self.pages: dict[str, set[str]] = {}
        """Per site: fingerprints of the pages asked for through followed links."""
        self.reported: set[tuple[str, str]] = set()
        self.pending: list[PageRecord] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LimitsMiddleware:
        mw = super().from_crawler(crawler)
        mw.budget = crawler.settings.getint("LEADHARVEST_MAX_PAGES_PER_SITE", 0)
        journal = crawler.settings.get(RESUME_SETTING) or ""
        if journal and mw.budget:
            # A resumed crawl must not get a fresh budget: a link trap would get `budget`
            # more pages at every resume, and the job would differ from an uninterrupted one.
            mw.pages = budget_decisions(Path(journal), mw.budget)[0]
        return mw

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        for item in super().process_spider_output(response, result):
            yield item
            yield from self._flush()
        yield from self._flush()

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for item in super().process_spider_output_async(response, result):
            yield item
            for record in self._flush():
                yield record
        for record in self._flush():
            yield record

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        kept = super().get_processed_request(request, response)
        if response is None:
            return kept  # a start request: asked for by the user, never counted
        if kept is None:
            self._stopped(request, "depth", f"depth limit of {self.maxdepth} links")
            return None
        if not self.budget:
            return kept
        site = site_key(request.url)
        seen = self.pages.setdefault(site, set())
        fingerprint = str(request.meta.get(FP_META, "")) or (
            self.crawler.request_fingerprinter.fingerprint(request).hex()
        )
        if fingerprint in seen:
            return kept  # asked again: the duplicate filter decides, the budget is unchanged
        if len(seen) >= self.budget:
            self.stats.inc_value("leadharvest/limits/page_budget")
            self._stopped(request, "budget", f"page budget of {self.budget} pages per site")
            return None
        seen.add(fingerprint)
        return kept

    def _stopped(self, request: Request, limit: str, detail: str) -> None:
        site = site_key(request.url)
        if (site, limit) in self.reported:
            return
        self.reported.add((site, limit))
        logger.info("%s reached on %s: not following %s", detail, site, request.url)
        source = LeadSpider._source(str(request.meta.get("lh_source", "")), request.url)
        self.pending.append(
            PageRecord(
                url=request.url,
                source=source.name,
                method=source.method,
                status="limit",
                reason=fault_reason("limit", detail),
            )
        )

    def _flush(self) -> Iterator[PageRecord]:
        while self.pending:
            yield self.pending.pop(0)
