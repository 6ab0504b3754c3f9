"""Sogou's results page (www.sogou.com/web, m.sogou.com / wap.sogou.com), 2015–2024 layouts.

* Result blocks: the innermost ``div.vrwrap`` / ``div.rb`` (older) / ad block that holds a
  title link (``h3 a``); blocks without one ("大家还在搜" hint rows) are skipped.
* Target URL: Sogou wraps results in ``/link?url=<encrypted>``, which only a request to
  Sogou resolves. A ``data-url`` on the title link or its block (absolute, outside
  sogou.com) is the target when the page gives it; otherwise the wrapper is kept as an
  absolute URL (following it reaches the site). The displayed ``citeurl`` is cut short
  ("www.cnblogs.com/b...") and is never turned into a URL.
* Sogou's own pages (百科, 问问, its search pages): a block whose target, or whose displayed
  URL for a wrapper, is on sogou.com is the engine talking about itself and is skipped.
* Ads: ad containers (``biz_…``, ``…sponsor…``, ``promotion…`` ids/classes), a "推广"/"广告"
  badge, or links to Sogou's ad clicks (``bill_cpc``, ``brand.sogou.com``). Ads are
  flagged, never followed.
* Status: "blocked" for the antispider page ("用户您好，我们的系统检测到您网络中存在异常访问
  请求", ``/antispider/``, ``seccodeImage``); "no_results" for "抱歉，没有找到与…相关的网页".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, marker_reason
from spiders.pages.serp import (
    engine_extraction,
    has_class,
    host_is,
    http_url,
    own_pages_apart,
    text_without,
)

_AD_CONTAINER = (
    "contains(@class, 'biz_') or contains(@id, 'biz_') or contains(@class, 'sponsor')"
    " or contains(@id, 'sponsor') or contains(@id, 'promotion') or contains(@class, 'promotion')"
)
_BLOCK = (
    f"{has_class('vrwrap')} or {has_class('rb')} or {has_class('vrResult')}"
    f" or {has_class('result')} or {_AD_CONTAINER}"
)
_TITLE = ".//h3//a[@href] | .//a[@href][.//h3]"
_AD_BADGES = ("推广", "广告", "商业推广", "赞助", "品牌广告")
_AD_HREF_RE = re.compile(r"/bill_cpc|brand\.sogou\.com|cpc\.sogou\.com|clk\.sogou\.com")

_SNIPPET_XPATHS = (
    f".//*[{has_class('space-txt')}]",
    f".//*[{has_class('star-wiki')}]",
    f".//*[{has_class('str_info')} or {has_class('str-text-info')} or {has_class('text-layout')}]",
    f".//*[{has_class('ft')}]",
    ".//p[contains(@class, 'txt') or contains(@class, 'info')]",
)
_NOT_SNIPPET = ("citeurl", "cite-date", "r-sech", "vr-title", "fb", "str-blue", "zan-box")

SOGOU_BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("检测到您网络中存在异常访问请求", "Sogou antispider (异常访问请求)"),
    ("此验证码用于确认这些请求是您的正常行为", "Sogou antispider captcha"),
    ("seccodeimage", "Sogou antispider captcha"),
    ("seccodeinput", "Sogou antispider captcha"),
    ("/antispider/", "Sogou antispider"),
)
"""Sogou's own challenge page, checked (like :func:`detect_block`) only when no result parsed."""

NO_RESULTS_RE = re.compile(
    r"抱歉[，,]?\s*没有找到与|没有找到与.{0,80}?相关的(网页|结果|内容)"
    r"|未找到(与.{0,80}?)?相关(的)?(结果|网页|内容)",
    re.DOTALL,
)
_NOTICE_XPATH = (
    "//*[contains(@id, 'noresult') or contains(@class, 'no-result')"
    " or contains(@class, 'noresult') or contains(@class, 'no_result')]"
)
_NOTICE_MARKS = ("noresult", "no-result", "no_result")
"""What the class or id of every element ``_NOTICE_XPATH`` selects holds one of."""


class SogouPage(PageParser):
    """A Sogou web results page."""

    name = "sogou"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        return engine_extraction(
            self,
            page,
            own_pages_apart(_blocks(sel), lambda block: _result(block, page), _engine_internal),
            _next_links(sel, page),
            engine="Sogou",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_sogou_block,
        )


def _sogou_block(page: Page) -> str:
    if "/antispider" in urlsplit(page.url).path:
        return "Sogou antispider"
    return marker_reason(page.text, SOGOU_BLOCK_MARKERS)


def is_sogou_host(url: str) -> bool:
    return host_is(url, "sogou.com")


def is_sogou_wrapper(url: str) -> bool:
    """``sogou.com/link?url=`` (organic) or an ad click: the target is not in the URL."""
    if not is_sogou_host(url):
        return False
    return urlsplit(url).path in ("/link", "/bill_cpc") or bool(_AD_HREF_RE.search(url))


def _blocks(sel: Selector) -> list[Selector]:
    """Innermost blocks with a title link, in page order (an ad container holds several ads)."""
    titled = f"[{_BLOCK}][{_TITLE.replace(' | ', ' or ')}]"
    return sel.xpath(f"//*[self::div or self::li]{titled}[not(.//*{titled})]")


def _result(block: Selector, page: Page) -> SearchResult | None:
    anchor = block.xpath(_TITLE)[0]
    heading = anchor.xpath("(.//h3)[1]")
    title = text_without(heading[0] if heading else anchor)
    href = page.urljoin(anchor.attrib.get("href", ""))
    if not title:
        return None
    ad = _is_ad(block, href)
    url = _target(block, anchor, page) or href
    if not http_url(url):
        return None
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(block), ad=ad)


def _target(block: Selector, anchor: Selector, page: Page) -> str:
    """The real target the page reveals (``data-url``, a direct title link), or ""."""
    candidates = [
        anchor.attrib.get("data-url", ""),
        block.attrib.get("data-url", ""),
        *block.xpath(".//h3//@data-url").getall(),
        page.urljoin(anchor.attrib.get("href", "")),
    ]
    for value in candidates:
        value = value.strip()
        if http_url(value) and not is_sogou_host(value):
            return value
    return ""


def _engine_internal(block: Selector, url: str) -> bool:
    """True when the block leads to Sogou's own pages (百科, 问问, search pages)."""
    if not is_sogou_wrapper(url):
        return is_sogou_host(url)
    cite = clean_text(
        " ".join(block.xpath(f".//*[{has_class('citeurl')} or self::cite]//text()").getall())
    )
    return bool(re.search(r"(^|[\s/.-])([\w-]+\.)*sogou\.com\b", cite, re.IGNORECASE))


def _is_ad(block: Selector, href: str) -> bool:
    if block.xpath(f"ancestor-or-self::*[{_AD_CONTAINER}]"):
        return True
    if _AD_HREF_RE.search(href):
        return True
    badges = " or ".join(f"normalize-space(.)='{badge}'" for badge in _AD_BADGES)
    return bool(block.xpath(f".//*[self::span or self::a or self::i or self::div][{badges}]"))


def _snippet(block: Selector) -> str:
    for xpath in _SNIPPET_XPATHS:
        for candidate in block.xpath(xpath):
            text = text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    return ""


def _next_links(sel: Selector, page: Page) -> list[Link]:
    hrefs = sel.xpath(
        "//a[@id='sogou_next']/@href"
        f" | //a[{has_class('np')}][contains(normalize-space(.), '下一页')]/@href"
        " | //a[@id='ajax_next_page']/@href"
        " | //*[@id='pagebar_container']//a[contains(normalize-space(.), '下一页')]/@href"
    ).getall()
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_sogou_host(url)]
