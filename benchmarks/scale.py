"""Pages per second with 1, 2 and 4 ``leadharvest worker`` processes, beside bare Scrapy.

Usage: ``python benchmarks/scale.py [--sites 50] [--latency 0.05] [--concurrency 8]``.

Needs Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, database ``test``), as the
tests do. The web is ``tests/scalesite.py`` on loopback: SITES company sites of 4 pages,
every page answering after a fixed latency. Each row is a fresh job (a fresh Redis key
prefix and PostgreSQL schema):

* ``workers N``: the job queued with ``collect --scheduler … --workers 0``, then N worker
  processes; the time runs from the first page answered to the last page's record in the
  store (process start-up and the idle wait at the end are left out).
* ``bare Scrapy``: one plain Scrapy process fetching the same pages (all URLs known up front,
  nothing parsed or stored, same concurrency and proxy) — the fetch rate the network side
  allows, for comparison.
* ``kill -9``: 2 workers, one killed once a third of the pages are answered; the survivor
  finishes. ``lost`` = pages with no record in the store, ``done twice`` = pages with more
  than one record, ``fetched twice`` = pages the server answered more than once (a killed
  worker's requests in flight, fetched again by the survivor).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadharvest.cli import main as cli_main  # noqa: E402
from leadharvest.store import Store  # noqa: E402
from tests import scalesite  # noqa: E402
from tests.services import REDIS_BASE, postgres_schema_url  # noqa: E402

BARE = r"""
import json, sys, time
import scrapy
from scrapy.crawler import AsyncCrawlerProcess

urls, concurrency, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
stamps = []

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, dont_filter=True)
    def parse(self, response):
        stamps.append(time.time())

process = AsyncCrawlerProcess({"CONCURRENT_REQUESTS": concurrency,
    "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "LOG_LEVEL": "ERROR",
    "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False})
process.crawl(Bare)
process.start()
open(out, "w").write(json.dumps(stamps))
"""


def _cli(args: list[str]) -> None:
    try:
        cli_main(args)
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise RuntimeError(f"leadharvest {args[0]} failed ({exc.code})") from None


def _worker(site: scalesite.Site, store: str, concurrency: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "leadharvest", "worker", "--scheduler", REDIS_BASE]
    command += ["--store", store, "--exit-when-idle", "1", "-s", "LEADHARVEST_LEASE_SECONDS=3"]
    for item in (
        "DOWNLOAD_DELAY=0",
        "AUTOTHROTTLE_ENABLED=False",
        f"CONCURRENT_REQUESTS={concurrency}",
        f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
    ):
        command += ["-s", item]
    env = {**os.environ, "http_proxy": site.proxy}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _records(store_url: str, job: str) -> Counter[str]:
    store = Store(store_url)
    try:
        return Counter(p.url for p in store.job_pages(job))
    finally:
        store.close()


def run_workers(sites: int, latency: float, workers: int, concurrency: int, kill: bool) -> dict:
    os.environ["LEADHARVEST_REDIS_PREFIX"] = f"lh_bench_{uuid.uuid4().hex[:8]}"
    with scalesite.serve(sites, latency) as site, postgres_schema_url() as pg:
        job = f"bench-{workers}"
        args = ["collect", "camera", "--job", job, "--scheduler", REDIS_BASE, "--store", pg]
        args += ["--workers", "0", "--out", tempfile.mkdtemp()]
        for url in site.start_urls():
            args += ["--start-url", url]
        _cli(args)
        pages = set(site.pages())
        procs = [_worker(site, pg, concurrency) for _ in range(workers)]
        killed = False
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if kill and not killed and len(site.log) >= len(pages) // 3:
                procs[0].send_signal(signal.SIGKILL)
                killed = True
            records = _records(pg, job)
            if set(records) >= pages or all(p.poll() is not None for p in procs):
                break
            time.sleep(0.05)
        done = time.time()
        first = min(site.stamps) if site.stamps else done
        for proc in procs:
            proc.wait(timeout=120)
        records = _records(pg, job)
        fetched = site.fetch_counts()
    return {
        "pages": len(pages),
        "seconds": done - first,
        "lost": len(pages - set(records)),
        "done_twice": sum(1 for n in records.values() if n > 1),
        "fetched_twice": sum(1 for n in fetched.values() if n > 1),
    }


def run_bare(sites: int, latency: float, concurrency: int) -> dict:
    with scalesite.serve(sites, latency) as site, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stamps.json"
        env = {**os.environ, "http_proxy": site.proxy}
        command = [sys.executable, "-c", BARE, json.dumps(site.pages()), str(concurrency)]
        subprocess.run([*command, str(out)], env=env, check=True)
        stamps = json.loads(out.read_text())
        first = min(site.stamps)
    return {"pages": len(stamps), "seconds": max(stamps) - first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    rows = []
    bare = run_bare(args.sites, args.latency, args.concurrency)
    for n in (1, 2, 4):
        r = run_workers(args.sites, args.latency, n, args.concurrency, kill=False)
        rows.append((f"{n} worker{'s' if n > 1 else ''}", r))
    k = run_workers(args.sites, args.latency, 2, args.concurrency, kill=True)
    rows.append(("2 workers, one killed", k))
    print(
        f"{args.sites * 4} pages, {args.latency * 1000:.0f} ms per page, "
        f"{args.concurrency} concurrent requests per process"
    )
    print("| run | pages/s | bare Scrapy pages/s | lost | done twice | fetched twice |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    bare_rate = bare["pages"] / bare["seconds"]
    for name, r in rows:
        rate = r["pages"] / r["seconds"]
        print(
            f"| {name} | {rate:.1f} | {bare_rate:.1f} | {r['lost']} | {r['done_twice']} |"
            f" {r['fetched_twice']} |"
        )


if __name__ == "__main__":
    main()
