"""The lead store: one database every stage reads and writes (SQLAlchemy).

SQLite (a file, nothing to start) by default; any SQLAlchemy URL with ``--store`` — a plain
``postgresql://user@host:port/db`` URL works as written (the psycopg 3 driver is chosen for
it) when a team shares one store.

Stable lead ids: a lead's id comes from its strongest identifying key (registered domain,
else a phone, else an e-mail, else name + city). On a re-run, a new lead that shares any key
with a stored lead *is* that lead: its evidence and values merge in, ``last_seen`` moves,
``first_seen`` stays. Nothing is duplicated.

Several writers at once (jobs, workers) lose and duplicate nothing: each lead is matched and
written in one transaction that first locks its keys — ``BEGIN IMMEDIATE`` on SQLite (WAL,
so readers go on; a busy timeout makes writers queue), transaction-scoped advisory locks per
key and per lead on PostgreSQL — so two writers with the same business take turns, and the
second finds what the first stored.

The schema is migrated with Alembic (``leadharvest/migrations``) when a store is opened, so
a newer LeadHarvest opens a store an older one wrote; a store from before migrations is
adopted as it is.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
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
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from leadharvest.items import Evidence, Job, Lead, PageRecord, ReviewPair, utcnow

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

review_pairs = Table(
    "review_pairs",
    metadata,
    Column("job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True),
    Column("left_id", String(40), primary_key=True),
    Column("right_id", String(40), primary_key=True),
    Column("left_name", Text, nullable=False),
    Column("right_name", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
)
"""Borderline duplicate pairs per job, for the sheet's Review tab (``export --job`` too)."""

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("lead_id_a", String(40), primary_key=True),
    Column("lead_id_b", String(40), primary_key=True),
    Column("decision", String(10), nullable=False),
    Column("kept_id", String(40)),
    Column("job_id", String(200)),
    Column("decided_at", DateTime(timezone=True)),
    Column("source", Text),
)
"""A trainee's Accept / Split on a review pair (ids ordered, ``a < b``); ``kept_id`` is the
lead an Accept kept. No foreign keys: an accepted pair names the lead its merge removed, and a
Split must hold against a lead that a purge removed and a later run brings back."""

new_leads = Table(
    "new_leads",
    metadata,
    Column("job_id", String(200), ForeignKey("jobs.job_id", ondelete="CASCADE"), primary_key=True),
    Column(
        "lead_id", String(40), ForeignKey("leads.lead_id", ondelete="CASCADE"), primary_key=True
    ),
)
"""Leads a job found that no earlier run of the same job had (the sheet's "New" marker); a
table of its own so stores written before it existed open unchanged."""

suppression = Table(
    "suppression",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("value", String(380), primary_key=True),
    Column("added_at", DateTime(timezone=True)),
    Column("reason", Text, default=""),
    Column("lead_id", String(40)),
)
"""The do-not-contact list: normalised e-mail, E.164 phone, registered domain or registration
id. No foreign key to leads on purpose: the list must outlive a purged lead."""


@dataclass(frozen=True)
class SuppressionEntry:
    """One do-not-contact key and why it is on the list."""

    kind: str
    """email, phone, domain or regid."""
    value: str
    """Normalised, so a lead's own keys compare equal (see leadharvest.suppression)."""
    reason: str = ""
    lead_id: str = ""
    added_at: datetime | None = None


@dataclass(frozen=True)
class ReviewDecision:
    """A trainee's call on a borderline pair: ``accept`` (one business) or ``split`` (two)."""

    lead_id_a: str
    lead_id_b: str
    """The pair's ids, ordered (``a < b``) so a pair is one row whichever way it was shown."""
    decision: str
    job_id: str = ""
    source: str = ""
    """Where the decision came from, e.g. ``review sheet leads.xlsx``."""
    kept_id: str = ""
    """For an accept: the lead that survived the merge (set by the store)."""
    decided_at: datetime | None = None


DECISION_VALUES = ("accept", "split")

VERIFICATION_RANK = {"do_not_contact": 3, "invalid": 2, "verified": 1, "unverified": 0}
"""Merging two leads keeps the most "decided" verification: a person's do-not-contact or
invalid must never be undone by a merge."""

_KEY_STRENGTH = {"domain": 0, "phone": 1, "email": 2, "name": 3}


def survivor_order(lead: Lead) -> tuple[int, datetime, str]:
    """Which of two accepted leads keeps its id: the stronger identifying key (domain, phone,
    e-mail, name), then the older ``first_seen``, then the smaller id — so a lead id a team
    already uses in its CRM is the one that stays where possible."""
    from datetime import UTC

    keys = lead_keys_of(lead)
    strength = _KEY_STRENGTH.get(keys[0].split(":", 1)[0], 4) if keys else 4
    seen = _aware(lead.first_seen) or datetime.max.replace(tzinfo=UTC)
    return strength, seen, lead.lead_id


@dataclass(frozen=True)
class PurgeCounts:
    """What ``purge`` removed (or, on a dry run, would remove)."""

    leads: int
    evidence: int
    pages: int


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
            event.listen(self.engine, "begin", _sqlite_begin)
        self.writer = self.engine.execution_options(leadharvest_write=True)
        """The engine for writing transactions: ``BEGIN IMMEDIATE`` on SQLite, so two writers
        queue (busy timeout) instead of one failing when it upgrades a read lock."""
        try:
            migrate(self.writer)
        except (OperationalError, DBAPIError) as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {url!r}: {exc.orig}") from exc
        except BaseException:
            self.engine.dispose()
            raise

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
        with self.writer.begin() as conn:
            exists = conn.execute(select(jobs.c.job_id).where(jobs.c.job_id == job.job_id)).first()
            if exists:
                conn.execute(update(jobs).where(jobs.c.job_id == job.job_id).values(**row))
            else:
                conn.execute(insert(jobs).values(job_id=job.job_id, **row))

    def add_pages(
        self, job_id: str, records: Iterable[PageRecord], *, replace: bool = False
    ) -> None:
        """Add a job's page records; ``replace`` drops the job's earlier rows first (a resumed
        job hands over all of its pages again)."""
        rows = [{"job_id": job_id, **asdict(r)} for r in records]
        with self.writer.begin() as conn:
            if replace:
                conn.execute(delete(pages).where(pages.c.job_id == job_id))
            if rows:
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
        with self.engine.connect() as conn:
            return self._find_existing(conn, lead)

    def _find_existing(self, conn: Connection, lead: Lead) -> str | None:
        from dedupe.engine import same_business

        keys = lead_keys_of(lead)
        if not keys:
            return None
        rows = conn.execute(select(lead_keys).where(lead_keys.c.key.in_(keys))).all()
        votes: dict[str, tuple[int, int]] = {}
        for row in rows:
            count, best = votes.get(row.lead_id, (0, len(keys)))
            votes[row.lead_id] = (count + 1, min(best, keys.index(row.key)))
        identity = {row.lead_id for row in rows if row.key == keys[0]}
        for lead_id in sorted(votes, key=lambda lid: (-votes[lid][0], votes[lid][1])):
            if self._split_refuses(conn, lead_id, identity):
                continue
            stored = self._get_lead(conn, lead_id)
            if stored is not None and same_business(stored, lead).match:
                return lead_id
        return None

    def _split_refuses(self, conn: Connection, lead_id: str, identity_owners: set[str]) -> bool:
        """A record whose strongest key is held by a lead the trainee split from ``lead_id``
        (and not by ``lead_id`` itself) is that other business: never merged into this one."""
        if not identity_owners or lead_id in identity_owners:
            return False
        return bool(self._split_partners(conn, lead_id) & identity_owners)

    def _split_partners(self, conn: Connection, lead_id: str) -> set[str]:
        """The leads a trainee marked as a different business from ``lead_id``."""
        split = review_decisions.c.decision == "split"
        rows = conn.execute(
            select(review_decisions.c.lead_id_a, review_decisions.c.lead_id_b).where(
                split
                & (
                    (review_decisions.c.lead_id_a == lead_id)
                    | (review_decisions.c.lead_id_b == lead_id)
                )
            )
        ).all()
        return {r.lead_id_b if r.lead_id_a == lead_id else r.lead_id_a for r in rows}

    def upsert_leads(
        self,
        new_leads: list[Lead],
        *,
        job_id: str,
        seen_at: datetime | None = None,
        resumed: bool = False,
    ) -> list[Lead]:
        """Merge a job's deduplicated leads into the store; returns the stored versions.

        Each lead is matched and written in one transaction holding its keys' locks (see the
        module docstring), so concurrent jobs storing the same business make one lead.
        ``resumed``: this run goes on with the same job, whose earlier attempt may have
        stored some of these leads already; a lead that attempt stored as new stays new.
        """
        now = seen_at or utcnow()
        earlier = self.earlier_run_leads(job_id)
        if resumed:
            earlier -= self.new_lead_ids(job_id)
        result: list[Lead] = []
        for lead in new_leads:
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    with self.writer.begin() as conn:
                        self._lock(conn, [*(lead_keys_of(lead) or [f"raw:{lead.name}"])])
                        merged = self._merge_into_store(conn, lead, now)
                        merged.is_new = merged.lead_id not in earlier
                        self._store_lead(conn, merged, job_id)
                    break
                except DBAPIError as exc:
                    # a deadlock or serialisation failure between writers: try again afresh
                    if attempt + 1 == WRITE_ATTEMPTS or not _retryable(exc):
                        raise
            result.append(merged)
        return result

    def _lock(self, conn: Connection, names: list[str]) -> None:
        """Transaction-scoped PostgreSQL advisory locks, taken in a fixed order (no deadlock
        between two writers); SQLite's ``BEGIN IMMEDIATE`` already holds the one write lock."""
        if conn.dialect.name != "postgresql":
            return
        for key in sorted({_lock_key(name) for name in names}):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    def _merge_into_store(self, conn: Connection, lead: Lead, now: datetime) -> Lead:
        """``lead`` merged with the stored lead it is (or with its new id when none)."""
        from dedupe.merge import merge_leads

        existing_id = self._find_existing(conn, lead)
        if existing_id:
            # another writer may be merging a lead with other keys into the same one
            self._lock(conn, [f"lead:{existing_id}"])
            stored = self._get_lead(conn, existing_id)
            assert stored is not None
            merged = merge_leads([stored, lead])
            merged.lead_id = existing_id
            merged.first_seen = stored.first_seen or now
            merged.verification = stored.verification
            merged.notes = stored.notes
        else:
            merged = lead
            merged.lead_id = stable_id(lead)
            if self._get_lead(conn, merged.lead_id) is not None:  # key collision: keep apart
                merged.lead_id = (
                    stable_id(lead) + hashlib.sha1(lead.name.encode()).hexdigest()[:4]  # noqa: S324
                )
            self._lock(conn, [f"lead:{merged.lead_id}"])
            merged.first_seen = now
        merged.last_seen = now
        merged.evidence = _unique_evidence(merged.evidence)
        return merged

    def _write_lead(self, lead: Lead, job_id: str) -> None:
        with self.writer.begin() as conn:
            self._store_lead(conn, lead, job_id)

    def _store_lead(self, conn: Connection, lead: Lead, job_id: str) -> None:
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
        if conn.execute(select(leads.c.lead_id).where(leads.c.lead_id == lead.lead_id)).first():
            conn.execute(update(leads).where(leads.c.lead_id == lead.lead_id).values(**row))
        else:
            conn.execute(insert(leads).values(lead_id=lead.lead_id, **row))
        partners = self._split_partners(conn, lead.lead_id)
        for key in lead_keys_of(lead):
            mine = (lead_keys.c.key == key) & (lead_keys.c.lead_id == lead.lead_id)
            if conn.execute(select(lead_keys.c.key).where(mine)).first() is not None:
                continue
            if (
                partners
                and conn.execute(
                    select(lead_keys.c.key).where(
                        (lead_keys.c.key == key) & lead_keys.c.lead_id.in_(partners)
                    )
                ).first()
            ):
                continue  # a key of a business split from this one: it stays that one's
            conn.execute(insert(lead_keys).values(key=key, lead_id=lead.lead_id))
        for ev in lead.evidence:
            match = (
                (evidence.c.lead_id == lead.lead_id)
                & (evidence.c.source == ev.source)
                & (evidence.c.url == ev.url)
            )
            found = conn.execute(select(evidence.c.id, evidence.c.fetched_at).where(match)).first()
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
        this_run = (new_leads.c.job_id == job_id) & (new_leads.c.lead_id == lead.lead_id)
        conn.execute(delete(new_leads).where(this_run))
        if lead.is_new:
            conn.execute(insert(new_leads).values(job_id=job_id, lead_id=lead.lead_id))

    def save_grades(self, graded: Iterable[Lead]) -> None:
        """Write back score, grade and reasons after grading."""
        with self.writer.begin() as conn:
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
            return self._get_lead(conn, lead_id)

    def _get_lead(self, conn: Connection, lead_id: str) -> Lead | None:
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
            fresh = set(
                conn.execute(select(new_leads.c.lead_id).where(new_leads.c.job_id == job_id))
                .scalars()
                .all()
                if job_id
                else ()
            )
        by_lead: dict[str, list[Any]] = {}
        for ev in evs:
            by_lead.setdefault(ev.lead_id, []).append(ev)
        result = [_row_to_lead(row, by_lead.get(row.lead_id, [])) for row in rows]
        for lead in result:
            lead.is_new = lead.lead_id in fresh
        return result

    # -- review pairs -------------------------------------------------------------------
    def save_review_pairs(self, job_id: str, pairs: Iterable[ReviewPair]) -> None:
        """Replace the job's borderline pairs (a re-run of the job decides them afresh)."""
        rows = {(p.left_id, p.right_id): {"job_id": job_id, **asdict(p)} for p in pairs}
        with self.writer.begin() as conn:
            conn.execute(delete(review_pairs).where(review_pairs.c.job_id == job_id))
            if rows:
                conn.execute(insert(review_pairs), list(rows.values()))

    def review_pairs(self, job_id: str, *, decided: bool = False) -> list[ReviewPair]:
        """The job's borderline pairs, most similar first; a pair a trainee has decided is
        left out (``decided=True`` keeps it: what an import checks a sheet against)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(review_pairs)
                .where(review_pairs.c.job_id == job_id)
                .order_by(
                    review_pairs.c.score.desc(), review_pairs.c.left_id, review_pairs.c.right_id
                )
            ).all()
            done = (
                set()
                if decided
                else {
                    (r.lead_id_a, r.lead_id_b)
                    for r in conn.execute(
                        select(review_decisions.c.lead_id_a, review_decisions.c.lead_id_b)
                    )
                }
            )
        rows = [r for r in rows if tuple(sorted((r.left_id, r.right_id))) not in done]
        return [
            ReviewPair(
                left_id=r.left_id,
                left_name=r.left_name,
                right_id=r.right_id,
                right_name=r.right_name,
                score=r.score,
                reason=r.reason,
            )
            for r in rows
        ]

    # -- the web UI ---------------------------------------------------------------------
    def job_rows(self) -> list[dict[str, Any]]:
        """Every job's row (id, query, spec, times, status), newest first, for a job list."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(jobs).order_by(jobs.c.started_at.desc())).all()
        return [
            {
                "job_id": r.job_id,
                "query": r.query,
                "spec": dict(r.spec if isinstance(r.spec, dict) else json.loads(r.spec or "{}")),
                "started_at": _aware(r.started_at),
                "finished_at": _aware(r.finished_at),
                "status": r.status or "",
            }
            for r in rows
        ]

    def job_lead_ids(self, job_id: str) -> set[str]:
        """Ids of the leads a job touched: whether a lead may be shown under that job."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(job_leads.c.lead_id).where(job_leads.c.job_id == job_id))
            return set(rows.scalars().all())

    def count_leads(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(leads.c.lead_id)).all())

    # -- the New marker ----------------------------------------------------------------
    def new_lead_ids(self, job_id: str) -> set[str]:
        """Ids of the leads the job marked New (no earlier run of it had them)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(new_leads.c.lead_id).where(new_leads.c.job_id == job_id))
            return set(rows.scalars().all())

    def earlier_run_leads(self, job_id: str) -> set[str]:
        """Lead ids that earlier runs of this job stored: runs with the same job name, or
        jobs with the same query (whitespace aside), since each run gets a fresh default
        name."""
        with self.engine.connect() as conn:
            known = conn.execute(select(jobs.c.job_id, jobs.c.query)).all()
            own = next((_query_key(r.query) for r in known if r.job_id == job_id), None)
            same = {r.job_id for r in known if r.job_id == job_id or _query_key(r.query) == own}
            if not same:
                return set()
            rows = conn.execute(
                select(job_leads.c.lead_id).where(job_leads.c.job_id.in_(same)).distinct()
            )
            return set(rows.scalars().all())

    # -- the round trip: a trainee's edits and the suppression list ------------------------
    def review_state(self) -> dict[str, tuple[str, str]]:
        """``lead_id → (verification, notes)`` for every stored lead: what an import compares
        a sheet against, without loading whole leads."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(leads.c.lead_id, leads.c.verification, leads.c.notes))
            return {r.lead_id: (r.verification or "unverified", r.notes or "") for r in rows}

    def review_decisions(self) -> list[ReviewDecision]:
        """Every Accept / Split a trainee made, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(review_decisions).order_by(
                    review_decisions.c.decided_at,
                    review_decisions.c.lead_id_a,
                    review_decisions.c.lead_id_b,
                )
            ).all()
        return [
            ReviewDecision(
                lead_id_a=r.lead_id_a,
                lead_id_b=r.lead_id_b,
                decision=r.decision,
                job_id=r.job_id or "",
                source=r.source or "",
                kept_id=r.kept_id or "",
                decided_at=_aware(r.decided_at),
            )
            for r in rows
        ]

    def apply_review(
        self,
        changes: Iterable[tuple[str, str, str]],
        entries: Iterable[SuppressionEntry],
        decisions: Iterable[ReviewDecision] = (),
    ) -> int:
        """Write ``(lead_id, verification, notes)`` edits, add suppression keys and carry out
        review decisions (splits recorded, accepted pairs merged), all in one transaction: an
        import is applied whole or not at all. Returns the suppression keys added."""
        with self.writer.begin() as conn:
            for lead_id, verification, notes in changes:
                done = conn.execute(
                    update(leads)
                    .where(leads.c.lead_id == lead_id)
                    .values(verification=verification, notes=notes)
                )
                if done.rowcount != 1:  # purged since the sheet was checked: roll back
                    raise StoreError(f"lead {lead_id} is no longer in the store; nothing imported")
            added = self._add_suppression(conn, entries)
            ordered = sorted(decisions, key=lambda d: d.decision != "split")  # splits first
            moved: dict[str, str] = {}
            for decision in ordered:
                self._decide(conn, decision, moved)
            return added

    def _decide(self, conn: Connection, decision: ReviewDecision, moved: dict[str, str]) -> None:
        """Record one decision; an accept merges its two leads (``moved``: merged-away id →
        the id that kept it, for pairs later in the same import)."""
        if decision.decision not in DECISION_VALUES:
            raise StoreError(f"unknown review decision {decision.decision!r}")

        def now_id(lead_id: str) -> str:
            while lead_id in moved:
                lead_id = moved[lead_id]
            return lead_id

        a, b = sorted((now_id(decision.lead_id_a), now_id(decision.lead_id_b)))
        kept = ""
        if decision.decision == "accept" and a != b:
            if b in self._split_partners(conn, a):
                raise StoreError(
                    f"leads {a} and {b} are marked as different businesses (Split) and cannot"
                    " also be accepted as one; nothing imported"
                )
            kept, gone = self._merge_stored(conn, a, b, decision.source)
            moved[gone] = kept
        elif decision.decision == "accept":
            kept = a
        pair = (review_decisions.c.lead_id_a == decision.lead_id_a) & (
            review_decisions.c.lead_id_b == decision.lead_id_b
        )
        conn.execute(delete(review_decisions).where(pair))
        conn.execute(
            insert(review_decisions).values(
                lead_id_a=decision.lead_id_a,
                lead_id_b=decision.lead_id_b,
                decision=decision.decision,
                kept_id=kept or None,
                job_id=decision.job_id or None,
                decided_at=decision.decided_at or utcnow(),
                source=decision.source,
            )
        )

    def _merge_stored(self, conn: Connection, a: str, b: str, source: str) -> tuple[str, str]:
        """Merge two stored leads the trainee accepted as one business; returns (kept, gone).

        The survivor is chosen by :func:`survivor_order`. Everything of the other moves to it
        — evidence, keys, job links, New marks, review pairs and splits — its verification
        counts by :data:`VERIFICATION_RANK` and its notes are appended; then its row goes.
        The suppression list is keyed by contacts, not leads, so it is untouched.
        """
        from dedupe.merge import merge_leads

        self._lock(conn, [f"lead:{a}", f"lead:{b}"])
        left, right = self._get_lead(conn, a), self._get_lead(conn, b)
        if left is None or right is None:
            missing = a if left is None else b
            raise StoreError(f"lead {missing} is no longer in the store; nothing imported")
        keep, gone = sorted((left, right), key=survivor_order)
        why = f"merged by the trainee ({source})" if source else "merged by the trainee"
        merged = merge_leads([keep, gone], reasons=[why])
        merged.lead_id = keep.lead_id
        ids = [*merged.alternates.get("lead_id", []), keep.lead_id, gone.lead_id]
        merged.alternates["lead_id"] = [i for i in dict.fromkeys(ids) if i != keep.lead_id]
        merged.verification = max(
            (keep.verification, gone.verification), key=lambda v: VERIFICATION_RANK.get(v, 0)
        )
        merged.notes = "\n".join(dict.fromkeys(n for n in (keep.notes, gone.notes) if n))
        data = merged.to_dict()
        data.pop("evidence", None)
        conn.execute(
            update(leads)
            .where(leads.c.lead_id == keep.lead_id)
            .values(
                name=merged.name,
                normalized_name=merged.normalized_name,
                domain=merged.domain,
                verification=merged.verification,
                notes=merged.notes,
                first_seen=merged.first_seen,
                last_seen=merged.last_seen,
                data=data,
            )
        )
        k, g = keep.lead_id, gone.lead_id
        for table, other in ((lead_keys, lead_keys.c.key), (job_leads, job_leads.c.job_id)):
            self._move_rows(conn, table, other, g, k)
        self._move_rows(conn, new_leads, new_leads.c.job_id, g, k)
        # evidence: a page both leads cite stays once, on the survivor
        mine = {
            (r.source, r.url)
            for r in conn.execute(
                select(evidence.c.source, evidence.c.url).where(evidence.c.lead_id == k)
            )
        }
        for row in conn.execute(select(evidence).where(evidence.c.lead_id == g)).all():
            if (row.source, row.url) in mine:
                conn.execute(delete(evidence).where(evidence.c.id == row.id))
            else:
                conn.execute(update(evidence).where(evidence.c.id == row.id).values(lead_id=k))
        self._repoint_pairs(conn, g, k)
        conn.execute(delete(leads).where(leads.c.lead_id == g))
        return k, g

    @staticmethod
    def _move_rows(conn: Connection, table: Table, other: Any, gone: str, kept: str) -> None:
        """Give ``kept`` the rows ``gone`` has in a (something, lead_id) table, then drop
        ``gone``'s."""
        have = set(conn.execute(select(other).where(table.c.lead_id == kept)).scalars().all())
        for value in conn.execute(select(other).where(table.c.lead_id == gone)).scalars().all():
            if value not in have:
                conn.execute(insert(table).values({other.name: value, "lead_id": kept}))
        conn.execute(delete(table).where(table.c.lead_id == gone))

    def _repoint_pairs(self, conn: Connection, gone: str, kept: str) -> None:
        """Review pairs and splits naming the merged-away lead now name the survivor."""
        name = conn.execute(select(leads.c.name).where(leads.c.lead_id == kept)).scalar_one()
        rp = review_pairs.c
        for row in conn.execute(
            select(review_pairs).where((rp.left_id == gone) | (rp.right_id == gone))
        ).all():
            conn.execute(
                delete(review_pairs).where(
                    (rp.job_id == row.job_id)
                    & (rp.left_id == row.left_id)
                    & (rp.right_id == row.right_id)
                )
            )
            ends = {row.left_id: row.left_name, row.right_id: row.right_name}
            ends.pop(gone)
            ends[kept] = name
            if len(ends) < 2:
                continue  # the pair just merged
            left, right = sorted(ends)
            exists = (rp.job_id == row.job_id) & (rp.left_id == left) & (rp.right_id == right)
            if conn.execute(select(rp.job_id).where(exists)).first() is None:
                conn.execute(
                    insert(review_pairs).values(
                        job_id=row.job_id,
                        left_id=left,
                        left_name=ends[left],
                        right_id=right,
                        right_name=ends[right],
                        score=row.score,
                        reason=row.reason,
                    )
                )
        rd = review_decisions.c
        for row in conn.execute(
            select(review_decisions).where(
                (rd.decision == "split") & ((rd.lead_id_a == gone) | (rd.lead_id_b == gone))
            )
        ).all():
            other = row.lead_id_b if row.lead_id_a == gone else row.lead_id_a
            a, b = sorted((other, kept))
            exists = (rd.lead_id_a == a) & (rd.lead_id_b == b)
            if conn.execute(select(rd.decision).where(exists)).first() is None:
                conn.execute(
                    insert(review_decisions).values(
                        lead_id_a=a,
                        lead_id_b=b,
                        decision="split",
                        job_id=row.job_id,
                        decided_at=row.decided_at,
                        source=row.source,
                    )
                )

    def add_suppression(self, entries: Iterable[SuppressionEntry]) -> int:
        """Add keys to the do-not-contact list; returns how many were not on it yet."""
        with self.writer.begin() as conn:
            return self._add_suppression(conn, entries)

    def _add_suppression(self, conn: Any, entries: Iterable[SuppressionEntry]) -> int:
        added = 0
        for entry in dict.fromkeys(entries):
            mine = (suppression.c.kind == entry.kind) & (suppression.c.value == entry.value)
            if conn.execute(select(suppression.c.kind).where(mine)).first() is None:
                conn.execute(
                    insert(suppression).values(
                        kind=entry.kind,
                        value=entry.value,
                        added_at=entry.added_at or utcnow(),
                        reason=entry.reason,
                        lead_id=entry.lead_id or None,
                    )
                )
                added += 1
        return added

    def remove_suppression(self, kind: str, value: str) -> bool:
        with self.writer.begin() as conn:
            done = conn.execute(
                delete(suppression).where(
                    (suppression.c.kind == kind) & (suppression.c.value == value)
                )
            )
            return bool(done.rowcount)

    def suppression_list(self) -> list[SuppressionEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(suppression).order_by(suppression.c.kind, suppression.c.value)
            ).all()
        return [
            SuppressionEntry(
                kind=r.kind,
                value=r.value,
                reason=r.reason or "",
                lead_id=r.lead_id or "",
                added_at=_aware(r.added_at),
            )
            for r in rows
        ]

    # -- retention ----------------------------------------------------------------------
    def purge(self, older_than_days: int, *, dry_run: bool = False) -> PurgeCounts:
        """Remove unverified leads not seen for ``older_than_days`` days, their evidence, and
        page records fetched before then.

        Leads a person has marked (verified, invalid, do not contact) and the suppression
        list are kept: they are the trainee's work, and forgetting a do-not-contact would
        let a re-run put the business back on a call list.
        """
        cutoff = utcnow() - timedelta(days=older_than_days)
        stale = (leads.c.verification == "unverified") & (leads.c.last_seen < cutoff)
        with self.writer.begin() as conn:
            ids = list(conn.execute(select(leads.c.lead_id).where(stale)).scalars().all())
            n_evidence = 0
            for chunk in _chunks(ids, 500):
                n_evidence += int(
                    conn.execute(
                        select(func.count())
                        .select_from(evidence)
                        .where(evidence.c.lead_id.in_(chunk))
                    ).scalar_one()
                )
            old_pages = pages.c.fetched_at < cutoff
            n_pages = int(
                conn.execute(select(func.count()).select_from(pages).where(old_pages)).scalar_one()
            )
            if not dry_run:
                for chunk in _chunks(ids, 500):
                    for table in (evidence, lead_keys, job_leads, new_leads):
                        conn.execute(delete(table).where(table.c.lead_id.in_(chunk)))
                    conn.execute(
                        delete(review_pairs).where(
                            review_pairs.c.left_id.in_(chunk) | review_pairs.c.right_id.in_(chunk)
                        )
                    )
                    conn.execute(delete(leads).where(leads.c.lead_id.in_(chunk)))
                conn.execute(delete(pages).where(old_pages))
        return PurgeCounts(leads=len(ids), evidence=n_evidence, pages=n_pages)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _query_key(query: str | None) -> str:
    return " ".join((query or "").split())


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
    lead.is_new = False  # per job: Store.leads(job_id=…) sets it from new_leads
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
    """WAL (readers never wait for the writer), foreign keys, and a busy timeout long enough
    for another job's write transaction to finish; transactions are begun by
    :func:`_sqlite_begin`, not by the driver."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # the busy timeout first: switching a new file to WAL needs a moment of exclusive access,
    # and a second process opening the same new store must wait for it, not fail at once
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # SQLite may answer "database is locked" to the WAL switch at once, without its busy
    # handler, while another process opens or switches the same file: try again for a while
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` for a writing transaction (it takes the write lock up front, so it
    waits for another writer instead of failing on a stale snapshot), ``BEGIN`` otherwise."""
    write = conn.get_execution_options().get("leadharvest_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 5


def _retryable(exc: DBAPIError) -> bool:
    """A PostgreSQL deadlock / serialisation failure, or SQLite still busy after its timeout."""
    code = getattr(exc.orig, "sqlstate", None)
    return code in {"40001", "40P01"} or "database is locked" in str(exc.orig)


"""How long a SQLite writer waits for another (a job stores leads one short transaction each)."""


# -- migrations ----------------------------------------------------------------------------
def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "leadharvest:migrations")
    return config


def migration_head() -> str:
    """The newest revision this LeadHarvest knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def store_revision(conn: Connection) -> str | None:
    """The revision a store is at (None: new, or from before migrations)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the store's schema to this LeadHarvest's head revision (no-op when it is there).

    Runs in one transaction that holds a lock (SQLite's write lock, a PostgreSQL advisory
    lock), so two processes opening a new store at once do not both create it. A store
    written by a newer LeadHarvest is refused, not touched.
    """
    from alembic import command
    from alembic.util import CommandError

    head = migration_head()
    with engine.connect() as conn:
        if store_revision(conn) == head:
            return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("migrate")})
        current = store_revision(conn)
        if current == head:
            return
        config = _alembic_config()
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise StoreError(
                f"the store is at schema revision {current!r}, which this LeadHarvest does not"
                f" know (head {head!r}): it was written by a newer LeadHarvest; upgrade"
            ) from exc


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for ``name`` (stable across processes)."""
    digest = hashlib.sha1(name.encode("utf-8")).digest()  # noqa: S324
    return int.from_bytes(digest[:8], "big", signed=True)
