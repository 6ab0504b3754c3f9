"""Links on a company page: same-site contact pages (by registered domain) and social profiles."""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enrich.domain import registered_domain
from spiders.pages import links
from spiders.pages.base import Page, clean_text, defrag_url, split_plain, split_url
from spiders.pages.links import (
    _CONTACT_PIECES,
    _CONTACT_RES,
    _NOT_PAGE_RE,
    _QUERY_SPLIT_RE,
    CONTACT_WORDS,
    _anchor_score,
    _folded,
    _label_score,
    _other_page,
    _page_key,
    _path_score,
    _plain_words_score,
    _score,
    _target,
    _text_of,
    _texts,
    _words_score,
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


# --------------------------------------------------------------------------------------
# fast paths held to the definitions they replace


def _score_by_patterns(text: str) -> int:
    """``_score`` as first written: the four patterns tried on every text."""
    for regex, _, score in _CONTACT_RES:
        if regex.search(text):
            return score
    return 0


def _path_score_by_patterns(url: str) -> int:
    """``_path_score`` as first written: every segment tried with the four patterns."""
    _, _, path, query, _ = split_url(url)
    segments = [*unquote(path).split("/"), *_QUERY_SPLIT_RE.split(unquote(query))]
    best = 0
    for segment in segments:
        for _, prefix, score in _CONTACT_RES:
            if prefix.match(segment):
                best = max(best, score - 1)
    return best


def _other_page_by_parts(url: str, own: str, here: str) -> str:
    """``_other_page`` as first written: the domain and the key each split the URL."""
    url = defrag_url(url)
    if not url.startswith(("http://", "https://")):
        return ""
    if own and site_domain.__wrapped__(url) != own:
        return ""
    return "" if _page_key.__wrapped__(url) == here else url


_CONTACT_WORD_LIST = sorted(
    {w for pattern, _ in CONTACT_WORDS for w in pattern.replace(r"[\s_-]*", " ").split("|")}
)


@st.composite
def _contact_word(draw: st.DrawFn) -> str:
    """A contact / about word, cut anywhere by a separator, a space or a case change, in
    any case, or percent-encoded."""
    word = draw(st.sampled_from(_CONTACT_WORD_LIST))
    at = draw(st.integers(0, len(word)))
    cut = draw(st.sampled_from(["", " ", "_", "-", "/", "&", "=", "\u200b", "x", "%20", "%"]))
    word = word[:at] + cut + word[at:]
    return draw(
        st.sampled_from(
            [
                word,
                word.upper(),
                word.title(),
                word.replace("i", "\u0130"),
                word.replace("i", "\u0131"),
                word.replace("k", "\u212a"),
                word.replace("s", "\u017f"),
                quote(word),
            ]
        )
    )


_LABELS = st.lists(
    st.one_of(
        _contact_word(),
        st.sampled_from([" ", "/", "?", "&", "=", "#", "a", "Z", "1", "%2F", "%E8%81", "é"]),
    ),
    max_size=6,
).map("".join)
_URLS = st.tuples(
    st.sampled_from(["http://www.demo.test/", "https://demo.test/a/", "http://x.demo.test", ""]),
    _LABELS,
).map("".join)


@given(text=_LABELS)
@settings(max_examples=3000)
def test_score_is_the_patterns(text: str) -> None:
    assert _score.__wrapped__(text) == _score_by_patterns(text)


@given(url=_URLS)
@settings(max_examples=3000)
def test_path_score_is_the_patterns(url: str) -> None:
    assert _path_score.__wrapped__(url) == _path_score_by_patterns(url)


@given(
    url=_HOST_URLS | _URLS,
    own=st.sampled_from(["", "demo.test", "shop.test", "co.uk", "localhost"]),
    page=st.sampled_from(["http://demo.test/", "https://www.demo.test/a/", "http://shop.test/x"]),
)
@settings(max_examples=2000)
def test_other_page_splits_once(url: str, own: str, page: str) -> None:
    here = _page_key.__wrapped__(page)
    try:
        expected = _other_page_by_parts(url, own, here)
    except ValueError:
        with pytest.raises(ValueError):
            _other_page.__wrapped__(url, own, here)
        return
    assert _other_page.__wrapped__(url, own, here) == expected


def test_every_contact_word_holds_a_piece() -> None:
    for word in _CONTACT_WORD_LIST:
        assert any(piece in _folded(part) for part in word.split() for piece in _CONTACT_PIECES)


@given(
    href=_HOST_URLS | _URLS | _LABELS,
    own=st.sampled_from(["", "demo.test", "shop.test", "co.uk"]),
    base=st.sampled_from(["http://demo.test/a/b", "https://www.demo.test/", "http://shop.test/x/"]),
)
@settings(max_examples=2000)
def test_target_is_the_page_and_its_url_score(href: str, own: str, base: str) -> None:
    """One split of a plain URL for both its page and its score: what the two gave apart."""
    page = Page(url=base, text="<p>x</p>")
    here = _page_key.__wrapped__(base)
    stripped = href.strip()
    try:
        if not stripped or _NOT_PAGE_RE.match(stripped):
            expected = ("", 0)
        else:
            url = _other_page_by_parts(page.urljoin(href), own, here)
            expected = (url, _path_score_by_patterns(url)) if url else ("", 0)
    except ValueError:
        with pytest.raises(ValueError):
            _target(page, href, own, here)
        return
    assert _target(page, href, own, here) == expected


@given(url=_HOST_URLS | _URLS)
@settings(max_examples=3000)
def test_plain_words_score_is_the_words_score(url: str) -> None:
    """The piece test of a plain URL's tail scores 0 only where its path and query do."""
    try:
        url = defrag_url(url)
    except ValueError:
        return  # no URL of a page's (``_target`` defrags before it asks)
    parts = split_plain(url)
    if parts is None:
        return
    assert _plain_words_score(url, parts) == _words_score(parts[2], parts[3])


_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u200b", "\x1c", "\x85"])
_RAW_LABELS = st.lists(
    st.one_of(_contact_word(), _SPACES, st.sampled_from(["a", "Z", "1", "é", "\u03a3", "K"])),
    max_size=8,
).map("".join)


@given(label=_RAW_LABELS)
@settings(max_examples=3000)
def test_label_score_is_the_cleaned_labels(label: str) -> None:
    """The raw label's piece test skips the cleaning only where the cleaned label scores 0."""
    assert _label_score(label) == _score_by_patterns(clean_text(label))


_HTML_TEXT = st.lists(
    st.one_of(_contact_word(), _SPACES, st.sampled_from(["a", "Z", "1", "é", "&amp;", "&#97;"])),
    max_size=3,
).map("".join)


@st.composite
def _anchor_html(draw: st.DrawFn, depth: int = 0) -> str:
    """Anchor content: texts, child elements (nested), comments, processing instructions."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(
            st.sampled_from(["text", "el", "comment", "pi", "img"] if depth < 2 else ["text"])
        )
        if kind == "text":
            parts.append(draw(_HTML_TEXT))
        elif kind == "el":
            parts.append(f"<span>{draw(_anchor_html(depth + 1))}</span>")
        elif kind == "comment":
            parts.append(f"<!--{draw(_HTML_TEXT).replace('-', '')}-->")
        elif kind == "pi":
            parts.append(f"<?x {draw(_HTML_TEXT)}?>")
        else:
            parts.append(f'<img alt="{draw(_HTML_TEXT)}"><br>')
    return "".join(parts)


@given(
    inner=_anchor_html(),
    title=st.one_of(st.none(), _HTML_TEXT),
    alt=st.one_of(st.none(), _HTML_TEXT),
)
@settings(max_examples=2000)
def test_anchor_score_is_the_joined_labels(inner: str, title: str | None, alt: str | None) -> None:
    """The whole-text piece test skips ``itertext`` only where the joined label scores 0."""
    attrs = "".join(
        f' {name}="{value}"'
        for name, value in (("title", title), ("alt", alt))
        if value is not None
    )
    page = Page.from_bytes("http://demo.test/", f"<p><a href=x{attrs}>{inner}</a>tail</p>".encode())
    for a in page.selector.root.iter("a"):
        label = " ".join([*_texts(a), a.get("title", ""), a.get("alt", "")])
        assert _anchor_score(a) == _label_score(label)
        assert _text_of(a) == a.xpath("string()")


def _social_url_by_split(url: str) -> str:
    """:func:`links._social_url` as first written: every URL split for its host."""
    from spiders.pages.base import split_url, url_host

    if not ("." + url_host(url)).endswith(links._SOCIAL_SUFFIXES):
        return ""
    if links._SHARE_RE.search(url):
        return ""
    return url if split_url(url)[2].strip("/") else ""


_URL_PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTPS://",
        "//",
        "www.",
        "m.",
        "FaceBook.com",
        "facebook.com",
        "linkedin.com",
        "x.com",
        "X.COM",
        "box.com",
        "faceboo\u212a.com",
        "face\tbook.com",
        "face\nbook.com",
        "user@",
        ":8080",
        "/",
        "/acme",
        "?id=1",
        "#top",
        "share",
        "/in/acme",
        "example.com",
        "\u0130nstagram.com",
        "instagram.com",
        "%2F",
        "vk.com",
        " ",
        "\u03a3",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_URL_PIECES, max_size=8))
def test_social_url_prefilter_is_the_split(pieces: list[str]) -> None:
    url = "".join(pieces)
    try:
        expected = _social_url_by_split(url)
    except ValueError:
        return  # not a URL urlsplit reads (never a joined link)
    links._social_url.cache_clear()
    assert links._social_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/acme",
        "https://FACEBOOK.COM/acme",
        "https://faceboo\u212a.com/acme",
        "https://face\tbook.com/acme",
        "https://www.linkedin.com/in/acme",
    ],
)
def test_social_url_examples(url: str) -> None:
    links._social_url.cache_clear()
    assert links._social_url(url) == _social_url_by_split(url) == url
