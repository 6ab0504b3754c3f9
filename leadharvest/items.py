"""The lead record: the stable "customer information table" every stage reads and writes.

Extraction fills the raw fields (``Phone.raw``, ``Lead.address_raw``) and enrichment adds the
parsed ones beside them, so a trainee can always see what the page said next to what
LeadHarvest made of it. Every value keeps the URLs it came from (``sources``), because every
lead is third-party data that a person must be able to check.

These are plain dataclasses (Scrapy accepts them as items) with ``to_dict`` / ``from_dict``
for the store, the JSON-lines output and the tests.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

DATA_STATUS = "Unverified third-party data"
"""What every lead says until a person checks it (DOMAIN.md: third-party data is not the truth)."""

PageStatus = Literal["ok", "blocked", "no_results"]

METHODS: dict[str, str] = {
    "search_engine": "Search engine",
    "yellow_pages": "Yellow pages",
    "industry_site": "Industry site",
    "company_website": "Company website",
}
"""The four electronic collection methods that sales courses teach, by key and label."""

METHODS_ZH: dict[str, str] = {
    "search_engine": "搜索引擎法",
    "yellow_pages": "网上黄页法",
    "industry_site": "行业网站法",
    "company_website": "电子邮件法",
}

BUSINESS_TYPES = (
    "manufacturer",
    "wholesaler_distributor",
    "retailer",
    "agent_trading",
    "service",
    "unknown",
)

VERIFICATION = ("unverified", "verified", "invalid", "do_not_contact")


def utcnow() -> datetime:
    """Timezone-aware now; one place so tests and the store agree on the clock's type."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class Phone:
    """A phone number as the page showed it, and what enrichment made of it."""

    raw: str
    """The text on the page, e.g. ``(07) 4051 1234`` or ``0755-8888 1234 转 8``."""
    label: str = ""
    """The page's own label for it (tel, fax, mobile, 手机, 传真, hotline, sales …)."""
    e164: str | None = None
    """``+61740511234``; None when it could not be parsed or is masked."""
    extension: str = ""
    type: str = "unknown"
    """mobile, landline, toll_free, shared_cost, fax, voip, unknown."""
    valid: bool = False
    masked: bool = False
    """``139****1234``: a directory hid part of it; never used as a contact."""
    shared: bool = False
    """Seen on many different companies in one job (a directory's call centre, an
    aggregator): not this business's own line (enrich.shared)."""
    sources: list[str] = field(default_factory=list)
    """URLs of the pages that showed this number."""

    @property
    def key(self) -> str:
        """What two phones are compared by: E.164 when known, else the digits."""
        if self.e164:
            return self.e164
        return "".join(ch for ch in self.raw if ch.isdigit() or ch == "*")


@dataclass
class Email:
    """An e-mail address as found, and its normalised form."""

    raw: str
    address: str | None = None
    """Normalised (lower-cased domain, no mailto:); None when invalid or masked."""
    role: bool = False
    """info@, sales@, 销售@ …: reaches a department, not a person."""
    free_mail: bool = False
    """qq.com, 163.com, gmail.com …: never the company's own domain."""
    valid: bool = False
    masked: bool = False
    shared: bool = False
    """Seen on many different companies in one job: a portal's or agent's address."""
    sources: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return (self.address or self.raw).strip().lower()


@dataclass
class Person:
    """A named contact at the business (联系人) and how to reach them."""

    name: str
    title: str = ""
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)


@dataclass
class Evidence:
    """One page that supplied values for a lead: the answer to "where did this come from?"."""

    source: str
    """Catalogue name of the source, e.g. ``duckduckgo``, ``yellowpages_com_au``."""
    method: str
    """One of METHODS' keys."""
    url: str
    fetched_at: datetime = field(default_factory=utcnow)
    query: str = ""
    fields: list[str] = field(default_factory=list)
    """Which lead fields this page supplied (name, phones, emails …)."""
    job_id: str = ""


@dataclass
class SearchResult:
    """One result on a search-engine results page."""

    rank: int
    url: str
    """The real target URL (redirect wrappers decoded where the page allows)."""
    title: str
    snippet: str = ""
    ad: bool = False


@dataclass
class Lead:
    """One prospect business: company fields, contacts, and the bookkeeping around them."""

    name: str
    normalized_name: str = ""
    """Matching key: legal form removed, lower-cased, width-folded; ``name`` is what is shown."""
    business_type: str = "unknown"
    business_type_reason: str = ""
    products: str = ""
    description: str = ""
    registration_id: str = ""
    """Where the page shows one, e.g. China's unified social credit code."""
    registration_valid: bool | None = None
    """Whether ``registration_id`` passed its check (China's USCC check digit); None when
    there is no id or no check for its kind. An invalid id is kept: a typo on the page."""
    website: str = ""
    domain: str = ""
    """Registered domain of ``website`` (tldextract, offline)."""
    address_raw: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    postcode: str = ""
    district: str = ""
    """China's district or county (南山区), from the address."""
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    social: list[str] = field(default_factory=list)
    masked: bool = False
    """The page hid some of this business's contacts (a directory's paywall)."""
    evidence: list[Evidence] = field(default_factory=list)
    alternates: dict[str, list[str]] = field(default_factory=dict)
    """Conflicting values kept after a merge, by field name."""
    # bookkeeping
    lead_id: str = ""
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    is_new: bool = False
    """No earlier run of the same job (same job name or query) had this lead: the "New" marker
    tells a trainee re-running a weekly search which rows to look at first."""
    relevance: float = 0.0
    score: float = 0.0
    grade: str = ""
    grade_reasons: list[str] = field(default_factory=list)
    verification: str = "unverified"
    notes: str = ""
    data_status: str = DATA_STATUS
    match_reasons: list[str] = field(default_factory=list)
    """Why records were merged into this lead (dedupe's levels that fired)."""
    context: str = ""
    """Text around the lead on the pages that produced it (search snippet, page text): what the
    local Boolean query and relevance are evaluated on. Not exported."""

    @property
    def methods(self) -> list[str]:
        """Collection methods that found this lead, in first-seen order."""
        return list(dict.fromkeys(ev.method for ev in self.evidence))

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(ev.source for ev in self.evidence))

    def text(self) -> str:
        """Everything searchable about the lead, for the local Boolean query and relevance."""
        parts = [
            self.name,
            self.products,
            self.description,
            self.address_raw,
            self.website,
            " ".join(p.name + " " + p.title for p in self.people),
            self.context,
        ]
        return "\n".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(dataclasses.asdict(self))
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lead:
        data = dict(data)
        data["phones"] = [Phone(**p) for p in data.get("phones", [])]
        data["emails"] = [Email(**e) for e in data.get("emails", [])]
        data["people"] = [
            Person(
                name=p["name"],
                title=p.get("title", ""),
                phones=[Phone(**x) for x in p.get("phones", [])],
                emails=[Email(**x) for x in p.get("emails", [])],
            )
            for p in data.get("people", [])
        ]
        data["evidence"] = [
            Evidence(**{**e, "fetched_at": parse_dt(e.get("fetched_at"))})
            for e in data.get("evidence", [])
        ]
        for key in ("first_seen", "last_seen"):
            data[key] = parse_dt(data.get(key)) if data.get(key) else None
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class ReviewPair:
    """Two leads that may be one business (a borderline dedupe pair): a person decides.

    Dedupe only merges on clear evidence; near misses are kept apart and listed with the
    levels that fired, so the trainee can Accept (one business) or Split them on the sheet.
    """

    left_id: str
    left_name: str
    right_id: str
    right_name: str
    score: float
    """Name similarity 0..100."""
    reason: str
    """e.g. "similar name (86, merge needs 92); same city sydney"."""


@dataclass
class PageRecord:
    """What happened to one fetched (or missing) page; the job's health report counts these."""

    url: str
    source: str
    method: str
    status: str
    """ok, blocked, no_results, missing (not in the replay archive), error, robots,
    not_configured (an API source without its key)."""
    http_status: int = 0
    leads: int = 0
    results: int = 0
    fetched_at: datetime = field(default_factory=utcnow)
    reason: str = ""
    """Why the page is blocked / empty / failed, in a few words (captcha, HTTP 403 …)."""


@dataclass
class Job:
    """One collection run: the query and settings that produced a set of leads."""

    job_id: str
    query: str
    product: str = ""
    sources: list[str] = field(default_factory=list)
    region: str = ""
    started_at: datetime = field(default_factory=utcnow)
    finished_at: datetime | None = None
    replay: str = ""
    status: str = "running"
    pages: list[PageRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(dataclasses.asdict(self))
        return data


def parse_dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not value:
        return utcnow()
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
