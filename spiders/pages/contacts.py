"""Text-level finders for contact details: phones, e-mails, labelled values, named people.

Every page object that reads free text (the generic company-website extractor, directory
detail pages, B2B contact pages) uses these, so a trap caught once (an ICP licence number, a
postcode, a price, ``logo@2x.png``) is caught for every source.

They return raw values only: ``Phone.raw`` is the page's own text (extension included) with
the page's own label, ``Email.raw`` the address as written (de-obfuscated, because
enrichment cannot read ``name [at] example [dot] com``). Parsing to E.164 and validation are
enrichment's job (``enrich.phone``, ``enrich.email``).

The finders work on text with line breaks where the page had blocks: a label on the line
before a value ("Telephone" / "020 8551 6580") is how many pages lay out a contact table.

This module is the public face; the finders live apart:

- :mod:`spiders.pages.labels` — normalising, the label vocabulary, ``find_labelled``;
- :mod:`spiders.pages.phones` — ``find_phones``, ``scan_phones``, ``is_masked``;
- :mod:`spiders.pages.emails` — ``find_emails``;
- :mod:`spiders.pages.people` — ``find_people``, ``split_name_title``.
"""

from __future__ import annotations

from spiders.pages.emails import dedupe_emails, find_emails
from spiders.pages.labels import (
    ADDRESS_LABEL_RE,
    ANY_LABEL_RE,
    COMPANY_LABEL_RE,
    EMAIL_LABEL_RE,
    NOT_PHONE_LABELS,
    PERSON_LABEL_RE,
    PHONE_LABELS,
    POSTCODE_LABEL_RE,
    REGISTRATION_LABEL_RE,
    find_labelled,
    normalise,
    phone_label,
)
from spiders.pages.people import (
    CN_SURNAMES,
    NOT_NAME_WORDS,
    ROLE_LOCALS,
    TITLE_WORDS_RE,
    PersonBlock,
    find_people,
    looks_like_name,
    split_name_title,
)
from spiders.pages.phones import (
    PhoneMatch,
    dedupe_phones,
    find_phones,
    is_masked,
    phone_key,
    same_number,
    scan_phones,
)

__all__ = [
    "ADDRESS_LABEL_RE",
    "ANY_LABEL_RE",
    "CN_SURNAMES",
    "COMPANY_LABEL_RE",
    "EMAIL_LABEL_RE",
    "NOT_NAME_WORDS",
    "NOT_PHONE_LABELS",
    "PERSON_LABEL_RE",
    "PHONE_LABELS",
    "POSTCODE_LABEL_RE",
    "REGISTRATION_LABEL_RE",
    "ROLE_LOCALS",
    "TITLE_WORDS_RE",
    "PersonBlock",
    "PhoneMatch",
    "dedupe_emails",
    "dedupe_phones",
    "find_emails",
    "find_labelled",
    "find_people",
    "find_phones",
    "is_masked",
    "looks_like_name",
    "normalise",
    "phone_key",
    "phone_label",
    "same_number",
    "scan_phones",
    "split_name_title",
]
