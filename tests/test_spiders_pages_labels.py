"""Labels and labelled values: "Label: value", a label above its value, the next label cuts."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from spiders.pages.labels import (
    ADDRESS_LABEL_RE,
    find_labelled,
    normalise,
    phone_label,
    raw_value,
)


def test_phone_label_is_canonical_for_english_and_verbatim_for_chinese() -> None:
    assert phone_label("Telephone No.: ") == "tel"
    assert phone_label("Facsimile ") == "fax"
    assert phone_label("传 真：") == "传真"
    assert phone_label("E-mail: ") == ""


def test_find_labelled_cuts_value_at_next_label() -> None:
    text = "公司地址：江苏·南通市工农路445号宏信大厦五楼 邮编：226001"
    assert find_labelled(text, ADDRESS_LABEL_RE) == [
        ("公司地址", "江苏·南通市工农路445号宏信大厦五楼")
    ]


def test_find_labelled_reads_value_on_next_line() -> None:
    assert find_labelled("Address:\n12 Market Street", ADDRESS_LABEL_RE) == [
        ("Address", "12 Market Street")
    ]


def test_normalise_folds_full_width_forms() -> None:
    assert normalise("电话：０７５５－８８８８　１２３４") == "电话:0755-8888 1234"


@given(st.text(max_size=60))
def test_normalise_keeps_the_length_so_offsets_point_into_the_page(text: str) -> None:
    assert len(normalise(text)) == len(text)


@given(
    value=st.text(
        alphabet=st.sampled_from([*"ab ,;\n\t\xa0\u3000\u200b\u200e\ufeff\u2003\x1c电"]),
        max_size=16,
    )
)
def test_raw_value_is_its_regex_definition(value: str) -> None:
    """raw_value tidies with string methods; this is what it must give."""
    invisible = re.sub("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]", "", value)
    assert raw_value(value) == re.sub(r"\s+", " ", invisible).strip(" ,;")
