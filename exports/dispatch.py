"""``leadharvest export --format NAME``: one place that knows every output format.

The format names are the built-in writers (the Excel lead sheet, JSON lines, vCard) plus
every CRM profile in ``config/crm/`` — so a new ``config/crm/foo.toml`` is a new format with
no code change. The CLI parses options and calls :func:`export_leads`; anything applied to
every export (suppression, tiers) belongs before this call, on the list of leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from exports.crm import ExportResult, load_profile, profile_names, write_crm
from leadharvest.items import Job, Lead, ReviewPair

BUILTIN_FORMATS = ("xlsx", "jsonl", "vcard")


def format_names() -> list[str]:
    """Every format ``export`` accepts: the lead sheet first, then profiles, then the rest."""
    return ["xlsx", *profile_names(), "vcard", "jsonl"]


def export_leads(
    leads: list[Lead],
    fmt: str,
    path: Path,
    *,
    lang: str = "en",
    job: Job | None = None,
    vcard_version: str = "4.0",
    review: Sequence[ReviewPair] = (),
) -> ExportResult:
    """Write ``leads`` in format ``fmt``; KeyError for an unknown format (the CLI says which)."""
    path = Path(path)
    if fmt == "xlsx":
        from exports.xlsx import write_lead_sheet

        written = write_lead_sheet(leads, path, job=job, lang=lang, review=review)
        return ExportResult([written], len(leads))
    if fmt == "jsonl":
        from exports.jsonl import write_jsonl

        return ExportResult([write_jsonl(leads, path)], len(leads))
    if fmt == "vcard":
        from exports.vcard import write_vcard

        written, cards = write_vcard(leads, path, version=vcard_version, lang=lang)
        return ExportResult([written], cards)
    if fmt not in profile_names():
        raise KeyError(fmt)
    return write_crm(leads, load_profile(fmt), path, lang=lang)
