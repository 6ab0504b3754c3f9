"""Page objects: extraction apart from crawling (the web-poet habit).

A page object turns one decoded page into a :class:`PageExtraction`: its status, the search
results or leads it shows, and the links worth following (detail pages, company websites,
contact pages, the next results page). It never fetches anything, so the same code runs in
the spiders, in ``leadharvest extract`` and in the tests on saved pages.

Page objects fill only raw values (``Phone.raw`` + its label, ``Email.raw``, ``address_raw``);
enrichment parses them later. :func:`spiders.pages.extract_page` adds the evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from leadharvest.items import Lead, PageStatus, SearchResult
from spiders.encoding import decode_html


@dataclass
class Page:
    """A decoded page and the URL it was fetched from."""

    url: str
    text: str
    http_status: int = 200
    encoding: str = "utf-8"

    @classmethod
    def from_bytes(
        cls, url: str, body: bytes, content_type: str | None = None, http_status: int = 200
    ) -> Page:
        text, codec = decode_html(body, content_type)
        return cls(url=url, text=text, http_status=http_status, encoding=codec)

    @cached_property
    def selector(self) -> Selector:
        return Selector(text=self.text or "<html></html>", base_url=self.url)

    def urljoin(self, href: str) -> str:
        return urljoin(self.base_url, href.strip())

    @cached_property
    def base_url(self) -> str:
        base = self.selector.xpath("//base/@href").get()
        return urljoin(self.url, base.strip()) if base else self.url

    @cached_property
    def visible_text(self) -> str:
        """Text a person would read: scripts, styles and templates removed, whitespace tidied."""
        # compiled lxml XPath returning plain strings: parsel would wrap every text node
        root = self.selector.root
        parts = [str(t) for t in _VISIBLE_TEXT(root)]
        if not parts:
            parts = [str(t) for t in _ANY_TEXT(root)]
        return clean_text("\n".join(parts), keep_newlines=True)


_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script) and not(ancestor::style)"
    " and not(ancestor::noscript) and not(ancestor::template)]"
)
_ANY_TEXT = etree.XPath("//text()[not(ancestor::script)]")
_TITLE_TEXT = etree.XPath("string(//title)")


@dataclass
class Link:
    """A link a spider may follow, with what it leads to."""

    url: str
    kind: str
    """detail (a listing's own page), website (the company's site), contact, next, result."""
    lead_name: str = ""
    """The business this link belongs to, when the page says."""


@dataclass
class PageExtraction:
    """Everything one page yields."""

    status: PageStatus
    source: str
    method: str
    search_results: list[SearchResult] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reason: str = ""
    """Why the page is blocked / empty, in a few words (shown in the health report)."""


class PageParser:
    """Base of every page object. Subclasses set the class attributes and implement ``parse``.

    ``name`` and ``method`` are overwritten by the source catalogue entry that uses the parser,
    so one parser class can serve several hosts (a site's mirrors, the practice web).
    """

    name: ClassVar[str] = "generic"
    method: ClassVar[str] = "company_website"

    def __init__(
        self,
        name: str | None = None,
        method: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.source_name = name or self.name
        self.source_method = method or self.method
        self.config: dict[str, Any] = dict(config or {})
        """The source's extra TOML keys (e.g. an API's field mapping), for data-driven parsers."""

    def parse(self, page: Page) -> PageExtraction:
        raise NotImplementedError

    def result(self, status: PageStatus = "ok", **kwargs: object) -> PageExtraction:
        """A PageExtraction already labelled with this parser's source and method."""
        return PageExtraction(
            status=status,
            source=self.source_name,
            method=self.source_method,
            **kwargs,  # type: ignore[arg-type]
        )


_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b]+")
_NL_RE = re.compile(r"\s*\n\s*")


def clean_text(value: str | None, *, keep_newlines: bool = False) -> str:
    """Collapse whitespace (incl. no-break and ideographic spaces) and trim."""
    if not value:
        return ""
    value = _WS_RE.sub(" ", value)
    if keep_newlines:
        return _NL_RE.sub("\n", value).strip()
    return re.sub(r"\s+", " ", value).strip()


BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("unusual traffic", "unusual-traffic page"),
    ("are you a robot", "robot check"),
    ("are you a human", "robot check"),
    ("not a robot", "robot check"),
    ("bots use duckduckgo too", "DuckDuckGo anomaly captcha"),
    ("anomaly-modal", "DuckDuckGo anomaly captcha"),
    ("captcha", "captcha"),
    ("cf-browser-verification", "Cloudflare challenge"),
    ("cf-challenge", "Cloudflare challenge"),
    ("challenge-platform", "Cloudflare challenge"),
    ("attention required! | cloudflare", "Cloudflare block"),
    ("sorry, you have been blocked", "Cloudflare block"),
    ("access denied", "access denied"),
    ("before you continue to google", "consent wall"),
    ("consent.google", "consent wall"),
    ("验证码", "captcha (验证码)"),
    ("安全验证", "security check (安全验证)"),
    ("访问过于频繁", "rate limited (访问过于频繁)"),
)


def detect_block(page: Page) -> str:
    """The reason a page is a block / challenge page, or "" when it looks like content.

    Only short pages or pages whose title says so count: a results page that merely mentions
    "captcha" in a result snippet is not blocked.
    """
    title = str(_TITLE_TEXT(page.selector.root)).lower()
    lowered = page.text.lower()
    short = len(page.visible_text) < 3000
    for marker, reason in BLOCK_MARKERS:
        if marker in title:
            return reason
        if short and marker in lowered:
            return reason
    if page.http_status in (403, 429, 503) and short:
        return f"HTTP {page.http_status}"
    return ""


def marker_reason(text: str, markers: Iterable[tuple[str, str]]) -> str:
    """The reason paired with the first marker found in ``text``, or "".

    ``text`` is lower-cased before the search, so markers are written in lower case.

    A site's own challenge pages (Baidu's 百度安全验证, Yandex's SmartCaptcha, Alibaba's
    baxia slider, gsxt's GeeTest) are known by words in their markup that the generic
    :func:`detect_block` does not know; a page object checks them only when no result parsed,
    so a snippet quoting such words never blocks a results page.
    """
    lowered = text.lower()
    return next((reason for marker, reason in markers if marker in lowered), "")


def embedded_json(text: str, marker: str) -> Any:
    """The JSON value that follows ``marker`` in a page's scripts, or None.

    Sites render their listings from a state object (``window.__INITIAL_STATE__ = {...}``,
    ``"listOffer":[...]``) that is richer than the HTML; ``raw_decode`` reads exactly one value
    and ignores whatever script follows it, so no brittle end-of-object regex is needed.
    """
    start = text.find(marker)
    while start != -1:
        pos = start + len(marker)
        while pos < len(text) and text[pos] in " \t\r\n=:":
            pos += 1
        try:
            value, _ = json.JSONDecoder().raw_decode(text, pos)
        except ValueError:
            start = text.find(marker, pos)
            continue
        return value
    return None
