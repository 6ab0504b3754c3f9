"""The business's address, postcode and registration number, from labels or street lines.

An address block ends at the next labelled line (phone, fax, e-mail, reception, opening
hours …); a Chinese address is one line.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spiders.pages.emails import find_emails
from spiders.pages.labels import (
    ADDRESS_LABEL_RE,
    ANY_LABEL_RE,
    POSTCODE_LABEL_RE,
    REGISTRATION_LABEL_RE,
    find_labelled,
    label_lines,
    normalise,
)
from spiders.pages.names import COPYRIGHT_RE, LEGAL_SUFFIX_RE, is_cjk_text
from spiders.pages.phones import scan_phones

_STREET_RE = re.compile(
    r"^(?:(?:suite|unit|ste\.?|apt\.?|flat|#)\s*[\w-]+[,\s]+)?[A-Z]?-?\d+[\w/-]*,?\s+(?:[\w.'-]+\s+){0,4}"
    r"(?:st|street|ave|avenue|rd|road|dr|drive|blvd|boulevard|lane|ln|way|ct|court|pl|place|"
    r"cres|crescent|hwy|highway|pkwy|parkway|terrace|tce|close|square|sq|row|circle|cir|"
    r"strasse|straße|str|weg|platz)\b\.?",
    re.IGNORECASE,
)
_STREET_ANYWHERE_RE = re.compile(
    r"\b\d+[A-Za-z]?(?:[-/]\d+)?\s+(?:[A-Z][\w.'-]*\s+){1,4}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Drive|Dr|Boulevard|Blvd|Lane|Ln|Way|Parade|Esplanade|Row|"
    r"Place|Pl|Crescent|Highway|Hwy|Terrace|Close|Square|Court|Ct|Wharf)\b"
)
_UNIT_LINE_RE = re.compile(
    r"(?:suite|unit|level|floor|shop|building|bldg|flat|apt|apartment|warehouse)\s*[\w-]*\d",
    re.IGNORECASE,
)
_CN_ADDRESS_RE = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:省|市|区|县|縣|區)[\u4e00-\u9fff\d\-·()（）]*?(?:路|街|道|号|號|楼|樓|室|园|園)"
)
_STOP_LINE_RE = re.compile(
    r"^(?:follow us|opening|hours|business hours|map|directions|get in touch|send|submit|"
    r"contact(?: us)?|your enquiry|enquiry|find us|social|share|menu|more info|read more|"
    r"view|details|opens?\s+soon|closes?\s+soon|open\s+24|on-?site\s+services|"
    r"online\s+(?:appointments|estimates)|营业时间|工作时间|地图|详情)\b",
    re.IGNORECASE,
)
LABELLED_LINE_RE = re.compile(
    r"^(?:reception|switchboard|front\s+desk|enquiries|inquiries|"
    r"(?:opening|trading|office|business|shop|store|showroom|counter)\s+(?:hours|times)|"
    r"open(?:s|ing)?\s+(?:hours|times|daily|now|\d|mon|tue|wed|thu|fri|sat|sun)|closed\b|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?\s*(?:[-–]|to\b|&|,|\d)|"
    r"(?:(?:tele)?phone|tel|fax|e-?mail|mobile|cell|whats\s?app|wechat|skype)(?=\s*[:：.(\d+]|\s*$)|"
    r"营业时间|工作时间|办公时间|前台|总机|總機|电话|電話|传真|傳真|邮箱|郵箱|手机|手機)",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_DISTANCE_RE = re.compile(r"\d\s*(?:km|mi)\b")
_LABEL_END_RE = re.compile(r"\s*[:：]|\s*$")
_DIGIT_OR_COMMA_RE = re.compile(r"\d|,")
""":func:`_address_like`'s tests, compiled once: it reads most lines of every page."""
"""A line that opens the next labelled item (phone, fax, e-mail, reception, opening hours):
the address above it has ended. "Tel Aviv" and "Mobile, AL" are not labels."""
POSTCODE_PATTERNS = (
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),  # UK
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),  # Canada
    re.compile(
        r"\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+(\d{5}(?:-\d{4})?)\b"
    ),  # US
    re.compile(r"\b(?:NSW|QLD|VIC|SA|WA|TAS|NT|ACT)\s+(\d{4})\b"),  # Australia
    re.compile(r"[-–]\s*(\d{6})\s*$"),  # India PIN after "DELHI - "
)


@lru_cache(maxsize=16384)
def _address_like(line: str, *, first: bool = False) -> bool:
    """Whether a line can be part of an address block (``first``: right under the label).

    Cached: the content's text and the whole page's, both read, share most lines.
    """
    line = line.strip()
    if not line or len(line) > 80 or _STOP_LINE_RE.match(line) or " · " in line:
        return False
    if LABELLED_LINE_RE.match(normalise(line)):
        return False
    if not _LETTER_RE.search(line) or _DISTANCE_RE.search(line):
        return False
    if find_emails(line) or scan_phones(line):
        return False
    m = ANY_LABEL_RE.match(line)
    if m and _LABEL_END_RE.match(line[m.end() :]):
        return False
    words = line.split()
    return bool(_DIGIT_OR_COMMA_RE.search(line)) or len(words) <= (6 if first else 3)


def _continue_address(lines: list[str], start: int, first: str) -> tuple[str, int]:
    """Join the address lines that follow a label or a street line."""
    parts = [first] if first else []
    j = start
    while j < len(lines) and len(parts) < 7 and _address_like(lines[j]):
        if is_cjk_text(first) and parts:
            break  # Chinese addresses are one line
        plain = not re.search(r"\d", lines[j])
        if plain and ("(" in lines[j] or (j + 1 < len(lines) and scan_phones(lines[j + 1]))):
            break  # "Reception (switchboard)" above a number is that number's label
        parts.append(lines[j].strip())
        j += 1
    return ", ".join(p.strip(" ,") for p in parts if p.strip(" ,")), j


def _label_only(line: str) -> bool:
    m = ADDRESS_LABEL_RE.match(normalise(line).strip())
    return bool(m and not line.strip()[m.end() :].strip(" :：-"))


def find_address(text: str) -> tuple[str, str]:
    """(address, organisation line) from an "Address:" / "地址：" block or a street line.

    An English address block often starts with the business's name ("Chas & Phil
    Wholesale" / "295 Eastern Avenue" …); that line is returned apart as a name candidate.
    """
    lines = [line.strip() for line in text.split("\n")]
    # normalising keeps the length and the line breaks: line i of the normalised text is
    # line i normalised, so only the lines holding a label's piece are searched
    labelled_lines = label_lines(normalise(text), ADDRESS_LABEL_RE) or set()
    for i in sorted(labelled_lines):  # in the lines' order, as a walk of them all meets them
        line = lines[i]
        if not ADDRESS_LABEL_RE.search(normalise(line)):
            continue
        org = ""
        nxt = i + 1
        labelled = [
            value
            for label, value in find_labelled(line, ADDRESS_LABEL_RE, next_line=False)
            if not re.search(r"e-?mail|web|ip\b|url", label, re.IGNORECASE)
        ]
        if labelled:
            value = labelled[0]
            if not re.search(r"[A-Za-z0-9\u4e00-\u9fff]", value):
                continue  # "地址：- -": a directory's placeholder
        elif _label_only(line):
            if nxt >= len(lines) or not _address_like(lines[nxt], first=True):
                continue
            value = lines[nxt]
            nxt += 1
            if (
                not re.search(r"\d", value)
                and nxt < len(lines)
                and re.match(r"[\w-]*\d", lines[nxt])
                and not is_cjk_text(value)
            ):
                org, value = value, lines[nxt]
                nxt += 1
        else:
            continue  # "Address book", a sentence that merely holds the word
        address, _ = _continue_address(lines, nxt, value)
        address = re.sub(r"\s*(?:\.{2,}|…+)\s*(?:详情|詳情|更多|more)?$", "", address)
        if len(address) >= 6:
            return address, org
    for i, line in enumerate(lines):
        if _KIND_NEEDS_RE.search(line) is None:
            continue  # no digit, comma or Chinese character: no kind of address line
        kind = _line_kind(line)
        if kind == _STREET:
            above = lines[i - 1] if i else ""
            if _UNIT_LINE_RE.match(above) and _address_like(above, first=True):
                line = f"{above.strip(' ,')}, {line}"  # "Suite 502, Level 5" / "88 Example St"
            address, _ = _continue_address(lines, i + 1, line)
            return address, ""
        if kind == _COMMA:
            head, _, rest = line.partition(",")
            if LEGAL_SUFFIX_RE.search(head) and not re.search(r"\d", head):
                return rest.strip(), head.strip()
            return line, ""
        if kind == _CHINESE:
            return line, ""
    return "", ""


_STREET, _COMMA, _CHINESE = 1, 2, 3
_KIND_NEEDS_RE = re.compile(r"[\d,\u4e00-\u9fff]")
r"""What each kind of :func:`_line_kind` needs: a street line a number (``_STREET_RE``'s
``\d+``), a one-line address a comma, a Chinese one a character of ``_CN_ADDRESS_RE``'s.
Most lines of a page have none, and are not asked."""


@lru_cache(maxsize=16384)
def _line_kind(line: str) -> int:
    """Whether an unlabelled line is an address: a street line ("295 Eastern Avenue"), a
    one-line address with commas and a street or postcode, a Chinese address; else 0.

    Cached: the content's text and the whole page's, both read, share most lines.
    """
    if _STREET_RE.match(line) and not scan_phones(line):
        return _STREET
    if (
        "," in line
        and len(line) <= 140
        and (_STREET_ANYWHERE_RE.search(line) or any(p.search(line) for p in POSTCODE_PATTERNS))
        and not (scan_phones(line) or find_emails(line) or COPYRIGHT_RE.search(line))
        and not re.search(r"[.!?]\s+[A-Z]", line)
    ):
        return _COMMA
    cn = _CN_ADDRESS_RE.search(line)
    if cn and len(line) <= 60 and not scan_phones(line):
        return _CHINESE
    return 0


def find_postcode(text: str, address: str) -> str:
    """A labelled postcode (邮编：226001, Postcode: IG2 6NT), else one the address spells."""
    for _, value in find_labelled(text, POSTCODE_LABEL_RE):
        m = re.match(r"[A-Z0-9][A-Z0-9 -]{2,9}[A-Z0-9]", normalise(value).upper())
        if m and re.search(r"\d", m.group(0)):
            return m.group(0).strip()
    for pattern in POSTCODE_PATTERNS:
        found = pattern.search(address)
        if found:
            return (found.group(1) if found.groups() else found.group(0)).strip()
    return ""


def find_registration_id(text: str) -> str:
    """统一社会信用代码 / 注册号 / company number, when the page shows one."""
    for label, value in find_labelled(text, REGISTRATION_LABEL_RE):
        if re.search(r"vat|tax|gst", label, re.IGNORECASE):
            continue
        m = re.match(r"[A-Z0-9][A-Z0-9 -]{4,24}[A-Z0-9]", normalise(value).upper())
        if m and len(re.sub(r"\D", "", m.group(0))) >= 5:
            return m.group(0).replace(" ", "")
    return ""
