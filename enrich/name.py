"""Company names as matching keys.

``深圳市明镜光学有限公司``, ``明镜光学（深圳）有限公司`` and ``明镜光学`` are one business, and so
are ``BRIGHTLENS OPTICS PTY. LTD.`` and ``Brightlens Optics``. The key drops what varies
between listings of one business — width, case, legal form, a leading province or city, a
bracketed region, punctuation — and keeps what tells businesses apart. The shown name stays
``Lead.name``; only matching uses the key.

Traditional characters are folded to simplified ones (OpenCC) for the key, so ``台灣光影數碼``
and ``台湾光影数码`` meet; ``pinyin_key`` goes one step further for mixed-script matching,
so ``深圳市光影数码科技有限公司`` and ``Shenzhen Guangying Digital Technology Co., Ltd.`` meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import opencc
from cleanco.clean import normalized, prepare_default_terms, strip_punct, strip_tail
from pypinyin import lazy_pinyin

from enrich.regions import cn_regions
from leadharvest.settings import ConfigError, load_toml

CN_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "集团",
    "分公司",
    "总公司",
    "公司",
    "个人独资企业",
    "独资企业",
    "合伙企业",
    "有限合伙",
    "个体工商户",
    "经营部",
    "门市部",
    "经销部",
    "营业部",
    "销售部",
    "办事处",
    "代表处",
    "工作室",
    "商行",
    "商店",
    "分厂",
    "总厂",
    "厂",
)
"""Chinese legal and organisational forms (simplified script: keys are folded first), stripped
from the end repeatedly, longest first."""

CN_PROVINCES = (
    *(p.short for p in cn_regions().provinces),
    "台湾",
    "香港",
    "澳门",
)
"""Provinces (from ``config/cn_regions.toml``) and Hong Kong, Macao and Taiwan: a leading one
is dropped from a name with or without its suffix (广东省…, 广东…)."""
CN_CITIES = (
    "深圳",
    "广州",
    "东莞",
    "佛山",
    "中山",
    "珠海",
    "惠州",
    "汕头",
    "江门",
    "肇庆",
    "潮州",
    "揭阳",
    "杭州",
    "宁波",
    "温州",
    "义乌",
    "金华",
    "台州",
    "绍兴",
    "嘉兴",
    "湖州",
    "永康",
    "慈溪",
    "余姚",
    "乐清",
    "苏州",
    "无锡",
    "常州",
    "南京",
    "南通",
    "扬州",
    "徐州",
    "昆山",
    "江阴",
    "张家港",
    "常熟",
    "厦门",
    "福州",
    "泉州",
    "晋江",
    "莆田",
    "青岛",
    "济南",
    "烟台",
    "潍坊",
    "临沂",
    "淄博",
    "威海",
    "郑州",
    "洛阳",
    "武汉",
    "长沙",
    "成都",
    "西安",
    "合肥",
    "南昌",
    "石家庄",
    "保定",
    "唐山",
    "廊坊",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "昆明",
    "贵阳",
    "南宁",
    "太原",
    "兰州",
    "乌鲁木齐",
    "呼和浩特",
    "海口",
    "三亚",
)
"""The cities listings most often start with bare (深圳光影…): dropped without 市. Any other
prefecture-level city in ``config/cn_regions.toml`` is dropped only as ``…市``, because bare
names such as 安康, 白银 or 普洱 are also brands."""

PINYIN_PLACES = frozenset(
    {
        "china",
        "beijing",
        "tianjin",
        "shanghai",
        "chongqing",
        "hebei",
        "shanxi",
        "liaoning",
        "jilin",
        "heilongjiang",
        "jiangsu",
        "zhejiang",
        "anhui",
        "fujian",
        "jiangxi",
        "shandong",
        "henan",
        "hubei",
        "hunan",
        "guangdong",
        "hainan",
        "sichuan",
        "guizhou",
        "yunnan",
        "shaanxi",
        "gansu",
        "qinghai",
        "guangxi",
        "hong kong",
        "hongkong",
        "hk",
        "macau",
        "shenzhen",
        "guangzhou",
        "dongguan",
        "foshan",
        "zhongshan",
        "zhuhai",
        "huizhou",
        "shantou",
        "jiangmen",
        "hangzhou",
        "ningbo",
        "wenzhou",
        "yiwu",
        "jinhua",
        "taizhou",
        "shaoxing",
        "suzhou",
        "wuxi",
        "changzhou",
        "nanjing",
        "nantong",
        "xiamen",
        "fuzhou",
        "quanzhou",
        "qingdao",
        "jinan",
        "yantai",
        "zhengzhou",
        "wuhan",
        "changsha",
        "chengdu",
        "xian",
        "xi'an",
        "hefei",
        "kunshan",
        "shijiazhuang",
        "shenyang",
        "dalian",
    }
)
"""Places written in Latin letters, for ``(Shenzhen)`` and a leading ``Shenzhen …``."""

_PLACE_SUFFIX = "(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|地区|区|县)?"
_CN_PLACES = sorted({*CN_PROVINCES, *CN_CITIES, "中国"}, key=len, reverse=True)
_CN_CITIES_WITH_SUFFIX = sorted(
    {c.short for c in cn_regions().cities} - set(_CN_PLACES), key=len, reverse=True
)
_PLACE_ALTERNATIVES = (
    "(?:(?:" + "|".join(_CN_PLACES) + ")" + _PLACE_SUFFIX + "|(?:"
    + "|".join(_CN_CITIES_WITH_SUFFIX) + ")市)"
)  # fmt: skip
_LEADING_PLACE_RE = re.compile("^" + _PLACE_ALTERNATIVES)
_TRAILING_PLACE_RE = re.compile(_PLACE_ALTERNATIVES + "$")
_CN_LEGAL_RE = re.compile("(?:" + "|".join(CN_LEGAL_FORMS) + ")$")
_BRACKET_RE = re.compile(r"[(\[{【〔]([^()\[\]{}【】〔〕]*)[)\]}】〕]")
_LATIN_LEGAL_IN_BRACKETS = frozenset({"p", "pty", "pvt", "pte", "private", "ltd", "limited", "inc"})
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef"
)
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile("[a-z]")
_TOKEN_RE = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+", re.UNICODE)


def _is_place(text: str) -> bool:
    text = text.strip()
    if text.lower() in PINYIN_PLACES:
        return True
    return bool(text) and _LEADING_PLACE_RE.sub("", text) == "" and _CJK_RE.search(text) is not None


def _drop_brackets(text: str) -> str:
    """``(Shenzhen)``, ``（中国）``, ``(Pty)`` go; other bracketed words stay without brackets."""

    def repl(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        if _is_place(inner) or inner.replace(".", "").strip() in _LATIN_LEGAL_IN_BRACKETS:
            return " "
        return f" {inner} "

    previous = None
    while previous != text:
        previous, text = text, _BRACKET_RE.sub(repl, text)
    return text


def _strip_cn(text: str) -> str:
    """Strip Chinese legal forms from the end and places from either end until nothing changes.

    A place at the end is what is left of ``明镜光学深圳分公司`` once ``分公司`` is gone.
    """
    if not _CJK_RE.search(text):
        return text
    previous = None
    while previous != text:
        previous = text
        text = text.strip()
        stripped = _CN_LEGAL_RE.sub("", text).rstrip()
        if len(stripped) >= 2:
            text = stripped
        stripped = _LEADING_PLACE_RE.sub("", text).lstrip()
        if len(stripped) >= 2 and stripped != text:
            text = stripped
        stripped = _TRAILING_PLACE_RE.sub("", text).rstrip()
        if len(stripped) >= 2 and _CJK_RE.search(stripped[-1:]):
            text = stripped
    return text


def _terms_by_last_word() -> dict[str, list[tuple[int, int, list[str]]]]:
    index: dict[str, list[tuple[int, int, list[str]]]] = {}
    for order, (size, parts) in enumerate(prepare_default_terms()):
        index.setdefault(parts[-1], []).append((order, size, parts))
    return index


_TERMS_BY_LAST_WORD = _terms_by_last_word()


def legal_basename(name: str) -> str:
    """``cleanco.basename(name)`` (legal terms removed from the end), with cleanco's own
    terms, indexed by their last word.

    cleanco compares the name's tail with each of its several hundred terms in turn, which
    made it a fifth of enriching a lead; only terms ending in the name's last word can
    match, so those are the only ones tried, in cleanco's order, with the same result
    (a property test holds the two equal).
    """
    name = strip_tail(name)
    parts = name.split()
    norm = [strip_punct(word) for word in normalized(name).split()]
    after = 0  # cleanco tries each term once, in order: a term before the last cut is done
    while norm:
        cut = next(
            (
                (order, size)
                for order, size, term in _TERMS_BY_LAST_WORD.get(norm[-1], ())
                if order >= after and norm[-size:] == term
            ),
            None,
        )
        if cut is None:
            break
        order, size = cut
        del norm[-size:]
        del parts[-size:]
        after = order + 1
    return str(strip_tail(" ".join(parts)))


def _strip_latin(text: str) -> str:
    if not _LATIN_RE.search(text):
        return text
    previous = None
    text = re.sub(r",(?=\S)", ", ", text)
    text = re.sub(r"\bco\.(?=ltd\b)", "co. ", text)
    previous_dots = None
    while previous_dots != text:  # "n.v." → "nv.", "i.b.m." → "ibm." so cleanco sees one word
        previous_dots, text = text, re.sub(r"(?<=\b[^\W\d_])\.(?=[^\W\d_]\b)", "", text)
    while previous != text:
        previous = text
        stripped = legal_basename(text).strip(" ,.-&")
        if stripped:
            text = stripped
    return text


def _strip_leading_pinyin_place(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0] in PINYIN_PLACES and len(" ".join(words[1:])) >= 4:
        words = words[1:]
    return " ".join(words)


LATIN_LEGAL_CUT = frozenset(
    {
        "ltd",
        "limited",
        "proprietary",
        "llc",
        "inc",
        "incorporated",
        "gmbh",
        "nv",
        "bv",
        "plc",
        "pty",
        "pvt",
        "pte",
        "corp",
        "corporation",
        "sarl",
        "srl",
        "ltda",
        "bvba",
        "kgaa",
        # spelled out: cleanco knows the abbreviations (AG, AB, SA), not always the words
        "aktiengesellschaft",
        "aktiebolag",
        "aktieselskab",
        "kommanditgesellschaft",
        "osakeyhtiö",
    }
)
"""Legal forms no business is named after: where one appears mid-name, what follows is a
branch or a place (``akzo nobel nv arnhem``, ``acme ltd cairns branch``) and is cut off."""

LATIN_LEGAL_CUT_PHRASES = frozenset(
    {
        ("naamloze", "vennootschap"),
        ("besloten", "vennootschap"),
        ("private", "limited"),
        ("sdn", "bhd"),
        ("gesellschaft", "mit", "beschränkter", "haftung"),
        ("gesellschaft", "mit", "beschrankter", "haftung"),
        ("société", "anonyme"),
        ("societe", "anonyme"),
        ("sociedad", "anónima"),
        ("sociedad", "anonima"),
        ("società", "per", "azioni"),
        ("societa", "per", "azioni"),
        ("société", "à", "responsabilité", "limitée"),
        ("societe", "a", "responsabilite", "limitee"),
    }
)
"""Spelled-out legal forms of several words, cut like ``LATIN_LEGAL_CUT``."""
_PHRASE_WIDTHS = sorted({len(p) for p in LATIN_LEGAL_CUT_PHRASES}, reverse=True)


def _join_letters(tokens: list[str]) -> list[str]:
    """``n v`` → ``nv``, ``d s m`` → ``dsm``: initials spaced out are one word."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isascii() and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        if token:
            out.append(token)
    return out


def _cut_legal(tokens: list[str]) -> list[str]:
    def legal_at(i: int) -> int:
        for width in _PHRASE_WIDTHS:
            if tuple(tokens[i : i + width]) in LATIN_LEGAL_CUT_PHRASES:
                return width
        return 1 if tokens[i] in LATIN_LEGAL_CUT else 0

    while tokens and (width := legal_at(0)) and len(tokens) > width:
        tokens = tokens[width:]
    for i in range(1, len(tokens)):
        if legal_at(i):
            return tokens[:i]
    return tokens


def _normalise_once(text: str) -> str:
    text = re.sub(r"^\s*the\s+", "", text)
    text = re.sub(r"\bp\s*/\s*l\.?\s*$", " pty ltd", text)  # Australian "P/L"
    text = _drop_brackets(text)
    text = _strip_cn(text)
    text = _strip_latin(text)
    text = _strip_cn(text)
    text = re.sub(r"\band\s*$", "", text)
    tokens = _cut_legal(_join_letters(_TOKEN_RE.findall(text)))
    key = " ".join(tokens)
    key = re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", key)
    return _strip_leading_pinyin_place(_strip_cn(key)).strip()


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The matching key for a company name ("" for an empty name).

    Width-folded (NFKC), lower-cased, traditional characters made simplified (OpenCC), legal
    forms removed (cleanco for Latin forms, a table for Chinese ones; a mid-name
    ``Ltd``/``N.V.`` cuts off the branch or place after it), bracketed regions (（深圳）,
    (Hong Kong)) and leading provinces/cities removed, spaced initials joined,
    punctuation and spaces collapsed; spaces between CJK characters are dropped since they
    carry no meaning. Applied until stable, so a key normalises to itself.
    """
    if name in _FIXED_KEYS:
        return name
    text = _prepared(name)
    previous = None
    for _ in range(5):
        if text == previous:
            if text not in _FIXED_KEYS and _prepared(text) == text:
                if len(_FIXED_KEYS) >= _FIXED_KEYS_MAX:
                    _FIXED_KEYS.clear()
                _FIXED_KEYS.add(text)
            break
        previous, text = text, _normalise_once(text)
    return text


def _prepared(name: str) -> str:
    text = simplified(unicodedata.normalize("NFKC", name or "").lower())
    return text.replace("&", " and ").replace("’", "").replace("'", "")


_FIXED_KEYS: set[str] = set()
"""Keys :func:`normalise_name` has produced and that it maps to themselves (the loop
converged and the first steps leave them as they are), so normalising a key again — what
dedupe's pinyin keys and the store do for every lead — costs one set lookup, with the same
result as the full run."""
_FIXED_KEYS_MAX = 1 << 18


def name_tokens(key: str) -> list[str]:
    """Tokens for blocking: Latin/digit words as they are, CJK runs as character bigrams.

    Chinese has no spaces, so ``明镜光学`` becomes ``明镜 镜光 光学``; a one-character run
    stays one token.
    """
    tokens: list[str] = []
    for run in _TOKEN_RE.findall(key):
        if _CJK_RE.match(run):
            if len(run) == 1:
                tokens.append(run)
            else:
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return list(dict.fromkeys(tokens))


@cache
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters written in simplified ones (OpenCC t2s).

    For keys only: listings from Taiwan and Hong Kong write 數碼 where the mainland writes
    数码, and one business must give one key. Other text passes through unchanged.
    """
    if not text or text.isascii():
        return text
    return str(_t2s().convert(text))


@dataclass(frozen=True)
class NameWords:
    """``config/name_words.toml``: what-the-business-does words, Chinese and English, and
    the words any business may carry (places, standing)."""

    descriptors: Mapping[str, str]
    """Chinese word → the English word(s) a translated name uses for it."""
    synonyms: Mapping[str, str]
    """English word → the canonical word ("" drops it)."""
    shared: frozenset[str] = frozenset()
    """``[shared_words]``: places and standing ("europa", "royal"), lowercase, one word each."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, origin: str) -> NameWords:
        """Validate the tables; anything else, or a value that is not text, is an error."""
        tables: dict[str, dict[str, str]] = {"descriptors": {}, "synonyms": {}}
        shared: set[str] = set()
        for section, table in data.items():
            if section not in (*tables, "shared_words"):
                raise ConfigError(f"{origin}: unknown section [{section}]")
            if not isinstance(table, Mapping):
                raise ConfigError(f"{origin}: [{section}] must be a table")
            if section == "shared_words":
                shared |= _word_lists(table, origin)
                continue
            for key, value in table.items():
                if not isinstance(value, str) or (section == "descriptors" and not value.strip()):
                    raise ConfigError(f"{origin}: {section}.{key} must be a word, not {value!r}")
                if section == "descriptors" and not _CJK_RE.search(key):
                    raise ConfigError(f"{origin}: descriptors.{key} must be a Chinese word")
                words = " ".join(_TOKEN_RE.findall(value.lower()))
                if not value.isascii() or words != " ".join(value.lower().split()):
                    raise ConfigError(f"{origin}: {section}.{key} must be plain English words")
                tables[section][simplified(key) if section == "descriptors" else key] = words
        return cls(tables["descriptors"], tables["synonyms"], frozenset(shared))


def _word_lists(table: Mapping[str, Any], origin: str) -> set[str]:
    """Every list of ``[shared_words]``: each entry one lowercase word as a key spells it."""
    words: set[str] = set()
    for name, values in table.items():
        if not isinstance(values, list):
            raise ConfigError(f"{origin}: shared_words.{name} must be a list of words")
        for word in values:
            if (
                not isinstance(word, str)
                or _TOKEN_RE.fullmatch(word) is None
                or word != word.lower()
            ):
                raise ConfigError(
                    f"{origin}: shared_words.{name} holds {word!r}, not one lowercase word"
                )
            words.add(word)
    return words


@cache
def name_words() -> NameWords:
    """The table from the config folder (read once per process)."""
    return NameWords.from_mapping(load_toml("name_words.toml"), origin="name_words.toml")


@cache
def _descriptor_re() -> re.Pattern[str]:
    words = sorted(name_words().descriptors, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!)")


@cache
def _shared_and_trade_words() -> frozenset[str]:
    words = name_words()
    out = set(words.shared)
    for value in words.descriptors.values():
        out.update(value.split())
    for key, value in words.synonyms.items():
        out.add(key)
        out.update(value.split())
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def own_words(key: str) -> str:
    """A name key without the words any business may carry: places and standing
    (``[shared_words]``: "europa", "nederland", "royal", "international") and trade words
    (the English descriptor and synonym words; in Chinese, the descriptors: 科技, 光学 …).

    What is left names the business ("canon europa" → "canon", "koninklijke philips" →
    "philips", "明镜光学" → "明镜"); dedupe's chain guard holds two names alike only if this
    is alike too. Empty when nothing is left ("international trading").
    """
    shared = _shared_and_trade_words()
    out: list[str] = []
    for token in _TOKEN_RE.findall(key):
        if _CJK_RE.search(token):
            out.extend(_descriptor_re().sub(" ", token).split())
        elif token not in shared:
            out.append(token)
    return " ".join(out)


def _romanise(run: str) -> list[str]:
    """A CJK run as words: descriptors in English, everything between in one pinyin word."""
    words = name_words().descriptors
    out: list[str] = []
    pos = 0
    for match in _descriptor_re().finditer(run):
        if match.start() > pos:
            out.append("".join(lazy_pinyin(run[pos : match.start()])))
        out.extend(words[match.group(0)].split())
        pos = match.end()
    if pos < len(run):
        out.append("".join(lazy_pinyin(run[pos:])))
    return out


def _pinyin_once(text: str) -> str:
    key = normalise_name(text)
    synonyms = name_words().synonyms
    words: list[str] = []
    for token in _TOKEN_RE.findall(key):
        if _CJK_RE.search(token):
            words.extend(_romanise(token))
            continue
        token = token.replace("ü", "v")
        canonical = synonyms.get(token, token)
        words.extend(canonical.split())
    latin = " ".join(w for w in words if w.isascii() and w.isalnum())
    return latin


def pinyin_key(name: str) -> str:
    """A Latin-letter key shared by a Chinese name and its romanised English name.

    ``深圳市光影数码科技有限公司``, ``（深圳）光影數碼科技`` and ``Shenzhen Guangying Digital
    Technology Co., Ltd.`` all give ``guangying digital technology``: the name key first
    (legal forms, places and brackets gone, traditional folded), then the name's own part
    in toneless pinyin written as one word, and the words that say what the business does
    (数码, 科技 …) in the English a translated name uses (``config/name_words.toml``), with
    English variants (tech, technologies …) folded the same way. Characters that are neither
    pinyin-able nor Latin (kana, hangul) are left out. Applied until stable, so a key keys to
    itself.
    """
    text = name or ""
    for _ in range(5):
        key = _pinyin_once(text)
        if key == text:
            break
        text = key
    return text
