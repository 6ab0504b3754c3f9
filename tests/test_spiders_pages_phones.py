"""Phone finders: hand-written English and Chinese snippets, traps included."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages import phones
from spiders.pages.labels import normalise
from spiders.pages.phones import (
    dedupe_phones,
    find_phones,
    is_masked,
    is_valid_phone,
    match_phones,
    same_number,
    scan_phones,
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
        # a country code run into the bracketed area code keeps both
        ("Tel +44(0)20 7946 0958", [("4402079460958", "tel")]),
        ("Tel: +86(10)82782111", [("861082782111", "tel")]),
        ("+61(7)40914700", [("61740914700", "")]),
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


def test_scan_phones_reports_where_each_number_is() -> None:
    text = "Tel: 020 8551 6580\nSales: 020 8551 6581"
    matches = scan_phones(text)
    assert [text[m.start : m.end] for m in matches] == ["020 8551 6580", "020 8551 6581"]
    assert [m.labelled for m in matches] == [True, True]


def test_same_number_with_and_without_country_code() -> None:
    assert same_number("4402079460000", "02079460000")
    assert not same_number("02079460000", "02079460001")
    assert not same_number("02079460000x12", "02079460000")


def test_dedupe_phones_lends_a_label_to_an_unlabelled_repeat() -> None:
    (phone,) = dedupe_phones([*find_phones("020 7946 0000"), *find_phones("Tel: 020 7946 0000")])
    assert phone.label == "tel"


def matched(text: str, region: str) -> list[tuple[str, str]]:
    """What the matcher adds to what the scanner found, as (digits, label)."""
    skip = [(m.start, m.end) for m in scan_phones(text)]
    return [(digits(m.phone.raw), m.phone.label) for m in match_phones(text, region, skip=skip)]


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        # shapes the scanner leaves alone unlabelled; the numbering plan knows them
        ("Hong Kong office\n9876 5432", "HK", "98765432"),
        ("852-2345-6789", "HK", "85223456789"),
        ("Delhi showroom\n98116 37149", "IN", "9811637149"),
        ("1 (415) 970-0012", "US", "14159700012"),
        ("Beijing office\n86-10-82782111", "CN", "861082782111"),
        ("6123 4567 (Mon-Fri)", "SG", "61234567"),
    ],
)
def test_match_phones_finds_what_only_the_numbering_plan_knows(
    text: str, region: str, expected: str
) -> None:
    assert find_phones(text) == []
    assert matched(text, region) == [(expected, "")]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("京ICP备 9876 5432号", "HK"),
        ("邮编：2345 6789", "HK"),
        ("Company No. 2345 6789", "HK"),
        ("ABN 9876 5432", "HK"),
        ("VAT 9876 5432", "HK"),
        ("HK$ 9876 5432", "HK"),
        ("Price: 9876 5432", "HK"),
        ("Order 9876 5432", "HK"),
        ("9876 5432 pcs", "HK"),
        ("2345 6789元", "HK"),
        ("薪资\n2700-3000", "HK"),  # a salary range
        ("Updated 2019-03-22 12:30", "HK"),
        ("lat 22.3193, lng 114.1694", "HK"),
        ("https://www.example.com.hk/item/9876-5432", "HK"),
        ("9876-5432@example.com.hk", "HK"),
        ("9876 ****", "HK"),
        ("4159700012", "US"),  # a bare run: an order or account number as likely as a phone
        ("Flat 3, 12 Nathan Road, 9876 5432 Tsim Sha Tsui", "HK"),  # an address line
        ("72/1 Gali No 9, East Delhi, 96979-88399 Azad Nagar", "IN"),
        ("Qingdao\n8686 2999", "CN"),  # no area code: not a valid Chinese number
        ("9876 5432", ""),  # no region: only +country numbers
    ],
)
def test_match_phones_avoids_the_scanners_traps(text: str, region: str) -> None:
    assert matched(text, region) == []


def test_match_phones_reads_only_lines_the_scanner_found_nothing_on() -> None:
    text = "Tel: 020 7946 0958\nKowloon shop\n9876 5432"
    assert [digits(p.raw) for p in find_phones(text)] == ["02079460958"]
    assert matched(text, "HK") == [("98765432", "")]
    assert matched("Tel: 020 7946 0958 / 9876 5432", "HK") == []


def test_match_phones_reports_offsets_into_the_page_text() -> None:
    text = "Ｏｆｆｉｃｅ\n９８７６ ５４３２"  # full-width forms: offsets still point into the page
    (match,) = match_phones(text, "HK")
    assert text[match.start : match.end] == "９８７６ ５４３２"
    assert match.phone.raw == "９８７６ ５４３２"


def test_a_label_from_an_initial_on_the_line_above_is_weak() -> None:
    (date,) = scan_phones("Review from Priyanka P.\n5/18/2013 1 check-in here")
    assert date.weak
    assert not is_valid_phone(date.phone.raw, "US")
    (real,) = scan_phones("Priyanka P.\n(415) 970-0012")
    assert real.weak
    assert is_valid_phone(real.phone.raw, "US")
    (labelled,) = scan_phones("T:\n(415) 970-0012")
    assert not labelled.weak


def test_is_valid_phone_reads_local_numbers_in_the_region() -> None:
    assert is_valid_phone("9876 5432", "HK")
    assert not is_valid_phone("9876 5432", "CN")
    assert is_valid_phone("+852 9876 5432", "CN")
    assert not is_valid_phone("not a number", "HK")


_URL_AND_EMAIL_PIECES = [
    *"ab_.-%+*@ :/wWhHtTpPsx\n\t1é中\u00a0<\"'",
    *("www.", "http://", "HTTPS://", ".html", ".Htm", ".php", ".aspx", ".jsp", " @ ", "23"),
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_URL_AND_EMAIL_PIECES), max_size=30).map("".join))
def test_urls_and_emails_are_blanked_as_re_sub_would(text: str) -> None:
    # the scanner tries its URL and e-mail patterns only near their hints (www., @ …)
    def blank(value: str, pattern: re.Pattern[str]) -> str:
        return pattern.sub(lambda m: " " * len(m.group(0)), value)

    norm = normalise(text)
    assert phones._prepare(text) == (norm, blank(blank(norm, phones._URL_RE), phones._EMAILISH_RE))


_RUN_PIECES = [
    *"0123456789 +-()./*,:;\n\t#x",
    "(\n",
    "\n)",
    "ext ",
    "转",
    "Tel: ",
    "(0)",
    "+44",
    "00",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=40).map("".join))
def test_runs_on_six_digit_lines_are_the_whole_texts_runs_with_six_digits(text: str) -> None:
    # the scanner reads only the lines holding six digits; the others' runs have fewer
    def six(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
        return [m.span() for m in matches if sum(ch.isdigit() for ch in m.group()) >= 6]

    assert six(phones._runs(text)) == six(phones._PHONE_RE.finditer(text))


def _shape_ok_as_defined(num: str, labelled: bool) -> bool:
    """``_shape_ok`` as it was written before it was split in two (the reference)."""
    digits = re.sub(r"\D", "", num)
    stars = num.count("*")
    n = len(digits) + stars
    if len(digits) < 6 or n < 7:
        return False
    limit = 15 + (1 if "(0)" in num.replace(" ", "") else 0) + (2 if num.startswith("00") else 0)
    if len(digits) > limit:
        return False
    core = num.strip()
    if (
        phones._DATE_RE.fullmatch(core)
        or phones._YEARS_RE.fullmatch(core)
        or phones._TIME_RE.fullmatch(core)
    ):
        return False
    if phones._DECIMAL_RE.fullmatch(core) or phones._ZIP4_RE.fullmatch(core):
        return False
    if re.fullmatch(r"\d+(?:\.\d+){1,}", core) and not re.fullmatch(
        r"\d{2,4}(?:\.\d{2,4}){2,4}", core
    ):
        return False
    if stars and (len(digits) < 6 or not re.search(r"\d{3}", num)):
        return False
    if labelled:
        return True
    flat = re.sub(r"[ \t.\-/]", "", num)
    return bool(
        num.startswith(("+", "("))
        or re.match(r"00\d", flat)
        or (flat.startswith("0") and len(digits) >= 9 and re.search(r"[ \-./)]", num))
        or re.fullmatch(r"1[3-9]\d{9}", flat.replace("*", "0"))
        or re.fullmatch(r"[48]00[ \-]?\d{3}[ \-]?\d{4}", num.strip())
        or re.fullmatch(r"1[38]00[ \-]?\d{3}[ \-]?\d{3}", num.strip())
        or re.fullmatch(r"\(?[2-9]\d{2}\)?[ \-.][2-9]\d{2}[ \-.]\d{4}", num.strip())
    )


_SHAPE_PIECES = [*"0123456789 +-()./*\t:", "00", "(0)", "19", "20", "13", "400", "1300", "٣"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_SHAPE_PIECES), max_size=24).map("".join), st.booleans())
def test_the_shape_test_in_two_parts_is_the_shape_test(num: str, labelled: bool) -> None:
    # the scan tests the part every number needs before it reads the context, the rest after
    assert phones._shape_ok(num, labelled) == _shape_ok_as_defined(num, labelled)
    assert phones._base_shape_ok(num) == _shape_ok_as_defined(num, True)


def _pattern_characters(tree: object) -> tuple[set[int], list[tuple[int, int]], set[object]]:
    """The literal code points, ranges and categories a parsed pattern's atoms take."""
    from re import _constants as c  # type: ignore[attr-defined]

    chars: set[int] = set()
    ranges: list[tuple[int, int]] = []
    other: set[object] = set()

    def walk(items: object) -> None:
        for op, av in items:  # type: ignore[attr-defined]
            if op is c.LITERAL:
                chars.add(av)
            elif op is c.IN:
                walk(av)
            elif op is c.RANGE:
                ranges.append(av)
            elif op is c.CATEGORY:
                other.add(av)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                walk(av[2])
            elif op is c.SUBPATTERN:
                walk(av[3])
            elif op is c.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op is c.NEGATE:
                other.add("negate")
            else:
                other.add(op)

    walk(tree)
    return chars, ranges, other


def test_the_matcher_character_class_takes_every_character_of_the_matcher_pattern() -> None:
    # the matcher is skipped on lines with no run of these characters holding seven digits
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    from phonenumbers import phonenumbermatcher

    pattern = phonenumbermatcher._PATTERN
    assert pattern.flags & re.IGNORECASE
    chars, ranges, other = _pattern_characters(_parser.parse(pattern.pattern, pattern.flags))
    assert other == {c.CATEGORY_DIGIT}  # no "any character", no negated class
    takes = re.compile(f"[{phones._MATCHER_CHARS}]", re.IGNORECASE)
    for lo, hi in [*((ch, ch) for ch in chars), *ranges]:
        for cp in range(lo, hi + 1):
            # what the pattern's atom takes under IGNORECASE, the class takes too
            atom = re.compile(f"[{re.escape(chr(cp))}]", re.IGNORECASE)
            for other_cp in {cp, ord(chr(cp).upper()[0]), ord(chr(cp).lower()[0])}:
                if atom.fullmatch(chr(other_cp)):
                    assert takes.fullmatch(chr(other_cp)), hex(other_cp)


_MATCHER_LINE_PIECES = [
    *"0123456789 -.()/+*:#x£,\t",
    *("ext. ", "Tel ", "9876 5432", "020 7946 0000", "98116 37149", "(1336)", "2014"),
    *("*NEW* ", "Price £", "Fax", " or ", "@", "ICP备", "+852 ", "555-0199"),
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_MATCHER_LINE_PIECES), max_size=14).map("".join),
    st.sampled_from(["GB", "US", "HK", "IN", "CN", ""]),
)
def test_a_line_with_no_run_of_seven_digits_gives_the_matcher_nothing(
    line: str, region: str
) -> None:
    line = line.replace("\n", " ")
    if not phones._SEVEN_IN_A_RUN_RE.search(line):
        assert phones._match_line(line, line, line, 0, line, region) == []


_TIME_LINE_HEADS = [
    *("Mon", "Fri", "Sunday", "Hours", "Open", "ext", "x", "#", "Tel", "доб", "£", "*"),
    *(" ", " - ", " : ", ":", "-", ".", "/", "\t", "\u00a0", ",", ";", "("),
]
_TIME_DIGITS = st.one_of(
    st.sampled_from(["23", "9", "31", "55", "09", "10", "17", "6", "98", "2", "00", "٣٤"]),
    st.text(alphabet="0123456789", min_size=1, max_size=2),
)


@st.composite
def _time_lines(draw: st.DrawFn) -> str:
    head = "".join(draw(st.lists(st.sampled_from(_TIME_LINE_HEADS), max_size=6)))
    h1, h2 = draw(_TIME_DIGITS), draw(_TIME_DIGITS)
    m1, m2 = (draw(st.text(alphabet="0123456789", min_size=2, max_size=2)) for _ in "ab")
    sep1, sep2 = draw(st.sampled_from(".:")), draw(st.sampled_from(".:"))
    dash = draw(st.sampled_from(["-", " - ", "- ", " -", "\u00a0-\u00a0", "\t-"]))
    tail = draw(st.sampled_from(["", " ", "\t", "\u3000"]))
    return f"{head}{h1}{sep1}{m1}{dash}{h2}{sep2}{m2}{tail}"


@settings(max_examples=1500, deadline=None)
@given(_time_lines(), st.sampled_from(["GB", "US", "HK", "SG", "IN", "CN", "DK", "FR", ""]))
def test_the_matcher_keeps_nothing_on_a_time_line(line: str, region: str) -> None:
    """A line ``_TIME_LINE_RE`` takes is skipped: the matcher finds nothing kept there.

    Each match of the matcher's there holds six digits at most, or is the whole time range
    (which ``_base_shape_ok`` refuses), as the pattern's docstring argues.
    """
    norm, work = phones._prepare(line)
    if not phones._TIME_LINE_RE.fullmatch(work):
        return
    first = re.search(r"\d", work)
    assert first is not None
    span = work[first.start() :].strip()
    for start, end, *_ in phones._matcher_hits.__wrapped__(work, region or "ZZ"):
        num = work[start:end]
        assert len(re.findall(r"\d", num)) <= 6 or num.strip() == span, (work, num)
        assert not phones._base_shape_ok(num) or len(re.findall(r"\d", num)) < 7
    assert phones._match_line(line, norm, work, 0, work, region) == []


@given(
    core=st.lists(
        st.sampled_from(["0", "1", "2", "9", "19", "20", "12", "31", " ", "\t", "*", "(", ")"])
        | st.sampled_from(["+", "x", "٣", "１", "-", ".", "/", ":", "：", "．", "－"]),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=3000)
def test_base_shapes_need_a_separator(core: str) -> None:
    """The six shapes :func:`_base_shape_ok` refuses are tried only on a number holding a
    "-", ".", "/" or ":": none of them matches one without."""
    shapes = (
        phones._DATE_RE,
        phones._YEARS_RE,
        phones._TIME_RE,
        phones._DECIMAL_RE,
        phones._ZIP4_RE,
        phones._DOTTED_RE,
    )
    if not any(ch in core for ch in "-./:"):
        assert not any(shape.fullmatch(core) for shape in shapes)
