"""Official search APIs: JSON results mapped by configuration, keys from the environment."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from leadharvest.runner import JobSpec, run_job
from spiders.pages import catalogue, extract_page
from spiders.pages.base import Page

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "api"


def _page(name: str, url: str) -> Page:
    return Page.from_bytes(url, (FIXTURES / f"{name}.json").read_bytes(), "application/json")


def test_brave_results_are_mapped_from_json() -> None:
    src = catalogue()["brave_search"]
    result = extract_page(
        _page("brave_search", "https://api.search.brave.com/res/v1/web/search?q=x"), src
    )
    assert result.status == "ok"
    assert [r.url for r in result.search_results] == [
        "https://kestrel-camera.example/",
        "https://pennine-photo.example/",
        "https://harbourside-camera-rental.example/",
    ]
    assert result.search_results[0].rank == 1
    assert result.search_results[1].snippet.startswith("Digital camera distribution")
    assert [link.kind for link in result.links] == ["result"] * 3


def test_generic_json_api_mapping() -> None:
    src = catalogue()["json_api"]
    result = extract_page(_page("json_api", "http://127.0.0.1:8888/search?q=x&format=json"), src)
    assert [r.title for r in result.search_results] == [
        "广州市星河影像器材批发有限公司",
        "深圳市光影数码科技有限公司",
    ]
    assert result.search_results[1].snippet == "数码相机 厂家 生产"


def test_api_errors_and_empty_answers() -> None:
    src = catalogue()["brave_search"]
    empty = Page("https://api.search.brave.com/x", json.dumps({"web": {"results": []}}))
    assert extract_page(empty, src).status == "no_results"
    refused = Page("https://api.search.brave.com/x", "Unauthorized", http_status=401)
    assert extract_page(refused, src).status == "blocked"
    error = Page(
        "https://api.search.brave.com/x", json.dumps({"error": {"detail": "Invalid API key"}})
    )
    blocked = extract_page(error, src)
    assert blocked.status == "blocked"
    assert "Invalid API key" in blocked.reason


def test_a_source_without_its_key_is_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRAVE_SEARCH_API_KEY", raising=False)
    src = catalogue()["brave_search"]
    assert src.missing_settings() == ["BRAVE_SEARCH_API_KEY"]
    assert src.search_urls("camera") == []
    monkeypatch.setenv("BRAVE_SEARCH_API_KEY", "k")
    assert src.search_urls("digital camera") == [
        "https://api.search.brave.com/res/v1/web/search?q=digital+camera&count=20"
    ]
    assert src.request_headers()["X-Subscription-Token"] == "k"


class _FakeBrave(BaseHTTPRequestHandler):
    """A local stand-in for the API: recorded JSON, and 401 without the key."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _FakeBrave.seen.append(self.path)
        if self.headers.get("X-Subscription-Token") != "test-key":
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b"Unauthorized")
            return
        body = (FIXTURES / "brave_search.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def fake_brave() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeBrave)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/res/v1/web/search"
    finally:
        server.shutdown()
        server.server_close()


def test_a_job_queries_the_api_with_its_key(
    fake_brave: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRAVE_SEARCH_API_URL", fake_brave)
    monkeypatch.setenv("BRAVE_SEARCH_API_KEY", "test-key")
    _FakeBrave.seen.clear()
    result = run_job(
        JobSpec(
            query='"digital camera" wholesale',
            sources=["brave_search"],
            out=tmp_path,
            settings={"LEADHARVEST_MAX_SITES": "0", "DOWNLOAD_DELAY": "0"},
        )
    )
    assert _FakeBrave.seen and _FakeBrave.seen[0].startswith("/res/v1/web/search?q=")
    assert not any(path.startswith("/robots.txt") for path in _FakeBrave.seen)
    pages = [p for p in result.job.pages if p.source == "brave_search"]
    assert [(p.status, p.results) for p in pages] == [("ok", 3)]
