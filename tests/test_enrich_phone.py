"""Phone normalisation: E.164, extensions, line types, masked and junk numbers."""

from __future__ import annotations

import pytest

from enrich.phone import normalise_phone, region_for
from leadharvest.items import Lead, Phone


@pytest.mark.parametrize(
    ("raw", "label", "region", "e164", "extension", "kind"),
    [
        ("(07) 4051 1234", "tel", "AU", "+61740511234", "", "landline"),
        ("0412 345 678", "mobile", "AU", "+61412345678", "", "mobile"),
        ("1800 123 456", "", "AU", "+611800123456", "", "toll_free"),
        ("020 7946 0018", "", "GB", "+442079460018", "", "landline"),
        ("(212) 555-0123 ext. 45", "", "US", "+12125550123", "45", "landline"),
        ("098765 43210", "", "IN", "+919876543210", "", "mobile"),
        ("0755-8888 1234 转 8", "电话", "CN", "+8675588881234", "8", "landline"),
        ("010-6552 9988", "", "CN", "+861065529988", "", "landline"),
        ("021 5888 1234 分机 302", "", "CN", "+862158881234", "302", "landline"),
        ("0755-88881234-808", "", "CN", "+8675588881234", "808", "landline"),
        ("86-755-88881234", "", "CN", "+8675588881234", "", "landline"),
        ("139 1234 5678", "手机", "CN", "+8613912345678", "", "mobile"),
        ("400-820-8820", "热线", "CN", "+864008208820", "", "shared_cost"),
        ("800-820-8820", "", "CN", "+868008208820", "", "toll_free"),
        ("０７５５－８８８８１２３４", "", "CN", "+8675588881234", "", "landline"),
    ],
)
def test_numbers_parse_to_e164_and_type(
    raw: str, label: str, region: str, e164: str, extension: str, kind: str
) -> None:
    phone = normalise_phone(Phone(raw=raw, label=label, sources=["https://a.example/"]), region)
    assert (phone.e164, phone.extension, phone.type, phone.valid) == (e164, extension, kind, True)
    assert phone.raw == raw
    assert phone.sources == ["https://a.example/"]


def test_leading_plus_keeps_its_own_country() -> None:
    phone = normalise_phone(Phone(raw="+44 20 7946 0018"), "CN")
    assert phone.e164 == "+442079460018"
    assert normalise_phone(Phone(raw="+86 (0)755 8888 1234"), "AU").e164 == "+8675588881234"


@pytest.mark.parametrize("label", ["fax", "Fax:", "FX", "传真"])
def test_fax_label_wins_over_line_type(label: str) -> None:
    phone = normalise_phone(Phone(raw="0755-8888 1235", label=label), "CN")
    assert phone.type == "fax"
    assert phone.e164 == "+8675588881235"


def test_fax_written_in_the_raw_text_counts() -> None:
    assert normalise_phone(Phone(raw="Fax: 02 9876 5432"), "AU").type == "fax"


def test_masked_number_stays_masked_without_e164() -> None:
    phone = normalise_phone(Phone(raw="139****1234", label="手机"), "CN")
    assert phone.masked is True
    assert phone.e164 is None
    assert phone.valid is False
    assert phone.type == "mobile"


@pytest.mark.parametrize("raw", ["hello", "12", "", "n/a", "(02) 9876 5432"])
def test_garbage_is_invalid(raw: str) -> None:
    # the last one is a fine Australian number read without any region: it cannot be placed
    phone = normalise_phone(Phone(raw=raw), "")
    assert phone.e164 is None
    assert phone.valid is False


def test_normalising_twice_changes_nothing() -> None:
    once = normalise_phone(Phone(raw="0755-8888 1234 转 8"), "CN")
    assert normalise_phone(once, "CN") == once


def test_input_phone_is_not_changed() -> None:
    phone = Phone(raw="(07) 4051 1234")
    normalise_phone(phone, "AU")
    assert phone.e164 is None


@pytest.mark.parametrize(
    ("country", "website", "expected"),
    [
        ("Australia", "", "AU"),
        ("中国", "", "CN"),
        ("gb", "", "GB"),
        ("", "https://www.foo.com.cn/", "CN"),
        ("", "http://foo.com.au", "AU"),
        ("", "https://foo.co.uk/contact", "GB"),
        ("", "https://foo.in", "IN"),
        ("", "https://foo.ca", "CA"),
        ("", "https://brightlens-optics.example/", "US"),
        ("", "", "US"),
    ],
)
def test_region_for(country: str, website: str, expected: str) -> None:
    lead = Lead(name="x", country=country, website=website)
    assert region_for(lead, "US") == expected
