"""IndiaMART category (``dir.indiamart.com/impcat/...``) and search (``search.mp``) pages.

Every card is one product with its supplier: company name, city and full address, and an
IndiaMART call-routing number (``pns_h``, sometimes with an extension after a comma). A
supplier with several products shows several cards; the card's ``data-glid`` is IndiaMART's
supplier id, so cards are merged on it and the products listed together. The company link
goes either to the supplier's IndiaMART catalogue (a page to follow for more details) or to
its own website; tracking parameters are dropped from both. Only card contents are read, so
IndiaMART's own helpline in the page chrome never becomes a supplier's phone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from leadharvest.items import Lead, Phone
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    detect_block,
    split_plain,
    url_host,
)
from spiders.pages.contacts import is_masked
from spiders.pages.links import url_domain

_GRANDPARENT = etree.XPath("../..")
_PRODUCT = etree.XPath(
    ".//*[contains(@class, 'producttitle')]//a//text() | .//*[contains(@class, 'prd-name')]//text()"
)
_DUET = etree.XPath(
    "descendant::*[contains(@class, 'contactnumber')]"
    "/descendant::*[contains(@class, 'duet')]/descendant::text()"
)  # ``.//*[…]//*[…]//text()`` without the node sets ``//`` builds first
_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")
_NO_RESULT_RE = re.compile(r"\b(no results? found|no matching|did not match any|0 results)\b", re.I)


class IndiaMartPage(PageParser):
    """Listing cards of IndiaMART, one lead per supplier."""

    name = "indiamart"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        suppliers: dict[str, Lead] = {}
        products: dict[str, list[str]] = {}
        links: dict[str, list[Link]] = {}
        cards, next_href = _cards(page.selector.root)
        for card, marks in cards.items():
            lead, lead_links, product, key = self._card(card, marks, page)
            if not lead.name:
                continue
            if key not in suppliers:
                suppliers[key], products[key], links[key] = lead, [], lead_links
            else:
                _merge(suppliers[key], lead)
                links[key].extend(k for k in lead_links if k not in links[key])
            if product and product not in products[key]:
                products[key].append(product)
        leads = list(suppliers.values())
        for key, lead in suppliers.items():
            lead.products = "; ".join(products[key])
        all_links = [link for key in suppliers for link in links[key]]
        if next_href:
            all_links.append(Link(page.urljoin(next_href), "next"))
        if leads:
            return self.result("ok", leads=leads, links=all_links)
        blocked = detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        reason = (
            "IndiaMART found no suppliers"
            if _NO_RESULT_RE.search(page.visible_text)
            else ("no supplier cards recognised on the page")
        )
        return self.result("no_results", links=all_links, reason=reason)

    def _card(
        self, card: etree._Element, marks: _Marks, page: Page
    ) -> tuple[Lead, list[Link], str, str]:
        company = marks.company
        name, company_href = _company_link(company) if company is not None else ("", "")
        attribute = card.get
        lead = Lead(
            name=clean_text(name),
            country="IN",
            city=clean_text(attribute("data-city", "")),
            region=clean_text(attribute("data-state", "")),
        )
        locations = marks.locations
        if locations:  # none: both readings are ""
            lead.address_raw = clean_text(
                _paragraphs_text(locations[0])
                if len(locations) == 1
                else "".join([_paragraphs_text(loc) for loc in locations])
            ) or clean_text(" ".join(t for loc in locations for t in loc.itertext())).strip(" ,")
        raw = clean_text(marks.phone_text() or _first(_DUET(card)) or "")
        if raw:
            number, _, extension = raw.partition(",")
            masked = is_masked(raw)
            lead.phones.append(
                Phone(
                    raw=raw,
                    label="phone",
                    extension=extension.strip() if number.strip().isdigit() else "",
                    masked=masked,
                )
            )
            lead.masked = masked
        links: list[Link] = []
        page_url = page.url
        href, portal = (
            _split_target(*page.urljoin_split(company_href), page_url)
            if company is not None
            else _NO_TARGET
        )
        if portal:
            links.append(Link(href, "detail", lead.name))
        elif href:
            lead.website = href
        shop = marks.shop
        if shop and not lead.website and not _is_portal(shop, page_url):
            lead.website = _site_root(page.urljoin(shop))
        if lead.website:
            links.append(Link(lead.website, "website", lead.name))
        product = clean_text(marks.product_text(card))
        if attribute("data-datatype") == "bl" or product == lead.name:
            named = clean_text(attribute("data-bl_prod_name", ""))
            product = "" if named == "null" else named
        key = attribute("data-glid") or href or lead.name.lower()
        return lead, links, product, key


_COMPANY = 1
"""A class value naming ``companyname`` (the company mark, read by substring)."""
_CARD_COMPANY = 2
"""A class value holding the token ``companyname``: the card around it is a supplier card."""
_LOCATION = 4
_PHONE = 8
_TITLE = 16
_NAME = 32


def _kind(value: str) -> int:
    """Which marks a class value carries (``contains(@class, …)`` each)."""
    kind = 0
    if "companyname" in value:
        kind |= _COMPANY
        if "companyname" in _XML_SPACE_RE.split(value):
            kind |= _CARD_COMPANY
    if "newLocationUi" in value:
        kind |= _LOCATION
    if "pns_h" in value:
        kind |= _PHONE
    if "producttitle" in value:
        kind |= _TITLE
    if "prd-name" in value:
        kind |= _NAME
    return kind


class _Marks:
    """The marked elements of one card, each list in document order.

    They are read from one pass over the document's class attributes, not from a dozen
    card-relative queries per card; each field is still the first match below the card, as
    ``.//*[contains(@class, 'pns_h')]//text()`` and the like read it.
    """

    __slots__ = ("company", "locations", "named", "names", "phones", "shop", "titles")

    def __init__(self) -> None:
        self.company: etree._Element | None = None
        self.locations: list[etree._Element] = []
        """Outermost ``newLocationUi`` elements (nested ones are read with them)."""
        self.phones: list[etree._Element] = []
        self.shop: str | None = None
        self.titles: list[etree._Element] = []
        self.names: list[etree._Element] = []
        self.named: list[tuple[etree._Element, bool]] = []
        """The titles and names together in document order (True for a title)."""

    def add(self, el: etree._Element, kind: int) -> None:
        if kind & _COMPANY and self.company is None:
            self.company = el
        if kind & _LOCATION and not _inside(el, self.locations):
            self.locations.append(el)
        if kind & _PHONE:
            self.phones.append(el)
        if kind & _TITLE:
            self.titles.append(el)
            self.named.append((el, True))
        if kind & _NAME:
            self.names.append(el)
            self.named.append((el, False))

    def phone_text(self) -> str | None:
        """The first text node below a ``pns_h`` element (it may be only spaces)."""
        for el in self.phones:
            first = el.text or next(el.itertext(), None)  # the element's own text comes first
            if first is not None:
                return str(first)
        return None

    def product_text(self, card: etree._Element) -> str:
        """The card's product text nodes joined (``_PRODUCT`` on the card)."""
        if not self.titles and not self.names:
            return ""
        if len(self.titles) == 1 and not self.names:
            return _links_text(self.titles[0])
        if len(self.names) == 1 and not self.titles:
            return _text(self.names[0])
        marks = dict(self.named)
        if len(marks) < len(self.named):  # an element with both classes
            return "".join([str(t) for t in _PRODUCT(card)])
        kept: list[tuple[etree._Element, bool]] = []
        for el, title in self.named:
            covered = _covered(el, title, marks, card)
            if covered is None:
                return "".join([str(t) for t in _PRODUCT(card)])  # each node once
            if not covered:
                kept.append((el, title))
        # the rest lie apart: each one's text nodes follow the previous one's
        return "".join([_links_text(el) if title else _text(el) for el, title in kept])


def _covered(
    el: etree._Element, title: bool, marks: dict[etree._Element, bool], card: etree._Element
) -> bool | None:
    """Whether all of ``el``'s product text nodes are another mark's too (it lies inside a
    ``prd-name``, or inside a ``producttitle`` with a link around it or around its text);
    None when only some may be."""
    linked = el.tag == "a"
    for anc in el.iterancestors():
        outer = marks.get(anc)
        if outer is not None:
            return True if not outer or title or linked else None
        if anc is card:
            return False
        linked = linked or anc.tag == "a"
    return False


def _text(el: etree._Element) -> str:
    """``el``'s text nodes joined (``"".join(el.itertext())``, ``.//text()``).

    An element with children is serialised as text: libxml2 joins its text and CDATA
    nodes, skipping comments and processing instructions as ``itertext`` does, in 0.5 us
    where ``itertext`` takes 3 us (a product title with a ``<b>`` inside, an address).
    """
    if not len(el):
        return el.text or ""
    return _tostring(el, method="text", encoding=str, with_tail=False)  # type: ignore[no-any-return]


_tostring = etree.tostring


def _outer_text(el: etree._Element, tag: str) -> str:
    """The text inside ``el``'s ``tag`` descendants joined (``.//a//text()``,
    ``.//p//text()``): one inside another of its kind is read with it."""
    found = el.iterdescendants(tag)
    first = next(found, None)
    if first is None:
        return ""
    second = next(found, None)
    if second is None:  # nothing nested: no parent walk
        return _text(first)
    parts: list[str] = []
    for found_el in (first, second, *found):
        node = found_el.getparent()
        while node is not None and node is not el and node.tag != tag:
            node = node.getparent()
        if node is el or node is None:
            parts.append(_text(found_el))
    return "".join(parts)


def _links_text(el: etree._Element) -> str:
    """``.//a//text()`` joined: a card's product title links."""
    return _outer_text(el, "a")


def _paragraphs_text(loc: etree._Element) -> str:
    """``.//p//text()`` joined: a card's address paragraphs."""
    return _outer_text(loc, "p")


def _inside(el: etree._Element, outer: list[etree._Element]) -> bool:
    return any(a in outer for a in el.iterancestors()) if outer else False


def _first(values: list[str]) -> str | None:
    return str(values[0]) if values else None


def _company_link(company: etree._Element) -> tuple[str, str]:
    """The supplier's name and its link's ``href`` (the first ``.//a/@href``).

    The name is its link's text, never the badges' hidden tooltips beside it ("IndiaMART
    Verified Exporter", "TrustSEAL Verified"). Both come from one walk of the links.
    """
    text: str | None = None
    href = ""
    for a in company.iterdescendants("a"):
        if text is None:
            text = _text(a)  # ``.//a``
        value = a.get("href")
        if value is not None:
            href = str(value)
            break
    if text is not None and text.strip():
        return text, href
    return "".join(
        t
        for el in company.iter()
        if "tip" not in (el.get("class") or "")
        for t in ([el.text] if el.text else [])
    ), href


def _is_card(el: etree._Element, by_class: dict[str, bool]) -> bool:
    if el.get("data-glid") is not None:
        return True
    value = el.get("class")
    if value is None:
        return False
    card = by_class.get(value)
    if card is None:
        card = by_class[value] = (
            "card" in _XML_SPACE_RE.split(value) or "supplierInfoDiv" in value or "lst_cl" in value
        )
    return card


_CLASS = b"class"
"""The attribute name as lxml takes it without encoding it again (about 20 ns an element)."""


def _cards(root: etree._Element) -> tuple[dict[etree._Element, _Marks], str | None]:
    """The card around every company name (impcat ``div.card``, search ``supplierInfoDiv``),
    in page order, each with its marked elements; and the next page's ``href``."""
    # one walk over the elements (two whole-page queries cost more); a page repeats a few
    # dozen class values on thousands of elements, so each value is read once
    marked: list[tuple[etree._Element, int]] = []
    kinds: dict[str, int] = {}
    for el in root.iter(etree.Element):
        value = el.get(_CLASS)
        if value is not None:
            kind = kinds.get(value)
            if kind is None:
                kind = kinds[value] = _kind(value)
            if kind:
                marked.append((el, kind))
    cards: dict[etree._Element, _Marks] = {}
    by_class: dict[str, bool] = {}
    for el, kind in marked:
        if kind & _CARD_COMPANY:
            node = el.getparent()
            while node is not None and not _is_card(node, by_class):
                node = node.getparent()
            if node is None:
                node = _GRANDPARENT(el)[0]
            if node not in cards:
                cards[node] = _Marks()
    owners: dict[etree._Element, tuple[etree._Element, ...]] = {}
    known = owners.get
    for el, kind in marked:
        # a mark whose parent was seen (a card's later marks) takes its cards from it
        parent = el.getparent()
        found = known(parent) if parent is not None else None
        for card in _owners(el, cards, owners) if found is None else found:
            cards[card].add(el, kind)
    next_href: str | None = None
    for a in root.iter("a", "link"):
        # ``descendant::a[@href][contains(@class, 'shopNow') or @data-click='^CTABuyNow']``
        # and the first ``rel="next"`` link, in one pass over the links
        href = a.get(b"href")
        if href is None:
            continue
        if next_href is None and a.get(b"rel") == "next":
            next_href = href
        if (
            "shopNow" in (a.get(_CLASS) or "") or a.get(b"data-click") == "^CTABuyNow"
        ) and a.tag == "a":  # the tag (a new string each read) last: few links pass
            for card in _owners(a, cards, owners):
                marks = cards[card]
                marks.shop = href if marks.shop is None else marks.shop
    return cards, next_href


def _owners(
    el: etree._Element,
    cards: dict[etree._Element, _Marks],
    memo: dict[etree._Element, tuple[etree._Element, ...]],
) -> tuple[etree._Element, ...]:
    """The cards ``el`` is inside (strictly), remembering every ancestor's on the way up."""
    path: list[etree._Element] = []
    node = el.getparent()
    found: tuple[etree._Element, ...] = ()
    while node is not None:
        known = memo.get(node)
        if known is not None:
            found = known
            break
        path.append(node)
        node = node.getparent()
    for node in reversed(path):
        if node in cards:
            found = (*found, node)
        memo[node] = found
    return found


def _merge(into: Lead, other: Lead) -> None:
    for phone in other.phones:
        if all(p.raw != phone.raw for p in into.phones):
            into.phones.append(phone)
    into.website = into.website or other.website
    into.address_raw = into.address_raw or other.address_raw
    into.masked = into.masked or other.masked


@lru_cache(maxsize=16384)
def _is_portal(url: str, page_url: str) -> bool:
    """A link to the directory itself (IndiaMART, or the mirror / practice portal serving it).

    A plain URL's registered domain is the last labels of its host, so a host that neither
    is the page's domain nor ends in ``.`` + it is another site without asking the suffix
    list (a listing links to a few dozen suppliers' sites, each a tldextract look-up).
    """
    plain = split_plain(url)
    if plain is None:
        if _is_indiamart(url):
            return True
        own = url_domain(page_url)
        return bool(own) and url_domain(url) == own
    host = plain[1].rpartition("@")[2].partition(":")[0].lower()
    if ("." + host).endswith(".indiamart.com"):  # ``_is_indiamart``
        return True
    own = url_domain(page_url)
    if not own:
        return False
    host = host.strip(".")  # the host ``url_domain`` reads
    if host != own and not host.endswith("." + own):
        return False
    return url_domain(url) == own


def _is_indiamart(url: str) -> bool:
    return ("." + url_host(url)).endswith(".indiamart.com")  # indiamart.com or below it


@lru_cache(maxsize=16384)
def _untracked(url: str) -> str:
    """The link without IndiaMART's ``?pos=..&kwd=..&tags=..`` click tracking."""
    if not url.startswith(("http://", "https://")):
        return ""
    plain = split_plain(url)
    if plain is not None:  # ``urlunsplit`` of a plain URL's parts, put together here
        return f"{plain[0]}://{plain[1]}{plain[2] or '/'}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


_NO_TARGET = ("", False)


def _target(url: str, page_url: str) -> tuple[str, bool]:
    """``_untracked(url)`` and whether it is not empty and ``_is_portal`` (a company link)."""
    return _split_target(url, split_plain(url), page_url)


def _split_target(
    url: str, plain: tuple[str, str, str, str, str] | None, page_url: str
) -> tuple[str, bool]:
    """``_target(url, page_url)`` given ``split_plain(url)`` (the join already split it).

    A plain URL is split once: its untracked form is plain too, with the same netloc, so
    an IndiaMART host answers without splitting it again (most company links are
    IndiaMART catalogues, each a different URL, so the caches of both never hit).
    """
    if plain is None:
        if not url.startswith(("http://", "https://")):
            return _NO_TARGET
        href = _untracked(url)
        return href, bool(href) and _is_portal(href, page_url)
    href = f"{plain[0]}://{plain[1]}{plain[2] or '/'}"
    if ("." + plain[1].rpartition("@")[2].partition(":")[0].lower()).endswith(".indiamart.com"):
        return href, True
    return href, _is_portal(href, page_url)


def _site_root(url: str) -> str:
    """``scheme://netloc/`` of ``url`` (as ``urlsplit`` and ``urlunsplit`` put it)."""
    plain = split_plain(url)
    if plain is not None:
        return f"{plain[0]}://{plain[1]}/"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
