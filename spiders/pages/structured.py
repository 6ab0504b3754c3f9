"""Structured data on a page (JSON-LD, microdata, RDFa, Open Graph) read into a lead.

When a page states its organisation in structured data, that is the site's own statement of
its name, phones, address and people, so the generic extractor reads it before the text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import extruct

from leadharvest.items import Email, Lead, Person, Phone
from spiders.pages.base import Page, clean_text, first_title_text
from spiders.pages.emails import find_emails
from spiders.pages.labels import words
from spiders.pages.names import is_generic_name

ORG_TYPES = frozenset(
    words(
        """
        Organization Corporation LocalBusiness Store OnlineStore OnlineBusiness NGO Manufacturer
        Wholesaler AutomotiveBusiness HomeAndConstructionBusiness GeneralContractor
        ProfessionalService ProfessionalServiceOrganization FinancialService LegalService
        Restaurant FoodEstablishment MedicalBusiness MedicalOrganization HealthAndBeautyBusiness
        ShoppingCenter TravelAgency RealEstateAgent EmploymentAgency Electrician Plumber
        HVACBusiness RoofingContractor HousePainter Locksmith MovingCompany Dentist Hotel
        LodgingBusiness SportsOrganization EducationalOrganization Airline
        """
    )
)
ORG_SUFFIXES = ("Business", "Store", "Organization", "Contractor", "Service", "Agency", "Shop")
PERSON_KEYS = (
    "employee",
    "employees",
    "member",
    "members",
    "founder",
    "contactPoint",
    "contactPoints",
)


def _local_key(key: str) -> str:
    """``name`` for ``http://schema.org/name`` (RDFa keys are IRIs)."""
    return key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _types(item: dict[str, Any]) -> list[str]:
    raw = item.get("@type") or item.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return [_local_key(str(v)) for v in values]


def _values(item: dict[str, Any], key: str) -> list[Any]:
    """All values of a property, whatever the syntax's shape (str, list, {"@value": …})."""
    out: list[Any] = []
    for k, v in item.items():
        if _local_key(k) != key:
            continue
        for value in v if isinstance(v, list) else [v]:
            if isinstance(value, dict) and "@value" in value:
                out.append(value["@value"])
            elif value not in (None, ""):
                out.append(value)
    return out


def _text(item: dict[str, Any], key: str) -> str:
    for value in _values(item, key):
        if isinstance(value, str | int | float) and str(value).strip():
            return clean_text(str(value))
    return ""


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


_Marker = tuple[str, "re.Pattern[str]", bool]
_SYNTAX_MARKERS: tuple[tuple[str, tuple[_Marker, ...]], ...] = (
    ("json-ld", (("application/ld+json", re.compile(r"application/ld\+json"), False),)),
    (
        "microdata",
        (
            ("itemscope", re.compile(r"itemscope\b"), True),
            ("itemtype", re.compile(r"itemtype\s*="), True),
        ),
    ),
    (
        "rdfa",
        (("typeof", re.compile(r"typeof\s*="), True), ("vocab", re.compile(r"vocab\s*="), True)),
    ),
    ("opengraph", (("property", re.compile(r"property\s*=\s*[\"']?og:"), False),)),
)
"""Per syntax, (word, pattern matched where the word starts, word boundary before it) in the
lower-cased page: a case-insensitive search led by ``\\b`` over a whole page costs a
millisecond, ``str.find`` of the word a few microseconds."""
_WORD_CHAR_RE = re.compile(r"\w")


def present_syntaxes(html: str, lowered: str | None = None) -> list[str]:
    """The structured-data syntaxes whose markers occur in the page (cheap text checks)."""
    text = html.lower() if lowered is None else lowered
    return [
        name
        for name, markers in _SYNTAX_MARKERS
        if any(_marker_at(text, *marker) for marker in markers)
    ]


def _marker_at(text: str, word: str, pattern: re.Pattern[str], bounded: bool) -> bool:
    pos = text.find(word)
    while pos != -1:
        boundary = not bounded or pos == 0 or not _WORD_CHAR_RE.match(text, pos - 1)
        if boundary and pattern.match(text, pos):
            return True
        pos = text.find(word, pos + 1)
    return False


def extract_structured(page: Page) -> dict[str, Any]:
    """The page's JSON-LD, microdata, RDFa and Open Graph as extruct reads them (uniform).

    Only the syntaxes the page can contain are asked for: extruct's RDFa parser costs more
    than everything else on a page, and most pages carry none of it. extruct reads the
    page's own tree (parsing the text again cost as much as the page's own parse).
    """
    syntaxes = present_syntaxes(page.text, page.lowered)
    if not syntaxes:
        return {}
    # the page's own tree, not a second parse of its text, unless RDFa is asked: extruct
    # reads that from a tree of its own DOM-like classes
    document = page.root if page.root is not None and "rdfa" not in syntaxes else page.text
    try:
        data: dict[str, Any] = extruct.extract(
            document,
            base_url=page.base_url,
            syntaxes=syntaxes,
            uniform=True,
            errors="ignore",
        )
    except Exception:
        return {}
    return data


def jsonld_documents(page: Page) -> Iterator[Any]:
    """Each ``<script type="application/ld+json">`` parsed as JSON (an unparsable one skipped).

    Directory page objects walk the raw documents themselves: each site nests its businesses
    differently (``@graph``, ``itemListElement``), and extruct's uniform output loses that.
    """
    for script in page.selector.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            yield json.loads(script)
        except ValueError:
            continue


def apply_postal_address(address: Any, lead: Lead) -> None:
    """A JSON-LD ``address`` into ``lead``: "street, city, region postcode" as US directories
    print it, with city, region and postcode kept apart; a plain string is taken as it is."""
    if isinstance(address, dict):
        street = clean_text(str(address.get("streetAddress") or ""))
        city = clean_text(str(address.get("addressLocality") or ""))
        region = clean_text(str(address.get("addressRegion") or ""))
        postcode = clean_text(str(address.get("postalCode") or ""))
        tail = " ".join(p for p in (region, postcode) if p)
        lead.address_raw = ", ".join(p for p in (street, city, tail) if p)
        lead.city, lead.region, lead.postcode = city, region, postcode
    elif isinstance(address, str):
        lead.address_raw = clean_text(address)


def structured_items(page: Page, *, data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every item the page states in JSON-LD, microdata or RDFa, nested ones included."""
    data = extract_structured(page) if data is None else data
    items: list[dict[str, Any]] = []
    for syntax in ("json-ld", "microdata", "rdfa"):
        items.extend(_walk(data.get(syntax, [])))
    for og in data.get("opengraph", []):
        items.append({"@type": "OpenGraph", **og})
    return items


def listed_orgs(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The organisations a page lists: org items not nested inside another org item.

    A directory states its results as an ``ItemList`` of ``LocalBusiness`` items (or one
    microdata item per card); an org's own ``parentOrganization`` or ``brand`` is part of
    that org, not another listed business.
    """
    out: list[dict[str, Any]] = []
    for syntax in ("json-ld", "microdata", "rdfa"):
        _collect_orgs(data.get(syntax, []), out)
    return out


def _collect_orgs(node: Any, out: list[dict[str, Any]]) -> None:
    """The top-most org items under ``node`` appended to ``out``, in order: a module-level
    function, not a recursive closure (a closure that calls itself is a reference cycle,
    left to the garbage collector on every page)."""
    if isinstance(node, dict):
        if _is_org(node):
            out.append(node)
            return
        for value in node.values():
            _collect_orgs(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_orgs(value, out)


def org_name(item: dict[str, Any]) -> str:
    """An org item's name (or legal name)."""
    return _text(item, "name") or _text(item, "legalName")


def org_url(item: dict[str, Any]) -> str:
    """An org item's own URL (its page on the directory, or its website)."""
    for value in _values(item, "url"):
        if isinstance(value, str) and value.startswith(("http://", "https://", "/")):
            return value.strip()
    return ""


def _is_org(item: dict[str, Any]) -> bool:
    return any(t in ORG_TYPES or t.endswith(ORG_SUFFIXES) for t in _types(item))


def _structured_phones(item: dict[str, Any]) -> list[Phone]:
    phones = [Phone(raw=str(v).strip(), label="tel") for v in _values(item, "telephone")]
    phones += [Phone(raw=str(v).strip(), label="fax") for v in _values(item, "faxNumber")]
    return [p for p in phones if isinstance(p.raw, str) and _THREE_DIGITS_RE.search(p.raw)]


def _structured_emails(item: dict[str, Any]) -> list[Email]:
    out: list[Email] = []
    for value in _values(item, "email"):
        if isinstance(value, str):
            out.extend(find_emails(unquote(value)))
    return out


def _structured_address(item: dict[str, Any], lead: Lead) -> None:
    for value in _values(item, "address"):
        if isinstance(value, str) and not lead.address_raw:
            lead.address_raw = clean_text(value)
        elif isinstance(value, dict):
            parts = [
                _text(value, key)
                for key in (
                    "streetAddress",
                    "addressLocality",
                    "addressRegion",
                    "postalCode",
                    "addressCountry",
                )
            ]
            country = value.get("addressCountry")
            if isinstance(country, dict):
                parts[-1] = _text(country, "name")
            joined = ", ".join(p for p in parts if p)
            if joined and not lead.address_raw:
                lead.address_raw = joined
                lead.city = lead.city or parts[1]
                lead.region = lead.region or parts[2]
                lead.postcode = lead.postcode or parts[3]
                lead.country = lead.country or parts[4]


def _structured_person(item: dict[str, Any]) -> Person | None:
    name = _text(item, "name")
    if not name:
        given, family = _text(item, "givenName"), _text(item, "familyName")
        name = " ".join(p for p in (given, family) if p)
    title = _text(item, "jobTitle") or _text(item, "contactType")
    phones = _structured_phones(item)
    emails = _structured_emails(item)
    if not name and not (phones or emails):
        return None
    return Person(name=name or title, title=title, phones=phones, emails=emails)


def apply_structured(items: list[dict[str, Any]], lead: Lead) -> tuple[str, str]:
    """Fill ``lead`` from the page's Organization-like items; returns (org name, brand name)."""
    org_name = ""
    brand = ""
    for item in items:
        types = _types(item)
        if "OpenGraph" in types:
            site = _text(item, "og:site_name") or _text(item, "site_name")
            if site and not re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", site):
                brand = brand or site
            continue
        if "Brand" in types and not brand:
            brand = _text(item, "name")
        if not _is_org(item):
            continue
        org_name = org_name or _text(item, "name") or _text(item, "legalName")
        lead.phones.extend(_structured_phones(item))
        lead.emails.extend(_structured_emails(item))
        _structured_address(item, lead)
        desc = short_description(_text(item, "description"))
        if desc and not lead.description:
            lead.description = desc
        for key in PERSON_KEYS:
            for value in _values(item, key):
                if isinstance(value, dict):
                    person = _structured_person(value)
                    if person is None:
                        continue
                    if key.startswith("contactPoint") and person.name == person.title:
                        lead.phones.extend(person.phones)  # a department line, not a person
                        lead.emails.extend(person.emails)
                    else:
                        lead.people.append(person)
        for value in _values(item, "sameAs"):
            if isinstance(value, str) and value.startswith("http") and value not in lead.social:
                lead.social.append(value)
    return org_name, brand


# --------------------------------------------------------------------------------------
# what the company says it does

DESCRIPTION_LIMIT = 300
"""Characters kept of a description: enough for the Boolean query and the business type."""

_DESCRIPTION_XPATHS = (
    # og:description first: sites write it for sharing, so it is the more deliberate summary
    "//meta[translate(@property, 'OGDESCRIPTN', 'ogdescriptn') = 'og:description']/@content",
    "//meta[translate(@name, 'OGDESCRIPTN', 'ogdescriptn') = 'og:description']/@content",
    "//meta[translate(@name, 'DESCRIPTN', 'descriptn') = 'description']/@content",
)


_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_BEFORE_STOP_RE = re.compile(r"\s+(?=[.,;:!?])")
_WORD_RE = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]")
_THREE_DIGITS_RE = re.compile(r"\d{3}")


def short_description(value: str, *, limit: int = DESCRIPTION_LIMIT) -> str:
    """One tidy line of at most ``limit`` characters, cut at a sentence end or a word."""
    value = clean_text(_TAG_RE.sub(" ", html.unescape(value or "")))
    value = _SPACE_BEFORE_STOP_RE.sub("", value)
    if len(value) <= limit:
        return value
    cut = value[:limit]
    sentence = max(cut.rfind(". "), cut.rfind("。"), cut.rfind("! "), cut.rfind("? "))
    if sentence >= limit // 2:
        return cut[: sentence + 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        return cut[:space].rstrip(" ,;:-–—") + "…"
    return cut + "…"


def page_description(page: Page) -> str:
    """The page's own summary (og:description, then the meta description), shortened.

    A description that only repeats the title or a page word ("Contact us") says nothing
    about the business and is skipped. Read once per page.
    """
    return page.memo("page_description", lambda: _page_description(page))


def _page_description(page: Page) -> str:
    title = clean_text(first_title_text(page)).casefold()
    values = _description_values(page)
    for value in values:
        text = short_description(value)
        letters = _WORD_RE.findall(text)
        if len(letters) < 3 or is_generic_name(text) or text.casefold() == title:
            continue
        return text
    return ""


_DESCRIPTION_TESTS = (
    ("property", str.maketrans("OGDESCRIPTN", "ogdescriptn"), "og:description"),
    ("name", str.maketrans("OGDESCRIPTN", "ogdescriptn"), "og:description"),
    ("name", str.maketrans("DESCRIPTN", "descriptn"), "description"),
)
""":data:`_DESCRIPTION_XPATHS` as (attribute, its ``translate``, the value it must give)."""


def _description_values(page: Page) -> list[str]:
    """What :data:`_DESCRIPTION_XPATHS` select, in their order, from one pass over the
    page's ``<meta>`` elements: each ``//meta`` query walked the whole page (a test holds
    the two together)."""
    root = page.root
    if root is None:  # not parsed as HTML: parsel's own tree answers
        return [v for xpath in _DESCRIPTION_XPATHS for v in page.selector.xpath(xpath).getall()]
    metas = list(root.getroottree().iter("meta"))
    values: list[str] = []
    for attribute, table, wanted in _DESCRIPTION_TESTS:
        for meta in metas:
            value = meta.get(attribute)
            if value is not None and value.translate(table) == wanted:
                content = meta.get("content")
                if content is not None:
                    values.append(content)
    return values
