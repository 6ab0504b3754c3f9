"""baixing.com (百姓网): classified ads; a service ad is one business, a list page links to ads.

An ad page (``<city>.baixing.com/<category>/a<id>.html``) shows "label：value" rows
(``div.viewad-meta-item``: 公司名称, 联系人, 联系, 所在地, 服务范围), a contact box whose
button carries the full number (``a#show-contact[data-phone]``) next to the masked one it
displays (``0512-65****``), a WeChat pop-up (微信号) and the poster's shop (``a.poster-name``).
The lead is named from 公司名称, else the poster, else the ad title. The description is the
poster's own text: numbers in it count only where the text is intact (sellers break their
numbers up with odd glyphs to dodge filters, and a damaged number is no number). A masked number
stays a masked Phone unless the full number is on the page. List and search pages
(``/<category>/``, ``/search/?query=``) give the ads to follow as detail links.

Pages reached through a Baidu snapshot (百度快照) carry Baidu's header above the ad: it is page
chrome, like baixing's own footer with its 客服 hotline and ICP number, and nothing is read
from either.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList

from leadharvest.items import Lead, Person, Phone
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    as_selectors,
    clean_text,
    detect_block,
    document_position,
)
from spiders.pages.blocktext import node_text
from spiders.pages.contacts import find_emails, find_phones, is_masked, split_name_title

_AD_RE = re.compile(r"/a\d+\.html?(?:$|[?#])")
_META_XPATH = (
    "//div[contains(@class, 'viewad-meta-item')] | //div[contains(@class, 'viewad-meta2-item')]"
    " | //li[contains(@class, 'viewad-meta-item')]"
)
_CONTACT_XPATH = (
    "//*[@id='show-contact'] | //section[contains(@class, 'viewad-contact')]//*[@data-phone]"
)
"""The ad's own contact button: ``data-phone`` holds the full number it reveals."""
_DAMAGED_RE = re.compile(r"\ufffd\d?")
"""U+FFFD (a byte that did not decode) and the ASCII byte after it: a glyph the capture lost."""
_BLOCK_MARKERS = (
    ("/oz/verify", "baixing verification page"),
    ("验证码", "captcha (验证码)"),
    ("安全验证", "security check (安全验证)"),
    ("访问过于频繁", "rate limited (访问过于频繁)"),
    ("访问验证", "baixing verification page"),
    ("人机验证", "captcha (人机验证)"),
)
_NO_RESULT_RE = re.compile(r"没有找到|未找到|暂无(?:相关)?信息|找到\s*0\s*条|没有符合")
_LABEL_TAIL = " ：:"


class BaixingPage(PageParser):
    """baixing ad pages (one lead) and list / search pages (links to ads)."""

    name = "baixing"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        if _meta_items(page) or _contacts(page):
            lead = _ad_lead(page)
            if lead is not None:
                return self.result("ok", leads=[lead], links=_ad_links(page, lead))
        blocked = _blocked(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        links = _list_links(page)
        if links:
            return self.result("ok", links=links)
        found_none = _NO_RESULT_RE.search(page.visible_text)
        reason = "baixing found no ads" if found_none else "no ads on the page"
        return self.result("no_results", reason=reason)


# --- an ad -------------------------------------------------------------------------------------


def _ad_lead(page: Page) -> Lead | None:
    rows = _meta_rows(page)
    poster = node_text(_posters(page))
    title = node_text(_titles(page))
    name = rows.get("公司名称") or rows.get("企业名称") or rows.get("商家名称") or poster or title
    if not name:
        return None
    lead = Lead(name=name, country="CN", products=title)
    if poster and poster != name:
        lead.description = f"百姓网发布者: {poster}"
    lead.address_raw = rows.get("所在地") or rows.get("地址") or rows.get("服务地址") or ""
    for label in ("联系人", "联系人姓名"):
        if rows.get(label):
            found = split_name_title(rows[label])
            person_name, person_title = found if found else (rows[label], "")
            lead.people.append(Person(name=person_name, title=person_title))
            break

    full: list[Phone] = []
    for label, value in rows.items():
        if label.startswith(("联系", "电话", "手机", "座机")) and label not in {"联系人"}:
            word = label if re.search(r"电话|手机|座机", label) else "电话"
            full.extend(find_phones(value, label=word))
    for raw in _contact_phones(page):
        full.extend(find_phones(raw, label="电话"))
    for phone in full:
        _add_phone(lead, phone)
    for shown in _contact_numbers(page):
        value = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", node_text(shown))  # "0512-65****(苏州)"
        if is_masked(value) and not _covered(value, lead.phones):
            _add_phone(lead, Phone(raw=value, label="电话", masked=True))

    text = _description(page)
    if text:
        for phone in find_phones(_DAMAGED_RE.sub(" ¦ ", text)):
            _add_phone(lead, phone)
        lead.emails.extend(e for e in find_emails(text) if all(x.raw != e.raw for x in lead.emails))
        kept = _DAMAGED_RE.sub("\ufffd", text)[:500]  # the lost glyphs' stray bytes are no digits
        lead.description = "\n".join(p for p in (lead.description, kept) if p)
    for detail in _weixin_texts(page):
        m = re.search(r"微信(?:号)?\s*[:：]\s*([A-Za-z0-9_-]{5,30})", detail)
        if m and f"wechat:{m.group(1)}" not in lead.social:
            lead.social.append(f"wechat:{m.group(1)}")
    crumbs = [node_text(a) for a in _crumb_links(page)]
    if crumbs:
        lead.city = re.sub(r"百姓网$", "", crumbs[0])
        if len(crumbs) > 1 and crumbs[1] == "服务":
            lead.business_type = "service"
            lead.business_type_reason = "百姓网类目: 服务"
    lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
    return lead


def _meta_rows(page: Page) -> dict[str, str]:
    """The ad's "label：value" rows, label without its colon (first value of a label wins)."""
    rows: dict[str, str] = {}
    for item in _meta_items(page):
        label = node_text(item.xpath("./label | ./*[contains(@class, 'label')]")).strip(_LABEL_TAIL)
        values = [
            node_text(v)
            for v in item.xpath(
                "./*[contains(@class, 'content')]//span | ./*[contains(@class, 'content')]"
            )
        ]
        value = next((v for v in values if v), "")
        if label and value and label not in rows:
            rows[label] = value
    return rows


def _description(page: Page) -> str:
    nodes = _descriptions(page)
    if not nodes:
        return ""
    parts = nodes[0].xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
    return clean_text("\n".join(parts), keep_newlines=True)


def _covered(masked: str, phones: list[Phone]) -> bool:
    """Whether a masked number is one of the full numbers already taken (same visible digits)."""
    visible = re.sub(r"[^\d*]", "", masked)
    head = visible.split("*")[0]
    tail = visible.rsplit("*", 1)[-1]
    for phone in phones:
        digits = re.sub(r"\D", "", phone.raw)
        if not phone.masked and digits.startswith(head) and digits.endswith(tail):
            return True
    return False


def _add_phone(lead: Lead, phone: Phone) -> None:
    digits = re.sub(r"[^\d*]", "", phone.raw)
    if any(re.sub(r"[^\d*]", "", p.raw) == digits for p in lead.phones):
        return
    phone.masked = phone.masked or is_masked(phone.raw)
    lead.phones.append(phone)


def _ad_links(page: Page, lead: Lead) -> list[Link]:
    href = next((h for a in _posters(page) if (h := a.root.get("href")) is not None), None)
    return [Link(page.urljoin(href), "detail", lead.name)] if href else []


# --- the ad's marked elements ------------------------------------------------------------------

_CLASS_MARKS = (
    *("viewad-meta-item", "viewad-meta2-item", "poster-name", "viewad-title", "contact-number"),
    "viewad-contact",
    *("viewad-text", "viewad-description", "weixin-contact", "search-crumbs"),
)
"""The class pieces an ad page's parts are found by (``contains(@class, …)``)."""
_CLASS_MARKS_RE = re.compile("|".join(map(re.escape, _CLASS_MARKS)))
"""Whether a class value holds one of ``_CLASS_MARKS``, in one search (a page has a few
hundred class values, each tested against every piece)."""


def _marked(page: Page) -> list[tuple[Any, str]]:
    """The elements whose class holds one of ``_CLASS_MARKS``, with that class, in page
    order: one walk of the page answers the dozen ``//*[contains(@class, …)]`` queries an ad
    asked (each a walk of its own)."""

    def build() -> list[tuple[Any, str]]:
        found: list[tuple[Any, str]] = []
        holds: dict[str, bool] = {}
        for el in page.root.iter(etree.Element):
            value = el.get("class")
            if value is not None:
                hit = holds.get(value)
                if hit is None:
                    hit = holds[value] = _CLASS_MARKS_RE.search(value) is not None
                if hit:
                    found.append((el, value))
        return found

    return page.memo("baixing_marked", build)


def _picked(page: Page, query: str, keep: Any, below: str = "") -> SelectorList[Selector]:
    """What ``query`` selects: the marked elements ``keep(tag, class)`` accepts, or with
    ``below`` the ``below`` elements inside them (each once, in page order)."""
    if page.root is None:
        return page.selector.xpath(query)
    tops = [el for el, value in _marked(page) if keep(el.tag, value)]
    if not below:
        return as_selectors(tops)
    inner: dict[Any, None] = {}  # a top inside another top adds no new element
    for top in tops:
        inner.update(dict.fromkeys(top.iterdescendants(below)))
    return as_selectors(inner)


def _contacts(page: Page) -> list[Any]:
    """What ``_CONTACT_XPATH`` selects, in page order: the ``show-contact`` elements found by
    one walk, the ``data-phone`` ones below the marked ``viewad-contact`` sections (the query's
    two ``//`` steps walked the page twice)."""
    if page.root is None:
        return [node.root for node in page.selector.xpath(_CONTACT_XPATH)]

    def build() -> list[Any]:
        found = dict.fromkeys(_SHOW_CONTACT(page.root))
        for el, value in _marked(page):
            if el.tag == "section" and "viewad-contact" in value:
                found.update(dict.fromkeys(_DATA_PHONE_BELOW(el)))
        return sorted(found, key=document_position) if len(found) > 1 else list(found)

    return page.memo("baixing_contacts", build)


def _contact_phones(page: Page) -> list[str]:
    """``({_CONTACT_XPATH})/@data-phone``: the contacts' full numbers, in page order."""
    if page.root is None:
        return page.selector.xpath(f"({_CONTACT_XPATH})/@data-phone").getall()
    return [v for el in _contacts(page) if (v := el.get("data-phone")) is not None]


_SHOW_CONTACT = etree.XPath("/descendant::*[@id = 'show-contact']")
_DATA_PHONE_BELOW = etree.XPath("descendant::*[@data-phone]")


def _meta_items(page: Page) -> SelectorList[Selector]:
    return _picked(
        page,
        _META_XPATH,
        lambda tag, value: (
            (tag == "div" and ("viewad-meta-item" in value or "viewad-meta2-item" in value))
            or (tag == "li" and "viewad-meta-item" in value)
        ),
    )


def _posters(page: Page) -> SelectorList[Selector]:
    return _picked(
        page,
        "//a[contains(@class, 'poster-name')]",
        lambda tag, value: tag == "a" and "poster-name" in value,
    )


def _titles(page: Page) -> SelectorList[Selector]:
    return _picked(
        page,
        "//div[contains(@class, 'viewad-title')]//h1",
        lambda tag, value: tag == "div" and "viewad-title" in value,
        below="h1",
    )


def _contact_numbers(page: Page) -> SelectorList[Selector]:
    return _picked(
        page, "//*[contains(@class, 'contact-number')]", lambda _, v: "contact-number" in v
    )


def _descriptions(page: Page) -> SelectorList[Selector]:
    return _picked(
        page,
        "//div[contains(@class, 'viewad-text')] | //div[contains(@class, 'viewad-description')]",
        lambda tag, value: (
            tag == "div" and ("viewad-text" in value or "viewad-description" in value)
        ),
    )


def _crumb_links(page: Page) -> SelectorList[Selector]:
    return _picked(
        page,
        "//ul[contains(@class, 'search-crumbs')]//a",
        lambda tag, value: tag == "ul" and "search-crumbs" in value,
        below="a",
    )


def _weixin_texts(page: Page) -> list[str]:
    """``//*[contains(@class, 'weixin-contact')]//text()``: the text of each such element
    that is not inside another."""
    boxes = _picked(
        page, "//*[contains(@class, 'weixin-contact')]", lambda _, v: "weixin-contact" in v
    )
    roots = {box.root for box in boxes}
    return [
        text
        for box in boxes
        if not any(up in roots for up in box.root.iterancestors())
        for text in _TEXTS(box.root)
    ]


_TEXTS = etree.XPath(".//text()", smart_strings=False)


# --- list and search pages ---------------------------------------------------------------------


def _list_links(page: Page) -> list[Link]:
    """The ads a list / search page shows (titles), then its next page."""
    links: list[Link] = []
    seen: set[str] = set()
    for anchor in page.selector.xpath(
        "//li[contains(@class, 'listing-ad')]//a[contains(@class, 'ad-title')]"
        " | //ul[contains(@class, 'list-ad-items')]//a[@href]"
        " | //div[contains(@class, 'ad-list')]//a[@href]"
    ):
        url = page.urljoin(anchor.attrib.get("href", ""))
        if _AD_RE.search(url) and "baixing" in url and url not in seen:
            seen.add(url)
            links.append(Link(url, "detail"))  # an ad title names no business
    if links:
        nxt = page.selector.xpath(
            "//a[normalize-space(.)='下一页']/@href | //a[@rel='next']/@href"
        ).get()
        if nxt and not nxt.startswith("javascript"):
            links.append(Link(page.urljoin(nxt), "next"))
    return links


def _blocked(page: Page) -> str:
    title = page.selector.xpath("//title/text()").get() or ""
    short = len(page.visible_text) < 1500
    for marker, reason in _BLOCK_MARKERS:
        if marker in title or marker in page.url or (short and marker in page.text):
            return reason
    return detect_block(page)
