"""Pair comparison: is this pair of leads one business, and why?

Each lead is boiled down once to its matching keys (``LeadKeys``: name key, E.164 phones,
e-mail addresses, company domains, city, country); a pair is then decided by a few named
rules, strongest first, each giving the human-readable reason a trainee sees in
``Lead.match_reasons``. The rules are rules, not a learned model, because a trainee has no
labels to train one and must be able to read why two rows became one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass

from rapidfuzz import fuzz

from enrich.domain import registered_domain
from enrich.email import is_free_mail, normalise_email
from enrich.name import normalise_name
from enrich.phone import normalise_phone, region_for
from leadharvest.items import Lead

SCORERS: dict[str, Callable[..., float]] = {
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "ratio": fuzz.ratio,
    "WRatio": fuzz.WRatio,
}
"""Name scorers a config may choose; all see names already normalised (no processor needed)."""

DOMAIN, TWO_CONTACTS, CONTACT_AND_NAME, NAME = 4, 3, 2, 1
"""Rule strengths: clustering applies stronger links first."""


@dataclass(frozen=True)
class LeadKeys:
    """What a lead is compared by, computed once per lead."""

    index: int
    name: str
    phones: frozenset[str]
    emails: frozenset[str]
    domains: frozenset[str]
    city: str = ""
    country: str = ""


@dataclass(frozen=True)
class PairDecision:
    """The outcome for one pair: matched or not, the rule's strength, score and reason."""

    match: bool
    strength: int = 0
    score: float = 0.0
    reason: str = ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    for suffix in ("市", " city"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
    return text.strip()


def lead_keys(lead: Lead, index: int, *, ignore_domains: Collection[str] = ()) -> LeadKeys:
    """Matching keys of one lead, enriching on the fly what the lead does not carry yet.

    Masked and unparsed contacts give no key; free-mail and portal domains (``ignore_domains``)
    are not the company's domain and give none either.
    """
    region = ""
    phones: set[str] = set()
    emails: set[str] = set()
    domains: set[str] = set()
    all_phones = [*lead.phones, *(p for person in lead.people for p in person.phones)]
    all_emails = [*lead.emails, *(e for person in lead.people for e in person.emails)]
    for phone in all_phones:
        if phone.masked:
            continue
        e164 = phone.e164
        if not e164 and phone.raw:
            region = region or region_for(lead, "")
            e164 = normalise_phone(phone, region).e164
        if e164:
            phones.add(e164)
    for email in all_emails:
        if email.masked:
            continue
        parsed = email if email.address else normalise_email(email)
        if parsed.address and parsed.valid:
            emails.add(parsed.address.lower())
            domain = registered_domain(parsed.address)
            if domain and not parsed.free_mail and not is_free_mail(domain):
                domains.add(domain)
    site = lead.domain or (registered_domain(lead.website) if lead.website else "")
    if site and not is_free_mail(site):
        domains.add(site)
    return LeadKeys(
        index=index,
        name=lead.normalized_name or normalise_name(lead.name),
        phones=frozenset(phones),
        emails=frozenset(emails),
        domains=frozenset(d for d in domains if d not in ignore_domains),
        city=_fold(lead.city),
        country=_fold(lead.country),
    )


def name_score(a: str, b: str, *, scorer: str = "token_sort_ratio", compact: bool = True) -> float:
    """Similarity 0..100 of two name keys; 0 when either is empty.

    With ``compact`` the names are also compared with spaces removed (plain ratio), because
    listings split and join words at random: ``maatsch appij``, ``stmicro electronics``.
    """
    if not a or not b:
        return 0.0
    score = SCORERS[scorer](a, b)
    if compact and (" " in a or " " in b):
        score = max(score, fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))
    return float(round(score, 1))


def _conflicts(a: LeadKeys, b: LeadKeys) -> list[str]:
    found = []
    if a.city and b.city and a.city not in b.city and b.city not in a.city:
        # "深圳" and "深圳市宝安区", "Vancouver" and "North Vancouver" are the same place
        found.append("city")
    if a.country and b.country and a.country != b.country:
        found.append("country")
    if a.domains and b.domains and not a.domains & b.domains:
        found.append("domain")
    return found


_NUMBER_RE = re.compile(r"\d+")


def _numbers(name: str) -> frozenset[str]:
    return frozenset(_NUMBER_RE.findall(name))


def _fmt(score: float) -> str:
    return f"{score:.0f}"


def compare_pair(
    a: LeadKeys,
    b: LeadKeys,
    *,
    name_high: float,
    name_low: float,
    scorer: str = "token_sort_ratio",
    compact: bool = True,
) -> PairDecision:
    """Decide one pair by the rules in ``config/dedupe.toml``, strongest first.

    The keys must already exclude shared contacts (a directory's hotline) — the engine does
    that, because "shared" is a property of the whole batch, not of a pair.
    """
    same_domain = sorted(a.domains & b.domains)
    if same_domain:
        return PairDecision(True, DOMAIN, 100.0, f"same domain {same_domain[0]}")
    same_phones = sorted(a.phones & b.phones)
    same_emails = sorted(a.emails & b.emails)
    if same_phones and same_emails:
        return PairDecision(
            True,
            TWO_CONTACTS,
            100.0,
            f"same phone {same_phones[0]} and same e-mail {same_emails[0]}",
        )
    if len(same_phones) >= 2:
        return PairDecision(
            True, TWO_CONTACTS, 100.0, f"same phones {same_phones[0]} and {same_phones[1]}"
        )
    score = name_score(a.name, b.name, scorer=scorer, compact=compact)
    if (same_phones or same_emails) and score >= name_low:
        what = f"phone {same_phones[0]}" if same_phones else f"e-mail {same_emails[0]}"
        return PairDecision(
            True, CONTACT_AND_NAME, score, f"same {what} and similar name ({_fmt(score)})"
        )
    if score >= name_high and _numbers(a.name) != _numbers(b.name):
        # "Store 12" and "Store 21", "Unit 3 Traders" and "Unit 4 Traders": near-identical
        # text, different businesses; only a shared contact or domain may join them
        return PairDecision(False, 0, score, f"similar name ({_fmt(score)}) but different numbers")
    if score >= name_high:
        if a.city and a.city == b.city:
            return PairDecision(
                True, NAME, score, f"similar name ({_fmt(score)}) in the same city {a.city}"
            )
        conflicts = _conflicts(a, b)
        if not conflicts:
            return PairDecision(
                True, NAME, score, f"similar name ({_fmt(score)}), no conflicting evidence"
            )
        return PairDecision(
            False, 0, score, f"similar name ({_fmt(score)}) but different {', '.join(conflicts)}"
        )
    return PairDecision(False, 0, score, "")
