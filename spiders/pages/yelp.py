"""Yelp business pages (``/biz/<slug>``), old and current, and search results.

Yelp has stated a business in schema.org since 2013: microdata then (``itemtype=LocalBusiness``
with ``itemprop`` name / address / telephone, ``#bizUrl`` for the website), JSON-LD now
(``LocalBusiness`` / ``Restaurant`` …). The current sidebar also prints "Business website",
"Phone number" and, under "Get Directions", the address; those are read when the JSON-LD
lacks them. The website link is Yelp's ``/biz_redir?url=…`` wrapper, decoded to the
business's own URL. Reviews (also schema.org items, with people in them) are never read as
the business. A search page yields each ``/biz/`` result as a lead with its page as a Link
"detail".
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from parsel import Selector, SelectorList

from leadharvest.items import Lead, Phone
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    attr_index,
    clean_text,
    detect_block,
    text_holds,
)
from spiders.pages.contacts import find_phones
from spiders.pages.structured import apply_postal_address, jsonld_documents

YELP_DOMAINS = ("yelp.com", "yelp.ca", "yelp.co.uk", "yelpcdn.com")
_BUSINESS_TYPES = ("LocalBusiness", "Restaurant", "Store", "Organization", "Business", "Service")
_NO_RESULT_RE = re.compile(r"no results for|we couldn.t find|no businesses found", re.I)


class YelpPage(PageParser):
    """Yelp business pages and search results."""

    name = "yelp"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        lead = _microdata(page) or _jsonld(page)
        if lead is None and "/biz/" in page.url:
            lead = Lead(name=_heading(page.selector), country="US")
        if lead is not None and lead.name:
            _sidebar(lead, page)
            if lead.phones or lead.address_raw or lead.website:
                links = [Link(lead.website, "website", lead.name)] if lead.website else []
                return self.result("ok", leads=[lead], links=links)
        leads, links = _search_results(page)
        if leads:
            return self.result("ok", leads=leads, links=links)
        blocked = detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        if _NO_RESULT_RE.search(page.visible_text[:20000]):
            return self.result("no_results", reason="Yelp found no businesses")
        return self.result("no_results", reason="no business recognised on the page")


def _microdata(page: Page) -> Lead | None:
    """The 2010s page: the first LocalBusiness item (not one nested in a review)."""
    if page.root is None:
        return _microdata_by_query(page)
    props = _props(page)
    reviews = {el for value, el in props if value == "review"}
    holders = {  # elements with a telephone or an address below them
        above for value, el in props if value in ("telephone", "address") for above in _up(el)
    }
    item = next(
        (
            el
            for el in (a.getparent() for a in _ITEMSCOPES(page.root))
            if el in holders
            and "schema.org/" in (itemtype := el.get("itemtype") or "")
            and el.get("itemprop") != "review"
            and not _under(el, reviews)
            and any(t in itemtype for t in _BUSINESS_TYPES)
        ),
        None,
    )
    if item is None:
        return None

    def below(prop: str) -> Iterator[Any]:
        """The item's elements of this ``itemprop``, outside reviews."""
        for value, el in props:
            if value == prop and item in _up(el) and not _under(el, reviews):
                yield el

    name_el = next(
        (el for value, el in props if value == "name" and item in _up(el)),
        None,
    )
    name = clean_text(" ".join(_TEXTS(name_el))) if name_el is not None else ""
    lead = Lead(name=name or _heading(page.selector), country="US")
    for tel in below("telephone"):
        _add_phone(lead, clean_text(" ".join(_TEXTS(tel))) or tel.get("content", ""))
    address = next(below("address"), None)
    if address is not None:
        parts = {
            key: clean_text(" ".join(_PROP_TEXTS(address, key=key)))
            for key in ("streetAddress", "addressLocality", "addressRegion", "postalCode")
        }
        _set_address(lead, parts, lambda: _TEXTS(address))
    lead.products = "; ".join(clean_text(t) for t in _category_texts(page) if clean_text(t))
    return lead


def _microdata_by_query(page: Page) -> Lead | None:
    """:func:`_microdata` for a page parsel reads itself (XML text): its queries as such."""
    found = page.selector.xpath(
        "//*[@itemscope][contains(@itemtype, 'schema.org/')]"
        "[not(ancestor::*[@itemprop='review'])][not(@itemprop='review')]"
        "[.//*[@itemprop='telephone'] or .//*[@itemprop='address']]"
    )
    scope = [
        s for s in found if any(t in (s.attrib.get("itemtype") or "") for t in _BUSINESS_TYPES)
    ]
    if not scope:
        return None
    item = scope[0]
    name = clean_text(" ".join(item.xpath("(.//*[@itemprop='name'])[1]//text()").getall()))
    lead = Lead(name=name or _heading(page.selector), country="US")
    for tel in item.xpath(".//*[@itemprop='telephone'][not(ancestor::*[@itemprop='review'])]"):
        _add_phone(
            lead,
            clean_text(" ".join(tel.xpath(".//text()").getall())) or tel.attrib.get("content", ""),
        )
    address = item.xpath(".//*[@itemprop='address'][not(ancestor::*[@itemprop='review'])]")[:1]
    if address:
        parts = {
            key: clean_text(" ".join(address.xpath(f".//*[@itemprop='{key}']//text()").getall()))
            for key in ("streetAddress", "addressLocality", "addressRegion", "postalCode")
        }
        _set_address(lead, parts, lambda: address.xpath(".//text()").getall())
    lead.products = "; ".join(clean_text(t) for t in _category_texts(page) if clean_text(t))
    return lead


def _set_address(lead: Lead, parts: dict[str, str], texts: Callable[[], list[str]]) -> None:
    """The address from its parts; the item's whole text (``texts``) when it has none."""
    tail = " ".join(p for p in (parts["addressRegion"], parts["postalCode"]) if p)
    lead.address_raw = ", ".join(
        p for p in (parts["streetAddress"], parts["addressLocality"], tail) if p
    )
    if not lead.address_raw:
        lead.address_raw = clean_text(" ".join(texts()))
    lead.city, lead.region, lead.postcode = (
        parts["addressLocality"],
        parts["addressRegion"],
        parts["postalCode"],
    )


def _props(page: Page) -> list[tuple[str, Any]]:
    """Every ``itemprop`` value of the page with its element, in document order.

    Listing the attributes is one walk in C; the queries it replaces (``//*[@itemprop=…]``
    with ancestor and descendant tests) walked the page's elements one query each.
    """
    return [(str(a), a.getparent()) for a in _ITEMPROPS(page.root)]


def _up(el: Any) -> Iterator[Any]:
    """``el``'s ancestors, nearest first (XPath's ``ancestor::*``)."""
    return el.iterancestors()  # type: ignore[no-any-return]


def _under(el: Any, ancestors: set[Any]) -> bool:
    """Whether one of ``el``'s ancestors is in ``ancestors``."""
    return bool(ancestors) and any(above in ancestors for above in _up(el))


_ITEMPROPS = etree.XPath("//@itemprop")
_ITEMSCOPES = etree.XPath("//@itemscope")
_TEXTS = etree.XPath(".//text()", smart_strings=False)
_PROP_TEXTS = etree.XPath(".//*[@itemprop=$key]//text()", smart_strings=False)


_CATEGORIES = (
    "//*[@id='cat_display']//a//text() | //*[contains(@class, 'category-str-list')]//a//text()"
)


def _category_texts(page: Page) -> list[str]:
    """What ``_CATEGORIES`` selects: the category block is found from the page's id and
    class values (the query tested every element's class); one block's links' texts are the
    answer, and with several (one may hold another) the query itself decides. The class
    values are listed only when the markup may spell the class (most pages do not)."""
    if page.root is None:
        return page.selector.xpath(_CATEGORIES).getall()
    if _spelled(page, "category-str-list"):
        blocks = attr_index(page, "id", "class").elements(
            lambda name, value: (
                value == "cat_display" if name == "id" else "category-str-list" in value
            ),
            "cat_display",
            "category-str-list",
        )
    else:
        blocks = _with_id(page, "cat_display")
    if len(blocks) > 1:
        return page.selector.xpath(_CATEGORIES).getall()
    return [str(t) for block in blocks for t in _LINK_TEXTS(block)]


def _with_id(page: Page, value: str) -> list[Any]:
    """The page's elements with this ``id``, in document order (``//*[@id=…]``): the page's
    ``id`` values are listed once, which is cheaper than one element test per query."""
    ids = page.memo("yelp_ids", lambda: [(str(a), a.getparent()) for a in _IDS(page.root)])
    return [el for v, el in ids if v == value]


def _spelled(page: Page, piece: str) -> bool:
    """Whether the page's markup may spell ``piece`` (letters, digits, ``-`` and ``_``) in one
    attribute value or one text node, so a query that needs one to hold it can be skipped.

    Such a value is a run of the page's text, but for the characters a numeric character
    reference (``&#99;``) gives (a named entity of the parser's HTML 4 set gives none of
    these) and for NULs, which the parse drops.
    """
    if piece in page.text or page.memo("yelp_nul", lambda: "\x00" in page.text):
        return True  # (the NUL scan is a whole-page pass: once per page)
    return not page.memo("yelp_char_refs", lambda: _char_refs(page.text)).isdisjoint(piece)


def _char_refs(text: str) -> set[str]:
    """The characters the numeric character references in ``text`` stand for (an
    unreadable one for any character). A page repeats a few references (``&#39;``) many
    times: each is converted once, whichever comes first (the answer is a set)."""
    chars: set[str] = set()
    for hex_digits, digits in set(_CHAR_REF_RE.findall(text)):  # each reference once
        try:
            chars.add(chr(int(hex_digits, 16) if hex_digits else int(digits)))
        except (ValueError, OverflowError):
            return set(string.printable)
    return chars


_IDS = etree.XPath("//@id")
_CHAR_REF_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)


def _jsonld(page: Page) -> Lead | None:
    for node in _jsonld_nodes(page):
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(isinstance(k, str) and k.endswith(_BUSINESS_TYPES) for k in kinds):
            continue
        name = clean_text(str(node.get("name") or ""))
        if not name:
            continue
        lead = Lead(name=name, country="US")
        if node.get("telephone"):
            _add_phone(lead, str(node["telephone"]))
        address = node.get("address")
        apply_postal_address(address, lead)
        country = address.get("addressCountry") if isinstance(address, dict) else None
        if isinstance(country, str) and len(country) == 2:
            lead.country = country.upper()
        category = node.get("servesCuisine") or node.get("category")
        if isinstance(category, str):
            lead.products = clean_text(category)
        return lead
    return None


def _jsonld_nodes(page: Page) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for data in jsonld_documents(page):
        stack: list[Any] = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, dict):
                nodes.append(node)
                stack.extend(node.get("@graph") or [])
    return nodes


def _sidebar(lead: Lead, page: Page) -> None:
    """The current page's "Business website" / "Phone number" / "Get Directions" blocks."""
    if page.root is not None and not _spelled(page, "website"):
        website = _biz_url(page)  # the label (one text node) is not on the page
    else:
        website = _query(page, _WEBSITE_LABELLED, "website", unless=_WEBSITE_ID).get()
    if website and not lead.website:
        lead.website = _decode_redirect(page.urljoin(website))
    if not lead.phones:
        text = clean_text(" ".join(_query(page, _PHONE_LABELLED, "number").getall()))
        for phone in find_phones(text):
            _add_phone(lead, phone.raw)
    if not lead.address_raw:
        lead.address_raw = clean_text(
            " ".join(_query(page, _DIRECTIONS_LABELLED, "Directions").getall())
        )


_WEBSITE_ID = "//*[@id='bizUrl']//a/@href"
_WEBSITE_LABELLED = (
    f"{_WEBSITE_ID}"
    " | //*[normalize-space(text())='Business website']/following-sibling::*[1]//a/@href"
    " | //*[normalize-space(text())='Business website']/following::a[1]/@href"
)
_PHONE_LABELLED = "//*[normalize-space(text())='Phone number']/following-sibling::*[1]//text()"
_DIRECTIONS_LABELLED = (
    "//a[normalize-space(.)='Get Directions']/following-sibling::*[1]//text()"
    " | //a[normalize-space(.)='Get Directions']/../following-sibling::*[1]//text()"
)


def _query(page: Page, query: str, word: str, *, unless: str = "") -> SelectorList[Selector]:
    """``query``, whose label branches need a text that spells ``word``: when no text of the
    page does, they select nothing and only ``unless`` (the branches without a label) runs.

    Each label branch normalises the text of every element of the page, the slowest of
    the sidebar's queries; most pages do not have the label at all.
    """
    if page.root is not None and not text_holds(page, word):
        return page.selector.xpath(unless) if unless else SelectorList([])
    return page.selector.xpath(query)


def _biz_url(page: Page) -> str | None:
    """What ``_WEBSITE_ID`` selects first, from the page's ``id`` values."""
    blocks = _with_id(page, "bizUrl")
    if len(blocks) > 1:
        return page.selector.xpath(_WEBSITE_ID).get()
    return next((str(h) for block in blocks for h in _HREFS(block)), None)


_HREFS = etree.XPath(".//a/@href", smart_strings=False)


def _search_results(page: Page) -> tuple[list[Lead], list[Link]]:
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    for anchor in page.selector.xpath(
        "//h3//a[contains(@href, '/biz/')] | //h4//a[contains(@href, '/biz/')]"
    ):
        url = page.urljoin(anchor.attrib["href"]).split("?")[0]
        name = clean_text(" ".join(anchor.xpath(".//text()").getall()))
        name = re.sub(r"^\d+\.\s*", "", name)
        if not name or url in leads:
            continue
        lead = Lead(name=name, country="US")
        card = anchor.xpath("ancestor::*[.//*[starts-with(@href, 'tel:')] or self::li][1]")
        if card:
            for tel in card.xpath(".//a[starts-with(@href, 'tel:')]//text()").getall():
                _add_phone(lead, clean_text(tel))
        leads[url] = lead
        links.append(Link(url, "detail", name))
    href = page.selector.xpath(
        "//a[contains(@class, 'next')]/@href | //link[@rel='next']/@href"
    ).get()
    if leads and href:
        links.append(Link(page.urljoin(href), "next"))
    return list(leads.values()), links


def _heading(sel: Selector) -> str:
    return clean_text(" ".join(sel.xpath("(//h1)[1]//text()").getall()))


def _decode_redirect(url: str) -> str:
    """``/biz_redir?url=http%3A%2F%2Fwww.example.com&…`` → ``http://www.example.com``."""
    parts = urlsplit(url)
    if parts.path.endswith("biz_redir") or (parts.hostname or "").endswith(YELP_DOMAINS):
        target = parse_qs(parts.query).get("url", [""])[0]
        return target if target.startswith("http") else ""
    return url


def _add_phone(lead: Lead, raw: str) -> None:
    raw = clean_text(raw)
    digits = re.sub(r"\D", "", raw)
    if len(digits) >= 7 and all(re.sub(r"\D", "", p.raw) != digits for p in lead.phones):
        lead.phones.append(Phone(raw=raw, label="tel"))
