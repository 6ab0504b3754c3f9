"""Record and replay: WARC archives (warcio) that stand in for the network.

A live job can record every response; any job can run from an archive instead of the
network. Tests, the demo and classroom exercises all replay, so results are reproducible.
URLs are compared in canonical form (w3lib, as Scrapy's duplicate filter does), so query
parameter order and fragments do not make a recorded page "missing".
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


class ArchiveError(ValueError):
    """The archive file is missing or is not a WARC file."""


def url_key(url: str) -> str:
    """Canonical form used to look a URL up in an archive."""
    return canonicalize_url(url.strip(), keep_fragments=False)


@dataclass
class ArchivedResponse:
    """One recorded HTTP response."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str = ""

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return ""


@dataclass
class ArchiveIndex:
    """Every response in a WARC file, by canonical URL (the last record of a URL wins)."""

    path: Path
    responses: dict[str, ArchivedResponse] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> ArchiveIndex:
        path = Path(path)
        if not path.is_file():
            raise ArchiveError(f"archive not found: {path}")
        index = cls(path=path)
        for resp in iter_responses(path):
            index.responses[url_key(resp.url)] = resp
        return index

    def get(self, url: str) -> ArchivedResponse | None:
        return self.responses.get(url_key(url))

    def __contains__(self, url: str) -> bool:
        return url_key(url) in self.responses

    def __len__(self) -> int:
        return len(self.responses)

    def urls(self) -> list[str]:
        return [r.url for r in self.responses.values()]


def iter_responses(path: str | Path) -> Iterator[ArchivedResponse]:
    """Yield the ``response`` records of a (possibly multi-member gzip) WARC file."""
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                http = record.http_headers
                status = int(http.get_statuscode() or 200) if http else 200
                headers = list(http.headers) if http else []
                yield ArchivedResponse(
                    url=url,
                    status=status,
                    headers=headers,
                    body=record.content_stream().read(),
                    date=record.rec_headers.get_header("WARC-Date") or "",
                )
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"{path} is not a WARC archive: {exc}") from exc


class ArchiveWriter:
    """Appends response records to a ``.warc.gz`` file (appending keeps earlier records)."""

    def __init__(self, path: str | Path, *, append: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "ab" if append else "wb")  # noqa: SIM115
        self._writer = WARCWriter(self._fh, gzip=str(self.path).endswith(".gz"))

    def add(
        self,
        url: str,
        body: bytes,
        *,
        status: int = 200,
        headers: list[tuple[str, str]] | None = None,
        content_type: str = "text/html",
        date: datetime | None = None,
    ) -> None:
        """Write one response record."""
        hdrs = list(headers or [])
        if not any(k.lower() == "content-type" for k, _ in hdrs):
            hdrs.append(("Content-Type", content_type))
        hdrs = [
            (k, v)
            for k, v in hdrs
            if k.lower() not in {"content-length", "transfer-encoding", "content-encoding"}
        ]
        hdrs.append(("Content-Length", str(len(body))))
        reason = "OK" if status == 200 else "Status"
        http_headers = StatusAndHeaders(f"{status} {reason}", hdrs, protocol="HTTP/1.1")
        warc_headers = {}
        when = date or datetime.now(UTC)
        warc_headers["WARC-Date"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def add_page(page: str | Path, url: str, to: str | Path, *, content_type: str = "") -> None:
    """Add a page saved from a browser to an archive under the URL it was saved from.

    No charset is invented: the bytes go in as saved and are decoded like any fetched page.
    """
    page = Path(page)
    if not page.is_file():
        raise ArchiveError(f"page not found: {page}")
    if not url.lower().startswith(("http://", "https://")):
        raise ArchiveError(f"--url must be an http(s) URL, got {url!r}")
    with ArchiveWriter(to) as writer:
        writer.add(url, page.read_bytes(), content_type=content_type or "text/html")
