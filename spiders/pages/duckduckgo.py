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
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from leadharvest.items import SearchResult
from spiders.pages.base import (
    Link,
    Page,
    PageExtraction,
    PageParser,
    detect_block,
)
from spiders.pages.serp import (
    DDG_BING_HOSTS,
    class_holds,
    decode_redirect,
    element_text_without,
    form_get_url,
    is_wrapper,
    on_hosts,
    own_inputs,
    rank_results,
    result_links,
)

_NO_RESULTS_RE = re.compile(r"\bno\s+(?:more\s+)?results\b", re.IGNORECASE)
_NEXT_RE = re.compile(r"\bnext\b", re.IGNORECASE)


class DuckDuckGoPage(PageParser):
    """Results page of DuckDuckGo's html or lite endpoint."""

    name = "duckduckgo"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        survey = _survey(page.selector.root)
        if survey.anomaly:
            return self.result("blocked", reason="DuckDuckGo anomaly captcha")
        results = rank_results([*_html_results(survey, page), *_lite_results(survey, page)])
        links = [*result_links(results), *_next_links(survey, page)]
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
        if survey.no_results or _NO_RESULTS_RE.search(page.visible_text):
            return self.result("no_results", reason="DuckDuckGo: No results.", links=links)
        return self.result("no_results", reason="no DuckDuckGo result blocks on the page")


@dataclass
class _Survey:
    """What the page's queries selected, from one walk of its elements (in page order)."""

    anomaly: bool = False
    """The "bots use DuckDuckGo too" image challenge (served instead of results, HTTP 200):
    ``[data-testid=anomaly-modal]``, a form posting to ``/anomaly.js``, or
    ``.anomaly-modal__modal``."""
    no_results: bool = False
    """``.no-results`` / ``.result--no-result``."""
    blocks: list[Any] = field(default_factory=list)
    """``div.result`` (not ``result--no-result``) of the html endpoint."""
    titles: list[Any] = field(default_factory=list)
    """``a.result__a``."""
    snippets: list[Any] = field(default_factory=list)
    """``.result__snippet``."""
    links: list[Any] = field(default_factory=list)
    """``a.result-link`` of the lite endpoint."""
    cells: list[tuple[Any, int]] = field(default_factory=list)
    """``.result-snippet``, each with how many result links come before it."""
    forms: list[Any] = field(default_factory=list)
    next_hrefs: list[str] = field(default_factory=list)
    """``a[rel=next]/@href``."""


def _survey(root: Any) -> _Survey:
    survey = _Survey()
    if not isinstance(getattr(root, "tag", None), str):
        return survey
    for el in root.iter(etree.Element):
        tag = el.tag
        if el.get("data-testid") == "anomaly-modal":
            survey.anomaly = True
        if tag == "form":
            survey.forms.append(el)
            if "/anomaly.js" in (el.get("action") or ""):
                survey.anomaly = True
        elif tag == "a" and el.get("rel") == "next" and (href := el.get("href")) is not None:
            survey.next_hrefs.append(href)
        value = el.get("class")
        if not value:
            continue
        if "anomaly-modal__modal" in value and class_holds(value, "anomaly-modal__modal"):
            survey.anomaly = True
        if "result" not in value:  # every other class looked for holds it
            continue
        if class_holds(value, "no-results", "result--no-result"):
            survey.no_results = True
        if (
            tag == "div"
            and class_holds(value, "result")
            and not class_holds(value, "result--no-result")
        ):
            survey.blocks.append(el)
        if tag == "a" and class_holds(value, "result__a"):
            survey.titles.append(el)
        if class_holds(value, "result__snippet"):
            survey.snippets.append(el)
        if class_holds(value, "result-snippet"):  # counted before the element itself is one
            survey.cells.append((el, len(survey.links)))
        if tag == "a" and class_holds(value, "result-link"):
            survey.links.append(el)
    return survey


def _firsts(elements: list[Any], owners: list[Any]) -> dict[Any, Any]:
    """Each owner's first descendant among ``elements`` (both in page order)."""
    wanted = set(owners)
    first: dict[Any, Any] = {}
    for el in elements:
        for parent in el.iterancestors():
            if parent in wanted and parent not in first:
                first[parent] = el
    return first


def _html_results(survey: _Survey, page: Page) -> list[SearchResult]:
    """``div.result`` blocks of the html endpoint (``result--ad`` = ad)."""
    found: list[SearchResult] = []
    anchors = _firsts(survey.titles, survey.blocks)
    snippets = _firsts(survey.snippets, survey.blocks)
    for block in survey.blocks:
        anchor = anchors.get(block)
        if anchor is None:
            continue
        target = _target(anchor, page)
        if target is None:
            continue
        url, title = target
        snippet = snippets.get(block)
        found.append(
            SearchResult(
                rank=0,
                url=url,
                title=title,
                snippet="" if snippet is None else element_text_without(snippet),
                ad=class_holds(block.get("class"), "result--ad"),
            )
        )
    return found


def _lite_results(survey: _Survey, page: Page) -> list[SearchResult]:
    """``a.result-link`` rows of the lite endpoint (``tr.result-sponsored`` = ad).

    A snippet belongs to the nearest result link before it. Sponsored rows carry a second
    ``result-link`` ("more info", to DuckDuckGo's help pages); it is neither a result nor
    the owner of the ad's snippet.
    """
    # Keyed by the lxml element itself: a live element keeps its proxy, so identity holds.
    found: dict[Any, SearchResult] = {}
    for anchor in survey.links:
        target = _target(anchor, page)
        if target is None:
            continue
        url, title = target
        row = next(anchor.iterancestors("tr"), None)
        ad = row is not None and class_holds(row.get("class") or "", "result-sponsored")
        found[anchor] = SearchResult(rank=0, url=url, title=title, ad=ad)
    for cell, before in survey.cells:
        around = set(cell.iterancestors())  # preceding::a leaves out the cell's ancestors
        for owner in reversed(survey.links[:before]):
            if owner in around:
                continue
            result = found.get(owner)
            if result is not None:
                if not result.snippet:
                    result.snippet = element_text_without(cell)
                break
    return list(found.values())


def _target(anchor: Any, page: Page) -> tuple[str, str] | None:
    """A result link's decoded URL and title; None for a link without either and for one to
    DuckDuckGo's own pages. Both endpoints (html and lite) read their result links so."""
    href = anchor.get("href", "")
    title = element_text_without(anchor)
    if not href or not title:
        return None
    url = decode_redirect(page.urljoin(href))
    if _own_page(url):
        return None
    return url, title


def _next_links(survey: _Survey, page: Page) -> list[Link]:
    """The "Next" / "Next Page >" POST forms as GET links (and a live ``a[rel=next]``)."""
    urls: list[str] = []
    for form in survey.forms:
        if not any(field.get("name") == "s" for field in form.iter("input")):
            continue
        inputs = own_inputs(form, named_only=False)
        if not any(field.get("name") == "s" for field in inputs):
            continue
        labels = [
            field.get("value", "") for field in inputs if field.get("type", "").lower() == "submit"
        ]
        is_next = any(_NEXT_RE.search(label) for label in labels) or class_holds(
            form.get("class") or "", "next_form"
        )
        if is_next:
            urls.append(form_get_url(form, page.base_url))
    for href in survey.next_hrefs:
        urls.append(page.urljoin(href))
    return [Link(url=url, kind="next") for url in dict.fromkeys(urls)]


def _own_page(url: str) -> bool:
    """A link to DuckDuckGo's (or Bing's, which serves its ads) own pages that is not a
    wrapper around a result: "more info" beside an ad, help pages. Another engine's page
    found for the query (Google Fiber's speed test) is a result."""
    return on_hosts(url, DDG_BING_HOSTS) and not is_wrapper(url)
