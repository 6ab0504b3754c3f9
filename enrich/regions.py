"""China's provinces and prefecture-level cities, read from ``config/cn_regions.toml``.

Addresses (province / city / district / postcode) and company-name keys (``深圳市…``) both
need the same place names; keeping them in one data file means a city added there is known
to both, and a mistake in it is a ``ConfigError`` naming the file and key rather than a
silently wrong parse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from pypinyin import lazy_pinyin

from leadharvest.settings import ConfigError, load_toml

REGIONS_FILE = "cn_regions.toml"
KINDS = ("province", "municipality", "autonomous region")
_HAN_RE = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


@dataclass(frozen=True)
class Province:
    """One provincial-level division (省, 直辖市 or 自治区)."""

    name: str
    """Official name: 广东省, 上海市, 广西壮族自治区."""
    short: str
    """Without its suffix: 广东, 上海, 广西."""
    pinyin: str
    kind: str
    postcodes: tuple[str, ...]
    """First two digits of its postcodes."""
    cities: tuple[str, ...]
    """Prefecture-level cities, short names; a municipality lists itself."""


@dataclass(frozen=True)
class City:
    """One prefecture-level city (or a municipality, which is its own city)."""

    name: str
    """With 市: 深圳市."""
    short: str
    pinyin: str
    province: Province


@dataclass(frozen=True)
class Regions:
    """The table, with the look-ups the parsers need built once."""

    provinces: tuple[Province, ...]
    cities: tuple[City, ...]

    @cached_property
    def province_by_short(self) -> dict[str, Province]:
        return {p.short: p for p in self.provinces}

    @cached_property
    def city_by_short(self) -> dict[str, City]:
        return {c.short: c for c in self.cities}

    @cached_property
    def city_by_pinyin(self) -> dict[str, City]:
        """Cities by their pinyin written as one word, leaving out the pinyin two cities share
        (苏州 and 宿州 are both "suzhou"): a Latin spelling alone names only these."""
        spelt: dict[str, list[City]] = {}
        for city in self.cities:
            spelt.setdefault(city.pinyin.replace(" ", ""), []).append(city)
        return {py: found[0] for py, found in spelt.items() if len({c.short for c in found}) == 1}

    def province_for_postcode(self, postcode: str) -> Province | None:
        """The province a six-digit postcode belongs to, by its first two digits."""
        head = postcode[:2]
        return next((p for p in self.provinces if head in p.postcodes), None)


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string, not {value!r}")
    return value.strip()


def _city_pinyin(short: str, overrides: Mapping[str, str]) -> str:
    return overrides.get(short) or "".join(lazy_pinyin(short)).lower()


def regions_from_mapping(data: Mapping[str, Any], *, origin: str = REGIONS_FILE) -> Regions:
    """Validate the table; an unknown key, a bad value or a duplicated place is an error."""
    unknown = set(data) - {"province", "pinyin"}
    if unknown:
        raise ConfigError(f"{origin}: unknown key {sorted(unknown)[0]}")
    overrides_raw = data.get("pinyin", {})
    if not isinstance(overrides_raw, Mapping):
        raise ConfigError(f"{origin}: [pinyin] must be a table")
    overrides = {
        _text(f"{origin}: pinyin key", k): _text(f"{origin}: pinyin.{k}", v).lower()
        for k, v in overrides_raw.items()
    }
    rows = data.get("province")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{origin}: needs [[province]] entries")
    provinces: list[Province] = []
    cities: list[City] = []
    seen_cities: set[str] = set()
    for n, row in enumerate(rows, 1):
        where = f"{origin}: province #{n}"
        if not isinstance(row, Mapping):
            raise ConfigError(f"{where} must be a table")
        extra = set(row) - {"name", "short", "pinyin", "kind", "postcode", "cities"}
        if extra:
            raise ConfigError(f"{where}: unknown key {sorted(extra)[0]}")
        name = _text(f"{where}.name", row.get("name"))
        short = _text(f"{where}.short", row.get("short"))
        if not name.startswith(short) or not _HAN_RE.match(name):
            raise ConfigError(f"{where}: short {short!r} must begin the name {name!r}")
        kind = _text(f"{where}.kind", row.get("kind"))
        if kind not in KINDS:
            raise ConfigError(f"{where}.kind must be one of {', '.join(KINDS)}, not {kind!r}")
        postcodes = row.get("postcode")
        if not isinstance(postcodes, list) or not all(
            isinstance(p, str) and re.fullmatch(r"\d\d", p) for p in postcodes
        ):
            raise ConfigError(f"{where}.postcode must be a list of two-digit strings")
        listed = row.get("cities", [])
        if not isinstance(listed, list) or not all(
            isinstance(c, str) and _HAN_RE.match(c) and not c.endswith("市") for c in listed
        ):
            raise ConfigError(f"{where}.cities must be a list of Chinese names without 市")
        if kind == "municipality":
            listed = [short]
        province = Province(
            name=name,
            short=short,
            pinyin=_text(f"{where}.pinyin", row.get("pinyin")).lower(),
            kind=kind,
            postcodes=tuple(postcodes),
            cities=tuple(listed),
        )
        provinces.append(province)
        for city in listed:
            if city in seen_cities:
                raise ConfigError(f"{where}: city {city!r} is listed twice")
            seen_cities.add(city)
            cities.append(City(city + "市", city, _city_pinyin(city, overrides), province))
    shorts = [p.short for p in provinces]
    if len(set(shorts)) != len(shorts):
        raise ConfigError(f"{origin}: a province is listed twice")
    return Regions(tuple(provinces), tuple(cities))


@cache
def cn_regions() -> Regions:
    """The table from the config folder (read once per process)."""
    return regions_from_mapping(load_toml(REGIONS_FILE))
