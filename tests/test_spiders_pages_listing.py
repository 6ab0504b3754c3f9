"""The generic extractor on listing pages: one lead per card, never the site's operator.

The synthetic pages are written here about fictional businesses (.example domains, 555 and
reserved-looking numbers). The real pages are directories and B2B lists that other helpers
are writing page objects for, so they are run through ``GenericPage`` directly, not through
``extract_page``; expected values were read from the saved HTML in ../shared/fixtures.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest.items import Lead
from spiders.pages import listing
from spiders.pages.base import Page, PageExtraction
from spiders.pages.generic import GenericPage
from spiders.pages.listing import name_like, next_links, title_like
from tests.realpages import real_page


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def parse(html: str, url: str) -> PageExtraction:
    return GenericPage().parse(Page(url=url, text=html))


def phone_digits(lead: Lead) -> set[str]:
    found = {digits(p.raw) for p in lead.phones}
    return found | {digits(p.raw) for person in lead.people for p in person.phones}


def all_contacts(result: PageExtraction) -> set[str]:
    out: set[str] = set()
    for lead in result.leads:
        out |= phone_digits(lead)
        out |= {e.raw.lower() for e in lead.emails}
        out |= {e.raw.lower() for person in lead.people for e in person.emails}
    return out


# --------------------------------------------------------------------------------------
# synthetic listings

EN_DIRECTORY = """<html><head><title>Plumbers in Springfield - FindLocal Directory</title>
<meta property="og:site_name" content="FindLocal Directory"></head><body>
<header class="site-header"><a class="logo" href="/"><img src="/logo.png" alt="FindLocal"></a>
 <div class="user-menu">Signed in as Pat Visitor · 0400 111 222</div>
 <nav><a href="/">Home</a><a href="/categories">Categories</a><a href="/about">About</a></nav>
</header>
<main><h1>Plumbers in Springfield</h1>
<ul class="results">
 <li class="listing featured"><h2><a href="/biz/acme-plumbing-1">Acme Plumbing Services</a></h2>
  <p class="address">12 Example Street, Springfield NSW 2999</p>
  <p class="phone">Phone: (02) 5550 1234</p>
  <a class="btn website" href="/out?url=https%3A%2F%2Facme-plumbing.example%2F">Website</a>
  <a href="mailto:jobs@acme-plumbing.example">Email</a></li>
 <li class="listing"><h2><a href="/biz/bluewater-2">Bluewater Drains Pty Ltd</a></h2>
  <p class="address">4/88 Harbour Road, Springfield NSW 2999</p>
  <p class="phone">Phone: (02) 5550 2345</p>
  <a class="btn website" href="https://bluewater-drains.example/">Website</a></li>
 <li class="listing"><h2><a href="/biz/copperline-3">Copperline Gas &amp; Water</a></h2>
  <p class="address">7 Sample Lane, Springfield NSW 2999</p>
  <p class="phone">Mobile: 0491 570 156</p></li>
 <li class="listing"><h2><a href="/biz/drip-4">Drip Doctors</a></h2>
  <p class="phone">Phone: (02) 5550 4567</p>
  <p>Blocked drains, hot water, leak detection.</p></li>
</ul>
<div class="pager"><a href="/plumbers/springfield?page=1">1</a>
 <a rel="next" href="/plumbers/springfield?page=2">Next</a></div>
</main>
<aside class="sidebar"><h3>Advertise with us</h3><p>Call 1300 555 000</p></aside>
<footer class="site-footer"><p>FindLocal hotline 1800 555 010 · help@findlocal.example</p>
 <p>&copy; 2024 FindLocal Directory Pty Ltd. All rights reserved.</p></footer>
</body></html>"""


def test_english_directory_gives_one_lead_per_card() -> None:
    result = parse(EN_DIRECTORY, "https://www.findlocal.example/plumbers/springfield")
    assert result.status == "ok"
    names = [lead.name for lead in result.leads]
    assert names == [
        "Acme Plumbing Services",
        "Bluewater Drains Pty Ltd",
        "Copperline Gas & Water",
        "Drip Doctors",
    ]
    acme, bluewater, copperline, drip = result.leads
    assert phone_digits(acme) == {"0255501234"}
    assert [e.raw for e in acme.emails] == ["jobs@acme-plumbing.example"]
    assert acme.address_raw.startswith("12 Example Street")
    assert acme.website == "https://acme-plumbing.example/"
    assert bluewater.website == "https://bluewater-drains.example/"
    assert phone_digits(copperline) == {"0491570156"}
    assert drip.address_raw == ""
    # the directory's hotline and e-mail, the sidebar's ad line, the visitor's own number
    contacts = all_contacts(result)
    for chrome in ("1800555010", "1300555000", "0400111222", "help@findlocal.example"):
        assert chrome not in contacts


def test_english_directory_links() -> None:
    result = parse(EN_DIRECTORY, "https://www.findlocal.example/plumbers/springfield")
    details = [(link.url, link.lead_name) for link in result.links if link.kind == "detail"]
    assert details[0] == (
        "https://www.findlocal.example/biz/acme-plumbing-1",
        "Acme Plumbing Services",
    )
    assert len(details) == 4
    websites = {link.lead_name: link.url for link in result.links if link.kind == "website"}
    assert websites == {
        "Acme Plumbing Services": "https://acme-plumbing.example/",
        "Bluewater Drains Pty Ltd": "https://bluewater-drains.example/",
    }
    nexts = [link.url for link in result.links if link.kind == "next"]
    assert nexts == ["https://www.findlocal.example/plumbers/springfield?page=2"]


CN_MINGLU = """<html><head><meta charset="utf-8">
<title>五金企业名录_第1页_好找网</title></head><body>
<div id="top"><div class="login-bar">欢迎您，会员 138****0001 <a href="/logout">退出</a></div></div>
<div class="wrap"><div class="list-box">
 <dl class="com-item"><dt><a href="/qiye/1001.html">温州市示例五金制品有限公司</a></dt>
  <dd>主营产品：合页 插销 门窗配件</dd><dd>联系电话：0577-5550 1001</dd>
  <dd>地址：浙江省温州市龙湾区示例路18号</dd></dl>
 <dl class="com-item"><dt><a href="/qiye/1002.html">佛山市样本金属科技有限公司</a></dt>
  <dd>主营产品：不锈钢拉手 铝合金型材</dd><dd>联系电话：13800005555</dd>
  <dd>地址：广东省佛山市南海区样本工业园3号</dd></dl>
 <dl class="com-item"><dt><a href="/qiye/1003.html">宁波虚构工具厂</a></dt>
  <dd>主营产品：扳手 螺丝刀</dd><dd>联系电话：0574-5550 3003 手机：139****7777</dd>
  <dd>地址：浙江省宁波市鄞州区虚构大道9号</dd></dl>
 <dl class="com-item"><dt><a href="/qiye/0001.html">北京好找网络科技有限公司</a></dt>
  <dd>主营产品：企业名录 黄页推广</dd><dd>联系电话：400-555-0000</dd>
  <dd>地址：北京市海淀区演示路1号</dd></dl>
</div>
<div class="pages"><span class="cur">1</span><a href="/minglu/wujin/p2.html">2</a>
 <a href="/minglu/wujin/p3.html">3</a><a href="/minglu/wujin/p2.html">下一页</a></div></div>
<div class="bottom"><p>客服热线：400-555-0000 邮箱：kf@haozhao.example</p>
 <p>版权所有 北京好找网络科技有限公司 京ICP备12345678号-1</p></div>
</body></html>"""


def test_chinese_minglu_list() -> None:
    result = parse(CN_MINGLU, "https://www.haozhao.example/minglu/wujin/")
    names = [lead.name for lead in result.leads]
    # the operator's own card ("北京好找网络科技有限公司", the copyright owner) is not a lead
    assert names == ["温州市示例五金制品有限公司", "佛山市样本金属科技有限公司", "宁波虚构工具厂"]
    wenzhou, foshan, ningbo = result.leads
    assert phone_digits(wenzhou) == {"057755501001"}
    assert wenzhou.products == "合页 插销 门窗配件"
    assert wenzhou.address_raw == "浙江省温州市龙湾区示例路18号"
    assert phone_digits(foshan) == {"13800005555"}
    assert "057455503003" in phone_digits(ningbo)
    assert ningbo.masked  # 139****7777 is kept as masked, never as a usable number
    assert all(not p.masked for p in wenzhou.phones)
    contacts = all_contacts(result)
    assert "4005550000" not in contacts
    assert "kf@haozhao.example" not in contacts
    assert not any("12345678" in c for c in contacts)  # the ICP number
    assert [link.url for link in result.links if link.kind == "next"] == [
        "https://www.haozhao.example/minglu/wujin/p2.html"
    ]
    assert ("https://www.haozhao.example/qiye/1001.html", "detail") in {
        (link.url, link.kind) for link in result.links
    }


JSONLD_LIST = """<html><head><title>Cafés near Harbour Town | EatGuide</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",
 "name": "EatGuide", "url": "https://eatguide.example/", "telephone": "+61 2 5550 9999"}</script>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ItemList",
 "itemListElement": [
  {"@type": "ListItem", "position": 1, "item": {"@type": "CafeOrCoffeeShop",
   "name": "Harbour Bean Co", "telephone": "+61 2 5550 1111", "url": "https://harbourbean.example/",
   "address": {"@type": "PostalAddress", "streetAddress": "1 Wharf Rd",
     "addressLocality": "Harbour Town", "postalCode": "2999"}}},
  {"@type": "ListItem", "position": 2, "item": {"@type": "Restaurant",
   "name": "The Salty Spoon", "telephone": "+61 2 5550 2222",
   "url": "https://eatguide.example/place/salty-spoon"}},
  {"@type": "ListItem", "position": 3, "item": {"@type": "LocalBusiness",
   "name": "Dockside Bakery", "email": "hello@docksidebakery.example"}}
 ]}</script></head>
<body><h1>Cafés near Harbour Town</h1><p>Three places we like.</p>
<footer>EatGuide · Call +61 2 5550 9999 · © 2024 EatGuide</footer></body></html>"""


def test_several_jsonld_businesses_are_a_listing() -> None:
    result = parse(JSONLD_LIST, "https://eatguide.example/harbour-town/cafes")
    names = [lead.name for lead in result.leads]
    assert names == ["Harbour Bean Co", "The Salty Spoon", "Dockside Bakery"]
    bean, spoon, bakery = result.leads
    assert phone_digits(bean) == {"61255501111"}
    assert bean.website == "https://harbourbean.example/"
    assert "1 Wharf Rd" in bean.address_raw
    assert spoon.website == ""  # its url is its page on the guide, a detail link
    assert ("https://eatguide.example/place/salty-spoon", "detail") in {
        (link.url, link.kind) for link in result.links
    }
    assert [e.raw for e in bakery.emails] == ["hello@docksidebakery.example"]
    assert "61255509999" not in all_contacts(result)


SUPPLIERS = """<html><head><title>Stainless fasteners suppliers - TradeHub</title></head><body>
<div id="hd"><div class="topbar">TradeHub Sourcing · Buyer hotline +86 21 5555 0000</div></div>
<div class="main-col">
 <div class="supplier-card"><div class="company-name">
 <a href="/co/ssf-01/">Shanghai Demo Fastener Co., Ltd.</a></div>
  <div class="offer"><a href="/offer/1.html">M6 hex bolt A2-70</a></div>
  <p>Main products: hex bolts, nuts, washers</p><p>Location: Shanghai, China</p></div>
 <div class="supplier-card"><div class="company-name">
 <a href="/co/nbx-02/">Ningbo Example Hardware Co., Ltd.</a></div>
  <div class="offer"><a href="/offer/2.html">Self-tapping screw</a></div>
  <p>Main products: screws, rivets</p><p>Tel: +86 574 5555 2020</p></div>
 <div class="supplier-card"><div class="company-name">
 <a href="/co/hzs-03/">Hangzhou Sample Metal Products Co., Ltd.</a></div>
  <div class="offer"><a href="/offer/3.html">Threaded rod DIN 975</a></div>
  <p>Main products: threaded rods, anchors</p></div>
</div>
<ul class="paging"><li><a href="?page=1">1</a></li><li class="active"><span>2</span></li>
 <li><a href="?page=3">3</a></li><li><a href="?page=4">4</a></li></ul>
<div id="ft">Copyright © 2024 TradeHub Ltd. 沪ICP备00000000号</div>
</body></html>"""


def test_supplier_list_names_the_supplier_not_the_offer() -> None:
    result = parse(SUPPLIERS, "https://www.tradehub.example/suppliers/fasteners?page=2")
    names = [lead.name for lead in result.leads]
    assert names == [
        "Shanghai Demo Fastener Co., Ltd.",
        "Ningbo Example Hardware Co., Ltd.",
        "Hangzhou Sample Metal Products Co., Ltd.",
    ]
    assert result.leads[0].products == "hex bolts, nuts, washers"
    assert phone_digits(result.leads[1]) == {"8657455552020"}
    assert "862155550000" not in all_contacts(result)
    # page 2 of a numbered run: the next page is 3
    assert [link.url for link in result.links if link.kind == "next"] == [
        "https://www.tradehub.example/suppliers/fasteners?page=3"
    ]


def test_next_link_by_arrow_and_by_title() -> None:
    html = '<div class="pg"><a href="/l?p=1">‹</a><a href="/l?p=3" title="下一页">›</a></div>'
    links = next_links(Page(url="https://d.example/l?p=2", text=html))
    assert [link.url for link in links] == ["https://d.example/l?p=3"]
    html = '<a href="/l?p=2" aria-label="Next page"><svg></svg></a>'
    links = next_links(Page(url="https://d.example/l?p=1", text=html))
    assert [link.url for link in links] == ["https://d.example/l?p=2"]
    assert next_links(Page(url="https://d.example/", text="<p>no pages</p>")) == []


# --------------------------------------------------------------------------------------
# pages that are not listings

TEAM_PAGE = """<html><head><title>Our team - Kiwi Lens Supplies</title></head><body>
<div class="team">
 <div class="member"><h3>Jane Harlow</h3><p>Sales Manager</p><p>jane@kiwilens.example</p></div>
 <div class="member"><h3>Tom Reyes</h3><p>Purchasing Officer</p><p>tom@kiwilens.example</p></div>
 <div class="member"><h3>Amy Liu</h3><p>Accounts Manager</p><p>amy@kiwilens.example</p></div>
</div>
<footer><p>Kiwi Lens Supplies Ltd · 21 Example Quay, Wellington · Phone 04 555 0101</p>
<p>© 2024 Kiwi Lens Supplies Ltd</p></footer></body></html>"""


def test_a_team_page_is_one_company_with_people() -> None:
    result = parse(TEAM_PAGE, "https://www.kiwilens.example/team")
    assert len(result.leads) == 1
    lead = result.leads[0]
    assert lead.name == "Kiwi Lens Supplies Ltd"
    assert {p.name for p in lead.people} == {"Jane Harlow", "Tom Reyes", "Amy Liu"}
    # the company's own site: its footer's phone is its own
    assert "045550101" in phone_digits(lead)


NEWS_AND_FOOTER = """<html><head><title>Brightwater Pumps</title></head><body>
<div class="news"><h2>Latest news</h2>
 <div class="post"><h3><a href="/news/1">New pump range launched</a></h3>
 <p>Our new range of pumps is here for spring.</p></div>
 <div class="post"><h3><a href="/news/2">Trade show in May</a></h3>
 <p>Visit our stand at the national trade show.</p></div>
 <div class="post"><h3><a href="/news/3">Holiday opening hours</a></h3>
 <p>We close for two days over the holidays.</p></div>
</div>
<div class="footer"><p>Brightwater Pumps Ltd</p><p>Tel: 01632 960 123</p>
<p>sales@brightwaterpumps.example</p></div></body></html>"""


def test_a_company_home_page_with_news_keeps_its_footer_contacts() -> None:
    result = parse(NEWS_AND_FOOTER, "https://brightwaterpumps.example/")
    assert len(result.leads) == 1
    lead = result.leads[0]
    assert lead.name == "Brightwater Pumps Ltd"
    assert phone_digits(lead) == {"01632960123"}
    assert [e.raw for e in lead.emails] == ["sales@brightwaterpumps.example"]


DIRECTORY_DETAIL = """<html><head><title>Harbour Optics Ltd - Opticians - FindLocal</title>
 </head><body>
<div class="header"><a class="logo" href="/"><img alt="FindLocal" src="/l.png"></a>
 <div class="account">Hello Pat · 0400 111 222</div></div>
<div id="content"><h1>Harbour Optics Ltd</h1>
 <p>Phone: (02) 5550 7788</p><p>Website: www.harbouroptics.example</p>
 <p>Address: 3 Example Parade, Springfield NSW 2999</p></div>
<div class="footer"><p>FindLocal hotline 1800 555 010 · help@findlocal.example</p>
<p>© 2024 FindLocal Directory Pty Ltd</p></div></body></html>"""


def test_a_directory_page_about_one_company_leaves_the_footer_out() -> None:
    result = parse(DIRECTORY_DETAIL, "https://www.findlocal.example/biz/harbour-optics")
    assert len(result.leads) == 1
    lead = result.leads[0]
    assert lead.name == "Harbour Optics Ltd"
    assert phone_digits(lead) == {"0255507788"}
    assert lead.emails == []
    assert lead.website == "http://www.harbouroptics.example"  # labelled, not the directory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme Plumbing", True),
        ("温州市示例五金制品有限公司", True),
        ("More details", False),
        ("查看详情", False),
        ("vimeo.com", False),
        ("(02) 5550 1234", False),
        ("x", False),
    ],
)
def test_name_like(value: str, expected: bool) -> None:
    assert name_like(value) is expected


def test_title_like() -> None:
    assert title_like("Python 基础教程 | 菜鸟教程")
    assert title_like("THE 10 BEST Hotels in New York City 2023 (from $107) - TripAdvisor")
    assert not title_like("Bluewater Drains Pty Ltd")


# --------------------------------------------------------------------------------------
# real directory and B2B pages with no page object of their own (read in place)


@pytest.mark.realpages
def test_qichacha_search_results() -> None:
    page = real_page(
        "directories/qichacha/search_results_wangluo_yingxiao_20_companies_2019__muyun001-qichacha.html",
        "https://www.qichacha.com/search?key=%E7%BD%91%E7%BB%9C%E8%90%A5%E9%94%80",
    )
    result = GenericPage().parse(page)
    names = [lead.name for lead in result.leads]
    assert len(names) == 20
    assert names[0] == "济南天睿奥营销策划有限公司"
    assert names[-1] == "济南恩年信息咨询有限公司"
    assert "苏州朗动网络科技有限公司" not in names  # the operator (copyright owner)
    first = result.leads[0]
    assert phone_digits(first) == {"18615521797"}
    assert [e.raw for e in first.emails] == ["1392987787@qq.com"]
    assert first.address_raw == "山东省济南市历城区花园路200号群康佳园二单元1505-1室"
    second = result.leads[1]
    assert phone_digits(second) == {"053285853226"}
    contacts = all_contacts(result)
    # the site's hotline and e-mail, the logged-in user's business card (phone, e-mail)
    for chrome in ("4009282212", "kf@qichacha.com", "13872119231", "leijun@xiaomi.com"):
        assert chrome not in contacts
    details = [link for link in result.links if link.kind == "detail"]
    assert len(details) == 20
    assert details[0].url == "https://www.qichacha.com/firm_ffd90917538f515f77612bfa1971dfb4.html"


@pytest.mark.realpages
def test_tianyancha_company_page_logged_in() -> None:
    page = real_page(
        "directories/tianyancha/company_page_dalian_aoge_logged_in_multi_phones_2018__crawler_for_TianYanCha.html",
        "https://www.tianyancha.com/company/8806473",
    )
    result = GenericPage().parse(page)
    names = [lead.name for lead in result.leads]
    assert "北京天眼查科技有限公司" not in names
    assert names == ["大连奥格窗业有限公司"]
    lead = result.leads[0]
    assert "13842606666" in phone_digits(lead)
    assert [e.raw for e in lead.emails] == ["1121911151@qq.com"]
    contacts = all_contacts(result)
    assert not any(c.endswith("5166") for c in contacts)  # the visitor's own 153 **** 5166
    assert "4008716266" not in contacts  # the site's hotline
    assert not {c for c in contacts if "tianyancha" in c}
    assert lead.website == ""  # 网址：暂无信息 — never the directory's home page


@pytest.mark.realpages
def test_hc360_company_search_list() -> None:
    page = real_page(
        "b2b/hc360/company_search_list_wujin_hardware_2017_utf8-bytes_gb2312-meta__huicong-spider.html",
        "https://s.hc360.com/?w=%CE%E5%BD%F0&mc=enterprise",
    )
    result = GenericPage().parse(page)
    names = [lead.name for lead in result.leads]
    assert len(names) == 20
    assert "慧聪网" not in names
    assert names[0] == "乐清市长丰测温器件有限公司"
    assert names[-1] == "佛山市川联大五金电器科技有限公司"
    first = result.leads[0]
    assert first.address_raw == "浙江省乐清市芙蓉镇茶塘村"
    assert first.products.startswith("快速热电偶配件 钢水取样器配件等")
    contacts = all_contacts(result)
    assert not {"4006360888", "01061723333", "b2b@hc360.com"} & contacts
    details = {link.lead_name: link.url for link in result.links if link.kind == "detail"}
    assert details["乐清市长丰测温器件有限公司"] == "http://cfqj.b2b.hc360.com/"
    assert [link.url for link in result.links if link.kind == "next"] == [
        "https://s.hc360.com/?w=%CE%E5%BD%F0&mc=enterprise&ee=2"
    ]


@pytest.mark.realpages
def test_google_results_page_is_not_a_lead_named_google() -> None:
    page = real_page(
        "search_engines/google/hotels_nyc_nojs__serp-parser.html",
        "https://www.google.com/search?q=hotels+nyc",
    )
    result = GenericPage().parse(page)
    names = [lead.name for lead in result.leads]
    assert "Google Search" not in names
    assert not any("google" in name.lower() for name in names)
    # what is left are the three hotels of the "Places" box, each with its street address
    # as printed; the organic results (other sites' pages) are no leads
    assert names == [
        "The Manhattan at Times Square Hotel",
        "Courtyard by Marriott New York Manhattan/SoHo",
        "Hilton Garden Inn New York Times Square South",
    ]
    assert [lead.address_raw for lead in result.leads] == [
        "790 7th Ave",
        "181 Varick St",
        "326 W 37th St",
    ]
    assert all(link.kind != "website" for link in result.links)


@pytest.mark.realpages
@pytest.mark.parametrize(
    ("relative", "url"),
    [
        (
            "search_engines/bing/car_tires__se-scraper.html",
            "https://www.bing.com/search?q=car+tires",
        ),
        ("search_engines/baidu/web_normal__BaiduSpider.html", "https://www.baidu.com/s?wd=python"),
        (
            "search_engines/yandex/cloud_service__se-scraper.html",
            "https://yandex.ru/search/?text=cloud",
        ),
    ],
)
def test_search_engine_pages_give_no_lead(relative: str, url: str) -> None:
    """Results are other sites' pages: neither they nor the engine itself are leads."""
    result = GenericPage().parse(real_page(relative, url))
    assert result.status == "ok"
    assert result.leads == [], json.dumps([lead.name for lead in result.leads])


# --- the page's name marks, read from the marker values -------------------------------------

MARKED_CARDS = """<html><body><ul class="list">
<li class="card odd"><h3 class="Company-Name">Acme Ltd</h3><span class="tel">555 0100</span></li>
<li class="card"><span itemprop="legalName">Beta Co</span><em class="name x">a</em></li>
<li class="card" data-click="supplier"><span class="title">Gamma</span></li>
<li class="card"><span class="subtitle">not a name</span><p class="tit-1">Delta</p></li>
</ul><div class="headline"><b itemprop="name">Epsilon</b></div></body></html>"""


def _marked_by_walking(root: Any) -> tuple[dict[Any, list[Any]], dict[Any, list[Any]]]:
    """Every element's seller- and name-marked descendants, each element asked in turn."""
    seller: dict[Any, list[Any]] = {}
    named: dict[Any, list[Any]] = {}
    for el in root.iter():
        if isinstance(el.tag, str):
            if found := listing._seller_descendants(el):
                seller[el] = found
            if found := listing._named_descendants(el):
                named[el] = found
    return seller, named


@pytest.mark.parametrize(
    "page",
    [
        Page(url="https://list.example/", text=MARKED_CARDS),
        *(
            pytest.param(relative, id=relative.split("/")[1])
            for relative in (
                "company_sites/anil-industries_com/contact_org_microdata_site_source_2026__anil-industries.com.html",
                "b2b/made_in_china/company_showroom_bidisco__madeinchinascraper.html",
            )
        ),
    ],
)
def test_name_marks_are_every_elements_marked_descendants(page: Page | str) -> None:
    if isinstance(page, str):
        page = real_page(page, "https://www.example.com/")
    marks = listing.NameMarks(page.selector.root)
    assert (marks.seller, marks.named) == _marked_by_walking(page.selector.root)
    assert marks.named  # the pages mark some names
    tags = ("h1", "h2", "h3", "h4", "h5", "h6", "a", "strong", "b")
    holders = {el for el in page.selector.root.iter() if next(el.iter(*tags), None) is not None}
    assert marks.tagged == holders


def _marker_hint_by_patterns(value: str) -> bool:
    """The definition :func:`listing._marker_hint` answers faster."""
    return bool(
        listing._SELLER_CLASS_RE.search(value)
        or listing._NAME_CLASS_RE.search(value)
        or value in ("name", "legalName")
    )


def test_case_fold_reads_letters_as_ignorecase_does() -> None:
    """Every character ``re.IGNORECASE`` takes for a lower-case ASCII letter (or another
    character of the hint words) folds to that letter, and folding keeps the length."""
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert len(listing._case_fold(chars)) == len(chars)
    for letter in "abcdefghijklmnopqrstuvwxyz_1":
        for char in re.findall(re.escape(letter), chars, re.IGNORECASE):
            assert listing._case_fold(char) == letter, (letter, char)


def test_every_marker_match_holds_a_hint_word() -> None:
    """Each alternative of the two marker patterns, in every case, holds a hint word."""
    for pattern in (listing._SELLER_CLASS_RE, listing._NAME_CLASS_RE):
        body = pattern.pattern.removeprefix(r"(?:^|[-_\s])(?:").removesuffix(r")(?:$|[-_\s\d])")
        for alternative in body.split("|"):
            for word in {alternative.replace("-?", ""), alternative.replace("-?", "-")}:
                assert pattern.search(word) and pattern.search(word.upper())
                assert listing._HINT_WORDS_RE.search(listing._case_fold(word.upper())), word


_HINT_PIECES = [
    "name", "NaMe", "legalName", "title", "TİTLE", "tıt", "til", "company", "firm", "BIZ",
    "business", "ma_h1", "heading", "headline", "supplier", "ſeller", "vendor", "merchant",
    "shop-name", "store", "corp", "listing", "\u212aey", "-", "_", " ", "\t", "1", "x",
    "list", "card", "item", "Nam", "compan", "head-", "title2",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_HINT_PIECES), max_size=6), st.text(max_size=6))
def test_marker_hint_is_the_two_patterns(pieces: list[str], noise: str) -> None:
    for value in ("".join(pieces), " ".join(pieces), "".join(pieces) + noise, noise):
        listing._marker_hint.cache_clear()
        assert listing._marker_hint(value) == _marker_hint_by_patterns(value), value


_HOST_PIECES = ["google", "com", "maps", "x", "t", "cn", "51", "la", "qq", "map", "bit", "ly"]
_HOST_PIECES += ["facebook", "wpa", "", "www", "apple", "Google", "yandex", "net", "ru"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_HOST_PIECES), max_size=5), st.sampled_from(["", ".", ".."]))
def test_under_hosts_is_the_suffix_test(pieces: list[str], end: str) -> None:
    host = ".".join(pieces) + end
    for hosts in (listing._NOT_OUTSIDE, listing._SOCIAL):
        expected = any(host == h or host.endswith("." + h) for h in hosts)
        assert listing._under_hosts(host, hosts) == expected, host


_RELS = ["next", "Next", " next ", "prev next", "next\tpage", "next\xa0page", "nofollow  next"]
_RELS += ["nextpage", "", "\nnext\n", "next\u2003x", "x\rnext"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["link", "a", "area", "LINK"]),
            st.one_of(st.none(), st.sampled_from(_RELS)),
            st.one_of(st.none(), st.sampled_from(["/p2", "", "#x"])),
        ),
        max_size=6,
    )
)
def test_rel_next_hrefs_are_the_query(links: list[tuple[str, str | None, str | None]]) -> None:
    html = "".join(
        f"<{tag}"
        + (f' rel="{rel}"' if rel is not None else "")
        + (f' href="{href}"' if href is not None else "")
        + f">x</{tag}>"
        for tag, rel, href in links
    )
    page = Page(url="https://list.example/", text=f"<html><head></head><body>{html}</body></html>")
    expected = page.selector.xpath(listing._REL_NEXT_XPATH).getall()
    assert listing._rel_next_hrefs(page) == expected


@pytest.mark.parametrize(
    "page",
    [
        Page(url="https://list.example/", text=MARKED_CARDS),
        *(
            pytest.param(relative, id=relative.split("/")[1])
            for relative in (
                "company_sites/anil-industries_com/contact_org_microdata_site_source_2026__anil-industries.com.html",
                "b2b/made_in_china/company_showroom_bidisco__madeinchinascraper.html",
                "directories/yelp/biz_amnesia_sf_2013__scrapy-drupal-org.html",
            )
        ),
    ],
)
def test_hinted_elements_by_walk_are_the_query(page: Page | str) -> None:
    if isinstance(page, str):
        page = real_page(page, "https://www.example.com/")
    root = page.selector.root
    assert listing._hinted_by_walk(root) == listing._hinted_elements(root)
    assert listing._hinted_elements(root)
