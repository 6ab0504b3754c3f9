"""JavaScript rendering with scrapy-playwright, for sources whose TOML says ``render = true``.

A request is rendered when ``request.meta["playwright"]`` is True (``LeadSpider.request``
sets it from the source's ``render`` key); every other request goes through Scrapy's own
HTTP handler even when the browser is wired in. :func:`spiders.settings.render_settings`
adds the playwright download handlers only for jobs that have a render source, so a plain
job never starts a browser.

The browser is Debian's Chromium (Playwright cannot download its own builds here). Pages
only need their HTML and scripts: :func:`abort_heavy_request` drops images, media and
fonts, which keeps memory flat and spares the site the bandwidth.
"""

from __future__ import annotations

from typing import Any

HEAVY_RESOURCES = frozenset({"image", "media", "font"})


def abort_heavy_request(request: Any) -> bool:
    """``PLAYWRIGHT_ABORT_REQUEST``: True for sub-resources a lead page never needs."""
    return str(getattr(request, "resource_type", "")) in HEAVY_RESOURCES


def is_rendered(meta: dict[str, Any]) -> bool:
    """Whether a request with this meta goes through the browser."""
    return meta.get("playwright") is True
