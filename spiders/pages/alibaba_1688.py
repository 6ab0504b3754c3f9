"""1688.com (阿里巴巴中国站) offer search pages: one lead per supplier company.

A search page lists offers (products), each from a supplier. The page's script carries the
offers as JSON (``"listOffer": [...]`` / ``"offerList": [...]``) with what the cards do not
show: the registered company name (深圳市…有限公司), its province and city, its business model
(生产加工 = manufacturer, 经销批发 = wholesaler) and its shop (旺铺) address. Offers are grouped
by supplier so a company with several offers becomes one lead whose products are the offer
titles. The shop is a Link(kind="detail") and its 联系方式 page (``/page/contactinfo.htm``,
where 1688 shows phones) a Link(kind="contact"). Without the JSON the rendered cards are read;
they only name the seller's 旺旺 nickname, which then stands in for the company name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlunsplit

from leadharvest.items import Email, Lead, Person, Phone
from spiders.pages.b2b import next_link, untagged
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    detect_block,
    embedded_json,
    marker_reason,
    split_url,
    url_host,
)
from spiders.pages.contacts import find_emails, find_phones, is_masked

OFFER_LIST_MARKERS = ('"listOffer"', '"offerList"', '"offers"')
BUSINESS_TYPES = {
    "生产加工": "manufacturer",
    "经销批发": "wholesaler_distributor",
    "招商代理": "agent_trading",
    "商业服务": "service",
}
"""1688's 经营模式 → LeadHarvest business type."""

_PHONE_KEYS = {
    "mobile": "手机",
    "mobilePhone": "手机",
    "phone": "电话",
    "telephone": "电话",
    "tel": "电话",
    "contactPhone": "电话",
    "fax": "传真",
}
"""Contact fields some offer layouts (and the practice web) carry, with 1688's own labels."""
_PERSON_KEYS = ("contactName", "contactPerson", "linkman", "contact")
_BLOCK_MARKERS = (
    ("punish?", "1688 slider captcha (baxia)"),
    ("x5secdata", "1688 slider captcha (baxia)"),
    ("nocaptcha", "1688 slider captcha"),
    ("login.1688.com", "1688 login wall"),
)
_NO_RESULT_RE = re.compile(r"没有找到|未找到|无搜索结果|暂无相关|no results", re.I)


@dataclass
class _Offer:
    """What one offer says about its supplier, from the script data or the card."""

    company: str = ""
    login: str = ""
    """The seller's 旺旺 nickname (loginId): stands in for the name when no company is given."""
    member: str = ""
    title: str = ""
    province: str = ""
    city: str = ""
    biz_type: str = ""
    shop: str = ""
    website: str = ""
    person: str = ""
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)


class Alibaba1688Page(PageParser):
    """Offer search results of s.1688.com / p4psearch.1688.com."""

    name = "alibaba_1688"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        offers = _json_offers(page.text) or _html_offers(page)
        suppliers: dict[str, Lead] = {}
        titles: dict[str, list[str]] = {}
        links: dict[str, list[Link]] = {}
        for offer in offers:
            name = offer.company or offer.login
            if not name:
                continue
            key = offer.member or name
            if key not in suppliers:
                suppliers[key] = Lead(name=name, country="CN")
                titles[key], links[key] = [], []
            lead = suppliers[key]
            _merge(lead, offer)
            if offer.title and offer.title not in titles[key]:
                titles[key].append(offer.title)
            if offer.shop and not any(k.kind == "detail" for k in links[key]):
                links[key].append(Link(offer.shop, "detail", name))
                if _host(offer.shop).endswith(".1688.com"):
                    contact = offer.shop.rstrip("/") + "/page/contactinfo.htm"
                    links[key].append(Link(contact, "contact", name))
            if lead.website and not any(k.kind == "website" for k in links[key]):
                links[key].append(Link(lead.website, "website", name))
        for key, lead in suppliers.items():
            lead.products = "; ".join(titles[key])
            lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
        all_links = [link for key in suppliers for link in links[key]]
        all_links.extend(_next_link(page))
        if suppliers:
            return self.result("ok", leads=list(suppliers.values()), links=all_links)
        blocked = marker_reason(page.text, _BLOCK_MARKERS) or detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        found_none = _NO_RESULT_RE.search(page.visible_text)
        reason = "1688 found no offers" if found_none else "no offers recognised on the page"
        return self.result("no_results", reason=reason)


def _merge(lead: Lead, offer: _Offer) -> None:
    """Add one offer's supplier details to the supplier's lead (first value wins)."""
    lead.region = lead.region or offer.province
    lead.city = lead.city or offer.city
    lead.address_raw = lead.address_raw or clean_text(offer.province + offer.city)
    lead.website = lead.website or offer.website
    if offer.biz_type in BUSINESS_TYPES and lead.business_type == "unknown":
        lead.business_type = BUSINESS_TYPES[offer.biz_type]
        lead.business_type_reason = f"1688 经营模式: {offer.biz_type}"
    if offer.login and offer.login != lead.name and not lead.description:
        lead.description = f"1688 旺旺: {offer.login}"
    for phone in offer.phones:
        if all(p.raw != phone.raw for p in lead.phones):
            lead.phones.append(phone)
    for email in offer.emails:
        if all(e.raw != email.raw for e in lead.emails):
            lead.emails.append(email)
    if offer.person and all(p.name != offer.person for p in lead.people):
        lead.people.append(Person(name=offer.person))


def _json_offers(text: str) -> list[_Offer]:
    """Offers from the page's embedded JSON."""
    for marker in OFFER_LIST_MARKERS:
        value = embedded_json(text, marker)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            offers = [_offer_from_json(item) for item in value]
            if any(o.company or o.login for o in offers):
                return offers
    return []


def _offer_from_json(item: dict[str, Any]) -> _Offer:
    attr = _dict(item.get("attr"))
    company = _dict(attr.get("company")) or _dict(item.get("company"))
    shop_info = _dict(item.get("shop"))
    info = _dict(attr.get("information"))
    zhurong = _dict(item.get("zhurong"))
    company_block = _dict(
        next(
            (v for v in zhurong.values() if isinstance(v, dict) and v.get("type") == "companyInfo"),
            {},
        )
    )
    scopes = (item, company, shop_info, company_block)
    offer = _Offer(
        company=_first(
            company.get("name"),
            item.get("company") if isinstance(item.get("company"), str) else "",
            item.get("companyName"),
            shop_info.get("companyName"),
            company_block.get("company"),
        ),
        login=_first(
            item.get("loginId"),
            _dict(attr.get("aliTalk")).get("loginId"),
            company_block.get("loginid"),
            shop_info.get("loginId"),
        ),
        member=_first(item.get("memberId")),
        title=untagged(_first(item.get("title"), item.get("subject"))),
        province=_first(company.get("province"), item.get("province"), info.get("sendProvince")),
        city=_first(company.get("city"), item.get("city"), info.get("sendCity")),
        biz_type=_first(company.get("bizTypeName"), item.get("bizTypeName")),
        shop=_shop_root(
            _first(
                company_block.get("wangpuUrl"),
                item.get("winportUrl"),
                item.get("shopUrl"),
                shop_info.get("url"),
                _dict(attr.get("tradeService")).get("tpCreditUrl"),
            )
        ),
        website=_first(*(d.get(k) for d in scopes for k in ("website", "homepage"))),
        person=_first(*(d.get(k) for d in scopes for k in _PERSON_KEYS)),
    )
    for scope in scopes:
        for key, label in _PHONE_KEYS.items():
            raw = _first(scope.get(key))
            if raw and all(p.raw != raw for p in offer.phones):
                offer.phones.append(Phone(raw=raw, label=label, masked=is_masked(raw)))
        raw = _first(scope.get("email"))
        if "@" in raw:
            offer.emails.append(Email(raw=raw, masked=is_masked(raw)))
    return offer


def _html_offers(page: Page) -> list[_Offer]:
    """Offers from the rendered cards, for pages whose script data is missing."""
    offers = []
    for card in page.selector.xpath(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' offer_item ')"
        " or contains(@class, 'sm-offer-item') or contains(@class, 'offer-item')]"
    ):
        title = card.xpath(".//*[contains(@class, 'subject')]/@title").get() or "".join(
            card.xpath(".//*[contains(@class, 'title')]//text()").getall()
        )
        company_node = card.xpath(
            ".//*[contains(@class, 'company')][not(.//*[contains(@class, 'company')])]"
        )[:1]
        location = clean_text(card.xpath(".//*[contains(@class, 'location')]//text()").get() or "")
        if re.search(r"\d|成交|销|件|元", location):
            location = ""  # the "location" slot on some layouts shows sales volume instead
        href = (company_node.xpath("./@href | .//a/@href").get() or "") if company_node else ""
        text = "\n".join(clean_text(t) for t in card.xpath(".//text()").getall() if t.strip())
        offers.append(
            _Offer(
                company=clean_text("".join(company_node.xpath(".//text()").getall())),
                login=clean_text(unquote(card.xpath(".//@data-nick").get() or "")),
                title=untagged(title),
                city=location,
                shop=_shop_root(page.urljoin(href)) if href else "",
                phones=find_phones(text),
                emails=find_emails(text),
            )
        )
    return offers


def _next_link(page: Page) -> list[Link]:
    """The next results page: a real link when there is one, else beginPage + 1."""
    links = next_link(page, "//a[normalize-space(.)='下一页']/@href | //a[@rel='next']/@href")
    if links:
        return links
    button = page.selector.xpath(
        "//button[contains(@class, 'next')][contains(normalize-space(.), '下一页')][not(@disabled)]"
    )
    if not button:
        return []
    # Edit the query as text: 1688 keywords are often GBK percent-escapes, which a
    # parse/urlencode round trip would corrupt.
    scheme, netloc, path, page_query, fragment = split_url(page.url)
    match = re.search(r"(^|&)beginPage=(\d*)", page_query)
    if match:
        current = int(match.group(2) or 1)
        query = page_query[: match.start(2)] + str(current + 1) + page_query[match.end(2) :]
    else:
        query = f"{page_query}&beginPage=2" if page_query else "beginPage=2"
    return [Link(urlunsplit((scheme, netloc, path, query, fragment)), "next")]


def _shop_root(url: str) -> str:
    """The supplier's shop: ``https://<shop>.1688.com/`` from any URL on it (credit page …).

    Outside 1688 (a mirror, the practice web) the link is kept as given, minus its query.
    """
    if url.startswith("//"):
        url = "https:" + url
    if not url.startswith(("http://", "https://")):
        return ""
    host = _host(url)
    if host.endswith(".1688.com") or host == "1688.com":
        if host.split(".")[0] in {"detail", "s", "www", "dj", "air", "p4psearch", "1688"}:
            return ""
        return f"https://{host}/"
    scheme, netloc, path, _, _ = split_url(url)
    return urlunsplit((scheme, netloc, path or "/", "", ""))


def _host(url: str) -> str:
    return url_host(url)


def _first(*values: Any) -> str:
    """The first non-empty value, as tidy text."""
    for value in values:
        if value is None:
            continue  # most keys asked are absent (forty asks an offer)
        if isinstance(value, str):
            if value.strip():
                return clean_text(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            return clean_text(str(value))
    return ""


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
