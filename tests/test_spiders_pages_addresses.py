"""The address block: where it starts, where it stops; postcodes and registration numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages import addresses
from spiders.pages.addresses import find_address, find_postcode, find_registration_id


@pytest.mark.parametrize(
    "after",
    [
        "Reception (building switchboard)\n02 5550 0300",
        "Reception, ground floor\nMon-Fri 9am-5pm",
        "Switchboard\n02 5550 0300",
        "Trading hours Mon-Fri",
        "Opening hours: 9-5",
        "Opens 9 am Mon",
        "Mon-Fri 9am-5pm",
        "Monday to Friday, 9-5",
        "Phone (02) 5550 0300",
        "Fax\n02 5550 0301",
        "Email\norders@southerncross-camera.example",
        "营业时间：9:00-18:00",
    ],
)
def test_address_stops_at_the_next_labelled_line(after: str) -> None:
    text = f"Address:\nSuite 502, Level 5\n88 Example Street\nSydney NSW 2000\n{after}"
    address, _ = find_address(text)
    assert address == "Suite 502, Level 5, 88 Example Street, Sydney NSW 2000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Address:\n12 Example Boulevard\nTel Aviv, Israel",
            "12 Example Boulevard, Tel Aviv, Israel",
        ),
        ("Address:\n1 Example Street\nMobile, AL 36602", "1 Example Street, Mobile, AL 36602"),
        ("Address:\n1 Example Street\nSunbury VIC 3429", "1 Example Street, Sunbury VIC 3429"),
    ],
)
def test_places_that_look_like_labels_stay_in_the_address(text: str, expected: str) -> None:
    assert find_address(text)[0] == expected


def test_address_block_headed_by_the_business_name() -> None:
    text = "Address\nPennine Photo Distribution\n2 Sample Trading Estate\nLeeds LS11 0ZZ\nFax"
    address, org = find_address(text)
    assert org == "Pennine Photo Distribution"
    assert address == "2 Sample Trading Estate, Leeds LS11 0ZZ"


def test_chinese_address_is_one_line() -> None:
    text = "地址：北京市海淀区示例大街100号视界大厦1层\n总机：010-6555 0404"
    assert find_address(text) == ("北京市海淀区示例大街100号视界大厦1层", "")


def test_postcode_labelled_or_in_the_address() -> None:
    assert find_postcode("邮编：226001", "") == "226001"
    assert find_postcode("", "41 Example Row, London SE1 9ZZ") == "SE1 9ZZ"
    assert find_postcode("", "88 Example Street, Sydney NSW 2000") == "2000"


def test_registration_id_skips_vat_numbers() -> None:
    text = "VAT Registration No. GB 123 4567 89\nCompany No. 01234567"
    assert find_registration_id(text) == "01234567"
    assert find_registration_id("统一社会信用代码：91440300MA5F0XXX1K") == "91440300MA5F0XXX1K"


def test_unit_line_above_an_unlabelled_street_line() -> None:
    text = (
        "Contact\nSuite 502, Level 5\n88 Example Street\nSydney NSW 2000\nReception, ground floor"
    )
    assert find_address(text)[0] == "Suite 502, Level 5, 88 Example Street, Sydney NSW 2000"


def test_placeholder_and_truncated_addresses() -> None:
    # a directory's empty card says "地址：- -": no address at all
    assert find_address("公司名称\n地址：- -\n更多产品> 联系方式>\n成立时间")[0] == ""
    # a shortened address keeps no "...详情" tail
    assert (
        find_address("地址：辽宁省大连市中山区上海路42号...详情")[0]
        == "辽宁省大连市中山区上海路42号"
    )


def test_address_stops_at_a_map_listing_status_line() -> None:
    text = "Made in London Dental\n8 Buckingham Palace Rd\nOpens soon · 9 am\nOn-site services"
    assert find_address(text)[0] == "8 Buckingham Palace Rd"


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"aA1 ,.-#路号市",
                *("Suite ", "295 ", "Eastern Avenue", "St", "London", "IG2 6NT", "上海市"),
                *("浦东新区", "张江路", "88号", "NSW 2000", "Unit 5", "Road", "Tel "),
            ]
        ),
        max_size=10,
    ).map("".join)
)
def test_a_line_with_no_digit_comma_or_chinese_is_no_kind_of_address_line(line: str) -> None:
    # find_address does not ask _line_kind about such lines
    if addresses._KIND_NEEDS_RE.search(line) is None:
        assert addresses._line_kind(line) == 0
