"""Named people: "联系人：张三 经理", "Contact: John Smith, Sales Manager", staff lists.

A person found next to a phone or an e-mail takes it: the generic extractor attributes a
number printed beside a person to them, not to the switchboard.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from leadharvest.items import Email, Person, Phone
from spiders.pages.emails import dedupe_emails, find_emails, has_email
from spiders.pages.labels import (
    ANY_LABEL_RE,
    EMAIL_LABEL_RE,
    PERSON_LABEL_RE,
    PHONE_LABEL_RE,
    _case_blind,
    _split_alternatives,
    find_labelled,
    is_cjk,
    normalise,
    raw_value,
    words,
)
from spiders.pages.phones import (
    SIX_DIGITS_RE,
    dedupe_phones,
    find_phones,
    has_phone,
    scan_phones,
)

_EN_WORD = (
    r"(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+"
    r"|[A-Z]{2,}(?:[-'][A-Z]{2,})?)"
)


def _words_re(words: str, cjk: str) -> re.Pattern[str]:
    r"""``\b(?:{words})\b|{cjk}`` under ``re.IGNORECASE``, written so the engine skips fast.

    Case-blind (see ``labels._case_blind``), with the opening ``\b`` after each word's first
    letter (``(?<!\w.)``: no word character before it) and the closing one inside each word:
    every alternative then opens with a character, and the engine skips to the characters
    that open one instead of trying every word at every character (twice as fast).
    """
    latin = "|".join(f"{w[0]}(?<!\\w.){w[1:]}\\b" for w in _split_alternatives(words))
    return re.compile(f"{_case_blind(latin)}|{cjk}")


_TITLE_WORDS = (
    "manager|director|president|ceo|cfo|coo|cto|owner|founder|partner|principal|head|chief|"
    "officer|engineer|representative|rep|agent|sales|marketing|purchasing|buyer|accountant|"
    "accounting|secretary|assistant|coordinator|executive|vp|vice|supervisor|consultant|"
    "specialist|administrator|proprietor|chairman|md|gm|export|import|customer service|support|"
    "operations|technician"
)
_CN_TITLE_WORDS = (
    "经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|代表|业务员|業務員|专员|專員|助理|"
    "会计|工程师|销售|采购"
)
TITLE_WORDS_RE = _words_re(_TITLE_WORDS, _CN_TITLE_WORDS)
"""A job title's word (Manager, Sales, 经理 …): a line under a name that holds one is a title."""

NOT_NAME_WORDS = frozenset(
    words(
        """
        contact contacts us about home news products product services service company our the
        address phone email e-mail fax tel telephone mobile sales office head opening hours
        monday friday saturday sunday street road avenue drive suite floor building industrial
        area park united kingdom states china india canada australia germany france london delhi
        follow find get in touch send message submit privacy terms policy copyright rights
        reserved login register search menu quick quote downloads gallery ltd limited inc llc
        llp co corp corporation gmbh group industries industry presses press wholesale
        manufacturing construction renovation renovations engineering purchasing accounting
        marketing parts customer support department team website online shop store click here
        read more view north south east west new your my welcome information info map directions
        location camera cameras photo photography photographic digital optics optical imaging
        lens lenses repair repairs rental rentals hire supply supplies distributor distributors
        distribution trading traders retail retailer retailers studio studios centre center
        solutions systems technology technologies electronics equipment accessories warehouse
        exports imports international global sign log out up
        manager director president officer executive coordinator assistant supervisor consultant
        specialist administrator proprietor chairman technician receptionist engineer
        representative accountant secretary
        """
    )
)
"""Words that make a capitalised line a heading or a company, not a person's name."""

_ROLE_WORDS = (
    "manager|director|president|ceo|cfo|coo|cto|owner|co-?founder|founder|partner|"
    "principal|head|chief|officer|engineer|representative|agent|buyer|accountant|secretary|"
    "assistant|coordinator|co-ordinator|executive|vp|supervisor|consultant|specialist|"
    "administrator|proprietor|chair(?:man|woman|person)?|md|gm|technician|receptionist|"
    "advis[oe]r|analyst|controller|clerk"
)
_CN_ROLE_WORDS = (
    "经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|代表|业务员|業務員|专员|專員|"
    "助理|会计|會計|工程师|工程師|负责人|負責人|老板|店长|店長"
)
ROLE_WORDS_RE = _words_re(_ROLE_WORDS, _CN_ROLE_WORDS)
"""A job, not a department: what makes a line under a bare name that person's title."""

COLUMN_HEADINGS = frozenset(
    words(
        """
        name names full-name contact contact-person person title job-title position role
        designation department dept division team phone phones telephone tel mobile cell
        direct-line direct-dial fax email e-mail email-address extension ext office location
        region area territory responsibility responsibilities speciality specialty notes
        remarks languages hours wechat whatsapp skype qq
        姓名 名字 联系人 職務 职务 职位 職位 岗位 崗位 职称 職稱 部门 部門 科室 电话 電話 联系电话
        办公电话 手机 手機 手机号 手机号码 邮箱 郵箱 电子邮箱 电子邮件 分机 分機 分机号 传真 傳真
        备注 備註 单位 區域 区域 负责区域 负责范围 业务范围 范围 时间 工作时间 微信 序号 编号 称呼
        地区 地區
        """
    )
)
"""Column headings of a staff table (Name, Title, 姓名, 职务 …): never a person."""


@lru_cache(maxsize=16384)
def is_column_heading(value: str) -> bool:
    """Whether a cell's text is a staff table's column heading ("Job title", "职务", "分机")."""
    key = _SPACES_RE.sub("-", normalise(value).strip(" :：*#.").lower())
    return key in COLUMN_HEADINGS


_SPACES_RE = re.compile(r"\s+")


_CN_NOT_NAME = re.compile(
    r"公司|有限|地址|电话|電話|传真|邮|网|市|省|区|路|号|热线|联系|我们|销售部|客服|部门|中心|工厂"
)


CN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符"
    "舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司"
    "卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙"
    "荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘"
    "满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普"
    "阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干"
    "但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "張陳楊黃趙吳劉鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸範賈韋鄒閻龍陶賀顧龔錢嚴湯溫齊喬龐聶魯嶽歐關蘭寧單紀"
    "駱藍遊陽項麥婁竇費衛師樂"
)
"""The commonest Chinese family names: a 2-4 character run is a name only if it starts with one."""
_CN_SURNAME = (
    "(?:欧阳|歐陽|司马|司馬|上官|诸葛|諸葛|东方|皇甫|令狐|慕容|尉迟|长孙|宇文|司徒|夏侯|公孙|["
    + CN_SURNAMES
    + "])"
)
_CN_HONORIFIC = "先生|女士|小姐|经理|經理|总|總|老师|老師|师傅|師傅|主任|博士|工"
_CN_TITLE = (
    "(?:[\u4e00-\u9fff]{0,4}(?:经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|"
    "代表|业务员|業務員|专员|專員|助理|会计|會計|工程师|工程師|负责人|老板|店长|总经理|總經理)|销售|采购|财务|客服)"
)


_CN_HONORED_RE = re.compile(f"{_CN_SURNAME}(?:{_CN_HONORIFIC})")
_CN_TITLED_RE = re.compile(f"({_CN_SURNAME}[\u4e00-\u9fff]{{1,2}}?)({_CN_TITLE})")
_CN_NAME_RE = re.compile(f"{_CN_SURNAME}[\u4e00-\u9fff]{{1,2}}")
_CN_TITLE_RE = re.compile(_CN_TITLE)
"""Compiled once: built in the call, the patterns (the surnames a thousand characters) were
rebuilt and looked up in the ``re`` cache for every line asked about."""


_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff·]+")
_BRACKETED_RE = re.compile(r"[(（]([^()（）]{1,12})[)）]")
_NAME_LABEL_RE = re.compile(r"name", re.I)
_NAME_END_RE = re.compile(r"\s*[,;|—–]\s*|\s+-\s+")
_PREPOSITION_RE = re.compile(r"(?:for|to|by|with|of|from|at|in|on)\b", re.IGNORECASE)
_NOT_DIRECT_RE = re.compile(r"fax|传真|傳真|hotline|热线|熱線|toll|400|800|24h|客服", re.I)
_PERSONAL_RE = re.compile(r"mobile|whatsapp|手机|手機|移动|cell")
"""Compiled once, as the name patterns above: ``re.match(pattern, …)`` looks the pattern up
in the ``re`` cache on every call, and these run per line or per number of a page."""


def _cn_name_title(value: str) -> tuple[str, str] | None:
    """张三 经理 / 张三（销售经理） / 王先生 / 李四经理 → (name, title)."""
    m = _CJK_RUN_RE.match(value)
    if not m:
        return None
    head, rest = m.group(0), value[m.end() :].strip(" ,，、(（)）:：")
    if ANY_LABEL_RE.search(head) or _CN_NOT_NAME.search(head) or is_column_heading(head):
        return None
    bracketed = _BRACKETED_RE.match(value[m.end() :].strip())
    if _CN_HONORED_RE.fullmatch(head):
        if bracketed:
            return head, bracketed.group(1)
        title = _CN_TITLE_RE.match(rest)
        return head, title.group(0) if title else ""
    titled = _CN_TITLED_RE.fullmatch(head)
    if titled:
        return titled.group(1), titled.group(2)
    if _CN_NAME_RE.fullmatch(head):
        if bracketed:
            return head, bracketed.group(1)
        title = _CN_TITLE_RE.match(rest)
        return head, title.group(0) if title else ""
    return None


_EN_NAME = rf"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?{_EN_WORD}(?:\s+{_EN_WORD}){{1,3}}"
_EN_NAME_RE = re.compile(_EN_NAME)
_EN_NAME_TITLE_RE = re.compile(
    rf"(?P<name>{_EN_NAME})(?:\s*[,\-–|/(]\s*(?P<title>[A-Za-z&/ .'-]{{2,60}}?)\)?)?\s*$"
)


@lru_cache(maxsize=16384)
def looks_like_name(value: str) -> bool:
    """Whether a short text is a person's name (two to four capitalised words, or Chinese)."""
    value = value.strip(" :：,;.")
    if not value or len(value) > 40:
        return False
    if is_cjk(value[0]):
        if _DIGIT_OR_AT_RE.search(value) or is_column_heading(value):
            return False
        got = _cn_name_title(value)
        return got is not None and got[0] == value
    # the pattern first (most lines fail it at once): the letters it takes hold no digit or @
    if not _EN_NAME_RE.fullmatch(value):
        return False
    tokens = [w.strip(".").lower() for w in value.split()]
    return not any(w in NOT_NAME_WORDS for w in tokens) and not is_column_heading(value)


_DIGIT_OR_AT_RE = re.compile(r"\d|@")


@lru_cache(maxsize=16384)
def split_name_title(value: str) -> tuple[str, str] | None:
    """("John Smith", "Sales Manager") from "John Smith, Sales Manager"; None if no name."""
    value = raw_value(normalise(value)).strip(" :：,;")
    if not value:
        return None
    if is_cjk(value[0]):
        return _cn_name_title(value)
    m = _EN_NAME_TITLE_RE.match(value)
    if not m or not looks_like_name(m.group("name")):
        return None
    title = (m.group("title") or "").strip(" .")
    if title and not TITLE_WORDS_RE.search(title):
        title = ""
    return m.group("name"), title


@dataclass
class PersonBlock:
    """A named person and the lines of the text their details occupy."""

    person: Person
    first_line: int
    last_line: int
    phone_lines: list[int] = field(default_factory=list)
    maybe_phones: list[Phone] = field(default_factory=list)
    """Landlines below a labelled contact: theirs only if the business has numbers elsewhere."""


def find_people(text: str, *, not_names: Collection[str] = ()) -> list[PersonBlock]:
    """Named contacts: "联系人：张三 经理", "Contact: John Smith, Sales Manager", staff lists.

    A staff list is a name on its own line followed at once by that person's title and/or
    e-mail and phone lines, under an optional department heading ("Sales" / "Michael
    Schwartz" / "mschwartz@…" / "614-850-8940, ext.103"), or one line per person ("Gareth
    Holroyd, Managing Director"), as list items, paragraphs or a definition list lay them
    out. A labelled contact takes the values on its own line and the mobile numbers and
    personal e-mails on the lines right below it; landlines, faxes, hotlines and role boxes
    (info@, sales@) below a labelled contact are the business's own, because that is how
    Chinese 联系我们 pages list them.

    ``not_names`` are lines the page's markup says are not people: a staff table's header
    cells. Column headings ("Name", "职务", "分机") are never people either way.
    """
    lines = text.split("\n")
    skip = {_tidy(value) for value in not_names}
    blocks: list[PersonBlock] = []
    covered: set[int] = set()  # the lines of the blocks: they set no heading
    known = (0, "")  # the heading in force above a line, found when a bare name needed it
    i = 0
    for i_may, raw in enumerate(lines):
        if i_may < i or _plain(raw):
            continue  # inside the block just read, or no person
        i = i_may
        line = _tidy(raw)
        if _no_person_at(line):
            continue
        if _quiet(line):
            # no label, no value (see _quiet): only a titled line or a bare name can start
            # here, and the label, inline and value tests are skipped (a third of the lines
            # left, most of them menu entries shaped like names: "Bag Charms")
            titled = None if line in skip else _titled(line)
        else:
            got = _read_labelled(lines, i, line, skip)
            if got is not None:
                name_line, (name, title) = got
                person = Person(name=name, title=title)
                own = _tidy(lines[name_line])
                same_line = own.split(name, 1)[1] if name in own else ""
                person.phones.extend(find_phones(same_line))
                person.emails.extend(find_emails(same_line))
                block = PersonBlock(person, i, name_line)
                _take_values(lines, block, name_line + 1, limit=4, labelled=True)
                blocks.append(block)
                covered.update(range(i, block.last_line + 1))
                i = block.last_line + 1
                continue
            inline = _inline_person(line)
            if inline is not None:
                blocks.append(PersonBlock(inline, i, i, phone_lines=[i] if inline.phones else []))
                covered.add(i)
                i += 1
                continue
            titled = None if line in skip else _titled_line(line)
        if titled is not None:
            block = PersonBlock(Person(name=titled[0], title=titled[1]), i, i)
            _take_values(lines, block, i + 1, limit=6, labelled=False)
            blocks.append(block)
            covered.update(range(i, block.last_line + 1))
            i = block.last_line + 1
            continue
        if (
            line not in skip
            and looks_like_name(line)
            and (_followed_by_values(lines, i) or _followed_by_role(lines, i))
        ):
            title = _heading_above(lines, i, known, covered, skip)
            known = (i, title)
            start = i + 1
            after = _next_nonblank(lines, i)
            if after is not None and _is_title_line(lines[after]):
                title = raw_value(lines[after])
                start = after + 1
            block = PersonBlock(Person(name=line.strip(" :：,;"), title=title), i, start - 1)
            _take_values(lines, block, start, limit=6, labelled=False)
            blocks.append(block)
            covered.update(range(i, block.last_line + 1))
            i = block.last_line + 1
            continue
    if any(b.maybe_phones for b in blocks):
        inside = {n for b in blocks for n in range(b.first_line, b.last_line + 1)}
        elsewhere = [
            m.phone
            for m in scan_phones(text)
            if text.count("\n", 0, m.start) not in inside and _direct(m.phone)
        ]
        if elsewhere:  # the business has its own line, so these are the contact's
            for block in blocks:
                block.person.phones.extend(block.maybe_phones)
    for block in blocks:
        block.person.phones = dedupe_phones(block.person.phones)
        block.person.emails = dedupe_emails(block.person.emails)
    return blocks


def _read_labelled(
    lines: Sequence[str], i: int, line: str, skip: Collection[str]
) -> tuple[int, tuple[str, str]] | None:
    """The person a labelled line ``i`` (``line``, tidied) names and the line the name is
    on: its own ("Contact: John Smith"), or the next one under a label alone."""
    got = _labelled_person(line)
    if got is not None:
        return i, got
    if PERSON_LABEL_RE.fullmatch(line.rstrip(" :：")):
        nxt = _next_nonblank(lines, i)
        if nxt is not None and _tidy(lines[nxt]) not in skip:
            named = split_name_title(lines[nxt])
            if named is not None:
                return nxt, named
    return None


@lru_cache(maxsize=16384)
def _tidy(line: str) -> str:
    """A line normalised and tidied, as its values are read (cached: both passes of the
    generic extractor read every line of the page, and the main loop reads it again)."""
    return raw_value(normalise(line))


@lru_cache(maxsize=16384)
def _no_person_at(line: str) -> bool:
    """Whether no person starts at a (tidied) line, whatever its neighbours: each way one
    can needs a person label, a value, a titled name or a bare name on the line itself.
    Most lines of a page are none of these, and are asked once instead of four times; an
    ASCII line with none of the pieces of a label, a colon or a value (:func:`_quiet`) is
    not asked about them at all."""
    if not _quiet(line) and (
        _labelled_person(line) is not None
        or PERSON_LABEL_RE.fullmatch(line.rstrip(" :："))
        or _has_value(line)
    ):
        return False
    return not _may_open_with_name(line) or (_titled(line) is None and not looks_like_name(line))


def _quiet(line: str) -> bool:
    """Whether an ASCII line (``normalise`` leaves it as it is) holds nothing that
    :func:`_labelled_person` (a colon, a person label), ``PERSON_LABEL_RE.fullmatch`` (the
    label) or :func:`_has_value` (an e-mail's piece, six digits) needs to find anything.

    One quick test each, the cheapest first (one pattern of them all is a third slower:
    the engine then tries every piece at every character); a quiet line is not asked.
    """
    if not line.isascii() or ":" in line or "@" in line or "#" in line:
        return False
    low = line.lower()  # ASCII: "at" in it is "at" in any case, the "at" of "name at domain"
    return (
        ("at" not in low or _no_at_piece(low))
        and SIX_DIGITS_RE.search(line) is None
        and (
            # every ASCII person label holds a colon, "at", "contact" or "ansprechpartner"
            ("contact" not in low and "ansprechpartner" not in low)
            or PERSON_LABEL_RE.search(line) is None
        )
    )


def _no_at_piece(low: str) -> bool:
    r"""Whether a lowered ASCII line holding "at" holds it only inside words ("Watches",
    "Creation"): no "att" (of the labels "attn", "attention") and no "at" after white space
    or an opening bracket (``[\[({<\s]\s*at``).

    Every "at" an address reads is such a piece (``emails._AT_PIECE_RE``: " at ", "[at",
    "( at"), and tidying a line only makes white space runs one space, so a raw line
    without one gives a tidied line without one. A third of a page's lines hold "at"
    inside a word; with the plain "at" test they were all asked about labels and values.
    """
    return "att" not in low and _AT_WORD_RE.search(low) is None


_AT_WORD_RE = re.compile(r"[\[({<\s]\s*at")
"""An "at" after white space or an opening bracket: what an address's "at" piece holds."""


def _may_open_with_name(line: str) -> bool:
    """Whether a (tidied) line opens as :func:`split_name_title` and :func:`looks_like_name`
    need a name to: with a Chinese character, or with two capitalised words (``_EN_NAME_RE``).

    Half the lines of a page open otherwise ("Our experienced team …", "Home"), and most of
    the rest go on with a figure ("Hair Accessories (469)"); for them the two tests (some
    microseconds each) are skipped. The head is what ``looks_like_name``
    reads; ``split_name_title`` reads the same (its name opens with no dot).
    """
    head = line.lstrip(" :：,;.")
    if is_cjk(head[:1]):
        return True
    if _EN_NAME_RE.match(head) is None:
        return False
    # an ASCII line with a character no name or title takes (a digit, "@", "#"): both
    # patterns must run to the line's end (``$``, a full match) through such letters only
    return not (line.isascii() and _NOT_NAME_CHAR_RE.search(line))


_NOT_NAME_CHAR_RE = re.compile(r"[^A-Za-z .'\-,|/(&):;\s]")
"""A character neither ``_EN_NAME_TITLE_RE`` (names, separators, titles) nor the strips
before it (" :：,;.") take: an ASCII line holding one opens with no name of its own."""


def _heading_set_by(lines: Sequence[str], i: int, line: str, skip: Collection[str]) -> str | None:
    """The heading line ``i`` (``line``, tidied) puts in force below it, or None if it
    leaves the one above in force: a department heading sets itself, a long line that is
    not a value ends the list's heading ("")."""
    if _is_heading(line) and line not in skip and not is_column_heading(line):
        return line
    if len(line) > 40 and not _is_value_line(lines, i):
        return ""
    return None


def _heading_above(
    lines: Sequence[str],
    i: int,
    known: tuple[int, str],
    covered: Collection[int],
    skip: Collection[str],
) -> str:
    """The department heading in force above line ``i``: what the nearest line above it
    that sets one (:func:`_heading_set_by`; a block's lines set none) set, read upwards
    from ``i`` down to the line ``known`` gives the heading above.

    Read only for a bare name (a few lines a page) instead of every line being asked on
    the way down; the nearest setter is seldom far (any long prose line is one).
    """
    for j in range(i - 1, known[0] - 1, -1):
        if j in covered:
            continue
        got = _heading_set_by(lines, j, _tidy(lines[j]), skip)
        if got is not None:
            return got
    return known[1]


def _plain(raw: str) -> bool:
    r"""Whether no person can start at a line of the page's text (``raw``, untidied): an
    ASCII line with no colon, "@", "#", "at", person label or six digits (:func:`_quiet`)
    that opens, tidied, with no name or holds a character no name takes
    (:func:`_may_open_with_name`: "Watches (6)"); :func:`_no_person_at` holds for it, found
    without tidying the line (most lines of a page are such lines).

    Every ASCII person label holds a colon, "at" or one of "contact", "ansprechpartner";
    tidying only makes runs of white space one space and strips the ends, which changes
    none of these tests (``\s+`` in a name takes a run as well as one space, and
    ``_NOT_NAME_CHAR_RE`` takes no white space, comma or semicolon).
    """
    if not raw.isascii() or ":" in raw or "@" in raw or "#" in raw:
        return False
    low = raw.lower()
    return (
        ("at" not in low or _no_at_piece(low))
        and "contact" not in low
        and "ansprechpartner" not in low
        and SIX_DIGITS_RE.search(raw) is None
        and (
            _NAME_HEAD_RE.match(raw) is None
            or _NOT_NAME_CHAR_RE.search(raw) is not None
            or _opens_with_not_name_word(raw)
        )
    )


def _opens_with_not_name_word(raw: str) -> bool:
    """Whether one of the first two words of an ASCII line that opens with a name's shape
    (``_NAME_HEAD_RE``) is a word no name holds ("Bench Presses", "About Us"): both
    :func:`looks_like_name` of the line and of :func:`split_name_title`'s name refuse it.

    A name has two words at least, and its first two are the line's (a word of a name
    ends at white space, at a title's separator or at the end, so one of
    ``NOT_NAME_WORDS``, all letters, is a whole word of the line or none of the name's).
    """
    first, second = raw.lstrip(_ASCII_SPACE_AND_STRIPPED).split(None, 2)[:2]
    return first.strip(".").lower() in NOT_NAME_WORDS or second.strip(".").lower() in NOT_NAME_WORDS


_ASCII_SPACE_AND_STRIPPED = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f,;:."
"""What ``str.split`` takes as white space in ASCII, and what tidying strips before a name."""


_NAME_HEAD_RE = re.compile(r"[\s,;:.]*" + _EN_NAME)
"""A name (``_EN_NAME_RE``) opening what a tidied line's ``lstrip(" :：,;.")`` keeps."""


def _take_values(
    lines: Sequence[str], block: PersonBlock, start: int, *, limit: int, labelled: bool
) -> None:
    """Give a person the phone / e-mail lines that follow their name, up to a non-value line."""
    person = block.person
    j = start
    while j < len(lines) and j - start < limit:
        line = _tidy(lines[j])
        if not line:
            j += 1
            continue
        if not _is_value_line(lines, j) or _labelled_person(line) is not None or _is_prose(line):
            break
        phones = find_phones(_with_label_above(lines, j))
        emails = find_emails(lines[j])
        if labelled:
            block.maybe_phones.extend(p for p in phones if not _personal(p) and _direct(p))
            phones = [p for p in phones if _personal(p)]
            emails = [e for e in emails if not _role_email(e)]
        if phones:
            person.phones.extend(phones)
            block.phone_lines.append(j)
        person.emails.extend(emails)
        block.last_line = j
        j += 1


def _inline_person(line: str) -> Person | None:
    """ "Aisha Bello, Trade Sales Manager — 0113 496 0458 — aisha@…": a person and values."""
    if not _has_value(line):
        return None  # most lines: nothing to read a person before
    values = [m.start for m in scan_phones(line)]
    values += [line.find(e.raw.split("@")[0]) for e in find_emails(line)]
    values = [v for v in values if v > 0]
    if not values:
        return None
    head = _drop_trailing_label(line[: min(values)].strip(_SEPARATORS)).strip(_SEPARATORS)
    if not head or _has_label_word(head.split(",")[0]):
        return None
    got = split_name_title(head)
    if got is None:
        return None
    person = Person(name=got[0], title=got[1])
    person.phones = find_phones(line[len(head) :])
    person.emails = find_emails(line[len(head) :])
    return person


_SEPARATORS = " \t—–-|·:：,;/"


@lru_cache(maxsize=16384)
def _drop_trailing_label(text: str) -> str:
    """ "Aisha Bello, Trade Sales Manager, tel." → without the label that opens the values.

    Cached: the pattern of every label is some microseconds a character.
    """
    matches = list(ANY_LABEL_RE.finditer(text))
    if not matches or text[matches[-1].end() :].strip(" .:："):
        return text
    last = matches[-1]
    if last.start() and text[last.start() - 1].isalpha():
        return text  # "Patel": a name that ends like a label
    return text[: last.start()]


def _has_label_word(text: str) -> bool:
    """A known label as a word of its own ("Tel", "电话"), not inside a name ("Patel")."""
    for m in ANY_LABEL_RE.finditer(text):
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 1]
        if not (before.isascii() and before.isalpha()) and not (
            after.isascii() and after.isalpha()
        ):
            return True
    return False


_ROLE_LABEL_RE = re.compile(
    r"(?P<role>[A-Za-z][A-Za-z&/ -]{1,40}?|[\u4e00-\u9fff]{2,8})\s*[:：]\s*(?P<name>[^:：]{2,80})"
)


@lru_cache(maxsize=16384)
def _labelled_person(line: str) -> tuple[str, str] | None:
    """ "联系人：张三 经理", "Contact: John Smith", or a job as the label ("Shop manager: Hannah
    Price", "技术主管：王建国")."""
    if ":" not in line and "：" not in line and not PERSON_LABEL_RE.search(normalise(line)):
        return None  # no label to read (most lines): a job as the label needs a colon
    for label, value in find_labelled(line, PERSON_LABEL_RE, next_line=False):
        if _NAME_LABEL_RE.fullmatch(label) and not looks_like_name(value.split(",")[0]):
            continue
        got = split_name_title(value)
        if got:
            return got
    role = _ROLE_LABEL_RE.fullmatch(line.strip())
    if role and ROLE_WORDS_RE.search(role["role"]) and not _has_label_word(role["role"]):
        name = _NAME_END_RE.split(role["name"].strip())[0].strip(" .")
        if looks_like_name(name):
            return name, role["role"].strip()
    return None


def _next_nonblank(lines: Sequence[str], i: int) -> int | None:
    j = i + 1
    while j < len(lines):
        if lines[j].strip(" \t:：*"):
            return j
        j += 1
    return None


def _with_label_above(lines: Sequence[str], j: int) -> str:
    """A value line with the label-only line above it, so find_phones sees the label."""
    if j > 0 and _short_phone_label(lines[j - 1]):
        return lines[j - 1] + "\n" + lines[j]
    return lines[j]


@lru_cache(maxsize=16384)
def _short_phone_label(line: str) -> bool:
    # cached: every line is asked about as the line above the next one, in both passes
    return len(line.strip()) <= 30 and bool(PHONE_LABEL_RE.search(line))


def _is_value_line(lines: Sequence[str], j: int) -> bool:
    """A line that holds a phone or e-mail (maybe labelled), or is a label alone."""
    return _value_line(lines[j], _with_label_above(lines, j))


@lru_cache(maxsize=16384)
def _value_line(raw: str, labelled: str) -> bool:
    # cached: both passes of the generic extractor ask about every line of the page
    line = normalise(raw).strip()
    if not line:
        return True
    if has_email(line) or has_phone(labelled):
        return True
    bare = line.strip(" :：")
    return bool(
        len(bare) <= 20 and (PHONE_LABEL_RE.fullmatch(bare) or EMAIL_LABEL_RE.fullmatch(bare))
    )


def _followed_by_values(lines: Sequence[str], i: int) -> bool:
    nxt = _next_nonblank(lines, i)
    if nxt is None:
        return False
    if _is_title_line(lines[nxt]):
        nxt2 = _next_nonblank(lines, nxt)
        return nxt2 is not None and _has_value(lines[nxt2])
    return _has_value(lines[nxt])


def _followed_by_role(lines: Sequence[str], i: int) -> bool:
    """A bare name with a job title right under it (``<dt>`` / ``<dd>``, name / role lines).

    Latin-script names only: a run of Chinese characters that starts with a common family
    name is too often a menu word ("项目" / "经理") to be taken without a phone or e-mail.
    """
    if is_cjk(raw_value(lines[i])[:1]):
        return False
    nxt = _next_nonblank(lines, i)
    if nxt is None:
        return False
    role = raw_value(lines[nxt])
    return (
        _is_title_line(role)
        and bool(ROLE_WORDS_RE.search(role))
        and not _PREPOSITION_RE.match(role)
    )


@lru_cache(maxsize=16384)
def _titled_line(line: str) -> tuple[str, str] | None:
    """ "Gareth Holroyd, Managing Director" / "王建国 技术主管" alone on its line: a staff entry.

    A Chinese name must stand apart from its title ("项目经理" is a job, not 项目 the manager).
    """
    if len(line) > 80 or _has_value(line):
        return None
    return _titled(line)


def _titled(line: str) -> tuple[str, str] | None:
    """:func:`_titled_line` of a line known to hold no value."""
    if len(line) > 80:
        return None
    got = split_name_title(line)
    if got is None or not got[1] or not ROLE_WORDS_RE.search(got[1]):
        return None
    if is_cjk(line[:1]):
        name, title = (re.escape(part) for part in got)
        if not re.fullmatch(rf"{name}\s*[\s,，、(（:：]\s*{title}\s*[)）]?", line):
            return None
    return got


_LATIN_WORD_RE = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=16384)
def _is_prose(line: str) -> bool:
    """A sentence that mentions a number ("All extensions via our main line 03 5550 0188").

    The words counted are those before the first value, so a line with fewer than five in
    all ("614-850-8940, ext. 103", an address alone) is none, without reading its values.
    """
    if len(_LATIN_WORD_RE.findall(line)) < 5:
        return False
    starts = [m.start for m in scan_phones(line)]
    starts += [line.find(e.raw.split("@")[0]) for e in find_emails(line)]
    head = line[: min((s for s in starts if s >= 0), default=len(line))]
    if len(_LATIN_WORD_RE.findall(head)) < 5:
        return False
    tail = head[-25:]
    return not (PHONE_LABEL_RE.search(tail) or EMAIL_LABEL_RE.search(tail))


def _has_value(line: str) -> bool:
    """Whether a line holds an e-mail or a phone (asked of most lines of a page, twice)."""
    return has_email(line) or has_phone(line)


@lru_cache(maxsize=16384)
def _is_title_line(line: str) -> bool:
    # cached, as the other line tests: the content's text and the whole page's share lines
    line = raw_value(line)
    return 0 < len(line) <= 50 and bool(TITLE_WORDS_RE.search(line)) and not _has_value(line)


@lru_cache(maxsize=16384)
def _is_heading(line: str) -> bool:
    """A department heading in a staff list ("Sales", "Parts and Services", "销售部")."""
    if not line or len(line) > 30 or _NOT_HEADING_RE.search(line):
        return False
    return bool(
        _DEPARTMENT_RE.fullmatch(line)
        or _CN_DEPARTMENT_RE.search(line)
        or TITLE_WORDS_RE.search(line)  # the slowest last: most lines are none of them
    )


_NOT_HEADING_RE = re.compile(r"[\d@:：]")
_CN_DEPARTMENT_RE = re.compile(r"(?:部|中心|处|科)$")
_DEPARTMENT_RE = re.compile(r"[A-Z][a-z]+(?:\s+(?:and|&)\s+[A-Z][a-z]+)?")


def _direct(phone: Phone) -> bool:
    """Not a fax, hotline or toll-free line: a number that can be someone's own."""
    return not _NOT_DIRECT_RE.search(phone.label)


def _personal(phone: Phone) -> bool:
    """Whether a number under a labelled contact is theirs (a mobile, or unlabelled)."""
    label = phone.label.lower()
    return not label or bool(_PERSONAL_RE.search(label))


ROLE_LOCALS = frozenset(
    words(
        """
        info sales contact contacts office admin service support enquiries enquiry inquiry mail
        hello marketing export webmaster postmaster hr jobs careers orders order kefu
        """
    )
)


def _role_email(email: Email) -> bool:
    """info@, sales@ …: a department's box, the business's rather than one person's."""
    return email.raw.split("@")[0].lower() in ROLE_LOCALS
