"""Real services for tests: PostgreSQL on 127.0.0.1:5432 (database ``test``, trust auth) and
Redis on 127.0.0.1:6379.

Each test run gets its own PostgreSQL schema / Redis key prefix and drops it afterwards. Where
the server is absent the test skips with the reason; under ``CI=true`` it fails instead (CI
must test for real).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_BASE = os.environ.get("LEADHARVEST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


REDIS_BASE = os.environ.get("LEADHARVEST_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _unavailable(reason: str, service: str = "PostgreSQL") -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{service} is required in CI: {reason}")
    pytest.skip(f"{service} not available: {reason}")


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


@contextmanager
def redis_scheduler() -> Iterator[tuple[str, str]]:
    """``(scheduler URL, key prefix)``: a fresh prefix in the test Redis database (set it as
    ``LEADHARVEST_REDIS_PREFIX``); its keys are deleted afterwards."""
    import redis

    prefix = f"lh_test_{uuid.uuid4().hex[:10]}"
    client = redis.Redis.from_url(REDIS_BASE, socket_connect_timeout=5)
    try:
        client.ping()
    except Exception as exc:
        client.close()
        _unavailable(str(exc).splitlines()[0], "Redis")
    try:
        yield REDIS_BASE, prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def backend_store_url(backend: str, folder: Path) -> Iterator[str]:
    """A store URL on ``backend`` ("sqlite" in ``folder``, or a fresh PostgreSQL schema), for
    tests that must hold on both databases the project supports."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
    else:
        with postgres_schema_url() as url:
            yield url
