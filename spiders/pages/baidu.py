"""Baidu's results page (www.baidu.com/s, m.baidu.com), 2015–2024 layouts.

* Result blocks: the outermost ``div.result`` / ``div.result-op`` / ``div.c-container`` /
  ``div.c-result`` (mobile) in ``#content_left`` (mobile: ``#results``); the nested
  ``c-container`` of newer layouts is part of its block, not a result of its own.
* Target URL: Baidu wraps every link in ``www.baidu.com/link?url=<encrypted>``, which only a
  request to Baidu can resolve. The page often says the target anyway, and the first of
  these wins: the block's ``mu`` attribute (``mu`` inside the mobile ``data-log``), the
  ``url`` of the ``data-tools`` share menu, a title link that is not a wrapper. Otherwise
  the wrapper stays as it is (following it reaches the site); the displayed URL
  (``c-showurl``, "www.python.org/…") is cut short and has no scheme, so it is never
  turned into a URL.
* Baidu's own verticals (百科, 知道, 图片, 视频 aggregations, ``result-op`` modules): a block
  counts only when its target lies outside baidu.com. A block whose target (or, for a
  wrapper, whose displayed URL) is a Baidu page is the engine talking about itself, not a
  prospect's site, and is skipped.
* Ads: ``id`` 3001…, ``EC_result`` / ``ec_…`` classes, a ``data-tuiguang`` attribute or a
  ``…tuiguang…`` class, a "广告"/"推广" badge, or a title link to the ad click wrappers
  (``baidu.php?url=``, ``bzclk.baidu.com``). An ad's ``data-landurl`` is its target when
  present; otherwise the click wrapper is kept. Ads are flagged, never followed.
* Status: "blocked" for 百度安全验证 / wappass captcha pages, "no_results" for
  "抱歉没有找到与…相关的网页" (results shown beside that notice are kept).
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
    host_of,
    http_url,
    own_pages_apart,
    text_without,
)

_BLOCK = (
    f"{has_class('result')} or {has_class('result-op')} or {has_class('c-container')}"
    f" or {has_class('c-result')} or {has_class('EC_result')} or @mu"
    " or (starts-with(@id, '300') and string-length(@id) = 4)"
)
"""One result block, in every layout (``EC_result`` / ``id=300x`` are ads)."""

_AD_BADGES = ("广告", "推广", "品牌广告", "商业推广")

_SNIPPET_XPATHS = (
    f".//*[{has_class('c-abstract')}]",
    ".//*[contains(@class, 'content-right_')]",
    ".//*[@data-module='abstract' or @data-module='des']",
    f".//*[{has_class('c-span-last')}]//p[not(.//a)]",
    f".//*[{has_class('c-line-clamp3')} or {has_class('c-line-clamp2')}]",
)
_NOT_SNIPPET = ("c-showurl", "c-tools", "m", "c-title", "t", "c-icons-outer", "c-color-gray")

BAIDU_BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("wappass.baidu.com", "Baidu captcha (wappass)"),
    ("百度安全验证", "Baidu security check (百度安全验证)"),
    ("请完成下方验证", "Baidu security check"),
    ("captcha/tuxing", "Baidu captcha (wappass)"),
    ("网络不给力，请稍后重试", "Baidu security check"),
)
"""Baidu's own challenge pages, checked (like :func:`detect_block`) only when no result parsed."""

NO_RESULTS_RE = re.compile(
    r"抱歉[，,]?\s*没有找到与|没有找到与.{0,80}?相关的(网页|结果|内容)"
    r"|未找到(与.{0,80}?)?相关(的)?(结果|网页|内容)|找不到和您查询的",
    re.DOTALL,
)
_NOTICE_XPATH = (
    f"//*[{has_class('nors')} or {has_class('content_none')} or starts-with(@id, 'noresult')]"
)
_NOTICE_MARKS = ("nors", "content_none", "noresult")
"""What the class or id of every element ``_NOTICE_XPATH`` selects holds one of."""


class BaiduPage(PageParser):
    """A Baidu web results page."""

    name = "baidu"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        return engine_extraction(
            self,
            page,
            own_pages_apart(_blocks(sel), lambda block: _result(block, page), _engine_internal),
            _next_links(sel, page),
            engine="Baidu",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_baidu_block,
        )


def _baidu_block(page: Page) -> str:
    if host_of(page.url) == "wappass.baidu.com":
        return "Baidu captcha (wappass)"
    return marker_reason(page.text, BAIDU_BLOCK_MARKERS)


def is_baidu_host(url: str) -> bool:
    return host_is(url, "baidu.com")


def is_baidu_wrapper(url: str) -> bool:
    """``baidu.com/link?url=`` (organic) or an ad click URL: the target is not in the URL."""
    if not is_baidu_host(url):
        return False
    path = urlsplit(url).path
    return path in ("/link", "/baidu.php", "/adrc.php") or host_of(url) == "bzclk.baidu.com"


def _blocks(sel: Selector) -> list[Selector]:
    scope = sel.xpath("//*[@id='content_left']") or sel.xpath("//*[@id='results']") or [sel]
    blocks: list[Selector] = []
    for area in scope:
        blocks.extend(
            area.xpath(f".//*[self::div or self::table][{_BLOCK}][not(ancestor::*[{_BLOCK}])]")
        )
    return blocks


def _title_anchor(block: Selector) -> Selector | None:
    for xpath in (
        ".//h3//a[@href]",
        ".//a[@href][.//h3]",
        f".//*[{has_class('c-title')}]//a[@href]",
    ):
        anchors = block.xpath(xpath)
        if anchors:
            return anchors[0]
    return None


_ATTR_RE = r"""['"]?{key}['"]?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""


def _js_value(text: str, key: str) -> str:
    """A string value from Baidu's JS-object attributes (``{title:'…',url:'…'}``, JSON or not)."""
    match = re.search(_ATTR_RE.format(key=key), text or "")
    if not match:
        return ""
    value = match.group(1) if match.group(1) is not None else match.group(2)
    return value.replace("\\/", "/").strip()


def _result(block: Selector, page: Page) -> SearchResult | None:
    anchor = _title_anchor(block)
    tools = block.xpath(".//@data-tools").get() or ""
    title = ""
    href = ""
    if anchor is not None:
        heading = anchor.xpath("(.//h3)[1]")
        title = text_without(heading[0] if heading else anchor)
        href = page.urljoin(anchor.attrib.get("href", ""))
    title = title or clean_text(_js_value(tools, "title")) or _mobile_title(block)
    if not title:
        return None
    ad = _is_ad(block, href)
    url = _target(block, anchor, tools, page, ad=ad) or href
    if not url or not http_url(url):
        return None
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(block, title), ad=ad)


def _mobile_title(block: Selector) -> str:
    heading = block.xpath("(.//h3 | .//*[contains(@class, 'c-title-text')])[1]")
    return text_without(heading[0]) if heading else ""


def _target(block: Selector, anchor: Selector | None, tools: str, page: Page, *, ad: bool) -> str:
    """The real target the page reveals, or "" (the caller keeps the wrapper)."""
    if ad:
        for value in block.xpath(".//@data-landurl | @data-landurl").getall():
            if http_url(value.strip()):
                return value.strip()
        return ""
    candidates = [
        block.attrib.get("mu", ""),
        _js_value(block.attrib.get("data-log", ""), "mu"),
        _js_value(tools, "url"),
    ]
    if anchor is not None:
        candidates.append(page.urljoin(anchor.attrib.get("href", "")))
    candidates.append(page.urljoin(block.xpath(".//@rl-link-href").get() or ""))
    for value in candidates:
        value = value.strip()
        if http_url(value) and not is_baidu_wrapper(value) and not _is_search_page(value):
            return value
    return ""


def _is_search_page(url: str) -> bool:
    """Baidu's own search pages (m.baidu.com/s?word=… on mobile cards): never a target."""
    return is_baidu_host(url) and urlsplit(url).path in ("/s", "/from=0/s", "/sf/vsearch")


def _engine_internal(block: Selector, url: str) -> bool:
    """True when the block leads to one of Baidu's own pages (百科, 知道, video, images …)."""
    if not is_baidu_wrapper(url):
        return is_baidu_host(url)
    shown = clean_text(
        " ".join(
            block.xpath(f".//*[{has_class('c-showurl')}]//text()[not(ancestor::style)]").getall()
        )
    ).replace(" ", "")
    return bool(re.match(r"^(https?://)?([\w-]+\.)*baidu\.com(/|$)", shown, re.IGNORECASE))


def _is_ad(block: Selector, href: str) -> bool:
    classes = (block.attrib.get("class") or "").lower()
    block_id = block.attrib.get("id", "")
    if re.fullmatch(r"300\d", block_id) or re.search(r"(^|\s)ec[_-]", classes):
        return True
    if href and is_baidu_wrapper(href) and urlsplit(href).path != "/link":
        return True
    if block.xpath(".//@data-tuiguang | .//*[contains(@class, 'tuiguang')]"):
        return True
    badges = " or ".join(f"normalize-space(.)='{badge}'" for badge in _AD_BADGES)
    return bool(block.xpath(f".//*[self::span or self::a or self::div or self::i][{badges}]"))


def _snippet(block: Selector, title: str) -> str:
    for xpath in _SNIPPET_XPATHS:
        for candidate in block.xpath(xpath):
            text = text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    text = text_without(block, *_NOT_SNIPPET)
    if text.startswith(title):
        text = text[len(title) :].strip()
    return text[:300]


def _next_links(sel: Selector, page: Page) -> list[Link]:
    hrefs = sel.xpath(
        "//*[@id='page']//a[contains(normalize-space(.), '下一页')]/@href"
        f" | //a[{has_class('n')}][contains(normalize-space(.), '下一页')]/@href"
        " | //a[contains(@class, 'new-nextpage')]/@href"
        " | //a[contains(normalize-space(.), '下一页')]/@href"
    ).getall()
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_baidu_host(url)]
