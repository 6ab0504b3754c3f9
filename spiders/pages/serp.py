"""Helpers shared by the search-engine results-page objects (DuckDuckGo, Bing, Google, …).

Search engines rarely link straight to a result: DuckDuckGo wraps every link in
``//duckduckgo.com/l/?uddg=<target>`` and every ad in ``duckduckgo.com/y.js?…&u3=<Bing ad
click>``; Bing wraps organic links in ``bing.com/ck/a?…&u=a1<base64url>`` and ads in
``bing.com/aclick?…&u=<base64 of the quoted target>``; Google in ``/url?q=<target>&sa=U…`` and
ads in ``aclk?…&adurl=``. A lead needs the company's own URL, so the decoders here peel those
layers with nothing but the URL itself (no request is made). Every decoder returns its input
unchanged when it cannot decode it, so a page never loses a result because a wrapper changed
shape. Baidu's and Sogou's ``/link?url=<encrypted>`` are different: only a request to the
engine reveals the target, so they stay as they are and are followed like a site's URL (see
:func:`is_opaque_redirect`).

The other helpers keep the engines' page objects small: result de-duplication and ranking,
the ``result`` links a spider follows, POST pagination forms turned into GET URLs, and text
extraction that skips badge elements ("Ad", "WEB").
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_plus, urlencode, urljoin, urlunsplit

from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages.base import (
    AttrIndex,
    Link,
    Page,
    PageExtraction,
    PageParser,
    _urljoin,
    attr_index,
    class_tokens,
    clean_text,
    detect_block,
    nearest_above,
    split_url,
    url_host,
)

_T = TypeVar("_T")
_B = TypeVar("_B")

GOOGLE_DOMAINS: tuple[str, ...] = (
    "googleusercontent.com",
    "googleadservices.com",
    "googlesyndication.com",
    "gstatic.com",
    "doubleclick.net",
    "goo.gl",
    "g.co",
)
"""Google's hosts beside ``google.<tld>`` (caches, ad servers, static files, short links)."""

DDG_BING_HOSTS: tuple[str, ...] = (
    "duckduckgo.com",
    "bing.com",
    "bing.net",
    "microsofttranslator.com",
)
"""DuckDuckGo's and Bing's hosts (Bing serves DuckDuckGo's ads): their results pages list the
engines' own pages among the results, so these are left out when results are followed."""

ENGINE_HOSTS: tuple[str, ...] = (
    *DDG_BING_HOSTS,
    *GOOGLE_DOMAINS,
    "baidu.com",
    "sogou.com",
    "ya.ru",
)
"""Hosts that belong to the engines themselves (and their subdomains): never a prospect's
website. Google's and Yandex's country domains (google.co.uk, yandex.com.tr) are matched by
:func:`is_google_url` and :func:`is_yandex_host`."""

_HostSet = tuple[frozenset[str], tuple[str, ...]]


def _host_set(domains: tuple[str, ...]) -> _HostSet:
    """A host list as a set of its names and a tuple of their ``.name`` suffixes."""
    return frozenset(domains), tuple("." + domain for domain in domains)


_GOOGLE_SET = _host_set(GOOGLE_DOMAINS)
_DDG_BING_SET = _host_set(DDG_BING_HOSTS)
_ENGINE_SET = _host_set(ENGINE_HOSTS)

_GOOGLE_HOST_RE = re.compile(r"(?:^|\.)google(?:\.(?:com?\.)?[a-z]{2,3})?$")
_GOOGLE_REDIRECT_PATHS = ("/url", "/local_url", "/interstitial", "/aclk", "/pagead/aclk", "/imgres")
_GOOGLE_REDIRECT_PARAMS = ("q", "url", "adurl", "dest", "imgrefurl")
_TRACKING_PARAMS = frozenset(
    {"srsltid", "gclid", "gclsrc", "gbraid", "wbraid", "gad_source", "gad_campaignid", "ved"}
)
_OPAQUE_REDIRECTS = (("baidu.com", "/link"), ("sogou.com", "/link"))
"""(domain, path) of the engines' encrypted result redirects: they lead to the result's site."""

_MAX_LAYERS = 5


def _param(url: str, key: str) -> str:
    """``parse_qs(query, keep_blank_values=True).get(key, [""])[0]`` of the URL's query.

    Only the names are decoded until the key's: an ad wrapper's query runs to kilobytes of
    values nobody reads."""
    value = _first_value(split_url(url)[3], key)
    return "" if value is None else value


def _first_value(query: str, key: str) -> str | None:
    """The first value of ``key`` in ``query`` as :func:`urllib.parse.parse_qs` decodes it
    (blank values kept), or None when the key is not there."""
    for pair in query.split("&") if query else ():
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = name.replace("+", " ")
        if (unquote(name) if "%" in name else name) == key:  # unquote keeps a string
            value = value.replace("+", " ")  # without "%" as it is
            return unquote(value) if "%" in value else value
    return None


@lru_cache(maxsize=16384)
def host_of(url: str) -> str:
    """The URL's host, lower-cased, without a final dot ("" for a relative URL).

    Cached: a results page asks about each result's URL a dozen times (is it the engine's,
    a wrapper, an ad counter, one of the engine's own domains)."""
    return url_host(url).rstrip(".")


def host_is(url: str, domain: str) -> bool:
    """True when the URL's host is ``domain`` or one of its subdomains."""
    host = host_of(url)
    return host == domain or host.endswith("." + domain)


def on_hosts(url: str, domains: Iterable[str]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one."""
    if domains is GOOGLE_DOMAINS:
        return _host_on(host_of(url), _GOOGLE_SET)
    if domains is DDG_BING_HOSTS:
        return _host_on(host_of(url), _DDG_BING_SET)
    if domains is ENGINE_HOSTS:
        return _host_on(host_of(url), _ENGINE_SET)
    domains = tuple(domains)
    if not domains:
        return False
    host = host_of(url)  # parsed once, not once per domain
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _host_on(host: str, domains: _HostSet) -> bool:
    """:func:`on_hosts` of a host and one of the module's host lists: a set lookup and one
    ``str.endswith`` of the dotted names (both in C) instead of two tests per domain, for
    the lists every result's URL is tested against a few times."""
    names, dotted = domains
    return host in names or host.endswith(dotted)


def http_url(url: str) -> bool:
    """An absolute http(s) URL: the only kind a result or a website can be."""
    return url.lower().startswith(("http://", "https://"))


def is_google_url(url: str) -> bool:
    """Google's own pages (search, maps, images, webcache, accounts, support, policies, ads
    servers): never a prospect's website. A relative link (no host) stays on Google."""
    host = host_of(url)
    if not host:
        return True
    return bool(_GOOGLE_HOST_RE.search(host)) or _host_on(host, _GOOGLE_SET)


def is_yandex_host(url: str) -> bool:
    """yandex.com / .ru / .com.tr / .by …, ya.ru and their subdomains."""
    host = host_of(url)
    return "yandex" in host.split(".") or host == "ya.ru" or host.endswith(".ya.ru")


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
    if not host_is(full, "duckduckgo.com") or not split_url(full)[2].startswith("/l/"):
        return url
    target = _param(full, "uddg")
    return _absolute(target) if _looks_like_url(target) else url


def decode_ddg_ad(url: str) -> str:
    """``duckduckgo.com/y.js?ad_domain=…&u3=<ad click URL>`` → the ad click URL in ``u3``.

    DuckDuckGo's ads come from Microsoft's network, so ``u3`` is usually a Bing ``aclick``
    URL that :func:`decode_bing_aclick` decodes further. Without ``u3`` the page does not say
    where the ad goes, and ``url`` is returned unchanged.
    """
    full = _absolute(url)
    if not host_is(full, "duckduckgo.com") or not split_url(full)[2].endswith("/y.js"):
        return url
    target = _param(full, "u3")
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
    if not host_is(full, "bing.com") or not split_url(full)[2].startswith("/ck/"):
        return url
    value = _param(full, "u")
    if _looks_like_url(value):
        return _absolute(value)
    if re.match(r"^a\d", value):
        value = value[2:]
    decoded = _b64decode(value)
    return decoded if decoded and _looks_like_url(decoded) else url


def decode_bing_aclick(url: str) -> str:
    """``bing.com/aclick?ld=…&u=<base64 of the %-quoted target>`` (also ``/aclk``) → target."""
    full = _absolute(url)
    path = split_url(full)[2]
    if not host_is(full, "bing.com") or path not in ("/aclick", "/aclk"):
        return url
    value = _param(full, "u")
    if _looks_like_url(value):
        return _absolute(value)
    decoded = _b64decode(value)
    if decoded is None:
        return url
    if not _looks_like_url(decoded):
        decoded = unquote(decoded)
    return decoded if _looks_like_url(decoded) else url


def strip_tracking(url: str) -> str:
    """``url`` without the parameters Google adds to targets (``srsltid`` on shop pages,
    ``gclid`` and friends on ad landings) and without ``#:~:text=`` highlight fragments.
    Other parameters keep their exact spelling (nothing is re-encoded)."""
    scheme, netloc, path, query, fragment = split_url(url)
    if fragment.startswith(":~:"):
        fragment = ""
    kept = [
        pair
        for pair in query.split("&")
        if pair and _param_name(pair.partition("=")[0]) not in _TRACKING_PARAMS
    ]
    return urlunsplit((scheme, netloc, path, "&".join(kept), fragment))


def _param_name(name: str) -> str:
    """``unquote_plus(name).lower()``; a name without ``%`` or ``+`` (nearly all) is only
    lower-cased, as ``unquote_plus`` gives it back unchanged."""
    if "%" in name or "+" in name:
        return unquote_plus(name).lower()
    return name.lower()


def _is_google_wrapper(url: str) -> bool:
    """A Google redirect: its path is one of Google's redirect paths (asked first: a plain
    comparison that nearly every result's URL fails) on a Google host."""
    return split_url(url)[2] in _GOOGLE_REDIRECT_PATHS and is_google_url(url)


def decode_google_redirect(url: str, base: str = "https://www.google.com/") -> str:
    """``/url?q=<target>&sa=U&ved=…`` (also ``url=``, ``aclk?…&adurl=``, ``/interstitial``)
    → the target with Google's tracking removed; a URL that is not a wrapper, or whose
    target is empty, comes back absolute and otherwise unchanged."""
    current = _urljoin(base, url.strip())
    for _ in range(4):
        if not _is_google_wrapper(current):
            break
        query = split_url(current)[3]
        target = next(
            (
                value
                for k in _GOOGLE_REDIRECT_PARAMS
                if (value := _first_value(query, k)) is not None and value.strip()
            ),
            "",
        )
        target = _urljoin(current, target.strip()) if target else ""
        if not http_url(target):
            break
        current = target
    return strip_tracking(current) if http_url(current) and not is_google_url(current) else current


def _decode_google(url: str) -> str:
    """An absolute Google wrapper → :func:`decode_google_redirect`; anything else unchanged
    (its tracking parameters too: only a target taken out of a Google wrapper loses them)."""
    full = _absolute(url)
    if not host_of(full) or not _is_google_wrapper(full):
        return url
    return decode_google_redirect(full)


_DECODERS = (
    decode_ddg_redirect,
    decode_ddg_ad,
    decode_bing_ck,
    decode_bing_aclick,
    _decode_google,
)


def decode_redirect(url: str) -> str:
    """Peel every known engine wrapper off ``url`` (they nest: uddg → y.js → aclick → site)."""
    current = _absolute(url)
    for _ in range(_MAX_LAYERS):
        if not _may_wrap(current):
            return current  # no decoder would change it (most result links)
        for decoder in _DECODERS:
            decoded = decoder(current)
            if decoded != current:
                current = _absolute(decoded)
                break
        else:
            return current
    return current


def _may_wrap(url: str) -> bool:
    """Whether one of ``_DECODERS`` may change ``url`` (an :func:`_absolute` URL, as each
    decoder makes its argument): the DuckDuckGo and Bing decoders read only their own hosts
    and Google's only a URL with a host that :func:`is_google_url` accepts."""
    host = host_of(url)
    return bool(host) and (
        host == "duckduckgo.com"
        or host.endswith(".duckduckgo.com")
        or host == "bing.com"
        or host.endswith(".bing.com")
        or is_google_url(url)
    )


def is_wrapper(url: str) -> bool:
    """True when ``url`` is still an engine redirect wrapper (decodable or not) that
    :func:`decode_redirect` would have peeled: DuckDuckGo's, Bing's and Google's.

    Baidu's and Sogou's ``/link?url=`` are not counted: their target is encrypted, and
    following them is how a spider reaches the result (:func:`is_opaque_redirect`).
    """
    full = _absolute(url)
    path = split_url(full)[2]
    if host_is(full, "duckduckgo.com"):
        return path.startswith("/l/") or path.endswith("/y.js")
    if host_is(full, "bing.com"):
        return path.startswith("/ck/") or path in ("/aclick", "/aclk")
    return bool(host_of(full)) and _is_google_wrapper(full)


def is_opaque_redirect(url: str) -> bool:
    """Baidu's and Sogou's ``/link?url=<encrypted>``: an engine URL whose target only a request
    to the engine reveals. It stands for the result's own site, so it is followed as one."""
    full = _absolute(url)
    path = split_url(full)[2]
    return any(host_is(full, host) and path == p for host, p in _OPAQUE_REDIRECTS)


def is_engine_url(url: str) -> bool:
    """The engines' own pages (images tab, maps, translator, Google's support pages, Baidu's
    百科 …): not a prospect's site. Baidu's and Sogou's result redirects are not the engine's
    pages but a way to the result (:func:`is_opaque_redirect`)."""
    full = _absolute(url)
    if not host_of(full) or is_opaque_redirect(full):
        return False
    return on_hosts(full, ENGINE_HOSTS) or is_google_url(full) or is_yandex_host(full)


def normalize_url(url: str) -> str:
    """Comparison key for de-duplication: scheme/host lower-cased, no fragment, no final slash."""
    scheme, netloc, path, query, _ = split_url(_absolute(url))
    return urlunsplit((scheme.lower(), netloc.lower(), path.rstrip("/"), query, ""))


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
    """``result`` links for the organic results a spider should visit (ads, wrappers left
    undecoded and DuckDuckGo's / Bing's own pages excluded: an ad is paid placement, not a
    search hit).

    Not :func:`is_engine_url`: Google, Baidu, Sogou and Yandex pages drop their own pages
    while parsing, and another engine's product page is a real result (Google Cloud for
    "cloud service" on Yandex, Baidu's and Sogou's ``/link?url=`` redirects).
    """
    links: list[Link] = []
    seen: set[str] = set()
    for result in results:
        if result.ad or is_wrapper(result.url) or on_hosts(result.url, DDG_BING_HOSTS):
            continue
        if not http_url(result.url):
            continue
        key = normalize_url(result.url)
        if key in seen:
            continue
        seen.add(key)
        links.append(Link(url=result.url, kind="result", lead_name=result.title))
    return links


def form_get_url(form: Selector | Any, page_url: str) -> str:
    """A POST pagination form (a selector or an lxml element) as the equivalent GET URL.

    DuckDuckGo's html and lite endpoints page with a POST form of hidden fields (q, s, dc, v,
    o, api, vqd, kl …). The same endpoints accept those fields as a query string, and a GET
    URL can be recorded, replayed and de-duplicated like any other request, so the spider
    gets a plain ``Link``. Submit buttons and empty fields are left out.
    """
    element = form.root if isinstance(form, Selector) else form
    pairs: list[tuple[str, str]] = []
    for field in own_inputs(element):
        name = field.get("name", "")
        kind = field.get("type", "text").lower()
        value = field.get("value", "")
        if kind in ("submit", "button", "image", "reset") or not value:
            continue
        if kind in ("checkbox", "radio") and field.get("checked") is None:
            continue
        pairs.append((name, value))
    action_attr: str = element.get("action") or ""
    action = urljoin(page_url, action_attr.strip() or page_url)
    scheme, netloc, path, _, _ = split_url(action)
    return urlunsplit((scheme, netloc, path, urlencode(pairs), ""))


def own_inputs(form: Selector | Any, *, named_only: bool = True) -> list[Any]:
    """The (named) input elements that belong to ``form`` (a selector or an lxml element).

    Real pages leave elements unclosed (DuckDuckGo lite's search form never closes its
    ``div.filters``), so the parser may nest the pagination form inside the search form;
    an input belongs to the nearest form around it.
    """
    element = form.root if isinstance(form, Selector) else form
    return [
        field
        for field in element.iter("input")
        if (not named_only or field.get("name") is not None)
        and next(field.iterancestors("form"), None) is element
    ]


def text_without(sel: Selector, *skip_classes: str) -> str:
    """Visible text of ``sel`` without the text of descendants carrying any of the classes.

    Engines put badges inside the text they label (Bing's ``<span class="b_adSlug">Ad</span>``
    and ``<span class="algoSlug_icon">WEB</span>`` open the snippet paragraph). Only
    descendants are tested, so the classes of ``sel``'s own ancestors never matter.
    """
    if isinstance(sel.root, str):
        return clean_text(sel.root)
    return element_text_without(sel.root, *skip_classes)


def element_text_without(element: Any, *skip_classes: str) -> str:
    """:func:`text_without` of an lxml element (a page object reading elements directly)."""
    skip = frozenset(skip_classes)
    parts: list[str] = []
    append = parts.append

    def walk(node: Any) -> None:  # the children's text, each child's tail kept
        for child in node:
            tag = child.tag
            if (
                isinstance(tag, str)
                and tag.lower() not in _HIDDEN_TAGS
                and not (skip and (cls := child.get("class")) and not skip.isdisjoint(cls.split()))
            ):
                if child.text:
                    append(child.text)
                walk(child)
            if child.tail:
                append(child.tail)

    tag = element.tag
    if isinstance(tag, str) and tag.lower() not in _HIDDEN_TAGS:
        if element.text:
            append(element.text)
        walk(element)
    return clean_text("".join(parts))


_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})


def has_class(cls: str) -> str:
    """XPath predicate body matching one whole class name (``b_algo`` but not ``b_algoSlug``).

    The plain substring test comes first: XPath's ``and`` stops at a false left side, and
    most elements' classes do not hold the name at all, so they skip the normalising.
    """
    return (
        f"(contains(@class, '{cls}')"
        f" and contains(concat(' ', normalize-space(@class), ' '), ' {cls} '))"
    )


def class_holds(value: str, *names: str) -> bool:
    """Whether the ``class`` value ``value`` holds one of ``names`` as a whole class name:
    :func:`has_class`'s test in Python (the substring test first, as there)."""
    for name in names:  # plain loops: thousands of calls a page
        if name in value:
            if "\t" in value or "\n" in value or "\r" in value:
                value = " ".join(class_tokens(value))
            padded = f" {value} "
            return any(f" {name} " in padded for name in names)
    return False


def page_attrs(page: Page) -> AttrIndex:
    """The ``class`` and ``id`` values of the tree the page's selector reads (parsel's own
    tree for a page ``Page.root`` does not parse), read once per page."""
    if page.root is not None:
        return attr_index(page, "class", "id")
    return page.memo("serp_page_attrs", lambda: AttrIndex(page.selector.root, ("class", "id")))


def class_elements(page: Page, *pieces: str) -> list[Any]:
    """The elements whose ``class`` value holds one of ``pieces`` (``//*[contains(@class,
    'a') or contains(@class, 'b')]``), in document order, from :func:`page_attrs`."""
    return page_attrs(page).elements(_is_class, *pieces)


def _is_class(attribute: str, value: str) -> bool:
    return attribute == "class"


def under(element: Any, owners: Mapping[Any, _T]) -> _T | None:
    """The value of the nearest proper ancestor of ``element`` that is a key of ``owners``."""
    parent = element.getparent()
    while parent is not None:
        owner = owners.get(parent)
        if owner is not None:
            return owner
        parent = parent.getparent()
    return None


_NO_OWNER: Any = object()


def under_memo(element: Any, owners: Mapping[Any, _T], memo: dict[Any, Any]) -> _T | None:
    """:func:`under`, for many elements of one tree: ``memo`` (one per ``owners``) keeps for
    each element climbed through its nearest owner at or above it, so a climb stops where an
    earlier one passed (the elements of a result block share its ancestors) instead of
    going on to the root for each (:func:`nearest_above`)."""
    found = nearest_above(element, owners.get, memo, _NO_OWNER)
    return None if found is _NO_OWNER else found


def outermost(elements: list[Any]) -> list[Any]:
    """The elements (in page order) not inside another of them: a result block whose class
    repeats on a wrapper inside it is read once."""
    held = set(elements)
    return [el for el in elements if not any(a in held for a in el.iterancestors())]


def inside_tag(el: Any, top: Any, tag: str) -> bool:
    """Whether an element between ``el`` and its ancestor ``top`` (both left out) is a ``tag``:
    a result's title link inside its heading, asked without a query per link."""
    parent = el.getparent()
    while parent is not None and parent is not top:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def own_pages_apart(
    blocks: Iterable[_B],
    result_of: Callable[[_B], SearchResult | None],
    own_page: Callable[[_B, str], bool],
) -> tuple[list[SearchResult], int]:
    """The results of ``blocks`` in page order, and how many blocks led to the engine's own
    pages (``own_page(block, url)``; an ad is never one) instead of a prospect's site."""
    found: list[SearchResult] = []
    own_pages = 0
    for block in blocks:
        result = result_of(block)
        if result is None:
            continue
        if not result.ad and own_page(block, result.url):
            own_pages += 1
        else:
            found.append(result)
    return found, own_pages


def engine_extraction(
    parser: PageParser,
    page: Page,
    found: tuple[list[SearchResult], int],
    next_links: list[Link],
    *,
    engine: str,
    notice_xpath: str,
    no_results: re.Pattern[str],
    blocked: Callable[[Page], str],
    notice_marks: tuple[str, ...] = (),
) -> PageExtraction:
    """The extraction of a results page whose engine mixes its own pages in (Baidu, Sogou,
    Yandex): ``found`` is the results in page order and how many blocks led to the engine's
    own pages.

    With results: "ok", or "no_results" when the engine's notice (``notice_xpath``) says the
    query itself found nothing and the results are for a looser one. Without: "ok" when the
    page held only the engine's own pages (a real page, no prospects), "blocked" for a
    challenge page (``blocked``, then the generic detector), else "no_results".

    ``notice_marks``: pieces one of which the class or id of every element ``notice_xpath``
    selects holds; when no element's class or id holds any, the query is not run (it is a
    test of every element, and most pages have no notice).
    """
    unranked, own_pages = found
    results = rank_results(unranked)
    links = [*result_links(results), *next_links]
    unmarked = (
        bool(notice_marks)
        and page.root is not None
        and not attr_index(page, "class", "id").holds(*notice_marks)
    )
    notices = [] if unmarked else page.selector.xpath(notice_xpath)
    notice = clean_text(" ".join(text_without(n) for n in notices))
    if results:
        if no_results.search(notice):
            reason = f"{notice[:200]} (results shown are for a looser query)"
            return parser.result("no_results", search_results=results, links=links, reason=reason)
        return parser.result("ok", search_results=results, links=links)
    if own_pages:
        reason = f"only {engine}'s own pages ({own_pages} blocks), no external result"
        return parser.result("ok", links=links, reason=reason)
    block = blocked(page) or detect_block(page)
    if block:
        return parser.result("blocked", reason=block)
    hit = no_results.search(notice) or no_results.search(page.visible_text)
    if hit:
        return parser.result("no_results", reason=(notice or hit.group(0))[:200])
    return parser.result("no_results", reason=f"no {engine} result blocks on the page")
