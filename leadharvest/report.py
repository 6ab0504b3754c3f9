"""The job's health report: per source, what was asked, what came back, and why not.

A trainee must be able to tell "this site blocked us" from "nothing matched": every page
record carries its outcome and, for blocks and errors, the reason (captcha, HTTP 403,
disallowed by robots.txt, not in the replay archive, an API key not set). The same rows feed
the terminal summary and the sheet's ``About`` tab.

A misbehaving server is counted by the kind of fault (:data:`FAULT_KINDS`): every fault
reason starts with its kind's label and a colon (``timeout: no answer within 30 s``), so the
spiders say what happened and this module counts each kind separately, in English or
Chinese. A fault can mark a page that still gave leads (a mislabelled charset that was read
correctly, a truncated gzip body whose first part parsed): it is counted all the same.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from leadharvest.items import Lead, PageRecord

PAGE_OUTCOMES = (
    "ok",
    "no_results",
    "blocked",
    "robots",
    "missing",
    "error",
    "limit",
    "not_configured",
)
"""``limit``: a link not followed because a page budget or the depth limit was reached."""
ANSWERED = {"ok", "no_results", "blocked"}
"""Outcomes for which the site (or archive) sent a page back."""
NOT_REQUESTED = {"not_configured", "limit"}
"""Outcomes that record a page never asked for: they are not counted as requests."""


@dataclass(frozen=True)
class FaultKind:
    """One kind of server misbehaviour, as the health report names and counts it."""

    key: str
    en: str
    zh: str


FAULT_KINDS = (
    FaultKind("rate_limited", "rate-limited", "被限流"),
    FaultKind("server_error", "server error", "服务器错误"),
    FaultKind("connection_reset", "connection reset", "连接中断"),
    FaultKind("connection_refused", "connection refused", "连接被拒绝"),
    FaultKind("host_not_found", "host not found", "找不到主机"),
    FaultKind("timeout", "timeout", "超时"),
    FaultKind("too_large", "too large", "页面过大"),
    FaultKind("limit", "limit reached", "达到抓取上限"),
    FaultKind("redirect_loop", "redirect loop", "重定向循环"),
    FaultKind("bad_encoding", "bad encoding", "编码错误"),
)
_BY_LABEL = {kind.en: kind for kind in FAULT_KINDS}
_BY_KEY = {kind.key: kind for kind in FAULT_KINDS}

_DETAIL_ZH = (
    (r"^HTTP (\d+)$", r"HTTP \1"),
    (r"^before the page arrived$", "页面到达前"),
    (r"^page cut short$", "页面被截断"),
    (r"^no answer within (\S+) s$", r"\1 秒内无响应"),
    (r"^over ([\d,]+) bytes$", r"超过 \1 字节"),
    (r"^page budget of (\d+) pages per site$", r"每个网站最多 \1 页"),
    (r"^depth limit of (\d+) links$", r"链接深度上限 \1"),
    (r"^back to an earlier address$", "跳回已访问的地址"),
    (r"^more than (\d+) redirects$", r"超过 \1 次重定向"),
    (r"^charset declared as (\S+), read as (\S+)$", r"声明为 \1，按 \2 读取"),
    (r"^truncated (\S+) body, partial page used$", r"\1 压缩内容被截断，已使用可读部分"),
    (r"^compressed body cannot be read$", "压缩内容无法解压"),
)


def fault_reason(key: str, detail: str = "") -> str:
    """The reason text for a fault of kind ``key``: ``label: detail``."""
    label = _BY_KEY[key].en
    return f"{label}: {detail}" if detail else label


def fault_kind(reason: str) -> FaultKind | None:
    """The kind of fault a page record's reason names, or None for any other reason."""
    return _BY_LABEL.get(reason.split(":", 1)[0].strip())


def translate_reason(reason: str, lang: str) -> str:
    """A fault reason in ``lang``; other reasons (captcha, HTTP 403 …) as they are."""
    kind = fault_kind(reason)
    if lang != "zh" or kind is None:
        return reason
    detail = reason.split(":", 1)[1].strip() if ":" in reason else ""
    recovered = re.search(r", recovered after (\d+) retr(?:y|ies)$", detail)
    if recovered:
        detail = detail[: recovered.start()]
    for pattern, replacement in _DETAIL_ZH:
        if re.match(pattern, detail):
            detail = re.sub(pattern, replacement, detail)
            break
    if recovered:
        detail += f"{'，' if detail else ''}重试 {recovered.group(1)} 次后恢复"
    return f"{kind.zh}：{detail}" if detail else kind.zh


@dataclass
class SourceHealth:
    """One source's line in the health report."""

    source: str
    method: str = ""
    requests: int = 0
    responses: int = 0
    ok: int = 0
    empty: int = 0
    blocked: int = 0
    robots: int = 0
    missing: int = 0
    errors: int = 0
    not_configured: int = 0
    limited: int = 0
    """Links not followed because a page budget or the depth limit was reached."""
    leads: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    """Pages per kind of fault (:data:`FAULT_KINDS` keys)."""

    def reason_text(self, limit: int = 3, lang: str = "en") -> str:
        """Every fault reason, by kind, then the commonest other reasons.

        E.g. ``timeout: no answer within 30 s; redirect loop: back to an earlier address ×2;
        captcha ×2; HTTP 403``. Faults are never cut off by ``limit``: each kind a site
        showed must be visible, or a trainee cannot tell a slow site from a broken one.
        """
        order = {kind.key: n for n, kind in enumerate(FAULT_KINDS)}
        faults = sorted(
            ((r, n) for r, n in self.reasons.items() if fault_kind(r) is not None),
            key=lambda rn: (order[fault_kind(rn[0]).key], -rn[1], rn[0]),  # type: ignore[union-attr]
        )
        others = Counter({r: n for r, n in self.reasons.items() if fault_kind(r) is None})
        shown = [*faults, *others.most_common(limit)]
        return "; ".join(
            f"{translate_reason(r, lang)} ×{n}" if n > 1 else translate_reason(r, lang)
            for r, n in shown
        )

    def fault_counts(self) -> dict[str, int]:
        """Pages per kind of fault, in :data:`FAULT_KINDS` order, kinds seen only."""
        return {kind.key: self.faults[kind.key] for kind in FAULT_KINDS if self.faults[kind.key]}


@dataclass
class Summary:
    """Counts for one job."""

    grades: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    total: int = 0
    health: list[SourceHealth] = field(default_factory=list)

    @property
    def pages_fetched(self) -> int:
        return sum(n for status, n in self.pages.items() if status in ANSWERED)


def source_health(pages: list[PageRecord], leads: list[Lead]) -> list[SourceHealth]:
    """Per-source health rows, in the order sources first appear."""
    rows: dict[str, SourceHealth] = {}
    for page in pages:
        row = rows.setdefault(page.source, SourceHealth(page.source, page.method))
        kind = fault_kind(page.reason) if page.reason else None
        if kind is not None:
            row.faults[kind.key] += 1
        if page.status in NOT_REQUESTED:
            attr = "limited" if page.status == "limit" else "not_configured"
            setattr(row, attr, getattr(row, attr) + 1)
            row.reasons[page.reason] += 1
            continue
        row.requests += 1
        if page.status in ANSWERED:
            row.responses += 1
        attr = {"no_results": "empty", "error": "errors"}.get(page.status, page.status)
        if hasattr(row, attr):
            setattr(row, attr, getattr(row, attr) + 1)
        reasoned = {"blocked", "robots", "missing", "error", "no_results"}
        if page.reason and (page.status in reasoned or kind is not None):
            row.reasons[page.reason] += 1
    for lead in leads:
        for name in lead.sources:
            rows.setdefault(name, SourceHealth(name)).leads += 1
    return list(rows.values())


def summarize(leads: list[Lead], pages: list[PageRecord]) -> Summary:
    """Count leads (a lead counts once per method and per source that found it) and pages."""
    summary = Summary(total=len(leads), health=source_health(pages, leads))
    for lead in leads:
        summary.grades[lead.grade or "-"] += 1
        for method in lead.methods:
            summary.methods[method] += 1
        for source in lead.sources:
            summary.sources[source] += 1
    for page in pages:
        summary.pages[page.status] += 1
    return summary
