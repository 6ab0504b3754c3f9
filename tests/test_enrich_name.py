"""Company-name matching keys in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrich.name import (
    NameWords,
    name_tokens,
    normalise_name,
    own_words,
    pinyin_key,
    simplified,
)
from leadharvest.settings import ConfigError


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
        # European forms spelled out, as registers and patent offices write them
        "Brightlens Optics Aktiengesellschaft",
        "Brightlens Optics Gesellschaft mit beschränkter Haftung",
        "Brightlens Optics Société Anonyme",
        "Brightlens Optics Sociedad Anónima",
        "Brightlens Optics Società per Azioni",
        "Aktiebolag Brightlens Optics",
        "Brightlens Optics Naamloze Vennootschap, Eindhoven",
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


@pytest.mark.parametrize(
    "name",
    [
        "深圳市光影数码科技有限公司",
        "（深圳）光影數碼科技",  # traditional script, full-width brackets around the city
        "(深圳)光影数码科技有限公司",
        "【深圳】光影数码科技",
        "光影数码科技（深圳）有限公司",
        "广东省深圳市光影数码科技股份有限公司",
        "深圳光影数码科技有限责任公司",
        "光影數碼科技有限公司",
        "光影数码科技经营部",
        "光影数码科技工作室",
        "光影数码科技门市部",
    ],
)
def test_one_chinese_business_in_both_scripts_has_one_key(name: str) -> None:
    assert normalise_name(name) == "光影数码科技"


def test_taiwan_names_in_either_script() -> None:
    # 台灣 is the traditional spelling of 台湾 (both mean Taiwan), and 臺 the formal form of 台
    assert normalise_name("台灣光影數碼股份有限公司") == "光影数码"
    assert normalise_name("台湾光影数码股份有限公司") == "光影数码"
    assert normalise_name("華強電子(香港)有限公司") == "华强电子"


def test_region_prefixes_from_the_table_need_their_suffix() -> None:
    # 安康 is a prefecture-level city in Shaanxi, but also a common brand word: only 安康市
    # is a place prefix; 南宁 (in the table) likewise, behind a full autonomous-region name
    assert normalise_name("安康市安康医疗器械有限公司") == "安康医疗器械"
    assert normalise_name("安康医疗器械有限公司") == "安康医疗器械"
    assert normalise_name("广西壮族自治区南宁市某某贸易有限公司") == "某某贸易"


def test_shown_name_is_not_changed_by_enrichment() -> None:
    from enrich.pipeline import enrich_lead
    from leadharvest.items import Lead

    lead = enrich_lead(Lead(name="（深圳）光影數碼科技"), region="CN")
    assert lead.name == "（深圳）光影數碼科技"
    assert lead.normalized_name == "光影数码科技"


def test_simplified_folds_traditional_only() -> None:
    assert simplified("台灣光影數碼") == "台湾光影数码"
    assert simplified("深圳 Brightlens 数码") == "深圳 Brightlens 数码"
    assert simplified("") == ""


@pytest.mark.parametrize(
    "name",
    [
        "深圳市光影数码科技有限公司",
        "（深圳）光影數碼科技",
        "Shenzhen Guangying Digital Technology Co., Ltd.",
        "SHENZHEN GUANGYING DIGITAL TECH CO LTD",
        "Guangying Digital Technologies Limited",
        "Guangying Digital Science & Technology (Shenzhen) Co., Ltd.",
    ],
)
def test_pinyin_key_joins_a_chinese_name_and_its_romanisation(name: str) -> None:
    # 光影 is spelled guang-ying in toneless pinyin and written as one word, as English
    # names write it; 数码 and 科技 are the words translated names use for them
    assert pinyin_key(name) == "guangying digital technology"


def test_pinyin_key_keeps_what_the_business_does_apart() -> None:
    assert pinyin_key("深圳光影数码") == pinyin_key("Shenzhen Guangying Digital")
    assert pinyin_key("光影照明有限公司") == "guangying lighting"
    assert pinyin_key("光影照明有限公司") != pinyin_key("光影数码有限公司")
    assert pinyin_key("华为技术有限公司") == pinyin_key("Huawei Technologies Co., Ltd.")
    assert pinyin_key("") == ""


def test_name_words_table_is_checked() -> None:
    ok = NameWords.from_mapping(
        {"descriptors": {"數碼": "digital"}, "synonyms": {"tech": "technology"}}, origin="t"
    )
    assert ok.descriptors == {"数码": "digital"}  # keys are folded to simplified
    shared = NameWords.from_mapping(
        {"shared_words": {"places": ["europa"], "standing": ["royal", "europa"]}}, origin="t"
    )
    assert shared.shared == {"europa", "royal"}
    for bad in (
        {"descriptors": {"digital": "digital"}},
        {"descriptors": {"数码": ""}},
        {"descriptors": {"数码": "数码"}},
        {"words": {}},
        {"shared_words": {"places": "europa"}},
        {"shared_words": {"places": ["Europa"]}},
        {"shared_words": {"places": ["north america"]}},
        {"shared_words": {"places": [3]}},
    ):
        with pytest.raises(ConfigError, match="t: "):
            NameWords.from_mapping(bad, origin="t")


@pytest.mark.parametrize(
    ("name", "own"),
    [
        ("Canon Europa N.V.", "canon"),
        ("Sony Europa B.V.", "sony"),
        ("Thales Nederland B.V.", "thales"),
        ("Koninklijke Philips Electronics N.V.", "philips"),
        ("N.V. Philips' Gloeilampenfabrieken", "philips gloeilampenfabrieken"),
        ("Hitachi Global Storage Technologies", "hitachi storage"),
        ("Harbour Photo Supplies Pty Ltd", "harbour photo supplies"),
        ("International Trading Co., Ltd.", ""),
        ("深圳市明镜光学有限公司", "明镜"),
        ("光影数码科技有限公司", "光影"),
    ],
)
def test_own_words_keep_what_names_the_business(name: str, own: str) -> None:
    assert own_words(normalise_name(name)) == own


def test_own_words_come_from_the_config_table() -> None:
    # every place and standing word in the shipped table is set aside, and nothing else is
    from enrich.name import name_words

    shared = name_words().shared
    assert {"europa", "nederland", "koninklijke", "international", "us"} <= shared
    for word in sorted(shared):
        assert own_words(f"acme {word}") == "acme"
    assert own_words("acme zeeland") == "acme zeeland"
