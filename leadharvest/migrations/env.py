"""Alembic environment: run against the connection :func:`leadharvest.store.migrate` hands over.

The connection carries the store's own search path (a per-test PostgreSQL schema, a team's
schema), so ``alembic_version`` and every table live where the store lives. Developers make
a new revision with ``alembic -c leadharvest/migrations/alembic.ini revision -m "…"``.
"""

from __future__ import annotations

from alembic import context

from leadharvest.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the alembic command line gets here
    from sqlalchemy import create_engine

    from leadharvest.store import normalise_url

    url = context.config.get_main_option("sqlalchemy.url") or ""
    connection = create_engine(normalise_url(url)).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
