"""What the B2B page objects (hc360, made-in-china, 21food, Alibaba, 1688) share.

B2B portals show a supplier's details the same way everywhere: a card of "label: value" rows
(联系人 / 电话 / 传真 / 手机 / 地址, Business Type / Main Products / Address), either as
``dt``/``dd`` or ``th``/``td`` pairs or as two sibling boxes whose first ends in a colon. This
module reads such rows from the supplier's own box only, so the portal's hotline, e-mail and
ICP number in the header and footer never become a supplier's. It also knows the portals'
error pages (a 404 that still carries the full site chrome must not look like a company) and
repairs a page whose GBK bytes were once decoded as Latin-1 and saved again as UTF-8. The
portals' pagers and highlighted offer titles are read here too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from leadharvest.items import Email, Lead, PageStatus, Person, Phone
from spiders.pages.base import (
    Link,
    Page,
    PageSelector,
    clean_text,
    descendant_steps,
    detect_block,
    document_position,
    nearest_above,
)
from spiders.pages.contacts import (
    ADDRESS_LABEL_RE,
    EMAIL_LABEL_RE,
    PERSON_LABEL_RE,
    find_emails,
    find_phones,
    is_masked,
    phone_label,
    split_name_title,
)
from spiders.pages.labels import NOT_PHONE_RE

BUSINESS_TYPES: tuple[tuple[str, str], ...] = (
    (r"生产|加工|制造|工厂|manufactur|factory", "manufacturer"),
    (r"经销|批发|分销|wholesal|distribut", "wholesaler_distributor"),
    (r"零售|retail", "retailer"),
    (r"贸易|代理|进出口|trading|agent|buying office|import|export", "agent_trading"),
    (r"服务|service", "service"),
)
"""A portal's own business-model words (经营模式 / Business Type) → LeadHarvest's types.

The first listed model wins: "生产型,贸易型" and "Manufacturer/Factory & Trading Company"
are manufacturers that also trade."""

_WEBSITE_LABEL_RE = re.compile(
    r"网\s*址|網\s*址|公司主页|公司網址|主页|homepage|website|web\s*site|url", re.I
)
_PRODUCTS_LABEL_RE = re.compile(
    r"主营产品|主營產品|主营业务|主要产品|main\s*products?|products?", re.I
)
_TYPE_LABEL_RE = re.compile(
    r"经营模式|經營模式|企业类型|公司类型|business\s*type|company\s*type", re.I
)
_COMPANY_LABEL_RE = re.compile(r"公司名称|公司名稱|企业名称|company\s*name|^company$", re.I)
_LABEL_MAX = 24
_TAG_RE = re.compile(r"<[^>]+>")
_NOT_FOUND_RE = re.compile(
    r"没有找到您所要的页面|页面不存在|您要访问的页面不存在|找不到(?:该|此)?页面|页面已删除|"
    r"\b404\b.{0,40}(?:not found|页面|error)|(?:page|file) (?:was )?not found|"
    r"page (?:you requested )?(?:does not|doesn.t) exist|no longer (?:exists|available)",
    re.I,
)


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_HIGH_LATIN_RE = re.compile(r"[\x80-\xff]")
_CN_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?\s*(?:gb2312|gbk|gb18030|x-gbk|cp936)", re.I)


def repair_mojibake(text: str) -> str:
    """Undo GBK (or UTF-8) bytes that were decoded as Latin-1 and saved again as UTF-8.

    Such a page reads ``Ã»ÓÐÕÒµ½`` where it said 没有找到; every character is then below
    U+0100, so it can be encoded back to the original bytes and decoded properly. Text that
    already holds CJK (or does not decode cleanly) is returned unchanged.
    """
    if _CJK_RE.search(text):
        return text
    high = _HIGH_LATIN_RE.finditer(text, 0, 200000)
    if next(islice(high, 19, None), None) is None:  # fewer than 20 (counted no further)
        return text
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text
    # GB18030 decodes almost any bytes: only try it when the page says it is Chinese.
    chinese = _CN_CHARSET_RE.search(text[:4096])
    for codec in ("utf-8", "gb18030") if chinese else ("utf-8",):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return text


def readable_page(page: Page) -> Page:
    """The page itself, or a copy with its mojibake repaired."""
    fixed = repair_mojibake(page.text)
    if fixed is page.text:
        return page
    return Page(url=page.url, text=fixed, http_status=page.http_status, encoding=page.encoding)


def not_found_reason(page: Page) -> str:
    """ "not found" when the page is the portal's 404 / error page, else ""."""
    if page.http_status in (404, 410):
        return "not found"
    title = clean_text(" ".join(page.selector.xpath("//title//text()").getall()))
    headings = clean_text(" ".join(page.selector.xpath("//h1//text() | //h2//text()").getall()))
    if _NOT_FOUND_RE.search(title) or re.fullmatch(r"(?:error\s*)?404.*", title, re.I):
        return "not found"
    body = page.visible_text[:6000]
    if _NOT_FOUND_RE.search(headings) or re.search(r"\bError 404\b", body):
        return "not found"
    return ""


def unavailable(page: Page) -> tuple[PageStatus, str]:
    """Why a portal page shows no supplier: ("blocked", why) for a challenge page,
    ("no_results", "not found") for the portal's error page, else ("ok", "").

    Every portal's page object asks this the same way, the block first, so a challenge page
    is never reported as a missing company.
    """
    blocked = detect_block(page)
    if blocked:
        return "blocked", blocked
    missing = not_found_reason(page)
    if missing:
        return "no_results", missing
    return "ok", ""


def next_link(page: Page, xpath: str) -> list[Link]:
    """The next listing page: the first ``href`` the site's ``xpath`` finds, unless it is a
    ``javascript:`` pager (the portals' client-side pagers cannot be followed)."""
    return follow_next(page, page.selector.xpath(xpath).get())


def follow_next(page: Page, href: str | None) -> list[Link]:
    """The next listing page at ``href`` (as :func:`next_link` reads it), if it is one."""
    if href and not href.startswith("javascript"):
        return [Link(page.urljoin(href), "next")]
    return []


def untagged(value: str) -> str:
    """Text of a script value holding markup: offer titles come with the search term
    highlighted (``<strong>``, ``<font color=red>``) and entities escaped."""
    return clean_text(html.unescape(_TAG_RE.sub("", value)))


CHROME_XPATH = (
    "ancestor::*[contains(translate(@class, 'FOTER', 'foter'), 'footer')"
    " or contains(translate(@id, 'FOTER', 'foter'), 'footer')"
    " or self::footer or self::nav]"
)
"""A node inside the portal's footer or navigation: never a supplier's detail. (Headers are
not excluded: showrooms put the supplier's own card in a "shop-sign__header".)"""


def label_pairs(node: Selector) -> list[tuple[str, str, Selector]]:
    """``(label, value text, value node)`` rows inside ``node``, in page order.

    Three shapes: ``dt``/``dd``, ``th``/``td``, and an element whose whole text is a short
    label ending in a colon followed by a sibling element with the value. Each row is read
    on the lxml elements (what ``CHROME_XPATH``, ``following-sibling::dd[1]`` … select, in C
    walks without a query per row); only the rows' value nodes become selectors.
    """
    rows: list[tuple[str, str, Selector]] = []
    chrome: dict[Any, bool] = {}
    for label_node in _label_candidates(node):
        el = label_node.root
        tag = str(getattr(el, "tag", ""))
        label = clean_text(" ".join(_TEXT_NODES(el)))
        if not label or len(label) > _LABEL_MAX:
            continue
        if tag == "dt":
            value_node = next(el.itersiblings("dd"), None)
        elif tag == "th":
            value_node = next(el.itersiblings("td"), None)
        elif label.endswith((":", "：")) and tag not in {"a", "option", "button"}:
            value_node = next((s for s in el.itersiblings() if isinstance(s.tag, str)), None)
        else:
            continue
        if value_node is None or _in_chrome(value_node, chrome):
            continue
        value = clean_text(" ".join(_VISIBLE_TEXT_NODES(value_node)))
        label = label.rstrip(":： ").strip()
        if label and value:
            rows.append((label, value, PageSelector(root=value_node, type="html")))
    return rows


def _in_chrome(el: Any, known: dict[Any, bool]) -> bool:
    """Whether ``el`` is in the portal's footer or navigation (what ``CHROME_XPATH`` tests).

    ``known`` holds, for the elements passed before, whether they are chrome or in it (the
    rows of a page share most of their ancestors): the climb stops at the first known one
    (:func:`nearest_above`).
    """
    return nearest_above(el, lambda above: True if _is_chrome(above) else None, known, False)


def _is_chrome(el: Any) -> bool:
    """Whether ``el`` itself is a footer or navigation element (by name, class or id)."""
    if el.tag in ("footer", "nav"):
        return True
    for name in ("class", "id"):
        value = el.get(name)
        if value and "footer" in value.translate(_FOOTER_LOWER):
            return True
    return False


_FOOTER_LOWER = str.maketrans("FOTER", "foter")
"""``translate(…, 'FOTER', 'foter')``: only the letters of "footer" are lower-cased."""
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)
_VISIBLE_TEXT_NODES = etree.XPath(
    descendant_steps(".//text()[not(ancestor::script)]"), smart_strings=False
)


_LABEL_XPATH = (
    ".//dt | .//th | .//*[not(self::script or self::style)]"
    "[substring(normalize-space(.), string-length(normalize-space(.))) = ':'"
    " or substring(normalize-space(.), string-length(normalize-space(.))) = '：']"
    "[string-length(normalize-space(.)) <= 30]"
)
"""What :func:`_label_candidates` selects, as XPath (kept as the statement of it)."""
_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")
_LABEL_TEXT_MAX = 30


def _label_candidates(node: Selector) -> list[Selector]:
    """``_LABEL_XPATH`` without normalising every subtree's text: every ``dt`` and ``th``
    below ``node``, and every element whose whole text (white space normalised) is at most
    30 characters ending in a colon.

    Such an element's last visible text ends in the colon, so it is an ancestor of a text
    node holding one: only those ancestors are read, each up to its 31st visible character.
    """
    top = node.root
    if not isinstance(getattr(top, "tag", None), str):
        return list(node.xpath(_LABEL_XPATH))  # not an element: parsel decides, as before
    found: set[Any] = set()
    seen: set[Any] = set()
    for el in _colon_text_holders(top, found):
        while el is not None and el is not top and el not in seen:
            seen.add(el)
            value = _short_text(el)
            if value is None:
                break  # more than 30 visible characters: no ancestor is a label either
            value = _XML_SPACE_RE.sub(" ", value).strip(" ")
            tag = el.tag
            short = len(value) <= _LABEL_TEXT_MAX
            if short and value and value[-1] in ":：" and tag not in ("script", "style"):
                found.add(el)
            el = el.getparent()
    if not found:
        return []
    if len(found) <= _SORT_MAX:  # a few labels: their places, not a walk of the whole subtree
        ordered = sorted(found, key=lambda el: document_position(el, top))
    else:
        ordered = [el for el in top.iter() if el in found]
    return [PageSelector(root=el, type="html") for el in ordered]


_SORT_MAX = 64


"""Up to this many labels are put in page order by their places (a made-in-china showroom's
17 take 0.03 ms, where walking its body's 1,400 elements takes 0.16 ms)."""


def _colon_text_holders(top: Any, dt_th: set[Any]) -> Iterator[Any]:
    """The elements holding a text node below ``top`` with a colon in it (the parents of
    ``descendant::text()[contains(., ':') or contains(., '：')]``), while the ``dt`` and ``th``
    elements below it are put in ``dt_th``: one walk of the subtree, each element's text
    and tail read as strings (the query converted every text node twice, scripts too)."""
    text = top.text
    if text and (":" in text or "：" in text):
        yield top
    for node in top.iterdescendants():  # each element's tag read once (a C call each)
        tag = node.tag
        if tag == "dt" or tag == "th":
            dt_th.add(node)
        tail = node.tail
        if tail and (":" in tail or "：" in tail):
            yield node.getparent()
        if type(tag) is str:  # not a comment's or a processing instruction's
            text = node.text
            if text and (":" in text or "：" in text):
                yield node


def _short_text(el: Any) -> str | None:
    """``el``'s whole text, or None once it holds more than 30 visible characters."""
    pieces: list[str] = []
    count = 0
    for piece in el.itertext():
        pieces.append(piece)
        if not piece.strip(" \t\r\n"):
            continue  # the indentation between tags (most pieces): nothing visible to count
        if len(piece) > 64 and count + 64 - _spaces(piece[:64]) > _LABEL_TEXT_MAX:
            return None  # a script's or a paragraph's text: its start says enough
        count += (
            len(piece)
            - piece.count(" ")
            - piece.count("\t")
            - piece.count("\r")
            - piece.count("\n")
        )
        if count > _LABEL_TEXT_MAX:
            return None
    return "".join(pieces)


def _spaces(text: str) -> int:
    """How many of ``text``'s characters are XML white space (not counted as visible)."""
    return text.count(" ") + text.count("\t") + text.count("\r") + text.count("\n")


def apply_pairs(
    lead: Lead, rows: list[tuple[str, str, Selector]], page: Page, *, portal: tuple[str, ...] = ()
) -> None:
    """Fill a supplier's lead from its "label: value" rows (first value of a kind wins)."""
    for label, value, node in rows:
        if _COMPANY_LABEL_RE.search(label) and not lead.name:
            lead.name = value
        elif PERSON_LABEL_RE.search(label) and not NOT_PHONE_RE.search(label):
            person = person_from(value)
            if person and all(p.name != person.name for p in lead.people):
                lead.people.append(person)
        elif EMAIL_LABEL_RE.search(label):
            for email in find_emails(value):
                if not _on_portal("mailto://" + email.raw.split("@")[-1], portal):
                    add_email(lead, email.raw, masked=email.masked)
        elif phone_label(label) and not NOT_PHONE_RE.search(label):
            tag = phone_label(label)
            for phone in find_phones(value, label=tag):
                phone.label = tag
                add_phone(lead, phone.raw, tag, masked=phone.masked)
            if is_masked(value) and not lead.phones:
                add_phone(lead, value, tag, masked=True)
        elif ADDRESS_LABEL_RE.search(label) and not lead.address_raw:
            lead.address_raw = value
        elif _WEBSITE_LABEL_RE.search(label) and not lead.website:
            href = node.xpath(".//a/@href").get() or value
            url = page.urljoin(href if "//" in href else "http://" + href.lstrip("/"))
            if url.startswith("http") and not _on_portal(url, portal):
                lead.website = url
        elif _TYPE_LABEL_RE.search(label):
            set_business_type(lead, value, source=label)
        elif _PRODUCTS_LABEL_RE.search(label) and not lead.products:
            lead.products = tidy_products(value)
    lead.masked = (
        lead.masked or any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
    )


def person_from(value: str) -> Person | None:
    """A contact person from "张武 （副总经理）", "张武 先生", "Ms. Anny, Manager"."""
    value = clean_text(value)
    if not value or re.search(r"\d|@", value):
        return None
    found = split_name_title(value)
    if found:
        return Person(name=found[0], title=found[1])
    m = re.fullmatch(
        r"((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z.'-]+){0,2})(?:\s*[,(/]\s*(.+?)\)?)?",
        value,
    )
    if m:
        return Person(name=m.group(1), title=(m.group(2) or "").strip())
    return None


def set_business_type(lead: Lead, value: str, *, source: str) -> None:
    """Business type from the model the portal states (the first recognised word wins)."""
    if lead.business_type != "unknown":
        return
    best: tuple[int, str] | None = None
    for pattern, kind in _BUSINESS_TYPE_RES:
        m = pattern.search(value)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    if best:
        lead.business_type = best[1]
        lead.business_type_reason = f"{source}: {clean_text(value)}"


_BUSINESS_TYPE_RES = tuple((re.compile(pattern, re.I), kind) for pattern, kind in BUSINESS_TYPES)


def tidy_products(value: str) -> str:
    """ "主营产品：A B C ..." → "A B C" (label, trailing ellipsis and commas removed)."""
    value = re.sub(r"^\s*(?:主营产品|主營產品|main products?)\s*[:：]?\s*", "", value, flags=re.I)
    value = re.sub(r"\s*(?:\.{3}|…)+\s*$", "", value)
    return clean_text(re.sub(r"\s*,\s*", ", ", value)).strip(" ,;")


def add_phone(lead: Lead, raw: str, label: str, *, masked: bool = False) -> None:
    raw = clean_text(raw)
    digits = re.sub(r"\D", "", raw)
    if not raw or any(re.sub(r"\D", "", p.raw) == digits for p in lead.phones):
        return
    lead.phones.append(Phone(raw=raw, label=label, masked=masked or is_masked(raw)))


def add_email(lead: Lead, raw: str, *, masked: bool = False) -> None:
    raw = raw.strip()
    if raw and all(e.raw.lower() != raw.lower() for e in lead.emails):
        lead.emails.append(Email(raw=raw, masked=masked or is_masked(raw)))


def host(url: str) -> str:
    """``(urlsplit(url if "//" in url else "//" + url).hostname or "").lower()``.

    A directory asks this of every e-mail domain and website of every listing (a few
    thousand a page, about 4 us each through ``urlsplit``): a URL that starts with a scheme
    or ``//`` and a plain ASCII netloc (``_PLAIN_NETLOC_RE``) is read by one regex; anything
    else (white space, brackets, ``%``, non-ASCII) goes to ``urlsplit`` itself.
    """
    if "//" not in url:
        url = "//" + url
    m = _PLAIN_NETLOC_RE.match(url)
    if m is None:
        return (urlsplit(url).hostname or "").lower()
    return m.group(1).rpartition("@")[2].partition(":")[0].lower()


_PLAIN_NETLOC_RE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//([\w.:@!$&'()*+,;=~\-]*)(?=[/?#]|\Z)", re.ASCII
)
"""A scheme (or none) and ``//``, then a netloc ``urlsplit`` takes as it is: the host is
the part after the last ``@`` and before the first ``:``. The URL does not start with
white space or a control character, and the netloc holds none (``urlsplit`` strips or
drops those first)."""


def _on_portal(url: str, portal: tuple[str, ...]) -> bool:
    h = host(url)
    return h in portal or h.endswith(tuple(["." + d for d in portal]))


def on_domains(url: str, domains: tuple[str, ...]) -> bool:
    """Whether a URL's host is one of ``domains`` or a subdomain of one."""
    return _on_portal(url, domains)
