"""Yandex results pages: the real 2019 capture and hand-written pages in Yandex's markup shapes.

The real page's expected output (tests/expected/search_engines/yandex/…json) was written from
the saved HTML (each ``li.serp-item``'s ``a.organic__url`` href, its ``organic__url-text``
and its ``label_theme_direct`` "ad" badge), not from the parser. The hand-written pages hold
fictional businesses on ``.example`` domains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from leadharvest.items import SearchResult
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page, PageExtraction
from spiders.pages.yandex import YandexPage, decode_turbo, is_ad_counter, is_yandex_host
from tests.markup import tree_markup
from tests.realpages import real_page

EXPECTED = Path(__file__).resolve().parent / "expected"
YANDEX_CLOUD = "search_engines/yandex/cloud_service__se-scraper.html"


def _expected(fixture: str) -> dict[str, Any]:
    path = EXPECTED / fixture.replace(".html", ".json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _parse(html: str, url: str = "https://yandex.ru/search/?text=valves") -> PageExtraction:
    return YandexPage().parse(Page(url=url, text=html))


def _triples(results: list[SearchResult]) -> list[tuple[str, str, bool]]:
    return [(r.url, r.title, r.ad) for r in results]


def _next(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "next"]


def _followed(ex: PageExtraction) -> list[str]:
    return [link.url for link in ex.links if link.kind == "result"]


# --- the real page -------------------------------------------------------------------------


def test_real_page_matches_expected_output() -> None:
    expected = _expected(YANDEX_CLOUD)
    page = real_page(YANDEX_CLOUD, expected["url"])
    assert source_for_url(expected["url"]).name == expected["source"] == "yandex"
    ex = extract_page(page)
    assert ex.status == expected["status"]
    want = [(r["url"], r["title"], r["ad"]) for r in expected["search_results"]]
    assert _triples(ex.search_results) == want
    organic = [r.rank for r in ex.search_results if not r.ad]
    assert organic == list(range(1, len(organic) + 1))
    assert [r.rank for r in ex.search_results if r.ad] == [1, 2]


def test_real_page_skips_the_video_wizard_and_never_follows_ads() -> None:
    ex = extract_page(real_page(YANDEX_CLOUD, "https://yandex.com/search/?text=cloud%20service"))
    assert not [r for r in ex.search_results if "yandex.com/video" in r.url]
    followed = _followed(ex)
    assert len(followed) == 10
    assert not [url for url in followed if "yabs.yandex" in url]
    assert ex.search_results[1].snippet.startswith("Cloud Computing service is nothing but")


def test_real_page_next_link() -> None:
    ex = extract_page(real_page(YANDEX_CLOUD, "https://yandex.com/search/?text=cloud%20service"))
    assert _next(ex) == ["https://yandex.com/search/?text=cloud%20service&lr=177&p=1"]


# --- a newer layout (2021+): Organic / OrganicTitle blocks, Реклама labels, turbo links -----

NEWER = """<html><head><title>клапаны — Яндекс: нашлось 2 млн результатов</title></head>
<body><div class="content__left"><ul id="search-result" class="serp-list serp-list_left_yes">
 <li class="serp-item serp-item_card" data-cid="0" data-fast-name="direct">
  <div class="Organic organic Typo Typo_text_m">
   <a class="Link OrganicTitle-Link organic__url" href="https://yabs.yandex.ru/count/WxYz0001">
    <h2 class="OrganicTitle-LinkText organic__url-text">Клапаны оптом от завода «Пример»</h2></a>
   <div class="Organic-Subtitle"><div class="Path Organic-Path">
    <a class="Link Path-Item" href="https://yabs.yandex.ru/count/WxYz0001"><b>klapan-primer.example</b></a></div>
    <span class="Label Organic-Label">Реклама</span></div>
   <div class="Organic-ContentWrapper"><div class="TextContainer OrganicText">
    <span class="OrganicTextContentSpan">Доставка по России. Вымышленные данные.</span></div></div>
  </div>
 </li>
 <li class="serp-item serp-item_card" data-cid="1">
  <div class="Organic organic">
   <a class="Link OrganicTitle-Link" href="https://www.valvetech.example/catalog/">
    <div class="OrganicTitle-Favicon"></div>
    <h2 class="OrganicTitle-LinkText">Промышленные <b>клапаны</b> — ВалвТех</h2></a>
   <div class="Organic-ContentWrapper"><div class="TextContainer OrganicText">
    <span class="OrganicTextContentSpan">Каталог клапанов и задвижек.</span>
    <span class="ExtendedText-Toggle">Читать ещё</span></div></div>
  </div>
 </li>
 <li class="serp-item serp-item_card" data-cid="2">
  <div class="Organic organic">
   <a class="Link OrganicTitle-Link" href="https://yandex.ru/turbo?text=https%3A%2F%2Fwww.armatura.example%2Fabout">
    <h2 class="OrganicTitle-LinkText">Арматура-Пример: о компании</h2></a>
  </div>
 </li>
 <li class="serp-item serp-item_card" data-cid="3" data-fast-wzrd="images">
  <div class="Organic organic">
   <a class="Link OrganicTitle-Link" href="https://yandex.ru/images/search?text=klapany">
    <h2 class="OrganicTitle-LinkText">клапаны — Яндекс Картинки</h2></a>
  </div>
 </li>
 <li class="serp-item serp-item_card" data-cid="4">
  <div class="Organic organic">
   <a class="Link OrganicTitle-Link" href="https://www.promo-valves.example/">
    <h2 class="OrganicTitle-LinkText">Клапаны со скидкой</h2></a>
   <div class="Organic-Subtitle"><span class="Label">Промо</span></div>
  </div>
 </li>
 <li class="serp-item serp-item_card" data-cid="5">
  <div class="Organic organic">
   <a class="Link OrganicTitle-Link" href="https://www.ad-agency.example/">
    <h2 class="OrganicTitle-LinkText">Рекламное агентство «Пример»</h2></a>
   <div class="Organic-ContentWrapper">
    <div class="OrganicText">Реклама клапанов и не только.</div></div>
  </div>
 </li>
</ul>
<div class="Pager"><div class="Pager-ListItem"><a class="Link Pager-Item Pager-Item_type_page"
  href="/search/?text=valves&amp;p=1">2</a></div>
 <a class="Link Pager-Item Pager-Item_type_next" aria-label="Следующая страница"
  href="/search/?text=valves&amp;p=1">дальше</a></div>
</div></body></html>"""


def test_newer_layout_results_and_ads() -> None:
    ex = _parse(NEWER)
    assert ex.status == "ok"
    organic = [(r.rank, r.url, r.title) for r in ex.search_results if not r.ad]
    assert organic == [
        (1, "https://www.valvetech.example/catalog/", "Промышленные клапаны — ВалвТех"),
        (2, "https://www.armatura.example/about", "Арматура-Пример: о компании"),
        (3, "https://www.ad-agency.example/", "Рекламное агентство «Пример»"),
    ]
    ads = [(r.rank, r.url, r.title) for r in ex.search_results if r.ad]
    assert ads == [
        (1, "https://yabs.yandex.ru/count/WxYz0001", "Клапаны оптом от завода «Пример»"),
        (2, "https://www.promo-valves.example/", "Клапаны со скидкой"),
    ]
    assert ex.search_results[0].snippet == "Доставка по России. Вымышленные данные."
    assert ex.search_results[1].snippet == "Каталог клапанов и задвижек."


def test_newer_layout_links() -> None:
    ex = _parse(NEWER)
    assert _followed(ex) == [
        "https://www.valvetech.example/catalog/",
        "https://www.armatura.example/about",
        "https://www.ad-agency.example/",
    ]
    assert _next(ex) == ["https://yandex.ru/search/?text=valves&p=1"]


# --- blocked and empty pages ---------------------------------------------------------------

SHOWCAPTCHA = """<html><head><title>Ой!</title></head><body>
<div class="CheckboxCaptcha"><form method="POST" action="/checkcaptcha?key=abc">
 <div class="CheckboxCaptcha-Label">Я не робот</div>
 <input class="CheckboxCaptcha-Button" type="submit" value="">
</form><p>Нам очень жаль, но запросы, поступившие с вашего IP-адреса, похожи на автоматические.</p>
</div></body></html>"""

SMARTCAPTCHA_EN = """<html><head><title>Are you not a robot?</title></head><body>
<div id="smartcaptcha-status"></div>
<p>Please confirm that you and not a robot are sending requests</p>
</body></html>"""

NO_RESULTS_RU = """<html><head><title>qzxvклапан — Яндекс: ничего не нашлось</title></head><body>
<div class="content__left"><div class="EmptySearchResults">
 <div class="EmptySearchResults-Title">Ничего не нашлось</div>
 <div class="EmptySearchResults-Text">По вашему запросу ничего не нашлось. Проверьте опечатки.</div>
</div></div></body></html>"""

NO_RESULTS_EN = """<html><head><title>qzxvvalve — Yandex</title></head><body>
<div class="content__left"><div class="misspell"><div class="misspell__message">
 No results found for <b>qzxvvalve</b>.</div></div></div></body></html>"""


def test_showcaptcha_is_blocked() -> None:
    url = "https://yandex.ru/showcaptcha?cc=1&retpath=https%3A//yandex.ru/search%3Ftext%3Dx"
    ex = _parse(SHOWCAPTCHA, url)
    assert ex.status == "blocked"
    assert "captcha" in ex.reason.lower()
    # Served under the search URL itself, the page is still recognised.
    assert _parse(SHOWCAPTCHA).status == "blocked"


def test_smartcaptcha_in_english_is_blocked() -> None:
    ex = _parse(SMARTCAPTCHA_EN, "https://yandex.com/search/?text=valves")
    assert ex.status == "blocked"


def test_no_results_pages() -> None:
    ru = _parse(NO_RESULTS_RU)
    assert ru.status == "no_results"
    assert "ничего не нашлось" in ru.reason.lower()
    en = _parse(NO_RESULTS_EN, "https://yandex.com/search/?text=qzxvvalve")
    assert en.status == "no_results"
    assert "No results found" in en.reason


def test_url_helpers() -> None:
    assert is_yandex_host("https://yandex.com.tr/search/")
    assert is_yandex_host("https://ya.ru/")
    assert not is_yandex_host("https://notyandex.example/")
    assert is_ad_counter("https://yabs.yandex.ru/count/abc")
    assert not is_ad_counter("https://yandex.ru/search/")
    assert decode_turbo("https://yandex.ru/turbo/s/www.shop.example/catalog/1") == (
        "https://www.shop.example/catalog/1"
    )
    assert (
        decode_turbo("https://yandex.ru/turbo?text=https%3A%2F%2Fa.example%2F")
        == "https://a.example/"
    )
    assert (
        decode_turbo("https://www.site.example/turbo?text=x")
        == "https://www.site.example/turbo?text=x"
    )


def test_older_div_layout_and_only_own_pages() -> None:
    older = """<html><body><div class="serp-list">
     <div class="serp-item"><h2><a class="b-serp-item__title-link"
        href="https://www.old-valves.example/">Old Valves Ltd</a></h2></div>
    </div></body></html>"""
    assert _triples(_parse(older).search_results) == [
        ("https://www.old-valves.example/", "Old Valves Ltd", False)
    ]
    own = """<html><body><ul><li class="serp-item"><div class="organic">
     <h2><a class="organic__url" href="https://yandex.ru/maps/?text=x">клапаны на карте</a></h2>
    </div></li></ul></body></html>"""
    ex = _parse(own)
    assert (ex.status, ex.search_results) == ("ok", [])
    assert "own pages" in ex.reason


_NEXT_ATTRS = st.sampled_from(
    [
        ("class", "pager__item_kind_next"),
        ("class", "x\tpager__item_kind_next"),
        ("class", "pager__item_kind_nextX"),
        ("class", "Pager-Item_type_next"),
        ("class", "Pager-Item_type_nextX y"),
        ("class", "pager"),
        ("class", "Pager"),
        ("aria-label", "Next page"),
        ("aria-label", "Следующая страница"),
        ("aria-label", "Next page "),
        ("rel", "next"),
        ("rel", "next prev"),
        ("href", "/search/?p=2"),
        ("href", "https://yandex.ru/search/?p=3"),
        ("href", "javascript:void(0)"),
        ("href", ""),
    ]
)
_NEXT_NODE: Any = st.recursive(
    st.tuples(
        st.sampled_from(["a", "div", "span"]),
        st.lists(_NEXT_ATTRS, max_size=3).map(dict),
        st.just([]),
    ),
    lambda inner: st.tuples(
        st.sampled_from(["a", "div", "span"]),
        st.lists(_NEXT_ATTRS, max_size=3).map(dict),
        st.lists(inner, max_size=3),
    ),
    max_leaves=12,
)


_next_markup = tree_markup


@settings(max_examples=300)
@example([("div", {"class": "pager"}, [("a", {"rel": "next", "href": "/search/?p=2"}, [])])])
@given(st.lists(_NEXT_NODE, max_size=4))
def test_next_links_from_the_candidates_are_those_of_every_link(nodes: list[Any]) -> None:
    from spiders.pages.yandex import _next_links, _next_links_of

    markup = "".join(map(_next_markup, nodes))
    page = Page(url="https://yandex.ru/search/?text=x", text=f"<html><body>{markup}</body></html>")
    root = page.root
    assert _next_links(root, page) == _next_links_of(root.iter("a"), page)
