"""alibaba.com page object on a real category listing and synthetic pages.

Expected values were read from the saved page: its ``offerList`` JSON holds 21 offers from 20
supplier names (Shenzhen Xinsichuang Arts And Crafts has two shops), while the 8 rendered
cards only say "Supplier". Synthetic pages describe fictional suppliers (example.* domains).
"""

from __future__ import annotations

import pytest

from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

LISTING = "b2b/alibaba/category_listing_art_paintings_2022__Myusico-alibaba-scraper.html"
URL = "https://www.alibaba.com/trade/search?fsb=y&IndexArea=product_en&CatId=&SearchText=art"


@pytest.fixture(scope="module")
def listing() -> PageExtraction:
    return extract_page(real_page(LISTING, URL))


def test_host_picks_the_source() -> None:
    source = source_for_url(URL)
    assert (source.name, source.method, source.language) == ("alibaba", "industry_site", "en")
    assert source_for_url("https://tyyggy.en.alibaba.com/contactinfo.html").name == "alibaba"
    assert source_for_url("https://s.1688.com/selloffer/offer_search.htm").name == "alibaba_1688"


@pytest.mark.realpages
def test_one_lead_per_supplier_from_the_script_data(listing: PageExtraction) -> None:
    assert (listing.status, listing.source) == ("ok", "alibaba")
    names = [lead.name for lead in listing.leads]
    assert len(names) == 20
    assert names[0] == "Guangxi Tengya Yigu Handicraft Co., Ltd."
    assert "INDART EXPORTS" in names and "Fuzhou Ice Orange Aesthetic Home Art Co., Ltd." in names
    assert names.count("Shenzhen Xinsichuang Arts And Crafts Co., Ltd.") == 1
    # a listing shows no contacts at all
    assert all(not lead.phones and not lead.emails for lead in listing.leads)


@pytest.mark.realpages
def test_supplier_location_products_and_links(listing: PageExtraction) -> None:
    first = listing.leads[0]
    assert (first.country, first.region, first.address_raw) == ("CN", "Guangxi", "Guangxi, China")
    assert first.products.startswith("handmade paper art frame,shadow box wall art")
    assert "Handmade Paper Flowers Wall Art Frame Home Decoration" in first.products
    indart = next(lead for lead in listing.leads if lead.name == "INDART EXPORTS")
    assert (indart.country, indart.region) == ("IN", "UTTAR PRADESH")
    oulaliye = next(lead for lead in listing.leads if lead.name.startswith("Shishi Oulaliye"))
    assert oulaliye.products.startswith("Art & Craft")  # &amp; unescaped
    links = [(k.kind, k.url) for k in listing.links if k.lead_name == first.name]
    assert links == [
        ("detail", "https://tyyggy.en.alibaba.com/company_profile.html"),
        ("contact", "https://tyyggy.en.alibaba.com/contactinfo.html"),
    ]
    two_shops = [
        k.url
        for k in listing.links
        if k.kind == "detail" and k.lead_name == "Shenzhen Xinsichuang Arts And Crafts Co., Ltd."
    ]
    assert two_shops == [
        "https://szbcarts.en.alibaba.com/company_profile.html",
        "https://bcarts.en.alibaba.com/company_profile.html",
    ]
    # 1,005,338 offers in all: the next page is page=2 of the same search
    assert listing.links[-1].kind == "next"
    assert listing.links[-1].url == URL + "&page=2"


def test_rendered_cards_without_script_data() -> None:
    html = """<html><body><div class="organic-list">
    <div class="card"><h2><a href="//www.alibaba.com/product-detail/x_1.html">Widget</a></h2>
     <a class="search-card-e-company"
  href="//widgetco.en.alibaba.com/company_profile.html">Example Widget Co., Ltd.</a>
     <span class="search-card-e-country" title="China">CN</span></div>
    <div class="card"><a href="//gizmo.en.alibaba.com/company_profile.html">Supplier</a></div>
    </div></body></html>"""
    result = extract_page(Page(url=URL, text=html))
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["Example Widget Co., Ltd."]
    assert [(k.kind, k.url) for k in result.links] == [
        ("detail", "https://widgetco.en.alibaba.com/company_profile.html"),
        ("contact", "https://widgetco.en.alibaba.com/contactinfo.html"),
    ]


def test_minisite_contact_page() -> None:
    html = """<html><body><div class="header">Alibaba.com service: +1 555 0100</div>
    <h1 class="company-name">Example Widget Co., Ltd.</h1>
    <table class="contact-table">
     <tr><th>Contact Person:</th><td>Ms. Lily Chen</td></tr>
     <tr><th>Telephone:</th><td>86-571-55550101</td></tr>
     <tr><th>Mobile Phone:</th><td>86-139****0101</td></tr>
     <tr><th>Address:</th><td>No. 1 Example Road, Hangzhou, Zhejiang, China</td></tr>
    </table></body></html>"""
    result = extract_page(Page(url="https://widgetco.en.alibaba.com/contactinfo.html", text=html))
    assert result.status == "ok"
    (lead,) = result.leads
    assert lead.name == "Example Widget Co., Ltd."
    assert [(p.raw, p.label, p.masked) for p in lead.phones] == [
        ("86-571-55550101", "tel", False),
        ("86-139****0101", "mobile", True),
    ]
    assert lead.masked
    assert [(p.name, p.title) for p in lead.people] == [("Ms. Lily Chen", "")]
    assert lead.address_raw == "No. 1 Example Road, Hangzhou, Zhejiang, China"


def test_captcha_page_is_blocked() -> None:
    html = (
        "<html><body><script>var url='/punish?x5secdata=abc'</script>slide to verify</body></html>"
    )
    assert extract_page(Page(url=URL, text=html)).status == "blocked"
