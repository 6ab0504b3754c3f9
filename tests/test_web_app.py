"""The web UI's routes through FastAPI's TestClient: jobs, leads, verification, downloads,
CSRF, escaping, security headers and language."""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from exports.dispatch import format_names
from leadharvest.practice import DEMO_QUERY, DEMO_SOURCES
from leadharvest.query import QuerySyntaxError, parse_query
from leadharvest.store import Store
from leadharvest.web import WebConfig, create_app
from leadharvest.web.app import local_path
from leadharvest.web.i18n import MESSAGES, pick_language
from tests.web_support import XSS_NAME, XSS_NOTES, run_practice_job, seed_hostile_job, sheet_rows

JOB = "practice-1"
RERUN = "practice-2"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A store holding the practice job and a hostile lead; (out, store URL, hostile lead id)."""
    out = tmp_path_factory.mktemp("web")
    store = f"sqlite:///{out / 'store.db'}"
    run_practice_job(out, store, JOB)
    run_practice_job(out, store, RERUN)
    return out, store, seed_hostile_job(store)


@pytest.fixture
def client(seeded: tuple[Path, str, str]) -> Iterator[TestClient]:
    out, store, _ = seeded
    with TestClient(create_app(WebConfig(store=store, out=out))) as c:
        yield c


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


PRACTICE_FORM: dict[str, Any] = {
    "product": "digital camera",
    "query": DEMO_QUERY,
    "mode": "practice",
    "archive": "practice-web",
    "sources_practice": list(DEMO_SOURCES),
}
"""The new-job form filled in for a practice job over the bundled archive."""


def post_job(client: TestClient, **fields: Any) -> Any:
    """Submit the new-job form (with its CSRF token) with ``fields`` over the practice ones."""
    data = {**PRACTICE_FORM, **fields, "csrf_token": csrf_of(client.get("/jobs/new").text)}
    return client.post("/jobs", data=data, follow_redirects=False)


def stored_leads(store: str, job_id: str = JOB) -> list[Any]:
    db = Store(store)
    try:
        return db.leads(job_id=job_id)
    finally:
        db.close()


def table_ids(page: str) -> list[str]:
    return re.findall(r'<tr data-lead="([^"]+)"', page)


# -- pages and headers --------------------------------------------------------------------
PAGES = ["/jobs", "/jobs/new", f"/jobs/{JOB}", f"/jobs/{JOB}/leads", "/login"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_renders_in_both_languages_with_a_strict_policy(
    client: TestClient, seeded: tuple[Path, str, str], lang: str
) -> None:
    lead_id = stored_leads(seeded[1])[0].lead_id
    client.cookies.set("leadharvest_lang", lang)
    for url in [*PAGES, f"/jobs/{JOB}/leads/{lead_id}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "default-src 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        doc = lxml_html.fromstring(response.text)
        assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
        # no inline script, no inline handlers, nothing from another host
        for script in doc.iter("script"):
            assert script.get("src", "").startswith("/static/") and not (script.text or "").strip()
        for element in doc.iter():
            if isinstance(element.tag, str):
                assert not [a for a in element.attrib if a.lower().startswith("on")], url
        for link in doc.iter("link"):
            assert link.get("href", "").startswith("/static/")
        assert MESSAGES["third_party"][0 if lang == "en" else 1] in response.text


def test_static_files_are_local_and_the_stylesheet_loads_no_fonts(client: TestClient) -> None:
    css = client.get("/static/app.css")
    js = client.get("/static/app.js")
    assert css.status_code == js.status_code == 200
    assert "@import" not in css.text and "url(" not in css.text and "@font-face" not in css.text
    assert "innerHTML" not in js.text and "eval(" not in js.text


def test_language_from_accept_language_and_the_switch(client: TestClient) -> None:
    page = client.get("/jobs/new", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert MESSAGES["new_job"][1] in page.text
    switched = client.get("/lang/en?next=/jobs/new", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/jobs/new"
    page = client.get("/jobs/new", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert MESSAGES["new_job"][0] in page.text and MESSAGES["new_job"][1] not in page.text
    # the switch never redirects to another site
    away = client.get("/lang/zh?next=//evil.example/x", follow_redirects=False)
    assert away.headers["location"] == "/"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,zh-TW;q=0.5,en;q=0.4", "zh"),
        ("en;q=0.2,zh;q=0.7", "zh"),
        ("fr,de", "en"),
        ("zh;q=0,en;q=0.1", "en"),
        ("", "en"),
    ],
)
def test_pick_language(header: str, expected: str) -> None:
    assert pick_language(header) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/jobs?grade=A", "/jobs?grade=A"),
        ("//evil.example", "/"),
        ("https://x.example", "/"),
        ("/\\evil.example", "/"),
        ("jobs", "/"),
    ],
)
def test_redirect_targets_stay_on_this_site(target: str, expected: str) -> None:
    assert local_path(target) == expected


# -- escaping -----------------------------------------------------------------------------
def test_scraped_script_shows_as_text_everywhere(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    lead_id = seeded[2]
    for url in ["/jobs/hostile/leads", f"/jobs/hostile/leads/{lead_id}"]:
        body = client.get(url).text
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert 'href="javascript:' not in body.replace(" ", "").lower()
        doc = lxml_html.fromstring(body)
        # the name is a text node, exactly as scraped
        assert XSS_NAME in [el.text_content() for el in doc.iter("a", "h1")]
    card = lxml_html.fromstring(client.get(f"/jobs/hostile/leads/{lead_id}").text)
    assert card.get_element_by_id("notes").text_content() == XSS_NOTES
    # a javascript: website or evidence URL is shown, never linked
    hrefs = [a.get("href") for a in card.iter("a")]
    assert all(not h.lower().startswith("javascript") for h in hrefs)
    assert "javascript:alert(5)" in card.get_element_by_id("evidence").text_content()


# -- CSRF ---------------------------------------------------------------------------------
def test_every_form_needs_the_csrf_token(client: TestClient, seeded: tuple[Path, str, str]) -> None:
    _, store, lead_id = seeded
    client.get("/jobs/new")  # a session exists, so only the token is missing
    posts = [
        ("/jobs", {"query": "camera", "mode": "practice", "sources_practice": "practice_b2b"}),
        (f"/jobs/hostile/leads/{lead_id}/verification", {"verification": "invalid", "notes": "x"}),
        (f"/jobs/{JOB}/cancel", {}),
        ("/logout", {}),
        ("/login", {"name": "a", "password": "b"}),
    ]
    jobs_before = Store(store).job_ids()
    for url, data in posts:
        for token in (None, "forged-token-that-is-long-enough-to-look-real"):
            sent = dict(data) if token is None else {**data, "csrf_token": token}
            response = client.post(url, data=sent, follow_redirects=False)
            assert response.status_code == 403, url
            assert MESSAGES["csrf_failed"][0] in response.text
    db = Store(store)
    try:
        assert db.job_ids() == jobs_before
        lead = db.get_lead(lead_id)
        assert lead is not None and lead.verification == "unverified"
    finally:
        db.close()


def test_a_token_from_another_session_is_refused(
    seeded: tuple[Path, str, str], client: TestClient
) -> None:
    out, store, lead_id = seeded
    with TestClient(create_app(WebConfig(store=store, out=out))) as other:
        token = csrf_of(other.get(f"/jobs/hostile/leads/{lead_id}").text)
    client.get("/jobs")
    response = client.post(
        f"/jobs/hostile/leads/{lead_id}/verification",
        data={"csrf_token": token, "verification": "invalid", "notes": ""},
    )
    assert response.status_code == 403


# -- jobs ---------------------------------------------------------------------------------
def test_query_check_points_where_the_parser_does(client: TestClient) -> None:
    for query in ["camera AND", '"digital camera', "(camera OR", "camera )", "数码相机 AND"]:
        with pytest.raises(QuerySyntaxError) as caught:
            parse_query(query)
        data = client.get("/api/query/check", params={"q": query}).json()
        assert data["ok"] is False and data["column"] == caught.value.column
        assert data["before"] + data["at"].rstrip() + data["after"] == query
        assert data["before"] == query[: caught.value.column]
    assert client.get("/api/query/check", params={"q": DEMO_QUERY}).json() == {"ok": True}


def test_query_check_speaks_the_pages_language(client: TestClient) -> None:
    zh = {"accept-language": "zh-CN,zh;q=0.9"}
    data = client.get("/api/query/check", params={"q": "(数码相机 OR"}, headers=zh).json()
    assert data["ok"] is False and data["message"] == "OR 后面缺少一个词"
    data = client.get("/api/query/check", params={"q": '"数码相机'}, headers=zh).json()
    assert data["message"] == "引号没有闭合"
    data = client.get("/api/query/check", params={"q": '"camera'}).json()
    assert data["message"] == "unclosed quote"


def test_proposed_query_quotes_phrases_and_parses(client: TestClient) -> None:
    data = client.get("/api/query/propose", params={"product": "digital camera，数码相机"}).json()
    assert data["query"] == '"digital camera" OR 数码相机'
    parsed = parse_query(data["query"])
    assert parsed.matches("we sell every digital camera") and parsed.matches("数码相机批发")
    assert not parsed.matches("a camera that is digital")
    # the searches are the templates' expansions, each keyword in its own language
    assert any("digital camera" in s for s in data["searches"])
    assert any("数码相机" in s for s in data["searches"])
    assert not any("数码相机" in s and "digital" in s for s in data["searches"])


def wait_for(client: TestClient, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data: dict[str, Any] = client.get(f"/jobs/{job_id}/progress.json").json()
        if data["done"]:
            return data
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")


def test_a_practice_job_from_the_form_is_the_cli_job(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    _, store, _ = seeded
    response = post_job(client, product="digital camera, 数码相机", job_name="from-the-form")
    assert response.status_code == 303 and response.headers["location"] == "/jobs/from-the-form"
    data = wait_for(client, "from-the-form")
    assert data["state"] == "finished" and not data["error"]
    # the same runner over the same archive: the same businesses as the CLI's job
    same = {lead.lead_id for lead in stored_leads(store, "from-the-form")}
    assert same == {lead.lead_id for lead in stored_leads(store)}
    assert data["leads"] == len(same)
    assert {row["source"] for row in data["rows"]} >= set(DEMO_SOURCES)
    assert sum(row["requests"] for row in data["rows"]) == len(
        Store(store).job_pages("from-the-form")
    )
    page = client.get("/jobs/from-the-form").text
    assert 'id="view-leads"' in page and MESSAGES["state_finished"][0] in page


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        ({"query": "camera AND"}, "query", "query_error"),
        ({"query": "", "product": ""}, "query", "query_required"),
        ({"sources_practice": []}, "sources", "sources_required"),
        ({"sources_practice": ["duckduckgo"]}, "sources", "sources_required"),
        ({"region": "China"}, "region", "region_error"),
        ({"tiers": "1,4,15"}, "tiers", "tiers_error"),
        ({"tiers": "50,50,50,-50"}, "tiers", "tiers_error"),
        ({"archive": "../../etc/passwd"}, "archive", "archive_error"),
        ({"job_name": "../x"}, "job_name", "job_name_error"),
        ({"job_name": JOB}, "job_name", "job_exists"),
    ],
)
def test_the_form_refuses_bad_input_and_keeps_what_was_typed(
    client: TestClient, seeded: tuple[Path, str, str], change: dict[str, Any], field: str, key: str
) -> None:
    before = Store(seeded[1]).job_ids()
    response = post_job(client, **change)
    assert response.status_code == 400
    assert MESSAGES[key][0] in response.text
    doc = lxml_html.fromstring(response.text)
    typed = {**PRACTICE_FORM, **change}["query"]
    assert doc.get_element_by_id("query").get("value") == typed
    if key == "query_error":
        assert doc.find_class("pointer")[0].find("mark").text == "A"  # under "AND"
    assert Store(seeded[1]).job_ids() == before


def test_grading_by_share_from_the_form_reaches_the_job(
    client: TestClient, seeded: tuple[Path, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadharvest.runner import JobSpec
    from leadharvest.web.jobs import JobManager

    started: list[JobSpec] = []
    monkeypatch.setattr(JobManager, "start", lambda self, spec, owner="": started.append(spec))
    assert 'name="tiers"' in client.get("/jobs/new").text
    response = post_job(client, tiers="1%, 4%, 15%, 80%", job_name="by-share")
    assert response.status_code == 303
    (spec,) = started
    assert spec.tiers == "1%, 4%, 15%, 80%"  # the runner parses it as `collect --tiers` does


def test_cancel_stops_the_job_and_keeps_what_it_has(seeded: tuple[Path, str, str]) -> None:
    from leadharvest.web.jobs import JobCancelled, JobManager, RunningJob
    from tests.web_support import practice_spec

    job = RunningJob(job_id="x", owner="")
    job.on_event({"event": "page", "source": "s", "status": "ok", "leads": 2, "url": "u"})
    job.cancel.set()
    with pytest.raises(JobCancelled):
        job.on_event({"event": "page", "source": "s", "status": "ok", "leads": 1, "url": "v"})
    assert job.snapshot()[1] == Counter({"s": 2})

    out, store, _ = seeded
    manager = JobManager(parallel=1)
    started = manager.start(practice_spec(out, store, "cancelled-job"), owner="")
    assert manager.cancel("cancelled-job")
    manager.wait(60)
    assert started.state in ("interrupted", "cancelled")
    if started.state == "interrupted":  # the crawl had started: the job is stored as such
        row = next(r for r in Store(store).job_rows() if r["job_id"] == "cancelled-job")
        assert row["status"] == "interrupted"
        assert len(stored_leads(store, "cancelled-job")) <= len(stored_leads(store))
    assert not manager.cancel("cancelled-job")  # nothing left to cancel


def test_resume_goes_on_with_a_stopped_job_from_its_journal(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    from leadharvest.runner import crawl_state

    out, store, _ = seeded
    full = {lead.name for lead in run_practice_job(out, store, "stopped-job")}
    # as if the job had been killed: most of its journal gone, stored as interrupted
    sink = crawl_state(out, "stopped-job").sink
    lines = sink.read_text(encoding="utf-8").splitlines(keepends=True)
    sink.write_text("".join(lines[: len(lines) // 3]), encoding="utf-8")
    db = Store(store)
    try:
        row = next(r for r in db.job_rows() if r["job_id"] == "stopped-job")
        from leadharvest.items import Job

        db.save_job(
            Job(job_id="stopped-job", query=row["query"], status="interrupted"), row["spec"]
        )
    finally:
        db.close()

    page = client.get("/jobs/stopped-job").text
    assert 'id="resume-form"' in page and 'id="resume-form" hidden' not in page
    response = client.post(
        "/jobs/stopped-job/resume", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert response.status_code == 303
    client.app.state.web.jobs.wait(120)
    assert client.app.state.web.jobs.get("stopped-job").state == "finished"
    assert {lead.name for lead in stored_leads(store, "stopped-job")} == full
    # a finished job has nothing to resume: no button, and the route refuses
    page = client.get("/jobs/stopped-job").text
    assert 'id="resume-form" hidden' in page
    refused = client.post("/jobs/stopped-job/resume", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 409
    # and the finished practice job never offered it
    assert 'id="resume-form" hidden' in client.get(f"/jobs/{JOB}").text


# -- leads --------------------------------------------------------------------------------
def test_filters_show_exactly_the_matching_leads(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    leads = stored_leads(seeded[1])
    assert table_ids(client.get(f"/jobs/{JOB}/leads").text) and len(
        table_ids(client.get(f"/jobs/{JOB}/leads").text)
    ) == len(leads)
    for grade in "ABCD":
        want = {lead.lead_id for lead in leads if lead.grade == grade}
        got = table_ids(client.get(f"/jobs/{JOB}/leads", params={"grade": grade}).text)
        assert set(got) == want and len(got) == len(want)
    want_yp = {lead.lead_id for lead in leads if "yellow_pages" in lead.methods}
    assert want_yp and want_yp != {lead.lead_id for lead in leads}
    got = table_ids(client.get(f"/jobs/{JOB}/leads", params={"method": "yellow_pages"}).text)
    assert set(got) == want_yp
    types = Counter(lead.business_type for lead in leads)
    btype = types.most_common(1)[0][0]
    got = table_ids(client.get(f"/jobs/{JOB}/leads", params={"btype": btype}).text)
    assert len(got) == types[btype]
    # search: a phone number's digits find its lead
    target = next(lead for lead in leads if lead.phones and lead.phones[0].e164)
    got = table_ids(client.get(f"/jobs/{JOB}/leads", params={"q": target.phones[0].e164}).text)
    assert target.lead_id in got and len(got) < len(leads)
    # sort by name, both ways
    names = {lead.lead_id: lead.name for lead in leads}
    asc = [names[i] for i in table_ids(client.get(f"/jobs/{JOB}/leads?sort=name").text)]
    assert asc == sorted(asc, key=str.casefold)
    desc = [names[i] for i in table_ids(client.get(f"/jobs/{JOB}/leads?sort=name&order=desc").text)]
    assert desc == asc[::-1]
    # every lead of the first job is new in it
    assert len(table_ids(client.get(f"/jobs/{JOB}/leads?new=1").text)) == len(leads)


def test_new_means_first_found_by_this_job(client: TestClient) -> None:
    # the same search run again finds the same businesses: none of them is new there
    assert table_ids(client.get(f"/jobs/{RERUN}/leads").text)
    assert table_ids(client.get(f"/jobs/{RERUN}/leads?new=1").text) == []


def test_verification_and_notes_reach_the_store_and_the_sheet(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    _, store, _ = seeded
    lead = next(lead for lead in stored_leads(store) if lead.grade == "B")
    card = client.get(f"/jobs/{JOB}/leads/{lead.lead_id}?back=grade%3DB%26evil%3D1").text
    response = client.post(
        f"/jobs/{JOB}/leads/{lead.lead_id}/verification",
        data={
            "csrf_token": csrf_of(card),
            "verification": "verified",
            "notes": "Called 22 Nov: buyer is Ms Li",
            "back": "grade=B&evil=1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("saved=1&back=grade%3DB")
    after = Store(store).get_lead(lead.lead_id)
    assert after is not None and after.verification == "verified"
    assert after.notes == "Called 22 Nov: buyer is Ms Li"
    got = table_ids(client.get(f"/jobs/{JOB}/leads?verification=verified").text)
    assert got == [lead.lead_id]
    download = client.get(f"/jobs/{JOB}/export", params={"fmt": "xlsx", "grade": "B"})
    assert download.status_code == 200
    path = Path(seeded[0]) / "b.xlsx"
    path.write_bytes(download.content)
    rows = sheet_rows(path)
    assert {r["lead_id"] for r in rows} == {
        x.lead_id for x in stored_leads(store) if x.grade == "B"
    }
    mine = next(r for r in rows if r["lead_id"] == lead.lead_id)
    assert mine["verification"] == "Verified" and mine["notes"] == "Called 22 Nov: buyer is Ms Li"
    bad = client.post(
        f"/jobs/{JOB}/leads/{lead.lead_id}/verification",
        data={"csrf_token": csrf_of(card), "verification": "maybe", "notes": ""},
    )
    assert bad.status_code == 400


def test_a_lead_card_shows_every_value_its_reasons_and_sources(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    leads = stored_leads(seeded[1])
    lead = max(leads, key=lambda x: len(x.evidence))
    assert len(lead.evidence) > 1
    doc = lxml_html.fromstring(client.get(f"/jobs/{JOB}/leads/{lead.lead_id}").text)
    assert doc.get_element_by_id("lead-name").text_content() == lead.name
    assert [li.text_content() for li in doc.get_element_by_id("reasons")] == lead.grade_reasons
    evidence = doc.get_element_by_id("evidence")
    hrefs = {a.get("href") for a in evidence.iter("a")}
    assert hrefs == {ev.url for ev in lead.evidence}
    for a in evidence.iter("a"):
        assert a.get("rel") == "noopener noreferrer"
    values = doc.get_element_by_id("values").text_content()
    for phone in lead.phones:
        assert (phone.e164 or phone.raw) in values
    for email in lead.emails:
        assert (email.address or email.raw) in values
    if lead.match_reasons:
        assert [li.text_content() for li in doc.get_element_by_id("match-reasons")] == (
            lead.match_reasons
        )
    # in Chinese the reasons are re-said in Chinese
    client.cookies.set("leadharvest_lang", "zh")
    zh = lxml_html.fromstring(client.get(f"/jobs/{JOB}/leads/{lead.lead_id}").text)
    first = zh.get_element_by_id("reasons")[0].text_content()
    assert first.startswith(lead.grade + "：")


def test_a_lead_of_another_job_is_not_shown_under_this_one(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    assert client.get(f"/jobs/{JOB}/leads/{seeded[2]}").status_code == 404
    assert client.get("/jobs/nope/leads").status_code == 404


# -- downloads ----------------------------------------------------------------------------
def test_every_format_downloads_the_current_filter(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    a_leads = [lead for lead in stored_leads(seeded[1]) if lead.grade == "A"]
    for fmt in format_names():
        response = client.get(f"/jobs/{JOB}/export", params={"fmt": fmt, "grade": "A"})
        assert response.status_code == 200, fmt
        assert "attachment" in response.headers["content-disposition"]
        assert response.content, fmt
    sheet = client.get(f"/jobs/{JOB}/export", params={"fmt": "xlsx", "grade": "A"})
    wb = openpyxl.load_workbook(io.BytesIO(sheet.content))
    names = [row[0] for row in wb["Leads"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == len(a_leads)
    jsonl = client.get(f"/jobs/{JOB}/export", params={"fmt": "jsonl", "grade": "A"})
    assert len(jsonl.text.strip().splitlines()) == len(a_leads)
    assert client.get(f"/jobs/{JOB}/export", params={"fmt": "../../x"}).status_code == 400


def test_the_download_menu_offers_every_format(client: TestClient) -> None:
    doc = lxml_html.fromstring(client.get(f"/jobs/{JOB}/leads?grade=A").text)
    offered = [o.get("value") for o in doc.get_element_by_id("fmt").iter("option")]
    assert offered == format_names()
    hidden = {
        i.get("name"): i.get("value") for i in doc.get_element_by_id("download").iter("input")
    }
    assert hidden["grade"] == "A"


def test_borderline_pairs_show_on_both_cards_and_go_into_the_sheet(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    from leadharvest.items import ReviewPair

    _, store, _ = seeded
    leads = sorted(stored_leads(store, RERUN), key=lambda x: x.lead_id)
    left, right, other = leads[0], leads[1], leads[2]
    pair = ReviewPair(left.lead_id, left.name, right.lead_id, right.name, 86.0, "similar name (86)")
    db = Store(store)
    db.save_review_pairs(RERUN, [pair])
    db.close()
    for this, that in ((left, right), (right, left)):
        card = lxml_html.fromstring(client.get(f"/jobs/{RERUN}/leads/{this.lead_id}").text)
        links = [
            (a.get("href"), a.text_content()) for a in card.get_element_by_id("review").iter("a")
        ]
        assert links == [(f"/jobs/{RERUN}/leads/{that.lead_id}", that.name)]
    assert client.get(f"/jobs/{RERUN}/leads/{other.lead_id}").text.count('id="review"') == 0

    def review_rows(params: dict[str, str]) -> int:
        sheet = client.get(f"/jobs/{RERUN}/export", params={"fmt": "xlsx", **params})
        ws = openpyxl.load_workbook(io.BytesIO(sheet.content))["Review"]
        return sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(row))

    assert review_rows({}) == 1
    # a filter that shows neither lead of the pair leaves it out of the Review sheet
    assert review_rows({"verification": "invalid"}) == 0


def test_do_not_contact_lists_the_leads_keys_and_keeps_it_out_of_downloads(
    client: TestClient, seeded: tuple[Path, str, str]
) -> None:
    from leadharvest.suppression import lead_keys

    _, store, _ = seeded
    lead = next(x for x in stored_leads(store) if x.grade in ("C", "D") and lead_keys(x))
    page = client.get(f"/jobs/{JOB}/leads/{lead.lead_id}").text
    response = client.post(
        f"/jobs/{JOB}/leads/{lead.lead_id}/verification",
        data={"csrf_token": csrf_of(page), "verification": "do_not_contact", "notes": "asked"},
    )
    assert response.status_code == 200
    db = Store(store)
    listed = {(e.kind, e.value) for e in db.suppression_list()}
    db.close()
    assert lead_keys(lead) <= listed
    params = {"grade": lead.grade}
    table = client.get(f"/jobs/{JOB}/leads", params=params).text
    assert lead.lead_id in table_ids(table)  # still shown, marked, and counted
    assert 'id="suppressed-note"' in table
    for fmt in ("xlsx", "hubspot"):
        got = client.get(f"/jobs/{JOB}/export", params={"fmt": fmt, **params})
        if fmt == "xlsx":
            path = Path(seeded[0]) / "dnc.xlsx"
            path.write_bytes(got.content)
            ids = {row["lead_id"] for row in sheet_rows(path)}
            want = {x.lead_id for x in stored_leads(store) if x.grade == lead.grade}
            assert ids == want - {lead.lead_id}
        else:
            assert lead.name not in got.text


def test_a_big_job_is_shown_a_page_at_a_time(tmp_path: Path) -> None:
    from leadharvest.items import Evidence, Job, Lead, Phone
    from leadharvest.web.routes_leads import PAGE_SIZE

    store = f"sqlite:///{tmp_path / 'big.db'}"
    db = Store(store)
    db.save_job(Job(job_id="big", query="camera", status="finished"), {"query": "camera"})
    count = 2 * PAGE_SIZE + 17
    leads = [
        Lead(
            name=f"Practice Camera Shop {i:04d}",
            normalized_name=f"practice camera shop {i:04d}",
            grade="A" if i % 2 else "B",
            phones=[Phone(raw=f"+6174{i:07d}", e164=f"+6174{i:07d}", valid=True)],
            evidence=[Evidence(source="practice_directory", method="yellow_pages", url="u")],
        )
        for i in range(count)
    ]
    db.upsert_leads(leads, job_id="big")
    db.close()
    with TestClient(create_app(WebConfig(store=store, out=tmp_path))) as client:
        first = client.get("/jobs/big/leads?sort=name").text
        assert len(table_ids(first)) == PAGE_SIZE
        doc = lxml_html.fromstring(first)
        assert doc.get_element_by_id("shown-count").text == str(count)  # every match counted
        assert doc.get_element_by_id("page-rows").text == f"1–{PAGE_SIZE} of {count}"
        assert not doc.find_class("pager")[0].xpath(".//a[@id='prev-page']")
        seen = set(table_ids(first))
        href = doc.get_element_by_id("next-page").get("href")
        while href:
            page = client.get(f"/jobs/big/leads{href}").text
            ids = table_ids(page)
            assert ids and seen.isdisjoint(ids)
            seen |= set(ids)
            nxt = lxml_html.fromstring(page).xpath("//a[@id='next-page']/@href")
            href = nxt[0] if nxt else ""
        assert len(seen) == count  # the pages together are the whole job, each lead once
        # a filter pages over what it matches; a page past the end shows the last one
        graded = client.get("/jobs/big/leads?grade=A&page=99").text
        doc = lxml_html.fromstring(graded)
        matching = sum(i % 2 for i in range(count))  # every odd-numbered shop is an A
        assert doc.get_element_by_id("shown-count").text == str(matching)
        assert len(table_ids(graded)) == matching - PAGE_SIZE
        assert "grade=A" in doc.get_element_by_id("prev-page").get("href")
