"""gsxt.gov.cn (国家企业信用信息公示系统): registry lists, one lead per registered company.

The registry publishes who a company is, not how to reach it: a name, a registration number
(注册号 or 统一社会信用代码), a legal representative, dates and, on its lists (经营异常名录 —
the abnormal-operations list, 严重违法失信名单), when and why a company was listed. So a lead
here has a name, ``registration_id`` and a description with the listing date and reason, and
no phones or e-mails: registration numbers look like long phone numbers and must never become
one, so no text on these pages is searched for numbers at all.

Two layouts are read: a table whose header names the columns (企业名称 / 注册号 / 列入日期 /
列入原因 …, the provincial sites since 2014), and the national search's result items
(``a.search_list_item``: name in ``h1``, then "统一社会信用代码：…" / "法定代表人：…" /
"成立日期：…" rows). A company's own page (基本信息: ``th``/``td`` or ``dt``/``dd`` pairs) is
one lead with its registered address (住所) and business scope (经营范围). A list row's
``openEntInfo('name', 'id', 'regNo', 'ticket')`` link is turned into the company's detail URL
with the page's own URL template when the page defines it.

Every search on gsxt sits behind a GeeTest slider captcha; a page that shows the captcha (or
the 521 JavaScript cookie challenge) instead of results is "blocked".
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import lxml.html
from lxml import etree

from leadharvest.items import Lead, Person
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    clean_text,
    descendant_steps,
    detect_block,
    marker_reason,
)
from spiders.pages.blocktext import node_text

_NAME_HEAD_RE = re.compile(r"企业名称|公司名称|市场主体名称|主体名称|名\s*称")
_ID_HEAD_RE = re.compile(r"统一社会信用代码|信用代码|注册号|注册码")
_SKIP_HEAD_RE = re.compile(r"^(?:序号|操作|详情|查看)$")
_ID_RE = re.compile(r"[0-9A-Z]{13,18}")
_ROW_LABEL_RE = re.compile(
    r"(统一社会信用代码|注册号|法定代表人|负责人|经营者|投资人|执行事务合伙人|成立日期|"
    r"登记机关|列入日期|列入原因|作出决定机关|登记状态|企业类型|类型)\s*[:：]"
)
_PERSON_LABELS = ("法定代表人", "负责人", "经营者", "投资人", "执行事务合伙人")
_GEETEST = "gsxt GeeTest captcha"
_BLOCK_MARKERS = (
    ("geetest_", _GEETEST),
    ("initgeetest", _GEETEST),
    ("gt.js", _GEETEST),
    ("__jsl_clearance", "gsxt JavaScript cookie challenge (521)"),
    ("验证码", "captcha (验证码)"),
    ("安全验证", "security check (安全验证)"),
    ("访问过于频繁", "rate limited (访问过于频繁)"),
    ("访问异常", "rate limited (访问异常)"),
    ("您的访问", "rate limited"),
)
_NO_RESULT_RE = re.compile(
    r"未查询到|没有查询到|查询结果为空|暂无(?:相关)?(?:数据|记录|信息)|共\s*0\s*条|记录总数\s*0\s*条|"
    r"没有找到|无相关"
)
_CALL_RE = re.compile(r"(\w+)\s*\(([^)]*)\)")
_ARG_RE = re.compile(r"'([^']*)'|\"([^\"]*)\"")


class GsxtPage(PageParser):
    """National / provincial enterprise credit lists and search results."""

    name = "gsxt"
    method = "yellow_pages"

    def parse(self, page: Page) -> PageExtraction:
        leads, links = _table_leads(page)
        if not leads:
            leads, links = _search_leads(page)
        if not leads:
            leads, links = _detail_lead(page), []
        if leads:
            return self.result("ok", leads=leads, links=links)
        # An empty result page still loads the captcha script for the next search: the
        # registry's own "nothing found" wins over the script, but not over a visible challenge.
        found_none = _NO_RESULT_RE.search(page.visible_text)
        blocked = _blocked(page)
        if blocked and not (found_none and blocked == _GEETEST):
            return self.result("blocked", reason=blocked)
        reason = "gsxt found no companies" if found_none else "no companies on the page"
        return self.result("no_results", reason=reason)


# --- tables with a header row ------------------------------------------------------------------


def _table_leads(page: Page) -> tuple[list[Lead], list[Link]]:
    """A lead per row of the first table whose header names a company column. The tables
    are read on their lxml elements (a row is a dozen cells; a selector query for each cell
    cost more than reading it)."""
    leads: list[Lead] = []
    links: list[Link] = []
    templates = _url_templates(page.text)
    for table in page.selector.xpath("//table"):
        header = _header(table.root)
        if not header:
            continue
        name_col = next((i for i, h in enumerate(header) if _NAME_HEAD_RE.search(h)), None)
        if name_col is None:
            continue
        for row in _DATA_ROWS(table.root):
            cells = list(row.iterchildren("td"))  # ./td
            if len(cells) < len(header) or len(cells) == 1:
                continue  # the pager row spans the table
            name = _cell_text(cells[name_col])
            if not name or _NO_RESULT_RE.search(name):
                continue
            lead = Lead(name=name, country="CN")
            notes = []
            for i, head in enumerate(header):
                value = _cell_text(cells[i]) if i < len(cells) else ""
                if i == name_col or not value or _SKIP_HEAD_RE.match(head):
                    continue
                if _ID_HEAD_RE.search(head) and not lead.registration_id:
                    found = _ID_RE.search(value)
                    lead.registration_id = found.group(0) if found else value
                elif any(label in head for label in _PERSON_LABELS):
                    lead.people.append(Person(name=value, title=head))
                else:
                    notes.append(f"{head}: {value}")
            lead.description = "; ".join(notes)
            leads.append(lead)
            url = _row_url(row, page, templates)
            if url:
                links.append(Link(url, "detail", name))
        if leads:
            break
    return leads, links


def _header(table: Any) -> list[str]:
    """Column names from the first row of ``th`` cells (or a ``thead`` row)."""
    for row in _HEAD_ROWS(table):
        cells = [_cell_text(c) for c in row.iterchildren("th")]  # ./th
        if len(cells) >= 2:
            return cells
    return []


_HEAD_ROWS = etree.XPath(".//tr[th][not(td)]")
_DATA_ROWS = etree.XPath(".//tr[td]")
_CELL_TEXTS = etree.XPath(descendant_steps(".//text()[not(ancestor::script)]"), smart_strings=False)


def _cell_text(cell: Any) -> str:
    """:func:`node_text` of a cell's lxml element.

    A cell of an HTML tree is read from its elements' ``.text`` and ``.tail`` (a query per
    cell cost more than the cell's text): the HTML parser keeps a run of text as one node
    and a ``script`` as text alone, so what ``_CELL_TEXTS`` leaves out is a script's text.
    """
    if isinstance(cell, lxml.html.HtmlElement) and cell.tag != "script":
        parts: list[str] = []
        if _cell_parts(cell, parts, 0):
            return clean_text("".join(parts))
    return clean_text("".join(_CELL_TEXTS(cell)))


def _cell_parts(el: Any, parts: list[str], depth: int) -> bool:
    """The text nodes below ``el`` outside scripts, in document order, added to ``parts``;
    False for a cell too deep to recurse into."""
    if el.text is not None:
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag != "script":  # a comment's text is no text node
            if len(child):
                if depth >= 50 or not _cell_parts(child, parts, depth + 1):
                    return False
            elif child.text is not None:
                parts.append(child.text)
        if child.tail is not None:
            parts.append(child.tail)
    return True


def _row_url(row: Any, page: Page, templates: dict[str, str]) -> str:
    """The company's detail page: a real link, else the page's ``openEntInfo(…)`` call filled in."""
    for anchor in row.iterdescendants("a"):  # .//a
        href = anchor.get("href", "")
        if href and not href.startswith(("#", "javascript")):
            return page.urljoin(href)
        call = _CALL_RE.search(anchor.get("onclick", ""))
        if call and call.group(1) in templates:
            args = [a or b for a, b in _ARG_RE.findall(call.group(2))]
            return _fill(templates[call.group(1)], args, page)
    return ""


def _url_templates(text: str) -> dict[str, str]:
    """``{function: "params\\nURL expression"}`` for ``function f(a){ var url = rootPath + … }``."""
    out = {}
    for m in re.finditer(
        r"function\s+(\w+)\s*\(([^)]*)\)\s*\{(?:[^{}]|\{[^{}]*\})*?\burl\s*=\s*([^;]+);", text
    ):
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        out[m.group(1)] = "|".join(params) + "\n" + m.group(3)
    return out


def _fill(template: str, args: list[str], page: Page) -> str:
    """Evaluate ``rootPath + '/path?entId=' + regId + …`` with the call's arguments.

    Only string literals, the function's parameters and ``rootPath`` (read from the page) are
    understood; a part that is anything else (``new Date().getTime()``, a cache-buster) ends
    the URL, along with the dangling ``&name=`` before it.
    """
    names, _, expr = template.partition("\n")
    params = dict(zip(names.split("|"), args, strict=False))
    values = {"rootPath": page.memo("gsxt_root_path", lambda: _root_path(page.text)), **params}
    out = ""
    for part in re.split(r"\s*\+\s*", expr.strip()):
        literal = _ARG_RE.fullmatch(part)
        if literal:
            out += literal.group(1) if literal.group(1) is not None else literal.group(2)
        elif part in values:
            out += quote(values[part], safe="")
        else:
            out = re.sub(r"[?&][\w-]+=$", "", out)
            break
    return page.urljoin(out) if out else ""


def _root_path(text: str) -> str:
    """The page's ``rootPath = '…'`` (read once a page, not once a row)."""
    root = re.search(r"rootPath\s*=\s*['\"]([^'\"]*)['\"]", text)
    return root.group(1) if root else ""


# --- the national search's result items --------------------------------------------------------


def _search_leads(page: Page) -> tuple[list[Lead], list[Link]]:
    leads: list[Lead] = []
    links: list[Link] = []
    for item in page.selector.xpath(
        "//a[contains(@class, 'search_list_item')] | //div[contains(@class, 'search_list_item')]"
    ):
        name = node_text(item.xpath(".//h1")[:1] or item.xpath(".//*[contains(@class, 'f20')]")[:1])
        if not name:
            continue
        lead = Lead(name=name, country="CN")
        text = node_text(item)
        matches = list(_ROW_LABEL_RE.finditer(text))
        notes = []
        status = node_text(item.xpath(".//*[contains(@class, 'corpStatus')]")[:1])
        if status:
            notes.append(f"登记状态: {status}")
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            label, value = m.group(1), text[m.end() : end].strip()
            if not value:
                continue
            if label in ("统一社会信用代码", "注册号") and not lead.registration_id:
                found = _ID_RE.search(value)
                lead.registration_id = found.group(0) if found else value
            elif label in _PERSON_LABELS:
                lead.people.append(Person(name=value, title=label))
            else:
                notes.append(f"{label}: {value}")
        lead.description = "; ".join(notes)
        leads.append(lead)
        href = item.attrib.get("href") or item.xpath(".//a/@href").get() or ""
        if href and not href.startswith(("#", "javascript")):
            links.append(Link(page.urljoin(href), "detail", name))
    return leads, links


# --- a company's own page (基本信息 / 照面信息) --------------------------------------------------


def _detail_lead(page: Page) -> list[Lead]:
    """One company from its registration record: ``th``/``td`` or ``dt``/``dd`` label pairs."""
    pairs: dict[str, str] = {}
    for label_node in page.selector.xpath("//th | //dt"):
        tag = "td" if label_node.root.tag == "th" else "dd"
        value_node = label_node.xpath(f"following-sibling::{tag}[1]")
        label = node_text(label_node).strip(" :：")
        if value_node and label and len(label) <= 20 and label not in pairs:
            pairs[label] = node_text(value_node[0])
    name = next((v for k, v in pairs.items() if _NAME_HEAD_RE.fullmatch(k) and v), "")
    reg = next((v for k, v in pairs.items() if _ID_HEAD_RE.search(k) and v), "")
    if not (name and reg):
        return []
    found = _ID_RE.search(reg)
    lead = Lead(name=name, country="CN", registration_id=found.group(0) if found else reg)
    notes = []
    for label, value in pairs.items():
        if not value or _NAME_HEAD_RE.fullmatch(label) or _ID_HEAD_RE.search(label):
            continue
        if label in _PERSON_LABELS:
            lead.people.append(Person(name=value, title=label))
        elif re.fullmatch(r"住所|经营场所|营业场所|主要经营场所|住所/经营场所", label):
            lead.address_raw = lead.address_raw or value
        elif label == "经营范围":
            lead.products = value
        elif re.search(r"日期|状态|类型|登记机关|注册资本", label):
            notes.append(f"{label}: {value}")
    lead.description = "; ".join(notes)
    return [lead]


# --- helpers -----------------------------------------------------------------------------------


def _blocked(page: Page) -> str:
    return marker_reason(page.text, _BLOCK_MARKERS) or detect_block(page)
