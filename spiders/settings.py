"""Scrapy settings for a LeadHarvest crawl, built from ``config/defaults.toml``.

Wiring is data (the Scrapy habit): middlewares and pipelines by import path and order.
Replay runs drop the politeness delays (nothing reaches a server) but keep every limit.

Downloader middlewares, in request order (responses travel back up the same list):
robots.txt with Crawl-delay (100, replacing Scrapy's), re-encoding of mis-declared HTML
(540), Retry-After (560, before Scrapy's retry at 550), the truncated-gzip check (595, before
decompression at 590), redirect loops (610, before Scrapy's redirects at 600), record (940)
and replay (950). The spider middleware ``limits.LimitsMiddleware`` (900) replaces Scrapy's
``DepthMiddleware`` and adds the page budget per site (:mod:`spiders.middlewares.limits`).
A job with a ``render = true`` source also gets the scrapy-playwright download handlers
(:func:`render_settings`); a request goes through the browser when its
``meta["playwright"]`` is True.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from leadharvest.settings import defaults

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)
PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"


def user_agent(crawl: Mapping[str, Any]) -> str:
    """The honest User-Agent: ``user_agent`` with ``contact_url`` put first in its comment.

    "LeadHarvest/0.1 (+https://example.org/bot; prospect research ...; obeys robots.txt)" is
    the form site owners look for; without a contact URL the agent is used as written.
    """
    agent = str(crawl.get("user_agent", "LeadHarvest"))
    contact = str(crawl.get("contact_url", "")).strip()
    if not contact or contact in agent:
        return agent
    name, paren, comment = agent.partition(" (")
    if paren:
        return f"{name} (+{contact}; {comment}"
    return f"{agent} (+{contact})"


def plan_needs_rendering(plan: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any planned start request belongs to a source with ``render = true``."""
    from spiders.pages import catalogue

    sources = catalogue()
    for planned in plan:
        src = sources.get(str(planned.get("source", "")))
        if src is not None and src.extra.get("render", False) is True:
            return True
    return False


def render_settings(crawl: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """scrapy-playwright wiring: download handlers, Debian's Chromium and memory caps."""
    crawl = defaults().get("crawl", {}) if crawl is None else crawl
    timeout_ms = int(float(crawl.get("download_timeout", 30)) * 1000)
    return {
        "DOWNLOAD_HANDLERS": {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": str(crawl.get("render_executable", CHROMIUM)),
            "headless": True,
            "args": list(crawl.get("render_args", CHROMIUM_ARGS)),
        },
        "PLAYWRIGHT_MAX_CONTEXTS": int(crawl.get("render_max_contexts", 1)),
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": int(crawl.get("render_max_pages_per_context", 4)),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_ABORT_REQUEST": "spiders.middlewares.render.abort_heavy_request",
    }


def crawl_settings(
    *,
    sink: str,
    replay: str = "",
    record: str = "",
    progress: bool = False,
    log_file: str = "",
    overrides: dict[str, Any] | None = None,
    render: bool = False,
) -> dict[str, Any]:
    """The settings dict a crawl process starts with.

    ``render`` (see :func:`plan_needs_rendering`) wires in the browser for live runs; a
    replayed job never needs it, since its pages come from the archive.
    """
    crawl = defaults().get("crawl", {})
    settings: dict[str, Any] = {
        "BOT_NAME": "leadharvest",
        "USER_AGENT": user_agent(crawl),
        "ROBOTSTXT_OBEY": bool(crawl.get("obey_robots", True)),
        "DOWNLOAD_DELAY": float(crawl.get("download_delay", 2.0)),
        "AUTOTHROTTLE_ENABLED": bool(crawl.get("autothrottle", True)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.get("concurrent_requests_per_domain", 1)),
        "DOWNLOAD_TIMEOUT": int(crawl.get("download_timeout", 30)),
        "DOWNLOAD_MAXSIZE": int(crawl.get("download_maxsize", 5_000_000)),
        "DOWNLOAD_WARNSIZE": int(crawl.get("download_warnsize", 2_000_000)),
        "LEADHARVEST_MAX_RESULT_PAGES": int(crawl.get("max_result_pages", 2)),
        "DEPTH_LIMIT": int(crawl.get("depth_limit", 4)),
        "LEADHARVEST_MAX_SITES": int(crawl.get("max_sites", 200)),
        "LEADHARVEST_SITE_PAGES": int(crawl.get("site_pages", 4)),
        "LEADHARVEST_MAX_PAGES_PER_SITE": int(crawl.get("max_pages_per_site", 300)),
        "REDIRECT_MAX_TIMES": int(crawl.get("redirect_max_times", 10)),
        "RETRY_TIMES": int(crawl.get("retry_times", 2)),
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO" if log_file else "ERROR",
        "LOG_FILE": log_file or None,
        "LEADHARVEST_SINK": sink,
        "LEADHARVEST_PROGRESS": progress,
        "ITEM_PIPELINES": {"spiders.pipelines.RawSinkPipeline": 100},
        # depth limit and page budget per site, recorded in the health report when reached
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "spiders.middlewares.limits.LimitsMiddleware": 900,
        },
        # replay sits next to the downloader (after robots.txt, user agent, retries), so a
        # replayed job obeys robots.txt exactly as a live one does
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "spiders.middlewares.politeness.RobotsTxtMiddleware": 100,
            "spiders.middlewares.encoding.EncodingMiddleware": 540,
            "spiders.middlewares.politeness.RetryAfterMiddleware": 560,
            "spiders.middlewares.faults.RetriedFaultMiddleware": 570,
            "spiders.middlewares.faults.BodyCheckMiddleware": 595,
            "spiders.middlewares.faults.RedirectLoopMiddleware": 610,
            "spiders.middlewares.replay.ReplayMiddleware": 950,
            "spiders.middlewares.record.RecordMiddleware": 940,
        },
        "LEADHARVEST_OBEY_CRAWL_DELAY": bool(crawl.get("obey_crawl_delay", True)),
        "LEADHARVEST_MAX_CRAWL_DELAY": float(crawl.get("max_crawl_delay", 60)),
        "LEADHARVEST_MAX_RETRY_AFTER": float(crawl.get("max_retry_after", 120)),
        "LEADHARVEST_RETRY_AFTER_TIMES": int(crawl.get("retry_after_times", 3)),
        "HTTPERROR_ALLOWED_CODES": [],
    }
    if replay:
        settings.update(
            {
                "LEADHARVEST_REPLAY": replay,
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS": 16,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                "RETRY_ENABLED": False,
                "LEADHARVEST_OBEY_CRAWL_DELAY": False,
            }
        )
    elif render:
        settings.update(render_settings(crawl))
    if record:
        settings["LEADHARVEST_RECORD"] = record
    settings.update(overrides or {})
    return settings


def scheduler_settings(
    redis_url: str, *, prefix: str = "leadharvest", lease_seconds: float = 60.0
) -> dict[str, Any]:
    """A worker's scheduler: scrapy-redis's shared queue and duplicate filter at
    ``redis_url``, with leases (``spiders.redis_scheduler``).

    ``LEADHARVEST_LEASE_SECONDS`` is how long a request may stay unanswered before another
    worker takes it over; live workers renew theirs every ``LEADHARVEST_LEASE_TICK``
    seconds, so it is only how soon a dead worker's requests come back.
    """
    return {
        "SCHEDULER": "spiders.redis_scheduler.LeasedScheduler",
        "DUPEFILTER_CLASS": "spiders.redis_scheduler.JobDupeFilter",
        "REDIS_URL": redis_url,
        "LEADHARVEST_REDIS_PREFIX": prefix,
        "LEADHARVEST_LEASE_SECONDS": lease_seconds,
        "LEADHARVEST_LEASE_TICK": 1.0,
        "LEADHARVEST_LEASE_ATTEMPTS": 3,
        "SPIDER_MIDDLEWARES": {"spiders.redis_scheduler.LeaseMiddleware": 1},
    }
