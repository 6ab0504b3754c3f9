"""Behaving well beyond what Scrapy does on its own: Crawl-delay, Retry-After, robots logging.

Scrapy obeys robots.txt ``Allow``/``Disallow`` but ignores ``Crawl-delay``, and its retry
middleware answers a 429 or 503 at once, whatever ``Retry-After`` asked for. A tool that says
"obeys robots.txt" in its User-Agent has to do both, and a trainee has to be able to see why a
page was skipped:

- :class:`RobotsTxtMiddleware` replaces Scrapy's (same order, 100). It reads the parser
  Scrapy fetched for the site (fixing Scrapy handing "no rules" to requests that waited
  for the robots.txt download), logs every decision (allowed at DEBUG, disallowed at INFO),
  counts them (``leadharvest/robots/*``), and makes the site's download slot wait
  ``max(DOWNLOAD_DELAY, Crawl-delay)`` between requests. A site asking for more than
  ``LEADHARVEST_MAX_CRAWL_DELAY`` seconds is skipped rather than crawled faster than it asked.
- :class:`RetryAfterMiddleware` (order 560, just before Scrapy's retry at 550) pauses the
  site's slot until the time a 429/503 names — seconds or an HTTP date — and retries the
  request up to ``LEADHARVEST_RETRY_AFTER_TIMES``; a wait longer than
  ``LEADHARVEST_MAX_RETRY_AFTER`` is not retried at all (counted ``leadharvest/retry_after``).

Delays are set on Scrapy's per-slot state (``Slot.delay`` / ``jitter`` / ``lastseen`` and the
downloader's ``per_slot_settings``), the same knobs ``DOWNLOAD_SLOTS`` and AutoThrottle use,
so the waiting happens in Scrapy's own queue and no request sleeps inside a middleware.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxt
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.core.downloader import Downloader
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

SKIP_SITE = math.inf
"""Decision for a site whose Crawl-delay is longer than the job allows: do not crawl it."""


def _downloader(crawler: Crawler) -> Downloader | None:
    engine = crawler.engine
    return engine.downloader if engine is not None else None


def _inc(crawler: Crawler, key: str) -> None:
    if crawler.stats is not None:
        crawler.stats.inc_value(key)


def hold_slot(downloader: Downloader, request: Request, delay: float) -> None:
    """Make the request's download slot wait at least ``delay`` s between requests.

    Both the live slot and ``per_slot_settings`` are set: a slot that Scrapy garbage-collects
    while idle comes back with the same delay. Jitter is switched off for the slot so the
    wait is never shorter than the site asked for.
    """
    key = downloader.get_slot_key(request)
    config = downloader.per_slot_settings.setdefault(key, {})
    config["delay"] = max(float(config.get("delay", 0.0)), delay)
    config["jitter"] = 0.0
    slot = downloader.slots.get(key)
    if slot is not None and slot.delay < delay:
        slot.delay = delay
    if slot is not None:
        slot.jitter = 0.0


class RobotsTxtMiddleware(ScrapyRobotsTxt):
    """Scrapy's robots.txt middleware plus decision logging, stats and ``Crawl-delay``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.obey_crawl_delay = settings.getbool("LEADHARVEST_OBEY_CRAWL_DELAY", True)
        self.max_crawl_delay = settings.getfloat("LEADHARVEST_MAX_CRAWL_DELAY", 60.0)
        self.download_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT") or ""
        self.crawl_delays: dict[str, float | None] = {}
        """Per site (netloc): the delay decided from its Crawl-delay; None = nothing to add."""
        if self.obey_crawl_delay:
            # connected after AutoThrottle (extensions are built before the downloader), so
            # this runs after it has adjusted the slot and before the slot sends its next
            crawler.signals.connect(self.keep_crawl_delay, signal=signals.response_downloaded)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Scrapy 2.13+ hands the robots.txt Deferred to every request that arrives while it is
        # being fetched, but awaiting a Deferred as a Future consumes its result: only the
        # first waiter gets the parser and the others get None ("no rules"), so a job's
        # first burst of requests to a site would ignore its robots.txt. The parser is stored
        # before the Deferred fires, so read it from there.
        rp = await super().robot_parser(request)
        if rp is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return rp

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if rp is None:
            # no robots.txt (404) or it could not be fetched: Scrapy allows everything
            logger.debug("robots.txt: allowed (site has no rules) %s", request.url)
            _inc(self.crawler, "leadharvest/robots/allowed")
            _inc(self.crawler, "leadharvest/robots/no_rules")
            return
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            logger.info("robots.txt: disallowed %s", request.url)
            _inc(self.crawler, "leadharvest/robots/disallowed")
            raise
        logger.debug("robots.txt: allowed %s", request.url)
        _inc(self.crawler, "leadharvest/robots/allowed")
        if self.obey_crawl_delay:
            self.apply_crawl_delay(rp, request)

    def apply_crawl_delay(self, rp: RobotParser, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self.crawl_delays:
            self.crawl_delays[netloc] = self.decide(rp, request, netloc)
        delay = self.crawl_delays[netloc]
        if delay is None:
            return
        if delay == SKIP_SITE:
            _inc(self.crawler, "leadharvest/crawl_delay/skipped_requests")
            raise IgnoreRequest(f"robots.txt Crawl-delay of {netloc} is over max_crawl_delay")
        downloader = _downloader(self.crawler)
        if downloader is not None:
            hold_slot(downloader, request, delay)

    def keep_crawl_delay(self, response: Response, request: Request, spider: Spider) -> None:
        """AutoThrottle may raise a slot's delay but not lower it below the site's ask."""
        delay = self.crawl_delays.get(urlparse_cached(request).netloc)
        downloader = _downloader(self.crawler)
        if delay is None or delay == SKIP_SITE or downloader is None:
            return
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay

    def decide(self, rp: RobotParser, request: Request, netloc: str) -> float | None:
        """The delay for one site, decided once and logged: None keeps ``DOWNLOAD_DELAY``."""
        agent = self.agent or request.headers.get(b"User-Agent") or ""
        reader = getattr(rp, "crawl_delay", None)  # RobotParser.crawl_delay: Scrapy 2.18+
        asked = reader(agent) if reader is not None else None
        if asked is None or asked <= 0:
            logger.debug(
                "Crawl-delay: %s sets none; DOWNLOAD_DELAY %.1fs", netloc, self.download_delay
            )
            return None
        asked = float(asked)
        if asked > self.max_crawl_delay:
            logger.warning(
                "Crawl-delay: %s asks for %.1fs between requests, more than max_crawl_delay "
                "(%.1fs): skipping the site",
                netloc,
                asked,
                self.max_crawl_delay,
            )
            _inc(self.crawler, "leadharvest/crawl_delay/skipped_sites")
            return SKIP_SITE
        # even when DOWNLOAD_DELAY is longer, the slot still needs holding: Scrapy's jitter
        # would send some requests after only half of DOWNLOAD_DELAY
        used = max(asked, self.download_delay)
        logger.info(
            "Crawl-delay: %s asks for %.1fs; waiting %.1fs between its requests "
            "(DOWNLOAD_DELAY %.1fs)",
            netloc,
            asked,
            used,
            self.download_delay,
        )
        _inc(self.crawler, "leadharvest/crawl_delay/sites")
        return used


def retry_after_seconds(value: str | bytes, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or an HTTP date).

    ``now`` is the server's clock when known (its ``Date`` header), so a skewed local clock
    does not stretch or cut the wait. None when the value is neither form.
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    when = _http_date(text)
    if when is None:
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _http_date(text: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def response_wait(response: Response) -> float | None:
    """The Retry-After of a response in seconds, measured on the server's clock."""
    value = response.headers.get(b"Retry-After")
    if value is None:
        return None
    date = response.headers.get(b"Date")
    now = _http_date(date.decode("latin-1")) if date else None
    return retry_after_seconds(value, now=now)


@dataclass
class _Pause:
    timer: CallLaterResult
    delay: float
    jitter: float


class RetryAfterMiddleware:
    """Honours ``Retry-After`` on 429/503: pause the site, retry later, give up past a limit."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED") or not settings.getbool(
            "LEADHARVEST_RETRY_AFTER_ENABLED", True
        ):
            raise NotConfigured("retries are off")
        self.crawler = crawler
        self.max_wait = settings.getfloat("LEADHARVEST_MAX_RETRY_AFTER", 120.0)
        self.max_times = settings.getint("LEADHARVEST_RETRY_AFTER_TIMES", 3)
        codes = settings.getlist("LEADHARVEST_RETRY_AFTER_CODES", [429, 503])
        self.codes = {int(c) for c in codes}
        self.priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST", -1)
        self.pauses: dict[str, _Pause] = {}
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    # The pause is set from the signal, not in process_response: Scrapy sends
    # response_downloaded before it frees the slot for the next queued request, so nothing
    # else reaches the site between the 429 and the pause.
    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if response.status not in self.codes:
            return
        wait = response_wait(response)
        key = request.meta.get("download_slot")
        downloader = _downloader(self.crawler)
        if wait is None or key is None or downloader is None:
            return
        self.pause(downloader, key, min(wait, self.max_wait))

    def pause(self, downloader: Downloader, key: str, wait: float) -> None:
        """Hold the slot ``key`` for ``wait`` seconds from now, then restore its delay."""
        slot = downloader.slots.get(key)
        if slot is None:
            return
        previous = self.pauses.pop(key, None)
        if previous is not None:
            previous.timer.cancel()
            delay, jitter = previous.delay, previous.jitter
        else:
            delay, jitter = slot.delay, slot.jitter
        slot.delay = max(wait, delay)
        slot.jitter = 0.0
        slot.lastseen = monotonic()
        timer = call_later(wait, self._resume, downloader, key)
        self.pauses[key] = _Pause(timer, delay, jitter)
        logger.info("Retry-After: pausing %s for %.1fs", key, wait)

    def _resume(self, downloader: Downloader, key: str) -> None:
        pause = self.pauses.pop(key, None)
        slot = downloader.slots.get(key)
        if pause is None or slot is None:
            return
        slot.delay = pause.delay
        slot.jitter = pause.jitter

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        wait = response_wait(response)
        if wait is None:
            return response  # no Retry-After: Scrapy's own retry middleware decides
        tries = int(request.meta.get("lh_retry_after_times", 0))
        if wait > self.max_wait:
            logger.warning(
                "Retry-After: %s answered %d and asks to wait %.0fs, more than "
                "max_retry_after (%.0fs): not retrying",
                request.url,
                response.status,
                wait,
                self.max_wait,
            )
            _inc(self.crawler, "leadharvest/retry_after/too_long")
            request.meta["dont_retry"] = True
            return response
        if tries >= self.max_times:
            logger.warning(
                "Retry-After: %s answered %d again after %d retries: giving up",
                request.url,
                response.status,
                tries,
            )
            _inc(self.crawler, "leadharvest/retry_after/gave_up")
            request.meta["dont_retry"] = True
            return response
        retry = request.copy()
        retry.meta["lh_retry_after_times"] = tries + 1
        retry.dont_filter = True
        retry.priority = request.priority + self.priority_adjust
        logger.info(
            "Retry-After: %s answered %d; retrying in %.1fs (retry %d of %d)",
            request.url,
            response.status,
            wait,
            tries + 1,
            self.max_times,
        )
        _inc(self.crawler, "leadharvest/retry_after")
        return retry
