"""hc360.com (慧聪网): company search lists and a shop's 联系我们 / 联系方式 page.

The company search (``s.hc360.com/?w=五金&mc=enterprise``) shows one card per company: name,
主营产品, 同城 (province / city), 地址, 成立时间, 注册资本, 主营行业 and 经营模式 (生产型 →
manufacturer, 贸易型 → agent/trading, 服务型 → service). Each card links to the company's hc360
shop (``<id>.b2b.hc360.com``, a Link "detail") and its 联系方式 page (``/shop/company.html``, a
Link "contact"). That page lists 联系人 (with title), 电话, 手机, 传真 and 地址 in label / value
rows, and repeats the numbers in hidden inputs (``mp_id``, ``telephone_id``, ``fax_id``) that
survive template changes. Only cards and the shop's contact rows are read, so hc360's own
hotline (400-6360-888), e-mail and ICP licence in the page chrome are never a company's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList

from leadharvest.items import Lead, Person
from spiders.pages.b2b import (
    add_phone,
    apply_pairs,
    follow_next,
    label_pairs,
    next_link,
    on_domains,
    readable_page,
    set_business_type,
    tidy_products,
    unavailable,
)
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    as_selectors,
    clean_text,
    descendant_steps,
    document_position,
    split_url,
    url_host,
)
from spiders.pages.contacts import split_name_title

PORTAL = ("hc360.com", "hc360.cn")
_HIDDEN_PHONES = (
    ("telephone_id", "电话"),
    ("otherTelephone_id", "电话"),
    ("mp_id", "手机"),
    ("fax_id", "传真"),
)
_NO_RESULT_RE = re.compile(r"没有找到|未找到|找到\s*0\s*条|暂无相关|抱歉")
_COMPANY_RE = re.compile(r"(?:公司|厂|集团|商行|经营部|工作室|中心|店|社)(?:\)|）)?$")


class Hc360Page(PageParser):
    """hc360 company lists, shop contact pages and (loosely) product lists."""

    name = "hc360"
    method = "industry_site"

    def parse(self, page: Page) -> PageExtraction:
        page = readable_page(page)
        cards = _cards(page.selector)
        if cards:
            leads, links = [], []
            for card in cards:
                lead, card_links = _card_lead(card, page)
                if lead.name:
                    leads.append(lead)
                    links.extend(card_links)
            links.extend(_next_link(page))
            if leads:
                return self.result("ok", leads=leads, links=links)
        if _is_shop(page.url) or page.selector.xpath("//*[@id='companyName']"):
            lead, links = _shop_lead(page)
            if lead.name and (lead.phones or lead.people or lead.emails or lead.address_raw):
                return self.result("ok", leads=[lead], links=links)
        leads, links = _shop_links(page)
        if leads:
            links.extend(_next_link(page))
            return self.result("ok", leads=leads, links=links)
        status, reason = unavailable(page)
        if reason:
            return self.result(status, reason=reason)
        if _NO_RESULT_RE.search(page.visible_text[:20000]):
            return self.result("no_results", reason="hc360 found no companies")
        return self.result("no_results", reason="no companies recognised on the page")


# -- company search list ----------------------------------------------------------------------


def _cards(selector: Selector) -> list[Selector]:
    """Company cards: a ``div.col`` whose heading links to a shop (hidden templates skipped)."""
    return selector.xpath(
        "//div[contains(concat(' ', normalize-space(@class), ' '), ' col ')]"
        "[.//dd[contains(@class, 'til')]//a]"
        "[not(contains(translate(@style, ' ', ''), 'display:none'))]"
    )


def _card_lead(card: Selector, page: Page) -> tuple[Lead, list[Link]]:
    """A company card's lead, read on the card's lxml element (compiled queries: a list has
    twenty cards of a dozen parts each)."""
    el = card.root
    anchors = _TITLE_LINKS(el)
    title = next((t for a in anchors if (t := a.get("title")) is not None), None)
    name = clean_text(title or "") or clean_text(" ".join(t for a in anchors for t in _TEXTS(a)))
    lead = Lead(name=name, country="CN")
    if not name:
        return lead, []
    for dd in _DDS(el):
        text = clean_text(" ".join(_TEXTS(dd)))
        if text.startswith("主营产品"):
            lead.products = tidy_products(text)
        elif _ADDRESS_RE.match(text):
            lead.address_raw = _ADDRESS_LABEL_RE.sub("", text).strip(" -")
        elif "city" in (dd.get("class") or ""):
            places = [clean_text(t) for t in _LINK_TEXTS(dd) if clean_text(t)]
            lead.region = places[0] if places else ""
            lead.city = places[1] if len(places) > 1 else ""
    if lead.address_raw in {"-", "- -"}:
        lead.address_raw = ""
    facts = []
    for item in _fact_items(el):
        label = clean_text(" ".join(_FACT_LABEL_TEXTS(item)))
        value = clean_text(next(iter(_LAST_P_TEXTS(item)), ""))
        if not label or not value or value.strip("- ") == "":
            continue
        if label == "经营模式":
            set_business_type(lead, value, source="hc360 经营模式")
        facts.append(f"{label}: {value}")
    lead.description = "; ".join(facts)
    links = []
    href = next((h for a in anchors if (h := a.get("href")) is not None), None)
    shop = page.urljoin(href or "")
    if shop.startswith("http"):
        links.append(Link(shop, "detail", name))
    contact = next(iter(_CONTACT_HREFS(el)), None)
    if contact:
        links.append(Link(page.urljoin(contact), "contact", name))
    elif _is_shop(shop):
        links.append(Link(_shop_root(shop) + "shop/company.html", "contact", name))
    return lead, links


_ADDRESS_RE = re.compile(r"地\s*址")
_ADDRESS_LABEL_RE = re.compile(r"^地\s*址\s*[:：]\s*")
_TITLE_LINKS = etree.XPath(descendant_steps(".//dd[contains(@class, 'til')]//a[1]"))
_TEXTS = etree.XPath(".//text()", smart_strings=False)
_DDS = etree.XPath(".//dl/dd")
_LINK_TEXTS = etree.XPath(".//a//text()", smart_strings=False)
_FACT_ITEMS = etree.XPath(descendant_steps(".//*[contains(@class, 'bottom_info')]//li"))
"""What :func:`_fact_items` selects, as XPath (kept as the statement of it)."""
_FACT_LABEL_TEXTS = etree.XPath(
    descendant_steps(".//*[contains(@class, 'til')]//text()"), smart_strings=False
)
_LAST_P_TEXTS = etree.XPath("(.//p)[last()]//text()", smart_strings=False)
_CONTACT_HREFS = etree.XPath(
    descendant_steps(".//a[contains(@class, 'tel') or normalize-space(.)='联系方式']/@href"),
    smart_strings=False,
)


def _fact_items(card: Any) -> list[Any]:
    """The list items inside a ``bottom_info`` block of the card (``_FACT_ITEMS``): each of
    the card's few ``li`` is asked about its ancestors, where the query tested the class of
    every element of the card."""
    items = []
    for li in card.iterdescendants("li"):
        node = li.getparent()
        while node is not None and node is not card:
            if "bottom_info" in (node.get("class") or ""):
                items.append(li)
                break
            node = node.getparent()
    return items


_NEXT_XPATH = (
    "//*[contains(@class, 'page_next') or contains(@class, 'page-next')]//a/@href"
    " | //a[normalize-space(.)='下一页' or @title='下一页']/@href | //a[@rel='next']/@href"
)


def _next_link(page: Page) -> list[Link]:
    if page.root is None:
        return next_link(page, _NEXT_XPATH)
    return follow_next(page, _next_href(page.root))


def _next_href(root: Any) -> str | None:
    """The first ``href`` ``_NEXT_XPATH`` selects: only the links holding "下一页" have
    their text read (the query normalised every link's), the pager blocks are found by their
    class values, and of the few links that qualify the first in page order is the answer."""
    blocks = (c.getparent() for c in _NEXT_CLASSES(root) if "page_next" in c or "page-next" in c)
    inside = {a for block in blocks for a in block.iterdescendants("a")}
    worded = {
        a for a in _WORDED_LINKS(root) if _XML_SPACE_RE.sub(" ", _STRING(a)).strip(" ") == "下一页"
    }
    named = {a for a in _TITLED_OR_REL_NEXT(root) if a.tag == "a"}
    found = [a for a in inside | worded | named if a.get("href") is not None]
    if not found:
        return None
    first = min(found, key=document_position) if len(found) > 1 else found[0]
    return first.get("href")  # type: ignore[no-any-return]


_NEXT_CLASSES = etree.XPath("/descendant::*/@class[contains(., 'next')]")
_TITLED_OR_REL_NEXT = etree.XPath("//@title[. = '下一页']/.. | //@rel[. = 'next']/..")
"""The elements titled "下一页" or with ``rel=next``: their attributes are found faster than
the links are walked and asked (the first such link with an ``href`` is then the one of them
first in page order)."""
_WORDED_LINKS = etree.XPath("/descendant::a[contains(., '下一页')]")
_STRING = etree.XPath("string(.)", smart_strings=False)
_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


# -- a shop's contact page ----------------------------------------------------------------------


def _shop_lead(page: Page) -> tuple[Lead, list[Link]]:
    sel = page.selector
    name = clean_text(
        sel.xpath("//*[@id='companyName']/@title").get()
        or " ".join(sel.xpath("//*[@id='companyName']//text()").getall())
    )
    if not name:
        title = clean_text(sel.xpath("//title/text()").get() or "")
        m = re.match(r"(.+?(?:公司|厂|集团|商行|经营部))", title)
        name = m.group(1) if m else ""
    lead = Lead(name=name, country="CN")
    rows = box_rows(_contact_boxes(page) or [sel])
    apply_pairs(lead, rows, page, portal=PORTAL)
    values = _hidden_values(page)
    for input_id, label in _HIDDEN_PHONES:
        value = clean_text(values.get(input_id) or "")
        if re.search(r"\d{6}", value):
            add_phone(lead, value, label)
    if not lead.people:
        _people_from_description(lead, sel)
    region = clean_text(" ".join(_region_texts(page)))
    if region and not lead.region:
        parts = region.split()
        lead.region = parts[0]
        lead.city = parts[1] if len(parts) > 1 else ""
    lead.masked = any(p.masked for p in lead.phones)
    links = []
    if _is_shop(page.url):
        root = _shop_root(page.url)
        links.append(Link(root, "detail", name))
    return lead, links


def box_rows(boxes: Sequence[Selector]) -> list[tuple[str, str, Selector]]:
    """``label_pairs`` of each box in turn, all the rows in one list.

    A contact page nests its boxes (``ContactPage`` holds ``ContacCon3``): a box inside one
    read before has as its rows those of the outer box whose value (a label's sibling, so
    the label too) lies inside it, in the same order, so the outer box's rows are filtered
    instead of reading the inner box's subtree again.
    """
    rows: list[tuple[str, str, Selector]] = []
    done: list[tuple[Any, list[tuple[str, str, Selector]]]] = []
    for box in boxes:
        el = box.root
        if not isinstance(getattr(el, "tag", None), str):
            rows.extend(label_pairs(box))
            continue
        above = set(el.iterancestors())
        outer = next((found for top, found in done if top in above), None)
        if outer is None:
            found = label_pairs(box)
        else:
            found = [row for row in outer if _below(row[2].root, el)]
        done.append((el, found))
        rows.extend(found)
    return rows


def _below(node: Any, top: Any) -> bool:
    """Whether ``node`` is a descendant of ``top`` (not ``top`` itself)."""
    return any(above is top for above in node.iterancestors())


def _hidden_values(page: Page) -> dict[str, str]:
    """For each id of ``_HIDDEN_PHONES``, what ``//input[@id=…]/@value`` selects first (the
    first ``input`` of that id holding a value): one walk over the page's inputs, where the
    four queries walked all its elements each."""
    if page.root is None:
        return {
            input_id: value
            for input_id, _ in _HIDDEN_PHONES
            if (value := page.selector.xpath(f"//input[@id='{input_id}']/@value").get()) is not None
        }
    wanted = {input_id for input_id, _ in _HIDDEN_PHONES}
    values: dict[str, str] = {}
    for el in page.root.iter("input"):
        input_id = el.get("id")
        if input_id in wanted and input_id not in values:
            value = el.get("value")
            if value is not None:
                values[input_id] = value
    return values


def _region_texts(page: Page) -> list[str]:
    """The texts after the "所在地区" label (the element beside every element whose text holds
    it): a compiled query on the page's tree, without a selector for each of its hundreds of
    text nodes; ``contains(., …)`` as the label holds no white space to normalise."""
    if page.root is None:
        query = "//*[contains(normalize-space(.), '所在地区')]/following-sibling::*[1]//text()"
        return page.selector.xpath(query).getall()
    return _REGION_TEXTS(page.root)  # type: ignore[no-any-return]


_REGION_TEXTS = etree.XPath(
    "/descendant::*[contains(., '所在地区')]/following-sibling::*[1]/descendant::text()",
    smart_strings=False,
)


_BOXES = (
    "//*[contains(@class, 'ContacCon') or contains(@class, 'ContactPage')"
    " or contains(@class, 'contact')][.//text()[contains(., '联系人') or contains(., '电话')]]"
)


def _contact_boxes(page: Page) -> SelectorList[Selector]:
    """What ``_BOXES`` selects: the class values that may be a contact box's are listed
    (each of the three holds "ontac"), and only their elements' texts are searched."""
    if page.root is None:
        return page.selector.xpath(_BOXES)
    found = (
        c.getparent()
        for c in _CONTACT_CLASSES(page.root)
        if "ContacCon" in c or "ContactPage" in c or "contact" in c
    )
    return as_selectors(el for el in found if _HOLDS_CONTACT_TEXT(el))


_CONTACT_CLASSES = etree.XPath("/descendant::*/@class[contains(., 'ontac')]")
_HOLDS_CONTACT_TEXT = etree.XPath(
    "boolean(.//text()[contains(., '联系人') or contains(., '电话')])"
)


def _people_from_description(lead: Lead, sel: Selector) -> None:
    """The meta description says "联系人：张武副总经理" when the rows are not rendered."""
    desc = sel.xpath("//meta[@name='description']/@content").get() or ""
    m = re.search(r"联系人[:：]\s*([^，,。\s]{2,12})", desc)
    if m:
        found = split_name_title(m.group(1))
        if found:
            lead.people.append(Person(name=found[0], title=found[1]))


# -- fallback: any list that links to shops ----------------------------------------------------


def _shop_links(page: Page) -> tuple[list[Lead], list[Link]]:
    """Companies named by links to their hc360 shops (product lists, other list layouts)."""
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    for anchor in page.selector.xpath("//a[@href]"):
        href = page.urljoin(anchor.attrib["href"])
        if not _is_shop(href) or anchor.xpath(
            "ancestor::*[contains(@class, 'foot') or contains(@id, 'foot')]"
        ):
            continue
        name = clean_text(
            anchor.attrib.get("title") or " ".join(anchor.xpath(".//text()").getall())
        )
        if not _COMPANY_RE.search(name) or len(name) > 40 or name in leads:
            continue
        leads[name] = Lead(name=name, country="CN")
        root = _shop_root(href)
        links.append(Link(root, "detail", name))
        links.append(Link(root + "shop/company.html", "contact", name))
    return list(leads.values()), links


def _is_shop(url: str) -> bool:
    host = url_host(url)
    return host.endswith(".b2b.hc360.com") and host.split(".")[0] not in {"www", "my", "s"}


def _shop_root(url: str) -> str:
    scheme = split_url(url)[0] or "https"
    return f"{scheme}://{url_host(url)}/" if on_domains(url, PORTAL) else url
