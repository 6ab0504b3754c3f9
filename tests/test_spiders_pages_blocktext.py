"""A page as lines of text, and the table header rows that are never people."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from leadharvest.practice.build import load_manifest
from spiders.pages.base import Page, clean_text
from spiders.pages.blocktext import (
    SKIP_TAGS,
    _rows,
    _Walk,
    block_text,
    clean_lines,
    element_text,
    first_line,
    node_text,
    table_header_cells,
)
from spiders.pages.people import is_column_heading


@cache
def _practice_files() -> dict[str, Path]:
    return {p.url: p.path for p in load_manifest()}


def practice_page(url: str) -> Page:
    """A page of the practice web (leadharvest/practice/site), read from its source file."""
    return Page.from_bytes(url, _practice_files()[url].read_bytes())


def lines(html: str) -> list[str]:
    return block_text(Page(url="http://a.example/", text=html)).split("\n")


def test_block_text_keeps_inline_label_and_value_on_one_line() -> None:
    html = "<div><strong>Phone:</strong>\n  <span>0755</span>-8888 1234<br>Fax: 1</div>"
    assert lines(html)[:2] == ["Phone: 0755-8888 1234", "Fax: 1"]


def test_block_text_skips_scripts_and_breaks_at_cells() -> None:
    html = "<table><tr><th>Tel</th><td>1</td></tr></table><script>var a = 1;</script><p>x</p>"
    assert lines(html) == ["Tel", "1", "x"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a bold name that runs into its title keeps its boundary
        (
            "<ul><li><strong>Gareth Holroyd</strong> Managing Director</li></ul>",
            "Gareth Holroyd, Managing Director",
        ),
        ("<p><b>王建国</b>技术主管</p>", "王建国 技术主管"),
        # already separated, a label, a sentence, a name in the middle: unchanged
        (
            "<li><strong>Gareth Holroyd</strong>, Managing Director</li>",
            "Gareth Holroyd, Managing Director",
        ),
        ("<p><strong>Phone:</strong> 0113 496 0456</p>", "Phone: 0113 496 0456"),
        ("<p><b>John Smith</b> is our buyer</p>", "John Smith is our buyer"),
        ("<p>Ask <b>John Smith</b> Sales</p>", "Ask John Smith Sales"),
        ("<p><b>Opening Times</b> Monday to Friday</p>", "Opening Times Monday to Friday"),
    ],
)
def test_bold_name_heading_a_list_item(html: str, expected: str) -> None:
    assert lines(html) == [expected]


def test_header_row_of_the_chinese_staff_table() -> None:
    page = practice_page("https://shijietong-repair.example/lianxifangshi.html")
    # <tr><th>姓名</th><th>职务</th><th>分机</th><th>邮箱</th></tr>
    assert table_header_cells(page) == {"姓名", "职务", "分机", "邮箱"}


def test_thead_row_of_the_english_staff_table() -> None:
    page = practice_page("https://kestrel-camera.example/contact/")
    assert table_header_cells(page) == {"Name", "Title", "Phone", "Email"}


def test_row_labels_beside_values_are_not_a_header_row() -> None:
    # <tr><th>Address</th><td>…</td></tr> <tr><th>Reception (building switchboard)</th>…
    page = practice_page("https://southerncross-camera.example/contact")
    assert table_header_cells(page) == frozenset()


def test_first_row_of_column_headings_in_td_cells() -> None:
    html = (
        "<table><tr><td>姓名</td><td>单位</td><td>电话</td></tr>"
        "<tr><td>王建国</td><td>技术部</td><td>010-6555 0404</td></tr>"
        "<tr><td>电话</td><td>传真</td><td>邮箱</td></tr></table>"
    )
    # only the first row can be a header row of plain cells
    assert table_header_cells(Page(url="http://a.example/", text=html)) == {"姓名", "单位", "电话"}


def test_block_text_skips_whole_subtrees_but_keeps_their_tails() -> None:
    page = Page(
        url="http://a.example/", text="<div><p>Tel 1</p><span id='x'>Hotline 2</span> tail</div>"
    )
    skip = set(page.selector.root.xpath("//span"))
    assert block_text(page, skip=skip).split("\n") == ["Tel 1", "tail"]
    (div,) = page.selector.root.xpath("//div")
    assert element_text(div) == "Tel 1\nHotline 2 tail"


def test_node_text_reads_the_first_node_without_its_scripts() -> None:
    sel = Page(
        url="http://a.example/",
        text="<td>Acme <b>Ltd</b><script>x = 1</script></td><td>second</td>",
    ).selector
    assert node_text(sel.xpath("//td")) == "Acme Ltd"
    assert node_text(sel.xpath("//td")[1]) == "second"
    assert node_text(sel.xpath("//th")) == ""


# --------------------------------------------------------------------------------------
# the page's one walk against each element's own walk (the definition)

_TAGS = ["div", "P", "li", "br", "td", "span", "a", "img", "label", "b", "strong", "STRONG"]
_TAGS += ["script", "svg", "button", "Style", "em", "font", "ul", "table", "tr"]
_TEXTS = ["", "", "\n  ", " ", "Acme", "Gareth Holroyd", "Jo  Ng\n", "\t", "\xa0x", "\u200b"]
_TEXTS += ["\u3000", "x\u2028y", "Managing Director", "王建国", " Sales", "a\rb"]


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    """A small tree of block, inline, bold, skipped and odd-case elements, with comments and
    processing instructions (whose tails the walks leave out) among them."""
    el = etree.Element(draw(st.sampled_from(_TAGS)))
    el.text = draw(st.sampled_from(_TEXTS)) or None
    if depth < 4:
        for _ in range(draw(st.integers(0, 3))):
            node = draw(
                st.one_of(
                    _trees(depth + 1),
                    st.just(etree.Comment("c")),
                    st.just(etree.ProcessingInstruction("pi", "x")),
                )
            )
            node.tail = draw(st.sampled_from(_TEXTS)) or None
            el.append(node)
    return el


@settings(max_examples=400, deadline=None)
@given(_trees(), st.data())
def test_one_walk_gives_each_element_its_own_text(
    root: etree._Element, data: st.DataObject
) -> None:
    """Every element's stretch of the page's walk, with and without skipped subtrees, is
    what :func:`element_text` reads walking that element alone."""
    root.tail = "root tail"
    walk = _Walk(root)
    elements = list(root.iter(etree.Element))
    skip = set(data.draw(st.lists(st.sampled_from(elements), max_size=3)))
    for el in elements:
        text = walk.text(el, ())
        assert text is None or text == element_text(el)
        text = walk.text(el, skip)
        assert text is None or text == element_text(el, skip=skip)
        line = walk.first_line(el)
        assert line is None or line == first_line(el)
    for el in elements:  # only skipped subtrees are left out of the walk
        inside = any(
            str(x.tag).lower() in SKIP_TAGS for x in (el, *el.iterancestors()) if x is not root
        )
        assert (walk.spans.get(el) is None) == (inside or str(root.tag).lower() in SKIP_TAGS)


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab \n\t\r\f\v\xa0\u3000\u200b\u2028\x1c\x85,"), max_size=30)
)
def test_clean_lines_are_clean_texts_lines(value: str) -> None:
    """Each line cleaned alone is that line of the whole text cleaned; the lines that are not
    blank, joined, are ``clean_text`` of the text."""
    lines = clean_lines(value)
    assert lines == [clean_text(line, keep_newlines=True) for line in value.split("\n")]
    assert "\n".join(line for line in lines if line) == clean_text(value, keep_newlines=True)


def _header_cells_by_every_row(page: Page) -> frozenset[str]:
    """The definition: every row's th / td cells read before asking whether it can head."""
    out: set[str] = set()
    for table in page.selector.root.getroottree().iter("table"):
        first = True
        for row in _rows(table):
            cells = [cell for cell in row if cell.tag == "th" or cell.tag == "td"]
            if len(cells) < 2:
                continue
            parent = row.getparent()
            in_head = parent is not None and parent.tag == "thead"
            all_th = all(cell.tag.lower() == "th" for cell in cells)
            if not (first or in_head or all_th):
                continue
            texts = [clean_text(" ".join(cell.itertext())) for cell in cells]
            filled = [t for t in texts if t]
            headings = first and bool(filled) and all(is_column_heading(t) for t in filled)
            if in_head or all_th or headings:
                out.update(t for t in texts if t)
            first = False
    return frozenset(out)


_CELLS = ["<td>姓名</td>", "<th>Name</th>", "<td>Jo Ng</td>", "<th>电话</th>", "<td></td>", "x"]
_CELLS += ["<td>Title</td>", "<!-- c -->", "<th>Reception</th>", "<td>02 5550 0300</td>"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "thead", "tbody", "tfoot"]),
            st.lists(st.sampled_from(_CELLS), max_size=4),
        ),
        max_size=5,
    )
)
def test_table_header_cells_skip_body_rows_early(rows: list[tuple[str, list[str]]]) -> None:
    body = "".join(
        f"<{group}><tr>{''.join(cells)}</tr></{group}>" if group else f"<tr>{''.join(cells)}</tr>"
        for group, cells in rows
    )
    page = Page(url="http://a.example/", text=f"<table>{body}</table>")
    assert table_header_cells(page) == _header_cells_by_every_row(page)


def test_a_skipped_wrapper_with_the_same_stretch_does_not_empty_its_child() -> None:
    """A skipped ``em`` whose only text is its ``ul`` (a processing instruction's tail is
    dropped, so both stretches are the same) is the ``ul``'s ancestor, not its content: the
    ``ul``'s own text keeps everything, as ``element_text`` reads it (hypothesis found it)."""
    root = etree.fromstring("<div><em><?pi x?>\u3000<ul>a<span>b</span></ul></em>c</div>")
    em, ul = root.find("em"), root.find("em/ul")
    walk = _Walk(root)
    assert element_text(ul, skip={em}) == "ab"
    assert walk.text(ul, {em}) == "ab"
    assert walk.text(em, {em}) == ""
    assert walk.text(root, {em}) == element_text(root, skip={em}) == "c"
