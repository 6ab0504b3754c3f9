"""Turn a page's bytes into text the way the crawler does, whatever its charset claims.

Chinese sites often declare ``gb2312`` while serving UTF-8 (a transcoding crawler or CMS
forgot the meta tag), or serve GBK characters outside GB2312. The order below trusts the
bytes before the labels:

1. a byte-order mark;
2. strict UTF-8 when the bytes contain non-ASCII and decode cleanly (legacy double-byte text
   almost never does), whatever the page says;
3. the HTTP ``Content-Type`` charset, then the ``<meta>`` charset, with the usual supersets
   (gb2312/gbk → gb18030, iso-8859-1/ascii → cp1252, big5 → big5hkscs); a Latin-1 header
   (a web server's default) yields to a ``<meta>`` that names another charset;
4. charset-normalizer's guess; finally UTF-8 with replacement characters.

``extract`` and the spiders both call :func:`decode_html`, so a saved page reads exactly as
the crawled one did.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""",
    re.IGNORECASE,
)
_HEADER_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)

SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "big5": "big5hkscs",
}


def normalise_charset(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec we decode it with, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return SUPERSETS.get(label) or SUPERSETS.get(name) or name


def declared_charsets(body: bytes, content_type: str | None = None) -> list[str]:
    """Charsets the HTTP header and the page's meta tags claim, in that order."""
    found: list[str] = []
    if content_type:
        header = _HEADER_RE.search(content_type)
        if header:
            found.append(header.group(1))
    for meta in _META_RE.finditer(body[:8192]):
        found.append(meta.group(1).decode("ascii", "ignore"))
    return found


def _declared_in_order(body: bytes, content_type: str | None) -> list[str]:
    """The declared codecs, header first, except a Latin-1 header contradicted by the page.

    ``ISO-8859-1`` is what many web servers put in every ``Content-Type`` when nobody told
    them better; the page's own ``<meta charset=gbk>`` was written by whoever wrote the page.
    Latin-1 (read as cp1252) decodes almost any byte string, so trusting the header would
    turn GBK text into mojibake without an error: the meta tag is tried first.
    """
    declared = [c for c in map(normalise_charset, declared_charsets(body, content_type)) if c]
    if declared and declared[0] == "cp1252" and any(c != "cp1252" for c in declared[1:]):
        return [c for c in declared if c != "cp1252"] + ["cp1252"]
    return declared


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes to ``(text, codec)``; never raises."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    if not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    else:
        return body.decode("ascii"), "utf-8"
    for declared in _declared_in_order(body, content_type):
        if declared not in {"utf-8", "utf-8-sig"}:
            try:
                return body.decode(declared), declared
            except UnicodeDecodeError:
                continue
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        codec = normalise_charset(best.encoding) or best.encoding
        return body.decode(codec, errors="replace"), codec
    return body.decode("utf-8", errors="replace"), "utf-8"
