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
    has_class,
    host_is,
    host_of,
    http_url,
    outermost,
    own_pages_apart,
    page_attrs,
)

_BLOCK_CLASSES = ("result", "result-op", "c-container", "c-result", "EC_result")
"""Whole class names of a result block, in every layout (``EC_result`` is an ad); a block
may also be marked by an ``mu`` attribute or an ad's ``id`` 300x."""

_AD_BADGES = ("广告", "推广", "品牌广告", "商业推广")
_BADGE_XPATH = etree.XPath(
    "descendant::*[self::span or self::a or self::div or self::i]["
    + " or ".join(f"normalize-space(.)='{badge}'" for badge in _AD_BADGES)
    + "]",
    smart_strings=False,
)
"""A block's "广告" / "推广" badges (every badge holds 广)."""


_SNIPPET_CLASSES = (("c-abstract",), (), (), ("c-span-last",), ("c-line-clamp3", "c-line-clamp2"))
"""The snippet's places, in the order they are tried: ``.c-abstract``, a class holding
``content-right_``, ``data-module`` abstract / des, a ``p`` without links in
``.c-span-last``, ``.c-line-clamp3`` / ``.c-line-clamp2``."""
_NOT_SNIPPET = ("c-showurl", "c-tools", "m", "c-title", "t", "c-icons-outer", "c-color-gray")
_SHOWN_TEXT = etree.XPath("descendant::text()[not(ancestor::style)]", smart_strings=False)
_NEXT = "下一页"
_RARE = etree.XPath(
    "//@mu | //@data-tools | //@rl-link-href | //@data-landurl | //@data-tuiguang | //@data-module"
)
"""Attributes few elements have (a union of attribute lists: a test of each element for
any of them takes three times as long)."""
_NEXT_HREFS = etree.XPath(
    "/descendant::a[@href][contains(@class, 'new-nextpage') or contains(., '下一页')]/@href",
    smart_strings=False,
)
"""The next links (下一页 has no white space: ``normalize-space(.)`` holds it when ``.`` does)."""

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
        return engine_extraction(
            self,
            page,
            own_pages_apart(_cards(page), lambda card: _result(card, page), _engine_internal),
            _next_links(page.selector.root, page),
            engine="Baidu",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_baidu_block,
        )


@dataclass
class _Card:
    """A result block and what its fields are read from, found in one walk of the block."""

    block: Any
    anchors: list[Any] = field(default_factory=list)
    """Links with an ``href``, in page order."""
    tools: str = ""
    """The first ``data-tools`` (the block's own first)."""
    rl_link: str = ""
    landurls: list[str] = field(default_factory=list)
    tuiguang: bool = False
    heading: Any = None
    """The first ``h3`` or element whose class holds ``c-title-text``."""
    titles: list[Any] = field(default_factory=list)
    """Elements of class ``c-title``."""
    showurls: list[Any] = field(default_factory=list)
    snippets: tuple[list[Any], ...] = field(default_factory=lambda: ([], [], [], [], []))


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


def _cards(page: Page) -> list[_Card]:
    rare = _rare_attributes(page.selector.root)
    return [_card(block, rare) for block in _blocks(page, rare)]


def _blocks(page: Page, rare: dict[Any, dict[str, str]]) -> list[Any]:
    """The outermost result blocks (``div`` / ``table``) in ``#content_left`` (else
    ``#results``, else the page), found from the page's class, id and ``mu`` values."""
    attrs = page_attrs(page)
    root = page.selector.root
    marked = {
        el
        for el in class_elements(page, *_BLOCK_CLASSES)
        if class_holds(el.get("class"), *_BLOCK_CLASSES)
    }
    marked.update(attrs.elements(_is_ad_id, "300"))
    marked.update(el for el, named in rare.items() if "mu" in named)
    scope = (
        attrs.elements(lambda name, value: name == "id" and value == "content_left", "content_left")
        or attrs.elements(lambda name, value: name == "id" and value == "results", "results")
        or [root]
    )
    blocks: list[Any] = []
    for area in scope:
        blocks.extend(
            el
            for el in area.iter("div", "table")
            if el in marked and el is not area and not any(a in marked for a in el.iterancestors())
        )
    return blocks


def _is_ad_id(name: str, value: str) -> bool:
    return name == "id" and value.startswith("300") and len(value) == 4


def _card(block: Any, rare: dict[Any, dict[str, str]]) -> _Card:
    """What the block's queries selected, from one walk of its elements."""
    card = _Card(block)
    snippets = card.snippets
    spans: list[Any] = []
    tools = rl_link = None
    for el in block.iter(etree.Element):
        named = rare.get(el)
        if named is not None:  # attributes few elements have (the block's own count)
            if tools is None:
                tools = named.get("data-tools")
            if rl_link is None:
                rl_link = named.get("rl-link-href")
            if "data-landurl" in named:
                card.landurls.append(named["data-landurl"])
            if "data-tuiguang" in named:
                card.tuiguang = True
            if el is not block and named.get("data-module") in ("abstract", "des"):
                snippets[2].append(el)
        if el is block:
            continue
        tag = el.tag
        if tag == "a" and el.get("href") is not None:
            card.anchors.append(el)
        value = el.get("class")
        if card.heading is None and (tag == "h3" or (value and "c-title-text" in value)):
            card.heading = el
        if not value:
            continue
        if "tuiguang" in value:
            card.tuiguang = True
        if "content-right_" in value:
            snippets[1].append(el)
        if "c-" not in value:  # every other class looked for holds "c-"
            continue
        if class_holds(value, "c-abstract"):
            snippets[0].append(el)
        if class_holds(value, "c-span-last"):
            spans.append(el)
        if class_holds(value, "c-line-clamp3", "c-line-clamp2"):
            snippets[4].append(el)
        if class_holds(value, "c-title"):
            card.titles.append(el)
        if class_holds(value, "c-showurl"):
            card.showurls.append(el)
    card.tools = tools or ""
    card.rl_link = rl_link or ""
    for span in outermost(spans):
        snippets[3].extend(
            p for p in span.iter("p") if p is not span and next(p.iter("a"), None) is None
        )
    return card


def _rare_attributes(root: Any) -> dict[Any, dict[str, str]]:
    """The ``mu``, ``data-tools``, ``rl-link-href``, ``data-landurl``, ``data-tuiguang`` and
    ``data-module`` values of the page by element: one query, not six lookups per element."""
    found: dict[Any, dict[str, str]] = {}
    if isinstance(getattr(root, "tag", None), str):
        for value in _RARE(root):
            found.setdefault(value.getparent(), {}).setdefault(value.attrname, str(value))
    return found


def _title_anchor(card: _Card) -> Any:
    """The first of ``h3 a``, ``a`` holding an ``h3``, ``.c-title a`` in the block."""
    block = card.block
    for a in card.anchors:
        if _inside(a, block, lambda el: el.tag == "h3"):
            return a
    for a in card.anchors:
        if next(a.iter("h3"), None) is not None:
            return a
    if card.titles:
        titles = set(card.titles)
        return next((a for a in card.anchors if _inside(a, block, titles.__contains__)), None)
    return None


def _inside(el: Any, top: Any, test: Any) -> bool:
    """Whether an element between ``el`` and its ancestor ``top`` (both left out) passes."""
    parent = el.getparent()
    while parent is not None and parent is not top:
        if test(parent):
            return True
        parent = parent.getparent()
    return False


_ATTR_RE = r"""['"]?{key}['"]?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
_ATTR_PATTERNS: dict[str, re.Pattern[str]] = {}


def _js_value(text: str, key: str) -> str:
    """A string value from Baidu's JS-object attributes (``{title:'…',url:'…'}``, JSON or not)."""
    if not text or key not in text:  # most blocks have no such attribute at all
        return ""
    pattern = _ATTR_PATTERNS.get(key)
    if pattern is None:
        pattern = _ATTR_PATTERNS[key] = re.compile(_ATTR_RE.format(key=key))
    match = pattern.search(text)
    if not match:
        return ""
    value = match.group(1) if match.group(1) is not None else match.group(2)
    return value.replace("\\/", "/").strip()


def _result(card: _Card, page: Page) -> SearchResult | None:
    anchor = _title_anchor(card)
    tools = card.tools
    title = ""
    href = ""
    if anchor is not None:
        heading = next(anchor.iter("h3"), None)
        title = element_text_without(anchor if heading is None else heading)
        href = page.urljoin(anchor.get("href", ""))
    title = title or clean_text(_js_value(tools, "title")) or _mobile_title(card)
    if not title:
        return None
    ad = _is_ad(card, href)
    url = _target(card, anchor, tools, page, ad=ad) or href
    if not url or not http_url(url):
        return None
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(card, title), ad=ad)


def _mobile_title(card: _Card) -> str:
    return "" if card.heading is None else element_text_without(card.heading)


def _target(card: _Card, anchor: Any, tools: str, page: Page, *, ad: bool) -> str:
    """The real target the page reveals, or "" (the caller keeps the wrapper)."""
    if ad:
        for value in card.landurls:
            if http_url(value.strip()):
                return value.strip()
        return ""
    block = card.block
    candidates: list[str] = [
        block.get("mu", ""),
        _js_value(block.get("data-log", ""), "mu"),
        _js_value(tools, "url"),
    ]
    if anchor is not None:
        candidates.append(page.urljoin(anchor.get("href", "")))
    candidates.append(page.urljoin(card.rl_link))
    for value in candidates:
        value = value.strip()
        if http_url(value) and not is_baidu_wrapper(value) and not _is_search_page(value):
            return value
    return ""


def _is_search_page(url: str) -> bool:
    """Baidu's own search pages (m.baidu.com/s?word=… on mobile cards): never a target."""
    return is_baidu_host(url) and urlsplit(url).path in ("/s", "/from=0/s", "/sf/vsearch")


def _engine_internal(card: _Card, url: str) -> bool:
    """True when the block leads to one of Baidu's own pages (百科, 知道, video, images …)."""
    if not is_baidu_wrapper(url):
        return is_baidu_host(url)
    shown = clean_text(" ".join(_shown_texts(card.showurls))).replace(" ", "")
    return bool(re.match(r"^(https?://)?([\w-]+\.)*baidu\.com(/|$)", shown, re.IGNORECASE))


def _shown_texts(showurls: list[Any]) -> list[str]:
    """``.//*[…c-showurl…]//text()[not(ancestor::style)]``: the text nodes, each once, of the
    displayed URL elements; read as the element's text pieces where no ``style`` is involved."""
    texts: list[str] = []
    for el in outermost(showurls):
        styled = next(el.iter("style"), None) is not None or any(
            a.tag == "style" for a in el.iterancestors()
        )
        texts.extend(_SHOWN_TEXT(el) if styled else el.itertext())
    return texts


def _is_ad(card: _Card, href: str) -> bool:
    block = card.block
    classes = (block.get("class") or "").lower()
    block_id = block.get("id", "")
    if re.fullmatch(r"300\d", block_id) or re.search(r"(^|\s)ec[_-]", classes):
        return True
    if href and is_baidu_wrapper(href) and urlsplit(href).path != "/link":
        return True
    if card.tuiguang:
        return True
    # every badge holds 广: a block whose text does not has none (nearly every block)
    return "广" in "".join(block.itertext()) and bool(_BADGE_XPATH(block))


def _snippet(card: _Card, title: str) -> str:
    for group in card.snippets:
        for candidate in group:
            text = element_text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    text = element_text_without(card.block, *_NOT_SNIPPET)
    if text.startswith(title):
        text = text[len(title) :].strip()
    return text[:300]


def _next_links(root: Any, page: Page) -> list[Link]:
    hrefs = _NEXT_HREFS(root) if isinstance(getattr(root, "tag", None), str) else []
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_baidu_host(url)]
