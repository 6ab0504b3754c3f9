"""Shared by the Chinese company-registry directories (企查查, 天眼查): register vocabulary,
the company record and the page readers both sites need.

Both sites republish China's business register and print the same fields with the same words
("法定代表人：", "统一社会信用代码", "注册资本"), in result rows, firm-page header blocks and
registration tables (label cell → value cell), and both fall back on a page state (JSON) when
the markup holds no rows. What is alike lives here once: the label vocabulary and the
"label：value" reader, the :class:`RegistryRecord` that collects a company's raw values and
turns them into a lead, the page-state walkers, the pager, the "which block is this firm's
alone" search and the reason a page without companies is empty. The site modules
(:mod:`spiders.pages.qichacha`, :mod:`spiders.pages.tianyancha`) keep what is theirs: link
shapes, icons, the obfuscating font, their block markers.
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from leadharvest.items import Email, Lead, PageStatus, Person, Phone
from spiders.pages.base import (
    Link,
    Page,
    class_tokens,
    clean_text,
    descendant_steps,
    detect_block,
    document_position,
)
from spiders.pages.contacts import find_emails, find_phones, is_masked
from spiders.pages.labels import words

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "person": (
        "法定代表人信息",
        "法定代表人",
        "法人代表",
        "法定代表",
        "执行事务合伙人",
        "负责人",
        "经营者",
    ),
    "capital": ("注册资本", "注册资金", "开办资金", "出资额"),
    "founded": ("成立日期", "成立时间", "注册时间", "注册日期"),
    "phone": ("联系电话", "企业电话", "固定电话", "电话", "手机号", "手机"),
    "fax": ("传真",),
    "email": ("电子邮箱", "邮箱", "E-mail", "Email"),
    "website": ("官方网站", "企业官网", "官网", "网址", "网站"),
    "address": ("注册地址", "企业地址", "通信地址", "联系地址", "地址", "住所"),
    "scope": ("经营范围", "业务范围"),
    "credit": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "regno": ("工商注册号", "注册号"),
    "former": ("曾用名",),
    "industry": ("所属行业", "行业"),
    "status": ("登记状态", "经营状态", "企业状态", "公司状态"),
    "type": ("企业类型", "公司类型"),
}
"""Register fields by the words the sites print before them ("电话：", "注册资本：")."""

_LABEL_FIELD = {label.lower(): key for key, labels in FIELD_LABELS.items() for label in labels}
_LABEL_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, _LABEL_FIELD), key=len, reverse=True)) + r")\s*[：:]",
    re.IGNORECASE,
)


def _spellings(label: str) -> list[str]:
    """``label`` with each of its ASCII letters in either case (E-mail, e-MAIL …)."""
    cases = [(c.lower(), c.upper()) if c.isascii() and c.isalpha() else (c,) for c in label]
    return ["".join(chars) for chars in product(*cases)]


_LABEL_CASED_RE = re.compile(
    "("
    + "|".join(
        re.escape(spelling)
        for label in sorted(_LABEL_FIELD, key=lambda label: len(re.escape(label)), reverse=True)
        for spelling in _spellings(label)
    )
    + r")\s*[：:]"
)
"""``_LABEL_RE`` with every spelling of its few Latin labels listed: ``re.IGNORECASE`` (or a
``[eE]`` class) made the search four times slower, though only "E-mail" has a case. It
matches what ``_LABEL_RE`` matches in any text without the four characters that case-fold
onto ASCII letters."""
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
"""İ, ı, ſ and the Kelvin sign: under ``re.IGNORECASE`` they match i, i, s and k."""
_NOISE_RE = re.compile(
    r"\s*(?:更多号码|查看更多|更多邮箱|更多|编辑|详情|附近公司|附近企业|复制|地图|导航|收起|展开"
    r"|同电话企业\s*\d*|同地址企业\s*\d*|关联企业\s*\d*|登录查看|立即查看)\s*$"
)
_NOISE_ENDS = frozenset(word[-1] for word in re.findall(r"[\u4e00-\u9fff]+", _NOISE_RE.pattern))
"""The last characters of ``_NOISE_RE``'s words: a value whose last character (white space
and digits aside) is none of them has no noise to remove."""
_EMPTY_VALUES = {"", "-", "--", "—", "暂无", "暂无信息", "未公开", "无", "null", "none", "***"}
STATUS_WORDS = tuple(
    words("存续 在业 在营 开业 正常 注销 吊销 迁出 迁入 撤销 停业 清算 歇业 责令关闭")
)
"""A company's registration status as the lists tag it."""
CREDIT_CODE_RE = re.compile(
    r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])"
)
LOGIN_RE = re.compile(r"请(?:先)?登录|登录后(?:即可)?查看|登录即可查看|扫码登录|密码登录|短信登录")
"""Words of a login wall, seen only on pages that show no companies."""
NO_RESULT_RE = re.compile(
    r"没有找到|未找到(?:相关|符合)|找到\s*0\s*(?:家|条|个)|无搜索结果|暂无(?:相关|符合)(?:企业|公司|结果|数据)"
)
"""What an empty search says (not "没有想要的查询结果？", the deep-search offer under results)."""
_DROP_RE = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCK_RE = re.compile(
    r"</?(?:p|div|br|tr|td|th|li|dd|dt|dl|ul|ol|h[1-6]|section|article|header|footer|table"
    r"|tbody|thead)\b[^>]*>",
    re.I,
)
_JOIN_RE = re.compile(r"</?(?:em|b|strong|font|i|u|mark)\b[^>]*>", re.I)
_BLOCK_CASED_RE = re.compile(
    r"</?(?:[pP]|[dD](?:[iI][vV]|[dDtTlL])|[bB][rR]|[tT](?:[rRdDhH]|[aA][bB][lL][eE]"
    r"|[bB][oO][dD][yY]|[hH][eE][aA][dD])|[lL][iI]|[uU][lL]|[oO][lL]|[hH](?:[1-6]"
    r"|[eE][aA][dD][eE][rR])|[sS][eE][cC][tT][iI][oO][nN]|[aA][rR][tT][iI][cC][lL][eE]"
    r"|[fF][oO][oO][tT][eE][rR])\b[^>]*>"
)
_JOIN_CASED_RE = re.compile(
    r"</?(?:[eE][mM]|[bB]|[sS][tT][rR][oO][nN][gG]|[fF][oO][nN][tT]|[iI]|[uU]|[mM][aA][rR][kK])\b[^>]*>"
)
"""``_BLOCK_RE`` and ``_JOIN_RE`` with each letter's two cases listed and the names sharing a
first letter factored (re.IGNORECASE and the plain alternation took twice as long; every
row of a list is serialised and read so). They match what the ignore-case ones match in a
text without ``_FOLDS_TO_ASCII``: a match ends at the first ">" after its name whichever
name matched, so the order of the names does not matter."""
_TAG_RE = re.compile(r"<[^>]*>")
_SPACES_RE = re.compile(" {2,}")
"""Runs of spaces, one space each before the text is unescaped and cleaned: ``clean_text``
makes every run of white space one space all the same (an entity ends before a space
either way), but halves long runs a pass at a time, and a serialised row is mostly the
source's indentation (a 21-row list: 13,600 characters, 3,900 without the runs)."""
_ELLIPSIS_RE = re.compile(r"\s*(?:<\s*)?(?:\.{2,}|…+)\s*$")


_MIDNIGHT_RE = re.compile(r"(\d{4}-\d{2}-\d{2})\s+00:00:00(?:\.0)?$")
_DIGIT_RE = re.compile(r"\d")
_PHONE_CHARS_RE = re.compile(r"[\d*()+ -]{6,}")
_SCHEME_RE = re.compile(r"https?://", re.I)
_AFTER_NAME_RE = re.compile(r"他有|她有|TA有|关联企业|任职|\d|[，,;；|（(]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_NAME_CHAR_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_REGNO_RE = re.compile(r"[0-9A-Z]{13,18}")
_NOT_DIGIT_RE = re.compile(r"[^\d*]")
"""Compiled once: the record helpers run for every value of every row."""


def card_text(fragment: str) -> str:
    """A block's text with line breaks where its blocks break and highlight tags joined.

    Search hits come wrapped in ``<em>`` (济南天睿奥<em>营销</em>策划), which must join, while
    ``<span>电话：…</span> <span>地址：…</span>`` must stay apart.
    """
    folds = any(c in fragment for c in _FOLDS_TO_ASCII)
    text = _DROP_RE.sub(" ", fragment)
    text = (_BLOCK_RE if folds else _BLOCK_CASED_RE).sub("\n", text)
    text = (_JOIN_RE if folds else _JOIN_CASED_RE).sub("", text)
    text = _SPACES_RE.sub(" ", _TAG_RE.sub(" ", text))
    return clean_text(html.unescape(text), keep_newlines=True)


def plain(fragment: str) -> str:
    """Markup-free text of a short value (a name with ``<em>`` highlights, an alt text)."""
    return clean_text(html.unescape(_TAG_RE.sub("", html.unescape(fragment or ""))))


def labelled_fields(text: str) -> list[tuple[str, str, str]]:
    """``(field, label, value)`` for every "label：value" in ``text``.

    A value runs to the next label or the end of its line; a label alone on its line takes
    the next line ("法定代表人：" / "王树元").
    """
    folds = any(c in text for c in _FOLDS_TO_ASCII)
    matches = list((_LABEL_RE if folds else _LABEL_CASED_RE).finditer(text))
    out = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end].lstrip(" \t\n")
        value = value.split("\n", 1)[0]
        value = _denoised(_denoised(value.strip(" \t|,;，；")))
        out.append((_LABEL_FIELD[m.group(1).lower()], m.group(1), value.strip()))
    return out


def _denoised(value: str) -> str:
    """``value`` without a trailing link word ("更多号码", "复制", "关联企业 3"): one
    ``_NOISE_RE`` substitution, run only when the value ends in such a word's last character
    (the pattern tries every position of the value)."""
    end = len(value)
    while end and (value[end - 1].isspace() or value[end - 1].isdecimal()):
        end -= 1
    if not end or value[end - 1] not in _NOISE_ENDS:
        return value
    return _NOISE_RE.sub("", value)


def is_empty(value: str) -> bool:
    return value.strip().lower() in _EMPTY_VALUES


def trim_scope(value: str) -> str:
    """Business scope without the list's ellipsis or a cut-off tag (``营销<...``)."""
    value = clean_text(value)
    value = _ELLIPSIS_RE.sub("", value)
    return value.strip(" ;；,，、")


def as_date(value: Any) -> str:
    """A date as the sites print it; JSON states give milliseconds since 1970 (Beijing time)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 10**10:
        stamp = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=value, hours=8)
        return stamp.strftime("%Y-%m-%d")
    text = clean_text(str(value)) if value is not None else ""
    match = _MIDNIGHT_RE.match(text)
    return match.group(1) if match else text


@dataclass
class RegistryRecord:
    """One company as a register directory shows it: raw values, before they become a lead."""

    name: str = ""
    person: str = ""
    person_title: str = "法定代表人"
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    website: str = ""
    address: str = ""
    credit: str = ""
    regno: str = ""
    scope: str = ""
    capital: str = ""
    founded: str = ""
    status: str = ""
    industry: str = ""
    former: str = ""
    region: str = ""
    detail_url: str = ""
    own_hosts: tuple[str, ...] = ()
    """The directory's own hosts: a "website" there is a page of the directory, not the firm's."""

    def add_phone(self, raw: str, label: str = "电话") -> None:
        """A phone value as printed; masked ones (0411-8278****) are kept but flagged."""
        raw = clean_text(raw)
        if is_empty(raw) or not _DIGIT_RE.search(raw):
            return
        found = find_phones(raw, label=label)
        if not found and _PHONE_CHARS_RE.fullmatch(raw):
            found = [Phone(raw=raw, label=label, masked=is_masked(raw))]
        for phone in found:
            phone.masked = phone.masked or is_masked(phone.raw)
            if all(_digits(p.raw) != _digits(phone.raw) for p in self.phones):
                self.phones.append(phone)

    def add_email(self, raw: str) -> None:
        raw = clean_text(raw)
        if is_empty(raw) or "@" not in raw:
            return
        for email in find_emails(raw):
            email.masked = email.masked or is_masked(email.raw)
            if all(e.raw.lower() != email.raw.lower() for e in self.emails):
                self.emails.append(email)

    def set_website(self, value: str) -> None:
        value = clean_text(value).strip(" |,;")
        if self.website or is_empty(value) or " " in value or "." not in value:
            return
        if not _SCHEME_RE.match(value):
            value = "http://" + value.lstrip("/")
        host = (urlsplit(value).hostname or "").lower()
        if not host or any(host == h or host.endswith("." + h) for h in self.own_hosts):
            return
        self.website = value

    def take(self, key: str, label: str, value: str) -> None:
        """One labelled value; the first value of a field wins."""
        if is_empty(value):
            return
        if key in ("phone", "fax"):
            self.add_phone(value, "传真" if key == "fax" else label)
        elif key == "email":
            self.add_email(value)
        elif key == "website":
            self.set_website(value)
        elif key == "person":
            if not self.person:
                self.person = person_name(value)
                if label in ("执行事务合伙人", "负责人", "经营者"):
                    self.person_title = label
        elif key == "scope":
            self.scope = self.scope or trim_scope(value)
        elif key in ("address", "credit", "regno", "capital", "founded", "status", "industry"):
            if not getattr(self, key):
                setattr(self, key, clean_text(value))
        elif key == "former":
            self.former = self.former or clean_text(value)

    def fill(self, other: RegistryRecord | None) -> RegistryRecord:
        """Take the values this record lacks from ``other`` about the same company (the state)."""
        if other is None or other.name != self.name:
            return self
        for name in (
            *("person", "website", "address", "credit", "regno", "scope", "capital"),
            *("founded", "status", "industry", "former", "region", "detail_url"),
        ):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))
        self.phones = self.phones or list(other.phones)
        self.emails = self.emails or list(other.emails)
        return self

    def to_lead(self) -> Lead:
        lead = Lead(name=self.name, country="CN", region=self.region)
        if self.person:
            lead.people.append(Person(name=self.person, title=self.person_title))
        lead.phones = list(self.phones)
        lead.emails = list(self.emails)
        lead.website = self.website
        lead.address_raw = clean_text(self.address)
        lead.registration_id = registration_id(self.credit, self.regno)
        lead.products = self.scope
        notes = [
            ("状态", self.status),
            ("注册资本", self.capital),
            ("成立日期", self.founded),
            ("行业", self.industry),
            ("曾用名", self.former),
        ]
        lead.description = "; ".join(f"{k}: {v}" for k, v in notes if v and not is_empty(v))
        lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
        return lead


def person_name(value: str) -> str:
    """The legal representative's name, without what follows it ("他有4家公司", "关联企业 3")."""
    value = clean_text(value)
    if is_empty(value):
        return ""
    name = _AFTER_NAME_RE.split(value)[0].strip()
    if _CJK_RE.search(name):
        name = name.split(" ")[0]  # Chinese names carry no spaces; a foreign one may
    if len(name) > 40 or not _NAME_CHAR_RE.search(name) or "*" in name:
        return ""
    return name


def registration_id(credit: str, regno: str) -> str:
    """The unified social credit code when shown, else the older registration number."""
    match = CREDIT_CODE_RE.search(credit or "")
    if match:
        return match.group(0)
    regno = clean_text(regno)
    return regno if _REGNO_RE.fullmatch(regno) else ""


def table_fields(node: Selector) -> list[tuple[str, str, str]]:
    """``(field, label, value)`` from registration tables: a label cell, the value beside it.

    The label is the cell's own first text ("统一社会信用代码", before any tooltip) and the
    value the next cell; a label in a ``div`` inside the cell (注册资本 / 500万人民币) takes the
    next ``div``. The cells are read on their lxml elements (a table has a hundred of them).
    """
    method = "xml" if node.type == "xml" else "html"
    out = []
    for cell in _CELLS(node.root):
        div = next(cell.iterchildren("div"), None)  # ./div[1]
        for label_node, value_tag in ((cell, "td"), (div, "div")):
            if label_node is None:
                continue
            label = clean_text(first_own_text(label_node, method)).rstrip("：: ")
            key = _LABEL_FIELD.get(label.lower())
            value_node = next(label_node.itersiblings(value_tag), None)
            if not key or value_node is None:
                continue
            link = _TEXT_LINKS(value_node) if key == "person" else []  # read for a person only
            if link:
                value = clean_text(_STRING(link[0]))
            elif method == "html" and not len(value_node):
                value = leaf_cell_text(value_node) or clean_text(value_node.get("title"))
            else:
                full = _first_full(value_node, method)
                shown = etree.tostring(
                    value_node if full is None else full,
                    method=method,
                    encoding="unicode",
                    with_tail=False,
                )
                value = card_text(shown).split("\n")[0]
                title = clean_text(value_node.get("title"))
                value = value or title
            out.append((key, label, value))
    return out


_CELLS = etree.XPath(".//td | .//th")


def leaf_cell_text(el: Any) -> str:
    """The first line of ``card_text`` of a serialised HTML ``td`` / ``div`` without children.

    Serialised, such a cell is its block tag around its escaped text, which ``card_text``
    turns back into the text between two line breaks: so the text is cleaned as it is,
    without the serialisation and the five substitutions (most register values are bare
    text: a date, a capital, a code).
    """
    return clean_text(el.text, keep_newlines=True).split("\n")[0]


def _first_full(el: Any, method: str = "html") -> Any:
    """``_FULL(el)[0]`` (None when it selects nothing): the first element below ``el`` whose
    class holds "full", found by a walk of the cell (a query per value cell cost more)."""
    if method != "html":
        return next(iter(_FULL(el)), None)
    for node in el.iterdescendants(etree.Element):
        value = node.get("class")
        if value is not None and "full" in value:
            return node
    return None


_OWN_TEXTS = etree.XPath("text()", smart_strings=False)


def first_own_text(el: Any, method: str = "html") -> str | None:
    """``el``'s first text child node (``text()[1]``), None without one.

    In an HTML tree a run of text is one node: the element's ``.text``, else the first
    ``.tail`` of its children (a table's hundred label cells each asked the query).
    """
    if method != "html":
        return next(iter(_OWN_TEXTS(el)), None)
    if el.text is not None:
        return str(el.text)
    return next((str(child.tail) for child in el if child.tail is not None), None)


_TEXT_LINKS = etree.XPath(descendant_steps(".//a[normalize-space(.)]"))
_FULL = etree.XPath(descendant_steps(".//*[contains(@class, 'full')]"))


def block_around(heading: Selector) -> Selector:
    """The smallest block around a company's ``h1`` that also holds its contact lines."""
    block = heading
    for node in reversed(heading.xpath("ancestor::*[self::div or self::section]")):
        text = node.xpath("string(.)").get() or ""
        if len(text) > 4000:
            break
        block = node
        if re.search(r"电话|邮箱|地址", text) and len(text) > 60:
            break
    return block


def json_records(
    value: Any, is_record: Callable[[dict[str, Any]], bool]
) -> Iterator[dict[str, Any]]:
    """Dicts in a page state that ``is_record`` accepts, breadth first (the page's own first)."""
    queue: deque[Any] = deque([value])
    while queue:
        item = queue.popleft()
        if isinstance(item, dict):
            if is_record(item):
                yield item
                continue
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item)


def first_text(*values: Any) -> str:
    """The first non-empty string or number among ``values``, as tidy markup-free text."""
    for value in values:
        if isinstance(value, str | int) and not isinstance(value, bool):
            text = plain(str(value))
            if text and not is_empty(text):
                return text
    return ""


def texts(value: Any, *keys: str) -> list[str]:
    """Strings in a JSON value that may be a string, a list of strings or a list of dicts."""
    if isinstance(value, str):
        return [v for v in re.split(r"[;；,，]\s*", value) if v.strip()]
    out: list[str] = []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                out.append(first_text(*(item.get(k) for k in keys)))
    return [v for v in out if v]


def row_status(row: Selector) -> str:
    """The status tag of a row (存续, 在业, 注销 …), "" when it shows none."""
    for text in status_texts(row):
        word = clean_text(text)
        if any(word.startswith(s) for s in STATUS_WORDS) and len(word) <= 12:
            return word
    return ""


def status_texts(row: Selector) -> list[str]:
    """``_STATUS_TEXTS`` of the row: the own text nodes of the elements below it whose class
    holds "status", "label" or "tag", in document order.

    Read from the elements' ``.text`` and their children's ``.tail`` in one walk of the row's
    elements, each class value tested once: the query converted every element's class three
    times (a result row has a few dozen elements, a page twenty rows). An HTML tree keeps a
    run of text as one node, so an element's ``.text`` and each ``.tail`` are its text nodes.
    Trees not parsed as HTML are left to the query.
    """
    el = row.root
    if row.type != "html" or not isinstance(getattr(el, "tag", None), str):
        return list(_STATUS_TEXTS(el))
    tagged: dict[Any, None] = {}
    seen: dict[str, bool] = {}
    for node in el.iterdescendants(etree.Element):
        value = node.get("class")
        if value is None:
            continue
        hit = seen.get(value)
        if hit is None:
            hit = seen[value] = "status" in value or "label" in value or "tag" in value
        if hit:
            tagged[node] = None
    out: list[str] = []
    for node in tagged:
        if len(tagged) > 1 and any(up in tagged for up in _ancestors_below(node, el)):
            continue  # read with the tagged element around it, where its text nodes fall
        if not _own_texts(node, tagged, out, 0):
            return list(_STATUS_TEXTS(el))
    return out


def _ancestors_below(node: Any, top: Any) -> Iterator[Any]:
    """``node``'s ancestors below ``top``, nearest first."""
    for up in node.iterancestors():
        if up is top:
            return
        yield up


def _own_texts(node: Any, tagged: dict[Any, None], out: list[str], depth: int) -> bool:
    """The text nodes below ``node`` whose parent is in ``tagged``, in document order, added
    to ``out``; False for a subtree too deep to recurse into."""
    own = node in tagged
    if own and node.text is not None:
        out.append(node.text)
    for child in node:
        if isinstance(child.tag, str):  # an element (a comment's text is no text node)
            if len(child):
                if depth >= 100 or not _own_texts(child, tagged, out, depth + 1):
                    return False
            elif child.text is not None and child in tagged:
                out.append(child.text)
        if own and child.tail is not None:
            out.append(child.tail)
    return True


def link_ids(node: Selector, id_of: Callable[[str], str]) -> set[str]:
    """The companies ``node`` links to, by the id ``id_of`` reads from each ``href``."""
    return element_link_ids(node.root, id_of)


def element_link_ids(el: Any, id_of: Callable[[str], str]) -> set[str]:
    """:func:`link_ids` of an lxml element (a row or card found without a query)."""
    return {cid for href in _LINK_HREFS(el) if (cid := id_of(href))}


def lone_block(link: Selector, cid: str, id_of: Callable[[str], str]) -> Selector | None:
    """The largest ``div`` around a company link that names only this company and stays short.

    Div-based cards carry no row element; going up stops at the first block that also links
    another company (the list itself) or grows past a card's length.
    """
    best = None
    for node in link.root.iterancestors("div"):  # nearest first
        if len(_STRING(node)) > 2500 or any(
            (other := id_of(href)) and other != cid for href in _LINK_HREFS(node)
        ):  # the length first, then the links up to another company's (both only test)
            break
        best = node
    return None if best is None else as_selector(link, best)


def as_selector(like: Selector, el: Any) -> Selector:
    """``el`` as a selector of ``like``'s kind, as a query from ``like`` would have given it."""
    return type(like)(root=el, type=like.type)


def linked_records(
    selector: Selector,
    id_of: Callable[[str], str],
    record_of: Callable[[Selector, str], RegistryRecord | None],
) -> list[RegistryRecord]:
    """One record per company linked on a results page, in page order, each company once.

    ``record_of(link, cid)`` reads the row or card around the link, or gives None for a link
    that is not a result row (an advert, a "recently viewed" list). The page's links are
    listed by their ``href`` values; only a company's link becomes a selector.
    """
    records: list[RegistryRecord] = []
    seen: set[str] = set()
    if not isinstance(getattr(selector.root, "tag", None), str):
        links = [(link.root, link.root.get("href") or "") for link in selector.xpath("//a[@href]")]
    else:
        links = page_links(selector.root)
    for link, href in links:
        cid = id_of(href)
        if not cid or cid in seen:
            continue
        record = record_of(as_selector(selector, link), cid)
        if record and record.name:
            seen.add(cid)
            records.append(record)
    return records


_STATUS_TEXTS = etree.XPath(
    descendant_steps(
        ".//*[contains(@class, 'status') or contains(@class, 'label') or contains(@class, 'tag')]"
        "/text()"
    ),
    smart_strings=False,
)
_LINK_HREFS = etree.XPath(".//a/@href", smart_strings=False)
_ALL_LINK_HREFS = etree.XPath("//a/@href")
_STRING = etree.XPath("string(.)", smart_strings=False)


def page_links(root: Any) -> list[tuple[Any, str]]:
    """``(a, href)`` for what ``_ALL_LINK_HREFS`` selects (``//a/@href``), in page order: the
    page's ``a`` elements are found in C and asked for their ``href``, where the query made a
    smart string per value that then had to be asked for its element (0.13 -> 0.09 ms for a
    list's 260 links)."""
    top = root.getroottree().getroot()
    return [(a, href) for a in top.iter("a") if (href := a.get("href")) is not None]


def state_records(
    state: Any,
    is_record: Callable[[dict[str, Any]], bool],
    record_of: Callable[[dict[str, Any]], RegistryRecord],
) -> list[RegistryRecord]:
    """The companies of a page state, each name once (a state repeats its list in places)."""
    out: list[RegistryRecord] = []
    for item in json_records(state, is_record):
        record = record_of(item)
        if record.name and all(r.name != record.name for r in out):
            out.append(record)
    return out


_PAGER = (
    "ancestor::*[contains(@class, 'pagination') or contains(@class, 'pager')"
    " or contains(@class, 'page-box')]"
)
_NEXT_XPATH = (
    "//link[@rel='next']"
    " | //a[@rel='next'"
    " or normalize-space(.)='下一页' or normalize-space(.)='下一页>'"
    " or normalize-space(.)='下一页 >'"
    " or ((contains(concat(' ', normalize-space(@class), ' '), ' next ')"
    " or contains(@class, '-next') or contains(@class, 'next-page')"
    " or normalize-space(.)='>' or normalize-space(.)='>>' or normalize-space(.)='›'"
    f" or normalize-space(.)='»') and {_PAGER})"
    f" or parent::li[contains(@class, 'next')][{_PAGER}]]"
)
"""A pager's next link: ``rel=next``, "下一页", or inside a pagination block a ``next``-classed
link, a ``li.next`` link or an arrow. One pass over the page's links, each asked about its
pager ancestors: a union of one query per kind walked the whole page six times."""


def next_page_link(page: Page, selector: Selector, param: str = "p") -> list[Link]:
    """The next results page: a real link when the pager has one, else ``param`` + 1.

    Old 企查查 pages page by script (``javascript:getSearchPage(2, …)``); the number it passes
    goes into the URL's ``p`` parameter, which the current site still accepts.
    """
    root = selector.root
    if isinstance(getattr(root, "tag", None), str):
        nodes = next_link_candidates(root)
    else:
        nodes = [node.root for node in selector.xpath(_NEXT_XPATH)]
    for node in nodes:
        if any("disabled" in (el.get("class") or "") for el in _self_and_up(node)):
            continue
        href = (node.get("href") or "").strip()
        if href and not href.lower().startswith("javascript") and href != "#":
            return [Link(page.urljoin(href), "next")]
        script = href + " " + (node.get("onclick") or "")
        match = re.search(r"getSearchPage\(\s*'?(\d+)", script)
        if match:
            return [Link(_with_param(page.url, param, match.group(1)), "next")]
    return []


def next_link_candidates(root: Any) -> list[Any]:
    """What ``_NEXT_XPATH`` selects, in document order, from the few links that can qualify.

    The query normalised every link's text up to seven times; here only the links holding
    "下一页" and those inside a pager block have their text read. The pager blocks are found
    by their class values, and a link is "inside" one when it is below it. The candidates
    (``rel=next``, "下一页", a pager's next) are found apart and put in document order:
    testing each of a page's hundreds of links took most of the time.
    """
    found = {el for el in _REL_NEXT(root) if el.tag in ("link", "a")}
    found.update(a for a in _NEXT_WORD_LINKS(root) if _normalized(_STRING(a)) in _NEXT_WORDS)
    pagers = (c.getparent() for c in _PAG_CLASSES(root) if any(p in c for p in _PAGER_CLASSES))
    inside = {el for pager in pagers for el in pager.iterdescendants()}
    for el in inside:
        if el.tag != "a" or el in found:
            continue
        parent = el.getparent()
        if _pager_next(el) or (
            parent.tag == "li" and "next" in (parent.get("class") or "") and parent in inside
        ):
            found.add(el)
    return sorted(found, key=document_position) if len(found) > 1 else list(found)


def _pager_next(link: Any) -> bool:
    """Whether a link inside a pager is its "next": by class, or an arrow for its text."""
    value = link.get("class") or ""
    if "next" in class_tokens(value) or "-next" in value or "next-page" in value:
        return True
    return _normalized(_STRING(link)) in (">", ">>", "›", "»")


def _normalized(text: str) -> str:
    """XPath's ``normalize-space``: runs of space, tab, CR and LF as one space, trimmed."""
    return _XML_SPACE_RE.sub(" ", text).strip(" ")


def _self_and_up(el: Any) -> Iterator[Any]:
    """``ancestor-or-self::*``."""
    yield el
    yield from el.iterancestors()


_NEXT_WORDS = ("下一页", "下一页>", "下一页 >")
_REL_NEXT = etree.XPath("//@rel[. = 'next']/..")
"""Elements with ``rel=next``: their attributes are found faster than the elements."""
_NEXT_WORD_LINKS = etree.XPath("/descendant::a[contains(., '下一页')]")
_PAGER_CLASSES = ("pagination", "pager", "page-box")
_PAG_CLASSES = etree.XPath("/descendant::*/@class[contains(., 'pag')]")
"""The class values that may be a pager's (each of ``_PAGER_CLASSES`` holds "pag"): one test
of each value, where the pager query converted every element's class three times."""
_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


def empty_status(
    page: Page, selector: Selector, *, site: str, markers: tuple[tuple[str, str], ...]
) -> tuple[PageStatus, str]:
    """Why a page without companies is empty: blocked, a login wall, or really no results.

    ``markers`` are the site's own captcha / rate-limit words, looked for in the title, or
    anywhere on a short page that does not say it found nothing (an empty results page still
    carries the hidden login dialog with its 验证码 field).
    """
    title = clean_text(selector.xpath("//title/text()").get())
    lowered = page.text.lower()
    visible = page.visible_text
    parts = urlsplit(page.url)
    if re.search(r"antirobot|captcha|verify", f"{parts.hostname}{parts.path}", re.I):
        return "blocked", f"{site} verification page ({parts.hostname}{parts.path})"
    for marker, reason in markers:
        if marker in title:
            return "blocked", reason
    if NO_RESULT_RE.search(visible):
        return "no_results", f"{site} found no companies"
    for marker, reason in markers:
        if marker.lower() in lowered and len(visible) < 6000:
            return "blocked", reason
    if "登录" in title or "login" in parts.path.lower() or LOGIN_RE.search(visible):
        return "blocked", f"{site} login wall (登录)"
    blocked = detect_block(page)
    if blocked:
        return "blocked", blocked
    return "no_results", "no companies recognised on the page"


def _with_param(url: str, param: str, value: str) -> str:
    """``url`` with ``param=value``, edited as text so the percent-escapes stay as they were."""
    base = url.partition("#")[0]
    path, _, query = base.partition("?")
    pattern = re.compile(rf"(^|&){re.escape(param)}=[^&]*")
    if pattern.search(query):
        query = pattern.sub(lambda m: f"{m.group(1)}{param}={value}", query, count=1)
    else:
        query = f"{query}&{param}={value}" if query else f"{param}={value}"
    return f"{path}?{query}"


def _digits(value: str) -> str:
    return _NOT_DIGIT_RE.sub("", value)
