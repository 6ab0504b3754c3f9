"""Links on a company page: its contact / about / 联系我们 pages and its social profiles."""

from __future__ import annotations

import re
from urllib.parse import unquote, urldefrag, urlsplit

from enrich.domain import registered_domain
from spiders.pages.base import Link, Page, clean_text
from spiders.pages.labels import words

CONTACT_WORDS: tuple[tuple[str, int], ...] = (
    (
        r"联系我们|聯繫我們|联系方式|聯繫方式|contact[\s_-]*us|kontakt|contacto|contato|contatti|impressum",
        10,
    ),
    (r"contact|lxwm|lianxi|get[\s_-]*in[\s_-]*touch|联系|聯繫", 8),
    (
        r"关于我们|關於我們|公司简介|公司簡介|企业简介|公司介绍|company[\s_-]*profile|about[\s_-]*us",
        6,
    ),
    (
        r"about|gsjj|guanyu|gywm|profile|who[\s_-]*we[\s_-]*are|company[\s_-]*info|find[\s_-]*us|location",
        4,
    ),
)
SOCIAL_HOSTS = tuple(
    words(
        """
        facebook.com linkedin.com twitter.com x.com instagram.com youtube.com weibo.com
        pinterest.com tiktok.com xing.com vk.com
        """
    )
)


def _score(text: str) -> int:
    for pattern, score in CONTACT_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return score
    return 0


def _path_score(url: str) -> int:
    """Score of the URL's own words: a path segment that starts with contact / about / lxwm."""
    parts = urlsplit(url)
    segments = [*unquote(parts.path).split("/"), *re.split(r"[&=]", unquote(parts.query))]
    best = 0
    for segment in segments:
        for pattern, score in CONTACT_WORDS:
            if re.match(rf"(?:{pattern})", segment, re.IGNORECASE):
                best = max(best, score - 1)
    return best


def _same_page(a: str, b: str) -> bool:
    def norm(url: str) -> str:
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        return f"{host}{parts.path.rstrip('/')}?{parts.query}".lower()

    return norm(a) == norm(b)


def site_domain(url: str) -> str:
    """The registered domain of ``url``; its host when it has none (``localhost``, an IP)."""
    return registered_domain(url) or (urlsplit(url).hostname or "").lower()


def contact_links(page: Page, limit: int = 5) -> list[Link]:
    """Same-site links that look like contact / about pages, best first."""
    own = site_domain(page.url) or site_domain(page.base_url)
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for order, a in enumerate(page.selector.xpath("//a[@href] | //area[@href]")):
        href = (a.attrib.get("href") or "").strip()
        if not href or re.match(r"(?:mailto|tel|javascript|callto|sms|data):|#", href, re.I):
            continue
        url = urldefrag(page.urljoin(href))[0]
        if not url.startswith(("http://", "https://")):
            continue
        if own and site_domain(url) != own:
            continue
        if _same_page(url, page.url) or url in seen:
            continue
        label = " ".join(
            [*a.xpath(".//text()").getall(), a.attrib.get("title", ""), a.attrib.get("alt", "")]
        )
        score = max(_score(clean_text(label)), _path_score(url))
        if score:
            seen.add(url)
            scored.append((-score, order, url))
    scored.sort()
    return [Link(url=url, kind="contact") for _, _, url in scored[:limit]]


def social_links(page: Page) -> list[str]:
    """The business's own social profiles (not share buttons)."""
    out: list[str] = []
    for href in page.selector.xpath("//a/@href").getall():
        url = page.urljoin(href)
        host = (urlsplit(url).hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS):
            continue
        if re.search(r"share|sharer|intent/|/plugins/|dialog/|login", url, re.I):
            continue
        if urlsplit(url).path.strip("/") and url not in out:
            out.append(url)
    return out


def site_home(page: Page) -> str:
    """``scheme://host/`` of the site the page belongs to."""
    for url in (page.url, page.base_url):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return f"{parts.scheme}://{parts.netloc.lower()}/"
    return ""
