"""Company names as matching keys.

``深圳市明镜光学有限公司``, ``明镜光学（深圳）有限公司`` and ``明镜光学`` are one business, and so
are ``BRIGHTLENS OPTICS PTY. LTD.`` and ``Brightlens Optics``. The key drops what varies
between listings of one business — width, case, legal form, a leading province or city, a
bracketed region, punctuation — and keeps what tells businesses apart. The shown name stays
``Lead.name``; only matching uses the key.

Traditional → simplified Chinese folding is not done: no offline converter is installed
(OpenCC would do it; add it here when it is).
"""

from __future__ import annotations

import re
import unicodedata

from cleanco import basename

CN_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "分公司",
    "总公司",
    "公司",
    "经营部",
    "门市部",
    "经销部",
    "工作室",
    "商行",
    "厂",
)
"""Chinese legal and organisational forms, stripped from the end repeatedly (longest first)."""

CN_PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
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
"""Provinces and the cities most listings start with; enough for prefixes, not a gazetteer."""

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

_PLACE_SUFFIX = "(?:省|市|自治区|特别行政区|地区|区|县)?"
_CN_PLACES = sorted({*CN_PROVINCES, *CN_CITIES, "中国"}, key=len, reverse=True)
_LEADING_PLACE_RE = re.compile("^(?:" + "|".join(_CN_PLACES) + ")" + _PLACE_SUFFIX)
_TRAILING_PLACE_RE = re.compile("(?:" + "|".join(_CN_PLACES) + ")" + _PLACE_SUFFIX + "$")
_CN_LEGAL_RE = re.compile("(?:" + "|".join(CN_LEGAL_FORMS) + ")$")
_BRACKET_RE = re.compile(r"[(\[{]([^()\[\]{}]*)[)\]}]")
_LATIN_LEGAL_IN_BRACKETS = frozenset({"p", "pty", "pvt", "pte", "private", "ltd", "limited", "inc"})
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef"
)
_CJK_RE = re.compile(f"[{_CJK}]")
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


def _strip_latin(text: str) -> str:
    previous = None
    text = re.sub(r",(?=\S)", ", ", text)
    text = re.sub(r"\bco\.(?=ltd\b)", "co. ", text)
    previous_dots = None
    while previous_dots != text:  # "n.v." → "nv.", "i.b.m." → "ibm." so cleanco sees one word
        previous_dots, text = text, re.sub(r"(?<=\b[^\W\d_])\.(?=[^\W\d_]\b)", "", text)
    while previous != text:
        previous = text
        stripped = basename(text).strip(" ,.-&")
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
    }
)
"""Legal forms no business is named after: where one appears mid-name, what follows is a
branch or a place (``akzo nobel nv arnhem``, ``acme ltd cairns branch``) and is cut off."""

LATIN_LEGAL_CUT_PAIRS = frozenset(
    {
        ("naamloze", "vennootschap"),
        ("besloten", "vennootschap"),
        ("private", "limited"),
        ("sdn", "bhd"),
    }
)


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
        if tuple(tokens[i : i + 2]) in LATIN_LEGAL_CUT_PAIRS:
            return 2
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


def normalise_name(name: str) -> str:
    """The matching key for a company name ("" for an empty name).

    Width-folded (NFKC), lower-cased, legal forms removed (cleanco for Latin forms, a table for
    Chinese ones; a mid-name ``Ltd``/``N.V.`` cuts off the branch or place after it),
    bracketed regions and leading provinces/cities removed, spaced initials joined,
    punctuation and spaces collapsed; spaces between CJK characters are dropped since they
    carry no meaning. Applied until stable, so a key normalises to itself.
    """
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = text.replace("&", " and ").replace("’", "").replace("'", "")
    previous = None
    for _ in range(5):
        if text == previous:
            break
        previous, text = text, _normalise_once(text)
    return text


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
