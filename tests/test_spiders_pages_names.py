"""Who a site belongs to: page-title words, the title, the logo, the copyright line, ranking."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages import names
from spiders.pages.base import Page
from spiders.pages.labels import words
from spiders.pages.names import (
    COPYRIGHT_RE,
    LEGAL_SUFFIX_RE,
    WEAK_SOURCES,
    NameSource,
    _copyright_owner,
    _logo_marked,
    choose_name,
    choose_name_source,
    copyright_name,
    is_generic_name,
    logo_images,
    logo_name,
    title_name,
)
from tests.realpages import real_page


def page(html: str, url: str = "https://www.kestrel-camera.example/our-team/") -> Page:
    return Page(url=url, text=html)


@pytest.mark.parametrize(
    "value",
    [
        "Our Team",
        "Team",
        "Meet the Team",
        "Staff",
        "About",
        "About Us",
        "Contact",
        "Contact Us",
        "contact us!",
        "Home",
        "Home Page",
        "Welcome",
        "联系我们",
        "关于我们",
        "公司简介",
        "首页",
        "团队介绍",
        "",
    ],
)
def test_page_title_words_are_generic(value: str) -> None:
    assert is_generic_name(value)


@pytest.mark.parametrize(
    "value",
    [
        "Kestrel Camera Distributors",
        "Team Photo Ltd",
        "Home Hardware Pty Ltd",
        "北京视界通数码相机维修中心",
    ],
)
def test_names_that_hold_a_page_word_are_not_generic(value: str) -> None:
    assert not is_generic_name(value)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Our Team – Kestrel Camera Distributors", "Kestrel Camera Distributors"),
        ("Meet the team | Kestrel Camera Distributors", "Kestrel Camera Distributors"),
        ("Welcome to Kestrel Camera Distributors | Home", "Kestrel Camera Distributors"),
        # the segment that spells the domain beats a slogan that comes first
        ("Trade camera supply – Kestrel Camera Distributors", "Kestrel Camera Distributors"),
        ("首页-深圳市明光光学有限公司", "深圳市明光光学有限公司"),
        ("Our Team", ""),
        ("联系我们", ""),
    ],
)
def test_title_name(title: str, expected: str) -> None:
    html = f"<html><head><title>{title}</title></head><body></body></html>"
    assert title_name(page(html), domain="kestrel-camera.example") == expected


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        (
            '<img class="logo" src="/k.png" alt="Kestrel Camera Distributors logo">',
            "Kestrel Camera Distributors",
        ),
        (
            '<a class="site-logo" href="/"><img src="/k.png" alt="Kestrel Camera"></a>',
            "Kestrel Camera",
        ),
        ('<img src="/img/logo.png" alt="Harbour Optics Pty Ltd">', "Harbour Optics Pty Ltd"),
        ('<img class="logo" src="/k.png" alt="image here">', ""),  # not the domain, no legal form
        ('<img class="logo" src="/k.png" alt="Home">', ""),
        ('<img src="/banner.png" alt="Kestrel Camera Distributors">', ""),  # not a logo
    ],
)
def test_logo_name(img: str, expected: str) -> None:
    html = f"<html><body><header>{img}</header></body></html>"
    assert logo_name(page(html), domain="kestrel-camera.example") == expected


def test_structured_name_beats_the_title_and_the_site_name() -> None:
    candidates = [
        (NameSource.TITLE, "Thamesbridge Cameras"),
        (NameSource.SITE_NAME, "Thamesbridge Cameras"),
        (NameSource.STRUCTURED, "Thamesbridge Cameras Ltd"),
    ]
    assert choose_name(candidates, "thamesbridge-cameras.example") == "Thamesbridge Cameras Ltd"


def test_generic_candidates_are_never_chosen() -> None:
    candidates = [
        (NameSource.STRUCTURED, "Contact Us"),
        (NameSource.LABELLED, "关于我们"),
        (NameSource.TITLE, "Our Team"),
    ]
    assert choose_name(candidates, "kestrel-camera.example") == ""
    candidates.append((NameSource.LOGO, "Kestrel Camera Distributors"))
    assert choose_name(candidates, "kestrel-camera.example") == "Kestrel Camera Distributors"


def test_name_source_order() -> None:
    assert list(NameSource) == sorted(NameSource)
    assert NameSource.STRUCTURED < NameSource.COPYRIGHT < NameSource.SITE_NAME
    assert NameSource.SITE_NAME < NameSource.LOGO < NameSource.TITLE


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("© 2021 Holme Valley Lenses Ltd. All rights reserved.", "Holme Valley Lenses Ltd."),
        ("Copyright © 2012-2024 深圳市明光光学有限公司 版权所有", "深圳市明光光学有限公司"),
        ("© 2024 Kestrel Camera Distributors | Privacy", "Kestrel Camera Distributors"),
        ("Trade enquiries welcome", ""),
    ],
)
def test_copyright_name(line: str, expected: str) -> None:
    assert copyright_name(f"Contact\n{line}") == expected


def test_choose_name_source_tells_where_the_name_came_from() -> None:
    candidates = [
        (NameSource.TITLE, "Widgets Direct"),
        (NameSource.CHINESE_COMPANY, "北京演示科技有限公司"),
    ]
    assert choose_name_source(candidates, "demo.example") == (
        "北京演示科技有限公司",
        NameSource.CHINESE_COMPANY,
    )
    assert choose_name_source([(NameSource.TITLE, "Contact Us")], "demo.example") == ("", -1)
    assert NameSource.TITLE in WEAK_SOURCES
    assert NameSource.LABELLED not in WEAK_SOURCES


LOGO_MARKUP = """<html><body><div id="Site-LOGO"><a href="/"><img id="a" src="/x.png"></a></div>
<img id="b" src="/img/logo.png"><img id="c" class="photo" src="/c.png">
<div class="lo go"><img id="d" src="/d.png"></div>
<header class="top"><div class="brand-Logo"><span><img id="e" src="/e.png"></span></div>
<img id="f" src="/f.png"></header><p><img id="g" class="footer-logo" src="/g.png"></p>
</body></html>"""


def _logo_images_by_walking(root: Any) -> list[Any]:
    """Images marked as a logo or inside a marked element, every image's ancestors asked."""
    return [
        img
        for img in root.iter("img")
        if _logo_marked(img.get("class"), img.get("id"), img.get("src"))
        or any(_logo_marked(a.get("class"), a.get("id")) for a in img.iterancestors())
    ]


@pytest.mark.parametrize(
    "source",
    [
        LOGO_MARKUP,
        "company_sites/chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html",
        "company_sites/upwardconstruction_ca/contact_microdata_2014__webstruct.html",
    ],
)
def test_logo_images_are_the_images_a_walk_up_finds_marked(source: str) -> None:
    if source is LOGO_MARKUP:
        root = page(LOGO_MARKUP).selector.root
        assert [img.get("id") for img in logo_images(root)] == ["a", "b", "e", "g"]
    else:
        root = real_page(source, "https://www.example.com/").selector.root
    assert list(logo_images(root)) == _logo_images_by_walking(root)


def test_copyright_name_reads_the_first_line_that_names_an_owner() -> None:
    text = (
        "© 2014 | (c) Privacy\n"  # marked twice, names no one
        "Our products\n"
        "Copyright 2014 © Foo Widgets Ltd. All rights reserved. © Bar Ltd\n"
        "© Baz Inc."
    )
    assert copyright_name(text) == "Foo Widgets Ltd."
    assert copyright_name("no mark here\nnor here") == ""


_COPYRIGHT_DEFINITION = re.compile(r"©|\(c\)|&copy;|copyright|版权所有|版權所有", re.IGNORECASE)
_COPYRIGHT_PIECES = [*"©(&cC版权權所有oOpyrightİı);x \n", "(c)", "&COPY;", "CopyRİght", "版權所有"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_COPYRIGHT_PIECES), max_size=16))
def test_copyright_marks_are_the_case_blind_definitions(parts: list[str]) -> None:
    text = "".join(parts)
    found = [m.span() for m in COPYRIGHT_RE.finditer(text)]
    assert found == [m.span() for m in _COPYRIGHT_DEFINITION.finditer(text)]


_LEGAL_DEFINITION = re.compile(
    r"\b(?:Ltd|Limited|Inc|Incorporated|LLC|L\.L\.C|LLP|PLC|Corp|Corporation|Co|Company|GmbH|AG|KG|"
    r"S\.?A|S\.?L|S\.?r\.?l|B\.?V|N\.?V|Pty|Pvt|Bhd|Sdn|Oy|AB|A/S|SAS|SARL|Industries|Wholesale|"
    r"Manufacturing|Trading|Enterprises?|Group|Holdings)\b\.?",
    re.IGNORECASE,
)
_LEGAL_PIECES = [  # \u212a: the Kelvin sign, which IGNORECASE takes for "k"
    *words(
        """
        Ltd Limited Inc Incorporated LLC L.L.C LLP PLC Corp Corporation Co Company GmbH AG KG
        S.A SA S.L S.r.l B.V N.V Pty Pvt Bhd Sdn Oy AB A/S SAS SARL Industries Wholesale
        Manufacturing Trading Enterprise Enterprises Group Holdings
        LTD İnc ınc ſarl \u212ag Com Co. Srl
        """
    ),
    *" .,-_/1éx\n",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_LEGAL_PIECES), max_size=10))
def test_legal_suffixes_are_the_case_blind_definitions(parts: list[str]) -> None:
    text = "".join(parts)
    found = [m.span() for m in LEGAL_SUFFIX_RE.finditer(text)]
    assert found == [m.span() for m in _LEGAL_DEFINITION.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*_COPYRIGHT_PIECES, "COPYRİGHT", "copyrıght", " Foo Ltd"]), max_size=12
    )
)
def test_copyright_name_is_the_line_by_line_reading(parts: list[str]) -> None:
    # the first mark is found by str.find in the folded text before the pattern reads on
    text = "".join(parts)
    expected = ""
    for line in text.split("\n"):
        m = _COPYRIGHT_DEFINITION.search(line)
        if m and (expected := _copyright_owner(line, m.start())):
            break
    assert copyright_name(text) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Kestrel Camera | Birch Optics",
        "Contact Us | Kestrel Camera Distributors",
        "联系我们-南通鲁班建设有限公司",
        "",
        "Home",
    ],
)
def test_title_name_is_read_once_per_domain(title: str) -> None:
    """The memoised title name is the one worked out afresh, for each domain asked of the
    same page (the first title names a different segment for each domain)."""
    html = f"<html><head><title>{title}</title></head><body><p>x</p></body></html>"
    same = page(html)
    for domain in ("kestrel-camera.example", "birch-optics.example", "e-zjs.com", ""):
        fresh = names._title_name(page(html), domain)
        assert title_name(same, domain=domain) == fresh
        assert title_name(same, domain=domain) == fresh
    if title.startswith("Kestrel"):
        assert title_name(same, domain="birch-optics.example") == "Birch Optics"
        assert title_name(same, domain="kestrel-camera.example") == "Kestrel Camera"
