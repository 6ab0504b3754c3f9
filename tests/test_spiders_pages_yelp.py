"""Yelp page object: a real 2013 business page (microdata) and today's page shape (synthetic).

The synthetic pages describe fictional businesses (555-01xx numbers, example.* domains) in
the current markup: JSON-LD LocalBusiness, a sidebar with "Business website" (a biz_redir
link), "Phone number" and "Get Directions" + address, and review JSON-LD with people in it.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page
from tests.realpages import real_page

BIZ_2013 = "directories/yelp/biz_amnesia_sf_2013__scrapy-drupal-org.html"
BIZ_URL = "https://www.yelp.com/biz/amnesia-san-francisco"

CURRENT = """<html><head><title>Harbor Noodle House - San Francisco - Yelp</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Restaurant",
 "name": "Harbor Noodle House", "servesCuisine": "Noodles",
 "address": {"@type": "PostalAddress", "streetAddress": "100 Example St",
  "addressLocality": "San Francisco", "addressRegion": "CA", "postalCode": "94107",
  "addressCountry": "US"},
 "review": [{"@type": "Review", "author": {"@type": "Person", "name": "Pat Q."}}]}</script>
</head><body>
<header><a href="/signup">Sign up</a> <a href="tel:4155550100">Yelp support</a></header>
<h1 class="css-1se8maq">Harbor Noodle House</h1>
<aside><section>
 <div><p class="css-na3oda">Business website</p>
  <p><a href="/biz_redir?url=https%3A%2F%2Fwww.harbor-noodle.example&amp;cachebuster=1&amp;s=abc"
   target="_blank" rel="noopener nofollow">harbor-noodle.example</a></p></div>
 <div><p class="css-na3oda">Phone number</p><p class="css-1p9ibgf">(415) 555-0123</p></div>
 <div><p><a href="/map/harbor-noodle-house-san-francisco">Get Directions</a></p>
  <p class="css-qyp8bo">100 Example St San Francisco, CA 94107</p></div>
</section></aside></body></html>"""

SEARCH = """<html><body><ul>
<li><div><h3><span>1. </span>
  <a href="/biz/harbor-noodle-house-san-francisco?osq=noodles">Harbor Noodle House</a></h3>
 <p><a href="tel:4155550123">(415) 555-0123</a></p></div></li>
<li><div><h3><a href="/biz/pier-dumplings-san-francisco">2. Pier Dumplings</a></h3></div></li>
</ul><a class="next-link navigation-button" href="/search?find_desc=noodles&amp;start=10">Next</a>
</body></html>"""


def test_host_picks_the_source() -> None:
    source = source_for_url(BIZ_URL)
    assert (source.name, source.method, source.region) == ("yelp", "yellow_pages", "US")


@pytest.mark.realpages
def test_2013_business_page_microdata() -> None:
    result = extract_page(real_page(BIZ_2013, BIZ_URL))
    assert (result.status, result.source) == ("ok", "yelp")
    (lead,) = result.leads  # ~40 reviews, each a schema.org item with a person: none is a lead
    assert lead.name == "Amnesia"
    assert [(p.raw, p.label) for p in lead.phones] == [("(415) 970-0012", "tel")]
    assert lead.address_raw == "853 Valencia St, San Francisco, CA 94110"
    assert (lead.city, lead.region, lead.postcode) == ("San Francisco", "CA", "94110")
    assert lead.website == "http://www.amnesiathebar.com"  # decoded from /biz_redir?url=
    assert lead.products == "Dive Bars; Music Venues"
    assert lead.emails == [] and lead.people == []
    assert [(k.kind, k.url) for k in result.links] == [("website", "http://www.amnesiathebar.com")]


def test_current_business_page() -> None:
    result = extract_page(
        Page(url="https://www.yelp.com/biz/harbor-noodle-house-san-francisco", text=CURRENT)
    )
    assert result.status == "ok"
    (lead,) = result.leads
    assert lead.name == "Harbor Noodle House"
    assert [p.raw for p in lead.phones] == ["(415) 555-0123"]  # not Yelp's own number
    assert lead.website == "https://www.harbor-noodle.example"
    assert lead.address_raw == "100 Example St, San Francisco, CA 94107"
    assert lead.products == "Noodles"
    assert lead.people == []


def test_current_page_without_json_ld_reads_the_sidebar() -> None:
    html = CURRENT.split("<script")[0] + CURRENT.split("</script>")[1]
    result = extract_page(
        Page(url="https://www.yelp.com/biz/harbor-noodle-house-san-francisco", text=html)
    )
    (lead,) = result.leads
    assert lead.name == "Harbor Noodle House"
    assert lead.address_raw == "100 Example St San Francisco, CA 94107"
    assert [p.raw for p in lead.phones] == ["(415) 555-0123"]


def test_search_results() -> None:
    result = extract_page(Page(url="https://www.yelp.com/search?find_desc=noodles", text=SEARCH))
    assert result.status == "ok"
    assert [lead.name for lead in result.leads] == ["Harbor Noodle House", "Pier Dumplings"]
    assert [p.raw for p in result.leads[0].phones] == ["(415) 555-0123"]
    assert [(k.kind, k.url) for k in result.links] == [
        ("detail", "https://www.yelp.com/biz/harbor-noodle-house-san-francisco"),
        ("detail", "https://www.yelp.com/biz/pier-dumplings-san-francisco"),
        ("next", "https://www.yelp.com/search?find_desc=noodles&start=10"),
    ]


def test_captcha_page_is_blocked() -> None:
    html = "<html><head><title>Yelp</title></head><body>Please complete the captcha</body></html>"
    result = extract_page(Page(url=BIZ_URL, text=html))
    assert result.status == "blocked"


def _char_refs_in_order(text: str) -> set[str]:
    """``_char_refs`` as first written: every reference converted in page order."""
    import string

    from spiders.pages.yelp import _CHAR_REF_RE

    chars: set[str] = set()
    for match in _CHAR_REF_RE.finditer(text):
        hex_digits, digits = match.groups()
        try:
            chars.add(chr(int(hex_digits, 16) if hex_digits else int(digits)))
        except (ValueError, OverflowError):
            return set(string.printable)
    return chars


@given(
    st.lists(
        st.sampled_from(["&#39;", "&#x41;", "&#X6a;", "&#99999999;", "&#;", "&#", "a", "&#0;"]),
        max_size=8,
    ).map("".join)
)
def test_char_refs_is_each_reference_in_order(text: str) -> None:
    from spiders.pages.yelp import _char_refs

    assert _char_refs(text) == _char_refs_in_order(text)
