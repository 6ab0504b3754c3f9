"""The crawling half of every LeadHarvest spider: follow links, never extract.

Extraction lives in page objects (``spiders/pages``); a callback decodes the response the one
way the project decodes pages, hands it to the source's page object, yields what it found
and follows the links the page object offered, within the job's limits:

- ``next`` (another results page) up to ``LEADHARVEST_MAX_RESULT_PAGES`` per search;
- ``detail`` (a listing's own page) on the same source;
- ``result`` / ``website`` (a company's own site) up to ``LEADHARVEST_MAX_SITES`` sites;
- ``contact`` (contact / about / 联系我们 pages) on the same registered domain, up to
  ``LEADHARVEST_SITE_PAGES`` pages per site — the e-mail method.

Every fetched page (or failed request) yields one :class:`~spiders.journal.PageResult`: its
:class:`PageRecord` (so the job's health report can count pages fetched, blocked, empty and
missing from a replay archive, and each kind of server fault — rate-limited, server error,
reset, timeout, too large, redirect loop, bad encoding; see :mod:`spiders.middlewares.faults`
— with its own reason), its leads and its follow-ups: one journal line that lets a killed
crawl resume (see ``spiders/journal.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, MutableMapping
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import fingerprint
from twisted.python.failure import Failure

from enrich.domain import registered_domain
from leadharvest.items import Evidence, PageRecord
from leadharvest.report import fault_reason
from spiders.journal import (
    FP_META,
    RESUME_SETTING,
    PageResult,
    budget_decisions,
    frontier,
    request_spec,
)
from spiders.middlewares.faults import FAULT_META, classify_failure, recovered_reason
from spiders.middlewares.replay import MISSING_HEADER
from spiders.pages import GENERIC, Source, catalogue, extract_page, host_of, source_for_url
from spiders.pages.base import Page, detect_block

COMPANY_KINDS = {"result", "website"}
BLOCKING_STATUSES = {401, 403, 429, 503}


def site_key(url: str) -> str:
    """What one company site is counted by: its registered domain (the host for an IP)."""
    return registered_domain(url) or host_of(url)


class LeadSpider(scrapy.Spider):
    """Base spider: start requests come from the job plan (``start_requests_json``)."""

    name: ClassVar[str] = "leads"  # type: ignore[misc]
    method: ClassVar[str] = ""
    """Collection method whose start requests this spider takes (empty: all)."""

    def __init__(
        self,
        plan: list[dict[str, str]] | None = None,
        site_budget: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.plan = [p for p in (plan or []) if self._wants(p)]
        # pages used per company site, shared by every spider of a job so that a site found
        # by both a search engine and a directory is visited once
        self.site_pages: MutableMapping[str, int] = site_budget if site_budget is not None else {}

    def _wants(self, planned: dict[str, str]) -> bool:
        if not self.method:
            return True
        src = catalogue().get(planned["source"])
        return src is not None and src.method == self.method

    def planned_requests(self) -> list[scrapy.Request]:
        """The job's start requests for this spider."""
        return [
            self.request(
                planned["url"],
                source=planned["source"],
                kind="search",
                query=planned.get("query", ""),
                result_page=1,
            )
            for planned in self.plan
        ]

    async def start(self) -> AsyncIterator[Any]:
        """The start requests, first written to the journal; on resume, what is not done.

        A resumed request bypasses the duplicate filter, which knows it as seen.
        """
        journal = self.crawler.settings.get(RESUME_SETTING) if hasattr(self, "crawler") else ""
        state = frontier(Path(journal), self.name) if journal else None
        if state is not None and state.started:
            depth_limit = self.setting("DEPTH_LIMIT", 0)
            refused = budget_decisions(
                Path(journal), self.setting("LEADHARVEST_MAX_PAGES_PER_SITE", 0)
            )[1]
            for spec in state.pending:
                if depth_limit and int(spec["depth"]) > depth_limit:
                    continue  # Scrapy's depth middleware had dropped it
                if spec.get("fp") in refused:
                    continue  # the per-site page budget had refused it
                again = self.request(
                    spec["url"], source=spec["source"], kind=spec["kind"], **spec["meta"]
                )
                again.meta["depth"] = spec["depth"]
                yield again.replace(dont_filter=True)
            return
        starts = self.planned_requests()
        yield PageResult(record=None, follow=[request_spec(r, 0) for r in starts], spider=self.name)
        for request in starts:
            if state is not None and request.meta[FP_META] in state.done:
                continue
            yield request.replace(dont_filter=True) if state is not None else request

    # -- requests -------------------------------------------------------------------------
    def request(self, url: str, *, source: str, kind: str, **meta: Any) -> scrapy.Request:
        """A request carrying what the callback needs, shaped by the source's configuration.

        An official API source sends its key header and is not subject to robots.txt (it is
        not crawling pages; the provider's terms govern it); a ``render = true`` source is
        rendered in a browser by scrapy-playwright.
        """
        src = catalogue().get(source)
        request_meta: dict[str, Any] = {
            "lh_source": source,
            "lh_kind": kind,
            **{f"lh_{k}": v for k, v in meta.items()},
        }
        headers: dict[str, str] = {}
        if src is not None:
            headers = src.request_headers()
            if src.api:
                request_meta["dont_obey_robotstxt"] = True
            if src.extra.get("render"):
                request_meta["playwright"] = True
        request = scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta=request_meta,
            headers=headers or None,
            dont_filter=False,
        )
        # the journal's name for this request, kept through redirects and retries
        request.meta[FP_META] = fingerprint(request).hex()
        return request

    def setting(self, name: str, default: int) -> int:
        return self.crawler.settings.getint(name, default)

    # -- callbacks ------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        page = Page.from_bytes(response.url, response.body, content_type, response.status)
        src = self._source(meta.get("lh_source", ""), response.url)
        query = meta.get("lh_query", "")
        extraction = extract_page(page, src, query=query)
        hint = meta.get("lh_lead_name", "")
        context = meta.get("lh_context", "")
        via = meta.get("lh_via") or {}
        for lead in extraction.leads:
            if not lead.name and hint:
                lead.name = hint
            if via:
                lead.evidence.insert(
                    0,
                    Evidence(
                        source=via["source"],
                        method=via["method"],
                        url=via["url"],
                        query=via.get("query", ""),
                        fields=["name", "website"],
                    ),
                )
            # a company's own page is about that one business: its text is the lead's context;
            # a listing page is about many, so there only the lead's own card counts
            own_text = page.visible_text if extraction.method == "company_website" else ""
            lead.context = "\n".join(x for x in (lead.context, context, own_text) if x)[:4000]
        record = PageRecord(
            url=response.url,
            source=extraction.source,
            method=extraction.method,
            status=extraction.status,
            http_status=response.status,
            leads=len(extraction.leads),
            results=len(extraction.search_results),
            reason=extraction.reason or self.repaired(response) or recovered_reason(meta),
        )
        follow = list(self.follow(response, extraction, src, page))
        # one journal line per page: its leads and follow-ups are on disk together, or not at all
        depth = int(meta.get("depth", 0)) + 1
        yield PageResult(
            record=record,
            leads=list(extraction.leads),
            fp=meta.get(FP_META, ""),
            follow=[request_spec(r, depth) for r in follow if isinstance(r, scrapy.Request)],
            spider=self.name,
        )
        yield from follow

    def follow(self, response: Response, extraction: Any, src: Source, page: Page) -> Iterator[Any]:
        meta = response.meta
        query = meta.get("lh_query", "")
        snippets = {r.url: f"{r.title}\n{r.snippet}" for r in extraction.search_results}
        for link in extraction.links:
            if not link.url.lower().startswith(("http://", "https://")):
                continue
            if link.kind == "next":
                page_no = int(meta.get("lh_result_page", 1))
                if page_no < self.setting("LEADHARVEST_MAX_RESULT_PAGES", 2):
                    yield self.request(
                        link.url,
                        source=src.name,
                        kind="search",
                        query=query,
                        result_page=page_no + 1,
                    )
            elif link.kind == "detail":
                if src is GENERIC and site_key(link.url) != site_key(response.url):
                    continue  # a site without an adapter: stay inside it
                yield self.request(
                    link.url, source=src.name, kind="detail", query=query, lead_name=link.lead_name
                )
            elif link.kind in COMPANY_KINDS:
                via = {
                    "source": src.name,
                    "method": src.method,
                    "url": response.url,
                    "query": query,
                }
                req = self.company_request(
                    link.url, link.lead_name, snippets.get(link.url, ""), query, via=via
                )
                if req is not None:
                    yield req
            elif link.kind == "contact" and meta.get("lh_kind") in {"site", "contact"}:
                req = self.contact_request(link.url, meta, response.url)
                if req is not None:
                    yield req

    def company_request(
        self, url: str, name: str, context: str, query: str, *, via: dict[str, str] | None = None
    ) -> scrapy.Request | None:
        """First page of a company's own site (found through a search result or listing).

        ``via`` is the page that pointed at the site: the leads found on the site also carry
        it as evidence, so a business found by a search engine counts for that method even
        though its contacts came from its own contact page.
        """
        target = source_for_url(url)
        if target is not GENERIC and target.method != "company_website":
            # a result that points at a directory or B2B page: parse it as that source
            return self.request(url, source=target.name, kind="detail", query=query, lead_name=name)
        domain = site_key(url)
        if not domain or domain in self.site_pages:
            return None
        if len(self.site_pages) >= self.setting("LEADHARVEST_MAX_SITES", 200):
            return None
        self.site_pages[domain] = 1
        return self.request(
            url,
            source=GENERIC.name,
            kind="site",
            query=query,
            lead_name=name,
            context=context,
            via=via or {},
        )

    def contact_request(
        self, url: str, meta: dict[str, Any], from_url: str
    ) -> scrapy.Request | None:
        """A contact / about page of the site being visited (same registered domain only)."""
        domain = site_key(url)
        if not domain or domain != site_key(from_url):
            return None
        used = self.site_pages.get(domain, 0)
        if used >= self.setting("LEADHARVEST_SITE_PAGES", 4):
            return None
        self.site_pages[domain] = used + 1
        return self.request(
            url,
            source=GENERIC.name,
            kind="contact",
            query=meta.get("lh_query", ""),
            lead_name=meta.get("lh_lead_name", ""),
            context=meta.get("lh_context", ""),
            via=meta.get("lh_via") or {},
        )

    @staticmethod
    def repaired(response: Response) -> str:
        """The fault of a page that was still used: a lying charset, a truncated gzip body."""
        fault = response.meta.get(FAULT_META)
        if fault:
            return str(fault)
        charset, declared = (
            response.meta.get("lh_charset"),
            response.meta.get("lh_declared_charset"),
        )
        if charset and declared:  # a page that declares nothing has not lied
            return fault_reason(
                "bad_encoding", f"charset declared as {declared}, read as {charset}"
            )
        return ""

    def page_failed(self, failure: Failure) -> Iterator[PageResult]:
        request = failure.request  # type: ignore[attr-defined]
        src = self._source(request.meta.get("lh_source", ""), request.url)
        status, http_status, reason = "error", 0, ""
        maxsize = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") if self.crawler else 0
        fault = classify_failure(failure, request, maxsize=maxsize)
        if isinstance(failure.value, HttpError):
            response = failure.value.response
            http_status = response.status
            page = Page.from_bytes(response.url, response.body, None, http_status)
            challenge = detect_block(page) if http_status in BLOCKING_STATUSES else ""
            if response.headers.get(MISSING_HEADER) == b"missing":
                status, reason = "missing", "not in the replay archive"
            elif challenge and challenge != f"HTTP {http_status}":
                # a 403/429/503 is the site refusing us, often with a challenge page: say why
                status, reason = "blocked", challenge
            elif fault is not None:
                status, http_status, reason = fault
            elif http_status in BLOCKING_STATUSES:
                status, reason = "blocked", f"HTTP {http_status}"
            else:
                reason = f"HTTP {http_status}"
        elif "robots" in str(failure.value).lower():
            status, reason = "robots", "disallowed by robots.txt"
        elif fault is not None:
            status, http_status, reason = fault
        else:
            reason = f"{type(failure.value).__name__}: {failure.value}"[:200]
        record = PageRecord(
            url=request.url,
            source=src.name,
            method=src.method,
            status=status,
            http_status=http_status,
            reason=reason,
        )
        yield PageResult(record=record, fp=request.meta.get(FP_META, ""), spider=self.name)

    @staticmethod
    def _source(name: str, url: str) -> Source:
        if name and name != GENERIC.name:
            src = catalogue().get(name)
            if src is not None:
                return src
        return source_for_url(url)
