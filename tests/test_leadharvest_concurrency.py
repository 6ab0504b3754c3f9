"""Several processes storing overlapping leads into one store at the same moment: every
business ends up exactly once. Four writers on PostgreSQL, two on one SQLite file (WAL).

The businesses come in two shapes, so that writers race on different keys of one business:
with its website and phone (id from the domain), or from a listing with the phone only (id
from the phone). Whichever is stored first, the other must merge into it.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from leadharvest.items import Evidence, Job, Lead, Phone
from leadharvest.store import Store, lead_keys, normalise_url
from tests.services import postgres_schema_url

BUSINESSES = 40


def _lead(i: int, *, with_site: bool, writer: int) -> Lead:
    phone = f"+6125550{i:04d}"
    name = f"Wombat Camera Traders {i} Pty Ltd"
    domain = f"wombat-camera-{i}.example" if with_site else ""
    url = f"https://{domain}/" if with_site else f"https://directory.example/biz/{i}"
    return Lead(
        name=name,
        normalized_name=f"wombat camera traders {i}",
        domain=domain,
        website=url if with_site else "",
        city="Sydney",
        phones=[Phone(raw=phone, e164=phone, type="landline", valid=True, sources=[url])],
        evidence=[
            Evidence(
                source=f"writer{writer}",
                method="company_website" if with_site else "yellow_pages",
                url=url,
                fields=["name", "phones"],
            )
        ],
    )


def _write(url: str, writer: int, start_at: float) -> None:
    """One job's writes: its job row, its page rows, then its leads (in its own order)."""
    rng = random.Random(writer)
    chosen = [i for i in range(BUSINESSES) if rng.random() < 0.7]
    rng.shuffle(chosen)
    leads = [_lead(i, with_site=(i + writer) % 2 == 0, writer=writer) for i in chosen]
    time.sleep(max(0.0, start_at - time.time()))
    db = Store(url)  # the first writers to arrive create the store: migrations race too
    try:
        job_id = f"job-{writer}"
        db.save_job(Job(job_id=job_id, query="camera"), {"query": "camera"})
        for lead in leads:
            db.upsert_leads([lead], job_id=job_id)
    finally:
        db.close()


def _expected(writers: int) -> tuple[set[int], dict[str, set[int]]]:
    """Which businesses the writers store, and which each job touched (same RNG as _write)."""
    per_job: dict[str, set[int]] = {}
    for writer in range(writers):
        rng = random.Random(writer)
        per_job[f"job-{writer}"] = {i for i in range(BUSINESSES) if rng.random() < 0.7}
    return set().union(*per_job.values()), per_job


def _run_writers(url: str, writers: int) -> None:
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 4  # after every process has imported what it needs
    procs = [ctx.Process(target=_write, args=(url, w, start_at)) for w in range(writers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * writers


def _check(url: str, writers: int) -> None:
    wanted, per_job = _expected(writers)
    db = Store(url)
    try:
        stored = db.leads()
        numbers = Counter(p.e164 for lead in stored for p in lead.phones)
        # every business once, none lost
        assert len(stored) == len(wanted)
        assert set(numbers) == {f"+6125550{i:04d}" for i in wanted}
        assert set(numbers.values()) == {1}
        for job_id, ids in per_job.items():
            names = {lead.name for lead in db.leads(job_id=job_id)}
            assert names == {f"Wombat Camera Traders {i} Pty Ltd" for i in ids}
        # the evidence of every writer that had the business is on its one lead
        for lead in stored:
            i = int(lead.name.split()[3])
            had = {f"writer{w}" for w, ids in enumerate(per_job.values()) if i in ids}
            assert {ev.source for ev in lead.evidence} == had
    finally:
        db.close()
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        keys = conn.execute(select(lead_keys.c.key, lead_keys.c.lead_id)).all()
    engine.dispose()
    owners: dict[str, set[str]] = {}
    for key, lead_id in keys:
        owners.setdefault(key, set()).add(lead_id)
    assert all(len(ids) == 1 for ids in owners.values()), "a key on two leads"


def test_four_writers_on_one_postgresql_store() -> None:
    with postgres_schema_url() as url:
        _run_writers(url, 4)
        _check(url, 4)


def test_two_writers_on_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    _run_writers(url, 2)
    _check(url, 2)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


@pytest.mark.parametrize("writers", [2])
def test_the_expected_sets_overlap(writers: int) -> None:
    """The test above means something only if the writers share businesses."""
    wanted, per_job = _expected(writers)
    shared = set.intersection(*per_job.values())
    assert len(shared) >= BUSINESSES // 3 and len(wanted) < sum(map(len, per_job.values()))
