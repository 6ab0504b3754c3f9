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
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, marker_reason
from spiders.pages.serp import (
    engine_extraction,
    has_class,
    host_of,
    is_yandex_host,
    own_pages_apart,
    text_without,
)

__all__ = ["YandexPage", "decode_turbo", "is_ad_counter", "is_yandex_host"]

_AD_LABELS = {"ad", "ads", "реклама", "промо", "advertising", "sponsored", "reklam", "жарнама"}
_TITLE_XPATHS = (
    f".//a[@href][{has_class('organic__url')} or {has_class('OrganicTitle-Link')}]",
    ".//h2//a[@href]",
    ".//a[@href][.//h2]",
    ".//h3//a[@href]",
)
_TITLE_TEXT_XPATH = (
    f".//*[{has_class('organic__url-text')} or {has_class('OrganicTitle-LinkText')}"
    " or self::h2 or self::h3]"
)
_NOT_TITLE = ("a11y-hidden", "favicon", "Favicon", "OrganicTitle-Favicon", "organic__favicon")
_SNIPPET_XPATHS = (
    f".//*[{has_class('organic__text')} or {has_class('OrganicText')}"
    f" or {has_class('OrganicTextContentSpan')}]",
    f".//*[{has_class('text-container')} or {has_class('TextContainer')}]",
    f".//*[{has_class('extended-text__short')} or {has_class('organic__content-wrapper')}"
    f" or {has_class('Organic-ContentWrapper')}]",
)
_NOT_SNIPPET = ("extended-text__toggle", "ExtendedText-Toggle", "a11y-hidden", "serp-meta")

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
        sel = page.selector
        return engine_extraction(
            self,
            page,
            own_pages_apart(_blocks(sel), lambda block: _result(block, page), _engine_internal),
            _next_links(sel, page),
            engine="Yandex",
            notice_xpath=_NOTICE_XPATH,
            notice_marks=_NOTICE_MARKS,
            no_results=NO_RESULTS_RE,
            blocked=_yandex_block,
        )


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


def _blocks(sel: Selector) -> list[Selector]:
    item = has_class("serp-item")
    items = sel.xpath(f"//*[self::li or self::div][{item}][not(ancestor::*[{item}])]")
    if items:
        return items
    organic = f"{has_class('organic')} or {has_class('Organic')}"
    return sel.xpath(f"//*[{organic}][not(ancestor::*[{organic}])]")


def _title_anchor(block: Selector) -> Selector | None:
    for xpath in _TITLE_XPATHS:
        anchors = block.xpath(xpath)
        if anchors:
            return anchors[0]
    return None


def _result(block: Selector, page: Page) -> SearchResult | None:
    anchor = _title_anchor(block)
    if anchor is None:
        return None
    inner = anchor.xpath(_TITLE_TEXT_XPATH)
    title = text_without(inner[0] if inner else anchor, *_NOT_TITLE)
    url = decode_turbo(page.urljoin(anchor.attrib.get("href", "")))
    if not title or not url.lower().startswith(("http://", "https://")):
        return None
    ad = _is_ad(block, url)
    return SearchResult(rank=0, url=url, title=title, snippet=_snippet(block), ad=ad)


def _engine_internal(block: Selector, url: str) -> bool:
    """True when the block leads to Yandex's own pages (video, images, maps wizards …)."""
    anchor = _title_anchor(block)
    vertical = anchor is not None and "vertical-service" in anchor.attrib.get("class", "")
    return vertical or is_yandex_host(url)


def _is_ad(block: Selector, url: str) -> bool:
    if is_ad_counter(url):
        return True
    fast = (block.attrib.get("data-fast-name") or "") + (block.attrib.get("data-fast-wzrd") or "")
    if "direct" in fast.lower():
        return True
    if block.xpath(
        ".//*[contains(@class, 'label_theme_direct') or contains(@class, 'Organic_adv')]"
    ):
        return True
    for label in block.xpath(".//*[contains(@class, 'label') or contains(@class, 'Label')]"):
        if clean_text(label.xpath("normalize-space(.)").get()).lower().strip("·• ") in _AD_LABELS:
            return True
    return False


def _snippet(block: Selector) -> str:
    for xpath in _SNIPPET_XPATHS:
        for candidate in block.xpath(xpath):
            text = text_without(candidate, *_NOT_SNIPPET)
            if text:
                return text
    return ""


def _next_links(sel: Selector, page: Page) -> list[Link]:
    hrefs = sel.xpath(
        f"//a[{has_class('pager__item_kind_next')}]/@href"
        " | //a[contains(@class, 'Pager-Item_type_next')]/@href"
        " | //a[@aria-label='Следующая страница' or @aria-label='Next page']/@href"
        f" | //*[{has_class('pager')} or {has_class('Pager')}]//a[@rel='next']/@href"
    ).getall()
    urls = [page.urljoin(h) for h in hrefs if h.strip() and not h.startswith("javascript:")]
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls) if is_yandex_host(url)]
