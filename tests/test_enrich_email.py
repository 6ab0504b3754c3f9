"""E-mail normalisation: syntax, role and free-mail flags, masked and junk addresses."""

from __future__ import annotations

import pytest

from enrich.email import email_domain, normalise_email
from leadharvest.items import Email


def test_company_role_address() -> None:
    email = normalise_email(Email(raw="mailto:Sales@BrightLens-Optics.example?subject=Quote"))
    assert email.valid is True
    assert email.address == "sales@brightlens-optics.example"
    assert email.role is True
    assert email.free_mail is False


@pytest.mark.parametrize(
    "raw",
    [
        "info@foo.com",
        "sales2@foo.com",
        "info.cn@foo.cn",
        "enquiries@foo.co.uk",
        "客服@foo.cn",
        "销售@例子.中国",
        "noreply@foo.com",
        "webmaster@foo.com",
    ],
)
def test_role_addresses(raw: str) -> None:
    email = normalise_email(Email(raw=raw))
    assert email.valid is True
    assert email.role is True


def test_personal_address_is_not_a_role() -> None:
    email = normalise_email(Email(raw="zhang.wei@foo.com.cn"))
    assert (email.valid, email.role, email.free_mail) == (True, False, False)


@pytest.mark.parametrize(
    "raw",
    [
        "zhang@qq.com",
        "li@163.com",
        "wang@vip.126.com",
        "bob@gmail.com",
        "a@yahoo.co.uk",
        "b@hotmail.fr",
        "c@yandex.ru",
        "d@gmx.de",
        "e@rediffmail.com",
        "f@foxmail.com",
    ],
)
def test_free_mail(raw: str) -> None:
    email = normalise_email(Email(raw=raw))
    assert email.valid is True
    assert email.free_mail is True


def test_obfuscated_address_already_decoded_or_not() -> None:
    assert normalise_email(Email(raw="info@foo.com")).address == "info@foo.com"
    assert normalise_email(Email(raw="info [at] foo [dot] com")).address == "info@foo.com"
    assert normalise_email(Email(raw="ｉｎｆｏ＠ｆｏｏ．ｃｏｍ")).address == "info@foo.com"


@pytest.mark.parametrize(
    "raw", ["logo@2x.png", "not an email", "a..b@c.com", "a@b", "@foo.com", ""]
)
def test_junk_is_invalid(raw: str) -> None:
    email = normalise_email(Email(raw=raw))
    assert email.valid is False
    assert email.address is None


def test_masked_address() -> None:
    email = normalise_email(Email(raw="s***@qq.com"))
    assert (email.masked, email.valid, email.address) == (True, False, None)
    assert email.free_mail is True


def test_email_domain() -> None:
    assert email_domain("Info@Foo.COM.cn") == "foo.com.cn"
    assert email_domain("nothing") == ""
