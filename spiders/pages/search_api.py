"""Search providers with official JSON APIs: results mapped from JSON by configuration.

The big engines' robots.txt forbid crawling their result pages, and LeadHarvest obeys it.
An official API is the honest way round: the provider sells or grants access on its own
terms. One page object serves every such API; the source's ``[api]`` table says where the
results list is and which field is which (dotted paths), e.g. Brave Search::

    [api]
    key_env = "BRAVE_SEARCH_API_KEY"      # the key comes from the environment, never config
    key_header = "X-Subscription-Token"
    results = "web.results"
    url = "url"
    title = "title"
    snippet = "description"
"""

from __future__ import annotations

import json
from typing import Any

from leadharvest.items import SearchResult
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text
from spiders.pages.serp import decode_redirect

DEFAULTS = {"results": "results", "url": "url", "title": "title", "snippet": "snippet", "ad": ""}


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path (``web.results``, ``data.0.url``); None when absent."""
    if not path:
        return None
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


class JsonSearchApiPage(PageParser):
    """Results of a JSON search API, mapped by the source's ``[api]`` table."""

    name = "json_api"
    method = "search_engine"

    def parse(self, page: Page) -> PageExtraction:
        mapping = {**DEFAULTS, **dict(self.config.get("api", {}))}
        try:
            data = json.loads(page.text)
        except json.JSONDecodeError:
            if page.http_status in (401, 403, 429):
                return self.result(
                    "blocked", reason=f"API refused the request (HTTP {page.http_status})"
                )
            return self.result("blocked", reason="the API did not answer with JSON")
        error = dig(data, str(mapping.get("error", ""))) if mapping.get("error") else None
        if error:
            return self.result("blocked", reason=f"API error: {clean_text(str(error))[:120]}")
        items = dig(data, str(mapping["results"]))
        if not isinstance(items, list) or not items:
            return self.result("no_results", reason="the API returned no results")
        results: list[SearchResult] = []
        links: list[Link] = []
        for item in items:
            url = dig(item, str(mapping["url"]))
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                continue
            url = decode_redirect(url)
            title = clean_text(str(dig(item, str(mapping["title"])) or ""))
            snippet = clean_text(str(dig(item, str(mapping["snippet"])) or ""))
            ad = bool(dig(item, str(mapping["ad"]))) if mapping.get("ad") else False
            results.append(
                SearchResult(rank=len(results) + 1, url=url, title=title, snippet=snippet, ad=ad)
            )
            if not ad:
                links.append(Link(url, "result", title))
        if not results:
            return self.result("no_results", reason="no result with a web address")
        return self.result("ok", search_results=results, links=links)
