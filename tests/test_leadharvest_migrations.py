"""Store migrations (Alembic): a new store is built by them, an older store is upgraded on open
with its data kept, and a store from a newer LeadHarvest is refused. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
    text,
)

from leadharvest.items import Evidence, Job, Lead, Phone, ReviewPair
from leadharvest.store import (
    ReviewDecision,
    Store,
    StoreError,
    _alembic_config,
    metadata,
    migration_head,
    normalise_url,
)
from tests.services import postgres_schema_url

TABLES = {
    "jobs",
    "leads",
    "lead_keys",
    "evidence",
    "job_leads",
    "pages",
    "review_pairs",
    "new_leads",
    "suppression",
    "review_decisions",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        with postgres_schema_url() as pg:
            yield pg


def _first_release_schema() -> MetaData:
    """The store as the first release wrote it (``metadata.create_all``, no migrations): six
    tables, and ``pages`` without the ``reason`` column a later release added."""
    old = MetaData()
    tz = DateTime(timezone=True)
    Table(
        "jobs",
        old,
        Column("job_id", String(200), primary_key=True),
        Column("query", Text, nullable=False),
        Column("spec", JSON, nullable=False),
        Column("started_at", tz),
        Column("finished_at", tz),
        Column("status", String(40)),
    )
    Table(
        "leads",
        old,
        Column("lead_id", String(40), primary_key=True),
        Column("name", Text, nullable=False),
        Column("normalized_name", Text),
        Column("domain", String(255), index=True),
        Column("grade", String(2)),
        Column("score", Float),
        Column("verification", String(40), nullable=False),
        Column("notes", Text),
        Column("first_seen", tz),
        Column("last_seen", tz),
        Column("data", JSON, nullable=False),
    )
    Table(
        "lead_keys",
        old,
        Column("key", String(400), primary_key=True),
        Column(
            "lead_id",
            String(40),
            ForeignKey("leads.lead_id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )
    Table(
        "evidence",
        old,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("lead_id", String(40), ForeignKey("leads.lead_id", ondelete="CASCADE"), index=True),
        Column("job_id", String(200)),
        Column("source", String(120), nullable=False),
        Column("method", String(40), nullable=False),
        Column("url", Text, nullable=False),
        Column("fetched_at", tz),
        Column("query", Text),
        Column("fields", JSON),
        UniqueConstraint("lead_id", "source", "url", name="uq_evidence_lead_source_url"),
    )
    Table(
        "job_leads",
        old,
        Column(
            "job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True
        ),
        Column(
            "lead_id", String(40), ForeignKey("leads.lead_id", ondelete="CASCADE"), primary_key=True
        ),
    )
    Table(
        "pages",
        old,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), index=True),
        Column("url", Text, nullable=False),
        Column("source", String(120)),
        Column("method", String(40)),
        Column("status", String(40)),
        Column("http_status", Integer),
        Column("leads", Integer),
        Column("results", Integer),
        Column("fetched_at", tz),
    )
    return old


def _schema_diff(url: str) -> list[object]:
    """What differs between the store's tables and the current models (empty: the same)."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), metadata))
    finally:
        engine.dispose()


def _revision(url: str) -> str | None:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_a_new_store_is_built_by_the_migrations_and_matches_the_models(url: str) -> None:
    Store(url).close()
    assert _revision(url) == migration_head()
    assert _schema_diff(url) == []
    engine = create_engine(normalise_url(url))
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()
    Store(url).close()  # opening again at head changes nothing
    assert _revision(url) == migration_head()


def test_a_store_from_before_migrations_is_upgraded_with_its_data(url: str) -> None:
    engine = create_engine(normalise_url(url))
    old = _first_release_schema()
    old.create_all(engine)
    seen = datetime(2025, 3, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(old.tables["jobs"]).values(
                job_id="old-job", query="camera", spec={"query": "camera"}, status="finished"
            )
        )
        data = Lead(name="Kestrel Camera Co", domain="kestrel-camera.example").to_dict()
        data.pop("evidence")
        conn.execute(
            insert(old.tables["leads"]).values(
                lead_id="Lold",
                name="Kestrel Camera Co",
                normalized_name="kestrel camera co",
                domain="kestrel-camera.example",
                verification="verified",
                notes="called",
                first_seen=seen,
                last_seen=seen,
                data=data,
            )
        )
        conn.execute(
            insert(old.tables["lead_keys"]).values(
                key="domain:kestrel-camera.example", lead_id="Lold"
            )
        )
        conn.execute(insert(old.tables["job_leads"]).values(job_id="old-job", lead_id="Lold"))
        conn.execute(
            insert(old.tables["pages"]).values(
                job_id="old-job", url="https://kestrel-camera.example/", status="ok"
            )
        )
    engine.dispose()
    assert _revision(url) is None

    db = Store(url)
    try:
        assert _revision(url) == migration_head()
        assert _schema_diff(url) == []
        # the old data is all there, readable through today's store
        (lead,) = db.leads(job_id="old-job")
        assert (lead.lead_id, lead.verification, lead.notes) == ("Lold", "verified", "called")
        assert lead.first_seen == seen
        (page,) = db.job_pages("old-job")
        assert page.url == "https://kestrel-camera.example/" and page.reason == ""
        # and today's features work on it: the same business merges into the old lead
        db.save_job(Job(job_id="new-job", query="camera"), {"query": "camera"})
        again = Lead(
            name="Kestrel Camera Co",
            normalized_name="kestrel camera co",
            domain="kestrel-camera.example",
            phones=[Phone(raw="+61255501234", e164="+61255501234", type="landline")],
            evidence=[
                Evidence(
                    source="s", method="company_website", url="https://kestrel-camera.example/"
                )
            ],
        )
        (stored,) = db.upsert_leads([again], job_id="new-job")
        assert stored.lead_id == "Lold" and stored.verification == "verified"
        assert db.count_leads() == 1
        assert not stored.is_new  # the old job's lead, found again
        db.add_pages("new-job", [page])
        assert db.job_pages("new-job")[0].url == page.url
    finally:
        db.close()


def test_a_store_at_revision_0001_is_upgraded_to_keep_review_decisions(url: str) -> None:
    """Revision 0002 adds ``review_decisions`` to a store a release with 0001 wrote; its leads
    and review pairs stay, and a Split can then be recorded on them."""
    from alembic import command

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    assert _revision(url) == "0001"
    assert "review_decisions" not in inspect(engine).get_table_names()
    engine.dispose()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO jobs (job_id, query, spec, status)"
                " VALUES ('j1', 'camera', '{}', 'finished')"
            )
        )
    engine.dispose()

    db = Store(url)
    try:
        assert _revision(url) == migration_head() == "0002"
        assert _schema_diff(url) == []
        assert db.job_ids() == ["j1"]  # the 0001 store's data is kept
        one = Lead(name="Kestrel Camera Co", normalized_name="kestrel camera co", city="Cairns")
        two = Lead(name="Kestrel Cameras", normalized_name="kestrel cameras")
        stored = db.upsert_leads([one, two], job_id="j1")
        a, b = sorted(x.lead_id for x in stored)
        db.save_review_pairs("j1", [ReviewPair(a, "x", b, "y", 88.0, "similar name")])
        db.apply_review([], [], [ReviewDecision(a, b, "split", "j1", "test")])
        assert [d.decision for d in db.review_decisions()] == ["split"]
        assert db.review_pairs("j1") == []  # decided: not asked again
        assert db.count_leads() == 2
    finally:
        db.close()


def test_a_store_from_a_newer_leadharvest_is_refused_untouched(url: str) -> None:
    Store(url).close()
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="written by a newer LeadHarvest"):
        Store(url)
    assert _revision(url) == "9999"
