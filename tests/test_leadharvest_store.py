"""The lead store on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadharvest.items import Email, Evidence, Job, Lead, Phone
from leadharvest.store import Store, StoreError, normalise_url, stable_id
from tests.services import postgres_schema_url


def make_lead(
    name: str, phone: str, url: str, *, domain: str = "", source: str = "practice_b2b"
) -> Lead:
    return Lead(
        name=name,
        normalized_name=name.lower(),
        domain=domain,
        phones=[Phone(raw=phone, e164=phone, type="landline", valid=True, sources=[url])],
        emails=[Email(raw=f"info@{domain}", address=f"info@{domain}", role=True, valid=True)]
        if domain
        else [],
        evidence=[
            Evidence(source=source, method="industry_site", url=url, fields=["name", "phones"])
        ],
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        db = Store(str(tmp_path / "leads.db"))
        _jobs(db)
        yield db
        db.close()
    else:
        with postgres_schema_url() as url:
            db = Store(url)
            _jobs(db)
            yield db
            db.close()


def _jobs(db: Store) -> None:
    for job_id in ("run-1", "run-2"):
        db.save_job(Job(job_id=job_id, query="camera"), {"query": "camera"})


def test_rerun_merges_instead_of_duplicating(store: Store) -> None:
    first = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    second = first + timedelta(days=3)
    a = make_lead(
        "Brightlens Optics",
        "+61255501234",
        "https://b2b.practice.example/a",
        domain="brightlens-optics.example",
    )
    b = make_lead("Harbour Camera Supply", "+61255509876", "https://b2b.practice.example/b")
    store.upsert_leads([a, b], job_id="run-1", seen_at=first)
    assert store.count_leads() == 2

    again = make_lead(
        "BRIGHTLENS OPTICS PTY LTD",
        "+61255501234",
        "https://brightlens-optics.example/contact",
        domain="brightlens-optics.example",
        source="company_website",
    )
    again_b = make_lead("Harbour Camera Supply", "+61255509876", "https://b2b.practice.example/b")
    stored = store.upsert_leads([again, again_b], job_id="run-2", seen_at=second)

    assert store.count_leads() == 2
    by_id = {lead.lead_id: lead for lead in store.leads()}
    bright = by_id[stored[0].lead_id]
    assert bright.first_seen == first
    assert bright.last_seen == second
    assert {ev.url for ev in bright.evidence} == {
        "https://b2b.practice.example/a",
        "https://brightlens-optics.example/contact",
    }
    harbour = by_id[stored[1].lead_id]
    # the same page seen again is one piece of evidence, refreshed, not two
    assert len(harbour.evidence) == 1
    assert harbour.last_seen == second
    assert {lead.lead_id for lead in store.leads(job_id="run-2")} == set(by_id)


def test_lead_ids_are_stable_and_keyed_on_the_strongest_key() -> None:
    a = make_lead("Brightlens Optics", "+61255501234", "u1", domain="brightlens-optics.example")
    b = make_lead("Another spelling", "+61299999999", "u2", domain="brightlens-optics.example")
    assert stable_id(a) == stable_id(b)
    assert stable_id(a) != stable_id(make_lead("Brightlens Optics", "+61255501234", "u1"))


def test_verification_survives_a_rerun(store: Store) -> None:
    lead = make_lead("Harbour Camera Supply", "+61255509876", "https://b2b.practice.example/b")
    (saved,) = store.upsert_leads([lead], job_id="run-1")
    saved.verification = "verified"
    saved.notes = "called, right person"
    store._write_lead(saved, "run-1")
    (again,) = store.upsert_leads(
        [make_lead("Harbour Camera Supply", "+61255509876", "https://b2b.practice.example/b")],
        job_id="run-2",
    )
    assert again.lead_id == saved.lead_id
    stored = store.get_lead(saved.lead_id)
    assert stored is not None
    assert stored.verification == "verified"
    assert stored.notes == "called, right person"


def test_store_urls() -> None:
    assert normalise_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    assert normalise_url("leads.db").startswith("sqlite:///")
    with pytest.raises(StoreError):
        Store("notadb+nothing://x")


def test_a_shared_switchboard_does_not_merge_two_businesses_across_runs(store: Store) -> None:
    pixel = make_lead(
        "Pixelpoint Imaging",
        "+61255500300",
        "https://yellowpages.practice.example/p",
        domain="pixelpoint-imaging.example",
    )
    store.upsert_leads([pixel], job_id="run-1")
    cross = make_lead(
        "Southern Cross Camera Supply",
        "+61255500300",
        "https://yellowpages.practice.example/s",
        domain="southerncross-camera.example",
    )
    (saved,) = store.upsert_leads([cross], job_id="run-2")
    assert store.count_leads() == 2
    assert saved.name == "Southern Cross Camera Supply"
    assert {ev.url for ev in saved.evidence} == {"https://yellowpages.practice.example/s"}
