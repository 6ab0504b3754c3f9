"""The generic extractor for company websites (the e-mail method, 电子邮件法).

Every host that is not in the source catalogue is some small business's own site, so this
page object has to read any contact / about / 联系我们 page, English or Chinese, without
knowing its markup. It works in two passes:

1. structured data (extruct: JSON-LD, microdata, RDFa, Open Graph), which when present is
   the site's own statement of its name, phones and address;
2. the visible text, laid out one line per block element, read with the finders in
   :mod:`spiders.pages.contacts` (labels, phones, e-mails, people) and a few page-level
   heuristics here (the organisation's name, the address block, contact links).

One page is one lead: the site's organisation. Named staff go into ``lead.people`` with
their own numbers and e-mails (a number printed next to a person is theirs; the rest are the
business's). Branch or agent contacts on the same page are kept as people too, because the
organisation is still one business. A page with no contact details yields no lead (status
"ok"); a challenge page is "blocked".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import cache
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import extruct
import tldextract
from lxml import etree

from leadharvest.items import Email, Lead, Person, Phone
from spiders.pages.base import Link, Page, PageExtraction, PageParser, clean_text, detect_block
from spiders.pages.contacts import (
    ADDRESS_LABEL_RE,
    ANY_LABEL_RE,
    COMPANY_LABEL_RE,
    POSTCODE_LABEL_RE,
    REGISTRATION_LABEL_RE,
    dedupe_phones,
    find_emails,
    find_labelled,
    find_people,
    normalise,
    phone_key,
    same_number,
    scan_phones,
)

# --------------------------------------------------------------------------------------
# the page as lines of text


def _words(text: str) -> list[str]:
    """A word list written as one block of text, so long vocabularies stay readable."""
    return text.split()


BLOCK_TAGS = frozenset(
    _words(
        """
        address article aside blockquote body br caption center dd details dialog div dl dt
        fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre
        section summary table tbody td tfoot th thead tr ul option
        """
    )
)
SKIP_TAGS = frozenset(
    _words(
        """
        script style noscript template head title iframe svg textarea select object embed canvas
        button input
        """
    )
)
SPACED_TAGS = frozenset({"a", "img", "label"})


def block_text(page: Page) -> str:
    """The visible text with a line break at every block element and ``<br>``.

    ``Page.visible_text`` breaks at every text node, which splits "<b>Phone:</b> 0755…" in two;
    here inline markup stays on one line, so a label and its value read together.
    """
    root = page.selector.root
    if not isinstance(root.tag, str):
        return page.visible_text
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(_collapse(el.text))
        else:
            if tag and tag not in SKIP_TAGS:
                if tag in BLOCK_TAGS:
                    parts.append("\n")
                elif tag in SPACED_TAGS:
                    parts.append(" ")
            if el.tail:
                parts.append(_collapse(el.tail))
    return clean_text("".join(parts), keep_newlines=True)


def _collapse(value: str) -> str:
    """HTML whitespace rules: a source line break inside a text node is just a space."""
    return re.sub(r"[ \t\r\n\f]+", " ", value)


# --------------------------------------------------------------------------------------
# registered domains


RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})


@cache
def _extractor() -> tldextract.TLDExtract:
    """Offline: the bundled suffix list, never a download."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url_or_host: str) -> str:
    """``e-zjs.com`` for ``http://www.e-zjs.com/lxwm.htm``; handles ``.com.cn``, ``.co.uk``.

    Hosts under the reserved ``.example`` / ``.test`` / ``.invalid`` / ``.localhost`` names
    (the practice web) are not in the suffix list; their registered domain is the last two
    labels.
    """
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    host = (host or "").lower().strip(".")
    if not host:
        return ""
    labels = host.split(".")
    if labels[-1] in RESERVED_TLDS:
        return ".".join(labels[-2:])
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


# --------------------------------------------------------------------------------------
# structured data

ORG_TYPES = frozenset(
    _words(
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


def structured_items(page: Page) -> list[dict[str, Any]]:
    """Every item the page states in JSON-LD, microdata or RDFa, nested ones included."""
    try:
        data = extruct.extract(
            page.text,
            base_url=page.base_url,
            syntaxes=["json-ld", "microdata", "rdfa", "opengraph"],
            uniform=True,
            errors="ignore",
        )
    except Exception:
        return []
    items: list[dict[str, Any]] = []
    for syntax in ("json-ld", "microdata", "rdfa"):
        items.extend(_walk(data.get(syntax, [])))
    for og in data.get("opengraph", []):
        items.append({"@type": "OpenGraph", **og})
    return items


def _is_org(item: dict[str, Any]) -> bool:
    return any(t in ORG_TYPES or t.endswith(ORG_SUFFIXES) for t in _types(item))


def _structured_phones(item: dict[str, Any]) -> list[Phone]:
    phones = [Phone(raw=str(v).strip(), label="tel") for v in _values(item, "telephone")]
    phones += [Phone(raw=str(v).strip(), label="fax") for v in _values(item, "faxNumber")]
    return [p for p in phones if isinstance(p.raw, str) and re.search(r"\d{3}", p.raw)]


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
        desc = _text(item, "description")
        if desc and not lead.description:
            lead.description = desc[:500]
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
# the organisation's name

CN_COMPANY_RE = re.compile(
    r"[\u4e00-\u9fff()（）·]{2,40}?(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|工厂|厂|商行|经营部|工作室|研究所|事务所)(?![政家商房区长])"
)
LEGAL_SUFFIX_RE = re.compile(
    r"\b(?:Ltd|Limited|Inc|Incorporated|LLC|L\.L\.C|LLP|PLC|Corp|Corporation|Co|Company|GmbH|AG|KG|"
    r"S\.?A|S\.?L|S\.?r\.?l|B\.?V|N\.?V|Pty|Pvt|Bhd|Sdn|Oy|AB|A/S|SAS|SARL|Industries|Wholesale|"
    r"Manufacturing|Trading|Enterprises?|Group|Holdings)\b\.?",
    re.IGNORECASE,
)
GENERIC_TITLE_RE = re.compile(
    r"^(?:contact(?:\s+us)?|contacts?|get in touch|about(?:\s+us)?|home(?:\s*page)?|welcome|"
    r"联系我们|联系方式|關於我們|关于我们|公司简介|首页|首頁|网站首页|company profile|profile|"
    r"impressum|kontakt|official (?:web)?site|index)$",
    re.IGNORECASE,
)
_STRONG_SUFFIX_RE = re.compile(
    r"\b(?:Ltd\.?|Limited|Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|PLC|Corp\.|Corporation|GmbH|"
    r"Pty\.? Ltd\.?|S\.A\.|S\.L\.|S\.r\.l\.|B\.V\.|Sdn\.? Bhd\.?|Pvt\.? Ltd\.?)(?=\s|$)"
)
_COPYRIGHT_RE = re.compile(r"©|\(c\)|&copy;|copyright|版权所有|版權所有", re.IGNORECASE)
_CUT_RE = re.compile(
    r"all\s+rights\s+reserved|版权所有|版權所有|保留所有权利|保留一切权利|\s\|\s|\s[-–—]\s|"
    r"powered\s+by|designed?\s+(?:and\s+developed\s+)?by|developed\s+by|web\s*site\s+by|"
    r"技术支持|技術支持|网站建设|[\u4e00-\u9fff]?ICP|地址|电话|電話|tel\b|e-?mail|"
    r"\bterms\b|\bprivacy\b|site\s*map|disclaimer|\blegal\b|\bcookies?\b",
    re.IGNORECASE,
)


def copyright_name(text: str) -> str:
    """The owner in "© 2014 Foo Ltd. All rights reserved" / "版权所有：某某有限公司"."""
    for line in text.split("\n"):
        m = _COPYRIGHT_RE.search(line)
        if not m:
            continue
        value = normalise(line)
        cn = CN_COMPANY_RE.search(value)
        if cn and ("版权" in value or "版權" in value or _is_cjk_text(value)):
            return cn.group(0).strip("()（）· ")
        value = value[m.start() :]
        value = re.sub(
            r"^(?:\s*(?:©|\(c\)|&copy;|copyright|版权所有|版權所有|版权|版權|[:：,.]|"
            r"(?:19|20)\d\d(?:\s*[-–~]\s*(?:19|20)?\d\d)?|by)\s*)+",
            "",
            value,
            flags=re.IGNORECASE,
        )
        cut = _CUT_RE.search(value)
        if cut:
            value = value[: cut.start()]
        strong = _STRONG_SUFFIX_RE.search(value)
        if strong:
            value = value[: strong.end()]
        value = re.sub(r"\s+in\s+[A-Z][\w .'-]*(?:,\s*[A-Z][\w .'-]*)*\s*$", "", value)
        value = value.strip(" ,;:-–|")
        if not re.search(r"\b(?:Ltd|Inc|Co|Corp|Bros|Pty|Pvt|L\.?L\.?C|S\.A|Ltda)\.$", value):
            value = value.rstrip(". ")
        if (
            2 <= len(value) <= 80
            and re.search(r"[A-Za-z\u4e00-\u9fff]{2}", value)
            and not re.fullmatch(r"(?:the\s+)?(?:company|website|site|all)", value, re.I)
        ):
            return value
    return ""


def _is_cjk_text(value: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", value))


def title_name(page: Page) -> str:
    """The ``<title>`` without "Contact Us" / "联系我们" and similar generic segments."""
    title = clean_text(page.selector.xpath("//title//text()").get() or "")
    if not title:
        return ""
    segments = [s.strip() for s in re.split(r"\s[|｜\-–—_:]\s|[|｜]|--|——|_", title) if s.strip()]
    keep = [s for s in segments if not GENERIC_TITLE_RE.match(s) and len(s) <= 60]
    if not keep:
        return ""
    named = [s for s in keep if LEGAL_SUFFIX_RE.search(s) or CN_COMPANY_RE.search(s)]
    best = named[0] if named else keep[0]
    cn = CN_COMPANY_RE.search(best)
    return cn.group(0) if cn else best


def _domain_similarity(name: str, domain: str) -> float:
    """How much of the domain's name the candidate spells ("Chas & Phil" ~ chasandphil.co.uk)."""
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0].lower())
    squashed = re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))
    if not label or not squashed:
        return 0.0
    match = SequenceMatcher(None, label, squashed).find_longest_match(
        0, len(label), 0, len(squashed)
    )
    return match.size / len(label)


def choose_name(candidates: list[tuple[int, str]], domain: str) -> str:
    """Best candidate: lowest priority number, then closest to the domain, then first found."""
    ranked = [
        (priority, -round(_domain_similarity(name, domain), 1), order, name)
        for order, (priority, name) in enumerate(candidates)
        if name and 2 <= len(name) <= 100
    ]
    if not ranked:
        return ""
    best = min(ranked)[3]
    # "Chas & Phil Wholesale" beats "Chas & Phil Wholesale Jewellery Suppliers": a slogan
    # often trails the name in a copyright line or a title
    best_priority = min(ranked)[0]
    for _, _, _, name in sorted(ranked):
        rest = best[len(name) :] if best.lower().startswith(name.lower() + " ") else ""
        if (
            best_priority >= 2
            and rest
            and len(name.split()) >= 2
            and not LEGAL_SUFFIX_RE.fullmatch(rest.strip(" ,.&"))
        ):
            return name
    return best


# --------------------------------------------------------------------------------------
# address, postcode, registration id

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
_CN_ADDRESS_RE = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:省|市|区|县|縣|區)[\u4e00-\u9fff\d\-·()（）]*?(?:路|街|道|号|號|楼|樓|室|园|園)"
)
_STOP_LINE_RE = re.compile(
    r"^(?:follow us|opening|hours|business hours|map|directions|get in touch|send|submit|"
    r"contact(?: us)?|your enquiry|enquiry|find us|social|share|menu|more info|read more|"
    r"view|details|营业时间|工作时间|地图|详情)\b",
    re.IGNORECASE,
)
POSTCODE_PATTERNS = (
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),  # UK
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),  # Canada
    re.compile(
        r"\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+(\d{5}(?:-\d{4})?)\b"
    ),  # US
    re.compile(r"\b(?:NSW|QLD|VIC|SA|WA|TAS|NT|ACT)\s+(\d{4})\b"),  # Australia
    re.compile(r"[-–]\s*(\d{6})\s*$"),  # India PIN after "DELHI - "
)


def _address_like(line: str, *, first: bool = False) -> bool:
    """Whether a line can be part of an address block (``first``: right under the label)."""
    line = line.strip()
    if not line or len(line) > 80 or _STOP_LINE_RE.match(line):
        return False
    if not re.search(r"[A-Za-z\u4e00-\u9fff]", line) or re.search(r"\d\s*(?:km|mi)\b", line):
        return False
    if find_emails(line) or scan_phones(line):
        return False
    m = ANY_LABEL_RE.match(line)
    if m and re.match(r"\s*[:：]|\s*$", line[m.end() :]):
        return False
    words = line.split()
    return bool(re.search(r"\d|,", line)) or len(words) <= (6 if first else 3)


def _continue_address(lines: list[str], start: int, first: str) -> tuple[str, int]:
    """Join the address lines that follow a label or a street line."""
    parts = [first] if first else []
    j = start
    while j < len(lines) and len(parts) < 7 and _address_like(lines[j]):
        if _is_cjk_text(first) and parts:
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
    for i, line in enumerate(lines):
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
        elif _label_only(line):
            if nxt >= len(lines) or not _address_like(lines[nxt], first=True):
                continue
            value = lines[nxt]
            nxt += 1
            if (
                not re.search(r"\d", value)
                and nxt < len(lines)
                and re.match(r"[\w-]*\d", lines[nxt])
                and not _is_cjk_text(value)
            ):
                org, value = value, lines[nxt]
                nxt += 1
        else:
            continue  # "Address book", a sentence that merely holds the word
        address, _ = _continue_address(lines, nxt, value)
        if len(address) >= 6:
            return address, org
    for i, line in enumerate(lines):
        if _STREET_RE.match(line) and not scan_phones(line):
            address, _ = _continue_address(lines, i + 1, line)
            return address, ""
        if (
            "," in line
            and len(line) <= 140
            and (_STREET_ANYWHERE_RE.search(line) or any(p.search(line) for p in POSTCODE_PATTERNS))
            and not (scan_phones(line) or find_emails(line) or _COPYRIGHT_RE.search(line))
            and not re.search(r"[.!?]\s+[A-Z]", line)
        ):
            head, _, rest = line.partition(",")
            if LEGAL_SUFFIX_RE.search(head) and not re.search(r"\d", head):
                return rest.strip(), head.strip()
            return line, ""
        cn = _CN_ADDRESS_RE.search(line)
        if cn and len(line) <= 60 and not scan_phones(line):
            return line, ""
    return "", ""


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


# --------------------------------------------------------------------------------------
# links

CONTACT_WORDS: tuple[tuple[str, int], ...] = (
    (
        r"联系我们|聯繫我們|联系方式|聯繫方式|contact[\s_-]*us|kontakt|contacto|contato|contatti|impressum",
        10,
    ),
    (r"contact|lxwm|lianxi|get[\s_-]*in[\s_-]*touch|联系|聯繫", 8),
    (
        r"关于我们|關於我們|公司简介|公司簡介|企业简介|公司介绍|company[\s_-]*profile|about[\s_-]*us",
        6,
    ),
    (
        r"about|gsjj|guanyu|gywm|profile|who[\s_-]*we[\s_-]*are|company[\s_-]*info|find[\s_-]*us|location",
        4,
    ),
)
SOCIAL_HOSTS = tuple(
    _words(
        """
        facebook.com linkedin.com twitter.com x.com instagram.com youtube.com weibo.com
        pinterest.com tiktok.com xing.com vk.com
        """
    )
)


def _score(text: str) -> int:
    for pattern, score in CONTACT_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return score
    return 0


def _path_score(url: str) -> int:
    """Score of the URL's own words: a path segment that starts with contact / about / lxwm."""
    parts = urlsplit(url)
    segments = [*unquote(parts.path).split("/"), *re.split(r"[&=]", unquote(parts.query))]
    best = 0
    for segment in segments:
        for pattern, score in CONTACT_WORDS:
            if re.match(rf"(?:{pattern})", segment, re.IGNORECASE):
                best = max(best, score - 1)
    return best


def _same_page(a: str, b: str) -> bool:
    def norm(url: str) -> str:
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        return f"{host}{parts.path.rstrip('/')}?{parts.query}".lower()

    return norm(a) == norm(b)


def contact_links(page: Page, limit: int = 5) -> list[Link]:
    """Same-site links that look like contact / about pages, best first."""
    own = registered_domain(page.url) or registered_domain(page.base_url)
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for order, a in enumerate(page.selector.xpath("//a[@href] | //area[@href]")):
        href = (a.attrib.get("href") or "").strip()
        if not href or re.match(r"(?:mailto|tel|javascript|callto|sms|data):|#", href, re.I):
            continue
        url = urldefrag(page.urljoin(href))[0]
        if not url.startswith(("http://", "https://")):
            continue
        if own and registered_domain(url) != own:
            continue
        if _same_page(url, page.url) or url in seen:
            continue
        label = " ".join(
            [*a.xpath(".//text()").getall(), a.attrib.get("title", ""), a.attrib.get("alt", "")]
        )
        score = max(_score(clean_text(label)), _path_score(url))
        if score:
            seen.add(url)
            scored.append((-score, order, url))
    scored.sort()
    return [Link(url=url, kind="contact") for _, _, url in scored[:limit]]


def social_links(page: Page) -> list[str]:
    """The business's own social profiles (not share buttons)."""
    out: list[str] = []
    for href in page.selector.xpath("//a/@href").getall():
        url = page.urljoin(href)
        host = (urlsplit(url).hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS):
            continue
        if re.search(r"share|sharer|intent/|/plugins/|dialog/|login", url, re.I):
            continue
        if urlsplit(url).path.strip("/") and url not in out:
            out.append(url)
    return out


def site_home(page: Page) -> str:
    """``scheme://host/`` of the site the page belongs to."""
    for url in (page.url, page.base_url):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            return f"{parts.scheme}://{parts.netloc.lower()}/"
    return ""


# --------------------------------------------------------------------------------------
# the page object


class GenericPage(PageParser):
    """Any company's contact / about / 联系我们 page: one lead for the site's organisation."""

    name = "company_website"
    method = "company_website"

    def parse(self, page: Page) -> PageExtraction:
        reason = detect_block(page)
        if reason:
            return self.result("blocked", reason=reason)
        lead = self.extract_lead(page)
        leads = [lead] if lead is not None else []
        return self.result("ok", leads=leads, links=contact_links(page))

    def extract_lead(self, page: Page) -> Lead | None:
        """The site's organisation with everything the page says about reaching it, or None."""
        text = block_text(page)
        website = site_home(page)
        domain = registered_domain(website)
        lead = Lead(name="", website=website)
        org_name, brand = apply_structured(structured_items(page), lead)

        # people first: a number printed beside a person is theirs, not the switchboard's
        blocks = find_people(text)
        person_lines: set[int] = set()
        for block in blocks:
            _add_person(lead.people, block.person)
            person_lines.update(range(block.first_line, block.last_line + 1))
        taken_emails = {e.raw.lower() for p in lead.people for e in p.emails}
        line_starts = _line_starts(text)
        for match in scan_phones(text):
            if _line_of(line_starts, match.start) in person_lines and _owned(
                lead.people, match.phone
            ):
                continue
            lead.phones.append(match.phone)
        lead.phones = dedupe_phones(lead.phones)
        text_emails = [e for e in find_emails(text) if e.raw.lower() not in taken_emails]
        lead.emails.extend(text_emails)
        for href in page.selector.xpath(
            "//a/@href[starts-with(translate(., 'MAILTO', 'mailto'), 'mailto:')]"
        ).getall():
            address = unquote(href.split(":", 1)[1].split("?", 1)[0]).strip()
            for email in find_emails(address):
                if email.raw.lower() not in taken_emails:
                    lead.emails.append(email)
        lead.emails = _dedupe_emails(lead.emails)
        for person in lead.people:
            person.phones = dedupe_phones(person.phones)

        address, org_line = find_address(text)
        if not lead.address_raw:
            lead.address_raw = address
        lead.postcode = lead.postcode or find_postcode(text, lead.address_raw)
        lead.registration_id = lead.registration_id or find_registration_id(text)
        lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
        for url in social_links(page):
            if url not in lead.social:
                lead.social.append(url)

        if not (lead.phones or lead.emails or lead.people or lead.address_raw):
            return None
        lead.name = self.organisation_name(page, text, org_name, brand, org_line, domain)
        return lead

    def organisation_name(
        self, page: Page, text: str, org_name: str, brand: str, org_line: str, domain: str
    ) -> str:
        """Who the site belongs to, from the most to the least explicit statement of it."""
        candidates: list[tuple[int, str]] = [(0, org_name)]
        candidates += [(1, v) for _, v in find_labelled(text, COMPANY_LABEL_RE) if len(v) <= 60]
        candidates.append((2, copyright_name(text)))
        cn = [m.group(0) for m in CN_COMPANY_RE.finditer(normalise(text)) if len(m.group(0)) >= 6]
        candidates += [(3, c) for c in cn[:3]]
        candidates.append((4, brand))
        candidates.append((5, org_line))
        for line in text.split("\n"):
            line = line.strip()
            if (
                len(line) <= 60
                and LEGAL_SUFFIX_RE.search(line)
                and not re.search(r"\bby\b|powered|design|develop|\d{3}|@|copyright|©", line, re.I)
                and re.match(r"[A-Z0-9]", line)
            ):
                candidates.append((6, line.rstrip(" ,")))
        candidates.append((7, title_name(page)))
        return choose_name(candidates, domain) or domain


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _owned(people: list[Person], phone: Phone) -> bool:
    key = phone_key(phone)
    return any(same_number(phone_key(p), key) for person in people for p in person.phones)


def _dedupe_emails(emails: list[Email]) -> list[Email]:
    out: list[Email] = []
    seen: set[str] = set()
    for email in emails:
        if email.raw.lower() not in seen:
            seen.add(email.raw.lower())
            out.append(email)
    return out


def _add_person(people: list[Person], person: Person) -> None:
    """Add a person, merging one listed twice (under two departments) into one entry."""
    for known in people:
        if known.name.casefold() == person.name.casefold():
            if person.title and person.title not in known.title:
                known.title = f"{known.title}, {person.title}" if known.title else person.title
            known.phones.extend(person.phones)
            known.emails = _dedupe_emails([*known.emails, *person.emails])
            return
    people.append(person)
