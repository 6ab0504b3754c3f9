"""Websites and registered domains.

The registered domain (``brightlens-optics.com.cn`` for ``https://www.brightlens-optics.com.cn``)
is the strongest "same business" key dedupe has, so it must be computed the same way everywhere
and never touch the network: tldextract runs on its bundled Public Suffix List snapshot.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract

RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})
"""RFC 2606/6761 names: not in the suffix list, but the practice web lives under ``.example``."""

TRACKING_PARAMS = frozenset(
    {
        "gclid",
        "gclsrc",
        "dclid",
        "fbclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "spm",
        "scm",
        "from",
        "ref",
        "ref_src",
        "share_from",
        "trk",
        "bd_vid",
        "_ga",
        "_gl",
    }
)
"""Query parameters that say how a visitor arrived, not which page it is."""

_HOSTLIKE_RE = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$|\?)", re.UNICODE)


@cache
def _extractor() -> tldextract.TLDExtract:
    """One offline extractor: no suffix-list download, no disk cache, bundled snapshot only."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _host_of(url_or_host: str) -> str:
    text = unicodedata.normalize("NFKC", url_or_host).strip().strip(".")
    if not text:
        return ""
    if "://" in text or text.startswith("//"):
        host = urlsplit(text if "://" in text else "http:" + text).hostname or ""
    else:
        if "@" in text:  # an e-mail address or user@host
            text = text.rsplit("@", 1)[1]
        host = re.split(r"[/?#]", text, maxsplit=1)[0]
        if host.startswith("[") or host.count(":") > 1:  # IPv6 literal
            host = host.strip("[]")
        else:
            host = host.split(":", 1)[0]
    return host.strip(".").lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def registered_domain(url_or_host: str) -> str:
    """The domain a business registered (``foo.co.uk``), from a URL, host or e-mail address.

    Reserved TLDs (``.example``, ``.test`` …) give their last two labels, because the suffix
    list does not know them and the practice web uses them. IPs, bare names and junk give "".
    """
    return _registered_domain_of_host(_host_of(url_or_host))


@functools.lru_cache(maxsize=65536)
def _registered_domain_of_host(host: str) -> str:
    # cached per host: a listing page asks about the same few hosts thousands of times
    if not host or _is_ip(host):
        return ""
    labels = host.split(".")
    if labels[-1] in RESERVED_TLDS:
        return ".".join(labels[-2:]) if len(labels) >= 2 else ""
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return ""
    return f"{parts.domain}.{parts.suffix}"


def public_suffix(host: str) -> str:
    """The public suffix of ``host`` (``com.cn``), "" when the suffix list does not know it."""
    return str(_extractor()(host.lower()).suffix)


def normalise_website(url: str) -> str:
    """``scheme://host/path?query`` with tracking parameters, fragment, port 80/443 removed.

    A bare ``www.foo.com`` (as directories print it) is taken as http. Anything that is not
    http(s) — ``mailto:``, ``javascript:``, a phone number — gives "", so it never becomes a
    website or a domain.
    """
    text = unicodedata.normalize("NFKC", url or "").strip()
    if not text:
        return ""
    if text.startswith("//"):
        text = "http:" + text
    elif "://" not in text:
        if not _HOSTLIKE_RE.match(text):
            return ""
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").strip(".").lower()
    if scheme not in ("http", "https") or not host:
        return ""
    if "." not in host and not _is_ip(host) and host != "localhost":
        return ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    path = parts.path if parts.path != "/" else ""
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))
