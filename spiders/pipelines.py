"""Item pipelines: hand what the spiders found to the job, as it is found.

The crawl runs in a child process; :class:`RawSinkPipeline` appends every lead and page
record to a JSON-lines file the moment it is scraped (flushed), so a crash or Ctrl-C keeps
everything collected so far, and prints one progress event per page on stdout for the
parent's progress bars.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from leadharvest.items import Lead, PageRecord


class RawSinkPipeline:
    """Writes ``{"type": "lead"|"page", "data": {...}}`` lines to ``LEADHARVEST_SINK``."""

    def __init__(self, path: str, progress: bool) -> None:
        self.path = path
        self.progress = progress
        self.fh: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawSinkPipeline:
        path = crawler.settings.get("LEADHARVEST_SINK")
        if not path:
            raise NotConfigured("no sink")
        return cls(path, crawler.settings.getbool("LEADHARVEST_PROGRESS"))

    def open_spider(self) -> None:
        self.fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115

    def close_spider(self) -> None:
        if self.fh:
            self.fh.close()

    def process_item(self, item: Any) -> Any:
        assert self.fh is not None
        if isinstance(item, Lead):
            record = {"type": "lead", "data": item.to_dict()}
        elif isinstance(item, PageRecord):
            from dataclasses import asdict

            data = asdict(item)
            data["fetched_at"] = item.fetched_at.isoformat()
            record = {"type": "page", "data": data}
            if self.progress:
                event = {k: data[k] for k in ("source", "method", "status", "leads", "url")}
                sys.stdout.write(json.dumps({"event": "page", **event}, ensure_ascii=False) + "\n")
                sys.stdout.flush()
        else:
            return item
        self.fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.fh.flush()
        return item
