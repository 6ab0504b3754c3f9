"""yellowpages.com.au (Thryv / Sensis) search-result and listing pages.

The site is a React app: every page carries ``window.__INITIAL_STATE__``, the JSON the page was
rendered from. It holds what the cards hide behind buttons (the listing's e-mail, the full
street address, the phone's type), so it is read first. A listing is recognised by its shape
(a ``name`` plus contact fields) wherever it sits in the state, which makes the same code read
search results (``model.inAreaResultViews`` and the sponsored ``targetMediaListViews``) and a
listing's own page. Pages without that state fall back to schema.org JSON-LD, then to the
rendered cards. Contacts are only ever read from inside one listing, so the directory's own
hotline and e-mail in the page chrome cannot become a lead's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector

from leadharvest.items import Email, Lead, Phone
from spiders.pages.attributes import element_contacts
from spiders.pages.b2b import on_domains
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    detect_block,
    embedded_json,
    url_host,
)
from spiders.pages.structured import jsonld_documents

DIRECTORY_DOMAINS = (
    "yellowpages.com.au",
    "yellow.com.au",
    "sensis.com.au",
    "thryv.com",
    "thryv.com.au",
)
"""The directory's own domains: never a listed business's website or e-mail."""

SOCIAL_DOMAINS = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "tiktok.com",
    "pinterest.com",
)
"""A "website" on one of these is the business's social profile, not its own site."""

_PHONE_KEYS = (
    "callContactNumber",
    "primaryContactNumber",
    "contactNumber",
    "contactNumbers",
    "secondaryContactNumbers",
    "additionalContactNumbers",
    "faxNumber",
    "fax",
)
_EMAIL_KEYS = ("primaryEmail", "email", "emailAddress", "contactEmail", "emails", "secondaryEmails")
_LISTING_HINTS = ("callContactNumber", "detailsLink", "relativeDetailsLink", "contactNumbers")
"""A listing always has one of these; a logged-in user's profile (name + e-mail) never does."""
_SKIP_KEYS = frozenset(
    {"footerLinks", "relatedArticles", "loggedInUser", "user", "env", "headers", "seoMetaData"}
)
"""Parts of the state that are page chrome or the visitor, never a listed business."""
_NO_RESULT_RE = re.compile(
    r"\b(no results|no matching|0 results|didn.t find|could(?: not|n.t) find|invalid search)\b",
    re.I,
)


class YellowPagesAuPage(PageParser):
    """Search results (``/search/listings``, ``/find/…``) and listing pages of the site."""

    name = "yellowpages_com_au"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        state = embedded_json(page.text, "window.__INITIAL_STATE__")
        model = state.get("model") if isinstance(state, dict) else None
        if not isinstance(model, dict):
            model = state if isinstance(state, dict) else {}
        listings: list[tuple[Lead, list[Link]]] = [
            self._from_state(item, page) for item in _state_listings(model)
        ]
        if not listings:
            listings = [self._from_jsonld(item, page) for item in _jsonld_businesses(page)]
        if not listings:
            listings = [self._from_card(card, page) for card in _cards(page.selector)]
        own = _own_domains(page.url)
        for lead, _ in listings:
            _drop_directory_contacts(lead, own)
        leads, links = _dedupe(listings)
        links.extend(_next_links(page, model))
        if leads:
            return self.result("ok", leads=leads, links=links)
        blocked = detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        total = (model.get("pagination") or {}).get("totalResults") if model else None
        if total == 0 or _NO_RESULT_RE.search(page.visible_text[:20000]):
            return self.result("no_results", links=links, reason="the directory found no listings")
        return self.result("no_results", links=links, reason="no listings recognised on the page")

    # -- the embedded page state -------------------------------------------------------------

    def _from_state(self, item: dict[str, Any], page: Page) -> tuple[Lead, list[Link]]:
        lead = Lead(name=clean_text(str(item.get("name") or "")), country="AU")
        for key in _PHONE_KEYS:
            for number in _as_list(item.get(key)):
                phone = _state_phone(number, default_label="fax" if "fax" in key.lower() else "")
                if phone and all(p.raw != phone.raw for p in lead.phones):
                    lead.phones.append(phone)
        for key in _EMAIL_KEYS:
            for value in _as_list(item.get(key)):
                address = value.get("value") if isinstance(value, dict) else value
                _add_email(lead, address)
        website = item.get("website") or ""
        if not website:
            for ext in _as_list(item.get("externalLinks")):
                kind = (
                    ((ext or {}).get("type") or {}).get("name", "") if isinstance(ext, dict) else ""
                )
                if kind in {"DEEP_LINK", "WEBSITE", "URL"} and ext.get("url"):
                    website = ext["url"]
                    break
        _set_website(lead, str(website))
        address = item.get("addressView") or {}
        primary = item.get("primaryAddress") or {}
        lead.address_raw = clean_text(address.get("asContactCardFormat") or "") or _join_address(
            primary or address
        )
        source = primary or address
        lead.city = clean_text(source.get("suburb") or "")
        lead.region = clean_text(source.get("state") or "")
        lead.postcode = clean_text(source.get("postCode") or "")
        category = (item.get("category") or {}).get("name") or ""
        lead.products = _join([category, item.get("textDescriptor") or ""])
        lead.description = clean_text(
            item.get("longDescriptor") or item.get("shortDescriptor") or ""
        )
        lead.registration_id = clean_text(item.get("legalId") or "")
        detail = item.get("detailsLink") or item.get("relativeDetailsLink") or ""
        links = []
        if detail:
            links.append(Link(page.urljoin(detail), "detail", lead.name))
        return lead, links

    # -- schema.org JSON-LD (listing pages) ------------------------------------------------------

    def _from_jsonld(self, item: dict[str, Any], page: Page) -> tuple[Lead, list[Link]]:
        lead = Lead(name=clean_text(str(item.get("name") or "")), country="AU")
        for key, label in (("telephone", ""), ("faxNumber", "fax")):
            for value in _as_list(item.get(key)):
                if isinstance(value, str) and value.strip():
                    lead.phones.append(Phone(raw=clean_text(value), label=label or "phone"))
        for value in _as_list(item.get("email")):
            if isinstance(value, str):
                _add_email(lead, value)
        _set_website(lead, str(item.get("url") or ""))
        for value in _as_list(item.get("sameAs")):
            if isinstance(value, str) and on_domains(value, SOCIAL_DOMAINS):
                lead.social.append(value)
        address = item.get("address")
        if isinstance(address, dict):
            lead.address_raw = _join(
                [
                    address.get("streetAddress") or "",
                    address.get("addressLocality") or "",
                    " ".join(
                        str(address.get(k) or "") for k in ("addressRegion", "postalCode")
                    ).strip(),
                ],
                sep=", ",
            )
            lead.city = clean_text(address.get("addressLocality") or "")
            lead.region = clean_text(address.get("addressRegion") or "")
            lead.postcode = clean_text(str(address.get("postalCode") or ""))
        elif isinstance(address, str):
            lead.address_raw = clean_text(address)
        lead.description = clean_text(item.get("description") or "")
        return lead, []

    # -- rendered cards (fallback) --------------------------------------------------------------

    def _from_card(self, card: Selector, page: Page) -> tuple[Lead, list[Link]]:
        lead = Lead(name=clean_text(" ".join(card.xpath(".//h3//text()").getall())), country="AU")
        # Each number has a "Call" button and a button showing it: keep the shown form.
        shown_by_number: dict[str, str] = {}
        for button in card.xpath(".//a[starts-with(@href, 'tel:')]"):
            number = clean_text(button.attrib["href"][4:])
            shown = clean_text(" ".join(button.xpath(".//text()").getall()))
            digits = re.sub(r"\D", "", number)
            if digits and (digits not in shown_by_number or re.sub(r"\D", "", shown) == digits):
                shown_by_number[digits] = shown if re.sub(r"\D", "", shown) == digits else number
        lead.phones = [Phone(raw=raw, label="phone") for raw in shown_by_number.values()]
        for mailbox in element_contacts(card.root).emails:
            _add_email(lead, mailbox)
        website = card.xpath(".//a[contains(@class, 'ButtonWebsite')]/@href").get() or ""
        _set_website(lead, website)
        address = card.xpath("(.//a[contains(@href, 'whereis.com')]//p)[1]//text()").getall()
        lead.address_raw = clean_text(" ".join(address))
        category_line = clean_text(" ".join(card.xpath(".//h3/following::p[1]//text()").getall()))
        match = re.match(r"^(.*?), [^,]+, [A-Z]{2,3} \d{4}$", category_line)
        if match:
            lead.products = match.group(1)
        detail = card.xpath(".//a[h3]/@href | .//a[contains(@href, '-listing.html')]/@href").get()
        links = [Link(page.urljoin(detail), "detail", lead.name)] if detail else []
        return lead, links


def _state_listings(model: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every listing-shaped object in the state, in page order (results, then sponsored)."""
    stack: list[Any] = [model]
    seen: set[int] = set()
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            name = node.get("name")
            if isinstance(name, str) and name.strip() and any(node.get(k) for k in _LISTING_HINTS):
                yield node
                continue
            stack.extend(v for k, v in node.items() if k not in _SKIP_KEYS)
        elif isinstance(node, list):
            stack.extend(node)


def _jsonld_businesses(page: Page) -> Iterator[dict[str, Any]]:
    """schema.org entities that are a business (have a phone or an address), not the directory."""
    for data in jsonld_documents(page):
        stack = list(data) if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack.extend(_as_list(node.get("@graph")))
            kinds = {str(k) for k in _as_list(node.get("@type"))}
            if kinds & {"BreadcrumbList", "WebSite", "WebPage", "SearchAction", "ItemList"}:
                continue
            if not node.get("name") or not (node.get("telephone") or node.get("address")):
                continue
            if on_domains(str(node.get("url") or ""), DIRECTORY_DOMAINS):
                continue
            yield node


def _cards(selector: Selector) -> list[Selector]:
    """Rendered listing cards: a card element with a heading and a call or website button."""
    return selector.xpath(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' MuiCard-root ')]"
        "[.//h3][.//a[starts-with(@href, 'tel:') or contains(@class, 'ButtonWebsite')]]"
    )


def _next_links(page: Page, model: dict[str, Any]) -> list[Link]:
    href = (model.get("pagination") or {}).get("nextPageLink") if model else None
    if not href:
        href = page.selector.xpath(
            "//a[normalize-space(.)='Next'][contains(@href, 'pageNumber=')]/@href"
            " | //a[@rel='next']/@href | //link[@rel='next']/@href"
        ).get()
    return [Link(page.urljoin(href), "next")] if href else []


def _state_phone(number: Any, *, default_label: str = "") -> Phone | None:
    if isinstance(number, str):
        return (
            Phone(raw=clean_text(number), label=default_label or "phone")
            if number.strip()
            else None
        )
    if not isinstance(number, dict):
        return None
    raw = clean_text(str(number.get("displayValue") or number.get("value") or ""))
    if not raw:
        return None
    kind = number.get("type")
    kind = kind.get("name") if isinstance(kind, dict) else kind
    label = str(kind or default_label or "phone").lower().replace("_", " ")
    return Phone(raw=raw, label=label)


def _add_email(lead: Lead, value: Any) -> None:
    if not isinstance(value, str):
        return
    value = value.strip()
    if "@" not in value or on_domains("mailto://" + value.split("@", 1)[1], DIRECTORY_DOMAINS):
        return
    if all(e.raw.lower() != value.lower() for e in lead.emails):
        lead.emails.append(Email(raw=value))


def _set_website(lead: Lead, url: str) -> None:
    """A listing's website, unless it is a social profile (kept in ``social``) or the directory."""
    url = url.strip()
    if not url or on_domains(url, DIRECTORY_DOMAINS):
        return
    if on_domains(url, SOCIAL_DOMAINS):
        if url not in lead.social:
            lead.social.append(url)
        return
    lead.website = url


def _join_address(address: dict[str, Any]) -> str:
    if not address:
        return ""
    tail = " ".join(str(address.get(k) or "") for k in ("state", "postCode")).strip()
    return _join([address.get("addressLine") or "", address.get("suburb") or "", tail], sep=", ")


def _join(parts: list[str], sep: str = "; ") -> str:
    seen: list[str] = []
    for part in parts:
        text = clean_text(str(part))
        if text and text not in seen:
            seen.append(text)
    return sep.join(seen)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _own_domains(url: str) -> tuple[str, ...]:
    """The directory's domains plus the host this page came from (a mirror, the practice web)."""
    host = url_host(url).removeprefix("www.")
    return (*DIRECTORY_DOMAINS, host) if host else DIRECTORY_DOMAINS


def _drop_directory_contacts(lead: Lead, own: tuple[str, ...]) -> None:
    """A value on the directory's own domain is the directory's, never the listed business's."""
    lead.emails = [e for e in lead.emails if not on_domains("//" + e.raw.rsplit("@", 1)[-1], own)]
    if lead.website and on_domains(lead.website, own):
        lead.website = ""


def _dedupe(found: list[tuple[Lead, list[Link]]]) -> tuple[list[Lead], list[Link]]:
    """One lead per listing (a business can be both a result and a sponsored card)."""
    leads: list[Lead] = []
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for lead, lead_links in found:
        if not lead.name:
            continue
        key = (lead.name.lower(), lead.phones[0].raw if lead.phones else lead.website)
        if key in seen:
            continue
        seen.add(key)
        leads.append(lead)
        links.extend(lead_links)
        if lead.website:
            links.append(Link(lead.website, "website", lead.name))
    return leads, links
