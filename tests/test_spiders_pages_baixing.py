"""baixing.com (百姓网): a real service ad (through a Baidu snapshot) and synthetic pages.

Expected values on the real page were read from the saved HTML: the ad's rows (公司名称
北京正达瑞钟表商贸有限公司苏州泰华商城店, 联系人 蔡师傅, 联系 0512-65292929), the contact
button's ``data-phone`` and its masked display ``0512-65****``, the WeChat pop-up, and the
footer's 客服 hotline and ICP numbers, which belong to baixing. The synthetic pages use
baixing's ad markup (``div.viewad-meta-item``) with fictional businesses.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadharvest.items import Lead
from spiders.pages import baixing, extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

AD = (
    "directories/baixing/"
    "service_listing_pc_suzhou_watch_repair_via_baidu_cache_2019__baixing_spider.html"
)
AD_URL = "https://suzhou.baixing.com/lipinfuwu/a1789721589.html"


def _run(html: str, url: str) -> PageExtraction:
    return extract_page(Page(url=url, text=html))


def _digits(lead: Lead) -> list[str]:
    return [re.sub(r"\D", "", p.raw) for p in lead.phones]


def test_baixing_hosts_pick_the_source() -> None:
    for url in (AD_URL, "https://www.baixing.com/search/?query=x", "http://shanghai.baixing.com/"):
        src = source_for_url(url)
        assert (src.name, src.method, src.region) == ("baixing", "yellow_pages", "CN")
    assert source_for_url("", "baixing").search_urls("手表维修") == [
        "https://www.baixing.com/search/?query=%E6%89%8B%E8%A1%A8%E7%BB%B4%E4%BF%AE"
    ]


# -- the real ad --------------------------------------------------------------------------------


@pytest.mark.realpages
def test_real_ad_is_one_business_named_by_its_company_row() -> None:
    page = real_page(AD, AD_URL)
    assert page.encoding == "utf-8"  # the snapshot header says gb2312; the bytes are UTF-8
    result = extract_page(page)
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["北京正达瑞钟表商贸有限公司苏州泰华商城店"]
    lead = result.leads[0]
    assert [(p.name, p.title) for p in lead.people] == [("蔡师傅", "")]
    assert lead.address_raw == "苏州手表维修泰华商场店（星巴克隔壁）"
    assert lead.products == "宝格丽手表维修中心-苏州宝格丽名表维修中心"
    assert lead.city == "苏州"
    assert lead.business_type == "service"
    assert "百姓网发布者: 苏州手表维修泰华商城店" in lead.description


@pytest.mark.realpages
def test_real_ad_phone_wechat_and_mask() -> None:
    lead = extract_page(real_page(AD, AD_URL)).leads[0]
    # the full number (row + data-phone) once; its masked display "0512-65****" adds nothing
    assert _digits(lead) == ["051265292929"]
    assert not lead.masked and not any(p.masked for p in lead.phones)
    assert lead.social == ["wechat:13390852525"]


@pytest.mark.realpages
def test_real_ad_takes_nothing_from_baidu_or_baixing_chrome() -> None:
    result = extract_page(real_page(AD, AD_URL))
    numbers = "|".join(d for lead in result.leads for d in _digits(lead))
    for chrome in ("4000363650", "02161300238", "06019413", "31011202007947", "20080088"):
        assert chrome not in numbers
    # the description's number is broken up by glyphs the capture lost (U+FFFD + a stray
    # byte): no fragment of it ("133-", "25-2525") may become a phone
    assert len(result.leads[0].phones) == 1
    assert "\ufffd6" not in result.leads[0].description
    assert [(k.kind, k.url) for k in result.links] == [
        ("detail", "https://www.baixing.com/weishop/w232661097")
    ]


# -- synthetic ads ------------------------------------------------------------------------------

AD_MASKED = """<html><head><meta charset="utf-8"><title>【图】- 家电维修 - 上海百姓网</title></head>
<body><div class="header">客服电话：400-000-0000</div>
<ul class="search-crumbs"><li><a href="/">上海百姓网</a></li><li><a href="/fuwu/">服务</a></li></ul>
<div class="viewad-title"><h1>练习家电维修 上门服务</h1></div>
<div class="viewad-meta">
<div class="viewad-meta-item"><label>联系人：</label><div class="content"><span>王先生</span>
</div></div>
<div class="viewad-meta-item"><label>所在地：</label><div class="content">
<span>浦东 示例路8号</span>
</div></div>
</div>
<section class="viewad-contact"><ul><li><label>联系：</label>
<a class="show-contact" id="show-contact" href="javascript:void(0)">
<div class="contact-text">点击查看完整号码</div>
<div class="contact-number">139****0000(上海)</div></a>
</li></ul></section>
<div class="poster-info"><h3>
<a class="poster-name" href="//www.baixing.com/weishop/w100">练习家电维修部</a></h3></div>
<div class="viewad-text">专业维修空调冰箱，电话 021-5000 0001，邮箱 fix@lianxi-repair.example</div>
</body></html>"""


def test_ad_without_company_row_is_named_by_its_poster() -> None:
    lead = _run(AD_MASKED, "https://shanghai.baixing.com/weixiu/a100.html").leads[0]
    assert lead.name == "练习家电维修部"
    assert [(p.name, p.title) for p in lead.people] == [("王先生", "")]
    assert lead.city == "上海"


def test_masked_number_without_the_full_one_stays_masked() -> None:
    lead = _run(AD_MASKED, "https://shanghai.baixing.com/weixiu/a100.html").leads[0]
    masked = [p for p in lead.phones if p.masked]
    assert [p.raw for p in masked] == ["139****0000"]
    assert lead.masked
    # the description's own number and e-mail are the poster's; the header hotline is not
    assert "02150000001" in _digits(lead)
    assert not any(d.endswith("4000000000"[-8:]) for d in _digits(lead))
    assert [e.raw for e in lead.emails] == ["fix@lianxi-repair.example"]


LIST_PAGE = """<html><head><meta charset="utf-8"><title>上海家电维修 - 上海百姓网</title></head>
<body><ul class="list-ad-items">
<li class="listing-ad"><a class="ad-title" href="/weixiu/a101.html">练习空调维修</a></li>
<li class="listing-ad"><a class="ad-title" href="/weixiu/a102.html">示例冰箱维修</a></li>
</ul><a href="/weixiu/?page=2">下一页</a>
<div class="footer"><a href="/weixiu/a999.html">热门</a></div></body></html>"""


def test_list_page_links_to_its_ads_and_next_page() -> None:
    result = _run(LIST_PAGE, "https://shanghai.baixing.com/weixiu/")
    assert result.status == "ok" and not result.leads
    assert [(k.kind, k.url) for k in result.links] == [
        ("detail", "https://shanghai.baixing.com/weixiu/a101.html"),
        ("detail", "https://shanghai.baixing.com/weixiu/a102.html"),
        ("next", "https://shanghai.baixing.com/weixiu/?page=2"),
    ]


@pytest.mark.parametrize(
    ("html", "url"),
    [
        ("<title>百姓网</title><p>请输入验证码</p>", "https://www.baixing.com/oz/verify?x=1"),
        ("<title>安全验证 - 百姓网</title><div>拖动滑块</div>", "https://shanghai.baixing.com/"),
        ("<p>您的访问过于频繁</p>", "https://shanghai.baixing.com/weixiu/"),
    ],
)
def test_verification_pages_are_blocked(html: str, url: str) -> None:
    result = _run(f"<html><head>{html}</body></html>", url)
    assert result.status == "blocked" and result.reason


def test_empty_search_is_no_results() -> None:
    html = (
        "<html><head><title>搜索 - 百姓网</title></head><body>"
        "<ul class='list-ad-items'></ul><p>没有找到相关信息</p></body></html>"
    )
    result = _run(html, "https://www.baixing.com/search/?query=x")
    assert result.status == "no_results"
    assert result.reason == "baixing found no ads"


_MARKED = """<html><body><div class="viewad-meta-item"><li class="viewad-meta-item">x</li></div>
<li class="viewad-meta2-item">not a div</li><div class="a viewad-meta2-item">y</div>
<div class="viewad-title"><h1>T</h1><div class="viewad-title"><h1>U</h1></div></div><h1>out</h1>
<span class="contact-number">0512-65****</span><a class="poster-name" href="/p">P</a>
<div class="weixin-contact">微信：<b class="weixin-contact">abc123</b> tail</div>
<ul class="search-crumbs"><li><a>苏州百姓网</a></li><ul class="search-crumbs"><a>服务</a></ul></ul>
<p class="viewad-text">not a div</p><div class="viewad-description">D</div></body></html>"""


@pytest.mark.parametrize("real", [False, True])
def test_marked_parts_are_their_queries(real: bool) -> None:
    page = real_page(AD, AD_URL) if real else Page(url=AD_URL, text=_MARKED)
    sel = page.selector
    for picked, query in [
        (baixing._meta_items, baixing._META_XPATH),
        (baixing._posters, "//a[contains(@class, 'poster-name')]"),
        (baixing._titles, "//div[contains(@class, 'viewad-title')]//h1"),
        (baixing._contact_numbers, "//*[contains(@class, 'contact-number')]"),
        (
            baixing._descriptions,
            "//div[contains(@class, 'viewad-text')]"
            " | //div[contains(@class, 'viewad-description')]",
        ),
        (baixing._crumb_links, "//ul[contains(@class, 'search-crumbs')]//a"),
    ]:
        assert [s.root for s in picked(page)] == [s.root for s in sel.xpath(query)]
    query = "//*[contains(@class, 'weixin-contact')]//text()"
    assert baixing._weixin_texts(page) == sel.xpath(query).getall()


@given(
    st.lists(
        st.sampled_from([*baixing._CLASS_MARKS, "viewad-", "-item", "poster", " ", "x", "\\", "."]),
        max_size=4,
    ).map("".join)
)
def test_class_marks_search_is_any_piece(value: str) -> None:
    """The one search answers as testing every piece did."""
    found = baixing._CLASS_MARKS_RE.search(value) is not None
    assert found == any(mark in value for mark in baixing._CLASS_MARKS)


def _contact_markup(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["", "x", "<b data-phone='1'>p</b>", "<br data-phone=''>", "<!-- c -->"])
    if depth == 0:
        return leaf
    tags = st.sampled_from(["section", "div", "a", "span", "SECTION"])
    attrs = st.sampled_from(
        [
            "", " id='show-contact'", " class='viewad-contact'", " class='x viewad-contacts'",
            " class='viewad-meta-item'", " data-phone='0512-1'",
            " id='show-contact' data-phone='2'", " class='viewad-contact' data-phone='3'",
            " class='Viewad-contact'",
        ]
    )  # fmt: skip
    element = st.tuples(tags, attrs, st.lists(_contact_markup(depth - 1), max_size=3)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
    )
    return st.one_of(leaf, element)


@given(st.lists(_contact_markup(3), max_size=4))
def test_contacts_are_the_contact_query(parts: list[str]) -> None:
    """The contact elements and their numbers, found by one walk and the marked sections,
    are what the union query and its ``@data-phone`` step selected."""
    page = Page(url="https://suzhou.baixing.com/x/a1.html", text="".join(parts) or "<p></p>")
    expected = page.selector.xpath(baixing._CONTACT_XPATH)
    assert baixing._contacts(page) == [node.root for node in expected]
    phones = page.selector.xpath(f"({baixing._CONTACT_XPATH})/@data-phone").getall()
    assert baixing._contact_phones(page) == phones
