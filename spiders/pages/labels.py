"""Normalising page text and reading labels: what a page calls a phone, an address, a contact.

Every finder in :mod:`spiders.pages.contacts` works on text normalised here (full-width forms
folded, length unchanged so offsets still point into the page's own text) and knows the same
label vocabulary, English and Chinese. ``find_labelled`` reads "Label: value" pairs (or a
label alone on its line with the value below), cutting the value at the next known label.
"""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    """A word list written as one block of text, so long vocabularies stay readable."""
    return text.split()


# --------------------------------------------------------------------------------------
# normalising: same length in, same length out, so match offsets point into the page text

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2007: 0x20,
        0x202F: 0x20,
        0x2010: 0x2D,  # hyphens and dashes
        0x2011: 0x2D,
        0x2012: 0x2D,
        0x2013: 0x2D,
        0x2014: 0x2D,
        0x2212: 0x2D,
        0xFE63: 0x2D,
        0x3001: 0x2C,  # 、 as a list comma
    }
)
for _cp in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F)):
    _FULLWIDTH[_cp] = 0x20  # invisible bidi / zero-width marks (``‪+44 7595 870124‬``)
for _cp in range(0x2066, 0x206A):
    _FULLWIDTH[_cp] = 0x20

_INVISIBLE_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalise(text: str) -> str:
    """Full-width forms to ASCII, odd spaces and dashes to plain ones, length unchanged.

    Every character the table folds is outside ASCII, so ASCII text (most English lines,
    read by several finders each) is returned as it is without the per-character lookup;
    so is text with none of the folded characters (most Chinese lines), found by one
    character-class search in C where ``translate`` looks every character up in a dict.
    """
    if text.isascii() or not _FOLDED_RE.search(text):
        return text
    if len(text) < 100:
        return text.translate(_FULLWIDTH)
    # a long text (a page's, a card's) folds a few runs ("\xa0", "：", "（０２１）"): each run
    # is translated alone, and the rest copied in C (``translate`` looks every character up
    # in the dict, some 45 ns each: three times slower on the pages' texts)
    return _FOLDED_RUN_RE.sub(_fold_run, text)


def _fold_run(run: re.Match[str]) -> str:
    return run.group().translate(_FULLWIDTH)


_FOLDED_RE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULLWIDTH)) + "]")
"""Any character ``_FULLWIDTH`` folds (exactly its keys)."""
_FOLDED_RUN_RE = re.compile(_FOLDED_RE.pattern + "+")


def raw_value(text: str) -> str:
    """The page's own text for a value: invisible marks removed, whitespace tidied.

    Every run of white space is one space and the ends lose spaces, commas and semicolons
    (what ``re.sub(r"\\s+", " ", …).strip(" ,;")`` gives, with string methods: the finders
    tidy thousands of values a page).
    """
    if not text.isascii():
        text = _INVISIBLE_RE.sub("", text)
    return " ".join(text.split()).strip(" ,;")


def is_cjk(ch: str) -> bool:
    """Whether a character is a CJK ideograph (a Chinese label or name runs into its value)."""
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def line_above(text: str, line_start: int) -> str | None:
    """The non-empty line above ``line_start``, or None."""
    if line_start <= 1:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    line = text[prev_start : line_start - 1]
    return line if line.strip() else None


# --------------------------------------------------------------------------------------
# labels
#
# The labels are case-blind, but not through ``re.IGNORECASE``: under the flag the engine
# tries every alternative at every character of the text (a phone label pattern some 15 us
# on a 17-character text). ``_case_blind`` spells out the first letter of each alternative
# instead ("c(?i:ontact)|C(?i:ontact)"), so the engine knows which characters a match can
# start with and skips the others in C. Property tests keep every pattern equal to its
# definition under the flag.

_SPELLINGS = {"i": "iIİı", "k": "kK\u212a", "s": "sSſ"}
"""What ``re.IGNORECASE`` takes for a letter beyond its two cases: the dotted capital I and
the dotless i for "i", the Kelvin sign for "k", the long s for "s"."""


def _case_blind(alternatives: str) -> str:
    """``alternatives`` (``|``-separated) as ``re.IGNORECASE`` reads them, without the flag.

    The alternatives that open with a letter are gathered by that letter (where the first of
    them stood: no other alternative can match from the same character, so the order of the
    matches is kept) and written once per spelling of it, the rest under ``(?i:…)``. One that
    opens with another plain character or an escape (``2``, ``\\s``) keeps it and has the
    rest under ``(?i:…)``. One that opens otherwise (a group, a class, a lookbehind) must hold
    no letter: write its first letter first instead (``n(?<![a-z]n)ame`` for
    ``(?<![a-z])name``).
    """
    out: list[str] = []
    rests: dict[str, list[str]] = {}  # by first letter, in their order
    where: dict[str, int] = {}  # where in ``out`` a letter's alternatives go
    for alt in _split_alternatives(alternatives):
        first = alt[:2] if alt.startswith("\\") else alt[0]
        rest = alt[len(first) :]
        if len(first) == 1 and first.lower() != first.upper():
            letter = first.lower()
            if letter not in rests:
                rests[letter], where[letter] = [], len(out)
                out.append("")
            rests[letter].append(rest)
        elif not any(ch.lower() != ch.upper() for ch in re.sub(r"\\.", "", alt)):
            out.append(alt)
        elif first not in "()[]{}.^$|?*+":
            out.append(f"{first}(?i:{rest})")
        else:
            raise ValueError(f"a label alternative opens with {first!r} and holds letters: {alt}")
    for letter, group in rests.items():
        rest = "|".join(group)
        spellings = _SPELLINGS.get(letter, letter + letter.upper())
        out[where[letter]] = "|".join(f"{ch}(?i:{rest})" for ch in spellings)
    return "|".join(out)


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``|`` outside groups and classes)."""
    parts: list[str] = []
    depth, in_class, escaped, start = 0, False, False, 0
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


PHONE_LABELS: tuple[tuple[str, str], ...] = (
    # (regex, canonical label; "" keeps the page's own word, used for Chinese labels)
    (r"toll[- ]?free|free ?phone|free ?call|numéro vert", "toll-free"),
    (
        r"24\s*(?:/\s*7|hours?|hrs?\.?|h)(?:\s+(?:phone|line|service|support|emergency|hotline))?",
        "24h",
    ),
    (r"emergency", "24h"),
    (r"hot ?line", "hotline"),
    (r"tel(?:e)?fax|facsimile|fax(?:\s*(?:no|number|#)\.?)?", "fax"),
    (r"f(?<![a-z]f)(?=\s*[:.]\s*[+(\d])", "fax"),
    (r"whats ?app", "whatsapp"),
    (
        r"mobile(?:\s*phone)?|mob\.?(?=\s*[:.\d+])|cell(?:ular)?(?:\s*phone)?|handy|m(?<![a-z]m)(?=\s*[:.]\s*[+(\d])",
        "mobile",
    ),
    (
        r"sales(?:\s+(?:line|phone|tel(?:ephone)?|hotline|enquiries|inquiries))?(?=\s*[:：])",
        "sales",
    ),
    (r"sales(?=\s*\d)", "sales"),
    (
        r"tele?phone(?:\s*(?:no|number|#)\.?)?|phone(?:\s*(?:no|number|#)\.?)?|tel\.?|ph\.?(?=\s*[:.\d+(])"
        r"|call(?:\s+us)?(?:\s+(?:on|at|now))?|landline|office(?=\s*[:：])|direct(?:\s+line|\s+dial)?"
        r"|switchboard|main(?:\s+line)?(?=\s*[:：])|t(?<![a-z]t)(?=\s*[:.]\s*[+(\d])"
        r"|p(?<![a-z]p)(?=\s*[:.]\s*[+(\d])|téléphone|telefon|teléfono",
        "tel",
    ),
    (r"传\s*真(?:号码)?|傳\s*真", ""),
    (r"手\s*机(?:号码)?|手\s*機|移动电话|移動電話", ""),
    (
        r"(?:服务|服務|销售|銷售|业务|業務|咨询|諮詢|客服|招商|订购|訂購|投诉|售后|售後|全国|全國)?热\s*线|熱\s*線",
        "",
    ),
    (r"400\s*电话|800\s*电话", ""),
    (
        r"(?:客服|售后|售後|销售|銷售|业务|業務|咨询|諮詢|订购|訂購|联系|聯系|聯繫|办公|辦公|公司|总机|總機|值班|前台|采购|採購)?\s*电\s*话|電\s*話",
        "",
    ),
    (r"座\s*机|固\s*话|总\s*机|總\s*機", ""),
    (r"客\s*服", ""),
)
"""What pages call a phone number, most specific first (case-blind, see ``_case_blind``; a
lookbehind stands after the first letter: ``f(?<![a-z]f)`` is an "f" after no letter)."""


def _opening(letters: str, others: str = "") -> str:
    """A lookahead for a character a match opens with: one of ``letters`` in any spelling, or
    one of ``others`` (a class's inside).

    For a pattern the engine cannot see the openings of (its alternatives are groups, or
    open with an optional group): a character that opens no label then costs one test
    instead of a try of every alternative.
    """
    spelt = "".join(_SPELLINGS.get(ch, ch + ch.upper()) for ch in letters)
    return f"(?=[{spelt}{others}])"


def _phone_groups(indexes: range) -> str:
    return "|".join(f"(?P<l{i}>{_case_blind(PHONE_LABELS[i][0])})" for i in indexes)


_PHONE_LABELS = (
    # the English labels (and 24h), then the Chinese ones: each kind is only tried from a
    # character that opens one of its labels
    _opening("cdefhlmnopstw", "2")
    + f"(?:{_phone_groups(range(11))})|"
    + _opening("", r"\s48传傳手移服銷销业業咨諮客招订訂投售全热熱联聯办辦公总總值前采採电電座固")
    + f"(?:{_phone_groups(range(11, len(PHONE_LABELS)))})"
)
PHONE_LABEL_RE = re.compile(_PHONE_LABELS)

NOT_PHONE_LABELS = _case_blind(
    r"icp|备\s*案|备|證|证|公网安|公安|许可证|許可證|经营许可|營業執照|营业执照|执照|"
    r"统一社会信用代码|信用代码|注册号|註冊號|注册资本|税号|稅號|纳税人|组织机构代码|"
    r"邮\s*编|邮政编码|郵編|郵遞區號|postcode|post\s*code|postal\s*code|zip(?:\s*code)?|plz|cep|pin\s*code|"
    r"abn|acn|arbn|vat|gst(?:in)?|tax|ein|tin|cin|crn|siret|siren|ust-?id|kvk|"
    r"company\s*(?:reg(?:istration)?\.?\s*)?(?:no|number|#)|registration|registered\s+(?:no|number|in)|reg\.?\s*no|"
    r"qq|微信号|wechat\s*id|skype|icq|"
    r"order|invoice|sku|model|型号|型號|货号|貨號|item|part\s*(?:no|number|#)|art(?:icle)?\.?\s*no|ref(?:erence)?\.?\s*no|"
    r"isbn|issn|patent|专利|lot|batch|serial|s/n|price|价格|價格|单价|"
    r"£|\$|€|¥|￥|₹|rmb|usd|eur|gbp|cny|"  # one alternative each, not a class: see _case_blind
    r"lat(?:itude)?|lng|lon(?:gitude)?|coordinates|坐标|"
    r"account|账号|帐号|账户|bank|开户|银行|iban|swift|bic|sort\s*code"
)
NOT_PHONE_RE = re.compile(NOT_PHONE_LABELS)

_EMAIL_LABELS = (
    r"e-?mail|email\s*address|mail(?=\s*[:：])|邮\s*箱|郵\s*箱|电子邮件|電子郵件|电子信箱|电邮|電郵|"
    r"邮件|郵件|信箱|courriel"
)
EMAIL_LABEL_RE = re.compile(_case_blind(_EMAIL_LABELS))

_ADDRESS_LABELS = (
    # "(?:mailing|postal|…)?\s*address(?:es)?" with each word an alternative of its own, and
    # "\s*address" as "\s\s*address" or "address": each alternative opens with a letter
    r"(?:公司|联系|聯系|聯繫|通讯|通訊|办公|辦公|工厂|工廠|厂|廠|注册|註冊|详细|詳細|经营|總部|总部|生产|生產)?地\s*址"
    r"|mailing\s*address(?:es)?|postal\s*address(?:es)?|office\s*address(?:es)?"
    r"|business\s*address(?:es)?|street\s*address(?:es)?|registered\s*address(?:es)?"
    r"|physical\s*address(?:es)?|company\s*address(?:es)?|head\s*office\s*address(?:es)?"
    r"|factory\s*address(?:es)?|shipping\s*address(?:es)?|\s\s*address(?:es)?|address(?:es)?"
    r"|registered\s+office|head\s+office|find\s+us(?=\s*(?:[:：]|$))|visit\s+us(?=\s*(?:[:：]|$))"
    r"|our\s+location|location(?=\s*[:：])|a(?<![a-z]a)dd(?:r)?\.?(?=\s*[:：])|adresse|anschrift"
    r"|dirección|indirizzo"
)
_ADDRESS_OPENING = _opening("abcdfhilmoprsv", r"\s公联聯通办辦工厂廠注註详詳经總总生地")
ADDRESS_LABEL_RE = re.compile(f"{_ADDRESS_OPENING}(?:{_case_blind(_ADDRESS_LABELS)})")

_POSTCODE_LABELS = (
    r"邮\s*编|邮政编码|郵編|郵遞區號|post\s*code|postal\s*code|zip(?:\s*code)?|plz|pin\s*code"
)
POSTCODE_LABEL_RE = re.compile(_case_blind(_POSTCODE_LABELS))

_PERSON_LABELS = (
    r"联\s*系\s*人(?:姓名)?|聯\s*系\s*人|聯\s*繫\s*人|负\s*责\s*人|負\s*責\s*人|法定代表人|法人代表|业务员|業務員|"
    r"销售代表|销售经理|客户经理|联系人员|姓\s*名|"
    r"contact\s*(?:person|name)|contact(?=\s*[:：])|attn\.?|attention|n(?<![a-z]n)ame(?=\s*[:：])|"
    r"ansprechpartner|persona\s+de\s+contacto"
)
PERSON_LABEL_RE = re.compile(_case_blind(_PERSON_LABELS))

_REGISTRATION_LABELS = (
    r"统一社会信用代码|統一社會信用代碼|社会信用代码|营业执照(?:注册)?号|注册号|註冊號|工商注册号|"
    r"company\s*(?:registration\s*)?(?:no|number)\.?|"
    r"registered\s+(?:in\s+[a-z ]+?\s+)?(?:no|number)\.?|"
    r"r(?<!vat r)(?<!tax r)egistration\s*(?:no|number)\.?|crn|abn|acn|cin|handelsregister|hrb"
)
REGISTRATION_LABEL_RE = re.compile(_case_blind(_REGISTRATION_LABELS))

_COMPANY_LABELS = (
    r"公司名称|公司名稱|单位名称|單位名稱|企业名称|企業名稱|公司全称|公司全稱|厂名|厂家名称|供应商|"
    r"company\s*name|company(?=\s*[:：])|business\s*name|firm(?=\s*[:：])|organi[sz]ation(?=\s*[:：])"
)
COMPANY_LABEL_RE = re.compile(_case_blind(_COMPANY_LABELS))

PRODUCTS_LABEL_RE = re.compile(
    _case_blind(
        r"主营产品|主营业务|主营项目|主营|主要产品|经营产品|main\s+products?|products?(?:\s*&\s*services)?"
        r"(?=\s*[:：])|services?(?=\s*[:：])|categories(?=\s*[:：])|we\s+(?:sell|supply|offer)"
    )
)
"""What a listing card or a profile calls the products a business sells (主营产品, Products:)."""

ANY_LABEL_RE = re.compile(
    # the phone labels, then all the others as one list: their alternatives that open with
    # the same letter are tried together (in their order, so the matches are the same)
    f"{_PHONE_LABELS}|"
    + _case_blind(
        "|".join(
            (
                _EMAIL_LABELS,
                _ADDRESS_LABELS,
                _POSTCODE_LABELS,
                _PERSON_LABELS,
                _REGISTRATION_LABELS,
                _COMPANY_LABELS,
                r"网\s*址|網\s*址|website|web(?=\s*[:：])|url(?=\s*[:：])|qq|微\s*信|wechat|skype",
            )
        )
    )
)
"""Any label we know, to cut a labelled value before the next one on the same line."""

LABEL_PIECES: dict[re.Pattern[str], re.Pattern[str]] = {
    ADDRESS_LABEL_RE: re.compile(
        r"址|add|adr|office|find|visit|location|anschrift|dirección|indirizzo"
    ),
    POSTCODE_LABEL_RE: re.compile(r"邮|郵|post|zip|plz|pin"),
    REGISTRATION_LABEL_RE: re.compile(
        r"信用代码|信用代碼|营业执照|注册号|註冊號|company|regist|crn|abn|acn|cin|hrb"
    ),
    COMPANY_LABEL_RE: re.compile(r"名称|名稱|全称|全稱|厂名|供应商|company|business|firm|organi"),
}
"""For some label patterns, literal pieces (in lower case) every match of the pattern holds
once the text is folded by :func:`_fold`: "地址" holds 址, "head office" office, "邮政编码"
邮, "统一社会信用代码" 信用代码, "handelsregister" regist, "公司名称" 名称. A line with none
of them cannot hold the label."""

_CASE_FIXES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
"""Letters ``re.IGNORECASE`` takes for "i" or "s" that ``str.lower`` does not make one
("İ" it lowers to two characters, an "i" and a combining dot)."""


def _fold(text: str) -> str:
    """``text`` in lower case, with the dotted capital I, the dotless i and the long s read
    as "i" and "s".

    Every letter ``re.IGNORECASE`` lets stand for a piece's letter folds to that letter, and
    no line break is made or lost, so a piece found in the folded text lies on the same
    line of the original. The pieces were once searched with ``re.IGNORECASE``, which tries
    every piece at every character: 1.7 ms on a 20 kB page, against 0.2 ms folded.
    """
    if "İ" in text or "ı" in text or "ſ" in text:
        text = text.translate(_CASE_FIXES)
    return text.lower()


def label_lines(norm: str, labels: re.Pattern[str]) -> set[int] | None:
    """The indexes of the lines of ``norm`` (normalised text) that may hold a ``labels``
    match, or None when ``labels`` has no pieces in ``LABEL_PIECES`` (every line may).

    The label patterns cost some microseconds a line (an optional prefix leaves the engine
    no literal to look for), and most lines of a page hold no label: one search of
    the whole (folded) text for the pieces picks the lines worth testing. A piece holds no
    line break, so each one found lies on one line.
    """
    pieces = LABEL_PIECES.get(labels)
    if pieces is None:
        return None
    folded = _fold(norm)
    found: set[int] = set()
    line, pos = 0, 0
    for m in pieces.finditer(folded):
        line += folded.count("\n", pos, m.start())
        pos = m.start()
        found.add(line)
    return found


def phone_label(text: str) -> str:
    """The canonical label of the last phone label in ``text`` ("" when it has none).

    English labels are canonicalised (tel, fax, mobile, hotline, toll-free, 24h, sales,
    whatsapp); Chinese ones keep the page's word (电话, 手机, 传真, 业务热线 …) because that is
    what a trainee reads and what ``enrich.phone`` recognises.
    """
    found = last_phone_label(text)
    return found[1] if found else ""


def last_phone_label(text: str) -> tuple[int, str] | None:
    """(end offset, label) of the last phone label in ``text``; "tel/fax" when both are given."""
    matches = list(PHONE_LABEL_RE.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    label = _canonical(last)
    # "Tel/Fax:" or "电话/传真：": one number that is both
    if len(matches) > 1:
        prev = matches[-2]
        between = text[prev.end() : last.start()]
        if re.fullmatch(r"\s*[/&,、及和]\s*|\s+and\s+", between):
            first = _canonical(prev)
            if first != label:
                label = f"{first}/{label}"
    return last.end(), label


def _canonical(match: re.Match[str]) -> str:
    for name, value in match.groupdict().items():
        if value is not None:
            canonical = PHONE_LABELS[int(name[1:])][1]
            return canonical or re.sub(r"\s+", "", value)
    return ""  # pragma: no cover - a match always has one group


# --------------------------------------------------------------------------------------
# labelled values


def find_labelled(
    text: str, labels: re.Pattern[str] | str, *, next_line: bool = True
) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for "Label: value" (or a label alone on its line, value below).

    The value stops at the next known label on the same line, so ``公司地址：… 邮编：226001``
    gives the address without the postcode.
    """
    regex = re.compile(labels, re.IGNORECASE) if isinstance(labels, str) else labels
    norm = normalise(text)
    lines = norm.split("\n")
    raw_lines = text.split("\n")
    out: list[tuple[str, str]] = []
    candidates = label_lines(norm, regex)
    # only the lines holding a piece of a label: the search finds nothing on the others
    # (a page's few hundred lines were each stepped over in Python, for a handful)
    for i in range(len(lines)) if candidates is None else sorted(candidates):
        line = lines[i]
        for m in regex.finditer(line):
            before = line[: m.start()]
            if before.strip() and not _SEPARATOR_END_RE.search(before) and not is_cjk(before[-1:]):
                continue
            if _LATIN_RE.match(line[m.end() : m.end() + 1]) and _LATIN_END_RE.search(m.group(0)):
                continue  # "Contacts", "Telephones": a longer word, not this label
            rest = line[m.end() :]
            sep = _VALUE_SEP_RE.match(rest)
            offset = m.end() + (sep.end() if sep else 0)
            value_norm = line[offset:]
            cut = _next_label(value_norm)
            value = raw_value(raw_lines[i][offset : offset + cut])
            if not value and next_line and i + 1 < len(lines):
                j = i + 1
                while j < len(lines) and not lines[j].strip(" :：-*"):
                    j += 1
                if j < len(lines) and not _is_label_line(lines[j]):
                    value_norm = lines[j].lstrip(" :：")
                    lead = len(lines[j]) - len(value_norm)
                    cut = _next_label(value_norm)
                    value = raw_value(raw_lines[j][lead : lead + cut])
            if value:
                out.append((raw_value(m.group(0)), value.strip(" :：,;")))
    return out


_SEPARATOR_END_RE = re.compile(r"[\s,;|:·•]$")
_LATIN_RE = re.compile(r"[A-Za-z]")
_LATIN_END_RE = re.compile(r"[A-Za-z]$")
_VALUE_SEP_RE = re.compile(r"\s*(?:[:：]|-(?=\s)|\s(?=\S))?\s*")
_COLON_AHEAD_RE = re.compile(r"\s*[:：]")
"""The tests :func:`find_labelled` and :func:`_next_label` make of every label found,
compiled once."""


def _is_label_line(line: str) -> bool:
    """A line that is itself a label ("注册号", "Phone:"), not a value."""
    m = ANY_LABEL_RE.match(line.strip())
    return bool(m and re.fullmatch(r"\s*(?:[:：].*)?", line.strip()[m.end() :]))


def _next_label(value: str) -> int:
    """Where the next "Label:" starts in a value, or its length."""
    for m in ANY_LABEL_RE.finditer(value):
        if m.start() == 0:
            continue
        tail = value[m.end() : m.end() + 3]
        if _COLON_AHEAD_RE.match(tail) and (
            value[m.start() - 1] in " \t,;|/" or is_cjk(value[m.start() - 1])
        ):
            return m.start()
    return len(value)
