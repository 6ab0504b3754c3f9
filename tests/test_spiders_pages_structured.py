"""Structured data and the page's own summary: JSON-LD / microdata into a lead, descriptions."""

from __future__ import annotations

from pathlib import Path

import extruct
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest.items import Lead
from spiders.pages.base import Page
from spiders.pages.structured import (
    _DESCRIPTION_XPATHS,
    DESCRIPTION_LIMIT,
    _description_values,
    apply_postal_address,
    apply_structured,
    extract_structured,
    jsonld_documents,
    listed_orgs,
    org_name,
    org_url,
    page_description,
    present_syntaxes,
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


_PRACTICE_SITE = Path(__file__).resolve().parent.parent / "leadharvest" / "practice" / "site"


@pytest.mark.parametrize(
    "path", sorted(_PRACTICE_SITE.rglob("*.html")), ids=lambda p: str(p.relative_to(_PRACTICE_SITE))
)
def test_structured_data_from_the_tree_is_what_the_text_gives(path: Path) -> None:
    """extract_structured hands extruct the page's own tree; extruct's own parse of the text
    must find the same items (the practice pages carry JSON-LD, microdata and Open Graph)."""
    page = Page.from_bytes(f"https://{path.relative_to(_PRACTICE_SITE)}", path.read_bytes())
    syntaxes = present_syntaxes(page.text, page.lowered)
    expected = (
        extruct.extract(
            page.text, base_url=page.base_url, syntaxes=syntaxes, uniform=True, errors="ignore"
        )
        if syntaxes
        else {}
    )
    assert extract_structured(page) == expected


_MADE_UP = """<!doctype html><html prefix="og: http://ogp.me/ns#"><head>
<meta property="og:site_name" content="Acme Optics"><meta property="og:title" content="Contact">
<script type="application/ld+json">{"@type": "Organization", "name": "Acme Optics Ltd",
"telephone": "+44 20 7946 0000"}</script></head>
<body><div itemscope itemtype="http://schema.org/LocalBusiness"><span itemprop="name">Acme</span>
<a itemprop="url" href="/about">about</a><span itemprop="telephone">020 7946 0001</span></div>
</body></html>"""


def test_structured_data_from_the_tree_on_every_syntax_but_rdfa() -> None:
    page = Page.from_bytes("https://acme.example/contact", _MADE_UP.encode())
    syntaxes = present_syntaxes(page.text, page.lowered)
    assert set(syntaxes) == {"json-ld", "microdata", "opengraph"}
    expected = extruct.extract(
        page.text, base_url=page.base_url, syntaxes=syntaxes, uniform=True, errors="ignore"
    )
    assert extract_structured(page) == expected
    assert all(expected[s] for s in syntaxes)


_METAS = [
    '<meta property="og:description" content="a">',
    '<meta property="OG:Description" content="b">',
    '<meta property="og:descriptioN">',
    '<meta property="og:dEscription" content="">',
    '<meta name="og:description" content="c">',
    '<meta name="Description" content="d">',
    '<meta name="DESCRIPTION" content="e">',
    '<meta name="description " content="f">',
    '<meta name="description" property="og:description" content="g">',
    '<meta name="descrıption" content="h">',
    '<meta name="keywords" content="i">',
    '<META NAME="description" CONTENT="j">',
    '<meta content="k">',
    '<p name="description" content="l">',
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_METAS), max_size=6), st.booleans())
def test_description_values_are_the_meta_queries(metas: list[str], in_body: bool) -> None:
    head, body = ("", "".join(metas)) if in_body else ("".join(metas), "")
    made = page(head, body)
    expected = [v for xpath in _DESCRIPTION_XPATHS for v in made.selector.xpath(xpath).getall()]
    assert _description_values(made) == expected
