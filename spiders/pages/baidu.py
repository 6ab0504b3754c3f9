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
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, detect_block
from spiders.pages.serp import has_class, rank_results, result_links, text_without

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


class BaiduPage(PageParser):
    """A Baidu web results page."""

    name = "baidu"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        unranked, own_pages = _results(sel, page)
        results = rank_results(unranked)
        links = [*result_links(results), *_next_links(sel, page)]
        notice = clean_text(" ".join(text_without(n) for n in sel.xpath(_NOTICE_XPATH)))
        if results:
            if NO_RESULTS_RE.search(notice):
                reason = f"{notice[:200]} (results shown are for a looser query)"
                return self.result("no_results", search_results=results, links=links, reason=reason)
            return self.result("ok", search_results=results, links=links)
        if own_pages:
            # A real results page that only shows Baidu's own pages: not empty, just no prospects.
            reason = f"only Baidu's own pages ({own_pages} blocks), no external result"
            return self.result("ok", links=links, reason=reason)
        blocked = _baidu_block(page) or detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        found = NO_RESULTS_RE.search(notice) or NO_RESULTS_RE.search(page.visible_text)
        if found:
            return self.result("no_results", reason=(notice or found.group(0))[:200])
        return self.result("no_results", reason="no Baidu result blocks on the page")


def _baidu_block(page: Page) -> str:
    if _host(page.url) == "wappass.baidu.com":
        return "Baidu captcha (wappass)"
    lowered = page.text.lower()
    for marker, reason in BAIDU_BLOCK_MARKERS:
        if marker in lowered:
            return reason
    return ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_baidu_host(url: str) -> bool:
    host = _host(url)
    return host == "baidu.com" or host.endswith(".baidu.com")


def is_baidu_wrapper(url: str) -> bool:
    """``baidu.com/link?url=`` (organic) or an ad click URL: the target is not in the URL."""
    if not is_baidu_host(url):
        return False
    path = urlsplit(url).path
    return path in ("/link", "/baidu.php", "/adrc.php") or _host(url) == "bzclk.baidu.com"


def _http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _blocks(sel: Selector) -> list[Selector]:
    scope = sel.xpath("//*[@id='content_left']") or sel.xpath("//*[@id='results']") or [sel]
    blocks: list[Selector] = []
    for area in scope:
        blocks.extend(
            area.xpath(f".//*[self::div or self::table][{_BLOCK}][not(ancestor::*[{_BLOCK}])]")
        )
    return blocks


def _results(sel: Selector, page: Page) -> tuple[list[SearchResult], int]:
    """The results in page order, and how many blocks led to the engine's own pages."""
    found: list[SearchResult] = []
    own_pages = 0
    for block in _blocks(sel):
        result = _result(block, page)
        if result is None:
            continue
        if not result.ad and _engine_internal(block, result.url):
            own_pages += 1
        else:
            found.append(result)
    return found, own_pages


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
    if not url or not _http(url):
        return None
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(block, title), ad=ad)


def _mobile_title(block: Selector) -> str:
    heading = block.xpath("(.//h3 | .//*[contains(@class, 'c-title-text')])[1]")
    return text_without(heading[0]) if heading else ""


def _target(block: Selector, anchor: Selector | None, tools: str, page: Page, *, ad: bool) -> str:
    """The real target the page reveals, or "" (the caller keeps the wrapper)."""
    if ad:
        for value in block.xpath(".//@data-landurl | @data-landurl").getall():
            if _http(value.strip()):
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
        if _http(value) and not is_baidu_wrapper(value) and not _is_search_page(value):
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
