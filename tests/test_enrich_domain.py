"""Registered domains (offline) and website normalisation."""

from __future__ import annotations

import pytest

from enrich.domain import normalise_website, registered_domain


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.brightlens.com.cn/contact", "brightlens.com.cn"),
        ("shop.foo.co.uk", "foo.co.uk"),
        ("https://brightlens-optics.example/about.html", "brightlens-optics.example"),
        ("shop.brightlens-optics.example", "brightlens-optics.example"),
        ("foo.test", "foo.test"),
        ("info@foo.com.au", "foo.com.au"),
        ("http://192.168.1.10/index.html", ""),
        ("10.0.0.1", ""),
        ("[::1]", ""),
        ("localhost", ""),
        ("", ""),
        ("not a domain", ""),
    ],
)
def test_registered_domain(value: str, expected: str) -> None:
    assert registered_domain(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Foo.com.cn/", "https://www.foo.com.cn"),
        (
            "http://www.foo.co.uk:80/about?utm_source=x&id=3&gclid=abc#team",
            "http://www.foo.co.uk/about?id=3",
        ),
        ("www.foo.com", "http://www.foo.com"),
        (
            "https://brightlens-optics.example/contact.html?spm=a1.b2",
            "https://brightlens-optics.example/contact.html",
        ),
        ("mailto:info@foo.com", ""),
        ("javascript:void(0)", ""),
        ("ftp://files.foo.com/", ""),
        ("", ""),
    ],
)
def test_normalise_website(url: str, expected: str) -> None:
    assert normalise_website(url) == expected
    assert normalise_website(normalise_website(url)) == expected
