"""The generic company-website extractor on real contact pages, practice pages, hand-written ones.

Expected values for the real pages were read from the saved HTML in ../shared/fixtures
(never copied here); the pages are read in place through ``tests.realpages``. Expected values
for the practice web were read from its sources in leadharvest/practice/site.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest.items import Lead, Phone
from leadharvest.practice.build import load_manifest
from spiders.pages import GENERIC, extract_page
from spiders.pages.base import Page, PageExtraction
from spiders.pages.generic import _NAME_START_RE, _NOT_LEGAL_LINE_RE, GenericPage, legal_lines
from spiders.pages.names import LEGAL_SUFFIX_RE
from tests.realpages import real_page

SITES = "company_sites"


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def only_lead(result: PageExtraction) -> Lead:
    assert result.status == "ok"
    assert len(result.leads) == 1
    return result.leads[0]


def phone_map(phones: list[Phone]) -> list[tuple[str, str]]:
    return [(digits(p.raw), p.label) for p in phones]


def all_phone_digits(lead: Lead) -> set[str]:
    values = {digits(p.raw) for p in lead.phones}
    values |= {digits(p.raw) for person in lead.people for p in person.phones}
    return values


def parse(relative: str, url: str) -> PageExtraction:
    return GenericPage().parse(real_page(f"{SITES}/{relative}", url))


# --------------------------------------------------------------------------------------
# real pages


@pytest.mark.realpages
def test_anil_industries_contact_page() -> None:
    url = "http://www.anil-industries.com/contact.html"
    result = parse(
        "anil-industries_com/contact_org_microdata_site_source_2026__anil-industries.com.html",
        url,
    )
    lead = only_lead(result)
    assert lead.name == "Anil Industries"
    assert lead.website == "http://www.anil-industries.com/"
    assert phone_map(lead.phones) == [("919999907396", "tel"), ("919811637149", "tel")]
    assert [e.raw.lower() for e in lead.emails] == ["info@anil-industries.com"]
    assert "L-125 Sector-2 DSIDC BAWANA INDUSTRIAL AREA" in lead.address_raw
    assert "110039" in lead.address_raw
    # the UK agent is a named person with her own number
    (agent,) = lead.people
    assert agent.name.upper() == "FRANCISCA GOMEZ"
    assert [digits(p.raw) for p in agent.phones] == ["447595870124"]
    # the map's coordinates and the PIN code are not phones
    assert not {d for d in all_phone_digits(lead) if d.startswith(("287979", "770521", "110039"))}
    links = [link.url for link in result.links]
    assert "http://www.anil-industries.com/about.html" in links
    assert url not in links
    assert all(link.kind == "contact" for link in result.links)


@pytest.mark.realpages
def test_chasandphil_contact_page() -> None:
    url = "http://www.chasandphil.co.uk/contact.asp"
    result = parse("chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html", url)
    lead = only_lead(result)
    assert lead.name == "Chas & Phil Wholesale"
    # one number printed as both Telephone and Fax: a phone and a fax entry
    assert phone_map(lead.phones) == [("02085516580", "tel"), ("02085516580", "fax")]
    assert [e.raw for e in lead.emails] == ["sales@chasandphil.co.uk"]
    assert "295 Eastern Avenue" in lead.address_raw
    assert "Ilford" in lead.address_raw
    assert lead.postcode == "IG2 6NT"
    # the VAT number and the LLP's company number are not phones
    assert not {d for d in all_phone_digits(lead) if "8986565" in d or "324159" in d}
    links = [link.url for link in result.links]
    assert links[:2] == [
        "http://www.chasandphil.co.uk/about_us.asp",
        "http://www.chasandphil.co.uk/find_us.asp",
    ]
    assert not any("category.asp" in link for link in links)
    assert len(links) <= 5


@pytest.mark.realpages
def test_e_zjs_gb2312_lxwm_page() -> None:
    page = real_page(
        f"{SITES}/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html",
        "http://www.e-zjs.com/lxwm.htm",
    )
    assert page.encoding == "gb18030"
    lead = only_lead(GenericPage().parse(page))
    assert lead.name == "南通鲁班科技咨询有限公司"
    assert phone_map(lead.phones) == [("051385815355", "业务热线"), ("051380278158", "传真")]
    # the ICP licence and the postcode are not phones
    assert not {d for d in all_phone_digits(lead) if "08000809" in d or "226001" in d}
    emails = [e.raw for e in lead.emails]
    assert emails[0] == "luban_jb@sina.com"
    assert "Lubancal@Lubansoft.com" in emails  # the mailto: behind the shown address
    assert lead.address_raw == "江苏·南通市工农路445号宏信大厦五楼"
    assert lead.postcode == "226001"
    assert lead.website == "http://www.e-zjs.com/"


@pytest.mark.realpages
def test_phoenixhydraulic_staff_list() -> None:
    url = "http://www.phoenixhydraulic.com/ContactUs/tabid/73/Default.aspx"
    result = parse("phoenixhydraulic_com/contact_sales_offices_2014__webstruct.html", url)
    lead = only_lead(result)
    assert lead.name.startswith("Phoenix Hydraulic Presses")
    company = phone_map(lead.phones)
    assert ("6143532900", "24h") in company
    assert ("6148509065", "fax") in company
    assert "sales@phoenixhydraulic.com" in [e.raw for e in lead.emails]
    people = {p.name: p for p in lead.people}
    assert set(people) == {
        "Michael Schwartz",
        "Chuck Sherman",
        "Buz Sherman",
        "Curtis Britton",
        "Patrick Murphy",
        "Lindsey Sryock",
        "Donna Ruckel",
    }
    michael = people["Michael Schwartz"]
    assert michael.title == "Sales"
    assert [e.raw for e in michael.emails] == ["mschwartz@phoenixhydraulic.com"]
    assert [(digits(p.raw), p.extension) for p in michael.phones] == [("6148508940103", "103")]
    assert [p.extension for p in people["Donna Ruckel"].phones] == ["105"]
    # the text shows cbritton@ even where the link behind it says pmurphy@
    assert [e.raw for e in people["Curtis Britton"].emails] == ["cbritton@phoenixhydraulic.com"]
    assert "4299 Reynolds Drive" in lead.address_raw
    assert lead.postcode == "43026"
    assert url not in [link.url for link in result.links]


@pytest.mark.realpages
def test_upwardconstruction_microdata_page() -> None:
    url = "http://www.upwardconstruction.ca/contact-upward-construction-and-renovation-ltd.htm"
    result = parse("upwardconstruction_ca/contact_microdata_2014__webstruct.html", url)
    lead = only_lead(result)
    assert lead.name.startswith("Upward Construction & Renovation")
    assert phone_map(lead.phones) == [("7783401355", "tel"), ("7783401356", "fax")]
    assert [e.raw for e in lead.emails] == ["info@upwardconstruction.ca"]
    assert "1305 Welch St" in lead.address_raw
    assert "North Vancouver" in lead.address_raw
    assert lead.postcode == "V7P 1B3"
    assert "https://www.facebook.com/upwardconstruction" in lead.social
    links = [link.url for link in result.links]
    assert links[0] == (
        "http://www.upwardconstruction.ca/about-upward-construction-and-renovation.htm"
    )
    assert not any("learn-about" in link for link in links)  # a services page
    assert not any("facebook" in link or "idealever" in link for link in links)


@pytest.mark.realpages
def test_extract_page_routes_unknown_hosts_to_generic_and_stamps_evidence() -> None:
    page = real_page(
        f"{SITES}/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html",
        "http://www.e-zjs.com/lxwm.htm",
    )
    result = extract_page(page, GENERIC)
    lead = only_lead(result)
    assert result.method == "company_website"
    assert lead.evidence[0].url == "http://www.e-zjs.com/lxwm.htm"
    assert lead.phones[0].sources == ["http://www.e-zjs.com/lxwm.htm"]


# --------------------------------------------------------------------------------------
# hand-written pages

CHINESE_PAGE = """<html><head><title>联系我们-深圳市明光光学有限公司</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/about/">关于我们</a>
<a href="/lxwm.html">联系我们</a><a href="/products/">产品中心</a>
<a href="http://other.com/contact">友情链接</a><a href="javascript:void(0)">联系</a></div>
<div class="contact"><h2>联系方式</h2>
<p>公司名称：深圳市明光光学有限公司</p>
<p>联 系 人：李明 销售经理</p>
<p>手　机：139 2345 6789</p>
<p>电　话：0755-8888 1234 转 808</p>
<p>传　真：0755-8888 1235</p>
<p>服务热线：400-820-1234</p>
<p>邮　箱：sales＠mingguang.com.cn</p>
<p>地　址：广东省深圳市宝安区西乡街道航空路88号 邮编：518000</p>
<p>统一社会信用代码：91440300MA5F0XXX1K</p>
</div>
<div class="footer">Copyright © 2012-2024 深圳市明光光学有限公司 版权所有
粤ICP备12345678号-1 粤公网安备 44030602001234号</div>
</body></html>"""


def test_chinese_contact_page() -> None:
    page = Page(url="http://www.mingguang.com.cn/lxwm.html", text=CHINESE_PAGE)
    result = GenericPage().parse(page)
    lead = only_lead(result)
    assert lead.name == "深圳市明光光学有限公司"
    assert phone_map(lead.phones) == [
        ("075588881234808", "电话"),
        ("075588881235", "传真"),
        ("4008201234", "服务热线"),
    ]
    assert lead.phones[0].extension == "808"
    assert [e.raw for e in lead.emails] == ["sales@mingguang.com.cn"]
    (person,) = lead.people
    assert (person.name, person.title) == ("李明", "销售经理")
    assert phone_map(person.phones) == [("13923456789", "手机")]
    assert lead.address_raw == "广东省深圳市宝安区西乡街道航空路88号"
    assert lead.postcode == "518000"
    assert lead.registration_id == "91440300MA5F0XXX1K"
    assert lead.website == "http://www.mingguang.com.cn/"
    assert [link.url for link in result.links] == ["http://www.mingguang.com.cn/about/"]


JSON_LD_PAGE = """<html><head><title>Contact | BrightLens Optics</title>
<script type="application/ld+json">{"@context": "https://schema.org",
 "@type": "OpticianStore", "name": "BrightLens Optics Ltd",
 "telephone": "+44 20 7946 0000", "faxNumber": "+44 20 7946 0001",
 "email": "mailto:hello@brightlens-optics.example",
 "address": {"@type": "PostalAddress", "streetAddress": "12 Market Street",
   "addressLocality": "Leeds", "addressRegion": "West Yorkshire", "postalCode": "LS1 6DT",
   "addressCountry": "GB"},
 "employee": [{"@type": "Person", "name": "Jane Doe", "jobTitle": "Sales Director",
   "email": "jane@brightlens-optics.example", "telephone": "+44 7700 900123"}]}</script>
</head><body>
<nav><a href="/about-us/">About us</a> <a href="/contact/">Contact</a>
<a href="https://shop.brightlens-optics.example/kontakt">Kontakt</a>
<a href="https://brightlens-optics.test/contact">Contact (other site)</a>
<a href="tel:+442079460000">Call</a></nav>
<p>Call us on 020 7946 0000.</p></body></html>"""


def test_json_ld_organisation_on_a_practice_web_host() -> None:
    page = Page(url="https://www.brightlens-optics.example/contact/", text=JSON_LD_PAGE)
    result = GenericPage().parse(page)
    lead = only_lead(result)
    assert lead.name == "BrightLens Optics Ltd"
    # the text's 020 7946 0000 is the JSON-LD's +44 20 7946 0000, kept once
    assert phone_map(lead.phones) == [("442079460000", "tel"), ("442079460001", "fax")]
    assert [e.raw for e in lead.emails] == ["hello@brightlens-optics.example"]
    assert lead.address_raw == "12 Market Street, Leeds, West Yorkshire, LS1 6DT, GB"
    assert (lead.city, lead.region, lead.postcode, lead.country) == (
        "Leeds",
        "West Yorkshire",
        "LS1 6DT",
        "GB",
    )
    (jane,) = lead.people
    assert (jane.name, jane.title) == ("Jane Doe", "Sales Director")
    assert [e.raw for e in jane.emails] == ["jane@brightlens-optics.example"]
    links = [link.url for link in result.links]
    assert links == [
        "https://shop.brightlens-optics.example/kontakt",
        "https://www.brightlens-optics.example/about-us/",
    ]


def test_page_without_contact_details_is_ok_with_no_lead() -> None:
    html = (
        "<html><head><title>Products</title></head><body><h1>Our lenses</h1>"
        "<p>Founded in 1998, 120 staff, 3500 customers. Model LX-2000 costs £1,299.00."
        " Updated 2014-05-19.</p><a href='/contact-us.html'>Contact us</a></body></html>"
    )
    result = GenericPage().parse(Page(url="http://foo.co.uk/products", text=html))
    assert result.status == "ok"
    assert result.leads == []
    assert [link.url for link in result.links] == ["http://foo.co.uk/contact-us.html"]


def test_challenge_page_is_blocked() -> None:
    html = "<html><head><title>Attention Required! | Cloudflare</title></head><body>x</body></html>"
    result = GenericPage().parse(Page(url="http://foo.com/contact", text=html, http_status=403))
    assert result.status == "blocked"
    assert result.reason
    assert result.leads == []


ENGLISH_PAGE = """<html><head><title>Contact - Holme Valley Lenses</title></head><body>
<nav><a href="/">Home</a> · <a href="/about/">About</a> · <a href="/contact/">Contact</a></nav>
<h1>Contact</h1>
<p>Holme Valley Lenses Ltd, Unit 9, Mill Yard, Huddersfield HD9 7ZZ</p>
<p>Tel: 01484 496 010 &middot; Fax: 01484 496 011</p>
<p>Shop direct<br>01484 496 012</p>
<p>Dana Whitfield, Buyer — 01484 496 019 — dana.whitfield@holme-valley.test</p>
<p>Company No. 01234567 · VAT GB 123 4567 89</p>
<footer>© 2021 Holme Valley Lenses Ltd. All rights reserved.</footer>
</body></html>"""


def test_unlabelled_address_line_and_inline_person() -> None:
    page = Page(url="https://www.holme-valley.test/contact/", text=ENGLISH_PAGE)
    result = GenericPage().parse(page)
    lead = only_lead(result)
    assert lead.name.rstrip(".") == "Holme Valley Lenses Ltd"
    assert lead.address_raw == "Unit 9, Mill Yard, Huddersfield HD9 7ZZ"
    assert lead.postcode == "HD9 7ZZ"
    assert phone_map(lead.phones) == [
        ("01484496010", "tel"),
        ("01484496011", "fax"),
        ("01484496012", "tel"),
    ]
    assert lead.registration_id == "01234567"
    (dana,) = lead.people
    assert (dana.name, dana.title) == ("Dana Whitfield", "Buyer")
    assert phone_map(dana.phones) == [("01484496019", "")]
    assert [link.url for link in result.links] == ["https://www.holme-valley.test/about/"]


# --------------------------------------------------------------------------------------
# the practice web: faults it exposed


@cache
def _practice_files() -> dict[str, Path]:
    return {p.url: p.path for p in load_manifest()}


def practice_lead(url: str) -> Lead:
    page = Page.from_bytes(url, _practice_files()[url].read_bytes())
    return only_lead(GenericPage().parse(page))


def people(lead: Lead) -> list[tuple[str, str]]:
    return [(p.name, p.title) for p in lead.people]


def lead_of(html: str, url: str = "https://www.kestrel-camera.example/our-team/") -> Lead:
    return only_lead(GenericPage().parse(Page(url=url, text=html)))


def test_kestrel_team_page_is_named_for_the_business_not_the_page() -> None:
    # <title>Our Team – Kestrel Camera Distributors</title>; <h3>name</h3><p class="role">…
    lead = practice_lead("https://kestrel-camera.example/our-team/")
    assert lead.name == "Kestrel Camera Distributors"
    assert people(lead) == [
        ("Priya Raman", "National Sales Manager"),
        ("Tom Gallagher", "Key Account Manager – Retail"),
        ("Lena Vogt", "Customer Service Coordinator"),
    ]
    assert [e.raw for e in lead.people[0].emails] == ["priya.raman@kestrel-camera.example"]
    # "All extensions via our main line 03 5550 0188." is the business's line, not Lena's
    assert [digits(p.raw) for p in lead.phones] == ["0355500188"]
    assert all(not person.phones for person in lead.people)


TEAM_BODY = "<h1>Our team</h1><p>Priya Raman, Sales Manager — priya@kestrel-camera.example</p>"


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ('<meta property="og:site_name" content="Kestrel Camera">', "", "Kestrel Camera"),
        (
            "",
            "<footer>© 2024 Kestrel Camera Distributors Pty Ltd</footer>",
            "Kestrel Camera Distributors Pty Ltd",
        ),
        (
            "",
            '<img class="logo" src="/logo.png" alt="Kestrel Camera Distributors">',
            "Kestrel Camera Distributors",
        ),
        (
            '<script type="application/ld+json">'
            '{"@type": "Organization", "name": "Kestrel Cameras"}</script>',
            "",
            "Kestrel Cameras",
        ),
        ("", "", "kestrel-camera.example"),
    ],
)
@pytest.mark.parametrize(
    "title",
    ["Our Team", "Team", "Staff", "About Us", "Contact Us", "Home", "Welcome", "联系我们", "首页"],
)
def test_a_generic_title_is_never_the_name(title: str, head: str, body: str, expected: str) -> None:
    html = f"<html><head><title>{title}</title>{head}</head><body>{TEAM_BODY}{body}</body></html>"
    assert lead_of(html).name == expected


def test_chinese_staff_table_header_is_not_a_person() -> None:
    # <tr><th>姓名</th><th>职务</th><th>分机</th><th>邮箱</th></tr> then one row per person
    lead = practice_lead("https://shijietong-repair.example/lianxifangshi.html")
    assert people(lead) == [("王建国", "技术主管"), ("刘芳", "客服经理")]
    assert [e.raw for e in lead.people[0].emails] == ["wang.jg@shijietong-repair.example"]
    assert [p.extension for p in lead.people[0].phones] == ["8012"]
    assert phone_map(lead.phones) == [("01065550404", "总机")]
    assert lead.address_raw == "北京市海淀区示例大街100号视界大厦1层"


@pytest.mark.parametrize("cell", ["th", "td"])
@pytest.mark.parametrize("heading", ["单位", "时间", "范围"])
def test_header_row_whose_cell_reads_like_a_chinese_name(cell: str, heading: str) -> None:
    head = "".join(f"<{cell}>{c}</{cell}>" for c in ("姓名", heading, "电话"))
    html = (
        "<html><head><title>联系我们</title></head><body><p>总机：010-6555 0404</p>"
        f"<table><tr>{head}</tr><tr><td>王建国</td><td>技术主管</td>"
        "<td>010-6555 0404 转 8012</td></tr></table></body></html>"
    )
    lead = lead_of(html, "https://shijietong-repair.example/lianxifangshi.html")
    assert [p.name for p in lead.people] == ["王建国"]


def test_southerncross_address_stops_before_the_reception_row() -> None:
    # <tr><th>Address</th><td>Suite 502, …</td></tr><tr><th>Reception (building switchboard)</th>
    lead = practice_lead("https://southerncross-camera.example/contact")
    assert lead.address_raw == "Suite 502, Level 5, 88 Example Street, Sydney NSW 2000"
    assert lead.postcode == "2000"
    assert [digits(p.raw) for p in lead.phones] == ["0255500300", "0255500322"]
    assert [e.raw for e in lead.emails] == ["orders@southerncross-camera.example"]


def test_address_stops_at_reception_and_hours_lines() -> None:
    html = (
        "<html><head><title>Contact – Southern Cross Camera Supply</title></head><body>"
        "<address>Suite 502, Level 5<br>88 Example Street<br>Sydney NSW 2000<br>"
        "Reception, ground floor<br>Trading hours Mon–Fri 9–5</address>"
        "<p>Phone: 02 5550 0300</p></body></html>"
    )
    lead = lead_of(html, "https://southerncross-camera.example/contact")
    assert lead.address_raw == "Suite 502, Level 5, 88 Example Street, Sydney NSW 2000"
    assert lead.name == "Southern Cross Camera Supply"  # not "Trading hours …"


def test_pennine_staff_list_items() -> None:
    # <li><strong>Gareth Holroyd</strong>, Managing Director — <a href="mailto:…">…</a></li>
    lead = practice_lead("https://pennine-photo.example/contact/")
    assert lead.name == "Pennine Photo Distribution Ltd"
    assert people(lead) == [
        ("Gareth Holroyd", "Managing Director"),
        ("Aisha Bello", "Trade Sales Manager"),
    ]
    gareth, aisha = lead.people
    assert [e.raw for e in gareth.emails] == ["gareth.holroyd@pennine-photo.example"]
    assert gareth.phones == []
    assert [digits(p.raw) for p in aisha.phones] == ["01134960458"]
    assert phone_map(lead.phones) == [("01134960456", "tel"), ("01134960457", "fax")]
    assert [e.raw for e in lead.emails] == ["trade@pennine-photo.example"]


PENNINE_STAFF = [("Gareth Holroyd", "Managing Director"), ("Aisha Bello", "Trade Sales Manager")]


@pytest.mark.parametrize(
    "staff",
    [
        "<ul><li><strong>Gareth Holroyd</strong>, Managing Director</li>"
        "<li><strong>Aisha Bello</strong>, Trade Sales Manager</li></ul>",
        "<ul><li><strong>Gareth Holroyd</strong> Managing Director</li>"
        "<li><b>Aisha Bello</b> Trade Sales Manager</li></ul>",
        "<ul><li>Gareth Holroyd – Managing Director</li>"
        "<li>Aisha Bello – Trade Sales Manager</li></ul>",
        "<p>Gareth Holroyd, Managing Director</p><p>Aisha Bello, Trade Sales Manager</p>",
        "<p><strong>Gareth Holroyd</strong><br>Managing Director</p>"
        "<p><strong>Aisha Bello</strong><br>Trade Sales Manager</p>",
        "<dl><dt>Gareth Holroyd</dt><dd>Managing Director</dd>"
        "<dt>Aisha Bello</dt><dd>Trade Sales Manager</dd></dl>",
    ],
)
def test_name_and_title_lists_in_li_p_and_dl_forms(staff: str) -> None:
    html = (
        "<html><head><title>About – Pennine Photo Distribution</title></head><body>"
        f"<p>Telephone: 0113 496 0456</p><h2>Who to talk to</h2>{staff}</body></html>"
    )
    lead = lead_of(html, "https://pennine-photo.example/about/")
    assert people(lead) == PENNINE_STAFF
    assert phone_map(lead.phones) == [("01134960456", "tel")]


def test_thamesbridge_microdata_name_beats_the_title() -> None:
    # <title>Contact us – Thamesbridge Cameras</title>; <h1 itemprop="name">Thamesbridge Cameras Ltd
    lead = practice_lead("https://thamesbridge-cameras.example/contact-us.html")
    assert lead.name == "Thamesbridge Cameras Ltd"
    assert lead.address_raw == "41 Example Row, London, SE1 9ZZ, United Kingdom"
    assert people(lead) == [("Hannah Price", "Shop manager")]  # "Shop manager: Hannah Price"


def test_structured_name_beats_title_site_name_and_copyright() -> None:
    html = (
        "<html><head><title>Thamesbridge Cameras</title>"
        '<meta property="og:site_name" content="Thamesbridge Cameras">'
        '<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "ElectronicsStore", "name": "Thamesbridge Cameras Ltd",'
        ' "telephone": "020 7946 0123"}</script></head>'
        "<body><footer>© 2024 Thamesbridge Cameras</footer></body></html>"
    )
    lead = lead_of(html, "https://thamesbridge-cameras.example/")
    assert lead.name == "Thamesbridge Cameras Ltd"


def test_description_from_the_meta_description() -> None:
    # <meta name="description" content="Digital camera distributor for independent …">
    lead = practice_lead("https://pennine-photo.example/contact/")
    assert lead.description == "Digital camera distributor for independent retailers, Leeds."
    # 联系方式 page: <meta name="description" content="北京数码相机维修中心。">
    lead = practice_lead("https://shijietong-repair.example/lianxifangshi.html")
    assert lead.description == "北京数码相机维修中心。"


def test_the_organisations_own_description_comes_first() -> None:
    # <p itemprop="description">Camera shop: …</p> beside the meta "Buy digital cameras at …"
    lead = practice_lead("https://thamesbridge-cameras.example/contact-us.html")
    assert lead.description == "Camera shop: digital cameras, lenses and accessories."


def test_no_description_when_the_page_has_none() -> None:
    html = "<html><head><title>Contact</title></head><body><p>Tel: 0113 496 0456</p></body></html>"
    assert lead_of(html).description == ""


HONG_KONG_PAGE = """<html><head><title>Contact – Harbour Lamps Ltd</title></head><body>
<header><a href="/">Harbour Lamps</a></header>
<h1>Harbour Lamps Ltd</h1>
<p>Unit 5, 12/F, Kwai Shing Industrial Building, Kwai Chung, Hong Kong</p>
<table>
<tr><td>Showroom</td><td>2345 6789</td></tr>
<tr><td>Repairs</td><td>9876 5432</td></tr>
</table>
<p>Sales: sales@harbourlamps.com.hk</p>
<p>Business Registration No. 3456 7890 · Store manager salary 2700-3000 a week</p>
<footer>© 2024 Harbour Lamps Ltd</footer>
</body></html>"""


def test_unlabelled_local_numbers_in_cells_are_read_with_the_sites_country() -> None:
    # "2345 6789" and "9876 5432" carry no label: the scanner leaves them, the numbering plan
    # of .hk says they are a landline and a mobile; the registration number stays out
    lead = lead_of(HONG_KONG_PAGE, "https://www.harbourlamps.com.hk/contact")
    assert phone_map(lead.phones) == [("23456789", ""), ("98765432", "")]
    assert [e.raw for e in lead.emails] == ["sales@harbourlamps.com.hk"]
    # on a Chinese site the same digits have no area code: not numbers at all
    lead = lead_of(HONG_KONG_PAGE.replace("Hong Kong", "Kowloon"), "https://www.harbourlamps.cn/")
    assert lead.phones == []


_LISTING_AND_ORGS = (
    """<html><head><title>Acme Ltd</title>
<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
{"@type": "LocalBusiness", "name": "Birch Ltd", "telephone": "020 7946 0001"}]}</script>
</head><body><header class="site-header"><a class="user-name" href="/me">me</a></header>
<ul>"""
    + "".join(
        f'<li class="result"><h3 class="name"><a href="/c/{i}">Firm {i} Ltd</a></h3>'
        f"<p>Tel: 020 7946 010{i}</p><p>1 High Street, London</p></li>"
        for i in range(4)
    )
    + """</ul><footer><p>© 2024 Acme Ltd · info@acme.example</p></footer></body></html>"""
)


@pytest.mark.parametrize(
    "markup",
    [
        _LISTING_AND_ORGS,
        "<html><body><p>Acme Ltd</p><p>Tel: 020 7946 0000</p></body></html>",
    ],
)
def test_a_generic_page_is_freed_by_reference_counting(markup: str) -> None:
    """Nothing the extraction keeps on the page (its memos, the listing's name marks, the
    structured-data walk) refers back to it: the page and its tree go when the last
    reference does, not at the garbage collector's next run."""
    import gc

    gc.collect()
    gc.disable()
    try:
        page = Page.from_bytes("https://www.acme.example/contact", markup.encode())
        result = GenericPage().parse(page)
        assert result.status == "ok" and result.leads
        del page, result
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()
    assert left == []


def _legal_lines_line_by_line(text: str) -> list[str]:
    """:func:`legal_lines` as it was first written: every line stripped and tested."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if len(line) > 60 or not _NAME_START_RE.match(line):
            continue
        legal = LEGAL_SUFFIX_RE.search(line)
        if legal and legal.start() > 0 and not _NOT_LEGAL_LINE_RE.search(line):
            out.append(line.rstrip(" ,"))
    return out


_LEGAL_PIECES = st.sampled_from(
    [
        "Ltd",
        "ltd.",
        "Inc",
        "Co",
        "Company",
        "GmbH",
        "S.A.",
        "Trading",
        "Group",
        "LLC",
        "Acme",
        "Birch",
        "acme",
        "1 High St",
        "\u0130nc",
        "\u212ag",
        "by",
        "©",
        "2024",
        "Kestrel Camera",
        "hours",
        "x" * 50,
        "_",
        "-",
        ",",
        ".",
        "@",
        "é",
    ]
)
_GAPS = st.sampled_from([" ", "  ", "\n", " \n ", "\t", "\u3000", "\n\n", "", "\xa0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_LEGAL_PIECES, _GAPS), max_size=30))
def test_legal_lines_is_the_line_by_line_reading(pieces: list[tuple[str, str]]) -> None:
    text = "".join(piece + gap for piece, gap in pieces)
    assert legal_lines(text) == _legal_lines_line_by_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Acme Ltd\nCo Ltd trading\n  Birch Trading Ltd  \nContact Acme Inc.",
        "Trading hours\nAcme Holdings, \n© 2024 Acme Ltd\nAcme Ltd by Birch",
        "   Ltd Acme\n\nBirch Group Ltd\n" + "A" * 58 + " Ltd\n" + "A" * 59 + " Ltd",
    ],
)
def test_legal_lines_examples(text: str) -> None:
    assert legal_lines(text) == _legal_lines_line_by_line(text)
    assert legal_lines(text)


@pytest.mark.realpages
def test_legal_lines_of_real_pages() -> None:
    from spiders.pages.blocktext import block_text
    from tests.test_expected_outputs import expected_files, load_expected

    seen = 0
    for path in expected_files():
        data = load_expected(path)
        page = real_page(data["fixture"], data["url"])
        text = block_text(page)
        assert legal_lines(text) == _legal_lines_line_by_line(text)
        seen += bool(legal_lines(text))
    assert seen >= 5
