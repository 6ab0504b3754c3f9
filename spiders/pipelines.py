"""Item pipelines: hand what the spiders found to the job, as it is found.

The crawl runs in a child process; :class:`RawSinkPipeline` appends every finished page (its
record, leads and follow-ups: one journal line, see ``spiders/journal.py``) to a JSON-lines
file the moment it is scraped, in one write and flushed, so a crash, Ctrl-C or ``kill -9``
keeps everything collected so far and ``collect --resume`` knows where to go on; it also
prints one progress event per page on stdout for the parent's progress bars.
"""

from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from leadharvest.items import Lead, PageRecord
from spiders.journal import PageResult, journal_line


class RawSinkPipeline:
    """Writes ``{"type": "lead"|"page", "data": {...}}`` lines to ``LEADHARVEST_SINK``."""

    def __init__(self, path: str, progress: bool) -> None:
        self.path = path
        self.progress = progress
        self.fh: BinaryIO | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawSinkPipeline:
        path = crawler.settings.get("LEADHARVEST_SINK")
        if not path:
            raise NotConfigured("no sink")
        return cls(path, crawler.settings.getbool("LEADHARVEST_PROGRESS"))

    def open_spider(self) -> None:
        self.fh = open(self.path, "ab", buffering=0)  # noqa: SIM115

    def close_spider(self) -> None:
        if self.fh:
            self.fh.close()

    def process_item(self, item: Any) -> Any:
        assert self.fh is not None
        if isinstance(item, PageResult):
            self._write(journal_line(item))
            if item.record is not None:
                self._progress(item.record)
            return item
        if isinstance(item, Lead):
            record = {"type": "lead", "data": item.to_dict()}
        elif isinstance(item, PageRecord):
            from dataclasses import asdict

            data = asdict(item)
            data["fetched_at"] = item.fetched_at.isoformat()
            record = {"type": "page", "data": data}
            self._progress(item)
        else:
            return item
        self._write(json.dumps(record, ensure_ascii=False))
        return item

    def _write(self, line: str) -> None:
        """One unbuffered write per line: a kill leaves whole lines and at most one torn one."""
        assert self.fh is not None
        self.fh.write((line + "\n").encode("utf-8"))

    def _progress(self, page: PageRecord) -> None:
        if self.progress:
            event = {
                "source": page.source,
                "method": page.method,
                "status": page.status,
                "leads": page.leads,
                "url": page.url,
            }
            sys.stdout.write(json.dumps({"event": "page", **event}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
