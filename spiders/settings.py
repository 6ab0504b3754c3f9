"""Scrapy settings for a LeadHarvest crawl, built from ``config/defaults.toml``.

Wiring is data (the Scrapy habit): middlewares and pipelines by import path and order.
Replay runs drop the politeness delays (nothing reaches a server) but keep every limit.

Downloader middlewares, in request order (responses travel back up the same list):
robots.txt with Crawl-delay (100, replacing Scrapy's), re-encoding of mis-declared HTML
(540), Retry-After (560, before Scrapy's retry at 550), record (940) and replay (950).
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
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO" if log_file else "ERROR",
        "LOG_FILE": log_file or None,
        "LEADHARVEST_SINK": sink,
        "LEADHARVEST_PROGRESS": progress,
        "ITEM_PIPELINES": {"spiders.pipelines.RawSinkPipeline": 100},
        # replay sits next to the downloader (after robots.txt, user agent, retries), so a
        # replayed job obeys robots.txt exactly as a live one does
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "spiders.middlewares.politeness.RobotsTxtMiddleware": 100,
            "spiders.middlewares.encoding.EncodingMiddleware": 540,
            "spiders.middlewares.politeness.RetryAfterMiddleware": 560,
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
