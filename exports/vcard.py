"""vCard export: one card per contact person, or per company when a lead names nobody.

Phones and address books import vCards, not CSV, and a trainee often wants the A leads on
their phone. vCard 4.0 (RFC 6350) is the default; ``--vcard-version 3.0`` (RFC 2426) is for
older address books (Outlook, older Android) that refuse 4.0.

A card is a line-based text format, so a scraped value with a newline or a semicolon could
add properties or shift the fields of ORG/ADR/N ("vCard injection"). Every value therefore
goes through :func:`exports.cells.safe_text` (the same neutralising as every other export,
because cards are turned back into spreadsheets by address books) and is then escaped as
the RFC says: backslash, comma, semicolon and newline. Parameters are never built from
scraped text. Lines are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from exports.cells import safe_text, safe_url
from exports.columns import all_emails, check_lang, sort_leads
from exports.crm import (
    CrmProfile,
    RowContext,
    description,
    named_people,
    phones_of,
    split_name,
    usable_emails,
)
from leadharvest.items import Lead, Person

VERSIONS = ("4.0", "3.0")
CATEGORY = "Unverified lead"
PRODID = "-//LeadHarvest//vCard export//EN"
_NAMESPACE = uuid.UUID("6f1d2c3e-2b7a-4c55-9a36-1e0c8c1f7a01")
_PROFILE = CrmProfile(name="vcard", title="vCard", columns=(), row_per="person")
"""Row rules shared with the CRM files: per person, ISO dates, ``ext.`` extensions."""

_TEL_TYPES = {"mobile": "cell", "fax": "fax"}


def escape(value: object) -> str:
    """A TEXT value made safe for a content line: neutralised, then RFC-escaped."""
    text = safe_text(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _uri(url: str) -> str:
    """A URI value: no escaping applies to it, so characters that would end it are encoded."""
    return quote(url, safe=":/?#[]@!$&'()*+=%-._~")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 6350 3.2), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def card_lines(ctx: RowContext, version: str = "4.0") -> list[str]:
    """The unfolded content lines of one card."""
    lead, person = ctx.lead, ctx.person
    v4 = version == "4.0"
    company = lead.name.strip()
    name = person.name.strip() if person else ""
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]
    if v4:
        lines.append("KIND:" + ("individual" if person else "org"))
    elif not person:
        lines.append("X-ADDRESSBOOKSERVER-KIND:org")  # Apple's 3.0 spelling of KIND:org
    lines.append("FN:" + escape(name or company or "(unknown)"))
    if person:
        first, last = split_name(name)
        lines.append(f"N:{escape(last)};{escape(first)};;;")
    elif not v4:
        lines.append("N:;;;;")  # N is required in 3.0
    if company:
        lines.append("ORG:" + escape(company))
    if person and person.title.strip():
        lines.append("TITLE:" + escape(person.title.strip()))
    for phone in phones_of(ctx):
        kind = _TEL_TYPES.get(phone.type, "voice")
        ext = phone.extension
        if v4:
            value = f"tel:{phone.e164}" + (f";ext={ext}" if ext else "")
            lines.append(f"TEL;VALUE=uri;TYPE=work,{kind}:{value}")
        else:
            value = escape(f"{phone.e164}" + (f" ext. {ext}" if ext else ""))
            lines.append(f"TEL;TYPE=WORK,{kind.upper()}:{value}")
    for address in _emails(ctx):
        lines.append(("EMAIL;TYPE=work:" if v4 else "EMAIL;TYPE=INTERNET,WORK:") + escape(address))
    url = safe_url(lead.website)
    if url:
        lines.append("URL:" + _uri(url))
    street = lead.address_raw.strip()
    if street or lead.city or lead.postcode or lead.country:
        parts = ["", "", street, lead.city, lead.region, lead.postcode, lead.country]
        lines.append(("ADR;TYPE=work:" if v4 else "ADR;TYPE=WORK:") + ";".join(map(escape, parts)))
    lines.append("NOTE:" + escape(description(ctx)))
    lines.append("CATEGORIES:" + escape(CATEGORY))
    key = f"{lead.lead_id or company}/{name}"
    lines.append(f"UID:urn:uuid:{uuid.uuid5(_NAMESPACE, key)}")
    lines.append("END:VCARD")
    return lines


def _emails(ctx: RowContext) -> list[str]:
    """The person's own addresses; the company's go on its first card only, so a phone
    book does not merge two people through a shared info@ address."""
    own = usable_emails(ctx.person.emails) if ctx.person else []
    shared = usable_emails(all_emails(ctx.lead)) if ctx.first else []
    return list(dict.fromkeys(e.address or "" for e in [*own, *shared] if e.address))


def vcards(leads: Iterable[Lead], *, version: str = "4.0", lang: str = "en") -> list[str]:
    """The cards, each a string with CRLF line ends, best grades first."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {', '.join(VERSIONS)}, got {version!r}")
    check_lang(lang)
    cards: list[str] = []
    for lead in sort_leads(leads):
        people: list[Person | None] = list(named_people(lead)) or [None]
        for index, person in enumerate(people):
            ctx = RowContext(lead, person, index == 0, _PROFILE, lang)
            cards.append("".join(fold(line) + "\r\n" for line in card_lines(ctx, version)))
    return cards


def write_vcard(
    leads: Iterable[Lead], path: Path, *, version: str = "4.0", lang: str = "en"
) -> tuple[Path, int]:
    """Write a .vcf file (UTF-8, no BOM); returns the path and the number of cards."""
    cards = vcards(leads, version=version, lang=lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(cards).encode("utf-8"))
    return path, len(cards)
