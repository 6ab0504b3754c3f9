"""alibaba.com (international site): product / category listings and supplier minisites.

A listing (``/trade/search?SearchText=…``, ``/showroom/…``, ``/catalog/…``) renders only the
first few offer cards and says "Supplier" where the company goes; the page's script carries
every offer as JSON (``"offerList": [...]``) with its ``supplier`` block: ``supplierName``,
country and province, ``provideProducts`` (main products) and the minisite
(``<id>.en.alibaba.com``). Offers are grouped by supplier name, so a company with several
offers (or two shops) is one lead. The minisite's company profile is a Link "detail" and
its ``contactinfo.html`` a Link "contact". Without the JSON, cards are read: any link to a
minisite whose text is a company name. A minisite's own pages (company profile, contact
info) are read as "label: value" rows. alibaba.com's own service numbers never become a
supplier's: only the supplier blocks and the minisite's rows are read.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from leadharvest.items import Lead
from spiders.pages.b2b import (
    apply_pairs,
    label_pairs,
    next_link,
    set_business_type,
    unavailable,
    untagged,
)
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    _urljoin,
    clean_text,
    embedded_json,
    marker_reason,
)

PORTAL = ("alibaba.com", "alicdn.com", "aliexpress.com")
OFFER_LIST_MARKERS = ('"offerList"', '"_offer_list"', '"offerResultData"', '"offers"', '"itemList"')
_NAME_KEYS = ("supplierName", "companyName", "company_name", "supplier_name")
_COMPANY_RE = re.compile(
    r"\b(?:co\.?,?\s*(?:ltd|limited)|company|corp(?:oration)?|inc\.?|llc|limited|ltd\.?|"
    r"factory|group|industr(?:y|ies|ial)|enterprises?|exports?|trading|manufactur\w+)\b",
    re.I,
)
_NON_MINISITE = {"www", "m", "message", "sale", "selection", "i", "s", "login", "passport", "rfq"}
_BLOCK_MARKERS = (
    ("punish?", "Alibaba slider captcha (baxia)"),
    ("x5secdata", "Alibaba slider captcha (baxia)"),
    ("nocaptcha", "Alibaba slider captcha"),
)
_NO_RESULT_RE = re.compile(
    r"no (?:matching )?(?:results|products|suppliers) (?:found|for)|did not match any", re.I
)


class AlibabaPage(PageParser):
    """alibaba.com listings (one lead per supplier) and supplier minisite pages."""

    name = "alibaba"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        offers, total = _json_offers(page.text)
        leads, links = _suppliers(offers, page)
        if not leads:
            leads, links = _card_suppliers(page)
        elif len(leads) and total > len(offers):
            links.extend(_next_link(page, force=True))
        if leads:
            if not any(k.kind == "next" for k in links):
                links.extend(_next_link(page))
            return self.result("ok", leads=leads, links=links)
        if _minisite(page.url):
            lead, lead_links = _minisite_lead(page)
            if lead.name and (lead.phones or lead.emails or lead.people or lead.address_raw):
                return self.result("ok", leads=[lead], links=lead_links)
        short = len(page.visible_text) < 3000
        blocked = marker_reason(page.text[:200000], _BLOCK_MARKERS) if short else ""
        if blocked:
            return self.result("blocked", reason=blocked)
        status, reason = unavailable(page)
        if reason:
            return self.result(status, reason=reason)
        found_none = _NO_RESULT_RE.search(page.visible_text[:20000])
        reason = "Alibaba found no offers" if found_none else "no suppliers recognised on the page"
        return self.result("no_results", reason=reason)


# -- listings: the offers' JSON ------------------------------------------------------------------


def _json_offers(text: str) -> tuple[list[dict[str, Any]], int]:
    """The offers in the page's script data and the total the site reports (0 if unknown)."""
    for marker in OFFER_LIST_MARKERS:
        value = embedded_json(text, marker)
        total = 0
        if isinstance(value, dict):
            total = _int(value.get("offerTotalCount") or value.get("totalCount"))
            value = value.get("offerList") or value.get("offers") or value.get("list")
        if isinstance(value, list) and any(_supplier_name(v) for v in value if isinstance(v, dict)):
            if not total:
                total = _total_count(text)
            return [v for v in value if isinstance(v, dict)], total
    return [], 0


_TOTAL_KEY = '"offerTotalCount"'
_TOTAL_RE = re.compile(r'"offerTotalCount"\s*:\s*"?(\d+)')


def _total_count(text: str) -> int:
    """The first ``"offerTotalCount": n`` in the page (0 if none): the key is found with
    ``str.find`` (a third of the regex search's time on a 640 kB page), the rest matched there."""
    start = text.find(_TOTAL_KEY)
    while start >= 0:
        match = _TOTAL_RE.match(text, start)
        if match:
            return int(match.group(1))
        start = text.find(_TOTAL_KEY, start + 1)
    return 0


def _supplier_block(item: dict[str, Any]) -> dict[str, Any]:
    for key in ("supplier", "company", "companyInfo", "seller"):
        block = item.get(key)
        if isinstance(block, dict) and any(block.get(k) for k in (*_NAME_KEYS, "name")):
            return block
    return item


def _supplier_name(item: dict[str, Any]) -> str:
    block = _supplier_block(item)
    for key in _NAME_KEYS:
        if isinstance(block.get(key), str) and block[key].strip():
            return clean_text(html.unescape(block[key]))
    if block is not item and isinstance(block.get("name"), str):
        return clean_text(html.unescape(block["name"]))
    return ""


def _suppliers(offers: list[dict[str, Any]], page: Page) -> tuple[list[Lead], list[Link]]:
    leads: dict[str, Lead] = {}
    titles: dict[str, list[str]] = {}
    links: list[Link] = []
    linked: set[str] = set()  # the links' URLs: each is listed once
    for item in offers:
        name = _supplier_name(item)
        if not name:
            continue
        key = name.casefold()
        block = _supplier_block(item)
        if key not in leads:
            leads[key] = Lead(name=name)
            titles[key] = []
            main = untagged(str(block.get("provideProducts") or block.get("mainProducts") or ""))
            if main:
                titles[key].append(main)
        lead = leads[key]
        _fill_location(lead, block)
        kind = block.get("businessType") or block.get("bizTypeName") or item.get("businessType")
        if isinstance(kind, str) and not kind.strip().replace(" ", "").isdigit():
            set_business_type(lead, kind, source="Alibaba business type")
        info = item["information"] if isinstance(item.get("information"), dict) else item
        title = untagged(str(info.get("puretitle") or info.get("title") or item.get("title") or ""))
        if title and title not in titles[key]:
            titles[key].append(title)
        for link in _supplier_links(block, page, name):
            if link.url not in linked:
                linked.add(link.url)
                links.append(link)
    for key, lead in leads.items():
        lead.products = "; ".join(titles[key])
    return list(leads.values()), links


def _fill_location(lead: Lead, block: dict[str, Any]) -> None:
    country = block.get("supplierCountry") or block.get("country") or {}
    province = block.get("supplierProvince") or block.get("province") or {}
    code = country.get("id") if isinstance(country, dict) else block.get("countryCode")
    country_name = country.get("name") if isinstance(country, dict) else country
    province_name = province.get("name") if isinstance(province, dict) else province
    if isinstance(code, str) and len(code) == 2 and not lead.country:
        lead.country = code.upper()
    if isinstance(province_name, str) and not lead.region:
        lead.region = clean_text(province_name)
    if not lead.address_raw:
        parts = [p for p in (province_name, country_name) if isinstance(p, str) and p.strip()]
        lead.address_raw = ", ".join(clean_text(p) for p in parts)


def _supplier_links(block: dict[str, Any], page: Page, name: str) -> list[Link]:
    links = []
    for key in ("supplierHref", "supplierHomeHref", "companyProfileUrl", "supplierUrl", "homeUrl"):
        href = block.get(key)
        if isinstance(href, str) and href.strip():
            url = _urljoin(page.url, href.strip())  # no need to parse the page for <base>
            links.append(Link(url, "detail", name))
            host = _minisite(url)
            if host:
                links.append(Link(f"https://{host}/contactinfo.html", "contact", name))
            break
    return links


def _next_link(page: Page, *, force: bool = False) -> list[Link]:
    """The next page: a real link when the page has one, else the URL with ``page`` + 1."""
    links = next_link(
        page,
        "//a[contains(@class, 'next')][not(contains(@class, 'disable'))]/@href"
        " | //a[@rel='next']/@href | //link[@rel='next']/@href",
    )
    if links or not force:
        return links
    parts = urlsplit(page.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    current = next((_int(v) for k, v in query if k == "page"), 1) or 1
    query = [(k, v) for k, v in query if k != "page"] + [("page", str(current + 1))]
    return [Link(urlunsplit(parts._replace(query=urlencode(query))), "next")]


# -- listings: rendered cards (fallback) ---------------------------------------------------------


def _card_suppliers(page: Page) -> tuple[list[Lead], list[Link]]:
    """Suppliers named by links to their minisites (newer cards print the company name)."""
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    for anchor in page.selector.xpath("//a[@href]"):
        url = page.urljoin(anchor.attrib["href"])
        host = _minisite(url)
        if not host or host == _minisite(page.url):
            continue
        name = clean_text(
            anchor.attrib.get("title") or " ".join(anchor.xpath(".//text()").getall())
        )
        if not name or len(name) > 120 or not _COMPANY_RE.search(name) or name.casefold() in leads:
            continue
        lead = Lead(name=name)
        country = anchor.xpath(
            "ancestor::*[.//*[contains(@class, 'country')]][1]"
            "//*[contains(@class, 'country')]/@title"
        ).get()
        if country:
            lead.address_raw = clean_text(country)
        leads[name.casefold()] = lead
        links.append(Link(url, "detail", name))
        links.append(Link(f"https://{host}/contactinfo.html", "contact", name))
    return list(leads.values()), links


# -- a supplier's minisite ------------------------------------------------------------------------


def _minisite_lead(page: Page) -> tuple[Lead, list[Link]]:
    sel = page.selector
    name = clean_text(
        " ".join(
            sel.xpath(
                "(//*[contains(@class, 'company-name')] | //*[contains(@class, 'cp-name')]"
                " | //h1)[1]//text()"
            ).getall()
        )
    )
    lead = Lead(name=name)
    body = sel.xpath("//body")
    if body:
        apply_pairs(lead, label_pairs(body[0]), page, portal=PORTAL)
    host = _minisite(page.url)
    links = [Link(f"https://{host}/company_profile.html", "detail", lead.name)] if host else []
    if lead.website:
        links.append(Link(lead.website, "website", lead.name))
    return lead, links


def _minisite(url: str) -> str:
    """``tyyggy.en.alibaba.com`` (or ``x.trustpass.alibaba.com``) for a minisite URL, else ""."""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    m = re.fullmatch(r"([a-z0-9-]+)\.(?:en|trustpass|[a-z]{2}\.en)\.alibaba\.com", host)
    if m and m.group(1) not in _NON_MINISITE:
        return host
    return ""


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0
