"""``collect --job NAME`` killed with ``kill -9`` at random points, then ``collect --resume NAME``.

The test site is a trade directory on 127.0.0.1: listing pages of ten company cards each,
linked by "next", and one detail page per company, every response a little slow so that
requests are in flight when the kill comes. The whole process group (collect and its crawl
child) is killed at journal line counts drawn by a seeded RNG; the job is resumed after each
kill, and once more to the end. Its leads and pages must be exactly those of an
uninterrupted run of the same job.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from leadharvest.cli import main
from leadharvest.items import Lead
from leadharvest.runner import read_sink
from leadharvest.store import Store
from spiders.journal import budget_decisions, drop_torn_tail, frontier

COMPANIES = 60
PER_PAGE = 10
DELAY = 0.04
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=4",
    "-s",
    "LEADHARVEST_MAX_RESULT_PAGES=50",
]


class Site:
    """The trade directory and how often each of its pages was fetched (robots.txt, a 404,
    is not counted)."""

    def __init__(self) -> None:
        self.fetched: Counter[str] = Counter()
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(DELAY)
                body = site.page(self.path)
                if body is None:
                    self.send_error(404)
                    return
                with site.lock:
                    site.fetched[self.path] += 1
                data = body.encode("utf-8")
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the crawler was killed mid-response

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def page(path: str) -> str | None:
        parts = urlsplit(path)
        if parts.path == "/list":
            n = int(parse_qs(parts.query).get("page", ["1"])[0])
            first, last = (n - 1) * PER_PAGE + 1, min(COMPANIES, n * PER_PAGE)
            cards = "".join(
                f'<div class="biz-card"><h3><a href="/biz/{i}">Wombat Camera Traders {i} Pty'
                f" Ltd</a></h3><p>Digital camera wholesale · Phone (02) 5550 {i:04d}</p>"
                f"<p>{i} Practice Road, Sydney NSW 2000</p></div>"
                for i in range(first, last + 1)
            )
            more = f"<a href='/list?page={n + 1}' rel='next'>Next</a>" if last < COMPANIES else ""
            return f"<html><body><header>Trade Directory</header>{cards}{more}</body></html>"
        if parts.path.startswith("/biz/"):
            i = int(parts.path.rsplit("/", 1)[1])
            return (
                f"<html><body><h1>Wombat Camera Traders {i} Pty Ltd</h1>"
                f"<p>Phone (02) 5550 {i:04d}</p></body></html>"
            )
        return None


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    thread = threading.Thread(target=s.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        s.server.shutdown()
        s.server.server_close()


def _collect(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``leadharvest collect …`` in its own process group (so kill -9 reaches the crawl too)."""
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "leadharvest", "collect", *args],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _done(sink: Path) -> set[str]:
    """Paths (with query) of the pages the journal holds as done."""
    return {urlsplit(p.url)._replace(scheme="", netloc="").geturl() for p in read_sink(sink)[1]}


def _job(out: Path, job: str) -> tuple[str, list[Lead], list[str]]:
    db = Store(str(out / "leadharvest.db"))
    try:
        status = next(r["status"] for r in db.job_rows() if r["job_id"] == job)
        return status, db.leads(job_id=job), [p.url for p in db.job_pages(job)]
    finally:
        db.close()


def _phones(leads: list[Lead]) -> set[str]:
    return {p.e164 for lead in leads for p in lead.phones if p.e164}


def test_a_job_killed_at_random_points_resumes_to_the_same_leads(
    site: Site, tmp_path: Path
) -> None:
    log = tmp_path / "stderr.log"
    whole = tmp_path / "whole"
    start = ["camera", "--start-url", f"{site.url}/list", "--job", "dir"]
    run = _collect([*start, "--out", str(whole), *FAST], log)
    assert run.wait(timeout=120) == 0, log.read_text()
    status, expected, expected_pages = _job(whole, "dir")
    assert status == "finished"
    # the listing cards of every company within the depth limit, each company once
    assert len(expected) >= 40
    assert len({lead.name for lead in expected}) == len(expected)
    site.fetched.clear()

    out = tmp_path / "killed"
    sink = out / "work" / "dir.raw.jsonl"
    rng = random.Random(6)
    resume = ["--resume", "dir", "--out", str(out)]
    kills: list[int] = []
    wasted = 0

    def attempt(args: list[str], kill_after: int | None) -> int | None:
        """One run of collect, killed (the whole group) once the journal has grown by
        ``kill_after`` lines; returns its exit code (None when killed)."""
        nonlocal wasted
        before, done_before = Counter(site.fetched), _done(sink)
        target = _lines(sink) + (kill_after or 0)
        proc = _collect([*args, *FAST], log)
        code: int | None = None
        if kill_after is not None:
            while _lines(sink) < target and proc.poll() is None:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, DELAY))
        if kill_after is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            kills.append(_lines(sink))
            time.sleep(3 * DELAY)  # the server finishes what it was answering
        else:
            code = proc.wait(timeout=120)
        again = {path for path in site.fetched if site.fetched[path] > before[path]}
        assert not again & done_before, f"fetched again though done: {again & done_before}"
        wasted += sum((site.fetched - before).values()) - len(_done(sink) - done_before)
        return code

    attempt([*start, "--out", str(out)], rng.randint(1, 10))
    for _ in range(3):
        assert _job(out, "dir")[0] != "finished"
        attempt(resume, rng.randint(1, 10))
    assert len(kills) >= 3, f"the crawl finished before most kill points: {kills}"
    assert attempt(resume, None) == 0, log.read_text()

    status, leads, pages = _job(out, "dir")
    assert status == "finished"
    assert {lead.name for lead in leads} == {lead.name for lead in expected}
    assert _phones(leads) == _phones(expected)
    assert len(leads) == len(expected)  # none duplicated in the store
    assert len(pages) == len(set(pages)), "a page counted twice"
    assert sorted(pages) == sorted(expected_pages)
    raw, _ = read_sink(sink)
    whole_raw, _ = read_sink(whole / "work" / "dir.raw.jsonl")
    assert sorted(lead.name for lead in raw) == sorted(lead.name for lead in whole_raw)
    # fetched more than once: only pages a kill caught in flight (or with their line torn)
    assert sum(site.fetched.values()) == len(_done(sink)) + wasted
    print(f"kill points (journal lines): {kills}; pages fetched again: {wasted}")


def test_resume_of_an_unknown_or_finished_job_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:
        main(["collect", "--resume", "nope", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no job 'nope'") and "\n" not in err

    from leadharvest.items import Job

    db = Store(str(out / "leadharvest.db"))
    db.save_job(Job(job_id="done", query="camera", status="finished"), {"query": "camera"})
    db.close()
    with pytest.raises(SystemExit) as exc:
        main(["collect", "--resume", "done", "--out", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: job 'done' has finished; nothing to resume"

    with pytest.raises(SystemExit) as exc:
        main(["collect", "camera", "--resume", "done", "--out", str(out)])
    assert exc.value.code == 2


def _page_line(url: str, fp: str, follow: list[dict[str, object]], lead: str) -> str:
    return json.dumps(
        {
            "type": "page",
            "spider": "company_website",
            "fp": fp,
            "data": {"url": url, "source": "company_website", "method": "", "status": "ok"},
            "leads": [{"name": lead}],
            "follow": follow,
        }
    )


def test_a_torn_last_line_is_not_done_and_its_page_is_pending(tmp_path: Path) -> None:
    """A kill mid-write leaves half a line: its leads are not read and its page is fetched
    again; the line's follow-ups are not known either."""
    sink = tmp_path / "sink.jsonl"
    spec_b = {"url": "http://x/b", "source": "s", "kind": "detail", "meta": {}, "depth": 1}
    spec_c = {"url": "http://x/c", "source": "s", "kind": "detail", "meta": {}, "depth": 2}
    start = {"type": "start", "spider": "company_website", "follow": [{**spec_b, "fp": "a"}]}
    whole_a = _page_line("http://x/a", "a", [{**spec_b, "fp": "b"}], "Alpha Ltd")
    torn_b = _page_line("http://x/b", "b", [{**spec_c, "fp": "c"}], "Beta Ltd")[:-25]
    sink.write_text(json.dumps(start) + "\n" + whole_a + "\n" + torn_b, encoding="utf-8")

    raw, pages = read_sink(sink)
    assert [lead.name for lead in raw] == ["Alpha Ltd"]
    assert [p.url for p in pages] == ["http://x/a"]
    state = frontier(sink, "company_website")
    assert state.started and state.done == {"a"}
    assert [s["fp"] for s in state.pending] == ["b"]  # "a" is done, "c" was never recorded
    assert state.seen == {"a", "b"}

    drop_torn_tail(sink)
    assert sink.read_text(encoding="utf-8").endswith(whole_a + "\n")


def test_a_resume_keeps_the_page_budget_a_site_had_used(tmp_path: Path) -> None:
    """Follow-ups are journaled before the per-site budget sees them: a resume must refuse
    the links the budget refused and count the ones it let through, or each resume would
    hand a link trap a fresh budget."""

    def spec(url: str, fp: str) -> dict[str, object]:
        return {"url": url, "source": "s", "kind": "detail", "meta": {}, "depth": 1, "fp": fp}

    sink = tmp_path / "sink.jsonl"
    start = {
        "type": "start",
        "spider": "company_website",
        "follow": [spec("http://t.example/", "s")],
    }
    home = _page_line(
        "http://t.example/",
        "s",
        [spec("http://t.example/1", "t1"), spec("http://t.example/2", "t2")],
        "Trap Ltd",
    )
    # page 1 links page 2 again (already counted), page 3 (over a budget of 2), and another site
    first = _page_line(
        "http://t.example/1",
        "t1",
        [
            spec("http://t.example/2", "t2"),
            spec("http://t.example/3", "t3"),
            spec("http://other.example/", "o1"),
        ],
        "Trap Ltd",
    )
    sink.write_text("\n".join([json.dumps(start), home, first]) + "\n", encoding="utf-8")

    allowed, refused = budget_decisions(sink, 2)
    assert allowed == {"t.example": {"t1", "t2"}, "other.example": {"o1"}}
    assert refused == {"t3"}
    assert budget_decisions(sink, 0) == ({}, set())  # no budget configured: nothing refused
    # without the budget the frontier would fetch t3 again on resume
    assert "t3" in {s["fp"] for s in frontier(sink, "company_website").pending}


HOLD_LOCK = """
import sys, time
from pathlib import Path
from leadharvest.joblock import job_lock
with job_lock(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_resuming_a_job_that_is_still_running_is_refused_until_it_dies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from leadharvest.items import Job

    out = tmp_path / "out"
    db = Store(str(out / "leadharvest.db"))
    spec = {"query": "camera", "start_urls": ["http://127.0.0.1:9/"], "out": str(out)}
    db.save_job(Job(job_id="busy", query="camera", status="running"), spec)
    db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out), "busy"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SystemExit) as exc:
            main(["collect", "--resume", "busy", "--out", str(out)])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: job 'busy' is running right now (process ")
        assert "\n" not in err
        # a second run of the same named job is refused the same way, before any fetch
        with pytest.raises(SystemExit) as exc:
            main(["collect", "camera", "--start-url", "http://127.0.0.1:9/", "--job", "busy",
                  "--out", str(out)])  # fmt: skip
        assert exc.value.code == 2
        assert "is running right now" in capsys.readouterr().err
    finally:
        holder.kill()  # like kill -9: the operating system drops the lock with the process
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    from leadharvest.joblock import job_lock

    with job_lock(out, "busy"):  # free again at once, no stale lock left behind
        pass
