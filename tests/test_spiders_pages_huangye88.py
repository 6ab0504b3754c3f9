"""huangye88.com (黄页88网): a real company shop page and synthetic list / search / block pages.

Expected values on the real page were read from the saved HTML. The synthetic pages follow
huangye88's list markup (``div.mach_list2 > form#jubao > dl``: ``dt h4 a[itemprop=name]`` to
the shop, the phone in ``dt span``, ``dd.txt`` introduction, ``span[itemprop=address]``,
主营产品) and describe fictional companies with made-up numbers.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from leadharvest.items import Lead
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from spiders.pages.huangye88 import (
    _COLON_RE,
    _NOT_COMPANY_VALUES,
    _NOT_COMPANY_XPATH,
    _ROW_XPATH,
    _colon_holders,
    _not_company,
    _not_company_class,
    _row_elements,
)
from tests.realpages import real_page

SHOP = "directories/huangye88/company_page_qiye2875451_wanchuang_contact_2019__huangye88.html"
SHOP_URL = "http://b2b.huangye88.com/qiye2875451/"


def _run(html: str, url: str) -> PageExtraction:
    return extract_page(Page(url=url, text=html))


def _digits(lead: Lead) -> list[str]:
    return [re.sub(r"\D", "", p.raw) for p in lead.phones]


def _by_name(result: PageExtraction, name: str) -> Lead:
    found = [lead for lead in result.leads if lead.name == name]
    assert len(found) == 1, [lead.name for lead in result.leads]
    return found[0]


# -- catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        SHOP_URL,
        "http://b2b.huangye88.com/shenzhen/wangzhan/pn2/",
        "http://icantdo01.b2b.huangye88.com/company_contact.html",
        "https://www.huangye88.com/search.html?kw=x",
    ],
)
def test_huangye88_hosts_pick_the_source(url: str) -> None:
    src = source_for_url(url)
    assert (src.name, src.method, src.region, src.language) == (
        "huangye88",
        "yellow_pages",
        "CN",
        "zh",
    )


def test_search_url_takes_the_keyword() -> None:
    urls = source_for_url("", "huangye88").search_urls("网站建设")
    assert urls == ["https://www.huangye88.com/search.html?kw=%E7%BD%91%E7%AB%99%E5%BB%BA%E8%AE%BE"]


# -- real shop page -----------------------------------------------------------------------------


@pytest.mark.realpages
def test_real_shop_page_is_one_company_with_its_contact() -> None:
    result = extract_page(real_page(SHOP, SHOP_URL))
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["深圳市万创科技有限公司"]
    lead = result.leads[0]
    assert _digits(lead) == ["19806500735"]
    assert lead.phones[0].label == "手机"
    assert [(p.name, p.title) for p in lead.people] == [("王雪", "")]
    assert lead.address_raw.endswith("深圳市宝安区西乡街道航空路与顺昌路交汇处泰华梧桐工业园8栋7层")
    assert lead.products == "网站建设,网站营销推广"
    assert (lead.region, lead.city, lead.country) == ("广东", "深圳", "CN")
    assert lead.description.startswith("深圳市万创科技有限公司,是专业的移动互联网服务商")
    assert "查看详情" not in lead.description
    assert lead.website == ""  # every link on the page stays inside huangye88
    assert not lead.masked and not lead.emails


@pytest.mark.realpages
def test_real_shop_page_ignores_other_companies_and_the_form() -> None:
    result = extract_page(real_page(SHOP, SHOP_URL))
    # 相关公司 / VIP企业推荐 / 新注册公司 lists name 24 other companies: none is a lead
    assert len(result.leads) == 1
    assert [(k.kind, k.url) for k in result.links] == [
        ("contact", "http://b2b.huangye88.com/qiye2875451/company_contact.html")
    ]
    # the 留言板 form's 联系人 / 手机号 inputs and the hidden uid are not the company's
    assert all(p.name not in {"联系人", ""} for p in result.leads[0].people)
    assert "2875451" not in "".join(_digits(result.leads[0]))


# -- synthetic list page ------------------------------------------------------------------------

LIST_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>深圳相机批发公司_深圳相机企业名录-黄页88网</title></head><body>
<div class="top">客服热线：400-000-8888 <a href="http://my.huangye88.com/">登录</a></div>
<div class="main730"><div class="box"><div class="tit"><span>共<em>3</em>家</span></div>
<div class="mach_list2"><form id="jubao" name="jubao" method="post">
<dl>
  <dt><h4><a href="http://b2b.huangye88.com/qiye9000001/" title="深圳市练习光学器材有限公司"
      itemprop="name" target="_blank">深圳市练习光学器材有限公司</a></h4>
      <span>电话：<a href="http://b2b.huangye88.com/qiye9000001/company_contact.html"
      rel="nofollow">0755-2000 0001</a></span></dt>
  <dd class="txt">专业生产数码相机配件，工厂直销。</dd>
  <dd>联系人：张伟 经理 手机：13800000001</dd>
  <dd>地址：<span itemprop="address">广东省深圳市南山区练习路1号</span></dd>
  <dd>主营产品：数码相机,镜头,三脚架</dd>
</dl>
<dl>
  <dt><h4><a href="http://lianxi-trade.b2b.huangye88.com/" title="深圳练习贸易商行(李经理)"
      itemprop="name">深圳练习贸易商行(李经理)</a></h4>
      <span><a rel="nofollow">138****0002</a></span></dt>
  <dd>地址：<span itemprop="address">深圳市福田区示例大道2号</span></dd>
  <dd>主营产品：相机包</dd>
</dl>
<dl>
  <dt><h4><a href="http://b2b.huangye88.com/gongsi/9000003/" itemprop="name"
      title="深圳示例摄影器材厂">深圳示例摄影器材厂</a></h4></dt>
  <dd>传真：0755-2000 0003 邮箱：sales@lianxi-camera.example</dd>
  <dd>经营模式：生产型</dd>
</dl>
</form></div>
<div class="page_tag Baidu_paging_indicator">
<a href="http://b2b.huangye88.com/shenzhen/xiangji/pn1/">上一页</a>
<a href="http://b2b.huangye88.com/shenzhen/xiangji/pn3/">下一页</a></div>
</div></div>
<div class="footer">黄页88网 客服电话：400-000-8888
邮箱：service@huangye88.com 京ICP备00000000号</div>
</body></html>"""
LIST_URL = "http://b2b.huangye88.com/shenzhen/xiangji/pn2/"


def test_list_page_gives_one_lead_per_card() -> None:
    result = _run(LIST_PAGE, LIST_URL)
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == [
        "深圳市练习光学器材有限公司",
        "深圳练习贸易商行",
        "深圳示例摄影器材厂",
    ]
    first = result.leads[0]
    assert sorted(_digits(first)) == ["075520000001", "13800000001"]
    assert {p.label for p in first.phones} == {"电话", "手机"}
    assert [(p.name, p.title) for p in first.people] == [("张伟", "经理")]
    assert first.address_raw == "广东省深圳市南山区练习路1号"
    assert first.products == "数码相机,镜头,三脚架"
    assert first.description == "专业生产数码相机配件，工厂直销。"


def test_list_page_masked_phone_stays_masked() -> None:
    trade = _by_name(_run(LIST_PAGE, LIST_URL), "深圳练习贸易商行")
    assert [(p.raw, p.masked) for p in trade.phones] == [("138****0002", True)]
    assert trade.masked
    assert [(p.name, p.title) for p in trade.people] == [("李经理", "")]  # from "(李经理)"


def test_list_page_fax_email_and_business_model() -> None:
    factory = _by_name(_run(LIST_PAGE, LIST_URL), "深圳示例摄影器材厂")
    assert [(p.raw, p.label) for p in factory.phones] == [("0755-2000 0003", "传真")]
    assert [e.raw for e in factory.emails] == ["sales@lianxi-camera.example"]
    assert factory.business_type == "manufacturer"


def test_list_page_never_takes_the_portal_contacts() -> None:
    result = _run(LIST_PAGE, LIST_URL)
    numbers = [d for lead in result.leads for d in _digits(lead)]
    assert not any(d.endswith("4000008888"[-8:]) for d in numbers)
    emails = [e.raw for lead in result.leads for e in lead.emails]
    assert "service@huangye88.com" not in emails


def test_list_page_links_to_shops_contact_pages_and_next_page() -> None:
    links = [(k.kind, k.url) for k in _run(LIST_PAGE, LIST_URL).links]
    assert ("detail", "http://b2b.huangye88.com/qiye9000001/") in links
    assert ("contact", "http://b2b.huangye88.com/qiye9000001/company_contact.html") in links
    assert ("detail", "http://lianxi-trade.b2b.huangye88.com/") in links
    assert ("contact", "http://b2b.huangye88.com/gongsi/9000003/company_contact.html") in links
    assert links[-1] == ("next", "http://b2b.huangye88.com/shenzhen/xiangji/pn3/")


SEARCH_PAGE = """<html><head><meta charset="utf-8"><title>相机包_黄页88网搜索</title></head>
<body><div class="mach_list2">
<dl><dt><h4>
<a href="http://shenzhen.huangye88.com/xinxi/1_900001.html" title="防水相机包">防水相机包</a>
</h4></dt>
  <dd>公司：<a href="http://b2b.huangye88.com/qiye9000004/">深圳练习箱包有限公司</a></dd>
  <dd>手机：13900000004</dd></dl>
<dl><dt><h4>
<a href="http://shenzhen.huangye88.com/xinxi/1_900002.html" title="单反相机包">单反相机包</a>
</h4></dt>
  <dd>公司：<a href="http://b2b.huangye88.com/qiye9000004/">深圳练习箱包有限公司</a></dd>
  <dd>手机：13900000004</dd></dl>
</div></body></html>"""


def test_search_page_merges_one_companys_offers() -> None:
    result = _run(SEARCH_PAGE, "https://www.huangye88.com/search.html?kw=相机包&type=sale")
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["深圳练习箱包有限公司"]
    lead = result.leads[0]
    assert lead.products == "防水相机包; 单反相机包"
    assert _digits(lead) == ["13900000004"]
    assert [k.url for k in result.links if k.kind == "detail"] == [
        "http://b2b.huangye88.com/qiye9000004/"
    ]


# -- synthetic contact page of another shop template --------------------------------------------

CONTACT_PAGE = """<html><head><meta charset="utf-8">
<title>联系我们-深圳示例科技有限公司</title></head><body>
<div class="header"><div class="title"><h1 class="big">深圳示例科技有限公司</h1></div></div>
<div class="c-left"><div class="l-content"><ul class="con-txt">
<li><label>联系人：</label>陈静（销售经理）</li>
<li><label>电话：</label>0755-2000 0005</li>
<li><label>传真：</label>0755-2000 0006</li>
<li><label>手机：</label>13700000005</li>
<li><label>邮箱：</label>chen@shili-tech.example</li>
<li><label>公司网站：</label><a href="http://www.shili-tech.example/">www.shili-tech.example</a>
</li>
<li><label>统一社会信用代码：</label>91440300MA5F000000</li>
</ul></div></div>
<div class="related-company"><ul class="estee"><li>其他公司 电话：0755-2999 9999</li></ul></div>
</body></html>"""


def test_contact_page_reads_every_labelled_row() -> None:
    url = "http://shili.b2b.huangye88.com/company_contact.html"
    result = _run(CONTACT_PAGE, url)
    lead = result.leads[0]
    assert lead.name == "深圳示例科技有限公司"
    assert [(p.name, p.title) for p in lead.people] == [("陈静", "销售经理")]
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("0755-2000 0005", "电话"),
        ("0755-2000 0006", "传真"),
        ("13700000005", "手机"),
    ]
    assert [e.raw for e in lead.emails] == ["chen@shili-tech.example"]
    assert lead.website == "http://www.shili-tech.example/"
    assert lead.registration_id == "91440300MA5F000000"
    assert ("website", "http://www.shili-tech.example/") in [(k.kind, k.url) for k in result.links]
    assert "contact" not in [k.kind for k in result.links]  # already the contact page


def test_a_shop_link_is_not_the_companys_website() -> None:
    html = CONTACT_PAGE.replace("http://www.shili-tech.example/", "http://shili.b2b.huangye88.com/")
    lead = _run(html, "http://shili.b2b.huangye88.com/company_contact.html").leads[0]
    assert lead.website == ""


def test_row_labels_glued_to_text_and_complaint_lines() -> None:
    html = """<html><body><h1 class="big">深圳示例电子有限公司</h1><ul>
    <li>深圳示例电子有限公司<span>公司电话：0755-2000 0008</span></li>
    <li>投诉电话：0755-2999 0000</li>
    <li><label>联系人</label>：<a href="#">赵敏</a></li></ul></body></html>"""
    lead = _run(html, "http://b2b.huangye88.com/qiye9000008/").leads[0]
    assert [(p.raw, p.label) for p in lead.phones] == [("0755-2000 0008", "公司电话")]
    assert [p.name for p in lead.people] == ["赵敏"]


MOBILE_PAGE = """<html><head><title>深圳示例五金有限公司-黄页88网</title></head><body>
<span class="banner-text"><a href="/qiye/9000009/">深圳示例五金有限公司</a></span>
<section class="contact"><ul><li><a>联系人：孙丽</a></li>
<li><a href="tel:13600000009">手机：13600000009</a></li>
<li><a>地址：深圳市宝安区示例路9号</a></li></ul></section></body></html>"""


def test_mobile_shop_page() -> None:
    lead = _run(MOBILE_PAGE, "http://m.huangye88.com/qiye/9000009/").leads[0]
    assert lead.name == "深圳示例五金有限公司"
    assert [p.name for p in lead.people] == ["孙丽"]
    assert _digits(lead) == ["13600000009"]
    assert lead.address_raw == "深圳市宝安区示例路9号"


# -- status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<title>安全验证</title><p>请完成安全验证后继续访问</p>",
        "<title>黄页88网</title><p>请输入验证码</p><img src='/captcha.php'>",
        "<title>提示</title><p>您的访问过于频繁，请稍后再试</p>",
    ],
)
def test_block_pages_are_blocked(body: str) -> None:
    result = _run(f"<html><head>{body}</body></html>", LIST_URL)
    assert result.status == "blocked" and result.reason
    assert not result.leads


def test_empty_list_is_no_results() -> None:
    html = (
        "<html><head><title>相机_企业名录-黄页88网</title></head><body>"
        "<div class='top'>客服热线：400-000-8888</div>"
        "<div class='mach_list2'><form id='jubao'></form><p>抱歉，没有找到相关企业</p></div>"
        "</body></html>"
    )
    result = _run(html, LIST_URL)
    assert result.status == "no_results"
    assert "no companies" in result.reason


_CHROME_MADE_UP = """<html><body><nav>n</nav><form id="f"><p>电话：1</p></form>
<div class="x related-list"><p>a</p></div><div class="related-box"><p>b</p></div>
<div class="related-box related-x"><p>c</p></div><div class="relatedx"><p>d</p></div>
<div class="Footer"><p>e</p></div><div class="site-footer"><p>f</p></div>
<ul class="r-latest"><li>g</li></ul><div id="my-floatTools"><p>h</p></div>
<div class="breadcrumb"><p>i</p></div><script>s</script><style>t</style></body></html>"""


@pytest.mark.parametrize("html", [_CHROME_MADE_UP, None])
def test_not_company_elements_are_the_chrome_query(html: str | None) -> None:
    page = Page(url=SHOP_URL, text=html) if html else real_page(SHOP, SHOP_URL)
    selector = page.selector
    expected = {n.root for n in selector.xpath(_NOT_COMPANY_XPATH)}
    assert expected
    assert _not_company(selector) == expected


def _nested(depth: int, leaves: list[str], tags: list[str]) -> st.SearchStrategy[str]:
    """Markup nested ``depth`` deep: a leaf, or one of ``tags`` around up to three of these."""
    leaf = st.sampled_from(leaves)
    if depth == 0:
        return leaf
    element = st.tuples(
        st.sampled_from(tags), st.lists(_nested(depth - 1, leaves, tags), max_size=3)
    ).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>")
    return st.one_of(leaf, element)


def _blocks(depth: int) -> st.SearchStrategy[str]:
    leaves = ["", "电话：1", "<!-- c -->", "<br>", "<span>x</span>", "<b>y</b>"]
    tags = ["li", "dd", "dt", "p", "tr", "td", "div", "dl", "ul", "span", "table"]
    return _nested(depth, leaves, tags)


@given(st.lists(_blocks(4), max_size=4))
@settings(max_examples=300)
def test_row_elements_are_the_row_query(parts: list[str]) -> None:
    """The rows found by marking the block elements' ancestors are the query's."""
    html = f"<html><body>{''.join(parts)}</body></html>"
    page = Page(url="https://www.huangye88.com/", text=html)
    for scope in page.selector.xpath("//body | //body/*"):
        assert _row_elements(scope) == [node.root for node in scope.xpath(_ROW_XPATH)]


_CLASS_PIECES = st.sampled_from(
    [
        *(" ", "related-", "related-box", "relate", "x", "estee", "r-latest", "footer"),
        *("Footer", "sou", "bread", "meun", "consultation", "\t", "-", "box"),
    ]
)


@given(st.lists(_CLASS_PIECES, max_size=5).map("".join))
def test_not_company_class_is_the_class_query(value: str) -> None:
    """Each class value is tested as the query's class branch tested it."""
    root = etree.fromstring(f'<html><body><div class="{value}"/></body></html>')
    selected = [v for v in _NOT_COMPANY_VALUES(root) if v.attrname == "class"]
    assert _not_company_class(value) == bool(selected)


def _colon_blocks(depth: int) -> st.SearchStrategy[str]:
    leaves = ["", "电话：1", "a:b", "x", "<!-- c: -->", "<?pi : ?>", "<br>", "&#58;", "<b>y</b>"]
    leaves.append("：")
    tags = ["li", "div", "p", "span", "script", "tr", "td", "table", "b"]
    return _nested(depth, leaves, tags)


@given(st.lists(_colon_blocks(4), max_size=4))
@settings(max_examples=300)
def test_colon_holders_are_the_elements_whose_text_has_a_colon(parts: list[str]) -> None:
    """An element is a colon holder exactly when its joined text holds a colon."""
    html = f"<html><body>{''.join(parts)}</body></html>"
    page = Page(url="https://www.huangye88.com/", text=html)
    for scope in page.selector.xpath("//body | //body/*"):
        holders = _colon_holders(scope)
        assert holders is not None
        for el in scope.root.iter(etree.Element):
            has_colon = _COLON_RE.search("".join(el.itertext())) is not None
            assert (el in holders) == has_colon


def test_colon_holders_of_the_real_shop_page() -> None:
    page = real_page(SHOP, SHOP_URL)
    body = page.selector.xpath("//body")[0]
    holders = _colon_holders(body)
    assert holders
    for el in body.root.iter(etree.Element):
        assert (el in holders) == bool(_COLON_RE.search("".join(el.itertext())))
