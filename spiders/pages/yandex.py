"""Yandex's results page (yandex.com / yandex.ru / ya.ru ``/search/``), 2019–2024 layouts.

* Result blocks: top-level ``li.serp-item`` (else the outermost ``.organic`` / ``.Organic``).
  Title link: ``a.organic__url`` (2019) / ``a.OrganicTitle-Link`` (2020+) / ``h2 a``; its
  ``href`` is the target itself (the ``clck/jsredir`` counter sits in ``data-counter``).
  Turbo pages (``yandex.ru/turbo?text=<url>``, ``/turbo/s/<host>/<path>``) are decoded.
* Ads ("Yandex Direct"): an "ad" / "Реклама" / "Промо" label, a ``label_theme_direct``
  badge, ``data-fast-name="direct"``, or a title link to the ``yabs.yandex.*`` click
  counter. The counter URL does not reveal the advertiser's site, so it stays as is; ads
  are flagged, never followed.
* Yandex's own verticals (video, images, maps, news wizards, Yandex Q …): a block whose
  target is a Yandex page (other than an ad counter) is the engine talking about itself
  and is skipped.
* Status: "blocked" for ``showcaptcha`` / SmartCaptcha / "Are you not a robot?" / "Вы не
  робот?" pages; "no_results" for "ничего не нашлось" / "No results found".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, marker_reason
from spiders.pages.serp import (
    class_elements,
    class_holds,
    element_text_without,
    engine_extraction,
    host_of,
    inside_tag,
    is_yandex_host,
    own_pages_apart,
    under_memo,
)

__all__ = ["YandexPage", "decode_turbo", "is_ad_counter", "is_yandex_host"]

_AD_LABELS = {"ad", "ads", "реклама", "промо", "advertising", "sponsored", "reklam", "жарнама"}
_TITLE_CLASSES = ("organic__url", "OrganicTitle-Link")
_TITLE_TEXT_CLASSES = ("organic__url-text", "OrganicTitle-LinkText")
_NOT_TITLE = ("a11y-hidden", "favicon", "Favicon", "OrganicTitle-Favicon", "organic__favicon")
_SNIPPET_CLASSES = (
    ("organic__text", "OrganicText", "OrganicTextContentSpan"),
    ("text-container", "TextContainer"),
    ("extended-text__short", "organic__content-wrapper", "Organic-ContentWrapper"),
)
"""Whole class names of a snippet, in the order they are tried (each group in page order)."""
_NOT_SNIPPET = ("extended-text__toggle", "ExtendedText-Toggle", "a11y-hidden", "serp-meta")
_DIRECT_PIECES = ("label_theme_direct", "Organic_adv")
_LABEL_PIECES = ("label", "Label")
_CARD_PIECES = (
    *_LABEL_PIECES,
    "Organic_adv",
    *(name for group in _SNIPPET_CLASSES for name in group),
)
"""Pieces one of which the class of every element a block's fields are read from holds."""
_NEXT_LABELS = ("Следующая страница", "Next page")
_NORMALIZED = etree.XPath("normalize-space(.)", smart_strings=False)

YANDEX_BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("showcaptcha", "Yandex captcha (showcaptcha)"),
    ("checkcaptcha", "Yandex captcha (checkcaptcha)"),
    ("smartcaptcha", "Yandex SmartCaptcha"),
    ("smart-captcha", "Yandex SmartCaptcha"),
    ("checkboxcaptcha", "Yandex SmartCaptcha"),
    ("advancedcaptcha", "Yandex SmartCaptcha"),
    ("are you not a robot", "Yandex robot check"),
    ("вы не робот", "Yandex robot check (Вы не робот?)"),
    ("я не робот", "Yandex robot check"),
)
"""Yandex's own challenge pages, checked (like :func:`detect_block`) only when no result parsed."""

NO_RESULTS_RE = re.compile(
    r"ничего не нашлось|ничего не найдено|no results found|nothing (was )?found"
    r"|there are no results|sorry, no results|hiçbir sonuç bulunamadı",
    re.IGNORECASE,
)
_NOTICE_XPATH = (
    "//*[contains(@class, 'misspell') or contains(@class, 'EmptySearchResults')"
    " or contains(@class, 'NotFound') or contains(@class, 'serp-list_empty')]"
)
_NOTICE_MARKS = ("misspell", "EmptySearchResults", "NotFound", "serp-list_empty")
"""What the class or id of every element ``_NOTICE_XPATH`` selects holds one of."""


class YandexPage(PageParser):
    """A Yandex web results page."""

    name = "yandex"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        return engine_extraction(
            self,
            page,
            own_pages_apart(_cards(page), lambda card: _result(card, page), _engine_internal),
            _next_links(page.selector.root, page),
            engine="Yandex",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_yandex_block,
        )


@dataclass
class _Card:
    """A result block and the elements its fields are read from, each list in page order."""

    block: Any
    anchor: Any = None
    direct: bool = False
    labels: list[Any] = field(default_factory=list)
    snippets: tuple[list[Any], ...] = field(default_factory=lambda: ([], [], []))


def _yandex_block(page: Page) -> str:
    if re.search(r"/(show|check)captcha", urlsplit(page.url).path):
        return "Yandex captcha (showcaptcha)"
    title = (page.selector.xpath("//title/text()").get() or "").strip().lower()
    if title in ("ой!", "oops!"):
        return "Yandex captcha (Ой!)"
    return marker_reason(page.text, YANDEX_BLOCK_MARKERS)


def is_ad_counter(url: str) -> bool:
    """``yabs.yandex.*/count/…`` (and ``an.yandex.ru``): Yandex Direct's ad click counter."""
    host = host_of(url)
    return is_yandex_host(url) and (host.startswith("yabs.") or host.startswith("an."))


def decode_turbo(url: str) -> str:
    """``yandex.ru/turbo?text=<url>`` / ``/turbo/s/<host>/<path>`` → the site's own URL."""
    if not is_yandex_host(url):
        return url
    parts = urlsplit(url)
    if not parts.path.startswith("/turbo"):
        return url
    target = parse_qs(parts.query).get("text", [""])[0]
    if target.lower().startswith(("http://", "https://")):
        return target
    match = re.match(r"^/turbo/(?:s/)?([a-z0-9.-]+\.[a-z]{2,})(?:/s)?(/.*)?$", parts.path, re.I)
    if match and "." in match.group(1):
        return f"https://{match.group(1)}{match.group(2) or '/'}"
    return url


def _cards(page: Page) -> list[_Card]:
    """The result blocks with their badge, label and snippet elements.

    Those elements are found once for the page from its class values and handed to the
    block around them: a query per block and field cost 2 ms on a ten-result page.
    """
    blocks = _outermost(page, ("serp-item",), ("li", "div")) or _outermost(
        page, ("organic", "Organic"), None
    )
    cards = {block: _Card(block) for block in blocks}
    memo: dict[Any, Any] = {}
    for el in class_elements(page, *_CARD_PIECES):
        card = under_memo(el, cards, memo)
        if card is None:
            continue
        value = el.get("class")
        if any(piece in value for piece in _DIRECT_PIECES):
            card.direct = True
        if any(piece in value for piece in _LABEL_PIECES):
            card.labels.append(el)
        for group, names in zip(card.snippets, _SNIPPET_CLASSES, strict=True):
            if class_holds(value, *names):
                group.append(el)
    return list(cards.values())


def _outermost(page: Page, names: tuple[str, ...], tags: tuple[str, ...] | None) -> list[Any]:
    """``//*[self::li or …][class names][not(ancestor::*[class names])]`` (any tag when
    ``tags`` is None)."""
    holders = [el for el in class_elements(page, *names) if class_holds(el.get("class"), *names)]
    held = set(holders)
    return [
        el
        for el in holders
        if (tags is None or el.tag in tags) and not any(a in held for a in el.iterancestors())
    ]


def _title_anchor(block: Any) -> Any:
    """The first of ``a.organic__url`` / ``a.OrganicTitle-Link``, ``h2 a``, ``a`` holding an
    ``h2``, ``h3 a`` (each with an ``href``) in the block."""
    anchors = [a for a in block.iter("a") if a is not block and a.get("href") is not None]
    for a in anchors:
        if class_holds(a.get("class") or "", *_TITLE_CLASSES):
            return a
    for a in anchors:
        if inside_tag(a, block, "h2"):
            return a
    for a in anchors:
        if next(a.iter("h2"), None) is not None:
            return a
    return next((a for a in anchors if inside_tag(a, block, "h3")), None)


def _title_element(anchor: Any) -> Any:
    """The anchor's title text element (``.organic__url-text``, ``h2``, ``h3``), else itself."""
    for el in anchor.iter(etree.Element):
        if el is not anchor and (
            el.tag in ("h2", "h3") or class_holds(el.get("class") or "", *_TITLE_TEXT_CLASSES)
        ):
            return el
    return anchor


def _result(card: _Card, page: Page) -> SearchResult | None:
    anchor = card.anchor = _title_anchor(card.block)
    if anchor is None:
        return None
    title = element_text_without(_title_element(anchor), *_NOT_TITLE)
    url = decode_turbo(page.urljoin(anchor.get("href", "")))
    if not title or not url.lower().startswith(("http://", "https://")):
        return None
    ad = _is_ad(card, url)
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(card), ad=ad)


def _engine_internal(card: _Card, url: str) -> bool:
    """True when the block leads to Yandex's own pages (video, images, maps wizards …)."""
    anchor = card.anchor
    vertical = anchor is not None and "vertical-service" in anchor.get("class", "")
    return vertical or is_yandex_host(url)


def _is_ad(card: _Card, url: str) -> bool:
    if is_ad_counter(url):
        return True
    block = card.block
    fast = (block.get("data-fast-name") or "") + (block.get("data-fast-wzrd") or "")
    if "direct" in fast.lower() or card.direct:
        return True
    return any(
        clean_text(_NORMALIZED(label)).lower().strip("·• ") in _AD_LABELS for label in card.labels
    )


def _snippet(card: _Card) -> str:
    for group in card.snippets:
        for candidate in group:
            text = element_text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    return ""


_NEXT_CANDIDATES = etree.XPath(
    "/descendant::a[@href][contains(@class, 'pager__item_kind_next')"
    " or contains(@class, 'Pager-Item_type_next') or @rel='next'"
    + "".join(f" or @aria-label='{label}'" for label in _NEXT_LABELS)
    + "]"
)
"""The links :func:`_next_links` may keep: each of its tests implies one of these (a whole
class name holds its text), and libxml2 tests a page's few hundred links without a Python
object for each."""


def _next_links(root: Any, page: Page) -> list[Link]:
    """The pager's next links: ``a.pager__item_kind_next``, ``a.Pager-Item_type_next``, an
    ``aria-label`` "Next page", a ``rel="next"`` link inside ``.pager``, tested on the links
    ``_NEXT_CANDIDATES`` selects."""
    return _next_links_of(
        _NEXT_CANDIDATES(root) if isinstance(getattr(root, "tag", None), str) else [], page
    )


def _next_links_of(anchors: Iterable[Any], page: Page) -> list[Link]:
    """The next links among ``anchors`` (in page order)."""
    hrefs: list[str] = []
    for a in anchors:
        href = a.get("href")
        if href is None:
            continue
        value = a.get("class") or ""
        if (
            class_holds(value, "pager__item_kind_next")
            or "Pager-Item_type_next" in value
            or a.get("aria-label") in _NEXT_LABELS
            or (
                a.get("rel") == "next"
                and any(
                    class_holds(p.get("class") or "", "pager", "Pager") for p in a.iterancestors()
                )
            )
        ):
            hrefs.append(href)
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_yandex_host(url)]
