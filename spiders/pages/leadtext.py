"""One business's contacts read from a block of text: a whole page, or one card of a listing.

The single-page extractor and the listing extractor read contacts the same way, so a number
printed beside a person is that person's in both, and the same traps (ICP numbers, postcodes,
prices) are avoided once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from urllib.parse import unquote

from enrich.address import guess_country
from enrich.phone import region_for
from leadharvest.items import Lead, Person, Phone
from leadharvest.settings import ConfigError, defaults
from spiders.pages.addresses import find_address, find_postcode, find_registration_id
from spiders.pages.emails import dedupe_emails, find_emails
from spiders.pages.labels import is_cjk
from spiders.pages.people import find_people
from spiders.pages.phones import (
    dedupe_phones,
    is_valid_phone,
    match_phones,
    phone_key,
    same_number,
    scan_phones,
)


def fill_contacts(
    lead: Lead,
    text: str,
    *,
    mailtos: Sequence[str] = (),
    not_names: frozenset[str] = frozenset(),
    region: str = "",
    read_address: tuple[str, str] | None = None,
) -> str:
    """Add the people, phones, e-mails, address, postcode and registration id ``text`` holds.

    ``mailtos`` are the ``href`` values of the block's ``mailto:`` links (an address that is
    only in the link). ``region`` is the country local numbers are written in; by default
    the lead's country, the address's, the website's ccTLD or the configured default.
    ``read_address`` is ``find_address(text)`` when the caller has already read it.
    Returns the line that heads an English address block (the business's name, often), for
    the name candidates.

    Phones are read twice: the scanner (labels, traps), then libphonenumber's matcher on the
    lines the scanner found nothing on (an unlabelled ``9876 5432`` in Hong Kong). A number
    the scanner labelled only from an initial on the line above is kept when it is valid.
    """
    blocks = find_people(text, not_names=not_names)
    person_lines: set[int] = set()
    for block in blocks:
        add_person(lead.people, block.person)
        person_lines.update(range(block.first_line, block.last_line + 1))
    taken_emails = {e.raw.lower() for p in lead.people for e in p.emails}
    address, org_line = read_address if read_address is not None else find_address(text)
    region = region or contact_region(lead, address)
    line_starts = _line_starts(text)
    scanned = scan_phones(text)
    for match in scanned:
        if _line_of(line_starts, match.start) in person_lines and _owned(lead.people, match.phone):
            continue
        if match.weak and not is_valid_phone(match.phone.raw, region):
            continue
        lead.phones.append(match.phone)
    for match in match_phones(text, region, skip=[(m.start, m.end) for m in scanned]):
        if _line_of(line_starts, match.start) not in person_lines:
            lead.phones.append(match.phone)
    lead.phones = dedupe_phones(lead.phones)
    lead.emails.extend(e for e in find_emails(text) if e.raw.lower() not in taken_emails)
    for href in mailtos:
        mailbox = unquote(href.split(":", 1)[1].split("?", 1)[0]).strip()
        lead.emails.extend(e for e in find_emails(mailbox) if e.raw.lower() not in taken_emails)
    lead.emails = dedupe_emails(lead.emails)
    for person in lead.people:
        person.phones = dedupe_phones(person.phones)

    if not lead.address_raw:
        lead.address_raw = address
    lead.postcode = lead.postcode or find_postcode(text, lead.address_raw)
    lead.registration_id = lead.registration_id or find_registration_id(text)
    lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
    return org_line


def contact_region(lead: Lead, address: str = "") -> str:
    """The region a lead's local numbers are read in.

    Its country, else its address's, else its website's ccTLD, else the configured default
    (``config/defaults.toml`` ``region``): what ``enrich.phone`` will parse them in.
    """
    country = lead.country or _address_country(lead.address_raw or address)
    probe = Lead(name="", country=country, website=lead.website, domain=lead.domain)
    return region_for(probe, _default_region())


_CJK_SAR_RE = re.compile(r"(?:中国|中國)?(?:香港|澳门|澳門|台湾|台灣)")


@lru_cache(maxsize=4096)
def _address_country(address: str) -> str:
    """The country an address names; a mainland street named after Hong Kong stays CN.

    ``青岛市市南区香港中路100号`` names 香港 but is in Qingdao: a Chinese address is in
    Hong Kong, Macau or Taiwan only when it starts with the name. Cached: reading the
    address is a full parse, and every card of a listing and both passes of a page ask.
    """
    country = guess_country(address)
    text = address.strip()
    if country in {"HK", "MO", "TW"} and is_cjk(text[:1]) and not _CJK_SAR_RE.match(text):
        return "CN"
    return country


def _default_region() -> str:
    return _configured_region(os.environ.get("LEADHARVEST_CONFIG", ""))


@cache
def _configured_region(config: str) -> str:
    """The default region of one configuration folder (read once: every card asks)."""
    try:
        return str(defaults().get("region", ""))
    except ConfigError:
        return ""


def has_contacts(lead: Lead) -> bool:
    """Whether a lead says how to reach the business (a number, an address, a person)."""
    return bool(lead.phones or lead.emails or lead.people or lead.address_raw)


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


def add_person(people: list[Person], person: Person) -> None:
    """Add a person, merging one listed twice (under two departments) into one entry."""
    for known in people:
        if known.name.casefold() == person.name.casefold():
            if person.title and person.title not in known.title:
                known.title = f"{known.title}, {person.title}" if known.title else person.title
            known.phones.extend(person.phones)
            known.emails = dedupe_emails([*known.emails, *person.emails])
            return
    people.append(person)
