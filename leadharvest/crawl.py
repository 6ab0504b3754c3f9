"""The crawl child process: ``python -m leadharvest.crawl SPEC.json``.

Scrapy's Twisted reactor can run only once per process, and a job (or the web UI, or a test
session) must be able to run many crawls; so every crawl gets a fresh process. The parent
reads progress events on this process's stdout and the collected items from the sink file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess

from spiders.company import CompanySiteSpider
from spiders.directory import DirectorySpider
from spiders.industry import IndustrySiteSpider
from spiders.journal import RESUME_SETTING, site_budget
from spiders.search import SearchEngineSpider
from spiders.settings import crawl_settings, plan_needs_rendering

SPIDERS = (SearchEngineSpider, DirectorySpider, IndustrySiteSpider, CompanySiteSpider)


def run_crawl(spec: dict[str, Any]) -> None:
    """Run every spider that has start requests in the plan, in one reactor.

    ``spec["resume"]``: go on from the journal in the sink (see ``spiders/journal.py``)
    instead of starting afresh: only what is not done yet is fetched.
    """
    settings = crawl_settings(
        sink=spec["sink"],
        replay=spec.get("replay", ""),
        record=spec.get("record", ""),
        progress=bool(spec.get("progress", True)),
        log_file=spec.get("log_file", ""),
        overrides=spec.get("settings") or {},
        render=plan_needs_rendering(spec["plan"]),
    )
    budget: dict[str, int] = {}
    if spec.get("resume"):
        settings[RESUME_SETTING] = spec["sink"]
        settings["DUPEFILTER_CLASS"] = "spiders.journal.ResumeDupeFilter"
        budget = site_budget(Path(spec["sink"]))
    # the job's log file gets Scrapy's log (robots decisions, Crawl-delay, Retry-After pauses)
    process = AsyncCrawlerProcess(settings, install_root_handler=bool(spec.get("log_file")))
    started = False
    for cls in SPIDERS:
        spider_plan = [p for p in spec["plan"] if cls(plan=[p])._wants(p)]
        if spider_plan:
            process.crawl(cls, plan=spider_plan, site_budget=budget)
            started = True
    if started:
        process.start()


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    spec = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    run_crawl(spec)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
