"""yellowpages.com page object: real block / no-results pages and synthetic listings.

No real yellowpages.com results page with listings could be found, so the listing and detail
pages below are written in the site's markup (div.result / div.info / a.business-name /
div.phones / div.street-address / a.track-visit-website; #main-header, a.email-business,
General Info dt/dd) about fictional businesses: 555-01xx numbers, example.* domains.
"""

from __future__ import annotations

import pytest

from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

BLOCKED = "directories/yellowpages_com/BLOCKED_cloudflare__Email-Scraper.html"
NO_RESULTS = "directories/yellowpages_com/NO_RESULTS_invalid_search__scraper-g1000.html"
SRP_URL = (
    "https://www.yellowpages.com/search?search_terms=plumber&geo_location_terms=Springfield%2C+IL"
)

SRP = """<html><head><title>Plumbers in Springfield, IL | YP.com</title></head><body>
<header><a href="tel:8005550100">Advertise with us 1-800-555-0100</a></header>
<div class="search-results organic">
 <div class="result" id="lid-1001"><div class="srp-listing clickable-area">
  <div class="v-card"><div class="info">
   <div class="info-section info-primary">
    <h2 class="n">1. <a class="business-name"
  href="/springfield-il/mip/acme-pipe-works-1001?lid=1001"><span>Acme Pipe Works</span></a></h2>
    <div class="categories"><a href="/springfield-il/plumbers">Plumbers</a>
  <a href="/springfield-il/water-heaters">Water Heaters</a></div>
   </div>
   <div class="info-section info-secondary">
    <div class="phones phone primary">(217) 555-0142</div>
    <div class="adr"><div class="street-address">12 Example Ave</div>
  <div class="locality">Springfield, IL 62701</div></div>
    <div class="links">
  <a class="track-visit-website" href="https://www.acme-pipe.example/"
  rel="nofollow">Website</a></div>
   </div>
  </div></div>
 </div></div>
 <div class="result" id="lid-1002"><div class="srp-listing">
  <div class="v-card"><div class="info">
   <h2 class="n">2. <a class="business-name" href="/springfield-il/mip/drip-doctors-1002">
  <span>Drip Doctors</span></a></h2>
   <div class="phones phone primary">(217) 555-0177</div>
   <div class="adr"><div class="locality">Springfield, IL</div></div>
  </div></div>
 </div></div>
</div>
<div class="pagination"><p>We found 57 results</p><ul>
 <li><a class="next ajax-page"
  href="/search?search_terms=plumber&amp;geo_location_terms=Springfield%2C+IL&amp;page=2">Next</a></li>
</ul></div>
<footer>YP, Thryv, Inc. <a href="mailto:support@yellowpages.com">support@yellowpages.com</a>
  </footer>
</body></html>"""

MIP = """<html><head><title>Acme Pipe Works - Springfield, IL</title></head><body>
<div id="main-header" class="business-card">
 <h1 class="dockable business-name">Acme Pipe Works</h1>
 <section id="default-ctas"><a class="phone dockable" href="tel:2175550142">
  <strong>(217) 555-0142</strong></a>
 <a class="website-link dockable" href="https://www.acme-pipe.example/">Visit Website</a></section>
 <span class="address"><span>12 Example Ave</span> Springfield, IL 62701</span>
</div>
<section id="business-info"><h2>General Info</h2><dl>
 <dt>Email</dt><dd>
  <a class="email-business" href="mailto:office@acme-pipe.example">Email Business</a></dd>
 <dt>Phones</dt><dd class="extra-phones"><p><span>Fax:</span> <span>(217) 555-0143</span></p>
 <p><span>Other Phone:</span> <span>(217) 555-0144</span></p></dd>
 <dt>Categories</dt><dd class="categories"><a>Plumbers</a>, <a>Drain Cleaning</a></dd>
</dl></section>
<footer>Call YP at 1-800-555-0100</footer></body></html>"""


def _page(html: str, url: str) -> PageExtraction:
    return extract_page(Page(url=url, text=html))


def test_host_picks_the_source() -> None:
    source = source_for_url(SRP_URL)
    assert (source.name, source.method, source.region) == ("yellowpages_com", "yellow_pages", "US")
    assert (
        source_for_url("https://www.yellowpages.com.au/search/listings").name != "yellowpages_com"
    )


@pytest.mark.realpages
def test_cloudflare_block_page_is_blocked() -> None:
    result = extract_page(real_page(BLOCKED, SRP_URL))
    assert (result.status, result.reason) == ("blocked", "Cloudflare block")
    assert result.leads == []


@pytest.mark.realpages
def test_invalid_search_page_is_no_results() -> None:
    url = "https://www.yellowpages.com/search?search_terms=Landscaping+Companies"
    result = extract_page(real_page(NO_RESULTS, url))
    assert result.status == "no_results"
    assert result.leads == []
    assert "found no listings" in result.reason


def test_results_cards() -> None:
    result = _page(SRP, SRP_URL)
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["Acme Pipe Works", "Drip Doctors"]
    acme, drip = result.leads
    assert [(p.raw, p.label) for p in acme.phones] == [("(217) 555-0142", "tel")]
    assert acme.address_raw == "12 Example Ave, Springfield, IL 62701"
    assert (acme.city, acme.region, acme.postcode) == ("Springfield", "IL", "62701")
    assert acme.website == "https://www.acme-pipe.example/"
    assert acme.products == "Plumbers; Water Heaters"
    assert drip.website == "" and drip.address_raw == "Springfield, IL"
    # the directory's own numbers and e-mail stay out of every lead
    assert all("0100" not in p.raw for lead in result.leads for p in lead.phones)
    assert all(not lead.emails for lead in result.leads)
    kinds = [(k.kind, k.url) for k in result.links]
    assert (
        "detail",
        "https://www.yellowpages.com/springfield-il/mip/acme-pipe-works-1001?lid=1001",
    ) in kinds
    assert ("website", "https://www.acme-pipe.example/") in kinds
    assert kinds[-1] == (
        "next",
        "https://www.yellowpages.com/search?search_terms=plumber&geo_location_terms=Springfield%2C+IL&page=2",
    )


def test_detail_page() -> None:
    result = _page(MIP, "https://www.yellowpages.com/springfield-il/mip/acme-pipe-works-1001")
    assert result.status == "ok"
    (lead,) = result.leads
    assert lead.name == "Acme Pipe Works"
    assert [(p.raw, p.label) for p in lead.phones] == [
        ("(217) 555-0142", "tel"),
        ("(217) 555-0143", "fax"),
        ("(217) 555-0144", "tel"),
    ]
    assert [e.raw for e in lead.emails] == ["office@acme-pipe.example"]
    assert lead.website == "https://www.acme-pipe.example/"
    assert lead.address_raw == "12 Example Ave Springfield, IL 62701"
    assert lead.products == "Plumbers; Drain Cleaning"


def test_json_ld_fallback() -> None:
    html = """<html><body><script type="application/ld+json">[{"@context": "http://schema.org",
    "@type": "LocalBusiness", "name": "Cedar Roofing", "telephone": "(217) 555-0188",
    "address": {"streetAddress": "9 Sample Rd", "addressLocality": "Springfield",
    "addressRegion": "IL", "postalCode": "62702"}}]</script></body></html>"""
    result = _page(html, SRP_URL)
    assert result.status == "ok"
    (lead,) = result.leads
    assert (lead.name, lead.phones[0].raw) == ("Cedar Roofing", "(217) 555-0188")
    assert lead.address_raw == "9 Sample Rd, Springfield, IL 62702"


def test_empty_results_page_is_no_results() -> None:
    html = "<html><head><title>YP</title></head><body><h1>No results found for xyzzy</h1>"
    assert _page(html, SRP_URL).status == "no_results"
