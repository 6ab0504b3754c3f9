"""21food.cn / 21food.com (食品商务网): company contact pages, and the site's error pages.

A company's 联系方式 page shows the company name and "联系人 / 电话 / 手机 / 传真 / 地址 /
邮箱" rows; they are read as label / value rows from the company's box, so the portal's own
客服 numbers, e-mail and ICP licence (浙B2-20090288-1) in the header and footer never become
a lead's. A removed company answers with the portal's "没有找到您所要的页面" page (HTTP 200,
full site chrome): that is "no_results" with reason "not found", never a lead of 21food.
Saved copies of these GBK pages are often mojibake (GBK bytes read as Latin-1), which is
repaired before anything is read.
"""

from __future__ import annotations

import re

from leadharvest.items import Lead
from spiders.pages.b2b import apply_pairs, label_pairs, readable_page, unavailable
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text

PORTAL = ("21food.cn", "21food.com")
_COMPANY_RE = re.compile(
    r"[\u4e00-\u9fff()（）]{2,40}(?:有限公司|有限责任公司|公司|厂|集团|商行|经营部)"
    r"|[A-Z][\w&.,' -]{2,80}\b(?:Co\.?,?\s*Ltd\.?|Limited|Company|Corporation|Inc\.?|Factory)"
)
_BOX = (
    "[contains(@class, 'contact') or contains(@class, 'lxfs') or contains(@class, 'company')"
    " or contains(@id, 'contact')][.//text()[contains(., '联系人') or contains(., 'Contact')]]"
)
"""A box of the company's contact rows (not the page's body: the chrome is outside it)."""


class Food21Page(PageParser):
    """21food company contact pages; error pages are recognised as such."""

    name = "food21"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        page = readable_page(page)
        status, reason = unavailable(page)
        if reason:
            return self.result(status, reason=reason)
        lead = _company(page)
        if lead.name and (lead.phones or lead.emails or lead.people):
            links = [Link(lead.website, "website", lead.name)] if lead.website else []
            return self.result("ok", leads=[lead], links=links)
        return self.result("no_results", reason="no company contact details on the page")


def _company(page: Page) -> Lead:
    sel = page.selector
    boxes = [b for b in sel.xpath("//*" + _BOX) if not b.xpath(".//*" + _BOX)]
    rows = [row for box in boxes for row in label_pairs(box)]
    lead = Lead(name="", country="CN")
    apply_pairs(lead, rows, page, portal=PORTAL)
    if not lead.name:
        for text in (
            " ".join(sel.xpath("//h1//text()").getall()),
            sel.xpath("//title/text()").get() or "",
        ):
            m = _COMPANY_RE.search(clean_text(text))
            if m:
                lead.name = m.group(0).strip()
                break
    return lead
