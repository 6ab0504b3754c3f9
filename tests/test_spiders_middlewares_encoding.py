"""EncodingMiddleware: response.text is right whatever the page's charset claims."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from spiders.encoding import decode_html
from spiders.middlewares.encoding import EncodingMiddleware

URL = "https://example.cn/lianxi.html"
CHINESE = "深圳市光明电子有限公司 联系我们 电话：0755-2345 6789"


def _run(body: bytes, content_type: str | None) -> tuple[Response, Response, EncodingMiddleware]:
    crawler = get_crawler()
    crawler.stats.open_spider()
    mw = EncodingMiddleware.from_crawler(crawler)
    request = Request(URL)
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(URL, body=body, headers=headers, request=request)
    return response, mw.process_response(request, response), mw


def _text(response: Response) -> str:
    assert isinstance(response, TextResponse)
    return response.text


def test_gb2312_bytes_without_a_charset() -> None:
    body = f"<html><body><p>{CHINESE}</p></body></html>".encode("gb2312")
    _, after, _ = _run(body, "text/html")
    assert CHINESE in _text(after)
    assert after.headers[b"Content-Type"] == b"text/html; charset=utf-8"
    assert isinstance(after, TextResponse) and after.encoding == "utf-8"
    assert after.css("p::text").get() == CHINESE


def test_utf8_bytes_declaring_gb2312() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    body = f"<html><head>{meta}</head><body><p>{CHINESE}</p></body></html>".encode()
    before, after, mw = _run(body, "text/html; charset=gb2312")
    assert CHINESE not in _text(before)  # what Scrapy alone makes of it
    assert CHINESE in _text(after)
    assert b"charset=utf-8" in after.headers[b"Content-Type"]
    assert after.request is before.request
    assert mw.crawler is not None and mw.crawler.stats is not None
    assert mw.crawler.stats.get_value("leadharvest/encoding/fixed") == 1
    assert mw.crawler.stats.get_value("leadharvest/encoding/fixed/utf-8") == 1


def test_cp1252_declaring_nothing() -> None:
    words = "Café Müller GmbH – Straße 5, “Kontakt”"
    body = f"<html><body><p>{words}</p></body></html>".encode("cp1252")
    _, after, _ = _run(body, None)
    assert words in _text(after)


def test_the_spider_decodes_the_fixed_body_to_the_same_text() -> None:
    # LeadSpider runs decode_html on response.body with the new Content-Type
    body = f'<meta charset="gb2312"><p>{CHINESE}</p>'.encode("gb18030")
    _, after, _ = _run(body, "text/html")
    ctype = after.headers[b"Content-Type"].decode()
    assert decode_html(after.body, ctype)[0] == decode_html(body, "text/html")[0]


def test_honest_pages_pass_through_untouched() -> None:
    honest = f'<meta charset="utf-8"><p>{CHINESE}</p>'.encode()
    response, after, mw = _run(honest, "text/html; charset=utf-8")
    assert after is response
    gbk, after_gbk, _ = _run(f"<p>{CHINESE}</p>".encode("gbk"), "text/html; charset=GBK")
    assert after_gbk is gbk
    ascii_page, after_ascii, _ = _run(b"<p>Contact us</p>", None)
    assert after_ascii is ascii_page
    assert mw.crawler is not None and mw.crawler.stats is not None
    assert mw.crawler.stats.get_value("leadharvest/encoding/fixed") is None


def test_non_html_is_left_alone() -> None:
    crawler = get_crawler()
    mw = EncodingMiddleware.from_crawler(crawler)
    request = Request(URL + ".json")
    body = CHINESE.encode("gbk")
    response = TextResponse(
        URL + ".json", body=body, headers={"Content-Type": "application/json"}, request=request
    )
    assert mw.process_response(request, response) is response
