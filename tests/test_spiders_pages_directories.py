"""Directory and B2B page objects: yellowpages.com.au, IndiaMART, 1688.

Expected values on the real pages were read from the saved HTML (grep), not from the
parsers' output. The synthetic pages below describe fictional businesses (phone numbers
from ACMA's fictitious 0491 570 xxx / (07) 5550 xxxx ranges, example.* domains).
"""

from __future__ import annotations

import json
import re

import pytest

from leadharvest.items import Lead
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

YP_SRP = "directories/yellowpages_com_au/srp_plumber_cairns__client-crawler.html"
YP_URL = "https://www.yellowpages.com.au/search/listings?clue=plumber&locationClue=Cairns"
IM_CARDS = "b2b/indiamart/impcat_listing_cards_fragment_baby_carrier__indiamart_scrapper.html"
IM_URL = "https://dir.indiamart.com/impcat/baby-carrier.html"
ALI_SRP = "b2b/alibaba_1688/offer_search_phone_cables_cn_2024__spider-first.html"
ALI_URL = "https://s.1688.com/selloffer/offer_search.htm?keywords=%CA%D6%BB%FA%CA%FD%BE%DD%CF%DF"

pytestmark = pytest.mark.realpages


def _by_name(result: PageExtraction, name: str) -> Lead:
    matches = [lead for lead in result.leads if lead.name == name]
    assert len(matches) == 1, f"{name!r}: {len(matches)} leads"
    return matches[0]


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _links(result: PageExtraction, kind: str, name: str = "") -> list[str]:
    return [k.url for k in result.links if k.kind == kind and (not name or k.lead_name == name)]


# -- source catalogue ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name", "method"),
    [
        (YP_URL, "yellowpages_com_au", "yellow_pages"),
        (
            "https://yellowpages.com.au/qld/cairns/x-1-listing.html",
            "yellowpages_com_au",
            "yellow_pages",
        ),
        ("https://dir.indiamart.com/search.mp?ss=baby+carrier", "indiamart", "industry_site"),
        ("https://www.indiamart.com/oscar-overseas/", "indiamart", "industry_site"),
        (ALI_URL, "alibaba_1688", "industry_site"),
        ("https://p4psearch.1688.com/page.html?keywords=x", "alibaba_1688", "industry_site"),
    ],
)
def test_url_host_picks_the_source(url: str, name: str, method: str) -> None:
    source = source_for_url(url)
    assert (source.name, source.method) == (name, method)


def test_search_urls_follow_the_catalogue() -> None:
    assert source_for_url("", "yellowpages_com_au").search_urls("plumber") == [
        "https://www.yellowpages.com.au/search/listings?clue=plumber&locationClue=All+States"
    ]
    assert source_for_url("", "indiamart").search_urls("baby carrier") == [
        "https://dir.indiamart.com/search.mp?ss=baby+carrier"
    ]
    ali = source_for_url("", "alibaba_1688")
    assert (ali.language, ali.region) == ("zh", "CN")
    assert ali.search_urls("数据线")[0].startswith("https://s.1688.com/selloffer/offer_search.htm?")


# -- yellowpages.com.au: real search results ----------------------------------------------------


@pytest.fixture(scope="module")
def yp() -> PageExtraction:
    return extract_page(real_page(YP_SRP, YP_URL))


def test_yp_reads_every_listing_from_the_page_state(yp: PageExtraction) -> None:
    # 35 results in model.inAreaResultViews + 4 sponsored in targetMediaListViews.
    assert (yp.status, yp.source, yp.method) == ("ok", "yellowpages_com_au", "yellow_pages")
    assert len(yp.leads) == 39
    assert sum(1 for lead in yp.leads if lead.phones) == 39
    assert sum(1 for lead in yp.leads if lead.emails) == 39
    assert sum(1 for lead in yp.leads if lead.website) == 21
    assert all(lead.country == "AU" for lead in yp.leads)
    assert len(_links(yp, "detail")) == 39


def test_yp_paid_listing_with_state_only_email(yp: PageExtraction) -> None:
    lead = _by_name(yp, "Alexander Plumbing & Draining")
    assert [(p.raw, p.label) for p in lead.phones] == [("0418 184 428", "mobile")]
    assert [e.raw for e in lead.emails] == ["mrsa50@hotmail.com"]
    assert lead.website == "http://www.alexanderplumbing.com.au"
    assert lead.address_raw == "Cairns QLD 4870"
    assert "Plumbers & Gas Fitters" in lead.products
    assert lead.registration_id == "QBSA Lic No. 056251"
    assert _links(yp, "detail", lead.name) == [
        "https://www.yellowpages.com.au/qld/cairns/alexander-plumbing-draining-11973665-listing.html"
    ]
    assert _links(yp, "website", lead.name) == ["http://www.alexanderplumbing.com.au"]


def test_yp_landline_and_street_address(yp: PageExtraction) -> None:
    lead = _by_name(yp, "Mackie Plumbing")
    assert _digits(lead.phones[0].raw) == "0740580312"
    assert lead.phones[0].label == "phone"
    assert [e.raw for e in lead.emails] == ["sales@mackieplumbing.com.au"]
    assert lead.website == "http://www.mackieplumbing.com.au"
    assert lead.address_raw == "23 Johnston St, Aeroglen QLD 4870"
    assert (lead.city, lead.region, lead.postcode) == ("Aeroglen", "QLD", "4870")


def test_yp_facebook_page_is_social_not_website(yp: PageExtraction) -> None:
    lead = _by_name(yp, "Degen Newbery Plumbing, Draining & Roofing")
    assert lead.website == ""
    assert lead.social == [
        "https://www.facebook.com/DegenNewberyPlumbingRoofing/?ref=page_internal"
    ]
    assert _links(yp, "website", lead.name) == []


def test_yp_sponsored_listing_is_a_lead_too(yp: PageExtraction) -> None:
    lead = _by_name(yp, "Rheem")
    assert _digits(lead.phones[0].raw) == "1300309036"
    assert [e.raw for e in lead.emails] == ["customerservice@rheem.com.au"]
    assert lead.website == "http://www.rheem.com.au"


def test_yp_next_page(yp: PageExtraction) -> None:
    assert _links(yp, "next") == [
        "https://www.yellowpages.com.au/search/listings?clue=plumber&locationClue=cairns%2C+QLD&pageNumber=2"
    ]


def test_yp_no_lead_carries_the_directory_contact(yp: PageExtraction) -> None:
    for lead in yp.leads:
        for email in lead.emails:
            assert not re.search(
                r"@(.+\.)?(yellowpages\.com\.au|yellow\.com\.au|sensis)", email.raw
            )
        assert "yellowpages.com.au" not in lead.website
    phones = [p.raw for lead in yp.leads for p in lead.phones]
    assert len(phones) == len({_digits(p) for p in phones}), (
        "one listing's phone leaked into another"
    )


@pytest.mark.parametrize(
    "damage",
    [
        ("window.__INITIAL_STATE__", "window.__SOMETHING_ELSE__"),  # state absent
        ("window.__INITIAL_STATE__ = {", "window.__INITIAL_STATE__ = {oops"),  # unparsable
    ],
)
def test_yp_falls_back_to_the_rendered_cards(damage: tuple[str, str]) -> None:
    real = real_page(YP_SRP, YP_URL)
    result = extract_page(Page(url=YP_URL, text=real.text.replace(*damage, 1)))
    assert result.status == "ok"
    assert len(result.leads) == 39  # 35 result cards + 4 sponsored cards
    mackie = _by_name(result, "Mackie Plumbing")
    assert [p.raw for p in mackie.phones] == ["(07) 4058 0312"]
    assert mackie.website == "http://www.mackieplumbing.com.au"
    assert mackie.address_raw == "23 Johnston St, Aeroglen, QLD, 4870"
    assert mackie.emails == []  # the cards only have a "send e-mail" button
    assert len(_links(result, "next")) == 1
    assert len(_links(result, "detail")) == 35  # sponsored cards have no listing link


# -- yellowpages.com.au: synthetic listing pages and status detection ------------------------

_CHROME = """
<header><a href="tel:1300975707">Call Yellow on 1300 975 707</a>
<a href="mailto:help@yellow.com.au">help@yellow.com.au</a></header>
{body}
<footer>Questions? 1300 975 707 · help@yellow.com.au · © Thryv Australia</footer>
"""


def _yp_detail_state() -> str:
    state = {
        "env": {"supportEmail": "help@yellow.com.au"},
        "model": {
            "loggedInUser": {"name": "Sam Trainee", "email": "sam.trainee@example.org"},
            "listing": {
                "id": "99000001",
                "name": "Harbourside Example Plumbing",
                "callContactNumber": {"displayValue": "(07) 5550 4321", "type": {"name": "PHONE"}},
                "contactNumbers": [
                    {"displayValue": "0491 570 156", "type": {"name": "MOBILE"}},
                    {"displayValue": "(07) 5550 4322", "type": {"name": "FAX"}},
                ],
                "primaryEmail": "office@harbourside.example.com.au",
                "website": "https://harbourside.example.com.au",
                "addressView": {
                    "addressLine": "1 Example St",
                    "suburb": "Cairns City",
                    "state": "QLD",
                    "postCode": "4870",
                },
                "category": {"name": "Plumbers & Gas Fitters"},
                "detailsLink": "/qld/cairns-city/harbourside-example-99000001-listing.html",
            },
        },
    }
    script = f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>"
    return "<html><head>" + script + "</head><body>" + _CHROME.format(body="") + "</body></html>"


def test_yp_detail_page_from_the_page_state() -> None:
    url = "https://www.yellowpages.com.au/qld/cairns-city/harbourside-example-plumbing-99000001-listing.html"
    result = extract_page(Page(url=url, text=_yp_detail_state()))
    assert result.status == "ok"
    [lead] = result.leads
    assert lead.name == "Harbourside Example Plumbing"
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("(07) 5550 4321", "phone"),
        ("0491 570 156", "mobile"),
        ("(07) 5550 4322", "fax"),
    ]
    assert [e.raw for e in lead.emails] == ["office@harbourside.example.com.au"]
    assert lead.website == "https://harbourside.example.com.au"
    assert lead.address_raw == "1 Example St, Cairns City, QLD 4870"
    assert lead.products == "Plumbers & Gas Fitters"


def test_yp_detail_page_from_jsonld_ignores_the_directory_itself() -> None:
    business = {
        "@context": "https://schema.org",
        "@type": "Plumber",
        "name": "Esplanade Example Drains",
        "telephone": "0491 570 157",
        "faxNumber": "(07) 5550 1234",
        "email": "jobs@esplanade.example.com.au",
        "url": "https://esplanade.example.com.au/",
        "sameAs": ["https://www.facebook.com/esplanade.example"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "2 Example Esplanade",
            "addressLocality": "Cairns",
            "addressRegion": "QLD",
            "postalCode": "4870",
        },
    }
    directory = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Yellow Pages",
        "url": "https://www.yellowpages.com.au/",
        "telephone": "1300 975 707",
        "address": "Melbourne VIC",
    }
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(x)}</script>'
        for x in (directory, business)
    )
    body = _CHROME.format(body="<h1>Esplanade</h1>")
    text = f"<html><head>{scripts}</head><body>{body}</body></html>"
    result = extract_page(
        Page(url="https://www.yellowpages.com.au/qld/cairns/x-2-listing.html", text=text)
    )
    [lead] = result.leads
    assert lead.name == "Esplanade Example Drains"
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("0491 570 157", "phone"),
        ("(07) 5550 1234", "fax"),
    ]
    assert [e.raw for e in lead.emails] == ["jobs@esplanade.example.com.au"]
    assert lead.website == "https://esplanade.example.com.au/"
    assert lead.social == ["https://www.facebook.com/esplanade.example"]
    assert lead.address_raw == "2 Example Esplanade, Cairns, QLD 4870"


def test_yp_chrome_contacts_never_become_leads() -> None:
    for lead in extract_page(Page(url=YP_URL, text=_yp_detail_state())).leads:
        assert all(_digits(p.raw) != "1300975707" for p in lead.phones)
        assert all("yellow.com.au" not in e.raw for e in lead.emails)
        assert all("example.org" not in e.raw for e in lead.emails)  # the logged-in trainee


def test_yp_no_results_page() -> None:
    state = {"model": {"inAreaResultViews": [], "pagination": {"totalResults": 0}}}
    text = (
        f"<html><head><script>window.__INITIAL_STATE__ = {json.dumps(state)};</script></head>"
        f"<body>{_CHROME.format(body='<h2>0 Results for zzqx near Cairns</h2>' + 'x ' * 2000)}"
        "</body></html>"
    )
    result = extract_page(Page(url=YP_URL, text=text))
    assert (result.status, result.leads) == ("no_results", [])


def test_yp_blocked_page_is_reported_not_parsed() -> None:
    # A real Cloudflare block page (captured on yellowpages.com, the same vendor's shield).
    page = real_page("directories/yellowpages_com/BLOCKED_cloudflare__Email-Scraper.html", YP_URL)
    result = extract_page(page)
    assert result.status == "blocked"
    assert result.leads == []
    assert result.reason


def test_yp_real_no_results_chrome_yields_no_leads() -> None:
    page = real_page(
        "directories/yellowpages_com/NO_RESULTS_invalid_search__scraper-g1000.html", YP_URL
    )
    result = extract_page(page)
    assert (result.status, result.leads) == ("no_results", [])


# -- IndiaMART --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def im() -> PageExtraction:
    return extract_page(real_page(IM_CARDS, IM_URL))


def test_im_one_lead_per_supplier(im: PageExtraction) -> None:
    # 210 cards from 198 distinct suppliers (data-glid); 205 cards show a pns_h number.
    assert (im.status, im.source, im.method) == ("ok", "indiamart", "industry_site")
    assert len(im.leads) == 198
    assert sum(1 for lead in im.leads if lead.phones) == 193
    assert sum(1 for lead in im.leads if lead.website) == 41
    assert sum(1 for lead in im.leads if lead.emails) == 0
    assert all(lead.country == "IN" for lead in im.leads)
    assert not any(lead.masked for lead in im.leads)


def test_im_supplier_with_own_website(im: PageExtraction) -> None:
    lead = _by_name(im, "Oscar Overseas")
    assert [p.raw for p in lead.phones] == ["8046058290"]
    assert lead.website == "https://www.oscar-india.com/"  # tracking query dropped
    assert (
        lead.address_raw == "A-99 Sector 5, Noida - 201301, Dist.Gautam Budh Nagar, Uttar Pradesh"
    )
    assert (lead.city, lead.region) == ("Noida", "Uttar Pradesh")
    assert lead.products == "Oscar Soft Fabric Baby Pillow Set"
    assert _links(im, "website", lead.name) == ["https://www.oscar-india.com/"]


def test_im_supplier_on_indiamart_with_extension(im: PageExtraction) -> None:
    lead = _by_name(im, "Anmol Baby")  # two cards, one supplier
    assert [(p.raw, p.extension) for p in lead.phones] == [("8047309008,1555", "1555")]
    assert lead.website == ""
    assert _links(im, "detail", lead.name) == ["https://www.indiamart.com/anmol-baby-mumbai/"]


def test_im_repeated_cards_merge_and_namesakes_stay_apart(im: PageExtraction) -> None:
    assert _by_name(im, "Dee Bee & Co.").phones[0].raw == "7942792773"  # 3 cards
    namesakes = [lead for lead in im.leads if lead.name == "Baby World"]
    assert len(namesakes) == 2  # same name, two IndiaMART supplier ids (data-glid)
    assert sorted(p.raw for lead in namesakes for p in lead.phones) == ["7942539685", "8048981354"]


def test_im_shop_only_supplier_and_buy_lead_card(im: PageExtraction) -> None:
    shop = _by_name(im, "My Bear Hugs")
    assert shop.phones == []
    assert shop.website == "https://bearhugs.in/"
    assert _links(im, "detail", shop.name) == ["https://www.indiamart.com/bear-hugs/"]
    tailor = _by_name(im, "Sonal Mandap Tailors")
    assert tailor.phones[0].raw == "7942544361"
    assert tailor.products == "Baby Carrier"


_IM_SYNTHETIC = """
<html><body>
<div class="header">IndiaMART helpline 096-9696-9696 · buyershelp@indiamart.com</div>
<div class="card brs5" data-glid="1001" data-city="Pune" data-state="Maharashtra">
  <div class="producttitle"><a class="cardlinks"
    href="https://www.indiamart.com/proddetail/steel-rack-1.html?pos=1">Steel Rack</a></div>
  <div class="companyname"><a class="cardlinks"
    href="https://www.indiamart.com/example-racks/?pos=1&amp;kwd=rack">Example Racks</a></div>
  <div class="newLocationUi"><span class="elps elps1">Pune</span>
    <p class="tac wpw">1 Example Road, Pune - 411001, Maharashtra</p></div>
  <p class="contactnumber"><span class="pns_h duet fwb">0491XXXXXX</span></p>
</div>
<div class="card brs5" data-glid="1001" data-city="Pune" data-state="Maharashtra">
  <div class="producttitle"><a class="cardlinks" href="/proddetail/bin-2.html">Storage Bin</a></div>
  <div class="companyname"><a class="cardlinks"
    href="https://www.indiamart.com/example-racks/?pos=2">Example Racks</a></div>
</div>
<div class="supplierInfoDiv">
  <div class="companyname"><a href="https://www.example-shelves.in/?pos=3">Example Shelves</a></div>
  <div class="newLocationUi"><span class="highlight">Nagpur</span></div>
  <p class="contactnumber"><span class="duet">8000000000</span></p>
</div>
<link rel="next" href="/impcat/steel-rack.html?pg=2">
</body></html>
"""


def test_im_merges_products_flags_masks_and_reads_search_cards() -> None:
    result = extract_page(
        Page(url="https://dir.indiamart.com/impcat/steel-rack.html", text=_IM_SYNTHETIC)
    )
    assert [lead.name for lead in result.leads] == ["Example Racks", "Example Shelves"]
    racks, shelves = result.leads
    assert racks.products == "Steel Rack; Storage Bin"
    assert racks.masked and racks.phones[0].masked
    assert _links(result, "detail", "Example Racks") == ["https://www.indiamart.com/example-racks/"]
    assert shelves.website == "https://www.example-shelves.in/"
    assert shelves.address_raw == "Nagpur"
    assert [p.raw for p in shelves.phones] == ["8000000000"]
    assert _links(result, "next") == ["https://dir.indiamart.com/impcat/steel-rack.html?pg=2"]
    for lead in result.leads:
        assert all("9696" not in p.raw for p in lead.phones)
        assert lead.emails == []


def test_im_page_without_cards() -> None:
    text = "<html><body><h1>No results found for zzqx</h1>" + "<p>Browse categories</p>" * 300
    result = extract_page(Page(url="https://dir.indiamart.com/search.mp?ss=zzqx", text=text))
    assert (result.status, result.leads) == ("no_results", [])


# -- 1688 -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ali() -> PageExtraction:
    return extract_page(real_page(ALI_SRP, ALI_URL))


def test_1688_one_lead_per_supplier(ali: PageExtraction) -> None:
    # 20 offers in "listOffer", from 17 distinct companies.
    assert (ali.status, ali.source, ali.method) == ("ok", "alibaba_1688", "industry_site")
    assert len(ali.leads) == 17
    assert all(lead.country == "CN" and lead.region == "广东" for lead in ali.leads)
    assert len(_links(ali, "detail")) == 17
    assert len(_links(ali, "contact")) == 17


def test_1688_supplier_with_two_offers(ali: PageExtraction) -> None:
    lead = _by_name(ali, "东莞市励图电子有限公司")
    assert lead.products.split("; ") == [
        "液态硅胶带灯数据线适用苹果安卓TYPE-C华为小米手机超级快充电线",
        "新款数据线适用于苹果安卓 TYPE-C超级快充5A尼龙编织手机充电线",  # page: two spaces
    ]
    assert (lead.city, lead.business_type) == ("东莞市", "manufacturer")
    assert _links(ali, "detail", lead.name) == ["https://litulyh.1688.com/"]
    assert _links(ali, "contact", lead.name) == ["https://litulyh.1688.com/page/contactinfo.htm"]


def test_1688_company_name_beats_the_wangwang_nickname(ali: PageExtraction) -> None:
    lead = _by_name(ali, "深圳市荣亮达科技有限公司")  # shown on the card only as 荣亮达电子
    assert lead.address_raw == "广东汕头市潮南区"
    assert "荣亮达电子" in lead.description
    assert "<font" not in lead.products
    assert lead.products == "双Type-c头PD数据传输公对公适用华为小米三星笔记本快充数据线"
    wholesaler = _by_name(ali, "广州汇好科技有限公司")
    assert wholesaler.business_type == "wholesaler_distributor"
    assert _links(ali, "detail", wholesaler.name) == ["https://shop1483981446884.1688.com/"]


def test_1688_next_page_keeps_the_gbk_keyword(ali: PageExtraction) -> None:
    assert _links(ali, "next") == [ALI_URL + "&beginPage=2"]


def test_1688_rendered_cards_when_the_script_data_is_missing() -> None:
    real = real_page(ALI_SRP, ALI_URL)
    result = extract_page(Page(url=ALI_URL, text=real.text.replace('"listOffer":', '"gone":')))
    assert result.status == "ok"
    assert len(result.leads) == 17  # grouped by the sellers' 旺旺 nicknames
    assert "荣亮达电子" in [lead.name for lead in result.leads]
    assert all(lead.phones == [] and lead.emails == [] for lead in result.leads)


def test_1688_slider_captcha_page_is_blocked() -> None:
    text = (
        "<html><head><title>验证码拦截</title></head><body><div id='nocaptcha'></div>"
        "<script>var url='/_____tmd_____/punish?x5secdata=abc';</script></body></html>"
    )
    result = extract_page(Page(url=ALI_URL, text=text))
    assert (result.status, result.leads) == ("blocked", [])


def test_1688_no_offers() -> None:
    text = "<html><body><div class='empty'>没有找到与“zzqx”相关的商品</div>" + "<p>推荐</p>" * 800
    result = extract_page(Page(url=ALI_URL, text=text + "</body></html>"))
    assert (result.status, result.leads) == ("no_results", [])


def test_1688_offer_list_with_contacts_and_a_masked_mobile() -> None:
    offers = [
        {
            "offerId": "1",
            "subject": "<font color=red>相机</font>三脚架批发",
            "companyName": "示例影像器材有限公司",
            "memberId": "b2b-1",
            "province": "浙江",
            "city": "义乌市",
            "shopUrl": "https://cn-b2b.example/shop/b2b-1/?spm=x",
            "contactName": "王经理",
            "mobile": "138****5678",
            "tel": "0579-5550 1234",
        },
        {
            "offerId": "2",
            "subject": "相机包",
            "companyName": "示例影像器材有限公司",
            "memberId": "b2b-1",
        },
    ]
    script = f'<script>window.data = {{"offerList": {json.dumps(offers, ensure_ascii=False)}}};'
    text = (
        f"<html><head>{script}</script></head><body><p>阿里巴巴客服 400-800-1688</p></body></html>"
    )
    result = extract_page(Page(url=ALI_URL, text=text))
    [lead] = result.leads
    assert lead.name == "示例影像器材有限公司"
    assert lead.products == "相机三脚架批发; 相机包"
    assert [(p.raw, p.label, p.masked) for p in lead.phones] == [
        ("138****5678", "手机", True),
        ("0579-5550 1234", "电话", False),
    ]
    assert lead.masked
    assert [p.name for p in lead.people] == ["王经理"]
    assert lead.address_raw == "浙江义乌市"
    assert _links(result, "detail", lead.name) == ["https://cn-b2b.example/shop/b2b-1/"]
    assert all("1688" not in _digits(p.raw) for p in lead.phones)


def test_im_badge_tooltips_are_not_part_of_names(im: PageExtraction) -> None:
    # the page prints "Tetra Clothing" in the name link, then a hidden badge tooltip
    # "IndiaMART Verified Exporter" inside the same companyname block
    names = {lead.name for lead in im.leads}
    assert "Tetra Clothing" in names
    assert not any("Verified" in name for name in names)
