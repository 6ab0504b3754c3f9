"""``leadharvest import``: a trainee's checked lead sheet back into the store.

The lead sheet is where people record what they learned by calling: Verified, Invalid, Do
not contact, and notes. Importing it makes that knowledge survive the next run (a re-run
never resets it) and feeds do-not-contact into the suppression list.

A sheet is imported whole or not at all. Everything is checked before anything is written —
the header (a known LeadHarvest header in ONE language; columns may be reordered or
deleted but not renamed, added or doubled), every lead id (well formed, once, in this
store), every Verification value (one of the drop-down's labels, English or Chinese) —
and the changes go in one transaction. A half-imported sheet would leave a team unsure
which of its edits the store holds.

The ``Review`` sheet's decisions come along in the same transaction: a row with Accept (合并)
merges its two stored leads, Split (分开) remembers them as two businesses for good; a blank
Decision is left for later. Each decided pair must be one the store showed for the sheet's
job (the About sheet's Job ID), with both leads still stored.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from exports.cells import clean_text, restore_text
from exports.columns import COLUMNS, LANGS, VERIFICATION_LABELS
from exports.tables import DECISIONS, REVIEW_COLUMNS
from leadharvest.store import ReviewDecision, Store, SuppressionEntry
from leadharvest.suppression import entries_for

REQUIRED = ("lead_id", "verification", "notes")
"""The columns an import reads; the others may be deleted from the sheet."""

LEAD_ID_RE = re.compile(r"^L[0-9a-f]{12}(?:[0-9a-f]{4})?$")
"""What :func:`leadharvest.store.stable_id` makes (plus its 4-character collision suffix)."""

SHEET_RE = re.compile(r"^Leads(?:[ _-]?\(?\d+\)?)?$")
"""``Leads``, and its continuation sheets when a sheet is split past Excel's row limit."""

_LABEL_TO_KEY: dict[str, str] = {
    label.casefold(): key
    for key, labels in VERIFICATION_LABELS.items()
    for label in labels.values()
}


_DECISION_TO_KEY: dict[str, str] = {
    label.casefold(): key for key, labels in DECISIONS.items() for label in labels.values()
}
_REVIEW_KEYS = ("left_id", "left_name", "right_id", "right_name", "score", "reason", "decision")
"""REVIEW_COLUMNS' meaning, in their order."""
_JOB_ID_LABELS = ("Job ID", "任务编号")
"""The About sheet's label for the job the sheet was written from (exports.xlsx)."""


class SheetImportError(ValueError):
    """The sheet cannot be imported as it is; the message says what to fix. Nothing was written."""


@dataclass(frozen=True)
class SheetRow:
    """One lead's edits as read from the sheet."""

    row: int
    """Excel's row number, for messages."""
    lead_id: str
    verification: str
    """A key of VERIFICATION_LABELS."""
    notes: str


@dataclass(frozen=True)
class ReviewRow:
    """One decided pair from the Review sheet."""

    row: int
    left_id: str
    right_id: str
    decision: str
    """A key of exports.tables.DECISIONS: accept or split."""


@dataclass(frozen=True)
class ImportResult:
    lang: str
    rows: int
    updated: int
    unchanged: int
    do_not_contact: int
    suppression_added: int
    accepted: int = 0
    split: int = 0


def read_sheet(path: Path) -> tuple[str, list[SheetRow]]:
    """The sheet's header language and its rows, every cell checked; raises SheetImportError."""
    path = Path(path)
    if not path.is_file():
        raise SheetImportError(f"sheet not found: {path}")
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetImportError(f"not an Excel .xlsx lead sheet: {path} ({exc})") from exc
    try:
        names = [name for name in wb.sheetnames if SHEET_RE.match(name)]
        if not names:
            raise SheetImportError(
                f"{path.name} has no 'Leads' sheet: not a LeadHarvest lead sheet"
            )
        lang = ""
        rows: list[SheetRow] = []
        for name in names:
            sheet_lang, sheet_rows = _read_leads_sheet(wb[name], name)
            if lang and sheet_lang != lang:
                raise SheetImportError(f"sheet {name!r} has {sheet_lang} headers, not {lang}")
            lang = sheet_lang
            rows.extend(sheet_rows)
    finally:
        wb.close()
    return lang, rows


def _read_leads_sheet(ws: Any, name: str) -> tuple[str, list[SheetRow]]:
    grid = ws.iter_rows(values_only=True)
    try:
        return _read_rows(grid, name)
    finally:
        grid.close()  # a read-only sheet's half-read rows hold the file open otherwise


def _read_rows(grid: Any, name: str) -> tuple[str, list[SheetRow]]:
    header = [clean_text(v).strip() for v in next(grid, ())]
    lang, positions = _check_header(header, name)
    rows: list[SheetRow] = []
    for number, values in enumerate(grid, start=2):
        if all(clean_text(v).strip() == "" for v in values):
            continue

        def cell(key: str, values: tuple[Any, ...] = values) -> Any:
            at = positions[key]
            return values[at] if at < len(values) else None

        raw_id = cell("lead_id")
        lead_id = raw_id.strip() if isinstance(raw_id, str) else ""
        if not LEAD_ID_RE.match(lead_id):
            shown = "empty" if raw_id in (None, "") else repr(clean_text(raw_id))
            raise SheetImportError(
                f"{name} row {number}: lead id {shown} is not a LeadHarvest lead id"
                " (the Lead ID column must not be edited)"
            )
        label = clean_text(cell("verification")).strip()
        verification = _LABEL_TO_KEY.get(label.casefold()) if label else "unverified"
        if verification is None:
            choices = " / ".join(labels["en"] for labels in VERIFICATION_LABELS.values())
            choices_zh = " / ".join(labels["zh"] for labels in VERIFICATION_LABELS.values())
            raise SheetImportError(
                f"{name} row {number}: verification {label!r} is not one of"
                f" {choices} ({choices_zh})"
            )
        notes = restore_text(clean_text(cell("notes")))
        rows.append(SheetRow(number, lead_id, verification, notes))
    return lang, rows


def _check_header(header: list[str], name: str) -> tuple[str, dict[str, int]]:
    """The header's language and each column's position; refuses a changed header."""
    by_lang = {lang: {col.header(lang): col.key for col in COLUMNS} for lang in LANGS}
    present = [lang for lang in LANGS if _header_of("lead_id", lang) in header]
    if len(present) != 1:
        what = "both English and Chinese" if present else "no 'Lead ID' / '线索编号'"
        raise SheetImportError(
            f"{name} sheet header has {what} lead id column: not a LeadHarvest lead sheet"
            " in one language, or its header was changed"
        )
    lang = present[0]
    other = {h for lg in LANGS if lg != lang for h in by_lang[lg]}
    positions: dict[str, int] = {}
    for at, text in enumerate(header):
        if not text:
            continue
        key = by_lang[lang].get(text)
        if key is None:
            why = "is a header in the other language" if text in other else "is not a column"
            raise SheetImportError(
                f"{name} sheet header {text!r} {why} of a {lang} LeadHarvest lead sheet:"
                " columns may be moved or deleted, not renamed or added"
            )
        if key in positions:
            raise SheetImportError(f"{name} sheet header has column {text!r} twice")
        positions[key] = at
    missing = [_header_of(key, lang) for key in REQUIRED if key not in positions]
    if missing:
        raise SheetImportError(
            f"{name} sheet header lacks {', '.join(repr(m) for m in missing)}:"
            " import needs the lead id, verification and notes columns"
        )
    return lang, positions


def _header_of(key: str, lang: str) -> str:
    return next(col.header(lang) for col in COLUMNS if col.key == key)


def read_review(path: Path, lang: str) -> tuple[str, list[ReviewRow]]:
    """The sheet's job id (About) and the Review rows with a decision; raises SheetImportError.

    A sheet without a Review tab has no decisions (a trainee may delete it). The Review header
    is checked like the Leads one: the same language, columns moved or deleted but not renamed.
    """
    try:
        wb = load_workbook(Path(path), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SheetImportError(f"not an Excel .xlsx lead sheet: {path} ({exc})") from exc
    try:
        job_id = _about_job_id(wb["About"]) if "About" in wb.sheetnames else ""
        if "Review" not in wb.sheetnames:
            return job_id, []
        grid = wb["Review"].iter_rows(values_only=True)
        try:
            return job_id, _read_review_rows(grid, lang)
        finally:
            grid.close()
    finally:
        wb.close()


def _about_job_id(ws: Any) -> str:
    grid = ws.iter_rows(values_only=True, max_col=2)
    try:
        for values in grid:
            if len(values) == 2 and clean_text(values[0]).strip() in _JOB_ID_LABELS:
                return clean_text(values[1]).strip()
    finally:
        grid.close()
    return ""


def _read_review_rows(grid: Any, lang: str) -> list[ReviewRow]:
    header = [clean_text(v).strip() for v in next(grid, ())]
    names = {col.header(lang): key for col, key in zip(REVIEW_COLUMNS, _REVIEW_KEYS, strict=True)}
    positions: dict[str, int] = {}
    for at, text in enumerate(header):
        if not text:
            continue
        key = names.get(text)
        if key is None or key in positions:
            what = "is not a column" if key is None else "is there twice"
            raise SheetImportError(
                f"Review sheet header {text!r} {what} of a {lang} LeadHarvest Review sheet:"
                " columns may be moved or deleted, not renamed, added or doubled"
            )
        positions[key] = at
    missing = [h for h, key in names.items() if key in ("left_id", "right_id", "decision")]
    missing = [h for h in missing if names[h] not in positions]
    if missing:
        raise SheetImportError(
            f"Review sheet header lacks {', '.join(repr(m) for m in missing)}:"
            " import needs both lead ids and the decision"
        )
    rows: list[ReviewRow] = []
    for number, values in enumerate(grid, start=2):

        def cell(key: str, values: tuple[Any, ...] = values) -> str:
            at = positions[key]
            return clean_text(values[at] if at < len(values) else None).strip()

        label = cell("decision")
        if not label:
            continue  # undecided: stays in the queue
        decision = _DECISION_TO_KEY.get(label.casefold())
        if decision is None:
            en = " / ".join(labels["en"] for labels in DECISIONS.values())
            zh = " / ".join(labels["zh"] for labels in DECISIONS.values())
            raise SheetImportError(
                f"Review row {number}: decision {label!r} is not one of {en} ({zh})"
            )
        ids = (cell("left_id"), cell("right_id"))
        for lead_id in ids:
            if not LEAD_ID_RE.match(lead_id):
                shown = repr(lead_id) if lead_id else "empty"
                raise SheetImportError(
                    f"Review row {number}: lead id {shown} is not a LeadHarvest lead id"
                    " (the Lead ID columns must not be edited)"
                )
        if ids[0] == ids[1]:
            raise SheetImportError(f"Review row {number}: both lead ids are {ids[0]}")
        left, right = sorted(ids)
        rows.append(ReviewRow(number, left, right, decision))
    return rows


def _check_decisions(
    rows: list[ReviewRow], store: Store, job_id: str, known: set[str], sheet: str
) -> list[ReviewDecision]:
    """The decisions still to carry out, every pair checked against the store first."""
    if not rows:
        return []
    if not job_id:
        raise SheetImportError(
            "the Review sheet has decisions but the About sheet has no Job ID: only a sheet"
            " written from a job (run, or export --job) can decide review pairs"
        )
    earlier = {(d.lead_id_a, d.lead_id_b): d for d in store.review_decisions()}
    pairs = {
        tuple(sorted((p.left_id, p.right_id))) for p in store.review_pairs(job_id, decided=True)
    }
    seen: dict[tuple[str, str], ReviewRow] = {}
    todo: list[ReviewDecision] = []
    for row in rows:
        pair = (row.left_id, row.right_id)
        if pair in seen:
            if seen[pair].decision != row.decision:
                raise SheetImportError(
                    f"Review rows {seen[pair].row} and {row.row} decide the same pair differently"
                )
            continue
        seen[pair] = row
        before = earlier.get(pair)
        if before is not None:
            if before.decision != row.decision:
                raise SheetImportError(
                    f"Review row {row.row}: the pair {row.left_id} / {row.right_id} was already"
                    f" decided as {DECISIONS[before.decision]['en']} ({before.source});"
                    " export a fresh sheet"
                )
            continue  # the same sheet imported again
        for lead_id in pair:
            if lead_id not in known:
                raise SheetImportError(
                    f"Review row {row.row}: lead id {lead_id} is not in this store: the sheet"
                    " is from another store or its ids were changed"
                )
        if pair not in pairs:
            raise SheetImportError(
                f"Review row {row.row}: {row.left_id} / {row.right_id} is not a review pair of"
                f" job {job_id!r} in this store: the Review sheet's ids were changed"
            )
        todo.append(
            ReviewDecision(
                lead_id_a=row.left_id,
                lead_id_b=row.right_id,
                decision=row.decision,
                job_id=job_id,
                source=f"review sheet {sheet}",
            )
        )
    _check_consistent(todo, list(earlier.values()))
    return todo


def _check_consistent(todo: list[ReviewDecision], earlier: list[ReviewDecision]) -> None:
    """Refuse accepts that would join two leads a Split keeps apart (directly or in a chain)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for d in [*earlier, *todo]:
        if d.decision == "accept":
            parent[find(d.lead_id_a)] = find(d.lead_id_b)
    for d in [*earlier, *todo]:
        if d.decision == "split" and find(d.lead_id_a) == find(d.lead_id_b):
            raise SheetImportError(
                f"the pair {d.lead_id_a} / {d.lead_id_b} is marked Split but Accepts join them"
                " into one business: decide the Review rows consistently"
            )


def import_sheet(path: Path, store: Store, *, reason: str = "") -> ImportResult:
    """Check ``path`` completely, then write its verification and notes (and do-not-contact
    keys) into ``store`` in one transaction. Raises SheetImportError before writing anything."""
    lang, rows = read_sheet(path)
    seen: dict[str, int] = {}
    for row in rows:
        if row.lead_id in seen:
            raise SheetImportError(
                f"lead id {row.lead_id} is on rows {seen[row.lead_id]} and {row.row}:"
                " each lead must appear once"
            )
        seen[row.lead_id] = row.row
    state = store.review_state()
    unknown = [row for row in rows if row.lead_id not in state]
    accepted = {
        lead_id
        for d in store.review_decisions()
        if d.decision == "accept"
        for lead_id in (d.lead_id_a, d.lead_id_b)
    }
    gone = [row for row in unknown if row.lead_id in accepted]
    if gone:
        raise SheetImportError(
            f"lead id {gone[0].lead_id} on row {gone[0].row} was merged into another lead by"
            " an earlier review import (Accept): export a fresh sheet"
        )
    if unknown:
        raise SheetImportError(
            f"{len(unknown)} lead id(s) are not in this store (first: {unknown[0].lead_id} on"
            f" row {unknown[0].row}): the sheet is from another store or its ids were changed"
        )
    changes = [
        (row.lead_id, row.verification, row.notes)
        for row in rows
        if state[row.lead_id] != (row.verification, row.notes)
    ]
    why = reason or f"marked do not contact in {Path(path).name}"
    entries: list[SuppressionEntry] = []
    dnc = [row for row in rows if row.verification == "do_not_contact"]
    for row in dnc:
        lead = store.get_lead(row.lead_id)
        if lead is not None:
            entries.extend(entries_for(lead, why))
    job_id, review_rows = read_review(path, lang)
    decisions = _check_decisions(review_rows, store, job_id, set(state), Path(path).name)
    added = store.apply_review(changes, entries, decisions)
    return ImportResult(
        lang=lang,
        rows=len(rows),
        updated=len(changes),
        unchanged=len(rows) - len(changes),
        do_not_contact=len(dnc),
        suppression_added=added,
        accepted=sum(d.decision == "accept" for d in decisions),
        split=sum(d.decision == "split" for d in decisions),
    )
