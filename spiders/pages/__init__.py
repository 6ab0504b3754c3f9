"""The source catalogue and the page-object registry.

Sources are data (``config/sources/<name>.toml``): a name, a collection method, the hosts it
serves, the page object that parses it, and how to build a search URL. A URL's host picks
the source (longest host suffix wins); an unknown host goes to the generic extractor.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote_plus

from leadharvest.items import Evidence, Lead, utcnow
from leadharvest.settings import ConfigError, config_dir, load_toml
from spiders.pages.base import Page, PageExtraction, PageParser, url_host

GENERIC_PARSER = "spiders.pages.generic:GenericPage"


@dataclass(frozen=True)
class Source:
    """One catalogue entry."""

    name: str
    title: str
    method: str
    parser: str
    hosts: tuple[str, ...] = ()
    search_url: str = ""
    """Template with ``{query}`` (URL-quoted) for sources that take a query."""
    query_syntax: str = "plain"
    """Which engine dialect :mod:`leadharvest.query` translates to (plain = positive terms)."""
    language: str = "en"
    region: str = ""
    practice: bool = False
    supports: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def parser_instance(self) -> PageParser:
        cls = _import(self.parser)
        return cls(name=self.name, method=self.method, config=self.extra)  # type: ignore[no-any-return]

    def search_urls(self, query: str) -> list[str]:
        """The URL(s) a search for ``query`` fetches; none while the source is not configured."""
        if not self.search_url or self.missing_settings():
            return []
        return [expand_env(self.search_url).format(query=quote_plus(query))]

    @property
    def api(self) -> dict[str, Any]:
        """The ``[api]`` table of an official search API source ({} for crawled sites)."""
        table = self.extra.get("api")
        return dict(table) if isinstance(table, dict) else {}

    def missing_settings(self) -> list[str]:
        """Environment variables this source needs that are not set (an API key, an endpoint)."""
        needed = [m.group(1) for m in _ENV_RE.finditer(self.search_url) if m.group(2) is None]
        if self.api.get("key_env"):
            needed.append(str(self.api["key_env"]))
        return [name for name in needed if not os.environ.get(name)]

    def request_headers(self) -> dict[str, str]:
        """Headers a request to this source carries (an API's key header, from the environment)."""
        api = self.api
        headers = {str(k): str(v) for k, v in dict(api.get("headers", {})).items()}
        if api.get("key_env") and api.get("key_header"):
            headers[str(api["key_header"])] = os.environ.get(str(api["key_env"]), "")
        return headers


_ENV_RE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}")


def expand_env(template: str) -> str:
    """Expand ``${NAME}`` / ``${NAME:-default}``: keys and endpoints stay out of config."""
    return _ENV_RE.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), template)


def _import(path: str) -> Any:
    module, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"parser {path!r} cannot be imported: {exc}") from exc


@cache
def catalogue() -> dict[str, Source]:
    """Every configured source by name, validated."""
    sources: dict[str, Source] = {}
    folder = config_dir() / "sources"
    for path in sorted(folder.glob("*.toml")):
        data = dict(load_toml(f"sources/{path.name}"))
        try:
            src = Source(
                name=data.pop("name"),
                title=data.pop("title", ""),
                method=data.pop("method"),
                parser=data.pop("parser"),
                hosts=tuple(data.pop("hosts", ())),
                search_url=data.pop("search_url", ""),
                query_syntax=data.pop("query_syntax", "plain"),
                language=data.pop("language", "en"),
                region=data.pop("region", ""),
                practice=bool(data.pop("practice", False)),
                supports=tuple(data.pop("supports", ())),
                extra=data,
            )
        except KeyError as exc:
            raise ConfigError(f"{path}: missing key {exc}") from exc
        if src.method not in {"search_engine", "yellow_pages", "industry_site", "company_website"}:
            raise ConfigError(f"{path}: unknown method {src.method!r}")
        if src.name in sources:
            raise ConfigError(f"{path}: duplicate source name {src.name!r}")
        sources[src.name] = src
    return sources


GENERIC = Source(
    name="company_website",
    title="Company website (generic extractor)",
    method="company_website",
    parser=GENERIC_PARSER,
)


def host_of(url: str) -> str:
    return url_host(url).rstrip(".")


def source_for_url(url: str, name: str | None = None) -> Source:
    """The source a URL belongs to: by name when given, else by longest matching host."""
    if name:
        if name in {GENERIC.name, "generic"}:
            return GENERIC
        try:
            return catalogue()[name]
        except KeyError:
            raise ConfigError(f"unknown source {name!r}; see `leadharvest sources`") from None
    host = host_of(url)
    best: Source | None = None
    best_len = -1
    for src in catalogue().values():
        for h in src.hosts:
            if (host == h or host.endswith("." + h)) and len(h) > best_len:
                best, best_len = src, len(h)
    return best or GENERIC


def extract_page(page: Page, source: Source | None = None, *, query: str = "") -> PageExtraction:
    """Run a source's page object on a page and stamp every value with where it came from.

    Every lead of the page is stamped with one clock reading: a listing yields a few
    hundred leads, and reading the clock for each cost about 1 us a lead.
    """
    src = source or source_for_url(page.url)
    result = src.parser_instance().parse(page)
    if result.leads:
        fetched_at = utcnow()
        source_name, method, url = result.source, result.method, page.url
        for lead in result.leads:
            stamp_evidence(
                lead, source=source_name, method=method, url=url, query=query, fetched_at=fetched_at
            )
    return result


def stamp_evidence(
    lead: Lead,
    *,
    source: str,
    method: str,
    url: str,
    query: str = "",
    fetched_at: datetime | None = None,
) -> None:
    """Record that ``url`` supplied this lead's values (per value and per page).

    ``fetched_at`` defaults to now (:func:`utcnow`); a caller stamping many leads of one
    page reads the clock once and passes it.
    """
    fields: list[str] = []
    if lead.name:
        fields.append("name")
    phones = lead.phones
    if phones:
        fields.append("phones")
    emails = lead.emails
    if emails:
        fields.append("emails")
    if lead.website:
        fields.append("website")
    if lead.address_raw:
        fields.append("address")
    people = lead.people
    if people:
        fields.append("people")
    if lead.products:
        fields.append("products")
    if lead.registration_id:
        fields.append("registration_id")
    for value in phones:
        if url not in value.sources:
            value.sources.append(url)
    for email in emails:
        if url not in email.sources:
            email.sources.append(url)
    for person in people:
        for value in person.phones:
            if url not in value.sources:
                value.sources.append(url)
        for email in person.emails:
            if url not in email.sources:
                email.sources.append(url)
    lead.evidence.append(
        Evidence(
            source=source,
            method=method,
            url=url,
            fetched_at=utcnow() if fetched_at is None else fetched_at,
            query=query,
            fields=fields,
        )
    )
