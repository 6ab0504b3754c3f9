"""Serve responses from a WARC archive instead of the network.

Several archives may be given (the first that holds a URL answers). With
``LEADHARVEST_REPLAY_PASSTHROUGH`` (``collect --from-saved`` without ``--replay``) a URL no
archive holds goes to the network as usual. Otherwise a URL that is not in the archive is
answered with a synthetic 404 marked
``X-LeadHarvest-Replay: missing`` so the spider can report it as *missing from the archive*;
nothing is invented and nothing reaches the network. robots.txt requests that are not in the
archive get the same 404, which Scrapy's robots middleware reads as "no rules".
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response

from leadharvest.archive import ArchiveIndex

MISSING_HEADER = b"X-LeadHarvest-Replay"


class ReplayMiddleware:
    """Answers every request from ``LEADHARVEST_REPLAY`` (a WARC path)."""

    def __init__(
        self, indexes: list[ArchiveIndex], crawler: Crawler, *, passthrough: bool = False
    ) -> None:
        self.indexes = indexes
        self.crawler = crawler
        self.passthrough = passthrough

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        paths = crawler.settings.getlist("LEADHARVEST_REPLAY")
        if not paths:
            raise NotConfigured("no replay archive")
        passthrough = crawler.settings.getbool("LEADHARVEST_REPLAY_PASSTHROUGH")
        return cls([ArchiveIndex.load(p) for p in paths], crawler, passthrough=passthrough)

    def process_request(self, request: Request) -> Response | None:
        """The recorded response; else a "missing" 404, or the network in pass-through mode."""
        stats = self.crawler.stats
        recorded = next(
            (r for r in (i.get(request.url) for i in self.indexes) if r is not None), None
        )
        if recorded is None and self.passthrough:
            return None
        if recorded is None:
            if stats is not None:
                stats.inc_value("leadharvest/replay/missing")
            return Response(
                url=request.url,
                status=404,
                headers={MISSING_HEADER: b"missing"},
                body=b"",
                request=request,
            )
        if stats is not None:
            stats.inc_value("leadharvest/replay/hit")
        headers: dict[str, Any] = {}
        for name, value in recorded.headers:
            if name.lower() in {"content-encoding", "transfer-encoding", "content-length"}:
                continue
            headers[name] = value
        headers[MISSING_HEADER.decode()] = "hit"
        return HtmlResponse(
            url=request.url,
            status=recorded.status,
            headers=headers,
            body=recorded.body,
            request=request,
        )
