"""Bing's results page (www.bing.com, cn.bing.com), with or without JavaScript.

* Organic results: top-level ``li.b_algo`` (``h2 a`` title; snippet in ``p.b_lineclamp*`` /
  ``.b_algoSlug`` today, ``.b_caption p`` in older and no-JS pages). ``b_algo`` blocks nested
  in answers ("People also ask") are quotes of results, not results, and are skipped.
* Ads: each ``.sb_add`` inside ``li.b_ad`` (top, bottom or side bar), and any ``b_algo``
  that carries the ``b_adSlug`` "Ad" badge.
* Links are wrapped (``bing.com/ck/a?…&u=a1<base64url>``, ads ``bing.com/aclick?…&u=…``);
  :func:`spiders.pages.serp.decode_redirect` restores the target.
* Ranks: organic 1..n and ads 1..m, counted separately in page order (ads never push an
  organic result down); positions on this page only.
* Local answer (map pack, hotel cards): each business with a name and an address or phone
  becomes a :class:`Lead` (raw values; the card's "Website" button becomes its website and
  a ``website`` link).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList

from leadharvest.items import Lead, Phone, SearchResult
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    as_selectors,
    attr_index,
    class_tokens,
    clean_text,
    descendant_steps,
    detect_block,
    document_position,
    marker_reason,
    nearest_above,
)
from spiders.pages.serp import (
    class_holds,
    decode_redirect,
    element_text_without,
    has_class,
    inside_tag,
    is_engine_url,
    rank_results,
    result_links,
    text_without,
)

_BADGES = ("algoSlug_icon", "b_adSlug")
"""Badge elements inside snippet paragraphs ("WEB", "Ad"): not part of the snippet."""

_SNIPPET_XPATHS = (
    f".//p[contains(@class, 'b_lineclamp') or {has_class('b_algoSlug')}]",
    f".//*[{has_class('b_caption')}]//p[not({has_class('b_secondaryText')})]",
    f".//*[{has_class('b_snippet')} or {has_class('b_paractl')} or {has_class('b_dList')}]",
    f".//*[{has_class('b_caption')}]",
)

BING_BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("turing/captcha", "Bing captcha"),
    ("one last step", "Bing challenge"),
    ("please solve the challenge below", "Bing challenge"),
    ("verify that you are human", "Bing challenge"),
    ("captcha-container", "Bing captcha"),
)
"""Bing's own challenge page, checked (like :func:`detect_block`) only when no result parsed."""

_NO_RESULTS_RE = re.compile(
    r"no results|没有与此相关的结果|没有找到|未找到"
    r"|keine ergebnisse|aucun résultat|no hay resultados",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/]{6,}$")
_ADDRESS_RE = re.compile(r"\d.*,|,.*\d")


class BingPage(PageParser):
    """A Bing web results page."""

    name = "bing"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        results = rank_results([*_organic(sel, page), *_ads(sel, page)])
        leads, website_links = _local_leads(sel, page)
        links = [*result_links(results), *website_links, *_next_links(sel, page)]
        no_text = " ".join(text_without(no) for no in _no_results_items(sel, page))
        if results or leads:
            if _NO_RESULTS_RE.search(no_text):
                # "There are no results for X", then results for a looser query: they stay
                # on record, but the query itself found nothing.
                reason = f"{no_text[:200]} (results shown are for a looser query)"
                return self.result(
                    "no_results", search_results=results, leads=leads, links=links, reason=reason
                )
            return self.result("ok", search_results=results, leads=leads, links=links)
        blocked = detect_block(page) or _bing_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        if no_text:
            return self.result("no_results", reason=no_text[:200])
        return self.result("no_results", reason="no Bing result blocks on the page")


def _bing_block(page: Page) -> str:
    return marker_reason(page.text, BING_BLOCK_MARKERS)


def _query(query: str) -> Any:
    """``query`` compiled once, run on lxml elements (a result block's few queries, without
    wrapping each node found as a selector)."""
    return etree.XPath(descendant_steps(query), smart_strings=False)


_TITLE_ANCHORS = tuple(
    _query(xpath)
    for xpath in (".//h2//a[@href]", ".//a[@href][.//h2]", ".//h3//a[@href]", ".//a[@href][.//h3]")
)
_HEADING = _query("(.//h2 | .//h3)[1]")
_SNIPPETS = tuple(_query(xpath) for xpath in _SNIPPET_XPATHS)
_AD_BADGE = _query(f".//*[{has_class('b_adSlug')}]")


def _title_anchor(block: Any) -> Any | None:
    """The result's title link: ``h2 a`` (also ``a > h2`` in some layouts), else ``h3``."""
    for query in _TITLE_ANCHORS:
        anchors = query(block)
        if anchors:
            return anchors[0]
    return None


def _title(anchor: Any) -> str:
    heading = _HEADING(anchor)
    return element_text_without(heading[0] if heading else anchor)


class _Block:
    """What a result block's queries select (``_TITLE_ANCHORS``, ``_SNIPPETS``, ``_AD_BADGE``),
    read in one walk of its elements.

    A block is a few dozen elements; its six or so XPath queries cost about 7 us each to set
    up and run, where one walk reading each element's tag and class costs less than all of
    them together, and each answer is then a list already in page order.
    """

    __slots__ = ("anchors", "badge", "h2", "h3", "snippets")

    def __init__(self, block: Any) -> None:
        anchors: list[Any] = []
        captions: set[Any] = set()
        snippets: tuple[list[Any], ...] = ([], [], [], [])
        badge = h2 = h3 = False
        elements = block.iter(etree.Element)
        next(elements)  # the block itself: every query reads below it
        for el in elements:
            tag = el.tag
            value = el.get(b"class")  # a bytes name is looked up without encoding it
            if tag == "a":
                if el.get(b"href") is not None:
                    anchors.append(el)
            elif tag == "p":
                if value and ("b_lineclamp" in value or class_holds(value, "b_algoSlug")):
                    snippets[0].append(el)
                if (
                    captions
                    and not (value and class_holds(value, "b_secondaryText"))
                    and _inside(el, block, captions)
                ):
                    snippets[1].append(el)
            elif tag == "h2":
                h2 = True
            elif tag == "h3":
                h3 = True
            if value and "b_" in value:  # every class looked for here starts so
                if class_holds(value, "b_snippet", "b_paractl", "b_dList"):
                    snippets[2].append(el)
                if class_holds(value, "b_caption"):
                    snippets[3].append(el)
                    captions.add(el)
                if not badge and class_holds(value, "b_adSlug"):
                    badge = True
        self.anchors = anchors
        self.badge = badge
        self.h2 = h2
        self.h3 = h3
        self.snippets = snippets

    def title_anchor(self, block: Any) -> Any | None:
        """:func:`_title_anchor`: the first of ``.//h2//a[@href]``, ``.//a[@href][.//h2]``,
        ``.//h3//a[@href]``, ``.//a[@href][.//h3]`` that selects a link."""
        for heading, present in (("h2", self.h2), ("h3", self.h3)):
            if not present:
                continue
            for a in self.anchors:
                if inside_tag(a, block, heading):
                    return a
            for a in self.anchors:
                if next(a.iter(heading), None) is not None:
                    return a
        return None

    def snippet(self) -> str:
        """:func:`_snippet` from the candidates the walk found."""
        for group in self.snippets:
            for candidate in group:
                text = element_text_without(candidate, *_BADGES, "b_attribution", "b_factrow")
                if text:
                    return text
        return ""


def _inside(el: Any, top: Any, holders: set[Any]) -> bool:
    """Whether an element between ``el`` and its ancestor ``top`` (both left out) is one of
    ``holders``."""
    parent = el.getparent()
    while parent is not None and parent is not top:
        if parent in holders:
            return True
        parent = parent.getparent()
    return False


def _heading_title(anchor: Any) -> str:
    """:func:`_title`: the text of the anchor's first ``h2`` or ``h3`` (``(.//h2 | .//h3)[1]``),
    else of the anchor itself."""
    heading = next((el for el in anchor.iter("h2", "h3") if el is not anchor), None)
    return element_text_without(anchor if heading is None else heading)


def _result(block: Any, page: Page, *, ad: bool | None) -> SearchResult | None:
    """One result from a block (an lxml element), or None when it has no title link to a web
    page. ``ad`` None: an ad when the block holds a ``b_adSlug`` badge."""
    survey = _Block(block)
    anchor = survey.title_anchor(block)
    if anchor is None:
        return None
    title = _heading_title(anchor)
    url = decode_redirect(page.urljoin(anchor.get("href")))
    if not title or not url.lower().startswith(("http://", "https://")):
        return None
    return SearchResult(
        rank=0,
        url=url,
        title=title,
        snippet=survey.snippet(),
        ad=survey.badge if ad is None else ad,
    )


def _snippet(block: Any) -> str:
    for query in _SNIPPETS:
        for candidate in query(block):
            text = element_text_without(candidate, *_BADGES, "b_attribution", "b_factrow")
            if text:
                return text
    return ""


_NOT_NESTED = (
    f"[not(ancestor::*[{has_class('b_ans')} or {has_class('b_algo')} or {has_class('b_ad')}])]"
)
_ORGANIC_BLOCKS = tuple(f"//li[{has_class(cls)}]{_NOT_NESTED}" for cls in ("b_algo", "sa_wr"))
"""The organic result blocks, as XPath (``sa_wr``: Bing's pre-2013 markup); what
:func:`_organic_blocks` selects."""


def _organic(sel: Selector, page: Page) -> list[SearchResult]:
    found: list[SearchResult] = []
    for element in _organic_blocks(sel, page):
        result = _result(element, page, ad=None)
        if result is not None:
            found.append(result)
    return found


def _organic_blocks(sel: Selector, page: Page) -> list[Any]:
    """The first of ``_ORGANIC_BLOCKS`` that selects any, read from the page's class index
    when ``sel`` is the page's own selector: the ``li`` of the class whose ancestors have
    none of the three classes (the query tested the class of every ``li`` of the page)."""
    if not page.owns(sel) or page.root is None:
        for query in _ORGANIC_BLOCKS:
            found = sel.xpath(query)
            if found:
                return [block.root for block in found]
        return []
    memo: dict[Any, bool] = {}
    for cls in ("b_algo", "sa_wr"):
        blocks = [
            el
            for el in _classed(page, cls)
            if el.tag == "li" and not _under_marked(el, _nesting, memo)
        ]
        if blocks:
            return blocks
    return []


def _nesting(value: str) -> bool:
    return class_holds(value, "b_ans", "b_algo", "b_ad")


def _in_ad(value: str) -> bool:
    return "b_ad" in class_tokens(value)


def _under_marked(el: Any, marked: Callable[[str], bool], memo: dict[Any, bool]) -> bool:
    """Whether a proper ancestor of ``el`` has a ``class`` value ``marked`` accepts.

    ``memo`` (one per test): the result blocks of a page share their parent list, so each
    climb stops where an earlier one passed (:func:`nearest_above`)."""
    return nearest_above(
        el, lambda parent: True if marked(parent.get("class") or "") else None, memo, False
    )


def _no_results_items(sel: Selector, page: Page) -> list[Selector]:
    """``//li[has_class('b_no')]``: the "no results for …" notices."""
    if not page.owns(sel) or page.root is None:
        return list(sel.xpath(f"//li[{has_class('b_no')}]"))
    return as_selectors(el for el in _classed(page, "b_no") if el.tag == "li")


_AD_CONTAINERS = f"//*[{has_class('b_ad')}][not(ancestor::*[{has_class('b_ad')}])]"
_LOOSE_ADS = f"//*[{has_class('sb_add')}][not(ancestor::*[{has_class('b_ad')}])]"


def _ad_blocks(sel: Selector, page: Page | None = None) -> list[Selector]:
    """One block per ad: the ``.sb_add`` items of each ``b_ad`` container (else its list items
    with a heading link, else the container itself), plus any ``.sb_add`` outside one."""
    blocks: list[Selector] = []
    for container in _outside_ads(sel, page, "b_ad", _AD_CONTAINERS):
        inner = container.xpath(f".//*[{has_class('sb_add')}]")
        if not inner:
            inner = container.xpath(".//li[.//h2//a[@href]]")
        blocks.extend(inner or [container])
    blocks.extend(_outside_ads(sel, page, "sb_add", _LOOSE_ADS))
    return blocks


_SB_ADDS = _query(f".//*[{has_class('sb_add')}]")
_AD_ITEMS = _query(".//li[.//h2//a[@href]]")


def _ad_elements(sel: Selector, page: Page | None = None) -> list[Any]:
    """:func:`_ad_blocks` as lxml elements, each container's queries run on its element (no
    selector for each block found)."""
    blocks: list[Any] = []
    for container in _outside_ads(sel, page, "b_ad", _AD_CONTAINERS):
        root = container.root
        blocks.extend(_SB_ADDS(root) or _AD_ITEMS(root) or [root])
    blocks.extend(loose.root for loose in _outside_ads(sel, page, "sb_add", _LOOSE_ADS))
    return blocks


def _outside_ads(sel: Selector, page: Page | None, cls: str, query: str) -> list[Selector]:
    """What ``query`` selects, the elements of class ``cls`` in no ``b_ad`` element, read from
    the page's class index when ``sel`` is the page's own selector."""
    if page is None or not page.owns(sel) or page.root is None:
        return list(sel.xpath(query))
    memo: dict[Any, bool] = {}
    return as_selectors(el for el in _classed(page, cls) if not _under_marked(el, _in_ad, memo))


def _classed(page: Page, cls: str) -> list[Any]:
    """The elements with the whole class name ``cls`` (XPath ``has_class``), in page order."""
    return attr_index(page, "class").elements(lambda _, value: cls in class_tokens(value), cls)


def _ads(sel: Selector, page: Page) -> list[SearchResult]:
    found: list[SearchResult] = []
    for block in _ad_elements(sel, page):
        result = _result(block, page, ad=True)
        if result is not None:
            found.append(result)
    return found


_NEXT_HREFS = (
    f"//a[{has_class('sb_pagN')} or @title='Next page' or @title='下一页'"
    " or @aria-label='Next page' or @aria-label='下一页']/@href"
)
"""The next-page links' targets, as XPath (what :func:`_next_hrefs` reads)."""
_LABELLED_NEXT = etree.XPath(
    "//@title[.='Next page' or .='下一页']/parent::a"
    " | //@aria-label[.='Next page' or .='下一页']/parent::a"
)
_PAGE_ORDER = etree.XPath("$nodes | $nodes")
"""Elements of one page in document order (libxml2 sorts a union)."""


def _next_hrefs(sel: Selector, page: Page) -> list[str]:
    """``_NEXT_HREFS``: the ``sb_pagN`` links come from the page's class index and the
    labelled ones from the page's ``title`` / ``aria-label`` values (the query tested each
    link's class and labels), merged into page order."""
    if not page.owns(sel) or page.root is None:
        return list(sel.xpath(_NEXT_HREFS).getall())
    links = [el for el in _classed(page, "sb_pagN") if el.tag == "a"]
    labelled = _LABELLED_NEXT(page.root)
    if labelled:
        links = _PAGE_ORDER(page.root, nodes=[*links, *labelled])
    return [href for el in links if (href := el.get("href")) is not None]


def _next_links(sel: Selector, page: Page) -> list[Link]:
    hrefs = _next_hrefs(sel, page)
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls)]


_LOCAL_CARD_CLASSES = ("b_scard", "lc_content", "entityContent")
_LOCAL_CARDS = (
    f"//*[{has_class('b_scard')} or {has_class('lc_content')} or {has_class('entityContent')}"
    " or @data-ypid][.//h2]"
)


def _local_cards(sel: Selector, page: Page) -> SelectorList[Selector]:
    """What ``_LOCAL_CARDS`` selects, from the page's class and ``data-ypid`` indexes (the
    query tests four classes on every element of a 250 kB page)."""
    if not page.owns(sel) or page.root is None:
        return sel.xpath(_LOCAL_CARDS)
    index = attr_index(page, "class")
    classed = index.elements(
        lambda _, value: any(c in _LOCAL_CARD_CLASSES for c in class_tokens(value)),
        *_LOCAL_CARD_CLASSES,
    )
    listed = attr_index(page, "data-ypid").values
    if listed:  # a few more, merged into page order
        classed = _in_page_order({*classed, *(value.getparent() for value in listed)})
    return as_selectors(el for el in classed if next(el.iterdescendants("h2"), None) is not None)


def _in_page_order(elements: Iterable[Any]) -> list[Any]:
    """A few elements in document order."""
    return sorted(elements, key=document_position)


_CARD_NAME = _query("(.//h2)[1]//text()")
_CARD_WEBSITES = _query(
    f".//a[.//*[{has_class('ibsb_web')}]]/@href"
    " | .//a[translate(@aria-label, 'WEBSIT', 'websit')='website']/@href"
)
_CARD_ADDRESS = _query(f"(.//*[{has_class('b_address')}])[1]//text()")
_CARD_TITLES = _query(f".//*[{has_class('b_factrow')}]//span/@title")
_CARD_TELS = _query(".//a[starts-with(@href, 'tel:')]/@href")
_CARD_NOWRAPS = _query(f".//*[{has_class('b_factrow')}]//span[{has_class('nowrap')}]")
_TEXTS = _query(".//text()")


def _local_leads(sel: Selector, page: Page) -> tuple[list[Lead], list[Link]]:
    """Businesses of the local answer: cards with a name (``h2``) and an address or phone.

    A card's queries run on its element and return plain strings: through its selector each
    text node found became a selector of its own (a dozen queries a card, a few hundred
    text nodes a page)."""
    leads: dict[str, Lead] = {}
    for card in _local_cards(sel, page):
        element = card.root
        name = clean_text("".join(_CARD_NAME(element)))
        if not name or name in leads:
            continue
        lead = _card_lead(element, name, page)
        if lead is not None:
            leads[name] = lead
    links = [
        Link(url=lead.website, kind="website", lead_name=lead.name)
        for lead in leads.values()
        if lead.website
    ]
    return list(leads.values()), links


def _card_lead(card: Any, name: str, page: Page) -> Lead | None:
    """The business ``name`` a card (an lxml element) shows, or None without an address and
    a phone."""
    address = _element_address(card)
    phones = _element_phones(card)
    if not address and not phones:
        return None
    website = ""
    for href in _CARD_WEBSITES(card):
        url = decode_redirect(page.urljoin(href))
        if url.startswith(("http://", "https://")) and not is_engine_url(url):
            website = url
            break
    return Lead(
        name=name, address_raw=address, phones=[Phone(raw=p) for p in phones], website=website
    )


def _element_address(card: Any) -> str:
    """:func:`_card_address` of the card's element."""
    text = clean_text("".join(_CARD_ADDRESS(card)))
    if text:
        return text
    for title in _CARD_TITLES(card):
        title = clean_text(title)
        if _ADDRESS_RE.search(title) and not re.search(r"\(\d", title):
            return title
    return ""


def _element_phones(card: Any) -> list[str]:
    """:func:`_card_phones` of the card's element."""
    phones = [clean_text(href[4:]) for href in _CARD_TELS(card)]
    for text in _CARD_NOWRAPS(card):
        value = clean_text("".join(_TEXTS(text)))
        if _PHONE_RE.match(value) and sum(ch.isdigit() for ch in value) >= 6:
            phones.append(value)
    return list(dict.fromkeys(p for p in phones if p))


def _card_address(card: Selector) -> str:
    """``.b_address`` text, else a fact-row ``span[title]`` that reads like an address (the
    hotel cards show only the city and keep the street address in the title)."""
    text = clean_text("".join(card.xpath(f"(.//*[{has_class('b_address')}])[1]//text()").getall()))
    if text:
        return text
    for title in card.xpath(f".//*[{has_class('b_factrow')}]//span/@title").getall():
        title = clean_text(title)
        if _ADDRESS_RE.search(title) and not re.search(r"\(\d", title):
            return title
    return ""


def _card_phones(card: Selector) -> list[str]:
    phones: list[str] = []
    for href in card.xpath(".//a[starts-with(@href, 'tel:')]/@href").getall():
        phones.append(clean_text(href[4:]))
    for text in card.xpath(f".//*[{has_class('b_factrow')}]//span[{has_class('nowrap')}]"):
        value = clean_text("".join(text.xpath(".//text()").getall()))
        if _PHONE_RE.match(value) and sum(ch.isdigit() for ch in value) >= 6:
            phones.append(value)
    return list(dict.fromkeys(p for p in phones if p))
