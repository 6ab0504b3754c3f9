"""The leads table's filters, sort and search, as plain functions over leads.

The same :class:`LeadFilter` picks the rows the table shows and the rows a download
writes, so "download the current filter" means exactly what is on the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import urlencode, urlsplit

from exports.columns import GRADE_ORDER, all_emails, all_phones
from leadharvest.items import BUSINESS_TYPES, METHODS, VERIFICATION, Lead

SORTS = ("grade", "score", "name", "first_seen", "verification")
GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class LeadFilter:
    """What the trainee asked the table to show; every field comes from the query string."""

    grade: str = ""
    method: str = ""
    btype: str = ""
    verification: str = ""
    new: bool = False
    q: str = ""
    sort: str = "grade"
    order: str = "asc"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> LeadFilter:
        """Unknown values are ignored rather than refused: a stale bookmark still opens."""

        def pick(name: str, allowed: tuple[str, ...], default: str = "") -> str:
            value = params.get(name, "")
            return value if value in allowed else default

        return cls(
            grade=pick("grade", GRADES),
            method=pick("method", tuple(METHODS)),
            btype=pick("btype", BUSINESS_TYPES),
            verification=pick("verification", VERIFICATION),
            new=params.get("new", "") in ("1", "on", "true"),
            q=params.get("q", "").strip()[:200],
            sort=pick("sort", SORTS, "grade"),
            order=pick("order", ("asc", "desc"), "asc"),
        )

    def query_string(self, **changes: str) -> str:
        """This filter as a query string (defaults left out), with ``changes`` applied."""
        values: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            text = ("1" if value else "") if isinstance(value, bool) else str(value)
            default = {"sort": "grade", "order": "asc"}.get(f.name, "")
            if text and text != default:
                values[f.name] = text
        for key, value in changes.items():
            if value:
                values[key] = value
            else:
                values.pop(key, None)
        return urlencode(values)

    def apply(self, leads: list[Lead], *, new_ids: set[str]) -> list[Lead]:
        """The leads that pass every filter, sorted."""
        needle = self.q.casefold()
        kept = [
            lead
            for lead in leads
            if (not self.grade or lead.grade == self.grade)
            and (not self.method or self.method in lead.methods)
            and (not self.btype or lead.business_type == self.btype)
            and (not self.verification or lead.verification == self.verification)
            and (not self.new or lead.lead_id in new_ids)
            and (not needle or needle in search_text(lead))
        ]
        return sort_leads(kept, self.sort, descending=self.order == "desc")


def search_text(lead: Lead) -> str:
    """Everything the search box looks in, case-folded: names, contacts, address, site."""
    parts = [
        lead.name,
        lead.website,
        lead.domain,
        lead.address_raw,
        lead.city,
        lead.products,
        lead.notes,
        *(p.raw for p in all_phones(lead)),
        *(p.e164 or "" for p in all_phones(lead)),
        *(e.address or e.raw for e in all_emails(lead)),
        *(p.name for p in lead.people),
    ]
    return "\n".join(p for p in parts if p).casefold()


def sort_leads(leads: list[Lead], key: str, *, descending: bool = False) -> list[Lead]:
    """Sorted by ``key``; ties by score (high first) then name, so the order is stable."""

    def tiebreak(lead: Lead) -> tuple[float, str]:
        return (-lead.score, lead.name.casefold())

    ordered = sorted(leads, key=tiebreak)
    if key == "grade":
        ordered.sort(key=lambda lead: GRADE_ORDER.get(lead.grade, 9), reverse=descending)
    elif key == "score":
        ordered.sort(key=lambda lead: lead.score, reverse=descending)
    elif key == "name":
        ordered.sort(key=lambda lead: lead.name.casefold(), reverse=descending)
    elif key == "first_seen":
        ordered.sort(key=lambda lead: lead.first_seen.timestamp() if lead.first_seen else 0.0)
        if descending:
            ordered.reverse()
    elif key == "verification":
        ordered.sort(
            key=lambda lead: (
                VERIFICATION.index(lead.verification) if lead.verification in VERIFICATION else 9
            ),
            reverse=descending,
        )
    return ordered


def safe_href(url: str) -> str:
    """``url`` when it is an absolute http(s) address, else "" (shown as text, never linked):
    a scraped ``javascript:`` or ``data:`` URL must not become a clickable link."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return ""
