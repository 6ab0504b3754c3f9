"""tianyancha.com (天眼查): company-registry search results and company pages.

天眼查 republishes China's business register, like 企查查 (the register labels and the
:class:`~spiders.pages.cn_registry.RegistryRecord` that turns them into a lead are shared). Each
company becomes a lead with its legal representative (法定代表人) as the person, the phones
and e-mails the site lists, website, address, unified social credit code and business scope.

What is particular to 天眼查:

- **Masked contacts.** Visitors who are not logged in (or not VIP) see ``0411-8278****`` and
  ``***@qq.com``; those are kept with ``masked=True`` and never count as usable.
- **More numbers than are shown.** "查看更多" opens a list that sits in the page as JSON
  (``<script type="text/html">["138…","0411-…"]</script>``); every number in it is the
  company's, so all are read.
- **An obfuscating web font.** Text in ``<text class="tyc-num">`` is drawn with a font that
  maps its characters to others: company names on search pages read "风连奥格窗第有限公待" for
  大连奥格窗业有限公司, capitals "877万路手币". Such text is never used: a value's ``title``
  attribute (the real text) or the logo's ``alt`` (the real name) replaces it, and what
  cannot be recovered (a business scope, a date) is left out and said in ``reason``.
- **The viewer's own phone** shows in the header when logged in (``153 **** 5166``); only
  the company block, the registration table and the result cards are read, never the header,
  the footer (400-871-6266, bd@tianyancha.com) or the "同地区同行业公司" list.

The current site renders from Next.js state (``__NEXT_DATA__``); when result cards or the
company block are missing, that state is read instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector, SelectorList

from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    as_selectors,
    clean_text,
    embedded_json,
)
from spiders.pages.cn_registry import (
    CREDIT_CODE_RE,
    RegistryRecord,
    as_date,
    block_around,
    card_text,
    empty_status,
    first_text,
    json_records,
    labelled_fields,
    link_ids,
    linked_records,
    lone_block,
    next_page_link,
    person_name,
    plain,
    row_status,
    state_records,
    table_fields,
    texts,
    trim_scope,
)

OWN_HOSTS = ("tianyancha.com",)
_COMPANY_RE = re.compile(r"/company/(\d{3,})")
_TITLED_FONT_RE = re.compile(
    r"(<(?P<tag>\w+)\b[^>]*?\btitle=(?P<q>[\"'])(?P<title>[^\"']*)(?P=q)[^>]*>)\s*"
    r"<text\b[^>]*\bclass=[\"'][^\"']*\btyc-num\b[^\"']*[\"'][^>]*>.*?</text>",
    re.S | re.I,
)
_FONT_RE = re.compile(
    r"<text\b[^>]*\bclass=[\"'][^\"']*\btyc-num\b[^\"']*[\"'][^>]*>.*?</text>", re.S | re.I
)
_CARD_CLASSES = ("search-result-single", "search-item", "index_search-box", "search-box")
_BLOCK_MARKERS = (
    ("antirobot", "天眼查 robot check (antirobot)"),
    ("不是机器人", "天眼查 robot check"),
    ("访问过于频繁", "天眼查 rate limit (您的访问过于频繁)"),
    ("访问出现异常", "天眼查 unusual-access check"),
    ("身份验证", "天眼查 verification (身份验证)"),
    ("请完成验证", "天眼查 verification"),
    ("滑动验证", "天眼查 slider captcha"),
    ("geetest", "天眼查 captcha (geetest)"),
    ("验证码", "天眼查 captcha (验证码)"),
)
_FONT_REASON = (
    "some text is drawn in 天眼查's obfuscating font (tyc-num): names come from the logo's alt "
    "text and values from their title attributes; garbled values were left out"
)


class TianyanchaPage(PageParser):
    """天眼查 search results (``/search?key=``) and company pages (``/company/<id>``)."""

    name = "tianyancha"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        cleaned, garbled = readable_html(page.text)
        # the page's own tree unless garbled text was taken out: then the new markup's, read
        # as a page of its own (its tree, its indexes), the page itself still giving the
        # state, the links' base and the status
        view = Page(url=page.url, text=cleaned) if garbled else page
        selector = view.selector
        company_page = bool(_COMPANY_RE.search(urlsplit(page.url).path))
        if company_page:
            record = _company_page(view, selector)
            record = record.fill(_state_company(page)) if record else _state_company(page)
            records = [record] if record else []
        else:
            records = _search_cards(page, selector) or _state_search(page)
        records = [r for r in records if r.name]
        if not records:
            status, reason = empty_status(page, selector, site="天眼查", markers=_BLOCK_MARKERS)
            return self.result(status, reason=reason)
        leads, links = [], []
        for record in records:
            leads.append(record.to_lead())
            if record.detail_url and not company_page:
                links.append(Link(record.detail_url, "detail", record.name))
            if record.website:
                links.append(Link(record.website, "website", record.name))
        if not company_page:
            links.extend(next_page_link(page, selector))
        return self.result("ok", leads=leads, links=links, reason=_FONT_REASON if garbled else "")


def readable_html(text: str) -> tuple[str, bool]:
    """The page with the obfuscated-font text replaced by its title, or removed.

    Returns the new markup and whether any garbled text was found.
    """
    garbled = bool(_FONT_RE.search(text))
    if not garbled:
        return text, False

    def titled(m: re.Match[str]) -> str:
        title = m.group("title").strip()
        return m.group(1) + (title if title else "")

    text = _sub_titled(text, titled)
    return _FONT_RE.sub("", text), True


_TEXT_OPEN_RE = re.compile(r"<text\b", re.I)


def _sub_titled(text: str, repl: Callable[[re.Match[str]], str]) -> str:
    """``_TITLED_FONT_RE.sub(repl, text)``, with the pattern tried only where a match can begin.

    The pattern is tried at every ``<`` of the page (3–6 ms a page), yet a match needs a
    font ``<text>`` just after its tag, and pages hold a few. A match starts at a ``<`` from
    :func:`_titled_start_bound` of its font tag up to that tag: those ``<`` are tried in
    order (a search from the bound went on through the page whenever the tag before a font
    had no title).
    """
    fonts = [m.start() for m in _TEXT_OPEN_RE.finditer(text) if _FONT_RE.match(text, m.start())]
    starts = sorted(
        {
            start
            for font in fonts
            for start in _tag_starts(text, _titled_start_bound(text, font), font + 1)
        }
    )
    out: list[str] = []
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = _TITLED_FONT_RE.match(text, start)
        if m is None:
            continue
        out.append(text[pos : m.start()])
        out.append(repl(m))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _tag_starts(text: str, start: int, end: int) -> Iterator[int]:
    """The positions of ``<`` in ``text[start:end]``."""
    pos = text.find("<", start, end)
    while pos != -1:
        yield pos
        pos = text.find("<", pos + 1, end)


def _titled_start_bound(text: str, font: int) -> int:
    """No ``_TITLED_FONT_RE`` match whose font tag starts at ``font`` starts before this.

    Such a match is a tag (``<t … title="…" …>``), white space, then the font tag. Only the
    title's value, which holds no quote, may hold a ``>``: so the match starts after the
    last ``>`` before the tag's end (``a``), or when ``a`` is in the title after the last
    ``>`` before the quote that opens it.
    """
    end = text.rfind(">", 0, font)  # the tag's own ">"
    if end == -1:
        return 0
    a = text.rfind(">", 0, end)
    if a == -1:
        return 0
    quote = max(text.rfind('"', 0, a), text.rfind("'", 0, a))
    if quote == -1:
        return a + 1
    return text.rfind(">", 0, quote) + 1


# -- search results -------------------------------------------------------------------------


def _company_id(href: str) -> str:
    match = _COMPANY_RE.search(href or "")
    return match.group(1) if match else ""


def _search_cards(page: Page, selector: Selector) -> list[RegistryRecord]:
    def card_record(link: Selector, cid: str) -> RegistryRecord | None:
        card = _card_of(link, cid)
        return None if card is None else _card_record(page, card, link, cid)

    return linked_records(selector, _company_id, card_record)


def _card_of(link: Selector, cid: str) -> Selector | None:
    """The result card around a company link: a known card class, else the largest block
    that names only this company and stays short."""
    classes = " or ".join(f"contains(@class, '{c}')" for c in _CARD_CLASSES)
    for card in reversed(link.xpath(f"ancestor::div[{classes}]")):
        if link_ids(card, _company_id) <= {cid}:
            return card
    return lone_block(link, cid, _company_id)


def _card_record(page: Page, card: Selector, link: Selector, cid: str) -> RegistryRecord | None:
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = _card_name(card, link, cid)
    if not record.name:
        return None
    for key, label, value in labelled_fields(card_text(card.get())):
        record.take(key, label, value)
    person = card.xpath(
        ".//a[contains(@class, 'legalPerson') or contains(@href, '/human/')][normalize-space(.)]"
    )
    if person:
        name = person_name(clean_text(person[0].xpath("string(.)").get()))
        record.person = name or record.person
    for value in card.xpath(".//script[@type='text/html']/text()").getall():
        _add_listed(record, value)
    record.status = record.status or row_status(card)
    record.region = clean_text(card.xpath(".//*[contains(@class, 'site')]/text()").get())
    record.detail_url = f"https://www.tianyancha.com/company/{cid}"
    if not (record.person or record.phones or record.emails or record.capital or record.address):
        return None  # a bare company link (an advert, a related-company list)
    return record


def _card_name(card: Selector, link: Selector, cid: str) -> str:
    """The company name: the link's text, or the logo's alt when the font hid the text."""
    candidates = [
        clean_text(link.xpath("string(.)").get()),
        clean_text(link.xpath("@title").get()),
        *(
            clean_text(a.xpath("string(.)").get())
            # the id as a variable: one compiled query for every card, not one per company
            for a in card.xpath(".//a[contains(@href, $company)]", company=f"/company/{cid}")
        ),
        *(plain(alt) for alt in card.xpath(".//img/@alt").getall()),
    ]
    for name in candidates:
        if name and len(name) <= 80 and not re.search(r"logo|图标|：|查看|详情", name, re.I):
            return name
    return ""


def _add_listed(record: RegistryRecord, value: str) -> None:
    """A "查看更多" list (JSON in a ``text/html`` script): phones or e-mails, or one address."""
    try:
        data = json.loads(value)
    except ValueError:
        return
    if isinstance(data, str):
        if not record.address and re.search(r"[省市区县路号]", data):
            record.address = clean_text(data)
        return
    if not isinstance(data, list) or not all(isinstance(v, str) for v in data):
        return
    for item in data:
        if "@" in item:
            record.add_email(item)
        elif re.fullmatch(r"[\d*()+ -]{6,}", item.strip()):
            record.add_phone(item)


# -- company pages --------------------------------------------------------------------------


_TOP_XPATH = (
    "//*[@id='company_web_top'] | //*[contains(@class, 'company-header')]"
    " | //*[contains(@class, 'index_company-header')]"
)


def _company_top(page: Page, selector: Selector) -> SelectorList[Selector]:
    """What ``_TOP_XPATH`` selects, read from the page's id and class values in one list
    (the query tested two classes on every element); the selector's own page aside."""
    if not page.owns(selector) or page.root is None:
        return selector.xpath(_TOP_XPATH)
    # "index_company-header" holds "company-header": the third branch adds nothing
    return as_selectors(
        _marked(page, lambda name, value: name == "class" or value == "company_web_top")
    )


def _base_info(page: Page, selector: Selector) -> SelectorList[Selector]:
    """``//*[@id='_container_baseInfo']`` (the registration block), from the page's id values
    when ``selector`` is the page's own."""
    if not page.owns(selector) or page.root is None:
        return selector.xpath("//*[@id='_container_baseInfo']")
    return as_selectors(
        _marked(page, lambda name, value: name == "id" and value == "_container_baseInfo")
    )


def _marked(page: Page, keep: Callable[[str, str], bool]) -> list[Any]:
    """The elements, in page order, with one of the page's ``_MARKS`` values that
    ``keep(attribute, value)`` accepts.

    The company block and the registration table are found by an ``id`` or a class piece:
    the attributes that can be theirs are listed once per page (an index of every ``id``
    and ``class`` value of the page cost twice as much).
    """
    marks = page.memo("tianyancha_marks", lambda: list(_MARKS(page.root)))
    out: dict[Any, None] = {}
    for value in marks:
        if keep(value.attrname, str(value)):
            out[value.getparent()] = None
    return list(out)


_MARKS = etree.XPath(
    "/descendant::*/@id[. = 'company_web_top' or . = '_container_baseInfo']"
    " | /descendant::*/@class[contains(., 'company-header')]"
)


def _company_page(page: Page, selector: Selector) -> RegistryRecord | None:
    """The company block (name, contacts) and the registration table (工商信息).

    ``page`` is the one ``selector`` reads (the page without its garbled text, if any)."""
    top = _company_top(page, selector)
    heading = (top[0].xpath(".//h1") if top else []) or selector.xpath("//h1")
    if not heading:
        return None
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = clean_text(heading[0].xpath("string(.)").get())
    if not record.name or len(record.name) > 80:
        alt = top[0].xpath(".//img/@alt").get() if top else ""
        record.name = plain(alt or "")
    block = top[0] if top else block_around(heading[0])
    detail = [
        node
        for node in block.xpath(".//*[contains(@class, 'detail')]")
        if re.search(r"电话|邮箱|地址", node.xpath("string(.)").get() or "")
    ] or [block]
    for value in detail[0].xpath(".//script[@type='text/html']/text()").getall():
        _add_listed(record, value)
    address = block.xpath(".//*[contains(@class, 'address')]/@title").get()
    if address and not record.address:
        record.address = clean_text(address)
    for href in block.xpath(".//a[contains(@class, 'company-link')]/@href").getall():
        record.set_website(href)
    for key, label, value in labelled_fields(card_text(detail[0].get())):
        if key in ("phone", "fax", "email", "website", "address", "person"):
            record.take(key, label, trim_scope(value) if key == "address" else value)
    base = _base_info(page, selector) or [selector]
    person = base[0].xpath(
        ".//*[contains(@class, 'humancompany') or contains(@class, 'legal-representative')]"
        "//a[normalize-space(.)]"
        " | .//a[contains(@class, 'legalPerson')][normalize-space(.)]"
    )
    if person:
        record.person = person_name(clean_text(person[0].xpath("string(.)").get()))
    for key, label, value in table_fields(base[0]):
        record.take(key, label, value)
    if not record.credit:
        match = CREDIT_CODE_RE.search(clean_text(base[0].xpath("string(.)").get()))
        record.credit = match.group(0) if match else ""
    record.status = record.status or row_status(block)
    return record if record.name else None


# -- page state (current tianyancha.com, Next.js) ---------------------------------------------


def _is_company_json(item: dict[str, Any]) -> bool:
    return isinstance(item.get("name"), str) and any(
        k in item for k in ("legalPersonName", "creditCode", "regCapital", "regLocation")
    )


def _state(page: Page) -> Any:
    return embedded_json(page.text, 'id="__NEXT_DATA__" type="application/json">') or (
        embedded_json(page.text, "__NEXT_DATA__ =")
    )


def _state_company(page: Page) -> RegistryRecord | None:
    """The page's own company: the first in the state (the ones after it are related firms)."""
    for item in json_records(_state(page), _is_company_json):
        return _json_record(item)
    return None


def _state_search(page: Page) -> list[RegistryRecord]:
    return state_records(_state(page), _is_company_json, _json_record)


def _json_record(item: dict[str, Any]) -> RegistryRecord:
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = first_text(item.get("name"))
    record.person = person_name(first_text(item.get("legalPersonName")))
    phones = texts(item.get("phoneList")) or texts(item.get("phoneInfoList"), "number", "phone")
    for raw in phones or texts(item.get("phoneNumber")) or texts(item.get("phone")):
        record.add_phone(raw)
    emails = texts(item.get("emailList")) or texts(item.get("emails"))
    for raw in emails or texts(item.get("email")):
        record.add_email(raw)
    sites = texts(item.get("websiteList")) or texts(item.get("websites"))
    for raw in sites or texts(item.get("website")):
        record.set_website(raw)
    record.address = first_text(item.get("regLocation"), item.get("address"))
    record.credit = first_text(item.get("creditCode"))
    record.regno = first_text(item.get("regNumber"))
    record.scope = trim_scope(first_text(item.get("businessScope")))
    record.capital = first_text(item.get("regCapital"))
    record.founded = as_date(item.get("estiblishTime")) if item.get("estiblishTime") else ""
    record.status = first_text(item.get("regStatus"))
    record.region = first_text(item.get("base")) if isinstance(item.get("base"), str) else ""
    cid = first_text(item.get("id"), item.get("graphId"), item.get("cid"))
    if cid.isdigit():
        record.detail_url = f"https://www.tianyancha.com/company/{cid}"
    return record
