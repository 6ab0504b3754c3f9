"""First-pass address parsing: the country decides how local phone numbers are read."""

from __future__ import annotations

import pytest

from enrich.address import AddressParts, guess_country, parse_address
from enrich.pipeline import enrich_lead
from leadharvest.items import Lead, Phone


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
            AddressParts("CN", "广东", "深圳市", "518057"),
        ),
        ("上海市闵行区示例路88号", AddressParts("CN", "上海市", "", "")),
        ("山东省青岛市市南区香港中路10号", AddressParts("CN", "山东", "青岛市", "")),
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
