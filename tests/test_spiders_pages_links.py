"""Links on a company page: same-site contact pages (by registered domain) and social profiles."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrich.domain import registered_domain
from spiders.pages.base import Page
from spiders.pages.links import (
    contact_links,
    site_domain,
    site_home,
    social_links,
    url_domain,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.e-zjs.com/lxwm.htm", "e-zjs.com"),
        ("https://shop.mingguang.com.cn/a", "mingguang.com.cn"),
        ("http://www.chasandphil.co.uk/", "chasandphil.co.uk"),
        ("https://www.brightlens-optics.example/contact/", "brightlens-optics.example"),
        ("http://a.b.shop.test/", "shop.test"),
        # no registered domain: the host itself keeps the site apart from others
        ("http://localhost:8000/x", "localhost"),
        ("http://192.168.1.10/contact", "192.168.1.10"),
    ],
)
def test_site_domain(url: str, expected: str) -> None:
    assert site_domain(url) == expected


_HOST_URLS = st.tuples(
    st.sampled_from(["http://", "https://", "HTTP://", "//", ""]),
    st.sampled_from(["", "u:p@", "@", "x@y@"]),
    st.lists(
        st.sampled_from(["www", "WWW", "Shop", "co", "uk", "com", "", "1", "ｃｏｍ", "é"])
    ).map(".".join),
    st.sampled_from(["", ":", ":80", ".", "..", " ", "\t", "[", "%25"]),
    st.sampled_from(["", "/", "/a.", "?q=http://x.com", "#f", "/\u0338", " ", "."]),
).map("".join)


@given(url=_HOST_URLS)
@settings(max_examples=1000)
def test_site_domain_of_a_plain_url_is_its_hosts(url: str) -> None:
    """The host's domain, asked once per host, is the URL's own (as urllib splits it)."""
    try:
        expected = registered_domain(url) or (urlsplit(url).hostname or "").lower()
    except ValueError:
        with pytest.raises(ValueError):
            site_domain.__wrapped__(url)
        return
    assert site_domain.__wrapped__(url) == expected
    assert url_domain(url) == registered_domain(url)


def test_contact_links_on_a_local_server_stay_on_that_server() -> None:
    html = (
        "<a href='/contact-us.html'>Contact us</a> <a href='http://other.test/contact'>Contact</a>"
        " <a href='/about/'>About</a> <a href='mailto:a@b.test'>Email</a>"
    )
    page = Page(url="http://localhost:8000/", text=html)
    assert [link.url for link in contact_links(page)] == [
        "http://localhost:8000/contact-us.html",
        "http://localhost:8000/about/",
    ]


def test_social_links_skip_share_buttons() -> None:
    html = (
        "<a href='https://www.facebook.com/kestrelcamera'>f</a>"
        "<a href='https://www.facebook.com/sharer/sharer.php?u=x'>share</a>"
        "<a href='https://weibo.com/'>weibo home</a>"
    )
    page = Page(url="https://kestrel-camera.example/", text=html)
    assert social_links(page) == ["https://www.facebook.com/kestrelcamera"]


def test_site_home() -> None:
    page = Page(url="https://Kestrel-Camera.example/our-team/", text="<p>x</p>")
    assert site_home(page) == "https://kestrel-camera.example/"
