"""A/B/C/D grades from a transparent score, with the reasons a trainee can justify.

Courses teach ABC(D) value tiers and expect trainees to defend each grade, so the grade is
never a black box: it is the sum of named rules from ``config/grading.toml`` and every rule
that fired is listed with its points. The first reason is a one-line summary
("B: sells the product; direct mobile; no named contact"); the rest explain the points.

Grading is a pure function of the lead (no store, no network): ``score_lead`` returns the
result, ``grade_leads`` writes it onto the leads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from leadharvest.items import Email, Lead, Phone
from leadharvest.settings import ConfigError, load_toml

GRADES = ("A", "B", "C", "D")
LANGS = ("en", "zh")

RULE_NAMES = (
    "phone",
    "mobile",
    "person",
    "personal_email",
    "role_email",
    "website",
    "relevance",
    "intent",
    "corroboration",
    "type_fit",
    "masked_only",
    "no_contact",
)
"""Every rule the config must weigh; a missing or unknown name is a config error."""

PENALTIES = frozenset({"masked_only", "no_contact"})

# rule -> lang -> (short phrase for the summary line, explanation with {detail})
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "phone": {
        "en": ("reachable by phone", "valid phone number ({detail})"),
        "zh": ("有可拨打的电话", "有效电话号码（{detail}）"),
    },
    "mobile": {
        "en": ("direct mobile", "mobile number ({detail})"),
        "zh": ("有手机号", "手机号码（{detail}）"),
    },
    "person": {
        "en": ("named contact", "named contact person ({detail})"),
        "zh": ("有联系人", "有具名联系人（{detail}）"),
    },
    "personal_email": {
        "en": ("personal e-mail", "personal e-mail address ({detail})"),
        "zh": ("有个人邮箱", "个人电子邮箱（{detail}）"),
    },
    "role_email": {
        "en": ("role e-mail only", "only a role e-mail address ({detail})"),
        "zh": ("仅有部门邮箱", "仅有部门/公共邮箱（{detail}）"),
    },
    "website": {
        "en": ("has a website", "own website ({detail})"),
        "zh": ("有网站", "有公司网站（{detail}）"),
    },
    "relevance": {
        "en": ("sells the product", "relevance to the query {detail}"),
        "zh": ("经营该产品", "与查询的相关度 {detail}"),
    },
    "intent": {
        "en": ("trade intent", "intent word: {detail}"),
        "zh": ("有交易意向", "意向关键词：{detail}"),
    },
    "corroboration": {
        "en": ("found on several sources", "found on {detail} distinct sources"),
        "zh": ("多个来源印证", "{detail} 个不同来源印证"),
    },
    "type_fit": {
        "en": ("target business type", "business type is a target ({detail})"),
        "zh": ("目标客户类型", "客户类型符合目标（{detail}）"),
    },
    "masked_only": {
        "en": ("contacts masked", "only masked contacts, hidden by the directory"),
        "zh": ("联系方式被隐藏", "仅有被目录网站隐藏的联系方式"),
    },
    "no_contact": {
        "en": ("no contact details", "no usable phone number or e-mail"),
        "zh": ("无联系方式", "没有可用的电话或电子邮箱"),
    },
}

# Absences worth saying in the summary even though no rule fired for them.
_ABSENT = {
    "phone": {"en": "no phone", "zh": "无电话"},
    "person": {"en": "no named contact", "zh": "无联系人"},
    "relevance": {"en": "weak match to the query", "zh": "与查询相关度低"},
}
_WORDS = {
    "buyer": {"en": "buyer", "zh": "买方"},
    "seller": {"en": "seller", "zh": "卖方"},
    "sep": {"en": "; ", "zh": "；"},
    "colon": {"en": ": ", "zh": "："},
}

_Fail = Callable[[str, str], ConfigError]

_SUMMARY_PHRASES = 3
"""How many fired rules the summary names; more makes the first reason unreadable."""


@dataclass(frozen=True)
class GradingRules:
    """The validated contents of ``config/grading.toml``."""

    points: Mapping[str, float]
    """Weight of each rule in RULE_NAMES; penalties are zero or negative."""
    thresholds: Mapping[str, float]
    """Minimum score for A, B and C (strictly decreasing); anything lower is D."""
    max_sources: int = 4
    buyer_words: tuple[str, ...] = ()
    seller_words: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path | None = None) -> GradingRules:
        """Read and validate the grading rules (default: ``config/grading.toml``)."""
        if path is None:
            return cls.from_dict(load_toml("grading.toml"), origin="grading.toml")
        import tomllib

        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        return cls.from_dict(data, origin=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str = "grading") -> GradingRules:
        """Validate a parsed TOML table; the ConfigError names the offending key."""

        def fail(key: str, problem: str) -> ConfigError:
            return ConfigError(f"{origin}: {key}: {problem}")

        for key in data:
            if key not in ("thresholds", "rules", "corroboration", "intent"):
                raise fail(key, "unknown section")
        rules = _table(data, "rules", fail)
        for name in rules:
            if name not in RULE_NAMES:
                raise fail(f"rules.{name}", "unknown rule")
        points: dict[str, float] = {}
        for name in RULE_NAMES:
            if name not in rules:
                raise fail(f"rules.{name}", "missing")
            value = _number(rules[name], f"rules.{name}", fail)
            if name in PENALTIES and value > 0:
                raise fail(f"rules.{name}", "a penalty must be zero or negative")
            if name not in PENALTIES and value < 0:
                raise fail(f"rules.{name}", "must be zero or positive")
            points[name] = value

        thresholds_raw = _table(data, "thresholds", fail)
        thresholds: dict[str, float] = {}
        for key in thresholds_raw:
            if key not in GRADES[:3]:
                raise fail(f"thresholds.{key}", "unknown grade (use A, B, C)")
        for grade in GRADES[:3]:
            if grade not in thresholds_raw:
                raise fail(f"thresholds.{grade}", "missing")
            value = _number(thresholds_raw[grade], f"thresholds.{grade}", fail)
            if not 0 <= value <= 100:
                raise fail(f"thresholds.{grade}", "must be between 0 and 100")
            thresholds[grade] = value
        if not thresholds["A"] > thresholds["B"] > thresholds["C"]:
            raise fail("thresholds", "A must be above B and B above C")

        corroboration = _table(data, "corroboration", fail, required=False)
        for key in corroboration:
            if key != "max_sources":
                raise fail(f"corroboration.{key}", "unknown key")
        max_sources = corroboration.get("max_sources", 4)
        if isinstance(max_sources, bool) or not isinstance(max_sources, int) or max_sources < 1:
            raise fail("corroboration.max_sources", "must be a whole number of at least 1")

        intent = _table(data, "intent", fail, required=False)
        words: dict[str, tuple[str, ...]] = {}
        for key in intent:
            if key not in ("buyer", "seller"):
                raise fail(f"intent.{key}", "unknown key")
        for key in ("buyer", "seller"):
            raw = intent.get(key, [])
            if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
                raise fail(f"intent.{key}", "must be a list of non-empty strings")
            words[key] = tuple(w.strip() for w in raw)

        return cls(
            points=points,
            thresholds=thresholds,
            max_sources=max_sources,
            buyer_words=words["buyer"],
            seller_words=words["seller"],
        )

    def grade_for(self, score: float) -> str:
        """The grade a score earns under these thresholds."""
        for grade in GRADES[:3]:
            if score >= self.thresholds[grade]:
                return grade
        return "D"


@dataclass(frozen=True)
class Grading:
    """The result of grading one lead."""

    score: float
    grade: str
    reasons: list[str]


def grade_leads(
    leads: list[Lead],
    *,
    rules: GradingRules | None = None,
    lang: str = "en",
    target_types: tuple[str, ...] = (),
) -> list[Lead]:
    """Set score, grade and grade_reasons on every lead; returns the same list for chaining."""
    rules = rules or GradingRules.load()
    for lead in leads:
        result = score_lead(lead, rules=rules, lang=lang, target_types=target_types)
        lead.score = result.score
        lead.grade = result.grade
        lead.grade_reasons = result.reasons
    return leads


def score_lead(
    lead: Lead,
    *,
    rules: GradingRules,
    lang: str = "en",
    target_types: tuple[str, ...] = (),
) -> Grading:
    """Score one lead without changing it: the rules that fire, their points, the grade."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    fired: list[tuple[str, float, str]] = []  # (rule, points, detail)

    def fire(rule: str, points: float, detail: object = "") -> None:
        if points:
            fired.append((rule, points, str(detail)))

    p = rules.points
    phones = _all_phones(lead)
    emails = _all_emails(lead)
    usable_phones = [ph for ph in phones if ph.valid and not ph.masked]
    usable_emails = [em for em in emails if em.valid and not em.masked and em.address]
    if usable_phones:
        fire("phone", p["phone"], usable_phones[0].e164 or usable_phones[0].raw)
    mobiles = [ph for ph in usable_phones if ph.type == "mobile"]
    if mobiles:
        fire("mobile", p["mobile"], mobiles[0].e164 or mobiles[0].raw)
    named = [person for person in lead.people if person.name.strip()]
    if named:
        fire("person", p["person"], named[0].name.strip())
    personal = [em for em in usable_emails if not em.role]
    if personal:
        fire("personal_email", p["personal_email"], personal[0].address)
    elif usable_emails:
        fire("role_email", p["role_email"], usable_emails[0].address)
    if _is_web_address(lead.website):
        fire("website", p["website"], lead.domain or lead.website.strip())

    relevance = min(max(lead.relevance, 0.0), 1.0) if math.isfinite(lead.relevance) else 0.0
    fire("relevance", round(relevance * p["relevance"], 1), f"{relevance:.2f}")

    intent = _intent(lead, rules, lang)
    if intent:
        fire("intent", p["intent"], intent)

    sources = len(lead.sources)
    if sources > 1:
        fire("corroboration", p["corroboration"] * (min(sources, rules.max_sources) - 1), sources)

    if target_types and lead.business_type in target_types:
        fire("type_fit", p["type_fit"], lead.business_type)

    if not usable_phones and not usable_emails:
        hidden = lead.masked or any(x.masked for x in phones) or any(x.masked for x in emails)
        penalty = "masked_only" if hidden else "no_contact"
        fire(penalty, p[penalty])

    score = round(min(max(sum(points for _, points, _ in fired), 0.0), 100.0), 1)
    grade = rules.grade_for(score)
    reasons = [_summary(grade, fired, relevance, lang)]
    for rule, points, detail in fired:
        text = _TEXTS[rule][lang][1].format(detail=detail)
        reasons.append(f"{points:+g} {text}")
    return Grading(score=score, grade=grade, reasons=reasons)


def _summary(grade: str, fired: list[tuple[str, float, str]], relevance: float, lang: str) -> str:
    """The first reason: the grade and the few facts that matter most for it."""
    rules = {rule for rule, _, _ in fired}
    phrases: list[str] = []
    ordered = sorted(fired, key=lambda f: -abs(f[1]))
    for rule, _, _ in ordered:
        if rule == "relevance" and relevance < 0.5:
            continue  # a weak match is said as an absence below, not as "sells the product"
        if rule == "phone" and "mobile" in rules:
            continue  # "direct mobile" already says it
        phrases.append(_TEXTS[rule][lang][0])
        if len(phrases) == _SUMMARY_PHRASES:
            break
    if relevance < 0.5:
        phrases.append(_ABSENT["relevance"][lang])
    if not rules & {"phone", "masked_only", "no_contact"}:
        phrases.append(_ABSENT["phone"][lang])
    if "person" not in rules:
        phrases.append(_ABSENT["person"][lang])
    return grade + _WORDS["colon"][lang] + _WORDS["sep"][lang].join(phrases)


def _intent(lead: Lead, rules: GradingRules, lang: str) -> str:
    """The first buyer or seller word in the lead's own text, labelled with its side."""
    text = "\n".join([lead.name, lead.products, lead.description]).casefold()
    for side, words in (("buyer", rules.buyer_words), ("seller", rules.seller_words)):
        for word in words:
            if _contains(text, word.casefold()):
                side_label = _WORDS[side][lang]
                return f"{word}（{side_label}）" if lang == "zh" else f"{word} ({side_label})"
    return ""


def _contains(text: str, word: str) -> bool:
    """Latin words match at a word start (wholesale → wholesalers); CJK words anywhere."""
    if word.isascii():
        return re.search(r"(?<![a-z0-9])" + re.escape(word), text) is not None
    return word in text


def _is_web_address(website: str) -> bool:
    """An http(s) URL or a bare host name; ``javascript:`` and junk earn no points."""
    text = website.strip()
    if not text:
        return False
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and "." in (parts.hostname or "")


def _all_phones(lead: Lead) -> list[Phone]:
    return [*lead.phones, *(ph for person in lead.people for ph in person.phones)]


def _all_emails(lead: Lead) -> list[Email]:
    return [*lead.emails, *(em for person in lead.people for em in person.emails)]


def _table(
    data: Mapping[str, Any],
    key: str,
    fail: _Fail,
    *,
    required: bool = True,
) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise fail(key, "missing section")
        return {}
    if not isinstance(value, Mapping):
        raise fail(key, "must be a table")
    return value


def _number(value: Any, key: str, fail: _Fail) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(key, f"must be a number, not {value!r}")
    return float(value)
