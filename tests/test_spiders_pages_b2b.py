"""What the B2B page objects share: why a page holds no supplier, the pager, offer titles."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadharvest.items import PageStatus
from spiders.pages.b2b import (
    _LABEL_XPATH,
    CHROME_XPATH,
    _in_chrome,
    _label_candidates,
    _on_portal,
    _short_text,
    host,
    next_link,
    unavailable,
    untagged,
)
from spiders.pages.base import Link, Page


def portal_page(body: str, *, title: str = "Suppliers", status: int = 200) -> Page:
    return Page(
        url="https://s.portal.example/list?page=1",
        text=f"<html><head><title>{title}</title></head><body>{body}</body></html>",
        http_status=status,
    )


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (portal_page("<p>Please slide to verify</p>", title="验证码"), "blocked"),
        (portal_page("<h1>Sorry</h1>", status=404), "no_results"),
        (portal_page("<h1>页面不存在</h1><p>返回首页</p>"), "no_results"),
        (portal_page("<div>Ningbo Kestrel Co., Ltd.</div>"), "ok"),
    ],
)
def test_unavailable_tells_a_block_from_a_missing_page(page: Page, expected: PageStatus) -> None:
    status, reason = unavailable(page)
    assert status == expected
    assert bool(reason) == (expected != "ok")


def test_unavailable_reports_the_block_before_the_not_found_page() -> None:
    page = portal_page("<h1>页面不存在</h1>", title="安全验证", status=404)
    assert unavailable(page)[0] == "blocked"


def test_next_link_skips_a_javascript_pager() -> None:
    xpath = "//a[@class='next']/@href"
    page = portal_page('<a class="next" href="?page=2">Next</a>')
    assert next_link(page, xpath) == [Link("https://s.portal.example/list?page=2", "next")]
    assert next_link(portal_page('<a class="next" href="javascript:go(2)">Next</a>'), xpath) == []
    assert next_link(portal_page("<p>no pager</p>"), xpath) == []


def test_untagged_drops_the_highlight_and_decodes_entities() -> None:
    title = "<font color=red>数码</font>相机 &amp; <strong>lens</strong>  kits"
    assert untagged(title) == "数码相机 & lens kits"


@pytest.mark.parametrize("rows", [1, 3, 64, 65, 150])
def test_label_candidates_in_page_order_whether_sorted_or_walked(rows: int) -> None:
    """Few labels are sorted by their places, many are picked in a walk: the query's order."""
    cells = "".join(
        f"<div><span>L{i}:</span><b>v</b></div><dl><dt>d{i}</dt><dd>x</dd></dl>"
        if i % 2
        else f"<p>Tel{i}：<i>1</i></p><table><tr><th>h</th><td>y</td></tr></table>"
        for i in range(rows)
    )
    node = portal_page(f"<section>{cells}<em>Fax:</em></section>").selector.xpath("//body")[0]
    assert [s.root for s in _label_candidates(node)] == [s.root for s in node.xpath(_LABEL_XPATH)]


_CHROME_OPEN = st.sampled_from(
    [
        "<div>", "<div class='FOOTER-x'>", "<div id='site-Footer'>", "<footer>", "<nav>",
        "<section class='foot'>", "<span>", "<p id='x'>", "<div class='fOoTeR'>",
    ]
)  # fmt: skip


@given(st.lists(_CHROME_OPEN, max_size=8), st.lists(_CHROME_OPEN, max_size=4), st.randoms())
def test_in_chrome_is_the_chrome_query(outer: list[str], inner: list[str], rnd: Any) -> None:
    """Asked in any order, with the answers passed on: ``CHROME_XPATH`` of each element."""
    body = "".join(outer) + "<b>a</b>" + "".join(inner) + "<i>b</i>"
    root = portal_page(body).root
    elements = list(root.iter())
    rnd.shuffle(elements)
    known: dict[Any, bool] = {}
    for el in elements:
        assert _in_chrome(el, known) == bool(el.xpath(CHROME_XPATH))


def _short_text_as_defined(el: Any) -> str | None:
    """``_short_text`` as first written: every piece counted whole."""
    pieces = []
    count = 0
    for piece in el.itertext():
        pieces.append(piece)
        count += len(piece) - sum(piece.count(c) for c in " \t\r\n")
        if count > 30:
            return None
    return "".join(pieces)


_TEXT_RUNS = st.lists(
    st.tuples(st.sampled_from(["a", " ", "\n", "\t", "电", "\xa0"]), st.integers(0, 90)),
    max_size=4,
).map(lambda runs: "".join(char * n for char, n in runs))


@given(st.lists(_TEXT_RUNS, min_size=1, max_size=4))
def test_short_text_is_its_definition(texts: list[str]) -> None:
    body = "<div>" + "".join(f"<span>{t}</span>{t}" for t in texts) + "</div>"
    root = portal_page(body).root
    for el in root.iter("div", "span"):
        assert _short_text(el) == _short_text_as_defined(el)


def _host_by_urlsplit(url: str) -> str:
    """What :func:`spiders.pages.b2b.host` answers, as ``urlsplit`` answers it."""
    return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()


_URL_PIECES = st.sampled_from(
    [
        "http",
        "HTTPS",
        "mailto",
        "x+y",
        "1a",
        ":",
        "//",
        "/",
        "?",
        "#",
        "@",
        "[",
        "]",
        "%",
        " ",
        "\t",
        "\n",
        "\x01",
        "Ex.COM",
        "a.b",
        "中国",
        "80",
        ";",
        "-",
        "_",
        "www.",
        ".com",
    ]
)


@given(st.lists(_URL_PIECES, max_size=10).map("".join))
def test_host_is_the_urlsplit_hostname(url: str) -> None:
    try:
        expected = _host_by_urlsplit(url)
    except ValueError:
        with pytest.raises(ValueError):
            host(url)
        return
    assert host(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Shop.Example.COM:8080/x", "shop.example.com"),
        ("mailto://yellowpages.com.au", "yellowpages.com.au"),
        ("//user:pw@Host.cn/?q", "host.cn"),
        ("www.example.com", "www.example.com"),
        (" http://a.com", "a.com"),
        ("http://a\t.com/", "a.com"),
        ("http://[::1]/", "::1"),
        ("example.com/a//b", ""),
    ],
)
def test_host_reads_the_url_s_host(url: str, expected: str) -> None:
    assert host(url) == expected == _host_by_urlsplit(url)


@given(st.lists(_URL_PIECES, max_size=8).map("".join))
def test_on_portal_is_its_definition(url: str) -> None:
    portal = ("ex.com", "a.b", "")
    try:
        h = _host_by_urlsplit(url)
    except ValueError:
        return
    assert _on_portal(url, portal) == any(h == d or h.endswith("." + d) for d in portal)
