"""A loopback test web of many small company sites, for the distributed-crawl tests and
``benchmarks/scale.py``.

``SITES`` sites named ``shop-NNN.example``, each a home page linking to three contact pages
(4 pages, the default pages-per-site budget); every page names the same business, so each
site is one lead. One ``ThreadingHTTPServer`` on 127.0.0.1 serves them all as an HTTP proxy
(crawlers get ``http_proxy`` pointing at it), so the hosts need no DNS and nothing leaves
the machine. Each page answers after ``delay`` seconds; every answered page is logged.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CONTACT_PAGES = ("contact.html", "about.html", "lianxi.html")


def host(n: int) -> str:
    return f"shop-{n:03d}.example"


def business(n: int) -> str:
    return f"Shop {n:03d} Camera Supplies Pty Ltd"


def phone(n: int) -> str:
    return f"+61 2 9{n:03d} {1000 + n:04d}"


def site_urls(n: int) -> list[str]:
    return [f"http://{host(n)}/"] + [f"http://{host(n)}/{p}" for p in CONTACT_PAGES]


def page_html(n: int, path: str) -> bytes:
    links = "".join(
        f'<li><a href="/{p}">{label}</a></li>'
        for p, label in zip(CONTACT_PAGES, ("Contact us", "About us", "联系我们"), strict=True)
    )
    title = {"/": "Home"}.get(path, path.strip("/").split(".")[0].title())
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>{business(n)} - {title}</title></head><body>
<h1>{business(n)}</h1>
<p>Digital camera wholesale and repairs since 19{n % 90 + 10:02d}.</p>
<ul>{links}</ul>
<div class="contact">
<p>Phone: {phone(n)}</p>
<p>Email: <a href="mailto:sales@{host(n)}">sales@{host(n)}</a></p>
<p>Address: {n} George Street, Sydney NSW 2000, Australia</p>
</div></body></html>""".encode()


@dataclass
class Site:
    sites: int
    delay: float
    port: int = 0
    log: list[str] = field(default_factory=list)
    """Every page answered (``host/path``), robots.txt aside, in order."""
    stamps: list[float] = field(default_factory=list)
    """When each of them was answered (``time.time()``)."""

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_urls(self) -> list[str]:
        return [f"http://{host(n)}/" for n in range(self.sites)]

    def pages(self) -> list[str]:
        return [url for n in range(self.sites) for url in site_urls(n)]

    def fetch_counts(self) -> Counter[str]:
        return Counter(self.log)


@contextmanager
def serve(sites: int, delay: float) -> Iterator[Site]:
    site = Site(sites=sites, delay=delay)
    lock = threading.Lock()
    known = {urlsplit(u).netloc: n for n in range(sites) for u in site_urls(n)[:1]}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            netloc = parts.netloc or self.headers.get("Host", "")
            n = known.get(netloc)
            path = parts.path or "/"
            if n is None or (path != "/" and path.strip("/") not in CONTACT_PAGES):
                self._send(404, b"not found", "text/plain")
                return
            time.sleep(site.delay)
            self._send(200, page_html(n, path), "text/html; charset=utf-8")
            with lock:
                site.log.append(f"http://{netloc}{path}")
                site.stamps.append(time.time())

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            return  # a killed crawler drops its connections: expected here

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
