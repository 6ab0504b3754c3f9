"""The command line: exit codes, one-line errors, no tracebacks, the extract contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import run_cli as run
from tests.realpages import real_page_path


@pytest.mark.parametrize(
    ("query", "column"),
    [("camera AND", 7), ('"digital camera', 0), ("(camera OR lens", 0), ("camera )", 7)],
)
def test_malformed_query_exits_2_with_a_caret(
    query: str, column: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(["collect", query, "--out", str(tmp_path)], capsys)
    assert code == 2
    assert "Traceback" not in err
    lines = err.rstrip("\n").splitlines()
    assert lines[0].startswith("error: query error at column")
    assert lines[1] == query
    assert lines[2].index("^") == column
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_chinese_query_error_also_says_why_in_chinese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(["collect", "数码相机 AND", "--out", str(tmp_path)], capsys)
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith("error: query error at column")
    assert first.endswith("（AND 后面缺少一个词）")
    code, _out, err = run(["collect", "camera AND", "--out", str(tmp_path)], capsys)
    assert "（" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["collect", "camera", "--sources", "no_such_source"],
        ["collect", "camera", "--replay", "/nonexistent/archive.warc.gz"],
        ["collect", "camera", "--lang", "fr"],
        ["collect", "camera", "-s", "NOEQUALS"],
        ["extract", "/nonexistent/page.html", "--url", "https://example.com/"],
        ["extract", __file__, "--url", "not-a-url"],
        ["extract", __file__, "--url", "https://example.com/", "--source", "nope"],
        ["export", "--format", "pdf", "-o", "x.pdf", "--job", "j"],
        ["export", "--format", "xlsx", "-o", "x.xlsx"],
        ["archive", "add", "/nonexistent.html", "--url", "https://x.example/", "--to", "a.warc.gz"],
        ["collect"],
        ["no-such-command"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(argv, capsys)
    assert code == 2
    assert "Traceback" not in err
    assert err.strip()


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["--help"],
        ["demo", "--help"],
        ["collect", "--help"],
        ["extract", "--help"],
        ["export", "--help"],
        ["archive", "add", "--help"],
        ["sources", "--help"],
    ):
        code, out, _ = run(argv, capsys)
        assert code == 0
        assert "Usage" in out


def test_sources_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["sources"], capsys)
    assert code == 0
    for name in ("duckduckgo", "bing", "indiamart"):
        assert name in out


@pytest.mark.realpages
def test_extract_contract_on_a_real_results_page(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_page_path(
        "search_engines/duckduckgo/html_endpoint_plumber_dubai__business-scraper.html"
    )
    code, out, _ = run(
        ["extract", str(path), "--url", "https://html.duckduckgo.com/html/?q=Plumber+Dubai"], capsys
    )
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    pages = [line for line in lines if line["kind"] == "page"]
    assert len(pages) == 1
    assert pages[0]["status"] == "ok"
    assert pages[0]["source"] == "duckduckgo"
    results = [line for line in lines if line["kind"] == "search_result"]
    assert {"rank", "url", "title", "snippet", "ad"} <= set(results[0])
    assert not any("duckduckgo.com/l/" in r["url"] for r in results)
    assert sum(r["ad"] for r in results) >= 1


@pytest.mark.realpages
def test_extract_contract_on_a_real_blocked_page(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_page_path(
        "search_engines/duckduckgo/BLOCKED_anomaly_captcha__UKY171991-scraper.html"
    )
    code, out, _ = run(
        ["extract", str(path), "--url", "https://html.duckduckgo.com/html/?q=law+firm+India"],
        capsys,
    )
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["status"] for line in lines if line["kind"] == "page"] == ["blocked"]
    assert not [line for line in lines if line["kind"] != "page"]


@pytest.mark.realpages
def test_extract_leads_on_a_real_gb2312_contact_page(capsys: pytest.CaptureFixture[str]) -> None:
    path = real_page_path(
        "company_sites/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html"
    )
    code, out, _ = run(["extract", str(path), "--url", "http://www.e-zjs.com/lxwm.asp"], capsys)
    assert code == 0
    leads = [json.loads(line) for line in out.splitlines() if '"kind": "lead"' in line]
    assert len(leads) == 1
    lead = leads[0]
    assert set(lead) == {
        "kind",
        "name",
        "phones",
        "emails",
        "website",
        "address",
        "people",
        "masked",
    }
    # read from the page: 业务热线：（0513）85815355  传真：（0513）80278158
    # E-mail：luban_jb@sina.com
    assert "+8651385815355" in lead["phones"]
    assert "luban_jb@sina.com" in lead["emails"]
    assert "南通" in lead["address"]
    # 苏ICP备08000809 and 邮编 226001 are not phones
    assert not any("08000809" in p or p.endswith("226001") for p in lead["phones"])


def test_export_input_accepts_extract_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "leads.jsonl"
    src.write_text(
        json.dumps({"kind": "page", "status": "ok", "source": "company_website"})
        + "\n"
        + json.dumps(
            {
                "kind": "lead",
                "name": "=cmd|' /C calc'!A0",
                "phones": ["+61255501234"],
                "emails": ["sales@harbour-cameras.example"],
                "website": "https://harbour-cameras.example/",
                "address": "1 Practice St, Sydney NSW 2000",
                "people": [],
                "masked": False,
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "sheet.xlsx"
    code, stdout, _ = run(
        ["export", "--input", str(src), "--format", "xlsx", "-o", str(out)], capsys
    )
    assert code == 0
    assert "wrote 1 leads" in stdout
    from openpyxl import load_workbook

    wb = load_workbook(out)
    ws = wb["Leads"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(str(c.value).startswith("'=cmd") for c in cells)


def test_collect_from_a_product_keyword_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A trainee may start from the keyword: the query becomes "any of the keywords"."""
    from leadharvest.practice import DEMO_SOURCES, archive_path
    from leadharvest.store import Store

    argv = ["collect", "--product", "digital camera", "--product", "数码相机"]
    argv += ["--replay", str(archive_path()), "--sources", ",".join(DEMO_SOURCES)]
    argv += ["--out", str(tmp_path), "--job", "keyword-only"]
    code, _out, err = run(argv, capsys)
    assert code == 0, err
    db = Store(f"sqlite:///{tmp_path / 'leadharvest.db'}")
    try:
        row = next(r for r in db.job_rows() if r["job_id"] == "keyword-only")
        assert row["query"] == '"digital camera" OR 数码相机'
        assert len(db.leads(job_id="keyword-only")) >= 15
    finally:
        db.close()
    code, _out, err = run(["collect", "--start-url", "http://127.0.0.1:9/"], capsys)
    assert code == 2 and "give a QUERY or --product KEYWORD" in err
