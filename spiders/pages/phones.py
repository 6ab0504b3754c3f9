"""Phone numbers in free text: each with its label, its extension and where it was found.

Never returns ICP licence numbers, postcodes, dates, year ranges, prices, coordinates,
registration numbers or IDs inside URLs; masked numbers (``139****1234``) come back with
``masked=True``. ``Phone.raw`` is the page's own text; parsing to E.164 is ``enrich.phone``'s.

Two readers: ``scan_phones``, a hand-written scanner that knows labels and traps and needs no
country, and ``match_phones``, libphonenumber's ``PhoneNumberMatcher`` for one region, run
on the lines the scanner found nothing on and held to the scanner's traps and labels: it
knows what a country's unlabelled numbers look like (``9876 5432`` in Hong Kong).
``is_valid_phone`` checks a scanner find whose label is doubtful.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from phonenumbers import (
    Leniency,
    NumberParseException,
    PhoneNumberMatcher,
    PhoneNumberType,
    is_valid_number,
    number_type,
    parse,
)

from leadharvest.items import Phone
from spiders.pages.labels import (
    NOT_PHONE_RE,
    PHONE_LABEL_RE,
    last_phone_label,
    line_above,
    normalise,
    raw_value,
)

_GROUP = r"(?:\(\s?\+?\d{1,5}\s?\)|[\d*]+)"
_SEP = r"(?:[ \t]?[-./][ \t]?|[ \t]{1,2})"
_PHONE_RE = re.compile(
    r"(?<![A-Za-z0-9@/#=&?_.%+*-])"
    r"(?P<num>(?:\+[ \t]?|00)?(?:\(\s?\+?\d{1,5}\s?\)|\d)[\d*]*(?:"
    + _SEP
    + _GROUP
    + r"|(?<=\))[\d*]+"
    + r"|(?:(?<=\+\d)|(?<=\+\d\d)|(?<=\+\d{3}))\(\s?\d{1,5}\s?\))*)"  # +44(0)20 …, +86(10)…
    r"(?P<ext>[ \t]*,?[ \t]*(?:ext\.?|extn\.?|extension|x|#|转|轉|分机|分機|内线|-)"
    r"[ \t]*[:.]?[ \t]*\d{1,5})?"
    r"(?![A-Za-z0-9@*]|\.\d)",
    re.IGNORECASE,
)
_EXT_RE = re.compile(
    r"(?:ext\.?|extn\.?|extension|x|#|转|轉|分机|分機|内线|-)[ \t]*[:.]?[ \t]*(\d{1,5})$", re.I
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|[\w.-]+\.(?:html?|php|aspx?|jsp)\S*", re.I)
_EMAILISH_RE = re.compile(r"[\w.%+*-]+\s?@\s?[\w.-]+")
_URL_HINT_RE = re.compile(r"https?://|www\.|\.(?:html?|php|aspx?|jsp)", re.I)
"""What every ``_URL_RE`` match holds: its opening, or the dot of its page's suffix."""
_AT_RE = re.compile("@")

_DATE_RE = re.compile(
    r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d\d"
    r"|(?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])[-./](?:19|20)\d\d"
)
_YEARS_RE = re.compile(r"(?:19|20)\d\d\s*[-/]\s*(?:(?:19|20)\d\d|\d\d)")
_TIME_RE = re.compile(r"\d{1,2}[.:]\d{2}(?:\s*-\s*\d{1,2}[.:]\d{2})?")
_DECIMAL_RE = re.compile(r"-?\d+\.\d+")
_ZIP4_RE = re.compile(r"\d{5}-\d{4}")


@dataclass
class PhoneMatch:
    """A phone found in a text and where: the generic extractor attributes it by position."""

    phone: Phone
    start: int
    end: int
    labelled: bool = False
    weak: bool = False
    """The label came from an initial on the line above ("Priyanka P."): check the number."""


def is_masked(value: str) -> bool:
    """Whether a directory hid part of a phone or e-mail (``139****1234``, ``***@qq.com``)."""
    return _MASK_RE.search(value) is not None


_MASK_RE = re.compile(r"[*＊●]|(?<![a-wyz])[xX]{3,}")


def _digits(value: str) -> str:
    return _NON_DIGIT_RE.sub("", value)


_NON_DIGIT_RE = re.compile(r"\D")
_DIGIT_RE = re.compile(r"\d")


def _enough_digits(num: str) -> bool:
    """:func:`_shape_ok`'s first test, cheap enough to run before the context is read."""
    digits = len(_DIGIT_RE.findall(num))
    return digits >= 6 and digits + num.count("*") >= 7


def _shape_ok(num: str, labelled: bool) -> bool:
    """Whether the characters look like a phone number and not a date, price or ID."""
    return _base_shape_ok(num) and (labelled or _unlabelled_shape_ok(num))


def _base_shape_ok(num: str) -> bool:
    """:func:`_shape_ok` of a labelled number: what a number must be whatever its context.

    Apart from the unlabelled shapes so that the scan can test it before it reads the
    context (a label, a negative label, a unit), which a number failing it does not need.
    """
    digits = _digits(num)
    stars = num.count("*")
    n = len(digits) + stars
    if len(digits) < 6 or n < 7:
        return False
    limit = 15 + (1 if "(0)" in num.replace(" ", "") else 0) + (2 if num.startswith("00") else 0)
    if len(digits) > limit:
        return False
    core = num.strip()
    # each of the six shapes below holds a "-", ".", "/" or ":" (a number written as one
    # run of digits, as directory fields give them, skips their six matches)
    if "-" in core or "." in core or "/" in core or ":" in core:
        if _DATE_RE.fullmatch(core) or _YEARS_RE.fullmatch(core) or _TIME_RE.fullmatch(core):
            return False
        if _DECIMAL_RE.fullmatch(core) or _ZIP4_RE.fullmatch(core):
            return False
        if _DOTTED_RE.fullmatch(core) and not _DOTTED_PHONE_RE.fullmatch(core):
            return False  # version numbers, 1.2.3.4 addresses
    return not (stars and (len(digits) < 6 or not _THREE_DIGITS_RE.search(num)))


def _unlabelled_shape_ok(num: str) -> bool:
    """Only shapes that are hard to mistake for other numbers: what a number with no label
    must have besides :func:`_base_shape_ok`."""
    digits = _digits(num)
    flat = _FLAT_RE.sub("", num)
    return bool(
        num.startswith(("+", "("))
        or _INTL_00_RE.match(flat)
        or (flat.startswith("0") and len(digits) >= 9 and _GROUP_SEP_RE.search(num))
        or _CN_MOBILE_RE.fullmatch(flat.replace("*", "0"))
        or _TOLL_FREE_RE.fullmatch(num.strip())
        or _AU_1300_RE.fullmatch(num.strip())
        or _NANP_RE.fullmatch(num.strip())
    )


# compiled once: ``re.fullmatch(pattern, …)`` looks each up in the ``re`` cache per call
_DOTTED_RE = re.compile(r"\d+(?:\.\d+){1,}")
_DOTTED_PHONE_RE = re.compile(r"\d{2,4}(?:\.\d{2,4}){2,4}")
_THREE_DIGITS_RE = re.compile(r"\d{3}")
_FLAT_RE = re.compile(r"[ \t.\-/]")
_INTL_00_RE = re.compile(r"00\d")
_GROUP_SEP_RE = re.compile(r"[ \-./)]")
_CN_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_TOLL_FREE_RE = re.compile(r"[48]00[ \-]?\d{3}[ \-]?\d{4}")
_AU_1300_RE = re.compile(r"1[38]00[ \-]?\d{3}[ \-]?\d{3}")
_NANP_RE = re.compile(r"\(?[2-9]\d{2}\)?[ \-.][2-9]\d{2}[ \-.]\d{4}")


@lru_cache(maxsize=8192)
def _negative_context(prefix: str) -> bool:
    """True when the text before a number says it is not a phone (ICP, 邮编, VAT, price …).

    Cached, as :func:`_phone_label` is: the label patterns cost some 10 us on even a short
    text, and a page's text is scanned twice (the content, then the whole page).
    """
    neg = list(NOT_PHONE_RE.finditer(prefix))
    if not neg:
        return False
    pos = list(PHONE_LABEL_RE.finditer(prefix))
    return not pos or neg[-1].start() > pos[-1].start()


def _blank(
    text: str,
    pattern: re.Pattern[str],
    hint: re.Pattern[str],
    run_start: Callable[[str, int, int], int],
) -> str:
    """``text`` with ``pattern``'s matches blanked out, as ``pattern.sub`` would.

    Both patterns open with a run of word characters that the engine retries from every
    letter of every word, a few ms on a page's text; every match holds a ``hint`` match
    (``@``, ``www.``, ``.html``) and starts in the run just before it, at ``run_start``. So
    the pattern is only tried from there: the same matches, the page read once.
    """
    parts: list[str] = []
    done = pos = 0  # text[:done] is copied; no match starts before pos
    while (hit := hint.search(text, pos)) is not None:
        at = hit.start()
        found = None
        for start in range(run_start(text, at, pos), at + 1):
            found = pattern.match(text, start)
            if found is not None:
                break
        if found is None:
            pos = at + 1
            continue
        parts += (text[done : found.start()], " " * (found.end() - found.start()))
        done = pos = found.end()
    return "".join((*parts, text[done:])) if parts else text


def _url_start(text: str, at: int, pos: int) -> int:
    """Where a URL around a hint at ``at`` can start: ``[\\w.-]`` before it, from ``pos``."""
    while at > pos and _url_char(text[at - 1]):
        at -= 1
    return at


def _url_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_.-"  # re's \w: str.isalnum() or "_"


def _email_start(text: str, at: int, pos: int) -> int:
    """Where an address before the ``@`` at ``at`` starts: its run, and one space, before it."""
    end = at - 1 if at - 2 >= pos and text[at - 1].isspace() else at
    start = end
    while start > pos and _email_char(text[start - 1]):
        start -= 1
    return start if start < end else at


def _email_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_.%+*-"


def scan_phones(text: str, *, label: str = "") -> list[PhoneMatch]:
    """Every phone occurrence in ``text`` with its label and offsets (not de-duplicated).

    A number's label is the last phone label between the previous number (or the line start)
    and it; a number alone on its line takes a label-only line just above ("Telephone" /
    "020 8551 6580"); a number after a comma or slash inherits the label of the one before
    it on the same line ("Phone: +91 99999 07396, +91 98116 37149"). ``label`` is the
    default when the text gives none (a directory field already known to hold a phone).

    The generic extractor asks about the same lines many times (is it a value line, prose,
    an address line …), so the scan is memoised on the text; every call gets fresh objects.
    """
    return [
        PhoneMatch(
            Phone(raw=raw, label=plabel, extension=ext, masked=masked), start, end, lab, weak
        )
        for raw, plabel, ext, masked, start, end, lab, weak in _scan(text, label)
    ]


def has_phone(text: str) -> bool:
    """Whether ``text`` holds a phone number (``bool(scan_phones(text))``, without objects).

    A text without six digits (most lines a page is asked about) is answered before the
    cache: the scan would return at once, and the entry would only crowd out real ones.
    """
    return _DIGITS_RE.search(text) is not None and bool(_scan(text, ""))


_Found = tuple[str, str, str, bool, int, int, bool, bool]
CACHED_TEXT = 2000
"""Longer texts (a whole page) are scanned afresh: a crawl must not keep thousands of them."""


def _scan(text: str, label: str) -> tuple[_Found, ...]:
    return _scan_uncached(text, label) if len(text) > CACHED_TEXT else _scan_cached(text, label)


def _scan_uncached(text: str, label: str) -> tuple[_Found, ...]:
    if not _DIGITS_RE.search(text):
        return ()  # fewer than six digits: most lines of a page
    norm, work = _prepare(text)
    out: list[_Found] = []
    last_end = -1
    last_label: str | None = None  # the label of the last number found, when it had one
    for m in _runs(work):
        if m.end() - m.start() < 6 or not _enough_digits(m.group()):
            continue  # its pieces have fewer digits still ("2014", "No. 5"): most runs on a page
        for start, end, ext_text in _split_candidate(work, m):
            num = work[start:end]
            if not _enough_digits(num) or not _base_shape_ok(num):
                continue  # "5 stars", "2 items", "09.30 - 17.30": refused whatever the context
            line_start = work.rfind("\n", 0, start) + 1
            prev_end = line_start
            prev_label = ""
            if out and last_end > line_start:
                prev_end = last_end
                prev_label = last_label or ""
            context = _context(norm, work, start, end + len(ext_text), prev_end, prev_label)
            if context is None:
                continue
            plabel, labelled, weak = context
            if not labelled and label:
                plabel, labelled, weak = label, True, False
            if not labelled and not _unlabelled_shape_ok(num):
                continue
            ext = ""
            em = _EXT_RE.search(ext_text.strip()) if ext_text else None
            if em:
                ext = em.group(1)
            raw_end = end + len(ext_text) if ext else end
            raw = raw_value(text[start:raw_end])
            out.append((raw, plabel, ext, is_masked(num), start, raw_end, labelled, weak))
            last_end, last_label = raw_end, (plabel if labelled else None)
    return tuple(out)


def _runs(work: str) -> Iterator[re.Match[str]]:
    """``_PHONE_RE``'s matches in ``work`` that can hold six digits: those on its lines that do.

    The pattern opens with a look-behind, so the engine tries it at every character of a
    page; a search for six digits on a line skips to the few lines worth it. No match spans
    a line break but through a parenthesis ("(\\n86)"); a text with one is read whole. A
    line's matches are the whole text's (a match cannot start at a line break, and the
    line's end reads as the text's end does), and one on another line has fewer than six
    digits, which the scan drops.
    """
    if "\n" not in work or "(\n" in work or "\n)" in work:
        yield from _PHONE_RE.finditer(work)
        return
    end = -1
    for six in _SIX_ON_A_LINE_RE.finditer(work):
        if six.start() < end or six.lastgroup is None:
            continue  # on the line just read, or a line with fewer than six digits
        start = work.rfind("\n", 0, six.start()) + 1
        end = work.find("\n", six.end())
        end = len(work) if end < 0 else end
        yield from _PHONE_RE.finditer(work, start, end)


_SIX_ON_A_LINE_RE = re.compile(r"\d(?:(?P<six>(?:[^\d\n]*\d){5})|[^\n]*)")
"""Six digits on a line (``six``), else the rest of the line from its first digit: the
search goes on from the next line, not again from each of the line's digits."""


@lru_cache(maxsize=16)
def _prepare(text: str) -> tuple[str, str]:
    """The text normalised, and the same with URLs and e-mail addresses blanked out.

    Cached for a few texts: the matcher reads the page the scanner has just read.
    """
    norm = normalise(text)
    work = _blank(norm, _URL_RE, _URL_HINT_RE, _url_start)
    return norm, _blank(work, _EMAILISH_RE, _AT_RE, _email_start)


def _context(
    norm: str, work: str, start: int, end: int, prev_end: int, prev_label: str
) -> tuple[str, bool, bool] | None:
    """(label, labelled, weak) the text around ``work[start:end]`` gives a number.

    None when the text says it is no phone: a negative label before it (ICP, 邮编, VAT,
    price …), a currency sign just before, a unit just after. ``prev_end`` is where the
    previous number on the line ended (else the line start) and ``prev_label`` its label,
    which a number joined to it by a comma or "or" inherits. ``weak`` marks a label read
    from a line of prose above ("Review from Priyanka P." / "5/18/2013 1"): worth checking.
    """
    line_start = work.rfind("\n", 0, start) + 1
    prefix = work[prev_end:start]
    if _negative_context(prefix[-40:]):
        return None
    before = norm[max(0, start - 2) : start].strip()
    if before[-1:] in "£$€¥₹" and before:
        return None
    if _UNIT_AFTER_RE.match(norm[end : end + 6].strip().lower()):
        return None
    found = _phone_label(prefix + "0")  # "0": lookaheads in "T:" / "Ph" want a digit
    if found:
        return found[1], True, False
    if prev_label and _JOINER_RE.fullmatch(prefix):
        return prev_label, True, False
    if prev_end == line_start and not prefix.strip(" \t:：-*"):
        above = line_above(work, line_start)
        if above is not None:
            if _negative_context(above[-40:]):
                return None
            prev = _phone_label(above + "0")
            if prev and len(above.strip()) <= 40:
                return prev[1], True, bool(_LETTER_LABEL_RE.search(above))
    return "", False, False


_phone_label = lru_cache(maxsize=8192)(last_phone_label)


_LETTER_LABEL_RE = re.compile(r"\S[ \t]+[A-Za-z][ \t]*[:.]?[ \t]*$")
"""A one-letter label ending a line that says something else: an initial, most likely."""


_scan_cached = lru_cache(maxsize=8192)(_scan_uncached)

_DIGITS_RE = SIX_DIGITS_RE = re.compile(r"\d(?:\D*\d){5}")
"""Six digits anywhere: the least a number needs (``_shape_ok``), the scan's quick way out
(public as ``SIX_DIGITS_RE`` for the people finder's quick test of a line)."""
_UNIT_AFTER_RE = re.compile(
    r"(?:元|万|萬|円|rmb|usd|eur|yuan|%|年|月|日|号|號|米|mm|cm|kg|t\b|pcs)"
)
_JOINER_RE = re.compile(r"[\s,;/|、]*(?:or|或|and|&)?[\s,;/|、]*")
_NOT_DIGIT_OR_STAR_RE = re.compile(r"[^\d*]")
_PIECE_RE = re.compile(r"\S+(?:[ \t]?[-./][ \t]?\S+)*")
"""Compiled once, as the patterns below: the scan splits a few runs of every page."""


def _split_candidate(text: str, m: re.Match[str]) -> list[tuple[int, int, str]]:
    """Split a run that holds two numbers side by side ("614-850-8940 614-850-9065")."""
    start, end = m.span("num")
    ext = m.group("ext") or ""
    num = m.group("num")
    # a trailing "-808" read as an extension is only an extension after a full number
    if ext.strip().startswith("-") and len(_digits(num)) < 10:
        end_with = m.end("ext")
        whole = text[start:end_with]
        if len(_digits(whole)) <= 15:
            return [(start, end_with, "")]
        ext = ""
    if len(_NOT_DIGIT_OR_STAR_RE.sub("", num)) <= 15 or num.startswith("00"):
        return [(start, end, ext)]
    pieces: list[tuple[int, int, str]] = []
    for part in _PIECE_RE.finditer(num):
        pieces.append((start + part.start(), start + part.end(), ""))
    # re-join neighbouring pieces greedily while they stay a plausible length
    merged: list[tuple[int, int, str]] = []
    for piece in pieces:
        if merged:
            joined = text[merged[-1][0] : piece[1]]
            if (
                len(_digits(text[merged[-1][0] : merged[-1][1]])) < 10
                and len(_digits(joined)) <= 12
            ):
                merged[-1] = (merged[-1][0], piece[1], "")
                continue
        merged.append(piece)
    if merged:
        merged[-1] = (merged[-1][0], merged[-1][1], ext)
    return merged


def phone_key(phone: Phone) -> str:
    """Digits (and * for masked ones) plus extension: what two phones on a page compare by."""
    return _phone_key(phone.raw, phone.extension)


@lru_cache(maxsize=8192)
def _phone_key(raw: str, extension: str) -> str:
    # cached: de-duplicating compares every phone of a page with every other
    core = raw
    if extension:
        core = _EXT_RE.sub("", core) if _EXT_RE.search(core) else core
    flat = "".join(ch for ch in normalise(core) if ch.isdigit() or ch == "*")
    return flat + ("x" + extension if extension else "")


def same_number(a: str, b: str) -> bool:
    """Two phone keys for one line: equal, or one is the other with a country code.

    ``+44 (0)20 7946 0000`` and ``020 7946 0000`` are one number written two ways.
    """
    if a == b:
        return True
    a_num, _, a_ext = a.partition("x")
    b_num, _, b_ext = b.partition("x")
    if a_ext != b_ext:
        return False
    a_core, b_core = a_num.lstrip("0"), b_num.lstrip("0")
    short, long_ = sorted((a_core, b_core), key=len)
    return len(short) >= 8 and long_.endswith(short) and len(long_) - len(short) <= 3


_FAX_RE = re.compile(r"fax|传真|傳真", re.IGNORECASE)
"""Compiled once: de-duplicating asks about every pair of a page's repeated numbers."""


def _is_fax_label(label: str) -> bool:
    return bool(_FAX_RE.search(label)) and "/" not in label


def dedupe_phones(phones: Iterable[Phone]) -> list[Phone]:
    """One entry per number; the same digits labelled tel and fax stay two entries.

    An unlabelled repeat (the footer's bare number) merges into the labelled one, and a
    labelled repeat lends its label to an earlier unlabelled one.
    """
    out: list[Phone] = []
    for phone in phones:
        key = phone_key(phone)
        same = [p for p in out if same_number(phone_key(p), key)]
        if not same:
            out.append(phone)
            continue
        if not phone.label:
            continue
        fax = _is_fax_label(phone.label)
        if any(p.label and _is_fax_label(p.label) == fax for p in same):
            continue
        unlabelled = [p for p in same if not p.label]
        if unlabelled:
            unlabelled[0].label = phone.label
            continue
        out.append(phone)
    return out


def find_phones(text: str, *, label: str = "") -> list[Phone]:
    """Phone numbers in free text, each with the label the text gives it, de-duplicated.

    Never returns ICP licence numbers, postcodes, dates, year ranges, prices, coordinates,
    registration numbers or IDs inside URLs; masked numbers come back with ``masked=True``.
    """
    return dedupe_phones(m.phone for m in scan_phones(text, label=label))


# --------------------------------------------------------------------------------------
# libphonenumber's matcher: a second reading of the lines the scanner found nothing on

_MATCHER_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.TOLL_FREE,
    }
)
_SEVEN_DIGITS_RE = re.compile(r"\d(?:[^\w\n]{0,3}\d){6}")
"""Seven digits with only spaces and punctuation between them: the least a number needs."""
_GROUPED_RE = re.compile(r"\d[ \t.()/-]+\d")
_MATCHER_CHARS = (
    "\\d(\\[\\]（［）］+＋\\-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \xa0\xad\u200b\u2060\u3000()"
    ".\\/~\u2053\u223c\uff5e;=\t,extnsio\u00f3\u0301\uff45\uff58\uff54\uff4e\u0434\u043e\u0431a:\uff0e#\uff03\uff49"
)
"""Every character libphonenumber's matcher pattern (``phonenumbermatcher._PATTERN``, under
its ``re.IGNORECASE``) can take: digits, its punctuation, and the letters and marks of its
extension labels ("ext", "anexo", "доб", "#" …)."""
_SEVEN_IN_A_RUN_RE = re.compile(f"\\d(?:[{_MATCHER_CHARS}]*?\\d){{6}}", re.IGNORECASE)
"""Seven digits with only characters the matcher takes between them.

Every number the matcher returns is a piece of one of its pattern's matches, so it lies in
a run of ``_MATCHER_CHARS``; a number :func:`_match_line` keeps has seven digits (a masked
one is refused). A line on which no run holds seven is not worth the matcher (40-140 us).
"""

_TIME_LINE_RE = re.compile(
    r"[^\d(\[\uff08\uff3b+\uff0b]*\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2}\s*"
)
"""A line whose only figures are one time range ("Mon - Fri : 09.30 - 17.30"), with none of
the characters a matcher's number may open with but a digit (``phonenumbermatcher``'s
``_LEAD_CLASS``: opening brackets, plus signs) anywhere on it.

The matcher's numbers there open at a digit of the range and hold whole runs of digits (its
pattern takes digits greedily, and what it trims or splits off are other characters): one
with the seven digits :func:`_base_shape_ok` needs (a range has six to eight) is the whole
range, which ``_TIME_RE`` refuses, and one that leaves a run out has six at most. So the
matcher (140 us on such a line) finds nothing :func:`_match_line` keeps; a test holds the
two together.
"""


def match_phones(
    text: str, region: str, *, skip: Iterable[tuple[int, int]] = ()
) -> list[PhoneMatch]:
    """Numbers the scanner missed that libphonenumber's matcher reads as valid in ``region``.

    The scanner takes an unlabelled number only in shapes nothing else has (``+44 …``,
    ``(07) …``, ``0… …`` with ten digits); the numbering plan knows that ``9876 5432`` is a
    Hong Kong mobile and ``98116 37149`` an Indian one. Only lines with seven digits and none
    of the ``skip`` spans (the scanner's own finds) are read, and a match must pass the
    scanner's own context checks (ICP, 邮编, VAT, registration numbers, prices, units, URLs,
    e-mails), be a mobile, landline or toll-free number and, with no label, be written in the
    country's own grouping with at least eight digits. It takes the scanner's label logic.
    """
    if not _SEVEN_DIGITS_RE.search(text):
        return []
    taken = sorted(skip)
    ends = [e for _, e in taken]
    norm, work = _prepare(text)
    out: list[PhoneMatch] = []
    read: set[int] = set()
    for m in _SEVEN_DIGITS_RE.finditer(work):
        line_start = work.rfind("\n", 0, m.start()) + 1
        if line_start in read:
            continue
        read.add(line_start)
        line_end = work.find("\n", m.end())
        line_end = len(work) if line_end < 0 else line_end
        i = bisect_right(ends, line_start)  # the first find ending inside or after the line
        if i < len(taken) and taken[i][0] < line_end:
            continue  # the scanner found a number on this line
        line = work[line_start:line_end]
        if not _SEVEN_IN_A_RUN_RE.search(line):
            continue  # "*NEW FOR 2014* (1336)", "NB23449 £1.65": no match can hold seven digits
        if _TIME_LINE_RE.fullmatch(line):
            continue  # "Mon - Fri : 09.30 - 17.30": whatever the matcher finds is refused
        out.extend(_match_line(text, norm, work, line_start, line, region))
    return out


def _match_line(
    text: str, norm: str, work: str, line_start: int, line: str, region: str
) -> list[PhoneMatch]:
    out: list[PhoneMatch] = []
    prev_end, prev_label = line_start, ""
    hits = _matcher_hits(line, region.upper())
    for m_start, m_end, ext, kind_ok, grouped in hits:
        start, end = line_start + m_start, line_start + m_end
        num = work[start:end]
        if not kind_ok or is_masked(num) or not _base_shape_ok(num):
            continue  # the cheap tests first: the context reads labels
        context = _context(norm, work, start, end, prev_end, prev_label)
        if context is None:
            continue
        if _RANGE_RE.fullmatch(num.strip()):
            continue
        plabel, labelled, _ = context
        if not labelled and not (
            grouped and len(_digits(num)) >= 8 and _GROUPED_RE.search(num) and _alone(line, hits)
        ):
            continue
        phone = Phone(raw=raw_value(text[start:end]), label=plabel, extension=ext)
        out.append(PhoneMatch(phone, start, end, labelled))
        prev_end, prev_label = end, (plabel if labelled else "")
    return out


def _alone(line: str, hits: tuple[tuple[int, int, str, bool, bool], ...]) -> bool:
    """Whether a line is its numbers and a few words: a contact line, not an address or prose.

    An unlabelled number inside "72/1 Gali No 9, East Delhi, 96979-88399 Azad Nagar" may be
    a phone, but the page does not say so; one alone in a cell ("9876 5432") does.
    """
    rest = line
    for start, end, *_ in hits:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    rest = " ".join(rest.split())
    return len(rest) <= 24 and not _BUSY_RE.search(rest)


_RANGE_RE = re.compile(r"\d+00\s?[-~/]\s?\d+00")
"""Round figures either side of a dash: a salary or price range ("6000-8000"), not a phone."""
_BUSY_RE = re.compile(r"[\d,，;；]")
"""Other figures or a list around a number: the line is about something else."""


@lru_cache(maxsize=8192)
def _matcher_hits(line: str, region: str) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """(start, end, extension, wanted type, country's grouping) per match; cached per line."""
    region = region or "ZZ"  # unknown: only numbers written with +country code
    hits = []
    for m in PhoneNumberMatcher(line, region, leniency=Leniency.VALID):
        kind_ok = number_type(m.number) in _MATCHER_TYPES
        grouped = kind_ok and any(
            True
            for _ in PhoneNumberMatcher(m.raw_string, region, leniency=Leniency.STRICT_GROUPING)
        )
        hits.append((m.start, m.end, m.number.extension or "", kind_ok, grouped))
    return tuple(hits)


def is_valid_phone(raw: str, region: str) -> bool:
    """Whether libphonenumber reads ``raw`` as a valid number of ``region`` (or its own +code)."""
    try:
        number = parse(raw, region.upper() or None)
    except NumberParseException:
        return False
    return is_valid_number(number)
