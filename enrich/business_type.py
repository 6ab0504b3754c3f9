"""Business type from the words a business uses about itself.

Sales courses sort prospects into manufacturers, wholesalers/distributors, retailers,
agents/trading companies and service firms, because each buys differently. The classifier is
a transparent word count, not a model: the reason names the words that decided it, so a
trainee can see why ``明镜光学厂`` is a manufacturer and overrule it.
"""

from __future__ import annotations

import re
import unicodedata

KEYWORDS: dict[str, tuple[str, ...]] = {
    "manufacturer": (
        "manufacturer",
        "manufacturers",
        "manufacturing",
        "manufacture",
        "manufactures",
        "factory",
        "factories",
        "oem",
        "odm",
        "producer",
        "fabricator",
        "厂家",
        "厂商",
        "生产",
        "制造",
        "工厂",
        "加工",
        "源头",
        "厂",
    ),
    "wholesaler_distributor": (
        "wholesale",
        "wholesaler",
        "wholesalers",
        "distributor",
        "distributors",
        "distribution",
        "supplier",
        "suppliers",
        "批发",
        "经销",
        "分销",
        "供应商",
        "供货",
    ),
    "retailer": (
        "retail",
        "retailer",
        "retailers",
        "shop",
        "store",
        "showroom",
        "boutique",
        "outlet",
        "零售",
        "门店",
        "专卖店",
        "旗舰店",
        "商店",
        "门市",
    ),
    "agent_trading": (
        "agent",
        "agents",
        "agency",
        "trading",
        "import",
        "export",
        "importer",
        "exporter",
        "import/export",
        "sourcing",
        "代理",
        "贸易",
        "进出口",
        "外贸",
        "商贸",
    ),
    "service": (
        "service",
        "services",
        "repair",
        "repairs",
        "maintenance",
        "installation",
        "rental",
        "consulting",
        "服务",
        "维修",
        "安装",
        "租赁",
        "咨询",
    ),
}
"""Words that point at each type, English (whole words) and Chinese (substrings)."""

WEIGHTS: dict[str, float] = {"service": 0.5}
""""Service" is said by everyone ("OEM service", "24-hour service"), so it weighs less."""

PRIORITY = ("manufacturer", "wholesaler_distributor", "agent_trading", "retailer", "service")
"""Tie-break: the type closer to the source of the goods wins ("manufacturer and exporter")."""

NOISE = re.compile(
    r"customer\s+services?|after[-\s]?sales?\s+services?|客服|售后服务|服务热线|服务电话|服务时间"
    r"|terms\s+of\s+service|privacy|online\s+store\s+locator",
    re.IGNORECASE,
)
"""Phrases that contain a keyword but say nothing about what the business is."""


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if word.isascii():
            parts.append(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])")
        else:
            parts.append(escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


_PATTERNS = {kind: _pattern(words) for kind, words in KEYWORDS.items()}


def classify_business(text: str) -> tuple[str, str]:
    """``(type, reason)`` for a name/products/description text.

    The type with the highest weighted count of distinct keywords wins, ties going to the
    earlier type in ``PRIORITY``; the reason lists the words that decided it, e.g.
    ``manufacturer: 'factory', '生产'``. No keyword gives ``("unknown", "")``.
    """
    clean = NOISE.sub(" ", unicodedata.normalize("NFKC", text or "").lower())
    best_kind, best_score, best_words = "unknown", 0.0, []
    for kind in PRIORITY:
        words = list(dict.fromkeys(m.group(0) for m in _PATTERNS[kind].finditer(clean)))
        score = len(words) * WEIGHTS.get(kind, 1.0)
        if score > best_score:
            best_kind, best_score, best_words = kind, score, words
    if best_kind == "unknown":
        return "unknown", ""
    return best_kind, f"{best_kind}: " + ", ".join(f"'{w}'" for w in best_words)
