"""The trainee's Accept / Split decisions on borderline duplicate pairs (``review_decisions``).

A decision outlives the job that showed the pair: a Split must keep the two businesses apart
in every later run, so it is kept in a table of its own, not with the job's review pairs
(which a re-run replaces). No foreign keys to leads: an accepted pair names a lead that the
merge removed, and that record is what lets an old sheet be recognised.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("review_decisions"):
        return
    op.create_table(
        "review_decisions",
        sa.Column("lead_id_a", sa.String(40), primary_key=True),
        sa.Column("lead_id_b", sa.String(40), primary_key=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("kept_id", sa.String(40)),
        sa.Column("job_id", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("source", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("review_decisions")
