"""Serve responses from a WARC archive instead of the network.

A request whose URL is not in the archive is answered with a synthetic 404 marked
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

    def __init__(self, index: ArchiveIndex, crawler: Crawler) -> None:
        self.index = index
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayMiddleware:
        path = crawler.settings.get("LEADHARVEST_REPLAY")
        if not path:
            raise NotConfigured("no replay archive")
        return cls(ArchiveIndex.load(path), crawler)

    def process_request(self, request: Request) -> Response:
        stats = self.crawler.stats
        recorded = self.index.get(request.url)
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
