"""Give every HTML response the charset its bytes really have.

Scrapy decodes ``response.text`` from the HTTP header, then the ``<meta>`` tag, then
charset-normalizer's guess. A UTF-8 page whose template still says ``gb2312`` comes out as
mojibake for anything that reads ``response.text`` or ``response.css()``, and a GB2312 page
served without a charset hangs on a guess over a few hundred bytes. This middleware decodes
the body once with :func:`spiders.encoding.decode_html` (the same code ``leadharvest
extract`` and the spiders use) and, when the declared charset is missing or wrong, hands on
a UTF-8 copy whose ``Content-Type`` says so. Decoding the copy again with ``decode_html``
gives the same text, so the spider's own decoding is unaffected.

It sits below the record middleware (940): the archive keeps the bytes the server sent.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response
from scrapy.http.headers import Headers

from spiders.encoding import declared_charsets, decode_html, normalise_charset

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


class EncodingMiddleware:
    """Re-encodes mis-declared HTML as UTF-8; counts it in ``leadharvest/encoding/fixed``."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        mime = _mime(content_type)
        if mime not in HTML_TYPES and not (not mime and isinstance(response, HtmlResponse)):
            return response
        body = response.body
        if not body or body.isascii():
            # every charset we decode with agrees on ASCII: nothing to fix
            return response
        text, codec = decode_html(body, content_type)
        declared = [normalise_charset(label) for label in declared_charsets(body, content_type)]
        if declared and declared[0] == normalise_charset(codec):
            return response  # an honest page: Scrapy reads the same charset
        logger.debug(
            "re-encoding %s as UTF-8: it declares %s, its bytes are %s",
            response.url,
            declared[0] if declared else "no charset",
            codec,
        )
        self._inc("leadharvest/encoding/fixed")
        self._inc(f"leadharvest/encoding/fixed/{codec}")
        request.meta["lh_charset"] = codec
        labels = declared_charsets(body, content_type)
        if labels:
            # the health report names the lie: "charset declared as ISO-8859-1, read as gb18030"
            request.meta["lh_declared_charset"] = labels[0]
        headers = Headers(response.headers)
        headers[b"Content-Type"] = f"{mime or 'text/html'}; charset=utf-8".encode("ascii")
        new_body = text.encode("utf-8")
        if b"Content-Length" in headers:
            headers[b"Content-Length"] = str(len(new_body)).encode("ascii")
        return response.replace(cls=HtmlResponse, body=new_body, headers=headers, encoding="utf-8")

    def _inc(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
