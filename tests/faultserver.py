"""A hostile web on loopback: one small site per fault, each on its own 127.0.0.N address.

Tests start it in threads (:class:`FaultWeb`) and crawl it with the real runner. Every site
is a business (so the crawl has leads to find) that misbehaves in one way; the index on
127.0.0.1 is a directory listing them all, so one start URL reaches every fault:

========== ===============================================================================
site       what ``/`` does
========== ===============================================================================
harbour    an honest company: home page and a contact page with a named person
northwind  an honest company on one page
busy       429 with ``Retry-After: 1`` once, then the home page; its contact page answers
           429 once with ``Retry-After`` as an HTTP date (``Date`` + 2 s)
ratelimit  429 with ``Retry-After: 1`` every time
flaky      503 twice, then the home page
down       503 every time
reset      the connection is reset in the middle of the headers
cutoff     headers (Content-Length 20000), 2000 bytes of body, then a reset
slow       answers after ``slow_seconds`` (longer than the job's download timeout)
big        a 50 MB page with its Content-Length, streamed
bigstream  a 50 MB page without a Content-Length (ends when the connection closes)
calendar   an events calendar: every month links the next month and day pages
           (``?date=``), forever
loop       ``/`` → ``/loop/b`` → ``/`` (A → B → A)
selfloop   ``/`` → ``/`` (a redirect to itself)
hops       ``/`` → ``/hop/1`` → ``/hop/2`` → … (never ends)
latin1     says ``charset=ISO-8859-1`` in the header; the body is GBK with ``<meta charset=gbk>``
utf8gb     says ``charset=utf-8`` in the header; the body is GB2312 with no meta tag
gzip       ``Content-Encoding: gzip`` whose stream is cut short (Content-Length matches
           the cut, so only the decompression can tell)
========== ===============================================================================

Every request is logged (:class:`Hit`): site, path, when it started and ended on the
monotonic clock (the crawl process uses the same clock), the status sent and the body bytes
the server managed to write before the client hung up.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

BIG_BYTES = 50 * 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Company:
    """The business a site belongs to; the contact details only its own pages show."""

    name: str
    phone: str
    email: str
    person: str = ""
    address: str = ""


COMPANIES: dict[str, Company] = {
    "harbour": Company(
        "Harbour Lens Trading Ltd",
        "+61 2 5550 1101",
        "orders@harbour-lens.example",
        "Olivia Grant, Sales Manager",
        "12 Wharf Road, Sydney NSW 2000",
    ),
    "northwind": Company(
        "Northwind Camera Supply Co.",
        "+61 3 5550 1102",
        "hello@northwind-camera.example",
    ),
    "busy": Company("Busy Bee Cameras Pty Ltd", "+61 7 5550 1103", "shop@busybee.example"),
    "ratelimit": Company("Throttle Optics Pty Ltd", "+61 8 5550 1104", "info@throttle.example"),
    "flaky": Company("Flaky Flash Photo Ltd", "+61 2 5550 1105", "sales@flakyflash.example"),
    "down": Company("Downtime Digital Ltd", "+61 2 5550 1106", "info@downtime.example"),
    "reset": Company("Reset Imaging Ltd", "+61 2 5550 1107", "info@reset-imaging.example"),
    "cutoff": Company("Cutoff Camera Co Ltd", "+61 2 5550 1108", "info@cutoff.example"),
    "slow": Company("Slowpoke Lenses Ltd", "+61 2 5550 1109", "info@slowpoke.example"),
    "big": Company("Bigframe Photo Ltd", "+61 2 5550 1110", "info@bigframe.example"),
    "bigstream": Company("Endless Reel Ltd", "+61 2 5550 1111", "info@endless-reel.example"),
    "calendar": Company("Camera Expo Events Ltd", "+61 2 5550 1112", "expo@camera-expo.example"),
    "loop": Company("Roundabout Optics Ltd", "+61 2 5550 1113", "info@roundabout.example"),
    "selfloop": Company("Mirror Mirror Cameras Ltd", "+61 2 5550 1114", "info@mirror.example"),
    "hops": Company("Hopscotch Photo Ltd", "+61 2 5550 1115", "info@hopscotch.example"),
    "latin1": Company(
        "深圳市华信数码科技有限公司",
        "0755-2555 0101",
        "sales@huaxin-digital.example",
        "王经理",
        "深圳市南山区科技园南区十二栋",
    ),
    "utf8gb": Company(
        "广州市光明摄影器材有限公司",
        "020-8555 0102",
        "info@guangming-photo.example",
        "李小姐",
        "广州市天河区体育西路八号",
    ),
    "gzip": Company("Gzip Gadgets Ltd", "+61 2 5550 1116", "info@gzip-gadgets.example"),
}
SITES = ("index", *COMPANIES)
"""Site names in address order: index is 127.0.0.1, the next 127.0.0.2, and so on."""


@dataclass
class Hit:
    site: str
    path: str
    start: float
    end: float = 0.0
    answered: float = 0.0
    """When the server began writing its answer; the client cannot have it any earlier.

    ``end`` is taken after the handler returns, which on a loaded machine can come after the
    client has already read the response, so waits are measured from here, not from ``end``.
    """
    status: int = 0
    sent: int = 0
    """Body bytes written before the response ended or the client hung up."""


def company_page(company: Company, *, contact_link: str = "", lang: str = "en") -> str:
    """A company's own page: its name, what it sells and how to reach it."""
    zh = lang == "zh"
    lines = [
        f"<h1>{company.name}</h1>",
        "<p>"
        + (
            "我们是数码相机、镜头和摄影器材的批发商，欢迎各地经销商来电洽谈合作。"
            if zh
            else "Wholesale distributor of digital cameras, lenses and photo accessories."
        )
        + "</p>",
        "<div class='contact'>",
        f"<p>{'电话' if zh else 'Phone'}: {company.phone}</p>",
        f"<p>{'邮箱' if zh else 'Email'}: <a href='mailto:{company.email}'>{company.email}</a></p>",
    ]
    if company.person:
        lines.append(f"<p>{'联系人' if zh else 'Contact'}: {company.person}</p>")
    if company.address:
        lines.append(f"<p>{'地址' if zh else 'Address'}: {company.address}</p>")
    lines.append("</div>")
    if contact_link:
        lines.append(f"<p><a href='{contact_link}'>{'联系我们' if zh else 'Contact us'}</a></p>")
    return "\n".join(lines)


def html(title: str, body: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body>{body}<footer><p>&copy; 2026 {title}</p></footer></body></html>"
    )


class FaultWeb:
    """The hostile web: start it, read ``urls`` and ``hits``, stop it."""

    def __init__(self, *, slow_seconds: float = 4.0) -> None:
        self.slow_seconds = slow_seconds
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str], int] = {}
        self.stopping = threading.Event()
        self.servers: list[ThreadingHTTPServer] = []
        self.urls: dict[str, str] = {}
        """Site name → base URL (``http://127.0.0.N:PORT``), no trailing slash."""

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> FaultWeb:
        for n, site in enumerate(SITES, start=1):
            server = ThreadingHTTPServer((f"127.0.0.{n}", 0), self._handler(site))
            server.daemon_threads = True
            server.block_on_close = False  # a slow or streaming handler must not hold close
            self.servers.append(server)
            self.urls[site] = f"http://127.0.0.{n}:{server.server_address[1]}"
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        # each shutdown waits up to serve_forever's 0.5 s poll: wait for all of them at once
        stoppers = [threading.Thread(target=server.shutdown) for server in self.servers]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        for server in self.servers:
            server.server_close()

    def __enter__(self) -> FaultWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the log -----------------------------------------------------------------------------
    def site_hits(self, site: str, prefix: str = "") -> list[Hit]:
        """Requests to one site (robots.txt left out), in the order they arrived."""
        with self.lock:
            return [
                h
                for h in self.hits
                if h.site == site and h.path != "/robots.txt" and h.path.startswith(prefix)
            ]

    def _count(self, site: str, path: str) -> int:
        """How many times this path has been asked for, this time included."""
        with self.lock:
            n = self.counts.get((site, path), 0) + 1
            self.counts[(site, path)] = n
            return n

    # -- the sites ---------------------------------------------------------------------------
    def _handler(self, site: str) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "FaultWeb/1.0"
            sys_version = ""
            site_name: ClassVar[str] = site

            def do_GET(self) -> None:
                hit = Hit(site, self.path, time.monotonic())
                with web.lock:
                    web.hits.append(hit)
                try:
                    web.serve(self, hit)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
                    pass  # the client hung up: that is what several sites are for
                finally:
                    hit.end = time.monotonic()

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def serve(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        path = urlsplit(h.path).path
        if path == "/robots.txt":
            self.send(h, hit, 200, b"User-agent: *\nDisallow:\n", "text/plain")
            return
        if hit.site == "index":
            self.send(h, hit, 200, self.index().encode("utf-8"))
            return
        handler: Callable[[BaseHTTPRequestHandler, Hit], None] = getattr(self, f"site_{hit.site}")
        handler(h, hit)

    def send(
        self,
        h: BaseHTTPRequestHandler,
        hit: Hit,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        hit.status = status
        hit.answered = time.monotonic()
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
        hit.sent = len(body)

    def home(self, site: str, **kwargs: Any) -> bytes:
        company = COMPANIES[site]
        return html(company.name, company_page(company, **kwargs)).encode("utf-8")

    def index(self) -> str:
        cards = "\n".join(
            f"<div class='listing'><h3>{c.name}</h3><p>Phone: {c.phone}</p>"
            f"<p>Camera wholesale supplier</p>"
            f"<p>Website: <a href='{self.urls[site]}{ENTRY.get(site, '/')}'>"
            f"{self.urls[site]}</a></p></div>"
            for site, c in COMPANIES.items()
        )
        return html(
            "Hostile Web Camera Directory",
            "<h1>Camera wholesalers directory</h1>" + cards,
        )

    @staticmethod
    def _reset(h: BaseHTTPRequestHandler) -> None:
        """Close with a TCP reset (SO_LINGER 0), not an orderly FIN."""
        h.wfile.flush()
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    # one method per site -------------------------------------------------------------------
    def site_harbour(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        company = COMPANIES["harbour"]
        if urlsplit(h.path).path == "/contact.html":
            body = html(company.name, company_page(company)).encode("utf-8")
        else:
            teaser = (
                f"<h1>{company.name}</h1><p>Wholesale digital cameras and lenses.</p>"
                "<p><a href='/contact.html'>Contact us</a></p>"
            )
            body = html(company.name, teaser).encode("utf-8")
        self.send(h, hit, 200, body)

    def site_northwind(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 200, self.home("northwind"))

    def site_busy(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        path = urlsplit(h.path).path
        n = self._count("busy", path)
        if path == "/contact.html":
            if n == 1:
                now = int(time.time())
                headers = {"Retry-After": formatdate(now + 2, usegmt=True)}
                h.date_time_string = lambda timestamp=None: formatdate(now, usegmt=True)  # type: ignore[method-assign]
                self.send(
                    h, hit, 429, b"<html><body>Too Many Requests</body></html>", headers=headers
                )
                return
            self.send(h, hit, 200, self.home("busy"))
            return
        if n == 1:
            headers = {"Retry-After": "1"}
            self.send(h, hit, 429, b"<html><body>Too Many Requests</body></html>", headers=headers)
            return
        company = COMPANIES["busy"]
        teaser = (
            f"<h1>{company.name}</h1><p>Cameras for every budget.</p>"
            "<p><a href='/contact.html'>Contact us</a></p>"
        )
        self.send(h, hit, 200, html(company.name, teaser).encode("utf-8"))

    def site_ratelimit(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        body = b"<html><body>Too Many Requests</body></html>"
        self.send(h, hit, 429, body, headers={"Retry-After": "1"})

    def site_flaky(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        if self._count("flaky", urlsplit(h.path).path) <= 2:
            self.send(h, hit, 503, b"<html><body>Service Unavailable</body></html>")
            return
        self.send(h, hit, 200, self.home("flaky"))

    def site_down(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 503, b"<html><body>Service Unavailable</body></html>")

    def site_reset(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        hit.status = -1
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")
        self._reset(h)

    def site_cutoff(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        hit.status = 200
        body = self.home("cutoff").ljust(20000, b" ")
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[:2000])
        hit.sent = 2000
        self._reset(h)

    def site_slow(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        if self.stopping.wait(self.slow_seconds):
            return
        self.send(h, hit, 200, self.home("slow"))

    def _stream(self, h: BaseHTTPRequestHandler, hit: Hit, *, length: bool) -> None:
        hit.status = 200
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if length:
            h.send_header("Content-Length", str(BIG_BYTES))
        h.end_headers()
        head = self.home("big" if length else "bigstream")[: -len(b"</body></html>")]
        filler = b"<p>" + b"camera " * (CHUNK // 7 - 1) + b"</p>\n"
        h.wfile.write(head)
        hit.sent = len(head)
        while hit.sent < BIG_BYTES and not self.stopping.is_set():
            piece = filler[: BIG_BYTES - hit.sent]
            h.wfile.write(piece)
            hit.sent += len(piece)
        h.close_connection = True

    def site_big(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self._stream(h, hit, length=True)

    def site_bigstream(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        h.protocol_version = "HTTP/1.0"  # the body ends when the connection closes
        self._stream(h, hit, length=False)

    def site_calendar(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        parts = urlsplit(h.path)
        date = parse_qs(parts.query).get("date", [""])[0]
        segments = [s for s in parts.path.split("/") if s]
        if date:
            year, month, day = (int(x) for x in date.split("-"))
        elif len(segments) == 3 and segments[0] == "calendar":
            year, month, day = int(segments[1]), int(segments[2]), 1
        else:
            self.send(h, hit, 302, b"", headers={"Location": "/calendar/2026/11"})
            return
        self.send(h, hit, 200, calendar_page(year, month, day, by_day=bool(date)).encode("utf-8"))

    def site_loop(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        target = "/loop/b" if urlsplit(h.path).path == "/" else "/"
        self.send(h, hit, 302, b"", headers={"Location": target})

    def site_selfloop(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 302, b"", headers={"Location": urlsplit(h.path).path})

    def site_hops(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        path = urlsplit(h.path).path
        n = int(path.rsplit("/", 1)[1]) if path.startswith("/hop/") else 0
        self.send(h, hit, 302, b"", headers={"Location": f"/hop/{n + 1}"})

    def site_latin1(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 200, latin1_gbk_page(), "text/html; charset=ISO-8859-1")

    def site_utf8gb(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 200, utf8_gb2312_page(), "text/html; charset=utf-8")

    def site_gzip(self, h: BaseHTTPRequestHandler, hit: Hit) -> None:
        self.send(h, hit, 200, truncated_gzip_page(), headers={"Content-Encoding": "gzip"})


ENTRY = {"calendar": "/calendar/2026/11"}
"""Where the directory's link into a site points, when not at ``/``."""


def calendar_page(year: int, month: int, day: int, *, by_day: bool) -> str:
    """One page of the endless calendar: three exhibitors, each card linking a day page.

    Month pages link the next month (``rel=next``); day pages the next day. The day cards
    link other days, so the crawl fans out: a trap without a page budget.
    """

    def iso(y: int, m: int, d: int) -> str:
        return f"{y:04d}-{m:02d}-{d:02d}"

    def shift(y: int, m: int, d: int, days: int) -> tuple[int, int, int]:
        ordinal = (d - 1) + days
        m += ordinal // 28
        d = ordinal % 28 + 1
        y += (m - 1) // 12
        m = (m - 1) % 12 + 1
        return y, m, d

    cards = []
    for i, days in enumerate((1, 7, 14), start=1):
        target = iso(*shift(year, month, day, days))
        name = f"Expo Exhibitor {iso(year, month, day)} No {i} Ltd"
        phone = f"+61 2 5{month:02d}{day:02d} {i}{year % 100:02d}"
        cards.append(
            f"<div class='event'><h3>{name}</h3><p>Phone: {phone}</p>"
            f"<p>Camera trade show booth {i}</p>"
            f"<a href='/calendar?date={target}'>Details</a></div>"
        )
    if by_day:
        nxt = f"/calendar?date={iso(*shift(year, month, day, 1))}"
        title = f"Events on {iso(year, month, day)}"
    else:
        y, m = (year + 1, 1) if month == 12 else (year, month + 1)
        nxt = f"/calendar/{y}/{m}"
        title = f"Events in {year}-{month:02d}"
    body = f"<h1>{title}</h1>" + "".join(cards) + f"<p><a rel='next' href='{nxt}'>Next »</a></p>"
    return html(f"Camera Expo Calendar: {title}", body)


def latin1_gbk_page() -> bytes:
    """GBK bytes under a ``charset=ISO-8859-1`` header, with an honest ``<meta>``."""
    company = COMPANIES["latin1"]
    page = html(
        company.name,
        company_page(company, lang="zh"),
        head="<meta http-equiv='Content-Type' content='text/html; charset=gbk'>",
    )
    return page.encode("gbk")


def utf8_gb2312_page() -> bytes:
    """GB2312 bytes under a ``charset=utf-8`` header and no ``<meta>``: only the bytes tell."""
    company = COMPANIES["utf8gb"]
    return html(company.name, company_page(company, lang="zh")).encode("gb2312")


def truncated_gzip_page() -> bytes:
    """The company page gzipped, then cut: the contacts survive, the end of the page does not."""
    company = COMPANIES["gzip"]
    tail = "".join(f"<p>Catalogue line {n}: compact camera model GZ-{n}</p>" for n in range(400))
    whole = gzip.compress(html(company.name, company_page(company) + tail).encode("utf-8"), mtime=0)
    return whole[: len(whole) * 2 // 3]
