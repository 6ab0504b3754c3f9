"""企查查 (qcc.com / qichacha.com) page object: search results, 企业名录 lists, firm pages.

Expected values on the real pages were read from the saved HTML (grep), not from the parser's
output. The synthetic pages below describe fictional companies in the markup shapes of the
current qcc.com (example.cn domains, made-up numbers and credit codes).
"""

from __future__ import annotations

import json
import re

import pytest

from leadharvest.items import Lead
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

SRP = (
    "directories/qichacha/search_results_wangluo_yingxiao_20_companies_2019__muyun001-qichacha.html"
)
SRP_URL = "https://www.qichacha.com/search?key=%E7%BD%91%E7%BB%9C%E8%90%A5%E9%94%80"
MINGLU = "directories/qichacha_qiye_minglu/company_search_shanghai__scrapy-json-no-result.html"
MINGLU_URL = "https://www.qichacha.com/g_SH.html"
QCC_URL = "https://www.qcc.com/web/search?key=%E6%99%BA%E8%83%BD%E5%AE%B6%E5%B1%85"


def _by_name(result: PageExtraction, name: str) -> Lead:
    matches = [lead for lead in result.leads if lead.name == name]
    assert len(matches) == 1, f"{name!r}: {len(matches)} leads"
    return matches[0]


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _links(result: PageExtraction, kind: str, name: str = "") -> list[str]:
    return [k.url for k in result.links if k.kind == kind and (not name or k.lead_name == name)]


def _all_contacts(result: PageExtraction) -> tuple[set[str], set[str]]:
    phones = {_digits(p.raw) for lead in result.leads for p in lead.phones}
    emails = {e.raw.lower() for lead in result.leads for e in lead.emails}
    return phones, emails


# -- catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        SRP_URL,
        MINGLU_URL,
        QCC_URL,
        "https://www.qcc.com/firm/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html",
        "https://m.qcc.com/firm/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html",
    ],
)
def test_hosts_pick_qichacha(url: str) -> None:
    source = source_for_url(url)
    assert (source.name, source.method, source.language, source.region) == (
        "qichacha",
        "yellow_pages",
        "zh",
        "CN",
    )


def test_search_url_takes_the_plain_keywords() -> None:
    urls = source_for_url("", "qichacha").search_urls("智能家居")
    assert urls == [QCC_URL]


# -- real search results (2019): 20 companies ---------------------------------------------------


@pytest.fixture(scope="module")
def srp() -> PageExtraction:
    return extract_page(real_page(SRP, SRP_URL))


@pytest.mark.realpages
def test_every_row_is_a_lead_with_its_legal_representative(srp: PageExtraction) -> None:
    assert (srp.status, srp.source, srp.method) == ("ok", "qichacha", "yellow_pages")
    assert len(srp.leads) == 20
    assert all(len(lead.phones) == 1 and len(lead.emails) == 1 for lead in srp.leads)
    assert all(lead.address_raw for lead in srp.leads)
    assert all([p.title for p in lead.people] == ["法定代表人"] for lead in srp.leads)
    assert all(lead.country == "CN" and not lead.masked for lead in srp.leads)
    assert len(_links(srp, "detail")) == 20


@pytest.mark.realpages
def test_highlighted_name_and_first_row(srp: PageExtraction) -> None:
    lead = _by_name(srp, "济南天睿奥营销策划有限公司")  # 济南天睿奥<em>营销</em>策划有限公司
    assert [p.name for p in lead.people] == ["王树元"]
    assert [(p.raw, p.label) for p in lead.phones] == [("18615521797", "电话")]
    assert [e.raw for e in lead.emails] == ["1392987787@qq.com"]
    assert lead.address_raw == "山东省济南市历城区花园路200号群康佳园二单元1505-1室"
    assert "注册资本: 301万元人民币" in lead.description
    assert "成立日期: 2003-07-03" in lead.description
    assert "状态: 在业" in lead.description
    assert _links(srp, "detail", lead.name) == [
        "https://www.qichacha.com/firm_ffd90917538f515f77612bfa1971dfb4.html"
    ]


@pytest.mark.realpages
def test_earlier_numbers_behind_more_numbers_are_left_out(srp: PageExtraction) -> None:
    # showHisTel([{"t":"13808969776","s":"2017"},{"t":"0532-85937055","s":"2015"},…])
    lead = _by_name(srp, "青岛科控电子有限公司")
    assert [p.raw for p in lead.phones] == ["13808969776"]
    assert "曾用名: 青岛华意林营销有限公司" in lead.description
    phones, _ = _all_contacts(srp)
    assert "053285937055" not in phones and "13668809707" not in phones


@pytest.mark.realpages
def test_business_scope_is_trimmed_into_products(srp: PageExtraction) -> None:
    assert (
        _by_name(srp, "济南恩年信息咨询有限公司").products
        == "企业形象策划;企业管理咨询;市场营销策划"
    )
    # "…企业<em>营销</em><..." cut off inside a tag on the page
    assert _by_name(srp, "青岛商帝国管理咨询有限公司").products.endswith("企业形象策划,企业营销")
    assert all("..." not in lead.products and "<" not in lead.products for lead in srp.leads)
    assert _by_name(srp, "青岛天众营销管理有限公司").products == ""  # the row shows no scope


@pytest.mark.realpages
def test_site_contacts_and_the_viewer_never_become_contacts(srp: PageExtraction) -> None:
    phones, emails = _all_contacts(srp)
    for number in ("4009282212", "4009985212", "13328008168", "13872119231", "15042526"):
        assert not any(number in p for p in phones)
    assert "kf@qichacha.com" not in emails and "leijun@xiaomi.com" not in emails
    assert len(phones) == 20  # no row took another row's number


@pytest.mark.realpages
def test_script_pager_becomes_the_next_page_url(srp: PageExtraction) -> None:
    # <a href='javascript:getSearchPage(2,"1","43")'>&gt;</a>
    assert _links(srp, "next") == [SRP_URL + "&p=2"]


# -- real 企业名录 list (/g_SH.html): values marked by icons -------------------------------------


@pytest.fixture(scope="module")
def minglu() -> PageExtraction:
    return extract_page(real_page(MINGLU, MINGLU_URL))


@pytest.mark.realpages
def test_province_list_reads_values_by_icon(minglu: PageExtraction) -> None:
    assert minglu.status == "ok"
    assert len(minglu.leads) == 10
    lead = _by_name(minglu, "上海福路流体设备技术有限公司")
    assert [(p.name, p.title) for p in lead.people] == [("陆仕元", "法定代表人")]
    assert lead.address_raw == "上海市青浦区盈港东路6433号1幢A区517室"
    assert lead.description == (
        "状态: 存续; 注册资本: 6000万人民币元; 成立日期: 2016-05-03; 行业: 制造业"
    )
    assert lead.phones == [] and lead.emails == []
    assert _by_name(minglu, "博瑞廉融资租赁(上海)有限公司").people[0].name == "蒋明洁"


@pytest.mark.realpages
def test_province_list_links(minglu: PageExtraction) -> None:
    detail = _links(minglu, "detail")
    assert len(detail) == 10
    # the plain firm page, not the comment page (/firm_SH_<keyno>.html) of the same row
    assert detail[0] == "https://www.qichacha.com/firm_59a2553e15cd04b7333d1f03b838bc6e.html"
    assert _links(minglu, "next") == ["https://www.qichacha.com/g_SH_2.html"]


# -- synthetic pages: the current qcc.com --------------------------------------------------------

_HEADER = """
<div class="app-nheader"><a class="logo" href="/">企查查</a>
  <div class="nheader-user"><a href="/user_home">我的账号 13900009999</a></div></div>
"""
_FOOTER = """
<div class="app-footer"><p>客服热线：400-088-8275 客服邮箱：kf@qcc.com</p>
  <p>苏ICP备15042526号-5 · 企查查科技股份有限公司</p></div>
"""

_ROW = """
<tr><td class="checkbox-td"><input type="checkbox"></td>
<td class="img-td"><img src="/logo.png" alt=""></td>
<td><div class="maininfo">
  <a href="https://www.qcc.com/firm/{keyno}.html" target="_blank" class="title copy-value">
    <span>{name}</span></a>
  <span class="search-tags"><span class="ntag text-success tag-status">{status}</span></span>
  <div class="relate-info">
    <div class="rline"><span class="f">法定代表人：<span class="val">
      <a href="https://www.qcc.com/pl/p{keyno}.html">{person}</a></span></span>
      <span class="f">注册资本：<span class="val">{capital}</span></span>
      <span class="f">成立日期：<span class="val">{founded}</span></span></div>
    <div class="rline"><span class="f">统一社会信用代码：
      <span class="val copy-value">{credit}</span></span></div>
    <div class="rline"><span class="f"><span>电话：</span><span class="val">{phone}</span>
      <a class="m-l-sm text-primary">更多号码</a></span>
      <span class="f">官网：<a class="val" href="{site}" rel="nofollow">{site_text}</a></span>
      <span class="f">邮箱：<a class="val" href="mailto:{email}">{email}</a></span></div>
    <div class="rline"><span class="f">地址：<span class="val">{address}</span></span></div>
    <div class="rline"><span class="f">经营范围：<span class="val">{scope}</span></span></div>
  </div>
</div></td></tr>
"""

_COMPANIES = [
    {
        "keyno": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "name": "杭州示例<em>智能家居</em>科技有限公司",
        "status": "存续",
        "person": "林示例",
        "capital": "1000万元人民币",
        "founded": "2015-06-18",
        "credit": "91330100MA2EXAMP1X",
        "phone": "0571-5550 0123",
        "site": "http://www.smarthome-example.cn",
        "site_text": "www.smarthome-example.cn",
        "email": "sales@smarthome-example.cn",
        "address": "浙江省杭州市示例区示例路1号",
        "scope": "智能家居产品的研发、销售；<em>智能家居</em>系统安装...",
    },
    {
        "keyno": "1f2e3d4c5b6a79880796a5b4c3d2e1f0",
        "name": "宁波样例<em>智能家居</em>有限公司",
        "status": "在业",
        "person": "周样例",
        "capital": "50万元人民币",
        "founded": "2019-01-02",
        "credit": "-",
        "phone": "139****0001",
        "site": "",
        "site_text": "-",
        "email": "***@example.cn",
        "address": "浙江省宁波市样例区样例街 8 号",
        "scope": "-",
    },
]


def _qcc_search_page(rows: str) -> str:
    pager = (
        '<nav><ul class="pagination"><li class="active"><a>1</a></li>'
        '<li><a href="/web/search?key=%E6%99%BA%E8%83%BD%E5%AE%B6%E5%B1%85&amp;p=2">2</a></li>'
        '<li><a class="next" href="/web/search?key=%E6%99%BA%E8%83%BD%E5%AE%B6%E5%B1%85&amp;p=2">'
        "&gt;</a></li></ul></nav>"
    )
    return (
        "<html><head><title>智能家居的搜索结果-企查查</title></head><body>"
        f"{_HEADER}<div class='search-cominfo'>"
        "<h4>小查为您找到 <span>2</span> 家符合条件的企业</h4>"
        f"<table class='ntable ntable-list'><tbody>{rows}</tbody></table>{pager}</div>"
        f"{_FOOTER}</body></html>"
    )


def test_current_search_rows() -> None:
    page = Page(QCC_URL, _qcc_search_page("".join(_ROW.format(**c) for c in _COMPANIES)))
    result = extract_page(page)
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == [
        "杭州示例智能家居科技有限公司",
        "宁波样例智能家居有限公司",
    ]
    lead = result.leads[0]
    assert [(p.name, p.title) for p in lead.people] == [("林示例", "法定代表人")]
    assert [(p.raw, p.label, p.masked) for p in lead.phones] == [("0571-5550 0123", "电话", False)]
    assert [e.raw for e in lead.emails] == ["sales@smarthome-example.cn"]
    assert lead.website == "http://www.smarthome-example.cn"
    assert lead.address_raw == "浙江省杭州市示例区示例路1号"
    assert lead.registration_id == "91330100MA2EXAMP1X"
    assert lead.products == "智能家居产品的研发、销售；智能家居系统安装"
    assert lead.description == "状态: 存续; 注册资本: 1000万元人民币; 成立日期: 2015-06-18"
    assert _links(result, "detail", lead.name) == [
        "https://www.qcc.com/firm/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html"
    ]
    assert _links(result, "website", lead.name) == ["http://www.smarthome-example.cn"]
    assert _links(result, "next") == [
        "https://www.qcc.com/web/search?key=%E6%99%BA%E8%83%BD%E5%AE%B6%E5%B1%85&p=2"
    ]


def test_masked_row_and_empty_values() -> None:
    page = Page(QCC_URL, _qcc_search_page("".join(_ROW.format(**c) for c in _COMPANIES)))
    lead = extract_page(page).leads[1]
    assert [(p.raw, p.masked) for p in lead.phones] == [("139****0001", True)]
    assert [(e.raw, e.masked) for e in lead.emails] == [("***@example.cn", True)]
    assert lead.masked
    assert (lead.website, lead.registration_id, lead.products) == ("", "", "")


def test_header_account_and_footer_stay_out() -> None:
    page = Page(QCC_URL, _qcc_search_page("".join(_ROW.format(**c) for c in _COMPANIES)))
    phones, emails = _all_contacts(extract_page(page))
    assert "13900009999" not in phones and "4000888275" not in phones
    assert "kf@qcc.com" not in emails


def test_page_state_when_the_rows_are_missing() -> None:
    state = {
        "search": {
            "searchRes": {
                "Paging": {"TotalRecords": 1},
                "Result": [
                    {
                        "KeyNo": "22223333444455556666777788889999",
                        "Name": "温州<em>示例</em>电器有限公司",
                        "OperName": "陈样例",
                        "Status": "存续（在营、开业、在册）",
                        "ShortStatus": "存续",
                        "StartDate": 1420041600000,
                        "RegistCapi": "300万元人民币",
                        "CreditCode": "91330300MA2EXAMP2Y",
                        "ContactNumber": "0577-5550 0456",
                        "Email": "info@wz-example.cn",
                        "GW": "www.wz-example.cn",
                        "Address": "浙江省温州市示例区样例路9号",
                        "Scope": "电器制造、销售",
                    }
                ],
            }
        },
        "user": {"Name": "trainee", "Phone": "13900009999"},
    }
    text = (
        f"<html><head><script>window.__INITIAL_STATE__={json.dumps(state, ensure_ascii=False)};"
        "(function(){})();</script></head><body><div id='app'></div>"
        f"{_FOOTER}</body></html>"
    )
    result = extract_page(Page(QCC_URL, text))
    assert result.status == "ok"
    [lead] = result.leads
    assert lead.name == "温州示例电器有限公司"
    assert [p.name for p in lead.people] == ["陈样例"]
    assert [p.raw for p in lead.phones] == ["0577-5550 0456"]
    assert [e.raw for e in lead.emails] == ["info@wz-example.cn"]
    assert lead.website == "http://www.wz-example.cn"
    assert lead.registration_id == "91330300MA2EXAMP2Y"
    assert "成立日期: 2015-01-01" in lead.description
    assert _links(result, "detail") == [
        "https://www.qcc.com/firm/22223333444455556666777788889999.html"
    ]


_FIRM_PAGE = """
<html><head><title>杭州示例智能家居科技有限公司 - 企查查</title></head><body>
{header}
<div class="company-header"><div class="content">
  <div class="title"><h1>杭州示例智能家居科技有限公司</h1>
    <span class="ntag tag-status">存续</span></div>
  <div class="contact-info">
    <div class="rline"><span class="f">电话：<span class="val">0571-5550 0123</span></span>
      <span class="f">官网：<a class="val" href="http://www.smarthome-example.cn" rel="nofollow">
        www.smarthome-example.cn</a></span></div>
    <div class="rline">
      <span class="f">邮箱：<span class="val">sales@smarthome-example.cn</span></span>
      <span class="f">地址：<span class="val">浙江省杭州市示例区示例路1号</span>
      <a>附近企业</a></span></div>
  </div></div></div>
<section id="cominfo"><table class="ntable"><tbody>
  <tr><td class="tb">法定代表人</td><td><div class="boss"><a href="/pl/p1.html">林示例</a>
    <span>关联企业 3</span></div></td>
      <td class="tb">登记状态</td><td>存续</td></tr>
  <tr><td class="tb">统一社会信用代码</td><td>91330100MA2EXAMP1X</td>
      <td class="tb">注册资本</td><td>1000万元人民币</td></tr>
  <tr><td class="tb">经营范围</td><td colspan="3">智能家居产品的研发、销售。</td></tr>
</tbody></table></section>
<section id="touzilist"><table><tr><th>被投资企业名称</th><th>法定代表人</th><th>注册资本</th></tr>
  <tr><td><a href="/firm/99990000111122223333444455556666.html">杭州子示例有限公司</a></td>
  <td><a href="/pl/p9.html">王其他</a></td><td>100万元人民币</td></tr></table></section>
{footer}</body></html>
"""


def test_firm_page() -> None:
    url = "https://www.qcc.com/firm/0a1b2c3d4e5f60718293a4b5c6d7e8f9.html"
    result = extract_page(Page(url, _FIRM_PAGE.format(header=_HEADER, footer=_FOOTER)))
    assert result.status == "ok"
    [lead] = result.leads
    assert lead.name == "杭州示例智能家居科技有限公司"
    assert [(p.name, p.title) for p in lead.people] == [("林示例", "法定代表人")]
    assert [p.raw for p in lead.phones] == ["0571-5550 0123"]
    assert [e.raw for e in lead.emails] == ["sales@smarthome-example.cn"]
    assert lead.website == "http://www.smarthome-example.cn"
    assert lead.address_raw == "浙江省杭州市示例区示例路1号"
    assert lead.registration_id == "91330100MA2EXAMP1X"
    assert lead.products == "智能家居产品的研发、销售。"
    assert "注册资本: 1000万元人民币" in lead.description
    assert _links(result, "detail") == []  # the page itself; investments are not leads
    assert _links(result, "next") == []


_OLD_FIRM_PAGE = """
<html><head><title>杭州示例智能家居科技有限公司_工商信息_电话_地址 - 企查查</title></head><body>
<header><span class="user">购买账号：13900009999</span></header>
<div id="company-top"><div class="row"><div class="content">
  <div class="row title jk-tip"><h1>杭州示例智能家居科技有限公司</h1>
    <span class="nstatus text-success-lt m-l-xs">存续</span></div>
  <div class="row"><span class="fc"><span class="cdes">电话：</span><span class="cvlu">
    <span>0571-5550 0123</span> <a onclick="showHisTel([{&quot;t&quot;:&quot;0571-5550 0999&quot;,
    &quot;s&quot;:&quot;2016&quot;}],&quot;0571-5550 0123&quot;);">更多号码</a></span></span>
    <span class="cvlu"><span class="cdes">官网：</span>
    <a href="http://www.smarthome-example.cn" target="_blank" rel="nofollow">
    www.smarthome-example.cn</a></span></div>
  <div class="row"><span class="cdes">邮箱：</span><span class="cvlu">
    <a href="mailto:sales@smarthome-example.cn">sales@smarthome-example.cn</a></span>
    <span class="cdes">地址：</span><span class="cvlu"><a>浙江省杭州市示例区示例路1号</a>
    <a class="m-l text-primary">附近公司</a></span></div>
</div></div></div>
<section id="Cominfo"><table class="ntable">
  <tr><td class="tb">法定代表人信息</td><td><div class="boss-td"><a href="/pl_p1.html"
    class="bname"><h2 class="seo font-20">林示例</h2></a></div></td></tr>
  <tr><td class="tb">统一社会信用代码：</td><td>91330100MA2EXAMP1X</td>
      <td class="tb">注册资本：</td><td>1000万元人民币</td></tr>
  <tr><td class="tb">经营范围：</td><td colspan="3">智能家居产品的研发、销售。</td></tr>
</table></section>
<footer>企查查官方电话：400-928-2212 客服邮箱：kf@qichacha.com 苏ICP备15042526号-4</footer>
</body></html>
"""


def test_2019_firm_page() -> None:
    url = "https://www.qichacha.com/firm_0a1b2c3d4e5f60718293a4b5c6d7e8f9.html"
    lead = extract_page(Page(url, _OLD_FIRM_PAGE)).leads[0]
    assert lead.name == "杭州示例智能家居科技有限公司"
    assert [(p.name, p.title) for p in lead.people] == [("林示例", "法定代表人")]
    assert [p.raw for p in lead.phones] == ["0571-5550 0123"]  # not the 2016 number
    assert [e.raw for e in lead.emails] == ["sales@smarthome-example.cn"]
    assert lead.website == "http://www.smarthome-example.cn"
    assert lead.address_raw == "浙江省杭州市示例区示例路1号"
    assert lead.registration_id == "91330100MA2EXAMP1X"
    assert lead.products == "智能家居产品的研发、销售。"
    assert "状态: 存续" in lead.description


# -- blocked and empty pages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "reason"),
    [
        (
            "企查查",
            "<div class='container'><h3>您的访问过于频繁，请稍后再试</h3></div>",
            "访问过于频繁",
        ),
        (
            "用户验证-企查查",
            "<div id='nc_1_wrapper'>"
            "<span class='nc-lang-cnt'>请按住滑块，拖动到最右边</span></div>",
            "验证",
        ),
        (
            "会员登录 - 企查查",
            "<form><input name='phone'><input type='password'><button>登录</button></form>",
            "登录",
        ),
        (
            "智能家居的搜索结果-企查查",
            "<div class='search-cominfo'><p>请先登录，登录后即可查看更多企业信息</p>"
            "<a href='/weblogin'>登录</a></div>",
            "登录",
        ),
    ],
)
def test_blocked_pages(title: str, body: str, reason: str) -> None:
    text = f"<html><head><title>{title}</title></head><body>{_HEADER}{body}{_FOOTER}</body></html>"
    result = extract_page(Page(QCC_URL, text))
    assert (result.status, result.leads) == ("blocked", [])
    assert reason in result.reason


def test_verification_redirect_is_blocked_by_its_url() -> None:
    url = "https://www.qcc.com/index_verify?type=companysearch&back=/web/search?key=x"
    text = f"<html><head><title>企查查</title></head><body>{_HEADER}<div id='app'></div>"
    result = extract_page(
        Page(url, text + "<p>" + "企查查 " * 1500 + f"</p>{_FOOTER}</body></html>")
    )
    assert (result.status, result.leads) == ("blocked", [])


def test_no_results_page() -> None:
    body = (
        "<div class='search-cominfo'><h4>小查为您找到 <span>0</span> 家符合条件的企业</h4>"
        "<div class='noresult'>抱歉，没有找到相关企业，请换个关键词试试</div>"
        "<div class='login-modal hidden'><input type='password'>验证码</div></div>"
    )
    text = f"<html><head><title>zzqx的搜索结果-企查查</title></head><body>{_HEADER}{body}"
    text += f"{_FOOTER}</body></html>"
    result = extract_page(Page(QCC_URL, text))
    assert (result.status, result.leads) == ("no_results", [])
