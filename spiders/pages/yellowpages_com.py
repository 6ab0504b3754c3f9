"""yellowpages.com (Thryv, US): search results and business detail ("MIP") pages.

Search results are server-rendered cards, stable for a decade: ``div.result`` → ``div.info``
with ``a.business-name`` (the detail page), ``div.categories``, ``div.phones``,
``div.street-address`` + ``div.locality`` and ``a.track-visit-website``; the next page is
``div.pagination a.next``. A detail page (``/<city>-<st>/mip/<slug>-<id>``) shows the name
in ``h1``, ``a.phone`` / ``p.phone``, ``span.address``, ``a.website-link``, an
``a.email-business`` mailto and, in "General Info", more phones ("Fax", "Other Phone") as
``dt`` / ``dd`` rows. Pages without those fall back to the schema.org JSON-LD the site
embeds. Cloudflare's "Sorry, you have been blocked" page is "blocked"; the site's
"Invalid Search" / "No results found" pages are "no_results". Only listing markup is read,
so Thryv's own links and numbers never become a business's.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from parsel import Selector

from leadharvest.items import Email, Lead, Phone
from spiders.pages.b2b import on_domains
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, detect_block
from spiders.pages.contacts import find_emails, find_phones, phone_label
from spiders.pages.structured import apply_postal_address, jsonld_documents

DIRECTORY_DOMAINS = ("yellowpages.com", "yp.com", "thryv.com", "dexknows.com", "superpages.com")
SOCIAL_DOMAINS = (
    "facebook.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "yelp.com",
)
_NO_RESULT_RE = re.compile(
    r"invalid search|no results found|we did not find any (?:business|result)|"
    r"can.t find the page|didn.t find any|0 results",
    re.I,
)
_CARD_XPATH = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' result ')]"
    "[.//a[contains(concat(' ', normalize-space(@class), ' '), ' business-name ')]]"
)
_INFO_XPATH = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' info ')]"
    "[.//a[contains(concat(' ', normalize-space(@class), ' '), ' business-name ')]]"
)


class YellowPagesComPage(PageParser):
    """yellowpages.com search results and detail pages."""

    name = "yellowpages_com"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        cards = sel.xpath(_CARD_XPATH) or sel.xpath(_INFO_XPATH)
        leads: list[Lead] = []
        links: list[Link] = []
        seen: set[str] = set()
        for card in cards:
            lead, lead_links = _card(card, page)
            key = (lead.name + "|" + (lead.phones[0].raw if lead.phones else "")).lower()
            if not lead.name or key in seen:
                continue
            seen.add(key)
            leads.append(lead)
            links.extend(lead_links)
        if not leads and (
            "/mip/" in page.url or sel.xpath("//*[contains(@class, 'email-business')]")
        ):
            lead = _detail(page)
            if lead.name and (lead.phones or lead.address_raw or lead.website):
                leads.append(lead)
                if lead.website:
                    links.append(Link(lead.website, "website", lead.name))
        if not leads:
            for lead in _jsonld(page):
                leads.append(lead)
                if lead.website:
                    links.append(Link(lead.website, "website", lead.name))
        links.extend(_next_link(page))
        if leads:
            return self.result("ok", leads=leads, links=links)
        blocked = _cloudflare(page) or detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        title = clean_text(sel.xpath("//title/text()").get() or "")
        if _NO_RESULT_RE.search(title) or _NO_RESULT_RE.search(page.visible_text[:20000]):
            return self.result("no_results", reason="yellowpages.com found no listings")
        return self.result("no_results", reason="no listings recognised on the page")


def _cloudflare(page: Page) -> str:
    """Cloudflare's own block page names itself (title, ``cf-error-details``)."""
    title = (page.selector.xpath("//title/text()").get() or "").lower()
    if "cloudflare" in title or page.selector.xpath(
        "//*[@id='cf-error-details' or @id='cf-wrapper']"
    ):
        return "Cloudflare block"
    return ""


def _card(card: Selector, page: Page) -> tuple[Lead, list[Link]]:
    anchor = card.xpath(
        ".//a[contains(concat(' ', normalize-space(@class), ' '), ' business-name ')]"
    )[:1]
    lead = Lead(name=clean_text(" ".join(anchor.xpath(".//text()").getall())), country="US")
    for node in card.xpath(
        ".//div[contains(@class, 'phones')]"
        " | .//*[contains(@class, 'phone')][not(ancestor::*[contains(@class, 'phone')])]"
        "[not(contains(@class, 'phones'))]"
    ):
        text = clean_text(" ".join(node.xpath(".//text()").getall()))
        for phone in find_phones(text, label="tel"):
            _add_phone(lead, phone.raw, phone.label or "tel")
    street = clean_text(
        " ".join(card.xpath(".//*[contains(@class, 'street-address')]//text()").getall())
    )
    locality = clean_text(
        " ".join(card.xpath(".//*[contains(@class, 'locality')]//text()").getall())
    )
    if not street and not locality:
        locality = clean_text(
            " ".join(card.xpath(".//*[contains(@class, 'adr')]//text()").getall())
        )
    lead.address_raw = ", ".join(p for p in (street, locality) if p)
    _split_locality(lead, locality)
    lead.products = "; ".join(
        clean_text(t)
        for t in card.xpath(".//*[contains(@class, 'categories')]//a//text()").getall()
        if clean_text(t)
    )
    website = card.xpath(".//a[contains(@class, 'track-visit-website')]/@href").get() or ""
    _set_website(lead, page.urljoin(website) if website else "")
    for href in card.xpath(".//a[starts-with(@href, 'mailto:')]/@href").getall():
        _add_email(lead, href)
    links = []
    detail = anchor.xpath("@href").get()
    if detail:
        links.append(Link(page.urljoin(detail), "detail", lead.name))
    if lead.website:
        links.append(Link(lead.website, "website", lead.name))
    return lead, links


def _detail(page: Page) -> Lead:
    sel = page.selector
    head = sel.xpath(
        "(//*[@id='main-header'] | //*[contains(@class, 'sales-info')]/.."
        " | //*[@id='details-card'])[1]"
    )
    scope = head[0] if head else sel
    name = clean_text(
        " ".join(
            sel.xpath(
                "(//h1[contains(@class, 'business-name')] | //*[contains(@class, 'sales-info')]//h1"
                " | //*[@id='main-header']//h1 | //h1)[1]//text()"
            ).getall()
        )
    )
    lead = Lead(name=name, country="US")
    for node in scope.xpath(
        ".//a[contains(@class, 'phone')] | .//p[contains(@class, 'phone')]"
        " | .//*[contains(@class, 'phone')][not(self::a)][not(.//*[contains(@class, 'phone')])]"
    ):
        text = clean_text(" ".join(node.xpath(".//text()").getall()))
        for phone in find_phones(text, label="tel"):
            _add_phone(lead, phone.raw, "tel")
    address = clean_text(
        " ".join(
            scope.xpath(
                "(.//span[contains(@class, 'address')]"
                " | .//*[contains(@class, 'address')][not(self::a)])[1]//text()"
            ).getall()
        )
    )
    lead.address_raw = address
    website = sel.xpath(
        "//a[contains(@class, 'website-link')]/@href | //*[contains(@class, 'website')]/a/@href"
        " | //dd[contains(@class, 'weblinks')]//a/@href"
    ).get()
    if website:
        _set_website(lead, page.urljoin(website))
    for href in sel.xpath(
        "//a[contains(@class, 'email-business')]/@href"
        " | //a[starts-with(@href, 'mailto:')]"
        "[ancestor::*[@id='business-info' or contains(@class, 'more-info')]]/@href"
    ).getall():
        _add_email(lead, href)
    # "General Info": dt/dd rows with more numbers ("Phones" / "Fax" / "Other Phone").
    for dt in sel.xpath("//*[@id='business-info' or contains(@class, 'more-info')]//dt"):
        label = clean_text(" ".join(dt.xpath(".//text()").getall())).rstrip(":")
        dd = dt.xpath("following-sibling::dd[1]")
        if not dd:
            continue
        if re.search(r"phone|fax|tel", label, re.I):
            for line in dd.xpath(".//p | .//span[not(ancestor::p)] | self::dd[not(.//p)]"):
                text = clean_text(" ".join(line.xpath(".//text()").getall()))
                own = phone_label(text) or phone_label(label) or "tel"
                for phone in find_phones(text, label=own):
                    _add_phone(lead, phone.raw, phone.label or own)
        elif re.search(r"categor", label, re.I) and not lead.products:
            lead.products = "; ".join(
                clean_text(t) for t in dd.xpath(".//a//text()").getall() if clean_text(t)
            )
    return lead


def _jsonld(page: Page) -> list[Lead]:
    """Businesses the page states in JSON-LD (the directory's own WebSite entity skipped)."""
    leads = []
    for data in jsonld_documents(page):
        stack: list[Any] = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            stack.extend(node.get("@graph") or [])
            stack.extend(node.get("itemListElement") or [])
            if isinstance(node.get("item"), dict):
                stack.append(node["item"])
            name = clean_text(str(node.get("name") or ""))
            if not name or not (node.get("telephone") or node.get("address")):
                continue
            if on_domains(str(node.get("url") or ""), DIRECTORY_DOMAINS) and not node.get(
                "telephone"
            ):
                continue
            lead = Lead(name=name, country="US")
            if node.get("telephone"):
                _add_phone(lead, str(node["telephone"]), "tel")
            if node.get("email"):
                _add_email(lead, str(node["email"]))
            apply_postal_address(node.get("address"), lead)
            same = node.get("sameAs")
            for url in same if isinstance(same, list) else [same] if same else []:
                _set_website(lead, str(url))
            leads.append(lead)
    return leads


def _next_link(page: Page) -> list[Link]:
    href = page.selector.xpath(
        "//*[contains(@class, 'pagination')]//a[contains(@class, 'next')]/@href"
        " | //a[@rel='next']/@href | //link[@rel='next']/@href"
    ).get()
    return [Link(page.urljoin(href), "next")] if href else []


def _split_locality(lead: Lead, locality: str) -> None:
    m = re.match(r"^(.*?),\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$", locality)
    if m:
        lead.city, lead.region, lead.postcode = m.group(1), m.group(2), m.group(3)


def _add_phone(lead: Lead, raw: str, label: str) -> None:
    raw = clean_text(raw)
    digits = re.sub(r"\D", "", raw)[-10:]
    if raw and all(re.sub(r"\D", "", p.raw)[-10:] != digits for p in lead.phones):
        lead.phones.append(Phone(raw=raw, label=label))


def _add_email(lead: Lead, value: str) -> None:
    for email in find_emails(unquote(value.removeprefix("mailto:").split("?")[0])):
        domain = email.raw.rsplit("@", 1)[-1]
        if not on_domains("//" + domain, DIRECTORY_DOMAINS) and all(
            e.raw.lower() != email.raw.lower() for e in lead.emails
        ):
            lead.emails.append(Email(raw=email.raw))


def _set_website(lead: Lead, url: str) -> None:
    url = url.strip()
    if not url.startswith("http") or on_domains(url, DIRECTORY_DOMAINS):
        return
    if on_domains(url, SOCIAL_DOMAINS):
        if url not in lead.social:
            lead.social.append(url)
        return
    lead.website = lead.website or url
