"""The job's health report: per source, what was asked, what came back, and why not.

A trainee must be able to tell "this site blocked us" from "nothing matched": every page
record carries its outcome and, for blocks and errors, the reason (captcha, HTTP 403,
disallowed by robots.txt, not in the replay archive, an API key not set). The same rows feed
the terminal summary and the sheet's ``About`` tab.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from leadharvest.items import Lead, PageRecord

PAGE_OUTCOMES = ("ok", "no_results", "blocked", "robots", "missing", "error", "not_configured")
ANSWERED = {"ok", "no_results", "blocked"}
"""Outcomes for which the site (or archive) sent a page back."""


@dataclass
class SourceHealth:
    """One source's line in the health report."""

    source: str
    method: str = ""
    requests: int = 0
    responses: int = 0
    ok: int = 0
    empty: int = 0
    blocked: int = 0
    robots: int = 0
    missing: int = 0
    errors: int = 0
    not_configured: int = 0
    leads: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def reason_text(self, limit: int = 3) -> str:
        """The commonest reasons, e.g. ``captcha ×2; HTTP 403``."""
        return "; ".join(
            f"{reason} ×{n}" if n > 1 else reason for reason, n in self.reasons.most_common(limit)
        )


@dataclass
class Summary:
    """Counts for one job."""

    grades: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    total: int = 0
    health: list[SourceHealth] = field(default_factory=list)

    @property
    def pages_fetched(self) -> int:
        return sum(n for status, n in self.pages.items() if status in ANSWERED)


def source_health(pages: list[PageRecord], leads: list[Lead]) -> list[SourceHealth]:
    """Per-source health rows, in the order sources first appear."""
    rows: dict[str, SourceHealth] = {}
    for page in pages:
        row = rows.setdefault(page.source, SourceHealth(page.source, page.method))
        if page.status == "not_configured":
            row.not_configured += 1
            row.reasons[page.reason] += 1
            continue
        row.requests += 1
        if page.status in ANSWERED:
            row.responses += 1
        attr = {"no_results": "empty", "error": "errors"}.get(page.status, page.status)
        if hasattr(row, attr):
            setattr(row, attr, getattr(row, attr) + 1)
        if page.status in {"blocked", "robots", "missing", "error", "no_results"} and page.reason:
            row.reasons[page.reason] += 1
    for lead in leads:
        for name in lead.sources:
            rows.setdefault(name, SourceHealth(name)).leads += 1
    return list(rows.values())


def summarize(leads: list[Lead], pages: list[PageRecord]) -> Summary:
    """Count leads (a lead counts once per method and per source that found it) and pages."""
    summary = Summary(total=len(leads), health=source_health(pages, leads))
    for lead in leads:
        summary.grades[lead.grade or "-"] += 1
        for method in lead.methods:
            summary.methods[method] += 1
        for source in lead.sources:
            summary.sources[source] += 1
    for page in pages:
        summary.pages[page.status] += 1
    return summary
