"""E-mail finders: plain, full-width, obfuscated and masked addresses; images and placeholders."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadharvest.items import Email
from spiders.pages import emails
from spiders.pages.emails import dedupe_emails, find_emails, has_email
from spiders.pages.labels import EMAIL_LABEL_RE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mailto:sales@foo.com?subject=hi", ["sales@foo.com"]),
        ("E-mail:luban_jb@sina.com", ["luban_jb@sina.com"]),
        ("Email: Info@Anil-Industries.com.", ["Info@Anil-Industries.com"]),
        ("sales＠foo.cn", ["sales@foo.cn"]),
        ("Email: john [at] foo [dot] co [dot] uk", ["john@foo.co.uk"]),
        ("john(at)foo.com", ["john@foo.com"]),
        ("jane {at} bar (dot) de", ["jane@bar.de"]),
        ("Email: info at foo dot com", ["info@foo.com"]),
        ("邮箱：sales#foo.com.cn", ["sales@foo.com.cn"]),
        ("a@foo.com, b@foo.com; A@FOO.COM", ["a@foo.com", "b@foo.com"]),
        ("联系邮箱：kf@qichacha.com电话", ["kf@qichacha.com"]),
    ],
)
def test_find_emails(text: str, expected: list[str]) -> None:
    assert [e.raw for e in find_emails(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "logo@2x.png",
        "icon@3x.webp banner@2x.jpg",
        "email@domain.com",
        "you@example.com",
        "info@yourdomain.com",
        "name@yoursite.co.uk",
        "605a7baede844d278b89dc95ae0a9123@sentry.wixpress.com",
        "visit us at foo.com",  # "at" without an e-mail label is prose
        "see item#foo.com",  # "#" without an e-mail label is an anchor
        "font-family: Quicksand; family=Playfair+Display:ital,wght@0,400",
    ],
)
def test_find_emails_rejects_images_placeholders_and_prose(text: str) -> None:
    assert find_emails(text) == []


@pytest.mark.parametrize("text", ["***@qq.com", "abc***@163.com", "联系邮箱：1****@qq.com"])
def test_masked_emails(text: str) -> None:
    (email,) = find_emails(text)
    assert email.masked


def test_dedupe_emails_ignores_case_and_keeps_the_first_spelling() -> None:
    emails = [Email(raw="Info@Foo.com"), Email(raw="info@foo.com"), Email(raw="b@foo.com")]
    assert [e.raw for e in dedupe_emails(emails)] == ["Info@Foo.com", "b@foo.com"]


@pytest.mark.parametrize(
    "text",
    [
        "Email: sales@foo.com",
        "sales [at] foo [dot] com",
        "E-mail: sales at foo dot com",
        "you@example.com",
        "logo@2x.png",
        "Tel: 0113 496 0458",
        "",
        "x" * 2500 + " info@foo.com",
    ],
)
def test_has_email_is_whether_find_emails_finds_one(text: str) -> None:
    assert has_email(text) is bool(find_emails(text))


_AT_PIECES_DEFINITION = re.compile(r"[@#]|[\[({<][ \t]*at|[ \t]at[ \t]", re.IGNORECASE)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"@#[({< \tatATxİı\n", " at ", "( AT", "<at>"]), max_size=20))
def test_at_pieces_are_the_case_blind_definitions(parts: list[str]) -> None:
    text = "".join(parts)
    found = [m.span() for m in emails._AT_PIECE_RE.finditer(text)]
    assert found == [m.span() for m in _AT_PIECES_DEFINITION.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"@＠#aAtTxİı \n", "at", "AT"]), max_size=12))
def test_the_quick_address_hint_is_the_case_blind_definition(parts: list[str]) -> None:
    text = "".join(parts)
    found = emails._MAYBE_RE.search(text)
    expected = re.search(r"[@＠#]|at", text, re.IGNORECASE)
    assert (found and found.span()) == (expected and expected.span())


def _placeholder_as_defined(local: str, domain: str) -> bool:
    domain = domain.lower()
    if any(
        domain == p or domain.endswith("." + p) or p in domain for p in emails.PLACEHOLDER_DOMAINS
    ):
        return not re.search(r"\.example\.com\.\w+$", domain)
    return local.lower() in emails.PLACEHOLDER_LOCALS and domain.split(".")[0] in {
        "domain",
        "email",
        "company",
        "example",
        "mail",
        "website",
    }


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(["you", "John.Doe", "sales", "EMAIL", "xxx", "info"]),
    st.lists(
        st.sampled_from(
            [
                *"ab.-1",
                *("example", ".com", ".cn", "EXAMPLE.COM", "wixpress", "sentry.io", "mail"),
                *("yourdomain", "xx.com", "domain", "company", "website", "test.com", "email"),
            ]
        ),
        max_size=6,
    ).map("".join),
)
def test_placeholders_are_found_as_defined(local: str, domain: str) -> None:
    assert emails._placeholder(local, domain) == _placeholder_as_defined(local, domain)


@given(
    text=st.lists(
        st.sampled_from(["a", "Z", "1", ".", "@", " ", "\t", "\n", "#", "＃", "com", "x"]),
        max_size=14,
    ).map("".join)
)
@settings(max_examples=2000)
def test_hash_pattern_needs_a_hash(text: str) -> None:
    """The "#" pattern is searched only in a text with a "#": it matches nowhere else."""
    has_hash = "#" in text
    assert emails._EMAIL_HASH_RE.search(text) is None or has_hash


_LOOSE_TEXTS = st.lists(
    st.sampled_from(
        [
            *("a", "Z", "1", ".", "@", " ", "\t", "\n", "#", "-", ":", "：", "com", "x.org"),
            *(" at ", " dot ", "[at]", "(dot)", "<AT>", "{.}", "Email", "e-mail", "MAIL"),
            *(" mail ", "邮箱", "邮 箱", "信箱", "courriel", "info", "sales"),
        ]
    ),
    max_size=16,
).map("".join)


@given(text=_LOOSE_TEXTS)
@settings(max_examples=3000)
def test_loose_passes_skipped_only_where_they_add_nothing(text: str) -> None:
    """A short text without an e-mail label finds what it finds with the loose passes run."""
    fast = emails._find_uncached(text)
    cached_text = emails.CACHED_TEXT
    emails.CACHED_TEXT = -1  # every text "long": the loose passes always run
    try:
        assert fast == emails._find_uncached(text)
    finally:
        emails.CACHED_TEXT = cached_text


@given(text=_LOOSE_TEXTS, cut=st.tuples(st.integers(0, 80), st.integers(0, 80)))
def test_a_label_in_a_slice_is_one_in_the_text(text: str, cut: tuple[int, int]) -> None:
    """The label search of a line's prefix or the line above (slices) finds one in the text."""
    piece = text[min(cut) : max(cut)]
    assert EMAIL_LABEL_RE.search(piece) is None or EMAIL_LABEL_RE.search(text) is not None
