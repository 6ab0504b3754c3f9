"""The job's one-screen summary: leads per grade, method and source; pages by outcome.

The same counts feed the terminal summary and the sheet's ``Summary`` tab, which is the
course exercise's "table of the electronic methods used and the customer data each found".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from leadharvest.items import Lead, PageRecord

PAGE_OUTCOMES = ("ok", "no_results", "blocked", "missing", "robots", "error")


@dataclass
class Summary:
    """Counts for one job."""

    grades: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    total: int = 0

    @property
    def pages_fetched(self) -> int:
        return sum(
            n for status, n in self.pages.items() if status not in {"missing", "robots", "error"}
        )


def summarize(leads: list[Lead], pages: list[PageRecord]) -> Summary:
    """Count leads (a lead counts once per method and per source that found it) and pages."""
    summary = Summary(total=len(leads))
    for lead in leads:
        summary.grades[lead.grade or "-"] += 1
        for method in lead.methods:
            summary.methods[method] += 1
        for source in lead.sources:
            summary.sources[source] += 1
    for page in pages:
        summary.pages[page.status] += 1
    return summary
