"""The faster readers select exactly what the whole-page queries they replaced selected.

Each helper below stands in for an XPath (or a walk per element) that cost a full pass over
the page every time; the query stays here as the statement of what the helper must find, and
every case compares the two on made-up markup that exercises the edges (comments, hidden
elements, nested containers, white space) and on real pages read in place.
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from parsel import Selector

from spiders.pages.b2b import _LABEL_XPATH, _label_candidates
from spiders.pages.base import (
    Page,
    _title_string,
    clean_text,
    document_position,
    first_title_text,
)
from spiders.pages.blocktext import _rows, block_text, element_text, page_element_text
from spiders.pages.chrome import Chrome, _marked_chrome, chrome_kind, find_chrome
from spiders.pages.cn_registry import _NEXT_XPATH, next_link_candidates
from spiders.pages.google import (
    _AD_BOX,
    _NOT_ORGANIC,
    _ad_boxes,
    _is_ad_box,
    _not_organic,
)
from spiders.pages.listing import NameMarks, _named_descendants, _seller_descendants
from spiders.pages.names import logo_images
from tests.realpages import real_page

REAL_PAGES = [
    ("company_sites/chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html",
     "http://www.chasandphil.co.uk/contact-us"),
    ("company_sites/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html",
     "http://www.e-zjs.com/lxwm.htm"),
    ("b2b/made_in_china/company_showroom_bidisco__madeinchinascraper.html",
     "https://bidisco.en.made-in-china.com/"),
    ("directories/qichacha/search_results_wangluo_yingxiao_20_companies_2019__muyun001-qichacha.html",
     "https://www.qichacha.com/search?key=x"),
    ("search_engines/google/hotels_nyc_nojs__serp-parser.html",
     "https://www.google.com/search?q=hotels+NYC"),
]  # fmt: skip

MADE_UP = """<html><head><title>t</title><link rel="next" href="/l2"><script>x</script></head>
<body>intro<script>s1</script>after script<style>st</style>t2<noscript><p>ns</p></noscript>t3
<template><b>tp</b></template>t4<!-- c -->comment tail<?pi x?>pi tail
<header class="site-header"><img class="Logo" alt="Acme Ltd" src="/a.png">
  <div class="nav-user">Welcome 13912345678</div></header>
<div id="tads"><div class="x uEierd"><div data-text-ad="">ad</div></div></div>
<div class="a&#160;uEierd">no-break space is not a class separator</div>
<div class="uEierd\trllt__details">tab is</div><g-scrolling-carousel>c</g-scrolling-carousel>
<div data-is-ad="1" class="commercial-unit-desktop-top">d</div>
<div id="rhs"><p class=" related-question-pair ">q</p></div>
<ul class="list"><li class="item"><h3 class="company-name"><a href="/a">Alpha Trading Co</a></h3>
  <span class="title">Tel:</span> 0755-1234 5678</li>
  <li class="item"><div class="seller">Beta Ltd</div><p>Address:</p><p>1 Road</p></li>
  <li class="item"><span itemprop="name">Gamma</span><dl><dt>Fax</dt><dd>1</dd></dl></li></ul>
<table><tr><th>Phone</th><td>2</td></tr></table>
<div><span>Phone:</span><span>123</span><p>  Address
 ：</p><div>a<!-- c -->b<b>:</b></div><div><span>Company name</span>   :  </div>
<div>0123456789012345678901234567890:</div><div>012345678901234567890123456789:</div>
<div><p>a b c d e f g h i j k l m n o p q:</p><p>a b c d e f g h i j k l m n o:</p></div>
<div> <i>   </i> Fax&#160;: </div><script>x:</script><a>Link:</a></div>
<a rel="next" href="/a1">x</a><a href="/n1"> 下一页 </a><a href="/n3"><span>下一页</span> &gt;</a>
<a class="next" href="/outside-next">next</a><a href="/outside-raquo">»</a>
<div class="pagination"><a class="btn next" href="/c1">n</a><a class="go-next" href="/c2">n</a>
 <ul><li class="next"><a href="/d1">d</a></li><li class="pager-next"><a href="/d2">d</a></li></ul>
 <a href="/f1"> &gt; </a><a href="/f4"><b>»</b></a><a href="/f5">&gt; &gt;</a></div>
<ul><li class="pager-next"><a href="/d3">only the li is a pager</a></li></ul>
<a href="/cm">下一<!-- x -->页</a>
<footer><div class="logo-box"><img src="/f.png" alt="Footer Co"></div>© 2020 Acme Ltd</footer>
</body></html>"""

_VISIBLE_XPATH = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style)"
    " and not(ancestor::noscript) and not(ancestor::template)]",
    smart_strings=False,
)
_ANY_TEXT = etree.XPath("//text()[not(ancestor::script)]", smart_strings=False)
_PAGER = (
    "//*[contains(@class, 'pagination') or contains(@class, 'pager')"
    " or contains(@class, 'page-box')]"
)
_PAGER_UNION = (
    "//a[@rel='next'] | //link[@rel='next']"
    f" | {_PAGER}//a[contains(concat(' ', normalize-space(@class), ' '), ' next ')"
    " or contains(@class, '-next') or contains(@class, 'next-page')]"
    f" | {_PAGER}//li[contains(@class, 'next')]/a"
    " | //a[normalize-space(.)='下一页' or normalize-space(.)='下一页>'"
    " or normalize-space(.)='下一页 >']"
    f" | {_PAGER}//a[normalize-space(.)='>' or normalize-space(.)='>>'"
    " or normalize-space(.)='›' or normalize-space(.)='»']"
)
_LOGO_XPATH = (
    "//img[contains(translate(concat(@class, ' ', @id, ' ', @src), 'LOGO', 'logo'), 'logo')]"
    " | //*[contains(translate(concat(@class, ' ', @id), 'LOGO', 'logo'), 'logo')]//img"
)


@pytest.fixture(scope="module", params=range(len(REAL_PAGES) + 1))
def page(request: pytest.FixtureRequest) -> Page:
    if request.param == 0:
        return Page.from_bytes("https://example.com/p", MADE_UP.encode())
    return real_page(*REAL_PAGES[request.param - 1])


def _elements(page: Page, limit: int = 400) -> list[Any]:
    return list(page.selector.root.iter(etree.Element))[:limit]


def test_the_tree_is_the_one_parsel_builds(page: Page) -> None:
    reference = Selector(text=page.text, base_url=page.url)
    assert etree.tostring(page.root) == etree.tostring(reference.root)
    assert page.base_url == page.url or page.base_url.startswith("http")


def test_visible_text_is_the_body_text_outside_scripts(page: Page) -> None:
    root = page.selector.root
    expected = clean_text("\n".join(_VISIBLE_XPATH(root) or _ANY_TEXT(root)), keep_newlines=True)
    assert page.visible_text == expected
    if page.url == "https://example.com/p":
        assert "comment tail" in page.visible_text and "pi tail" in page.visible_text
        assert "s1" not in page.visible_text and "ns" not in page.visible_text.split()


def test_block_text_stretches_equal_their_own_walks(page: Page) -> None:
    chrome = find_chrome(page)
    root = page.selector.root
    assert block_text(page, skip=chrome.all) == element_text(root, skip=chrome.all)
    assert block_text(page, skip=chrome.account_only) == element_text(
        root, skip=chrome.account_only
    )
    for el in [*chrome.site, *_elements(page, 150)]:
        assert page_element_text(page, el) == element_text(el)
        assert page_element_text(page, el, skip=chrome.all) == element_text(el, skip=chrome.all)


def test_label_candidates_are_the_label_query(page: Page) -> None:
    nodes = page.selector.xpath("//body | //div | //ul | //table")[:150]
    for node in nodes:
        assert [s.root for s in _label_candidates(node)] == [
            s.root for s in node.xpath(_LABEL_XPATH)
        ]


def test_next_page_query_is_the_union_it_replaced(page: Page) -> None:
    root = page.selector.root
    assert etree.XPath(_NEXT_XPATH)(root) == etree.XPath(_PAGER_UNION)(root)
    assert next_link_candidates(root) == etree.XPath(_NEXT_XPATH)(root)
    if page.url == "https://example.com/p":
        hrefs = [el.get("href") for el in etree.XPath(_NEXT_XPATH)(root)]
        assert "/d2" in hrefs and "/d3" not in hrefs and "/outside-next" not in hrefs


def test_logo_images_are_the_logo_query(page: Page) -> None:
    root = page.selector.root
    assert list(logo_images(root)) == etree.XPath(_LOGO_XPATH)(root)


def test_name_marks_are_each_cards_own_search(page: Page) -> None:
    marks = NameMarks(page.selector.root)
    for el in _elements(page, 300):
        assert marks.seller.get(el, []) == _seller_descendants(el)
        assert marks.named.get(el, []) == _named_descendants(el)


def test_google_boxes_are_the_class_queries(page: Page) -> None:
    root = page.selector.root
    elements = list(root.iter(etree.Element))
    assert [e for e in elements if _not_organic(e)] == etree.XPath(f"//*[{_NOT_ORGANIC}]")(root)
    assert [e for e in elements if _is_ad_box(e)] == etree.XPath(f"//*[{_AD_BOX}]")(root)
    top = etree.XPath(f"//*[{_AD_BOX}][not(ancestor::*[{_AD_BOX}])]")(root)
    assert [s.root for s in _ad_boxes(page)] == top


_TITLES = [
    "<html><head><title>Acme <b>Ltd</b></title></head><body><svg><title>icon</title></svg></body>",
    "<html><head><title></title></head><body><title>late</title><title>later</title></body>",
    "<html><body><p>no title at all</p></body></html>",
    "<title><!-- c -->x</title>",
]


@pytest.mark.parametrize("markup", _TITLES)
def test_title_readers_are_the_title_queries_on_made_up_titles(markup: str) -> None:
    page = Page("https://example.com/t", markup)
    root = page.selector.root
    assert _title_string(root) == str(etree.XPath("string(//title)")(root))
    assert first_title_text(page) == (page.selector.xpath("//title//text()").get() or "")


def test_title_readers_are_the_title_queries(page: Page) -> None:
    root = page.selector.root
    assert _title_string(root) == str(etree.XPath("string(//title)")(root))
    assert first_title_text(page) == (page.selector.xpath("//title//text()").get() or "")


def _chrome_by_one_walk(start: Any) -> tuple[list[Any], list[Any]]:
    """The chrome walk as it was first written (one walk, a counter of open site chrome)."""
    site: list[Any] = []
    account: list[Any] = []
    in_site = 0
    roots: set[Any] = set()
    walker = etree.iterwalk(start, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "end":
            if el in roots:
                in_site -= 1
            continue
        if not tag or tag in {"script", "style", "noscript", "template", "head", "svg"}:
            walker.skip_subtree()
            continue
        if el is start:
            continue
        kind = chrome_kind(el)
        if kind == "account":
            account.append(el)
            walker.skip_subtree()
        elif kind == "site" and not in_site:
            site.append(el)
            roots.add(el)
            in_site += 1
    return site, account


_NESTED_CHROME = """<html><body><header class="site-header"><nav class="menu">
<ul><li class="menu-item"><a class="nav-user" href="/me">me 13912345678</a></li>
<li class="menu-item"><div class="login-box"><span class="userinfo">x</span></div></li></ul>
</nav><svg class="user-icon"><g class="login"></g></svg></header>
<main><div id="content"><div><div><div class="card-footer">card</div></div></div></div></main>
<footer class="footer"><div class="account-links">a</div><p>© 2024 Acme Ltd</p></footer>
<div class="userbar"><div class="footer">inside the visitor's bar</div></div></body></html>"""


@pytest.mark.parametrize("markup", [_NESTED_CHROME, MADE_UP])
def test_chrome_is_the_one_walk_on_made_up_pages(markup: str) -> None:
    page = Page.from_bytes("https://example.com/c", markup.encode())
    start = page.selector.root.find("body")
    chrome = Chrome()
    _marked_chrome(start, chrome)
    assert (chrome.site, chrome.account) == _chrome_by_one_walk(start)
    assert chrome.site and chrome.account


def test_chrome_is_the_one_walk(page: Page) -> None:
    start = page.selector.root.find("body")
    if start is None:
        start = page.selector.root
    chrome = Chrome()
    _marked_chrome(start, chrome)
    assert (chrome.site, chrome.account) == _chrome_by_one_walk(start)


_ROWS_QUERY = etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
_CELLS_QUERY = etree.XPath("./th | ./td")
_TABLES = """<table><caption>c</caption><tr><th>Name</th><td>x</td></tr><!-- c -->
<thead><tr><th>姓名</th><th>职务</th></tr></thead><tbody><tr><td>a</td><td><table><tr><td>in
</td></tr></table></td></tr></tbody><tr><td>after body</td></tr><tfoot><tr><td>f</td></tr>
</tfoot></table>"""


@pytest.mark.parametrize("markup", [_TABLES, MADE_UP])
def test_table_rows_and_cells_are_their_queries_on_made_up_tables(markup: str) -> None:
    root = Page("https://example.com/t", markup).selector.root
    tables = list(root.iter("table"))
    assert tables
    for table in tables:
        assert _rows(table) == _ROWS_QUERY(table)
        for row in _rows(table):
            assert [c for c in row if c.tag == "th" or c.tag == "td"] == _CELLS_QUERY(row)


def test_table_rows_are_the_row_query(page: Page) -> None:
    for table in page.selector.root.iter("table"):
        assert _rows(table) == _ROWS_QUERY(table)


def test_document_position_sorts_in_document_order(page: Page) -> None:
    elements = _elements(page, 300)
    shuffled = elements[::-1][1::2] + elements[::-1][0::2]
    assert sorted(shuffled, key=document_position) == elements
