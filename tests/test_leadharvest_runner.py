"""Whole jobs: the demo over the practice web, re-runs into one store, live fetch + record + replay.

These run the real spiders (in their child process), enrichment, dedupe, grading and the
sheet. The live test only ever talks to a server on 127.0.0.1 that the test starts.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from leadharvest.cli import main
from leadharvest.items import DATA_STATUS
from leadharvest.practice import DEMO_PRODUCTS, DEMO_QUERY, DEMO_SOURCES, archive_path, site_dir
from leadharvest.runner import JobSpec, run_job
from leadharvest.store import Store
from tests.services import postgres_schema_url


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo")
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--out", str(out)])
    assert exc.value.code in (0, None)
    return out, ""


def test_demo_writes_a_real_graded_sheet(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    sheets = list(out.glob("leads-digital-camera-*.xlsx"))
    assert len(sheets) == 1
    wb = load_workbook(sheets[0])
    assert wb.sheetnames == ["Leads", "Evidence", "Review", "Summary", "About"]
    ws = wb["Leads"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) >= 20
    assert {r["Data status"] for r in rows} == {DATA_STATUS}
    assert {r["Verification"] for r in rows} == {"Unverified"}
    assert all(r["Grade"] in {"A", "B", "C", "D"} and r["Reasons"] for r in rows)
    methods = {m.strip() for r in rows for m in str(r["Collection method"]).split(";")}
    assert len(methods & {"Search engine", "Yellow pages", "Industry site", "Company website"}) >= 3
    companies = " | ".join(str(r["Company"]) for r in rows)
    # -rental: the rental shop is on the practice web but excluded by the query
    assert "Rental" not in companies
    # the same business spelled three ways on three sites is one lead
    assert sum("brightlens" in str(r["Company"]).lower() for r in rows) == 1
    # the directory's own hotline (1300 975 708) is nobody's number
    assert "+61300975708" not in " ".join(str(r["Phones"]) for r in rows)
    # a masked number stays masked
    assert any("138****5678" in str(r["Phones"]) and "masked" in str(r["Phones"]) for r in rows)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_demo_reports_the_page_missing_from_the_archive(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    store = Store(str(out / "leadharvest.db"))
    (job_id,) = store.job_ids()
    pages = store.job_pages(job_id)
    missing = [p.url for p in pages if p.status == "missing"]
    assert missing == ["https://lumenpeak-cameras.example/"]
    assert sum(p.status == "ok" for p in pages) >= 40
    store.close()


def _practice_spec(out: Path, store: str = "") -> JobSpec:
    return JobSpec(
        query=DEMO_QUERY,
        products=list(DEMO_PRODUCTS),
        sources=list(DEMO_SOURCES),
        replay=str(archive_path()),
        out=out,
        store=store,
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_collect_twice_into_one_store_gives_the_same_leads(backend: str, tmp_path: Path) -> None:
    def twice(store_url: str) -> None:
        first = run_job(_practice_spec(tmp_path / "one", store_url))
        second = run_job(_practice_spec(tmp_path / "two", store_url))
        assert len(first.leads) >= 20
        assert {lead.lead_id for lead in first.leads} == {lead.lead_id for lead in second.leads}
        db = Store(store_url)
        try:
            stored = db.leads()
            assert len(stored) == len(first.leads)
            by_id = {lead.lead_id: lead for lead in stored}
            for lead in first.leads:
                again = by_id[lead.lead_id]
                assert again.first_seen == lead.first_seen
                assert again.last_seen is not None and lead.last_seen is not None
                assert again.last_seen >= lead.last_seen
                # evidence merged, not doubled: one row per (source, url)
                keys = [(ev.source, ev.url) for ev in again.evidence]
                assert len(keys) == len(set(keys))
            assert len(db.job_ids()) == 2
        finally:
            db.close()

    if backend == "sqlite":
        twice(f"sqlite:///{tmp_path / 'shared.db'}")
    else:
        with postgres_schema_url() as url:
            twice(url)


# -- live fetch from a loopback server, recorded, then replayed ---------------------------
def _practice_host_server(host: str) -> ThreadingHTTPServer:
    """Serve one practice-web host's pages on 127.0.0.1 (paths as in the manifest)."""
    manifest = tomllib.loads((site_dir() / "manifest.toml").read_text(encoding="utf-8"))
    pages = {
        urlsplit(p["url"]).path: (site_dir() / p["file"], p["content_type"])
        for p in manifest["page"]
        if urlsplit(p["url"]).hostname == host
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(urlsplit(self.path).path)
            if found is None:
                self.send_error(404)
                return
            body = found[0].read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", found[1])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def kestrel_site() -> Iterator[str]:
    server = _practice_host_server("kestrel-camera.example")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_live_fetch_records_and_replays_the_same_leads(kestrel_site: str, tmp_path: Path) -> None:
    archive = tmp_path / "recorded.warc.gz"
    fast = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}
    live = run_job(
        JobSpec(
            query="camera",
            start_urls=[kestrel_site],
            sources=[],
            record=str(archive),
            out=tmp_path / "live",
            settings=fast,
        )
    )
    assert archive.is_file()
    names = {lead.name for lead in live.leads}
    assert any("Kestrel" in n for n in names)
    statuses = {(p.url, p.status) for p in live.job.pages}
    assert (kestrel_site, "ok") in statuses
    replayed = run_job(
        JobSpec(
            query="camera",
            start_urls=[kestrel_site],
            sources=[],
            replay=str(archive),
            out=tmp_path / "replay",
        )
    )
    assert {lead.name for lead in replayed.leads} == names
    assert sorted(p.e164 for lead in replayed.leads for p in lead.phones) == sorted(
        p.e164 for lead in live.leads for p in lead.phones
    )


def test_replay_obeys_robots_and_reports_what_it_skipped(tmp_path: Path) -> None:
    from leadharvest.archive import ArchiveWriter

    archive = tmp_path / "site.warc.gz"
    home = (
        "<html><head><title>Quokka Lens Supply</title></head><body>"
        "<p>Quokka Lens Supply Pty Ltd - camera lens wholesale</p>"
        '<a href="/private/contact">Contact us</a></body></html>'
    )
    contact = "<p>Phone (02) 5550 0199 · trade@quokka-lens.example</p>"
    with ArchiveWriter(archive) as writer:
        writer.add(
            "https://quokka-lens.example/robots.txt",
            b"User-agent: *\nDisallow: /private/\n",
            content_type="text/plain",
        )
        writer.add(
            "https://quokka-lens.example/", home.encode(), content_type="text/html; charset=utf-8"
        )
        writer.add(
            "https://quokka-lens.example/private/contact",
            contact.encode(),
            content_type="text/html; charset=utf-8",
        )
    result = run_job(
        JobSpec(
            query="camera",
            start_urls=["https://quokka-lens.example/"],
            replay=str(archive),
            out=tmp_path / "out",
        )
    )
    statuses = {p.url: p.status for p in result.job.pages}
    assert statuses["https://quokka-lens.example/"] == "ok"
    assert statuses["https://quokka-lens.example/private/contact"] == "robots"
    assert all("0199" not in (ph.e164 or "") for lead in result.leads for ph in lead.phones)
    about = load_workbook(result.sheet)["About"]
    texts = [str(c.value) for row in about.iter_rows() for c in row if c.value is not None]
    assert "Health report per source" in texts
    assert "disallowed by robots.txt" in texts


def test_health_report_tells_blocked_from_empty(tmp_path: Path) -> None:
    from leadharvest.items import Lead, PageRecord
    from leadharvest.report import source_health

    pages = [
        PageRecord(
            url="u1", source="bing", method="search_engine", status="blocked", reason="captcha"
        ),
        PageRecord(
            url="u2", source="bing", method="search_engine", status="blocked", reason="captcha"
        ),
        PageRecord(
            url="u3",
            source="bing",
            method="search_engine",
            status="no_results",
            reason="no results",
        ),
        PageRecord(url="u4", source="bing", method="search_engine", status="ok"),
        PageRecord(
            url="u5",
            source="google",
            method="search_engine",
            status="robots",
            reason="disallowed by robots.txt",
        ),
        PageRecord(
            url="config:brave_search",
            source="brave_search",
            method="search_engine",
            status="not_configured",
            reason="set BRAVE_SEARCH_API_KEY",
        ),
    ]
    rows = {row.source: row for row in source_health(pages, [Lead(name="x")])}
    bing = rows["bing"]
    assert (bing.requests, bing.responses, bing.blocked, bing.empty, bing.ok) == (4, 4, 2, 1, 1)
    assert bing.reason_text().startswith("captcha ×2")
    assert rows["google"].robots == 1 and rows["google"].responses == 0
    assert rows["brave_search"].not_configured == 1 and rows["brave_search"].requests == 0


def _card(i: int) -> str:
    return (
        f'<div class="biz-card"><h3><a href="/biz/{i}">Wombat Camera Traders {i} Pty Ltd</a></h3>'
        f"<p>Digital camera wholesale · Phone (02) 5550 01{i:02d}</p>"
        f"<p>{i} Practice Road, Sydney NSW 2000</p></div>"
    )


def test_start_url_on_a_directory_without_adapter_follows_pages_and_details(tmp_path: Path) -> None:
    from leadharvest.archive import ArchiveWriter

    base = "https://trade-directory.example"
    chrome = (
        "<header>Trade Directory · help line 1300 555 000</header>"
        "<footer>© Trade Directory Pty Ltd · info@trade-directory.example</footer>"
    )
    cards1 = "".join(_card(i) for i in range(1, 4))
    cards2 = "".join(_card(i) for i in range(4, 7))
    page1 = f"<html><body>{chrome}{cards1}<a href='/list?page=2' rel='next'>Next</a></body></html>"
    page2 = f"<html><body>{chrome}{cards2}</body></html>"
    archive = tmp_path / "dir.warc.gz"
    with ArchiveWriter(archive) as writer:
        writer.add(f"{base}/list", page1.encode(), content_type="text/html; charset=utf-8")
        writer.add(f"{base}/list?page=2", page2.encode(), content_type="text/html; charset=utf-8")
        for i in range(1, 7):
            detail = (
                f"<html><body>{chrome}<h1>Wombat Camera Traders {i} Pty Ltd</h1>"
                f"<p>Phone (02) 5550 01{i:02d}</p></body></html>"
            )
            writer.add(f"{base}/biz/{i}", detail.encode(), content_type="text/html; charset=utf-8")
    result = run_job(
        JobSpec(
            query="camera", start_urls=[f"{base}/list"], replay=str(archive), out=tmp_path / "out"
        )
    )
    fetched = {p.url for p in result.job.pages if p.status == "ok"}
    assert f"{base}/list?page=2" in fetched
    assert f"{base}/biz/5" in fetched
    names = sorted(lead.name for lead in result.leads)
    assert len(names) == 6, names
    phones = {ph.e164 for lead in result.leads for ph in lead.phones}
    assert "+61255500105" in phones
    assert not any("1300555000" in (p or "") for p in phones)
    assert not any(
        e.address == "info@trade-directory.example" for lead in result.leads for e in lead.emails
    )


def test_a_crashing_crawl_keeps_what_it_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crawl process dies after writing some items: they are still stored and exported."""
    import leadharvest.runner as runner_module
    from leadharvest.items import Evidence, Lead, PageRecord, Phone

    def dying_crawl(spec, start_requests, *, out, job_id, on_event=None, resume=False, stop=None):  # type: ignore[no-untyped-def]
        lead = Lead(
            name="Quokka Lens Supply",
            website="https://quokka-lens.example/",
            phones=[Phone(raw="(02) 5550 0199", label="tel")],
            context="camera lens wholesale",
            evidence=[
                Evidence(
                    source="company_website",
                    method="company_website",
                    url="https://quokka-lens.example/",
                )
            ],
        )
        page = PageRecord(
            url="https://quokka-lens.example/",
            source="company_website",
            method="company_website",
            status="ok",
        )
        return [lead], [page], False, "the crawl process failed (-9): killed"

    monkeypatch.setattr(runner_module, "crawl", dying_crawl)
    result = run_job(
        JobSpec(query="camera", start_urls=["https://quokka-lens.example/"], out=tmp_path)
    )
    assert result.error.endswith("killed")
    assert result.job.status == "failed"
    assert [lead.name for lead in result.leads] == ["Quokka Lens Supply"]
    assert result.sheet.is_file()
    assert Store(result.store_url).count_leads() == 1


def test_unnamed_runs_in_the_same_second_get_their_own_job(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from leadharvest.items import Job
    from leadharvest.runner import _fresh_job_id

    db = Store(f"sqlite:///{tmp_path / 'ids.db'}")
    try:
        base = "digital-camera-20261122-180000"
        assert _fresh_job_id(db, base) == base
        for _ in range(2):
            job = Job(job_id=_fresh_job_id(db, base), query="q", started_at=datetime.now(UTC))
            db.save_job(job, {})
        assert sorted(db.job_ids()) == sorted([base, f"{base}-2"])
        assert _fresh_job_id(db, base) == f"{base}-3"
    finally:
        db.close()


def test_stop_ends_a_crawl_stuck_on_a_slow_site(tmp_path: Path) -> None:
    """Cancel from another thread (the web UI's button) must not wait for the crawl's next
    page: a site that answers in a minute would otherwise hold the job that long."""
    import time

    release = threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/robots.txt":
                self.send_error(404)
                return
            release.wait(60)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Slow Co Ltd</body></html>")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    spec = JobSpec(
        query="camera",
        start_urls=[f"http://127.0.0.1:{server.server_port}/"],
        out=tmp_path,
        job_id="slow-site",
        settings={"DOWNLOAD_DELAY": 0},
    )
    timer = threading.Timer(3, stop.set)
    timer.start()
    started = time.monotonic()
    try:
        result = run_job(spec, stop=stop)
    finally:
        release.set()
        timer.cancel()
        server.shutdown()
        server.server_close()
    assert time.monotonic() - started < 30  # the page alone would take 60 s
    assert result.interrupted and result.job.status == "interrupted"
