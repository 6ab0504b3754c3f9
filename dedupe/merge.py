"""Merging a cluster into one lead without losing anything a trainee may need to check.

Survivorship: single values (name, website, address …) come from the most trusted record —
a company's own website beats an industry site, a yellow-pages listing and a search snippet
— or, at equal trust, the most complete one. Values that disagree are not thrown away but
kept in ``lead.alternates[field]``; phones, e-mails, people and evidence are unions, each
value still listing every page that showed it.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Sequence

from leadharvest.items import Email, Lead, Person, Phone

METHOD_TRUST: dict[str, int] = {
    "company_website": 4,
    "industry_site": 3,
    "yellow_pages": 2,
    "search_engine": 1,
}
"""How far a collection method is trusted for a business's own details."""

SINGLE_FIELDS = (
    "name",
    "website",
    "domain",
    "address_raw",
    "country",
    "region",
    "city",
    "postcode",
    "registration_id",
    "business_type",
    "products",
    "description",
)
"""Fields with one value per lead; a merge keeps the others as alternates."""

_EMPTY = {"", "unknown"}


def trust(lead: Lead) -> int:
    """The highest trust among the methods that found ``lead`` (0 with no evidence)."""
    return max((METHOD_TRUST.get(ev.method, 0) for ev in lead.evidence), default=0)


def completeness(lead: Lead) -> int:
    """How many fields and contacts a record fills: the tie-break between equally trusted ones."""
    filled = sum(1 for name in SINGLE_FIELDS if getattr(lead, name) not in _EMPTY)
    return filled + len(lead.phones) + len(lead.emails) + len(lead.people)


def _union_sources(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def merge_phones(groups: Sequence[Sequence[Phone]]) -> list[Phone]:
    """Union by ``Phone.key``, first spelling kept, ``sources`` merged."""
    kept: dict[str, Phone] = {}
    for phones in groups:
        for phone in phones:
            key = phone.key or phone.raw
            if key in kept:
                first = kept[key]
                first.sources = _union_sources(first.sources, phone.sources)
                if first.type == "unknown" and phone.type != "unknown":
                    first.type = phone.type
            else:
                kept[key] = copy.deepcopy(phone)
    return list(kept.values())


def merge_emails(groups: Sequence[Sequence[Email]]) -> list[Email]:
    """Union by ``Email.key``, ``sources`` merged."""
    kept: dict[str, Email] = {}
    for emails in groups:
        for email in emails:
            if email.key in kept:
                first = kept[email.key]
                first.sources = _union_sources(first.sources, email.sources)
            else:
                kept[email.key] = copy.deepcopy(email)
    return list(kept.values())


def _person_key(person: Person) -> str:
    return " ".join(unicodedata.normalize("NFKC", person.name).casefold().split())


def merge_people(groups: Sequence[Sequence[Person]]) -> list[Person]:
    """People with the same name (width/case/space folded) become one, contacts united."""
    kept: dict[str, Person] = {}
    for people in groups:
        for person in people:
            key = _person_key(person)
            if key in kept:
                first = kept[key]
                first.title = first.title or person.title
                first.phones = merge_phones([first.phones, person.phones])
                first.emails = merge_emails([first.emails, person.emails])
            else:
                kept[key] = copy.deepcopy(person)
    return list(kept.values())


def _verification(leads: Sequence[Lead], base: Lead) -> str:
    """Do-not-contact on any record wins: a merge must never make a suppressed business callable."""
    states = [lead.verification for lead in leads]
    if "do_not_contact" in states:
        return "do_not_contact"
    if base.verification != "unverified":
        return base.verification
    return next((s for s in states if s != "unverified"), "unverified")


def merge_leads(leads: Sequence[Lead], *, reasons: Sequence[str] = ()) -> Lead:
    """One lead from the records of one business; the inputs are not changed.

    ``reasons`` (why the records matched) are appended to ``match_reasons``.
    """
    if not leads:
        raise ValueError("merge_leads needs at least one lead")
    order = sorted(range(len(leads)), key=lambda i: (-trust(leads[i]), -completeness(leads[i]), i))
    ranked = [leads[i] for i in order]
    base = ranked[0]
    out = copy.deepcopy(base)

    alternates: dict[str, list[str]] = {}
    for lead in ranked:
        for name, values in lead.alternates.items():
            alternates.setdefault(name, []).extend(values)
    for name in SINGLE_FIELDS:
        values = [getattr(lead, name) for lead in ranked if getattr(lead, name) not in _EMPTY]
        if not values:
            continue
        chosen = getattr(out, name)
        if chosen in _EMPTY:
            chosen = values[0]
            setattr(out, name, chosen)
        others = [v for v in dict.fromkeys(values) if v != chosen]
        if others:
            alternates.setdefault(name, []).extend(others)
    if out.business_type != base.business_type:  # the type came with another record's reason
        out.business_type_reason = next(
            (r.business_type_reason for r in ranked if r.business_type == out.business_type), ""
        )
    if out.name != base.name or not out.normalized_name:
        out.normalized_name = next(
            (r.normalized_name for r in ranked if r.name == out.name and r.normalized_name), ""
        )
    ids = [lead.lead_id for lead in ranked if lead.lead_id]
    if ids:
        out.lead_id = out.lead_id or ids[0]
        others = [i for i in dict.fromkeys(ids) if i != out.lead_id]
        if others:
            alternates.setdefault("lead_id", []).extend(others)
    out.alternates = {
        name: [v for v in dict.fromkeys(values) if v != getattr(out, name, None)]
        for name, values in alternates.items()
    }
    out.alternates = {name: values for name, values in out.alternates.items() if values}

    out.phones = merge_phones([lead.phones for lead in ranked])
    out.emails = merge_emails([lead.emails for lead in ranked])
    out.people = merge_people([lead.people for lead in ranked])
    out.social = list(dict.fromkeys(s for lead in ranked for s in lead.social))
    out.evidence = [copy.deepcopy(ev) for lead in leads for ev in lead.evidence]
    out.masked = any(lead.masked for lead in leads)
    out.match_reasons = list(
        dict.fromkeys([*(r for lead in leads for r in lead.match_reasons), *reasons])
    )
    firsts = [lead.first_seen for lead in leads if lead.first_seen is not None]
    lasts = [lead.last_seen for lead in leads if lead.last_seen is not None]
    out.first_seen = min(firsts) if firsts else None
    out.last_seen = max(lasts) if lasts else None
    out.relevance = max(lead.relevance for lead in leads)
    # the text around every record, so the local query sees all that is known of the business
    out.context = "\n".join(dict.fromkeys(lead.context for lead in ranked if lead.context))[:8000]
    out.verification = _verification(leads, base)
    out.notes = "\n".join(dict.fromkeys(lead.notes for lead in ranked if lead.notes))
    return out
