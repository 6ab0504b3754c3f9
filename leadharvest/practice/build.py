"""Pack the practice web's page files into the bundled WARC archive.

``python -m leadharvest.practice.build [OUT]`` reads ``site/manifest.toml`` (one ``[[page]]``
per URL: ``url``, ``file``, ``content_type``, ``status``) and writes every page, in manifest
order, as a response record to ``OUT`` (default: ``leadharvest/data/practice-web.warc.gz``).

Rebuilds are deterministic: every record carries the fixed date ``BUILD_DATE`` and the bytes
of its file exactly as stored (a GBK page stays GBK), so two builds differ only in the random
``WARC-Record-ID`` warcio gives each record (and hence in the compressed bytes of the header
block). Edit a page file, re-run the command, and commit both.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from leadharvest.archive import ArchiveWriter
from leadharvest.practice import archive_path, site_dir

BUILD_DATE = datetime(2026, 11, 1, tzinfo=UTC)
"""The WARC-Date of every record: a fixed date keeps rebuilds reproducible."""


class ManifestError(ValueError):
    """The manifest is malformed or names a file that does not exist."""


@dataclass(frozen=True)
class PracticePage:
    """One page of the practice web: where it is served and which file holds its bytes."""

    url: str
    path: Path
    content_type: str = "text/html; charset=utf-8"
    status: int = 200

    def body(self) -> bytes:
        return self.path.read_bytes()


def load_manifest(site: Path | None = None) -> list[PracticePage]:
    """The manifest's pages, in order; a missing file or a repeated URL is an error."""
    site = site or site_dir()
    manifest = site / "manifest.toml"
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{manifest}: {exc}") from exc
    pages: list[PracticePage] = []
    seen: set[str] = set()
    for idx, entry in enumerate(data.get("page", [])):
        where = f"{manifest}: page[{idx}]"
        try:
            url, file = str(entry["url"]), str(entry["file"])
        except KeyError as exc:
            raise ManifestError(f"{where} needs {exc}") from exc
        path = site / file
        if not path.is_file():
            raise ManifestError(f"{where}: file not found: {path}")
        if url in seen:
            raise ManifestError(f"{where}: duplicate url {url}")
        seen.add(url)
        pages.append(
            PracticePage(
                url=url,
                path=path,
                content_type=str(entry.get("content_type", "text/html; charset=utf-8")),
                status=int(entry.get("status", 200)),
            )
        )
    if not pages:
        raise ManifestError(f"{manifest}: no [[page]] entries")
    return pages


def build_archive(out: Path, *, site: Path | None = None) -> int:
    """Write every manifest page to the WARC file ``out`` (replacing it); returns the count."""
    pages = load_manifest(site)
    with ArchiveWriter(out, append=False) as writer:
        for page in pages:
            writer.add(
                page.url,
                page.body(),
                status=page.status,
                content_type=page.content_type,
                date=BUILD_DATE,
            )
    return len(pages)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else archive_path()
    count = build_archive(out)
    print(f"wrote {count} pages to {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
