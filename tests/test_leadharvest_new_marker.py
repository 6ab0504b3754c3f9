"""The New marker: re-running a job marks the leads its earlier runs did not have.

Each run is a real job (spiders in their child process, enrichment, dedupe, store, sheet)
over a small directory archive written here, so the test controls exactly which business
appears between two runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from leadharvest.archive import ArchiveWriter
from leadharvest.runner import JobResult, JobSpec, run_job
from leadharvest.store import Store
from tests.services import postgres_schema_url

BASE = "https://wombat-directory.example"


BUSINESSES = (
    ("Wombat Camera Traders Pty Ltd", "(02) 5550 0211", "Sydney NSW 2000"),
    ("Quokka Lens Supply Pty Ltd", "(08) 5550 0322", "Perth WA 6000"),
    ("Bilby Photo Wholesale Pty Ltd", "(07) 5550 0433", "Brisbane QLD 4000"),
    ("Numbat Imaging Distributors Pty Ltd", "(03) 5550 0544", "Melbourne VIC 3000"),
)
CHROME = (
    "<header>Wombat Directory · help line 1300 555 000</header>"
    "<footer>© Wombat Directory Pty Ltd · info@wombat-directory.example</footer>"
)


def _directory(path: Path, count: int) -> Path:
    """A directory listing the first ``count`` BUSINESSES, with a detail page each."""
    cards = "".join(
        f'<div class="biz-card"><h3><a href="/biz/{i}">{name}</a></h3>'
        f"<p>Digital camera wholesale · Phone {phone}</p><p>{i} Practice Road, {town}</p></div>"
        for i, (name, phone, town) in enumerate(BUSINESSES[:count], start=1)
    )
    with ArchiveWriter(path) as writer:
        writer.add(
            f"{BASE}/list",
            f"<html><body>{CHROME}{cards}</body></html>".encode(),
            content_type="text/html; charset=utf-8",
        )
        for i, (name, phone, town) in enumerate(BUSINESSES[:count], start=1):
            detail = (
                f"<html><body>{CHROME}<h1>{name}</h1><p>Phone {phone}</p>"
                f"<p>{i} Practice Road, {town}</p></body></html>"
            )
            writer.add(f"{BASE}/biz/{i}", detail.encode(), content_type="text/html; charset=utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        with postgres_schema_url() as url:
            yield url


def _run(
    tmp_path: Path,
    store_url: str,
    archive: Path,
    name: str,
    *,
    query: str = "camera",
    job: str = "",
) -> JobResult:
    return run_job(
        JobSpec(
            query=query,
            start_urls=[f"{BASE}/list"],
            replay=str(archive),
            store=store_url,
            out=tmp_path / name,
            job_id=job,
        )
    )


def _new_by_name(result: JobResult) -> dict[str, bool]:
    return {lead.name: lead.is_new for lead in result.leads}


def test_rerunning_a_job_marks_only_the_leads_earlier_runs_lacked(
    tmp_path: Path, store_url: str
) -> None:
    three = _directory(tmp_path / "three.warc.gz", 3)
    four = _directory(tmp_path / "four.warc.gz", 4)

    # explicit names: two default names made in the same second would be one job
    first = _run(tmp_path, store_url, three, "one", job="cameras-monday")
    assert len(first.leads) == 3
    assert all(_new_by_name(first).values()), "the first run of a job: every lead is new"

    # the same query again under another name: a fourth business appeared
    second = _run(tmp_path, store_url, four, "two", job="cameras-tuesday")
    marks = _new_by_name(second)
    assert len(marks) == 4, marks
    assert [name for name, new in marks.items() if new] == [BUSINESSES[3][0]]

    # the sheet says so in its New column, for that row only
    ws = load_workbook(second.sheet)["Leads"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert {r["Company"]: r["New"] for r in rows} == {
        BUSINESSES[0][0]: None,
        BUSINESSES[1][0]: None,
        BUSINESSES[2][0]: None,
        BUSINESSES[3][0]: "New",
    }

    # re-running under the same job name: nothing is new any more
    third = _run(tmp_path, store_url, four, "three", job=second.job.job_id)
    assert len(third.leads) == 4
    assert not any(_new_by_name(third).values())

    # a different query is a different job: all its leads are new to it
    other = _run(tmp_path, store_url, four, "other", query="wombat", job="wombats")
    assert len(other.leads) == 4
    assert all(_new_by_name(other).values())

    # the marker is kept per job: exporting the first job later still shows its three as new
    db = Store(store_url)
    try:
        assert {lead.name: lead.is_new for lead in db.leads(job_id=first.job.job_id)} == {
            name: True for name, _, _ in BUSINESSES[:3]
        }
        assert not any(lead.is_new for lead in db.leads(job_id=second.job.job_id))
        assert not any(lead.is_new for lead in db.leads())
        assert db.count_leads() == 4
    finally:
        db.close()


def test_new_column_is_translated() -> None:
    from exports.columns import headers, row_values
    from leadharvest.items import Lead

    at = headers("zh").index("新")
    assert headers("en")[at] == "New"
    assert row_values(Lead(name="x", is_new=True), "zh")[at] == "新"
    assert row_values(Lead(name="x", is_new=False), "en")[at] == ""
