"""Which start URLs a job requests from which source.

Kept apart from the runner because the practice web's builder must produce exactly the URLs
a demo job will ask for, and a classroom archive must too.

Rules (DESIGN "Query language"):
- search engines get every product keyword expanded through the query templates (buyer-intent
  queries, in the product's language), each translated to the engine's own syntax; with no
  product keyword they get the Boolean query itself, translated;
- directories and industry sites, which take plain keywords, get each product keyword whose
  language matches the site's (all of them when none matches), or the query's positive terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadharvest.query import Query, parse_query
from leadharvest.templates import expand_product
from spiders.pages import Source

_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def is_cjk(text: str) -> bool:
    """True when the text contains Chinese characters (picks zh templates and zh sites)."""
    return bool(_CJK_RE.search(text))


@dataclass(frozen=True)
class StartRequest:
    """One URL a job starts from, with the source and the query that produced it."""

    url: str
    source: str
    query: str


def plan_start_requests(
    query: Query | str, products: list[str], sources: list[Source]
) -> list[StartRequest]:
    """The start URLs of a job, in a stable order, without duplicates."""
    q = parse_query(query) if isinstance(query, str) else query
    planned: list[StartRequest] = []
    seen: set[str] = set()

    def add(src: Source, text: str) -> None:
        for url in src.search_urls(text):
            if url not in seen:
                seen.add(url)
                planned.append(StartRequest(url=url, source=src.name, query=text))

    for src in sources:
        if not src.search_url:
            continue
        if src.method == "search_engine":
            if products:
                for product in products:
                    langs = ("zh",) if is_cjk(product) else ("en",)
                    for expanded in expand_product(product, languages=langs):
                        add(src, parse_query(expanded).to_engine(src.query_syntax))
            else:
                add(src, q.to_engine(src.query_syntax))
        else:
            keywords = products or [" ".join(q.positive_terms())]
            if src.language in {"zh", "en"}:
                wanted = [k for k in keywords if is_cjk(k) == (src.language == "zh")]
                keywords = wanted or keywords
            for keyword in keywords:
                add(src, keyword)
    return planned
