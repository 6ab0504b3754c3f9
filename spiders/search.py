"""Search engines (搜索引擎法): result pages → the companies' own sites."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import LeadSpider


class SearchEngineSpider(LeadSpider):
    """Starts from the job's search-engine sources; following and limits live in LeadSpider."""

    name: ClassVar[str] = "search_engine"  # type: ignore[misc]
    method: ClassVar[str] = "search_engine"
