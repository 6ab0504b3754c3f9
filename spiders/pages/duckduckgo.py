"""DuckDuckGo's script-free results pages: the html endpoint and the lite endpoint.

* ``html.duckduckgo.com/html/``: one ``div.result`` per hit (``a.result__a`` title,
  ``.result__snippet``); ads carry ``result--ad``.
* ``lite.duckduckgo.com/lite/``: a table, one ``a.result-link`` row followed by a
  ``td.result-snippet`` row; ad rows carry ``tr.result-sponsored``.

Both wrap every link (``//duckduckgo.com/l/?uddg=…``; ads ``duckduckgo.com/y.js?…&u3=…``),
which :func:`spiders.pages.serp.decode_redirect` peels off. Both page with a POST form; the
next page becomes a GET ``Link(kind="next")`` carrying the same fields
(:func:`spiders.pages.serp.form_get_url`).

Ranks: organic results 1..n and ads 1..m, separately, in page order (this page only; the
spider adds the offset of later pages if it wants an overall position).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, detect_block
from spiders.pages.serp import (
    DDG_BING_HOSTS,
    decode_redirect,
    form_get_url,
    has_class,
    is_wrapper,
    on_hosts,
    own_inputs,
    rank_results,
    result_links,
    text_without,
)

_NO_RESULTS_RE = re.compile(r"\bno\s+(?:more\s+)?results\b", re.IGNORECASE)
_NEXT_RE = re.compile(r"\bnext\b", re.IGNORECASE)


class DuckDuckGoPage(PageParser):
    """Results page of DuckDuckGo's html or lite endpoint."""

    name = "duckduckgo"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        sel = page.selector
        if _is_anomaly_page(sel):
            return self.result("blocked", reason="DuckDuckGo anomaly captcha")
        results = rank_results([*_html_results(sel, page), *_lite_results(sel, page)])
        links = [*result_links(results), *_next_links(sel, page)]
        if results:
            return self.result("ok", search_results=results, links=links)
        # Only a page without results is checked for block markers: a results page for the
        # query "captcha" has the word in its title and is still a results page.
        blocked = detect_block(page)
        if not blocked and page.http_status == 202:
            # DuckDuckGo answers 202 with an empty page when it throttles a client.
            blocked = "HTTP 202 (DuckDuckGo throttling)"
        if blocked:
            return self.result("blocked", reason=blocked)
        if sel.xpath(f"//*[{has_class('no-results')} or {has_class('result--no-result')}]") or (
            _NO_RESULTS_RE.search(page.visible_text)
        ):
            return self.result("no_results", reason="DuckDuckGo: No results.", links=links)
        return self.result("no_results", reason="no DuckDuckGo result blocks on the page")


def _is_anomaly_page(sel: Selector) -> bool:
    """The "bots use DuckDuckGo too" image challenge (served instead of results, HTTP 200)."""
    return bool(
        sel.xpath(
            "//*[@data-testid='anomaly-modal'] | //form[contains(@action, '/anomaly.js')]"
            f" | //*[{has_class('anomaly-modal__modal')}]"
        )
    )


def _html_results(sel: Selector, page: Page) -> list[SearchResult]:
    """``div.result`` blocks of the html endpoint (``result--ad`` = ad)."""
    found: list[SearchResult] = []
    blocks = sel.xpath(
        f"//div[{has_class('result')} and not({has_class('result--no-result')})]"
        f"[.//a[{has_class('result__a')}]]"
    )
    for block in blocks:
        anchor = block.xpath(f".//a[{has_class('result__a')}]")[0]
        target = _target(anchor, page)
        if target is None:
            continue
        url, title = target
        snippet_sel = block.xpath(f".//*[{has_class('result__snippet')}]")
        found.append(
            SearchResult(
                rank=0,
                url=url,
                title=title,
                snippet=text_without(snippet_sel[0]) if snippet_sel else "",
                ad=bool(block.xpath(f"self::*[{has_class('result--ad')}]")),
            )
        )
    return found


def _lite_results(sel: Selector, page: Page) -> list[SearchResult]:
    """``a.result-link`` rows of the lite endpoint (``tr.result-sponsored`` = ad).

    A snippet belongs to the nearest result link before it. Sponsored rows carry a second
    ``result-link`` ("more info", to DuckDuckGo's help pages); it is neither a result nor
    the owner of the ad's snippet.
    """
    # Keyed by the lxml element itself: a live element keeps its proxy, so identity holds.
    found: dict[Any, SearchResult] = {}
    for anchor in sel.xpath(f"//a[{has_class('result-link')}]"):
        target = _target(anchor, page)
        if target is None:
            continue
        url, title = target
        row = anchor.xpath("ancestor::tr[1]")
        ad = bool(row and row[0].xpath(f"self::*[{has_class('result-sponsored')}]"))
        found[anchor.root] = SearchResult(rank=0, url=url, title=title, ad=ad)
    for cell in sel.xpath(f"//*[{has_class('result-snippet')}]"):
        for owner in reversed(cell.xpath(f"preceding::a[{has_class('result-link')}]")):
            result = found.get(owner.root)
            if result is not None:
                if not result.snippet:
                    result.snippet = text_without(cell)
                break
    return list(found.values())


def _target(anchor: Selector, page: Page) -> tuple[str, str] | None:
    """A result link's decoded URL and title; None for a link without either and for one to
    DuckDuckGo's own pages. Both endpoints (html and lite) read their result links so."""
    href = anchor.attrib.get("href", "")
    title = text_without(anchor)
    if not href or not title:
        return None
    url = decode_redirect(page.urljoin(href))
    if _own_page(url):
        return None
    return url, title


def _next_links(sel: Selector, page: Page) -> list[Link]:
    """The "Next" / "Next Page >" POST forms as GET links (and a live ``a[rel=next]``)."""
    urls: list[str] = []
    for form in sel.xpath("//form[.//input[@name='s']]"):
        inputs = own_inputs(form, named_only=False)
        if not any(field.attrib.get("name") == "s" for field in inputs):
            continue
        labels = [
            field.attrib.get("value", "")
            for field in inputs
            if field.attrib.get("type", "").lower() == "submit"
        ]
        is_next = any(_NEXT_RE.search(label) for label in labels) or form.xpath(
            f"self::*[{has_class('next_form')}]"
        )
        if is_next:
            urls.append(form_get_url(form, page.base_url))
    for href in sel.xpath("//a[@rel='next']/@href").getall():
        urls.append(page.urljoin(href))
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls)]


def _own_page(url: str) -> bool:
    """A link to DuckDuckGo's (or Bing's, which serves its ads) own pages that is not a
    wrapper around a result: "more info" beside an ad, help pages. Another engine's page
    found for the query (Google Fiber's speed test) is a result."""
    return on_hosts(url, DDG_BING_HOSTS) and not is_wrapper(url)
