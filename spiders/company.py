"""The e-mail method's spider: a company's own site, home page → contact / about / 联系我们.

Started directly with ``collect --start-url URL`` (or a list of sites); the other spiders
reach company sites through the same LeadSpider logic.
"""

from __future__ import annotations

from typing import ClassVar

import scrapy

from spiders.base import LeadSpider
from spiders.pages import GENERIC


class CompanySiteSpider(LeadSpider):
    """Visits each start URL as a company home page."""

    name: ClassVar[str] = "company_website"  # type: ignore[misc]
    method: ClassVar[str] = "company_website"

    def _wants(self, planned: dict[str, str]) -> bool:
        return planned.get("source") == GENERIC.name

    def planned_requests(self) -> list[scrapy.Request]:
        requests = []
        for planned in self.plan:
            req = self.company_request(planned["url"], "", "", planned.get("query", ""))
            if req is not None:
                requests.append(req)
        return requests
