"""huangye88.com (黄页88网): company lists, search results and a company's own shop pages.

Two kinds of page. A list (``b2b.huangye88.com/<city>/<trade>/``, ``pn2/`` …, and the site
search ``www.huangye88.com/search.html?kw=…``) shows company cards: the name linking to the
company's shop, a phone, 主营产品, an address and a line of introduction. A shop
(``b2b.huangye88.com/qiye<id>/``, ``<name>.b2b.huangye88.com/``, their ``company_contact.html``
and ``company_detail.html``) is one company: 公司信息 and 联系方式 boxes of "label：value" rows
(联系人, 手机, 电话, 传真, 邮箱, 公司地址, 主营产品, 公司网站). Rows are read only from the
company's own boxes, never from the 相关产品 / 相关公司 / VIP推荐 lists (other companies), the
留言板 form or the portal's chrome, so huangye88's own numbers never become a company's.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from lxml import etree
from parsel import Selector

from leadharvest.items import Email, Lead, Person, Phone
from spiders.pages.b2b import next_link
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    detect_block,
    url_host,
)
from spiders.pages.contacts import find_emails, find_phones, is_masked, split_name_title

PORTAL = ("huangye88.com", "huangye88.cn", "huangye88.net")
_SHOP_RE = re.compile(
    r"^https?://(?:b2b\.huangye88\.com/(?:qiye\d+|gongsi/\d+)/?"
    r"|m\.huangye88\.com/(?:qiye|gongsi)/\d+/?"
    r"|(?!www\.|b2b\.|m\.)[a-z0-9-]+\.b2b\.huangye88\.com/?)",
    re.I,
)
"""A company's shop on huangye88 (the detail page a card links to)."""

_LABELS: tuple[tuple[str, str], ...] = (
    ("person", r"联\s*系\s*人|联系人姓名|负责人"),
    ("title", r"职\s*位|职\s*务"),
    ("skip", r"客服|投诉|举报|监督|最新登录|登录时间|注册时间|更新时间|用户认证|浏览"),
    ("fax", r"传\s*真"),
    (
        "phone",
        r"手\s*机(?:号码?)?|移动电话|(?:联系|固定|办公|公司|业务|销售)?电\s*话|座\s*机|固\s*话",
    ),
    ("email", r"电子邮(?:件|箱)|邮\s*箱|e-?mail"),
    ("qq", r"qq"),
    ("wechat", r"微\s*信(?:号)?"),
    ("address", r"(?:公司|联系|详细|经营|办公)?地\s*址|所\s*在\s*地"),
    ("products", r"主营产品|主营业务|主\s*营|经营范围"),
    ("website", r"公司网站|公司官网|官\s*网|网\s*址|网\s*站|公司主页"),
    ("registration", r"统一社会信用代码|社会信用代码|工商注册号|营业执照号|注\s*册\s*号"),
    ("model", r"经营模式|企业类型|公司类型"),
    ("name", r"公司名称|企业名称|名\s*称"),
)
_LABEL_RE = re.compile(
    "|".join(f"(?P<{kind}{i}>{pat})" for i, (kind, pat) in enumerate(_LABELS)), re.I
)
_COLON_RE = re.compile("[:：]")
_JOIN = "\u2063"
"""Invisible separator put between a row's text nodes: a label starts a node (``<label>``), so
"…有限公司<span>电话：" still shows where 电话 begins, while "投诉电话：" does not match 电话."""
_PAIR_RE = re.compile(
    rf"(?:^|(?<=[\s,，;；|{_JOIN}]))(?:{_LABEL_RE.pattern})[\s{_JOIN}]*[:：]", re.I
)
_ROW_XPATH = (
    ".//*[self::li or self::dd or self::dt or self::p or self::tr or self::div]"
    "[not(.//li or .//dd or .//p or .//tr or .//div or .//dl or .//ul)]"
)
_NOT_COMPANY_XPATH = (
    "//*[self::form or self::script or self::style or self::nav"
    " or (contains(concat(' ', @class), ' related-') and not(contains(@class, 'related-box')))"
    " or contains(@class, 'estee') or contains(@class, 'r-latest') or contains(@class, 'footer')"
    " or contains(@class, 'sou') or contains(@class, 'bread') or contains(@class, 'meun')"
    " or contains(@class, 'consultation') or contains(@id, 'floatTools')]"
)
"""Other companies' lists, the message form, the search box, breadcrumbs and the chrome."""
_CARD_XPATH = (
    "//div[contains(@class, 'mach_list')]//dl[.//h4//a]"
    " | //dl[.//a[@itemprop='name']][not(ancestor::dl[.//a[@itemprop='name']])]"
)
_MODELS = (
    (r"生产|加工|制造|工厂", "manufacturer"),
    (r"经销|批发|分销", "wholesaler_distributor"),
    (r"零售", "retailer"),
    (r"贸易|代理|进出口", "agent_trading"),
    (r"服务", "service"),
)
_NO_RESULT_RE = re.compile(
    r"没有找到|未找到|暂无(?:相关)?(?:数据|信息|企业|公司|结果)|找到\s*0\s*(?:条|家)"
)
_BLOCK_MARKERS = (
    ("验证码", "captcha (验证码)"),
    ("安全验证", "security check (安全验证)"),
    ("访问过于频繁", "rate limited (访问过于频繁)"),
    ("访问频率过快", "rate limited"),
    ("请求过于频繁", "rate limited"),
    ("人机验证", "captcha (人机验证)"),
)


class _Row(NamedTuple):
    """One "label：value" pair and the element it was read from."""

    kind: str
    label: str
    """The page's own word (手机, 联系电话, 传真): what a trainee reads and enrichment parses."""
    value: str
    node: Selector


_COMPANY_WORD_RE = re.compile(r"公司|厂|店|部|中心|行|社|集团|工作室|商贸|科技|有限")
_TITLE_SPLIT_RE = re.compile(r"\s*[-_|–—]\s*")


class Huangye88Page(PageParser):
    """huangye88 company lists / search results and company shop pages."""

    name = "huangye88"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        cards = page.selector.xpath(_CARD_XPATH)
        if cards:
            leads, links = _card_leads(cards, page)
            if leads:
                return self.result("ok", leads=leads, links=links + _next_link(page))
        lead = _shop_lead(page)
        if lead is not None:
            return self.result("ok", leads=[lead], links=_shop_links(page, lead))
        blocked = _blocked(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        found_none = _NO_RESULT_RE.search(page.visible_text)
        reason = "huangye88 found no companies" if found_none else "no companies on the page"
        return self.result("no_results", reason=reason)


# --- list and search pages ---------------------------------------------------------------------


def _card_leads(cards: list[Selector], page: Page) -> tuple[list[Lead], list[Link]]:
    """One lead per company; a search page listing several offers of one company merges them."""
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    for card in cards:
        anchor = (card.xpath(".//a[@itemprop='name']") or card.xpath(".//h4//a"))[:1]
        if not anchor:
            continue
        name = clean_text(anchor.xpath("@title").get() or "") or _text(anchor[0])
        href = page.urljoin(anchor.xpath("@href").get() or "")
        if not _SHOP_RE.match(href):  # a product card: the seller is named in its own link
            seller = [
                a
                for a in card.xpath(".//a[@href]")
                if _SHOP_RE.match(page.urljoin(a.attrib["href"]))
            ]
            product = name
            if seller:
                name, href = _text(seller[0]), page.urljoin(seller[0].attrib["href"])
            elif not _COMPANY_WORD_RE.search(name):
                continue
        else:
            product = ""
        full_name, name = name, _strip_person(name)
        if not name:
            continue
        lead = leads.get(name)
        if lead is None:
            lead = leads[name] = Lead(name=name, country="CN")
            if _SHOP_RE.match(href):
                links.append(Link(href, "detail", name))
                links.append(Link(_contact_url(href), "contact", name))
        if full_name != name:  # "…有限公司(郭经理)": the card's contact
            _add_person(lead, full_name[len(name) :].strip(" (（)）"))
        _apply_rows(lead, _rows(card, company_only=False), page)
        for node in card.xpath(".//*[@itemprop='address']"):
            lead.address_raw = lead.address_raw or _text(node)
        for node in card.xpath("./dt//span | .//*[@itemprop='telephone']"):
            for phone in find_phones(_text(node), label="电话"):
                _add_phone(lead, phone)
        intro = card.xpath(".//dd[contains(@class, 'txt')]")
        if intro and not lead.description:
            lead.description = _text(intro[0])
        if product:
            lead.products = "; ".join(p for p in (lead.products, product) if p)
    for lead in leads.values():
        _finish(lead)
    return list(leads.values()), links


def _next_link(page: Page) -> list[Link]:
    return next_link(
        page,
        "//div[contains(@class, 'page_tag')]//a[normalize-space(.)='下一页']/@href"
        " | //a[normalize-space(.)='下一页']/@href | //a[@rel='next']/@href",
    )


# --- a company's shop --------------------------------------------------------------------------


def _shop_lead(page: Page) -> Lead | None:
    """The company a shop page (home, 联系我们, 公司介绍) is about, or None on other pages."""
    sel = page.selector
    rows = [row for node in sel.xpath("//body") for row in _rows(node)]
    name = (
        _text_of(sel.xpath("//h1[contains(@class, 'big')]"))
        or clean_text(sel.xpath("//input[@name='info[coname]']/@value").get() or "")
        or _text_of(sel.xpath("//*[contains(@class, 'banner-text')]"))  # m.huangye88.com
    )
    if not name and _SHOP_RE.match(page.url):  # other shop templates: a 名称 row, the title
        name = next((row.value for row in rows if row.kind == "name"), "") or _title_name(page)
    name = _strip_person(name)
    if not name:
        return None
    lead = Lead(name=name, country="CN")
    _apply_rows(lead, rows, page)
    if not lead.phones:  # the shop header shows the number alone
        for node in sel.xpath(
            "//div[contains(@class, 'telephone')] | //*[contains(@class, 'iphone-number')]"
        ):
            for phone in find_phones(_text(node), label="电话"):
                _add_phone(lead, phone)
    intro = sel.xpath(
        "//div[contains(@class, 'r-content')]//p[contains(@class, 'txt')]"
        " | //div[contains(@class, 'introduce')]//p"
    )
    if intro:
        lead.description = re.sub(r"【\s*查看详情\s*】$", "", _text(intro[0])).strip()
    if not lead.products:
        lead.products = clean_text(
            sel.xpath("//h1[contains(@class, 'big')]/following-sibling::p[1]//text()").get() or ""
        )
    _location(lead, sel)
    _finish(lead)
    if not (lead.phones or lead.emails or lead.people or lead.address_raw):
        return None
    return lead


def _shop_links(page: Page, lead: Lead) -> list[Link]:
    links = []
    if lead.website:
        links.append(Link(lead.website, "website", lead.name))
    home = _shop_root(page.url)
    if home and not page.url.rstrip("/").endswith("company_contact.html"):
        links.append(Link(_contact_url(home), "contact", lead.name))
    return links


def _location(lead: Lead, sel: Selector) -> None:
    """Province and city from ``<meta name="location" content="province=广东;city=深圳">``."""
    meta = sel.xpath("//meta[@name='location']/@content").get() or ""
    fields = dict(part.split("=", 1) for part in meta.split(";") if "=" in part)
    lead.region = lead.region or clean_text(fields.get("province", ""))
    lead.city = lead.city or clean_text(fields.get("city", ""))


# --- label / value rows ------------------------------------------------------------------------


def _rows(scope: Selector, *, company_only: bool = True) -> list[_Row]:
    """Every "label：value" in ``scope``, in page order.

    On a shop page (``company_only``) rows inside other companies' lists, forms and the chrome
    are left out; a list card is already one company's, so it is read whole.
    """
    out: list[_Row] = []
    skipped = _not_company(scope) if company_only else set()
    holders = _colon_holders(scope)
    for element in _row_elements(scope):
        if element.tag != "tr" and not (
            element in holders
            if holders is not None
            else _COLON_RE.search("".join(element.itertext()))
        ):
            continue  # most rows hold no "label：" at all; skip them before any XPath
        if skipped and (element in skipped or any(a in skipped for a in element.iterancestors())):
            continue
        node = type(scope)(root=element, type=scope.type)  # as ``scope.xpath`` gives it
        text = _row_text(node)
        if not text or len(text) > 400:
            continue
        matches = list(_PAIR_RE.finditer(text))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = clean_text(text[m.end() : end].replace(_JOIN, "")).strip(" ,，;；|")
            kind = next(k for k, v in m.groupdict().items() if v is not None).rstrip("0123456789")
            label = re.sub(rf"[\s{_JOIN}]+", "", m.group(0)).rstrip(":：")
            if value and kind != "skip":
                out.append(_Row(kind, label, value, node))
    return out


def _colon_holders(scope: Selector) -> set[Any] | None:
    """The elements with a colon (``_COLON_RE``) in their text, for an HTML ``scope``.

    A colon is one character, so it lies in one text node: the elements holding one are the
    owners of the text nodes with a colon (an element's ``.text`` or its child's ``.tail``)
    and their ancestors. One query finds those few text nodes in C, where joining each row
    element's text in Python (a shop page has a hundred, most without a colon) took longer.
    None for other trees, which join each row's text.
    """
    root = scope.root
    if scope.type != "html" or not isinstance(getattr(root, "tag", None), str):
        return None
    holders: set[Any] = set()
    for text in _COLON_TEXTS(root):
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        while owner is not None and owner not in holders:
            holders.add(owner)
            owner = owner.getparent()
    return holders


_COLON_TEXTS = etree.XPath("descendant::text()[contains(., ':') or contains(., '：')]")
_ROW_TAGS = ("li", "dd", "dt", "p", "tr", "div")
_BLOCK_TAGS = ("li", "dd", "p", "tr", "div", "dl", "ul")


def _row_elements(scope: Selector) -> list[Any]:
    """The elements ``_ROW_XPATH`` selects below ``scope``, in page order.

    A row element is one of ``_ROW_TAGS`` with none of ``_BLOCK_TAGS`` below it: the block
    elements mark their ancestors once (each climb stops at one already marked), where the
    query searched every candidate's whole subtree seven times. Trees not parsed as HTML are
    left to the query.
    """
    root = scope.root
    if scope.type != "html" or not isinstance(getattr(root, "tag", None), str):
        return [node.root for node in scope.xpath(_ROW_XPATH)]
    holding: set[Any] = set()  # the elements with a block element below them
    for block in root.iterdescendants(*_BLOCK_TAGS):
        node = block.getparent()
        while node not in holding:
            holding.add(node)
            if node is root:
                break
            node = node.getparent()
    return [el for el in root.iterdescendants(*_ROW_TAGS) if el not in holding]


def _not_company(scope: Selector) -> set[Any]:
    """The elements ``_NOT_COMPANY_XPATH`` selects: by tag, and from the page's class and id
    values that hold one of its pieces (the query tested a dozen pieces on every element)."""
    root = scope.root
    if not isinstance(getattr(root, "tag", None), str):
        return {n.root for n in scope.xpath(_NOT_COMPANY_XPATH)}
    top = root.getroottree().getroot()
    found = set(top.iter("form", "script", "style", "nav"))
    kept: dict[str, bool] = {}  # a page repeats a few dozen class values: each tested once
    for value in _CLASS_VALUES(top):
        hit = kept.get(value)
        if hit is None:
            hit = kept[value] = _not_company_class(value)
        if hit:
            found.add(value.getparent())
    found.update(value.getparent() for value in _FLOAT_TOOLS(top))
    return found


def _not_company_class(value: str) -> bool:
    """Whether a class value is one ``_NOT_COMPANY_VALUES`` selects."""
    return (" related-" in " " + value and "related-box" not in value) or (
        _NOT_COMPANY_PIECES_RE.search(value) is not None
    )


_NOT_COMPANY_PIECES = ("estee", "r-latest", "footer", "sou", "bread", "meun", "consultation")
_NOT_COMPANY_PIECES_RE = re.compile("|".join(map(re.escape, _NOT_COMPANY_PIECES)))
"""Whether a value holds one of ``_NOT_COMPANY_PIECES``, in one search."""
_CLASS_VALUES = etree.XPath("/descendant::*/@class")
_FLOAT_TOOLS = etree.XPath("/descendant::*/@id[contains(., 'floatTools')]")


_NOT_COMPANY_VALUES = etree.XPath(  # the definition _not_company_class and _FLOAT_TOOLS keep
    "/descendant::*/@class[(contains(concat(' ', .), ' related-')"
    " and not(contains(., 'related-box')))"
    " or contains(., 'estee') or contains(., 'r-latest') or contains(., 'footer')"
    " or contains(., 'sou') or contains(., 'bread') or contains(., 'meun')"
    " or contains(., 'consultation')]"
    " | /descendant::*/@id[contains(., 'floatTools')]"
)


def _row_text(node: Selector) -> str:
    """A row's text, its text nodes apart (``_JOIN``); a two-cell table row as "label：value"."""
    if str(getattr(node.root, "tag", "")) == "tr":
        cells = [_text(c) for c in node.xpath("./th | ./td")]
        if len(cells) == 2 and cells[0] and not cells[0].endswith((":", "：")):
            return f"{cells[0]}：{cells[1]}"
        return " ".join(cells)
    parts = node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
    return clean_text(_JOIN.join(parts))


def _apply_rows(lead: Lead, rows: list[_Row], page: Page) -> None:
    for kind, word, value, node in rows:
        if kind == "person":
            _add_person(lead, value)
        elif kind == "title" and lead.people and not lead.people[-1].title:
            lead.people[-1].title = value
        elif kind in {"phone", "fax"}:
            label = "传真" if kind == "fax" else word
            found = find_phones(value, label=label)
            for phone in found:
                phone.label = label
                _add_phone(lead, phone)
            if not found and is_masked(value) and re.search(r"\d{3}", value):
                _add_phone(lead, Phone(raw=value, label=label, masked=True))
        elif kind == "email":
            for email in find_emails(value):
                if not _on_portal("x@" + email.raw.split("@")[-1]):
                    _add_email(lead, email)
            if "@" in value and is_masked(value) and not lead.emails:
                _add_email(lead, Email(raw=value, masked=True))
        elif kind == "address" and not lead.address_raw:
            lead.address_raw = value
        elif kind == "products" and not lead.products:
            lead.products = re.sub(r"\s*(?:\.{3}|…)+$", "", value)
        elif kind == "website" and not lead.website:
            _set_website(lead, node, value, page)
        elif kind == "registration" and not lead.registration_id:
            match = re.search(r"[0-9A-Z]{13,18}", value)
            lead.registration_id = match.group(0) if match else ""
        elif kind == "qq" and re.fullmatch(r"\d{5,12}", value):
            _add_social(lead, f"qq:{value}")
        elif kind == "wechat" and re.fullmatch(r"[A-Za-z0-9_-]{5,30}", value):
            _add_social(lead, f"wechat:{value}")
        elif kind == "model" and lead.business_type == "unknown":
            for pattern, business in _MODELS:
                if re.search(pattern, value):
                    lead.business_type = business
                    lead.business_type_reason = f"黄页88: {value}"
                    break


def _add_person(lead: Lead, value: str) -> None:
    value = re.split(r"\s*[:：]\s*|\s{2,}", value)[0]
    if not value or re.search(r"\d|@|认证|登录|查看", value):
        return
    found = split_name_title(value)
    name, title = found if found else (value, "")
    if len(name) > 20:
        return
    if all(p.name != name for p in lead.people):
        lead.people.append(Person(name=name, title=title))


def _set_website(lead: Lead, node: Selector, value: str, page: Page) -> None:
    """A company's own site only: links back into huangye88 (its shop) are not a website."""
    href = node.xpath(".//a/@href").get() or ""
    candidate = href if href.startswith(("http://", "https://")) else value.split()[0]
    if not re.match(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+", candidate):
        return
    url = candidate if "//" in candidate else "http://" + candidate
    if not _on_portal(url):
        lead.website = page.urljoin(url)


def _add_phone(lead: Lead, phone: Phone) -> None:
    digits = re.sub(r"\D", "", phone.raw)
    for old in lead.phones:
        if re.sub(r"\D", "", old.raw) == digits:
            return
    phone.masked = phone.masked or is_masked(phone.raw)
    lead.phones.append(phone)


def _add_email(lead: Lead, email: Email) -> None:
    if all(e.raw.lower() != email.raw.lower() for e in lead.emails):
        email.masked = email.masked or is_masked(email.raw)
        lead.emails.append(email)


def _add_social(lead: Lead, value: str) -> None:
    if value not in lead.social:
        lead.social.append(value)


def _finish(lead: Lead) -> None:
    lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)


# --- small helpers -----------------------------------------------------------------------------


def _blocked(page: Page) -> str:
    title = page.selector.xpath("//title/text()").get() or ""
    short = len(page.visible_text) < 1500
    for marker, reason in _BLOCK_MARKERS:
        if marker in title or (short and marker in page.visible_text):
            return reason
    return detect_block(page)


def _title_name(page: Page) -> str:
    """The company-looking part of ``<title>`` / og:title (``【…】-深圳市万创科技有限公司``)."""
    sel = page.selector
    for raw in (
        sel.xpath("//meta[@property='og:title']/@content").get() or "",
        sel.xpath("//title/text()").get() or "",
    ):
        for part in _TITLE_SPLIT_RE.split(clean_text(raw)):
            part = re.sub(r"【[^】]*】", "", part).strip()
            if (
                re.search(r"(?:公司|厂|集团|店|中心|商行|经营部|工作室)$", part)
                and "黄页" not in part
            ):
                return part
    return ""


def _strip_person(name: str) -> str:
    """ "山东鸿运来信息科技有限公司(郭经理)" → the company: cards append the contact's name.

    Only a bracket holding a person goes; "(深圳)" or "(分公司)" is part of the name.
    """
    name = clean_text(name)
    m = re.search(r"\s*[(（]([^()（）]{1,8})[)）]$", name)
    if m and (split_name_title(m.group(1)) or re.search(r"经理|先生|女士|小姐|总$", m.group(1))):
        return name[: m.start()].strip()
    return name


def _shop_root(url: str) -> str:
    m = _SHOP_RE.match(url)
    return m.group(0).rstrip("/") + "/" if m else ""


def _contact_url(shop: str) -> str:
    root = _shop_root(shop) or shop.rstrip("/") + "/"
    if "m.huangye88.com" in root:
        return root
    return root + "company_contact.html"


def _on_portal(url: str) -> bool:
    host = url_host(url if "//" in url else "//" + url.split("@")[-1])
    return any(host == d or host.endswith("." + d) for d in PORTAL)


def _text(node: Selector) -> str:
    return clean_text(
        "".join(node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())
    )


def _text_of(nodes: list[Selector]) -> str:
    return _text(nodes[0]) if nodes else ""
