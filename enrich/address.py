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
from functools import cache

import phonenumbers

from enrich.regions import City, Province, cn_regions

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
    "macau": "MO",
    "macao": "MO",
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
    "澳门": "MO",
    "台湾": "TW",
    "澳大利亚": "AU",
    "英国": "GB",
    "印度": "IN",
    "美国": "US",
    "加拿大": "CA",
    "新加坡": "SG",
}

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
CN_POSTCODE_RE = re.compile(
    r"(?:邮编|邮政编码|邮\s*编|post\s*code|postcode|zip)\s*[:：]?\s*(\d{6})(?!\d)", re.IGNORECASE
)
CN_BARE_POSTCODE_RE = re.compile(r"(?<![\d\-/.])(\d{6})(?![\d\-/.])")
CN_CITY_RE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:市|自治州|地区|盟)")
CN_DISTRICT_RE = re.compile(
    r"^\s*((?:(?![镇乡路街道号村巷])[\u4e00-\u9fff]){1,6}?(?:自治县|自治旗|新区|区|县|市|旗))"
)
CN_LEADING_COUNTRY_RE = re.compile(r"^\s*(?:中华人民共和国|中国大陆|中国|香港|澳门|台湾)[\s,，、]*")
LATIN_DISTRICT_RE = re.compile(r"\b([a-z]+(?:\s[a-z]+)?)\s+(?:district|county)\b")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class AddressParts:
    """What could be read from one address.

    For China, ``region`` and ``city`` are the official names from ``config/cn_regions.toml``
    (广东省, 深圳市; a municipality is its own city: 上海市, 上海市), whichever script the
    address was written in, so two listings of one business compare equal.
    """

    country: str = ""
    region: str = ""
    city: str = ""
    postcode: str = ""
    district: str = ""
    """China's district or county (南山区, 昆山市) when it follows the city."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_address(raw: str) -> AddressParts:
    """Country (ISO code), region, city and postcode of one address, where plain."""
    text = _fold(raw or "").strip()
    if not text:
        return AddressParts()
    lowered = text.lower()
    if CJK_RE.search(text):
        return _parse_cn(text)
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
    if named == "CN":
        return _parse_cn_latin(text)
    if named == "IN" or any(re.search(rf"\b{c}\b", lowered) for c in IN_CITIES):
        pin = IN_PIN_RE.search(text)
        return AddressParts("IN", "", "", pin.group(1).replace(" ", "") if pin else "")
    m = UK_RE.search(text)
    if m and (named in {"", "GB"}):
        return AddressParts("GB", "", _city_before(text, m.start()), m.group(1))
    return AddressParts(named)


_LEADING_ONLY = ("香港", "澳门", "台湾")
_PROVINCE_SUFFIX = "(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)?"


def _cn_country(text: str) -> str:
    return next((code for name, code in COUNTRY_NAMES_ZH.items() if _names_country(text, name)), "")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Province at the start, city at the start, ``<city>市`` anywhere, a city's pinyin."""
    regions = cn_regions()
    shorts = sorted(regions.province_by_short, key=len, reverse=True)
    cities = sorted(regions.city_by_short, key=len, reverse=True)
    spellings = sorted({c.pinyin for c in regions.cities}, key=len, reverse=True)
    return (
        re.compile("^(" + "|".join(shorts) + ")" + _PROVINCE_SUFFIX),
        re.compile(r"^\s*(" + "|".join(cities) + ")(?:市)?"),
        re.compile("(" + "|".join(cities) + ")市"),
        re.compile("(?<![a-z])(" + "|".join(map(re.escape, spellings)) + ")(?![a-z])"),
    )


def _find_province(text: str) -> tuple[Province | None, str]:
    """The province and the text after it: a province at the start (with or without its
    suffix), else an official name (广东省) anywhere. A bare 北京 inside 广州市北京路 is a
    street, not the province."""
    regions = cn_regions()
    lead = _patterns()[0].match(text)
    province = regions.province_by_short[lead.group(1)] if lead else None
    if lead and province and (province.kind == "municipality" or not lead.group(0).endswith("市")):
        return province, text[lead.end() :]
    found = [
        (text.find(full), p)
        for p in regions.provinces
        for full in {p.name, p.short + "省"}
        if full in text
    ]
    if found:
        pos, province = min(found, key=lambda x: x[0])
        after = re.match(re.escape(province.short) + _PROVINCE_SUFFIX, text[pos:])
        return province, text[pos + (after.end() if after else 0) :]
    return None, text


def _find_city(text: str, province: Province | None) -> tuple[City | None, str, str]:
    """The table city (or another ``…市`` / ``…自治州`` name), and the text after it."""
    regions = cn_regions()
    lead = _patterns()[1].match(text)
    if lead:
        city = regions.city_by_short[lead.group(1)]
        if province is None or city.province == province:
            return city, city.name, text[lead.end() :]
    named = _patterns()[2].search(text)
    if named:
        city = regions.city_by_short[named.group(1)]
        if province is None or city.province == province:
            return city, city.name, text[named.end() :]
    other = CN_CITY_RE.search(text)
    if other:
        return None, other.group(0), text[other.end() :]
    return None, "", text


def _cn_postcode(text: str, province: Province | None) -> tuple[str, Province | None]:
    """A labelled postcode, or a bare six digits that belong to the address's province."""
    labelled = CN_POSTCODE_RE.search(text)
    if labelled:
        return labelled.group(1), province
    regions = cn_regions()
    for match in CN_BARE_POSTCODE_RE.finditer(text):
        owner = regions.province_for_postcode(match.group(1))
        if owner is not None and province in (None, owner):
            return match.group(1), owner
    return "", province


def _parse_cn(text: str) -> AddressParts:
    """A Chinese-script address: country, province, city, district and postcode."""
    country = _cn_country(text)
    body = CN_LEADING_COUNTRY_RE.sub("", text, count=1)
    province, rest = _find_province(body)
    if province is not None and province.kind == "municipality":
        city: City | None = cn_regions().city_by_short[province.short]
        city_name = province.name
    else:
        city, city_name, rest = _find_city(rest, province)
        province = province or (city.province if city else None)
    district_match = CN_DISTRICT_RE.match(rest) if city_name else None
    district = district_match.group(1) if district_match else ""
    if country in ("HK", "MO", "TW"):
        post = CN_POSTCODE_RE.search(text)
        return AddressParts(country, "", city_name, post.group(1) if post else "", district)
    postcode, province = _cn_postcode(text, province)
    if province or city_name or postcode:
        country = country or "CN"
    region = province.name if province else ""
    return AddressParts(country, region, city_name, postcode, district)


def _word(name: str, lowered: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered) is not None


def _parse_cn_latin(text: str) -> AddressParts:
    """An address in China written in Latin letters: ``…, Nanshan District, Shenzhen,
    Guangdong 518057, China``. Region and city come out as the official Chinese names; a
    pinyin spelling two cities share (Suzhou, Taizhou) counts only with its province."""
    regions = cn_regions()
    lowered = text.lower().replace("'", "")
    province = next((p for p in regions.provinces if _word(p.pinyin, lowered)), None)
    spelled = set(_patterns()[3].findall(lowered))
    matches = [c for c in regions.cities if c.pinyin in spelled]
    if province is not None:
        matches = [c for c in matches if c.province == province]
    city = matches[0] if len(matches) == 1 else None
    if city is not None and province is None:
        province = city.province
    district = ""
    found = LATIN_DISTRICT_RE.search(lowered)
    if found:
        district = found.group(1).title() + " District"
    postcode, province = _cn_postcode(text, province)
    city_name = (
        city.name
        if city
        else (province.name if province and province.kind == "municipality" else "")
    )
    return AddressParts("CN", province.name if province else "", city_name, postcode, district)


def _names_country(text: str, name: str) -> bool:
    """Whether a Chinese address is in that country. 香港 / 澳门 / 台湾 count only at the start:
    青岛市香港中路 is a street in Qingdao, not Hong Kong."""
    if name in _LEADING_ONLY:
        return text.lstrip().removeprefix("中国").lstrip().startswith(name)
    return name in text


def guess_country(text: str) -> str:
    """ISO country code the text plainly points at, or ""."""
    return parse_address(text).country


_COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
"""Two-letter forms in use that are not the ISO 3166 code (the UK, Greece in the EU's lists)."""


def country_code(value: str) -> str:
    """ISO 3166 alpha-2 code of a country field as pages and spreadsheets write it ("AU",
    "au", "Australia", "UK", "中国"), or "" when it names no country plainly.

    A country arrives as a code from one page and as a name from another (JSON-LD
    ``addressCountry``, a CSV column); dedupe compares the field as a key, so the same
    country must be one value, or "Australia" and "AU" count as different countries.
    Codes are those phonenumbers knows (every country with a numbering plan).
    """
    text = value.strip()
    if not text:
        return ""
    upper = text.upper()
    if len(upper) == 2 and upper.isascii() and upper.isalpha():
        upper = _COUNTRY_ALIASES.get(upper, upper)
        return upper if upper in phonenumbers.SUPPORTED_REGIONS else ""
    return guess_country(text)


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
