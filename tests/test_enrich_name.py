"""Company-name matching keys in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrich.name import name_tokens, normalise_name


@pytest.mark.parametrize(
    "name",
    [
        "Brightlens Optics Pty Ltd",
        "BRIGHTLENS OPTICS PTY. LTD.",
        "Brightlens Optics",
        "Brightlens Optics Co., Ltd.",
        "Brightlens Optics Co.,Ltd",
        "Brightlens (Shenzhen) Optics Co., Ltd.",
        "Shenzhen Brightlens Optics Limited",
        "Brightlens Optics LLC",
        "Brightlens Optics, Inc.",
        "Brightlens Optics GmbH",
        "Brightlens Optics Corp",
        "Ｂｒｉｇｈｔｌｅｎｓ　Ｏｐｔｉｃｓ",
        "Brightlens Optics P/L",
        "Brightlens Optics Proprietary Limited",
        "Brightlens Optics (P) Ltd",
    ],
)
def test_english_legal_forms_and_width(name: str) -> None:
    assert normalise_name(name) == "brightlens optics"


@pytest.mark.parametrize(
    "name",
    [
        "深圳市明镜光学有限公司",
        "明镜光学",
        "明镜光学（深圳）有限公司",
        "广东省深圳市明镜光学股份有限公司",
        "明镜光学有限责任公司",
        "明镜光学集团",
        "明镜光学深圳分公司",
        "深圳 明镜 光学 有限公司",
        "明镜光学厂",
    ],
)
def test_chinese_forms_and_places(name: str) -> None:
    assert normalise_name(name) == "明镜光学"


def test_different_businesses_keep_different_keys() -> None:
    assert normalise_name("深圳市华强电子有限公司") == "华强电子"
    assert normalise_name("Harbour Freight Logistics") != normalise_name("Brightlens Optics")


def test_mid_name_legal_form_cuts_off_the_branch() -> None:
    assert normalise_name("Akzo Nobel N.V. Arnhem") == "akzo nobel"
    assert normalise_name("D S M N.V.") == "dsm"


def test_empty_and_legal_form_only() -> None:
    assert normalise_name("") == ""
    assert normalise_name("有限公司") == "有限公司"  # nothing else to keep


def test_tokens_latin_words_and_cjk_bigrams() -> None:
    assert name_tokens("brightlens optics") == ["brightlens", "optics"]
    assert name_tokens("明镜光学") == ["明镜", "镜光", "光学"]
    assert name_tokens("abc 明") == ["abc", "明"]


@given(st.text(alphabet="AbC dé.,&()（）有限公司深圳市明镜光学 Ltd Co Inc", max_size=30))
def test_key_normalises_to_itself(name: str) -> None:
    key = normalise_name(name)
    assert normalise_name(key) == key
