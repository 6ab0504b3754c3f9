"""The lead store: one database every stage reads and writes (SQLAlchemy).

SQLite (a file, nothing to start) by default; any SQLAlchemy URL with ``--store`` — a plain
``postgresql://user@host:port/db`` URL works as written (the psycopg 3 driver is chosen for
it) when a team shares one store.

Stable lead ids: a lead's id comes from its strongest identifying key (registered domain,
else a phone, else an e-mail, else name + city). On a re-run, a new lead that shares any key
with a stored lead *is* that lead: its evidence and values merge in, ``last_seen`` moves,
``first_seen`` stays. Nothing is duplicated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from leadharvest.items import Evidence, Job, Lead, PageRecord, utcnow

metadata = MetaData()

jobs = Table(
    "jobs",
    metadata,
    Column("job_id", String(200), primary_key=True),
    Column("query", Text, nullable=False),
    Column("spec", JSON, nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(40)),
)

leads = Table(
    "leads",
    metadata,
    Column("lead_id", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("normalized_name", Text),
    Column("domain", String(255), index=True),
    Column("grade", String(2)),
    Column("score", Float),
    Column("verification", String(40), nullable=False, default="unverified"),
    Column("notes", Text, default=""),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("data", JSON, nullable=False),
)

lead_keys = Table(
    "lead_keys",
    metadata,
    Column("key", String(400), primary_key=True),
    Column(
        "lead_id",
        String(40),
        ForeignKey("leads.lead_id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", String(40), ForeignKey("leads.lead_id", ondelete="CASCADE"), index=True),
    Column("job_id", String(200)),
    Column("source", String(120), nullable=False),
    Column("method", String(40), nullable=False),
    Column("url", Text, nullable=False),
    Column("fetched_at", DateTime(timezone=True)),
    Column("query", Text),
    Column("fields", JSON),
    UniqueConstraint("lead_id", "source", "url", name="uq_evidence_lead_source_url"),
)

job_leads = Table(
    "job_leads",
    metadata,
    Column("job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True),
    Column(
        "lead_id", String(40), ForeignKey("leads.lead_id", ondelete="CASCADE"), primary_key=True
    ),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), index=True),
    Column("url", Text, nullable=False),
    Column("source", String(120)),
    Column("method", String(40)),
    Column("status", String(40)),
    Column("http_status", Integer),
    Column("leads", Integer),
    Column("results", Integer),
    Column("fetched_at", DateTime(timezone=True)),
    Column("reason", Text, default=""),
)


class StoreError(ValueError):
    """The store URL is malformed or the database cannot be opened."""


def normalise_url(url: str) -> str:
    """Accept a plain path, ``sqlite:///…`` or any SQLAlchemy URL; pick psycopg 3 for PostgreSQL."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def lead_keys_of(lead: Lead) -> list[str]:
    """The identifying keys of a lead, strongest first."""
    keys: list[str] = []
    if lead.domain:
        keys.append(f"domain:{lead.domain}")
    for phone in lead.phones:
        if phone.e164 and not phone.masked and phone.type != "fax":
            keys.append(f"phone:{phone.e164}")
    for email in lead.emails:
        if email.address and not email.masked and not email.free_mail:
            keys.append(f"email:{email.address}")
    if lead.normalized_name:
        keys.append(f"name:{lead.normalized_name}|{lead.city.lower()}")
    return list(dict.fromkeys(keys))


def stable_id(lead: Lead) -> str:
    """Lead id from the strongest key: the same business gets the same id on every run."""
    keys = lead_keys_of(lead) or [f"raw:{lead.name.strip().lower()}"]
    return "L" + hashlib.sha1(keys[0].encode("utf-8")).hexdigest()[:12]  # noqa: S324


class Store:
    """One store, opened by URL."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"not a database URL: {url!r}") from exc
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except Exception as exc:
            raise StoreError(f"cannot open store {url!r}: {exc}") from exc
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            metadata.create_all(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot open store {url!r}: {exc.orig}") from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- jobs ---------------------------------------------------------------------------
    def save_job(self, job: Job, spec: dict[str, Any]) -> None:
        row = {
            "query": job.query,
            "spec": spec,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
            "status": job.status,
        }
        with self.engine.begin() as conn:
            exists = conn.execute(select(jobs.c.job_id).where(jobs.c.job_id == job.job_id)).first()
            if exists:
                conn.execute(update(jobs).where(jobs.c.job_id == job.job_id).values(**row))
            else:
                conn.execute(insert(jobs).values(job_id=job.job_id, **row))

    def add_pages(self, job_id: str, records: Iterable[PageRecord]) -> None:
        rows = [{"job_id": job_id, **asdict(r)} for r in records]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(pages), rows)

    def job_pages(self, job_id: str) -> list[PageRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(pages).where(pages.c.job_id == job_id).order_by(pages.c.id))
            return [
                PageRecord(
                    url=r.url,
                    source=r.source,
                    method=r.method,
                    status=r.status,
                    http_status=r.http_status or 0,
                    leads=r.leads or 0,
                    results=r.results or 0,
                    fetched_at=r.fetched_at,
                    reason=r.reason or "",
                )
                for r in rows
            ]

    def job_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [
                r.job_id for r in conn.execute(select(jobs.c.job_id).order_by(jobs.c.started_at))
            ]

    # -- leads --------------------------------------------------------------------------
    def find_existing(self, lead: Lead) -> str | None:
        """The stored lead that is the same business as ``lead``, if any.

        Stored leads sharing a key are candidates, most shared keys first; each is confirmed
        by dedupe's own pair rules, so a shared switchboard number alone does not make two
        businesses one.
        """
        from dedupe.engine import same_business

        keys = lead_keys_of(lead)
        if not keys:
            return None
        with self.engine.connect() as conn:
            rows = conn.execute(select(lead_keys).where(lead_keys.c.key.in_(keys))).all()
        votes: dict[str, tuple[int, int]] = {}
        for row in rows:
            count, best = votes.get(row.lead_id, (0, len(keys)))
            votes[row.lead_id] = (count + 1, min(best, keys.index(row.key)))
        for lead_id in sorted(votes, key=lambda lid: (-votes[lid][0], votes[lid][1])):
            stored = self.get_lead(lead_id)
            if stored is not None and same_business(stored, lead).match:
                return lead_id
        return None

    def upsert_leads(
        self, new_leads: list[Lead], *, job_id: str, seen_at: datetime | None = None
    ) -> list[Lead]:
        """Merge a job's deduplicated leads into the store; returns the stored versions."""
        from dedupe.merge import merge_leads

        now = seen_at or utcnow()
        result: list[Lead] = []
        for lead in new_leads:
            existing_id = self.find_existing(lead)
            if existing_id:
                stored = self.get_lead(existing_id)
                assert stored is not None
                merged = merge_leads([stored, lead])
                merged.lead_id = existing_id
                merged.first_seen = stored.first_seen or now
                merged.verification = stored.verification
                merged.notes = stored.notes
            else:
                merged = lead
                merged.lead_id = stable_id(lead)
                if self.get_lead(merged.lead_id) is not None:  # key collision: keep both apart
                    merged.lead_id = (
                        stable_id(lead) + hashlib.sha1(lead.name.encode()).hexdigest()[:4]  # noqa: S324
                    )
                merged.first_seen = now
            merged.last_seen = now
            merged.evidence = _unique_evidence(merged.evidence)
            self._write_lead(merged, job_id)
            result.append(merged)
        return result

    def _write_lead(self, lead: Lead, job_id: str) -> None:
        data = lead.to_dict()
        data.pop("evidence", None)
        row = {
            "name": lead.name,
            "normalized_name": lead.normalized_name,
            "domain": lead.domain,
            "grade": lead.grade,
            "score": lead.score,
            "verification": lead.verification,
            "notes": lead.notes,
            "first_seen": lead.first_seen,
            "last_seen": lead.last_seen,
            "data": data,
        }
        with self.engine.begin() as conn:
            if conn.execute(select(leads.c.lead_id).where(leads.c.lead_id == lead.lead_id)).first():
                conn.execute(update(leads).where(leads.c.lead_id == lead.lead_id).values(**row))
            else:
                conn.execute(insert(leads).values(lead_id=lead.lead_id, **row))
            for key in lead_keys_of(lead):
                mine = (lead_keys.c.key == key) & (lead_keys.c.lead_id == lead.lead_id)
                if conn.execute(select(lead_keys.c.key).where(mine)).first() is None:
                    conn.execute(insert(lead_keys).values(key=key, lead_id=lead.lead_id))
            for ev in lead.evidence:
                match = (
                    (evidence.c.lead_id == lead.lead_id)
                    & (evidence.c.source == ev.source)
                    & (evidence.c.url == ev.url)
                )
                found = conn.execute(
                    select(evidence.c.id, evidence.c.fetched_at).where(match)
                ).first()
                values = {
                    "job_id": ev.job_id or job_id,
                    "method": ev.method,
                    "fetched_at": ev.fetched_at,
                    "query": ev.query,
                    "fields": ev.fields,
                }
                if found is None:
                    conn.execute(
                        insert(evidence).values(
                            lead_id=lead.lead_id, source=ev.source, url=ev.url, **values
                        )
                    )
                else:
                    conn.execute(update(evidence).where(evidence.c.id == found.id).values(**values))
            conn.execute(
                delete(job_leads).where(
                    (job_leads.c.job_id == job_id) & (job_leads.c.lead_id == lead.lead_id)
                )
            )
            conn.execute(insert(job_leads).values(job_id=job_id, lead_id=lead.lead_id))

    def save_grades(self, graded: Iterable[Lead]) -> None:
        """Write back score, grade and reasons after grading."""
        with self.engine.begin() as conn:
            for lead in graded:
                data = lead.to_dict()
                data.pop("evidence", None)
                conn.execute(
                    update(leads)
                    .where(leads.c.lead_id == lead.lead_id)
                    .values(grade=lead.grade, score=lead.score, data=data)
                )

    def get_lead(self, lead_id: str) -> Lead | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(leads).where(leads.c.lead_id == lead_id)).first()
            if row is None:
                return None
            evs = conn.execute(
                select(evidence).where(evidence.c.lead_id == lead_id).order_by(evidence.c.id)
            ).all()
        return _row_to_lead(row, evs)

    def leads(self, *, job_id: str | None = None) -> list[Lead]:
        """All stored leads, or those a job touched."""
        with self.engine.connect() as conn:
            query = select(leads)
            if job_id:
                query = query.join(job_leads, job_leads.c.lead_id == leads.c.lead_id).where(
                    job_leads.c.job_id == job_id
                )
            rows = conn.execute(query.order_by(leads.c.lead_id)).all()
            evs = conn.execute(select(evidence).order_by(evidence.c.id)).all()
        by_lead: dict[str, list[Any]] = {}
        for ev in evs:
            by_lead.setdefault(ev.lead_id, []).append(ev)
        return [_row_to_lead(row, by_lead.get(row.lead_id, [])) for row in rows]

    def count_leads(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(leads.c.lead_id)).all())


def _row_to_lead(row: Any, evs: Iterable[Any]) -> Lead:
    data = dict(row.data if isinstance(row.data, dict) else json.loads(row.data))
    data["evidence"] = [
        {
            "source": e.source,
            "method": e.method,
            "url": e.url,
            "fetched_at": e.fetched_at,
            "query": e.query or "",
            "fields": list(e.fields or []),
            "job_id": e.job_id or "",
        }
        for e in evs
    ]
    lead = Lead.from_dict(data)
    lead.lead_id = row.lead_id
    lead.first_seen = _aware(row.first_seen)
    lead.last_seen = _aware(row.last_seen)
    lead.verification = row.verification
    lead.notes = row.notes or ""
    return lead


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _unique_evidence(items: list[Evidence]) -> list[Evidence]:
    latest: dict[tuple[str, str], Evidence] = {}
    for ev in items:
        key = (ev.source, ev.url)
        if key not in latest or ev.fetched_at >= latest[key].fetched_at:
            if key in latest:
                ev.fields = sorted(set(ev.fields) | set(latest[key].fields))
            latest[key] = ev
    return list(latest.values())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
