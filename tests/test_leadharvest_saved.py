"""``collect --from-saved``: result pages saved from the browser start a job."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from leadharvest.practice import DEMO_QUERY, archive_path, site_dir
from leadharvest.runner import JobSpec, run_job
from leadharvest.saved import SavedPagesError, find_saved_pages, saved_page_url


def _practice_file(url: str) -> bytes:
    manifest = tomllib.loads((site_dir() / "manifest.toml").read_text(encoding="utf-8"))
    entry = next(p for p in manifest["page"] if p["url"] == url)
    return (site_dir() / entry["file"]).read_bytes()


YP_SEARCH = "https://yellowpages.practice.example/search/listings?clue=digital+camera&locationClue=All+States"


def test_the_url_comes_from_the_page_or_urls_txt(tmp_path: Path) -> None:
    chrome = b"<!-- saved from url=(0036)https://www.bing.com/search?q=camera -->\n<html></html>"
    assert saved_page_url(chrome) == "https://www.bing.com/search?q=camera"
    canonical = (
        b'<html><head><link rel="canonical" href="https://shop.example/contact?a=1&amp;b=2">'
    )
    assert saved_page_url(canonical) == "https://shop.example/contact?a=1&b=2"
    assert saved_page_url(b"<html><p>nothing</p></html>") == ""
    (tmp_path / "a.html").write_bytes(b"<html><p>no url here</p></html>")
    (tmp_path / "b.htm").write_bytes(chrome)
    pages, problems = find_saved_pages(tmp_path)
    assert [p.url for p in pages] == ["https://www.bing.com/search?q=camera"]
    assert problems and problems[0].startswith("a.html")
    (tmp_path / "urls.txt").write_text("a.html https://shop.example/\n", encoding="utf-8")
    pages, problems = find_saved_pages(tmp_path)
    assert sorted(p.url for p in pages) == [
        "https://shop.example/",
        "https://www.bing.com/search?q=camera",
    ]
    assert problems == []


def test_empty_or_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SavedPagesError, match="not a folder"):
        find_saved_pages(tmp_path / "nope")
    with pytest.raises(SavedPagesError, match="no saved page"):
        find_saved_pages(tmp_path)


def test_a_saved_listing_page_starts_and_continues_a_job(tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    body = _practice_file(YP_SEARCH)
    marker = f"<!-- saved from url=({len(YP_SEARCH):04d}){YP_SEARCH} -->\n".encode()
    (saved / "yellow pages - digital camera.html").write_bytes(marker + body)
    # the rest of the practice web stands in for the network, so nothing leaves this machine
    result = run_job(
        JobSpec(
            query=DEMO_QUERY,
            from_saved=str(saved),
            replay=str(archive_path()),
            out=tmp_path / "out",
        )
    )
    by_url = {p.url: p for p in result.job.pages}
    assert by_url[YP_SEARCH].status == "ok"
    assert by_url[YP_SEARCH].source == "practice_yellowpages"
    names = " | ".join(lead.name for lead in result.leads)
    assert "Wattle Photo" in names
    # the job continued from the saved page to the listings' own pages and company sites
    assert any(p.source == "company_website" and p.status == "ok" for p in result.job.pages)
