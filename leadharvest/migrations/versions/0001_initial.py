"""The store as it was when migrations came in: jobs, leads and their keys, evidence, pages,
review pairs, the New marker and the suppression list.

A store written before migrations existed has no ``alembic_version`` but some or all of
these tables (``metadata.create_all`` made them, and added only the tables a release
brought, never columns): this revision creates what is missing and adds ``pages.reason``
(added by a release without a migration) where it lacks, so such a store is adopted as it
is, data kept.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list[sa.Column[object] | sa.Constraint], list[str]]]:
    """(table, columns and constraints, indexed columns) of this revision, in FK order."""
    tz = sa.DateTime(timezone=True)
    return [
        (
            "jobs",
            [
                sa.Column("job_id", sa.String(200), primary_key=True),
                sa.Column("query", sa.Text, nullable=False),
                sa.Column("spec", sa.JSON, nullable=False),
                sa.Column("started_at", tz),
                sa.Column("finished_at", tz),
                sa.Column("status", sa.String(40)),
            ],
            [],
        ),
        (
            "leads",
            [
                sa.Column("lead_id", sa.String(40), primary_key=True),
                sa.Column("name", sa.Text, nullable=False),
                sa.Column("normalized_name", sa.Text),
                sa.Column("domain", sa.String(255)),
                sa.Column("grade", sa.String(2)),
                sa.Column("score", sa.Float),
                sa.Column("verification", sa.String(40), nullable=False),
                sa.Column("notes", sa.Text),
                sa.Column("first_seen", tz),
                sa.Column("last_seen", tz),
                sa.Column("data", sa.JSON, nullable=False),
            ],
            ["domain"],
        ),
        (
            "lead_keys",
            [
                sa.Column("key", sa.String(400), primary_key=True),
                sa.Column(
                    "lead_id",
                    sa.String(40),
                    sa.ForeignKey("leads.lead_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
            ],
            ["lead_id"],
        ),
        (
            "evidence",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "lead_id", sa.String(40), sa.ForeignKey("leads.lead_id", ondelete="CASCADE")
                ),
                sa.Column("job_id", sa.String(200)),
                sa.Column("source", sa.String(120), nullable=False),
                sa.Column("method", sa.String(40), nullable=False),
                sa.Column("url", sa.Text, nullable=False),
                sa.Column("fetched_at", tz),
                sa.Column("query", sa.Text),
                sa.Column("fields", sa.JSON),
                sa.UniqueConstraint("lead_id", "source", "url", name="uq_evidence_lead_source_url"),
            ],
            ["lead_id"],
        ),
        (
            "job_leads",
            [
                sa.Column(
                    "job_id",
                    sa.String(200),
                    sa.ForeignKey("jobs.job_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column(
                    "lead_id",
                    sa.String(40),
                    sa.ForeignKey("leads.lead_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
            ],
            [],
        ),
        (
            "pages",
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "job_id", sa.String(200), sa.ForeignKey("jobs.job_id", ondelete="CASCADE")
                ),
                sa.Column("url", sa.Text, nullable=False),
                sa.Column("source", sa.String(120)),
                sa.Column("method", sa.String(40)),
                sa.Column("status", sa.String(40)),
                sa.Column("http_status", sa.Integer),
                sa.Column("leads", sa.Integer),
                sa.Column("results", sa.Integer),
                sa.Column("fetched_at", tz),
                sa.Column("reason", sa.Text),
            ],
            ["job_id"],
        ),
        (
            "review_pairs",
            [
                sa.Column(
                    "job_id",
                    sa.String(200),
                    sa.ForeignKey("jobs.job_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column("left_id", sa.String(40), primary_key=True),
                sa.Column("right_id", sa.String(40), primary_key=True),
                sa.Column("left_name", sa.Text, nullable=False),
                sa.Column("right_name", sa.Text, nullable=False),
                sa.Column("score", sa.Float, nullable=False),
                sa.Column("reason", sa.Text, nullable=False),
            ],
            [],
        ),
        (
            "new_leads",
            [
                sa.Column(
                    "job_id",
                    sa.String(200),
                    sa.ForeignKey("jobs.job_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column(
                    "lead_id",
                    sa.String(40),
                    sa.ForeignKey("leads.lead_id", ondelete="CASCADE"),
                    primary_key=True,
                ),
            ],
            [],
        ),
        (
            "suppression",
            [
                sa.Column("kind", sa.String(20), primary_key=True),
                sa.Column("value", sa.String(380), primary_key=True),
                sa.Column("added_at", tz),
                sa.Column("reason", sa.Text),
                sa.Column("lead_id", sa.String(40)),
            ],
            [],
        ),
    ]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, items, indexed in _tables():
        if not inspector.has_table(name):
            op.create_table(name, *items)
            for column in indexed:
                op.create_index(f"ix_{name}_{column}", name, [column])
    # adopt a store from before migrations: the one column a release added without one
    if "reason" not in {c["name"] for c in inspector.get_columns("pages")}:
        op.add_column("pages", sa.Column("reason", sa.Text))


def downgrade() -> None:
    for name, _items, _indexed in reversed(_tables()):
        op.drop_table(name)
