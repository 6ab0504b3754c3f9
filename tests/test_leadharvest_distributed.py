"""Many workers, one job: scrapy-redis with leases on the real Redis, one PostgreSQL store.

The crawl tests run real ``leadharvest worker`` processes (with deprecation warnings as
errors) against the loopback web of ``tests/scalesite.py``: 30 sites of 4 pages, each site
one business. What a finished job must hold follows from that web: 120 page records, one
per page, and 30 leads, each with the 4 pages of its site as evidence.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from scrapy import Request

from leadharvest.cli import main
from leadharvest.distributed import enqueue_requests
from leadharvest.planning import StartRequest
from leadharvest.store import Store
from spiders.redis_scheduler import JOB_KEY, LEASE_KEY, JobDupeFilter, LeaseQueue
from spiders.worker import WorkerSpider
from tests import scalesite
from tests.services import postgres_schema_url, redis_scheduler

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SITES = 30
FAST = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS=8",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


@pytest.fixture
def scheduler(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with redis_scheduler() as (url, prefix):
        monkeypatch.setenv("LEADHARVEST_REDIS_PREFIX", prefix)
        yield url


@pytest.fixture
def queue(scheduler: str) -> LeaseQueue:
    return LeaseQueue(
        redis.Redis.from_url(scheduler),
        os.environ["LEADHARVEST_REDIS_PREFIX"],
        lease_seconds=30,
        max_attempts=2,
    )


def _request(url: str, job: str = "j", **kw: object) -> Request:
    return Request(url, meta={JOB_KEY: job}, headers={"X-Key": b"\xffbytes"}, **kw)  # type: ignore[arg-type]


# -- the lease queue --------------------------------------------------------------------------
def test_a_popped_request_is_leased_until_completed(queue: LeaseQueue) -> None:
    assert queue.push(_request("http://a.example/", priority=1))
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (1, 0, 1)
    got = queue.pop(None)
    assert got is not None and got.url == "http://a.example/"
    assert got.headers[b"X-Key"] == b"\xffbytes"  # bytes survive the JSON envelope
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (0, 1, 1)
    assert queue.complete(got) == 0
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (0, 0, 0)
    assert queue.complete(got) is None  # ending a lease twice counts once


def test_an_expired_lease_goes_back_to_the_queue_then_is_given_up(queue: LeaseQueue) -> None:
    queue.push(_request("http://a.example/"))
    first = queue.pop(None)
    assert first is not None
    assert queue.reap(now=time.time() + 5) == []  # not expired yet
    assert queue.reap(now=time.time() + 60) == []  # expired: back in the queue
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (1, 0, 1)
    again = queue.pop(None)
    assert again is not None and again.url == first.url
    assert queue.complete(first) is None  # the old holder's lease is gone
    given_up = queue.reap(now=time.time() + 60)  # second expiry: max_attempts=2
    assert [e["a"] for e in given_up] == [2]
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (0, 0, 0)


def test_a_retry_takes_over_its_request_s_lease(queue: LeaseQueue) -> None:
    queue.push(_request("http://a.example/"))
    got = queue.pop(None)
    assert got is not None
    retry = got.replace(dont_filter=True)
    assert retry.meta[LEASE_KEY] == got.meta[LEASE_KEY]
    assert queue.push(retry)
    assert (queue.queued(), queue.leased(), queue.pending("j")) == (1, 0, 1)


def test_a_retry_of_a_lease_already_put_back_is_not_queued_twice(queue: LeaseQueue) -> None:
    queue.push(_request("http://a.example/"))
    got = queue.pop(None)
    assert got is not None
    queue.reap(now=time.time() + 60)
    assert not queue.push(got.replace(dont_filter=True))
    assert (queue.queued(), queue.pending("j")) == (1, 1)


def test_the_duplicate_filter_is_shared_and_per_job(scheduler: str) -> None:
    server = redis.Redis.from_url(scheduler)
    prefix = os.environ["LEADHARVEST_REDIS_PREFIX"]
    one, two = JobDupeFilter(server, prefix), JobDupeFilter(server, prefix)
    assert not one.request_seen(_request("http://a.example/x", job="j1"))
    assert two.request_seen(_request("http://a.example/x", job="j1"))
    assert not two.request_seen(_request("http://a.example/x", job="j2"))


def test_enqueue_builds_requests_as_the_job_spiders_do(scheduler: str) -> None:
    plan = [
        StartRequest(url="http://shop-001.example/", source="company_website", query="camera"),
        StartRequest(url="http://shop-001.example/", source="company_website", query="camera"),
    ]
    assert enqueue_requests(scheduler, "j", plan) == 1  # the same site once
    queue = LeaseQueue(redis.Redis.from_url(scheduler), os.environ["LEADHARVEST_REDIS_PREFIX"])
    got = queue.pop(WorkerSpider())
    assert got is not None
    assert (got.meta["lh_kind"], got.meta[JOB_KEY]) == ("site", "j")
    assert got.callback.__name__ == "parse_page"  # type: ignore[union-attr]


# -- the command line ----------------------------------------------------------------------------
def _exit_code(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code or 0)


def test_workers_without_a_scheduler_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _exit_code(["collect", "camera", "--start-url", "http://a.example/", "--workers", "2"])
    assert code == 2
    assert "--workers needs --scheduler" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["worker", "--scheduler", "redis://127.0.0.1:1/0", "--store", str(tmp_path / "s.db")]
    assert _exit_code(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach the scheduler") and "Traceback" not in err


# -- real workers ---------------------------------------------------------------------------
def _enqueue(site: scalesite.Site, scheduler: str, store: str, job: str, tmp: Path) -> None:
    args = ["collect", "camera", "--job", job, "--scheduler", scheduler, "--store", store]
    args += ["--workers", "0", "--out", str(tmp)]
    for url in site.start_urls():
        args += ["--start-url", url]
    assert _exit_code(args) == 0


def _worker(
    site: scalesite.Site, scheduler: str, store: str, *extra: str
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "leadharvest", "worker", "--scheduler", scheduler]
    command += ["--store", store, "--exit-when-idle", "2"]
    for item in [*FAST, *extra]:
        command += ["-s", item]
    env = {
        **os.environ,
        "http_proxy": site.proxy,
        "PYTHONWARNINGS": "error::DeprecationWarning",
    }
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _check_store(store_url: str, job: str, site: scalesite.Site) -> Counter[str]:
    """The finished job: one page record per page, one lead per site with all its pages."""
    store = Store(store_url)
    try:
        records = Counter(p.url for p in store.job_pages(job))
        leads = store.leads(job_id=job)
    finally:
        store.close()
    assert set(records) == set(site.pages())
    assert {lead.name for lead in leads} == {scalesite.business(n) for n in range(SITES)}
    assert len(leads) == SITES
    for lead in leads:
        n = int(lead.name.split()[1])
        assert {ev.url for ev in lead.evidence} == set(scalesite.site_urls(n))
    return records


def test_two_workers_finish_a_job_into_one_store(scheduler: str, tmp_path: Path) -> None:
    with scalesite.serve(SITES, 0.02) as site, postgres_schema_url() as pg:
        _enqueue(site, scheduler, pg, "two", tmp_path)
        workers = [_worker(site, scheduler, pg) for _ in range(2)]
        for proc in workers:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()[-2000:]
        records = _check_store(pg, "two", site)
        assert max(records.values()) == 1
        assert max(site.fetch_counts().values()) == 1  # the shared filter: no page twice
        out = tmp_path / "two.jsonl"
        assert (
            _exit_code(["export", "--job", "two", "--store", pg, "-f", "jsonl", "-o", str(out)])
            == 0
        )
        assert len(out.read_text(encoding="utf-8").splitlines()) == SITES
        assert _exit_code(["status", "--job", "two", "--store", pg, "--scheduler", scheduler]) == 0


def test_a_killed_worker_loses_nothing_and_nothing_is_completed_twice(
    scheduler: str, tmp_path: Path
) -> None:
    with scalesite.serve(SITES, 0.05) as site, postgres_schema_url() as pg:
        _enqueue(site, scheduler, pg, "kill", tmp_path)
        lease = ["LEADHARVEST_LEASE_SECONDS=3"]
        victim = _worker(site, scheduler, pg, *lease)
        server = redis.Redis.from_url(scheduler)
        leases = f"{os.environ['LEADHARVEST_REDIS_PREFIX']}:leases"
        deadline = time.monotonic() + 60
        # kill it mid-job, with requests in flight
        while len(site.log) < 20 or server.zcard(leases) < 3:
            assert time.monotonic() < deadline, "the worker never got going"
            time.sleep(0.02)
        victim.send_signal(signal.SIGKILL)
        victim.communicate()
        in_flight = int(server.zcard(leases))
        survivor = _worker(site, scheduler, pg, *lease)
        _, err = survivor.communicate(timeout=120)
        assert survivor.returncode == 0, err.decode()[-2000:]
        records = _check_store(pg, "kill", site)
        assert [url for url, n in records.items() if n > 1] == []  # completed twice
        fetched = site.fetch_counts()
        assert set(site.pages()) - set(fetched) == set()  # never fetched
        assert in_flight >= 3
        # the leases the victim held were fetched again by the survivor
        assert sum(1 for n in fetched.values() if n > 1) >= 1


def test_a_worker_run_job_gets_its_review_pairs_when_it_finishes(
    scheduler: str, tmp_path: Path
) -> None:
    """Workers store a job page by page; the Review sheet's near misses span pages, so the
    writer that finishes the job looks at all its leads at once."""
    from enrich.pipeline import enrich_lead
    from leadharvest.distributed import JobWriter
    from leadharvest.items import Evidence, Job, Lead, Phone

    def lead(name: str, phone: str, page: str) -> Lead:
        url = f"https://directory.example/{page}"
        found = Lead(
            name=name,
            city="Sydney",
            postcode="2000",
            phones=[Phone(raw=phone, sources=[url])],
            evidence=[Evidence(source="generic", method="yellow_pages", url=url)],
        )
        return enrich_lead(found, region="AU")

    store_url = str(tmp_path / "store.db")
    db = Store(store_url)
    db.save_job(Job(job_id="j", query="photo", status="running"), {"query": "photo"})
    # two pages, one listing each: names 86 apart, same city and postcode, different phones
    db.upsert_leads([lead("Harbour Photo Supplies", "(02) 9555 0101", "a")], job_id="j")
    db.upsert_leads([lead("Harbour Photographic Supplies", "(02) 9555 0199", "b")], job_id="j")
    db.upsert_leads([lead("Reef Aquarium Cleaning", "(02) 9555 0300", "c")], job_id="j")
    db.close()
    writer = JobWriter(store_url, scheduler)
    try:
        writer.finish("j")
    finally:
        writer.close()
    db = Store(store_url)
    try:
        (pair,) = db.review_pairs("j")
        assert {pair.left_name, pair.right_name} == {
            "Harbour Photo Supplies",
            "Harbour Photographic Supplies",
        }
        assert "different phones" in pair.reason
        assert next(r for r in db.job_rows() if r["job_id"] == "j")["status"] == "finished"
    finally:
        db.close()
