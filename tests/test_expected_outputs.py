"""Every ``tests/expected/**/*.json`` against what ``leadharvest extract`` makes of its real page.

An expected file is written by a person reading the saved page (format in the helpers' brief
and in ``benchmarks/extraction.py``). Here the same code the ``extract`` command runs
(``source_for_url`` → ``extract_page`` on the page decoded as the crawler decodes it →
``enrich_lead``) is scored against it: the status and source must match, recall of lead
names, phones and search-result URLs must reach 0.95 when the file says its lists are
complete, none of the page's operator contacts (the site's hotline, the logged-in user's
phone, ICP and postcodes) may become a lead's contact, and no masked value may come out as a
usable one. Any new expected file is picked up without touching this module, and a file
whose source has no page object yet is scored against whatever its URL selects.

``benchmarks/extraction.py`` imports the scoring below, so the numbers it prints and the
pass/fail here come from one definition.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from enrich.pipeline import enrich_lead
from leadharvest.items import Lead, SearchResult
from spiders.pages import extract_page, source_for_url
from spiders.pages.base import Page
from spiders.pages.contacts import is_masked
from tests.realpages import real_page

EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
RECALL_GOAL = 0.95
STATUSES = {"ok", "blocked", "no_results"}


def expected_files() -> list[Path]:
    """Every expected-output file, sorted, so new ones join the run by existing."""
    return sorted(EXPECTED_DIR.rglob("*.json"))


def load_expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- running the page the way `leadharvest extract` does --------------------------------------


@dataclass
class Extraction:
    """What ``leadharvest extract`` would print for one page, as objects."""

    status: str
    source: str
    results: list[SearchResult]
    leads: list[Lead]


def extract_like_cli(page: Page) -> Extraction:
    """``source_for_url`` + ``extract_page`` + ``enrich_lead`` with the source's region (cli.py)."""
    src = source_for_url(page.url)
    result = extract_page(page, src)
    for lead in result.leads:
        enrich_lead(lead, region=src.region)
    return Extraction(result.status, result.source, list(result.search_results), result.leads)


# --- keys values are compared by ---------------------------------------------------------------

_EXTENSION = re.compile(
    r"(?i)\s*(?:[,;]|\bext\b\.?|\bextn\b\.?|(?<=\d)\s*x\s*(?=\d)|#|转|分机).*$", re.S
)


def name_key(name: str) -> str:
    """Case- and space-insensitive (NFKC so full-width forms compare equal)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def phone_key(value: str) -> str:
    """Last 8 digits of the number itself (an extension after it is left out)."""
    main = _EXTENSION.sub("", unicodedata.normalize("NFKC", value))
    return re.sub(r"\D", "", main)[-8:]


def email_key(value: str) -> str:
    return value.strip().removeprefix("mailto:").strip().casefold()


def url_key(url: str) -> str:
    """The URL after percent-decoding, without fragment and trailing slash, host lower-cased."""
    parts = urlsplit(unquote(url.strip()))
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def ad_key(url: str) -> str:
    """Ads are matched by landing host + path: their tracking parameters change per click."""
    parts = urlsplit(unquote(url.strip()))
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def site_key(url: str) -> str:
    """A lead's website is matched by host (``www.`` ignored), whatever path a page linked."""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    return (urlsplit(text).hostname or "").removeprefix("www.")


def _digit_runs(value: str) -> list[str]:
    runs = [run.lstrip("0") for run in re.findall(r"\d+", value)]
    whole = re.sub(r"\D", "", value).lstrip("0")
    return [r for r in {whole, *runs} if len(r) >= 5]


def takes_operator_value(phone_values: Iterable[str], candidate: str) -> bool:
    """Whether a lead phone is the not-contact ``candidate`` (also inside a longer number string).

    Leading zeros are ignored (E.164 drops the trunk 0); a long candidate matches on its last 8
    digits, a short one (postcode, ICP number) only as the whole number give or take a
    country code.
    """
    for value in phone_values:
        digits = re.sub(r"\D", "", value)
        for run in _digit_runs(candidate):
            if len(run) >= 8 and digits[-8:] == run[-8:]:
                return True
            if len(run) < 8 and digits.endswith(run) and len(digits) - len(run) <= 3:
                return True
    return False


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class FieldScore:
    """Recall over the expected values, precision over the extracted ones (per field)."""

    expected: int = 0
    found: int = 0
    extracted: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.extracted if self.extracted else None

    def add(self, other: FieldScore) -> None:
        self.expected += other.expected
        self.found += other.found
        self.extracted += other.extracted
        self.correct += other.correct


@dataclass
class Comparison:
    fixture: str
    expected_source: str
    source: str
    expected_status: str
    status: str
    complete: bool
    names: FieldScore
    phones: FieldScore
    emails: FieldScore
    results: FieldScore
    websites: FieldScore
    operator_taken: list[str]
    masked_leaks: list[str]
    masked_expected: bool
    masked_seen: bool


def _lead_phones(lead: Lead, *, unmasked: bool = True) -> list[tuple[str, str]]:
    """(value compared, value shown) for the lead's and its people's phones."""
    phones = [*lead.phones, *(p for person in lead.people for p in person.phones)]
    out = []
    for p in phones:
        if unmasked and p.masked:
            continue
        out.append((p.e164 or p.raw, p.raw))
    return out


def _lead_emails(lead: Lead, *, unmasked: bool = True) -> list[str]:
    emails = [*lead.emails, *(e for person in lead.people for e in person.emails)]
    return [e.address or e.raw for e in emails if not (unmasked and e.masked)]


def _expected_people_values(lead: dict[str, Any], key: str) -> list[str]:
    values = list(lead.get(key, []))
    for person in lead.get("people", []):
        values.extend(person.get(key, []))
    return values


def _set_score(expected: dict[str, str], got: dict[str, str]) -> FieldScore:
    """Score two key → shown-value maps."""
    return FieldScore(
        expected=len(expected),
        found=sum(1 for k in expected if k in got),
        extracted=len(got),
        correct=sum(1 for k in got if k in expected),
        missed=[v for k, v in expected.items() if k not in got],
        extra=[v for k, v in got.items() if k not in expected],
    )


def compare(expected: dict[str, Any], got: Extraction) -> Comparison:
    """Score one extraction against one expected file (field by field, page-wide sets)."""
    exp_leads: list[dict[str, Any]] = expected.get("leads", [])

    # names: an expected lead is found when its name or one of its aliases was extracted
    got_names = {name_key(lead.name): lead.name for lead in got.leads if lead.name}
    exp_name_keys = [
        {name_key(n) for n in [lead["name"], *lead.get("aliases", [])]} for lead in exp_leads
    ]
    all_exp_names = set().union(*exp_name_keys) if exp_name_keys else set()
    names = FieldScore(
        expected=len(exp_leads),
        found=sum(1 for keys in exp_name_keys if keys & got_names.keys()),
        extracted=len([lead for lead in got.leads if lead.name]),
        correct=sum(1 for lead in got.leads if lead.name and name_key(lead.name) in all_exp_names),
        missed=[
            lead["name"]
            for lead, keys in zip(exp_leads, exp_name_keys, strict=True)
            if not keys & got_names.keys()
        ],
        extra=[n for k, n in got_names.items() if k not in all_exp_names],
    )

    exp_phones = {
        phone_key(v): v for lead in exp_leads for v in _expected_people_values(lead, "phones")
    }
    got_phones = {phone_key(v): shown for lead in got.leads for v, shown in _lead_phones(lead)}
    exp_phones.pop("", None)
    got_phones.pop("", None)

    exp_emails = {
        email_key(v): v for lead in exp_leads for v in _expected_people_values(lead, "emails")
    }
    got_emails = {email_key(v): v for lead in got.leads for v in _lead_emails(lead)}

    exp_sites = {
        site_key(lead["website"]): lead["website"] for lead in exp_leads if lead.get("website")
    }
    got_sites = {site_key(lead.website): lead.website for lead in got.leads if lead.website}

    results = _score_results(expected.get("search_results", []), got.results)

    operator_taken = []
    for candidate in expected.get("not_contacts", []):
        for lead in got.leads:
            if "@" in candidate:
                hit = email_key(candidate) in {
                    email_key(e) for e in _lead_emails(lead, unmasked=False)
                }
            else:
                values = [v for pair in _lead_phones(lead, unmasked=False) for v in pair]
                hit = takes_operator_value(values, candidate)
            if hit:
                operator_taken.append(f"{candidate!r} as a contact of {lead.name!r}")

    masked_leaks = []
    masked_seen = False
    for lead in got.leads:
        phones = [*lead.phones, *(p for person in lead.people for p in person.phones)]
        emails = [*lead.emails, *(e for person in lead.people for e in person.emails)]
        masked_seen = masked_seen or lead.masked or any(x.masked for x in [*phones, *emails])
        for value in [*phones, *emails]:
            if not value.masked and is_masked(value.raw):
                masked_leaks.append(f"{value.raw!r} of {lead.name!r} not flagged masked")

    return Comparison(
        fixture=expected["fixture"],
        expected_source=expected["source"],
        source=got.source,
        expected_status=expected["status"],
        status=got.status,
        complete=bool(expected.get("complete", False)),
        names=names,
        phones=_set_score(exp_phones, got_phones),
        emails=_set_score(exp_emails, got_emails),
        results=results,
        websites=_set_score(exp_sites, got_sites),
        operator_taken=operator_taken,
        masked_leaks=masked_leaks,
        masked_expected=bool(expected.get("masked", False)),
        masked_seen=masked_seen,
    )


def _score_results(expected: list[dict[str, Any]], got: list[SearchResult]) -> FieldScore:
    organic = {url_key(r["url"]): r["url"] for r in expected if not r.get("ad")}
    ads = {ad_key(r["url"]): r["url"] for r in expected if r.get("ad")}
    got_full = {url_key(r.url) for r in got}
    got_ad = {ad_key(r.url) for r in got}
    missed = [u for k, u in organic.items() if k not in got_full]
    missed += [u for k, u in ads.items() if k not in got_ad]
    hits = [r for r in got if url_key(r.url) in organic or ad_key(r.url) in ads]
    return FieldScore(
        expected=len(organic) + len(ads),
        found=len(organic) + len(ads) - len(missed),
        extracted=len(got),
        correct=len(hits),
        missed=missed,
        extra=[r.url for r in got if r not in hits],
    )


def problems(cmp: Comparison) -> list[str]:
    """Everything the test fails on, each with the values that were missed or wrongly taken."""
    out = []
    if cmp.source != cmp.expected_source:
        out.append(f"source {cmp.source!r}, expected {cmp.expected_source!r}")
    if cmp.status != cmp.expected_status:
        out.append(f"status {cmp.status!r}, expected {cmp.expected_status!r}")
    if cmp.complete:
        for label, score in (
            ("lead names", cmp.names),
            ("phones", cmp.phones),
            ("result URLs", cmp.results),
        ):
            if score.recall is not None and score.recall < RECALL_GOAL:
                out.append(
                    f"{label} recall {score.found}/{score.expected} = {score.recall:.2f} "
                    f"< {RECALL_GOAL}; missed: {_few(score.missed)}"
                )
    if cmp.operator_taken:
        out.append(f"operator/viewer contacts taken: {_few(cmp.operator_taken)}")
    if cmp.masked_leaks:
        out.append(f"masked values given as usable: {_few(cmp.masked_leaks)}")
    if cmp.masked_expected and not cmp.masked_seen:
        out.append("the page shows masked contacts but no lead or value is flagged masked")
    return out


def _few(values: list[str], limit: int = 25) -> str:
    shown = ", ".join(repr(v) if not v.startswith("'") else v for v in values[:limit])
    return shown + (f" … and {len(values) - limit} more" if len(values) > limit else "")


# --- tests -------------------------------------------------------------------------------------

FILES = expected_files()
IDS = [str(p.relative_to(EXPECTED_DIR).with_suffix(".html")) for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_expected_file_is_well_formed(path: Path) -> None:
    data = load_expected(path)
    rel = str(path.relative_to(EXPECTED_DIR).with_suffix(".html"))
    assert data.get("fixture") == rel, f"{path.name}: 'fixture' must be {rel!r}"
    assert str(data.get("url", "")).startswith(("http://", "https://")), "url must be http(s)"
    assert isinstance(data.get("source"), str) and data["source"], "source missing"
    assert data.get("status") in STATUSES, f"status must be one of {sorted(STATUSES)}"
    for lead in data.get("leads", []):
        assert isinstance(lead.get("name"), str), f"lead without a name: {lead}"
        assert all(isinstance(v, str) for v in lead.get("phones", []) + lead.get("emails", []))
    for result in data.get("search_results", []):
        assert str(result.get("url", "")).startswith(("http://", "https://")), result
    assert all(isinstance(v, str) and v for v in data.get("not_contacts", []))


@pytest.mark.realpages
@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_extraction_matches_expected(path: Path) -> None:
    data = load_expected(path)
    got = extract_like_cli(real_page(data["fixture"], data["url"]))
    found = problems(compare(data, got))
    assert not found, f"{data['fixture']}:\n  " + "\n  ".join(found)


def test_scoring_keys() -> None:
    """The comparison rules themselves: extensions, E.164, ads, operator numbers."""
    assert phone_key("614-850-8940, ext. 103") == phone_key("+16148508940") == "48508940"
    assert phone_key("8048372248,904") == phone_key("+918048372248")
    assert phone_key("（0513）85815355") == phone_key("+8651385815355")
    assert name_key("Chas &  Phil") == name_key("chas & phil")
    assert ad_key("https://www.x.com/a/?utm=1") == ad_key("https://x.com/a?gclid=2")
    assert url_key("https://A.com/b%20c/") == url_key("https://a.com/b c")
    assert site_key("http://www.rheem.com.au") == site_key("rheem.com.au/contact")
    assert takes_operator_value(["+8657181683755"], "0571-81683755")
    assert takes_operator_value(["08000809"], "苏ICP备08000809")
    assert takes_operator_value(["+86226001"], "226001")
    assert not takes_operator_value(["+61740514870"], "4870")
    assert not takes_operator_value(["+12201200913"], "浙B2-20120091-2")
