"""Links on a company page: its contact / about / 联系我们 pages and its social profiles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from enrich.domain import registered_domain
from spiders.pages.base import Link, Page, clean_text, defrag_url, split_plain, split_url, url_host
from spiders.pages.labels import words

CONTACT_WORDS: tuple[tuple[str, int], ...] = (
    (
        r"联系我们|聯繫我們|联系方式|聯繫方式|contact[\s_-]*us|kontakt|contacto|contato|contatti|impressum",
        10,
    ),
    (r"contact|lxwm|lianxi|get[\s_-]*in[\s_-]*touch|联系|聯繫", 8),
    (
        r"关于我们|關於我們|公司简介|公司簡介|企业简介|公司介绍|company[\s_-]*profile|about[\s_-]*us",
        6,
    ),
    (
        r"about|gsjj|guanyu|gywm|profile|who[\s_-]*we[\s_-]*are|company[\s_-]*info|find[\s_-]*us|location",
        4,
    ),
)
SOCIAL_HOSTS = tuple(
    words(
        """
        facebook.com linkedin.com twitter.com x.com instagram.com youtube.com weibo.com
        pinterest.com tiktok.com xing.com vk.com
        """
    )
)


_CONTACT_RES = tuple(
    (re.compile(pattern, re.IGNORECASE), re.compile(rf"(?:{pattern})", re.IGNORECASE), score)
    for pattern, score in CONTACT_WORDS
)


_QUERY_SPLIT_RE = re.compile(r"[&=]")


_CONTACT_PIECES = (
    *("联系", "聯繫", "conta", "kontakt", "impressum", "lxwm", "lianxi", "touch"),
    *("关于我们", "關於我們", "简介", "簡介", "公司介绍", "company", "about"),
    *("gsjj", "guanyu", "gywm", "profile", "who", "find", "location"),
)
"""A piece of every word of ``CONTACT_WORDS`` (between its optional gaps): whatever one of
the patterns matches holds one, in :func:`_folded` form."""
_CASE_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only characters beyond ASCII that ``re.IGNORECASE`` matches to an ASCII letter
(İ and ı to i, ſ to s, the Kelvin sign to k), each as the letter it matches."""


def _folded(text: str) -> str:
    """``text`` lowered, with each character ``re.IGNORECASE`` matches to an ASCII letter
    written as that letter: a match of a ``CONTACT_WORDS`` pattern is one of its words here."""
    return (text if text.isascii() else text.translate(_CASE_FOLDS)).lower()


def _may_name_contact(text: str) -> bool:
    """Whether ``text`` holds a piece of a contact / about word: one that does not matches
    no ``CONTACT_WORDS`` pattern. The four patterns tried on a text that holds no such word
    (most link labels and URLs) cost 2 to 8 us; the piece test costs 1."""
    return _CONTACT_PIECES_RE.search(_folded(text)) is not None


_CONTACT_PIECES_RE = re.compile("|".join(map(re.escape, _CONTACT_PIECES)))


@lru_cache(maxsize=16384)
def _score(text: str) -> int:
    # cached: menus repeat the same few labels on every page of a site
    if not _may_name_contact(text):
        return 0
    for regex, _, score in _CONTACT_RES:
        if regex.search(text):
            return score
    return 0


@lru_cache(maxsize=16384)
def _path_score(url: str) -> int:
    """Score of the URL's own words: a path segment that starts with contact / about / lxwm."""
    _, _, path, query, _ = split_url(url)
    return _words_score(path, query)


def _words_score(path: str, query: str) -> int:
    """:func:`_path_score` of a URL with this path and query."""
    path, query = unquote(path), unquote(query)
    if not _may_name_contact(f"{path}/{query}"):
        return 0  # no segment holds a word, let alone starts with one
    segments = [*path.split("/"), *_QUERY_SPLIT_RE.split(query)]
    best = 0
    for segment in segments:
        for _, prefix, score in _CONTACT_RES:
            if prefix.match(segment):
                best = max(best, score - 1)
    return best


@lru_cache(maxsize=16384)
def _page_key(url: str) -> str:
    url = defrag_url(url)
    _, _, path, query, _ = split_url(url)
    host = url_host(url).removeprefix("www.")
    return f"{host}{path.rstrip('/')}?{query}".lower()


@lru_cache(maxsize=16384)
def site_domain(url: str) -> str:
    """The registered domain of ``url``; its host when it has none (``localhost``, an IP).

    Cached: a listing page asks about the same few URLs for every card and every link.
    """
    return url_domain(url) or url_host(url)


def url_domain(url: str) -> str:
    """``registered_domain(url)``; a plain URL (:func:`~spiders.pages.base.split_plain`) is
    its host's, asked once per host: a page's links share a few hosts."""
    parts = split_plain(url)
    if parts is None:
        return registered_domain(url)
    return _host_domain(parts[1].rpartition("@")[2].partition(":")[0].lower().strip("."))


@lru_cache(maxsize=4096)
def _host_domain(host: str) -> str:
    return registered_domain(host)


def contact_links(page: Page, limit: int = 5) -> list[Link]:
    """Same-site links that look like contact / about pages, best first."""
    own = site_domain(page.url) or site_domain(page.base_url)
    here = _page_key(page.url)
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    # each distinct href's page and URL score, worked out once: menus, footers and
    # listings link the same pages over and over
    targets: dict[str, tuple[str, int]] = {}
    order = -1
    for a in page.selector.root.getroottree().iter("a", "area"):
        href = a.get(b"href")
        if href is None:
            continue
        order += 1
        target = targets.get(href)
        if target is None:
            target = targets[href] = _target(page, href, own, here)
        url, path_score = target
        if not url or url in seen:
            continue
        score = max(_anchor_score(a), path_score)
        if score:
            seen.add(url)
            scored.append((-score, order, url))
    scored.sort()
    return [Link(url=url, kind="contact") for _, _, url in scored[:limit]]


def _anchor_score(a: Any) -> int:
    """``_label_score`` of the anchor's label: its texts, title and alt joined by spaces.

    An anchor with children (an image, a ``<span>``: most of a menu's) is first asked
    whether its whole text (:func:`_text_of`, its text nodes run together) with its title and
    alt holds a piece of a contact word: a piece (no white space in it) of the label lies in
    one of its texts, each a stretch of that whole text. Most anchors hold none and are
    scored 0 without walking ``itertext``, 1.5 us an anchor.
    """
    title, alt = a.get(b"title", ""), a.get(b"alt", "")
    if not len(a):  # the label of :func:`_texts`'s one text (or none), written out
        text = a.text
        return _label_score(f"{title} {alt}" if text is None else f"{text} {title} {alt}")
    if not _may_name_contact(f"{_text_of(a)} {title} {alt}"):
        return 0
    return _label_score(" ".join([*a.itertext(), title, alt]))


def _text_of(a: Any) -> str:
    """``a``'s text nodes run together (``string()``), by libxml2's text serialiser: a
    third of the XPath's cost."""
    return etree.tostring(a, method="text", encoding=str, with_tail=False)  # type: ignore[no-any-return]


def _label_score(label: str) -> int:
    """``_score(clean_text(label))``, with a label that holds no piece of a contact word
    (most of a menu's: "Sunglasses", "Home") scored 0 without cleaning it.

    The cleaning only turns runs of white space (and U+200B) into one space and trims, and
    :func:`_folded` maps each character alone: a piece (no white space in it) found in the
    cleaned label's folded form lies in one unbroken stretch of the raw label's. So a raw
    label with no piece has none cleaned either, and :func:`_score` says 0 for it.
    """
    if not _may_name_contact(label):
        return 0
    return _score(clean_text(label))


def _target(page: Page, href: str, own: str, here: str) -> tuple[str, int]:
    """The page of the site an ``href`` leads to (see :func:`_other_page`) and the score of
    its URL's words, or ("", 0) when it leads to no other page of the site."""
    stripped = href.strip()
    if not stripped or _NOT_PAGE_RE.match(stripped):
        return "", 0
    url = defrag_url(page.urljoin(href))
    parts = split_plain(url) if url.startswith(("http://", "https://")) else None
    if parts is None:  # not a plain http(s) URL: asked as it was
        url = _other_page(url, own, here)
        return (url, _path_score(url)) if url else ("", 0)
    # :func:`_other_page` and :func:`_path_score` of a plain URL, split once for both
    host = parts[1].rpartition("@")[2].partition(":")[0].lower()
    if own and (_host_domain(host.strip(".")) or host) != own:
        return "", 0
    if f"{host.removeprefix('www.')}{parts[2].rstrip('/')}?{parts[3]}".lower() == here:
        return "", 0
    return url, _plain_words_score(url, parts)


def _plain_words_score(url: str, parts: tuple[str, str, str, str, str]) -> int:
    """:func:`_words_score` of a plain URL without a fragment (``parts`` its split), with
    the URL whose path and query hold no piece of a contact word (most of a page's:
    "product.asp?product_id=17629") scored 0 at once.

    Its path and query are what follows its netloc, "?" between them; no piece holds a "/"
    or "?" nor spans two of them, and :func:`_folded` maps each character alone, so a piece
    of theirs is a piece of that tail folded. A tail with escapes is unquoted whole: no
    escape spans the "?", and the UTF-8 decoding ends a bad byte run at an ASCII "?" as it
    does at the end of the path, so that is ``unquote(path) + "?" + unquote(query)``.
    The piece test is written out here (1.7 us a URL through the calls, on every link).
    """
    tail = url[len(parts[0]) + 3 + len(parts[1]) :]
    if "%" in tail:
        tail = unquote(tail)
    if not tail.isascii():
        tail = tail.translate(_CASE_FOLDS)
    if _CONTACT_PIECES_RE.search(tail.lower()) is None:
        return 0
    return _words_score(parts[2], parts[3])


@lru_cache(maxsize=16384)
def _other_page(url: str, own: str, here: str) -> str:
    """``url`` (joined to the page's base) without its fragment when it is another page of
    the site (``own`` its domain, ``here`` the page's own key), else "".

    The join is the page's own (:meth:`Page.urljoin`, cached), which the social links, the
    listing's cards and the e-mail links share: a page's hrefs are each joined once. A plain
    URL (:func:`~spiders.pages.base.split_plain`) is split once for its domain and its key,
    as :func:`site_domain` and :func:`_page_key` split it.
    """
    url = defrag_url(url)
    if not url.startswith(("http://", "https://")):
        return ""
    parts = split_plain(url)
    if parts is None:
        if own and site_domain(url) != own:
            return ""
        return "" if _page_key(url) == here else url
    host = parts[1].rpartition("@")[2].partition(":")[0].lower()  # url_host(url)
    if own and (_host_domain(host.strip(".")) or host) != own:
        return ""
    key = f"{host.removeprefix('www.')}{parts[2].rstrip('/')}?{parts[3]}".lower()
    return "" if key == here else url


def _texts(a: Any) -> Iterable[str]:
    """``a.itertext()``; a link with no child (most) is its text alone, without the iterator.

    The texts a label is joined from: the definition the tests hold :func:`_anchor_score`'s
    written-out forms to (the scan itself no longer calls it)."""
    if len(a):
        return a.itertext()  # type: ignore[no-any-return]
    return () if a.text is None else (a.text,)


_NOT_PAGE_RE = re.compile(r"(?:mailto|tel|javascript|callto|sms|data):|#", re.IGNORECASE)


def social_links(page: Page) -> list[str]:
    """The business's own social profiles (not share buttons).

    Read once per page: the generic extractor asks for them for the page without its
    chrome and again for the whole page, and the answer is the page's either way.
    """
    return list(page.memo("social_links", lambda: _social_links(page)))


def _social_links(page: Page) -> list[str]:
    out: list[str] = []
    for a in page.selector.root.getroottree().iter("a"):
        href = a.get(b"href")
        if href is None:
            continue
        url = _social_url(page.urljoin(href))
        if url and url not in out:
            out.append(url)
    return out


@lru_cache(maxsize=16384)
def _social_url(url: str) -> str:
    """``url`` (joined to the page's base) when it is a social profile (not a share
    button), else ""."""
    if _SOCIAL_HOST_RE.search(url.lower()) is None and not _SPLIT_DROPS_RE.search(url):
        return ""  # the lowered host is a stretch of the lowered URL: it names no social host
    if not ("." + url_host(url)).endswith(_SOCIAL_SUFFIXES):  # one of them or below one
        return ""
    if _SHARE_RE.search(url):
        return ""
    return url if split_url(url)[2].strip("/") else ""


_SOCIAL_SUFFIXES = tuple("." + host for host in SOCIAL_HOSTS)
_SOCIAL_HOST_RE = re.compile("|".join(map(re.escape, SOCIAL_HOSTS)))
"""Any social host, in a lowered URL: a URL without one is no profile, told without
splitting it (most of a page's links). ``str.lower`` maps each character alone (the Greek
final sigma aside, which is no ASCII letter), so the lowered host is a stretch of the
lowered URL, unless the split drops characters from inside it (``_SPLIT_DROPS_RE``)."""
_SPLIT_DROPS_RE = re.compile("[\t\r\n]")
"""What ``urlsplit`` removes from anywhere in a URL before splitting it."""
_SHARE_RE = re.compile(r"share|sharer|intent/|/plugins/|dialog/|login", re.I)


def site_home(page: Page) -> str:
    """``scheme://host/`` of the site the page belongs to."""
    for url in (page.url, page.base_url):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return f"{parts.scheme}://{parts.netloc.lower()}/"
    return ""
