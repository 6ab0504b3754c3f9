"""One business's contacts from a block of text: the scanner, then libphonenumber's matcher."""

from __future__ import annotations

import pytest

from leadharvest.items import Lead
from leadharvest.settings import defaults
from spiders.pages.leadtext import contact_region, fill_contacts


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def phones_of(text: str, *, website: str = "", region: str = "") -> list[tuple[str, str]]:
    lead = Lead(name="", website=website)
    fill_contacts(lead, text, region=region)
    return [(digits(p.raw), p.label) for p in lead.phones]


def test_the_matcher_adds_a_number_the_website_country_knows() -> None:
    text = "Harbour Lamps Ltd\nTel: +852 2345 6789\nKowloon shop\n9876 5432\nCompany No. 2345 6780"
    # .hk: 9876 5432 is a Hong Kong mobile; the company number stays out
    assert phones_of(text, website="https://www.harbourlamps.com.hk/") == [
        ("85223456789", "tel"),
        ("98765432", ""),
    ]
    # the same text read as Chinese numbers: 9876 5432 has no area code, so it is no phone
    assert phones_of(text, website="https://www.harbourlamps.cn/") == [("85223456789", "tel")]


def test_an_explicit_region_wins_over_the_website() -> None:
    text = "Delhi showroom\n98116 37149"
    assert phones_of(text, website="https://www.example.cn/", region="IN") == [("9811637149", "")]
    assert phones_of(text, website="https://www.example.cn/") == []


def test_a_date_under_a_reviewers_initial_is_no_phone() -> None:
    # "Priyanka P." ends like the label "P." (phone): only a valid number may take it
    text = (
        "853 Valencia St\nSan Francisco, CA 94110\n(415) 970-0012\n"
        "Review from Priyanka P.\n5/18/2013 1 check-in here\n"
        "Review from Nique F.\n(415) 970-0013\n"
    )
    assert phones_of(text, website="https://www.yelp.com/biz/amnesia") == [
        ("4159700012", ""),
        ("4159700013", "fax"),
    ]


def test_the_persons_number_stays_the_persons_and_the_matchers_is_the_business() -> None:
    text = "Jane Chan, Sales Manager\nMobile: 9876 5432\nKowloon shop\n6123 4567"
    lead = Lead(name="", website="https://www.example.com.hk/")
    fill_contacts(lead, text)
    assert [digits(p.raw) for p in lead.phones] == ["61234567"]
    (jane,) = lead.people
    assert [(digits(p.raw), p.label) for p in jane.phones] == [("98765432", "mobile")]


@pytest.mark.parametrize(
    ("lead", "address", "expected"),
    [
        (Lead(name="", country="AU", website="https://www.example.cn/"), "", "AU"),
        (Lead(name="", website="https://www.example.com/"), "12 Smith St, Cairns QLD 4870", "AU"),
        (Lead(name="", website="https://www.example.co.uk/"), "", "GB"),
        (Lead(name="", website="https://www.example.com/"), "香港九龙尖沙咀弥敦道100号", "HK"),
        # a street named after Hong Kong in Qingdao is in China
        (Lead(name="", website="https://www.example.com/"), "青岛市市南区香港中路100号", "CN"),
        (Lead(name="", address_raw="San Francisco, CA 94110"), "", "US"),
    ],
)
def test_contact_region(lead: Lead, address: str, expected: str) -> None:
    assert contact_region(lead, address) == expected


def test_contact_region_falls_back_to_the_configured_default() -> None:
    lead = Lead(name="", website="https://www.example.com/")
    assert contact_region(lead) == str(defaults()["region"]).upper()
