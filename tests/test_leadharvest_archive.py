"""WARC record/replay archives."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadharvest.archive import ArchiveError, ArchiveIndex, ArchiveWriter, add_page


def test_write_then_read_back_with_canonical_urls(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with ArchiveWriter(path) as writer:
        writer.add(
            "https://Shop.example/contact?b=2&a=1#top",
            "联系我们".encode("gbk"),
            content_type="text/html; charset=gbk",
        )
    with ArchiveWriter(path) as writer:  # appending keeps the first record
        writer.add("https://shop.example/", b"<p>home</p>", status=200)
    index = ArchiveIndex.load(path)
    assert len(index) == 2
    hit = index.get("https://shop.example/contact?a=1&b=2")
    assert hit is not None
    assert hit.body.decode("gbk") == "联系我们"
    assert hit.content_type == "text/html; charset=gbk"
    assert "https://shop.example/nothing" not in index


def test_add_page_refuses_bad_input(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b"<p>x</p>")
    with pytest.raises(ArchiveError):
        add_page(tmp_path / "missing.html", "https://x.example/", tmp_path / "a.warc.gz")
    with pytest.raises(ArchiveError):
        add_page(page, "ftp://x.example/", tmp_path / "a.warc.gz")
    not_warc = tmp_path / "not.warc.gz"
    not_warc.write_bytes(b"hello, not a warc")
    with pytest.raises(ArchiveError):
        ArchiveIndex.load(not_warc)
    add_page(page, "https://x.example/p", tmp_path / "a.warc.gz")
    assert ArchiveIndex.load(tmp_path / "a.warc.gz").get("https://x.example/p") is not None
