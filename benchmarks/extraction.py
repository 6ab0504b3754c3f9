"""Extraction quality and speed on the real saved pages, against their expected outputs.

Usage: ``python benchmarks/extraction.py [--repeat N]`` (default 5). Reads every
``tests/expected/**/*.json`` and the page it names under ``../shared/fixtures``; exits 0 with
one line when that folder is not beside the checkout.

Quality: the page is run the way ``leadharvest extract`` runs it (``source_for_url`` →
``extract_page`` → ``enrich_lead``) and scored with the rules of
``tests/test_expected_outputs.py`` (one definition for the test and these numbers): recall and
precision of lead names, phones (last 8 digits, extensions aside), e-mails and URLs (search
results, ads by landing host + path, plus lead websites by host), summed per source and over
all pages. Precision only counts pages whose expected file says its lists are complete.
"Operator" counts values the expected file lists as never-a-contact (the site's hotline, the
logged-in viewer's phone, ICP numbers, postcodes) that still became a lead's phone or e-mail.

Speed: per page, decode + extract (``Page.from_bytes`` + ``extract_page``, no enrichment)
repeated N times, beside a bare ``lxml.html.fromstring`` of the same decoded text repeated N
times in the same run, as pages per second and their ratio. The parse is the floor any
extractor pays; the ratio says what the selectors, JSON readers and text finders cost on top.
Both are timed with the cyclic garbage collector paused (collected just before), as ``timeit``
does: a full collection of what the benchmark itself holds would land in one page's runs.
Every timed extraction starts with the readers' bounded caches (``functools.lru_cache`` in
``spiders``, ``enrich`` and ``leadharvest``: lines, texts, URLs, class names) emptied, as for
a page of a site never seen before: the same page read again would otherwise find all its
work cached. Unbounded ``functools.cache`` (the configuration, the catalogue) stays.

Goals shown under the tables: recall ≥ 0.95 on pages of sources that have their own page
object, ≥ 0.8 on directory / B2B pages left to the generic extractor, 0 operator contacts
taken, extraction ≥ 50% of bare parse speed.
"""

from __future__ import annotations

import argparse
import functools
import gc
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lxml.html
from peers import machine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from enrich.pipeline import enrich_lead  # noqa: E402
from spiders.pages import GENERIC, GENERIC_PARSER, extract_page, source_for_url  # noqa: E402
from spiders.pages.base import Page  # noqa: E402
from tests.realpages import shared_fixtures  # noqa: E402
from tests.test_expected_outputs import (  # noqa: E402
    Comparison,
    Extraction,
    FieldScore,
    compare,
    expected_files,
    extract_like_cli,
    load_expected,
    problems,
)

FIELDS = ("names", "phones", "emails", "urls")
ADAPTER_GOAL = 0.95
GENERIC_GOAL = 0.8
SPEED_GOAL = 0.5
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass
class PageRun:
    """One expected file: its score and its timings."""

    cmp: Comparison
    adapter: bool
    """The URL's source has its own page object (not the generic extractor)."""
    generic_directory: bool
    """A directory / B2B page that only the generic extractor handled."""
    extract_s: float
    parse_s: float
    repeat: int

    def field(self, name: str) -> FieldScore:
        if name == "urls":
            score = FieldScore()
            score.add(self.cmp.results)
            score.add(self.cmp.websites)
        else:
            score = getattr(self.cmp, name)
        if not self.cmp.complete:  # extra values may be real ones nobody listed
            score = replace(score, extracted=0, correct=0)
        return score


def _generic_extraction(page: Page) -> Extraction:
    """What the generic extractor alone makes of a page (as if its site had no adapter)."""
    result = extract_page(page, GENERIC)
    for lead in result.leads:
        enrich_lead(lead)
    return Extraction(result.status, result.source, list(result.search_results), result.leads)


def content_caches() -> list[Any]:
    """The bounded ``lru_cache`` functions of LeadHarvest's modules (already imported).

    They hold what pages said (lines, texts, URLs, class names). A timed run empties them
    first, so a page is measured as a page never seen before, not as the hundredth reading
    of itself; the unbounded ``functools.cache`` functions hold configuration and stay.
    """
    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("spiders", "enrich", "leadharvest")):
            continue
        for value in vars(module).values():
            if (
                isinstance(value, functools._lru_cache_wrapper)
                and value.cache_info().maxsize is not None
                and str(getattr(value, "__module__", "")).startswith(
                    ("spiders", "enrich", "leadharvest")
                )
            ):
                found[id(value)] = value
    return list(found.values())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The timed runs without Python's cyclic garbage collector, as ``timeit`` times code.

    By the time the last pages are timed the benchmark holds every page's scores and
    enriched leads (~270,000 objects): a full collection then takes ~70 ms, and it lands in
    whichever page's runs happen to cross the collector's threshold (one page read 2.5
    times slower from one run to the next). Extraction and parse are timed alike.
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_page(path: Path, fixtures: Path, repeat: int, *, generic: bool = False) -> PageRun | None:
    """Score and time one expected page; ``generic`` forces the generic extractor."""
    data = load_expected(path)
    page_path = fixtures / data["fixture"]
    if not page_path.is_file():
        return None
    body = page_path.read_bytes()
    url = data["url"]
    src = GENERIC if generic else source_for_url(url)
    if generic:
        cmp = compare(data, _generic_extraction(Page.from_bytes(url, body)))
    else:
        cmp = compare(data, extract_like_cli(Page.from_bytes(url, body)))

    text = _XML_DECL.sub("", Page.from_bytes(url, body).text) or "<html></html>"
    caches = content_caches()
    with _collector_paused():
        extract_s = 0.0
        for _ in range(repeat):
            for cached in caches:
                cached.cache_clear()
            start = time.perf_counter()
            extract_page(Page.from_bytes(url, body), src)
            extract_s += time.perf_counter() - start

        start = time.perf_counter()
        for _ in range(repeat):
            lxml.html.fromstring(text)
        parse_s = time.perf_counter() - start

    directory = data["fixture"].startswith(("directories/", "b2b/"))
    return PageRun(
        cmp=cmp,
        adapter=src.parser != GENERIC_PARSER,
        generic_directory=directory and src is GENERIC,
        extract_s=extract_s,
        parse_s=parse_s,
        repeat=repeat,
    )


# --- formatting --------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "–"


def cell(score: FieldScore) -> str:
    """``found/expected R · P`` (R and P as 0.00–1.00; – when there is nothing to divide)."""
    if not score.expected and not score.extracted:
        return "–"
    return (
        f"{score.found}/{score.expected} R {_ratio(score.found, score.expected)}"
        f" · P {_ratio(score.correct, score.extracted)}"
    )


def summed(runs: list[PageRun], name: str) -> FieldScore:
    total = FieldScore()
    for run in runs:
        total.add(run.field(name))
    return total


def speed(runs: list[PageRun]) -> tuple[float, float]:
    pages = sum(r.repeat for r in runs)
    extract_s = sum(r.extract_s for r in runs)
    parse_s = sum(r.parse_s for r in runs)
    return (pages / extract_s if extract_s else 0.0, pages / parse_s if parse_s else 0.0)


def page_table(runs: list[PageRun]) -> list[str]:
    lines = [
        "| page | source | status | names | phones | e-mails | URLs | operator | masked leaks "
        "| extract p/s | parse p/s | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        c = run.cmp
        source = c.source if c.source == c.expected_source else f"{c.source} ≠ {c.expected_source}"
        status = c.status if c.status == c.expected_status else f"{c.status} ≠ {c.expected_status}"
        ext, par = speed([run])
        lines.append(
            f"| {c.fixture} | {source} | {status} | "
            + " | ".join(cell(run.field(f)) for f in FIELDS)
            + f" | {len(c.operator_taken)} | {len(c.masked_leaks)}"
            f" | {ext:.1f} | {par:.1f} | {ext / par if par else 0:.2f} |"
        )
    return lines


def group_table(groups: dict[str, list[PageRun]], title: str) -> list[str]:
    lines = [
        f"| {title} | pages | status ok | names | phones | e-mails | URLs | operator "
        "| extract p/s | parse p/s | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in groups.items():
        ext, par = speed(runs)
        status_ok = sum(r.cmp.status == r.cmp.expected_status for r in runs)
        lines.append(
            f"| {name} | {len(runs)} | {status_ok}/{len(runs)} | "
            + " | ".join(cell(summed(runs, f)) for f in FIELDS)
            + f" | {sum(len(r.cmp.operator_taken) for r in runs)}"
            f" | {ext:.1f} | {par:.1f} | {ext / par if par else 0:.2f} |"
        )
    return lines


def goal_rows(runs: list[PageRun]) -> list[str]:
    lines = ["| goal | measured | met |", "|---|---|---|"]

    def recall_goal(label: str, subset: list[PageRun], goal: float) -> None:
        if not subset:
            lines.append(f"| {label} ≥ {goal} | no such page | – |")
            return
        parts, met = [], True
        for f in FIELDS:
            score = summed(subset, f)
            if score.recall is None:
                continue
            parts.append(f"{f} {score.recall:.2f}")
            met = met and score.recall >= goal
        lines.append(
            f"| {label} ≥ {goal} ({len(subset)} pages) | {', '.join(parts) or '–'} "
            f"| {'yes' if met else 'NO'} |"
        )

    recall_goal("recall, sources with a page object", [r for r in runs if r.adapter], ADAPTER_GOAL)
    recall_goal(
        "recall, directory/B2B pages on the generic extractor",
        [r for r in runs if r.generic_directory],
        GENERIC_GOAL,
    )
    taken = sum(len(r.cmp.operator_taken) for r in runs)
    lines.append(
        f"| operator / viewer contacts taken = 0 | {taken} | {'yes' if not taken else 'NO'} |"
    )
    ext, par = speed([r for r in runs if not r.generic_directory])
    ratio = ext / par if par else 0.0
    lines.append(
        f"| extraction ≥ {SPEED_GOAL:.0%} of bare lxml parse speed | {ratio:.0%} "
        f"({ext:.1f} vs {par:.1f} pages/s) | {'yes' if ratio >= SPEED_GOAL else 'NO'} |"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page (default 5)")
    args = parser.parse_args(argv)
    fixtures = shared_fixtures()
    if not fixtures.is_dir():
        print(
            f"extraction benchmark skipped: {fixtures} not found"
            " (../shared is not beside the checkout)"
        )
        return 0
    runs, missing = [], []
    for path in expected_files():
        run = run_page(path, fixtures, max(1, args.repeat))
        if run is None:
            missing.append(str(path))
        else:
            runs.append(run)

    # the same directory / B2B pages read by the generic extractor alone: how well a site
    # the trainee points --start-url at does without an adapter
    generic_runs = [
        run
        for path in expected_files()
        if load_expected(path)["fixture"].startswith(("directories/", "b2b/"))
        and load_expected(path).get("leads")
        for run in [run_page(path, fixtures, max(1, args.repeat), generic=True)]
        if run is not None
    ]
    by_source: dict[str, list[PageRun]] = defaultdict(list)
    for run in runs:
        by_source[run.cmp.expected_source].append(run)
    out = [
        f"# Extraction benchmark — {machine()}",
        "",
        f"{len(runs)} pages with expected outputs; speed = {args.repeat} timed runs per page. "
        "Cells: found/expected, R = recall, P = precision (complete pages only).",
        "",
        "## Per page",
        "",
        *page_table(runs),
        "",
        "## Per source",
        "",
        *group_table(dict(sorted(by_source.items())), "source"),
        "",
        "## Overall",
        "",
        *group_table({"all pages": runs}, "set"),
        "",
        "## Directory and B2B pages read by the generic extractor alone",
        "",
        *group_table({"generic extractor": generic_runs}, "set"),
        "",
        "## Goals",
        "",
        *goal_rows(runs + generic_runs),
    ]
    failing = [(r.cmp.fixture, problems(r.cmp)) for r in runs]
    failing = [(f, p) for f, p in failing if p]
    if failing:
        out += ["", "## Misses (what tests/test_expected_outputs.py fails on)", ""]
        out += [f"- {fixture}: " + "; ".join(found) for fixture, found in failing]
    if missing:
        out += ["", f"Pages not found for: {', '.join(missing)}"]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
