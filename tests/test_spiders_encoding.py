"""Decoding page bytes the way the crawler does, on real pages with honest and lying charsets."""

from __future__ import annotations

import pytest

from spiders.encoding import decode_html, normalise_charset
from tests.realpages import real_page_path


def test_gbk_characters_outside_gb2312_decode_when_gb2312_is_declared() -> None:
    # 镕 is in GBK/GB18030 but not in GB2312: sites declaring gb2312 serve it anyway
    body = '<meta charset="gb2312"><p>朱镕基 联系我们</p>'.encode("gbk")
    text, codec = decode_html(body)
    assert "朱镕基" in text
    assert codec == "gb18030"


def test_bytes_beat_a_lying_meta() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    body = (meta + "<p>联系我们</p>").encode()
    text, codec = decode_html(body)
    assert "联系我们" in text
    assert codec == "utf-8"


def test_header_charset_used_for_legacy_bytes() -> None:
    body = "<p>Café Müller</p>".encode("cp1252")
    text, _ = decode_html(body, "text/html; charset=ISO-8859-1")
    assert "Café Müller" in text


def test_normalise_charset() -> None:
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("x-unknown-charset") is None


@pytest.mark.realpages
def test_real_gb2312_contact_page() -> None:
    body = real_page_path(
        "company_sites/e-zjs_com_nantong_luban/lxwm_contact_gb2312_2016__ezjs.html"
    ).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text, codec = decode_html(body)
    assert codec == "gb18030"
    assert "南通市工农路445号" in text
    assert "版权所有" in text
    assert "\ufffd" not in text


@pytest.mark.realpages
@pytest.mark.parametrize(
    "relative",
    [
        "b2b/hc360/company_contact_page_yueqing_changfeng_2017_utf8-bytes_gb2312-meta__huicong-spider.html",
        "b2b/hc360/company_search_list_wujin_hardware_2017_utf8-bytes_gb2312-meta__huicong-spider.html",
        "directories/baixing/service_listing_pc_suzhou_watch_repair_via_baidu_cache_2019__baixing_spider.html",
    ],
)
def test_real_pages_declaring_gb2312_but_sending_utf8(relative: str) -> None:
    body = real_page_path(relative).read_bytes()
    assert b"gb2312" in body.lower()
    text, codec = decode_html(body)
    assert codec == "utf-8"
    assert "公司" in text
