"""Real services for tests: PostgreSQL on 127.0.0.1:5432 (database ``test``, trust auth).

Each test run gets its own schema and drops it afterwards. Where the server is absent the
test skips with the reason; under ``CI=true`` it fails instead (CI must test for real).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

PG_BASE = os.environ.get("LEADHARVEST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A store URL whose search_path is a fresh schema, dropped afterwards."""
    schema = f"lh_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        _unavailable(str(exc).splitlines()[0])
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
