"""Search-engine results pages: DuckDuckGo (html + lite) and Bing, real and hand-written.

Expected values for the real pages were read from the saved HTML (hrefs, ``uddg=`` values,
base64 ``u=`` values decoded by hand, visible titles), not copied from the parser's output.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction, clean_text
from spiders.pages.bing import BingPage
from spiders.pages.duckduckgo import DuckDuckGoPage
from spiders.pages.serp import (
    _first_value,
    class_holds,
    decode_bing_aclick,
    decode_bing_ck,
    decode_ddg_ad,
    decode_ddg_redirect,
    decode_redirect,
    element_text_without,
    form_get_url,
    is_engine_url,
    is_wrapper,
    rank_results,
    result_links,
    text_without,
)
from tests.markup import tree_markup
from tests.realpages import real_page

DDG_HTML = "search_engines/duckduckgo/html_endpoint_plumber_dubai__business-scraper.html"
DDG_LITE = "search_engines/duckduckgo/lite_endpoint_test__Groqqle.html"
DDG_BLOCKED = "search_engines/duckduckgo/BLOCKED_anomaly_captcha__UKY171991-scraper.html"
BING_50 = "search_engines/bing/bing50_nojs__serp-parser.html"
BING_TIRES = "search_engines/bing/car_tires__se-scraper.html"
BING_HOTELS = "search_engines/bing/hotels_nyc_nojs__serp-parser.html"


def _organic(ex: PageExtraction) -> list[SearchResult]:
    return [r for r in ex.search_results if not r.ad]


def _ads(ex: PageExtraction) -> list[SearchResult]:
    return [r for r in ex.search_results if r.ad]


def _triples(results: list[SearchResult]) -> set[tuple[int, str, str]]:
    return {(r.rank, r.url, r.title) for r in results}


def _assert_no_wrappers(ex: PageExtraction) -> None:
    for result in ex.search_results:
        assert "duckduckgo.com/l/" not in result.url, result
        assert "bing.com/ck/a" not in result.url, result
        assert not is_wrapper(result.url), result
        assert result.url.startswith(("http://", "https://")), result


def _next(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "next"]


def _result_links(ex: PageExtraction) -> list[tuple[str, str]]:
    return [(link.url, link.lead_name) for link in ex.links if link.kind == "result"]


# --- wrapper decoders (pure functions) --------------------------------------------------------


def test_decode_ddg_redirect_unwraps_uddg() -> None:
    wrapped = "//duckduckgo.com/l/?uddg=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26c%3D2&rut=abc123"
    assert decode_ddg_redirect(wrapped) == "https://example.com/a?b=1&c=2"
    assert decode_ddg_redirect("https://duckduckgo.com/l/?uddg=https%3A%2F%2F%E4%BE%8B.cn%2F") == (
        "https://例.cn/"
    )


def test_decode_ddg_redirect_leaves_other_urls_alone() -> None:
    assert decode_ddg_redirect("https://example.com/l/?uddg=x") == "https://example.com/l/?uddg=x"
    assert (
        decode_ddg_redirect("https://duckduckgo.com/l/?rut=1") == "https://duckduckgo.com/l/?rut=1"
    )
    assert decode_ddg_redirect("https://duckduckgo.com/l/?uddg=notaurl") == (
        "https://duckduckgo.com/l/?uddg=notaurl"
    )


def test_decode_bing_ck_base64url_with_a1_prefix() -> None:
    # base64("https://www.example.com/") == "aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20v"
    url = "https://www.bing.com/ck/a?!&&p=0123abcd&ptn=3&u=a1aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20v&ntb=1"
    assert decode_bing_ck(url) == "https://www.example.com/"


def test_decode_bing_ck_unpadded_urlsafe_and_chinese() -> None:
    target = "https://例子.cn/联系我们?a=1&b=~x"
    encoded = base64.urlsafe_b64encode(target.encode()).decode().rstrip("=")
    assert "=" not in encoded
    assert decode_bing_ck(f"https://cn.bing.com/ck/a?!&&p=ff&u=a1{encoded}&ntb=1") == target


def test_decode_bing_ck_undecodable_is_kept() -> None:
    for url in (
        "https://www.bing.com/ck/a?!&&p=ff&u=a1%%%%&ntb=1",
        "https://www.bing.com/ck/a?!&&p=ff&ntb=1",
        "https://www.bing.com/search?q=x&u=a1aHR0cHM6Ly93d3cuZXhhbXBsZS5jb20v",
    ):
        assert decode_bing_ck(url) == url


def test_decode_bing_aclick_real_ad_value() -> None:
    # u= copied from the first ad of the car-tires page; decoded by hand with `base64 -d`.
    url = (
        "https://www.bing.com/aclk?ld=e3uDRb7J&u=aHR0cCUzYSUyZiUyZnd3dy5hbWF6b24uZGUlMmZzJTJmJTNm"
        "aWUlM2RVVEY4JTI2a2V5d29yZHMlM2RjYXIlMmJ0aXJlcyUyNnRhZyUzZGh5ZGRlbXNuLTIxJTI2aW5kZXglM2Rh"
        "cHMlMjZodmFkaWQlM2Q4MDEyNjk0MjM5NjM4NyUyNmh2cW10JTNkZSUyNmh2Ym10JTNkYmUlMjZodmRldiUzZGMl"
        "MjZyZWYlM2RwZF9zbF82dXJheWZ3YzE0X2U&rlid=204e28cd94fb1a4fa02e75b637421c3a"
    )
    assert decode_bing_aclick(url) == (
        "http://www.amazon.de/s/?ie=UTF8&keywords=car+tires&tag=hyddemsn-21&index=aps"
        "&hvadid=80126942396387&hvqmt=e&hvbmt=be&hvdev=c&ref=pd_sl_6urayfwc14_e"
    )


def test_decode_redirect_peels_nested_ddg_ad_layers() -> None:
    target = "https://shop.example.com/?utm_source=bing&x=a%20b"
    aclick = "https://www.bing.com/aclick?ld=abc&u=" + base64.b64encode(
        quote(target, safe="").encode()
    ).decode().rstrip("=")
    yjs = "https://duckduckgo.com/y.js?ad_domain=example.com&u3=" + quote(aclick, safe="")
    wrapped = "//duckduckgo.com/l/?uddg=" + quote(yjs, safe="") + "&rut=9"
    assert decode_ddg_redirect(wrapped) == yjs
    assert decode_ddg_ad(yjs) == aclick
    assert decode_redirect(wrapped) == target


def test_decode_ddg_ad_without_u3_keeps_the_ad_url() -> None:
    yjs = "https://duckduckgo.com/y.js?ad_domain=example.com&ad_provider=bingv7aa"
    assert decode_ddg_ad(yjs) == yjs
    assert decode_redirect(yjs) == yjs


def test_engine_urls() -> None:
    assert is_engine_url("https://www.bing.com/images/search?q=x")
    assert is_engine_url("//duckduckgo.com/feedback.html")
    assert not is_engine_url("https://www.bingplaces.com/")
    assert not is_engine_url("https://notbing.com/")


def test_decode_redirect_peels_google_wrappers_only() -> None:
    target = "https://www.acme.example/contact?x=1"
    google = "https://www.google.com/url?q=" + quote(target + "&gclid=abc", safe="") + "&sa=U"
    assert decode_redirect(google) == target
    ddg = "//duckduckgo.com/l/?uddg=" + quote(google, safe="") + "&rut=1"
    assert decode_redirect(ddg) == target
    # tracking is only dropped from a target taken out of a Google wrapper
    plain = "https://www.acme.example/?gclid=abc"
    assert decode_redirect(plain) == plain
    assert is_wrapper(google)
    assert is_wrapper("https://www.google.com/url?q=")
    assert decode_redirect("https://www.google.com/url?q=") == "https://www.google.com/url?q="


@pytest.mark.parametrize(
    "url",
    [
        "https://maps.google.co.uk/maps?q=x",
        "https://webcache.googleusercontent.com/search?q=cache:x",
        "https://baike.baidu.com/item/x",
        "https://www.sogou.com/web?query=x",
        "https://yandex.com.tr/images/",
        "https://ya.ru/",
    ],
)
def test_engine_urls_of_every_engine(url: str) -> None:
    assert is_engine_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.baidu.com/link?url=AbC123",
        "https://www.sogou.com/link?url=hedJjaC291",
        "https://www.googleexample.com/",
        "https://notyandex.example/",
    ],
)
def test_result_redirects_and_lookalikes_are_not_engine_pages(url: str) -> None:
    assert not is_engine_url(url)
    assert not is_wrapper(url)


def test_result_links_keep_encrypted_redirects_and_other_engines_products() -> None:
    results = [
        SearchResult(rank=1, url="http://www.baidu.com/link?url=AbC123", title="A"),
        SearchResult(rank=2, url="https://www.sogou.com/link?url=hedJ", title="B"),
        SearchResult(rank=3, url="https://cloud.google.com/", title="Google Cloud"),
        SearchResult(rank=4, url="https://www.bing.com/maps", title="Bing Maps"),
        SearchResult(rank=5, url="https://www.google.com/url?q=", title="wrapper"),
    ]
    assert [link.url for link in result_links(results)] == [r.url for r in results[:3]]


def test_rank_results_dedupes_and_counts_ads_separately() -> None:
    results = [
        SearchResult(0, "https://ad.example/", "Ad one", ad=True),
        SearchResult(0, "https://a.example/", "A"),
        SearchResult(0, "https://A.example", "A again"),
        SearchResult(0, "https://b.example/x#top", "B"),
        SearchResult(0, "https://ad.example/", "Ad one repeated", ad=True),
        SearchResult(0, "https://ad2.example/", "Ad two", ad=True),
    ]
    ranked = rank_results(results)
    assert [(r.rank, r.title, r.ad) for r in ranked] == [
        (1, "Ad one", True),
        (1, "A", False),
        (2, "B", False),
        (2, "Ad two", True),
    ]


def test_form_get_url_carries_hidden_fields() -> None:
    page = Page(
        url="https://html.duckduckgo.com/html/",
        text="""<form action="/html/" method="post">
        <input type="submit" value="Next"><input type="hidden" name="q" value="蓝牙 耳机">
        <input type="hidden" name="s" value="30"><input type="hidden" name="nextParams" value="">
        <input type="hidden" name="dc" value="31"><input name="kl" value="cn-zh" type="hidden">
        </form>""",
    )
    url = form_get_url(page.selector.xpath("//form")[0], page.url)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "html.duckduckgo.com", "/html/")
    assert parse_qs(parts.query) == {"q": ["蓝牙 耳机"], "s": ["30"], "dc": ["31"], "kl": ["cn-zh"]}


# --- DuckDuckGo, real pages ---------------------------------------------------------------------


@pytest.mark.realpages
def test_ddg_html_endpoint_real_page() -> None:
    page = real_page(DDG_HTML, "https://html.duckduckgo.com/html/?q=Plumber+Dubai")
    ex = DuckDuckGoPage().parse(page)
    assert ex.status == "ok"
    organic, ads = _organic(ex), _ads(ex)
    # 12 div.result blocks: 2 carry result--ad, 10 are web-result.
    assert (len(organic), len(ads)) == (10, 2)
    assert [r.rank for r in organic] == list(range(1, 11))
    assert [r.rank for r in ads] == [1, 2]
    assert {
        (
            1,
            "https://plumberdubai.com/",
            "Plumber Dubai | 24/7 Professional Plumbing Services 0581873002",
        ),
        (
            2,
            "https://www.urbancompany.com/dubai-plumbers",
            "Expert Plumbers in Dubai: Fast & Reliable Plumbing Services Near You",
        ),
        (
            6,
            "https://www.yello.ae/category/plumbers/city:dubai",
            "Top 18 Plumbers in Dubai, UAE - Mar 2026",
        ),
        (10, "https://mydubaibest.com/plumber/", "The 20 Best Plumbers in Dubai | MyDubaiBest"),
    } <= _triples(organic)
    assert organic[0].snippet == (
        "Professional plumber in Dubai offering 24/7 plumbing services for leaks, drain cleaning,"
        " water heaters, and installations. Call 0581873002."
    )
    # Ads: uddg -> y.js -> u3 (bing aclick) -> base64 u= -> advertiser URL.
    assert ads[0].title == "DrainWorks Plumbing - Plumbing & Drain Experts"
    assert ads[0].url.startswith(
        "https://drainworksnow.com?msclkid=95db854df4ab19463fd1ecfe426bb475"
    )
    assert ads[0].snippet == "Trusted Twin Cities plumbers. Call now for fast plumbing help."
    assert ads[1].title == "Expat: 14 urgent Openings - Urgent Openings for Expats"
    assert urlsplit(ads[1].url).hostname == "ae.jobrapido.com"
    _assert_no_wrappers(ex)
    links = _result_links(ex)
    assert len(links) == 10
    assert links[0] == (
        "https://plumberdubai.com/",
        "Plumber Dubai | 24/7 Professional Plumbing Services 0581873002",
    )
    assert not any("drainworksnow" in url or "jobrapido" in url for url, _ in links)


@pytest.mark.realpages
def test_ddg_html_endpoint_next_page_is_a_get_url() -> None:
    ex = DuckDuckGoPage().parse(
        real_page(DDG_HTML, "https://html.duckduckgo.com/html/?q=Plumber+Dubai")
    )
    (url,) = _next(ex)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("html.duckduckgo.com", "/html/")
    assert parse_qs(parts.query) == {
        "q": ["Plumber Dubai"],
        "s": ["10"],
        "v": ["l"],
        "o": ["json"],
        "dc": ["13"],
        "api": ["d.js"],
        "vqd": ["4-119636598737263624947145752504722648063"],
        "kl": ["wt-wt"],
    }


@pytest.mark.realpages
def test_ddg_lite_endpoint_real_page() -> None:
    ex = DuckDuckGoPage().parse(real_page(DDG_LITE, "https://lite.duckduckgo.com/lite/?q=test"))
    assert ex.status == "ok"
    organic = _organic(ex)
    assert (len(organic), len(_ads(ex))) == (10, 0)
    assert {
        (1, "https://www.speedtest.net/", "Speedtest by Ookla - The Global Broadband Speed Test"),
        (2, "https://fast.com/", "Internet Speed Test | Fast.com"),
        (
            3,
            "https://www.highspeedinternet.com/tools/speed-test",
            "Internet Speed Test - Check Your Internet Speed - HighSpeedInternet.com",
        ),
        (
            10,
            "https://www.allconnect.com/blog/top-internet-speed-tests",
            "Top Internet Speed Test Sites | Allconnect",
        ),
    } <= _triples(organic)
    assert organic[4].snippet == (
        "Fast Internet? Prove It! Run a Free Internet Speed Test using your Web browser, No App"
        " Needed. Fast, Accurate HTML5 Speed Test that works on any device."
    )
    _assert_no_wrappers(ex)
    assert len(_result_links(ex)) == 10
    # Two identical "Next Page >" forms (top and bottom): one link.
    (url,) = _next(ex)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("lite.duckduckgo.com", "/lite/")
    query = parse_qs(parts.query)
    assert query["q"] == ["test"] and query["s"] == ["10"] and query["dc"] == ["11"]


@pytest.mark.realpages
def test_ddg_anomaly_captcha_is_blocked() -> None:
    ex = DuckDuckGoPage().parse(
        real_page(DDG_BLOCKED, "https://html.duckduckgo.com/html/?q=law+firm+India")
    )
    assert ex.status == "blocked"
    assert "captcha" in ex.reason.lower()
    assert ex.search_results == [] and ex.links == []


# --- Bing, real pages ---------------------------------------------------------------------------


@pytest.mark.realpages
def test_bing_50_results_nojs_page() -> None:
    ex = BingPage().parse(real_page(BING_50, "https://www.bing.com/search?q=bing&count=50"))
    assert ex.status == "ok"
    organic = _organic(ex)
    assert (len(organic), len(_ads(ex))) == (32, 0)
    assert {
        (1, "https://www.bing.com/", "Bing"),
        (2, "https://www.malavida.com/es/soft/bing/", "Bing - Descargar para PC Gratis - Malavida"),
        (19, "https://twitter.com/Bing", "Bing (@Bing) | Twitter"),
        (
            32,
            "https://www.instagram.com/aninebing/",
            "ANINE BING (@aninebing) • Instagram photos and videos",
        ),
    } <= _triples(organic)
    assert organic[0].snippet.startswith("Bing te ayuda a convertir la información en acción")
    _assert_no_wrappers(ex)
    links = [url for url, _ in _result_links(ex)]
    assert "https://www.bing.com/" not in links  # the engine's own home page is not a prospect
    assert len(links) == 31
    assert _next(ex) == ["https://www.bing.com/search?q=bing&go=Search&qs=ds&first=32&FORM=PORE"]
    assert ex.leads == []


@pytest.mark.realpages
def test_bing_car_tires_page_with_ads_and_local_pack() -> None:
    ex = BingPage().parse(real_page(BING_TIRES, "https://www.bing.com/search?q=car+tires"))
    assert ex.status == "ok"
    organic, ads = _organic(ex), _ads(ex)
    assert (len(organic), len(ads)) == (10, 3)
    assert {
        (1, "https://www.tirerack.com/content/tirerack/desktop/en/homepage.html", "Tire Rack"),
        (
            2,
            "https://www.discounttire.com/",
            "Discount Tire | Tires and Wheels for Sale | Online & In-Person",
        ),
        (
            4,
            "https://www.continental-tires.com/car",
            "Continental Tires - The fastest way to the perfect tire.",
        ),
        (
            10,
            "https://www.onlinetires.com/",
            "Onlinetires.com - Lowest Tire Prices on the Web. Period!",
        ),
    } <= _triples(organic)
    assert organic[1].snippet == (
        "Since 1960, fast, friendly service and affordable prices on tires and wheels are what"
        " we’re known for."
    )
    # Ads: bing.com/aclk?...&u=<base64> decoded; the "Ad" badge is not part of the snippet.
    assert ads[0].rank == 1 and ads[0].title == "Car Tires - bei Amazon.de"
    assert ads[0].url.startswith("http://www.amazon.de/s/?ie=UTF8&keywords=car+tires")
    assert (
        ads[0].snippet == "Auto- und Motorrad-Zubehör von Top-Marken. Kostenlose Lieferung möglich"
    )
    assert ads[2].title == "Car Tires u.a. bei eBay - Große Auswahl an Car Tires"
    assert urlsplit(ads[2].url).hostname == "rover.ebay.de"
    assert all("bing.com" not in r.url for r in ads)
    _assert_no_wrappers(ex)
    # The images answer ("Images of car tires", bing.com/images) is not a result.
    assert not any("bing.com/images" in r.url for r in ex.search_results)
    # Local pack: two businesses with address, phone and website.
    by_name = {lead.name: lead for lead in ex.leads}
    assert set(by_name) == {"MCS Reifen-Berlin.de Inh. Matthias Kreuzberg", "Reifen Sanders"}
    sanders = by_name["Reifen Sanders"]
    assert sanders.address_raw == "Skalitzer Str. 33 · 10999 Berlin"
    assert [p.raw for p in sanders.phones] == ["030 6127766"]
    assert sanders.website == "http://www.reifensanders.de/"
    assert [p.raw for p in by_name["MCS Reifen-Berlin.de Inh. Matthias Kreuzberg"].phones] == [
        "030 92378000"
    ]
    websites = [(link.url, link.lead_name) for link in ex.links if link.kind == "website"]
    assert ("http://www.reifensanders.de/", "Reifen Sanders") in websites
    assert _next(ex) == [
        "https://www.bing.com/search?q=car+tires&qs=n&sp=-1&pq=car+tires+&sc=4-10&sk="
        "&cvid=CB303533C305404899B181CC6A55DB3D&first=11&FORM=PORE"
    ]


@pytest.mark.realpages
def test_bing_hotels_page_skips_answer_quotes_and_reads_hotel_cards() -> None:
    ex = BingPage().parse(real_page(BING_HOTELS, "https://www.bing.com/search?q=hotels+NYC"))
    assert ex.status == "ok"
    organic, ads = _organic(ex), _ads(ex)
    # 4 top-level li.b_algo; the 4 div.b_algo inside "People also ask" are quotes, not results.
    assert len(organic) == 4
    assert {
        (
            1,
            "https://www.tripadvisor.com/Hotels-g60763-New_York_City_New_York-Hotels.html",
            "THE 10 BEST Hotels in New York City for 2021 (from $83 ...",
        ),
        (
            4,
            "https://www.tripadvisor.es/Hotels-g60763-New_York_City_New_York-Hotels.html",
            "LOS 10 MEJORES hoteles en Nueva York de 2021. …",
        ),
    } <= _triples(organic)
    assert "https://www.arlohotels.com/" not in {r.url for r in ex.search_results}
    # 8 .sb_add blocks (4 top, 4 bottom); the last repeats the first (same href) -> 7 ads.
    assert len(ads) == 7
    assert ads[0].title == "780 Hoteles en Nueva York, NY - Hasta 50% menos en hoteles"
    assert ads[0].url.startswith("http://www.booking.com/city/us/new-york.es.html?aid=352053")
    assert ads[0].snippet == (
        "Reserva un Hotel en Nueva York NY online. Al mejor precio. Pague en el hotel."
    )
    assert [r.rank for r in ads] == list(range(1, 8))
    _assert_no_wrappers(ex)
    # Hotel cards: name + full street address (kept in the span's title attribute).
    addresses = {lead.name: lead.address_raw for lead in ex.leads}
    assert len(addresses) == 5
    assert addresses["Novotel New York Times Square"] == "226 W 52nd St, New York, NY 10019"
    assert addresses["The Knickerbocker Hotel"] == "6 Times Square, New York, NY 10036"
    # The "See results for Hotels.com" entity (head-office address) is not a local lead.
    assert not any("Dallas" in address for address in addresses.values())


@pytest.mark.realpages
@pytest.mark.parametrize(
    ("relative", "url", "source", "organic"),
    [
        (DDG_HTML, "https://html.duckduckgo.com/html/?q=Plumber+Dubai", "duckduckgo", 10),
        (DDG_LITE, "https://lite.duckduckgo.com/lite/?q=test", "duckduckgo", 10),
        (BING_TIRES, "https://www.bing.com/search?q=car+tires", "bing", 10),
        (BING_HOTELS, "https://cn.bing.com/search?q=hotels+NYC", "bing", 4),
    ],
)
def test_extract_page_picks_the_engine_by_host(
    relative: str, url: str, source: str, organic: int
) -> None:
    ex = extract_page(real_page(relative, url), query="q")
    assert (ex.source, ex.method, ex.status) == (source, "search_engine", "ok")
    assert len(_organic(ex)) == organic
    for lead in ex.leads:
        assert lead.evidence and lead.evidence[0].url == url


@pytest.mark.realpages
def test_extract_page_blocked_ddg_through_catalogue() -> None:
    url = "https://html.duckduckgo.com/html/?q=law+firm+India"
    ex = extract_page(real_page(DDG_BLOCKED, url))
    assert (ex.source, ex.status) == ("duckduckgo", "blocked")


# --- catalogue wiring ---------------------------------------------------------------------------


def test_sources_are_configured() -> None:
    ddg = source_for_url("https://lite.duckduckgo.com/lite/?q=x")
    assert (ddg.name, ddg.method, ddg.query_syntax) == ("duckduckgo", "search_engine", "duckduckgo")
    assert ddg.search_urls("灯具 批发") == [
        "https://html.duckduckgo.com/html/?q=%E7%81%AF%E5%85%B7+%E6%89%B9%E5%8F%91"
    ]
    bing = source_for_url("https://cn.bing.com/search?q=x")
    assert (bing.name, bing.query_syntax) == ("bing", "bing")
    assert bing.search_urls("digital camera") == ["https://www.bing.com/search?q=digital+camera"]
    assert isinstance(bing.parser_instance(), BingPage)
    assert isinstance(ddg.parser_instance(), DuckDuckGoPage)


# --- hand-written pages: layouts and states the saved pages do not show ------------------------


def test_ddg_html_no_results_page() -> None:
    page = Page(
        url="https://html.duckduckgo.com/html/?q=zzqxv+nothing",
        text="""<html><head><title>zzqxv nothing at DuckDuckGo</title></head><body>
        <div id="links" class="results">
          <div class="result results_links results_links_deep result--no-result">
            <div class="no-results">No  results.</div>
          </div>
        </div></body></html>""",
    )
    ex = DuckDuckGoPage().parse(page)
    assert ex.status == "no_results"
    assert ex.search_results == []
    assert "no results" in ex.reason.lower()


def test_ddg_lite_no_results_page() -> None:
    page = Page(
        url="https://lite.duckduckgo.com/lite/?q=zzqxv",
        text="""<html><body><table border="0"><tr><td>No results.</td></tr></table>
        </body></html>""",
    )
    assert DuckDuckGoPage().parse(page).status == "no_results"


def test_ddg_lite_sponsored_rows_are_ads() -> None:
    yjs = "https://duckduckgo.com/y.js?ad_domain=ads.example&u3=" + quote(
        "https://ads.example/landing?x=1", safe=""
    )
    page = Page(
        url="https://lite.duckduckgo.com/lite/",
        text=f"""<html><body><table>
        <tr class="result-sponsored"><td>1.</td>
          <td><a rel="nofollow" href="{yjs}" class="result-link">Cheap lamps</a>
          (Sponsored link - <a class="result-link" rel="nofollow"
          href="https://duckduckgo.com/duckduckgo-help-pages/company/ads-by-microsoft/"
          >more info</a>)
          </td></tr>
        <tr class="result-sponsored"><td></td><td class="result-snippet">Buy now.</td></tr>
        <tr><td>1.</td><td><a rel="nofollow" class="result-link"
          href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fwww.lamps.example%2Fcontact&amp;rut=1">
          灯具批发 <b>厂家</b></a></td></tr>
        <tr><td></td><td class="result-snippet">深圳 灯具 厂家 直销</td></tr>
        <tr><td>2.</td><td>
          <a class="result-link" href="https://second.example/">No snippet</a></td></tr>
        </table></body></html>""",
    )
    ex = DuckDuckGoPage().parse(page)
    assert ex.status == "ok"
    assert [(r.rank, r.url, r.title, r.snippet, r.ad) for r in ex.search_results] == [
        (1, "https://ads.example/landing?x=1", "Cheap lamps", "Buy now.", True),
        (1, "https://www.lamps.example/contact", "灯具批发 厂家", "深圳 灯具 厂家 直销", False),
        (2, "https://second.example/", "No snippet", "", False),
    ]
    assert _result_links(ex) == [
        ("https://www.lamps.example/contact", "灯具批发 厂家"),
        ("https://second.example/", "No snippet"),
    ]


def test_ddg_results_page_about_captchas_is_not_blocked() -> None:
    page = Page(
        url="https://html.duckduckgo.com/html/?q=captcha",
        text="""<html><head><title>captcha at DuckDuckGo</title></head><body><div id="links">
        <div class="result results_links web-result"><h2 class="result__title">
        <a class="result__a" href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fcaptcha.example%2F">
        What is a CAPTCHA?</a></h2><a class="result__snippet" href="#">Are you a robot?</a></div>
        </div></body></html>""",
    )
    ex = DuckDuckGoPage().parse(page)
    assert ex.status == "ok"
    assert ex.search_results[0].url == "https://captcha.example/"


def _bing_ck(target: str) -> str:
    encoded = base64.urlsafe_b64encode(target.encode()).decode().rstrip("=")
    return f"https://www.bing.com/ck/a?!&amp;&amp;p=abc&amp;ptn=3&amp;u=a1{encoded}&amp;ntb=1"


def test_bing_current_layout_with_ck_wrappers() -> None:
    """The 2023+ markup: a site-name link (``a.tilk``) before the title, ``/ck/a`` wrappers,
    and a ``b_lineclamp`` snippet that opens with a "WEB" badge."""
    page = Page(
        url="https://cn.bing.com/search?q=%E7%81%AF%E5%85%B7",
        text=f"""<html><head><title>灯具 - 搜索</title></head><body><ol id="b_results">
        <li class="b_ad b_adTop"><ul><li><div class="sb_add sb_adTA">
          <h2><a href="https://www.bing.com/aclick?ld=x&amp;u=aHR0cHMlM2ElMmYlMmZhZHMuZXhhbXBsZSUyZg">
          Lamps on sale</a></h2>
          <div class="b_caption"><p><span class="b_adSlug">Ad</span>Cheap lamps.</p></div>
        </div></li></ul></li>
        <li class="b_algo"><div class="b_tpcn"><a class="tilk" href="{_bing_ck("https://www.lamp.example/")}">
          <div class="tptt">Lamp Co</div></a></div>
          <h2><a href="{_bing_ck("https://www.lamp.example/zh/联系我们")}">
          深圳灯具<strong>厂家</strong> - Lamp Co</a></h2>
          <div class="b_caption"><p class="b_lineclamp2 b_algoSlug"><span class="algoSlug_icon"
          data-priority="2">WEB</span>专业生产 LED 灯具。</p></div></li>
        <li class="b_algo"><h2><a href="{_bing_ck("https://www.bing.com/images/search?q=x")}">Images</a></h2></li>
        <li class="b_pag"><a class="sb_pagN" title="下一页"
          href="/search?q=%E7%81%AF%E5%85%B7&amp;first=11">
        </a></li></ol></body></html>""",
    )
    ex = BingPage().parse(page)
    assert ex.status == "ok"
    assert [(r.rank, r.url, r.title, r.snippet, r.ad) for r in ex.search_results] == [
        (
            1,
            "https://www.lamp.example/zh/联系我们",
            "深圳灯具厂家 - Lamp Co",
            "专业生产 LED 灯具。",
            False,
        ),
        (2, "https://www.bing.com/images/search?q=x", "Images", "", False),
        (1, "https://ads.example/", "Lamps on sale", "Cheap lamps.", True),
    ]
    assert _result_links(ex) == [("https://www.lamp.example/zh/联系我们", "深圳灯具厂家 - Lamp Co")]
    assert _next(ex) == ["https://cn.bing.com/search?q=%E7%81%AF%E5%85%B7&first=11"]


def test_bing_no_results_page() -> None:
    page = Page(
        url="https://www.bing.com/search?q=zzqxv+qqzx",
        text="""<html><head><title>zzqxv qqzx - Search</title></head><body><ol id="b_results">
        <li class="b_no"><h1>There are no results for <strong>zzqxv qqzx</strong></h1>
        <ul><li>Check your spelling or try different keywords</li></ul></li></ol></body></html>""",
    )
    ex = BingPage().parse(page)
    assert ex.status == "no_results"
    assert "There are no results for zzqxv qqzx" in ex.reason


def test_bing_challenge_page_is_blocked() -> None:
    page = Page(
        url="https://www.bing.com/search?q=lamps",
        text="""<html><head><title>Bing</title></head><body><div id="b_content">
        <h1>One last step</h1><p>Please solve the challenge below to continue</p>
        <iframe src="https://www.bing.com/turing/captcha/challenge"></iframe></div></body></html>""",
    )
    ex = BingPage().parse(page)
    assert ex.status == "blocked"
    assert ex.reason


def test_bing_no_results_for_the_query_then_looser_results() -> None:
    page = Page(
        url="https://www.bing.com/search?q=%22zzqxv+lamps%22",
        text="""<html><body><ol id="b_results">
        <li class="b_no"><h1>There are no results for <strong>"zzqxv lamps"</strong></h1></li>
        <li class="b_algo"><h2><a href="https://lamps.example/">Lamps</a></h2></li>
        </ol></body></html>""",
    )
    ex = BingPage().parse(page)
    assert ex.status == "no_results"
    assert "looser query" in ex.reason
    assert [r.url for r in ex.search_results] == ["https://lamps.example/"]


def test_bing_chinese_no_results_page() -> None:
    page = Page(
        url="https://cn.bing.com/search?q=zzqxv",
        text="""<html><body><ol id="b_results"><li class="b_no">
        <h1>没有与此相关的结果: <strong>zzqxv</strong></h1></li></ol></body></html>""",
    )
    ex = BingPage().parse(page)
    assert ex.status == "no_results"
    assert "没有与此相关的结果" in ex.reason


def test_ddg_empty_202_page_is_blocked() -> None:
    page = Page(
        url="https://html.duckduckgo.com/html/?q=lamps",
        text="<html><body><form action='/html/'><input name='q' value='x'></form></body></html>",
        http_status=202,
    )
    ex = DuckDuckGoPage().parse(page)
    assert ex.status == "blocked"
    assert "202" in ex.reason


# --- helpers page objects read elements with --------------------------------------------

_QUERY_PIECES = st.sampled_from(
    ["u", "uddg", "u3", "%75", "+", "=", "&", "%3D", "a", "%E4%B8%AD", "%zz", ";", ""]
)


@given(
    st.lists(_QUERY_PIECES, max_size=12).map("".join), st.sampled_from(["u", "uddg", "u 3", "a"])
)
def test_first_value_is_parse_qs_first_value(query: str, key: str) -> None:
    expected = parse_qs(query, keep_blank_values=True).get(key, [None])[0]
    assert _first_value(query, key) == expected


_CLASS_PIECES = st.sampled_from(["b_algo", "b_algoSlug", " ", "\t", "\n", "\r", "\xa0", "x"])


@given(st.lists(_CLASS_PIECES, max_size=8).map("".join), st.sampled_from(["b_algo", "x"]))
def test_class_holds_is_the_has_class_predicate(value: str, name: str) -> None:
    el = etree.Element("div", {"class": value})
    query = f"boolean(self::*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')])"
    assert class_holds(value, name) is bool(el.xpath(query))


def test_element_text_without_is_text_without() -> None:
    page = Page(
        url="https://example.com/",
        text="<div id='t'>A <span class='b_adSlug'>Ad</span><script>x</script>B<!-- c -->C"
        "<i class='y'>D</i></div>",
    )
    sel = page.selector.xpath("//*[@id='t']")[0]
    assert element_text_without(sel.root, "b_adSlug") == text_without(sel, "b_adSlug") == "A BCD"


# --- Bing's whole-page queries read from the page's indexes --------------------------------------

_BING_ATTRS = st.sampled_from(
    [
        ("class", "b_algo"),
        ("class", "x\tb_algo"),
        ("class", "b_algoX"),
        ("class", "b_ans"),
        ("class", "b_ad z"),
        ("class", "sa_wr"),
        ("class", "sb_pagN"),
        ("class", "sb_pagNX"),
        ("title", "Next page"),
        ("title", "Next"),
        ("aria-label", "下一页"),
        ("title", "下一页"),
        ("aria-label", "Next page "),
        ("href", "/search?first=11"),
        ("href", ""),
    ]
)
_BING_TAGS = st.sampled_from(["li", "div", "a", "ul"])
_BING_NODE: Any = st.recursive(
    st.tuples(_BING_TAGS, st.lists(_BING_ATTRS, max_size=3).map(dict), st.just([])),
    lambda inner: st.tuples(
        _BING_TAGS, st.lists(_BING_ATTRS, max_size=3).map(dict), st.lists(inner, max_size=3)
    ),
    max_leaves=16,
)


_bing_markup = tree_markup


@settings(max_examples=300)
@example([("div", {"class": "b_ad z"}, [("li", {"class": "b_algo"}, [])])])
@example(
    [("div", {"class": "b_ans"}, [("li", {"class": "sa_wr"}, [])]), ("li", {"class": "sa_wr"}, [])]
)
@example(
    [("a", {"title": "下一页", "href": "/2"}, []), ("a", {"class": "sb_pagN", "href": "/3"}, [])]
)
@given(st.lists(_BING_NODE, max_size=4))
def test_bing_organic_blocks_and_next_hrefs_are_their_queries(nodes: list[Any]) -> None:
    from spiders.pages.bing import _NEXT_HREFS, _ORGANIC_BLOCKS, _next_hrefs, _organic_blocks

    markup = "".join(map(_bing_markup, nodes))
    page = Page(url="https://www.bing.com/search?q=x", text=f"<html><body>{markup}</body></html>")
    root = page.selector.root
    expected: list[Any] = next((found for q in _ORGANIC_BLOCKS if (found := root.xpath(q))), [])
    assert _organic_blocks(page.selector, page) == expected
    assert _next_hrefs(page.selector, page) == root.xpath(_NEXT_HREFS)
    other = Page(url=page.url, text=page.text)  # a selector the page does not own: the queries
    assert [el.tag for el in _organic_blocks(other.selector, page)] == [el.tag for el in expected]
    assert _next_hrefs(other.selector, page) == root.xpath(_NEXT_HREFS)


_NAME_PIECES = st.sampled_from(["g", "CLID", "%67", "+", "%2B", "%zz", "É", "%C3%89", ""])


@given(st.lists(_NAME_PIECES, max_size=6))
def test_param_name_is_unquote_plus_lowered(pieces: list[str]) -> None:
    from urllib.parse import unquote_plus

    from spiders.pages.serp import _param_name

    name = "".join(pieces)
    assert _param_name(name) == unquote_plus(name).lower()


def _decode_every_layer(url: str) -> str:
    """``decode_redirect`` without its host check: every decoder asked at every layer."""
    from spiders.pages.serp import _DECODERS, _MAX_LAYERS, _absolute

    current = _absolute(url)
    for _ in range(_MAX_LAYERS):
        for decoder in _DECODERS:
            decoded = decoder(current)
            if decoded != current:
                current = _absolute(decoded)
                break
        else:
            return current
    return current


_URL_STARTS = st.sampled_from(
    [
        "https://duckduckgo.com/l/?uddg=",
        "//duckduckgo.com/y.js?u3=",
        "https://www.bing.com/ck/a?!&&u=a1aHR0cHM6Ly9leGFtcGxlLmNvbS8",
        "https://www.bing.com/aclick?u=",
        "https://www.google.com/url?q=",
        "/url?q=",
        "https://example.com/",
        "https://notbing.com/aclick?u=",
        " https://BING.com/ck/a?u=",
        "",
    ]
)


@given(st.lists(_URL_STARTS, max_size=3).map("".join))
def test_decode_redirect_asks_only_the_decoders_that_may_change_a_url(url: str) -> None:
    from spiders.pages.serp import decode_redirect

    assert decode_redirect(url) == _decode_every_layer(url)


# --- Bing's per-block queries read in one walk of the block --------------------------------------

_BING_BLOCK_ATTRS = st.sampled_from(
    [
        ("class", "b_lineclamp2"),
        ("class", "b_algoSlug"),
        ("class", "b_algoSlugX"),
        ("class", "b_caption"),
        ("class", "x\tb_caption"),
        ("class", "b_captionX"),
        ("class", "b_secondaryText"),
        ("class", "b_snippet"),
        ("class", "b_paractl"),
        ("class", "b_dList"),
        ("class", "b_adSlug"),
        ("class", "algoSlug_icon"),
        ("class", "b_attribution"),
        ("href", "https://example.com/a"),
        ("href", ""),
    ]
)
_BING_BLOCK_TAGS = st.sampled_from(["div", "a", "p", "h2", "h3", "span"])
_BING_BLOCK_NODE: Any = st.recursive(
    st.tuples(
        _BING_BLOCK_TAGS,
        st.lists(_BING_BLOCK_ATTRS, max_size=2).map(dict),
        st.sampled_from(["", "t", " "]),
        st.just([]),
    ),
    lambda inner: st.tuples(
        _BING_BLOCK_TAGS,
        st.lists(_BING_BLOCK_ATTRS, max_size=2).map(dict),
        st.sampled_from(["", "t", " "]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=14,
)


_bing_block_markup = tree_markup


@settings(max_examples=400)
@example([("h2", {}, "", [("a", {"href": "https://example.com/a"}, "T", [])])])
@example(
    [
        ("div", {"class": "b_caption"}, "", [("p", {}, "s", [])]),
        ("a", {"href": "/x"}, "", [("h3", {}, "T", [])]),
        ("span", {"class": "b_adSlug"}, "Ad", []),
    ]
)
@given(st.lists(_BING_BLOCK_NODE, max_size=4))
def test_bing_block_walk_is_the_block_queries(nodes: list[Any]) -> None:
    from spiders.pages.bing import (
        _AD_BADGE,
        _Block,
        _heading_title,
        _snippet,
        _title,
        _title_anchor,
    )

    markup = "".join(map(_bing_block_markup, nodes))
    page = Page(
        url="https://www.bing.com/search?q=x", text=f"<html><body><li>{markup}</li></body></html>"
    )
    block = next(page.root.iter("li"))
    walk = _Block(block)
    anchor = _title_anchor(block)
    assert walk.title_anchor(block) is anchor
    if anchor is not None:
        assert _heading_title(anchor) == _title(anchor)
    assert walk.snippet() == _snippet(block)
    assert walk.badge is bool(_AD_BADGE(block))


_HOST_PIECES = st.sampled_from(
    ["", "www", "bing", "bing.com", "com", "gstatic", "google", "ya", "ru", "g", "co", "x-bing"]
)


@settings(max_examples=300)
@given(st.lists(_HOST_PIECES, max_size=4), st.sampled_from(["", ".", ":8080", "/p"]))
def test_on_hosts_of_the_fixed_lists_is_the_generic_test(pieces: list[str], end: str) -> None:
    from spiders.pages.serp import DDG_BING_HOSTS, ENGINE_HOSTS, GOOGLE_DOMAINS, host_of, on_hosts

    url = f"https://{'.'.join(pieces)}{end}"
    host = host_of(url)
    for domains in (GOOGLE_DOMAINS, DDG_BING_HOSTS, ENGINE_HOSTS):
        generic = any(host == d or host.endswith("." + d) for d in domains)
        assert on_hosts(url, domains) is generic
        assert on_hosts(url, list(domains)) is generic


_TREE: Any = st.recursive(
    st.just([]), lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=20
)


def _tree_markup(children: list[Any]) -> str:
    return "".join(f"<div>{_tree_markup(child)}</div>" for child in children)


@settings(max_examples=300)
@given(_TREE, st.data())
def test_under_memo_is_under(tree: list[Any], data: st.DataObject) -> None:
    from spiders.pages.serp import under, under_memo

    page = Page(url="https://example.com/", text=f"<html><body>{_tree_markup(tree)}</body></html>")
    elements = list(page.root.iter())
    chosen = data.draw(st.lists(st.sampled_from(elements), max_size=6, unique=True))
    owners = {el: f"owner{i}" for i, el in enumerate(chosen)}
    order = data.draw(st.permutations(elements))
    memo: dict[Any, Any] = {}
    for el in order:
        assert under_memo(el, owners, memo) == under(el, owners)


_BING_PAGES = [  # two real Bing pages with local cards and ads, and a made-up one
    pytest.param(BING_HOTELS, "https://www.bing.com/search?q=h", marks=pytest.mark.realpages),
    pytest.param(BING_TIRES, "https://www.bing.com/search?q=c", marks=pytest.mark.realpages),
    (None, "https://www.bing.com/search?q=made-up"),
]


_CARD_MARKUP = """<html><body>
<div class="b_scard"><h2>Acme <b>Tires</b></h2><div class="b_address">12 Main St, Springfield</div>
 <a href="tel:+1 555 0100">call</a><a aria-label="WebSite" href="https://acme.example/">w</a></div>
<div class="b_scard"><h2>Beta</h2><div class="b_factrow"><span title="Springfield (3 mi)">x</span>
 <span title="5 Elm Rd, Springfield">y</span><span class="nowrap">+1 (555) 010-2000</span></div>
 <a href="https://www.bing.com/ck/a?u=a1aHR0cHM6Ly9iZXRhLmV4YW1wbGUv"><i class="ibsb_web"></i>
 </a></div>
<div class="b_scard"><h2>Gamma</h2><div class="b_factrow"><span class="x nowrap">12</span>
</div></div>
<div class="lc_content"><h2>Beta</h2><div class="b_address">other</div></div>
</body></html>"""


@pytest.mark.parametrize("relative, url", _BING_PAGES)
def test_bing_card_readers_on_elements_are_the_selector_queries(
    relative: str | None, url: str
) -> None:
    from spiders.pages import bing

    page = Page(url=url, text=_CARD_MARKUP) if relative is None else real_page(relative, url)
    cards = bing._local_cards(page.selector, page)
    assert cards
    for card in cards:
        element = card.root
        name = clean_text("".join(card.xpath("(.//h2)[1]//text()").getall()))
        assert clean_text("".join(bing._CARD_NAME(element))) == name
        assert bing._element_address(element) == bing._card_address(card)
        assert bing._element_phones(element) == bing._card_phones(card)
    leads, _ = bing._local_leads(page.selector, page)
    assert leads


_AD_MARKUP = """<html><body>
<ol><li class="b_ad"><ul><li class="sb_add"><h2><a href="/1">a</a></h2></li>
 <li class="x sb_add"><h2><a href="/2">b</a></h2></li></ul></li>
<li class="b_ad"><ul><li><h2><a href="/3">c</a></h2></li>
 <li><h3><a href="/4">d</a></h3></li></ul></li>
<li class="b_ad"><div>no items</div></li></ol>
<div class="sb_add"><h2><a href="/5">e</a></h2></div>
</body></html>"""


@pytest.mark.parametrize("relative, url", _BING_PAGES)
def test_bing_ad_elements_are_the_ad_blocks(relative: str | None, url: str) -> None:
    from spiders.pages import bing

    page = Page(url=url, text=_AD_MARKUP) if relative is None else real_page(relative, url)
    blocks = [block.root for block in bing._ad_blocks(page.selector, page)]
    assert blocks
    assert bing._ad_elements(page.selector, page) == blocks
    other = Selector(text=page.text)
    assert bing._ad_elements(other, page) == [block.root for block in bing._ad_blocks(other)]
