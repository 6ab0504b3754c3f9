"""Text-level contact finders: hand-written English and Chinese snippets, traps included."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages.contacts import (
    ADDRESS_LABEL_RE,
    find_emails,
    find_labelled,
    find_people,
    find_phones,
    is_masked,
    phone_label,
    split_name_title,
)


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def found(text: str) -> list[tuple[str, str]]:
    return [(digits(p.raw), p.label) for p in find_phones(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tel: +44 (0)20 7946 0000  Fax: +44 (0)20 7946 0001",
            [("4402079460000", "tel"), ("4402079460001", "fax")],
        ),
        ("Phone: +1-905-555-0100", [("19055550100", "tel")]),
        ("Ph (07) 4051 1234", [("0740511234", "tel")]),
        ("T: 020 7946 0000 F: 020 7946 0001", [("02079460000", "tel"), ("02079460001", "fax")]),
        ("Mobile: 07700 900123", [("07700900123", "mobile")]),
        ("Cell 0412 345 678", [("0412345678", "mobile")]),
        ("Toll-free: 1-800-555-0199", [("18005550199", "toll-free")]),
        ("24 Hour Phone (warranty service) 614-353-2900", [("6143532900", "24h")]),
        ("Hotline: +49 30 1234567", [("49301234567", "hotline")]),
        ("Sales: 0755-12345678", [("075512345678", "sales")]),
        ("Call 778 340 1355", [("7783401355", "tel")]),
        ("Tel/Fax: 0513-85815355", [("051385815355", "tel/fax")]),
        (
            "电话：0755-8888 1234  传真：0755-8888 1235",
            [("075588881234", "电话"), ("075588881235", "传真")],
        ),
        ("联系电话：021-5888 9999", [("02158889999", "联系电话")]),
        ("座机：010-62345678", [("01062345678", "座机")]),
        ("手机：138 0013 8000", [("13800138000", "手机")]),
        ("移动电话：13912345678", [("13912345678", "移动电话")]),
        ("服务热线：400-820-1234", [("4008201234", "服务热线")]),
        ("销售热线：0512-65292929", [("051265292929", "销售热线")]),
        ("客服：400-888-9999", [("4008889999", "客服")]),
        ("业务热线：（0513）85815355", [("051385815355", "业务热线")]),
        ("电话0755-86001234", [("075586001234", "电话")]),
        # a label on its own line above the number, the way contact tables render
        (
            "Telephone\n: 020 8551 6580\nFax\n020 8551 6581",
            [("02085516580", "tel"), ("02085516581", "fax")],
        ),
        # the label carries over a comma-separated list
        (
            "Phone: +91 99999 07396, +91 98116 37149",
            [("919999907396", "tel"), ("919811637149", "tel")],
        ),
        # unlabelled numbers in shapes that cannot be anything else
        ("+86 21 5888 9999", [("862158889999", "")]),
        ("(614) 850-8940", [("6148508940", "")]),
        ("400-820-1234", [("4008201234", "")]),
        ("138 0013 8000", [("13800138000", "")]),
        ("two numbers 614-850-8940 614-850-9065", [("6148508940", ""), ("6148509065", "")]),
    ],
)
def test_find_phones_reads_number_and_label(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "ext"),
    [
        ("Phone: +1-905-555-0100 ext. 204", "204"),
        ("614-850-8940, ext.103", "103"),
        ("Tel: 020 7946 0000 x 12", "12"),
        ("总机：021-5888 9999转8", "8"),
        ("电话：0755-86001234 分机 808", "808"),
    ],
)
def test_find_phones_keeps_extension(text: str, ext: str) -> None:
    (phone,) = find_phones(text)
    assert phone.extension == ext
    assert ext in phone.raw  # raw is the page's text, extension included


@pytest.mark.parametrize(
    "text",
    [
        "京ICP备12345678号-1",
        "苏ICP备08000809",
        "苏ICP证B2-20080001号",
        "京公网安备 11010502030143号",
        "邮编：226000",
        "邮政编码：100080",
        "Hilliard, OH 43026",
        "DELHI - 110039",
        "Postcode: 2000",
        "统一社会信用代码：91320600MA1MXXXX0X",
        "统一社会信用代码：913206001234567890",
        "注册号：320600000123456",
        "ABN 51 824 753 556",
        "ACN: 004 085 616",
        "VAT Registration No. GB-898 6565 38",
        "Company No. 08123456",
        "Registered in England No. 04123456",
        "Founded 1998, rebuilt 2007-2014",
        "Updated 2014-05-19, 19/05/2014, 05.19.2014",
        "Mon - Fri : 09.30 - 17.30",
        "Price £1,299.00, now ¥12800 or 12800元",
        '{"lat":28.7979915,"lng":77.0521289}',
        "Model HCB24027, part no. 5567-8890-12",
        "SKU: 1234567890",
        "see http://www.example.cn/product/123456789012.html",
        "/upload/2019/0612/1560321234567.jpg",
        "QQ：123456789",
        "101-1305 Welch St",
        "Our team of 120 staff serves 3500 customers since 1998 2000",
        "开户银行：工商银行 账号：6222 0212 3456 7890 123",
        "ZIP 43026-1234",
    ],
)
def test_find_phones_ignores_numbers_that_are_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_icp_and_postcode_beside_real_phones() -> None:
    text = "地址：南通市工农路445号 邮编：226001 电话：0513-85815355\n苏ICP备08000809号"
    assert found(text) == [("051385815355", "电话")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("手机：139****1234", "139****1234"),
        ("电话：0411-8278****", "0411-8278****"),
        ("联系电话 1394027****", "1394027****"),
        ("153 **** 5166", "153 **** 5166"),
    ],
)
def test_masked_numbers_come_back_masked(text: str, expected: str) -> None:
    (phone,) = find_phones(text)
    assert phone.raw == expected
    assert phone.masked


def test_is_masked() -> None:
    assert is_masked("139****1234")
    assert is_masked("***@qq.com")
    assert not is_masked("13912341234")
    assert not is_masked("sales@foo.com")


def test_same_number_written_twice_is_one_phone_but_tel_and_fax_stay_two() -> None:
    text = "Tel: 020 8551 6580\nFax: 020 8551 6580\nCall us: +44 20 8551 6580\n020 8551 6580"
    phones = find_phones(text)
    assert [(digits(p.raw), p.label) for p in phones] == [
        ("02085516580", "tel"),
        ("02085516580", "fax"),
    ]


def test_phone_label_is_canonical_for_english_and_verbatim_for_chinese() -> None:
    assert phone_label("Telephone No.: ") == "tel"
    assert phone_label("Facsimile ") == "fax"
    assert phone_label("传 真：") == "传真"
    assert phone_label("E-mail: ") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mailto:sales@foo.com?subject=hi", ["sales@foo.com"]),
        ("E-mail:luban_jb@sina.com", ["luban_jb@sina.com"]),
        ("Email: Info@Anil-Industries.com.", ["Info@Anil-Industries.com"]),
        ("sales＠foo.cn", ["sales@foo.cn"]),
        ("Email: john [at] foo [dot] co [dot] uk", ["john@foo.co.uk"]),
        ("john(at)foo.com", ["john@foo.com"]),
        ("jane {at} bar (dot) de", ["jane@bar.de"]),
        ("Email: info at foo dot com", ["info@foo.com"]),
        ("邮箱：sales#foo.com.cn", ["sales@foo.com.cn"]),
        ("a@foo.com, b@foo.com; A@FOO.COM", ["a@foo.com", "b@foo.com"]),
        ("联系邮箱：kf@qichacha.com电话", ["kf@qichacha.com"]),
    ],
)
def test_find_emails(text: str, expected: list[str]) -> None:
    assert [e.raw for e in find_emails(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "logo@2x.png",
        "icon@3x.webp banner@2x.jpg",
        "email@domain.com",
        "you@example.com",
        "info@yourdomain.com",
        "name@yoursite.co.uk",
        "605a7baede844d278b89dc95ae0a9123@sentry.wixpress.com",
        "visit us at foo.com",  # "at" without an e-mail label is prose
        "see item#foo.com",  # "#" without an e-mail label is an anchor
        "font-family: Quicksand; family=Playfair+Display:ital,wght@0,400",
    ],
)
def test_find_emails_rejects_images_placeholders_and_prose(text: str) -> None:
    assert find_emails(text) == []


@pytest.mark.parametrize("text", ["***@qq.com", "abc***@163.com", "联系邮箱：1****@qq.com"])
def test_masked_emails(text: str) -> None:
    (email,) = find_emails(text)
    assert email.masked


def test_find_labelled_cuts_value_at_next_label() -> None:
    text = "公司地址：江苏·南通市工农路445号宏信大厦五楼 邮编：226001"
    assert find_labelled(text, ADDRESS_LABEL_RE) == [
        ("公司地址", "江苏·南通市工农路445号宏信大厦五楼")
    ]


def test_find_labelled_reads_value_on_next_line() -> None:
    assert find_labelled("Address:\n12 Market Street", ADDRESS_LABEL_RE) == [
        ("Address", "12 Market Street")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三 经理", ("张三", "经理")),
        ("李四（销售经理）", ("李四", "销售经理")),
        ("王先生", ("王先生", "")),
        ("欧阳明华", ("欧阳明华", "")),
        ("John Smith, Sales Manager", ("John Smith", "Sales Manager")),
        ("Mr. David O'Neil", ("Mr. David O'Neil", "")),
        ("FRANCISCA GOMEZ", ("FRANCISCA GOMEZ", "")),
        ("手机咨询", None),
        ("注册信息", None),
        ("Contact Us", None),
        ("Parts and Services", None),
        ("Phoenix Hydraulic Presses", None),
    ],
)
def test_split_name_title(value: str, expected: tuple[str, str] | None) -> None:
    assert split_name_title(value) == expected


def test_chinese_contact_person_takes_mobile_not_company_landline() -> None:
    text = (
        "联 系 人：王先生 销售经理\n电 话：0755-88881234\n手 机：13900001111\n"
        "传 真：0755-88881235\nE-mail：wang@foo.cn"
    )
    (block,) = find_people(text)
    person = block.person
    assert person.name == "王先生"
    assert [digits(p.raw) for p in person.phones] == ["13900001111"]
    assert [e.raw for e in person.emails] == ["wang@foo.cn"]


def test_english_contact_line_with_title_and_values() -> None:
    text = "Contact: John Smith, Sales Manager\nMobile: 07700 900123\nEmail: info@foo.co.uk"
    (block,) = find_people(text)
    assert (block.person.name, block.person.title) == ("John Smith", "Sales Manager")
    assert [digits(p.raw) for p in block.person.phones] == ["07700900123"]
    assert block.person.emails == []  # info@ is the business's box, not his


def test_staff_list_under_department_headings() -> None:
    text = (
        "Sales\nAnna Berg\nanna@foo.com\n555-201-3000, ext. 11\nBen Ode\nben@foo.com\n"
        "555-201-3000, ext. 12\nAccounting\nCara Li\ncara@foo.com\n555-201-3000 ext 14\n"
        "Mailing Address:\nFoo Tools\n1 Main Street"
    )
    people = [b.person for b in find_people(text)]
    assert [(p.name, p.title) for p in people] == [
        ("Anna Berg", "Sales"),
        ("Ben Ode", "Sales"),
        ("Cara Li", "Accounting"),
    ]
    assert [p.phones[0].extension for p in people] == ["11", "12", "14"]
    assert [p.emails[0].raw for p in people] == ["anna@foo.com", "ben@foo.com", "cara@foo.com"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789 +-()./*,:;\nTelFaxext转电话传真手机邮编ICP备号£$")
        ),
        max_size=80,
    )
)
def test_find_phones_never_raises_and_never_returns_short_numbers(text: str) -> None:
    for phone in find_phones(text):
        assert len(re.sub(r"\D", "", phone.raw)) >= 6
        assert phone.raw.strip() == phone.raw


def test_person_and_values_on_one_line() -> None:
    text = (
        "Telephone: 0161 496 0100\n"
        "Ravi Patel, Export Sales Manager — 0161 496 0107 — ravi.patel@foo.co.uk\n"
        "Trade sales: trade@foo.co.uk"
    )
    (block,) = find_people(text)
    assert (block.person.name, block.person.title) == ("Ravi Patel", "Export Sales Manager")
    assert [digits(p.raw) for p in block.person.phones] == ["01614960107"]
    assert [e.raw for e in block.person.emails] == ["ravi.patel@foo.co.uk"]
