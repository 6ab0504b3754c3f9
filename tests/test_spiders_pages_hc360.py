"""hc360.com page object on a real company list and the contact page of its first company.

Expected values were read from the saved pages (both declare gb2312 but hold UTF-8 bytes):
20 visible company cards plus one hidden empty template; the contact page of 乐清市长丰测温器件
有限公司 lists 联系人 张武 (副总经理), 电话 0577-62286981, 手机 13656770503, 传真 0577-62285981,
a QQ number and hc360's ICP licences in the footer.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spiders.pages import extract_page, source_for_url
from spiders.pages.b2b import label_pairs
from spiders.pages.base import Page, PageExtraction
from spiders.pages.hc360 import (
    _BOXES,
    _FACT_ITEMS,
    _HIDDEN_PHONES,
    _NEXT_XPATH,
    _contact_boxes,
    _fact_items,
    _hidden_values,
    _next_href,
    _region_texts,
    box_rows,
)
from tests.realpages import real_page

LIST = (
    "b2b/hc360/company_search_list_wujin_hardware_2017_utf8-bytes_gb2312-meta__huicong-spider.html"
)
LIST_URL = "https://s.hc360.com/?w=%CE%E5%BD%F0&mc=enterprise"
CONTACT = (
    "b2b/hc360/"
    "company_contact_page_yueqing_changfeng_2017_utf8-bytes_gb2312-meta__huicong-spider.html"
)
CONTACT_URL = "https://cfqj.b2b.hc360.com/shop/company.html"

pytestmark = pytest.mark.realpages


@pytest.fixture(scope="module")
def company_list() -> PageExtraction:
    return extract_page(real_page(LIST, LIST_URL))


@pytest.fixture(scope="module")
def contact() -> PageExtraction:
    return extract_page(real_page(CONTACT, CONTACT_URL))


def test_host_picks_the_source() -> None:
    source = source_for_url(CONTACT_URL)
    assert (source.name, source.language, source.region) == ("hc360", "zh", "CN")


def test_list_has_one_lead_per_visible_card(company_list: PageExtraction) -> None:
    assert (company_list.status, company_list.source) == ("ok", "hc360")
    names = [lead.name for lead in company_list.leads]
    assert len(names) == 20  # the hidden template card (display:none, empty name) is skipped
    assert names[0] == "乐清市长丰测温器件有限公司"
    assert names[-1] == "佛山市川联大五金电器科技有限公司"
    # the list shows no numbers; hc360's own hotlines and e-mail are never taken
    assert all(not lead.phones and not lead.emails for lead in company_list.leads)


def test_list_card_fields(company_list: PageExtraction) -> None:
    first = company_list.leads[0]
    assert first.products.startswith("快速热电偶配件 钢水取样器配件等")
    assert not first.products.endswith("...")
    assert first.address_raw == "浙江省乐清市芙蓉镇茶塘村"
    assert (first.region, first.city, first.country) == ("浙江", "温州市", "CN")
    assert first.business_type == "manufacturer"  # 经营模式: 生产型,贸易型
    assert "生产型,贸易型" in first.business_type_reason
    assert "成立时间: 2008-02-22" in first.description
    assert "注册资本: 人民币50万元" in first.description
    agency = next(lead for lead in company_list.leads if lead.name == "青浦双圆五金工具厂")
    assert agency.business_type == "unknown"  # 政府或其他机构 is no business model


def test_list_links(company_list: PageExtraction) -> None:
    first = company_list.leads[0].name
    assert [(k.kind, k.url) for k in company_list.links if k.lead_name == first] == [
        ("detail", "http://cfqj.b2b.hc360.com/"),
        ("contact", "https://cfqj.b2b.hc360.com/shop/company.html"),
    ]
    assert company_list.links[-1].kind == "next"
    assert company_list.links[-1].url == "https://s.hc360.com/?w=%CE%E5%BD%F0&mc=enterprise&ee=2"


def test_contact_page(contact: PageExtraction) -> None:
    assert contact.status == "ok"
    (lead,) = contact.leads
    assert lead.name == "乐清市长丰测温器件有限公司"
    assert [(p.name, p.title) for p in lead.people] == [("张武", "副总经理")]
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("0577-62286981", "电话"),
        ("13656770503", "手机"),
        ("0577-62285981", "传真"),
    ]
    assert lead.address_raw == "中国浙江省温州市乐清市 浙江省乐清市芙蓉镇茶塘村"
    assert lead.website == ""  # 公司主页 is the hc360 shop, not the company's own site
    digits = {re.sub(r"\D", "", p.raw) for p in lead.phones}
    assert not digits & {"83829060", "12006161", "010051"}  # QQ, ICP licences
    assert lead.masked is False


def test_list_card_links_to_this_contact_page(
    company_list: PageExtraction, contact: PageExtraction
) -> None:
    contact_links = [k.url for k in company_list.links if k.kind == "contact"]
    assert CONTACT_URL in contact_links
    assert contact.leads[0].name == company_list.leads[0].name


def test_masked_numbers_on_a_contact_page() -> None:
    html = """<html><head><title>示例五金厂联系方式</title></head><body>
    <div class="ContactPage"><h2 id="companyName" title="示例五金厂">示例五金厂</h2><ul>
    <li><div class="con3Left">联系人：</div><div class="con3Rig">李明 （经理）</div></li>
    <li><div class="con3Left">手机：</div><div class="con3Rig">139****0101</div></li>
    </ul></div><div class="footer">客服热线：400-6360-888 京ICP备12006161号</div></body></html>"""
    result = extract_page(Page(url="https://demo.b2b.hc360.com/shop/company.html", text=html))
    (lead,) = result.leads
    assert [(p.raw, p.masked) for p in lead.phones] == [("139****0101", True)]
    assert lead.masked
    assert [(p.name, p.title) for p in lead.people] == [("李明", "经理")]


_NEXT_MADE_UP = """<html><body><a href="/a0">a</a><div class="x page_next"><span><a href="/n1">1</a>
</span></div><a title="下一页">no href</a><a href="/n2"> 下一页 </a><a href="/n3">下一<b>页</b></a>
<a href="/n4" title="下一页">4</a><a rel="next" href="/n5">5</a><div class="page-nextx"><a>6</a>
<a href="/n6">6</a></div><div class="contact"><p>联系人：张</p></div><div class="ContacCon">x</div>
<div class="ContactPage"><span>电<!-- c -->话</span></div></body></html>"""


@pytest.mark.parametrize("which", [None, "list", "contact"])
def test_next_link_and_boxes_are_their_queries(which: str | None) -> None:
    if which is None:
        page = Page(url=LIST_URL, text=_NEXT_MADE_UP)
    else:
        page = real_page(LIST if which == "list" else CONTACT, LIST_URL)
    selector = page.selector
    assert _next_href(page.root) == selector.xpath(_NEXT_XPATH).get()
    assert [s.root for s in _contact_boxes(page)] == [s.root for s in selector.xpath(_BOXES)]
    if which is None:
        assert [h for a in selector.xpath(_NEXT_XPATH) if (h := a.get())] == [
            "/n1",
            "/n2",
            "/n3",
            "/n4",
            "/n5",
            "/n6",
        ]


_FACTS_AND_REGION = """<html><body><div class="col"><ul><li>product</li></ul>
<div class="bottom_info"><ul><li><p class="til">成立时间</p><p>2009</p></li>
<li><ul><li>nested</li></ul></li></ul><div class="bottom_info"><li>inner</li></div></div>
<li class="bottom_info">self</li></div><p>所在<b>地区</b>：</p><div>浙江省 <i>温州市</i></div>
<span>所在地区</span>text<!-- c --><em>next</em></body></html>"""


@pytest.mark.parametrize("which", [None, "list", "contact"])
def test_fact_items_and_region_are_their_queries(which: str | None) -> None:
    if which is None:
        page = Page(url=LIST_URL, text=_FACTS_AND_REGION)
    else:
        page = real_page(LIST if which == "list" else CONTACT, LIST_URL)
    for card in page.root.iter("div"):
        assert _fact_items(card) == _FACT_ITEMS(card)
    query = "//*[contains(normalize-space(.), '所在地区')]/following-sibling::*[1]//text()"
    assert _region_texts(page) == page.selector.xpath(query).getall()


_NEXT_PIECES = st.sampled_from(
    [
        '<a href="/a0">a</a>',
        '<div class="x page_next"><span><a href="/n1">1</a></span></div>',
        '<a title="下一页">no href</a>',
        '<a href="/n2"> 下一页 </a>',
        '<a href="/n3">下一<b>页</b></a>',
        '<a href="/n4" title="下一页">4</a>',
        '<a rel="next" href="/n5">5</a>',
        '<span rel="next" title="下一页" href="/s">s</span>',
        '<div class="page-nextx"><a>6</a><a href="/n6">6</a></div>',
        '<div class="page_next"><a rel="next" href="/n7">7</a></div>',
    ]
)


@given(st.lists(_NEXT_PIECES, max_size=6))
def test_next_href_is_the_next_query(pieces: list[str]) -> None:
    page = Page(url=LIST_URL, text=f"<html><body>{''.join(pieces)}</body></html>")
    assert _next_href(page.root) == page.selector.xpath(_NEXT_XPATH).get()


_BOX_PARTS = st.sampled_from(
    [
        "<dl><dt>电话：</dt><dd>0577-62286981</dd></dl>",
        "<p><span>联系人：</span><span>张武 （副总经理）</span></p>",
        "<span>手机：</span><b>13656770503</b>",
        "<div class='ContacCon'>",
        "<div class='contact'>",
        "<div>",
        "</div>",
        "<table><tr><th>传真</th><td>0577-62285981</td></tr></table>",
        "<li>地址：</li><li>浙江省乐清市</li>",
    ]
)


@given(st.lists(_BOX_PARTS, max_size=14))
def test_box_rows_are_each_box_s_label_pairs(parts: list[str]) -> None:
    page = Page(url="https://cfqj.b2b.hc360.com/shop/company.html", text="".join(parts))
    boxes = page.selector.xpath("//div")
    expected = [(k, v, n.root) for box in boxes for k, v, n in label_pairs(box)]
    assert [(k, v, n.root) for k, v, n in box_rows(boxes)] == expected
    contact = _contact_boxes(page)
    expected = [(k, v, n.root) for box in contact for k, v, n in label_pairs(box)]
    assert [(k, v, n.root) for k, v, n in box_rows(contact)] == expected


_INPUTS = st.lists(
    st.tuples(
        st.sampled_from(["telephone_id", "otherTelephone_id", "mp_id", "fax_id", "other", None]),
        st.sampled_from(["0577-62286981", "", "13656770503", None]),
        st.sampled_from(["input", "span"]),
    ),
    max_size=8,
)


@given(_INPUTS)
def test_hidden_values_are_the_input_queries(
    inputs: list[tuple[str | None, str | None, str]],
) -> None:
    html = "".join(
        f"<{tag}"
        + (f" id='{input_id}'" if input_id is not None else "")
        + (f" value='{value}'" if value is not None else "")
        + ">"
        for input_id, value, tag in inputs
    )
    page = Page(url=CONTACT_URL, text=f"<html><body><form>{html}</form></body></html>")
    expected = {
        input_id: found
        for input_id, _ in _HIDDEN_PHONES
        if (found := page.selector.xpath(f"//input[@id='{input_id}']/@value").get()) is not None
    }
    assert _hidden_values(page) == expected
