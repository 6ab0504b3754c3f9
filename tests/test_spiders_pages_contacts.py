"""The public face of the text finders: every name other parsers import is re-exported."""

from __future__ import annotations

import spiders.pages.contacts as contacts
from spiders.pages import emails, labels, people, phones


def test_every_exported_name_is_the_finders_own_object() -> None:
    homes = (labels, phones, emails, people)
    for name in contacts.__all__:
        obj = getattr(contacts, name)
        owners = [mod for mod in homes if getattr(mod, name, None) is obj]
        assert owners, name


def test_names_other_parsers_import() -> None:
    from spiders.pages.contacts import find_emails, find_labelled, find_phones, is_masked

    assert find_phones is phones.find_phones
    assert find_emails is emails.find_emails
    assert is_masked is phones.is_masked
    assert find_labelled is labels.find_labelled


def test_finders_work_through_the_facade() -> None:
    text = (
        "联 系 人：王先生 销售经理\n手 机：13900001111\nE-mail：wang@foo.cn\n电话：0755-8888 1234"
    )
    assert [p.raw for p in contacts.find_phones(text)] == ["13900001111", "0755-8888 1234"]
    assert [e.raw for e in contacts.find_emails(text)] == ["wang@foo.cn"]
    (block,) = contacts.find_people(text)
    assert (block.person.name, block.person.title) == ("王先生", "销售经理")
