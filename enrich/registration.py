"""Registration ids: China's unified social credit code (统一社会信用代码), checked.

A USCC printed on a page is the one value that names a Chinese business exactly, so it is
worth getting right: pages write it in full-width digits, with spaces or hyphens, in lower
case. It is compacted to its 18 characters and its check digit is verified with
python-stdnum (``stdnum.cn.uscc``, GB 32100-2015). An id that fails the check is kept as
written (compacted) and flagged, never dropped: it is more often a typo on the page than a
fake, and a trainee can still look it up. Ids of other kinds (an Australian ABN, an old
15-digit 注册号) are kept as found, unchecked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

_USCC_SHAPE_RE = re.compile(r"^\d{8}[0-9A-Z]{10}$")
_SEPARATORS_RE = re.compile(r"[\s\-‐‑–—_.·]+")


@dataclass(frozen=True)
class RegistrationId:
    """One id as normalised, its kind and whether it passed its check."""

    value: str
    kind: str = ""
    """``cn_uscc`` for an id shaped like China's unified social credit code, else ""."""
    valid: bool | None = None
    """True / False for a checked kind; None when there is no check for it."""


def normalise_registration_id(raw: str, country: str = "") -> RegistrationId:
    """``raw`` compacted and checked when it has the shape of a USCC.

    ``country`` is the lead's ISO code: a USCC is only looked for where it is "" or CN, so
    another country's 18-character id is not judged by China's check digit.
    """
    text = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not text:
        return RegistrationId("")
    compact = _SEPARATORS_RE.sub("", text).upper()
    if country.upper() in ("", "CN") and _USCC_SHAPE_RE.match(compact):
        return RegistrationId(compact, "cn_uscc", is_valid_uscc(compact))
    return RegistrationId(text)


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` is a well-formed USCC with the right check digit."""
    try:
        uscc.validate(code)
    except ValidationError:
        return False
    return True
