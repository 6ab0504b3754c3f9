"""The generic extractor for company websites (the e-mail method, 电子邮件法).

Every host that is not in the source catalogue is some small business's own site, so this
page object has to read any contact / about / 联系我们 page, English or Chinese, without
knowing its markup. It works in two passes:

1. structured data (extruct: JSON-LD, microdata, RDFa, Open Graph), which when present is
   the site's own statement of its name, phones and address;
2. the visible text, laid out one line per block element, read with the finders in
   :mod:`spiders.pages.contacts` (labels, phones, e-mails, people) and the page-level
   readers beside this module: :mod:`~spiders.pages.blocktext` (lines, table header rows),
   :mod:`~spiders.pages.structured` (structured data, the meta description),
   :mod:`~spiders.pages.names` (the organisation's name), :mod:`~spiders.pages.addresses`
   and :mod:`~spiders.pages.links` (contact pages, social profiles).

One page is one lead: the site's organisation. Named staff go into ``lead.people`` with
their own numbers and e-mails (a number printed next to a person is theirs; the rest are the
business's). Branch or agent contacts on the same page are kept as people too, because the
organisation is still one business. A page with no contact details yields no lead (status
"ok"); a challenge page is "blocked".
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from leadharvest.items import Lead, Person, Phone
from spiders.pages.addresses import find_address, find_postcode, find_registration_id
from spiders.pages.base import Page, PageExtraction, PageParser, detect_block
from spiders.pages.blocktext import block_text, table_header_cells
from spiders.pages.emails import dedupe_emails, find_emails
from spiders.pages.labels import COMPANY_LABEL_RE, find_labelled, normalise
from spiders.pages.links import contact_links, site_domain, site_home, social_links
from spiders.pages.names import (
    CN_COMPANY_RE,
    LEGAL_SUFFIX_RE,
    NameSource,
    choose_name,
    copyright_name,
    logo_name,
    title_name,
)
from spiders.pages.people import find_people
from spiders.pages.phones import dedupe_phones, phone_key, same_number, scan_phones
from spiders.pages.structured import apply_structured, page_description, structured_items

__all__ = ["GenericPage", "block_text"]


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
        domain = site_domain(website)
        lead = Lead(name="", website=website)
        org_name, brand = apply_structured(structured_items(page), lead)
        lead.description = lead.description or page_description(page)

        # people first: a number printed beside a person is theirs, not the switchboard's
        blocks = find_people(text, not_names=table_header_cells(page))
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
        lead.emails = dedupe_emails(lead.emails)
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
        """Who the site belongs to, from the most to the least explicit statement of it.

        Structured data beats everything the text says; the ``<title>`` comes last, and
        page-title words ("Our Team", "联系我们") are never a name: with nothing better the
        name is the domain.
        """
        candidates: list[tuple[int, str]] = [(NameSource.STRUCTURED, org_name)]
        candidates += [
            (NameSource.LABELLED, v)
            for _, v in find_labelled(text, COMPANY_LABEL_RE)
            if len(v) <= 60
        ]
        candidates.append((NameSource.COPYRIGHT, copyright_name(text)))
        cn = [m.group(0) for m in CN_COMPANY_RE.finditer(normalise(text)) if len(m.group(0)) >= 6]
        candidates += [(NameSource.CHINESE_COMPANY, c) for c in cn[:3]]
        candidates.append((NameSource.SITE_NAME, brand))
        candidates.append((NameSource.LOGO, logo_name(page, domain=domain)))
        candidates.append((NameSource.ADDRESS_HEAD, org_line))
        for line in text.split("\n"):
            line = line.strip()
            legal = LEGAL_SUFFIX_RE.search(line)
            if (
                len(line) <= 60
                and legal
                and legal.start() > 0  # a name ends with its legal form: not "Trading hours"
                and not re.search(r"\bby\b|powered|design|develop|\d{3}|@|copyright|©", line, re.I)
                and re.match(r"[A-Z0-9]", line)
            ):
                candidates.append((NameSource.LEGAL_LINE, line.rstrip(" ,")))
        candidates.append((NameSource.TITLE, title_name(page, domain=domain)))
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


def _add_person(people: list[Person], person: Person) -> None:
    """Add a person, merging one listed twice (under two departments) into one entry."""
    for known in people:
        if known.name.casefold() == person.name.casefold():
            if person.title and person.title not in known.title:
                known.title = f"{known.title}, {person.title}" if known.title else person.title
            known.phones.extend(person.phones)
            known.emails = dedupe_emails([*known.emails, *person.emails])
            return
    people.append(person)
