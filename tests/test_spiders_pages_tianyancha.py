"""天眼查 (tianyancha.com) page object: search cards and company pages.

Expected values on the real pages were read from the saved HTML (grep), not from the parser's
output. The synthetic pages below describe fictional companies in the markup shapes of later
tianyancha.com layouts (example.cn domains, made-up numbers and credit codes).
"""

from __future__ import annotations

import json
import re

import pytest

from leadharvest.items import Lead
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from spiders.pages.tianyancha import _TOP_XPATH, _base_info, _company_top, readable_html
from tests.realpages import real_page

LOGGED_IN = (
    "directories/tianyancha/"
    "company_page_dalian_aoge_logged_in_multi_phones_2018__crawler_for_TianYanCha.html"
)
LOGGED_OUT = (
    "directories/tianyancha/"
    "company_page_shenyang_jinchen_logged_out_masked_2018__crawler_for_TianYanCha.html"
)
SEARCH = (
    "directories/tianyancha/"
    "search_results_2_companies_masked_contacts_2018__crawler_for_TianYanCha.html"
)
SEARCH_URL = (
    "https://www.tianyancha.com/search?key="
    "%E5%A4%A7%E8%BF%9E%E5%A5%A5%E6%A0%BC%E7%AA%97%E4%B8%9A%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"
)
KEY_URL = "https://www.tianyancha.com/search?key=%E6%A8%A1%E5%85%B7"


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _links(result: PageExtraction, kind: str, name: str = "") -> list[str]:
    return [k.url for k in result.links if k.kind == kind and (not name or k.lead_name == name)]


def _one(result: PageExtraction) -> Lead:
    assert result.status == "ok", result.reason
    assert len(result.leads) == 1
    return result.leads[0]


def _lead_text(lead: Lead) -> str:
    parts = [lead.name, lead.products, lead.description, lead.address_raw, lead.registration_id]
    return " ".join(parts + [p.name for p in lead.people])


# -- catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        SEARCH_URL,
        "https://www.tianyancha.com/company/1086924101",
        "https://antirobot.tianyancha.com/captcha/verify?return_url=x",
    ],
)
def test_hosts_pick_tianyancha(url: str) -> None:
    source = source_for_url(url)
    assert (source.name, source.method, source.language, source.region) == (
        "tianyancha",
        "yellow_pages",
        "zh",
        "CN",
    )
    assert source.search_urls("模具") == [KEY_URL]


# -- real company page, logged in --------------------------------------------------------------


@pytest.fixture(scope="module")
def logged_in() -> PageExtraction:
    return extract_page(real_page(LOGGED_IN, "https://www.tianyancha.com/company/1086924101"))


@pytest.mark.realpages
def test_company_page_reads_every_listed_phone_and_email(logged_in: PageExtraction) -> None:
    lead = _one(logged_in)
    assert lead.name == "大连奥格窗业有限公司"
    # shown: 13842606666; "查看更多": ["13842606666","86862999","82782111","0411-82782111"]
    assert [p.raw for p in lead.phones] == ["13842606666", "86862999", "82782111", "0411-82782111"]
    assert not any(p.masked for p in lead.phones) and not lead.masked
    assert [e.raw for e in lead.emails] == ["1121911151@qq.com", "aogecy@126.com"]
    assert lead.website == ""  # 网址：暂无信息


@pytest.mark.realpages
def test_company_page_registration_fields(logged_in: PageExtraction) -> None:
    lead = _one(logged_in)
    assert [(p.name, p.title) for p in lead.people] == [("张洪利", "法定代表人")]
    assert lead.address_raw == "辽宁省大连市中山区上海路42号6层19号"  # not the cut "…42号..."
    assert lead.registration_id == "91210200760756193P"
    assert lead.products.startswith("塑料门窗、铝合金门窗加工及安装（限分支机构）；")
    # 注册资本 is drawn as "877万路手币" in the font; its title says 500万人民币
    assert "注册资本: 500万人民币" in lead.description
    assert "877" not in lead.description and "2774" not in lead.description
    assert "obfuscating font" in logged_in.reason


@pytest.mark.realpages
def test_viewer_phone_and_site_contacts_stay_out(logged_in: PageExtraction) -> None:
    lead = _one(logged_in)
    digits = [_digits(p.raw) for p in lead.phones]
    for number in ("1535166", "4008716266", "13811683823", "14061319"):
        assert not any(d.endswith(number) for d in digits)
    assert not any("tianyancha.com" in e.raw for e in lead.emails)
    assert logged_in.links == []  # a company page links nowhere new (no website)


# -- real company page, logged out: everything masked -------------------------------------------


@pytest.fixture(scope="module")
def logged_out() -> PageExtraction:
    return extract_page(real_page(LOGGED_OUT, "https://www.tianyancha.com/company/1035975208"))


@pytest.mark.realpages
def test_masked_contacts_are_kept_flagged(logged_out: PageExtraction) -> None:
    lead = _one(logged_out)
    assert lead.name == "沈阳繁荣金晨标识标牌有限公司"
    assert [p.raw for p in lead.phones] == [
        "1394027****",
        "1384206****",
        "8561****",
        "024-8561****",
    ]
    assert all(p.masked for p in lead.phones)
    assert lead.emails and all(e.masked for e in lead.emails)
    assert lead.masked


@pytest.mark.realpages
def test_logged_out_page_fields_and_garbled_scope(logged_out: PageExtraction) -> None:
    lead = _one(logged_out)
    assert lead.website == "http://www.jc005.com"
    assert _links(logged_out, "website") == ["http://www.jc005.com"]
    assert lead.address_raw == "沈阳市铁西区南七中路29号3门"
    assert lead.registration_id == "91210106583852917G"
    assert [p.name for p in lead.people] == ["徐兰英"]
    # the scope is in the font ("标曾标牌、邮箱、交通少材…"): unreadable, so left out
    assert lead.products == ""
    assert "标曾" not in _lead_text(lead)


# -- real search results: font-obfuscated names, masked contacts ---------------------------------


@pytest.fixture(scope="module")
def search() -> PageExtraction:
    return extract_page(real_page(SEARCH, SEARCH_URL))


@pytest.mark.realpages
def test_search_names_come_from_the_logo_alt_not_the_font(search: PageExtraction) -> None:
    assert search.status == "ok"
    # shown as "风连奥格窗第有限公待"; the logo's alt is "<em>大连奥格窗业有限公司</em>"
    assert [lead.name for lead in search.leads] == [
        "大连奥格窗业有限公司",
        "大连奥格窗业有限公司圣诺牌门窗旗舰店",
    ]
    assert "obfuscating font" in search.reason


@pytest.mark.realpages
def test_search_card_fields(search: PageExtraction) -> None:
    first, branch = search.leads
    assert [(p.name, p.title) for p in first.people] == [("张洪利", "法定代表人")]
    assert [(p.raw, p.masked) for p in first.phones] == [("0411-8278****", True)]
    assert [(e.raw, e.masked) for e in first.emails] == [("***@qq.com", True)]
    assert first.masked and first.region == "辽宁"
    assert first.description == "状态: 存续; 注册资本: 500万人民币; 成立日期: 2004-04-05"
    assert (branch.phones, branch.emails, branch.masked) == ([], [], False)
    assert "状态: 注销" in branch.description
    assert _links(search, "detail") == [
        "https://www.tianyancha.com/company/1086924101",
        "https://www.tianyancha.com/company/2580242180",
    ]
    assert _links(search, "next") == []


# -- synthetic pages ------------------------------------------------------------------------------

_HEADER = """
<div class="tyc-header"><a class="logo-header" href="https://www.tianyancha.com">天眼查</a>
  <div class="nav-item"><a class="title" href="https://www.tianyancha.com/usercenter/watch">
  <span>139 **** 0000</span></a></div></div>
"""
_FOOTER = """
<div class="footer"><div>电 话 : 400-871-6266</div><div>商务合作 : bd@tianyancha.com</div>
<div>京ICP备14061319</div></div>
"""


def _card(cid: str, name: str, person: str, contact: str, scope: str) -> str:
    return f"""
<div class="search-item sv-search-company" data-id="{cid}"><div class="search-result-single">
  <div class="left-item"><div class="logo"><img class="img" alt="{name}"></div></div>
  <div class="content">
    <div class="header"><a class="name select-none"
      href="https://www.tianyancha.com/company/{cid}" target="_blank">{name}</a>
      <div class="tag-common -normal-bg">存续</div></div>
    <div class="info row text-ellipsis">
      <div class="title -wider text-ellipsis">法定代表人：<a class="legalPersonName link-click"
        href="https://www.tianyancha.com/human/1-c{cid}">{person}</a></div>
      <div class="title -narrow text-ellipsis">注册资本：
        <span title="200万人民币">200万人民币</span></div>
      <div class="title text-ellipsis">成立日期：<span>2012-03-04</span></div></div>
    <div class="contact row">{contact}</div>
    <div class="match row text-ellipsis"><span class="label">经营范围：</span>
      <span>{scope}</span></div>
  </div><span class="site">浙江</span></div></div>
"""


_CARDS = _card(
    "9000000001",
    "宁波示例<em>模具</em>有限公司",
    "郑示例",
    '<div class="col"><span class="label">联系电话：</span><span>0574-5550 0789</span>'
    '<script type="text/html">["0574-5550 0789","13900000002"]</script>'
    '<span class="link-click">查看更多</span></div>'
    '<div class="col"><span class="label">邮箱：</span><span>sales@mould-example.cn</span></div>'
    '<div class="col"><span class="label">网址：</span>'
    '<a class="company-link" href="http://www.mould-example.cn">www.mould-example.cn</a></div>',
    "模具制造、加工；五金件销售",
) + _card(
    "9000000002",
    "余姚样例<em>模具</em>厂",
    "吴样例",
    '<div class="col"><span class="label">联系电话：</span><span>0574-5550****</span></div>'
    '<div class="col"><span class="label">邮箱：</span><span>***@example.cn</span></div>',
    "模具销售...",
)

_PAGER = """
<ul class="pagination"><li><a class="num -current">1</a></li>
<li><a class="num" href="https://www.tianyancha.com/search/p2?key=%E6%A8%A1%E5%85%B7">2</a></li>
<li><a class="num -next" href="https://www.tianyancha.com/search/p2?key=%E6%A8%A1%E5%85%B7">&gt;</a>
</li></ul>
"""


def _page(body: str, title: str = "模具_相关搜索结果-天眼查") -> str:
    return f"<html><head><title>{title}</title></head><body>{_HEADER}{body}{_FOOTER}</body></html>"


def test_later_search_cards() -> None:
    html = _page(f'<div class="result-list sv-search-container">{_CARDS}</div>{_PAGER}')
    result = extract_page(Page(KEY_URL, html))
    assert result.status == "ok" and result.reason == ""
    first, second = result.leads
    assert first.name == "宁波示例模具有限公司"
    assert [(p.name, p.title) for p in first.people] == [("郑示例", "法定代表人")]
    assert [p.raw for p in first.phones] == ["0574-5550 0789", "13900000002"]
    assert [e.raw for e in first.emails] == ["sales@mould-example.cn"]
    assert first.website == "http://www.mould-example.cn"
    assert first.products == "模具制造、加工；五金件销售"
    assert first.description == "状态: 存续; 注册资本: 200万人民币; 成立日期: 2012-03-04"
    assert first.region == "浙江" and not first.masked
    assert second.name == "余姚样例模具厂" and second.products == "模具销售"
    assert [(p.raw, p.masked) for p in second.phones] == [("0574-5550****", True)]
    assert second.masked
    assert _links(result, "detail") == [
        "https://www.tianyancha.com/company/9000000001",
        "https://www.tianyancha.com/company/9000000002",
    ]
    assert _links(result, "website") == ["http://www.mould-example.cn"]
    assert _links(result, "next") == ["https://www.tianyancha.com/search/p2?key=%E6%A8%A1%E5%85%B7"]


def test_header_and_footer_contacts_stay_out_of_cards() -> None:
    result = extract_page(Page(KEY_URL, _page(_CARDS)))
    phones = {_digits(p.raw) for lead in result.leads for p in lead.phones}
    assert not any(p.endswith("0000") or p == "4008716266" for p in phones)
    assert all("tianyancha" not in e.raw for lead in result.leads for e in lead.emails)


def _next_data(page_props: dict[str, object]) -> str:
    data = {"props": {"pageProps": page_props}, "page": "/search", "buildId": "x"}
    payload = json.dumps(data, ensure_ascii=False)
    return f'<script id="__NEXT_DATA__" type="application/json">{payload}</script>'


_STATE_COMPANY = {
    "id": 9000000003,
    "name": "慈溪<em>示例</em>模具有限公司",
    "legalPersonName": "孙示例",
    "regCapital": "500万人民币",
    "estiblishTime": 1325347200000,
    "regStatus": "存续",
    "phoneList": ["0574-5550 0321", "139****0003"],
    "emailList": ["info@cixi-example.cn"],
    "websiteList": "www.cixi-example.cn",
    "regLocation": "浙江省慈溪市示例镇样例路3号",
    "creditCode": "91330282MA2EXAMP3B",
    "businessScope": "模具、塑料制品制造。",
    "base": "zj",
}


def test_next_js_search_state_when_no_cards_render() -> None:
    props = {
        "dehydratedState": {
            "queries": [{"state": {"data": {"data": {"companyList": [_STATE_COMPANY]}}}}]
        },
        "userInfo": {"mobile": "139****0000"},
    }
    html = _page(_next_data(props) + '<div id="__next"><div class="index_search__x"></div></div>')
    result = extract_page(Page(KEY_URL, html))
    lead = _one(result)
    assert lead.name == "慈溪示例模具有限公司"
    assert [p.name for p in lead.people] == ["孙示例"]
    assert [(p.raw, p.masked) for p in lead.phones] == [
        ("0574-5550 0321", False),
        ("139****0003", True),
    ]
    assert [e.raw for e in lead.emails] == ["info@cixi-example.cn"]
    assert lead.website == "http://www.cixi-example.cn"
    assert lead.registration_id == "91330282MA2EXAMP3B"
    assert lead.products == "模具、塑料制品制造。"
    assert "成立日期: 2012-01-01" in lead.description
    assert _links(result, "detail") == ["https://www.tianyancha.com/company/9000000003"]


def test_next_js_company_page() -> None:
    props = {"dehydratedState": {"queries": [{"state": {"data": {"data": _STATE_COMPANY}}}]}}
    html = _page(
        _next_data(props)
        + '<div class="index_company-header__Ab1"><h1 class="index_company-name__Zz9">'
        "慈溪示例模具有限公司</h1>"
        '<div class="index_detail__Q"><span>电话：</span><span>0574-5550 0321</span>'
        "<span>邮箱：</span><span>info@cixi-example.cn</span>"
        '<span>网址：</span><a href="http://www.cixi-example.cn" rel="nofollow">'
        "www.cixi-example.cn</a>"
        "<span>地址：</span><span>浙江省慈溪市示例镇样例路3号</span></div></div>"
        "<table><tr><td>法定代表人</td><td><a href='/human/1'>孙示例</a></td>"
        "<td>统一社会信用代码</td><td>91330282MA2EXAMP3B</td></tr></table>"
        "<div class='index_similar'><a href='https://www.tianyancha.com/company/9000000009'>"
        "北仑其他模具有限公司</a> 电话：0574-5550 9999</div>",
        title="慈溪示例模具有限公司 - 天眼查",
    )
    result = extract_page(Page("https://www.tianyancha.com/company/9000000003", html))
    lead = _one(result)
    assert lead.name == "慈溪示例模具有限公司"
    assert [p.raw for p in lead.phones] == ["0574-5550 0321"]
    assert [e.raw for e in lead.emails] == ["info@cixi-example.cn"]
    assert lead.website == "http://www.cixi-example.cn"
    assert lead.address_raw == "浙江省慈溪市示例镇样例路3号"
    assert lead.registration_id == "91330282MA2EXAMP3B"
    assert [p.name for p in lead.people] == ["孙示例"]
    assert lead.products == "模具、塑料制品制造。"  # not rendered: from the page state
    assert _links(result, "detail") == []


def test_company_page_from_state_alone() -> None:
    props = {"dehydratedState": {"queries": [{"state": {"data": {"data": _STATE_COMPANY}}}]}}
    html = _page(_next_data(props) + '<div id="__next"></div>')
    lead = _one(extract_page(Page("https://www.tianyancha.com/company/9000000003", html)))
    assert (lead.name, lead.address_raw) == ("慈溪示例模具有限公司", "浙江省慈溪市示例镇样例路3号")


@pytest.mark.parametrize(
    ("url", "title", "body", "reason"),
    [
        (
            "https://antirobot.tianyancha.com/captcha/verify?return_url=https%3A%2F%2Fwww",
            "天眼查",
            "<div class='container'>我们只是确认一下你不是机器人，请完成下方验证</div>",
            "robot",
        ),
        (
            KEY_URL,
            "天眼查",
            "<div class='tips'>您的访问过于频繁，请稍后再试</div>",
            "访问过于频繁",
        ),
        (
            "https://www.tianyancha.com/login?from=https%3A%2F%2Fwww.tianyancha.com%2Fsearch",
            "登录/注册-天眼查",
            "<div class='login-warp'><div>短信登录</div><div>密码登录</div></div>",
            "login",
        ),
    ],
)
def test_blocked_pages(url: str, title: str, body: str, reason: str) -> None:
    result = extract_page(Page(url, _page(body, title=title)))
    assert (result.status, result.leads) == ("blocked", [])
    assert reason in result.reason


def test_no_results_page() -> None:
    body = (
        "<div class='search-block'><span>天眼查为你找到</span><span>0</span><span>家公司</span>"
        "<div class='no-result'>抱歉，没有找到相关结果！</div></div>"
        "<div class='modal login hidden'><input placeholder='请输入验证码'></div>"
    )
    result = extract_page(Page(KEY_URL, _page(body)))
    assert (result.status, result.leads) == ("no_results", [])


def test_readable_html_uses_titles_and_drops_garbled_text() -> None:
    html, garbled = readable_html(
        '<div title="500万人民币"><text class="tyc-num lh24">877万路手币</text></div>'
        '<div title=" "><text class="tyc-num">2774-74-78</text></div>'
        '<a class="name"><text class="tyc-num lh24"><em>风连奥格窗第有限公待</em></text></a>'
    )
    assert garbled
    assert (
        html
        == '<div title="500万人民币">500万人民币</div><div title=" "></div><a class="name"></a>'
    )
    assert readable_html("<p>plain</p>") == ("<p>plain</p>", False)


_MARKED_PAGES = [
    '<div id="company_web_top" class="x"><h1>A</h1></div>',
    '<div class="index_company-header"><div class="company-header b" id="company_web_top">'
    '</div></div><section id="_container_baseInfo" class="company-header"></section>',
    '<p id="_container_baseInfo"></p><p id="_container_baseInfo" class="company-headers"></p>',
    '<div class="company_web_top" id="company-header"></div><div id="Company_Web_Top"></div>',
    '<div id="company_web_top "></div><div class="company-header"><!-- c --></div>',
    "<div></div>",
]


@pytest.mark.parametrize("body", _MARKED_PAGES)
def test_company_block_and_base_info_are_their_queries(body: str) -> None:
    """The elements found from the listed ``id`` / ``class`` values are the queries'."""
    page = Page(
        url="https://www.tianyancha.com/company/123", text=f"<html><body>{body}</body></html>"
    )
    selector = page.selector
    top = [s.root for s in _company_top(page, selector)]
    assert top == [s.root for s in selector.xpath(_TOP_XPATH)]
    base = [s.root for s in _base_info(page, selector)]
    assert base == [s.root for s in selector.xpath("//*[@id='_container_baseInfo']")]
