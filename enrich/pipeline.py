"""Enrich one lead: every normaliser applied in the order the values depend on each other.

Page objects fill only raw values; this is the one place that turns them into the parsed
fields dedupe and grading read. Like a Scrapy item pipeline it fills the lead in place (and
returns it, for chaining), and running it twice gives the same lead, so a re-run job can
enrich stored leads again safely.
"""

from __future__ import annotations

from enrich.address import country_code, parse_address
from enrich.business_type import classify_business
from enrich.domain import normalise_website, registered_domain
from enrich.email import normalise_email
from enrich.name import normalise_name
from enrich.phone import normalise_phone, region_for
from enrich.registration import normalise_registration_id
from leadharvest.items import Email, Lead, Phone
from leadharvest.settings import ConfigError, defaults


def default_region() -> str:
    """``region`` in config/defaults.toml: the last resort for numbers without a country code."""
    try:
        return str(defaults().get("region", "")).upper()
    except ConfigError:
        return ""


def _unique_phones(phones: list[Phone]) -> list[Phone]:
    """One phone per key, first spelling kept, every page that showed it kept in ``sources``."""
    kept: dict[str, Phone] = {}
    for phone in phones:
        key = phone.key or phone.raw.strip()
        if key in kept:
            first = kept[key]
            first.sources = list(dict.fromkeys([*first.sources, *phone.sources]))
            if first.type in ("unknown", "") and phone.type not in ("unknown", ""):
                first.type = phone.type
            first.extension = first.extension or phone.extension
        else:
            kept[key] = phone
    return list(kept.values())


def _unique_emails(emails: list[Email]) -> list[Email]:
    kept: dict[str, Email] = {}
    for email in emails:
        key = email.key
        if key in kept:
            first = kept[key]
            first.sources = list(dict.fromkeys([*first.sources, *email.sources]))
        else:
            kept[key] = email
    return list(kept.values())


def enrich_lead(lead: Lead, *, region: str = "", classify: bool = True) -> Lead:
    """``lead`` with phones, e-mails, website, domain, address parts, registration id, name
    key and type filled in (in place).

    ``region`` is the job's default country for local phone numbers ("" = the configured
    default region); the lead's own country or ccTLD wins over it (``region_for``). Masked
    phones and e-mails are kept, flagged, and set ``lead.masked``. A business type a page
    stated is kept; only "unknown" is classified, and not at all with ``classify=False``
    (the ``dedupe`` command, which never shows it).
    """
    out = lead
    website = normalise_website(out.website)
    out.website = website
    out.domain = registered_domain(website) if website else ""
    out.country = country_code(out.country) or out.country  # one spelling per country
    parts = parse_address(out.address_raw)
    for name in ("country", "region", "city", "postcode", "district"):
        if not getattr(out, name) and getattr(parts, name):
            setattr(out, name, getattr(parts, name))
    where = region_for(out, region or default_region())

    out.phones = _unique_phones([normalise_phone(p, where) for p in out.phones])
    out.emails = _unique_emails([normalise_email(e) for e in out.emails])
    for person in out.people:
        person.phones = _unique_phones([normalise_phone(p, where) for p in person.phones])
        person.emails = _unique_emails([normalise_email(e) for e in person.emails])

    contacts: list[Phone | Email] = [*out.phones, *out.emails]
    for person in out.people:
        contacts.extend([*person.phones, *person.emails])
    out.masked = out.masked or any(c.masked for c in contacts)

    registration = normalise_registration_id(out.registration_id, out.country)
    out.registration_id = registration.value
    out.registration_valid = registration.valid

    out.normalized_name = normalise_name(out.name)
    if classify and out.business_type in ("", "unknown"):
        text = "\n".join(t for t in (out.name, out.products, out.description) if t)
        out.business_type, out.business_type_reason = classify_business(text)
    return out
