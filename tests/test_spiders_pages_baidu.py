"""Baidu results pages: the real 2020 capture and hand-written pages in Baidu's markup shapes.

The real page's expected output (tests/expected/search_engines/baidu/…json) was written from
the saved HTML (each ``#content_left`` block's ``h3 a`` href, ``mu`` and visible title), not
from the parser. The hand-written pages hold fictional businesses on ``.example`` domains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leadharvest.items import SearchResult
from spiders.pages import extract_page, source_for_url
from spiders.pages.baidu import BaiduPage, is_baidu_wrapper
from spiders.pages.base import Page, PageExtraction
from tests.realpages import real_page

EXPECTED = Path(__file__).resolve().parent / "expected"
BAIDU_NORMAL = "search_engines/baidu/web_normal__BaiduSpider.html"


def _expected(fixture: str) -> dict[str, Any]:
    path = EXPECTED / fixture.replace(".html", ".json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _parse(html: str, url: str = "https://www.baidu.com/s?wd=%E9%98%80%E9%97%A8") -> PageExtraction:
    return BaiduPage().parse(Page(url=url, text=html))


def _triples(results: list[SearchResult]) -> list[tuple[str, str, bool]]:
    return [(r.url, r.title, r.ad) for r in results]


def _next(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "next"]


def _followed(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "result"]


# --- the real page -------------------------------------------------------------------------


def test_real_page_matches_expected_output() -> None:
    expected = _expected(BAIDU_NORMAL)
    page = real_page(BAIDU_NORMAL, expected["url"])
    assert source_for_url(expected["url"]).name == expected["source"] == "baidu"
    ex = extract_page(page)
    assert ex.status == expected["status"]
    want = [(r["url"], r["title"], r["ad"]) for r in expected["search_results"]]
    assert _triples(ex.search_results) == want
    assert [r.rank for r in ex.search_results] == list(range(1, len(want) + 1))


def test_real_page_skips_baidu_own_verticals_and_keeps_wrappers() -> None:
    ex = extract_page(real_page(BAIDU_NORMAL, "https://www.baidu.com/s?wd=Python"))
    titles = [r.title for r in ex.search_results]
    assert "Python(计算机程序设计语言)_百度百科" not in titles  # mu = baike.baidu.com
    assert "Python_视频大全_高清在线观看" not in titles  # mu = 3108.lightapp.baidu.com
    # link?url= cannot be decoded offline: kept as is, never guessed from "www.python.org/".
    assert all(r.url.startswith("http://www.baidu.com/link?url=") for r in ex.search_results)
    assert ex.search_results[0].snippet.startswith("The official home of the Python")
    assert "百度快照" not in " ".join(r.snippet for r in ex.search_results)
    assert _followed(ex) == [r.url for r in ex.search_results]


def test_real_page_next_link() -> None:
    ex = extract_page(real_page(BAIDU_NORMAL, "https://www.baidu.com/s?wd=Python"))
    nxt = _next(ex)
    assert len(nxt) == 1
    assert nxt[0].startswith("https://www.baidu.com/s?wd=Python&pn=10&")


# --- a newer layout (2021+): mu on every block, ads, an aggregation --------------------------

NEWER = """<html><head><title>阀门_百度搜索</title></head><body>
<div id="content_left">
 <div style="display:block !important;visibility:visible !important">
  <div id="3001" class="_2z0zakvy c-container new-pmd" data-click="{}">
   <h3 class="t"><a data-landurl="https://www.dazhong-valve.example/promo"
      href="https://www.baidu.com/baidu.php?url=K000000aBcDeF">大众阀门 官方直销</a></h3>
   <div class="c-abstract">厂家直销，支持定制。</div>
   <span class="ec-tuiguang ecfc-tuiguang _3hkuz3e">广告</span>
  </div>
  <div id="3002" class="EC_result c-container">
   <h3 class="t"><a href="https://www.baidu.com/baidu.php?url=K000000xYz">华东阀门批发</a></h3>
   <span class="m" data-tuiguang="x">广告</span>
  </div>
 </div>
 <div class="result c-container xpath-log new-pmd" srcid="1599" id="1" tpl="se_com_default"
      mu="https://www.hongda-valve.example/" data-op="{}">
  <div class="c-container" data-click="">
   <h3 class="c-title t t tts-title"><a href="http://www.baidu.com/link?url=AAAA1111"
      target="_blank">宏达<em>阀门</em>有限公司 - 闸阀 球阀 厂家</a></h3>
   <div class="c-row content-wrapper_1SuJ0"><span class="content-right_8Zs40">专业生产闸阀、
     球阀。电话请见官网。</span></div>
   <div class="c-row source_1Vdff"><span class="c-color-gray">宏达阀门</span></div>
  </div>
 </div>
 <div class="result c-container xpath-log new-pmd" srcid="1599" id="2" tpl="se_com_default">
  <div class="c-container">
   <h3 class="c-title t"><a href="http://www.baidu.com/link?url=BBBB2222">远航<em>阀门</em>厂</a></h3>
   <div class="c-tools" data-tools='{"title":"远航阀门厂","url":"http://www.yuanhang-valve.example/about.html"}'></div>
   <span class="content-right_8Zs40">远航阀门厂位于示例市。</span>
  </div>
 </div>
 <div class="result c-container new-pmd" id="3" tpl="se_com_default">
  <h3 class="t"><a href="http://www.baidu.com/link?url=CCCC3333">阀门怎么选? - 百度知道</a></h3>
  <div class="c-abstract">问答内容</div>
  <a class="c-showurl" href="http://www.baidu.com/link?url=CCCC3333">zhidao.baidu.com/question/1</a>
 </div>
 <div class="result-op c-container xpath-log new-pmd" srcid="1547" id="4" tpl="bk_polysemy"
      mu="https://baike.baidu.com/item/%E9%98%80%E9%97%A8/1">
  <h3 class="t"><a href="http://www.baidu.com/link?url=DDDD4444">阀门_百度百科</a></h3>
 </div>
 <div class="result-op c-container xpath-log" srcid="4295" id="5" tpl="sp_purc_atom"
      mu="https://www.jinxin-valve.example/">
  <h3 class="t"><a href="http://www.baidu.com/link?url=EEEE5555">金鑫<em>阀门</em> 官网</a></h3>
  <p>官网直达</p>
 </div>
 <div class="result c-container new-pmd" id="6" tpl="se_com_default">
  <h3 class="t"><a href="http://www.baidu.com/link?url=FFFF6666">海诚<em>阀门</em>销售部</a></h3>
  <div class="c-abstract">本店经营各类<em>广告</em>灯箱与阀门。</div>
  <a class="c-showurl" href="http://www.baidu.com/link?url=FFFF6666">www.haicheng.example/...</a>
 </div>
</div>
<div id="con-ar"><div class="result-op xpath-log" tpl="right_toplist1">
 <h3 class="t"><a href="http://www.baidu.com/link?url=RRRR">热搜榜</a></h3></div></div>
<div id="page"><div class="page-inner_2jZi2">
 <a href="/s?wd=%E9%98%80%E9%97%A8&amp;pn=10"><span class="page-item_M4MDr pc">2</span></a>
 <a class="n" href="/s?wd=%E9%98%80%E9%97%A8&amp;pn=10&amp;rsv_page=1">下一页 &gt;</a>
</div></div>
</body></html>"""


def test_newer_layout_targets_ads_and_verticals() -> None:
    ex = _parse(NEWER)
    assert ex.status == "ok"
    organic = [(r.rank, r.url, r.title) for r in ex.search_results if not r.ad]
    assert organic == [
        (1, "https://www.hongda-valve.example/", "宏达阀门有限公司 - 闸阀 球阀 厂家"),
        (2, "http://www.yuanhang-valve.example/about.html", "远航阀门厂"),
        (3, "https://www.jinxin-valve.example/", "金鑫阀门 官网"),
        (4, "http://www.baidu.com/link?url=FFFF6666", "海诚阀门销售部"),
    ]
    ads = [(r.rank, r.url, r.title) for r in ex.search_results if r.ad]
    assert ads == [
        (1, "https://www.dazhong-valve.example/promo", "大众阀门 官方直销"),
        (2, "https://www.baidu.com/baidu.php?url=K000000xYz", "华东阀门批发"),
    ]
    by_title = {r.title: r for r in ex.search_results}
    assert by_title["宏达阀门有限公司 - 闸阀 球阀 厂家"].snippet.startswith("专业生产闸阀")
    # A snippet that merely says 广告 does not make an organic result an ad.
    assert by_title["海诚阀门销售部"].ad is False


def test_newer_layout_links() -> None:
    ex = _parse(NEWER)
    assert _followed(ex) == [
        "https://www.hongda-valve.example/",
        "http://www.yuanhang-valve.example/about.html",
        "https://www.jinxin-valve.example/",
        "http://www.baidu.com/link?url=FFFF6666",
    ]
    assert _next(ex) == ["https://www.baidu.com/s?wd=%E9%98%80%E9%97%A8&pn=10&rsv_page=1"]


MOBILE = """<html><head><title>阀门 - 百度</title></head><body>
<div id="results" class="results">
 <div class="c-result result" order="1" tpl="www_normal" srcid="www_normal"
      data-log="{'ensrcid':'www_normal','order':1,'mu':'https://m.ruifeng-valve.example/'}">
  <div class="c-result-content"><article class="c-container"
      rl-link-href="https://m.baidu.com/from=844b/s?word=x">
   <section><div class="c-title"><h3 class="c-title-text">瑞丰<em>阀门</em>手机站</h3></div>
   <div class="c-abstract">瑞丰阀门，示例数据。</div></section></article></div>
 </div>
</div>
<div id="page-controller">
 <a class="new-nextpage-only" href="/s?word=%E9%98%80%E9%97%A8&amp;pn=10">下一页</a>
</div>
</body></html>"""


def test_mobile_layout_reads_data_log_mu() -> None:
    ex = _parse(MOBILE, "https://m.baidu.com/s?word=%E9%98%80%E9%97%A8")
    assert ex.status == "ok"
    assert _triples(ex.search_results) == [
        ("https://m.ruifeng-valve.example/", "瑞丰阀门手机站", False)
    ]
    assert _next(ex) == ["https://m.baidu.com/s?word=%E9%98%80%E9%97%A8&pn=10"]


# --- blocked and empty pages ---------------------------------------------------------------

WAPPASS = """<html><head><title>百度安全验证</title></head><body>
<div class="timeout-title">网络不给力，请稍后重试</div>
<div class="timeout-button">返回首页</div>
<script>var url = "https://wappass.baidu.com/static/captcha/tuxing.html?ak=x";</script>
</body></html>"""

REDIRECT_TO_CAPTCHA = """<html><head><title>百度一下</title></head><body>
<script>location.replace("https://wappass.baidu.com/static/captcha/tuxing.html?&ak=1")</script>
</body></html>"""

NO_RESULTS = """<html><head><title>qzxv阀门示例_百度搜索</title></head><body>
<div id="content_left"><div class="content_none"><div class="nors">
 <p>抱歉没有找到与<span>“</span><em>qzxv阀门示例</em><span>”</span>相关的网页。</p>
 <div class="tip_head">温馨提示：</div>
 <ul><li>请检查您的输入是否正确</li></ul>
</div></div></div>
</body></html>"""


def test_security_check_is_blocked() -> None:
    ex = _parse(WAPPASS)
    assert ex.status == "blocked"
    assert ex.search_results == []
    assert "Baidu" in ex.reason


def test_script_redirect_to_wappass_is_blocked() -> None:
    assert _parse(REDIRECT_TO_CAPTCHA).status == "blocked"
    wappass = "https://wappass.baidu.com/static/captcha/tuxing.html?ak=1"
    assert _parse("<html><body><div id='x'></div></body></html>", wappass).status == "blocked"


def test_no_results_page() -> None:
    ex = _parse(NO_RESULTS)
    assert ex.status == "no_results"
    assert "抱歉没有找到与" in ex.reason


def test_no_results_notice_beside_results_keeps_them() -> None:
    html = NO_RESULTS.replace(
        "</div></div></div>",
        "</div></div><div class='result c-container' id='1' mu='https://www.loose.example/'>"
        "<h3 class='t'><a href='http://www.baidu.com/link?url=Z'>宽松匹配</a></h3></div></div>",
    )
    ex = _parse(html)
    assert ex.status == "no_results"
    assert [r.url for r in ex.search_results] == ["https://www.loose.example/"]


def test_empty_page_is_no_results_not_ok() -> None:
    ex = _parse(
        "<html><head><title>x</title></head><body><div id='content_left'></div></body></html>"
    )
    assert ex.status == "no_results"


def test_is_baidu_wrapper() -> None:
    assert is_baidu_wrapper("http://www.baidu.com/link?url=abc")
    assert is_baidu_wrapper("https://www.baidu.com/baidu.php?url=abc")
    assert not is_baidu_wrapper("https://baike.baidu.com/item/x")
    assert not is_baidu_wrapper("https://www.example.com/link?url=abc")


def test_page_with_only_baidu_own_pages_is_ok_without_results() -> None:
    html = """<html><body><div id="content_left">
     <div class="result-op c-container" id="1" mu="https://baike.baidu.com/item/x/1">
      <h3 class="t"><a href="http://www.baidu.com/link?url=Q1">阀门_百度百科</a></h3></div>
     <div class="result-op c-container" id="2" mu="http://nourl.ubs.baidu.com/51315">
      <h3 class="t"><a href="/sf/vsearch?wd=x">阀门_图片</a></h3></div>
    </div></body></html>"""
    ex = _parse(html)
    assert ex.status == "ok"
    assert ex.search_results == []
    assert "own pages (2 blocks)" in ex.reason
