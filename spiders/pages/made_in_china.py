"""made-in-china.com: a supplier's showroom (home, About Us, Contact Us) and supplier lists.

A showroom lives on the supplier's own subdomain (``<id>.en.made-in-china.com``). Its header
card states the company name (``h1``), province, Business Type ("Manufacturer/Factory &
Trading Company" → manufacturer), Main Products, Year of Establishment and Address in
``info-label`` / ``info-fields`` rows; the side card names the contact person and title
("Ms. Anny", "Manager"). The Contact Us page (``/contact-info.html``, a Link "contact") adds
phones when the site shows them. Search and product lists link to showrooms; each linked
company becomes a lead with its showroom as a Link "detail". A showroom is the portal's page,
so it is never the lead's website; Focus Technology's own footer is never read.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from leadharvest.items import Lead, Person
from spiders.pages.b2b import (
    apply_pairs,
    label_pairs,
    next_link,
    person_from,
    readable_page,
    unavailable,
)
from spiders.pages.base import (
    AttrIndex,
    Link,
    Page,
    PageExtraction,
    PageParser,
    attr_index,
    clean_text,
    document_position,
    split_url,
    url_host,
)
from spiders.pages.structured import short_description

PORTAL = ("made-in-china.com", "micstatic.com")
_COMPANY_RE = re.compile(
    r"\b(?:co\.?,?\s*(?:ltd|limited)|company|corp(?:oration)?|inc\.?|llc|limited|ltd\.?|"
    r"factory|group|industr(?:y|ies|ial)|enterprises?|manufactur\w+|trading)\b",
    re.I,
)
_NON_SHOWROOM_HOSTS = {"www", "m", "purchase", "membercenter", "login", "sourcing", "insights"}
_NO_RESULT_RE = re.compile(
    r"no (?:results|matching|suppliers?|products?) (?:found|were found)|0 results", re.I
)


class MadeInChinaPage(PageParser):
    """made-in-china.com showrooms and the lists that link to them."""

    name = "made_in_china"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        page = readable_page(page)
        if _showroom_host(page.url) and not _is_list(page):
            lead, links = _showroom_lead(page)
            if lead.name:
                return self.result("ok", leads=[lead], links=links)
        leads, links = _listed_suppliers(page)
        if leads:
            return self.result("ok", leads=leads, links=links + _next_link(page))
        status, reason = unavailable(page)
        if reason:
            return self.result(status, reason=reason)
        reason = (
            "made-in-china found no suppliers"
            if _NO_RESULT_RE.search(page.visible_text[:20000])
            else "no suppliers recognised on the page"
        )
        return self.result("no_results", reason=reason)


# -- a supplier's showroom ------------------------------------------------------------------


def _showroom_lead(page: Page) -> tuple[Lead, list[Link]]:
    sel = page.selector
    classes = _class_index(page)
    name_block = _name_block(classes)
    name = clean_text(" ".join(_texts(name_block)))
    if not name:
        title = clean_text(sel.xpath("//title/text()").get() or "")
        tail = title.rsplit(" - ", 1)[-1] if " - " in title else ""
        name = tail if _COMPANY_RE.search(tail) else ""
    lead = Lead(name=name, country="CN")
    # The header card and its repeat in "Authentication": rows with a colon-ended label.
    bodies = sel.xpath("//body")
    rows = label_pairs(bodies[0]) if bodies else []
    apply_pairs(lead, rows, page, portal=PORTAL)
    location = clean_text(" ".join(_first_texts(classes, "detail-address")))
    if location:
        parts = [p.strip() for p in location.split(",")]
        lead.region = parts[0] if len(parts) > 1 else ""
        if not lead.address_raw:
            lead.address_raw = location
    lead.description = short_description(" ".join(_first_texts(classes, "detail-intro")))
    _contact_person(lead, classes)
    links = []
    root = _showroom_root(page.url)
    hrefs = _A_HREFS(sel.root) if _is_element(sel.root) else []
    contact = next((h for h in hrefs if "contact-info" in h), None)
    links.append(
        Link(page.urljoin(contact) if contact else root + "contact-info.html", "contact", name)
    )
    about = next((h for h in hrefs if "/company-" in h and ".html" in h), None)
    if about and page.urljoin(about) != page.url:
        links.append(Link(page.urljoin(about), "detail", name))
    if page.url.rstrip("/") != root.rstrip("/"):
        links.append(Link(root, "detail", name))
    return lead, links


_NAME_CLASSES = ("shop-sign__header-title--text", "com-name", "company-name")
_NAME_XPATH = (
    "(//*[contains(@class, 'shop-sign__header-title--text')]"
    " | //*[contains(@class, 'J-title-comName')]//h1 | //*[contains(@class, 'com-name')]"
    " | //*[contains(@class, 'company-name')])[1]"
)


def _name_block(classes: AttrIndex) -> Any:
    """The first of the elements the showroom's name may be in: what
    ``(//*[contains(@class, 'shop-sign__header-title--text')] | //*[contains(@class,
    'J-title-comName')]//h1 | //*[contains(@class, 'com-name')] | //*[contains(@class,
    'company-name')])[1]`` (``_NAME_XPATH``) selects, from the page's class values."""
    found = _with_class(classes, *_NAME_CLASSES)
    headings = {
        h1
        for block in _with_class(classes, "J-title-comName")
        for h1 in block.iterdescendants("h1")
    }
    if headings:  # which comes first in the page: by their places, not a walk of the page
        return min(headings.union(found), key=document_position)
    return found[0] if found else None


def _contact_person(lead: Lead, classes: AttrIndex) -> None:
    """The side card's contact ("Ms. Anny" / "Manager"), when no labelled row named one.

    The card is an element of class ``contSupplier-info`` / ``contact-supplier`` /
    ``sr-sendMsg-field`` holding one of class ``*-name``; the name is in the first such, the
    title in the first ``*-position`` / ``*-job`` one.
    """
    if lead.people:
        return
    found: list[Person] = []
    names = _with_class(classes, "-name")
    titles = _with_class(classes, "-position", "-job")
    named = {above for el in names for above in el.iterancestors()}
    for box in _with_class(classes, "contSupplier-info", "contact-supplier", "sr-sendMsg-field"):
        if box not in named:
            continue
        name = clean_text(" ".join(_texts(_first_below(box, names))))
        title = clean_text(" ".join(_texts(_first_below(box, titles))))
        person = person_from(name) or (Person(name=name) if 1 < len(name) <= 40 else None)
        if person:
            person.title = person.title or title
            found.append(person)
    # The side card carries the title; the inquiry form repeats the name only.
    found.sort(key=lambda p: not p.title)
    if found:
        lead.people.append(found[0])


def _class_index(page: Page) -> AttrIndex:
    """The page's class values (read once): the showroom's blocks are found by class."""
    if page.root is not None:
        return attr_index(page, "class")
    return page.memo("made_in_china_classes", lambda: AttrIndex(page.selector.root, ("class",)))


def _with_class(classes: AttrIndex, *pieces: str) -> list[Any]:
    """``//*[contains(@class, piece) or …]``: the elements whose class holds a piece."""
    return classes.elements(lambda _, value: any(p in value for p in pieces), *pieces)


def _first_texts(classes: AttrIndex, piece: str) -> list[str]:
    """``(//*[contains(@class, piece)])[1]//text()``."""
    found = _with_class(classes, piece)
    return _texts(found[0]) if found else []


def _first_below(box: Any, elements: list[Any]) -> Any:
    """The first of ``elements`` (in document order) inside ``box``, or None."""
    return next((el for el in elements if box in el.iterancestors()), None)


def _texts(el: Any) -> list[str]:
    """``el``'s text nodes (``.//text()``); none for no element."""
    return [] if el is None else _TEXT_NODES(el)


def _is_element(node: Any) -> bool:
    return isinstance(getattr(node, "tag", None), str)


_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)
_A_HREFS = etree.XPath("//a/@href", smart_strings=False)


def _is_list(page: Page) -> bool:
    path = split_url(page.url)[2].lower()
    return any(part in path for part in ("/product-list", "/product-catalog", "/featured-list"))


# -- lists that link to showrooms -----------------------------------------------------------


def _listed_suppliers(page: Page) -> tuple[list[Lead], list[Link]]:
    """One lead per showroom that a list names with a company-like link text."""
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    own = _showroom_host(page.url)
    for anchor in page.selector.xpath("//a[@href]"):
        href = page.urljoin(anchor.attrib["href"])
        host = _showroom_host(href)
        if not host or host == own or host in leads:
            continue
        name = clean_text(
            anchor.attrib.get("title") or " ".join(anchor.xpath(".//text()").getall())
        )
        if not name or len(name) > 120 or not _COMPANY_RE.search(name):
            continue
        lead = Lead(name=name, country="CN")
        card = anchor.xpath(
            "ancestor::*[contains(@class, 'list-node') or contains(@class, 'company-list')"
            " or contains(@class, 'prod-info') or contains(@class, 'item')][1]"
        )
        if card:
            apply_pairs(lead, label_pairs(card[0]), page, portal=PORTAL)
        leads[host] = lead
        root = f"https://{host}/"
        links.append(Link(root, "detail", name))
        links.append(Link(root + "contact-info.html", "contact", name))
    return list(leads.values()), links


def _next_link(page: Page) -> list[Link]:
    return next_link(
        page,
        "//a[contains(@class, 'next')][not(contains(@class, 'disabled'))]/@href"
        " | //a[@rel='next']/@href | //link[@rel='next']/@href",
    )


def _showroom_host(url: str) -> str:
    """``bidisco.en.made-in-china.com`` for any URL in a showroom, else ""."""
    host = url_host(url)
    m = re.fullmatch(r"([a-z0-9-]+)\.en\.made-in-china\.com", host)
    if m and m.group(1) not in _NON_SHOWROOM_HOSTS:
        return host
    return ""


def _showroom_root(url: str) -> str:
    host = _showroom_host(url)
    return f"https://{host}/" if host else url
