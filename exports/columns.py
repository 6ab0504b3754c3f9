"""The lead sheet's columns: one list shared by the Excel sheet and the generic CSV.

Courses ask for a stable customer information table (客户信息表) that does not change
between jobs, and a trainee's edited sheet is imported back by column, so the columns are
declared once here as data — key, English header, Chinese header, getter — and every
tabular export walks the same list. Getters return plain values (text, numbers,
datetimes); making them safe for a cell is :mod:`exports.cells`' job, not theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from leadharvest.items import DATA_STATUS, METHODS, METHODS_ZH, Email, Lead, Phone

LANGS = ("en", "zh")

BUSINESS_TYPE_LABELS: dict[str, dict[str, str]] = {
    "manufacturer": {"en": "Manufacturer", "zh": "制造商/厂家"},
    "wholesaler_distributor": {"en": "Wholesaler / distributor", "zh": "批发商/经销商"},
    "retailer": {"en": "Retailer", "zh": "零售商"},
    "agent_trading": {"en": "Agent / trading company", "zh": "代理商/贸易公司"},
    "service": {"en": "Service", "zh": "服务商"},
    "unknown": {"en": "Unknown", "zh": "未知"},
}

VERIFICATION_LABELS: dict[str, dict[str, str]] = {
    "unverified": {"en": "Unverified", "zh": "未核实"},
    "verified": {"en": "Verified", "zh": "已核实"},
    "invalid": {"en": "Invalid", "zh": "无效"},
    "do_not_contact": {"en": "Do not contact", "zh": "请勿联系"},
}

DATA_STATUS_ZH = "未经核实的第三方数据"

NEW_LABEL = {"en": "New", "zh": "新"}
"""The mark in the New column for a lead no earlier run of the same job had."""

PHONE_TYPE_LABELS: dict[str, dict[str, str]] = {
    "mobile": {"en": "mobile", "zh": "手机"},
    "landline": {"en": "landline", "zh": "固话"},
    "toll_free": {"en": "toll free", "zh": "免费电话"},
    "shared_cost": {"en": "shared cost", "zh": "分摊费用"},
    "fax": {"en": "fax", "zh": "传真"},
    "voip": {"en": "VoIP", "zh": "网络电话"},
    "unknown": {"en": "", "zh": ""},
}
_MASKED = {"en": "masked", "zh": "已隐藏"}
_SHARED = {"en": "shared", "zh": "多家共用"}

LIST_SEP = "; "
"""Between several values in one cell; CRM importers and trainees both read it easily."""

GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


@dataclass(frozen=True)
class Column:
    """One column of the lead sheet."""

    key: str
    """Stable machine name; the sheet importer matches columns by header, CRM maps by key."""
    en: str
    zh: str
    get: Callable[[Lead, str], Any]
    """(lead, lang) → the cell's value."""
    width: int = 14
    """Excel column width in characters."""
    text: bool = False
    """Write as text (number format "@"): phones and ids must never become numbers."""
    link: bool = False
    """The value is a URL that may become a hyperlink."""
    wrap: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table.get(key, {}).get(lang, key)


def all_phones(lead: Lead) -> list[Phone]:
    """The lead's phones and its people's, each number once (by E.164 or digits)."""
    seen: dict[str, Phone] = {}
    for phone in [*lead.phones, *(ph for person in lead.people for ph in person.phones)]:
        seen.setdefault(phone.key, phone)
    return list(seen.values())


def all_emails(lead: Lead) -> list[Email]:
    """The lead's e-mails and its people's, each address once."""
    seen: dict[str, Email] = {}
    for email in [*lead.emails, *(em for person in lead.people for em in person.emails)]:
        seen.setdefault(email.key, email)
    return list(seen.values())


def format_phone(phone: Phone, lang: str = "en") -> str:
    """``+61740511234 (landline)``; a masked or unparsed number shows the page's text."""
    if phone.masked:
        return f"{phone.raw} ({_MASKED[lang]})"
    text = phone.e164 or phone.raw.strip()
    if phone.e164 and phone.extension:
        text += f" ext. {phone.extension}" if lang == "en" else f" 转 {phone.extension}"
    labels = [_label(PHONE_TYPE_LABELS, phone.type, lang)]
    if phone.shared:  # listed by many companies: say so before anyone dials it as theirs
        labels.append(_SHARED[lang])
    label = ", ".join(x for x in labels if x)
    return f"{text} ({label})" if label else text


def format_email(email: Email, lang: str = "en") -> str:
    if email.masked:
        return f"{email.raw} ({_MASKED[lang]})"
    text = email.address or email.raw.strip()
    return f"{text} ({_SHARED[lang]})" if email.shared else text


def _contact(lead: Lead, lang: str) -> str:
    for person in lead.people:
        if person.name.strip():
            name = person.name.strip()
            return f"{name} ({person.title.strip()})" if person.title.strip() else name
    return ""


def _address(lead: Lead, lang: str) -> str:
    if lead.address_raw.strip():
        return lead.address_raw.strip()
    parts = [lead.city, lead.region, lead.postcode, lead.country]
    return ", ".join(p for p in parts if p)


def method_label(method: str, lang: str = "en") -> str:
    """The course's name for a collection method (Search engine / 搜索引擎法 …)."""
    table = METHODS_ZH if lang == "zh" else METHODS
    return table.get(method, method)


def _first_url(lead: Lead, lang: str) -> str:
    return next((ev.url for ev in lead.evidence if ev.url), "")


def _score(lead: Lead, lang: str) -> float | int:
    return int(lead.score) if float(lead.score).is_integer() else round(lead.score, 1)


def _join(values: Iterable[str]) -> str:
    return LIST_SEP.join(v for v in values if v)


COLUMNS: tuple[Column, ...] = (
    Column("grade", "Grade", "等级", lambda lead, lang: lead.grade, width=7),
    Column("score", "Score", "得分", _score, width=7),
    Column(
        "reasons",
        "Reasons",
        "评级理由",
        lambda lead, lang: "\n".join(lead.grade_reasons),
        width=48,
        wrap=True,
    ),
    Column("company", "Company", "公司名称", lambda lead, lang: lead.name, width=32),
    Column(
        "business_type",
        "Business type",
        "客户类型",
        lambda lead, lang: _label(BUSINESS_TYPE_LABELS, lead.business_type, lang),
        width=18,
    ),
    Column("products", "Products", "主营产品", lambda lead, lang: lead.products, width=30),
    Column("contact", "Contact", "联系人", _contact, width=24),
    Column(
        "phones",
        "Phones",
        "电话",
        lambda lead, lang: _join(format_phone(p, lang) for p in all_phones(lead)),
        width=30,
        text=True,
    ),
    Column(
        "emails",
        "E-mails",
        "电子邮箱",
        lambda lead, lang: _join(format_email(e, lang) for e in all_emails(lead)),
        width=30,
        text=True,
    ),
    Column("website", "Website", "网址", lambda lead, lang: lead.website, width=30, link=True),
    Column("address", "Address", "地址", _address, width=36),
    Column("postcode", "Postcode", "邮编", lambda lead, lang: lead.postcode, width=10, text=True),
    Column(
        "methods",
        "Collection method",
        "收集方法",
        lambda lead, lang: _join(method_label(m, lang) for m in lead.methods),
        width=20,
    ),
    Column("sources", "Source", "来源", lambda lead, lang: _join(lead.sources), width=20),
    Column("source_url", "Source URL", "来源网址", _first_url, width=36, link=True),
    Column("first_seen", "First seen", "首次发现", lambda lead, lang: lead.first_seen, width=17),
    Column("last_seen", "Last seen", "最近发现", lambda lead, lang: lead.last_seen, width=17),
    Column("new", "New", "新", lambda lead, lang: NEW_LABEL[lang] if lead.is_new else "", width=6),
    Column(
        "verification",
        "Verification",
        "核实状态",
        lambda lead, lang: _label(VERIFICATION_LABELS, lead.verification or "unverified", lang),
        width=14,
    ),
    Column("notes", "Notes", "备注", lambda lead, lang: lead.notes, width=30, wrap=True),
    Column(
        "data_status",
        "Data status",
        "数据状态",
        lambda lead, lang: (
            DATA_STATUS_ZH
            if lang == "zh" and (lead.data_status or DATA_STATUS) == DATA_STATUS
            else lead.data_status or DATA_STATUS
        ),
        width=26,
    ),
    Column("lead_id", "Lead ID", "线索编号", lambda lead, lang: lead.lead_id, width=18, text=True),
)
"""The lead sheet's columns, in order; the Excel ``Leads`` sheet and the CSV both use it."""


def headers(lang: str = "en") -> list[str]:
    """The header row in the requested language."""
    check_lang(lang)
    return [col.header(lang) for col in COLUMNS]


def row_values(lead: Lead, lang: str = "en") -> list[Any]:
    """One lead as raw (not yet cell-safe) values, in column order."""
    return [col.get(lead, lang) for col in COLUMNS]


def sort_leads(leads: Iterable[Lead]) -> list[Lead]:
    """Grade A→D (ungraded last), then score high→low, then name: the order trainees call in."""
    return sorted(
        leads,
        key=lambda lead: (GRADE_ORDER.get(lead.grade, len(GRADE_ORDER)), -lead.score, lead.name),
    )


def column_number(key: str) -> int:
    """1-based position of the column ``key`` (Excel's numbering); KeyError if unknown."""
    for number, column in enumerate(COLUMNS, start=1):
        if column.key == key:
            return number
    raise KeyError(key)


def check_lang(lang: str) -> None:
    """Refuse an unknown language early rather than write a half-translated sheet."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
