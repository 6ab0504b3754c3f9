"""One process at a time per job: a lock file held for as long as the job runs.

``collect --resume NAME`` on a job that is still running in another terminal (or the web UI's
Resume while the first run is alive) would crawl the same sites twice and race on the same
journal. The running job holds an exclusive ``flock`` on ``OUT/work/JOB.lock``; a second run
of the same job is refused with one line naming the process that holds it. The operating
system drops the lock when its process dies, ``kill -9`` included, so a crashed job never
leaves a stale lock behind and is resumable at once.

``flock`` locks belong to the open file, so two threads of one process (the web UI) exclude
each other too. Where ``fcntl`` does not exist (Windows) the lock is not taken.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from leadharvest.settings import ConfigError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class JobRunningError(ConfigError):
    """The job is running in another process (or thread) right now."""


def lock_path(out: Path, job_id: str) -> Path:
    """Where the lock of job ``job_id`` under ``out`` lives (beside its crawl journal)."""
    return out / "work" / f"{job_id}.lock"


@contextmanager
def job_lock(out: Path, job_id: str) -> Iterator[None]:
    """Hold job ``job_id``'s lock for the block; JobRunningError if someone else holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    path = lock_path(out, job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise JobRunningError(
                f"job {job_id!r} is running right now ({holder}); wait for it to finish or "
                "stop it before resuming"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock
