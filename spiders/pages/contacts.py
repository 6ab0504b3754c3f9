"""Text-level finders for contact details: phones, e-mails, labelled values, named people.

Every page object that reads free text (the generic company-website extractor, directory
detail pages, B2B contact pages) uses these, so a trap caught once (an ICP licence number, a
postcode, a price, ``logo@2x.png``) is caught for every source.

They return raw values only: ``Phone.raw`` is the page's own text (extension included) with
the page's own label, ``Email.raw`` the address as written (de-obfuscated, because
enrichment cannot read ``name [at] example [dot] com``). Parsing to E.164 and validation are
enrichment's job (``enrich.phone``, ``enrich.email``).

The finders work on text with line breaks where the page had blocks: a label on the line
before a value ("Telephone" / "020 8551 6580") is how many pages lay out a contact table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from leadharvest.items import Email, Person, Phone


# --------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
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
    """Full-width forms to ASCII, odd spaces and dashes to plain ones, length unchanged."""
    return text.translate(_FULLWIDTH)


def _raw(text: str) -> str:
    """The page's own text for a value: invisible marks removed, whitespace tidied."""
    return re.sub(r"\s+", " ", _INVISIBLE_RE.sub("", text)).strip(" ,;")


# --------------------------------------------------------------------------------------
# labels

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
    (r"(?<![a-z])f(?=\s*[:.]\s*[+(\d])", "fax"),
    (r"whats ?app", "whatsapp"),
    (
        r"mobile(?:\s*phone)?|mob\.?(?=\s*[:.\d+])|cell(?:ular)?(?:\s*phone)?|handy|(?<![a-z])m(?=\s*[:.]\s*[+(\d])",
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
        r"|switchboard|main(?:\s+line)?(?=\s*[:：])|(?<![a-z])[tp](?=\s*[:.]\s*[+(\d])|téléphone|telefon|teléfono",
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
"""What pages call a phone number, most specific first."""

_PHONE_LABEL_RE = re.compile(
    "|".join(f"(?P<l{i}>{pat})" for i, (pat, _) in enumerate(PHONE_LABELS)), re.IGNORECASE
)

NOT_PHONE_LABELS = (
    r"icp|备\s*案|备|證|证|公网安|公安|许可证|許可證|经营许可|營業執照|营业执照|执照|"
    r"统一社会信用代码|信用代码|注册号|註冊號|注册资本|税号|稅號|纳税人|组织机构代码|"
    r"邮\s*编|邮政编码|郵編|郵遞區號|postcode|post\s*code|postal\s*code|zip(?:\s*code)?|plz|cep|pin\s*code|"
    r"abn|acn|arbn|vat|gst(?:in)?|tax|ein|tin|cin|crn|siret|siren|ust-?id|kvk|"
    r"company\s*(?:reg(?:istration)?\.?\s*)?(?:no|number|#)|registration|registered\s+(?:no|number|in)|reg\.?\s*no|"
    r"qq|微信号|wechat\s*id|skype|icq|"
    r"order|invoice|sku|model|型号|型號|货号|貨號|item|part\s*(?:no|number|#)|art(?:icle)?\.?\s*no|ref(?:erence)?\.?\s*no|"
    r"isbn|issn|patent|专利|lot|batch|serial|s/n|price|价格|價格|单价|"
    r"[£$€¥￥₹]|rmb|usd|eur|gbp|cny|"
    r"lat(?:itude)?|lng|lon(?:gitude)?|coordinates|坐标|"
    r"account|账号|帐号|账户|bank|开户|银行|iban|swift|bic|sort\s*code"
)
_NOT_PHONE_RE = re.compile(NOT_PHONE_LABELS, re.IGNORECASE)

EMAIL_LABEL_RE = re.compile(
    r"e-?mail|email\s*address|mail(?=\s*[:：])|邮\s*箱|郵\s*箱|电子邮件|電子郵件|电子信箱|电邮|電郵|邮件|郵件|信箱|courriel",
    re.IGNORECASE,
)

ADDRESS_LABEL_RE = re.compile(
    r"(?:公司|联系|聯系|聯繫|通讯|通訊|办公|辦公|工厂|工廠|厂|廠|注册|註冊|详细|詳細|经营|總部|总部|生产|生產)?地\s*址"
    r"|(?:mailing|postal|office|business|street|registered|physical|company|head\s*office|factory|shipping)?\s*address(?:es)?"
    r"|registered\s+office|head\s+office|(?:find|visit)\s+us(?=\s*(?:[:：]|$))|our\s+location|"
    r"location(?=\s*[:：])|(?<![a-z])add(?:r)?\.?(?=\s*[:：])|adresse|anschrift|dirección|indirizzo",
    re.IGNORECASE,
)

POSTCODE_LABEL_RE = re.compile(
    r"邮\s*编|邮政编码|郵編|郵遞區號|post\s*code|postal\s*code|zip(?:\s*code)?|plz|pin\s*code",
    re.IGNORECASE,
)

PERSON_LABEL_RE = re.compile(
    r"联\s*系\s*人(?:姓名)?|聯\s*系\s*人|聯\s*繫\s*人|负\s*责\s*人|負\s*責\s*人|法定代表人|法人代表|业务员|業務員|"
    r"销售代表|销售经理|客户经理|联系人员|姓\s*名|"
    r"contact\s*(?:person|name)|contact(?=\s*[:：])|attn\.?|attention|(?<![a-z])name(?=\s*[:：])|"
    r"ansprechpartner|persona\s+de\s+contacto",
    re.IGNORECASE,
)

REGISTRATION_LABEL_RE = re.compile(
    r"统一社会信用代码|統一社會信用代碼|社会信用代码|营业执照(?:注册)?号|注册号|註冊號|工商注册号|"
    r"company\s*(?:registration\s*)?(?:no|number)\.?|"
    r"registered\s+(?:in\s+[a-z ]+?\s+)?(?:no|number)\.?|"
    r"(?<!vat )(?<!tax )registration\s*(?:no|number)\.?|crn|abn|acn|cin|handelsregister|hrb",
    re.IGNORECASE,
)

COMPANY_LABEL_RE = re.compile(
    r"公司名称|公司名稱|单位名称|單位名稱|企业名称|企業名稱|公司全称|公司全稱|厂名|厂家名称|供应商|"
    r"company\s*name|company(?=\s*[:：])|business\s*name|firm(?=\s*[:：])|organi[sz]ation(?=\s*[:：])",
    re.IGNORECASE,
)

ANY_LABEL_RE = re.compile(
    "|".join(
        f"(?:{r.pattern})"
        for r in (
            _PHONE_LABEL_RE,
            EMAIL_LABEL_RE,
            ADDRESS_LABEL_RE,
            POSTCODE_LABEL_RE,
            PERSON_LABEL_RE,
            REGISTRATION_LABEL_RE,
            COMPANY_LABEL_RE,
        )
    )
    + r"|网\s*址|網\s*址|website|web(?=\s*[:：])|url(?=\s*[:：])|qq|微\s*信|wechat|skype",
    re.IGNORECASE,
)
"""Any label we know, to cut a labelled value before the next one on the same line."""


def phone_label(text: str) -> str:
    """The canonical label of the last phone label in ``text`` ("" when it has none).

    English labels are canonicalised (tel, fax, mobile, hotline, toll-free, 24h, sales,
    whatsapp); Chinese ones keep the page's word (电话, 手机, 传真, 业务热线 …) because that is
    what a trainee reads and what ``enrich.phone`` recognises.
    """
    found = _last_label(text)
    return found[1] if found else ""


def _last_label(text: str) -> tuple[int, str] | None:
    """(end offset, label) of the last phone label in ``text``; "tel/fax" when both are given."""
    matches = list(_PHONE_LABEL_RE.finditer(text))
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
# phones

_GROUP = r"(?:\(\s?\+?\d{1,5}\s?\)|[\d*]+)"
_SEP = r"(?:[ \t]?[-./][ \t]?|[ \t]{1,2})"
_PHONE_RE = re.compile(
    r"(?<![A-Za-z0-9@/#=&?_.%+*-])"
    r"(?P<num>(?:\+[ \t]?|00)?(?:\(\s?\+?\d{1,5}\s?\)|\d)[\d*]*(?:"
    + _SEP
    + _GROUP
    + r"|(?<=\))[\d*]+)*)"
    r"(?P<ext>[ \t]*,?[ \t]*(?:ext\.?|extn\.?|extension|x|#|转|轉|分机|分機|内线|-)"
    r"[ \t]*[:.]?[ \t]*\d{1,5})?"
    r"(?![A-Za-z0-9@*]|\.\d)",
    re.IGNORECASE,
)
_EXT_RE = re.compile(
    r"(?:ext\.?|extn\.?|extension|x|#|转|轉|分机|分機|内线|-)[ \t]*[:.]?[ \t]*(\d{1,5})$", re.I
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|[\w.-]+\.(?:html?|php|aspx?|jsp)\S*", re.I)
_EMAILISH_RE = re.compile(r"[\w.%+*-]+\s?@\s?[\w.-]+")

_DATE_RE = re.compile(
    r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])[-./](?:19|20)\d\d"
)
_YEARS_RE = re.compile(r"(?:19|20)\d\d\s*[-/]\s*(?:(?:19|20)\d\d|\d\d)")
_TIME_RE = re.compile(r"\d{1,2}[.:]\d{2}(?:\s*-\s*\d{1,2}[.:]\d{2})?")
_DECIMAL_RE = re.compile(r"-?\d+\.\d+")
_ZIP4_RE = re.compile(r"\d{5}-\d{4}")


@dataclass
class PhoneMatch:
    """A phone found in a text and where: the generic extractor attributes it by position."""

    phone: Phone
    start: int
    end: int
    labelled: bool = False


def is_masked(value: str) -> bool:
    """Whether a directory hid part of a phone or e-mail (``139****1234``, ``***@qq.com``)."""
    return bool(re.search(r"[*＊●]|(?<![a-wyz])[xX]{3,}", value))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _shape_ok(num: str, labelled: bool) -> bool:
    """Whether the characters look like a phone number and not a date, price or ID."""
    digits = _digits(num)
    stars = num.count("*")
    n = len(digits) + stars
    if len(digits) < 6 or n < 7:
        return False
    limit = 15 + (1 if "(0)" in num.replace(" ", "") else 0) + (2 if num.startswith("00") else 0)
    if len(digits) > limit:
        return False
    core = num.strip()
    if _DATE_RE.fullmatch(core) or _YEARS_RE.fullmatch(core) or _TIME_RE.fullmatch(core):
        return False
    if _DECIMAL_RE.fullmatch(core) or _ZIP4_RE.fullmatch(core):
        return False
    if re.fullmatch(r"\d+(?:\.\d+){1,}", core) and not re.fullmatch(
        r"\d{2,4}(?:\.\d{2,4}){2,4}", core
    ):
        return False  # version numbers, 1.2.3.4 addresses
    if stars and (len(digits) < 6 or not re.search(r"\d{3}", num)):
        return False
    if labelled:
        return True
    # unlabelled: only shapes that are hard to mistake for other numbers
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


def _negative_context(prefix: str) -> bool:
    """True when the text before a number says it is not a phone (ICP, 邮编, VAT, price …)."""
    neg = list(_NOT_PHONE_RE.finditer(prefix))
    if not neg:
        return False
    pos = list(_PHONE_LABEL_RE.finditer(prefix))
    return not pos or neg[-1].start() > pos[-1].start()


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def scan_phones(text: str, *, label: str = "") -> list[PhoneMatch]:
    """Every phone occurrence in ``text`` with its label and offsets (not de-duplicated).

    A number's label is the last phone label between the previous number (or the line start)
    and it; a number alone on its line takes a label-only line just above ("Telephone" /
    "020 8551 6580"); a number after a comma or slash inherits the label of the one before
    it on the same line ("Phone: +91 99999 07396, +91 98116 37149"). ``label`` is the
    default when the text gives none (a directory field already known to hold a phone).
    """
    norm = normalise(text)
    work = _blank(_blank(norm, _URL_RE), _EMAILISH_RE)
    out: list[PhoneMatch] = []
    for m in _PHONE_RE.finditer(work):
        for start, end, ext_text in _split_candidate(work, m):
            num = work[start:end]
            line_start = work.rfind("\n", 0, start) + 1
            prev_end = line_start
            prev_label = ""
            if out and out[-1].end > line_start:
                prev_end = out[-1].end
                prev_label = out[-1].phone.label if out[-1].labelled else ""
            prefix = work[prev_end:start]
            if _negative_context(prefix[-40:]):
                continue
            before = norm[max(0, start - 2) : start].strip()
            if before[-1:] in "£$€¥₹" and before:
                continue
            after = norm[end + len(ext_text) : end + len(ext_text) + 6].strip().lower()
            if re.match(
                r"(?:元|万|萬|円|rmb|usd|eur|yuan|%|年|月|日|号|號|米|mm|cm|kg|t\b|pcs)", after
            ):
                continue
            found = _last_label(prefix + "0")  # "0": lookaheads in "T:" / "Ph" want a digit
            labelled = found is not None
            plabel = found[1] if found else ""
            if not found:
                if re.fullmatch(r"[\s,;/|、]*(?:or|或|and|&)?[\s,;/|、]*", prefix) and prev_label:
                    plabel, labelled = prev_label, True
                elif prev_end == line_start and not prefix.strip(" \t:：-*"):
                    above = _line_above(work, line_start)
                    if above is not None:
                        if _negative_context(above[-40:]):
                            continue
                        prev = _last_label(above + "0")
                        if prev and len(above.strip()) <= 40:
                            plabel, labelled = prev[1], True
            if not labelled and label:
                plabel, labelled = label, True
            if not _shape_ok(num, labelled):
                continue
            ext = ""
            em = _EXT_RE.search(ext_text.strip()) if ext_text else None
            if em:
                ext = em.group(1)
            raw_end = end + len(ext_text) if ext else end
            raw = _raw(text[start:raw_end])
            phone = Phone(raw=raw, label=plabel, extension=ext, masked=is_masked(num))
            out.append(PhoneMatch(phone, start, raw_end, labelled))
    return out


def _line_above(text: str, line_start: int) -> str | None:
    """The non-empty line above ``line_start``, or None."""
    if line_start <= 1:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    line = text[prev_start : line_start - 1]
    return line if line.strip() else None


def _split_candidate(text: str, m: re.Match[str]) -> list[tuple[int, int, str]]:
    """Split a run that holds two numbers side by side ("614-850-8940 614-850-9065")."""
    start, end = m.span("num")
    ext = m.group("ext") or ""
    num = m.group("num")
    # a trailing "-808" read as an extension is only an extension after a full number
    if ext.strip().startswith("-") and len(_digits(num)) < 10:
        end_with = m.end("ext")
        whole = text[start:end_with]
        if len(_digits(whole)) <= 15:
            return [(start, end_with, "")]
        ext = ""
    if len(re.sub(r"[^\d*]", "", num)) <= 15 or num.startswith("00"):
        return [(start, end, ext)]
    pieces: list[tuple[int, int, str]] = []
    for part in re.finditer(r"\S+(?:[ \t]?[-./][ \t]?\S+)*", num):
        pieces.append((start + part.start(), start + part.end(), ""))
    # re-join neighbouring pieces greedily while they stay a plausible length
    merged: list[tuple[int, int, str]] = []
    for piece in pieces:
        if merged:
            joined = text[merged[-1][0] : piece[1]]
            if (
                len(_digits(text[merged[-1][0] : merged[-1][1]])) < 10
                and len(_digits(joined)) <= 12
            ):
                merged[-1] = (merged[-1][0], piece[1], "")
                continue
        merged.append(piece)
    if merged:
        merged[-1] = (merged[-1][0], merged[-1][1], ext)
    return merged


def phone_key(phone: Phone) -> str:
    """Digits (and * for masked ones) plus extension: what two phones on a page compare by."""
    core = phone.raw
    if phone.extension:
        core = _EXT_RE.sub("", core) if _EXT_RE.search(core) else core
    flat = "".join(ch for ch in normalise(core) if ch.isdigit() or ch == "*")
    return flat + ("x" + phone.extension if phone.extension else "")


def same_number(a: str, b: str) -> bool:
    """Two phone keys for one line: equal, or one is the other with a country code.

    ``+44 (0)20 7946 0000`` and ``020 7946 0000`` are one number written two ways.
    """
    if a == b:
        return True
    a_num, _, a_ext = a.partition("x")
    b_num, _, b_ext = b.partition("x")
    if a_ext != b_ext:
        return False
    a_core, b_core = a_num.lstrip("0"), b_num.lstrip("0")
    short, long_ = sorted((a_core, b_core), key=len)
    return len(short) >= 8 and long_.endswith(short) and len(long_) - len(short) <= 3


def _is_fax_label(label: str) -> bool:
    return bool(re.search(r"fax|传真|傳真", label, re.IGNORECASE)) and "/" not in label


def dedupe_phones(phones: Iterable[Phone]) -> list[Phone]:
    """One entry per number; the same digits labelled tel and fax stay two entries.

    An unlabelled repeat (the footer's bare number) merges into the labelled one, and a
    labelled repeat lends its label to an earlier unlabelled one.
    """
    out: list[Phone] = []
    for phone in phones:
        key = phone_key(phone)
        same = [p for p in out if same_number(phone_key(p), key)]
        if not same:
            out.append(phone)
            continue
        if not phone.label:
            continue
        fax = _is_fax_label(phone.label)
        if any(p.label and _is_fax_label(p.label) == fax for p in same):
            continue
        unlabelled = [p for p in same if not p.label]
        if unlabelled:
            unlabelled[0].label = phone.label
            continue
        out.append(phone)
    return out


def find_phones(text: str, *, label: str = "") -> list[Phone]:
    """Phone numbers in free text, each with the label the text gives it, de-duplicated.

    Never returns ICP licence numbers, postcodes, dates, year ranges, prices, coordinates,
    registration numbers or IDs inside URLs; masked numbers come back with ``masked=True``.
    """
    return dedupe_phones(m.phone for m in scan_phones(text, label=label))


# --------------------------------------------------------------------------------------
# e-mails

_AT = r"(?:[ \t]?@[ \t]?|[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*)"
_AT_WORD = r"[ \t]+at[ \t]+"
_DOT = r"(?:\.|[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*)"
_DOT_WORD = r"[ \t]+dot[ \t]+"
_LOCAL = r"[A-Za-z0-9*][A-Za-z0-9._%+*'-]*"
_LOCAL_MASKED = r"\*+"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


def _email_re(at: str, dot: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![A-Za-z0-9._%+*'-])(?P<local>{_LOCAL}|{_LOCAL_MASKED}){at}"
        rf"(?P<domain>{_DOMAIN_LABEL}(?:{dot}{_DOMAIN_LABEL})*{dot}(?P<tld>[A-Za-z]{{2,24}}))"
        r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
        re.IGNORECASE,
    )


_EMAIL_RE = _email_re(_AT, _DOT)
_EMAIL_WORDS_RE = _email_re(f"(?:{_AT}|{_AT_WORD})", f"(?:{_DOT}|{_DOT_WORD})")
_EMAIL_HASH_RE = _email_re(r"[ \t]?#[ \t]?", r"\.")

NOT_EMAIL_TLDS = frozenset(
    _words(
        """
        png jpg jpeg gif webp svg bmp ico tif tiff avif css js json xml pdf mp4 webm woff woff2
        ttf eot map php asp aspx html htm
        """
    )
)
PLACEHOLDER_DOMAINS = tuple(
    _words(
        """
        example.com example.org example.net domain.com yourdomain your-domain yoursite your-site
        yourcompany yourwebsite mysite.com email.com company.com test.com sentry.io
        sentry.wixpress.com sentry-next.wixpress.com wixpress.com xxx.com xx.com
        """
    )
)
PLACEHOLDER_LOCALS = frozenset(
    _words(
        """
        you your yourname your.name name username user email someone john.doe johndoe xxx
        """
    )
)


def _placeholder(local: str, domain: str) -> bool:
    domain = domain.lower()
    if any(domain == p or domain.endswith("." + p) or p in domain for p in PLACEHOLDER_DOMAINS):
        # example.com.cn is a real registered domain; only the bare reserved names are fake
        return not re.search(r"\.example\.com\.\w+$", domain)
    return local.lower() in PLACEHOLDER_LOCALS and domain.split(".")[0] in {
        "domain",
        "email",
        "company",
        "example",
        "mail",
        "website",
    }


def _email_from(local: str, domain: str) -> Email | None:
    domain = re.sub(
        r"[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+", ".", domain, flags=re.I
    )
    local = local.strip("'")
    tld = domain.rsplit(".", 1)[-1].lower()
    if tld in NOT_EMAIL_TLDS:
        return None
    if re.fullmatch(r"\d+x", domain.split(".")[0], re.I):  # logo@2x.png, icon@3x.webp
        return None
    if _placeholder(local, domain):
        return None
    if ".." in local or local.startswith(".") or local.endswith("."):
        return None
    masked = "*" in local or "*" in domain
    return Email(raw=f"{local}@{domain}", masked=masked)


def find_emails(text: str) -> list[Email]:
    """E-mail addresses in free text: plain, mailto:, full-width ＠, obfuscated, masked.

    ``name [at] domain [dot] com`` and ``name(at)domain.com`` are read anywhere; the looser
    ``name at domain dot com`` and ``name#domain.com`` only after an e-mail label, because
    elsewhere they are ordinary prose ("visit us at …") or anchors.
    """
    norm = normalise(text)
    found: list[tuple[int, Email]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str]) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        email = _email_from(m.group("local"), m.group("domain"))
        if email is not None:
            found.append((m.start(), email))
            taken.append(m.span())

    for m in _EMAIL_RE.finditer(norm):
        add(m)
    for regex in (_EMAIL_WORDS_RE, _EMAIL_HASH_RE):
        for m in regex.finditer(norm):
            line_start = norm.rfind("\n", 0, m.start()) + 1
            prefix = norm[line_start : m.start()]
            above = _line_above(norm, line_start) or ""
            if EMAIL_LABEL_RE.search(prefix) or (
                not prefix.strip() and EMAIL_LABEL_RE.search(above)
            ):
                add(m)
    found.sort(key=lambda pair: pair[0])
    out: list[Email] = []
    seen: set[str] = set()
    for _, email in found:
        key = email.raw.lower()
        if key not in seen:
            seen.add(key)
            out.append(email)
    return out


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
    for i, line in enumerate(lines):
        for m in regex.finditer(line):
            before = line[: m.start()]
            if (
                before.strip()
                and not re.search(r"[\s,;|:·•]$", before)
                and not _is_cjk(before[-1:])
            ):
                continue
            if re.match(r"[A-Za-z]", line[m.end() : m.end() + 1]) and re.search(
                r"[A-Za-z]$", m.group(0)
            ):
                continue  # "Contacts", "Telephones": a longer word, not this label
            rest = line[m.end() :]
            sep = re.match(r"\s*(?:[:：]|-(?=\s)|\s(?=\S))?\s*", rest)
            offset = m.end() + (sep.end() if sep else 0)
            value_norm = line[offset:]
            cut = _next_label(value_norm)
            value = _raw(raw_lines[i][offset : offset + cut])
            if not value and next_line and i + 1 < len(lines):
                j = i + 1
                while j < len(lines) and not lines[j].strip(" :：-*"):
                    j += 1
                if j < len(lines) and not _is_label_line(lines[j]):
                    value_norm = lines[j].lstrip(" :：")
                    lead = len(lines[j]) - len(value_norm)
                    cut = _next_label(value_norm)
                    value = _raw(raw_lines[j][lead : lead + cut])
            if value:
                out.append((_raw(m.group(0)), value.strip(" :：,;")))
    return out


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
        if re.match(r"\s*[:：]", tail) and (
            value[m.start() - 1] in " \t,;|/" or _is_cjk(value[m.start() - 1])
        ):
            return m.start()
    return len(value)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


# --------------------------------------------------------------------------------------
# people

_EN_WORD = (
    r"(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+"
    r"|[A-Z]{2,}(?:[-'][A-Z]{2,})?)"
)
TITLE_WORDS_RE = re.compile(
    r"\b(?:manager|director|president|ceo|cfo|coo|cto|owner|founder|partner|principal|head|chief|"
    r"officer|engineer|representative|rep|agent|sales|marketing|purchasing|buyer|accountant|accounting|"
    r"secretary|assistant|coordinator|executive|vp|vice|supervisor|consultant|specialist|administrator|"
    r"proprietor|chairman|md|gm|export|import|customer service|support|operations|technician)\b"
    r"|经理|經理|总监|總監|主管|主任|总裁|總裁|董事长|董事長|厂长|廠長|代表|业务员|業務員|专员|專員|助理|会计|工程师|销售|采购",
    re.IGNORECASE,
)
NOT_NAME_WORDS = frozenset(
    _words(
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
        location
        """
    )
)
"""Words that make a capitalised line a heading or a company, not a person's name."""

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


def _cn_name_title(value: str) -> tuple[str, str] | None:
    """张三 经理 / 张三（销售经理） / 王先生 / 李四经理 → (name, title)."""
    m = re.match(r"[\u4e00-\u9fff·]+", value)
    if not m:
        return None
    head, rest = m.group(0), value[m.end() :].strip(" ,，、(（)）:：")
    if ANY_LABEL_RE.search(head) or _CN_NOT_NAME.search(head):
        return None
    bracketed = re.match(r"[(（]([^()（）]{1,12})[)）]", value[m.end() :].strip())
    if re.fullmatch(f"{_CN_SURNAME}(?:{_CN_HONORIFIC})", head):
        return head, bracketed.group(1) if bracketed else ""
    titled = re.fullmatch(f"({_CN_SURNAME}[\u4e00-\u9fff]{{1,2}}?)({_CN_TITLE})", head)
    if titled:
        return titled.group(1), titled.group(2)
    if re.fullmatch(f"{_CN_SURNAME}[\u4e00-\u9fff]{{1,2}}", head):
        if bracketed:
            return head, bracketed.group(1)
        title = re.match(_CN_TITLE, rest)
        return head, title.group(0) if title else ""
    return None


def looks_like_name(value: str) -> bool:
    """Whether a short text is a person's name (two to four capitalised words, or Chinese)."""
    value = value.strip(" :：,;.")
    if not value or len(value) > 40 or re.search(r"\d|@", value):
        return False
    if _is_cjk(value[0]):
        got = _cn_name_title(value)
        return got is not None and got[0] == value
    m = re.fullmatch(
        rf"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?{_EN_WORD}(?:\s+{_EN_WORD}){{1,3}}", value
    )
    if not m:
        return False
    words = [w.strip(".").lower() for w in value.split()]
    return not any(w in NOT_NAME_WORDS for w in words)


def split_name_title(value: str) -> tuple[str, str] | None:
    """("John Smith", "Sales Manager") from "John Smith, Sales Manager"; None if no name."""
    value = _raw(normalise(value)).strip(" :：,;")
    if not value:
        return None
    if _is_cjk(value[0]):
        return _cn_name_title(value)
    m = re.match(
        rf"(?P<name>(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+)?{_EN_WORD}(?:\s+{_EN_WORD}){{1,3}})"
        r"(?:\s*[,\-–|/(]\s*(?P<title>[A-Za-z&/ .'-]{2,60}?)\)?)?\s*$",
        value,
    )
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


def find_people(text: str) -> list[PersonBlock]:
    """Named contacts: "联系人：张三 经理", "Contact: John Smith, Sales Manager", staff lists.

    A staff list is a name on its own line followed at once by that person's e-mail and/or
    phone lines, under an optional department heading ("Sales" / "Michael Schwartz" /
    "mschwartz@…" / "614-850-8940, ext.103"). A labelled contact takes the values on its own
    line and the mobile numbers and personal e-mails on the lines right below it; landlines,
    faxes, hotlines and role boxes (info@, sales@) below a labelled contact are the
    business's own, because that is how Chinese 联系我们 pages list them.
    """
    lines = text.split("\n")
    blocks: list[PersonBlock] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = _raw(normalise(lines[i]))
        got = _labelled_person(line)
        name_line = i
        if got is None and PERSON_LABEL_RE.fullmatch(line.rstrip(" :：")):
            nxt = _next_nonblank(lines, i)
            if nxt is not None:
                got = split_name_title(lines[nxt])
                name_line = nxt
        if got is not None:
            name, title = got
            person = Person(name=name, title=title)
            own = _raw(normalise(lines[name_line]))
            same_line = own.split(name, 1)[1] if name in own else ""
            person.phones.extend(find_phones(same_line))
            person.emails.extend(find_emails(same_line))
            block = PersonBlock(person, i, name_line)
            _take_values(lines, block, name_line + 1, limit=4, labelled=True)
            blocks.append(block)
            i = block.last_line + 1
            continue
        inline = _inline_person(line)
        if inline is not None:
            blocks.append(PersonBlock(inline, i, i, phone_lines=[i] if inline.phones else []))
            i += 1
            continue
        if looks_like_name(line) and _followed_by_values(lines, i):
            title = heading
            start = i + 1
            after = _next_nonblank(lines, i)
            if after is not None and _is_title_line(lines[after]):
                title = _raw(lines[after])
                start = after + 1
            block = PersonBlock(Person(name=line.strip(" :：,;"), title=title), i, i)
            _take_values(lines, block, start, limit=6, labelled=False)
            blocks.append(block)
            i = block.last_line + 1
            continue
        if _is_heading(line):
            heading = line
        elif line and not _is_value_line(lines, i) and len(line) > 40:
            heading = ""
        i += 1
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
        block.person.emails = _dedupe_emails(block.person.emails)
    return blocks


def _take_values(
    lines: Sequence[str], block: PersonBlock, start: int, *, limit: int, labelled: bool
) -> None:
    """Give a person the phone / e-mail lines that follow their name, up to a non-value line."""
    person = block.person
    j = start
    while j < len(lines) and j - start < limit:
        line = _raw(normalise(lines[j]))
        if not line:
            j += 1
            continue
        if not _is_value_line(lines, j) or _labelled_person(line) is not None:
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
    values = [m.start for m in scan_phones(line)]
    values += [line.find(e.raw.split("@")[0]) for e in find_emails(line)]
    values = [v for v in values if v > 0]
    if not values:
        return None
    head = line[: min(values)].strip(" \t—–-|·:：,;/")
    if not head or _has_label_word(head.split(",")[0]):
        return None
    got = split_name_title(head)
    if got is None:
        return None
    person = Person(name=got[0], title=got[1])
    person.phones = find_phones(line[len(head) :])
    person.emails = find_emails(line[len(head) :])
    return person


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


def _labelled_person(line: str) -> tuple[str, str] | None:
    for label, value in find_labelled(line, PERSON_LABEL_RE, next_line=False):
        if re.fullmatch(r"name", label, re.I) and not looks_like_name(value.split(",")[0]):
            continue
        got = split_name_title(value)
        if got:
            return got
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
    if j > 0 and len(lines[j - 1].strip()) <= 30 and _PHONE_LABEL_RE.search(lines[j - 1]):
        return lines[j - 1] + "\n" + lines[j]
    return lines[j]


def _is_value_line(lines: Sequence[str], j: int) -> bool:
    """A line that holds a phone or e-mail (maybe labelled), or is a label alone."""
    line = normalise(lines[j]).strip()
    if not line:
        return True
    if find_emails(line) or scan_phones(_with_label_above(lines, j)):
        return True
    bare = line.strip(" :：")
    return bool(
        len(bare) <= 20 and (_PHONE_LABEL_RE.fullmatch(bare) or EMAIL_LABEL_RE.fullmatch(bare))
    )


def _followed_by_values(lines: Sequence[str], i: int) -> bool:
    nxt = _next_nonblank(lines, i)
    if nxt is None:
        return False
    if _is_title_line(lines[nxt]):
        nxt2 = _next_nonblank(lines, nxt)
        return nxt2 is not None and _has_value(lines[nxt2])
    return _has_value(lines[nxt])


def _has_value(line: str) -> bool:
    return bool(find_emails(line) or scan_phones(line))


def _is_title_line(line: str) -> bool:
    line = _raw(line)
    return 0 < len(line) <= 50 and bool(TITLE_WORDS_RE.search(line)) and not _has_value(line)


def _is_heading(line: str) -> bool:
    """A department heading in a staff list ("Sales", "Parts and Services", "销售部")."""
    if not line or len(line) > 30 or re.search(r"[\d@:：]", line):
        return False
    return bool(TITLE_WORDS_RE.search(line) or re.search(r"(?:部|中心|处|科)$", line)) or bool(
        re.fullmatch(r"[A-Z][a-z]+(?:\s+(?:and|&)\s+[A-Z][a-z]+)?", line)
    )


def _direct(phone: Phone) -> bool:
    """Not a fax, hotline or toll-free line: a number that can be someone's own."""
    return not re.search(
        r"fax|传真|傳真|hotline|热线|熱線|toll|400|800|24h|客服", phone.label, re.I
    )


def _personal(phone: Phone) -> bool:
    """Whether a number under a labelled contact is theirs (a mobile, or unlabelled)."""
    label = phone.label.lower()
    return not label or bool(re.search(r"mobile|whatsapp|手机|手機|移动|cell", label))


ROLE_LOCALS = frozenset(
    _words(
        """
        info sales contact contacts office admin service support enquiries enquiry inquiry mail
        hello marketing export webmaster postmaster hr jobs careers orders order kefu
        """
    )
)


def _role_email(email: Email) -> bool:
    """info@, sales@ …: a department's box, the business's rather than one person's."""
    return email.raw.split("@")[0].lower() in ROLE_LOCALS


def _dedupe_emails(emails: Iterable[Email]) -> list[Email]:
    out: list[Email] = []
    seen: set[str] = set()
    for email in emails:
        if email.raw.lower() not in seen:
            seen.add(email.raw.lower())
            out.append(email)
    return out
