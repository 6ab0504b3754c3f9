"""gsxt.gov.cn (国家企业信用信息公示系统): a real 经营异常名录 list and synthetic pages.

Expected values on the real page were read from the saved HTML (10 rows of 企业名称 / 注册号
/ 被列入经营异常名录日期, each name an ``openEntInfo(…)`` link; the bureau's address,
postcode and commented-out phone numbers in the footer). The synthetic pages use fictional
companies in the registry's markup: a list with a 列入原因 column, the national search's
``a.search_list_item`` results, the GeeTest captcha and an empty list.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parsel import Selector

from spiders.pages import extract_page, gsxt, source_for_url
from spiders.pages.base import Page, PageExtraction, clean_text
from spiders.pages.blocktext import node_text
from spiders.pages.gsxt import _CELL_TEXTS, _cell_text
from tests.realpages import real_page

LIST = (
    "directories/gsxt_enterprise_credit/"
    "abnormal_operations_list_beijing_10_companies_2016__mmczoo-gsxt.html"
)
LIST_URL = "http://bj.gsxt.gov.cn/dito/ditoAction!ycmlFrame.dhtml"


def _run(
    html: str, url: str = "https://www.gsxt.gov.cn/corp-query-search-1.html"
) -> PageExtraction:
    return extract_page(Page(url=url, text=html))


def test_gsxt_hosts_pick_the_source_and_take_no_query() -> None:
    for url in (LIST_URL, "https://www.gsxt.gov.cn/index.html", "http://gsxt.saic.gov.cn/"):
        src = source_for_url(url)
        assert (src.name, src.method, src.region, src.language) == (
            "gsxt",
            "yellow_pages",
            "CN",
            "zh",
        )
    assert source_for_url("", "gsxt").search_urls("北京") == []


# -- the real list ------------------------------------------------------------------------------


@pytest.mark.realpages
def test_real_list_gives_one_lead_per_company() -> None:
    result = extract_page(real_page(LIST, LIST_URL))
    assert result.status == "ok"
    assert len(result.leads) == 10
    first, last = result.leads[0], result.leads[-1]
    assert (first.name, first.registration_id) == (
        "北京富润伟业房地产经纪中心世纪爱家分部",
        "1102212140169",
    )
    assert (last.name, last.registration_id) == ("北京安客居房地产经纪有限公司", "110114020127903")
    assert result.leads[7].name == "天津众合嘉益房地产经纪有限公司北京信息咨询分公司"
    assert all(
        lead.description == "被列入经营异常名录日期: 2016年11月25日" for lead in result.leads
    )
    assert all(lead.country == "CN" for lead in result.leads)


@pytest.mark.realpages
def test_real_list_has_no_contacts_at_all() -> None:
    result = extract_page(real_page(LIST, LIST_URL))
    for lead in result.leads:
        # registration numbers (13-15 digits), the bureau's postcode 100080 and the phones in
        # an HTML comment are never a company's contacts
        assert not lead.phones and not lead.emails and not lead.people and not lead.address_raw


@pytest.mark.realpages
def test_real_list_links_each_company_with_the_pages_own_url_template() -> None:
    result = extract_page(real_page(LIST, LIST_URL))
    assert len(result.links) == 10
    link = result.links[0]
    assert (link.kind, link.lead_name) == ("detail", "北京富润伟业房地产经纪中心世纪爱家分部")
    assert link.url == (
        "http://bj.gsxt.gov.cn/gjjbj/gjjQueryCreditAction!openEntInfo.dhtml"
        "?entId=70CEA3506E5645CA857BD50070C24D57&credit_ticket=D1EE67784419FB9CEFD9B6D57EF9658E"
        "&entNo=1102212140169&type=jyycDiv"
    )  # the cache-busting "&timeStamp=" + new Date().getTime() is left off


# -- synthetic pages ----------------------------------------------------------------------------

REASON_LIST = """<html><head><meta charset="utf-8"><title>经营异常名录</title></head><body>
<table class="list"><thead><tr><th>序号</th><th>企业名称</th><th>统一社会信用代码</th>
<th>列入日期</th><th>列入原因</th><th>作出决定机关</th></tr></thead>
<tr><td>1</td><td><a href="/corp-query-entprise-info-PRACTICE1.html">练习示例科技有限公司</a></td>
<td>91110000MA00000001</td><td>2020年07月01日</td>
<td>未依照规定报送年度报告</td><td>北京市示例区市场监督管理局</td></tr>
</table><div class="footer">咨询电话：010-00000000 邮编：100000</div></body></html>"""


def test_list_description_holds_the_date_reason_and_authority() -> None:
    result = _run(REASON_LIST)
    lead = result.leads[0]
    assert (lead.name, lead.registration_id) == ("练习示例科技有限公司", "91110000MA00000001")
    assert lead.description == (
        "列入日期: 2020年07月01日; 列入原因: 未依照规定报送年度报告; "
        "作出决定机关: 北京市示例区市场监督管理局"
    )
    assert not lead.phones
    assert [k.url for k in result.links] == [
        "https://www.gsxt.gov.cn/corp-query-entprise-info-PRACTICE1.html"
    ]


SEARCH = """<html><head><title>国家企业信用信息公示系统</title>
<script src="https://static.geetest.com/static/tools/gt.js"></script></head><body>
<div class="main-layout"><a class="search_list_item db" href="/%7BPRACTICE2%7D" target="_blank">
<div class="search_result"><h1 class="f20">示例<font color="red">相机</font>贸易有限公司</h1>
<div class="wrap-corpStatus"><span class="corpStatus">存续</span></div>
<div class="div-map2"><span class="label">统一社会信用代码：</span>
<span class="g3">91310000MA00000002</span></div>
<div class="div-user2"><span class="label">法定代表人：</span><span class="g3">李示例</span></div>
<div class="div-info-circle2"><span class="label">成立日期：</span>
<span class="g3">2015年03月02日</span></div>
</div></a></div></body></html>"""


def test_national_search_results() -> None:
    result = _run(SEARCH)
    assert result.status == "ok"  # results win over the captcha script every page loads
    lead = result.leads[0]
    assert (lead.name, lead.registration_id) == ("示例相机贸易有限公司", "91310000MA00000002")
    assert [(p.name, p.title) for p in lead.people] == [("李示例", "法定代表人")]
    assert lead.description == "登记状态: 存续; 成立日期: 2015年03月02日"
    assert not lead.phones
    assert [k.url for k in result.links] == ["https://www.gsxt.gov.cn/%7BPRACTICE2%7D"]


DETAIL = """<html><head><title>示例五金有限公司</title></head><body>
<table><tr><th colspan="4">基本信息</th></tr>
<tr><th>统一社会信用代码/注册号</th><td>91110000MA00000003</td><th>名称</th><td>示例五金有限公司</td></tr>
<tr><th>类型</th><td>有限责任公司</td><th>法定代表人</th><td>周示例</td></tr>
<tr><th>成立日期</th><td>2012年05月06日</td><th>登记状态</th><td>存续</td></tr>
<tr><th>住所</th><td>北京市示例区练习路3号</td><th>联系电话</th><td>010-00000003</td></tr>
<tr><th>经营范围</th><td colspan="3">销售五金交电</td></tr></table></body></html>"""


def test_company_page_is_one_lead_without_phones() -> None:
    result = _run(DETAIL, "https://www.gsxt.gov.cn/%7BPRACTICE3%7D")
    assert result.status == "ok"
    assert [(lead.name, lead.registration_id) for lead in result.leads] == [
        ("示例五金有限公司", "91110000MA00000003")
    ]
    lead = result.leads[0]
    assert [(p.name, p.title) for p in lead.people] == [("周示例", "法定代表人")]
    assert lead.address_raw == "北京市示例区练习路3号"
    assert lead.products == "销售五金交电"
    assert lead.description == "类型: 有限责任公司; 成立日期: 2012年05月06日; 登记状态: 存续"
    assert not lead.phones  # the registry's 联系电话 column is not read either


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><script src='/js/gt.js'></script></head><body><div id='captcha'>"
        "<div class='geetest_panel'>请点击按钮进行验证</div></div></body></html>",
        "<html><body><script>document.cookie='__jsl_clearance=1;';location.reload()</script>"
        "</body></html>",
        "<html><head><title>提示</title></head><body>您的访问过于频繁，请稍后再试</body></html>",
    ],
)
def test_captcha_and_challenge_pages_are_blocked(html: str) -> None:
    result = _run(html)
    assert result.status == "blocked" and result.reason
    assert not result.leads


def test_empty_list_is_no_results_even_with_the_captcha_script() -> None:
    html = (
        "<html><head><script src='/js/gt.js'></script></head><body><table>"
        "<tr><th>企业名称</th><th>注册号</th><th>列入日期</th></tr>"
        "<tr><th colspan='3'>共0页 记录总数0条</th></tr></table></body></html>"
    )
    result = _run(html)
    assert result.status == "no_results"
    assert result.reason == "gsxt found no companies"


def test_cell_text_is_node_text() -> None:
    page = Page(
        url="https://www.gsxt.gov.cn/x",
        text="<table><tr><td> 示例<b>公司</b><script>var a = 1;</script> 有限 </td></tr></table>",
    )
    (cell,) = page.selector.xpath("//td")
    assert gsxt._cell_text(cell.root) == node_text(cell) == "示例公司 有限"


def _cell_markup(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["", "北京", " x ", "<!-- c -->", "<br>", "<script>var a = 1;</script>"])
    if depth == 0:
        return leaf
    tags = st.sampled_from(["span", "a", "div", "script", "b"])
    element = st.tuples(tags, st.lists(_cell_markup(depth - 1), max_size=3))
    return st.one_of(leaf, element.map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"))


@given(st.lists(_cell_markup(3), max_size=4))
def test_cell_text_is_the_cell_query(parts: list[str]) -> None:
    """A cell's text read from its elements is what the text query joined."""
    html = f"<html><body><table><tr><td>{''.join(parts)}</td></tr></table></body></html>"
    for root in (Selector(text=html).root, Page(url="https://www.gsxt.gov.cn/", text=html).root):
        for el in root.iter("td", "span", "div"):
            assert _cell_text(el) == clean_text("".join(_CELL_TEXTS(el)))


def test_deep_cell_text_is_the_cell_query() -> None:
    html = "<html><body><table><tr><td>" + "<span>a" * 80 + "</span>b" * 80 + "</td></tr></table>"
    td = next(Selector(text=html + "</body></html>").root.iter("td"))
    assert _cell_text(td) == clean_text("".join(_CELL_TEXTS(td))) == "a" * 80 + "b" * 80
