"""Pages a trainee saved from the browser, turned into a job's start (``collect --from-saved``).

The big engines forbid crawling their result pages in robots.txt, so LeadHarvest will not
fetch them; a trainee may still search by hand, save the result pages ("Save page as…"), and
let LeadHarvest parse them and continue from there (follow the results to the companies'
sites). The URL a page was saved from is read from the page itself: the "saved from url"
comment browsers write, the canonical link, ``og:url`` or ``<base href>``; a ``urls.txt``
beside the pages (``file-name URL`` per line) overrides or fills in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from leadharvest.archive import ArchiveWriter

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_PATTERNS = (
    re.compile(rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"']+)""", re.IGNORECASE),
    re.compile(rb"""<link[^>]+href=["']([^"']+)["'][^>]*rel=["']?canonical""", re.IGNORECASE),
    re.compile(rb"""<meta[^>]+property=["']og:url["'][^>]*content=["']([^"']+)""", re.IGNORECASE),
    re.compile(rb"""<base[^>]+href=["']([^"']+)""", re.IGNORECASE),
)
SAVED_SUFFIXES = (".html", ".htm", ".xhtml")


class SavedPagesError(ValueError):
    """The folder holds no usable saved page; the message says what is missing."""


@dataclass(frozen=True)
class SavedPage:
    """One saved page and the URL it was saved from."""

    path: Path
    url: str


def saved_page_url(body: bytes) -> str:
    """The URL a saved page says it came from, or ""."""
    head = body[:65536]
    for pattern in (_SAVED_FROM, *_PATTERNS):
        match = pattern.search(head)
        if match:
            url = match.group(1).decode("utf-8", "replace").replace("&amp;", "&").strip()
            if url.lower().startswith(("http://", "https://")):
                return url
    return ""


def find_saved_pages(folder: str | Path) -> tuple[list[SavedPage], list[str]]:
    """Saved pages in ``folder`` with their URLs, and one problem line per page without one."""
    root = Path(folder)
    if not root.is_dir():
        raise SavedPagesError(f"--from-saved: not a folder: {root}")
    overrides: dict[str, str] = {}
    listing = root / "urls.txt"
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            name, _, url = line.strip().partition(" ")
            if name and url.strip().lower().startswith(("http://", "https://")):
                overrides[name] = url.strip()
    pages: list[SavedPage] = []
    problems: list[str] = []
    for path in sorted(root.iterdir()):
        if path.suffix.lower() not in SAVED_SUFFIXES or not path.is_file():
            continue
        url = overrides.get(path.name) or saved_page_url(path.read_bytes())
        if url:
            pages.append(SavedPage(path, url))
        else:
            problems.append(f"{path.name}: no URL found (add '{path.name} URL' to urls.txt)")
    if not pages:
        raise SavedPagesError(
            f"--from-saved: no saved page with a known URL in {root}"
            + (f" ({problems[0]})" if problems else " (expected .html files)")
        )
    return pages, problems


def archive_saved_pages(pages: list[SavedPage], archive: str | Path) -> None:
    """Write the saved pages into a WARC so the crawl serves them like recorded responses."""
    with ArchiveWriter(archive, append=False) as writer:
        for page in pages:
            writer.add(page.url, page.path.read_bytes(), content_type="text/html")
