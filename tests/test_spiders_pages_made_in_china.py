"""made-in-china.com page object on a real supplier showroom and a synthetic supplier list.

Expected values were read from the saved showroom of Dongguan Bidisco Electric CO., LTD:
Business Type "Manufacturer/Factory & Trading Company", Main Products "Hair Straightener,
Hair Curler", the address row, "Guangdong, China", and the side card's "Ms. Anny" /
"Manager". The page shows no phone or e-mail. The list below describes fictional suppliers.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction, attr_index
from spiders.pages.made_in_china import _NAME_XPATH, _name_block
from tests.realpages import real_page

SHOWROOM = "b2b/made_in_china/company_showroom_bidisco__madeinchinascraper.html"
URL = "https://bidisco.en.made-in-china.com/"


@pytest.fixture(scope="module")
def showroom() -> PageExtraction:
    return extract_page(real_page(SHOWROOM, URL))


def test_host_picks_the_source() -> None:
    source = source_for_url(URL)
    assert (source.name, source.method, source.language, source.region) == (
        "made_in_china",
        "industry_site",
        "en",
        "CN",
    )


@pytest.mark.realpages
def test_showroom_supplier(showroom: PageExtraction) -> None:
    assert (showroom.status, showroom.source) == ("ok", "made_in_china")
    (lead,) = showroom.leads
    assert lead.name == "Dongguan Bidisco Electric CO., LTD"
    assert lead.business_type == "manufacturer"
    assert "Manufacturer/Factory & Trading Company" in lead.business_type_reason
    assert lead.products == "Hair Straightener, Hair Curler"
    assert lead.address_raw == "NO.297 JIANGNAN ROAD, QISHI TOWN, DONGGUAN CITY, GUANGDONG PROVINCE"
    assert (lead.region, lead.country) == ("Guangdong", "CN")
    assert [(p.name, p.title) for p in lead.people] == [("Ms. Anny", "Manager")]
    assert lead.phones == [] and lead.emails == []
    assert lead.website == ""  # the showroom is the portal's page
    assert lead.description.startswith("Hair Straightener, Hair Curler, Curling Iron manufacturer")


@pytest.mark.realpages
def test_showroom_links(showroom: PageExtraction) -> None:
    assert [(k.kind, k.url) for k in showroom.links] == [
        ("contact", "https://bidisco.en.made-in-china.com/contact-info.html"),
        (
            "detail",
            "https://bidisco.en.made-in-china.com/company-Dongguan-Bidisco-Electric-CO-LTD.html",
        ),
    ]


def test_supplier_list() -> None:
    html = """<html><body><div class="search-list">
    <div class="list-node"><h2 class="company-name">
      <a href="https://examplewidget.en.made-in-china.com" title="Example Widget Co.,
  Ltd.">Example Widget Co., Ltd.</a></h2>
      <div class="info-item"><span class="info-label">Main Products:</span>
  <span class="info-fields">Widgets, Gears</span></div>
      <div class="info-item"><span class="info-label">Business Type:</span>
  <span class="info-fields">Trading Company</span></div>
      <a href="https://examplewidget.en.made-in-china.com/product/abc/China-Widget.html">Blue
  Widget</a>
    </div>
    <div class="list-node"><h2 class="company-name">
      <a href="https://samplegear.en.made-in-china.com/">Sample Gear Factory</a></h2></div>
    </div><a class="next" href="/companysearch.do?word=widget&amp;page=2">Next</a>
    <div class="footer">Focus Technology Co., Ltd. <a
  href="https://www.made-in-china.com/">Home</a></div>
    </body></html>"""
    result = extract_page(
        Page(url="https://www.made-in-china.com/companysearch.do?word=widget", text=html)
    )
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == [
        "Example Widget Co., Ltd.",
        "Sample Gear Factory",
    ]
    widget = result.leads[0]
    assert (widget.products, widget.business_type) == ("Widgets, Gears", "agent_trading")
    assert [(k.kind, k.url) for k in result.links] == [
        ("detail", "https://examplewidget.en.made-in-china.com/"),
        ("contact", "https://examplewidget.en.made-in-china.com/contact-info.html"),
        ("detail", "https://samplegear.en.made-in-china.com/"),
        ("contact", "https://samplegear.en.made-in-china.com/contact-info.html"),
        ("next", "https://www.made-in-china.com/companysearch.do?word=widget&page=2"),
    ]


_NAME_PIECES = st.sampled_from(
    [
        '<div class="J-title-comName"><h1>A</h1><p class="com-name">B</p></div>',
        '<div class="J-title-comName"><span>no heading</span></div>',
        '<h1 class="company-name">C</h1>',
        '<span class="shop-sign__header-title--text">D</span>',
        '<div class="com-name"><div class="J-title-comName"><h1>E</h1></div></div>',
        "<h1>F</h1>",
        '<p class="x">G</p>',
    ]
)


@given(st.lists(_NAME_PIECES, max_size=5))
def test_name_block_is_the_name_query(pieces: list[str]) -> None:
    page = Page(
        url="https://acme.en.made-in-china.com/",
        text=f"<html><body>{''.join(pieces)}</body></html>",
    )
    expected = page.selector.xpath(_NAME_XPATH)
    found = _name_block(attr_index(page, "class"))
    assert found is (expected[0].root if expected else None)
