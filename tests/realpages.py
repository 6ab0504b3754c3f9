"""The one helper that finds the real pages in ``../shared/fixtures``.

Those pages hold real businesses' and people's details and other people's work, so they are
read in place and never committed here. In a user's clone (no ``../shared``) the tests that
need them skip with a reason; under ``CI=true`` a missing folder is a failure instead, so a
broken CI checkout cannot pass by skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spiders.pages.base import Page

CHECKOUT = Path(__file__).resolve().parent.parent


def shared_fixtures() -> Path:
    """``../shared/fixtures`` beside the checkout (or ``$LEADHARVEST_SHARED/fixtures``)."""
    env = os.environ.get("LEADHARVEST_SHARED")
    base = Path(env) if env else CHECKOUT.parent / "shared"
    return base / "fixtures"


def real_page_path(relative: str) -> Path:
    """Path of one real page; skips (or fails under CI=true) when the folder is absent."""
    folder = shared_fixtures()
    path = folder / relative
    if not path.is_file():
        reason = (
            f"real page {relative} not found under {folder} (../shared is not beside this checkout)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def real_page(relative: str, url: str) -> Page:
    """A real page decoded exactly as the crawler decodes it."""
    return Page.from_bytes(url, real_page_path(relative).read_bytes())
