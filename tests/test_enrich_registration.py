"""China's unified social credit code: compacted, checked, kept even when it fails."""

from __future__ import annotations

import pytest

from enrich.pipeline import enrich_lead
from enrich.registration import is_valid_uscc, normalise_registration_id
from leadharvest.items import Lead

# python-stdnum's own documented example (stdnum.cn.uscc):
STDNUM_EXAMPLE = "91110000600037341L"
# Worked by hand with GB 32100-2015: characters 0-9 A-H J-N P-R T U W X Y are worth 0..30
# (M=21, A=10, F=15, X=29), weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
# 9 1 4 4 0 3 0 0 M A 5 F 0 X X X 1 → 9+3+36+108+0+78+0+0+420+290+125+195+0+696+290+870+28
# = 3148; 3148 mod 31 = 17; check = (31 - 17) mod 31 = 14, the character E.
HAND_COMPUTED = "91440300MA5F0XXX1E"


@pytest.mark.parametrize("code", [STDNUM_EXAMPLE, HAND_COMPUTED])
def test_valid_codes_pass(code: str) -> None:
    assert is_valid_uscc(code)
    assert normalise_registration_id(code).valid is True


@pytest.mark.parametrize(
    "code",
    [
        "91440300MA5F0XXX1K",  # the example spider pages print: wrong check character
        "91110000600037341M",  # the stdnum example with its check character changed
        "A1110000600037341L",  # the first eight must be digits
        "9111000060003734",  # too short
    ],
)
def test_invalid_codes_fail(code: str) -> None:
    assert not is_valid_uscc(code)


def test_written_the_way_pages_write_it() -> None:
    # full-width digits and letters, spaces, hyphens, lower case
    for raw in (
        "９１１１０００ ０６０００３７３４１ｌ",
        "9111-0000-6000-3734-1l",
        " 91110000600037341l ",
    ):
        found = normalise_registration_id(raw)
        assert (found.value, found.kind, found.valid) == (STDNUM_EXAMPLE, "cn_uscc", True)


def test_invalid_code_is_kept_and_flagged() -> None:
    found = normalise_registration_id("91440300ma5f0xxx1k")
    assert (found.value, found.kind, found.valid) == ("91440300MA5F0XXX1K", "cn_uscc", False)


def test_other_ids_are_kept_unchecked() -> None:
    assert normalise_registration_id("ABN 12 345 678 901", "AU").valid is None
    assert normalise_registration_id("ABN 12 345 678 901", "AU").value == "ABN 12 345 678 901"
    # an 18-character id of another country is not judged by China's check digit
    assert normalise_registration_id(STDNUM_EXAMPLE, "AU").kind == ""
    assert normalise_registration_id("").value == ""


def test_pipeline_normalises_and_flags() -> None:
    good = enrich_lead(Lead(name="x", registration_id="９１１１０００ ０６０００３７３４１ｌ"))
    assert (good.registration_id, good.registration_valid) == (STDNUM_EXAMPLE, True)
    bad = enrich_lead(Lead(name="x", registration_id="91440300MA5F0XXX1K", country="CN"))
    assert (bad.registration_id, bad.registration_valid) == ("91440300MA5F0XXX1K", False)
    none = enrich_lead(Lead(name="x"))
    assert (none.registration_id, none.registration_valid) == ("", None)
    again = enrich_lead(Lead.from_dict(good.to_dict()))
    assert (again.registration_id, again.registration_valid) == (STDNUM_EXAMPLE, True)
