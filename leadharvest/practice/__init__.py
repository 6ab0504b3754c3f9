"""The practice web: fictional businesses in real sites' markup, for the demo and classrooms.

Like the toscrape.com sandboxes, every page is plainly practice data: a visible banner
("LeadHarvest practice web — fictional businesses for training" / "练习数据：虚构企业，仅供培训")
and ``<meta name="leadharvest-practice" content="fictional">``. Hosts are on the reserved
``.example`` TLD (RFC 2606), so nothing here can ever be fetched from the real internet.

The page sources live in ``site/`` (one folder per host, ``site/manifest.toml`` maps each URL
to its file); :mod:`leadharvest.practice.build` packs them into the bundled WARC archive that
``leadharvest demo`` replays.
"""

from __future__ import annotations

from pathlib import Path

DEMO_QUERY = '("digital camera" OR 数码相机) -rental'
"""The demo job's Boolean query: the classic course exercise, rental shops excluded."""

DEMO_PRODUCTS: tuple[str, ...] = ("digital camera", "数码相机")
"""Product keywords the query templates expand into buyer-intent searches."""

DEMO_SOURCES: tuple[str, ...] = (
    "practice_search",
    "practice_yellowpages",
    "practice_b2b",
    "practice_cn_b2b",
)
"""Catalogue names of the practice sources (config/sources/practice_*.toml)."""

MARKER_META = '<meta name="leadharvest-practice" content="fictional">'
BANNER_EN = "LeadHarvest practice web — fictional businesses for training"
BANNER_ZH = "练习数据：虚构企业，仅供培训"

_HERE = Path(__file__).resolve().parent


def site_dir() -> Path:
    """Folder holding the page sources and ``manifest.toml``."""
    return _HERE / "site"


def archive_path() -> Path:
    """The bundled practice-web archive (``leadharvest/data/practice-web.warc.gz``)."""
    return _HERE.parent / "data" / "practice-web.warc.gz"
