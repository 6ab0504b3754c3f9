"""Google's results page object: desktop, basic HTML, local pack, walls and empty pages.

Expected values for the real pages (tests/expected/search_engines/google/*.json) were read
from the saved HTML with grep and an independent regex, not from the parser's output. The
synthetic pages below are written in Google's markup shapes about fictional businesses
(example.* domains, Ofcom's drama numbers 0113 496 0xxx / 020 7946 0xxx).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest.items import Lead
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from spiders.pages.google import (
    _NOTICE_PHRASES_RE,
    GooglePage,
    _holds_notice_phrase,
    decode_google_redirect,
    is_google_url,
    strip_tracking,
)
from tests.markup import tree_markup
from tests.realpages import real_page

EXPECTED = Path(__file__).resolve().parent / "expected" / "search_engines" / "google"
NOJS = "hotels_nyc_nojs__serp-parser.html"
LOCAL = "dentist_in_london__business-scraper.html"
SERP_URL = "https://www.google.com/search?q=plumber+leeds&hl=en"


def _parse(html: str, url: str = SERP_URL) -> PageExtraction:
    return GooglePage().parse(Page(url=url, text=html))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _lead(result: PageExtraction, name: str) -> Lead:
    matches = [lead for lead in result.leads if lead.name == name]
    assert len(matches) == 1, f"{name!r}: {len(matches)} leads in {[x.name for x in result.leads]}"
    return matches[0]


# -- catalogue and URL helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=x",
        "https://www.google.co.uk/search?q=x",
        "https://google.com.au/search?q=x",
        "https://www.google.de/search?q=x",
        "https://consent.google.com/ml?continue=x",
        "https://ipv4.google.com/sorry/index?continue=x",
    ],
)
def test_google_hosts_pick_the_google_source(url: str) -> None:
    source = source_for_url(url)
    assert (source.name, source.method, source.query_syntax) == (
        "google",
        "search_engine",
        "google",
    )


def test_search_url_asks_for_english() -> None:
    assert source_for_url("", "google").search_urls("plumber leeds") == [
        "https://www.google.com/search?q=plumber+leeds&hl=en"
    ]


@pytest.mark.parametrize(
    ("href", "target"),
    [
        (
            "/url?q=https://www.example.com/a%3Fb%3D1&sa=U&ved=2ahUKE&usg=AOvVaw0",
            "https://www.example.com/a?b=1",
        ),
        ("/url?url=https://www.example.org/x&rct=j&sa=t&usg=AOv", "https://www.example.org/x"),
        (
            "https://www.google.co.uk/url?sa=t&url=https%3A%2F%2Fexample.net%2F",
            "https://example.net/",
        ),
        (
            "https://www.googleadservices.com/pagead/aclk?sa=L&ai=x&adurl=https://ad.example.com/"
            "%3Fgclid%3Dabc%26page%3D2",
            "https://ad.example.com/?page=2",
        ),
        (
            "https://shop.example.com/p?srsltid=AfmBOo&id=7#:~:text=taps",
            "https://shop.example.com/p?id=7",
        ),
        ("https://www.example.com/plain#section", "https://www.example.com/plain#section"),
        # an empty wrapper stays what it was: nothing to decode
        ("/aclk?sa=l&ai=x&adurl=", "https://www.google.com/aclk?sa=l&ai=x&adurl="),
    ],
)
def test_decode_google_redirect(href: str, target: str) -> None:
    assert decode_google_redirect(href) == target


def test_strip_tracking_keeps_other_parameters_as_written() -> None:
    assert (
        strip_tracking("https://e.example/p?a=%20b&gclid=1&c=d") == "https://e.example/p?a=%20b&c=d"
    )


@pytest.mark.parametrize(
    ("url", "internal"),
    [
        ("https://maps.google.com/maps?q=x", True),
        ("https://www.google.co.in/search?q=x", True),
        ("https://webcache.googleusercontent.com/search?q=cache:x", True),
        ("https://accounts.google.com/ServiceLogin", True),
        ("https://support.google.com/websearch", True),
        ("https://policies.google.com/privacy", True),
        ("https://blog.google/products/", True),
        ("/search?q=x", True),
        ("https://www.googlegear-example.com/", False),
        ("https://www.example.com/google.com", False),
    ],
)
def test_is_google_url(url: str, internal: bool) -> None:
    assert is_google_url(url) is internal


# -- real pages against their expected outputs -------------------------------------------------


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / name.replace(".html", ".json")).read_text())
    return data


@pytest.mark.realpages
@pytest.mark.parametrize("fixture", [NOJS, LOCAL])
def test_real_page_matches_expected_output(fixture: str) -> None:
    exp = _expected(fixture)
    assert exp["fixture"] == f"search_engines/google/{fixture}"
    page = real_page(exp["fixture"], exp["url"])
    result = extract_page(page)
    assert (result.source, result.status) == (exp["source"], exp["status"])
    got = sorted((r.url, r.title, r.ad) for r in result.search_results)
    assert got == sorted((r["url"], r["title"], r["ad"]) for r in exp.get("search_results", []))
    assert sorted(lead.name.lower() for lead in result.leads) == sorted(
        lead["name"].lower() for lead in exp.get("leads", [])
    )
    for want in exp.get("leads", []):
        lead = _lead(result, want["name"])
        assert sorted(_digits(p.raw)[-8:] for p in lead.phones) == sorted(
            _digits(p)[-8:] for p in want["phones"]
        )
        assert [e.raw for e in lead.emails] == want["emails"]
        assert lead.website == want["website"]
    assert any(lead.masked for lead in result.leads) is exp["masked"]


@pytest.mark.realpages
def test_basic_html_page_ads_snippets_places_and_next() -> None:
    result = GooglePage().parse(real_page(f"search_engines/google/{NOJS}", SERP_URL))
    organic = [r for r in result.search_results if not r.ad]
    ads = [r for r in result.search_results if r.ad]
    assert [r.rank for r in organic] == list(range(1, 10))
    assert [r.rank for r in ads] == [1, 2, 3]
    assert organic[0].snippet.startswith("Where to stay in New York?")
    assert "Cheap Hotels (348)" not in organic[0].snippet  # the sitelinks row is not the snippet
    assert ads[0].snippet.startswith("Book your Hotel in New York City now.")
    assert all(not is_google_url(r.url) for r in result.search_results)
    # the "Top stories" news carousel is not a list of organic results
    assert not any("nytimes.com" in r.url for r in result.search_results)
    hotel = _lead(result, "The Manhattan at Times Square Hotel")
    assert hotel.address_raw == "790 7th Ave"
    assert "3.1" in hotel.description
    details = [k for k in result.links if k.kind == "detail"]
    assert len(details) == 3 and all("ludocid=" in k.url for k in details)
    assert [k.url for k in result.links if k.kind == "next"] == [
        "https://www.google.com/search?q=hotels+NYC&safe=off&gl=US&pws=0&nfpr=1"
        "&ei=2xh6ZKbxFL6l0PEP5cOQ-Ak&start=10&sa=N&filter=0"
    ]
    assert len([k for k in result.links if k.kind == "result"]) == 9


@pytest.mark.realpages
def test_local_finder_listings_carry_category_address_and_rating() -> None:
    result = GooglePage().parse(real_page(f"search_engines/google/{LOCAL}", SERP_URL))
    assert result.status == "ok" and not result.search_results
    bridge = _lead(result, "Bridge Dental")
    assert (bridge.products, bridge.address_raw) == ("Dentist", "91 Borough High Street")
    assert "Sponsored" in bridge.description
    odl = _lead(result, "ODL Dental Clinic - Affordable Braces London")
    assert odl.address_raw == "Unit 1, Salisbury House, 31 Finsbury Circus"
    assert odl.products == "Dental clinic"
    assert "1.4K" in odl.description
    assert _lead(result, "Covent Garden Dental Spa").products == "Cosmetic dentist"
    # review quotes, opening hours and "On-site services" are never the address
    for lead in result.leads:
        assert lead.address_raw and not lead.address_raw.startswith(('"', "Open", "Closed"))
        assert lead.address_raw != "On-site services"
        assert not lead.phones
    nxt = [k.url for k in result.links if k.kind == "next"]
    assert len(nxt) == 1 and "start=20" in nxt[0]


# -- synthetic pages: modern desktop layout ------------------------------------------------------

_LISTING = """
<div jscontroller="AtSb" class="w7Dbne"><div class="uMdZh tIxNaf"><div class="VkpGBb">
 <div class="cXedhc"><a class="vwVdIc wzN8Ac rllt__link" data-cid="{cid}" role="button">
  <div><div class="rllt__details">{lines}</div></div></a></div>
 <div class="Rwjeuc">{buttons}
  <div><a class="VByer" href="/maps/dir//{cid}" data-url="/maps/dir//{cid}">Directions</a></div>
 </div></div></div></div>
"""

DESKTOP = (
    """<!doctype html><html><head><title>plumber leeds - Google Search</title></head>
<body class="srp" id="gsr"><div id="main"><div id="cnt"><div id="center_col">
<div id="taw"><div id="tvcap"><div id="tads">
 <div data-text-ad="1"><div class="v5yQqb">
  <a class="sVXRqc" data-rw="https://www.googleadservices.com/pagead/aclk?sa=L&amp;ai=x&amp;adurl="
     href="https://www.pipefix-example.co.uk/leeds?gclid=abc123&amp;utm_campaign=spring"
     data-pcu="https://www.pipefix-example.co.uk/">
   <div role="link" aria-label="pipefix-example.co.uk"><span class="U3A9Ac">Sponsored</span>
    <span data-dtld="pipefix-example.co.uk">pipefix-example.co.uk</span></div>
   <div role="heading" aria-level="3"><span>PipeFix Leeds - 24/7 Emergency Plumber</span></div>
  </a></div>
  <div class="MUxGbd yDYNvb lyLwlc">Fictional practice ad: fast call-outs across Leeds.</div>
 </div>
 <div data-text-ad="1"><div class="v5yQqb">
  <a href="/aclk?sa=l&amp;ai=y&amp;adurl=https://www.drainco-example.com/offer%3Fgclid%3Dzz">
   <div role="heading" aria-level="3"><span>DrainCo - Drains Unblocked Today</span></div></a>
  </div><div class="MUxGbd yDYNvb lyLwlc">Drains cleared, fictional prices.</div>
 </div>
</div></div></div>
<div id="search"><div id="rso">
 <div class="MjjYud"><div class="g"><div class="yuRUbf"><div>
  <a href="https://www.leedsplumbing-example.co.uk/" data-ved="x"><br><h3>Leeds Plumbing Co</h3>
   <div><cite>https://www.leedsplumbing-example.co.uk</cite></div></a></div></div>
  <div data-sncf="1"><div class="VwiC3b"><span>Family-run plumbers serving Leeds since 1999.
   Our systems have detected unusual traffic on your pipes.</span></div></div></div></div>
 <div class="MjjYud"><div class="g"><div class="yuRUbf">
  <a href="/url?q=https://www.boilerhelp-example.com/leeds%3Fref%3Dlist&amp;sa=U&amp;ved=2ah&amp;usg=AOv">
  <h3>Boiler Help Leeds</h3></a></div>
  <div class="VwiC3b">Boiler repairs and servicing, captcha-free booking.</div></div></div>
 <div class="MjjYud"><div class="g"><div class="yuRUbf">
  <a href="https://shop.example.com/taps?srsltid=AfmBOoq123#:~:text=mixer%20taps">
  <h3>Mixer taps - Example Shop</h3></a></div><div class="VwiC3b">Mixer taps from 20 GBP.</div>
 </div></div>
 <div class="MjjYud"><div class="g"><span class="U3A9Ac">Sponsored</span><div class="yuRUbf">
  <a href="https://www.promo-example.net/"><h3>Promoted plumbing deals</h3></a></div>
  <div class="VwiC3b">Paid placement in the result list.</div></div></div>
 <div class="MjjYud"><div class="g"><div class="yuRUbf">
  <a href="https://maps.google.com/maps?q=plumber+leeds"><h3>Plumbers near Leeds - Maps</h3></a>
 </div></div></div>
 <div class="MjjYud"><div class="g"><a href="https://webcache.googleusercontent.com/search?q=cache:x">
  <h3>Cached copy</h3></a></div></div>
 <div class="MjjYud"><div class="g"><a href="/url?q=https://support.google.com/websearch&amp;sa=U">
  <h3>Search help</h3></a></div></div>
 <div class="MjjYud"><div jsname="Cpkphb"><div class="related-question-pair" data-q="How much?">
  <div class="g"><a href="https://www.costguide-example.com/"><h3>Plumber costs</h3></a></div>
 </div></div></div>
 <div class="MjjYud"><div><h2 role="heading">Places</h2>"""
    + _LISTING.format(
        cid="101",
        lines="""<div class="dbg0pd" role="heading" aria-level="3"><span class="OSrXXb">Aire Valley
         Plumbing</span></div>
        <div><span class="Y0A0hc" role="img" aria-label="Rated 4.8 out of 5, 120 user reviews">
         <span class="yi40Hd">4.8</span><span class="z3HNkc" role="img"></span>
         <span class="RDApEe">(120)</span></span> · Plumber</div>
        <div>12 Fictional Row, Leeds · 0113 496 0123</div><div><span>Open 24 hours</span></div>
        <div class="pJ3Ci"><span>"Came out at midnight, call 0113 496 0999 they said."</span>
        </div>""",
        buttons="""<div><a class="yYlJEf Q7PwXb L48Cpd" href="https://www.airevalley-example.co.uk/">
         <div>Website</div></a></div>""",
    )
    + _LISTING.format(
        cid="102",
        lines="""<div class="dbg0pd" role="heading"><span class="OSrXXb">Headingley Heating</span>
        </div>
        <div>No reviews · Plumber</div>
        <div>3+ years in business · Leeds · 0113 496 0456</div>
        <div>Closed · Opens 8 am Mon</div>""",
        buttons="",
    )
    + _LISTING.format(
        cid="103",
        lines="""<div class="xnnzce"><span>Sponsored</span></div>
        <div class="dbg0pd" role="heading"><span class="OSrXXb">Otley Pipe Supplies</span></div>
        <div>5.0(12) · £££ · Plumbing supply store</div><div>Unit 4, Sample Park, Otley</div>""",
        buttons="""<div data-phone-number="+44 113 496 0789"></div>
        <div><a href="/url?q=https://www.otleypipes-example.co.uk/%3Futm_source%3Dgmb&amp;sa=U">
         Website</a></div>""",
    )
    + """</div></div>
</div></div>
<div id="botstuff"><table class="AaVjTc"><tr><td><a id="pnnext"
 href="/search?q=plumber+leeds&amp;start=10&amp;sa=N"><span>Next</span></a></td></tr></table></div>
</div>
<div id="rhs"><div class="kp-wholepage">
 <div data-attrid="title" role="heading"><span>Kirkstall Pipe Works</span></div>
 <div data-attrid="subtitle"><span>Plumber in Leeds, England</span></div>
 <a class="ab_button" href="https://www.kirkstallpipes-example.co.uk/">Website</a>
 <a class="ab_button" href="/maps/dir//Kirkstall">Directions</a>
 <div class="g"><a href="https://www.kirkstallpipes-example.co.uk/about"><h3>About us</h3></a></div>
 <div data-attrid="kc:/location/location:address"><span class="w8qArf">Address: </span>
  <span class="LrzXr">7 Imaginary Lane, Leeds LS5 3ZZ</span></div>
 <div data-attrid="kc:/collection/knowledge_panels/has_phone:phone">
  <span class="w8qArf">Phone: </span>
  <span class="LrzXr"><a data-dtype="d3ph"><span>0113 496 0999</span></a></span></div>
</div></div>
</div></div>
<footer><a href="https://policies.google.com/privacy">Privacy</a></footer></body></html>"""
)


def test_desktop_organic_results_decoded_and_google_pages_left_out() -> None:
    result = _parse(DESKTOP)
    assert result.status == "ok"
    organic = [(r.rank, r.url, r.title) for r in result.search_results if not r.ad]
    assert organic == [
        (1, "https://www.leedsplumbing-example.co.uk/", "Leeds Plumbing Co"),
        (2, "https://www.boilerhelp-example.com/leeds?ref=list", "Boiler Help Leeds"),
        (3, "https://shop.example.com/taps", "Mixer taps - Example Shop"),
    ]
    first = next(r for r in result.search_results if not r.ad)
    assert first.snippet.startswith("Family-run plumbers serving Leeds since 1999.")
    results = [k.url for k in result.links if k.kind == "result"]
    assert results == [url for _, url, _ in organic]


def test_desktop_ads_flagged_with_their_landing_pages() -> None:
    result = _parse(DESKTOP)
    ads = [(r.rank, r.url, r.title) for r in result.search_results if r.ad]
    # ranked in page order: the two top ads, then the badged one inside the results
    assert ads == [
        (
            1,
            "https://www.pipefix-example.co.uk/leeds?utm_campaign=spring",
            "PipeFix Leeds - 24/7 Emergency Plumber",
        ),
        (2, "https://www.drainco-example.com/offer", "DrainCo - Drains Unblocked Today"),
        (3, "https://www.promo-example.net/", "Promoted plumbing deals"),
    ]
    pipefix = next(r for r in result.search_results if r.title.startswith("PipeFix"))
    assert pipefix.snippet == "Fictional practice ad: fast call-outs across Leeds."
    assert not any(k.url.startswith("https://www.pipefix") for k in result.links)


def test_desktop_local_pack_and_knowledge_panel_become_leads() -> None:
    result = _parse(DESKTOP)
    assert [lead.name for lead in result.leads] == [
        "Aire Valley Plumbing",
        "Headingley Heating",
        "Otley Pipe Supplies",
        "Kirkstall Pipe Works",
    ]
    aire = _lead(result, "Aire Valley Plumbing")
    assert (aire.products, aire.address_raw) == ("Plumber", "12 Fictional Row, Leeds")
    assert [(p.raw, p.label) for p in aire.phones] == [("0113 496 0123", "tel")]
    assert aire.website == "https://www.airevalley-example.co.uk/"
    assert "4.8" in aire.description
    heading = _lead(result, "Headingley Heating")
    assert (heading.products, heading.address_raw, heading.website) == ("Plumber", "Leeds", "")
    assert [p.raw for p in heading.phones] == ["0113 496 0456"]
    otley = _lead(result, "Otley Pipe Supplies")
    assert otley.products == "Plumbing supply store"
    assert otley.address_raw == "Unit 4, Sample Park, Otley"
    assert otley.website == "https://www.otleypipes-example.co.uk/?utm_source=gmb"
    assert [p.raw for p in otley.phones] == ["+44 113 496 0789"]
    assert "Sponsored" in otley.description
    panel = _lead(result, "Kirkstall Pipe Works")
    assert (panel.products, panel.address_raw) == ("Plumber", "7 Imaginary Lane, Leeds LS5 3ZZ")
    assert [p.raw for p in panel.phones] == ["0113 496 0999"]
    assert panel.website == "https://www.kirkstallpipes-example.co.uk/"
    websites = {(k.lead_name, k.url) for k in result.links if k.kind == "website"}
    assert websites == {(lead.name, lead.website) for lead in result.leads if lead.website}
    assert len(websites) == 3


def test_desktop_next_page_link() -> None:
    result = _parse(DESKTOP, "https://www.google.co.uk/search?q=plumber+leeds")
    assert [k.url for k in result.links if k.kind == "next"] == [
        "https://www.google.co.uk/search?q=plumber+leeds&start=10&sa=N"
    ]


OLDER_DESKTOP = """<html><body id="gsr" class="srp"><div id="main"><div id="center_col">
<div id="tads"><ol>
<li class="ads-ad"><div class="ad_cclk"><a class="V0MxL"
 href="https://www.google.com/aclk?sa=l&amp;ai=a&amp;adurl="><h3 class="sA5rQ">Alpha Widgets</h3>
 <div class="ads-visurl"><span>Ad</span><cite>www.alpha-example.com/widgets</cite></div></a></div>
 <div class="ads-creative">Buy fictional widgets.</div></li>
<li class="ads-ad"><div class="ad_cclk"><a class="V0MxL" href="https://www.beta-example.com/">
 <h3 class="sA5rQ">Beta Widgets</h3></a></div><div class="ads-creative">Beta text.</div></li>
</ol></div>
<div id="search"><div id="rso"><div class="srg">
<div class="g"><div class="rc"><div class="r"><a href="https://www.gamma-example.com/">
 <h3 class="LC20lb">Gamma Widgets Ltd</h3><cite>www.gamma-example.com</cite></a></div>
 <div class="s"><span class="st">Gamma makes fictional widgets.</span></div></div></div>
<div class="g"><div class="rc"><div class="r"><a href="https://www.delta-example.com/">
 <h3 class="LC20lb">Delta</h3></a></div><div class="s"><span class="st">Delta text.</span></div>
 <table class="nrgt"><tr><td><div class="usJj9c"><h3><a href="https://www.delta-example.com/c">
 Contact</a></h3></div></td></tr></table></div></div></div>
<div class="VkpGBb"><div class="cXedhc"><a class="rllt__link" href="/search?q=e&amp;ludocid=123">
 <div class="rllt__details"><div class="dbg0pd" role="heading"><div>Epsilon Widgets</div></div>
 <div><span>4.5</span><span>(22)</span> · Widget store</div><div>Leeds · 0113 496 0321</div>
 <div>Open until 5:00 PM</div></div></a></div>
 <a class="yYlJEf L48Cpd" href="https://www.epsilon-example.co.uk/"><span>Website</span></a></div>
</div></div>
<table id="nav"><tr><td><a class="pn" id="pnnext" href="/search?q=w&amp;start=10">Next</a></td>
</tr></table></div></div></body></html>"""


def test_older_desktop_layout_rc_results_ads_list_and_local_pack() -> None:
    result = _parse(OLDER_DESKTOP)
    got = [(r.rank, r.url, r.snippet, r.ad) for r in result.search_results]
    assert got == [
        (1, "https://www.alpha-example.com/widgets", "Buy fictional widgets.", True),
        (2, "https://www.beta-example.com/", "Beta text.", True),
        (1, "https://www.gamma-example.com/", "Gamma makes fictional widgets.", False),
        (2, "https://www.delta-example.com/", "Delta text.", False),  # sitelink h3 > a left out
    ]
    (lead,) = result.leads
    assert (lead.name, lead.products, lead.address_raw) == (
        "Epsilon Widgets",
        "Widget store",
        "Leeds",
    )
    assert [p.raw for p in lead.phones] == ["0113 496 0321"]
    assert lead.website == "https://www.epsilon-example.co.uk/"
    kinds = {(k.kind, k.url) for k in result.links if k.kind in ("detail", "next")}
    assert kinds == {
        ("detail", "https://www.google.com/search?q=e&ludocid=123"),
        ("next", "https://www.google.com/search?q=w&start=10"),
    }


LONE = """<html><body><div id="search"><div id="rso"><div>
<div class="MjjYud"><div class="g"><a href="https://www.zeta-example.com/"><h3>Zeta Pumps</h3></a>
 <div class="VwiC3b">Pumps for fictional wells.</div></div></div>
<div class="MjjYud"><div><div><div><div><div><div><div class="rllt__details">
 <div class="xnnzce"><span>Sponsored</span></div>
 <div class="dbg0pd" role="heading"><span>Eta Pump Repairs</span></div>
 <div>Pump repair service · 9 Example Road, Leeds</div></div></div></div></div></div></div></div>
</div></div></div></div></body></html>"""


def test_a_lone_listing_and_a_lone_result_keep_to_their_own_blocks() -> None:
    result = _parse(LONE)
    (organic,) = result.search_results
    assert (organic.url, organic.ad) == ("https://www.zeta-example.com/", False)
    (lead,) = result.leads
    assert (lead.name, lead.products, lead.address_raw) == (
        "Eta Pump Repairs",
        "Pump repair service",
        "9 Example Road, Leeds",
    )
    assert lead.website == ""  # the organic result beside it is not the listing's website


# -- synthetic pages: walls and empty pages ------------------------------------------------------

SORRY = """<html><head><title>https://www.google.com/search?q=plumber+leeds</title></head><body>
<div id="af-error-container"><form id="captcha-form" action="index" method="post">
<div class="g-recaptcha" data-sitekey="6Lfake"></div>
<input type="hidden" name="q" value="EgQfake"><input type="hidden" name="continue" value="x">
</form></div><div style="font-size:13px"><b>About this page</b><br><br>
Our systems have detected unusual traffic from your computer network. This page checks to see
if it's really you sending the requests, and not a robot.</div></body></html>"""

CONSENT = """<html lang="en"><head><title>Before you continue to Google</title></head><body>
<div class="box"><h1>Before you continue to Google</h1>
<p>We use cookies and data to deliver and maintain Google services.</p>
<form action="https://consent.google.com/save" method="POST">
<input type="hidden" name="set_eom" value="true"><button>Reject all</button></form>
<form action="https://consent.google.com/save" method="POST">
<input type="hidden" name="set_eom" value="false"><button>Accept all</button></form>
</div></body></html>"""

ENABLEJS = """<html><head><title>Google Search</title></head><body>
<noscript><meta content="0;url=/httpservice/retry/enablejs?sei=fake" http-equiv="refresh">
</noscript><div>If you're having trouble accessing Google Search, please click here.</div>
</body></html>"""

NO_RESULTS = """<html><head><title>zzqxv plumbing - Google Search</title></head>
<body class="srp"><div id="main"><div id="center_col"><div id="topstuff">
<div class="card-section"><p>Your search - <em>zzqxv plumbing</em> - did not match any
 documents.</p><p>Suggestions:</p><ul><li>Make sure that all words are spelled correctly.</li>
<li>Try different keywords.</li></ul></div></div><div id="search"><div id="rso"></div></div>
</div></div></body></html>"""

NO_RESULTS_BASIC = """<html><head><title>zzqxv - Google Search</title></head>
<body jsmodel="hspDDf"><div id="main"><div><div class="Gx5Zad xpd EtOod pkphOe">
<div class="BNeawe"><span class="r0bn4c rQMQod">Your search - <b>zzqxv</b> - did not match any
 documents.</span></div></div></div></div></body></html>"""

LOOSER = """<html><head><title>"zzqxv plumbing" - Google Search</title></head>
<body class="srp"><div id="main"><div id="topstuff"><div class="card-section">
<div role="heading">No results found for <b>"zzqxv plumbing"</b>.</div>
<div>Results for zzqxv plumbing (without quotes):</div></div></div>
<div id="search"><div id="rso"><div class="MjjYud"><div class="g"><div class="yuRUbf">
<a href="https://www.zzqxv-example.org/"><h3>Zzqxv fittings</h3></a></div>
<div class="VwiC3b">A loosely matching fictional page.</div></div></div></div></div>
</div></body></html>"""


@pytest.mark.parametrize(
    ("html", "url", "reason"),
    [
        (
            SORRY,
            "https://www.google.com/sorry/index?continue=https://www.google.com/search",
            "sorry",
        ),
        (SORRY, SERP_URL, "unusual-traffic"),
        (
            CONSENT,
            "https://consent.google.com/ml?continue=https://www.google.com/search",
            "consent",
        ),
        (CONSENT, SERP_URL, "consent"),
        (ENABLEJS, SERP_URL, "JavaScript"),
    ],
)
def test_walls_are_blocked_with_a_reason(html: str, url: str, reason: str) -> None:
    result = _parse(html, url)
    assert result.status == "blocked"
    assert reason.lower() in result.reason.lower()
    assert not result.search_results and not result.leads


def test_block_words_in_a_result_snippet_do_not_block_the_page() -> None:
    assert _parse(DESKTOP).status == "ok"  # snippets mention "unusual traffic" and "captcha"


@pytest.mark.parametrize("html", [NO_RESULTS, NO_RESULTS_BASIC])
def test_did_not_match_any_documents_is_no_results(html: str) -> None:
    result = _parse(html)
    assert result.status == "no_results"
    assert "did not match any documents" in result.reason
    assert "zzqxv" in result.reason


def test_no_results_for_the_query_keeps_the_looser_results() -> None:
    result = _parse(LOOSER)
    assert result.status == "no_results"
    assert result.reason.startswith('No results found for "zzqxv plumbing"')
    assert [r.url for r in result.search_results] == ["https://www.zzqxv-example.org/"]


def test_an_empty_page_is_no_results_not_ok() -> None:
    result = _parse("<html><body><div id='rso'></div></body></html>")
    assert (result.status, result.reason) == ("no_results", "no Google result blocks on the page")


_NESTED_TITLES = """<html><body><div id="center_col"><a href="/out"><div id="rso">
<a href="https://example.com/a"><h3>A</h3></a><div class="uEierd"><a href="https://example.com/ad">
<h3>Ad</h3></a></div><a href="https://example.com/b"><span><h3>B</h3><h3>B2</h3></span></a>
<h3>no link</h3><a><h3>no href</h3></a></div></a></div>
<a href="https://example.com/c" class="x"><h3>outside the column</h3></a>
<a href="/maps?ludocid=1"><div role="heading">Place</div></a>
<a href="/maps?ludocid=2"><h3>P</h3></a><a href="/x?ludocid=3"><span role="headingX">no</span></a>
<span role="heading">no link</span><a><div role="heading">no href</div></a>
<a href="/y"><a href="/z" role="heading">in</a></a></body></html>"""


@pytest.mark.parametrize("where", ["made-up", NOJS, LOCAL])
def test_title_link_readers_are_the_title_link_queries(where: str) -> None:
    """``_title_anchors`` and ``_SAME_MATCHES`` select what the queries they replace do."""
    from lxml import etree

    from spiders.pages.google import (
        _AD_TITLE,
        _NOT_ORGANIC,
        _ORGANIC_TITLE,
        _PLACE_LINK,
        _SAME_MATCHES,
        _TITLE_ANCHOR,
        _title_anchors,
    )

    if where == "made-up":
        page = Page(url=SERP_URL, text=_NESTED_TITLES)
    else:
        page = real_page(f"search_engines/google/{where}", SERP_URL)
    root = page.selector.root
    assert set(_SAME_MATCHES) == {_TITLE_ANCHOR, _ORGANIC_TITLE, _AD_TITLE, _PLACE_LINK}
    for query, same in _SAME_MATCHES.items():
        assert etree.XPath(same)(root) == etree.XPath(query.lstrip("."))(root)
        assert etree.XPath(same)(root) == etree.XPath("/" + query.lstrip("."))(root)
    organic = etree.XPath(f"{_TITLE_ANCHOR}[not(ancestor::*[{_NOT_ORGANIC}])]")
    for top in [root, *root.iter("div")]:
        assert _title_anchors(top, page) == organic(top)


# --- the page survey: one walk standing in for whole-page queries -------------------------------


def _attribute_trees(tags: list[str], attrs: Any, *, max_leaves: int) -> Any:
    """Nested ``(tag, attributes, children)`` tuples for ``_survey_markup``: small trees of
    ``tags`` carrying up to three of ``attrs``, the pages the fast queries are held to."""
    return st.recursive(
        st.tuples(st.sampled_from(tags), st.lists(attrs, max_size=3).map(dict), st.just([])),
        lambda inner: st.tuples(
            st.sampled_from(tags),
            st.lists(attrs, max_size=3).map(dict),
            st.lists(inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


_SURVEY_ATTRS = st.sampled_from(
    [
        ("id", "rso"),
        ("id", "center_col"),
        ("id", "main"),
        ("id", "search"),
        ("id", "tads"),
        ("id", "bottomads"),
        ("id", "rhs"),
        ("id", "other"),
        ("class", "uEierd"),
        ("class", "x uEierdX"),
        ("class", "a\tuEierd"),
        ("class", "rllt__details b"),
        ("class", "rllt__detailsX"),
        ("class", "related-question-pair"),
        ("class", "commercial-unit-desktop-top z"),
        ("class", "plain"),
        ("data-text-ad", ""),
        ("data-is-ad", "1"),
        ("data-attrid", "title"),
        ("data-attrid", "subtitle"),
    ]
)
_SURVEY_NODE: Any = _attribute_trees(
    ["div", "span", "g-scrolling-carousel"], _SURVEY_ATTRS, max_leaves=16
)


_survey_markup = tree_markup


def _survey_by_queries(root: Any) -> tuple[Any, ...]:
    """What :class:`_Survey`'s fields are defined as, asked of the whole page by XPath."""
    from lxml import etree

    from spiders.pages.google import _AD_BOX, _NOT_ORGANIC, _ROOT_IDS
    from spiders.pages.serp import has_class

    ad_boxes = etree.XPath(f"//*[{_AD_BOX}][not(ancestor::*[{_AD_BOX}])]")(root)
    by_id = {}
    for ident in _ROOT_IDS:
        found = root.xpath(f"(//*[@id='{ident}'])[1]")
        if found:
            by_id[ident] = found[0]
    return (
        root.xpath(f"//*[{_NOT_ORGANIC}]"),
        ad_boxes,
        root.xpath(f"//*[{has_class('rllt__details')}]"),
        by_id,
        "\n".join(root.xpath("//@class")),
        (root.xpath("(//*[@data-attrid='title'])[1]") or [None])[0],
    )


def _survey_fields(survey: Any) -> tuple[Any, ...]:
    """The survey's answers in the order ``_survey_by_queries`` gives the queries' answers."""
    return (
        survey.not_organic,
        survey.ad_boxes,
        survey.details,
        survey.by_id,
        survey.classes,
        survey.panel_title,
    )


@given(st.lists(_SURVEY_NODE, max_size=4))
def test_survey_is_the_whole_page_queries(nodes: list[Any]) -> None:
    from spiders.pages.google import _survey_of

    markup = "".join(map(_survey_markup, nodes))
    page = Page(url=SERP_URL, text=f"<html><body>{markup}</body></html>")
    root = page.selector.root
    assert _survey_fields(_survey_of(root)) == _survey_by_queries(root)


@pytest.mark.realpages
@pytest.mark.parametrize("fixture", [NOJS, LOCAL])
def test_survey_of_real_pages_is_the_whole_page_queries(fixture: str) -> None:
    from spiders.pages.google import _survey_of

    root = real_page(f"search_engines/google/{fixture}", SERP_URL).selector.root
    assert _survey_fields(_survey_of(root)) == _survey_by_queries(root)


_LINK_ATTRS = st.sampled_from(
    [
        ("href", "/x"),
        ("href", "/m?ludocid=1"),
        ("role", "heading"),
        ("role", "headingX"),
        ("id", "h"),
    ]
)
_LINK_NODE: Any = _attribute_trees(["a", "div", "h3", "span"], _LINK_ATTRS, max_leaves=16)


@given(st.lists(_LINK_NODE, max_size=4))
def test_held_queries_are_the_queries_they_replace(nodes: list[Any]) -> None:
    from lxml import etree

    from spiders.pages.google import _SAME_MATCHES

    markup = "".join(map(_survey_markup, nodes))
    root = Page(url=SERP_URL, text=f"<html><body>{markup}</body></html>").selector.root
    for query, same in _SAME_MATCHES.items():
        assert etree.XPath(same)(root) == etree.XPath(query.lstrip("."))(root)


_NAME_ATTRS = st.sampled_from(
    [
        ("class", "dbg0pd"),
        ("class", "a dbg0pd"),
        ("class", "x\tdbg0pd\n"),
        ("class", "dbg0pdX"),
        ("class", "\xa0dbg0pd"),
        ("role", "heading"),
        ("role", " heading"),
        ("role", "img"),
    ]
)
_NAME_NODE: Any = _attribute_trees(["div", "span"], _NAME_ATTRS, max_leaves=16)


@given(_NAME_NODE)
def test_listing_name_is_its_query(node: Any) -> None:
    from spiders.pages.google import _LISTING_NAME, _listing_name

    markup = _survey_markup(node).replace("<div", "<div><!-- c -->", 1)
    root = Page(url=SERP_URL, text=f"<html><body>{markup}</body></html>").selector.root
    for top in root.iter("div", "span"):
        assert [_listing_name(top)] == (top.xpath(_LISTING_NAME) or [None])


def _lines_by_events(top: Any, skip_classes: tuple[str, ...] = ()) -> list[str]:
    """``_lines`` as it was written first, on ``iterwalk`` events (the definition kept)."""
    from lxml import etree

    from spiders.pages.base import clean_text
    from spiders.pages.google import _BLOCK_TAG, _HIDDEN_TAG, _tag_kind

    if not isinstance(top.tag, str):
        return []
    parts: list[str] = []
    skip = set(skip_classes)
    closing: list[bool] = []
    walker = etree.iterwalk(top, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            kind = _tag_kind(el.tag)
            if kind == _HIDDEN_TAG or (
                skip and el is not top and not skip.isdisjoint((el.get("class") or "").split())
            ):
                closing.append(False)
                walker.skip_subtree()
                continue
            block = kind == _BLOCK_TAG and el.get("role") != "img"
            closing.append(block)
            if block:
                parts.append("\n")
            if el.text:
                parts.append(el.text.replace("\n", " "))
        else:
            if event == "end" and closing.pop():
                parts.append("\n")
            if el.tail and el is not top:
                parts.append(el.tail.replace("\n", " "))
    return [line for piece in "".join(parts).split("\n") if (line := clean_text(piece))]


_LINES_TEXT = st.lists(
    st.sampled_from(["a", " ", "\n", "\u200b", "\xa0", "b c", "\t", "d"]), min_size=1, max_size=3
).map("".join)
_LINES_ATTRS = st.sampled_from(
    [("class", "pJ3Ci"), ("class", "x pJ3Ci"), ("class", "pJ3CiX"), ("role", "img"), ("id", "i")]
)
_LINES_TAGS = st.sampled_from(["div", "span", "p", "br", "li", "script", "svg", "b", "!--", "h3"])
_LINES_NODE: Any = st.recursive(
    st.tuples(
        _LINES_TAGS,
        st.lists(_LINES_ATTRS, max_size=2).map(dict),
        _LINES_TEXT,
        st.just([]),
        _LINES_TEXT,
    ),
    lambda inner: st.tuples(
        _LINES_TAGS,
        st.lists(_LINES_ATTRS, max_size=2).map(dict),
        _LINES_TEXT,
        st.lists(inner, max_size=3),
        _LINES_TEXT,
    ),
    max_leaves=12,
)


def _lines_markup(node: Any) -> str:
    tag, attrs, text, children, tail = node
    if tag == "!--":
        return f"<!--{text}-->{tail}"
    shown = "".join(f' {name}="{value}"' for name, value in attrs.items())
    inner = "" if tag == "br" else f"{text}{''.join(map(_lines_markup, children))}</{tag}>"
    return f"<{tag}{shown}>{inner}{tail}"


@settings(max_examples=100, deadline=None)
@given(st.lists(_LINES_NODE, min_size=1, max_size=4))
def test_lines_is_the_event_walk(nodes: list[Any]) -> None:
    from spiders.pages.base import PageSelector
    from spiders.pages.google import _lines

    markup = "".join(map(_lines_markup, nodes))
    root = Page(url=SERP_URL, text=f"<html><body>{markup}</body></html>").selector.root
    for top in root.iter():
        for skip in ((), ("pJ3Ci",)):
            got = _lines(PageSelector(root=top, type="html"), skip_classes=skip)
            assert got == _lines_by_events(top, skip)


@pytest.mark.realpages
@pytest.mark.parametrize("fixture", [NOJS, LOCAL])
def test_lines_of_real_pages_is_the_event_walk(fixture: str) -> None:
    from spiders.pages.base import PageSelector
    from spiders.pages.google import _lines

    root = real_page(f"search_engines/google/{fixture}", SERP_URL).selector.root
    for top in root.iter():
        got = _lines(PageSelector(root=top, type="html"), skip_classes=("pJ3Ci",))
        assert got == _lines_by_events(top, ("pJ3Ci",))


_SNIPPET_ATTRS_DRAWN = st.sampled_from(
    [
        ("class", "VwiC3b"),
        ("class", "a\tst"),
        ("class", "list"),
        ("class", "x\xa0st"),
        ("class", "lEBKkf b"),
        ("class", "yDYNvb"),
        ("class", "s3v9rd"),
        ("class", "ads-creative"),
        ("class", "Va3FIb"),
        ("data-sncf", "1"),
        ("data-sncf", "2"),
        ("data-sncf", "3"),
        ("style", "-webkit-line-clamp:2"),
        ("style", "color: red"),
    ]
)
_SNIPPET_NODE: Any = _attribute_trees(["div", "span", "a"], _SNIPPET_ATTRS_DRAWN, max_leaves=12)


@given(st.lists(_SNIPPET_NODE, max_size=4))
def test_a_skipped_snippet_query_selects_nothing(nodes: list[Any]) -> None:
    """``_may_match`` is false only where the query selects nothing on the whole page."""
    from spiders.pages.google import _AD_SNIPPET_XPATHS, _SNIPPET_XPATHS, _may_match

    markup = "".join(map(_survey_markup, nodes))
    page = Page(url=SERP_URL, text=f"<html><body>{markup}</body></html>")
    root = page.selector.root
    for xpath in {*_SNIPPET_XPATHS, *_AD_SNIPPET_XPATHS}:
        if not _may_match(page, xpath):
            assert root.xpath(xpath) == []


_NOTICE_PIECES = st.sampled_from(
    [
        "did", "DID", "dİd", "dıd", "not", " ", "\u200b", "\n", "match", "any", "documents",
        "resultS", "reſults", "no", "No", "NO ", "results", "found", "for", "aucun document",
        "ne", "correspond", "keine", "Keine", "übereinstimmenden", "ÜBEREINSTIMMENDEN",
        "dokumente", "ha obtenido", "ningún", "resultado", "未找到符合", "找不到", "和您查询的",
        "符合", "x", "Σ", "ς", "ǅ",
    ]
)  # fmt: skip


@given(st.lists(_NOTICE_PIECES, max_size=10).map("".join))
def test_holds_notice_phrase_is_the_phrase_search(text: str) -> None:
    assert _holds_notice_phrase(text) == (_NOTICE_PHRASES_RE.search(text) is not None)


def test_only_one_character_lower_cases_to_two() -> None:
    """The first-word search reads the lower-cased text at the text's own positions."""
    assert [c for c in map(chr, range(0x110000)) if len(c.lower()) != 1] == ["\u0130"]


# --- held counts, own blocks and the element-level snippet queries ------------------------------

_BLOCK_ATTRS = st.sampled_from(
    [
        ("href", "/x"),
        ("role", "heading"),
        ("id", "rso"),
        ("id", "main"),
        ("class", "VwiC3b"),
        ("class", "a s3v9rd"),
        ("class", "yDYNvb"),
        ("class", "ads-creative"),
        ("data-sncf", "1"),
        ("data-sncf", "3"),
        ("style", "-webkit-line-clamp:2"),
        ("class", "plain"),
    ]
)
_BLOCK_NODE: Any = _attribute_trees(["a", "div", "h3", "span", "body"], _BLOCK_ATTRS, max_leaves=20)
_MARKERS = [".//a[@href][.//h3]", ".//*[@role='heading' or self::h3][ancestor::a[@href]]", ".//div"]


def _block_page(nodes: list[Any]) -> Page:
    markup = "".join(map(_survey_markup, nodes)).replace("<span>", "<span>Ad ", 1)
    return Page(url=SERP_URL, text=f"<html><body><div>{markup}</div></body></html>")


@given(st.lists(_BLOCK_NODE, max_size=4))
def test_held_counts_are_the_counts_capped_at_two(nodes: list[Any]) -> None:
    from spiders.pages.google import _held_counts

    root = _block_page(nodes).selector.root
    for marker in _MARKERS:
        matches = root.xpath("/" + marker.lstrip("."))
        full: dict[Any, int] = {}
        for match in matches:
            for anc in match.iterancestors():
                full[anc] = full.get(anc, 0) + 1
        assert _held_counts(matches) == {el: min(n, 2) for el, n in full.items()}


def _own_block_as_written(el: Any, marker: str, page: Page, avoid: str, up: int) -> Any:
    """:func:`_own_block` as it read every ancestor into a list first (exact counts)."""
    root = page.selector.root
    counts: dict[Any, int] = {}
    avoided: dict[Any, int] = {}
    for query, held in ((marker, counts), (avoid, avoided)):
        for match in root.xpath("/" + query.lstrip(".")) if query else []:
            for anc in match.iterancestors():
                held[anc] = held.get(anc, 0) + 1
    block = None
    ancestors = [a for a in el.iterancestors() if a.tag not in ("body", "html")]
    for anc in ancestors[:up]:
        if anc.get("id") in ("rso", "search", "main", "center_col", "res"):
            break
        if counts.get(anc, 0) > 1 or avoided.get(anc, 0):
            break
        block = anc
    return el if block is None else block


@given(st.lists(_BLOCK_NODE, max_size=4), st.integers(0, 8))
def test_own_block_is_the_block_it_was(nodes: list[Any], up: int) -> None:
    from spiders.pages.base import PageSelector
    from spiders.pages.google import _own_block

    page = _block_page(nodes)
    root = page.selector.root
    for marker in _MARKERS:
        for avoid in ("", ".//h3"):
            for el in root.xpath("/" + marker.lstrip(".")):
                found = _own_block(
                    PageSelector(root=el, type="html"), marker, page, avoid=avoid, up=up
                )
                assert found.root is _own_block_as_written(el, marker, page, avoid, up)


@given(st.lists(_BLOCK_NODE, max_size=4))
def test_element_queries_are_the_selector_queries(nodes: list[Any]) -> None:
    """The snippet, badge and title queries run on elements select what the selector's
    queries select, and the badge and snippet read the same."""
    from spiders.pages.base import PageSelector
    from spiders.pages.google import (
        _AD_SNIPPET_XPATHS,
        _BADGE_TEXTS,
        _FIRST_H3,
        _IN_TITLE_LINK,
        _SNIPPET_XPATHS,
        _element_lines,
        _element_query,
        _lines,
    )

    root = _block_page(nodes).selector.root
    for el in root.iter():
        sel = PageSelector(root=el, type="html")
        for xpath in (*_SNIPPET_XPATHS, *_AD_SNIPPET_XPATHS):
            assert _element_query(xpath)(el) == [found.root for found in sel.xpath(xpath)]
        assert (
            _BADGE_TEXTS(el)
            == sel.xpath(".//*[not(self::h3) and not(ancestor::h3)]/text()").getall()
        )
        assert _FIRST_H3(el) == [found.root for found in sel.xpath("(.//h3)[1]")]
        in_link = sel.xpath("ancestor::a[.//h3 or .//*[@role='heading']]")
        assert _IN_TITLE_LINK(el) is bool(in_link)
        assert _element_lines(el) == _lines(sel)


@given(st.lists(_BLOCK_NODE, max_size=4), st.randoms(use_true_random=False))
def test_document_index_is_the_page_numbering(nodes: list[Any], rnd: Any) -> None:
    """Ads and results merged by ``_document_index`` come in the order the page's elements
    are numbered in (what ranked them before)."""
    from lxml import etree

    from spiders.pages.google import _document_index

    root = _block_page(nodes).selector.root
    numbered = {el: i for i, el in enumerate(root.iter(etree.Element))}
    elements = [el for el in numbered if rnd.random() < 0.5] or [root]
    rnd.shuffle(elements)
    index = _document_index(elements)
    assert sorted(elements, key=index.__getitem__) == sorted(elements, key=numbered.__getitem__)
