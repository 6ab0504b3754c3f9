"""Industry / B2B sites (行业网站法): supplier lists → supplier pages → company sites."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import LeadSpider


class IndustrySiteSpider(LeadSpider):
    """Starts from the job's industry-site sources; following and limits live in LeadSpider."""

    name: ClassVar[str] = "industry_site"  # type: ignore[misc]
    method: ClassVar[str] = "industry_site"
