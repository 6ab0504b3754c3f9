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
from urllib.parse import urlsplit, urlunsplit

from parsel import Selector

from enrich.domain import registered_domain
from leadharvest.items import Lead, Phone
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, detect_block
from spiders.pages.contacts import is_masked

_CARD = (
    "ancestor::*[@data-glid or contains(concat(' ', normalize-space(@class), ' '), ' card ')"
    " or contains(@class, 'supplierInfoDiv') or contains(@class, 'lst_cl')][1]"
)
_NO_RESULT_RE = re.compile(r"\b(no results? found|no matching|did not match any|0 results)\b", re.I)


class IndiaMartPage(PageParser):
    """Listing cards of IndiaMART, one lead per supplier."""

    name = "indiamart"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        suppliers: dict[str, Lead] = {}
        products: dict[str, list[str]] = {}
        links: dict[str, list[Link]] = {}
        for card in _cards(page.selector):
            lead, lead_links, product, key = self._card(card, page)
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
        next_href = page.selector.xpath("//link[@rel='next']/@href | //a[@rel='next']/@href").get()
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

    def _card(self, card: Selector, page: Page) -> tuple[Lead, list[Link], str, str]:
        company = card.xpath(".//*[contains(@class, 'companyname')]")[:1]
        lead = Lead(name=clean_text("".join(company.xpath(".//text()").getall())), country="IN")
        lead.city = clean_text(card.attrib.get("data-city", ""))
        lead.region = clean_text(card.attrib.get("data-state", ""))
        lead.address_raw = clean_text(
            "".join(card.xpath(".//*[contains(@class, 'newLocationUi')]//p//text()").getall())
        ) or clean_text(
            " ".join(card.xpath(".//*[contains(@class, 'newLocationUi')]//text()").getall())
        ).strip(" ,")
        raw = clean_text(
            card.xpath(".//*[contains(@class, 'pns_h')]//text()").get()
            or card.xpath(
                ".//*[contains(@class, 'contactnumber')]//*[contains(@class, 'duet')]//text()"
            ).get()
            or ""
        )
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
        href = _untracked(page.urljoin(company.xpath(".//a/@href").get() or "")) if company else ""
        if href and _is_portal(href, page.url):
            links.append(Link(href, "detail", lead.name))
        elif href:
            lead.website = href
        shop = card.xpath(
            ".//a[contains(@class, 'shopNow') or @data-click='^CTABuyNow']/@href"
        ).get()
        if shop and not lead.website and not _is_portal(shop, page.url):
            parts = urlsplit(page.urljoin(shop))
            lead.website = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
        if lead.website:
            links.append(Link(lead.website, "website", lead.name))
        product = clean_text(
            "".join(
                card.xpath(
                    ".//*[contains(@class, 'producttitle')]//a//text()"
                    " | .//*[contains(@class, 'prd-name')]//text()"
                ).getall()
            )
        )
        if card.attrib.get("data-datatype") == "bl" or product == lead.name:
            named = clean_text(card.attrib.get("data-bl_prod_name", ""))
            product = "" if named == "null" else named
        key = card.attrib.get("data-glid") or href or lead.name.lower()
        return lead, links, product, key


def _cards(selector: Selector) -> list[Selector]:
    """The card around every company name (impcat ``div.card``, search ``supplierInfoDiv``)."""
    cards: list[Selector] = []
    seen: set[int] = set()
    for company in selector.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' companyname ')]"
    ):
        card = company.xpath(_CARD)
        node = card[0] if card else company.xpath("../..")[0]
        if id(node.root) not in seen:
            seen.add(id(node.root))
            cards.append(node)
    return cards


def _merge(into: Lead, other: Lead) -> None:
    for phone in other.phones:
        if all(p.raw != phone.raw for p in into.phones):
            into.phones.append(phone)
    into.website = into.website or other.website
    into.address_raw = into.address_raw or other.address_raw
    into.masked = into.masked or other.masked


def _is_portal(url: str, page_url: str) -> bool:
    """A link to the directory itself (IndiaMART, or the mirror / practice portal serving it)."""
    if _is_indiamart(url):
        return True
    own = registered_domain(page_url)
    return bool(own) and registered_domain(url) == own


def _is_indiamart(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "indiamart.com" or host.endswith(".indiamart.com")


def _untracked(url: str) -> str:
    """The link without IndiaMART's ``?pos=..&kwd=..&tags=..`` click tracking."""
    if not url.startswith(("http://", "https://")):
        return ""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
