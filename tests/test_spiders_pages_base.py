"""Helpers every page object uses: the page and its tree, text tidying, block markers."""

from __future__ import annotations

import re
from dataclasses import replace
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from spiders.pages import base as base_module
from spiders.pages.base import (
    BLOCK_MARKERS,
    Page,
    class_tokens,
    clean_text,
    detect_block,
    marker_reason,
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
