"""qcc.com / qichacha.com (企查查): company-registry search, 企业名录 lists and firm pages.

企查查 republishes China's business register. Each company it lists becomes a lead: the
legal representative (法定代表人) as the person, the phone, e-mail, website and address the
register or the company's annual report gives, the unified social credit code as the
registration id, the business scope (经营范围) as products and the capital / founding date /
status as description. The page shapes read:

- result rows: a ``tr`` / ``section`` / ``li`` around a ``/firm_<keyno>.html`` (old) or
  ``/firm/<keyno>.html`` (current) link, whose text is "label：value" pairs
  (法定代表人：… 电话：… 地址：…); the province lists (``/g_SH.html``, 企业名录) mark values
  with icons instead of words, which are read by icon;
- the page state (``window.__INITIAL_STATE__``) of the current qcc.com, when no rows render;
- a firm page (``/firm/<keyno>.html``): the header block around the ``h1`` and the
  registration table (label cell → value cell), else the first company in its state.

Only result rows and the firm header are read, so the site's own hotline (400-928-2212),
客服 e-mail, ICP numbers, the logged-in user's account phone and the sample business card in
the "send card" dialog never reach a lead. "更多号码" lists a company's *earlier* numbers in an
onclick handler; they are stale and not shown, so they are left out.

The register vocabulary, the company record and the readers shared with 天眼查 live in
:mod:`spiders.pages.cn_registry`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    descendant_steps,
    embedded_json,
)
from spiders.pages.cn_registry import (
    CREDIT_CODE_RE,
    RegistryRecord,
    as_date,
    as_selector,
    block_around,
    card_text,
    empty_status,
    first_text,
    labelled_fields,
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

OWN_HOSTS = ("qcc.com", "qichacha.com")
_FIRM_RE = re.compile(r"/firm[_/](?:[A-Za-z]{2,5}_)?([0-9a-f]{32})", re.I)
_ICON_FIELDS = {
    "i-user3": "person",
    "i-user": "person",
    "i-clock": "founded",
    "i-bulb": "capital",
    "i-tag2": "industry",
    "i-local": "address",
    "i-phone": "phone",
    "i-mail": "email",
    "i-email": "email",
}
"""企业名录 lists (``/g_SH.html``) mark each value with an icon instead of a label."""
_BLOCK_MARKERS = (
    ("访问过于频繁", "企查查 rate limit (您的访问过于频繁)"),
    ("操作过于频繁", "企查查 rate limit (操作过于频繁)"),
    ("请完成下列验证", "企查查 verification (验证)"),
    ("滑动验证", "企查查 slider captcha"),
    ("nc_1_n1z", "企查查 slider captcha"),
    ("index_verify", "企查查 verification page"),
    ("用户验证", "企查查 verification (用户验证)"),
    ("安全验证", "企查查 security check (安全验证)"),
    ("验证码", "企查查 captcha (验证码)"),
)


class QichachaPage(PageParser):
    """企查查 search results, 企业名录 (province / industry lists) and firm pages."""

    name = "qichacha"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        selector = page.selector
        if _FIRM_RE.search(urlsplit(page.url).path):
            # a firm page lists other firms too (investments, branches): read only its own
            state = next(iter(_state_records(page)), None)
            record = _firm_page(page, selector)
            record = record.fill(state) if record else state
            records = [record] if record else []
        else:
            records = _html_rows(page, selector) or _state_records(page)
        records = [r for r in records if r.name]
        if records:
            leads, links = [], []
            for record in records:
                leads.append(record.to_lead())
                if record.detail_url and record.detail_url.rstrip("/") != page.url.rstrip("/"):
                    links.append(Link(record.detail_url, "detail", record.name))
                if record.website:
                    links.append(Link(record.website, "website", record.name))
            links.extend(next_page_link(page, selector))
            return self.result("ok", leads=leads, links=links)
        status, reason = empty_status(page, selector, site="企查查", markers=_BLOCK_MARKERS)
        return self.result(status, reason=reason)


# -- result rows ----------------------------------------------------------------------------


def _html_rows(page: Page, selector: Selector) -> list[RegistryRecord]:
    """One record per company row: the block around its firm link(s)."""

    def row_record(link: Selector, keyno: str) -> RegistryRecord | None:
        row, own = _row_of(link, keyno)
        return None if row is None else _row_record(page, row, keyno, own)

    return linked_records(selector, _keyno, row_record)


def _keyno(href: str) -> str:
    """The firm's key number in a firm-page link, lower-cased; "" for other links."""
    match = _FIRM_RE.search(href)
    return match.group(1).lower() if match else ""


def _row_of(link: Selector, keyno: str) -> tuple[Selector | None, list[str] | None]:
    """The row holding a firm link: the nearest tr / li / section / article about that firm only.

    Without such an element, the largest ancestor that still names only this firm and stays
    short (a div-based card). A row element comes with its links to the firm (the ``href``
    values ``element_link_ids`` would read, this firm's), which its firm page is picked from.
    """
    row = next((el for el in link.root.iterancestors(*_ROW_TAGS)), None)
    if row is not None:
        own = []
        for href in _HREFS(row):
            cid = _keyno(href)
            if cid:
                if cid != keyno:
                    break  # another firm's link: the row element is a list, not a row
                own.append(href)
        else:
            return as_selector(link, row), own
    return lone_block(link, keyno, _keyno), None


_ROW_TAGS = ("tr", "li", "section", "article")


def _row_record(
    page: Page, row: Selector, keyno: str, own: list[str] | None = None
) -> RegistryRecord | None:
    """A result row's company; the row is read on its lxml element, one compiled query per
    part (the row's name, icons, person link, e-mails, firm link; ``own``, the row's links to
    the firm, when they were listed already)."""
    el = row.root
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = _row_name(el, keyno)
    if not record.name:
        return None
    text = card_text(row.get())
    for key, label, value in labelled_fields(text):
        record.take(key, label, value)
    for icon in _ICONS(el):
        classes = (icon.get("class") or "").split()
        key = next((_ICON_FIELDS[c] for c in classes if c in _ICON_FIELDS), "")
        if not key:
            continue
        value = clean_text(next(iter(_NEXT_TEXT(icon)), None))
        if value:
            record.take(key, "电话" if key == "phone" else "", value)
    person = _PERSON_LINKS(el)
    if person:
        name = person_name(clean_text(_STRING(person[0])))
        record.person = name or record.person
    for email in _DATA_EMAILS(el):
        record.add_email(email)
    record.status = record.status or row_status(row)
    record.detail_url = _firm_url(page, el, keyno, own)
    if not (record.person or record.phones or record.emails or record.address or record.capital):
        return None  # a bare firm link (an advert, a "recently viewed" list), not a result row
    return record


_ICONS = etree.XPath(descendant_steps(".//i[contains(@class, 'i-')]"))
_NEXT_TEXT = etree.XPath("following-sibling::text()[1]", smart_strings=False)
_PERSON_LINKS = etree.XPath(
    descendant_steps(
        ".//a[contains(@href, '/people') or contains(@href, '/pl/') or contains(@href, '/pl_')"
        " or contains(@class, 'legal') or contains(@class, 'oper')]"
    )
)
_DATA_EMAILS = etree.XPath(".//@data-email", smart_strings=False)
_STRING = etree.XPath("string(.)", smart_strings=False)
_ROW_NAMES = tuple(
    etree.XPath(descendant_steps(query))
    for query in (
        ".//a[contains(@class, 'ma_h1')]",
        ".//a[contains(@href, $k)][contains(@class, 'title')]",
        ".//a[contains(@href, $k)]//*[contains(@class, 'name') or contains(@class, 'title')]",
        ".//*[contains(@class, 'maininfo')]//*[contains(@class, 'title')]",
        ".//span[contains(@class, 'name')]",
        ".//a[contains(@href, $k)]",
    )
)
_DATA_NAME = etree.XPath(".//@data-name", smart_strings=False)
_HREFS = etree.XPath(".//a/@href", smart_strings=False)


def _row_name(row: Any, keyno: str) -> str:
    for query in _ROW_NAMES:
        for node in query(row, k=keyno):
            name = _checked_name(clean_text(_STRING(node)))
            if name:
                return name
    return plain(next(iter(_DATA_NAME(row)), ""))


def _name_text(node: Selector) -> str:
    return _checked_name(clean_text(node.xpath("string(.)").get()))


_NOT_NAME_RE = re.compile(r"评论|关注|法定代表人|：")


def _checked_name(name: str) -> str:
    """``name`` unless it is empty, too long or a label's text rather than a name."""
    if not name or len(name) > 80 or _NOT_NAME_RE.search(name):
        return ""
    return name


def _firm_url(page: Page, row: Any, keyno: str, own: list[str] | None = None) -> str:
    """The firm page: the row's own link (the plain ``/firm_<keyno>.html`` one first)."""
    hrefs = [h for h in _HREFS(row) if _keyno(h) == keyno] if own is None else list(own)
    hrefs.sort(key=lambda h: ("#" in h, len(h)))
    return page.urljoin(hrefs[0].split("#")[0]) if hrefs else ""


# -- page state (current qcc.com) -----------------------------------------------------------


def _is_state_record(item: dict[str, Any]) -> bool:
    return isinstance(item.get("Name"), str) and bool(
        item.get("KeyNo") or item.get("OperName") or item.get("CreditCode")
    )


def _state_records(page: Page) -> list[RegistryRecord]:
    state = embedded_json(page.text, "window.__INITIAL_STATE__") or embedded_json(
        page.text, "__INITIAL_STATE__"
    )
    if not isinstance(state, dict):
        return []
    return state_records(state, _is_state_record, lambda item: _state_record(page, item))


def _state_record(page: Page, item: dict[str, Any]) -> RegistryRecord:
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = first_text(item.get("Name"))
    oper = _dict(item.get("Oper"))
    contact = _dict(item.get("ContactInfo"))
    record.person = person_name(first_text(item.get("OperName"), oper.get("Name")))
    phones = texts(item.get("ContactNumber")) or texts(contact.get("PhoneNumber"))
    phones = phones or texts(item.get("Tel")) or texts(item.get("TelList"), "t", "Tel")
    for raw in phones[:3]:
        record.add_phone(raw)
    emails = texts(item.get("Email")) or texts(contact.get("Email"))
    for raw in emails or texts(item.get("EmailList"), "e", "Email"):
        record.add_email(raw)
    sites = texts(item.get("GW")) or texts(contact.get("WebSite"), "Url", "url")
    for raw in sites or texts(item.get("WebSite"), "Url", "url"):
        record.set_website(raw)
    record.address = first_text(item.get("Address"))
    record.credit = first_text(item.get("CreditCode"))
    record.regno = first_text(item.get("No"))
    record.scope = trim_scope(first_text(item.get("Scope")))
    record.capital = first_text(item.get("RegistCapi"))
    record.founded = as_date(item.get("StartDate")) if item.get("StartDate") else ""
    record.status = first_text(item.get("ShortStatus"), item.get("Status"))
    record.industry = (
        first_text(item.get("Industry")) if isinstance(item.get("Industry"), str) else ""
    )
    keyno = first_text(item.get("KeyNo"))
    if re.fullmatch(r"[0-9a-f]{32}", keyno):
        record.detail_url = f"https://www.qcc.com/firm/{keyno}.html"
    return record


# -- firm pages -----------------------------------------------------------------------------


def _firm_page(page: Page, selector: Selector) -> RegistryRecord | None:
    """A firm page: the header block around the ``h1`` and the registration table."""
    heading = selector.xpath(
        "//*[@id='company-top' or contains(@class, 'company-header')"
        " or contains(@class, 'firm-header')]//h1 | //h1"
    )
    if not heading:
        return None
    record = RegistryRecord(own_hosts=OWN_HOSTS)
    record.name = _name_text(heading[0])
    header = block_around(heading[0])
    for key, label, value in labelled_fields(card_text(header.get())):
        if key in ("phone", "fax", "email", "website", "address", "person", "credit"):
            record.take(key, label, value)
    for href in header.xpath(".//a[contains(@class, 'company-link') or @rel='nofollow']/@href"):
        record.set_website(href.get())
    for key, label, value in table_fields(selector):
        record.take(key, label, value)
    if not record.credit:
        match = CREDIT_CODE_RE.search(page.visible_text)
        record.credit = match.group(0) if match else ""
    record.status = record.status or row_status(header)
    return record if record.name else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
