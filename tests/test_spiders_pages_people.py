"""Named people in text: labelled contacts, staff lists, name + title lists, table headers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spiders.pages import people
from spiders.pages.blocktext import block_text
from spiders.pages.people import find_people, is_column_heading, looks_like_name, split_name_title
from spiders.pages.phones import SIX_DIGITS_RE
from tests.realpages import real_page


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三 经理", ("张三", "经理")),
        ("李四（销售经理）", ("李四", "销售经理")),
        ("王先生", ("王先生", "")),
        ("王先生 销售经理", ("王先生", "销售经理")),
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


# --------------------------------------------------------------------------------------
# name + title lists: one entry per list item, paragraph or <dt>/<dd> pair


def people_of(text: str, not_names: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(b.person.name, b.person.title) for b in find_people(text, not_names=not_names)]


@pytest.mark.parametrize(
    "text",
    [
        # <li>Name, Title</li> (or <strong>Name</strong> Title, which block_text separates)
        "Gareth Holroyd, Managing Director\nAisha Bello, Trade Sales Manager",
        # <li>Name – Title</li>
        "Gareth Holroyd – Managing Director\nAisha Bello – Trade Sales Manager",
        # <dl><dt>Name</dt><dd>Title</dd>…</dl>, <p>Name<br>Title</p>
        "Gareth Holroyd\nManaging Director\nAisha Bello\nTrade Sales Manager",
    ],
)
def test_name_and_title_list_without_contact_values(text: str) -> None:
    assert people_of(text) == [
        ("Gareth Holroyd", "Managing Director"),
        ("Aisha Bello", "Trade Sales Manager"),
    ]


def test_name_and_title_line_takes_the_values_below_it() -> None:
    text = "Aisha Bello, Trade Sales Manager\naisha.bello@foo.example\n0113 496 0458"
    (block,) = find_people(text)
    assert [e.raw for e in block.person.emails] == ["aisha.bello@foo.example"]
    assert [digits(p.raw) for p in block.person.phones] == ["01134960458"]
    assert (block.first_line, block.last_line) == (0, 2)


def test_label_before_the_values_is_not_part_of_the_title() -> None:
    text = "Aisha Bello, Trade Sales Manager, tel. 0113 496 0458"
    (block,) = find_people(text)
    assert (block.person.name, block.person.title) == ("Aisha Bello", "Trade Sales Manager")
    assert [(digits(p.raw), p.label) for p in block.person.phones] == [("01134960458", "tel")]


def test_chinese_name_and_title_list() -> None:
    assert people_of("王建国 技术主管\n刘芳（客服经理）") == [
        ("王建国", "技术主管"),
        ("刘芳", "客服经理"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Sign Out\nFor Buyer",  # a menu, not a buyer called Sign Out
        "Camera Repairs\nSales Manager",
        "项目\n经理",  # a Chinese menu word that starts with a family name
        "项目经理",  # a job, not 项目 the manager
        "查企业、查老板、找关系 查看全部>",
        "Our Team\nNational Sales Manager",
    ],
)
def test_menus_and_headings_are_not_people(text: str) -> None:
    assert find_people(text) == []


def test_a_sentence_with_the_main_line_is_not_the_last_persons_number() -> None:
    text = (
        "Lena Vogt\nCustomer Service Coordinator\nExt. 230 · lena.vogt@kestrel.example\n"
        "All extensions via our main line 03 5550 0188."
    )
    (block,) = find_people(text)
    assert block.person.phones == []
    assert [e.raw for e in block.person.emails] == ["lena.vogt@kestrel.example"]
    assert block.last_line == 2


# --------------------------------------------------------------------------------------
# table headers


@pytest.mark.parametrize("heading", ["单位", "时间", "范围"])
def test_header_row_under_a_name_label_is_not_a_person(heading: str) -> None:
    # 单 / 时 / 范 are family names, so "姓名" / "单位" once read as a person called 单位
    text = f"姓名\n{heading}\n电话\n王建国\n技术主管\n010-6555 0404 转 8012"
    assert people_of(text) == [("王建国", "技术主管")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Name", True),
        ("Job title", True),
        ("E-mail", True),
        ("职务", True),
        ("分机", True),
        ("单位", True),
        ("王建国", False),
        ("Priya Raman", False),
    ],
)
def test_is_column_heading(value: str, expected: bool) -> None:
    assert is_column_heading(value) is expected
    if expected:
        assert not looks_like_name(value)


def test_not_names_are_never_people() -> None:
    text = (
        "Kestrel Staff\nSales Manager\nPriya Raman\nNational Sales Manager\n"
        "priya.raman@kestrel.example"
    )
    assert people_of(text)[0] == ("Kestrel Staff", "Sales Manager")  # what a header row risks
    assert people_of(text, frozenset({"Kestrel Staff", "Sales Manager"})) == [
        ("Priya Raman", "National Sales Manager")
    ]


@pytest.mark.parametrize(
    "relative",
    [
        "company_sites/phoenixhydraulic_com/contact_sales_offices_2014__webstruct.html",
        "company_sites/anil-industries_com/contact_org_microdata_site_source_2026__anil-industries.com.html",
        "directories/huangye88/company_page_qiye2875451_wanchuang_contact_2019__huangye88.html",
        "directories/qichacha/search_results_wangluo_yingxiao_20_companies_2019__muyun001-qichacha.html",
    ],
)
def test_lines_that_start_no_person_are_skipped_without_changing_the_people(
    relative: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = block_text(real_page(relative, "https://www.example.com/contact"))
    fast = find_people(text)
    assert fast  # the pages list people
    monkeypatch.setattr(people, "_no_person_at", lambda line: False)
    monkeypatch.setattr(people, "_plain", lambda raw: False)
    assert find_people(text) == fast


@pytest.mark.parametrize(
    "relative",
    [
        "company_sites/phoenixhydraulic_com/contact_sales_offices_2014__webstruct.html",
        "directories/huangye88/company_page_qiye2875451_wanchuang_contact_2019__huangye88.html",
    ],
)
def test_a_line_that_cannot_open_with_a_name_is_no_titled_line_and_no_name(relative: str) -> None:
    text = block_text(real_page(relative, "https://www.example.com/contact"))
    lines = [people._tidy(line) for line in text.split("\n")]
    lines += ["...John Smith", ". : Mary Jones, Sales Manager", "张三 经理", "our John Smith"]
    for line in lines:
        if not people._may_open_with_name(line):
            assert people._titled_line(line) is None, line
            assert not looks_like_name(line), line


_NAME_LINE_PIECES = st.sampled_from(
    [
        *"ABMOSabcdeinorst .'-,|/(&):;–1@#*+\t",
        *("Mr ", "Mrs. ", "Dr ", "Mc", "O'", "John Smith", "Sales Manager", "Director"),
        *("Jane Doe", "Wholesale", " (36)", ", ", " - ", "Mary Jones-Ng", " manager"),
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_NAME_LINE_PIECES, max_size=12).map("".join))
def test_a_line_that_cannot_open_with_a_name_is_none_whatever_it_holds(line: str) -> None:
    # the quick test (no CJK head, no name at the head, a figure in an ASCII line) never
    # refuses a line that the two slow tests would take
    if not people._may_open_with_name(line):
        assert people._titled(line) is None, line
        assert not looks_like_name(line), line


_BUSY_PIECES = st.sampled_from(
    [
        *"aAtTnN:@#1234567 .,-()",
        *(
            "Contact",
            "contact person",
            "Name",
            "name",
            "Attn.",
            "attention",
            "Tel",
            "at",
            "CONTACT",
        ),
        *("CONTACT", "ANSPRECHPARTNER", "Contact Name", "contactperson", "PERSONA DE CONTACTO"),
        *("info@example.co.uk", "020 8551 6580", "Ansprechpartner", "persona de contacto"),
        *(" [at] ", "NAME", "Patel", "Sales Manager", "John Smith", "ſ", "İ", "ı"),
        *("Watches", "Creation", "( at", "<AT", "{at", "\x0bat", "\tAT ", "ATT", "aTtn"),
    ]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_BUSY_PIECES, max_size=10).map("".join))
def test_an_ascii_line_with_nothing_busy_has_no_label_and_no_value(line: str) -> None:
    # _no_person_at skips the label and value tests on such lines; an "at" inside a word
    # ("Watches", "Patel") is no address's piece and no label's
    line = people._tidy(line)
    busy = re.compile(
        "|".join(
            f"(?:{pattern})"
            for pattern in (
                "[:：]",
                "[@＠#]",
                r"[\[({<\s]\s*[aA][tT]",
                "[aA][tT][tT]",
                SIX_DIGITS_RE.pattern,
                people.PERSON_LABEL_RE.pattern,
            )
        )
    )
    assert people._quiet(line) == (line.isascii() and busy.search(line) is None)
    if people._quiet(line):
        assert people._labelled_person(line) is None, line
        assert not people.PERSON_LABEL_RE.fullmatch(line.rstrip(" :：")), line
        assert not people._has_value(line), line


def _is_prose_as_defined(line: str) -> bool:
    import re

    from spiders.pages.emails import find_emails
    from spiders.pages.phones import scan_phones

    starts = [m.start for m in scan_phones(line)]
    starts += [line.find(e.raw.split("@")[0]) for e in find_emails(line)]
    head = line[: min((s for s in starts if s >= 0), default=len(line))]
    if len(re.findall(r"[A-Za-z]+", head)) < 5:
        return False
    tail = head[-25:]
    return not (people.PHONE_LABEL_RE.search(tail) or people.EMAIL_LABEL_RE.search(tail))


@settings(max_examples=800, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab 1.-@,",
                *("main line ", "03 5550 0188", "Call us on ", "tel: ", "info@ex.com"),
                *("All extensions via our", " email ", "614-850-8940, ext. 103", "Tom "),
            ]
        ),
        max_size=10,
    ).map("".join)
)
def test_prose_is_read_as_defined(line: str) -> None:
    assert people._is_prose(line) == _is_prose_as_defined(line)


_TITLE_WORDS_AS_DEFINED = re.compile(
    r"\b(?:manager|director|president|ceo|cfo|coo|cto|owner|founder|partner|principal|head|chief|"
    r"officer|engineer|representative|rep|agent|sales|marketing|purchasing|buyer|accountant|accounting|"
    r"secretary|assistant|coordinator|executive|vp|vice|supervisor|consultant|specialist|administrator|"
    r"proprietor|chairman|md|gm|export|import|customer service|support|operations|technician)\b"
    r"|经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|代表|业务员|業務員|专员|專員|助理|会计|工程师|销售|采购",
    re.IGNORECASE,
)
_ROLE_WORDS_AS_DEFINED = re.compile(
    r"\b(?:manager|director|president|ceo|cfo|coo|cto|owner|co-?founder|founder|partner|"
    r"principal|head|chief|officer|engineer|representative|agent|buyer|accountant|secretary|"
    r"assistant|coordinator|co-ordinator|executive|vp|supervisor|consultant|specialist|"
    r"administrator|proprietor|chair(?:man|woman|person)?|md|gm|technician|receptionist|"
    r"advis[oe]r|analyst|controller|clerk)\b"
    r"|经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|代表|业务员|業務員|专员|專員|"
    r"助理|会计|會計|工程师|工程師|负责人|負責人|老板|店长|店長",
    re.IGNORECASE,
)
_WORD_PIECES = st.sampled_from(
    [
        *"aAmMsScCiIİıſKk_1- .é中",
        *("manager", "MANAGER", "Sales", "ſales", "İmport", "ımport", "clerK", "cler\u212a"),
        *("co-founder", "cofounder", "chairwoman", "chair", "Advisor", "adviser", "vp", "md"),
        *("customer service", "Customer  Service", "经理", "销售经理", "exports", "rep", "GM"),
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_WORD_PIECES, max_size=10).map("".join))
def test_title_and_role_words_match_as_defined(text: str) -> None:
    # written case-blind with the word boundaries inside each word: the same matches
    for fast, defined in (
        (people.TITLE_WORDS_RE, _TITLE_WORDS_AS_DEFINED),
        (people.ROLE_WORDS_RE, _ROLE_WORDS_AS_DEFINED),
    ):
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in defined.finditer(text)
        ], text


def _heading_after_as_before(
    lines: list[str], i: int, line: str, heading: str, skip: set[str]
) -> str:
    got = people._heading_set_by(lines, i, line, skip)
    return heading if got is None else got


def _find_people_as_before(
    text: str, *, not_names: frozenset[str] = frozenset()
) -> list[people.PersonBlock]:
    """``find_people`` as it was: every line tidied and asked, the heading kept on the way."""
    lines = text.split("\n")
    skip = {people._tidy(value) for value in not_names}
    blocks: list[people.PersonBlock] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = people._tidy(lines[i])
        if people._no_person_at(line):
            heading = _heading_after_as_before(lines, i, line, heading, skip)
            i += 1
            continue
        got = people._labelled_person(line)
        name_line = i
        if got is None and people.PERSON_LABEL_RE.fullmatch(line.rstrip(" :：")):
            nxt = people._next_nonblank(lines, i)
            if nxt is not None and people._tidy(lines[nxt]) not in skip:
                got = people.split_name_title(lines[nxt])
                name_line = nxt
        if got is not None:
            name, title = got
            person = people.Person(name=name, title=title)
            own = people._tidy(lines[name_line])
            same_line = own.split(name, 1)[1] if name in own else ""
            person.phones.extend(people.find_phones(same_line))
            person.emails.extend(people.find_emails(same_line))
            block = people.PersonBlock(person, i, name_line)
            people._take_values(lines, block, name_line + 1, limit=4, labelled=True)
            blocks.append(block)
            i = block.last_line + 1
            continue
        inline = people._inline_person(line)
        if inline is not None:
            blocks.append(
                people.PersonBlock(inline, i, i, phone_lines=[i] if inline.phones else [])
            )
            i += 1
            continue
        titled = None if line in skip else people._titled_line(line)
        if titled is not None:
            block = people.PersonBlock(people.Person(name=titled[0], title=titled[1]), i, i)
            people._take_values(lines, block, i + 1, limit=6, labelled=False)
            blocks.append(block)
            i = block.last_line + 1
            continue
        if (
            line not in skip
            and people.looks_like_name(line)
            and (people._followed_by_values(lines, i) or people._followed_by_role(lines, i))
        ):
            title = heading
            start = i + 1
            after = people._next_nonblank(lines, i)
            if after is not None and people._is_title_line(lines[after]):
                title = people.raw_value(lines[after])
                start = after + 1
            block = people.PersonBlock(
                people.Person(name=line.strip(" :：,;"), title=title), i, start - 1
            )
            people._take_values(lines, block, start, limit=6, labelled=False)
            blocks.append(block)
            i = block.last_line + 1
            continue
        heading = _heading_after_as_before(lines, i, line, heading, skip)
        i += 1
    if any(b.maybe_phones for b in blocks):
        inside = {n for b in blocks for n in range(b.first_line, b.last_line + 1)}
        elsewhere = [
            m.phone
            for m in people.scan_phones(text)
            if text.count("\n", 0, m.start) not in inside and people._direct(m.phone)
        ]
        if elsewhere:  # the business has its own line, so these are the contact's
            for block in blocks:
                block.person.phones.extend(block.maybe_phones)
    for block in blocks:
        block.person.phones = people.dedupe_phones(block.person.phones)
        block.person.emails = people.dedupe_emails(block.person.emails)
    return blocks


_TEXT_LINES = st.sampled_from(
    [
        *("", "Sales", "Accounting", "sales team", "Parts and Services", "销售部", "Name"),
        *("Anna Berg", "Ben Ode", "Cara Li", "FRANCISCA GOMEZ", "Mr. David O'Neil", "张三"),
        *("anna@foo.com", "555-201-3000, ext. 11", "Tel:", "Mobile: 07700 900123"),
        *("Sales Manager", "Managing Director", "Gareth Holroyd, Managing Director"),
        *("Contact: John Smith, Sales Manager", "联系人：王先生 销售经理", "Contact person"),
        *("Our experienced team will help you with all of your orders today", "Home"),
        *("we make parts for presses and machines of every kind around here", "  Jane  Doe"),
        *("Ravi Patel, Export Sales Manager — 0161 496 0107 — ravi.patel@foo.co.uk",),
        *("Hair Accessories (469)", "\tJohn\tSmith", "ansprechpartner", "attn", "#1 shop"),
    ]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(_TEXT_LINES, max_size=14).map("\n".join))
def test_people_are_found_as_when_every_line_was_asked(text: str) -> None:
    # plain lines skipped untidied, the heading read upwards only for a bare name
    assert find_people(text) == _find_people_as_before(text)
    names = frozenset({"Anna Berg", "Sales Manager"})
    assert find_people(text, not_names=names) == _find_people_as_before(text, not_names=names)


@pytest.mark.parametrize(
    "relative",
    [
        "company_sites/chasandphil_co_uk/contact_jewellery_wholesaler_uk_2014__webstruct.html",
        "company_sites/phoenixhydraulic_com/contact_sales_offices_2014__webstruct.html",
        "company_sites/upwardconstruction_ca/contact_microdata_2014__webstruct.html",
        "directories/huangye88/company_page_qiye2875451_wanchuang_contact_2019__huangye88.html",
    ],
)
def test_real_pages_find_the_people_as_when_every_line_was_asked(relative: str) -> None:
    text = block_text(real_page(relative, "https://www.example.com/contact"))
    assert find_people(text) == _find_people_as_before(text)


_RAW_LINE_PIECES = st.sampled_from(
    [
        *"aAtTcC:@#1234567 .,;-()\t\x0b\x1cMJSé",
        *("John Smith", "Mr ", "Dr. ", "  ", "Mc", "O'", "contact", "CONTACT", "Contact"),
        *("Ansprechpartner", "ANSPRECHPARTNER", "Attn", "name", "Name", "Tel", "info@x.com"),
        *("020 8551 6580", "(36)", "!", "?", "Sales Manager", "jane doe", "at", "ſ"),
        *("persona de contacto", "Presses", "Bench ", "Us", "Ltd.", "Co.", "Smith,", "-Sales"),
        *(" Contact", "E-mail", "J. ", "Mr. ", "About ", "Press", "|", "/", "–"),
        *(", ", "; ", ": ", ". ", "Jane\tDoe", "ABC DEF", "[at]", "(dot)"),
        *("Watches", "Hats", "( at", "\x1cat", "\x0bAT", "<at", "ATTN", "Attention", "Patel"),
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_RAW_LINE_PIECES, max_size=10).map("".join))
def test_a_plain_line_starts_no_person(raw: str) -> None:
    # _plain reads the untidied line: whatever it skips, _no_person_at skips when tidied
    if people._plain(raw):
        assert people._no_person_at(people._tidy(raw)), raw
