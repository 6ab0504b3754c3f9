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
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from enrich.domain import registered_domain
from leadharvest.items import Lead, Phone
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, detect_block
from spiders.pages.contacts import is_masked

_SHOP = etree.XPath("descendant::a[@href][contains(@class, 'shopNow') or @data-click='^CTABuyNow']")
_GRANDPARENT = etree.XPath("../..")
_TEXTS = etree.XPath(".//text()")
_LINK_TEXTS = etree.XPath(".//a//text()")
_PRODUCT = etree.XPath(
    ".//*[contains(@class, 'producttitle')]//a//text() | .//*[contains(@class, 'prd-name')]//text()"
)
_DUET = etree.XPath(
    "descendant::*[contains(@class, 'contactnumber')]"
    "/descendant::*[contains(@class, 'duet')]/descendant::text()"
)  # ``.//*[…]//*[…]//text()`` without the node sets ``//`` builds first
_MARKS_RE = re.compile(r"companyname|newLocationUi|pns_h|shopNow|producttitle|prd-name")
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
        for card, marks in _cards(page.selector.root).items():
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
        next_href = next(
            (
                href
                for el in page.selector.root.iter("link", "a")
                if el.get("rel") == "next" and (href := el.get("href")) is not None
            ),
            None,
        )
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
        name = _company_text(company) if company is not None else ""
        lead = Lead(name=clean_text(name), country="IN")
        lead.city = clean_text(card.get("data-city", ""))
        lead.region = clean_text(card.get("data-state", ""))
        lead.address_raw = clean_text(
            "".join(t for loc in marks.locations for t in _paragraph_texts(loc))
        ) or clean_text(" ".join(t for loc in marks.locations for t in loc.itertext())).strip(" ,")
        raw = clean_text(marks.phone_text() or _first(_DUET(card)) or "")
        if raw:
            number, _, extension = raw.partition(",")
            lead.phones.append(
                Phone(
                    raw=raw,
                    label="phone",
                    extension=extension.strip() if number.strip().isdigit() else "",
                    masked=is_masked(raw),
                )
            )
            lead.masked = lead.phones[-1].masked
        links: list[Link] = []
        href = _untracked(page.urljoin(_company_href(company))) if company is not None else ""
        if href and _is_portal(href, page.url):
            links.append(Link(href, "detail", lead.name))
        elif href:
            lead.website = href
        shop = marks.shop
        if shop and not lead.website and not _is_portal(shop, page.url):
            parts = urlsplit(page.urljoin(shop))
            lead.website = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
        if lead.website:
            links.append(Link(lead.website, "website", lead.name))
        product = clean_text("".join(marks.product_texts(card)))
        if card.get("data-datatype") == "bl" or product == lead.name:
            named = clean_text(card.get("data-bl_prod_name", ""))
            product = "" if named == "null" else named
        key = card.get("data-glid") or href or lead.name.lower()
        return lead, links, product, key


@dataclass
class _Marks:
    """The marked elements of one card, each list in document order.

    They are read from one pass over the document's class attributes, not from a dozen
    card-relative queries per card; each field is still the first match below the card, as
    ``.//*[contains(@class, 'pns_h')]//text()`` and the like read it.
    """

    company: etree._Element | None = None
    locations: list[etree._Element] = field(default_factory=list)
    """Outermost ``newLocationUi`` elements (nested ones are read with them)."""
    phones: list[etree._Element] = field(default_factory=list)
    shop: str | None = None
    titles: list[etree._Element] = field(default_factory=list)
    names: list[etree._Element] = field(default_factory=list)
    named: list[tuple[etree._Element, bool]] = field(default_factory=list)
    """The titles and names together in document order (True for a title)."""

    def add(self, el: etree._Element, value: str) -> None:
        if self.company is None and "companyname" in value:
            self.company = el
        if "newLocationUi" in value and not _inside(el, self.locations):
            self.locations.append(el)
        if "pns_h" in value:
            self.phones.append(el)
        if "producttitle" in value:
            self.titles.append(el)
            self.named.append((el, True))
        if "prd-name" in value:
            self.names.append(el)
            self.named.append((el, False))

    def phone_text(self) -> str | None:
        """The first text node below a ``pns_h`` element (it may be only spaces)."""
        for el in self.phones:
            first = next(el.itertext(), None)
            if first is not None:
                return str(first)
        return None

    def product_texts(self, card: etree._Element) -> list[str]:
        if not self.titles and not self.names:
            return []
        if len(self.titles) == 1 and not self.names:
            return [str(t) for t in _LINK_TEXTS(self.titles[0])]
        if len(self.names) == 1 and not self.titles:
            return [str(t) for t in _TEXTS(self.names[0])]
        marks = dict(self.named)
        if len(marks) < len(self.named):  # an element with both classes
            return [str(t) for t in _PRODUCT(card)]
        kept: list[tuple[etree._Element, bool]] = []
        for el, title in self.named:
            covered = _covered(el, title, marks, card)
            if covered is None:
                return [str(t) for t in _PRODUCT(card)]  # one query keeps each node once
            if not covered:
                kept.append((el, title))
        # the rest lie apart: each one's text nodes follow the previous one's
        return [str(t) for el, title in kept for t in (_LINK_TEXTS if title else _TEXTS)(el)]


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


def _paragraph_texts(loc: etree._Element) -> list[str]:
    """The text nodes inside ``loc``'s paragraphs, in order (``.//p//text()``, without the
    query's node-set merging: a few hundred cards each asked it)."""
    out: list[str] = []
    for p in loc.iter("p"):
        if p is loc:
            continue
        nested = False
        for anc in p.iterancestors():
            if anc is loc:
                break
            if anc.tag == "p":
                nested = True  # read with the paragraph around it
                break
        if not nested:
            out.extend(p.itertext())
    return out


def _inside(el: etree._Element, outer: list[etree._Element]) -> bool:
    return any(a in outer for a in el.iterancestors()) if outer else False


def _first(values: list[str]) -> str | None:
    return str(values[0]) if values else None


def _company_href(company: etree._Element) -> str:
    for a in company.iterdescendants("a"):
        href = a.get("href")
        if href is not None:
            return str(href)
    return ""


def _is_card(el: etree._Element) -> bool:
    if el.get("data-glid") is not None:
        return True
    value = el.get("class")
    if value is None:
        return False
    return "card" in _XML_SPACE_RE.split(value) or "supplierInfoDiv" in value or "lst_cl" in value


def _company_text(company: etree._Element) -> str:
    """The supplier's name: its link's text, never the badges' hidden tooltips beside it
    ("IndiaMART Verified Exporter", "TrustSEAL Verified")."""
    link = next(company.iterdescendants("a"), None)  # ``.//a``
    text = "".join(link.itertext()) if link is not None else ""
    if text.strip():
        return text
    return "".join(
        t
        for el in company.iter()
        if "tip" not in (el.get("class") or "")
        for t in ([el.text] if el.text else [])
    )


def _cards(root: etree._Element) -> dict[etree._Element, _Marks]:
    """The card around every company name (impcat ``div.card``, search ``supplierInfoDiv``),
    in page order, each with its marked elements."""
    # one walk over the elements (two whole-page queries cost more); a page repeats a few
    # dozen class values on thousands of elements, so each value is searched once
    marked: list[tuple[etree._Element, str]] = []
    holds: dict[str, bool] = {}
    for el in root.iter(etree.Element):
        value = el.get("class")
        if value is not None:
            hit = holds.get(value)
            if hit is None:
                hit = holds[value] = _MARKS_RE.search(value) is not None
            if hit:
                marked.append((el, value))
    cards: dict[etree._Element, _Marks] = {}
    for el, value in marked:
        if "companyname" in value and "companyname" in _XML_SPACE_RE.split(value):
            node = next((a for a in el.iterancestors() if _is_card(a)), None)
            if node is None:
                node = _GRANDPARENT(el)[0]
            cards.setdefault(node, _Marks())
    owners: dict[etree._Element, tuple[etree._Element, ...]] = {}
    for el, value in marked:
        for card in _owners(el, cards, owners):
            cards[card].add(el, value)
    for a in _SHOP(root):
        for card in _owners(a, cards, owners):
            marks = cards[card]
            marks.shop = a.get("href") if marks.shop is None else marks.shop
    return cards


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
    """A link to the directory itself (IndiaMART, or the mirror / practice portal serving it)."""
    if _is_indiamart(url):
        return True
    own = registered_domain(page_url)
    return bool(own) and registered_domain(url) == own


def _is_indiamart(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "indiamart.com" or host.endswith(".indiamart.com")


@lru_cache(maxsize=16384)
def _untracked(url: str) -> str:
    """The link without IndiaMART's ``?pos=..&kwd=..&tags=..`` click tracking."""
    if not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
