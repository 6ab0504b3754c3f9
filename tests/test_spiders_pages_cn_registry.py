"""Shared register helpers of the Chinese company-registry directories (企查查, 天眼查).

The inputs are fictional: made-up names, example.cn addresses and numbers.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from spiders.pages.base import clean_text
from spiders.pages.cn_registry import (
    _ALL_LINK_HREFS,
    _BLOCK_CASED_RE,
    _BLOCK_RE,
    _DROP_RE,
    _FULL,
    _JOIN_CASED_RE,
    _JOIN_RE,
    _LABEL_CASED_RE,
    _LABEL_RE,
    _NOISE_RE,
    _OWN_TEXTS,
    _STATUS_TEXTS,
    _TAG_RE,
    RegistryRecord,
    _denoised,
    _first_full,
    card_text,
    first_own_text,
    labelled_fields,
    leaf_cell_text,
    link_ids,
    linked_records,
    lone_block,
    page_links,
    state_records,
    status_texts,
    trim_scope,
)


def test_labels_split_a_line_and_take_the_next_line() -> None:
    text = card_text(
        "<p>法定代表人：<br><a>王示例</a> <span>注册资本：10万元</span></p>"
        "<p>邮箱：a@example.cn <span>电话：0571-5550 0123</span> <a>更多号码</a></p>"
    )
    assert labelled_fields(text) == [
        ("person", "法定代表人", "王示例"),
        ("capital", "注册资本", "10万元"),
        ("email", "邮箱", "a@example.cn"),
        ("phone", "电话", "0571-5550 0123"),
    ]


@pytest.mark.parametrize(
    ("raw", "trimmed"),
    [
        ("企业形象策划;企业管理咨询;...", "企业形象策划;企业管理咨询"),
        ("企业管理咨询,企业营销<...", "企业管理咨询,企业营销"),
        ("电器制造、销售。", "电器制造、销售。"),
        ("塑料门窗加工……", "塑料门窗加工"),
    ],
)
def test_trim_scope(raw: str, trimmed: str) -> None:
    assert trim_scope(raw) == trimmed


def _id_of(href: str) -> str:
    return href.rsplit("/", 1)[-1] if "/firm/" in href else ""


_LIST = """<html><body><div id="list">
<div class="card"><div><a href="/firm/a1">甲示例有限公司</a></div><p>电话：0571-5550 0101</p></div>
<div class="card"><div><a href="/firm/b2">乙示例有限公司</a></div><p>电话：0571-5550 0102</p></div>
<div class="recent"><a href="/firm/a1">甲示例有限公司</a></div>
</div></body></html>"""


def test_lone_block_stops_below_the_list() -> None:
    link = Selector(text=_LIST).xpath("//a[@href='/firm/a1']")[0]
    block = lone_block(link, "a1", _id_of)
    assert block is not None
    assert block.attrib.get("class") == "card"
    assert link_ids(block, _id_of) == {"a1"}


def test_linked_records_reads_each_company_once() -> None:
    def record_of(link: Selector, cid: str) -> RegistryRecord | None:
        block = lone_block(link, cid, _id_of)
        if block is None or "电话" not in (block.xpath("string(.)").get() or ""):
            return None
        return RegistryRecord(name=link.xpath("string(.)").get() or "")

    records = linked_records(Selector(text=_LIST), _id_of, record_of)
    assert [r.name for r in records] == ["甲示例有限公司", "乙示例有限公司"]


def test_state_records_keeps_each_name_once() -> None:
    state = {"list": [{"Name": "甲"}, {"Name": "乙"}], "again": {"Name": "甲"}, "x": {"Name": ""}}
    records = state_records(
        state, lambda item: "Name" in item, lambda item: RegistryRecord(name=item["Name"])
    )
    assert [r.name for r in records] == ["甲", "乙"]


# labels, their cases, the characters re.IGNORECASE folds onto ASCII letters, noise words
_PIECES = st.sampled_from(
    [
        "电话",
        "邮箱",
        "E-mail",
        "EMAIL",
        "emaıl",
        "EMAİL",
        "Emaıl",
        "地址",
        "更多号码",
        "复制",
        "关联企业",
        "号码",
        "：",
        ":",
        " ",
        "\n",
        "\u3000",
        "3",
        "٣",
        "x",
        "ſ",
        "K",
        "-",
    ]
)


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_cased_label_pattern_finds_what_the_ignorecase_one_does(text: str) -> None:
    if not any(c in text for c in "\u0130\u0131\u017f\u212a"):
        cased = [(m.span(), m.group(1)) for m in _LABEL_CASED_RE.finditer(text)]
        assert cased == [(m.span(), m.group(1)) for m in _LABEL_RE.finditer(text)]


@given(st.lists(_PIECES, max_size=8).map("".join))
def test_denoised_is_the_noise_substitution(value: str) -> None:
    assert _denoised(value) == _NOISE_RE.sub("", value)


def _markup(depth: int) -> st.SearchStrategy[str]:
    text = st.sampled_from(["", "存续", " 在业 ", "x&amp;y", "注销（2019）", "\n"])
    leaf = st.one_of(text, st.just("<!-- c -->"), st.just("<br>"))
    if depth == 0:
        return leaf
    classes = st.sampled_from(
        ["", ' class=""', ' class="status"', ' class="ntag-x"', ' class="Label"', ' class="x"']
    )
    tags = st.sampled_from(["div", "span", "p", "em"])
    element = st.tuples(tags, classes, st.lists(_markup(depth - 1), max_size=3)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
    )
    return st.one_of(leaf, element)


@given(st.lists(_markup(3), max_size=4))
def test_status_texts_are_the_status_query(parts: list[str]) -> None:
    """The walk reads the text nodes the query selected, in the same order."""
    html = f'<html><body><div id="row" class="status">{"".join(parts)}</div></body></html>'
    row = Selector(text=html).xpath("//*[@id='row']")[0]
    assert status_texts(row) == _STATUS_TEXTS(row.root)


def test_status_texts_of_a_deep_row_are_the_status_query() -> None:
    """A row nested deeper than the walk recurses is read by the query itself."""
    deep = '<span class="tag">a' * 150 + "存续" + "</span>b" * 150
    html = f'<html><body><div id="row"><p class="x">{deep}</p></div></body></html>'
    row = Selector(text=html).xpath("//*[@id='row']")[0]
    assert status_texts(row) == _STATUS_TEXTS(row.root)


@given(st.lists(_markup(3), max_size=4))
def test_first_own_text_is_the_text_query(parts: list[str]) -> None:
    """Every element's first text child, read from ``.text`` and the tails, is ``text()[1]``."""
    html = f"<html><body><table><tr><td>{''.join(parts)}</td></tr></table></body></html>"
    root = Selector(text=html).root
    for el in root.iter(etree.Element):
        assert first_own_text(el) == next(iter(_OWN_TEXTS(el)), None)


def _cells(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["", "500万", "<!-- full -->", "<br>"])
    if depth == 0:
        return leaf
    classes = st.sampled_from(
        ["", ' class="full"', ' class="x fullx"', ' class="Full"', ' id="full"']
    )
    element = st.tuples(
        st.sampled_from(["div", "span"]), classes, st.lists(_cells(depth - 1), max_size=3)
    )
    return st.one_of(leaf, element.map(lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"))


@given(st.lists(_cells(3), max_size=4))
def test_first_full_is_the_full_query(parts: list[str]) -> None:
    """The walk finds the element the ``full`` query found first."""
    html = (
        f'<html><body><table><tr><td class="full">{"".join(parts)}</td></tr></table></body></html>'
    )
    root = Selector(text=html).root
    for el in root.iter(etree.Element):
        assert _first_full(el) is next(iter(_FULL(el)), None)


_TAG_NAMES = [
    "p",
    "div",
    "br",
    "tr",
    "td",
    "th",
    "li",
    "dd",
    "dt",
    "dl",
    "ul",
    "ol",
    "h1",
    "h6",
    "h7",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "tbody",
    "thead",
    "em",
    "b",
    "strong",
    "font",
    "i",
    "u",
    "mark",
    "a",
    "span",
    "bdi",
    "tdx",
    "dİv",
    "lı",
    "Em",
    "BR",
    "TBody",
    "Section",
]
_MARKUP = st.lists(
    st.one_of(
        st.builds(
            lambda close, name, rest: f"<{close}{name}{rest}",
            st.sampled_from(["", "/"]),
            st.sampled_from(_TAG_NAMES),
            st.sampled_from([">", " class='x'>", "/>", "-x>", "1>", "", " <b>", "ſ>"]),
        ),
        st.sampled_from(["text", "<", ">", " ", "\n", "ı", "K", "电话"]),
    ),
    max_size=10,
).map("".join)


@given(_MARKUP)
def test_cased_tag_patterns_match_what_the_ignorecase_ones_do(text: str) -> None:
    if not any(c in text for c in "\u0130\u0131\u017f\u212a"):
        assert _BLOCK_CASED_RE.sub("\n", text) == _BLOCK_RE.sub("\n", text)
        assert _JOIN_CASED_RE.sub("", text) == _JOIN_RE.sub("", text)


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><a href='/a'>x</a><div><a>no href</a><a href=''>e</a>"
        "<p><a href='/firm_1.html'><a href='/in'>in</a></a></p></div><A HREF='/up'>u</A>"
        "<!-- <a href='/c'> --><svg><a href='/svg'>s</a></svg></body></html>",
        "<p>no links</p>",
    ],
)
def test_page_links_are_the_link_query(markup: str) -> None:
    for node in (Selector(text=markup).root, Selector(text=markup).root[0]):
        expected = [(h.getparent(), str(h)) for h in _ALL_LINK_HREFS(node)]
        assert page_links(node) == expected


def _lone_block_as_defined(link: Selector, cid: str) -> object:
    """``lone_block`` as first written: the set of linked companies, then the length."""
    best = None
    for node in link.root.iterancestors("div"):
        if link_ids(Selector(root=node), _id_of) - {cid} or len(node.xpath("string(.)")) > 2500:
            break
        best = node
    return best


@pytest.mark.parametrize("filler", ["", "x" * 1200, "x" * 3000])
def test_lone_block_is_its_definition(filler: str) -> None:
    markup = _LIST.replace("<p>电话", f"<p>{filler}电话").replace(
        '<div class="recent">', f'<div class="recent"><div><a href="/x">{filler}</a></div>'
    )
    for link in Selector(text=markup).xpath("//a[starts-with(@href, '/firm/')]"):
        cid = _id_of(link.attrib["href"])
        block = lone_block(link, cid, _id_of)
        assert (None if block is None else block.root) is _lone_block_as_defined(link, cid)


def _card_text_as_defined(fragment: str) -> str:
    """``card_text`` as first written: four substitutions, the entities, the cleaning."""
    text = _DROP_RE.sub(" ", fragment)
    text = _BLOCK_RE.sub("\n", text)
    text = _JOIN_RE.sub("", text)
    text = _TAG_RE.sub(" ", text)
    return clean_text(html.unescape(text), keep_newlines=True)


_CARD_PIECES = st.sampled_from(
    [
        "<div>", "</div>", "<em>", "</em>", "<span class='a  b'>", "</span>", "<br>", "<P >",
        "<script> x  </script>", "<!-- c  -->", "  ", "   ", " ", "\n", "\t", "\xa0", "\u3000",
        "&amp;", "&amp", "&nbsp;", "&#32;", "&#x20;", "&lt;b&gt;", "&#", "电话：", "a", "İ",
        "<i>", "</i>", ">", "<", "&nbsp", "\u200b",
    ]
)  # fmt: skip


@given(st.lists(_CARD_PIECES, max_size=16).map("".join))
def test_card_text_is_its_definition(fragment: str) -> None:
    assert card_text(fragment) == _card_text_as_defined(fragment)


_LEAF_TEXTS = st.sampled_from(
    [
        "", " ", "  ", "\n", "\r\n", "\t", "\xa0", "&nbsp;", "\u3000", "\u200b", "500万",
        "&amp;", "&amp;amp;", "&lt;b&gt;", "<", ">", "&{", "&copy", "&#32;", "İ", "电话：",
        "-->", "x",
    ]
)  # fmt: skip
_LEAF_ATTRS = st.sampled_from(
    ["", ' title="a>b"', " title='<td>'", ' class="full"', " <x=1", ' data-x="&{y}"', " title"]
)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["td", "div", "TD"]), _LEAF_ATTRS, st.lists(_LEAF_TEXTS, max_size=6)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_leaf_cell_text_is_the_serialised_cells_first_line(
    cells: list[tuple[str, str, list[str]]],
) -> None:
    """A cell without children reads as ``card_text`` of its serialisation did."""
    inner = "".join(f"<{tag}{attrs}>{''.join(text)}</{tag}>" for tag, attrs, text in cells)
    markup = f"<html><body><table><tr>{inner}</tr></table><div>{inner}</div></body></html>"
    root = Selector(text=markup).root
    seen = 0
    for el in root.iter("td", "div"):
        if len(el):
            continue
        shown = etree.tostring(el, method="html", encoding="unicode", with_tail=False)
        assert leaf_cell_text(el) == card_text(shown).split("\n")[0]
        seen += 1
    assert seen
