"""The generic extractor's fast paths find exactly what the slower tests they skip found.

Each fast path skips work only where the slow test it stands in for cannot succeed; the slow
test stays here as the statement of what must be found, and every case compares the two on
made-up markup with the edges (text split by markup, comment tails, case folding) and on
real pages read in place.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from leadharvest.items import Lead
from spiders.pages import (
    GENERIC,
    b2b,
    baidu,
    base,
    bing,
    chrome,
    emails,
    extract_page,
    generic,
    indiamart,
    listing,
    sogou,
    tianyancha,
    yandex,
    yelp,
)
from spiders.pages.base import Page, attr_index, clean_text, first_title_text
from spiders.pages.blocktext import block_text
from spiders.pages.chrome import (
    _COPYRIGHT_LINE_RE,
    SITE_TAGS,
    SKIP_TAGS,
    _copyright_owners,
    _text_len,
    chrome_kind,
)
from spiders.pages.labels import (
    _FULLWIDTH,
    LABEL_PIECES,
    PHONE_LABEL_RE,
    label_lines,
    normalise,
)
from spiders.pages.leadtext import fill_contacts
from spiders.pages.serp import has_class
from tests.realpages import real_page

REAL_PAGES = [
    ("company_sites/chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html",
     "http://www.chasandphil.co.uk/contact-us"),
    ("company_sites/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html",
     "http://www.e-zjs.com/lxwm.htm"),
    ("company_sites/phoenixhydraulic_com/contact_sales_offices_2014__webstruct.html",
     "http://www.phoenixhydraulic.com/contact"),
    ("directories/huangye88/company_page_qiye2875451_wanchuang_contact_2019__huangye88.html",
     "http://www.huangye88.com/qiye2875451/company_contact.html"),
    ("b2b/made_in_china/company_showroom_bidisco__madeinchinascraper.html",
     "https://bidisco.en.made-in-china.com/"),
]  # fmt: skip

COPYRIGHT_MARKUP = """<html><body><div id="a">&copy; 2020 Acme</div>
<div id="b"><span>x</span>Copyright Acme Ltd</div>
<div id="c"><!-- note -->COPYRİGHT dotted capital I</div>
<div id="d"><p>(C) 2019 Beta</p><p>(c)<b>2019</b> split by markup</p></div>
<div id="e">京ICP备12345678号 <i>粤</i>ICP证 沪公网安备 3101 号 版權所有</div>
<div id="f">Copy<b>right</b> split by markup: no line</div>
<div id="g">icp<br>备 across a break (own text joins with a space)</div>
<script>© in a script</script>
<p id="h">nothing here</p></body></html>"""


def _own_text_matches(root: etree._Element) -> set[etree._Element]:
    """The elements the copyright-block loop tests with the full pattern and finds."""
    out: set[etree._Element] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in SKIP_TAGS:
            continue
        own = (el.text or "") + " " + " ".join(c.tail or "" for c in el)
        if _COPYRIGHT_LINE_RE.search(own):
            out.add(el)
    return out


def _body(page: Page) -> etree._Element:
    root = page.selector.root
    body = root.find("body")
    return body if body is not None else root


def test_copyright_owners_hold_every_copyright_line_on_made_up_markup() -> None:
    page = Page(url="https://acme.example/", text=COPYRIGHT_MARKUP)
    start = _body(page)
    matches = _own_text_matches(start)
    owners = _copyright_owners(start)
    ids = {el.get("id") or el.tag for el in matches}
    # a, b, c (after a comment, "İ" folded), both paragraphs of d, e, g (the <br> tail joins
    # with a space); not f (the word is split by markup), not h, not the script's body
    assert ids == {"a", "b", "c", "e", "g", "p"}
    assert matches <= owners
    assert not {el.get("id") for el in owners} & {"f", "h"}


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_copyright_owners_hold_every_copyright_line_on_real_pages(relative: str, url: str) -> None:
    start = _body(real_page(relative, url))
    assert _own_text_matches(start) <= _copyright_owners(start)


def test_normalise_folds_no_ascii_character() -> None:
    # the ASCII fast path returns ASCII text as it is: that is only right while no ASCII
    # character is in the folding table
    assert min(_FULLWIDTH) > 0x7F
    for text in ("Tel: 0755-1234", "Ｔｅｌ：０７５５", "a\u00a0b\u2013c", "電話：1\u3000号"):
        assert normalise(text) == text.translate(_FULLWIDTH)
    assert normalise("Ｔｅｌ：０７５５") == "Tel:0755"
    # text with none of the folded characters is returned as it is: the search must find
    # every character the table folds
    for cp in _FULLWIDTH:
        text = f"电话{chr(cp)}0755"
        assert normalise(text) == text.translate(_FULLWIDTH) != text
    assert normalise("电话0755 深圳") == "电话0755 深圳"


# --- the generic extractor reads the content's contacts only when it may keep them ----------

DIRECTORY_PAGE = """<html><head><title>Widgets - Demo Directory</title></head><body>
<div class="header"><span>Hotline 400-555-0000</span></div>
<div id="main"><h1>Fictional Widgets Ltd</h1><p>Tel: 020 5550 0101</p></div>
<div class="footer"><p>© 2024 Demo Directory. Call 400-555-0001</p></div>
</body></html>"""

OWN_SITE_PAGE = """<html><head><title>Contact - Holme Valley Lenses</title></head><body>
<div class="header"><a href="/">Home</a></div>
<div id="main"><h1>Contact us</h1><p>Tel: 01484 555 010</p></div>
<footer><p>© 2021 Holme Valley Lenses Ltd. Call 01484 555 011</p></footer>
</body></html>"""

OWN_MAIL_PAGE = """<html><head><title>Contact</title></head><body>
<div class="header"><a href="/">Home</a></div>
<div id="main"><p>Acme Widgets Ltd</p><p>E-mail: sales@zq-shop.example</p></div>
<footer><p>Call 01484 555 012</p></footer>
</body></html>"""


def _generic_run(
    monkeypatch: pytest.MonkeyPatch, url: str, html: str
) -> tuple[list[str], list[Lead]]:
    """The texts ``fill_contacts`` was given, and the leads the page gave."""
    read: list[str] = []

    def counting(lead: Lead, text: str, **kwargs: Any) -> str:
        read.append(text)
        return fill_contacts(lead, text, **kwargs)

    monkeypatch.setattr(generic, "fill_contacts", counting)
    result = extract_page(Page(url=url, text=html), GENERIC)
    return read, result.leads


def test_a_directory_page_is_read_once_without_its_chrome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read, leads = _generic_run(monkeypatch, "https://www.demo.example/co/1", DIRECTORY_PAGE)
    assert len(read) == 1 and "400-555" not in read[0]  # the content alone
    assert [lead.name for lead in leads] == ["Fictional Widgets Ltd"]
    assert [p.raw for p in leads[0].phones] == ["020 5550 0101"]


def test_content_that_names_the_site_is_not_read_before_the_whole_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Contact us" names no one: the page is the site's own, so the footer's number is the
    # business's too and only the whole page is read
    read, leads = _generic_run(monkeypatch, "https://holmevalleylenses.example/c", OWN_SITE_PAGE)
    assert len(read) == 1 and "01484 555 011" in read[0]
    assert len(leads) == 1
    assert {p.raw for p in leads[0].phones} == {"01484 555 010", "01484 555 011"}


def test_content_owned_only_by_its_e_mail_is_read_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # the name does not spell the domain; only the content's e-mail on the site's domain
    # shows the page is the site's own, so the content's contacts are read first
    read, leads = _generic_run(monkeypatch, "https://zq-shop.example/contact", OWN_MAIL_PAGE)
    assert len(read) == 2
    assert "01484 555 012" not in read[0] and "01484 555 012" in read[1]
    assert [p.raw for p in leads[0].phones] == ["01484 555 012"]
    assert [e.raw for e in leads[0].emails] == ["sales@zq-shop.example"]


def test_page_urljoin_is_urljoin_against_the_pages_base() -> None:
    # cached per (base, href): the same href on two pages with different bases joins apart
    a = Page(url="https://a.example/dir/page", text='<html><body><a href="x">x</a></body></html>')
    b = Page(
        url="https://b.example/p",
        text='<html><head><base href="https://cdn.example/root/"></head><body></body></html>',
    )
    for href in ("x", " ../y?q=1 ", "/z#frag", "//other.example/w", "mailto:a@b.example"):
        assert a.urljoin(href) == urljoin("https://a.example/dir/page", href.strip())
        assert b.urljoin(href) == urljoin("https://cdn.example/root/", href.strip())
    assert a.urljoin("x") == "https://a.example/dir/x"
    assert b.urljoin("x") == "https://cdn.example/root/x"


BASE_MARKUP = [
    '<html><head><BASE HREF="https://cdn.example/r/"></head><body>x</body></html>',
    '<html><head><Base href=" /up/ "><base href="https://second.example/"></head></html>',
    "<html><head><base target=_blank><base href='rel/'></head></html>",
    "<html><body><!-- <base href='https://no.example/'> -->"
    "<p>&lt;base href=x&gt;</p></body></html>",
    "<html><body><baseline>no base here</baseline></body></html>",
    "<html><head><ba\x00se href='https://nul.example/'></head></html>",
    '<?xml version="1.0"?><doc><base href="https://xml.example/"/></doc>',
    '{"base": "<base href=https://json.example/>"}',
    "<html><body><p>no base at all</p></body></html>",
    "",
]


def _base_by_tree(page: Page) -> str:
    """What ``Page.base_url`` said before it looked at the text first: the tree's answer."""
    root = page.selector.root
    tags = root.iter("base") if isinstance(getattr(root, "tag", None), str) else iter(())
    base = next((h for el in tags if (h := el.get("href")) is not None), None)
    return urljoin(page.url, base.strip()) if base else page.url


@pytest.mark.parametrize("parsed_first", [False, True])
@pytest.mark.parametrize("text", BASE_MARKUP)
def test_the_base_url_is_the_trees_first_base_href(text: str, parsed_first: bool) -> None:
    page = Page(url="https://site.example/dir/page", text=text)
    if parsed_first:
        page.selector  # noqa: B018 - the tree answers when it is already there
    assert page.base_url == _base_by_tree(Page(url=page.url, text=text))


def test_a_page_without_a_base_tag_is_not_parsed_for_its_base_url() -> None:
    page = Page(url="https://site.example/dir/page", text=BASE_MARKUP[-2])
    assert page.urljoin("x") == "https://site.example/dir/x"
    assert "root" not in page.__dict__ and "selector" not in page.__dict__


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_the_base_url_of_real_pages_is_the_trees(relative: str, url: str) -> None:
    page = real_page(relative, url)
    assert page.base_url == _base_by_tree(real_page(relative, url))


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_unmarked_elements_are_never_chrome(relative: str, url: str) -> None:
    # find_chrome skips elements with no class, id or role whose tag is not header / footer
    # / nav / aside: chrome_kind must say "" for every one of them
    page = real_page(relative, url)
    made_up = Page(url="https://acme.example/", text=COPYRIGHT_MARKUP + DIRECTORY_PAGE)
    unmarked = [
        el
        for p in (page, made_up)
        for el in p.selector.root.iter(etree.Element)
        if el.tag.lower() not in SITE_TAGS
        and not (el.get("class") or el.get("id") or el.get("role"))
    ]
    assert unmarked
    assert {chrome_kind(el) for el in unmarked} == {""}


# --- queries answered from the page's attribute index --------------------------------------

CLASSED_MARKUP = """<html><body>
<ol><li class="b_algo">r</li><li class="b_no">No results for x</li><div class="b_no">div</div>
<li class="b_nothing">not the class</li></ol>
<div class="x\tb_ad"><ul><li class="sb_add"><h2><a href="/1">ad 1</a></h2></li></ul>
  <div class="b_ad inner"><li class="sb_add">nested container's ad</li></div></div>
<div class="b_ad&#160;wide">no-break space: one class name</div>
<div class="b_ad"><li><h2><a href="/2">ad 2</a></h2></li></div>
<p class="sb_add">loose ad</p><p class="sb_addx">not an ad</p>
<div class=" b_scard "><h2>Card A</h2></div><div class="b_scard"><h3>no h2</h3></div>
<div class="lc_content\nx"><div><h2>Card B</h2></div></div>
<span class="entityContent"><h2>C</h2></span>
<div class="b_scardx"><h2>not a card</h2></div><h2 class="b_scard">an h2 with no h2 inside</h2>
<div id="company_web_top" class="company-header"><h1>Top</h1></div>
<div class="index_company-header"><h1>Index top</h1></div><div id="company_web_top_x">no</div>
<div class="company-headerish"><p>holds the piece</p></div>
</body></html>"""

BING_PAGES = [
    ("search_engines/bing/hotels_nyc_nojs__serp-parser.html", "https://www.bing.com/search?q=h"),
    ("search_engines/bing/bing50_nojs__serp-parser.html", "https://www.bing.com/search?q=b"),
    ("search_engines/bing/car_tires__se-scraper.html", "https://www.bing.com/search?q=c"),
]


def _same_elements(found: Any, expected: Any) -> bool:
    return [s.root for s in found] == [s.root for s in expected]


def _bing_checks(page: Page) -> None:
    sel = page.selector
    assert _same_elements(bing._local_cards(sel, page), sel.xpath(bing._LOCAL_CARDS))
    for cls, query in (("b_ad", bing._AD_CONTAINERS), ("sb_add", bing._LOOSE_ADS)):
        assert _same_elements(bing._outside_ads(sel, page, cls, query), sel.xpath(query))
    expected = sel.xpath(f"//li[{has_class('b_no')}]")
    assert _same_elements(bing._no_results_items(sel, page), expected)


def test_bing_class_queries_from_the_index_on_made_up_markup() -> None:
    page = Page(url="https://www.bing.com/search?q=x", text=CLASSED_MARKUP)
    _bing_checks(page)
    sel = page.selector
    names = [s.xpath("string(.//h2)").get() for s in bing._local_cards(sel, page)]
    assert names == ["Card A", "Card B", "C"]
    assert [s.xpath("string(.)").get() for s in bing._no_results_items(sel, page)] == [
        "No results for x"
    ]
    outer = bing._outside_ads(sel, page, "b_ad", bing._AD_CONTAINERS)
    assert len(outer) == 2  # the tab-separated one and the last; not the nested, not the nbsp
    loose = bing._outside_ads(sel, page, "sb_add", bing._LOOSE_ADS)
    assert [s.xpath("string(.)").get() for s in loose] == ["loose ad"]


def test_bing_local_cards_with_a_data_ypid_are_merged_in_page_order() -> None:
    page = Page(
        url="https://www.bing.com/search?q=x",
        text=CLASSED_MARKUP.replace("<body>", '<body><div data-ypid="7"><h2>YP</h2></div>').replace(
            "</body>", '<div data-ypid="8"><h2>Last</h2></div></body>'
        ),
    )
    _bing_checks(page)
    names = [s.xpath("string(.//h2)").get() for s in bing._local_cards(page.selector, page)]
    assert names[0] == "YP" and names[-1] == "Last" and len(names) == 5


def test_a_selector_of_other_markup_is_queried_not_indexed() -> None:
    page = Page(url="https://www.bing.com/search?q=x", text="<html><body></body></html>")
    other = Selector(text=CLASSED_MARKUP)
    assert len(bing._local_cards(other, page)) == 3
    assert len(tianyancha._company_top(page, other)) == 3


@pytest.mark.parametrize(("relative", "url"), BING_PAGES)
def test_bing_class_queries_from_the_index_on_real_pages(relative: str, url: str) -> None:
    _bing_checks(real_page(relative, url))


def test_tianyancha_header_from_the_index() -> None:
    page = Page(url="https://www.tianyancha.com/company/1", text=CLASSED_MARKUP)
    found = tianyancha._company_top(page, page.selector)
    assert _same_elements(found, page.selector.xpath(tianyancha._TOP_XPATH))
    # the element with both the id and the class once; the index_ one; the -headerish one
    assert [s.xpath("string(.)").get() for s in found] == ["Top", "Index top", "holds the piece"]


# --- queries skipped when the page cannot hold what they select ----------------------------

NOTICE_MARKUP = [
    '<div class="misspell">Did you mean</div>',
    '<div class="b-EmptySearchResults x">none</div>',
    '<section class="NotFound">none</section>',
    '<ul class="serp-list serp-list_empty"></ul>',
    '<div id="noresult_part1_container">none</div>',
    '<p class="no-result">none</p>',
    '<p class="xnoresult">none</p>',
    '<p class="no_result_tip">none</p>',
    '<div class="nors">none</div>',
    '<div class="a\tcontent_none">none</div>',
    '<div id="noresult-box">none</div>',
    '<div class="results">a page with no notice</div>',
]
ENGINE_PAGES = [
    (yandex, "search_engines/yandex/cloud_service__se-scraper.html", "https://yandex.ru/search/"),
    (sogou, "search_engines/sogou/web_serp_bo_xiao_zhang_2022__CarmenLeungGG-Crawl.html",
     "https://www.sogou.com/web?query=x"),
    (baidu, "search_engines/baidu/web_normal__BaiduSpider.html", "https://www.baidu.com/s?wd=x"),
]  # fmt: skip


@pytest.mark.parametrize("engine", [yandex, sogou, baidu])
@pytest.mark.parametrize("markup", NOTICE_MARKUP)
def test_a_notice_is_only_where_the_marks_are(engine: Any, markup: str) -> None:
    page = Page(url="https://search.example/", text=f"<html><body>{markup}</body></html>")
    selected = page.selector.xpath(engine._NOTICE_XPATH)
    # the guard may let the query run for nothing, never skip a notice it would find
    assert not selected or attr_index(page, "class", "id").holds(*engine._NOTICE_MARKS)


@pytest.mark.parametrize(("engine", "relative", "url"), ENGINE_PAGES)
def test_a_notice_is_only_where_the_marks_are_on_real_pages(
    engine: Any, relative: str, url: str
) -> None:
    page = real_page(relative, url)
    selected = page.selector.xpath(engine._NOTICE_XPATH)
    assert not selected or attr_index(page, "class", "id").holds(*engine._NOTICE_MARKS)


YELP_SIDEBAR = """<html><body><div id="bizUrl"><a href="/biz_redir?url=a">a</a></div>
<dl><dt>Business
   website</dt><dd><a href="http://b.example/">b</a></dd></dl>
<p><span>Phone number</span><span>(415) 555-0100</span></p>
<div><a>Get <b>Directions</b></a><address>1 Main St</address></div>
<div><a>Get Direc<i>tions</i></a></div><p>and after</p></body></html>"""


@pytest.mark.parametrize(
    "html",
    [
        YELP_SIDEBAR,
        YELP_SIDEBAR.replace("website", "site"),
        YELP_SIDEBAR.replace("number", "no."),
        YELP_SIDEBAR.replace("Directions", "there").replace("Direc<i>tions", "there<i>"),
        YELP_SIDEBAR.replace('<div id="bizUrl">', '<div id="other">').replace("website", "web"),
    ],
)
def test_yelp_sidebar_queries_skip_only_what_cannot_match(html: str) -> None:
    page = Page(url="https://www.yelp.com/biz/x", text=html)
    sel = page.selector
    for query, word, unless in (
        (yelp._WEBSITE_LABELLED, "website", yelp._WEBSITE_ID),
        (yelp._PHONE_LABELLED, "number", ""),
        (yelp._DIRECTIONS_LABELLED, "Directions", ""),
    ):
        assert yelp._query(page, query, word, unless=unless).getall() == sel.xpath(query).getall()


def test_yelp_sidebar_labels_split_by_spaces_and_markup_are_found() -> None:
    page = Page(url="https://www.yelp.com/biz/x", text=YELP_SIDEBAR)
    found = yelp._query(page, yelp._WEBSITE_LABELLED, "website", unless=yelp._WEBSITE_ID)
    assert found.getall() == ["/biz_redir?url=a", "http://b.example/"]
    directions = yelp._query(page, yelp._DIRECTIONS_LABELLED, "Directions").getall()
    assert "1 Main St" in directions and "and after" in directions


def test_yelp_sidebar_queries_on_the_real_page() -> None:
    page = real_page(
        "directories/yelp/biz_amnesia_sf_2013__scrapy-drupal-org.html",
        "https://www.yelp.com/biz/amnesia-san-francisco",
    )
    for query, word, unless in (
        (yelp._WEBSITE_LABELLED, "website", yelp._WEBSITE_ID),
        (yelp._PHONE_LABELLED, "number", ""),
        (yelp._DIRECTIONS_LABELLED, "Directions", ""),
    ):
        expected = page.selector.xpath(query).getall()
        assert yelp._query(page, query, word, unless=unless).getall() == expected


@pytest.mark.parametrize(
    "body",
    [
        '<div id="cat_display"><a>Bars</a>, <a><b>Dance</b> Clubs</a></div>',
        '<span class="x category-str-list"><a>Pubs</a><a><a>nested</a></a></span>',
        '<div id="cat_display"><p class="category-str-list"><a>Both</a></p><a>Out</a></div>',
        '<div class="category-str-list"><a>One</a></div><div id="cat_display"><a>Two</a></div>',
        '<div id="cat_display_x"><a>Not it</a></div>',
    ],
)
def test_yelp_categories_from_the_index(body: str) -> None:
    page = Page(url="https://www.yelp.com/biz/x", text=f"<html><body>{body}</body></html>")
    assert yelp._category_texts(page) == page.selector.xpath(yelp._CATEGORIES).getall()


def test_first_title_text_is_the_title_query() -> None:
    page = Page(url="https://a.example/", text="<html><head><title>A | B</title></head>")
    assert first_title_text(page) == page.selector.xpath("//title//text()").get() == "A | B"
    assert first_title_text(Page(url="https://a.example/", text="<p>x</p>")) == ""


DESCENDANT_QUERIES = [
    (listing._MARKABLE, ".//*[@class or @data-click or @itemprop]"),
    (
        indiamart._DUET,
        ".//*[contains(@class, 'contactnumber')]//*[contains(@class, 'duet')]//text()",
    ),
    (base._ANY_TEXT, "//text()[not(ancestor::script)]"),
]
DESCENDANT_MARKUP = """<html class="h"><body><div class="contactnumber"><p class="duet">0755:1
<span class="duet">2</span></p><div class="contactnumber"><b class="duet">3：</b></div></div>
<p itemprop="name">x</p><a data-click="y">z</a><script>s:1</script>tail: 2</body></html>"""


@pytest.mark.parametrize(("query", "written"), DESCENDANT_QUERIES)
def test_descendant_axis_queries_select_what_the_double_slash_ones_did(
    query: Any, written: str
) -> None:
    reference = etree.XPath(written)
    pages = [Page(url="https://a.example/", text=DESCENDANT_MARKUP)]
    pages += [real_page(relative, url) for relative, url in REAL_PAGES[:3]]
    for page in pages:
        root = page.root
        for el in [root, *root.iter("div")][:20]:
            assert [str(x) if isinstance(x, str) else x for x in query(el)] == [
                str(x) if isinstance(x, str) else x for x in reference(el)
            ]


def test_colon_text_holders_are_the_colon_texts_parents() -> None:
    reference = etree.XPath("descendant::text()[contains(., ':') or contains(., '：')]")
    pages = [Page(url="https://a.example/", text=DESCENDANT_MARKUP)]
    pages += [real_page(relative, url) for relative, url in REAL_PAGES[:3]]
    for page in pages:
        for el in [page.root, *page.root.iter("div")][:20]:
            holders = [
                t.getparent().getparent() if t.is_tail else t.getparent() for t in reference(el)
            ]
            dt_th: set[Any] = set()
            assert sorted(map(id, b2b._colon_text_holders(el, dt_th))) == sorted(map(id, holders))
            assert dt_th == set(etree.XPath(".//dt | .//th")(el))


LINKS_MARKUP = """<html><body><a>no href</a><a href="">empty href</a>
<a href="/2"> 2 <!-- c --> </a><a href="/n"><span>Next</span> <b>›</b></a>tail
<a href="/3" title="t"><img alt="x"></a><div><a href="/x">x<a href="/y">y</a></a></div>
<A HREF="/up">Upper</A></body></html>"""


@pytest.mark.parametrize(
    "page",
    [
        Page(url="https://d.example/list", text=LINKS_MARKUP),
        *(pytest.param(relative, id=relative.split("/")[1]) for relative, _ in REAL_PAGES[2:4]),
    ],
)
def test_linked_labels_are_each_links_text_query(page: Page | str) -> None:
    if isinstance(page, str):
        url = dict(REAL_PAGES)[page]
        page = real_page(page, url)
    expected = [
        (a.root, clean_text(" ".join(a.xpath(".//text()").getall())))
        for a in page.selector.xpath("//a[@href]")
    ]
    assert listing._linked_labels(page) == expected
    assert expected


def test_next_links_find_the_next_link_and_the_numbered_pager() -> None:
    page = Page(url="https://d.example/list", text=LINKS_MARKUP)
    assert [link.url for link in listing.next_links(page)] == ["https://d.example/n"]
    pager = (
        '<html><body><a href="/p1">1</a><span class="current">2</span>'
        '<a href="/p3">3</a><a href="/p4">4</a></body></html>'
    )
    numbered = listing.next_links(Page(url="https://d.example/p2", text=pager))
    assert [link.url for link in numbered] == ["https://d.example/p3"]


# --- labels: only the lines holding one of a label's literal pieces are searched -----------

LABEL_LINES = [
    "Address: 295 Eastern Avenue",
    "Head Offıce: 1 Road / VIſIT US: 2 Road",  # letters IGNORECASE takes for i and s
    "İNDIRIZZO: via Roma 1 / COMPANY REGİSTRATION NO: 1 / Fırm: Acme",
    "  ADDRESSES  ",
    "公司地 址：南通市",
    "地址",
    "Head   Office",
    "registered\u00a0office: London",
    "Find us",
    "visit us:",
    "Our location",
    "Location：Ilford",
    "Add. : 12 Main St",
    "addr: x",
    "Adresse: Hauptstraße 1",
    "Anschrift",
    "Dirección: Calle 1",
    "INDIRIZZO: Via Roma",
    "\u200baddress\u200b",
    "ＡＤＤＲＥＳＳ：",  # full width, folded by normalise
    "ſtreet addreſs",  # long s: IGNORECASE lets it be an "s"
    "邮 编：226001",
    "郵遞區號 100",
    "Postal Code: IG2 6NT",
    "ZIP code 10001",
    "PLZ 10115",
    "Pin  Code: 110001",
    "统一社会信用代码：91320600",
    "統一社會信用代碼",
    "营业执照注册号：320",
    "工商注册号",
    "註冊號",
    "Company Registration No. 0123",
    "Registered in England No. 12345",
    "Registration number: 99",
    "CRN 1 / ABN 2 / ACN 3 / CIN 4 / HRB 5",
    "Handelsregister: B",
    "公司名称：南通鲁班",
    "單位名稱",
    "公司全稱",
    "厂名：x",
    "厂家名称：y",
    "供应商：z",
    "Company name: Acme",
    "COMPANY: Acme",
    "Business Name: Acme",
    "Firm: Acme",
    "Organisation: Acme / Organization: Acme",
    "Telephone: 020 8551 6580",
    "nothing to see",
]


def _matching_lines(text: str, labels: Any, *, strip: bool) -> set[int]:
    """The lines the pattern itself finds (``find_address`` searches stripped lines)."""
    lines = [line.strip() if strip else line for line in normalise(text).split("\n")]
    return {i for i, line in enumerate(lines) if labels.search(line)}


@pytest.mark.parametrize("labels", list(LABEL_PIECES))
@given(lines=st.lists(st.sampled_from(LABEL_LINES) | st.text(max_size=30), max_size=12))
def test_label_lines_hold_every_line_the_label_is_on(labels: Any, lines: list[str]) -> None:
    norm = normalise("\n".join(lines))
    found = label_lines(norm, labels)
    assert found is not None
    assert _matching_lines(norm, labels, strip=False) <= found
    assert _matching_lines(norm, labels, strip=True) <= found


@pytest.mark.parametrize("labels", list(LABEL_PIECES))
def test_label_lines_on_made_up_lines(labels: Any) -> None:
    norm = normalise("\n".join(LABEL_LINES))
    found = label_lines(norm, labels)
    assert found is not None
    assert _matching_lines(norm, labels, strip=False) <= found
    assert len(_matching_lines(norm, labels, strip=False)) >= 3
    assert len(LABEL_LINES) - 1 not in found


def test_a_label_without_pieces_searches_every_line() -> None:
    assert label_lines("Tel: 1", PHONE_LABEL_RE) is None


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_label_lines_on_real_pages(relative: str, url: str) -> None:
    norm = normalise(block_text(real_page(relative, url)))
    for labels in LABEL_PIECES:
        found = label_lines(norm, labels)
        assert found is not None
        assert _matching_lines(norm, labels, strip=True) <= found


# --- text lengths of copyright blocks from the XPath string value ----------------------------


def _itertext_len(el: etree._Element) -> int:
    return len(re.sub(r"\s+", "", "".join(t for t in el.itertext() if isinstance(t, str))))


def test_text_len_of_an_html_tree_is_the_itertext_one() -> None:
    markup = (
        "<html><body><div>a <!-- c --> b<?pi x?>d<script>s</script>&amp;&#160;"
        "<span>e\u3000\u2028f</span>\u200bg<br>\x1c</div>t</body></html>"
    )
    page = Page(url="https://acme.example/", text=markup)
    for el in page.root.iter():
        if isinstance(el.tag, str):
            assert _text_len(el, html=True) == _itertext_len(el)
    assert _text_len(page.root.find("body/div"), html=True) == len("abds&ef\u200bg")


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_text_len_of_an_html_tree_is_the_itertext_one_on_real_pages(
    relative: str, url: str
) -> None:
    root = real_page(relative, url).root
    for el in root.iter("div", "footer", "p", "body", "ul", "table"):
        assert _text_len(el, html=True) == _itertext_len(el)


# --- e-mails: the address patterns run only on the lines holding an "@", "#" or "at" ----------

EMAIL_PIECES = [
    "info@acme.co.uk",
    "Email: bob at acme dot com",
    "sales [at] acme [dot] cn",
    "邮箱：li#163.com",
    "x ( AT ) y.com",
    "mail: z(at)w.net",
    "john＠example.org",
    "foo.bar@baz-qux.io.",
    "E-mail",
    "\n",
    " at ",
    "@",
    "#",
    "<at>",
    " dot ",
    ".com",
    "t",
]


def _whole_text_matches(norm: str) -> list[list[tuple[int, int]]]:
    """Where each address pattern matches in the whole text (what was searched before)."""
    patterns = (emails._EMAIL_RE, emails._EMAIL_WORDS_RE, emails._EMAIL_HASH_RE)
    return [[m.span() for m in rx.finditer(norm)] for rx in patterns]


def _windowed_matches(norm: str) -> list[list[tuple[int, int]]]:
    patterns = (emails._EMAIL_RE, emails._EMAIL_WORDS_RE, emails._EMAIL_HASH_RE)
    lines = emails._at_lines(norm)
    return [[m.span() for s, e in lines for m in rx.finditer(norm, s, e)] for rx in patterns]


@given(st.lists(st.sampled_from(EMAIL_PIECES) | st.text(max_size=8), max_size=12))
def test_email_patterns_in_the_at_lines_find_what_the_whole_text_holds(parts: list[str]) -> None:
    norm = normalise("".join(parts))
    assert _windowed_matches(norm) == _whole_text_matches(norm)


def test_email_patterns_in_the_at_lines_on_made_up_text() -> None:
    norm = normalise("\n".join(EMAIL_PIECES))
    found = _whole_text_matches(norm)
    assert all(found)  # each pattern finds something here
    assert _windowed_matches(norm) == found


@pytest.mark.parametrize(("relative", "url"), REAL_PAGES)
def test_email_patterns_in_the_at_lines_on_real_pages(relative: str, url: str) -> None:
    norm = normalise(block_text(real_page(relative, url)))
    assert _windowed_matches(norm) == _whole_text_matches(norm)


# --- tianyancha's font tags replaced from where a titled tag can start ----------------------

FONT_PIECES = [
    '<span title="a>b">',
    "<b title='x'>",
    '<a href="x" title="q">',
    "<i ",
    'title="',
    " ",
    "\n",
    ">",
    '"',
    "'",
    "ab",
    '<text class="tyc-num">',
    '<TEXT class="x tyc-num y">',
    "<text class=tyc-num>",
    "</text>",
    "</TEXT>",
]


def _titled(m: re.Match[str]) -> str:
    return m.group(1) + m.group("title").strip()


@given(st.lists(st.sampled_from(FONT_PIECES), max_size=16))
def test_titled_font_tags_are_replaced_as_the_whole_page_substitution_does(
    parts: list[str],
) -> None:
    text = "".join(parts)
    assert tianyancha._sub_titled(text, _titled) == tianyancha._TITLED_FONT_RE.sub(_titled, text)


def test_titled_font_tags_on_made_up_markup() -> None:
    text = (
        '<p title="x>y" class="a">\n<text class="tyc-num">1</text></p>'
        '<span title="大连奥格"> <text class="tyc-num">风连</text></span>'
        '<b class="c" title=\'q\'><text class="tyc-num">z</text>'
    )
    expected = tianyancha._TITLED_FONT_RE.sub(_titled, text)
    assert expected.count("<text") == 0  # every font tag here has a titled tag before it
    assert tianyancha._sub_titled(text, _titled) == expected


@pytest.mark.parametrize(
    "relative",
    [
        "directories/tianyancha/company_page_dalian_aoge_logged_in_multi_phones_2018__crawler_for_TianYanCha.html",
        "directories/tianyancha/company_page_shenyang_jinchen_logged_out_masked_2018__crawler_for_TianYanCha.html",
        "directories/tianyancha/search_results_2_companies_masked_contacts_2018__crawler_for_TianYanCha.html",
    ],
)
def test_titled_font_tags_on_real_pages(relative: str) -> None:
    text = real_page(relative, "https://www.tianyancha.com/search?key=x").text
    expected = tianyancha._TITLED_FONT_RE.sub(_titled, text)
    assert tianyancha._sub_titled(text, _titled) == expected


COPYRIGHT_PIECE_RE = re.compile(
    "©|\\(c\\)|copyr(?:i\u0307?|ı)ght|(?:i\u0307?|ı)cp|版权所有|版權所有|公网安备|公網安備"
)
"""The pieces as one pattern, as :func:`_copyright_owners` searched for them before."""


def _copyright_owners_one_query_each(start: etree._Element) -> set[etree._Element]:
    """What :func:`_copyright_owners` found with the pattern, asking for each piece's text
    node by number."""
    joined = "\x00".join(start.xpath("descendant::text()")).lower()
    owners: set[etree._Element] = set()
    for m in COPYRIGHT_PIECE_RE.finditer(joined):
        n = joined.count("\x00", 0, m.start()) + 1
        node = start.xpath("(descendant::text())[$n]", n=n)[0]
        parent = node.getparent()
        owner = parent.getparent() if node.is_tail else parent
        if owner is not None and isinstance(owner.tag, str):
            owners.add(owner)
    return owners


@pytest.mark.parametrize(
    "page",
    [
        Page(url="https://acme.example/", text=COPYRIGHT_MARKUP),
        *(pytest.param(relative, id=relative) for relative, _ in REAL_PAGES),
    ],
)
def test_copyright_owners_are_the_nodes_asked_for_by_number(page: Page | str) -> None:
    if isinstance(page, str):
        page = real_page(page, "https://acme.example/")
    start = _body(page)
    expected = _copyright_owners_one_query_each(start)
    assert expected  # every page here has a copyright line
    assert _copyright_owners(start) == expected


def test_copyright_pieces_are_what_the_pattern_matches() -> None:
    assert all(COPYRIGHT_PIECE_RE.fullmatch(piece) for piece in chrome._COPYRIGHT_PIECES)
    assert len(set(chrome._COPYRIGHT_PIECES)) == 12  # © (c) 版权所有 版權所有 公网安备 公網安備,
    # and copyright / icp each with "i", "i" + combining dot, "ı": every string it matches


@given(st.lists(st.sampled_from([*chrome._COPYRIGHT_PIECES, "i", "\u0307", "c", "x", "\x00"])))
def test_copyright_pieces_start_where_the_pattern_matches(parts: list[str]) -> None:
    text = "".join(parts)
    starts = chrome._occurrences(text, chrome._COPYRIGHT_PIECES)
    spans = [m.span() for m in COPYRIGHT_PIECE_RE.finditer(text)]
    assert {start for start, _ in spans} <= starts
    # every other piece starts inside a match: in the same text node as that one
    assert all(any(a <= p < b for a, b in spans) for p in starts)
