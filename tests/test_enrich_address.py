"""First-pass address parsing: the country decides how local phone numbers are read."""

from __future__ import annotations

import pytest

from enrich.address import AddressParts, country_code, guess_country, parse_address
from enrich.pipeline import enrich_lead
from enrich.regions import cn_regions, regions_from_mapping
from leadharvest.items import Lead, Phone
from leadharvest.settings import ConfigError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Suite 502, Level 5, 88 Example Street, Sydney NSW 2000",
            AddressParts("AU", "NSW", "Sydney", "2000"),
        ),
        ("4299 Reynolds Drive, Hilliard, OH 43026", AddressParts("US", "OH", "Hilliard", "43026")),
        (
            "101-1305 Welch St, North Vancouver, BC V7P 1B3",
            AddressParts("CA", "BC", "North Vancouver", "V7P 1B3"),
        ),
        ("295 Eastern Avenue, Ilford, Essex IG2 6NT", AddressParts("GB", "", "Essex", "IG2 6NT")),
        (
            "L-125, Naraina Industrial Area, New Delhi - 110028, India",
            AddressParts("IN", "", "", "110028"),
        ),
        (
            "广东省深圳市南山区科技园路1号 邮编：518057",
            AddressParts("CN", "广东省", "深圳市", "518057", "南山区"),
        ),
        # a municipality is its own city
        ("上海市闵行区示例路88号", AddressParts("CN", "上海市", "上海市", "", "闵行区")),
        # 市南区 is a district of Qingdao; 香港中路 a street there, not Hong Kong
        ("山东省青岛市市南区香港中路10号", AddressParts("CN", "山东省", "青岛市", "", "市南区")),
        ("香港九龙弥敦道100号", AddressParts("HK", "", "", "")),
        ("", AddressParts()),
        ("Somewhere without signals", AddressParts()),
    ],
)
def test_parse_address(raw: str, expected: AddressParts) -> None:
    assert parse_address(raw) == expected


def test_guess_country_needs_a_plain_signal() -> None:
    assert guess_country("12 Main Road, Cairns QLD 4870, Australia") == "AU"
    assert guess_country("Unit 4, Leeds") == ""


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("AU", "AU"),
        ("au", "AU"),
        (" Australia ", "AU"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("中国", "CN"),
        ("USA", "US"),
        ("hk", "HK"),
        ("XX", ""),  # two letters, but no country's code
        ("Atlantis", ""),
        ("", ""),
    ],
)
def test_country_code_reads_a_country_field_as_pages_and_csvs_write_it(
    field: str, code: str
) -> None:
    assert country_code(field) == code


def test_one_country_is_one_value_after_enrichment() -> None:
    # a JSON-LD page says "Australia", a directory says "AU": dedupe compares one key
    named = enrich_lead(Lead(name="Coral Cameras", country="Australia"), region="AU")
    coded = enrich_lead(Lead(name="Coral Cameras", country="au"), region="AU")
    unknown = enrich_lead(Lead(name="Coral Cameras", country="Atlantis"), region="AU")
    assert named.country == coded.country == "AU"
    assert unknown.country == "Atlantis"  # kept as found when it names no country plainly


def test_a_dot_com_site_with_an_australian_address_reads_local_numbers_as_australian() -> None:
    lead = Lead(
        name="Shutterbox Camera Wholesale",
        website="https://shutterbox-wholesale.example/",
        address_raw="14 Practice Lane, Burleigh Heads QLD 4220",
        phones=[Phone(raw="(07) 5550 0177", label="tel")],
    )
    enrich_lead(lead, region="CN")
    assert lead.country == "AU"
    assert lead.phones[0].e164 == "+61755500177"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # no province written: the city's province comes from config/cn_regions.toml
        ("深圳市宝安区西乡街道 518102", AddressParts("CN", "广东省", "深圳市", "518102", "宝安区")),
        # 北京路 is a street in Guangzhou, not the municipality of Beijing
        ("广州市越秀区北京路100号", AddressParts("CN", "广东省", "广州市", "", "越秀区")),
        # a county-level city under a prefecture-level one
        ("中国浙江省金华市义乌市福田街道", AddressParts("CN", "浙江省", "金华市", "", "义乌市")),
        ("江苏省苏州市昆山市玉山镇", AddressParts("CN", "江苏省", "苏州市", "", "昆山市")),
        # Dongguan has towns, not districts: 长安镇 is no district
        ("东莞市长安镇新安社区", AddressParts("CN", "广东省", "东莞市", "", "")),
        # province and city share a name
        ("吉林省吉林市船营区", AddressParts("CN", "吉林省", "吉林市", "", "船营区")),
        (
            "广西壮族自治区南宁市青秀区",
            AddressParts("CN", "广西壮族自治区", "南宁市", "", "青秀区"),
        ),
        # an autonomous prefecture is not in the table but reads from its suffix
        ("延边朝鲜族自治州延吉市", AddressParts("CN", "", "延边朝鲜族自治州", "", "延吉市")),
        # a phone number is no postcode; a six-digit run of another province is none either
        ("深圳市南山区 电话0755-86001234", AddressParts("CN", "广东省", "深圳市", "", "南山区")),
        ("深圳市南山区 100000", AddressParts("CN", "广东省", "深圳市", "", "南山区")),
        # a bare postcode alone gives the province it belongs to (51xxxx: Guangdong)
        ("南山区科技园 518057", AddressParts("CN", "广东省", "", "518057", "")),
        ("台湾台北市信义区", AddressParts("TW", "", "台北市", "", "信义区")),
    ],
)
def test_chinese_province_city_district_postcode(raw: str, expected: AddressParts) -> None:
    assert parse_address(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "No. 1 Keyuan Road, Nanshan District, Shenzhen, Guangdong 518057, China",
            AddressParts("CN", "广东省", "深圳市", "518057", "Nanshan District"),
        ),
        # Taizhou is a city in Zhejiang and another in Jiangsu: the province decides
        ("Room 5, Taizhou, Zhejiang, China", AddressParts("CN", "浙江省", "台州市", "", "")),
        ("Room 5, Taizhou, Jiangsu, China", AddressParts("CN", "江苏省", "泰州市", "", "")),
        # ... and without it the city stays unknown rather than guessed
        ("88 Renmin Road, Suzhou, China", AddressParts("CN", "", "", "", "")),
        ("Xi'an, Shaanxi, China", AddressParts("CN", "陕西省", "西安市", "", "")),
        ("Pudong, Shanghai, P.R. China 200120", AddressParts("CN", "上海市", "上海市", "200120")),
    ],
)
def test_chinese_addresses_in_latin_letters(raw: str, expected: AddressParts) -> None:
    assert parse_address(raw) == expected


def test_pipeline_fills_region_city_and_district() -> None:
    lead = enrich_lead(Lead(name="光影数码", address_raw="深圳市南山区科技园路1号"), region="CN")
    assert (lead.country, lead.region, lead.city, lead.district) == (
        "CN",
        "广东省",
        "深圳市",
        "南山区",
    )


def test_regions_table_is_checked_when_loaded() -> None:
    good = {
        "name": "广东省",
        "short": "广东",
        "pinyin": "guangdong",
        "kind": "province",
        "postcode": ["51"],
        "cities": ["深圳"],
    }
    assert regions_from_mapping({"province": [good]}).city_by_short["深圳"].name == "深圳市"
    bad_rows = [
        {**good, "kind": "state"},
        {**good, "postcode": ["518"]},
        {**good, "short": "广西"},
        {**good, "cities": ["深圳市"]},
        {**good, "capital": "广州"},
    ]
    for row in bad_rows:
        with pytest.raises(ConfigError, match="province #1"):
            regions_from_mapping({"province": [row]})
    with pytest.raises(ConfigError, match="listed twice"):
        regions_from_mapping({"province": [{**good, "cities": ["深圳", "深圳"]}]})
    with pytest.raises(ConfigError, match="unknown key"):
        regions_from_mapping({"province": [good], "county": []})


def test_every_city_in_the_table_parses_to_its_own_province() -> None:
    regions = cn_regions()
    assert len(regions.provinces) == 31
    for city in regions.cities:
        parts = parse_address(f"{city.name}某某路1号")
        assert (parts.region, parts.city) == (city.province.name, city.name), city.name
