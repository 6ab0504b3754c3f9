"""Sogou results pages: the real 2022 capture and hand-written pages in Sogou's markup shapes.

The real page's expected output (tests/expected/search_engines/sogou/…json) was written from
the saved HTML (each result's ``h3 a`` href and visible title), not from the parser. The
hand-written pages hold fictional businesses on ``.example`` domains.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadharvest.items import SearchResult
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from spiders.pages.sogou import SogouPage, is_sogou_wrapper
from tests.markup import tree_markup
from tests.realpages import real_page

EXPECTED = Path(__file__).resolve().parent / "expected"
SOGOU_2022 = "search_engines/sogou/web_serp_bo_xiao_zhang_2022__CarmenLeungGG-Crawl.html"


def _expected(fixture: str) -> dict[str, Any]:
    path = EXPECTED / fixture.replace(".html", ".json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _parse(
    html: str, url: str = "https://www.sogou.com/web?query=%E9%98%80%E9%97%A8"
) -> PageExtraction:
    return SogouPage().parse(Page(url=url, text=html))


def _triples(results: list[SearchResult]) -> list[tuple[str, str, bool]]:
    return [(r.url, r.title, r.ad) for r in results]


def _next(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "next"]


def _followed(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "result"]


# --- the real page -------------------------------------------------------------------------


def test_real_page_matches_expected_output() -> None:
    expected = _expected(SOGOU_2022)
    page = real_page(SOGOU_2022, expected["url"])
    assert source_for_url(expected["url"]).name == expected["source"] == "sogou"
    ex = extract_page(page)
    assert ex.status == expected["status"]
    want = [(r["url"], r["title"], r["ad"]) for r in expected["search_results"]]
    assert _triples(ex.search_results) == want
    assert [r.rank for r in ex.search_results] == list(range(1, len(want) + 1))


def test_real_page_snippets_links_and_next() -> None:
    ex = extract_page(real_page(SOGOU_2022, "https://www.sogou.com/web?query=x"))
    first, second = ex.search_results[0], ex.search_results[1]
    assert "波晓张的微博主页" in first.snippet
    assert "citeurl" not in first.snippet and "weibo.com/u" not in first.snippet
    assert second.snippet.startswith(
        "该原创文章首发于微信公众号"
    )  # the like-count badge is left out
    assert _followed(ex) == [r.url for r in ex.search_results]
    assert _next(ex) == [
        "https://www.sogou.com/web?query=%E6%B3%A2%E6%99%93%E5%BC%A0&page=2&ie=utf8"
    ]


# --- a newer layout: data-url targets, ads, Sogou's own pages ------------------------------

NEWER = """<html><head><title>阀门 - 搜狗搜索</title></head><body>
<div id="main">
 <div id="promotion_adv_container">
  <div class="biz_rb">
   <h3 class="biz_title">
    <a href="https://www.sogou.com/bill_cpc?v=1&amp;p=WJ80AbC">大众阀门 厂家直销</a></h3>
   <div class="biz_desc">支持定制，示例数据。</div><span class="biz_tip">推广</span>
  </div>
  <div class="biz_rb">
   <h3><a href="https://www.sogou.com/bill_cpc?v=1&amp;p=WJ80XyZ">华东阀门批发</a></h3>
  </div>
 </div>
 <div class="results">
  <div class="vrwrap" id="sogou_vr_30000000_0">
   <h3 class="vr-title"><a id="sogou_vr_30000000_title_0" target="_blank"
      href="/link?url=hedJjaC291AAAA" data-url="https://www.hongda-valve.example/">宏达<em>阀门</em>有限公司</a></h3>
   <div class="fz-mid space-txt"><span class="text-lightgray">2024年3月1日-</span>专业生产闸阀。
   </div>
   <div class="citeurl"><span>www.hongda-valve.example</span></div>
  </div>
  <div class="vrwrap">
   <h3 class="vr-title"><a href="/link?url=hedJjaC291BBBB">远航<em>阀门</em>厂</a></h3>
   <div class="citeurl"><span>远航 - www.yuanhang.example/ab...</span></div>
  </div>
  <div class="vrwrap">
   <h3 class="vr-title"><a href="https://baike.sogou.com/v12345.htm">阀门 - 搜狗百科</a></h3>
  </div>
  <div class="vrwrap">
   <h3 class="vr-title"><a href="/link?url=hedJjaC291CCCC">阀门的种类 - 搜狗问问</a></h3>
   <div class="citeurl"><span>搜狗问问 - wenwen.sogou.com/z/q1...</span></div>
  </div>
  <div class="vrwrap">
   <h3 class="vr-title"><a href="https://lk.brand.sogou.com/c?x=1">金鑫阀门 品牌专区</a></h3>
  </div>
  <div class="rb">
   <h3 class="pt"><a href="https://www.haicheng.example/">海诚<em>阀门</em>销售部</a></h3>
   <div class="ft">本店经营各类阀门，也做<em>推广</em>服务。</div>
  </div>
  <div class="vrwrap"><div class="vrTitle"><span>大家还在搜</span></div>
   <div class="hint-mid"><a href="?query=%E9%97%B8%E9%98%80">闸阀</a></div></div>
 </div>
 <div class="p" id="pagebar_container">
  <a id="sogou_page_2" href="?query=%E9%98%80%E9%97%A8&amp;page=2&amp;ie=utf8">2</a>
  <a id="sogou_next" href="?query=%E9%98%80%E9%97%A8&amp;page=2&amp;ie=utf8" class="np">下一页</a>
 </div>
</div></body></html>"""


def test_newer_layout_targets_ads_and_own_pages() -> None:
    ex = _parse(NEWER)
    assert ex.status == "ok"
    organic = [(r.rank, r.url, r.title) for r in ex.search_results if not r.ad]
    assert organic == [
        (1, "https://www.hongda-valve.example/", "宏达阀门有限公司"),
        (2, "https://www.sogou.com/link?url=hedJjaC291BBBB", "远航阀门厂"),
        (3, "https://www.haicheng.example/", "海诚阀门销售部"),
    ]
    ads = [(r.rank, r.url, r.title) for r in ex.search_results if r.ad]
    assert ads == [
        (1, "https://www.sogou.com/bill_cpc?v=1&p=WJ80AbC", "大众阀门 厂家直销"),
        (2, "https://www.sogou.com/bill_cpc?v=1&p=WJ80XyZ", "华东阀门批发"),
        (3, "https://lk.brand.sogou.com/c?x=1", "金鑫阀门 品牌专区"),
    ]
    first = ex.search_results[2]
    assert first.title == "宏达阀门有限公司" and first.snippet == "2024年3月1日-专业生产闸阀。"


def test_newer_layout_links() -> None:
    ex = _parse(NEWER)
    assert _followed(ex) == [
        "https://www.hongda-valve.example/",
        "https://www.sogou.com/link?url=hedJjaC291BBBB",
        "https://www.haicheng.example/",
    ]
    assert _next(ex) == ["https://www.sogou.com/web?query=%E9%98%80%E9%97%A8&page=2&ie=utf8"]


# --- blocked and empty pages ---------------------------------------------------------------

ANTISPIDER = """<html><head><title>搜狗搜索</title></head><body>
<div class="content-box">
 <p class="p2">用户您好，我们的系统检测到您网络中存在异常访问请求。</p>
 <p class="p3">此验证码用于确认这些请求是您的正常行为而不是自动程序发出的，需要您协助验证。</p>
 <form name="authform" method="POST" id="seccodeForm" action="/">
  <img id="seccodeImage" src="util/seccode.php?tc=1700000000" width="100" height="40">
  <input type="text" name="c" id="seccodeInput" maxlength="6">
  <a href="javascript:void(0);" id="submit">提交</a>
 </form>
</div></body></html>"""

NO_RESULTS = """<html><head><title>qzxv阀门示例 - 搜狗搜索</title></head><body>
<div id="main"><div class="results"></div>
 <div id="noresult_part1_container"><div class="no-result">
  <p>抱歉，没有找到与“<em>qzxv阀门示例</em>”相关的网页。</p>
  <p>建议您：检查输入是否正确</p>
 </div></div>
</div></body></html>"""


def test_antispider_page_is_blocked() -> None:
    ex = _parse(ANTISPIDER, "https://www.sogou.com/antispider/?from=%2Fweb%3Fquery%3Dx")
    assert ex.status == "blocked"
    # The same page served under the search URL is still recognised by its text.
    ex = _parse(ANTISPIDER)
    assert ex.status == "blocked"
    assert "Sogou" in ex.reason


def test_no_results_page() -> None:
    ex = _parse(NO_RESULTS)
    assert ex.status == "no_results"
    assert "没有找到与" in ex.reason
    bare = "<html><body><div class='results'></div><p>未找到相关结果</p></body></html>"
    assert _parse(bare).status == "no_results"


def test_is_sogou_wrapper() -> None:
    assert is_sogou_wrapper("https://www.sogou.com/link?url=abc")
    assert is_sogou_wrapper("https://www.sogou.com/bill_cpc?v=1&p=x")
    assert not is_sogou_wrapper("https://baike.sogou.com/v1.htm")
    assert not is_sogou_wrapper("https://www.example.com/link?url=abc")


def test_page_with_only_sogou_own_pages_is_ok_without_results() -> None:
    html = """<html><body><div class="results">
     <div class="vrwrap"><h3><a href="https://baike.sogou.com/v1.htm">阀门 - 搜狗百科</a></h3></div>
    </div></body></html>"""
    ex = _parse(html)
    assert (ex.status, ex.search_results) == ("ok", [])
    assert "own pages" in ex.reason


_NEXT_ATTRS = st.sampled_from(
    [
        ("id", "sogou_next"),
        ("id", "ajax_next_page"),
        ("id", "pagebar_container"),
        ("id", "sogou_nextX"),
        ("class", "np"),
        ("class", "x\tnp"),
        ("class", "npX"),
        ("href", "/web?query=x&page=2"),
        ("href", "https://www.sogou.com/web?page=3"),
        ("href", "javascript:void(0)"),
        ("href", ""),
    ]
)
_NEXT_TEXTS = st.sampled_from(["", "下一页", "下", "一页", "下一页>", " "])
_NEXT_NODE: Any = st.recursive(
    st.tuples(
        st.sampled_from(["a", "div", "span"]),
        st.lists(_NEXT_ATTRS, max_size=3).map(dict),
        _NEXT_TEXTS,
        st.just([]),
    ),
    lambda inner: st.tuples(
        st.sampled_from(["a", "div", "span"]),
        st.lists(_NEXT_ATTRS, max_size=3).map(dict),
        _NEXT_TEXTS,
        st.lists(inner, max_size=3),
    ),
    max_leaves=12,
)


_next_markup = partial(tree_markup, closing="<!--c-->")


@settings(max_examples=300)
@example([("a", {"class": "np", "href": "/web?page=2"}, "下", [("span", {}, "一页", [])])])
@given(st.lists(_NEXT_NODE, max_size=4))
def test_next_links_from_the_candidates_are_those_of_every_link(nodes: list[Any]) -> None:
    from spiders.pages.sogou import _next_links, _next_links_of

    markup = "".join(map(_next_markup, nodes))
    page = Page(url="https://www.sogou.com/web?query=x", text=f"<html><body>{markup}</body></html>")
    root = page.root
    assert _next_links(root, page) == _next_links_of(root.iter("a"), page)
