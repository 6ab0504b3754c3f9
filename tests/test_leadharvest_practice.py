"""The practice web: the bundled archive of fictional businesses that the demo replays.

Expected values below are written from the page sources in leadharvest/practice/site/, not
from parser output: a parser change that loses a phone, or a page edit that forgets the
practice banner, fails here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import phonenumbers
import pytest

from leadharvest.archive import ArchivedResponse, ArchiveIndex, iter_responses
from leadharvest.items import Lead
from leadharvest.planning import plan_start_requests
from leadharvest.practice import (
    BANNER_EN,
    BANNER_ZH,
    DEMO_PRODUCTS,
    DEMO_QUERY,
    DEMO_SOURCES,
    archive_path,
    site_dir,
)
from leadharvest.practice.build import BUILD_DATE, build_archive, load_manifest
from spiders.encoding import decode_html
from spiders.pages import catalogue, extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction

SEARCH = "https://search.practice.example/html/"
YP_SEARCH = "https://yellowpages.practice.example/search/listings?clue=digital+camera&locationClue=All+States"
B2B_SEARCH = "https://b2b.practice.example/search.mp?ss=digital+camera"
CN_SEARCH = (
    "https://cn-b2b.practice.example/selloffer/offer_search.htm?keywords="
    "%E6%95%B0%E7%A0%81%E7%9B%B8%E6%9C%BA"
)
GBK_PAGE = "https://guangying-digital.example/lxwm.htm"
LYING_PAGE = "https://xinghe-imaging.example/contact.html"
MISSING_SITE = "https://lumenpeak-cameras.example/"
DIRECTORY_HOTLINE = "+611300975708"
DIRECTORY_EMAIL = "help@yellowpages.practice.example"

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


@cache
def index() -> ArchiveIndex:
    return ArchiveIndex.load(archive_path())


def response(url: str) -> ArchivedResponse:
    found = index().get(url)
    assert found is not None, f"{url} is not in the practice archive"
    return found


def page(url: str) -> Page:
    resp = response(url)
    return Page.from_bytes(resp.url, resp.body, resp.content_type, resp.status)


def extract(url: str) -> PageExtraction:
    return extract_page(page(url))


def html_responses() -> list[ArchivedResponse]:
    return [r for r in index().responses.values() if r.content_type.startswith("text/html")]


def by_name(leads: list[Lead]) -> dict[str, Lead]:
    return {lead.name: lead for lead in leads}


def e164(raw: str, region: str) -> str:
    number = phonenumbers.parse(raw, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def planned_urls() -> list[str]:
    sources = [catalogue()[name] for name in DEMO_SOURCES]
    return [r.url for r in plan_start_requests(DEMO_QUERY, list(DEMO_PRODUCTS), sources)]


# --------------------------------------------------------------------------- the archive itself


def test_archive_holds_every_planned_start_url() -> None:
    urls = planned_urls()
    assert len(urls) == 9  # 6 search-engine queries + directory + 2 B2B portals
    missing = [url for url in urls if url not in index()]
    assert missing == []


def test_practice_sources_are_marked_practice_and_on_example_hosts() -> None:
    for name in DEMO_SOURCES:
        src = catalogue()[name]
        assert src.practice is True
        assert src.hosts and all(h.endswith(".example") for h in src.hosts)


def test_every_archived_url_is_on_the_reserved_example_tld() -> None:
    hosts = {re.sub(r"^https://([^/]+)/.*$", r"\1", url) for url in index().urls()}
    assert hosts and all(h.endswith(".example") for h in hosts), hosts


def test_every_page_carries_the_practice_marker_and_banner() -> None:
    pages = html_responses()
    assert len(pages) >= 40
    for resp in pages:
        text, _ = decode_html(resp.body, resp.content_type)
        assert '<meta name="leadharvest-practice" content="fictional">' in text, resp.url
        visible = Page(url=resp.url, text=text).visible_text
        assert BANNER_EN in visible, resp.url
        assert BANNER_ZH in visible, resp.url


def test_no_email_domain_outside_example() -> None:
    for resp in index().responses.values():
        text, _ = decode_html(resp.body, resp.content_type)
        for domain in EMAIL_RE.findall(text):
            assert domain.lower().endswith(".example"), (resp.url, domain)


def test_gbk_contact_page_is_gbk_bytes_and_decodes_to_chinese() -> None:
    resp = response(GBK_PAGE)
    assert "charset=gbk" in resp.content_type
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("utf-8")
    text, codec = decode_html(resp.body, resp.content_type)
    assert codec == "gb18030"
    assert "联系人：陈经理（销售部）" in text
    assert "深圳市光影数码科技有限公司" in text
    assert BANNER_ZH in text


def test_lying_charset_page_is_utf8_despite_its_gb2312_meta() -> None:
    resp = response(LYING_PAGE)
    assert b'charset="gb2312"' in resp.body or b"charset=gb2312" in resp.body
    assert "charset" not in resp.content_type
    resp.body.decode("utf-8")  # the bytes really are UTF-8
    text, codec = decode_html(resp.body, resp.content_type)
    assert codec == "utf-8"
    assert "联系人：李小姐（批发部经理）" in text


def test_deliberately_missing_site_is_not_archived() -> None:
    assert MISSING_SITE not in index()


def test_archive_is_small_and_dated_with_the_build_date() -> None:
    assert archive_path().stat().st_size < 300_000
    dates = {r.date for r in iter_responses(archive_path())}
    assert dates == {BUILD_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_bundled_archive_matches_the_page_sources(tmp_path: Path) -> None:
    """The committed WARC is what `python -m leadharvest.practice.build` makes of site/."""
    out = tmp_path / "rebuilt.warc.gz"
    count = build_archive(out)
    assert count == len(load_manifest()) == len(index())
    rebuilt = {r.url: (r.status, r.content_type, r.body, r.date) for r in iter_responses(out)}
    bundled = {
        r.url: (r.status, r.content_type, r.body, r.date) for r in iter_responses(archive_path())
    }
    assert rebuilt == bundled


def test_manifest_lists_every_site_file() -> None:
    listed = {p.path.resolve() for p in load_manifest()}
    on_disk = {
        p.resolve() for p in site_dir().rglob("*") if p.is_file() and p.name != "manifest.toml"
    }
    assert on_disk == listed


# --------------------------------------------------------------------------- search engine


def test_search_pages_give_decoded_results_and_flag_ads() -> None:
    result = extract(SEARCH + "?q=buy+%22digital+camera%22")
    assert result.status == "ok"
    assert result.source == "practice_search"
    ads = [r for r in result.search_results if r.ad]
    organic = [r for r in result.search_results if not r.ad]
    assert [a.url for a in ads] == ["https://cammegamart.example/deals/digital-cameras"]
    assert [r.url for r in organic] == [
        "https://thamesbridge-cameras.example/",
        "https://brightlens-optics.example/",
        "https://harbourside-camera-rental.example/",
        MISSING_SITE,
        "https://kestrel-camera.example/",
        "https://shutterbox-wholesale.example/",
    ]
    assert organic[1].title.startswith("Brightlens Optics")
    followed = {link.url for link in result.links if link.kind == "result"}
    assert "https://cammegamart.example/deals/digital-cameras" not in followed


def test_search_next_page_is_archived() -> None:
    result = extract(SEARCH + "?q=%22digital+camera%22+wholesale")
    nexts = [link.url for link in result.links if link.kind == "next"]
    assert len(nexts) == 1
    second = extract(nexts[0])
    assert [r.url for r in second.search_results] == [
        "https://pixelpoint-imaging.example/",
        "https://kookaburra-camera-repairs.example/",
    ]
    assert not [link for link in second.links if link.kind == "next"]


def test_chinese_queries_list_chinese_companies() -> None:
    chinese = {
        "https://guangying-digital.example/",
        "https://xinghe-imaging.example/",
        "https://caihong-trading.example/",
        "https://shijietong-repair.example/",
    }
    zh_urls = [u for u in planned_urls() if u.startswith(SEARCH) and "%E6%95%B0" in u]
    assert len(zh_urls) == 3
    for url in zh_urls:
        organic = {r.url for r in extract(url).search_results if not r.ad}
        assert organic and organic <= chinese, url


# --------------------------------------------------------------------------- yellow pages


def test_directory_listing_yields_the_fictional_businesses() -> None:
    result = extract(YP_SEARCH)
    assert result.status == "ok"
    leads = by_name(result.leads)
    assert set(leads) == {
        "BrightLens Optics Pty Ltd",
        "Shutterbox Camera Wholesale",
        "Pixelpoint Imaging Pty Ltd",
        "Southern Cross Camera Supply",
        "Kookaburra Camera Repairs",
        "Harbourside Camera Rental Co",
        "Wattle Photo & Digital",
    }
    bright = leads["BrightLens Optics Pty Ltd"]
    assert [p.raw for p in bright.phones] == ["(02) 5550 0142"]
    assert [e.raw for e in bright.emails] == ["sales@brightlens-optics.example"]
    assert bright.website.rstrip("/") == "https://brightlens-optics.example"
    assert "Alexandria" in bright.address_raw
    wattle = leads["Wattle Photo & Digital"]
    assert wattle.website == ""
    assert [p.raw for p in wattle.phones] == ["0491 570 156"]
    details = [link.url for link in result.links if link.kind == "detail"]
    assert len(details) == 7 and all(url in index() for url in details)


def test_two_businesses_share_a_switchboard_but_not_a_name_or_domain() -> None:
    leads = by_name(extract(YP_SEARCH).leads)
    pixel = leads["Pixelpoint Imaging Pty Ltd"]
    cross = leads["Southern Cross Camera Supply"]
    assert e164(pixel.phones[0].raw, "AU") == e164(cross.phones[0].raw, "AU") == "+61255500300"
    assert pixel.website != cross.website
    assert "88 Example Street" in pixel.address_raw
    assert "88 Example Street" in cross.address_raw


def test_the_rental_company_is_there_to_be_excluded_by_the_query() -> None:
    from leadharvest.query import parse_query

    leads = by_name(extract(YP_SEARCH).leads)
    query = parse_query(DEMO_QUERY)
    assert not query.matches(leads["Harbourside Camera Rental Co"].text())
    assert query.matches(leads["BrightLens Optics Pty Ltd"].text())


def test_directory_hotline_and_email_never_become_a_lead_contact() -> None:
    assert b"1300 975 708" in response(YP_SEARCH).body  # the trap is on the page
    for resp in html_responses():
        result = extract(resp.url)
        for lead in result.leads:
            numbers = [*lead.phones, *(p for person in lead.people for p in person.phones)]
            for phone in numbers:
                digits = re.sub(r"\D", "", phone.raw)
                assert "1300975708" not in digits, (resp.url, lead.name)
            emails = [*lead.emails, *(e for person in lead.people for e in person.emails)]
            assert all(DIRECTORY_EMAIL not in e.raw for e in emails), (resp.url, lead.name)


def test_directory_detail_pages_give_one_listing_each() -> None:
    result = extract(
        "https://yellowpages.practice.example/nsw/alexandria/"
        "brightlens-optics-pty-ltd-1000101-listing.html"
    )
    assert [lead.name for lead in result.leads] == ["BrightLens Optics Pty Ltd"]
    jsonld_only = extract(
        "https://yellowpages.practice.example/qld/fortitude-valley/"
        "shutterbox-camera-wholesale-1000102-listing.html"
    )
    (lead,) = jsonld_only.leads
    assert lead.name == "Shutterbox Camera Wholesale"
    assert [p.raw for p in lead.phones] == ["07 5550 0177"]


# --------------------------------------------------------------------------- B2B portals


def test_b2b_cards_give_one_lead_per_supplier() -> None:
    result = extract(B2B_SEARCH)
    assert result.status == "ok"
    leads = by_name(result.leads)
    assert set(leads) == {
        "Sahyadri Imaging Pvt Ltd",
        "Deccan Digital Traders",
        "Ganga Camera House",
        "Marigold Optics Exports",
        "Nilgiri Lens Works",
    }
    sahyadri = leads["Sahyadri Imaging Pvt Ltd"]
    assert "Mirrorless Digital Camera Body" in sahyadri.products
    assert "Kids Digital Camera" in sahyadri.products
    assert [p.raw for p in sahyadri.phones] == ["8045550101"]
    assert leads["Ganga Camera House"].phones[0].extension == "217"
    assert leads["Marigold Optics Exports"].website == "https://marigold-optics.example/"
    helpline = {"918045550100", "8045550100"}
    for lead in result.leads:
        assert all(re.sub(r"\D", "", p.raw) not in helpline for p in lead.phones)


def test_cn_b2b_offers_give_suppliers_and_the_masked_number_stays_masked() -> None:
    result = extract(CN_SEARCH)
    assert result.status == "ok"
    leads = by_name(result.leads)
    assert set(leads) == {
        "深圳市光影数码科技有限公司",
        "广州市星河影像器材批发有限公司",
        "东莞市镜界光学有限公司",
        "上海瞬拍数码器材经营部",
        "义乌市彩虹贸易有限公司",
        "佛山市南海映像摄影器材厂",
    }
    assert leads["深圳市光影数码科技有限公司"].business_type == "manufacturer"
    assert "运动相机" in leads["深圳市光影数码科技有限公司"].products
    assert leads["义乌市彩虹贸易有限公司"].business_type == "agent_trading"
    masked = [p for lead in result.leads for p in lead.phones if "****" in p.raw]
    assert masked, "the masked number 138****5678 is on the page"
    assert all(p.masked and p.e164 is None for p in masked)


# --------------------------------------------------------------------------- company websites


def test_same_company_spelled_three_ways_shares_one_phone() -> None:
    directory = by_name(extract(YP_SEARCH).leads)["BrightLens Optics Pty Ltd"]
    search = next(
        r
        for r in extract(SEARCH + "?q=buy+%22digital+camera%22").search_results
        if r.url == "https://brightlens-optics.example/"
    )
    (own,) = extract("https://brightlens-optics.example/contact-us/").leads
    assert own.name == "BRIGHTLENS OPTICS PTY. LTD."
    assert search.title.split(" | ")[0] == "Brightlens Optics"
    assert len({directory.name, own.name, "Brightlens Optics"}) == 3
    numbers = {e164(directory.phones[0].raw, "AU"), e164(own.phones[0].raw, "AU")}
    snippet_number = re.search(r"\(02\) 5550 0142", search.snippet)
    assert snippet_number is not None
    numbers.add(e164(snippet_number.group(0), "AU"))
    assert numbers == {"+61255500142"}
    assert {p.raw for p in [directory.phones[0], own.phones[0]]} == {
        "(02) 5550 0142",
        "+61 2 5550 0142",
    }


def test_company_sites_link_to_their_contact_pages() -> None:
    expected = {
        "https://brightlens-optics.example/": "https://brightlens-optics.example/contact-us/",
        "https://guangying-digital.example/": GBK_PAGE,
        "https://xinghe-imaging.example/": LYING_PAGE,
        "https://caihong-trading.example/": "https://caihong-trading.example/lianxi.html",
    }
    for home, contact in expected.items():
        links = {link.url for link in extract(home).links if link.kind == "contact"}
        assert contact in links, home


def test_company_contact_pages_yield_their_contacts() -> None:
    (gbk,) = extract(GBK_PAGE).leads
    assert gbk.name == "深圳市光影数码科技有限公司"
    assert "+8675528880101" in {e164(p.raw, "CN") for p in gbk.phones}
    assert "sales@guangying-digital.example" in {e.raw for e in gbk.emails}

    (lying,) = extract(LYING_PAGE).leads
    assert lying.name == "广州市星河影像器材批发有限公司"
    assert "李小姐" in {p.name for p in lying.people}

    (kestrel,) = extract("https://kestrel-camera.example/contact/").leads
    staff = {p.name: p for p in kestrel.people}
    assert {"Priya Raman", "Tom Gallagher", "Lena Vogt"} <= set(staff)
    assert staff["Priya Raman"].title == "National Sales Manager"
    assert [e.raw for e in staff["Tom Gallagher"].emails] == [
        "tom.gallagher@kestrel-camera.example"
    ]
    assert {e.raw for e in kestrel.emails} == {"info@kestrel-camera.example"}  # a role address

    (thames,) = extract("https://thamesbridge-cameras.example/contact-us.html").leads
    # the page's microdata says "Thamesbridge Cameras Ltd"; the title says "Thamesbridge Cameras"
    assert thames.name.startswith("Thamesbridge Cameras")
    assert e164(thames.phones[0].raw, "GB") == "+442079460123"


# --------------------------------------------------------------------------- the demo job's crawl


def test_demo_crawl_reaches_every_archived_page_it_links_and_misses_one_site() -> None:
    """Follow every link the page objects emit from the planned start URLs, as the job does."""
    queue = planned_urls()
    seen = set(queue)
    missing: set[str] = set()
    names: set[str] = set()
    methods: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url not in index():
            missing.add(url)
            continue
        result = extract(url)
        assert result.status == "ok", url
        methods.add(source_for_url(url).method)
        names.update(lead.name for lead in result.leads)
        for link in result.links:
            if link.url not in seen:
                seen.add(link.url)
                queue.append(link.url)
    assert missing == {MISSING_SITE}
    assert methods == {"search_engine", "yellow_pages", "industry_site", "company_website"}
    assert len(names) >= 20
