"""Addresses, first pass: country, region, city and postcode where the text makes them plain.

The country matters beyond the sheet: a company page on a ``.com`` domain says nothing about
where ``(02) 5550 0142`` is, but "Sydney NSW 2000" does, and phone numbers written without a
country code are read in that country. Only unambiguous signals count (a state with a
postcode of that country's shape, a country name, a Chinese province or city); otherwise the
answer is "" and the caller falls back to the job's region.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

COUNTRY_NAMES: dict[str, str] = {
    "australia": "AU",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "india": "IN",
    "china": "CN",
    "p.r. china": "CN",
    "hong kong": "HK",
    "taiwan": "TW",
    "singapore": "SG",
    "malaysia": "MY",
    "canada": "CA",
    "united states": "US",
    "usa": "US",
    "u.s.a.": "US",
    "new zealand": "NZ",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "japan": "JP",
    "south korea": "KR",
    "united arab emirates": "AE",
    "uae": "AE",
}
COUNTRY_NAMES_ZH: dict[str, str] = {
    "中国": "CN",
    "中华人民共和国": "CN",
    "香港": "HK",
    "台湾": "TW",
    "澳大利亚": "AU",
    "英国": "GB",
    "印度": "IN",
    "美国": "US",
    "加拿大": "CA",
    "新加坡": "SG",
}

CN_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆",
)  # fmt: skip

AU_STATES = ("NSW", "VIC", "QLD", "WA", "SA", "TAS", "ACT", "NT")
US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
    "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
    "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
)  # fmt: skip
CA_PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
IN_CITIES = (
    "mumbai", "delhi", "new delhi", "bengaluru", "bangalore", "chennai", "kolkata", "hyderabad",
    "pune", "ahmedabad", "jaipur", "surat", "lucknow", "noida", "gurgaon", "gurugram",
)  # fmt: skip

AU_RE = re.compile(rf"\b({'|'.join(AU_STATES)})\s*,?\s*(\d{{4}})\b")
US_RE = re.compile(rf"\b({'|'.join(US_STATES)})\s*,?\s*(\d{{5}}(?:-\d{{4}})?)\b")
CA_RE = re.compile(rf"\b({'|'.join(CA_PROVINCES)})\s*,?\s*([A-Z]\d[A-Z]\s?\d[A-Z]\d)\b")
UK_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2})\b")
IN_PIN_RE = re.compile(r"(?<!\d)([1-9]\d{2}\s?\d{3})(?!\d)")
CN_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})")
CN_CITY_RE = re.compile(r"([\u4e00-\u9fff]{2,6}?)市")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class AddressParts:
    """What could be read from one address."""

    country: str = ""
    region: str = ""
    city: str = ""
    postcode: str = ""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_address(raw: str) -> AddressParts:
    """Country (ISO code), region, city and postcode of one address, where plain."""
    text = _fold(raw or "").strip()
    if not text:
        return AddressParts()
    lowered = text.lower()
    if CJK_RE.search(text):
        country = next(
            (code for name, code in COUNTRY_NAMES_ZH.items() if _names_country(text, name)), ""
        )
        province = next((p for p in CN_PROVINCES if p in text), "")
        rest = (
            re.sub(
                rf"^.*?{province}(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?",
                "",
                text,
                count=1,
            )
            if province
            else text
        )
        city_match = CN_CITY_RE.search(rest)
        city = city_match.group(1) + "市" if city_match else ""
        post = CN_POSTCODE_RE.search(text)
        if province or city or post:
            country = country or "CN"
        region = (
            province + ("市" if province in {"北京", "天津", "上海", "重庆"} else "")
            if province
            else ""
        )
        return AddressParts(country, region, city, post.group(1) if post else "")
    m = AU_RE.search(text)
    if m and ("australia" in lowered or not US_RE.search(text)):
        return AddressParts("AU", m.group(1), _city_before(text, m.start()), m.group(2))
    m = CA_RE.search(text)
    if m:
        return AddressParts("CA", m.group(1), _city_before(text, m.start()), m.group(2))
    m = US_RE.search(text)
    if m and not _named_country(lowered, exclude="US"):
        return AddressParts("US", m.group(1), _city_before(text, m.start()), m.group(2))
    named = _named_country(lowered)
    if named == "IN" or any(re.search(rf"\b{c}\b", lowered) for c in IN_CITIES):
        pin = IN_PIN_RE.search(text)
        return AddressParts("IN", "", "", pin.group(1).replace(" ", "") if pin else "")
    m = UK_RE.search(text)
    if m and (named in {"", "GB"}):
        return AddressParts("GB", "", _city_before(text, m.start()), m.group(1))
    return AddressParts(named)


_LEADING_ONLY = ("香港", "澳门", "台湾")


def _names_country(text: str, name: str) -> bool:
    """Whether a Chinese address is in that country. 香港 / 澳门 / 台湾 count only at the start:
    青岛市香港中路 is a street in Qingdao, not Hong Kong."""
    if name in _LEADING_ONLY:
        return text.lstrip().removeprefix("中国").lstrip().startswith(name)
    return name in text


def guess_country(text: str) -> str:
    """ISO country code the text plainly points at, or ""."""
    return parse_address(text).country


def _named_country(lowered: str, *, exclude: str = "") -> str:
    for name, code in COUNTRY_NAMES.items():
        if code != exclude and re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered):
            return code
    return ""


def _city_before(text: str, end: int) -> str:
    """The part just before the state / postcode: ``Sydney`` in ``…, Sydney NSW 2000``."""
    head = text[:end].rstrip(" ,")
    part = head.rsplit(",", 1)[-1].strip()
    words = part.split()
    if not words or any(ch.isdigit() for ch in part):
        return words[-1] if words and not any(ch.isdigit() for ch in words[-1]) else ""
    return part if len(words) <= 3 else " ".join(words[-2:])
