"""Classroom accounts: who may see which job (``serve --accounts``).

Customer files are confidential (DOMAIN.md): each trainee sees the jobs they started, a
supervisor sees every job. Accounts and job owners live in the same store as the leads, in
two tables of their own, so a classroom's PostgreSQL store carries them and a store without
them opens unchanged. Passwords are kept only as Argon2id hashes (argon2-cffi, the OWASP
recommendation); a hash made with older parameters is upgraded at the next login.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from leadharvest.items import utcnow
from leadharvest.store import Store

ROLES = ("trainee", "supervisor")
MIN_PASSWORD = 8
_NAME_RE = re.compile(r"^[\w.@-]{1,64}$")

metadata = MetaData()

users = Table(
    "web_users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True)),
)

job_owners = Table(
    "web_job_owners",
    metadata,
    Column("job_id", String(200), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
)
"""Who started a job from the web UI; jobs run from the command line have no row and only a
supervisor sees them."""

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A bad user name, role or password, or an unknown user: one line for the CLI."""


@dataclass(frozen=True)
class User:
    """A signed-in person (or, without ``--accounts``, the one local user who sees all)."""

    name: str
    role: str

    @property
    def supervisor(self) -> bool:
        return self.role == "supervisor"


LOCAL_USER = User(name="", role="supervisor")


class Accounts:
    """Users and job owners in a store."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        metadata.create_all(self.engine)

    def add_user(self, name: str, role: str, password: str) -> User:
        if not _NAME_RE.match(name):
            raise AccountError(
                f"user name {name!r}: use 1-64 letters, digits, '.', '@', '-' or '_'"
            )
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
        with self.engine.begin() as conn:
            if conn.execute(select(users.c.name).where(users.c.name == name)).first():
                raise AccountError(f"user {name!r} exists")
            conn.execute(
                insert(users).values(
                    name=name,
                    role=role,
                    password_hash=_hasher.hash(password),
                    created_at=utcnow(),
                )
            )
        return User(name, role)

    def remove_user(self, name: str) -> None:
        with self.engine.begin() as conn:
            if not conn.execute(delete(users).where(users.c.name == name)).rowcount:
                raise AccountError(f"no user {name!r}")

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(users.c.name, users.c.role).order_by(users.c.name))
            return [User(r.name, r.role) for r in rows]

    def get(self, name: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users.c.name, users.c.role).where(users.c.name == name))
            found = row.first()
        return User(found.name, found.role) if found else None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right; None otherwise (same answer for an unknown
        name, which still costs one hash so timing does not tell names apart)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            _hasher.hash(password)
            return None
        try:
            _hasher.verify(row.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            with self.engine.begin() as conn:
                conn.execute(
                    update(users)
                    .where(users.c.name == name)
                    .values(password_hash=_hasher.hash(password))
                )
        return User(row.name, row.role)

    # -- job owners -----------------------------------------------------------------------
    def set_owner(self, job_id: str, owner: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(job_owners).where(job_owners.c.job_id == job_id))
            conn.execute(insert(job_owners).values(job_id=job_id, owner=owner))

    def owners(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(job_owners))
            return {r.job_id: r.owner for r in rows}

    def owner(self, job_id: str) -> str:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(job_owners.c.owner).where(job_owners.c.job_id == job_id)
            ).first()
        return row.owner if row else ""

    def can_see(self, user: User, job_id: str) -> bool:
        """A supervisor sees every job; a trainee only the jobs they started."""
        return user.supervisor or (bool(user.name) and self.owner(job_id) == user.name)


class LoginThrottle:
    """Slows down password guessing on a classroom server.

    Argon2 makes each guess cost the server, not the guesser, so a shared ``serve
    --accounts`` would otherwise let anyone on the network try passwords as fast as it can
    hash them. After ``limit`` failures for one account name from one address inside
    ``window`` seconds, that pair is refused until the oldest failure ages out. Kept in
    memory: a restart forgets it, which is acceptable for a classroom server and needs no
    table.
    """

    def __init__(self, limit: int = 5, window: float = 600.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def blocked(self, client: str, name: str, now: float | None = None) -> bool:
        """True while this address has used up its failed attempts for this name."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return len(self._recent((client, name.casefold()), now)) >= self.limit

    def failed(self, client: str, name: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent((client, name.casefold()), now).append(now)

    def succeeded(self, client: str, name: str) -> None:
        with self._lock:
            self._failures.pop((client, name.casefold()), None)
