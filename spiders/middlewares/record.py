"""Record every downloaded response into a WARC archive (``collect --record F``).

The recorded archive is what ``--replay`` reads, so a live classroom run can be repeated
offline exactly.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from leadharvest.archive import ArchiveWriter
from spiders.middlewares.replay import MISSING_HEADER


class RecordMiddleware:
    """Appends each response (not replayed ones) to ``LEADHARVEST_RECORD``."""

    def __init__(self, writer: ArchiveWriter) -> None:
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        path = crawler.settings.get("LEADHARVEST_RECORD")
        if not path:
            raise NotConfigured("not recording")
        mw = cls(ArchiveWriter(path))
        from scrapy import signals

        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if response.headers.get(MISSING_HEADER) is None:
            headers = [
                (k.decode("latin-1"), b", ".join(v).decode("latin-1"))
                for k, v in response.headers.items()
            ]
            self.writer.add(response.url, response.body, status=response.status, headers=headers)
        return response

    def spider_closed(self) -> None:
        self.writer.close()
