"""Fault detection and naming: redirect loops, truncated gzip, failures, limits, the report.

Unit tests with Scrapy objects; the crawl against a real hostile web is in
``test_hostile_servers.py``.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from leadharvest.items import PageRecord
from leadharvest.report import fault_kind, source_health, translate_reason
from spiders.encoding import decode_html
from spiders.middlewares.faults import (
    BYTES_META,
    FAULT_META,
    BodyCheckMiddleware,
    RedirectLoopMiddleware,
    classify_failure,
    compressed_stream_ends,
)
from spiders.middlewares.limits import LimitsMiddleware


# -- redirect loops ---------------------------------------------------------------------------
def _redirect(request: Request, location: str, status: int = 302) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


def test_a_redirect_back_to_an_earlier_address_is_a_loop() -> None:
    mw = RedirectLoopMiddleware()
    first = Request("https://shop.example/a")
    assert mw.process_response(first, _redirect(first, "/b")).status == 302  # not yet a loop
    second = Request("https://shop.example/b", meta={"redirect_urls": [first.url]})
    with pytest.raises(IgnoreRequest, match=r"^redirect loop: back to an earlier address$"):
        mw.process_response(second, _redirect(second, "https://shop.example/a"))


def test_a_redirect_to_itself_is_a_loop_but_http_to_https_is_not() -> None:
    mw = RedirectLoopMiddleware()
    request = Request("http://shop.example/?b=2&a=1")
    with pytest.raises(IgnoreRequest):
        mw.process_response(request, _redirect(request, "/?a=1&b=2", 301))  # same, reordered
    upgraded = mw.process_response(request, _redirect(request, "https://shop.example/?a=1&b=2"))
    assert upgraded.status == 302
    ok = HtmlResponse(request.url, body=b"<p>fine</p>", request=request)
    assert mw.process_response(request, ok) is ok


# -- truncated compressed bodies ------------------------------------------------------------
PAGE = b"<html><body>" + b"<p>camera wholesale</p>" * 500 + b"</body></html>"


def test_compressed_stream_ends() -> None:
    whole = gzip.compress(PAGE)
    assert compressed_stream_ends(whole, b"gzip") is True
    assert compressed_stream_ends(whole[: len(whole) // 2], b"gzip") is False
    deflated = zlib.compress(PAGE)
    assert compressed_stream_ends(deflated, b"deflate") is True
    assert compressed_stream_ends(deflated[:-10], b"deflate") is False
    raw = zlib.compressobj(wbits=-15)
    raw_deflate = raw.compress(PAGE) + raw.flush()
    assert compressed_stream_ends(raw_deflate, b"deflate") is True
    assert compressed_stream_ends(raw_deflate[:40], b"deflate") is False
    assert compressed_stream_ends(b"not gzip at all", b"gzip") is True  # Scrapy's to report
    assert compressed_stream_ends(PAGE, b"br") is None


def test_a_truncated_gzip_response_is_kept_and_marked() -> None:
    crawler = get_crawler(settings_dict={})
    crawler.stats.open_spider()
    mw = BodyCheckMiddleware(crawler)
    whole_body = gzip.compress(PAGE)
    cut = whole_body[: len(whole_body) // 2]
    request = Request("https://shop.example/")
    response = Response(request.url, body=cut, headers={"Content-Encoding": "gzip"})
    assert mw.process_response(request, response) is response  # the page is still used
    assert request.meta[FAULT_META] == "bad encoding: truncated gzip body, partial page used"
    assert crawler.stats.get_value("leadharvest/faults/truncated_body") == 1
    whole = Request("https://shop.example/whole")
    mw.process_response(whole, response.replace(body=gzip.compress(PAGE)))
    assert FAULT_META not in whole.meta
    mw.bytes_received(b"x" * 10, whole)
    mw.bytes_received(b"x" * 5, whole)
    assert whole.meta[BYTES_META] == 15


# -- failures -------------------------------------------------------------------------------
def _failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        return Failure()


def _http_error(status: int) -> HttpError:
    request = Request("https://shop.example/")
    return HttpError(HtmlResponse(request.url, status=status, body=b"", request=request), "")


@pytest.mark.parametrize(
    ("exc", "meta", "expected"),
    [
        (_http_error(429), {}, ("blocked", 429, "rate-limited: HTTP 429")),
        (_http_error(502), {}, ("error", 502, "server error: HTTP 502")),
        (_http_error(404), {}, None),
        (
            DownloadTimeoutError("took longer"),
            {"download_timeout": 30},
            "timeout: no answer within 30 s",
        ),
        (
            DownloadCancelledError("Expected to receive 9 bytes ... max size (5000000) in request"),
            {},
            "too large: over 5,000,000 bytes",
        ),
        (DownloadCancelledError(""), {BYTES_META: 6_000_000}, "too large: over 5,000,000 bytes"),
        (DownloadCancelledError(""), {BYTES_META: 100}, None),  # cancelled for another reason
        (ResponseDataLossError(), {}, "connection reset: page cut short"),
        (DownloadFailedError("ConnectionLost"), {}, "connection reset: before the page arrived"),
        (
            IgnoreRequest("max redirections reached"),
            {"redirect_times": 10, "redirect_ttl": 0},
            "redirect loop: more than 10 redirects",
        ),
        (
            IgnoreRequest("redirect loop: back to an earlier address"),
            {},
            "redirect loop: back to an earlier address",
        ),
        (IgnoreRequest("robots.txt"), {}, None),
        (EOFError("Compressed file ended"), {}, "bad encoding: compressed body cannot be read"),
        (ValueError("something else"), {}, None),
    ],
)
def test_failures_are_named_by_kind(exc: Exception, meta: dict[str, Any], expected: Any) -> None:
    request = Request("https://shop.example/", meta=meta)
    got = classify_failure(_failure(exc), request, maxsize=5_000_000)
    if expected is None or isinstance(expected, tuple):
        assert got == expected
    else:
        assert got is not None and got[2] == expected


# -- limits ---------------------------------------------------------------------------------
def _limits(**settings: Any) -> LimitsMiddleware:
    crawler = get_crawler(settings_dict={"DEPTH_LIMIT": 2, **settings})
    crawler.stats.open_spider()
    return LimitsMiddleware.from_crawler(crawler)


def _page(url: str, depth: int) -> HtmlResponse:
    return HtmlResponse(url, body=b"", request=Request(url, meta={"depth": depth}))


def test_the_page_budget_counts_distinct_pages_per_site_and_records_the_stop_once() -> None:
    mw = _limits(LEADHARVEST_MAX_PAGES_PER_SITE=3)
    home = _page("https://trap.example/", 0)
    links = [Request(f"https://trap.example/day/{n}") for n in (1, 1, 2, 3, 4, 5)]
    links.append(Request("https://www.trap.example/day/9"))  # the same registered domain
    links.append(Request("https://other.example/"))  # another site has its own budget
    out = list(mw.process_spider_output(home, links))
    followed = [o.url for o in out if isinstance(o, Request)]
    assert followed == [
        "https://trap.example/day/1",
        "https://trap.example/day/1",  # a repeat is the duplicate filter's business
        "https://trap.example/day/2",
        "https://trap.example/day/3",
        "https://other.example/",
    ]
    records = [o for o in out if isinstance(o, PageRecord)]
    assert [(r.url, r.status, r.reason) for r in records] == [
        (
            "https://trap.example/day/4",
            "limit",
            "limit reached: page budget of 3 pages per site",
        )
    ]
    assert mw.stats.get_value("leadharvest/limits/page_budget") == 3


def test_the_depth_limit_is_recorded_and_start_requests_are_free() -> None:
    mw = _limits(LEADHARVEST_MAX_PAGES_PER_SITE=1)
    deep = _page("https://deep.example/a/b", 2)
    out = list(mw.process_spider_output(deep, [Request("https://deep.example/a/b/c")]))
    assert [(o.status, o.reason) for o in out] == [
        ("limit", "limit reached: depth limit of 2 links")
    ]
    assert mw.get_processed_request(Request("https://deep.example/1"), None) is not None
    assert mw.get_processed_request(Request("https://deep.example/2"), None) is not None


# -- the report -----------------------------------------------------------------------------
def test_every_fault_is_shown_and_counted_by_kind() -> None:
    reasons = [
        "rate-limited: HTTP 429",
        "server error: HTTP 503",
        "connection reset: page cut short",
        "timeout: no answer within 30 s",
        "too large: over 5,000,000 bytes",
        "redirect loop: back to an earlier address",
        "redirect loop: back to an earlier address",
    ]
    pages = [
        PageRecord(url=f"u{n}", source="company_website", method="m", status="error", reason=r)
        for n, r in enumerate(reasons)
    ]
    pages.append(
        PageRecord(
            url="v",
            source="company_website",
            method="m",
            status="ok",
            leads=1,
            reason="bad encoding: charset declared as ISO-8859-1, read as gb18030",
        )
    )
    pages.append(
        PageRecord(
            url="w",
            source="company_website",
            method="m",
            status="limit",
            reason="limit reached: page budget of 300 pages per site",
        )
    )
    pages += [
        PageRecord(
            url="x", source="company_website", method="m", status="blocked", reason="captcha"
        )
    ]
    (row,) = source_health(pages, [])
    assert row.fault_counts() == {
        "server_error": 1,
        "rate_limited": 1,
        "connection_reset": 1,
        "timeout": 1,
        "too_large": 1,
        "limit": 1,
        "redirect_loop": 2,
        "bad_encoding": 1,
    }
    assert list(row.fault_counts()) == [
        "rate_limited",
        "server_error",
        "connection_reset",
        "timeout",
        "too_large",
        "limit",
        "redirect_loop",
        "bad_encoding",
    ]
    assert (row.requests, row.limited, row.errors, row.ok) == (9, 1, 7, 1)
    text = row.reason_text(limit=1)  # the limit cuts other reasons, never a fault
    assert text.startswith("rate-limited: HTTP 429; server error: HTTP 503; ")
    assert "redirect loop: back to an earlier address ×2" in text
    assert text.endswith("; captcha")


def test_fault_reasons_in_chinese() -> None:
    assert fault_kind("captcha") is None
    assert translate_reason("timeout: no answer within 1.5 s", "zh") == "超时：1.5 秒内无响应"
    assert (
        translate_reason("too large: over 5,000,000 bytes", "zh") == "页面过大：超过 5,000,000 字节"
    )
    assert translate_reason("captcha", "zh") == "captcha"
    assert translate_reason("redirect loop: more than 10 redirects", "en") == (
        "redirect loop: more than 10 redirects"
    )


# -- a Latin-1 header over a GBK page ----------------------------------------------------------
def test_a_latin1_header_yields_to_the_pages_meta_charset() -> None:
    text = "<html><head><meta charset='gbk'></head><body>深圳市华信数码科技有限公司</body></html>"
    body = text.encode("gbk")
    body.decode("cp1252")  # the lie is plausible: these bytes are valid "Latin-1"
    assert decode_html(body, "text/html; charset=ISO-8859-1") == (text, "gb18030")
    # a Latin-1 page that says so in both places stays Latin-1
    latin = "<meta charset='iso-8859-1'><p>Café Müller</p>".encode("latin-1")
    assert decode_html(latin, "text/html; charset=ISO-8859-1")[1] == "cp1252"
