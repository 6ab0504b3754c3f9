"""Online yellow pages (网上黄页法): listing pages → detail pages → company sites."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import LeadSpider


class DirectorySpider(LeadSpider):
    """Starts from the job's yellow-pages sources; following and limits live in LeadSpider."""

    name: ClassVar[str] = "yellow_pages"  # type: ignore[misc]
    method: ClassVar[str] = "yellow_pages"
