"""E-mail addresses in free text: plain, mailto:, full-width ＠, obfuscated, masked.

``Email.raw`` is the address as written, de-obfuscated (enrichment cannot read
``name [at] example [dot] com``); placeholders (``you@example.com``) and image names
(``logo@2x.png``) are never returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from leadharvest.items import Email
from spiders.pages.labels import EMAIL_LABEL_RE, line_above, normalise, words

_AT = r"(?:[ \t]?@[ \t]?|[ \t]*[\[({<][ \t]*(?:at|@)[ \t]*[\])}>][ \t]*)"
_AT_WORD = r"[ \t]+at[ \t]+"
_DOT = r"(?:\.|[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*)"
_DOT_WORD = r"[ \t]+dot[ \t]+"
_LOCAL = r"[A-Za-z0-9*][A-Za-z0-9._%+*'-]*"
_LOCAL_MASKED = r"\*+"
_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


def _email_re(at: str, dot: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![A-Za-z0-9._%+*'-])(?P<local>{_LOCAL}|{_LOCAL_MASKED}){at}"
        rf"(?P<domain>{_DOMAIN_LABEL}(?:{dot}{_DOMAIN_LABEL})*{dot}(?P<tld>[A-Za-z]{{2,24}}))"
        r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
        re.IGNORECASE,
    )


_EMAIL_RE = _email_re(_AT, _DOT)
_EMAIL_WORDS_RE = _email_re(f"(?:{_AT}|{_AT_WORD})", f"(?:{_DOT}|{_DOT_WORD})")
_EMAIL_HASH_RE = _email_re(r"[ \t]?#[ \t]?", r"\.")

NOT_EMAIL_TLDS = frozenset(
    words(
        """
        png jpg jpeg gif webp svg bmp ico tif tiff avif css js json xml pdf mp4 webm woff woff2
        ttf eot map php asp aspx html htm
        """
    )
)
PLACEHOLDER_DOMAINS = tuple(
    words(
        """
        example.com example.org example.net domain.com yourdomain your-domain yoursite your-site
        yourcompany yourwebsite mysite.com email.com company.com test.com sentry.io
        sentry.wixpress.com sentry-next.wixpress.com wixpress.com xxx.com xx.com
        """
    )
)
PLACEHOLDER_LOCALS = frozenset(
    words(
        """
        you your yourname your.name name username user email someone john.doe johndoe xxx
        """
    )
)


def _placeholder(local: str, domain: str) -> bool:
    domain = domain.lower()
    # a placeholder domain anywhere in it (equal to it, or its parent's name, holds it too)
    if _PLACEHOLDER_DOMAIN_RE.search(domain):
        # example.com.cn is a real registered domain; only the bare reserved names are fake
        return not _EXAMPLE_COUNTRY_RE.search(domain)
    return local.lower() in PLACEHOLDER_LOCALS and domain.split(".")[0] in _PLACEHOLDER_HOSTS


_PLACEHOLDER_DOMAIN_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDER_DOMAINS))
"""Any of ``PLACEHOLDER_DOMAINS`` inside a text: one search instead of some twenty ``in``
tests (each address of a page is checked)."""
_EXAMPLE_COUNTRY_RE = re.compile(r"\.example\.com\.\w+$")
_PLACEHOLDER_HOSTS = frozenset({"domain", "email", "company", "example", "mail", "website"})


_SPELT_DOT_RE = re.compile(
    r"[ \t]*[\[({<][ \t]*(?:dot|\.)[ \t]*[\])}>][ \t]*|[ \t]+dot[ \t]+", re.IGNORECASE
)
_RETINA_RE = re.compile(r"\d+x", re.IGNORECASE)
"""Compiled once: every address of a page is read through :func:`_email_from`."""


def _email_from(local: str, domain: str) -> Email | None:
    domain = _SPELT_DOT_RE.sub(".", domain)
    local = local.strip("'")
    tld = domain.rsplit(".", 1)[-1].lower()
    if tld in NOT_EMAIL_TLDS:
        return None
    if _RETINA_RE.fullmatch(domain.split(".")[0]):  # logo@2x.png, icon@3x.webp
        return None
    if _placeholder(local, domain):
        return None
    if ".." in local or local.startswith(".") or local.endswith("."):
        return None
    masked = "*" in local or "*" in domain
    return Email(raw=f"{local}@{domain}", masked=masked)


def find_emails(text: str) -> list[Email]:
    """E-mail addresses in free text: plain, mailto:, full-width ＠, obfuscated, masked.

    ``name [at] domain [dot] com`` and ``name(at)domain.com`` are read anywhere; the looser
    ``name at domain dot com`` and ``name#domain.com`` only after an e-mail label, because
    elsewhere they are ordinary prose ("visit us at …") or anchors. Memoised on the text (the
    generic extractor asks about the same lines many times); every call gets fresh objects.
    """
    return [Email(raw=raw, masked=masked) for raw, masked in _found(text)]


def has_email(text: str) -> bool:
    """Whether ``text`` holds an address (``bool(find_emails(text))``, without objects)."""
    return bool(_found(text))


def _found(text: str) -> tuple[tuple[str, bool], ...]:
    return _find_uncached(text) if len(text) > CACHED_TEXT else _find(text)


_MAYBE_RE = MAYBE_EMAIL_RE = re.compile(r"[@＠#aA](?:(?<=[@＠#])|[tT])")
"""What every address form holds somewhere: an @, a #, or "at" in any case (``[@＠#]|at``
under ``re.IGNORECASE``, which takes only "A" and "T" for "a" and "t"), opening with one
character class so that the engine skips to those characters. Public as ``MAYBE_EMAIL_RE``:
the people finder's quick test of a line is held to it."""


def _find_uncached(text: str) -> tuple[tuple[str, bool], ...]:
    if not _MAYBE_RE.search(text):
        return ()
    norm = normalise(text)
    lines = _at_lines(norm)
    if not lines:
        return ()  # "at" inside words ("Watches", "Creation"): no piece of an address
    found: list[tuple[int, Email]] = []
    taken: list[tuple[int, int]] = []

    def overlaps(m: re.Match[str]) -> bool:
        return any(s < m.end() and m.start() < e for s, e in taken)

    def add(m: re.Match[str]) -> None:
        if overlaps(m):
            return
        email = _email_from(m.group("local"), m.group("domain"))
        if email is not None:
            found.append((m.start(), email))
            taken.append(m.span())

    for m in (m for start, end in lines for m in _EMAIL_RE.finditer(norm, start, end)):
        add(m)
    # the "#" pattern's match holds its "#": a text without one (most) skips its search
    loose: tuple[re.Pattern[str], ...] = (
        (_EMAIL_WORDS_RE, _EMAIL_HASH_RE) if "#" in norm else (_EMAIL_WORDS_RE,)
    )
    if len(norm) <= CACHED_TEXT and EMAIL_LABEL_RE.search(norm) is None:
        # a loose match is taken only after a label in its line's prefix or the line above,
        # both slices of ``norm``; the label pattern has no look-behind nor anchor, so a
        # label in a slice is one in ``norm``. A short text without one (a lone address
        # field) skips both searches; a page's text (longer) is not searched whole for it.
        loose = ()
    for regex in loose:
        for m in (m for start, end in lines for m in regex.finditer(norm, start, end)):
            if overlaps(m):
                continue  # the plain address again (the looser patterns take it too)
            line_start = norm.rfind("\n", 0, m.start()) + 1
            prefix = norm[line_start : m.start()]
            above = line_above(norm, line_start) or ""
            if EMAIL_LABEL_RE.search(prefix) or (
                not prefix.strip() and EMAIL_LABEL_RE.search(above)
            ):
                add(m)
    found.sort(key=lambda pair: pair[0])
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for _, email in found:
        key = email.raw.lower()
        if key not in seen:
            seen.add(key)
            out.append((email.raw, email.masked))
    return tuple(out)


_AT_PIECE_RE = re.compile(
    r"[@#\[({< \t](?:(?<=[@#])|(?<=[\[({<])[ \t]*[aA][tT]|(?<=[ \t])[aA][tT][ \t])"
)
"""A piece every match of the three address patterns holds: its "@", its "#", the opening
of its "[at]", or its " at " (``re.IGNORECASE`` takes only "A" for "a" and "T" for "t").
Written as one character class and a look-behind for the kind of piece, so that the
engine skips to the characters that open one instead of trying every piece at every
character (twice as fast on a page's text)."""


def _at_lines(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the lines of ``norm`` holding an ``_AT_PIECE_RE`` piece, in order.

    The address patterns try every word of the text as a local part, several times slower
    than one search for the pieces. No address (nor piece) spans a line break, and a line
    break next to an address reads as the window's edge does (no letter, digit or dot), so
    the patterns find in these windows exactly what they find in the whole text.
    """
    out: list[tuple[int, int]] = []
    end = -1
    for m in _AT_PIECE_RE.finditer(norm):
        if m.start() < end:
            continue  # on the line already taken
        start = norm.rfind("\n", 0, m.start()) + 1
        end = norm.find("\n", m.start())
        end = len(norm) if end < 0 else end
        out.append((start, end))
    return out


_find = lru_cache(maxsize=8192)(_find_uncached)
CACHED_TEXT = 2000
"""Longer texts (a whole page) are read afresh: a crawl must not keep thousands of them."""


def dedupe_emails(emails: Iterable[Email]) -> list[Email]:
    """One entry per address, compared case-insensitively, first spelling kept."""
    out: list[Email] = []
    seen: set[str] = set()
    for email in emails:
        if email.raw.lower() not in seen:
            seen.add(email.raw.lower())
            out.append(email)
    return out
