"""``stamp_evidence`` held to its first definition (a list of fields, then every value)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from leadharvest.items import Email, Evidence, Lead, Person, Phone
from spiders.pages import stamp_evidence

_WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def _old_stamp(lead: Lead, *, source: str, method: str, url: str, query: str = "") -> None:
    fields = [
        name
        for name, value in (
            ("name", lead.name),
            ("phones", lead.phones),
            ("emails", lead.emails),
            ("website", lead.website),
            ("address", lead.address_raw),
            ("people", lead.people),
            ("products", lead.products),
            ("registration_id", lead.registration_id),
        )
        if value
    ]
    values: list[Phone | Email] = [*lead.phones, *lead.emails]
    for person in lead.people:
        values.extend(person.phones)
        values.extend(person.emails)
    for value in values:
        if url not in value.sources:
            value.sources.append(url)
    lead.evidence.append(
        Evidence(
            source=source, method=method, url=url, fetched_at=_WHEN, query=query, fields=fields
        )
    )


_URLS = st.sampled_from(["https://a.example/", "https://b.example/x"])
_PHONES = st.builds(Phone, raw=st.sampled_from(["1", "2"]), sources=st.lists(_URLS, max_size=2))
_EMAILS = st.builds(
    Email, raw=st.sampled_from(["a@b.c", "d@e.f"]), sources=st.lists(_URLS, max_size=2)
)
_TEXT = st.sampled_from(["", "x"])


@st.composite
def _leads(draw: st.DrawFn) -> Lead:
    phones = draw(st.lists(_PHONES, max_size=2))
    emails = draw(st.lists(_EMAILS, max_size=2))
    people = [
        Person(
            name="p",
            phones=draw(st.lists(_PHONES, max_size=2)),
            emails=draw(st.lists(_EMAILS, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    shared: bool = draw(st.booleans())
    if people and shared:  # one value object reachable twice
        people[0].phones.extend(phones[:1])
    return Lead(
        name=draw(_TEXT),
        phones=phones,
        emails=emails,
        people=people,
        website=draw(_TEXT),
        address_raw=draw(_TEXT),
        products=draw(_TEXT),
        registration_id=draw(_TEXT),
    )


@given(_leads(), _URLS, st.sampled_from(["", "q"]))
def test_stamp_evidence_is_the_old_definition(lead: Lead, url: str, query: str) -> None:

    old = copy.deepcopy(lead)
    _old_stamp(old, source="s", method="industry_site", url=url, query=query)
    stamp_evidence(lead, source="s", method="industry_site", url=url, query=query, fetched_at=_WHEN)
    assert lead == old


def test_stamp_evidence_reads_the_clock_without_a_time() -> None:
    lead = Lead(name="x")
    stamp_evidence(lead, source="s", method="industry_site", url="https://a.example/")
    assert lead.evidence[0].fetched_at.tzinfo is not None
    assert lead.evidence[0].fields == ["name"]
