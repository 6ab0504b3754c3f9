"""Shared contacts: a phone or e-mail that many different companies show.

A directory prints its own call centre on every listing, an agent lists one mobile for the
twenty factories it represents, a B2B portal gives every shop the same service address. Such
a number reaches the directory, not the business, so a trainee should not call it as the
company's line, and it is no evidence that two companies are one. This looks at a whole
job's leads at once (one listing cannot tell), after enrichment and before dedupe, and
flags those contacts (``Phone.shared`` / ``Email.shared``); the value itself is kept.

Dedupe makes the same judgement internally for its own matching; this makes it visible on
the lead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from enrich.name import normalise_name
from leadharvest.items import Email, Lead, Phone
from leadharvest.settings import ConfigError, load_toml

DEFAULT_LIMIT = 3
"""More companies than this on one contact make it shared, when the caller gives no limit."""


def shared_contact_limit() -> int:
    """``[shared] shared_contact_limit`` in config/dedupe.toml (3 when not set).

    One setting for both uses: the contact a lead sheet flags ``shared`` is exactly the one
    dedupe refuses as evidence of a match, so the two can never disagree.
    """
    try:
        value = load_toml("dedupe.toml").get("shared", {}).get("shared_contact_limit")
    except ConfigError:
        return DEFAULT_LIMIT
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"dedupe.toml: shared.shared_contact_limit must be a whole number >= 1, not {value!r}"
        )
    return value


def _contacts(lead: Lead) -> Iterator[tuple[str, Phone | Email]]:
    for phone in [*lead.phones, *(p for person in lead.people for p in person.phones)]:
        if phone.e164 and not phone.masked:
            yield f"phone:{phone.e164}", phone
    for email in [*lead.emails, *(e for person in lead.people for e in person.emails)]:
        if email.address and email.valid and not email.masked:
            yield f"email:{email.address.lower()}", email


def flag_shared_contacts(leads: Sequence[Lead], *, limit: int | None = None) -> dict[str, int]:
    """Flag (in place) every phone and e-mail seen on more than ``limit`` different companies.

    Companies are told apart by their name key, so one business listed on its own site and
    three directories counts once; a lead without a name counts as a company of its own.
    Returns the shared contacts (``phone:+86…`` / ``email:…``) with how many companies show
    each. A contact under the limit is set back to not shared, so a re-run gives the same
    flags.
    """
    limit = shared_contact_limit() if limit is None else limit
    companies: dict[str, set[str]] = defaultdict(set)
    for index, lead in enumerate(leads):
        company = lead.normalized_name or normalise_name(lead.name) or f"#{index}"
        for key, _ in _contacts(lead):
            companies[key].add(company)
    shared = {key: len(names) for key, names in companies.items() if len(names) > limit}
    for lead in leads:
        for key, contact in _contacts(lead):
            contact.shared = key in shared
    return shared
