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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, marker_reason
from spiders.pages.serp import (
    class_elements,
    class_holds,
    element_text_without,
    engine_extraction,
    host_is,
    http_url,
    inside_tag,
    outermost,
    own_pages_apart,
    page_attrs,
)

_AD_CONTAINER_PIECES = ("biz_", "sponsor", "promotion")
"""An ad container's class or id holds one of these."""
_BLOCK_CLASSES = ("vrwrap", "rb", "vrResult", "result")
"""Whole class names of a result block (an ad container is one too)."""
_AD_BADGES = ("推广", "广告", "商业推广", "赞助", "品牌广告")
_BADGE_XPATH = etree.XPath(
    "descendant::*[self::span or self::a or self::i or self::div]["
    + " or ".join(f"normalize-space(.)='{badge}'" for badge in _AD_BADGES)
    + "]",
    smart_strings=False,
)
"""A block's "推广" / "赞助" badges (every badge holds 广 or 赞)."""
_AD_HREF_RE = re.compile(r"/bill_cpc|brand\.sogou\.com|cpc\.sogou\.com|clk\.sogou\.com")

_SNIPPET_CLASSES = (
    ("space-txt",),
    ("star-wiki",),
    ("str_info", "str-text-info", "text-layout"),
    ("ft",),
)
"""Whole class names of the snippet, in the order they are tried, before a ``p`` whose class
holds ``txt`` or ``info``."""
_NOT_SNIPPET = ("citeurl", "cite-date", "r-sech", "vr-title", "fb", "str-blue", "zan-box")
_NEXT = "下一页"

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
        return engine_extraction(
            self,
            page,
            own_pages_apart(_cards(page), lambda card: _result(card, page), _engine_internal),
            _next_links(page.selector.root, page),
            engine="Sogou",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_sogou_block,
        )


@dataclass
class _Card:
    """A result block, whether an ad container holds it, and its cite and snippet elements."""

    block: Any
    in_ad_container: bool
    anchor: Any = None
    cites: list[Any] = field(default_factory=list)
    """Elements of class ``citeurl`` and ``cite`` elements, in page order."""
    snippets: tuple[list[Any], ...] = field(default_factory=lambda: ([], [], [], [], []))


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


def _cards(page: Page) -> list[_Card]:
    root = page.selector.root
    if not isinstance(getattr(root, "tag", None), str):
        return []
    containers = set(page_attrs(page).elements(_holds_ad_piece, *_AD_CONTAINER_PIECES))
    marked = {
        el
        for el in class_elements(page, *_BLOCK_CLASSES)
        if class_holds(el.get("class"), *_BLOCK_CLASSES)
    } | containers
    titled = _titled(root)
    found = marked & titled
    holding: set[Any] = set()  # elements with a found one inside
    for el in found:
        for parent in el.iterancestors():
            if parent in holding:
                break
            holding.add(parent)
    return [
        _card(el, containers) for el in root.iter("div", "li") if el in found and el not in holding
    ]


def _holds_ad_piece(attribute: str, value: str) -> bool:
    return any(piece in value for piece in _AD_CONTAINER_PIECES)


def _titled(root: Any) -> set[Any]:
    """The elements ``.//h3//a[@href] or .//a[@href][.//h3]`` holds for: those around an
    ``h3`` that holds a link, or around a link that holds an ``h3``."""
    titled: set[Any] = set()
    for h3 in root.iter("h3"):
        start = h3 if any(a.get("href") is not None for a in h3.iter("a")) else None
        if start is None:
            start = next((a for a in h3.iterancestors("a") if a.get("href") is not None), None)
        if start is None:
            continue
        for parent in start.iterancestors():
            if parent in titled:
                break
            titled.add(parent)
    return titled


def _card(block: Any, containers: set[Any]) -> _Card:
    """The block's title link and the elements its fields are read from (one walk)."""
    in_container = block in containers or any(a in containers for a in block.iterancestors())
    card = _Card(block, in_container)
    snippets = card.snippets
    for el in block.iter(etree.Element):
        if el is block:
            continue
        tag = el.tag
        if (
            card.anchor is None
            and tag == "a"
            and el.get("href") is not None
            and (next(el.iter("h3"), None) is not None or inside_tag(el, block, "h3"))
        ):
            card.anchor = el
        value = el.get("class")
        if tag == "cite" or (value and class_holds(value, "citeurl")):
            card.cites.append(el)
        if not value:
            continue
        for group, names in zip(snippets, _SNIPPET_CLASSES, strict=False):
            if class_holds(value, *names):
                group.append(el)
        if tag == "p" and ("txt" in value or "info" in value):
            snippets[4].append(el)
    return card


def _result(card: _Card, page: Page) -> SearchResult | None:
    anchor = card.anchor
    heading = next(anchor.iter("h3"), None)
    title = element_text_without(anchor if heading is None else heading)
    href = page.urljoin(anchor.get("href", ""))
    if not title:
        return None
    ad = _is_ad(card, href)
    url = _target(card.block, anchor, page) or href
    if not http_url(url):
        return None
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(card), ad=ad)


def _target(block: Any, anchor: Any, page: Page) -> str:
    """The real target the page reveals (``data-url``, a direct title link), or ""."""
    heading_urls = [
        value
        for h3 in outermost([h for h in block.iter("h3") if h is not block])
        for el in h3.iter(etree.Element)
        if (value := el.get("data-url")) is not None
    ]
    candidates: list[str] = [
        anchor.get("data-url", ""),
        block.get("data-url", ""),
        *heading_urls,
        page.urljoin(anchor.get("href", "")),
    ]
    for value in candidates:
        value = value.strip()
        if http_url(value) and not is_sogou_host(value):
            return value
    return ""


def _engine_internal(card: _Card, url: str) -> bool:
    """True when the block leads to Sogou's own pages (百科, 问问, search pages)."""
    if not is_sogou_wrapper(url):
        return is_sogou_host(url)
    texts = [text for el in outermost(card.cites) for text in el.itertext()]
    cite = clean_text(" ".join(texts))
    return bool(re.search(r"(^|[\s/.-])([\w-]+\.)*sogou\.com\b", cite, re.IGNORECASE))


def _is_ad(card: _Card, href: str) -> bool:
    if card.in_ad_container:
        return True
    if _AD_HREF_RE.search(href):
        return True
    # every badge holds 广 or 赞: a block whose text holds neither has none (nearly every one)
    text = "".join(card.block.itertext())
    return ("广" in text or "赞" in text) and bool(_BADGE_XPATH(card.block))


def _snippet(card: _Card) -> str:
    for group in card.snippets:
        for candidate in group:
            text = element_text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    return ""


_NEXT_CANDIDATES = etree.XPath(
    f"/descendant::a[@href][@id='sogou_next' or @id='ajax_next_page' or contains(., '{_NEXT}')]"
)
"""The links :func:`_next_links` may keep (its text test is the string value's), found by
libxml2 without a Python object for each of the page's links."""


def _next_links(root: Any, page: Page) -> list[Link]:
    """``a#sogou_next``, ``a#ajax_next_page``, and links saying 下一页 of class ``np`` or in
    ``#pagebar_container``, tested on the links ``_NEXT_CANDIDATES`` selects."""
    return _next_links_of(
        _NEXT_CANDIDATES(root) if isinstance(getattr(root, "tag", None), str) else [], page
    )


def _next_links_of(anchors: Iterable[Any], page: Page) -> list[Link]:
    """The next links among ``anchors`` (in page order)."""
    hrefs: list[str] = []
    for a in anchors:
        href = a.get("href")
        if href is None:
            continue
        if a.get("id") in ("sogou_next", "ajax_next_page") or (
            _NEXT in ("".join(a.itertext()) if len(a) else a.text or "")
            and (
                class_holds(a.get("class") or "", "np")
                or any(p.get("id") == "pagebar_container" for p in a.iterancestors())
            )
        ):
            hrefs.append(href)
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_sogou_host(url)]
