"""The web UI in a real browser: Playwright driving Debian's Chromium against `leadharvest
serve` on a free loopback port.

Playwright cannot download its own browser builds here, so the tests launch
/usr/bin/chromium. Without it they skip with the reason; under CI=true they fail, since
.ci/run installs it. A failing test leaves a screenshot of the page in test-output/.
With LEADHARVEST_DOCS_SHOTS=DIR the main pages are also saved there (docs/ screenshots).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from leadharvest.practice import DEMO_QUERY, DEMO_SOURCES
from leadharvest.store import Store
from tests.web_support import XSS_NAME, seed_hostile_job, sheet_rows

CHROMIUM = "/usr/bin/chromium"
CHECKOUT = Path(__file__).resolve().parent.parent
OUTPUT = CHECKOUT / "test-output"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def _need_chromium() -> None:
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the web UI must be tested in a browser in CI: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(tmp: Path, *extra: str) -> Iterator[tuple[str, str]]:
    """`leadharvest serve` in a child process; yields (base URL, store URL)."""
    store = f"sqlite:///{tmp / 'store.db'}"
    port = free_port()
    log = (tmp / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leadharvest",
            "serve",
            "--port",
            str(port),
            "--store",
            store,
            "--out",
            str(tmp / "out"),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError((tmp / "serve.log").read_text(encoding="utf-8"))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("serve did not start in 30 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", store
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_chromium()

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@contextmanager
def screenshot_on_failure(page: Any, name: str) -> Iterator[None]:
    try:
        yield
    except BaseException:
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
        raise


def doc_shot(page: Any, name: str) -> None:
    folder = os.environ.get("LEADHARVEST_DOCS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_practice_job_from_form_to_verified_lead_in_the_sheet(
    browser: Any, tmp_path: Path
) -> None:
    with serving(tmp_path) as (base, store):
        context = browser.new_context(accept_downloads=True, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(15_000)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        with screenshot_on_failure(page, "practice-job"):
            page.goto(f"{base}/jobs/new")
            # the product keyword proposes the query; the searches are the templates'
            page.fill("#product", "digital camera, 数码相机")
            expect(page.locator("#query")).to_have_value('"digital camera" OR 数码相机')
            page.wait_for_selector("#searches li")
            assert page.locator("#query-status .ok").inner_text() == "Query is valid."
            # a broken query is flagged as you type, at the column where it broke
            page.fill("#query", "camera AND")
            page.wait_for_selector("#query-status mark")
            assert "column 7" in page.locator("#query-status .error").inner_text()
            assert page.locator("#query-status mark").inner_text() == "A"
            page.fill("#query", DEMO_QUERY)
            page.wait_for_selector("#query-status .ok")
            for name in DEMO_SOURCES:
                assert page.is_checked(f"input[name=sources_practice][value={name}]")
            assert not page.is_visible("input[name=sources_live]")
            doc_shot(page, "new-job")
            page.click("#start")

            # live progress without reloading: a marker set on this document survives
            page.wait_for_url("**/jobs/digital-camera-*")
            page.evaluate("window.__sameDocument = true")
            page.wait_for_selector("#progress-table tbody tr")
            doc_shot(page, "progress")
            page.wait_for_selector("#job-state[data-state=finished]", timeout=60_000)
            assert page.evaluate("window.__sameDocument === true")
            sources = page.locator("#progress-table tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.source)"
            )
            assert set(DEMO_SOURCES) <= set(sources)
            job_id = page.url.rsplit("/", 1)[1]
            db = Store(store)
            leads = db.leads(job_id=job_id)
            db.close()
            assert page.locator("#job-leads").inner_text() == str(len(leads))

            # filter to grade A
            page.click("#view-leads")
            page.select_option("#f-grade", "A")
            page.click("#apply-filter")
            page.wait_for_url("**grade=A**")
            doc_shot(page, "leads")
            grades = page.locator("#leads-table tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.grade)"
            )
            a_leads = [lead for lead in leads if lead.grade == "A"]
            assert grades == ["A"] * len(a_leads) and a_leads

            # open a lead card, mark it verified with a note
            first = page.locator("#leads-table tbody tr").first
            lead_id = first.get_attribute("data-lead")
            lead = next(x for x in leads if x.lead_id == lead_id)
            first.locator("a.lead-link").click()
            page.wait_for_selector("#lead-name")
            assert page.locator("#lead-name").inner_text() == lead.name
            assert page.locator("#reasons li").count() == len(lead.grade_reasons)
            evidence = page.locator("#evidence a").evaluate_all("as => as.map(a => a.href)")
            assert set(evidence) == {ev.url for ev in lead.evidence}
            page.check("input[name=verification][value=verified]")
            page.fill("#notes", "Rang them: buyer confirmed")
            doc_shot(page, "lead-card")
            page.click("#save-verification")
            page.wait_for_selector("#saved")
            assert page.is_checked("input[name=verification][value=verified]")

            # back to the filtered table, then download the Excel sheet of that filter
            page.click("#back")
            page.wait_for_url("**grade=A**")
            row = page.locator(f"tr[data-lead={lead_id}] td.verification")
            assert row.inner_text() == "Verified"
            page.select_option("#fmt", "xlsx")
            with page.expect_download() as info:
                page.click("#download-button")
            sheet = tmp_path / "downloaded.xlsx"
            info.value.save_as(sheet)
            rows = sheet_rows(sheet)
            assert {r["lead_id"] for r in rows} == {x.lead_id for x in a_leads}
            mine = next(r for r in rows if r["lead_id"] == lead_id)
            assert mine["verification"] == "Verified"
            assert mine["notes"] == "Rang them: buyer confirmed"

            # the whole interface switches to Chinese
            page.click("a[lang=zh-CN]")
            page.wait_for_selector("html[lang=zh-CN]")
            assert page.locator("th").first.inner_text() == "等级"
            assert not dialogs
        context.close()


def test_a_scraped_script_shows_as_text_and_never_runs(browser: Any, tmp_path: Path) -> None:
    with serving(tmp_path) as (base, store):
        lead_id = seed_hostile_job(store)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        with screenshot_on_failure(page, "xss"):
            page.goto(f"{base}/jobs/hostile/leads")
            assert page.locator("a.lead-link").inner_text() == XSS_NAME
            assert page.locator("#leads-table tbody tr").get_attribute("data-lead") == lead_id
            page.click("a.lead-link")
            page.wait_for_selector("#lead-name")
            assert page.locator("#lead-name").inner_text() == XSS_NAME
            assert page.locator("#notes").input_value() == "</textarea><script>alert(3)</script>"
            # the javascript: URLs are text, not links
            assert page.locator("a[href^='javascript']").count() == 0
            page.wait_for_timeout(300)
            assert dialogs == [] and errors == []
        context.close()


def _add_user(store: str, name: str, role: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "leadharvest",
            "user",
            "add",
            name,
            "--role",
            role,
            "--store",
            store,
            "--password-stdin",
        ],
        input=f"{name}-password\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _sign_in(context: Any, base: str, name: str) -> Any:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/jobs")
    page.wait_for_url("**/login**")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"{name}-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/jobs")
    return page


def test_one_trainee_cannot_open_anothers_job(browser: Any, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    for name, role in (("ann", "trainee"), ("bob", "trainee"), ("sue", "supervisor")):
        _add_user(store, name, role)
    with serving(tmp_path, "--accounts") as (base, _):
        ann_ctx, bob_ctx, sue_ctx = (browser.new_context() for _ in range(3))
        ann = _sign_in(ann_ctx, base, "ann")
        with screenshot_on_failure(ann, "accounts-ann"):
            ann.goto(f"{base}/jobs/new")
            ann.fill("#query", DEMO_QUERY)
            ann.fill("#job_name", "ann-homework")
            ann.click("#start")
            ann.wait_for_url("**/jobs/ann-homework")
            ann.wait_for_selector("#job-state[data-state=finished]", timeout=60_000)
        bob = _sign_in(bob_ctx, base, "bob")
        with screenshot_on_failure(bob, "accounts-bob"):
            assert "ann-homework" not in bob.content()
            for url in ("/jobs/ann-homework", "/jobs/ann-homework/leads"):
                response = bob.goto(f"{base}{url}")
                assert response is not None and response.status == 404
                assert bob.locator("#error-message").inner_text() == "Not found."
        sue = _sign_in(sue_ctx, base, "sue")
        with screenshot_on_failure(sue, "accounts-sue"):
            assert sue.locator("a[href='/jobs/ann-homework']").count() == 1
            response = sue.goto(f"{base}/jobs/ann-homework/leads")
            assert response is not None and response.status == 200
        for ctx in (ann_ctx, bob_ctx, sue_ctx):
            ctx.close()
