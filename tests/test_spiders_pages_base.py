"""Helpers every page object uses: the page and its tree, text tidying, block markers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from unittest.mock import patch
from urllib.parse import urldefrag, urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from spiders.pages import base as base_module
from spiders.pages.base import (
    _ABSOLUTE_PARTS_RE,
    _ABSOLUTE_RE,
    BLOCK_MARKERS,
    Page,
    _urljoin,
    class_tokens,
    clean_text,
    defrag_url,
    detect_block,
    join_split,
    marker_reason,
    nearest_above,
    split_plain,
    split_url,
    url_host,
)

MARKERS = (("x5secdata", "slider captcha"), ("安全验证", "security check (安全验证)"))


def test_marker_reason_finds_the_first_marker_whatever_the_case() -> None:
    assert marker_reason("<script>var X5SecData = 1</script>", MARKERS) == "slider captcha"
    assert marker_reason("<title>百度安全验证</title>", MARKERS) == "security check (安全验证)"


def test_marker_reason_is_empty_without_a_marker() -> None:
    assert marker_reason("<p>Kestrel cameras</p>", MARKERS) == ""


_EDGES = st.sampled_from(["", " ", "\n", "\u3000", "\x85", "\xa0", "\x1c", "\x00", "\ufeff", "x"])
_MIDDLES = st.sampled_from(
    [
        "<html><body><p>Acme 电话 0571-8888</p></body></html>",
        "<p id='a'>one</p><p id='a'>two</p>",
        "<div>\x00NUL</div>",
        "plain <b>text</b>",
        "<br>",
    ]
)


@given(head=_EDGES, middle=_MIDDLES, tail=_EDGES)
@settings(max_examples=200)
def test_a_utf8_page_parsed_from_its_bytes_is_the_tree_of_its_text(
    head: str, middle: str, tail: str
) -> None:
    """The tree of a page decoded as UTF-8 is parsed from the bytes it came in (a
    re-encoding saved); it must be the tree its text gives, white space and NULs at the
    ends included."""
    body = (head + middle + tail).encode("utf-8")
    page = Page.from_bytes("https://acme.example/", body)
    again = Page("https://acme.example/", page.text, encoding=page.encoding)
    if page.root is None:
        assert again.root is None
    else:
        assert etree.tostring(page.root, encoding="unicode") == etree.tostring(
            again.root, encoding="unicode"
        )


def test_a_page_rebuilt_from_new_text_does_not_keep_the_old_bytes() -> None:
    """``dataclasses.replace`` (a page object re-reading cleaned markup) parses the new text."""
    page = Page.from_bytes("https://acme.example/", b"<p>old</p>")
    newer = replace(page, text="<p>new</p>")
    assert newer.root.xpath("string(//p)") == "new"


_TEXT_PIECES = st.sampled_from(
    [
        "Acme",
        " ",
        "\n",
        "\u200b",
        "\u3000",
        "\xa0",
        "\x1c",
        "电话",
        "<b>x</b>",
        "<script>var a;</script>",
    ]
)


@given(pieces=st.lists(_TEXT_PIECES, max_size=40), limit=st.integers(min_value=1, max_value=60))
@settings(max_examples=300)
def test_visible_text_under_agrees_with_the_visible_text(pieces: list[str], limit: int) -> None:
    """The early-stopping count says what measuring the whole visible text says."""
    page = Page("https://acme.example/", "<html><body><p>" + "".join(pieces) + "</p></body></html>")
    expected = len(Page(page.url, page.text).visible_text) < limit
    assert page.visible_text_under(limit) is expected


_RUNS_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")
_AROUND_NEWLINE_RE = re.compile(r"\s*\n\s*")
_ANY_RUN_RE = re.compile(r"[\s\u200b]+")
_SPACES = st.text(
    alphabet=st.sampled_from([*"ab \n\t\r\f\v\xa0\u3000\u200b\u2003\x1c\x85\u2028电"]),
    max_size=20,
)


@given(value=_SPACES)
@settings(max_examples=500)
def test_clean_text_is_its_regex_definition(value: str) -> None:
    """clean_text works with string methods; what it must give is written here as regexes."""
    assert clean_text(value) == _ANY_RUN_RE.sub(" ", value).strip()
    expected = _AROUND_NEWLINE_RE.sub("\n", _RUNS_RE.sub(" ", value)).strip()
    assert clean_text(value, keep_newlines=True) == expected


@given(value=st.text(alphabet=st.sampled_from([*"ab- \t\r\n\xa0\u3000"]), max_size=16))
def test_class_tokens_split_where_normalize_space_does(value: str) -> None:
    assert class_tokens(value) == [t for t in re.split(r"[ \t\r\n]+", value) if t]


def _block_by_scanning_first(page: Page) -> str:
    """detect_block as first written: every marker searched in the page before shortness."""
    title = str(etree.XPath("string(//title)")(page.selector.root)).lower()
    lowered = page.text.lower()
    short: bool | None = None
    for marker, reason in BLOCK_MARKERS:
        if marker in title:
            return reason
        if marker in lowered:
            if short is None:
                short = len(page.visible_text) < 3000
            if short:
                return reason
    if page.http_status in (403, 429, 503) and len(page.visible_text) < 3000:
        return f"HTTP {page.http_status}"
    return ""


_MARKER_WORDS = st.sampled_from(["", "Captcha", "Access Denied", "访问过于频繁", "are you a robot"])


@given(
    title=_MARKER_WORDS,
    body=_MARKER_WORDS,
    script=_MARKER_WORDS,
    filler=st.integers(min_value=0, max_value=4000),
    status=st.sampled_from([200, 403, 429, 503]),
)
@settings(max_examples=150)
def test_detect_block_decides_as_the_scan_did(
    title: str, body: str, script: str, filler: int, status: int
) -> None:
    """Both orders (search first on small pages, measure first on long ones: the limit is
    moved so these small pages take both) give what the scan gave."""
    text = (
        f"<html><head><title>{title}</title><script>{script}</script></head>"
        f"<body><p>{body}</p><p>{'x' * filler}</p></body></html>"
    )
    expected = _block_by_scanning_first(Page("https://acme.example/", text, http_status=status))
    for limit in (0, len(text) + 1):
        with patch.object(base_module, "_SCAN_LIMIT", limit):
            page = Page("https://acme.example/", text, http_status=status)
            assert detect_block(page) == expected


_URL_PIECES = st.sampled_from(
    [
        *["http:", "https:", "HTTP:", "Https:", "ftp:", "mailto:", "javascript:", "x+y.z:"],
        *["//", "/", "\\", "///", "./", "../", ".", "..", "?", "#", ";", ":", "@", "%", "&="],
        *["a", "B", "p.html", "www.Acme.example", "acme.example:8080", "[::1]", "[v1.x]", "[1"],
        *["user:pw@", " ", "\t", "\n", "\x00", "\x1f", "é", "联系", "\u2100", "ｘ", "=", "q=1"],
    ]
)
_URLS = st.lists(_URL_PIECES, max_size=8).map("".join)
_SEGMENTS = st.lists(
    st.sampled_from(
        [*["a", "p.html", "é", " x", "\\"] * 3, "", ".", "..", ".w", "x;y", "q:1", "\t"]
    ),
    max_size=4,
).map("/".join)
_TAIL = st.tuples(
    st.sampled_from([*["", "?q=1&r=联系"] * 3, "?", "?a;b", "??"]),
    st.sampled_from([*["", "#f?g#h"] * 3, "#", "#\n"]),
).map("".join)
_SHAPED = st.tuples(  # mostly the shapes the fast paths take, with the odd piece among them
    st.sampled_from(["", "", "http://", "https://", "HTTP://", "//", "/", "http:", " ", "ftp://"]),
    st.sampled_from(
        ["", "acme.example", "Acme.example:81", "u:p@h.example", "[::1]:8", "é.example"]
    ),
    _SEGMENTS,
    _TAIL,
).map("".join)
_PATHS = st.tuples(st.sampled_from([*["", "/"] * 3, "./", "../", "//", " "]), _SEGMENTS, _TAIL).map(
    "".join
)
_BASES = st.one_of(
    _URLS,
    _SHAPED,
    st.tuples(st.sampled_from(["http://", "https://", "HTTP://", "http:///"]), _URLS).map("".join),
    st.tuples(st.sampled_from(["http://", "https://"]), _SHAPED).map("".join),
    st.tuples(st.sampled_from(["http://acme.example", "https://[::1]:80"]), _PATHS).map("".join),
)


def _outcome(call: Callable[..., Any], *args: str) -> Any:
    """What ``call(*args)`` gives, or ValueError when it raises that."""
    try:
        return call(*args)
    except ValueError:
        return ValueError


@given(base=_BASES, href=st.one_of(_URLS, _SHAPED, _PATHS, _BASES))
@settings(max_examples=2000)
def test_urljoin_fast_paths_are_urljoin(base: str, href: str) -> None:
    """The string-built joins are exactly urllib's (an error where it raises one)."""
    assert _outcome(_urljoin, base, href) == _outcome(urljoin, base, href)


@given(url=st.one_of(_URLS, _BASES))
@settings(max_examples=1000)
def test_url_splits_are_urlsplit(url: str) -> None:
    expected = _outcome(urlsplit, url)
    assert _outcome(split_url, url) == (expected if expected is ValueError else tuple(expected))
    host = expected if expected is ValueError else (expected.hostname or "").lower()
    assert _outcome(url_host, url) == host
    defrag = _outcome(urldefrag, url)
    assert _outcome(defrag_url, url) == (defrag if defrag is ValueError else defrag[0])


@given(base=_BASES, href=st.one_of(_URLS, _SHAPED, _PATHS, _BASES))
@settings(max_examples=2000)
def test_join_split_is_urljoin_then_split_plain(base: str, href: str) -> None:
    """The join and split from one match are the join, then the split of what it gives."""
    assert bool(_ABSOLUTE_PARTS_RE.match(href)) == bool(_ABSOLUTE_RE.match(href))

    def both(b: str, h: str) -> Any:
        url = _urljoin(b, h)
        return url, split_plain(url)

    assert _outcome(join_split, base, href) == _outcome(both, base, href)


def test_join_split_of_a_tracked_card_link() -> None:
    href = "https://www.indiamart.com/acme/?pos=1&kwd=baby carrier&tags=A||8|Price#x"
    assert join_split("https://dir.indiamart.com/impcat/x.html", href) == (
        href,
        ("https", "www.indiamart.com", "/acme/", "pos=1&kwd=baby carrier&tags=A||8|Price", "x"),
    )
    page = Page.from_bytes("https://dir.indiamart.com/impcat/x.html", b"<p>x</p>")
    assert page.urljoin_split(" /a?b ") == (
        "https://dir.indiamart.com/a?b",
        ("https", "dir.indiamart.com", "/a", "b", ""),
    )


def test_urljoin_fast_paths_on_common_hrefs() -> None:
    base = "https://www.acme.example/dir/page.html?x=1#top"
    assert (
        _urljoin(base, "contact.asp?a=1&b=2") == "https://www.acme.example/dir/contact.asp?a=1&b=2"
    )
    assert _urljoin(base, "/about#team") == "https://www.acme.example/about#team"
    assert _urljoin(base, "http://other.example/a;b") == "http://other.example/a;b"
    assert _urljoin("https://acme.example", "x") == "https://acme.example/x"


def test_urljoin_fast_paths_are_urljoin_on_every_combination() -> None:
    """Every base with every href built of the pieces the fast paths look at."""
    bases = [
        *("http://acme.example", "https://Acme.example:81/", "http://u:p@[::1]:8/a/b.html?q#f"),
        *("https://é.example/a/b/", "http://acme.example/a//b/c", "http://acme.example/./a/x"),
        *("https://acme.example/a;p/b;q", "HTTP://acme.example/x", "ftp://acme.example/x/"),
        *("http:///x", "http://[1/", "//acme.example/x", "/x/y", "", " http://acme.example/a/"),
    ]
    firsts = [
        "",
        "/",
        "//",
        "./",
        "../",
        ".",
        "http://h.example",
        "https://h.example:8",
        "HTTP://h",
    ]
    firsts += ["http://", "http:", "mailto:", " ", "\t", "\\", "é", "q:1", "http://[::1]"]
    segments = ["", "a", "p.html", "..", ".", ".w", "x;y", " x", "a\nb", "联系", "//", "a:b"]
    tails = ["", "?q=1", "?", "#f", "#", "?q#f?g", "?;#", "??##"]
    for base in bases:
        for first in firsts:
            for one in segments:
                for two in ("", "/b", "/c/"):
                    for tail in tails:
                        href = first + one + two + tail
                        expected = _outcome(urljoin, base, href)
                        assert _outcome(_urljoin, base, href) == expected, (base, href)
                        joined = (
                            expected
                            if expected is ValueError
                            else (
                                expected,
                                split_plain(expected),
                            )
                        )
                        assert _outcome(join_split, base, href) == joined, (base, href)


@st.composite
def _trees_with_answers(draw: Any) -> tuple[etree._Element, dict[Any, int | None], list[Any]]:
    """A random element tree, an answer (or None) for each element, and an order to ask in."""
    root = etree.Element("r")
    elements = [root]
    for _ in range(draw(st.integers(1, 40))):
        parent = elements[draw(st.integers(0, len(elements) - 1))]
        elements.append(etree.SubElement(parent, "e"))
    answers = {el: draw(st.none() | st.integers(0, 3)) for el in elements}
    order = draw(st.permutations(elements))
    return root, answers, list(order)


@given(_trees_with_answers())
def test_nearest_above_is_the_nearest_answering_ancestor(
    case: tuple[etree._Element, dict[Any, int | None], list[Any]],
) -> None:
    """One memo shared by many climbs, in any order, gives each element what a plain climb
    to the root gives: a climb that stops at a memoised element must not change an answer."""
    _, answers, order = case
    memo: dict[Any, Any] = {}
    for el in order:
        plain = next((answers[a] for a in el.iterancestors() if answers[a] is not None), -1)
        assert nearest_above(el, answers.get, memo, -1) == plain
