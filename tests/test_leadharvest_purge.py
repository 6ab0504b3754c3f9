"""`leadharvest purge`: unverified leads and page records past their retention period go;
what a person marked, and the suppression list, stay."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from leadharvest.items import Evidence, Job, Lead, PageRecord, Phone, ReviewPair, utcnow
from leadharvest.store import Store, SuppressionEntry, evidence, lead_keys, pages
from tests.cli_support import run_cli as _cli
from tests.cli_support import user_error
from tests.services import postgres_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with postgres_schema_url() as url:
            yield url


def _lead(name: str, phone: str) -> Lead:
    slug = name.lower().replace(" ", "-")
    return Lead(
        name=name,
        normalized_name=name.lower(),
        phones=[Phone(raw=phone, e164=phone, type="landline", valid=True)],
        evidence=[
            Evidence(
                source="practice_b2b", method="industry_site", url=f"https://b2b.example/{slug}"
            ),
            Evidence(
                source="company_website", method="company_website", url=f"https://{slug}.example/"
            ),
        ],
    )


def _fill(url: str) -> dict[str, str]:
    """Five leads, four last seen 100 days ago (one per verification state), one today."""
    now = utcnow()
    old = now - timedelta(days=100)
    db = Store(url)
    try:
        db.save_job(Job(job_id="spring", query="camera"), {})
        db.save_job(Job(job_id="today", query="camera"), {})
        names = {
            "unverified": ("Dusty Camera Shop", "+61255500101"),
            "verified": ("Checked Camera Shop", "+61255500102"),
            "invalid": ("Closed Camera Shop", "+61255500103"),
            "do_not_contact": ("Private Camera Shop", "+61255500104"),
        }
        stored = db.upsert_leads(
            [_lead(n, p) for n, p in names.values()], job_id="spring", seen_at=old
        )
        ids = dict(zip(names, (lead.lead_id for lead in stored), strict=True))
        (fresh,) = db.upsert_leads(
            [_lead("Fresh Camera Shop", "+61255500105")], job_id="today", seen_at=now
        )
        ids["fresh"] = fresh.lead_id
        db.apply_review(
            [(ids[state], state, "") for state in ("verified", "invalid", "do_not_contact")],
            [SuppressionEntry("phone", "+61255500104", lead_id=ids["do_not_contact"])],
        )
        db.save_review_pairs(
            "spring",
            [
                ReviewPair(ids["unverified"], "Dusty", ids["verified"], "Checked", 88.0, "name"),
                ReviewPair(ids["verified"], "Checked", ids["invalid"], "Closed", 87.0, "name"),
            ],
        )
        db.add_pages(
            "spring",
            [
                PageRecord(url="https://b2b.example/list", source="practice_b2b",
                           method="industry_site", status="ok", fetched_at=old),
                PageRecord(url="https://b2b.example/p2", source="practice_b2b",
                           method="industry_site", status="blocked", fetched_at=old),
            ],
        )  # fmt: skip
        db.add_pages(
            "today",
            [PageRecord(url="https://b2b.example/list", source="practice_b2b",
                        method="industry_site", status="ok", fetched_at=now)],
        )  # fmt: skip
        return ids
    finally:
        db.close()


def _counts(url: str) -> tuple[int, int, int, int]:
    db = Store(url)
    try:
        with db.engine.connect() as conn:
            return (
                db.count_leads(),
                conn.execute(select(func.count()).select_from(evidence)).scalar_one(),
                conn.execute(select(func.count()).select_from(pages)).scalar_one(),
                conn.execute(select(func.count()).select_from(lead_keys)).scalar_one(),
            )
    finally:
        db.close()


def test_purge_removes_only_stale_unverified_leads_and_old_pages(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _fill(store_url)
    # 5 leads x 2 evidence; 3 pages; each lead keyed by its phone and its name
    assert _counts(store_url) == (5, 10, 3, 10)

    code, out, _ = _cli(["purge", "--older-than", "30", "--dry-run", "--store", store_url], capsys)
    assert code == 0
    assert out.startswith("would remove 1 unverified leads, 2 evidence records and 2 page records")
    assert _counts(store_url) == (5, 10, 3, 10)

    # nothing is as old as 365 days
    code, out, _ = _cli(["purge", "--older-than", "365", "--store", store_url], capsys)
    assert out.startswith("removed 0 unverified leads, 0 evidence records and 0 page records")

    code, out, _ = _cli(["purge", "--older-than", "30", "--store", store_url], capsys)
    assert code == 0
    assert out.startswith("removed 1 unverified leads, 2 evidence records and 2 page records")
    assert _counts(store_url) == (4, 8, 1, 8)
    db = Store(store_url)
    try:
        left = {lead.lead_id: lead.verification for lead in db.leads()}
        assert ids["unverified"] not in left
        assert left == {
            ids["verified"]: "verified",
            ids["invalid"]: "invalid",
            ids["do_not_contact"]: "do_not_contact",
            ids["fresh"]: "unverified",
        }
        assert [p.url for p in db.job_pages("today")] == ["https://b2b.example/list"]
        assert db.job_pages("spring") == []
        # a pair naming the purged lead goes with it; the pair of two kept leads stays
        assert [(r.left_name, r.right_name) for r in db.review_pairs("spring")] == [
            ("Checked", "Closed")
        ]
        assert [(e.kind, e.value) for e in db.suppression_list()] == [("phone", "+61255500104")]
        # the job itself (query and settings, no personal data) is kept
        assert set(db.job_ids()) == {"spring", "today"}
    finally:
        db.close()


@pytest.mark.parametrize("days", ["0", "-3", "abc", "1.5", "²", "99999999"])
def test_older_than_must_be_a_positive_whole_number(
    days: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    user_error(["purge", "--older-than", days, "--store", str(store)], capsys)
    assert not store.exists(), "a refused purge does not even open the store"


def test_purge_needs_older_than(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _cli(["purge"], capsys)
    assert code == 2
