"""Google's results page: the desktop layout and the basic-HTML (no-JavaScript) one.

* Organic results are found by shape, not by class hash: a link that holds an ``h3`` (``div.g``
  / ``div.MjjYud`` > ``.yuRUbf`` > ``a > h3`` on desktop, ``div.Gx5Zad`` > ``a > h3`` in basic
  HTML). A result's block is the largest ancestor that holds no other title link; its
  snippet is ``[data-sncf]`` / ``.VwiC3b`` (desktop) or the leaf ``.BNeawe.s3v9rd`` text
  (basic HTML). Links inside ads, "People also ask", carousels and the knowledge panel are
  not organic results.
* Links are wrapped (``/url?q=<target>&sa=U&ved=…&usg=…``, ``/url?url=…``, ``aclk?…&adurl=``):
  :func:`~spiders.pages.serp.decode_google_redirect` restores the target and drops Google's
  own tracking (``srsltid``, ``gclid``, ``#:~:text=`` highlights); it lives in
  :mod:`spiders.pages.serp` with the other engines' decoders and is re-exported here.
* Ads: ``#tads`` / ``#tadsb`` / ``[data-text-ad]`` / ``.uEierd`` blocks, and any block with an
  "Ad" / "Sponsored" badge. An ad whose click URL is an empty ``aclk`` gets its landing page
  from ``data-pcu`` (the advertiser's URLs) or its displayed URL.
* Google's own pages (maps, images, webcache, accounts, support, policies …) are never
  results. Ranks: organic 1..n and ads 1..m, each in page order.
* Local pack / local finder (``.rllt__details``: name, "4.9(141) · Dentist", address, hours,
  phone; the "Website" button beside it), the basic-HTML places list (``a[href*=ludocid]``)
  and a business knowledge panel become :class:`Lead` objects with raw values; the category
  goes to ``products`` and the rating to ``description``.
* Blocked: the ``/sorry/`` unusual-traffic captcha, the consent.google.com "Before you
  continue" wall and the "turn on JavaScript" stub. "did not match any documents" / "No
  results found" → ``no_results``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from leadharvest.items import Lead, Phone, SearchResult
from spiders.pages.attributes import element_contacts
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    PageSelector,
    as_selectors,
    clean_text,
    descendant_steps,
    detect_block,
    marker_reason,
)
from spiders.pages.contacts import find_phones
from spiders.pages.serp import (
    class_holds,
    decode_google_redirect,
    has_class,
    host_of,
    http_url,
    is_google_url,
    rank_results,
    result_links,
    strip_tracking,
)

__all__ = ["GooglePage", "decode_google_redirect", "is_google_url", "strip_tracking"]

_AD_CONTAINERS = (
    "@id='tads' or @id='tadsb' or @id='bottomads' or @data-text-ad or @data-is-ad"
    f" or {has_class('uEierd')} or {has_class('commercial-unit-desktop-top')}"
)
_NOT_ORGANIC = (
    f"{_AD_CONTAINERS} or @id='rhs' or {has_class('related-question-pair')}"
    f" or {has_class('rllt__details')} or self::g-scrolling-carousel"
)
_AD_LABELS = frozenset(
    {"ad", "ads", "sponsored", "sponsored result", "sponsored results", "anzeige", "annonce",
     "anuncio", "patrocinado", "gesponsert", "广告", "廣告", "赞助商", "贊助商家", "スポンサー"}
)  # fmt: skip
_SNIPPET_XPATHS = (
    ".//*[@data-sncf='1' or @data-sncf='2']",
    f".//*[{has_class('VwiC3b')} or {has_class('IsZvec')} or {has_class('st')}]",
    f".//*[{has_class('lEBKkf')} or {has_class('yDYNvb')}]",
    ".//div[contains(@style, '-webkit-line-clamp')][not(ancestor::a)]",
    f".//div[{has_class('s3v9rd')}][not(.//div[{has_class('s3v9rd')}])]",
)
_AD_SNIPPET_XPATHS = (
    f".//*[{has_class('yDYNvb')}]",
    ".//*[@data-sncf]",
    f".//*[{has_class('Va3FIb')} or {has_class('VwiC3b')} or {has_class('lEBKkf')}]",
    f".//*[{has_class('ads-creative')}]",
)
_CLASSES_NEEDED = {
    _SNIPPET_XPATHS[1]: ("VwiC3b", "IsZvec", "st"),
    _SNIPPET_XPATHS[2]: ("lEBKkf", "yDYNvb"),
    _SNIPPET_XPATHS[4]: ("s3v9rd",),
    _AD_SNIPPET_XPATHS[0]: ("yDYNvb",),
    _AD_SNIPPET_XPATHS[2]: ("Va3FIb", "VwiC3b", "lEBKkf"),
    _AD_SNIPPET_XPATHS[3]: ("ads-creative",),
}
"""The class names one of which an element a snippet query selects has (``has_class``)."""
_NO_RESULTS_RE = re.compile(
    r"(?:your search\b.{0,200}?)?(?:did not match any (?:documents|results)"
    r"|no results found for\b|no results for\b)"
    r"|.{0,200}(?:aucun document ne correspond|keine übereinstimmenden dokumente"
    r"|no ha obtenido ningún resultado|未找到符合|找不到和您查询的|找不到符合)",
    re.IGNORECASE,
)
_NOTICE_PHRASES = (
    "did not match any documents",
    "did not match any results",
    "no results for",
    "no results found for",
    "aucun document ne correspond",
    "keine übereinstimmenden dokumente",
    "no ha obtenido ningún resultado",
    "未找到符合",
    "找不到和您查询的",
    "找不到符合",
)
_NOTICE_PHRASES_RE = re.compile(
    "|".join(phrase.replace(" ", r"[\s\u200b]+") for phrase in _NOTICE_PHRASES),
    re.IGNORECASE,
)
"""What every line ``_NO_RESULTS_RE`` matches holds (a space there is any white space)."""
_NOTICE_FIRST_WORDS = tuple(dict.fromkeys(phrase.split(" ")[0] for phrase in _NOTICE_PHRASES))
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
"""İ, ı, ſ and the Kelvin sign: under ``re.IGNORECASE`` they match i, i, s and k (and İ is
the one character whose ``lower()`` is two)."""


def _holds_notice_phrase(text: str) -> bool:
    """Whether ``_NOTICE_PHRASES_RE`` finds a phrase in ``text``.

    A match starts with its phrase's first word in some case, so where the lower-cased text
    holds none of the first words no match starts: the pattern is tried only where one does
    (a search tried its ten ignore-case branches at every character of the page's text: 0.23
    -> 0.045 ms on a results page). A text with a character that case-folds onto an ASCII
    letter (or lower-cases to two) is searched as before.
    """
    if any(c in text for c in _FOLDS_TO_ASCII):
        return _NOTICE_PHRASES_RE.search(text) is not None
    lowered = text.lower()  # one character for each of the text's
    for word in _NOTICE_FIRST_WORDS:
        start = lowered.find(word)
        while start >= 0:
            if _NOTICE_PHRASES_RE.match(text, start):
                return True
            start = lowered.find(word, start + 1)
    return False


_SHOWN_TEXT = etree.XPath(
    "descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::svg)]",
    smart_strings=False,
)
"""The text nodes :func:`_lines` reads (``_HIDDEN`` subtrees left out), in document order."""
_BLOCK_TEXT: tuple[tuple[str, str], ...] = (
    ("detected unusual traffic", "Google unusual-traffic captcha"),
    ("unusual traffic from your computer network", "Google unusual-traffic captcha"),
    ("captcha-form", "Google captcha"),
    ("before you continue to google", "Google consent wall (consent.google.com)"),
    ("/httpservice/retry/enablejs", "Google requires JavaScript (enablejs stub)"),
)

_KP_ADDRESS = "kc:/location/location:address"
_SEP_RE = re.compile(r"\s*[·⋅•|]\s*")
_RATING_RE = re.compile(r"^(\d(?:[.,]\d)?)\s*\(([\d.,]+\s*[KkMm]?)\)|^no reviews\b", re.IGNORECASE)
_HOURS_RE = re.compile(
    r"^(?:open(?:s|ing)?|close[sd]?|closing|temporarily closed|permanently closed|hours"
    r"|\d{1,2}(?::\d{2})?\s*[ap]\.?m\.?)\b",
    re.IGNORECASE,
)
_PHONE_SEG_RE = re.compile(r"^\+?[(\d][\d\s().\-/]{5,}\d$")
_PRICE_RE = re.compile(r"^[£$€¥₹]+(?:\s*[\d,.]+(?:\s*[–-]\s*[\d,.]+)?\+?)?$")
_SERVICE_RE = re.compile(
    r"^(?:on-?site services|online appointments|online estimates|in-store \w+|curbside pickup"
    r"|(?:no-contact )?delivery|dine-in|take-?out|drive-through|wheelchair accessible"
    r"|\d+\+? years? in business|women-owned|veteran-owned|lgbtq\+? friendly"
    r"|onsite services not available|.*\bservices?\b.*not available)$",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset({"div", "p", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
                         "h4", "h5", "h6", "section", "article", "header", "footer"})  # fmt: skip


class GooglePage(PageParser):
    """A Google web results page (desktop or basic HTML), or its local finder."""

    name = "google"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        walled = _wall_by_url(page.url)
        if walled:
            return self.result("blocked", reason=walled)
        sel = page.selector
        results = rank_results(_in_page_order(_organic(sel, page), _ads(sel, page), page))
        leads, lead_links = _local_leads(sel, page)
        links = [*result_links(results), *lead_links, *_next_links(sel, page)]
        notice = _no_results_notice(sel, page)
        if results or leads:
            if notice:
                # "No results found for "x"" followed by results for a looser query: kept on
                # record, but the query itself found nothing.
                reason = f"{notice} (results shown are for a looser query)"
                return self.result(
                    "no_results", search_results=results, leads=leads, links=links, reason=reason
                )
            return self.result("ok", search_results=results, leads=leads, links=links)
        if notice:
            return self.result("no_results", reason=notice)
        blocked = _google_block(page) or detect_block(page)
        if blocked:
            return self.result("blocked", reason=blocked)
        return self.result("no_results", reason="no Google result blocks on the page")


# -- text helpers -------------------------------------------------------------------------------


def _lines(sel: Selector, *, skip_classes: tuple[str, ...] = ()) -> list[str]:
    """Text of ``sel`` as lines: ``<br>`` and block elements end a line; scripts skipped.

    The subtree is read in one loop over each element's children, with a stack of the open
    elements' iterators (no ``iterwalk`` event per element start and end): a block's start
    and end write a line break (``_BREAK``, a character no text node holds), text and tails
    are written as they are, and source line breaks, only white space, become spaces at
    the end. ``tests/test_spiders_pages_google.py`` holds it to the event walk it replaced.
    """
    if isinstance(sel.root, str):
        return [clean_text(sel.root)] if clean_text(sel.root) else []
    return _element_lines(sel.root, skip_classes)


def _element_lines(top: Any, skip_classes: tuple[str, ...] = ()) -> list[str]:
    """:func:`_lines` of an lxml element: the readers that hold an element (a query's match)
    read it without wrapping it in a selector first."""
    if not isinstance(top.tag, str):
        return []  # a comment or processing instruction: hidden, and its tail is not its own
    kinds = _TAG_KINDS
    kind = kinds.get(top.tag)
    if kind is None:
        kind = _tag_kind(top.tag)
    if kind == _HIDDEN_TAG:
        return []
    skip = set(skip_classes)  # never asked of ``top`` itself
    parts: list[str] = []
    append = parts.append
    top_block = kind == _BLOCK_TAG and top.get("role") != "img"
    if top_block:
        append(_BREAK)
    if top.text:
        append(top.text)
    stack: list[tuple[Iterator[Any], Any, bool]] = []  # (siblings left, open element, block)
    children: Iterator[Any] = iter(top)
    while True:
        for child in children:
            tag = child.tag
            if type(tag) is str:  # an element (comments and PIs are hidden: tail only)
                kind = kinds.get(tag)
                if kind is None:
                    kind = _tag_kind(tag)
                if kind != _HIDDEN_TAG and not (
                    skip
                    and (value := child.get("class"))
                    and any(name in value for name in skip)  # a class name is in its value
                    and not skip.isdisjoint(value.split())
                ):
                    block = kind == _BLOCK_TAG and child.get("role") != "img"  # star ratings
                    if block:  # sit in-line
                        append(_BREAK)
                    text = child.text
                    if text:
                        append(text)
                    if len(child):
                        stack.append((children, child, block))
                        children = iter(child)
                        break  # its children next; its end and tail when they are done
                    if block:
                        append(_BREAK)
            text = child.tail
            if text:
                append(text)
        else:  # the open element's children are done
            if not stack:
                break
            children, child, block = stack.pop()
            if block:
                append(_BREAK)
            text = child.tail
            if text:
                append(text)
    if top_block:
        append(_BREAK)
    # each line is clean_text()'s tidy of its piece: U+200B and source line breaks are spaces
    text = "".join(parts)
    if "\n" in text:
        text = text.replace("\n", " ")
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return [line for piece in text.split(_BREAK) if (line := " ".join(piece.split()))]


_BREAK = "\x00"
"""A line break :func:`_lines` writes: libxml2's strings end at a NUL, so no text holds one."""


_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg"})
_HIDDEN_TAG, _BLOCK_TAG, _INLINE_TAG = 1, 2, 0
_TAG_KINDS: dict[str, int] = {}
"""Each tag's kind for :func:`_lines`, looked up once per tag name, not per element."""


def _tag_kind(tag: str) -> int:
    name = tag.lower()
    kind = _HIDDEN_TAG if name in _HIDDEN else _BLOCK_TAG if name in _BLOCK_TAGS else _INLINE_TAG
    if len(_TAG_KINDS) < 4096:
        _TAG_KINDS[tag] = kind
    return kind


def _text(sel: Selector | None) -> str:
    return " ".join(_lines(sel)) if sel is not None else ""


def _own_block(
    el: Selector,
    marker: str,
    page: Page,
    *,
    stop: Selector | None = None,
    avoid: str = "",
    up: int = 40,
) -> Selector:
    """The largest ancestor of ``el`` (at most ``up`` levels up) that holds exactly one element
    matching ``marker`` and none matching ``avoid`` (``.//…`` XPaths whose matches do not
    depend on where the search starts): one result's or one listing's own block, whatever
    the wrappers are called this year."""
    counts = _held(page, marker)
    avoided = _held(page, avoid) if avoid else {}
    block: Any = None
    for anc in el.root.iterancestors():  # the first ``up`` of them, body and html left out
        if anc.tag in ("body", "html"):
            continue
        if up <= 0:
            break
        up -= 1
        if anc.get("id") in ("rso", "search", "main", "center_col", "res"):
            break
        if counts.get(anc, 0) > 1 or avoided.get(anc, 0):
            break
        block = anc
        if stop is not None and anc is stop.root:
            break
    return el if block is None else PageSelector(root=block, type="html")


def _held(page: Page, xpath: str) -> dict[Any, int]:
    """How many of the page's elements matching ``xpath`` (``.//…``) each element holds, up to
    two (2 is "two or more": :func:`_own_block` asks only "none", "one" or "more").

    One query over the page and a walk up from each match, instead of the query again in
    every ancestor of every result. ``_NOT_ORGANIC_BOXES`` and ``_DETAILS`` come from the
    page's :func:`_survey`.
    """

    def count() -> dict[Any, int]:
        root = page.selector.root
        if xpath == _NOT_ORGANIC_BOXES:
            matches = _survey(page).not_organic
        elif xpath == _DETAILS:
            matches = _survey(page).details
        elif xpath == _PLACE_LINK:
            matches = _place_links(page)
        else:
            matches = root.xpath(_SAME_MATCHES.get(xpath) or "/" + xpath.lstrip("."))
        return _held_counts(matches)

    return page.memo(f"google_held:{xpath}", count)


def _held_counts(matches: Any) -> dict[Any, int]:
    """For each ancestor of ``matches``, how many of them it holds, capped at 2.

    A walk up from a match stops at the first ancestor already at 2: every ancestor above
    it holds what it holds, so is at 2 too. The walks up from a page's results meet below
    the results column, so each climbs a few levels, not the 20-30 to the root (each level
    an element proxy and two dict lookups).
    """
    held: dict[Any, int] = {}
    get = held.get
    for match in matches:
        for anc in match.iterancestors():
            n = get(anc, 0)
            if n > 1:
                break
            held[anc] = n + 1
    return held


_NOT_ORGANIC_BOXES = f".//*[{_NOT_ORGANIC}]"
_SAME_MATCHES = {
    ".//a[@href][.//h3]": "//h3/ancestor::a[@href]",
    ".//a[@href][.//h3][not(contains(@href, 'ludocid='))]": (
        "//h3/ancestor::a[@href][not(contains(@href, 'ludocid='))]"
    ),
    ".//*[@role='heading' or self::h3][ancestor::a[@href]]": (
        "/descendant::h3[ancestor::a[@href]] | //@role[.='heading']/parent::*[ancestor::a[@href]]"
    ),
    ".//a[contains(@href, 'ludocid=')][.//h3 or .//*[@role='heading']]": (
        "/descendant::a[contains(@href, 'ludocid=')][.//h3 or .//*[@role='heading']]"
    ),
}
"""Whole-page queries for :func:`_held` that select the same elements from the few ``h3``
and ``role`` values (a test of every element's ``role`` and name took 0.2-0.3 ms a page)."""
_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


@dataclass
class _Survey:
    """What the page objects ask about every element, read in one walk over the page."""

    not_organic: list[Any] = field(default_factory=list)
    """``_NOT_ORGANIC_BOXES``: the elements :func:`_not_organic` accepts, in page order."""
    ad_boxes: list[Any] = field(default_factory=list)
    """The outermost elements :func:`_is_ad_box` accepts (none inside another), in page order."""
    details: list[Any] = field(default_factory=list)
    """``_DETAILS``: the local pack's ``.rllt__details`` elements, in page order."""
    by_id: dict[str, Any] = field(default_factory=dict)
    """The first element of each ``_ROOT_IDS`` id."""
    classes: str = ""
    """Every ``class`` value on the page, joined: a class name in none of them is on no element."""
    panel_title: Any = None
    """``(//*[@data-attrid='title'])[1]``: a knowledge panel's title."""


_ROOT_IDS = ("center_col", "search", "rso", "main")


def _survey(page: Page) -> _Survey:
    """The page's :class:`_Survey`, built once: six whole-page queries and walks in one."""
    return page.memo("google_survey", lambda: _survey_of(page.selector.root))


def _survey_of(root: Any) -> _Survey:
    """Each element that may be asked about is one holding an ``id`` of ``_ASKED_IDS``,
    ``data-text-ad``, ``data-is-ad`` or ``data-attrid="title"``, a class value with one of
    the names, or a carousel: those are listed in C (the attribute values, then the elements
    of the few class values that matter) and only they are tested, in page order."""
    survey = _Survey()
    if not isinstance(getattr(root, "tag", None), str):
        return survey
    candidates = {value.getparent() for value in _NAMED_ATTRS(root)}
    candidates.update(root.iter("g-scrolling-carousel"))
    joined = survey.classes = "\n".join(_CLASS_VALUES(root))
    pieces = tuple(sorted(name for name in _NOT_ORGANIC_CLASSES if name in joined))
    if pieces:  # most pages: none
        for value in _class_values_holding(pieces)(root):
            if any(_class_flags(str(value))):
                candidates.add(value.getparent())
    by_id = survey.by_id
    for el in _PAGE_ORDER(root, nodes=list(candidates)):
        ident = el.get("id")
        value = el.get("class")
        boxed, ad_class, details = _class_flags(value) if value else (False, False, False)
        if ident is not None and ident in _ROOT_IDS and ident not in by_id:
            by_id[ident] = el
        if survey.panel_title is None and el.get("data-attrid") == "title":
            survey.panel_title = el
        if details:
            survey.details.append(el)
        text_ad = el.get("data-text-ad") is not None
        if not (
            boxed
            or text_ad
            or ident in ("tads", "tadsb", "bottomads", "rhs")
            or el.get("data-is-ad") is not None
            or el.tag == "g-scrolling-carousel"
        ):
            continue
        survey.not_organic.append(el)
        if (ad_class or text_ad or ident in ("tads", "tadsb", "bottomads")) and not (
            survey.ad_boxes and _inside_any(el, survey.ad_boxes)
        ):
            survey.ad_boxes.append(el)
    return survey


_ASKED_IDS = (*_ROOT_IDS, "tads", "tadsb", "bottomads", "rhs")
_NAMED_ATTRS = etree.XPath(
    f"//@id[{' or '.join(f'.={ident!r}' for ident in _ASKED_IDS)}]"
    " | //@data-text-ad | //@data-is-ad | //@data-attrid[.='title']"
)
"""The attributes that make an element worth a look: an element whose ``id`` is none of the
ids asked about, or whose ``data-attrid`` is not ``title``, and that has no other reason to
be listed passes through :func:`_survey_of`'s loop untouched, so it is not listed."""
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_PAGE_ORDER = etree.XPath("$nodes | $nodes")
"""Elements of one page in document order (libxml2 sorts a union; no index of the page)."""
_HOLDING: dict[tuple[str, ...], etree.XPath] = {}


def _class_values_holding(pieces: tuple[str, ...]) -> etree.XPath:
    """``//@class`` values (their elements at hand) that hold one of ``pieces`` (a few of
    ``_NOT_ORGANIC_CLASSES``): libxml2 finds the few elements whose class may count, where a
    Python walk over the page's elements looked at each one."""
    query = _HOLDING.get(pieces)
    if query is None:
        held = " or ".join(f"contains(., '{piece}')" for piece in pieces)
        query = _HOLDING[pieces] = etree.XPath(f"//@class[{held}]")
    return query


@lru_cache(maxsize=4096)
def _class_flags(value: str) -> tuple[bool, bool, bool]:
    """For a class value: a ``_NOT_ORGANIC`` class, ``uEierd`` (an ad box), ``rllt__details``."""
    if _NOT_ORGANIC_PIECES_RE.search(value) is None:
        return False, False, False
    names = set(_XML_SPACE_RE.split(value))
    return not _NOT_ORGANIC_CLASSES.isdisjoint(names), "uEierd" in names, "rllt__details" in names


def _inside_any(el: Any, outer: list[Any]) -> bool:
    """Whether one of ``outer`` (elements before ``el`` in page order) holds ``el``: only the
    last can, as the elements of ``outer`` are not inside one another."""
    last = outer[-1]
    return any(anc is last for anc in el.iterancestors())


def _is_ad_box(el: Any) -> bool:
    """``_AD_BOX`` in Python: on a results page every element is asked, and four class tests
    per element cost XPath far more than a set."""
    if el.get("id") in ("tads", "tadsb", "bottomads") or el.get("data-text-ad") is not None:
        return True
    value = el.get("class")  # the split only where the name is in the value at all
    return bool(value) and "uEierd" in value and "uEierd" in _XML_SPACE_RE.split(value)


def _not_organic(el: Any) -> bool:
    """``_NOT_ORGANIC`` in Python (see :func:`_is_ad_box`)."""
    if (
        el.get("id") in ("tads", "tadsb", "bottomads", "rhs")
        or el.get("data-text-ad") is not None
        or el.get("data-is-ad") is not None
        or el.tag == "g-scrolling-carousel"
    ):
        return True
    value = el.get("class")  # the split only where one of the names is in the value at all
    return (
        bool(value)
        and _NOT_ORGANIC_PIECES_RE.search(value) is not None
        and not _NOT_ORGANIC_CLASSES.isdisjoint(_XML_SPACE_RE.split(value))
    )


_NOT_ORGANIC_CLASSES = frozenset(
    {"uEierd", "commercial-unit-desktop-top", "related-question-pair", "rllt__details"}
)
_NOT_ORGANIC_PIECES_RE = re.compile("|".join(map(re.escape, sorted(_NOT_ORGANIC_CLASSES))))


def _is_ad_label(text: str) -> bool:
    return clean_text(text).strip(" ·⋅:-").lower() in _AD_LABELS


def _has_ad_badge(block: Selector) -> bool:
    """An "Ad" / "Sponsored" badge: an element whose own text is just that word."""
    return any(len(text) < 30 and _is_ad_label(text) for text in _BADGE_TEXTS(block.root))


# -- organic results ----------------------------------------------------------------------------

_TITLE_ANCHOR = ".//a[@href][.//h3]"


def _results_root(sel: Selector, page: Page) -> Selector:
    """The results column (``#center_col`` on desktop, ``#main`` in basic HTML): the header,
    the knowledge panel column and the footer hold no organic results."""
    by_id = _survey(page).by_id
    for scope in _ROOT_IDS:
        if scope in by_id:
            return PageSelector(root=by_id[scope], type="html")
    return sel


def _organic(sel: Selector, page: Page) -> list[tuple[Any, SearchResult]]:
    found: list[tuple[Any, SearchResult]] = []
    root = _results_root(sel, page)
    for anchor in as_selectors(_title_anchors(root.root, page)):
        url = decode_google_redirect(anchor.attrib["href"], page.base_url)
        if not http_url(url) or is_google_url(url):
            continue
        title = " ".join(_element_lines(_FIRST_H3(anchor.root)[0]))
        if not title:
            continue
        block = _own_block(anchor, _TITLE_ANCHOR, page, avoid=_NOT_ORGANIC_BOXES)
        result = SearchResult(
            rank=0,
            url=url,
            title=title,
            snippet=_snippet(block, _SNIPPET_XPATHS, page, exclude=title),
            ad=_has_ad_badge(block),
        )
        found.append((anchor.root, result))
    return found


def _title_anchors(top: Any, page: Page) -> list[Any]:
    """``.//a[@href][.//h3][not(ancestor::*[_NOT_ORGANIC])]`` of ``top``: the links around the
    few ``h3`` (not every link searched for one), outside the survey's not-organic boxes (not
    every ancestor of every link tested for their classes)."""
    if not isinstance(getattr(top, "tag", None), str):
        return []
    boxes = set(_survey(page).not_organic)
    outside = {top, *top.iterancestors()}  # ancestors of the h3 not inside ``top``
    return [
        anchor
        for anchor in _H3_ANCHORS(top)
        if anchor not in outside and boxes.isdisjoint(anchor.iterancestors())
    ]


_H3_ANCHORS = etree.XPath("descendant::h3/ancestor::a[@href]")
"""``.//a[@href][.//h3]`` where ``top`` is not inside such a link, in page order."""


def _snippet(block: Selector, xpaths: tuple[str, ...], page: Page, *, exclude: str = "") -> str:
    for xpath in xpaths:
        if not _may_match(page, xpath):
            continue  # no element of the page is one it selects: the block's holds none either
        for candidate in _element_query(xpath)(block.root):
            if _IN_TITLE_LINK(candidate):
                continue
            text = clean_text(" ".join(_element_lines(candidate)))
            if text and text != exclude and not _is_ad_label(text):
                return text
    return ""


_FIRST_H3 = etree.XPath("(.//h3)[1]")
_IN_TITLE_LINK = etree.XPath("boolean(ancestor::a[.//h3 or .//*[@role='heading']])")
_BADGE_TEXTS = etree.XPath(
    "descendant::*[not(self::h3) and not(ancestor::h3)]/text()", smart_strings=False
)
"""The text nodes :func:`_has_ad_badge` reads: of the elements inside a block that are not a
title (``h3``) nor inside one."""
_ELEMENT_QUERIES: dict[str, etree.XPath] = {}


def _element_query(xpath: str) -> etree.XPath:
    """``xpath`` compiled once, run on an element: the snippet queries' matches are read as
    elements, with no selector built for each (a block's queries return a few each)."""
    query = _ELEMENT_QUERIES.get(xpath)
    if query is None:
        query = _ELEMENT_QUERIES[xpath] = etree.XPath(descendant_steps(xpath))
    return query


def _may_match(page: Page, xpath: str) -> bool:
    """Whether the page has an element a snippet query may select: one with one of the
    class names the query asks for (``_CLASSES_NEEDED``), or the attribute value it asks
    for (``_ATTRS_NEEDED``). Queries asked of every result block are skipped on a page
    where no element could answer them."""
    needed = _CLASSES_NEEDED.get(xpath)
    if needed and _class_names(page).isdisjoint(needed):
        return False
    fact = _ATTRS_NEEDED.get(xpath)
    return fact is None or fact in _snippet_attrs(page)


def _class_names(page: Page) -> frozenset[str]:
    """Every class name on the page (split at any white space: a name in ``_CLASSES_NEEDED``
    holds none, so it is in the set exactly when an element's ``has_class`` is true for it;
    a substring test of the joined values counted "st" present in "list")."""
    return page.memo("google_class_names", lambda: frozenset(_survey(page).classes.split()))


_ATTRS_NEEDED = {
    _SNIPPET_XPATHS[0]: "sncf12",
    _SNIPPET_XPATHS[3]: "clamp",
    _AD_SNIPPET_XPATHS[1]: "sncf",
}
"""What the page must hold for a query to select anything: a ``data-sncf`` of "1" or "2", a
``div`` whose ``style`` holds ``-webkit-line-clamp``, any ``data-sncf``."""
_SNIPPET_ATTRS = etree.XPath("//@data-sncf | //div/@style[contains(., '-webkit-line-clamp')]")


def _snippet_attrs(page: Page) -> frozenset[str]:
    """Which of ``_ATTRS_NEEDED``'s facts hold on the page (every one when it has no tree)."""

    def build() -> frozenset[str]:
        root = page.selector.root
        if not isinstance(getattr(root, "tag", None), str):
            return frozenset(_ATTRS_NEEDED.values())
        found: set[str] = set()
        for value in _SNIPPET_ATTRS(root):
            if value.attrname == "style":
                found.add("clamp")
            else:
                found.add("sncf")
                if value in ("1", "2"):
                    found.add("sncf12")
        return frozenset(found)

    return page.memo("google_snippet_attrs", build)


# -- ads ----------------------------------------------------------------------------------------


_AD_TITLE = ".//*[@role='heading' or self::h3][ancestor::a[@href]]"
"""An ad's title: a heading inside its link (sitelink cards put the link inside an ``h3``)."""


def _ad_blocks(sel: Selector, page: Page) -> list[tuple[Selector, Selector]]:
    """(block, title) per ad: every titled link inside an ad container, with the largest part
    of the container that holds no other ad title (one ``li.ads-ad`` / ``[data-text-ad]``)."""
    found: list[tuple[Selector, Selector]] = []
    for box in _ad_boxes(page):
        for heading in box.xpath(_AD_TITLE):
            found.append((_own_block(heading, _AD_TITLE, page, stop=box), heading))
    return found


def _ad_boxes(page: Page) -> list[Selector]:
    """The outermost ad containers (``_AD_BOX`` with no such ancestor), in page order."""
    return [PageSelector(root=el, type="html") for el in _survey(page).ad_boxes]


_AD_BOX = f"@id='tads' or @id='tadsb' or @id='bottomads' or @data-text-ad or {has_class('uEierd')}"
"""An ad container (``_is_ad_box`` reads it)."""


def _ads(sel: Selector, page: Page) -> list[tuple[Any, SearchResult]]:
    found: list[tuple[Any, SearchResult]] = []
    for block, heading in _ad_blocks(sel, page):
        anchor = heading.xpath("ancestor::a[@href][1]")[0]
        title = _text(heading)
        url = _ad_target(anchor, block, page)
        if not title or not url:
            continue
        snippet = _snippet(block, _AD_SNIPPET_XPATHS, page, exclude=title)
        result = SearchResult(rank=0, url=url, title=title, snippet=snippet, ad=True)
        found.append((heading.root, result))
    return found


def _in_page_order(
    organic: list[tuple[Any, SearchResult]], ads: list[tuple[Any, SearchResult]], page: Page
) -> list[SearchResult]:
    """Organic results and ads (each list in page order, by the element each was read from)
    merged in page order, only when both lists hold some.

    libxml2 puts the few elements in document order (a union sorts its node set): numbering
    every element of the page to sort a dozen took a proxy per element.
    """
    if not organic or not ads:
        return [result for _, result in organic or ads]
    pairs = [*organic, *ads]
    index = _document_index([el for el, _ in pairs])
    return [result for _, result in sorted(pairs, key=lambda pair: index[pair[0]])]


def _document_index(elements: list[Any]) -> dict[Any, int]:
    """Each of ``elements`` (of one tree) with its place among them in document order."""
    return {el: i for i, el in enumerate(_PAGE_ORDER(elements[0], nodes=elements))}


def _ad_target(anchor: Selector, block: Selector, page: Page) -> str:
    """The advertiser's page: the link itself when it is not a Google click URL, else the
    click URL's ``adurl``, else ``data-pcu`` (the landing URLs Google lists for the ad),
    else the URL the ad displays."""
    url = decode_google_redirect(anchor.attrib.get("href", ""), page.base_url)
    if http_url(url) and not is_google_url(url):
        return url
    shown = (block.xpath(".//@data-dtld").get() or "").lower()
    candidates = [c.strip() for c in (anchor.attrib.get("data-pcu") or "").split(",")]
    candidates = [c for c in candidates if http_url(c) and not is_google_url(c)]
    if candidates:
        matching = [c for c in candidates if shown and host_of(c).endswith(shown)] or candidates
        return strip_tracking(min(matching, key=lambda c: not c.startswith("https://")))
    for text in block.xpath(
        ".//*[@role='link']/@aria-label | .//*[@data-dtld]//text() | .//cite//text()"
    ).getall():
        text = clean_text(text).split(" ")[0].strip("›")
        if re.match(r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", text):
            return text if http_url(text) else "https://" + text
    return ""


# -- next page ----------------------------------------------------------------------------------


def _next_links(sel: Selector, page: Page) -> list[Link]:
    hrefs = sel.xpath(
        "//a[@id='pnnext']/@href"
        " | //a[@aria-label='Next page' or @aria-label='Next' or @aria-label='下一页']/@href"
        " | //footer//a[starts-with(normalize-space(), 'Next')]/@href"
        " | //a[.//span[normalize-space()='Next']]/@href"
    ).getall()
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith(("#", "javascript"))]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls)]


# -- local pack → leads -------------------------------------------------------------------------


def _local_leads(sel: Selector, page: Page) -> tuple[list[Lead], list[Link]]:
    leads: dict[str, Lead] = {}
    links: list[Link] = []
    entries = [*_finder_entries(sel, page), *_basic_entries(sel, page), *_panel(sel, page)]
    for lead, detail in entries:
        known = leads.setdefault(lead.name.lower(), lead)
        if known is not lead:  # the same place twice (a pack entry that also links its page)
            known.address_raw = known.address_raw or lead.address_raw
            known.website = known.website or lead.website
        if detail:
            links.append(Link(url=detail, kind="detail", lead_name=lead.name))
    for lead in leads.values():
        if lead.website:
            links.append(Link(url=lead.website, kind="website", lead_name=lead.name))
    return list(leads.values()), links


_DETAILS = f".//*[{has_class('rllt__details')}]"
_PLACE_LINK = ".//a[contains(@href, 'ludocid=')][.//h3 or .//*[@role='heading']]"
_ORGANIC_TITLE = ".//a[@href][.//h3][not(contains(@href, 'ludocid='))]"
_LISTING_UP = 6
"""A listing's box (name link, "Website" and "Directions" buttons) is at most this many
levels above its details; further up, a lone listing's box would swallow the page."""


def _finder_entries(sel: Selector, page: Page) -> Iterator[tuple[Lead, str]]:
    """Desktop local pack and local finder: one ``.rllt__details`` per business."""
    for details in as_selectors(_survey(page).details):
        heading = _listing_name(details.root)
        name = _text(PageSelector(root=heading, type="html")) if heading is not None else ""
        lines = _lines(details, skip_classes=("pJ3Ci",))
        if not name:
            name = next((line for line in lines if not _is_ad_label(line)), "")
        if not name:
            continue
        lead = _lead_from_lines(name, [line for line in lines if line != name])
        box = _own_block(details, _DETAILS, page, avoid=_ORGANIC_TITLE, up=_LISTING_UP)
        lead.website = _website(box, page)
        lead.phones.extend(_phone_attrs(box, lead.phones))
        if lead.address_raw or lead.phones or lead.products or lead.website:
            yield lead, ""


def _place_links(page: Page) -> list[Any]:
    """The page's ``_PLACE_LINK`` elements, found once for the places list and its blocks."""
    return page.memo(
        "google_place_links", lambda: page.selector.root.xpath(_SAME_MATCHES[_PLACE_LINK])
    )


def _basic_entries(sel: Selector, page: Page) -> Iterator[tuple[Lead, str]]:
    """Basic-HTML places list: a link to the place's own Google page (``ludocid``) holding the
    name (``h3``) and, below it, rating, category, address and phone lines."""
    if page.owns(sel) and isinstance(getattr(sel.root, "tag", None), str):
        anchors = as_selectors(_place_links(page))  # the query _own_block's counts ran
    else:
        anchors = sel.xpath(_PLACE_LINK.replace(".//", "//", 1))
    for anchor in anchors:
        heading = anchor.xpath("(.//h3 | .//*[@role='heading'])[1]")[0]
        name = _text(heading)
        if not name:
            continue
        lines = [line for line in _lines(anchor) if line != name]
        lead = _lead_from_lines(name, lines)
        box = _own_block(anchor, _PLACE_LINK, page, avoid=_ORGANIC_TITLE, up=_LISTING_UP)
        lead.website = _website(box, page)
        yield lead, page.urljoin(anchor.attrib["href"])


def _panel(sel: Selector, page: Page) -> Iterator[tuple[Lead, str]]:
    """A business's knowledge panel (address / phone rows with ``data-attrid``)."""
    found = _survey(page).panel_title
    title = [] if found is None else [PageSelector(root=found, type="html")]
    if not title:
        return  # no panel: its rows are not looked for (four queries over the page)
    address = _attr_value(sel, _KP_ADDRESS)
    phone = _attr_value(sel, "kc:/collection/knowledge_panels/has_phone:phone")
    if not (address or phone) or not _text(title[0]):
        return
    subtitle = _first_text(sel, "//*[@data-attrid='subtitle']")  # "Plumber in Leeds, England"
    lead = Lead(name=_text(title[0]), address_raw=address, products=subtitle.split(" in ")[0])
    if phone:
        lead.phones = find_phones(phone, label="tel") or [Phone(raw=phone, label="tel")]
    panel = title[0].xpath(f"ancestor::*[.//*[@data-attrid='{_KP_ADDRESS}']][1]")
    lead.website = _website(panel[0], page, labelled_only=True) if panel else ""
    yield lead, ""


_LISTING_NAME = f"(.//*[{has_class('dbg0pd')}] | .//*[@role='heading'])[1]"
"""A local listing's name element, as XPath (what :func:`_listing_name` finds)."""


def _listing_name(details: Any) -> Any:
    """``_LISTING_NAME`` of ``details``: its first descendant element with the class name
    ``dbg0pd`` or ``role="heading"``, found by a walk that stops there (the query tested
    every element of the listing on both counts)."""
    for el in details.iterdescendants(etree.Element):
        if el.get("role") == "heading":
            return el
        value = el.get("class")
        if value and class_holds(value, "dbg0pd"):
            return el
    return None


def _first_text(sel: Selector, xpath: str) -> str:
    found = sel.xpath(f"({xpath})[1]")
    return _text(found[0]) if found else ""


def _attr_value(sel: Selector, attrid: str) -> str:
    """A knowledge-panel row's value (``.LrzXr``), else the row without its "Label:"."""
    value = _first_text(sel, f"//*[@data-attrid='{attrid}']//*[{has_class('LrzXr')}]")
    row = value or _first_text(sel, f"//*[@data-attrid='{attrid}']")
    return value or clean_text(re.sub(r"^[^:：]{1,20}[:：]\s*", "", row))


def _website(box: Selector, page: Page, *, labelled_only: bool = False) -> str:
    """The listing's "Website" button, else (in a listing's small box, not a whole knowledge
    panel full of profile links) its first link off Google."""
    anchors = box.xpath(".//a[@href]")
    labelled = [
        a
        for a in anchors
        if "website" in (a.attrib.get("aria-label", "") + " " + _text(a)).lower()
        or set(a.attrib.get("class", "").split()) & {"yYlJEf", "L48Cpd", "ab_button"}
    ]
    for anchor in labelled if labelled_only else [*labelled, *anchors]:
        url = decode_google_redirect(anchor.attrib["href"], page.base_url)
        if http_url(url) and not is_google_url(url):
            return url
    for value in [] if labelled_only else box.xpath(".//@data-url | .//@data-website").getall():
        url = decode_google_redirect(value, page.base_url)
        if http_url(url) and not is_google_url(url):
            return url
    return ""


def _phone_attrs(box: Selector, known: list[Phone]) -> list[Phone]:
    """Numbers the listing keeps outside its text: ``tel:`` links, ``data-phone-number``."""
    raws = element_contacts(box.root).phones
    seen = {re.sub(r"\D", "", p.raw)[-8:] for p in known}
    out: list[Phone] = []
    for raw in raws:
        raw = clean_text(raw)
        key = re.sub(r"\D", "", raw)[-8:]
        if len(key) >= 6 and key not in seen:
            seen.add(key)
            out.append(Phone(raw=raw, label="tel"))
    return out


def _is_noise(seg: str) -> bool:
    """Hours, service options, price levels and sentences (ad text): not an address."""
    return bool(
        _HOURS_RE.match(seg)
        or _SERVICE_RE.match(seg)
        or _PRICE_RE.match(seg)
        or len(seg) > 100
        or seg.endswith((".", "!", "?"))
    )


def _lead_from_lines(name: str, lines: list[str]) -> Lead:
    """A lead from a listing's lines ("4.9(141) · Dentist" / "91 Borough High St" /
    "Closed · Opens 9 am" / "020 7946 0321" / a quoted review)."""
    category = rating = ""
    address_strong: list[str] = []
    address_weak: list[str] = []
    phones: list[Phone] = []
    notes: list[str] = []
    for line in lines:
        if _is_ad_label(line):
            notes = ["Sponsored listing"]
            continue
        if line[:1] in "\"“'‘":
            continue
        segments = [s for s in _SEP_RE.split(line) if s]
        if not segments:
            continue
        rated = _RATING_RE.match(segments[0])
        if rated:
            stars, count = rated.groups()
            rating = f"Rated {stars} on Google ({count} reviews)" if stars else "No Google reviews"
            rest = [s for s in segments[1:] if not _PRICE_RE.match(s)]
            if rest and not re.search(r"\d", rest[-1]):
                category = category or rest[-1]
            continue
        if _HOURS_RE.match(segments[0]):
            segments = [s for s in segments if _PHONE_SEG_RE.match(s)]
        for index, seg in enumerate(segments):
            if _PHONE_SEG_RE.match(seg) and len(re.sub(r"\D", "", seg)) >= 7:
                phones.extend(find_phones(seg, label="tel") or [Phone(raw=seg, label="tel")])
            elif _is_noise(seg):
                continue
            elif re.search(r"\d", seg) or "," in seg:
                address_strong.append(seg)
            elif index == 0 and len(segments) > 1 and not category and not rating:
                category = seg
            elif ":" not in seg and len(seg) <= 60:
                address_weak.append(seg)
    address = (address_strong or address_weak or [""])[0]
    return Lead(
        name=name,
        products=category,
        description="; ".join([*notes, rating] if rating else notes),
        address_raw=address,
        phones=phones,
        context=" · ".join([name, *lines]),
    )


# -- blocked / empty ----------------------------------------------------------------------------


_CONSENT = "Google consent wall (consent.google.com)"


def _wall_by_url(url: str) -> str:
    """Pages whose address alone says they are a wall: ``/sorry/index`` and consent.google."""
    if not is_google_url(url):
        return ""
    if host_of(url).startswith("consent."):
        return _CONSENT
    return "Google unusual-traffic captcha (/sorry/)" if "/sorry/" in urlsplit(url).path else ""


def _google_block(page: Page) -> str:
    """Google's walls served at the results URL itself (checked only when nothing parsed)."""
    title = (page.selector.xpath("//title/text()").get() or "").lower()
    if "before you continue" in title or page.selector.xpath(
        "//form[contains(@action, 'consent.google')]"
    ):
        return _CONSENT
    return marker_reason(page.text, _BLOCK_TEXT)


def _no_results_notice(sel: Selector, page: Page) -> str:
    """Google's own "Your search - x - did not match any documents." / "No results found for
    x" notice. Only a line that starts like the notice counts, so a result's snippet quoting
    the phrase mid-sentence does not.

    The body's lines are read only when the page's shown text (every text node outside the
    hidden elements, joined: each line is a run of it) holds one of the notice's phrases.
    """
    root = sel.root
    if isinstance(getattr(root, "tag", None), str) and not _holds_notice_phrase(
        "".join(_SHOWN_TEXT(root))
    ):
        return ""
    body = sel.xpath("//body")
    for line in _lines(body[0] if body else sel):
        if _NO_RESULTS_RE.match(line) and len(line) < 300:
            return line
    return ""
