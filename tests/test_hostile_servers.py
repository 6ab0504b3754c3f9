"""A real job against a hostile web: it completes, keeps inside its limits and says what broke.

The fault web (:mod:`tests.faultserver`) runs on loopback addresses 127.0.0.1–20 in this
process; the job is the real runner with its Scrapy child process, started at the fault web's
directory page. Politeness delays are dropped with setting overrides (``-s``), except
Retry-After, which the busy sites ask for with small values. Every expected number below is
derived from the server's behaviour and the job's settings, not read off a run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.xlsx import write_lead_sheet
from leadharvest.report import FAULT_KINDS, fault_kind, source_health, translate_reason
from leadharvest.runner import JobResult, JobSpec, run_job
from leadharvest.settings import defaults
from tests.faultserver import BIG_BYTES, COMPANIES, FaultWeb

TIMEOUT = 1.5
"""DOWNLOAD_TIMEOUT for the job; the slow site answers after twice that."""
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
PAGE_BUDGET = 10
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": str(TIMEOUT),
    "RETRY_TIMES": str(RETRY_TIMES),
    "REDIRECT_MAX_TIMES": str(REDIRECT_MAX_TIMES),
    "LEADHARVEST_MAX_PAGES_PER_SITE": str(PAGE_BUDGET),
    "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.2",
}
RETRY_AFTER_TIMES = int(defaults()["crawl"]["retry_after_times"])
MAXSIZE = int(defaults()["crawl"]["download_maxsize"])

HONEST = ("harbour", "northwind")
RECOVERING = ("busy", "flaky")
"""Sites that misbehave first and then answer: their leads must be collected too."""
READABLE = ("latin1", "utf8gb", "gzip")
"""Sites whose pages are damaged but readable: lying charsets, a truncated gzip body."""


@pytest.fixture(scope="module")
def web() -> Iterator[FaultWeb]:
    with FaultWeb(slow_seconds=TIMEOUT * 2) as running:
        yield running


@pytest.fixture(scope="module")
def job(web: FaultWeb, tmp_path_factory: pytest.TempPathFactory) -> JobResult:
    out = tmp_path_factory.mktemp("hostile")
    return run_job(
        JobSpec(
            query="camera",
            start_urls=[web.urls["index"] + "/"],
            out=out,
            settings=dict(SETTINGS),
            job_id="hostile",
        )
    )


def _pages(job: JobResult, site: str, web: FaultWeb) -> list[str]:
    return [p.reason for p in job.job.pages if p.url.startswith(web.urls[site])]


def test_the_job_completes_and_collects_every_real_lead(job: JobResult) -> None:
    assert (job.error, job.interrupted, job.job.status) == ("", False, "finished")
    emails = {e.raw for lead in job.leads for e in lead.emails}
    for site in (*HONEST, *RECOVERING, *READABLE):
        # the e-mail is only on the company's own page: finding it means the page was read
        assert COMPANIES[site].email in emails, site
    harbour = next(x for x in job.leads if COMPANIES["harbour"].email in {e.raw for e in x.emails})
    assert harbour.name == COMPANIES["harbour"].name
    assert [p.name for p in harbour.people] == ["Olivia Grant"]


@pytest.mark.parametrize("site", ["latin1", "utf8gb"])
def test_a_lying_charset_is_read_correctly(job: JobResult, web: FaultWeb, site: str) -> None:
    company = COMPANIES[site]
    lead = next(x for x in job.leads if company.email in {e.raw for e in x.emails})
    assert lead.name == company.name
    assert company.address in lead.address_raw
    # and the page record names the lie it saw
    declared = "ISO-8859-1" if site == "latin1" else "utf-8"
    assert _pages(job, site, web) == [
        f"bad encoding: charset declared as {declared}, read as gb18030"
    ]


def test_no_text_is_mojibake(job: JobResult) -> None:
    # GBK read as Latin-1 gives runs of accented capitals and symbols; UTF-8 as GBK, rare CJK
    for lead in job.leads:
        text = " ".join([lead.name, lead.address_raw, *(p.name for p in lead.people)])
        assert "\ufffd" not in text
        assert not re.search(r"[\u00c0-\u00ff]{2,}", text), text


def test_a_truncated_gzip_body_is_used_and_reported(job: JobResult, web: FaultWeb) -> None:
    company = COMPANIES["gzip"]
    lead = next(x for x in job.leads if company.email in {e.raw for e in x.emails})
    assert lead.name == company.name
    assert _pages(job, "gzip", web) == ["bad encoding: truncated gzip body, partial page used"]


def test_retry_after_is_respected_in_seconds_and_as_a_date(job: JobResult, web: FaultWeb) -> None:
    for path, wait in (("/", 1.0), ("/contact.html", 2.0)):
        hits = web.site_hits("busy", path)
        hits = [h for h in hits if h.path == path]
        assert [h.status for h in hits] == [429, 200], path
        waited = hits[1].start - hits[0].answered
        assert waited >= wait, (path, waited)


def test_a_site_that_always_answers_429_is_retried_as_configured(
    job: JobResult, web: FaultWeb
) -> None:
    hits = web.site_hits("ratelimit")
    assert [h.status for h in hits] == [429] * (RETRY_AFTER_TIMES + 1)
    waits = [b.start - a.answered for a, b in pairwise(hits)]
    assert all(w >= 1.0 for w in waits), waits
    assert _pages(job, "ratelimit", web) == ["rate-limited: HTTP 429"]


def test_faults_a_retry_overcame_are_still_reported(job: JobResult, web: FaultWeb) -> None:
    assert _pages(job, "flaky", web) == ["server error: HTTP 503, recovered after 2 retries"]
    assert _pages(job, "busy", web) == ["rate-limited: HTTP 429, recovered after 1 retry"] * 2
    zh = translate_reason("server error: HTTP 503, recovered after 2 retries", "zh")
    assert zh == "服务器错误：HTTP 503，重试 2 次后恢复"


def test_retries_are_bounded_by_retry_times(job: JobResult, web: FaultWeb) -> None:
    tries = RETRY_TIMES + 1
    assert [h.status for h in web.site_hits("flaky")] == [503, 503, 200]
    assert [h.status for h in web.site_hits("down")] == [503] * tries
    assert _pages(job, "down", web) == ["server error: HTTP 503"]
    for site, reason in (
        ("reset", "connection reset: before the page arrived"),
        ("cutoff", "connection reset: page cut short"),
        ("slow", f"timeout: no answer within {TIMEOUT:g} s"),
    ):
        assert len(web.site_hits(site)) == tries, site
        assert _pages(job, site, web) == [reason]


def test_a_slow_site_is_left_after_the_download_timeout(job: JobResult, web: FaultWeb) -> None:
    # each try is abandoned after DOWNLOAD_TIMEOUT, not when the server finally answers
    starts = [h.start for h in web.site_hits("slow")]
    assert all(b - a < TIMEOUT * 2 for a, b in pairwise(starts)), starts
    # (the server logs a try when it has read the request, a little after the client's clock
    # started: allow it 10 %)
    assert all(b - a >= TIMEOUT * 0.9 for a, b in pairwise(starts)), starts


def test_a_50_mb_page_is_cut_off_not_downloaded(job: JobResult, web: FaultWeb) -> None:
    for site in ("big", "bigstream"):
        (hit,) = web.site_hits(site)
        # the client hung up: what the server wrote is the size limit plus socket buffers
        assert hit.sent < BIG_BYTES // 4, (site, hit.sent)
        assert _pages(job, site, web) == [f"too large: over {MAXSIZE:,} bytes"]
    # and the crawl process never held it: its peak memory grew by less than the page
    log = (job.sheet.parent / "logs" / "hostile.log").read_text(encoding="utf-8")
    peak = int(re.search(r"'memusage/max': (\d+)", log).group(1))  # type: ignore[union-attr]
    startup = int(re.search(r"'memusage/startup': (\d+)", log).group(1))  # type: ignore[union-attr]
    assert peak - startup < BIG_BYTES, (peak - startup) / 1e6
    assert "larger than download warn size" in log  # DOWNLOAD_WARNSIZE from the config


def test_the_calendar_trap_stops_at_the_page_budget(job: JobResult, web: FaultWeb) -> None:
    pages = web.site_hits("calendar", "/calendar")
    assert PAGE_BUDGET // 2 < len(pages) <= PAGE_BUDGET  # it was entered, and left
    assert (
        _pages(job, "calendar", web).count(
            f"limit reached: page budget of {PAGE_BUDGET} pages per site"
        )
        == 1
    )


def test_redirect_loops_and_endless_redirects_stop(job: JobResult, web: FaultWeb) -> None:
    assert [h.path for h in web.site_hits("loop")] == ["/", "/loop/b"]
    assert [h.path for h in web.site_hits("selfloop")] == ["/"]
    assert len(web.site_hits("hops")) == REDIRECT_MAX_TIMES + 1
    loop = "redirect loop: back to an earlier address"
    assert _pages(job, "loop", web) == [loop]
    assert _pages(job, "selfloop", web) == [loop]
    assert _pages(job, "hops", web) == [f"redirect loop: more than {REDIRECT_MAX_TIMES} redirects"]


EXPECTED_FAULTS = {
    "rate_limited": 3,  # ratelimit; busy's two pages, recovered after one retry each
    "server_error": 2,  # down; flaky, recovered after two retries
    "connection_reset": 2,  # reset, cutoff
    "timeout": 1,  # slow
    "too_large": 2,  # big, bigstream
    "limit": 1,  # the calendar's page budget
    "redirect_loop": 3,  # loop, selfloop, hops
    "bad_encoding": 3,  # latin1, utf8gb, gzip
}


def test_the_health_report_counts_each_kind_of_fault(job: JobResult) -> None:
    (row,) = [r for r in source_health(job.job.pages, job.leads) if r.source == "company_website"]
    assert row.fault_counts() == EXPECTED_FAULTS
    assert row.limited == 1 and row.blocked == 1  # the 429 site refused us
    # less the limit, the 429 (blocked), the pages used despite a fault and the recovered
    assert row.errors == sum(EXPECTED_FAULTS.values()) - 1 - 1 - 3 - 3
    why = row.reason_text()
    labels = {kind.key: kind.en for kind in FAULT_KINDS}
    for key in EXPECTED_FAULTS:
        assert labels[key] + ":" in why, key
    # the pages that worked carry no fault
    clean = [
        p for p in job.job.pages if p.url.startswith(("http://127.0.0.1:", "http://127.0.0.2"))
    ]
    assert clean and all(fault_kind(p.reason) is None for p in clean if p.status == "ok")


@pytest.mark.parametrize(("lang", "labels"), [("en", "en"), ("zh", "zh")])
def test_the_about_sheet_lists_each_fault(
    job: JobResult, tmp_path: Path, lang: str, labels: str
) -> None:
    sheet = tmp_path / f"about-{lang}.xlsx"
    write_lead_sheet(job.leads, sheet, job=job.job, lang=lang)
    about = load_workbook(sheet)["About"]
    row = next(r for r in about.iter_rows(values_only=True) if r[0] == "company_website")
    why = str(row[-1])
    for kind in FAULT_KINDS:
        if kind.key in EXPECTED_FAULTS:
            assert getattr(kind, labels) in why, kind.key


def test_collect_from_the_command_line_shows_no_traceback(tmp_path: Path) -> None:
    overrides = [arg for name, value in SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    bindir = Path(sys.executable).parent
    with FaultWeb(slow_seconds=TIMEOUT * 2) as web:
        proc = _collect(bindir, web, tmp_path, overrides)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    # the terminal's health report names the faults (its Why column wraps: read it as text)
    text = re.sub(r"\s+", " ", proc.stdout.replace("│", " "))
    for kind in FAULT_KINDS:
        if kind.key in EXPECTED_FAULTS:
            assert kind.en + ":" in text, kind.key
    assert list(tmp_path.glob("leads-*.xlsx"))


def _collect(
    bindir: Path, web: FaultWeb, out: Path, overrides: list[str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(bindir / "leadharvest"),
            "collect",
            "camera",
            "--start-url",
            web.urls["index"] + "/",
            "--out",
            str(out),
            "--job",
            "hostile-cli",
            *overrides,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "160"},
    )
