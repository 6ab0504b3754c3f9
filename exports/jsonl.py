"""JSON lines: one lead per line, for pipelines, the store and ``leadharvest dedupe``.

``write_jsonl`` writes ``Lead.to_dict()`` exactly — no formula neutralising, because JSON is
not a spreadsheet and a consumer must get the page's text as found; whoever turns it into
cells runs it through :mod:`exports.cells`. ``read_leads_jsonl`` also reads the lighter lines
that ``leadharvest extract`` prints, so a trainee can grade or export one page's leads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from leadharvest.items import Email, Evidence, Lead, Person, Phone, parse_dt

SKIPPED_KINDS = frozenset({"page", "search_result"})
_MASK_CHARS = ("*", "＊", "•")
_EVIDENCE_FIELDS = ("name", "phones", "emails", "website", "address", "people")


def write_jsonl(leads: Iterable[Lead], path: Path) -> Path:
    """Write one ``Lead.to_dict()`` per line, UTF-8, Chinese kept readable (no \\u escapes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for lead in leads:
            fh.write(json.dumps(lead.to_dict(), ensure_ascii=False) + "\n")
    return path


def read_leads_jsonl(path: Path) -> list[Lead]:
    """Leads from full Lead lines and ``extract``'s ``{"kind": "lead"}`` lines.

    Page and search-result lines are skipped, but a page line's ``source``/``url`` become
    the evidence of the lead lines after it, so extracted leads still point at their page.
    A bad line raises ValueError naming the file and line number.
    """
    path = Path(path)
    leads: list[Lead] = []
    page: Mapping[str, Any] = {}
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("expected a JSON object")
                kind = data.get("kind")
                if kind is None:
                    leads.append(Lead.from_dict(data))
                elif kind == "lead":
                    leads.append(lead_from_extract(data, page=page))
                elif kind in SKIPPED_KINDS:
                    if kind == "page":
                        page = data
                else:
                    raise ValueError(f"unknown kind {kind!r}")
            except (ValueError, TypeError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc
    return leads


def lead_from_extract(data: Mapping[str, Any], *, page: Mapping[str, Any] | None = None) -> Lead:
    """A Lead from one ``extract`` lead line: raw phones and e-mails, to be enriched later."""
    page = page or {}
    name = data.get("name")
    if not isinstance(name, str):
        raise ValueError("a lead line needs a text 'name'")
    masked = bool(data.get("masked", False))
    people = [
        Person(
            name=str(p.get("name") or ""),
            title=str(p.get("title") or ""),
            phones=_phones(p.get("phones")),
            emails=_emails(p.get("emails")),
        )
        for p in data.get("people") or []
        if isinstance(p, Mapping)
    ]
    lead = Lead(
        name=name.strip(),
        website=str(data.get("website") or ""),
        address_raw=str(data.get("address") or ""),
        products=str(data.get("products") or ""),
        description=str(data.get("description") or ""),
        phones=_phones(data.get("phones")),
        emails=_emails(data.get("emails")),
        people=people,
        masked=masked,
    )
    url = str(data.get("url") or page.get("url") or "")
    if url:
        lead.evidence.append(
            Evidence(
                source=str(data.get("source") or page.get("source") or ""),
                method=str(data.get("method") or page.get("method") or ""),
                url=url,
                fetched_at=parse_dt(data.get("fetched_at") or page.get("fetched_at")),
                fields=[
                    f for f in ("name", "phones", "emails", "website", "address") if data.get(f)
                ],
            )
        )
        for phone in lead.phones:
            phone.sources.append(url)
        for email in lead.emails:
            email.sources.append(url)
    return lead


def _phones(values: Any) -> list[Phone]:
    return [
        Phone(raw=str(v), masked=any(ch in str(v) for ch in _MASK_CHARS))
        for v in values or []
        if str(v).strip()
    ]


def _emails(values: Any) -> list[Email]:
    return [
        Email(raw=str(v), masked=any(ch in str(v) for ch in _MASK_CHARS))
        for v in values or []
        if str(v).strip()
    ]
