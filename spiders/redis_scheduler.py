"""scrapy-redis with leases: many worker processes share one queue and lose no request.

scrapy-redis pops a request off the shared queue and forgets it: a worker killed with that
request in flight loses it (and everything it would have led to). Here a pop *moves* the
request, atomically (a Lua script), from the queue to a lease set scored by its expiry. The
lease ends when the response and what it yielded were handled: the page's leads and page
record are in the store (the spider writes them) and its follow-up requests are in the queue
(:class:`LeaseMiddleware` schedules them itself before it ends the lease). A live worker
renews its leases every few seconds; every worker also puts back leases that expired, i.e.
those of a dead worker, straight into the queue (past the duplicate filter, which has already
seen them). A retry or redirect of a leased request replaces its lease in one step.

Keys (``PREFIX`` is ``LEADHARVEST_REDIS_PREFIX``): ``PREFIX:queue`` (sorted set, score
``-priority``), ``PREFIX:leases`` (sorted set, score = expiry), ``PREFIX:dead`` (requests
given up after ``LEADHARVEST_LEASE_ATTEMPTS`` expiries), and per job ``PREFIX:job:ID:pending``
(requests queued or leased: 0 means the job is done), ``:seen`` (duplicate filter) and
``:sites`` (pages per company site, shared by every worker).

Requests travel as JSON (bytes as base64), never pickle: whoever can write to Redis must not
be able to run code on the workers.

scrapy-redis's own scheduler and duplicate filter call APIs that Scrapy 2.13+ deprecates
(the dupefilter's ``from_settings``/``from_spider`` construction, ``BaseDupeFilter.log(request,
spider)``, stats with ``spider=``) and clear the shared keys when one worker closes; the
subclasses below are built ``from_crawler`` and override those paths.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator, MutableMapping
from typing import Any, Self

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.request import request_from_dict
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "leadharvest"


def env_prefix() -> str:
    """The key prefix: ``LEADHARVEST_REDIS_PREFIX``, so teams (and tests) can share a Redis."""
    return os.environ.get("LEADHARVEST_REDIS_PREFIX", "") or DEFAULT_PREFIX


LEASE_KEY = "lh_lease"
JOB_KEY = "lh_job"

_POP = """
local m = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not m then return false end
redis.call('ZREM', KEYS[1], m)
redis.call('ZADD', KEYS[2], ARGV[1], m)
return m
"""
# KEYS: queue, leases, pending, seen; ARGV: score, member, old lease ('' for a new request),
# fingerprint ('' to skip the duplicate filter). The filter and the queue change together: a
# worker killed in between must not leave a request marked seen but never queued.
_PUSH = """
if ARGV[4] ~= '' and redis.call('SADD', KEYS[4], ARGV[4]) == 0 then
  if ARGV[3] ~= '' and redis.call('ZREM', KEYS[2], ARGV[3]) == 1 then
    redis.call('DECR', KEYS[3])
  end
  return 0
end
if ARGV[3] ~= '' then
  if redis.call('ZREM', KEYS[2], ARGV[3]) == 0 then return 0 end
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[3])
return 1
"""
# KEYS: leases, pending; ARGV: member. Returns the job's pending count, or -1 if not leased.
_COMPLETE = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return -1 end
return redis.call('DECR', KEYS[2])
"""
# KEYS: leases, queue, dead, pending; ARGV: old member, new member, score, give up (0/1)
_REQUEUE = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[4] == '1' then
  redis.call('RPUSH', KEYS[3], ARGV[2])
  redis.call('DECR', KEYS[4])
  return 2
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
"""


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _jsonable(v) for k, v in value.items()}
        return {"__items__": [[_jsonable(k), _jsonable(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        if set(value) == {"__items__"}:
            return {_from_jsonable(k): _from_jsonable(v) for k, v in value["__items__"]}
        return {k: _from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v) for v in value]
    return value


def encode_request(request: Request, spider: Spider | None, *, attempts: int = 0) -> str:
    """The queue member for a request: a unique token, its job, priority and the request."""
    data = request.to_dict(spider=spider)
    data["meta"] = {k: v for k, v in data.get("meta", {}).items() if k != LEASE_KEY}
    envelope = {
        "t": uuid.uuid4().hex,
        "j": str(request.meta.get(JOB_KEY, "")),
        "p": int(request.priority),
        "a": attempts,
        "r": json.dumps(_jsonable(data), ensure_ascii=False, default=str),
    }
    return json.dumps(envelope, ensure_ascii=False)


def decode_envelope(member: str) -> dict[str, Any]:
    envelope = json.loads(member)
    assert isinstance(envelope, dict)
    return envelope


class LeaseQueue:
    """The shared queue and its leases (see the module docstring)."""

    def __init__(
        self,
        server: redis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        lease_seconds: float = 60.0,
        max_attempts: int = 3,
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.queue_key = f"{prefix}:queue"
        self.lease_key = f"{prefix}:leases"
        self.dead_key = f"{prefix}:dead"
        self.held: dict[str, str] = {}
        """Leases this process holds: token → member (renewed by :meth:`renew`)."""
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._complete = server.register_script(_COMPLETE)
        self._requeue = server.register_script(_REQUEUE)

    def job_key(self, job_id: str, what: str) -> str:
        return f"{self.prefix}:job:{job_id}:{what}"

    # -- producing ------------------------------------------------------------------------
    def push(self, request: Request, spider: Spider | None = None, fingerprint: str = "") -> bool:
        """Queue a request unless its ``fingerprint`` is in its job's duplicate filter; a
        retry/redirect of a leased request takes over its lease.

        False for a duplicate, and when the request continues a lease that is no longer held
        (it expired and the original is back in the queue: it is fetched again from there)."""
        old = self.held.pop(str(request.meta.get(LEASE_KEY, "")), "")
        member = encode_request(request, spider)
        job = str(request.meta.get(JOB_KEY, ""))
        keys = [self.queue_key, self.lease_key, self.job_key(job, "pending")]
        keys.append(self.job_key(job, "seen"))
        args: list[str | int] = [-int(request.priority), member, old, fingerprint]
        return bool(self._push(keys=keys, args=args))

    # -- consuming ------------------------------------------------------------------------
    def pop(self, spider: Spider | None) -> Request | None:
        member = self._pop(
            keys=[self.queue_key, self.lease_key], args=[time.time() + self.lease_seconds]
        )
        if not member:
            return None
        member = member.decode("utf-8") if isinstance(member, bytes) else str(member)
        envelope = decode_envelope(member)
        data = _from_jsonable(json.loads(envelope["r"]))
        request = request_from_dict(data, spider=spider)
        request.meta[LEASE_KEY] = envelope["t"]
        self.held[envelope["t"]] = member
        return request

    def complete(self, request: Request) -> int | None:
        """End a request's lease; returns its job's pending count (None if not leased)."""
        member = self.held.pop(str(request.meta.get(LEASE_KEY, "")), "")
        if not member:
            return None
        job = str(request.meta.get(JOB_KEY, ""))
        left = int(
            self._complete(keys=[self.lease_key, self.job_key(job, "pending")], args=[member])
        )
        return None if left < 0 else left

    def renew(self) -> None:
        """Push the expiry of every lease this process holds forward (XX: never re-create a
        lease another worker already put back)."""
        if not self.held:
            return
        expiry = time.time() + self.lease_seconds
        pipe = self.server.pipeline(transaction=False)
        for member in list(self.held.values()):
            pipe.zadd(self.lease_key, {member: expiry}, xx=True)
        pipe.execute()

    def reap(self, now: float | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Put expired leases (a dead worker's) back in the queue; returns the envelopes of
        the requests given up after too many expiries."""
        expired = self.server.zrangebyscore(
            self.lease_key, "-inf", now or time.time(), start=0, num=limit
        )
        given_up: list[dict[str, Any]] = []
        for raw in expired:
            member = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            envelope = decode_envelope(member)
            attempts = int(envelope.get("a", 0)) + 1
            fresh = json.dumps(
                {**envelope, "a": attempts, "t": uuid.uuid4().hex}, ensure_ascii=False
            )
            give_up = attempts >= self.max_attempts
            keys = [
                self.lease_key,
                self.queue_key,
                self.dead_key,
                self.job_key(str(envelope.get("j", "")), "pending"),
            ]
            done = self._requeue(
                keys=keys, args=[member, fresh, -int(envelope.get("p", 0)), int(give_up)]
            )
            if int(done) == 2:
                given_up.append({**envelope, "a": attempts})
            elif int(done) == 1:
                logger.info("lease expired, request put back: %s", envelope.get("t"))
        return given_up

    def release(self) -> None:
        """Put every lease this process holds back in the queue now (a clean stop)."""
        for token, member in list(self.held.items()):
            envelope = decode_envelope(member)
            keys = [
                self.lease_key,
                self.queue_key,
                self.dead_key,
                self.job_key(str(envelope.get("j", "")), "pending"),
            ]
            self._requeue(keys=keys, args=[member, member, -int(envelope.get("p", 0)), 0])
            del self.held[token]

    # -- looking ----------------------------------------------------------------------------
    def queued(self) -> int:
        return int(self.server.zcard(self.queue_key))

    def leased(self) -> int:
        return int(self.server.zcard(self.lease_key))

    def pending(self, job_id: str) -> int:
        return int(self.server.get(self.job_key(job_id, "pending")) or 0)


def redis_from_url(url: str) -> redis.Redis:
    """A client for ``redis://HOST:PORT/DB`` with scrapy-redis's connection defaults."""
    from scrapy_redis.connection import get_redis

    client: redis.Redis = get_redis(url=url, socket_timeout=30, socket_connect_timeout=10)
    return client


def lease_queue_from_settings(settings: Any) -> LeaseQueue:
    return LeaseQueue(
        redis_from_url(str(settings.get("REDIS_URL"))),
        str(settings.get("LEADHARVEST_REDIS_PREFIX") or env_prefix()),
        lease_seconds=settings.getfloat("LEADHARVEST_LEASE_SECONDS", 60.0),
        max_attempts=settings.getint("LEADHARVEST_LEASE_ATTEMPTS", 3),
    )


class JobDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's shared duplicate filter, one set per job (two jobs may visit the same
    page), built from the crawler and never cleared when one worker stops."""

    def __init__(self, server: redis.Redis, prefix: str, debug: bool = False) -> None:
        super().__init__(server, key=f"{prefix}:seen", debug=debug)
        self.prefix = prefix

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            redis_from_url(str(settings.get("REDIS_URL"))),
            str(settings.get("LEADHARVEST_REDIS_PREFIX") or env_prefix()),
            settings.getbool("DUPEFILTER_DEBUG"),
        )

    def request_seen(self, request: Request) -> bool:
        """(The scheduler checks and queues in one step instead: :meth:`LeaseQueue.push`.)"""
        job = str(request.meta.get(JOB_KEY, ""))
        added = self.server.sadd(f"{self.prefix}:job:{job}:seen", self.request_fingerprint(request))
        return int(added) == 0

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: other workers are still crawling."""

    def log(self, request: Request, spider: Spider | None = None) -> None:
        logger.debug("Filtered duplicate request: %s", request)


class LeasedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler over a :class:`LeaseQueue`, persistent, shared by workers."""

    def __init__(self, queue: LeaseQueue, dupefilter: JobDupeFilter, crawler: Crawler) -> None:
        super().__init__(
            queue.server, persist=True, dupefilter=dupefilter, queue_key=queue.queue_key
        )
        self.leases = queue
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        queue = lease_queue_from_settings(crawler.settings)
        queue.server.ping()
        return cls(queue, JobDupeFilter.from_crawler(crawler), crawler)

    def open(self, spider: Spider) -> None:
        self.spider = spider

    def close(self, reason: str) -> None:
        """Leave the queue, leases and filter to the other workers (scrapy-redis would flush
        them unless SCHEDULER_PERSIST)."""

    def __len__(self) -> int:
        return self.leases.queued()

    def enqueue_request(self, request: Request) -> bool:
        # a redirect to a page already seen ends its request's lease inside push()
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        queued = self.leases.push(request, self.spider, fingerprint)
        if queued and self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def next_request(self) -> Request | None:
        request = self.leases.pop(self.spider)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self) > 0


class LeaseMiddleware:
    """Last spider middleware before the engine: schedules a page's follow-up requests
    itself, synchronously, then ends the page's lease.

    Scrapy hands callback output to the engine through an asynchronous queue, so the end of
    a callback says nothing about whether its requests are queued yet; here, when the loop
    below ends, every request the page led to is in Redis.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _schedule(self, output: Any) -> bool:
        if isinstance(output, Request):
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(output)
            return True
        return False

    def _done(self, response: Response) -> None:
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        if isinstance(scheduler, LeasedScheduler):
            finish_lease(self.crawler.spider, scheduler.leases, response.request)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for output in result:
            if not self._schedule(output):
                yield output
        self._done(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            if not self._schedule(output):
                yield output
        self._done(response)


def finish_lease(spider: Spider | None, leases: LeaseQueue, request: Request | None) -> None:
    """End a request's lease; when it was its job's last request, tell the spider."""
    if request is None:
        return
    left = leases.complete(request)
    if left == 0 and spider is not None and hasattr(spider, "job_drained"):
        spider.job_drained(str(request.meta.get(JOB_KEY, "")))


class SiteBudget(MutableMapping[str, int]):
    """Pages used per company site for one job, in Redis so that every worker counts the
    same pages (the spiders' ``site_pages``).

    A site's count is the number of distinct pages admitted for it, and every answer is
    about the pages *other than* :attr:`current` (the one being decided): a page handled
    again after its worker died admits the same follow-up pages as the first time, instead
    of finding the budget spent by its own earlier attempt.
    """

    def __init__(self, server: redis.Redis, key: str) -> None:
        self.server = server
        self.key = key
        self.current = ""

    def _pages(self, site: str) -> str:
        return f"{self.key}:{site}"

    def _mine(self, site: str) -> bool:
        return bool(self.current) and bool(self.server.sismember(self._pages(site), self.current))

    def __getitem__(self, site: str) -> int:
        used = int(self.server.scard(self._pages(site)))
        if not used:
            raise KeyError(site)
        return used - int(self._mine(site))

    def __setitem__(self, site: str, used: int) -> None:
        pipe = self.server.pipeline(transaction=True)
        pipe.sadd(self.key, site)
        pipe.sadd(self._pages(site), self.current or f"#{used}")
        pipe.execute()

    def __delitem__(self, site: str) -> None:
        self.server.srem(self.key, site)
        self.server.delete(self._pages(site))

    def __contains__(self, site: object) -> bool:
        return self.get(str(site), 0) > 0

    def __iter__(self) -> Iterator[str]:
        return (
            k.decode() if isinstance(k, bytes) else str(k) for k in self.server.smembers(self.key)
        )

    def __len__(self) -> int:
        sites = int(self.server.scard(self.key))
        if self.current:
            from spiders.base import site_key

            site = site_key(self.current)
            if self.server.smembers(self._pages(site)) == {self.current.encode()}:
                return sites - 1  # the site this page itself opened
        return sites
