"""Politeness: robots.txt decisions logged and counted, Crawl-delay and Retry-After obeyed.

The unit tests drive the middlewares with Scrapy objects; the crawl test runs a real crawl
with LeadHarvest's settings in a subprocess (Twisted's reactor runs once per process) against
a server on 127.0.0.1 that serves a robots.txt with a Crawl-delay and answers 429 +
Retry-After once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from scrapy import Request
from scrapy.core.downloader import Slot
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from spiders.middlewares.politeness import (
    SKIP_SITE,
    RetryAfterMiddleware,
    RobotsTxtMiddleware,
    retry_after_seconds,
)
from spiders.settings import crawl_settings, user_agent

ROBOTS = b"User-agent: *\nCrawl-delay: 1\nDisallow: /private\n"


# -- unit: robots.txt decisions and Crawl-delay ------------------------------------------------
class FakeDownloader:
    """The three things the middlewares use of Scrapy's Downloader (which needs a reactor)."""

    def __init__(self) -> None:
        self.slots: dict[str, Slot] = {}
        self.per_slot_settings: dict[str, dict[str, Any]] = {}

    def get_slot_key(self, request: Request) -> str:
        return str(request.meta.get("download_slot") or request.url.split("/")[2].split(":")[0])


def _robots_mw(robots: bytes = ROBOTS, **settings: Any) -> tuple[RobotsTxtMiddleware, Any]:
    crawler = get_crawler(
        settings_dict={
            "ROBOTSTXT_OBEY": True,
            "DOWNLOAD_DELAY": 0.5,
            "USER_AGENT": "LH",
            **settings,
        }
    )
    crawler.stats.open_spider()
    downloader = FakeDownloader()
    crawler.engine = SimpleNamespace(downloader=downloader)
    mw = RobotsTxtMiddleware(crawler)
    return mw, ProtegoRobotParser(robots, None)


def test_robots_decisions_are_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    mw, rp = _robots_mw()
    caplog.set_level(logging.DEBUG, logger="spiders.middlewares.politeness")
    mw.process_request_2(rp, Request("https://shop.example/products"))
    with pytest.raises(IgnoreRequest):
        mw.process_request_2(rp, Request("https://shop.example/private/list"))
    mw.process_request_2(None, Request("https://norules.example/"))
    stats = mw.crawler.stats
    assert stats.get_value("leadharvest/robots/allowed") == 2
    assert stats.get_value("leadharvest/robots/disallowed") == 1
    assert stats.get_value("leadharvest/robots/no_rules") == 1
    levels = {r.getMessage(): r.levelno for r in caplog.records}
    assert levels["robots.txt: disallowed https://shop.example/private/list"] == logging.INFO
    assert levels["robots.txt: allowed https://shop.example/products"] == logging.DEBUG


def test_crawl_delay_sets_the_slot_delay_once_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    mw, rp = _robots_mw(ROBOTS.replace(b"Crawl-delay: 1", b"Crawl-delay: 3"))
    downloader = mw.crawler.engine.downloader
    downloader.slots["shop.example"] = Slot(1, 0.5, 0.5)
    caplog.set_level(logging.INFO, logger="spiders.middlewares.politeness")
    first, second = Request("https://shop.example/a"), Request("https://shop.example/b")
    mw.process_request_2(rp, first)
    mw.process_request_2(rp, second)
    slot = downloader.slots["shop.example"]
    assert slot.delay == 3.0 and slot.jitter == 0.0
    assert downloader.per_slot_settings["shop.example"]["delay"] == 3.0  # survives slot GC
    decisions = [r.getMessage() for r in caplog.records if "Crawl-delay" in r.getMessage()]
    assert decisions == [
        "Crawl-delay: shop.example asks for 3.0s; waiting 3.0s between its requests "
        "(DOWNLOAD_DELAY 0.5s)"
    ]
    # AutoThrottle lowers it on a response: it goes back up before the slot sends again
    slot.delay = 0.7
    response = HtmlResponse(second.url, body=b"", request=second)
    second.meta["download_slot"] = "shop.example"
    mw.keep_crawl_delay(response, second, None)  # type: ignore[arg-type]
    assert slot.delay == 3.0
    # and so does the next request through the middleware
    slot.delay = 0.7
    mw.process_request_2(rp, Request("https://shop.example/c"))
    assert slot.delay == 3.0


def test_a_crawl_delay_under_download_delay_still_switches_jitter_off() -> None:
    # DOWNLOAD_DELAY 2 with Scrapy's ±50 % jitter could wait only 1 s: less than asked
    mw, rp = _robots_mw(DOWNLOAD_DELAY=2.0)
    downloader = mw.crawler.engine.downloader
    slot = downloader.slots["shop.example"] = Slot(1, 2.0, 0.5)
    mw.process_request_2(rp, Request("https://shop.example/a"))
    assert mw.crawl_delays == {"shop.example": 2.0}
    assert (slot.delay, slot.jitter) == (2.0, 0.0)


def test_no_crawl_delay_changes_nothing() -> None:
    mw, rp = _robots_mw(b"User-agent: *\nDisallow: /private\n")
    mw.process_request_2(rp, Request("https://shop.example/a"))
    assert mw.crawl_delays == {"shop.example": None}
    assert mw.crawler.engine.downloader.per_slot_settings == {}


def test_a_crawl_delay_past_the_limit_skips_the_site() -> None:
    mw, rp = _robots_mw(ROBOTS.replace(b"Crawl-delay: 1", b"Crawl-delay: 600"))
    with pytest.raises(IgnoreRequest, match=r"robots\.txt Crawl-delay"):
        mw.process_request_2(rp, Request("https://slow.example/"))
    assert mw.crawl_delays["slow.example"] == SKIP_SITE
    assert mw.crawler.stats.get_value("leadharvest/crawl_delay/skipped_sites") == 1


def test_crawl_delay_can_be_switched_off() -> None:
    mw, rp = _robots_mw(LEADHARVEST_OBEY_CRAWL_DELAY=False)
    mw.process_request_2(rp, Request("https://shop.example/a"))
    assert mw.crawl_delays == {}


# -- unit: Retry-After -------------------------------------------------------------------------
def test_retry_after_seconds_and_http_dates() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(b" 7 ") == 7.0
    assert retry_after_seconds("-5") == 0.0
    server_now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(server_now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now=server_now) == 90.0
    assert retry_after_seconds("Sat, 01 Mar 2025 11:00:00 GMT", now=server_now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("") is None


def _retry_mw(**settings: Any) -> RetryAfterMiddleware:
    crawler = get_crawler(settings_dict={"LEADHARVEST_MAX_RETRY_AFTER": 60, **settings})
    crawler.stats.open_spider()
    crawler.engine = SimpleNamespace(downloader=FakeDownloader())
    return RetryAfterMiddleware.from_crawler(crawler)


def _busy(request: Request, status: int = 429, **headers: str) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, headers=headers, body=b"", request=request)


def test_429_with_retry_after_is_retried_then_given_up() -> None:
    mw = _retry_mw(LEADHARVEST_RETRY_AFTER_TIMES=2)
    request = Request("https://busy.example/list", priority=5)
    out = mw.process_response(request, _busy(request, **{"Retry-After": "3"}))
    assert isinstance(out, Request)
    assert out.dont_filter and out.meta["lh_retry_after_times"] == 1 and out.priority == 4
    again = mw.process_response(out, _busy(out, 503, **{"Retry-After": "3"}))
    assert isinstance(again, Request) and again.meta["lh_retry_after_times"] == 2
    final = mw.process_response(again, _busy(again, **{"Retry-After": "3"}))
    assert not isinstance(final, Request) and final.status == 429
    assert again.meta["dont_retry"] is True  # Scrapy's RetryMiddleware must not hammer on
    stats = mw.crawler.stats
    assert stats.get_value("leadharvest/retry_after") == 2
    assert stats.get_value("leadharvest/retry_after/gave_up") == 1


def test_a_wait_past_the_limit_is_not_retried() -> None:
    mw = _retry_mw()
    request = Request("https://busy.example/")
    out = mw.process_response(request, _busy(request, **{"Retry-After": "3600"}))
    assert not isinstance(out, Request)
    assert request.meta["dont_retry"] is True
    assert mw.crawler.stats.get_value("leadharvest/retry_after/too_long") == 1


def test_without_retry_after_scrapy_decides() -> None:
    mw = _retry_mw()
    request = Request("https://busy.example/")
    response = _busy(request)
    assert mw.process_response(request, response) is response
    assert "dont_retry" not in request.meta
    ok = HtmlResponse(request.url, status=200, headers={"Retry-After": "5"}, request=request)
    assert mw.process_response(request, ok) is ok


def test_retry_after_is_off_when_retries_are_off() -> None:
    with pytest.raises(NotConfigured):
        _retry_mw(RETRY_ENABLED=False)


def test_the_slot_pauses_for_the_wait_and_then_gets_its_delay_back() -> None:
    mw = _retry_mw()
    downloader = mw.crawler.engine.downloader
    slot = downloader.slots["busy.example"] = Slot(1, 0.5, 0.5)
    request = Request("https://busy.example/", meta={"download_slot": "busy.example"})

    async def pause_and_wait() -> tuple[float, float]:
        mw.response_downloaded(_busy(request, **{"Retry-After": "0.3"}), request, None)  # type: ignore[arg-type]
        during = (slot.delay, slot.jitter)
        await asyncio.sleep(0.5)
        return during

    assert asyncio.run(pause_and_wait()) == (0.5, 0.0)  # the wait is shorter than the delay
    assert (slot.delay, slot.jitter) == (0.5, 0.5)

    async def long_pause() -> float:
        mw.response_downloaded(_busy(request, **{"Retry-After": "2"}), request, None)  # type: ignore[arg-type]
        during = slot.delay
        mw.pauses["busy.example"].timer.cancel()
        mw._resume(downloader, "busy.example")
        return during

    assert asyncio.run(long_pause()) == 2.0
    assert (slot.delay, slot.jitter) == (0.5, 0.5)


# -- settings ----------------------------------------------------------------------------------
def test_user_agent_carries_the_contact_url() -> None:
    crawl = {"user_agent": "LeadHarvest/0.1 (prospect research; obeys robots.txt)"}
    assert user_agent(crawl) == crawl["user_agent"]
    crawl["contact_url"] = "https://example.org/bot"
    assert user_agent(crawl) == (
        "LeadHarvest/0.1 (+https://example.org/bot; prospect research; obeys robots.txt)"
    )
    assert user_agent({"user_agent": "LH", "contact_url": "mailto:a@b.example"}) == (
        "LH (+mailto:a@b.example)"
    )


def test_settings_wire_the_middlewares_and_replay_drops_the_delays() -> None:
    live = crawl_settings(sink="x.jsonl")
    mws = live["DOWNLOADER_MIDDLEWARES"]
    assert mws["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert mws["spiders.middlewares.politeness.RobotsTxtMiddleware"] == 100
    assert 550 < mws["spiders.middlewares.politeness.RetryAfterMiddleware"] < 590
    assert mws["spiders.middlewares.encoding.EncodingMiddleware"] < 590  # after decompression
    assert mws["spiders.middlewares.replay.ReplayMiddleware"] == 950
    assert mws["spiders.middlewares.record.RecordMiddleware"] == 940
    assert live["LEADHARVEST_OBEY_CRAWL_DELAY"] is True
    assert live["LEADHARVEST_MAX_RETRY_AFTER"] == 120.0
    replay = crawl_settings(sink="x.jsonl", replay="a.warc.gz")
    assert replay["LEADHARVEST_OBEY_CRAWL_DELAY"] is False
    assert replay["RETRY_ENABLED"] is False


# -- a real crawl against 127.0.0.1 --------------------------------------------------------------
class _Site(BaseHTTPRequestHandler):
    hits: ClassVar[list[tuple[str, float, int]]] = []
    busy_served: ClassVar[int] = 0

    def do_GET(self) -> None:
        status, body, headers = 200, b"<html><body><p>ok</p></body></html>", {}
        if self.path == "/robots.txt":
            body, headers = ROBOTS, {"Content-Type": "text/plain"}
        elif self.path == "/busy":
            type(self).busy_served += 1
            if type(self).busy_served == 1:
                status, headers = 429, {"Retry-After": "2"}
        self.hits.append((self.path, time.monotonic(), status))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


@pytest.fixture
def site() -> Iterator[str]:
    _Site.hits, _Site.busy_served = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CRAWL = """
import json, sys
import scrapy
from scrapy.crawler import AsyncCrawlerProcess
from spiders.settings import crawl_settings

base, out, log = sys.argv[1], sys.argv[2], sys.argv[3]

class Probe(scrapy.Spider):
    name = "probe"
    async def start(self):
        for path in ("/a", "/private", "/busy", "/b", "/c"):
            yield scrapy.Request(base + path, callback=self.parse)
    def parse(self, response):
        yield {"url": response.url, "status": response.status}
    def closed(self, reason):
        stats = {k: v for k, v in self.crawler.stats.get_stats().items()
                 if isinstance(v, (int, float, str))}
        with open(out, "w") as fh:
            json.dump(stats, fh)

settings = crawl_settings(sink=out + ".sink", log_file=log, overrides={
    "DOWNLOAD_DELAY": 0.2, "AUTOTHROTTLE_START_DELAY": 0.2, "LOG_LEVEL": "DEBUG",
    "ITEM_PIPELINES": {},
})
process = AsyncCrawlerProcess(settings)
process.crawl(Probe)
process.start()
"""


def test_a_real_crawl_obeys_robots_crawl_delay_and_retry_after(site: str, tmp_path: Path) -> None:
    script, out, log = tmp_path / "crawl.py", tmp_path / "stats.json", tmp_path / "crawl.log"
    script.write_text(CRAWL, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, str(script), site, str(out), str(log)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(out.read_text(encoding="utf-8"))
    text = log.read_text(encoding="utf-8")
    pages = [(p, t, s) for p, t, s in _Site.hits if p != "/robots.txt"]
    paths = [p for p, _, _ in pages]

    # robots.txt: /private is never fetched; each decision is logged and counted
    assert "/private" not in paths
    assert sorted(paths) == ["/a", "/b", "/busy", "/busy", "/c"]
    assert stats["leadharvest/robots/disallowed"] == 1
    assert stats["leadharvest/robots/allowed"] == 5  # /a, /busy twice, /b, /c
    # requests that queued behind the robots.txt download got its rules too (Scrapy gives
    # them None, "no rules", without the fix in politeness.RobotsTxtMiddleware.robot_parser)
    assert "leadharvest/robots/no_rules" not in stats
    assert f"INFO: robots.txt: disallowed {site}/private" in text
    assert f"DEBUG: robots.txt: allowed {site}/a" in text

    # Crawl-delay: 1 beats DOWNLOAD_DELAY 0.2 between every two requests to the site
    host = site.removeprefix("http://")
    assert f"Crawl-delay: {host} asks for 1.0s; waiting 1.0s" in text
    gaps = [b[1] - a[1] for a, b in itertools.pairwise(pages)]
    assert min(gaps) >= 0.9, gaps

    # Retry-After: 2 on the first /busy: nothing reaches the site for 2 s, then a retry
    t429 = next(t for p, t, s in pages if s == 429)
    after = [t for _, t, _ in pages if t > t429]
    assert after and min(after) - t429 >= 1.8, [a - t429 for a in after]
    assert stats["leadharvest/retry_after"] == 1
    assert "Retry-After: pausing" in text
    assert stats.get("item_scraped_count") == 4  # /busy answered 200 the second time
