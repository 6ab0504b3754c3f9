"""Phone numbers: E.164, extension and line type from what the page printed.

Pages print numbers the local way (``(07) 4051 1234``, ``0755-8888 1234 转 8``,
``86-755-88881234``), so a number is parsed with the lead's country as the default region;
a number written with a leading ``+`` (or ``00``) keeps its own country. The E.164 form is
what dedupe compares, so two spellings of one number must give the same string.

Line types follow ``Phone.type``: mobile, landline, toll_free, shared_cost, fax, voip,
unknown. Two choices are worth knowing:

* A label that says fax (fax, fx, 传真) wins over what phonenumbers says, because a fax
  number is a landline as far as the numbering plan knows.
* China's 400 numbers (and Australia's 13/1300, the UK's 084x) are "shared_cost" in
  phonenumbers: the caller pays a local rate and the business pays the rest. They are kept as
  ``shared_cost`` — they are business hotlines, but not free to call — while China's 800
  numbers (and 1800 / 0800) are ``toll_free``.
* Where the plan cannot tell a mobile from a landline (US/Canada), a label such as mobile /
  cell / 手机 decides; otherwise it counts as ``landline``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from enrich.domain import registered_domain
from leadharvest.items import Lead, Phone

FAX_RE = re.compile(r"fax|(?<![a-z])fx(?![a-z])|传真|傳真|ファクス|ファックス", re.IGNORECASE)
MOBILE_RE = re.compile(r"mobile|cell|mob(?![a-z])|手机|手機|移动电话", re.IGNORECASE)
MASK_RE = re.compile(r"[*＊●•·]{2,}|x{3,}|X{3,}|\*")
EXTENSION_RE = re.compile(
    r"\s*(?:转|轉|分机|分機|内线|ext\.?|extn\.?|extension|x|#)\s*[:.]?\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)

_TYPES: dict[int, str] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
}

_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN",
    "中国": "CN",
    "中国大陆": "CN",
    "prc": "CN",
    "people's republic of china": "CN",
    "hong kong": "HK",
    "香港": "HK",
    "taiwan": "TW",
    "台湾": "TW",
    "australia": "AU",
    "澳大利亚": "AU",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "英国": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "美国": "US",
    "india": "IN",
    "印度": "IN",
    "canada": "CA",
    "加拿大": "CA",
    "new zealand": "NZ",
    "singapore": "SG",
    "新加坡": "SG",
    "germany": "DE",
    "德国": "DE",
    "japan": "JP",
    "日本": "JP",
    "netherlands": "NL",
    "france": "FR",
}
"""Country names pages print, for ``region_for``; ISO codes are taken as they are."""

_CCTLD_OVERRIDES = {"uk": "GB", "中国": "CN", "香港": "HK", "台灣": "TW", "台湾": "TW"}


def _country_code(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    upper = text.upper()
    if upper == "UK":
        return "GB"
    if len(upper) == 2 and upper in phonenumbers.SUPPORTED_REGIONS:
        return upper
    return _COUNTRY_NAMES.get(text.lower(), "")


def region_for(lead: Lead, default: str) -> str:
    """The region to read the lead's local numbers in: its country, its ccTLD, or ``default``.

    The lead's own evidence beats the job's region: an Australian directory listing found
    by a job run for CN still prints Australian numbers.
    """
    code = _country_code(lead.country)
    if code:
        return code
    domain = registered_domain(lead.website) if lead.website else lead.domain
    if domain:
        tld = domain.rsplit(".", 1)[-1].lower()
        code = _CCTLD_OVERRIDES.get(tld, tld.upper() if len(tld) == 2 else "")
        if code in phonenumbers.SUPPORTED_REGIONS:
            return code
    return (default or "").upper()


def is_masked(raw: str) -> bool:
    """``139****1234``, ``0755-8888 XXXX``: a directory hid digits, the number is unusable."""
    return bool(MASK_RE.search(raw))


def _is_fax(phone: Phone) -> bool:
    raw_words = re.sub(r"[\d\s()+\-./]", " ", phone.raw)
    return bool(FAX_RE.search(phone.label) or FAX_RE.search(raw_words))


def _label_type(phone: Phone, fax: bool) -> str:
    """The type the page's label alone implies, for numbers phonenumbers cannot read."""
    if fax:
        return "fax"
    return "mobile" if MOBILE_RE.search(phone.label) else "unknown"


def _split_extension(text: str) -> tuple[str, str]:
    match = EXTENSION_RE.search(text)
    if match and re.search(r"\d{5,}", text[: match.start()].replace(" ", "").replace("-", "")):
        return text[: match.start()], match.group(1)
    return text, ""


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None


def _best_parse(text: str, region: str) -> tuple[phonenumbers.PhoneNumber | None, str, bool]:
    """Parse, trying the readings pages actually use when the plain one is not valid.

    ``86-755-88881234`` is an international number written without ``+`` (tried only when
    the digits start with the region's own country code, so a short local number is never
    re-read as some other country's);
    ``0755-88881234-808`` carries its extension after a dash.
    """
    number = _parse(text, region)
    if number is not None and phonenumbers.is_valid_number(number):
        return number, "", True
    digits = re.sub(r"\D", "", text)
    code = str(phonenumbers.country_code_for_region(region)) if region else ""
    if code != "0" and code and digits.startswith(code) and not text.lstrip().startswith("+"):
        candidate = _parse("+" + digits, "")
        if candidate is not None and phonenumbers.is_valid_number(candidate):
            return candidate, "", True
    dash = re.match(r"^(.*\d)\s*[-‐–—]\s*(\d{1,5})\s*$", text)
    if dash:
        candidate = _parse(dash.group(1), region)
        if candidate is not None and phonenumbers.is_valid_number(candidate):
            return candidate, dash.group(2), True
    return number, "", False


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    start = re.search(r"[+(\d]", text)
    text = text[start.start() :] if start else ""
    return text.replace("(0)", " ")


def normalise_phone(phone: Phone, region: str) -> Phone:
    """A copy of ``phone`` with e164, extension, type and valid filled in.

    ``region`` is the ISO country to read local numbers in (see ``region_for``). A masked
    number keeps ``masked`` and gets no e164; junk gets ``valid=False`` and no e164.
    """
    fax = _is_fax(phone)
    base = dataclasses.replace(phone, sources=list(phone.sources))
    if phone.masked or is_masked(phone.raw):
        return dataclasses.replace(
            base,
            masked=True,
            e164=None,
            extension="",
            valid=False,
            type=_label_type(phone, fax),
        )
    e164, extension, number_type, valid = _read_number(_clean(phone.raw), region.upper())
    if e164 is None:
        return dataclasses.replace(
            base, e164=None, extension=extension, valid=False, type=_label_type(phone, fax)
        )
    kind = _TYPES.get(number_type, "unknown") if valid and number_type is not None else "unknown"
    if fax:
        kind = "fax"
    elif (
        kind == "landline"
        and number_type == PhoneNumberType.FIXED_LINE_OR_MOBILE
        and MOBILE_RE.search(phone.label)
    ):
        kind = "mobile"
    return dataclasses.replace(
        base,
        e164=e164,
        extension=extension,
        type=kind,
        valid=valid,
        masked=False,
    )


@lru_cache(maxsize=1 << 17)
def _read_number(text: str, region: str) -> tuple[str | None, str, int | None, bool]:
    """(E.164, extension, libphonenumber's type, valid) of a cleaned number in ``region``.

    E.164 is None when the text is not a possible number. Cached: one business's number is
    on every listing of it, and a dedupe input repeats it on every duplicate row.
    """
    text, extension = _split_extension(text)
    number, dash_extension, valid = _best_parse(text, region)
    extension = extension or dash_extension or (number.extension if number else "") or ""
    if number is None or not phonenumbers.is_possible_number(number):
        return None, extension, None, False
    number.extension = None
    kind = phonenumbers.number_type(number) if valid else None
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        extension,
        kind,
        valid,
    )
