"""The crawl journal: what a killed crawl had finished, so ``collect --resume`` goes on from there.

Scrapy's own ``JOBDIR`` keeps the scheduler queue and the duplicate filter on disk, but only a
clean shutdown makes them usable: the queue's index (``active.json``) is written when the
spider closes and the seen-file is buffered, so after ``kill -9`` the queue is empty and the
requests that were in flight are gone. LeadHarvest keeps its own journal instead, in the sink
file the parent reads anyway:

- every finished request (a page, or a request that failed) is **one** JSON line holding its
  page record, its leads and the follow-up requests it led to, written in one go and flushed.
  A line is all or nothing: a line torn by a kill is dropped and its page fetched again, so a
  request never counts as done before its leads are on disk;
- on resume, per spider, the *done* requests are those with a line; the *pending* ones are
  the start requests and recorded follow-ups without one (each once, in recorded order); and
  every recorded fingerprint goes into the duplicate filter, so a link seen again on a
  re-fetched page is not queued twice;
- the per-site page budget is counted again from the recorded follow-ups, so a resumed job
  visits no more of a site than an uninterrupted one.

The window a kill can hit — follow-ups queued or even fetched, but the parent's line not yet
written — is harmless: the parent is fetched again, and its follow-ups that finished are in
the duplicate filter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from leadharvest.items import Lead, PageRecord

FP_META = "lh_fp"
"""Request meta key holding the request's fingerprint (kept across redirects and retries)."""

RESUME_SETTING = "LEADHARVEST_RESUME"
"""Path of the journal a resumed crawl continues from (empty: a fresh crawl)."""


@dataclass
class PageResult:
    """One finished request: its page record, its leads and the requests it led to; or, with
    no record, a spider's start requests (written before any is fetched)."""

    record: PageRecord | None
    leads: list[Lead] = field(default_factory=list)
    fp: str = ""
    """Fingerprint of the request as it was queued (before any redirect)."""
    follow: list[dict[str, Any]] = field(default_factory=list)
    """Follow-up requests as :func:`request_spec` dicts."""
    spider: str = ""


def journal_line(result: PageResult) -> str:
    """The sink line for one finished request or a spider's start (no newline)."""
    if result.record is None:
        start = {"type": "start", "spider": result.spider, "follow": result.follow}
        return json.dumps(start, ensure_ascii=False)
    data = asdict(result.record)
    data["fetched_at"] = result.record.fetched_at.isoformat()
    return json.dumps(
        {
            "type": "page",
            "spider": result.spider,
            "fp": result.fp,
            "data": data,
            "leads": [lead.to_dict() for lead in result.leads],
            "follow": result.follow,
        },
        ensure_ascii=False,
    )


def request_spec(request: Request, depth: int) -> dict[str, Any]:
    """What rebuilds a LeadHarvest request on resume: URL, source, kind, meta, depth.

    Headers are not kept: the spider derives them from the source again, and an API key has
    no business in a file on disk.
    """
    meta = {
        k[3:]: v
        for k, v in request.meta.items()
        if k.startswith("lh_") and k not in ("lh_source", "lh_kind", FP_META)
    }
    return {
        "url": request.url,
        "source": request.meta.get("lh_source", ""),
        "kind": request.meta.get("lh_kind", ""),
        "meta": meta,
        "depth": depth,
        "fp": request.meta.get(FP_META, ""),
    }


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """Every complete record in a sink file; a torn line (from a kill) is skipped."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.endswith("\n"):
                return  # the last write was cut short: that request is not done
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def drop_torn_tail(path: Path) -> None:
    """Cut a partly written last line, so the next append starts on a line of its own."""
    if not path.is_file():
        return
    with path.open("rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


@dataclass
class Frontier:
    """One spider's place in a resumed crawl."""

    done: set[str] = field(default_factory=set)
    pending: list[dict[str, Any]] = field(default_factory=list)
    """Recorded follow-ups not done yet, each once, in the order they were found."""
    seen: set[str] = field(default_factory=set)
    """Every fingerprint the spider had queued or finished: the duplicate filter's start."""
    started: bool = False
    """Whether the spider's start requests are in the journal (else it starts afresh)."""


def frontier(path: Path, spider: str) -> Frontier:
    """Where ``spider`` stood when the crawl writing ``path`` stopped."""
    state = Frontier()
    followed: list[dict[str, Any]] = []
    for record in read_journal(path):
        if record.get("type") not in ("page", "start") or record.get("spider") != spider:
            continue
        state.started |= record["type"] == "start"
        if record.get("fp"):
            state.done.add(str(record["fp"]))
        followed.extend(record.get("follow") or [])
    state.seen |= state.done
    for spec in followed:
        fp = str(spec.get("fp", ""))
        if not fp or fp in state.seen:
            continue
        state.seen.add(fp)
        state.pending.append(spec)
    return state


def site_budget(path: Path) -> dict[str, int]:
    """Pages used per company site, counted from the recorded follow-ups of every spider.

    Mirrors :meth:`spiders.base.LeadSpider.company_request` (a site's first page sets 1) and
    ``contact_request`` (each contact page adds 1).
    """
    from spiders.base import site_key

    used: dict[str, int] = {}
    for record in read_journal(path):
        if record.get("type") not in ("page", "start"):
            continue
        for spec in record.get("follow") or []:
            kind = spec.get("kind")
            if kind == "site":
                used.setdefault(site_key(str(spec["url"])), 1)
            elif kind == "contact":
                domain = site_key(str(spec["url"]))
                used[domain] = used.get(domain, 0) + 1
    return used


def budget_decisions(path: Path, budget: int) -> tuple[dict[str, set[str]], set[str]]:
    """Replay the per-site page budget (:mod:`spiders.middlewares.limits`) over the journal:
    per site, the followed links it had let through, and the links it had refused.

    Follow-ups are journaled as the spider yields them, before the budget sees them, so a
    resumed crawl must refuse the same links again and start from the same count; otherwise
    every resume would give a link trap another ``budget`` pages. Page lines are written in
    the order their follow-ups reached the middleware, so replaying them in file order
    reproduces its decisions.
    """
    from spiders.base import site_key

    allowed: dict[str, set[str]] = {}
    refused: set[str] = set()
    if budget <= 0:
        return allowed, refused
    for record in read_journal(path):
        if record.get("type") != "page":
            continue  # start requests are the user's, never counted against a site
        for spec in record.get("follow") or []:
            fp = str(spec.get("fp", ""))
            if not fp:
                continue
            seen = allowed.setdefault(site_key(str(spec["url"])), set())
            if fp in seen:
                continue
            if len(seen) >= budget:
                refused.add(fp)
            else:
                seen.add(fp)
    return allowed, refused


class ResumeDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, starting with every request a resumed spider had seen."""

    resumed: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        dupefilter = super().from_crawler(crawler)
        journal = crawler.settings.get(RESUME_SETTING) or ""
        name = getattr(crawler.spidercls, "name", "")
        if journal:
            dupefilter.resumed = frozenset(frontier(Path(journal), name).seen)
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        if request.meta.get(FP_META) in self.resumed:
            return True
        return super().request_seen(request)
