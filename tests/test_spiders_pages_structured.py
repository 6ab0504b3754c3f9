"""Structured data and the page's own summary: JSON-LD / microdata into a lead, descriptions."""

from __future__ import annotations

import pytest

from leadharvest.items import Lead
from spiders.pages.base import Page
from spiders.pages.structured import (
    DESCRIPTION_LIMIT,
    apply_postal_address,
    apply_structured,
    extract_structured,
    jsonld_documents,
    listed_orgs,
    org_name,
    org_url,
    page_description,
    short_description,
    structured_items,
)


def page(head: str, body: str = "") -> Page:
    return Page(
        url="https://kestrel-camera.example/",
        text=f"<html><head>{head}</head><body>{body}</body></html>",
    )


def test_og_description_comes_before_the_meta_description() -> None:
    head = (
        '<meta name="description" content="Digital camera wholesale, Melbourne.">'
        '<meta property="og:description" content="Trade supplier of digital cameras.">'
    )
    assert page_description(page(head)) == "Trade supplier of digital cameras."


def test_meta_description_is_cleaned() -> None:
    value = "  Digital camera\n wholesale &amp;amp; <b>distribution</b>. "
    head = f'<meta name="Description" content="{value}">'
    assert page_description(page(head)) == "Digital camera wholesale & distribution."


@pytest.mark.parametrize(
    "head",
    [
        "",
        '<meta name="description" content="Contact Us">',
        '<meta name="description" content="联系我们">',
        '<meta name="description" content="">',
        "<title>Kestrel Camera Distributors</title>"
        '<meta name="description" content="Kestrel Camera Distributors">',
    ],
)
def test_descriptions_that_say_nothing_are_skipped(head: str) -> None:
    assert page_description(page(head)) == ""


def test_long_description_is_cut_at_a_sentence_or_a_word() -> None:
    sentence = "Digital camera wholesale and distribution for retailers in Victoria. "
    value = sentence * 8
    short = short_description(value)
    assert len(short) <= DESCRIPTION_LIMIT
    assert short.endswith("Victoria.")
    words = "word " * 100
    cut = short_description(words)
    assert cut.endswith("word…")
    assert len(cut) <= DESCRIPTION_LIMIT + 1
    assert short_description("数码相机" * 100).endswith("…")


def test_organisation_description_fills_the_lead() -> None:
    body = (
        '<div itemscope itemtype="https://schema.org/LocalBusiness">'
        '<h1 itemprop="name">Thamesbridge Cameras Ltd</h1>'
        '<p itemprop="description">Camera shop: digital cameras, lenses and accessories.</p>'
        '<p>Tel: <span itemprop="telephone">020 7946 0123</span></p></div>'
    )
    lead = Lead(name="")
    org_name, brand = apply_structured(structured_items(page("", body)), lead)
    assert (org_name, brand) == ("Thamesbridge Cameras Ltd", "")
    assert lead.description == "Camera shop: digital cameras, lenses and accessories."
    assert [(p.raw, p.label) for p in lead.phones] == [("020 7946 0123", "tel")]


def test_og_site_name_is_the_brand_unless_it_is_a_host() -> None:
    lead = Lead(name="")
    head = '<meta property="og:site_name" content="Kestrel Camera Distributors">'
    assert apply_structured(structured_items(page(head)), lead) == (
        "",
        "Kestrel Camera Distributors",
    )
    head = '<meta property="og:site_name" content="www.kestrel-camera.example">'
    assert apply_structured(structured_items(page(head)), lead) == ("", "")


def test_listed_orgs_are_the_top_level_organisations() -> None:
    html = """<script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
      {"@type": "ListItem", "item": {"@type": "Plumber", "name": "A Plumbing",
        "url": "https://a.example/", "parentOrganization": {"@type": "Organization",
        "name": "A Group"}}},
      {"@type": "ListItem", "item": {"@type": "Store", "name": "B Store"}}]}</script>"""
    data = extract_structured(Page(url="https://dir.example/", text=html))
    orgs = listed_orgs(data)
    # the parent organisation is part of A, not another listed business
    assert [org_name(o) for o in orgs] == ["A Plumbing", "B Store"]
    assert org_url(orgs[0]) == "https://a.example/"
    assert org_url(orgs[1]) == ""


def test_jsonld_documents_skips_a_script_that_is_not_json() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "Store", "name": "Kestrel"}</script>'
        '<script type="application/ld+json">{broken</script>'
        '<script type="application/ld+json">[{"@type": "WebSite"}]</script>'
    )
    assert list(jsonld_documents(page(head))) == [
        {"@type": "Store", "name": "Kestrel"},
        [{"@type": "WebSite"}],
    ]


def test_apply_postal_address_joins_the_parts_and_keeps_them_apart() -> None:
    lead = Lead(name="Kestrel")
    address = {
        "streetAddress": " 12 Main St ",
        "addressLocality": "Springfield",
        "addressRegion": "IL",
        "postalCode": "62701",
    }
    apply_postal_address(address, lead)
    assert lead.address_raw == "12 Main St, Springfield, IL 62701"
    assert (lead.city, lead.region, lead.postcode) == ("Springfield", "IL", "62701")
    plain = Lead(name="Kestrel")
    apply_postal_address("  4 High St,  Leeds ", plain)
    assert plain.address_raw == "4 High St, Leeds"
    assert plain.city == ""
