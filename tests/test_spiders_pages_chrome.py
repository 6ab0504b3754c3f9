"""The site's chrome (header, footer, menus, login widgets) and its operator."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages import base
from spiders.pages.base import Page
from spiders.pages.blocktext import block_text, element_text
from spiders.pages.chrome import (
    _ACCOUNT_PIECES,
    _ACCOUNT_PIECES_RE,
    _COPYRIGHT_LINE_RE,
    _COPYRIGHT_PIECES,
    _HIDDEN_TAGS,
    _MARK_PIECES,
    ACCOUNT_WORDS,
    CONTENT_WORDS,
    SITE_WORDS,
    _copyright_lines,
    _copyright_owners,
    _holds_piece,
    _marked_kind,
    _occurrences,
    _token_words,
    find_chrome,
    name_key,
    site_operator,
    visible_tail,
)
from tests.realpages import real_page

PAGE = """<html><head><title>Widgets - Demo Directory</title></head><body>
<div class="tyc-header"><span>Hi 153 **** 5166</span><div class="nav-user">My account</div></div>
<div id="web-content"><div class="container"><div class="company-warp"><div class="tabline">
 <div class="company-header-block"><div class="header"><h1>Fictional Widgets Ltd</h1></div>
 <p>Tel: 020 5550 0101</p></div></div></div></div>
 <article><header><h2>Post title</h2></header><p>Body</p></article></div>
<div class="wrap"><div class="box"><p>Hotline 400-555-0000</p>
 <p>版权所有：演示网络科技有限公司 京ICP备00000001号</p></div></div>
</body></html>"""


def chrome_texts(html: str) -> tuple[list[str], list[str]]:
    chrome = find_chrome(Page(url="https://demo.example/x", text=html))
    return (
        [element_text(el) for el in chrome.site],
        [element_text(el) for el in chrome.account],
    )


def test_header_footer_and_account_widgets_are_chrome() -> None:
    site, account = chrome_texts(PAGE)
    assert any("153 **** 5166" in text for text in site)  # the header, as site chrome
    assert account == ["My account"]  # the login widget, even inside the header
    # the copyright / ICP line takes its small block (with the hotline) along
    assert any("Hotline 400-555-0000" in text and "ICP" in text for text in site)


def test_content_headers_are_not_chrome() -> None:
    site, _ = chrome_texts(PAGE)
    # ``company-header-block`` and a ``div.header`` deep inside #web-content head content;
    # an article's own <header> is the article's
    assert not any("Fictional Widgets Ltd" in text for text in site)
    assert not any("Post title" in text for text in site)


def test_block_text_without_chrome() -> None:
    page = Page(url="https://demo.example/x", text=PAGE)
    chrome = find_chrome(page)
    text = block_text(page, skip=chrome.all)
    assert "Fictional Widgets Ltd" in text
    assert "020 5550 0101" in text
    assert "5166" not in text
    assert "400-555-0000" not in text
    assert "ICP" not in text


def test_operator_names_and_domain() -> None:
    page = Page(url="https://www.demo.example/x", text=PAGE)
    chrome = find_chrome(page)
    text = "\n".join(element_text(el) for el in chrome.site)
    operator = site_operator(page, chrome, text)
    assert operator.domain == "demo.example"
    assert operator.owns_name("演示网络科技有限公司")
    assert operator.owns_name("Demo Directory")  # the title's tail
    assert operator.owns_name("demo.example")
    assert not operator.owns_name("Fictional Widgets Ltd")
    assert operator.owns_email("help@demo.example")
    assert operator.owns_email("kf@mail.demo.example")
    assert not operator.owns_email("sales@fictional-widgets.example")


def test_name_key_ignores_legal_form_and_case() -> None:
    assert name_key("Foo Trading Co., Ltd.") == name_key("foo trading")
    assert name_key("北京演示科技有限公司") == name_key("北京演示科技")


# --------------------------------------------------------------------------------------
# fast paths held to the definitions they replace


def _marked_kind_by_words(class_value: str, id_value: str) -> str:
    """``_marked_kind`` as first written: every token split into words, no piece test."""
    found = ""
    for value in (class_value, id_value):
        for token in value.split():
            parts = _token_words.__wrapped__(token)
            if any(p in CONTENT_WORDS for p in parts):
                continue
            if any(p in ACCOUNT_WORDS for p in parts):
                return "account"
            if any(p in SITE_WORDS for p in parts):
                found = "site"
    return found


_WORDS = sorted(SITE_WORDS | ACCOUNT_WORDS | CONTENT_WORDS)


@st.composite
def _class_word(draw: st.DrawFn) -> str:
    """A class word, cut by a digit, a separator or a case change anywhere in it."""
    word = draw(st.sampled_from(_WORDS))
    at = draw(st.integers(0, len(word)))
    cut = draw(st.sampled_from(["", "1", "٣", "-", "_", " ", "X", "İ", "ı", "Σ"]))
    word = word[:at] + cut + word[at:]
    return draw(st.sampled_from([word, word.upper(), word.title(), word.replace("k", "\u212a")]))


_CLASS_PIECES = st.one_of(
    _class_word(),
    st.sampled_from(["-", "_", ".", ":", " ", "\t", "1", "x", "A", "ſ", "\u00a0", "\u212a"]),
)
_CLASS_VALUES = st.lists(_CLASS_PIECES, max_size=8).map("".join)


@given(class_value=_CLASS_VALUES, id_value=_CLASS_VALUES)
@settings(max_examples=3000)
def test_marked_kind_is_the_word_test(class_value: str, id_value: str) -> None:
    """The piece test only skips values that have no site or account word."""
    expected = _marked_kind_by_words(class_value, id_value)
    assert _marked_kind.__wrapped__(class_value, id_value) == expected
    for value in (class_value, id_value):
        if _marked_kind_by_words(value, "") == "account":
            assert _holds_piece(f"{class_value} {id_value}", _ACCOUNT_PIECES_RE)


def test_every_site_and_account_word_holds_a_piece() -> None:
    assert all(any(p in w for p in _MARK_PIECES) for w in SITE_WORDS | ACCOUNT_WORDS)
    assert all(any(p in w for p in _ACCOUNT_PIECES) for w in ACCOUNT_WORDS)


_COPYRIGHT_TEXTS = st.lists(
    st.sampled_from(
        [
            *("©", "(c)", "(C)", " 2014", "1999", "Copyright", "COPYRIGHT", "İCP", "ıcp", "ICP"),
            *("Icp", "备", "證", "版权所有", "版權所有", "公网安备", "公網安備", "\n", " ", "x"),
            *("copyr", "ight", "I", "İ", "ı", "c", "p", "(", ")", "Ltd", "\u0307"),
        ]
    ),
    max_size=14,
).map("".join)


@given(text=_COPYRIGHT_TEXTS)
@settings(max_examples=3000)
def test_copyright_lines_are_the_lines_the_pattern_finds(text: str) -> None:
    expected = [line for line in text.split("\n") if _COPYRIGHT_LINE_RE.search(line)]
    assert _copyright_lines(text) == expected


_HTML_PIECES = st.sampled_from(
    [
        *("<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<br>", "<script>s</script>"),
        *("<style>st</style>", "<noscript>ns</noscript>", "<template><i>tp</i></template>"),
        *("<!-- c -->", "<?pi x?>", "<SCRIPT>S</SCRIPT>", "<body>", "</body>", "<svg>v</svg>"),
        *("word", "© 2014 Acme Ltd", "ICP备1号", "(C) x", " ", "  ", "\n", "\n\n", "\t"),
        *("\u00a0", "\u3000"),
        *("\u200b", "\x1c", "&amp;", "&nbsp;", "x" * 40, "词语"),
    ]
)


@given(
    body=st.lists(_HTML_PIECES, max_size=40).map("".join),
    size=st.sampled_from([1, 2, 5, 20, 100, 3000]),
)
@settings(max_examples=1500)
def test_visible_tail_is_the_end_of_the_visible_text(body: str, size: int) -> None:
    html = f"<html><head><title>t</title></head><body>{body}</body></html>"
    expected = Page(url="https://demo.example/", text=html).visible_text[-size:]
    assert visible_tail(Page(url="https://demo.example/", text=html), size) == expected


@pytest.mark.parametrize(
    ("relative", "url"),
    [
        ("b2b/indiamart/impcat_listing_cards_fragment_baby_carrier__indiamart_scrapper.html",
         "https://dir.indiamart.com/impcat/baby-carrier.html"),
        ("company_sites/chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html",
         "http://www.chasandphil.co.uk/contact-us"),
        ("search_engines/google/hotels_nyc_nojs__serp-parser.html",
         "https://www.google.com/search?q=hotels+NYC"),
    ],
)  # fmt: skip
def test_visible_tail_of_real_pages(relative: str, url: str) -> None:
    expected = real_page(relative, url).visible_text
    for size in (1, 50, 3000, 20000, len(expected) + 1):
        assert visible_tail(real_page(relative, url), size) == expected[-size:]


def test_hidden_tags_are_the_visible_texts() -> None:
    assert base._HIDDEN_TAGS == _HIDDEN_TAGS


def _owners_one_query_each(start: Any) -> set[Any]:
    """``_copyright_owners`` as a query per piece found (the definition it is held to)."""
    joined = "\x00".join(start.xpath("descendant::text()")).lower()
    owners: set[Any] = set()
    for at in _occurrences(joined, _COPYRIGHT_PIECES):
        node = start.xpath("(descendant::text())[$n]", n=joined.count("\x00", 0, at) + 1)[0]
        parent = node.getparent()
        owner = parent.getparent() if node.is_tail else parent
        if owner is not None and isinstance(owner.tag, str):
            owners.add(owner)
    return owners


@given(body=st.lists(_HTML_PIECES, max_size=40).map("".join))
@settings(max_examples=800)
def test_copyright_owners_by_number_or_by_list(body: str) -> None:
    """One or two nodes with a piece are asked for by number, more from the list: the same
    owners either way."""
    page = Page(url="https://demo.example/", text=f"<html><body>{body}</body></html>")
    start = page.root.find("body")
    if start is not None:
        assert _copyright_owners(start) == _owners_one_query_each(start)
