"""Helpers shared by the search-engine results-page objects (DuckDuckGo, Bing, …).

Search engines rarely link straight to a result: DuckDuckGo wraps every link in
``//duckduckgo.com/l/?uddg=<target>`` and every ad in ``duckduckgo.com/y.js?…&u3=<Bing ad
click>``; Bing wraps organic links in ``bing.com/ck/a?…&u=a1<base64url>`` and ads in
``bing.com/aclick?…&u=<base64 of the quoted target>``. A lead needs the company's own URL, so
the decoders here peel those layers with nothing but the URL itself (no request is made).
Every decoder returns its input unchanged when it cannot decode it, so a page never loses a
result because a wrapper changed shape.

The other helpers keep the engines' page objects small: result de-duplication and ranking,
the ``result`` links a spider follows, POST pagination forms turned into GET URLs, and text
extraction that skips badge elements ("Ad", "WEB").
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages.base import Link, clean_text

ENGINE_HOSTS: tuple[str, ...] = (
    "duckduckgo.com",
    "bing.com",
    "bing.net",
    "microsofttranslator.com",
)
"""Hosts that belong to the engines themselves: never a prospect's website."""

_MAX_LAYERS = 5


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def _host_is(url: str, domain: str) -> bool:
    host = _host(url)
    return host == domain or host.endswith("." + domain)


def _absolute(url: str) -> str:
    """Protocol-relative hrefs (``//duckduckgo.com/l/?…``) as https URLs."""
    url = url.strip()
    if url.startswith("//"):
        return "https:" + url
    return url


def _looks_like_url(value: str) -> bool:
    return bool(re.match(r"^(https?:)?//[^/\s]+", value.strip(), re.IGNORECASE))


def decode_ddg_redirect(url: str) -> str:
    """``//duckduckgo.com/l/?uddg=<quoted target>&rut=…`` → the target; else ``url`` unchanged."""
    full = _absolute(url)
    if not _host_is(full, "duckduckgo.com") or not urlsplit(full).path.startswith("/l/"):
        return url
    target = _query(full).get("uddg", [""])[0]
    return _absolute(target) if _looks_like_url(target) else url


def decode_ddg_ad(url: str) -> str:
    """``duckduckgo.com/y.js?ad_domain=…&u3=<ad click URL>`` → the ad click URL in ``u3``.

    DuckDuckGo's ads come from Microsoft's network, so ``u3`` is usually a Bing ``aclick``
    URL that :func:`decode_bing_aclick` decodes further. Without ``u3`` the page does not say
    where the ad goes, and ``url`` is returned unchanged.
    """
    full = _absolute(url)
    if not _host_is(full, "duckduckgo.com") or not urlsplit(full).path.endswith("/y.js"):
        return url
    target = _query(full).get("u3", [""])[0]
    return _absolute(target) if _looks_like_url(target) else url


def _b64decode(value: str) -> str | None:
    """Standard or URL-safe base64, padding optional; None when it is not base64 text."""
    value = value.strip().replace(" ", "+")
    value += "=" * (-len(value) % 4)
    for decoder in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            return decoder(value).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
    return None


def decode_bing_ck(url: str) -> str:
    """``bing.com/ck/a?!&&p=…&u=a1<base64url target>&ntb=1`` → the target; else unchanged.

    ``u`` is a two-character scheme tag (``a1`` today) followed by the target URL in
    unpadded URL-safe base64.
    """
    full = _absolute(url)
    if not _host_is(full, "bing.com") or not urlsplit(full).path.startswith("/ck/"):
        return url
    value = _query(full).get("u", [""])[0]
    if _looks_like_url(value):
        return _absolute(value)
    if re.match(r"^a\d", value):
        value = value[2:]
    decoded = _b64decode(value)
    return decoded if decoded and _looks_like_url(decoded) else url


def decode_bing_aclick(url: str) -> str:
    """``bing.com/aclick?ld=…&u=<base64 of the %-quoted target>`` (also ``/aclk``) → target."""
    full = _absolute(url)
    path = urlsplit(full).path
    if not _host_is(full, "bing.com") or path not in ("/aclick", "/aclk"):
        return url
    value = _query(full).get("u", [""])[0]
    if _looks_like_url(value):
        return _absolute(value)
    decoded = _b64decode(value)
    if decoded is None:
        return url
    if not _looks_like_url(decoded):
        decoded = unquote(decoded)
    return decoded if _looks_like_url(decoded) else url


_DECODERS = (decode_ddg_redirect, decode_ddg_ad, decode_bing_ck, decode_bing_aclick)


def decode_redirect(url: str) -> str:
    """Peel every known engine wrapper off ``url`` (they nest: uddg → y.js → aclick → site)."""
    current = _absolute(url)
    for _ in range(_MAX_LAYERS):
        for decoder in _DECODERS:
            decoded = decoder(current)
            if decoded != current:
                current = _absolute(decoded)
                break
        else:
            return current
    return current


def is_wrapper(url: str) -> bool:
    """True when ``url`` is still an engine redirect wrapper (decodable or not)."""
    full = _absolute(url)
    path = urlsplit(full).path
    if _host_is(full, "duckduckgo.com"):
        return path.startswith("/l/") or path.endswith("/y.js")
    if _host_is(full, "bing.com"):
        return path.startswith("/ck/") or path in ("/aclick", "/aclk")
    return False


def is_engine_url(url: str) -> bool:
    """The engine's own pages (its images tab, maps, translator …): not a prospect's site."""
    return any(_host_is(_absolute(url), host) for host in ENGINE_HOSTS)


def normalize_url(url: str) -> str:
    """Comparison key for de-duplication: scheme/host lower-cased, no fragment, no final slash."""
    parts = urlsplit(_absolute(url))
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def rank_results(results: Iterable[SearchResult]) -> list[SearchResult]:
    """Drop repeated URLs and number organic results and ads separately, each from 1.

    Engines show a result twice now and then (a top ad repeated at the bottom, a deep link
    that is also a result). Ranks are positions on this page, in document order, so an ad
    never pushes an organic result down: organic 1..n, ads 1..m.
    """
    seen: set[tuple[bool, str]] = set()
    kept: list[SearchResult] = []
    counters = {False: 0, True: 0}
    for result in results:
        key = (result.ad, normalize_url(result.url))
        if not result.url or key in seen:
            continue
        seen.add(key)
        counters[result.ad] += 1
        result.rank = counters[result.ad]
        kept.append(result)
    return kept


def result_links(results: Iterable[SearchResult]) -> list[Link]:
    """``result`` links for the organic results a spider should visit (ads and the engine's
    own pages excluded: an ad is paid placement, not a search hit)."""
    links: list[Link] = []
    seen: set[str] = set()
    for result in results:
        if result.ad or is_wrapper(result.url) or is_engine_url(result.url):
            continue
        if not result.url.lower().startswith(("http://", "https://")):
            continue
        key = normalize_url(result.url)
        if key in seen:
            continue
        seen.add(key)
        links.append(Link(url=result.url, kind="result", lead_name=result.title))
    return links


def form_get_url(form: Selector, page_url: str) -> str:
    """A POST pagination form as the equivalent GET URL.

    DuckDuckGo's html and lite endpoints page with a POST form of hidden fields (q, s, dc, v,
    o, api, vqd, kl …). The same endpoints accept those fields as a query string, and a GET
    URL can be recorded, replayed and de-duplicated like any other request, so the spider
    gets a plain ``Link``. Submit buttons and empty fields are left out.
    """
    pairs: list[tuple[str, str]] = []
    for field in own_inputs(form):
        name = field.attrib.get("name", "")
        kind = field.attrib.get("type", "text").lower()
        value = field.attrib.get("value", "")
        if kind in ("submit", "button", "image", "reset") or not value:
            continue
        if kind in ("checkbox", "radio") and "checked" not in field.attrib:
            continue
        pairs.append((name, value))
    action = urljoin(page_url, (form.attrib.get("action") or "").strip() or page_url)
    base = urlsplit(action)
    query = urlencode(pairs)
    return urlunsplit((base.scheme, base.netloc, base.path, query, ""))


def own_inputs(form: Selector, *, named_only: bool = True) -> list[Selector]:
    """The named inputs that belong to ``form`` itself.

    Real pages leave elements unclosed (DuckDuckGo lite's search form never closes its
    ``div.filters``), so the parser may nest the pagination form inside the search form;
    an input belongs to the nearest form around it.
    """
    return [
        field
        for field in form.xpath(".//input[@name]" if named_only else ".//input")
        if field.xpath("ancestor::form[1]")[0].root is form.root
    ]


def text_without(sel: Selector, *skip_classes: str) -> str:
    """Visible text of ``sel`` without the text of descendants carrying any of the classes.

    Engines put badges inside the text they label (Bing's ``<span class="b_adSlug">Ad</span>``
    and ``<span class="algoSlug_icon">WEB</span>`` open the snippet paragraph). Only
    descendants are tested, so the classes of ``sel``'s own ancestors never matter.
    """
    skip = set(skip_classes)
    parts: list[str] = []

    def walk(element: Any, top: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        skipped = (
            not tag
            or tag.lower() in ("script", "style", "noscript", "template")
            or (not top and bool(skip & set((element.get("class") or "").split())))
        )
        if not skipped:
            parts.append(element.text or "")
            for child in element:
                walk(child, False)
        if not top:
            parts.append(element.tail or "")

    if isinstance(sel.root, str):
        return clean_text(sel.root)
    walk(sel.root, True)
    return clean_text("".join(parts))


def has_class(cls: str) -> str:
    """XPath predicate body matching one whole class name (``b_algo`` but not ``b_algoSlug``)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"
