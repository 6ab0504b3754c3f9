"""Misbehaving servers: find the faults Scrapy hides, and name every fault for the report.

Scrapy survives most hostile servers on its own (timeouts, resets, oversized pages, retries
of 5xx) but reports them as exception names, and it hides two:

- **Redirect loops.** ``A → B → A`` and a page redirecting to itself never reach
  ``REDIRECT_MAX_TIMES``: the redirect back to an address already fetched is dropped by the
  duplicate filter without a word, so the page vanishes from the health report.
  :class:`RedirectLoopMiddleware` (order 610, just before Scrapy's redirect middleware at
  600 on the way back) stops the chain when it comes back to an address it has visited.
- **Truncated compressed bodies.** Scrapy's gunzip returns whatever decompressed before the
  stream broke off, silently. :class:`CompressionCheckMiddleware` (order 595, before the
  decompression at 590) checks that a gzip / deflate stream ends; when it does not, the page
  is still used (what parsed is kept) and the page record says it was truncated.

:func:`classify_failure` turns a failed request into the page record's status and reason,
one fault kind per cause (see :data:`leadharvest.report.FAULT_KINDS`).
"""

from __future__ import annotations

import logging
import re
import zlib
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url, safe_url_string

from leadharvest.report import fault_reason

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
FAULT_META = "lh_fault"
"""Request meta key: a fault found in a page that was still used (its reason text)."""
BYTES_META = "lh_bytes"
"""Request meta key: body bytes received so far."""


def _inc(crawler: Crawler | None, key: str) -> None:
    if crawler is not None and crawler.stats is not None:
        crawler.stats.inc_value(key)


# -- redirect loops ---------------------------------------------------------------------------
class RedirectLoopMiddleware:
    """Stops a redirect chain that comes back to an address it already visited."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_STATUSES or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = safe_url_string(response.urljoin(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        seen = {canonicalize_url(url) for url in chain}
        if canonicalize_url(target) not in seen:
            return response
        logger.info("redirect loop: %s", " → ".join([*chain, target]))
        _inc(self.crawler, "leadharvest/faults/redirect_loop")
        raise IgnoreRequest(fault_reason("redirect_loop", "back to an earlier address"))


# -- truncated compressed bodies ------------------------------------------------------------
def compressed_stream_ends(body: bytes, encoding: bytes) -> bool | None:
    """Whether a gzip / deflate body is a complete stream; None for other encodings.

    The output is thrown away a chunk at a time, so checking a large body costs time, not
    memory; a body that is not even valid at its start is complete as far as this check
    goes (Scrapy's own decompression reports it).
    """
    if encoding in {b"gzip", b"x-gzip"}:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == b"deflate":
        raw = body[:1] and (body[0] & 0x0F) != 8  # no zlib header: raw deflate
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    else:
        return None
    try:
        decompressor.decompress(body, 65536)
        while decompressor.unconsumed_tail and not decompressor.eof:
            decompressor.decompress(decompressor.unconsumed_tail, 65536)
    except zlib.error:
        return True
    return decompressor.eof


class BodyCheckMiddleware:
    """Counts the bytes each download received, and marks a gzip / deflate body cut short.

    The count (``request.meta["lh_bytes"]``) is how a page cut off at ``DOWNLOAD_MAXSIZE``
    is told from any other cancelled download: without a Content-Length, Scrapy cancels it
    with an empty message. A truncated compressed page is still used (what decompressed is
    kept), and its page record says so.
    """

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        if crawler is not None:
            crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @staticmethod
    def bytes_received(data: bytes, request: Request, spider: object = None) -> None:
        request.meta[BYTES_META] = request.meta.get(BYTES_META, 0) + len(data)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BodyCheckMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        encodings = response.headers.getlist(b"Content-Encoding")
        if len(encodings) != 1 or not response.body or request.method == "HEAD":
            return response
        encoding = encodings[0].strip().lower()
        if compressed_stream_ends(response.body, encoding) is False:
            name = encoding.decode("latin-1")
            logger.warning("%s: the %s body stops short; using what decompresses", request, name)
            _inc(self.crawler, "leadharvest/faults/truncated_body")
            request.meta[FAULT_META] = fault_reason(
                "bad_encoding", f"truncated {name} body, partial page used"
            )
        return response


# -- failed requests ----------------------------------------------------------------------
RETRIED_META = "lh_retried"
"""Request meta: fault reasons of earlier attempts that a retry went past."""


class RetriedFaultMiddleware:
    """Remembers the faults a retry overcame, so the health report counts them too.

    A site that answered 429 or 503 twice before serving the page still rate-limited the
    job, and a trainee planning the next crawl should see it. At order 570 this runs before
    Retry-After (560) and Scrapy's retry (550) on the way back, so the reason is on the
    request they copy for the retry; the page's record then says
    ``rate-limited: HTTP 429, recovered after 2 retries``. A request that finally fails is
    reported by its last failure as before.
    """

    def __init__(self, codes: set[int]) -> None:
        self.codes = codes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetriedFaultMiddleware:
        codes = {int(c) for c in crawler.settings.getlist("RETRY_HTTP_CODES")} | {429}
        return cls(codes)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in self.codes:
            key = "rate_limited" if response.status == 429 else "server_error"
            _remember(request, fault_reason(key, f"HTTP {response.status}"))
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        classified = classify_failure(Failure(exception), request)  # type: ignore[no-untyped-call]
        if classified is not None:
            _remember(request, classified[2])


def _remember(request: Request, reason: str) -> None:
    request.meta[RETRIED_META] = [*request.meta.get(RETRIED_META, []), reason]


def recovered_reason(meta: dict[str, object]) -> str:
    """``<first fault>, recovered after N retries`` for a page that came after retries."""
    seen = meta.get(RETRIED_META)
    if not isinstance(seen, list) or not seen:
        return ""
    count = len(seen)
    return f"{seen[0]}, recovered after {count} {'retry' if count == 1 else 'retries'}"


def classify_failure(
    failure: Failure, request: Request, *, maxsize: int = 0
) -> tuple[str, int, str] | None:
    """``(status, http_status, reason)`` for a failure caused by the server, or None.

    None leaves the failure to the caller (robots.txt, a replay archive's missing page, an
    HTTP error that is a block page). ``maxsize`` is the job's ``DOWNLOAD_MAXSIZE``.
    """
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status == 429:
            return "blocked", status, fault_reason("rate_limited", "HTTP 429")
        if status >= 500:
            return "error", status, fault_reason("server_error", f"HTTP {status}")
        return None
    if isinstance(exc, DownloadTimeoutError | TxTimeoutError | TCPTimedOutError):
        timeout = request.meta.get("download_timeout")
        detail = f"no answer within {timeout:g} s" if isinstance(timeout, int | float) else ""
        return "error", 0, fault_reason("timeout", detail)
    if isinstance(exc, DownloadCancelledError):
        maxsize = int(request.meta.get("download_maxsize") or _maxsize_in(str(exc)) or maxsize)
        received = int(request.meta.get(BYTES_META, 0))
        if maxsize and ("max size" in str(exc) or received > maxsize):
            return "error", 0, fault_reason("too_large", f"over {maxsize:,} bytes")
        return None
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if text.startswith(fault_reason("redirect_loop")):
            return "error", 0, text
        if "max redirections" in text:
            times = request.meta.get("redirect_times", 0)
            limit = int(request.meta.get("redirect_ttl", 0)) + int(times)
            return "error", 0, fault_reason("redirect_loop", f"more than {limit} redirects")
        if "DOWNLOAD_MAXSIZE" in text:
            maxsize = int(request.meta.get("download_maxsize") or _maxsize_in(text) or maxsize)
            return "error", 0, fault_reason("too_large", f"over {maxsize:,} bytes")
        return None
    if isinstance(exc, ResponseDataLossError):
        return "error", 0, fault_reason("connection_reset", "page cut short")
    if isinstance(exc, DownloadConnectionRefusedError | ConnectionRefusedError):
        return "error", 0, fault_reason("connection_refused")
    if isinstance(exc, CannotResolveHostError | DNSLookupError):
        return "error", 0, fault_reason("host_not_found")
    if isinstance(exc, DownloadFailedError | ConnectionLost | ConnectionDone | ConnectError):
        return "error", 0, fault_reason("connection_reset", "before the page arrived")
    if isinstance(exc, EOFError | zlib.error) or type(exc).__name__ == "BadGzipFile":
        return "error", 0, fault_reason("bad_encoding", "compressed body cannot be read")
    return None


def _maxsize_in(text: str) -> int:
    """The max size Scrapy names in its message ("... max size (5000000) ..."), else 0."""
    found = re.search(r"max(?:imum)? size \((\d+)", text) or re.search(
        r"DOWNLOAD_MAXSIZE \((\d+)", text
    )
    return int(found.group(1)) if found else 0
