"""The lead sheet's Evidence and Review tables as data: headers in en/zh and row values.

``Evidence`` answers "where did this value come from?" one value at a time, because a
trainee checks a lead by opening the page that showed the number, not the lead as a whole.
``Review`` lists the borderline duplicate pairs that dedupe did not merge, so a person makes
the call it could not. Like :mod:`exports.columns`, this module returns plain values; making
them safe for a cell is :mod:`exports.cells`' job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from exports.columns import all_emails, all_phones, format_email, format_phone
from leadharvest.items import Evidence, Lead, Person, ReviewPair


@dataclass(frozen=True)
class TableColumn:
    """One column of a secondary sheet."""

    en: str
    zh: str
    width: int = 16
    text: bool = False
    """Number format "@": ids and phones must never become numbers."""
    link: bool = False
    date: bool = False
    wrap: bool = False

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


EVIDENCE_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("Lead ID", "线索编号", 18, text=True),
    TableColumn("Company", "公司名称", 30),
    TableColumn("Field", "字段", 14),
    TableColumn("Value", "值", 36, text=True, wrap=True),
    TableColumn("Source", "来源", 20),
    TableColumn("Source URL", "来源网址", 40, link=True),
    TableColumn("Fetched at (UTC)", "抓取时间（UTC）", 17, date=True),
)

FIELD_LABELS: dict[str, dict[str, str]] = {
    "name": {"en": "Company", "zh": "公司名称"},
    "phones": {"en": "Phone", "zh": "电话"},
    "emails": {"en": "E-mail", "zh": "电子邮箱"},
    "website": {"en": "Website", "zh": "网址"},
    "address": {"en": "Address", "zh": "地址"},
    "people": {"en": "Contact", "zh": "联系人"},
    "products": {"en": "Products", "zh": "主营产品"},
    "registration_id": {"en": "Registration ID", "zh": "注册号"},
}
ONE_OF = {"en": " (one of)", "zh": "（其一）"}
"""Said after the field when records disagreed and the page's own value is one of several."""

_SINGLE = {
    "name": "name",
    "website": "website",
    "address": "address_raw",
    "products": "products",
    "registration_id": "registration_id",
}
"""Evidence field → the Lead attribute (and ``alternates`` key) holding its value."""

ALTERNATE_SEP = " | "


def evidence_headers(lang: str) -> list[str]:
    return [col.header(lang) for col in EVIDENCE_COLUMNS]


def evidence_rows(lead: Lead, lang: str = "en") -> Iterator[list[Any]]:
    """One row per value per page, in evidence order.

    Phones and e-mails carry the URLs that showed them, so each is listed under exactly the
    pages it came from. A single field (name, website …) is listed with the lead's value;
    when merged records disagreed, every known value is given and the field says "(one of)",
    because which page showed which spelling was not kept.
    """
    for ev in lead.evidence:
        if not ev.fields:
            yield _evidence_row(lead, ev, "", "")
            continue
        for field in ev.fields:
            label = FIELD_LABELS.get(field, {}).get(lang, field)
            for value, ambiguous in _values(lead, field, ev.url, lang):
                yield _evidence_row(lead, ev, label + (ONE_OF[lang] if ambiguous else ""), value)


def _evidence_row(lead: Lead, ev: Evidence, field: str, value: str) -> list[Any]:
    return [lead.lead_id, lead.name, field, value, ev.source, ev.url, ev.fetched_at]


def _values(lead: Lead, field: str, url: str, lang: str) -> list[tuple[str, bool]]:
    if field == "phones":
        return [(format_phone(p, lang), False) for p in all_phones(lead) if url in p.sources]
    if field == "emails":
        return [(format_email(e, lang), False) for e in all_emails(lead) if url in e.sources]
    if field == "people":
        people = [p for p in lead.people if p.name.strip()]
        shown = [p for p in people if _person_on(p, url)] or people
        return [(_person(p), False) for p in shown]
    attribute = _SINGLE.get(field)
    if attribute is None:
        return []
    value = str(getattr(lead, attribute, "") or "").strip()
    others = [v for v in lead.alternates.get(attribute, []) if v and v != value]
    if not value and not others:
        return []
    if others:
        return [(ALTERNATE_SEP.join([v for v in (value, *others) if v]), True)]
    return [(value, False)]


def _person_on(person: Person, url: str) -> bool:
    return any(url in x.sources for x in person.phones) or any(
        url in x.sources for x in person.emails
    )


def _person(person: Person) -> str:
    name = person.name.strip()
    return f"{name} ({person.title.strip()})" if person.title.strip() else name


REVIEW_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("Lead ID 1", "线索编号 1", 18, text=True),
    TableColumn("Company 1", "公司名称 1", 30),
    TableColumn("Lead ID 2", "线索编号 2", 18, text=True),
    TableColumn("Company 2", "公司名称 2", 30),
    TableColumn("Name similarity", "名称相似度", 12),
    TableColumn("Why they may be one business", "可能为同一家的原因", 60, wrap=True),
    TableColumn("Decision", "处理决定", 14),
)
DECISIONS: dict[str, dict[str, str]] = {
    "accept": {"en": "Accept", "zh": "合并"},
    "split": {"en": "Split", "zh": "分开"},
}
"""The Review drop-down: Accept = one business, Split = two."""


def review_headers(lang: str) -> list[str]:
    return [col.header(lang) for col in REVIEW_COLUMNS]


def review_row(pair: ReviewPair) -> list[Any]:
    """One borderline pair; the Decision cell starts empty for the trainee to choose."""
    score = int(pair.score) if float(pair.score).is_integer() else round(pair.score, 1)
    return [pair.left_id, pair.left_name, pair.right_id, pair.right_name, score, pair.reason, None]
