"""Scrapy settings for a LeadHarvest crawl, built from ``config/defaults.toml``.

Wiring is data (the Scrapy habit): middlewares and pipelines by import path and order.
Replay runs drop the politeness delays (nothing reaches a server) but keep every limit.
"""

from __future__ import annotations

from typing import Any

from leadharvest.settings import defaults


def crawl_settings(
    *,
    sink: str,
    replay: str = "",
    record: str = "",
    progress: bool = False,
    log_file: str = "",
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The settings dict a crawl process starts with."""
    crawl = defaults().get("crawl", {})
    settings: dict[str, Any] = {
        "BOT_NAME": "leadharvest",
        "USER_AGENT": crawl.get("user_agent", "LeadHarvest"),
        "ROBOTSTXT_OBEY": bool(crawl.get("obey_robots", True)),
        "DOWNLOAD_DELAY": float(crawl.get("download_delay", 2.0)),
        "AUTOTHROTTLE_ENABLED": bool(crawl.get("autothrottle", True)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.get("concurrent_requests_per_domain", 1)),
        "DOWNLOAD_TIMEOUT": int(crawl.get("download_timeout", 30)),
        "DOWNLOAD_MAXSIZE": int(crawl.get("download_maxsize", 5_000_000)),
        "DOWNLOAD_WARNSIZE": int(crawl.get("download_warnsize", 2_000_000)),
        "LEADHARVEST_MAX_RESULT_PAGES": int(crawl.get("max_result_pages", 2)),
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
            "spiders.middlewares.replay.ReplayMiddleware": 950,
            "spiders.middlewares.record.RecordMiddleware": 940,
        },
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
            }
        )
    if record:
        settings["LEADHARVEST_RECORD"] = record
    settings.update(overrides or {})
    return settings
