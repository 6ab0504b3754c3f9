"""A/B/C/D grades from a transparent score, with the reasons a trainee can justify.

Courses teach ABC(D) value tiers and expect trainees to defend each grade, so the grade is
never a black box: it is the sum of named rules from ``config/grading.toml`` and every rule
that fired is listed with its points. The first reason is a one-line summary
("B: sells the product; direct mobile; no named contact"); the rest explain the points.

Grading is a pure function of the lead and a reference time (no store, no network):
``score_lead`` returns the result, ``grade_leads`` writes it onto the leads.

Grades come from the score thresholds by default. ``Tiers`` grades by share instead (the
A 1% / B 4% / C 15% / D 80% split that sales courses teach): the leads are ranked by score
and cut by share, so the reasons say where a lead ranked ("A (top 1% by score)") rather
than which threshold it passed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from leadharvest.items import Email, Lead, Phone, utcnow
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
    "shared_only",
    "no_contact",
    "aging",
    "stale",
)
"""Every rule the config must weigh; a missing or unknown name is a config error."""

PENALTIES = frozenset({"masked_only", "shared_only", "no_contact", "aging", "stale"})

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
    "shared_only": {
        "en": (
            "only shared contacts",
            "only contacts that many other companies list too ({detail}): a directory's or"
            " an agent's line, not this business's",
        ),
        "zh": (
            "仅有共用联系方式",
            "仅有许多其他公司也在用的联系方式（{detail}）：目录网站或代理的电话",
        ),
    },
    "no_contact": {
        "en": ("no contact details", "no usable phone number or e-mail"),
        "zh": ("无联系方式", "没有可用的电话或电子邮箱"),
    },
    "aging": {
        "en": ("data getting old", "data last fetched {detail}"),
        "zh": ("数据较旧", "数据最近抓取于{detail}"),
    },
    "stale": {
        "en": ("stale data", "stale: data last fetched {detail}"),
        "zh": ("数据已过时", "数据已过时：最近抓取于{detail}"),
    },
}
_AGE_RULES = ("aging", "stale")
_AGE = {"en": "{days} days ago ({date})", "zh": "{days} 天前（{date}）"}

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
    aging_days: int = 180
    """Data last fetched more than this many days ago earns the ``aging`` penalty..."""
    stale_days: int = 365
    """...and more than this many days ago the ``stale`` one instead."""

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
            if key not in ("thresholds", "rules", "corroboration", "intent", "freshness"):
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

        freshness = _table(data, "freshness", fail, required=False)
        for key in freshness:
            if key not in ("aging_days", "stale_days"):
                raise fail(f"freshness.{key}", "unknown key")
        ages: dict[str, int] = {}
        for key, default in (("aging_days", 180), ("stale_days", 365)):
            value = freshness.get(key, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(f"freshness.{key}", "must be a whole number of days, at least 1")
            ages[key] = value
        if not ages["aging_days"] < ages["stale_days"]:
            raise fail("freshness", "aging_days must be below stale_days")

        return cls(
            points=points,
            thresholds=thresholds,
            max_sources=max_sources,
            buyer_words=words["buyer"],
            seller_words=words["seller"],
            aging_days=ages["aging_days"],
            stale_days=ages["stale_days"],
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


class TiersError(ValueError):
    """``--tiers`` is not four shares that add up to 100; the message says which way."""


_TIER_TEXT = {
    "A": {"en": "top {share}% by score", "zh": "得分前 {share}%"},
    "B": {"en": "next {share}% by score", "zh": "得分其后 {share}%"},
    "C": {"en": "next {share}% by score", "zh": "得分其后 {share}%"},
    "D": {"en": "bottom {share}% by score", "zh": "得分最后 {share}%"},
}


@dataclass(frozen=True)
class Tiers:
    """Grading by share: the best ``A``% of the leads by score are A, the next ``B``% B …

    Courses teach ABC(D) as shares of the customer base (A 1%, B 4%, C 15%, D 80%), and a
    trainee comparing two jobs wants the same split in both, whatever the scores were.
    Shares are kept as exact fractions so 100 leads split 1/4/15/80 exactly.
    """

    shares: tuple[Fraction, Fraction, Fraction, Fraction]

    @classmethod
    def parse(cls, text: str) -> Tiers:
        """``"1,4,15,80"`` (percent signs allowed) → Tiers; TiersError says what is wrong."""
        parts = [part.strip().removesuffix("%").strip() for part in str(text).split(",")]
        if len(parts) != len(GRADES):
            raise TiersError(
                f"--tiers needs four percentages for A,B,C,D such as 1,4,15,80; got {text!r}"
            )
        shares: list[Fraction] = []
        for grade, part in zip(GRADES, parts, strict=True):
            try:
                share = Fraction(part)
            except (ValueError, ZeroDivisionError):
                raise TiersError(f"--tiers: {grade} share {part!r} is not a number") from None
            if share < 0:
                raise TiersError(f"--tiers: {grade} share {part} must not be negative")
            shares.append(share)
        total = sum(shares, Fraction(0))
        if total != 100:
            raise TiersError(f"--tiers: the shares must add up to 100, not {_percent(total)}")
        return cls((shares[0], shares[1], shares[2], shares[3]))

    def counts(self, n: int) -> tuple[int, ...]:
        """How many of ``n`` leads get each grade: cumulative shares rounded half up.

        Rounding the cumulative boundaries (not each share) keeps the counts summing to
        ``n``; with few leads a small share may hold nobody (1% of 40 leads is 0.4 of one).
        """
        bounds = [0]
        cumulative = Fraction(0)
        for share in self.shares:
            cumulative += share
            bounds.append(math.floor(n * cumulative / 100 + Fraction(1, 2)))
        bounds[-1] = n
        return tuple(bounds[k + 1] - bounds[k] for k in range(len(GRADES)))

    def assign(self, scores: Sequence[float], keys: Sequence[str]) -> list[str]:
        """The grade of each score: ranked by score, ties by ``keys``, then by position."""
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], keys[i], i))
        grades = [""] * len(scores)
        position = 0
        for grade, count in zip(GRADES, self.counts(len(scores)), strict=True):
            for i in order[position : position + count]:
                grades[i] = grade
            position += count
        return grades

    def label(self, grade: str, lang: str = "en") -> str:
        """``A (top 1% by score)`` / ``A（得分前 1%）``: the grade as the reasons show it."""
        share = _percent(self.shares[GRADES.index(grade)])
        text = _TIER_TEXT[grade][lang].format(share=share)
        return f"{grade}（{text}）" if lang == "zh" else f"{grade} ({text})"


def _percent(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


@dataclass(frozen=True)
class _Scored:
    """The rules that fired for one lead and what they add up to."""

    score: float
    fired: list[tuple[str, float, str]]  # (rule, points, detail)
    relevance: float


def grade_leads(
    leads: list[Lead],
    *,
    rules: GradingRules | None = None,
    lang: str = "en",
    target_types: tuple[str, ...] = (),
    tiers: Tiers | None = None,
    now: datetime | None = None,
) -> list[Lead]:
    """Set score, grade and grade_reasons on every lead; returns the same list for chaining.

    With ``tiers`` the grades are shares of these leads by score; otherwise each lead's own
    score meets the thresholds. ``now`` is the time data freshness is measured against.
    """
    rules = rules or GradingRules.load()
    _check_lang(lang)
    now = now or utcnow()
    scored = [_evaluate(lead, rules, lang, target_types, now) for lead in leads]
    if tiers is not None:
        keys = [lead.lead_id or lead.normalized_name or lead.name for lead in leads]
        grades = tiers.assign([s.score for s in scored], keys)
        labels = [tiers.label(grade, lang) for grade in grades]
    else:
        grades = [rules.grade_for(s.score) for s in scored]
        labels = grades
    for lead, result, grade, label in zip(leads, scored, grades, labels, strict=True):
        lead.score = result.score
        lead.grade = grade
        lead.grade_reasons = _reasons(label, result, lang)
    return leads


def score_lead(
    lead: Lead,
    *,
    rules: GradingRules,
    lang: str = "en",
    target_types: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Grading:
    """Score one lead without changing it: the rules that fire, their points, the grade."""
    _check_lang(lang)
    result = _evaluate(lead, rules, lang, target_types, now or utcnow())
    grade = rules.grade_for(result.score)
    return Grading(score=result.score, grade=grade, reasons=_reasons(grade, result, lang))


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")


def _evaluate(
    lead: Lead,
    rules: GradingRules,
    lang: str,
    target_types: tuple[str, ...],
    now: datetime,
) -> _Scored:
    fired: list[tuple[str, float, str]] = []

    def fire(rule: str, points: float, detail: object = "") -> None:
        if points:
            fired.append((rule, points, str(detail)))

    p = rules.points
    phones = _all_phones(lead)
    emails = _all_emails(lead)
    # A contact that many other companies list too (enrich.shared) reaches a call centre or
    # an aggregator, not this business: it earns nothing.
    usable_phones = [ph for ph in phones if ph.valid and not ph.masked and not ph.shared]
    usable_emails = [
        em for em in emails if em.valid and not em.masked and em.address and not em.shared
    ]
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
        shared = [x.e164 or x.raw for x in phones if x.shared and x.valid and not x.masked]
        shared += [x.address for x in emails if x.shared and x.address and not x.masked]
        hidden = lead.masked or any(x.masked for x in phones) or any(x.masked for x in emails)
        if shared:
            fire("shared_only", p["shared_only"], ", ".join(shared[:2]))
        else:
            penalty = "masked_only" if hidden else "no_contact"
            fire(penalty, p[penalty])

    fetched = last_fetched(lead)
    if fetched is not None:
        days = (_aware(now) - fetched).days
        age = _AGE[lang].format(days=days, date=f"{fetched:%Y-%m-%d}")
        if days > rules.stale_days:
            fire("stale", p["stale"], age)
        elif days > rules.aging_days:
            fire("aging", p["aging"], age)

    score = round(min(max(sum(points for _, points, _ in fired), 0.0), 100.0), 1)
    return _Scored(score=score, fired=fired, relevance=relevance)


def last_fetched(lead: Lead) -> datetime | None:
    """When a page last showed this lead: its newest evidence, else ``last_seen``.

    Evidence time is what dates the data (a page read today says what is true today);
    ``last_seen`` is only the fallback for leads that arrive without evidence.
    """
    times = [_aware(ev.fetched_at) for ev in lead.evidence if ev.fetched_at is not None]
    if times:
        return max(times)
    return _aware(lead.last_seen) if lead.last_seen is not None else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _reasons(label: str, result: _Scored, lang: str) -> list[str]:
    reasons = [_summary(label, result.fired, result.relevance, lang)]
    for rule, points, detail in result.fired:
        text = _TEXTS[rule][lang][1].format(detail=detail)
        reasons.append(f"{points:+g} {text}")
    return reasons


def _summary(label: str, fired: list[tuple[str, float, str]], relevance: float, lang: str) -> str:
    """The first reason: the grade (as ``label`` says it) and the facts that matter most."""
    rules = {rule for rule, _, _ in fired}
    phrases: list[str] = []
    ordered = sorted(fired, key=lambda f: -abs(f[1]))
    for rule, _, _ in ordered:
        if rule == "relevance" and relevance < 0.5:
            continue  # a weak match is said as an absence below, not as "sells the product"
        if rule == "phone" and "mobile" in rules:
            continue  # "direct mobile" already says it
        if rule in _AGE_RULES:
            continue  # said last, whatever its points: old data is a caveat on everything
        phrases.append(_TEXTS[rule][lang][0])
        if len(phrases) == _SUMMARY_PHRASES:
            break
    if relevance < 0.5:
        phrases.append(_ABSENT["relevance"][lang])
    if not rules & {"phone", "masked_only", "shared_only", "no_contact"}:
        phrases.append(_ABSENT["phone"][lang])
    if "person" not in rules:
        phrases.append(_ABSENT["person"][lang])
    phrases.extend(_TEXTS[rule][lang][0] for rule in _AGE_RULES if rule in rules)
    return label + _WORDS["colon"][lang] + _WORDS["sep"][lang].join(phrases)


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
