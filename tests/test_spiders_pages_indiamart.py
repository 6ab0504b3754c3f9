"""IndiaMART cards: the product name read from the card's marks is the query it replaced."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages.base import Page
from spiders.pages.indiamart import (
    _PRODUCT,
    _cards,
    _is_indiamart,
    _is_portal,
    _links_text,
    _paragraphs_text,
    _site_root,
    _target,
    _text,
    _untracked,
)
from spiders.pages.links import url_domain

CARDS = [
    # a title and a name apart
    '<div class="producttitle"><a>Baby <b>Carrier</b></a> x</div><p class="prd-name">Bag</p>',
    # a name that is the title's link, or inside it
    '<div class="producttitle"><span><a class="cardlinks prd-name">Child Bag</a></span></div>',
    '<div class="producttitle"><a><span class="prd-name">In <i>link</i></span> tail</a></div>',
    # a name inside the title but outside its link: only its text under the link is shared
    '<div class="producttitle"><span class="prd-name">Name <a>Link</a></span></div>',
    # a title inside a name, a name inside a name, one element with both classes
    '<div class="prd-name">Outer <div class="producttitle"><a>Inner</a></div></div>',
    '<div class="prd-name">A <span class="prd-name">B</span> C</div>'
    '<div class="producttitle"><a>T</a></div>',
    '<div class="producttitle prd-name"><a>Both</a> text</div>',
    # the name before the title
    '<p class="prd-name">First</p><div class="producttitle"><a>Second</a></div>',
]


@pytest.mark.parametrize("inner", CARDS)
def test_product_texts_are_the_product_query(inner: str) -> None:
    html = (
        f'<html><body><div class="card" data-glid="1"><h2 class="companyname"><a href="/c">C</a>'
        f"</h2>{inner}</div></body></html>"
    )
    root = Page.from_bytes("https://dir.indiamart.com/impcat/x.html", html.encode()).root
    ((card, marks),) = _cards(root)[0].items()
    assert marks.product_text(card) == "".join(_PRODUCT(card))


TEXT_MARKUP = [
    "<div>one</div>",
    "<div></div>",
    "<div>a<!-- c -->b<?pi x?>c<b>d<i>e</i>f</b>g</div>",
    "<div><a>A <b>bold</b></a> between <p>P<a>in <a>nested</a> link</a><p>next</p></p></div>",
    "<div><p>outer <span><p>inner</p></span></p> tail <span><a>x</a></span></div>",
    "<div>" + "<span>d" * 40 + "deep" + "</span>t" * 40 + "</div>",
    # script and style text (CDATA blocks in libxml2's HTML tree), a comment as the only child
    "<div>s<script>if (a < b) x = '&amp;';</script><style>p{x:y}</style>e</div>",
    "<div><!-- only -->after</div>",
    "<div><i></i><b></b>&amp; &#8377; \u00e9\u4e2d<br>x</div>",
]


@pytest.mark.parametrize("markup", TEXT_MARKUP)
def test_text_readers_are_the_queries(markup: str) -> None:
    root = Page.from_bytes("https://a.example/", f"<html><body>{markup}</body></html>".encode())
    div = root.root.find(".//div")
    assert _text(div) == "".join(div.itertext()) == "".join(div.xpath(".//text()"))
    assert _links_text(div) == "".join(div.xpath(".//a//text()"))
    assert _paragraphs_text(div) == "".join(div.xpath(".//p//text()"))


_LINKS = st.tuples(
    st.sampled_from(["http://", "https://", "HTTP://", "http:", "//", ""]),
    st.sampled_from(["", "u@", "x.indiamart.com", "IndiaMart.com.", "myindiamart.com", "[::1]"]),
    st.sampled_from(["", ":8080", ":", "\t", "%41", " x"]),
    st.sampled_from(["", "/", "/p.html", "/a;b", "/a/..;"]),
    st.sampled_from(["", "?", "?pos=1&kwd=x", "#", "#f", "?#"]),
).map("".join)


def _undefined(call: Callable[[str], object], url: str) -> object:
    try:
        return call(url)
    except ValueError:
        return ValueError


@given(url=_LINKS)
@settings(max_examples=500)
def test_link_readers_are_their_urlsplit_definitions(url: str) -> None:
    """The string-built URLs are what urlsplit and urlunsplit make of the link."""

    def untracked(u: str) -> str:
        if not u.startswith(("http://", "https://")):
            return ""
        p = urlsplit(u)
        return urlunsplit((p.scheme, p.netloc, p.path or "/", "", ""))

    def site_root(u: str) -> str:
        p = urlsplit(u)
        return urlunsplit((p.scheme, p.netloc, "/", "", ""))

    def indiamart(u: str) -> bool:
        host = (urlsplit(u).hostname or "").lower()
        return host == "indiamart.com" or host.endswith(".indiamart.com")

    assert _undefined(_untracked.__wrapped__, url) == _undefined(untracked, url)
    assert _undefined(_site_root, url) == _undefined(site_root, url)
    assert _undefined(_is_indiamart, url) == _undefined(indiamart, url)


_PORTAL_LINKS = st.tuples(
    st.sampled_from(["http://", "https://", "HTTP://", "//", ""]),
    st.sampled_from(["", "u@", "u:p@"]),
    st.sampled_from(
        [
            "",
            "x.indiamart.com",
            "IndiaMart.com.",
            "myindiamart.com",
            "practice.test",
            "shop.Practice.TEST.",
            "notpractice.test",
            "a.b.co.uk",
            "b.co.uk",
            "co.uk",
            "example.com",
            "www.example.com",
            "wwwexample.com",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "xn--fiqs8s.example.com",
            ".example.com",
            "a..example.com",
        ]
    ),
    st.sampled_from(["", ":8080", ":"]),
    st.sampled_from(["", "/", "/p.html", "/a;b"]),
    st.sampled_from(["", "?pos=1&kwd=x", "#f"]),
).map("".join)
_PAGE_URLS = st.sampled_from(
    [
        "https://dir.indiamart.com/impcat/x.html",
        "http://practice.test/b2b/list.html",
        "https://www.example.com/list",
        "http://localhost:8000/list",
        "http://127.0.0.1/list",
        "https://b.co.uk/",
        "",
    ]
)


@given(url=_PORTAL_LINKS, page_url=_PAGE_URLS)
@settings(max_examples=1000)
def test_is_portal_is_its_registered_domain_definition(url: str, page_url: str) -> None:
    """The host test that skips the suffix list answers as the registered domains would."""

    def portal(u: str, p: str) -> bool:
        if _is_indiamart(u):
            return True
        own = url_domain(p)
        return bool(own) and url_domain(u) == own

    assert _undefined(lambda u: _is_portal.__wrapped__(u, page_url), url) == _undefined(
        lambda u: portal(u, page_url), url
    )


@given(url=st.one_of(_LINKS, _PORTAL_LINKS), page_url=_PAGE_URLS)
@settings(max_examples=1000)
def test_target_is_untracked_then_is_portal(url: str, page_url: str) -> None:
    """A company link's two readings from one split are the two functions one after the other."""

    def target(u: str) -> tuple[str, bool]:
        href = _untracked.__wrapped__(u)
        return href, bool(href) and _is_portal.__wrapped__(href, page_url)

    assert _undefined(lambda u: _target(u, page_url), url) == _undefined(target, url)


def test_attributes_read_by_bytes_names_are_the_str_names() -> None:
    """The walk reads ``class`` (and the links ``href``, ``rel``) by a bytes name: the same
    values, non-ASCII or absent included."""
    root = lxml.html.fromstring(
        '<div><p class="a é">x</p><a href="/x" rel="next" data-click="^CTABuyNow">y</a>'
        "<!-- c --><b class>z</b><i>w</i></div>"
    )
    for el in root.iter():
        for name in ("class", "href", "rel", "data-click"):
            assert el.get(name.encode()) == el.get(name)
