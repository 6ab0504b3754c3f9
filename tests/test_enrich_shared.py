"""Shared contacts: a number on many different companies is a directory's, not theirs."""

from __future__ import annotations

from enrich.pipeline import enrich_lead
from enrich.shared import flag_shared_contacts
from leadharvest.items import Email, Lead, Person, Phone

HOTLINE = "400-800-1234"  # a directory's call centre, printed on every listing
HOTLINE_E164 = "+864008001234"


def lead(name: str, *phones: str, emails: tuple[str, ...] = ()) -> Lead:
    return enrich_lead(
        Lead(
            name=name,
            phones=[Phone(raw=p) for p in phones],
            emails=[Email(raw=e) for e in emails],
        ),
        region="CN",
    )


def test_a_number_on_more_companies_than_the_limit_is_shared() -> None:
    leads = [lead(f"公司{n}号贸易", HOTLINE, f"0755-8600 12{n:02d}") for n in range(4)]
    shared = flag_shared_contacts(leads, limit=3)
    assert shared == {f"phone:{HOTLINE_E164}": 4}
    for item in leads:
        hotline, own = item.phones
        assert hotline.shared is True
        assert own.shared is False  # each company's own line stays its own


def test_one_business_on_many_pages_is_one_company() -> None:
    # the same firm on its site and three directories, in both scripts: one company
    names = [
        "深圳市光影数码科技有限公司",
        "（深圳）光影數碼科技",
        "光影数码科技",
        "深圳光影数码科技",
    ]
    leads = [lead(n, "0755-8600 1234") for n in names]
    assert flag_shared_contacts(leads, limit=3) == {}
    assert not any(p.shared for item in leads for p in item.phones)


def test_at_the_limit_is_not_shared_and_a_rerun_clears_old_flags() -> None:
    leads = [lead(f"Firm {n} Trading", HOTLINE) for n in "ABC"]
    leads[0].phones[0].shared = True  # left over from a bigger batch
    assert flag_shared_contacts(leads, limit=3) == {}
    assert not leads[0].phones[0].shared


def test_emails_and_contact_persons_count_too() -> None:
    leads = [lead(f"Firm {n} Trading", emails=("service@portal.example.com",)) for n in "ABCD"]
    leads[0].people = [Person(name="Li", emails=[leads[0].emails[0]])]
    shared = flag_shared_contacts(leads, limit=3)
    assert shared == {"email:service@portal.example.com": 4}
    assert all(item.emails[0].shared for item in leads)


def test_masked_and_unparsed_numbers_are_ignored() -> None:
    leads = [lead(f"Firm {n} Trading", "139****1234", "not a number") for n in "ABCDE"]
    assert flag_shared_contacts(leads, limit=1) == {}


def test_leads_without_names_count_as_separate_companies() -> None:
    leads = [lead("", HOTLINE) for _ in range(3)]
    assert flag_shared_contacts(leads, limit=2) == {f"phone:{HOTLINE_E164}": 3}


def test_one_setting_for_the_flag_and_for_dedupe() -> None:
    # the contact the sheet flags "shared" is the one dedupe refuses as evidence: one knob
    from dedupe.engine import DedupeSettings
    from enrich.shared import shared_contact_limit

    assert shared_contact_limit() == DedupeSettings.load().shared_contact_limit
