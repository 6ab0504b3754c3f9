"""The commands that keep the customer file: ``import``, ``suppress`` and ``purge``.

They live apart from :mod:`leadharvest.cli` (which imports this module to register them) so
the main command module stays small; like it, they parse arguments and call, nothing more.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from leadharvest.cli import UserError, app, err_console, out_console

suppress_app = typer.Typer(
    help="The do-not-contact list, applied before every export.", no_args_is_help=True
)
app.add_typer(suppress_app, name="suppress")

_STORE_HELP = "Store URL (SQLite path or SQLAlchemy URL). Default: leadharvest-out/leadharvest.db."


def _open_store(store: str) -> Any:
    from leadharvest.runner import default_store_url
    from leadharvest.store import Store

    return Store(store or default_store_url(Path("leadharvest-out")))


@app.command("import")
def import_cmd(
    sheet: Annotated[Path, typer.Argument(help="A lead sheet (.xlsx) written by LeadHarvest.")],
    store: Annotated[str, typer.Option(help=_STORE_HELP)] = "",
) -> None:
    """Read a sheet's Verification, Notes and Review decisions into the store (all or nothing)."""
    from leadharvest.importer import SheetImportError, import_sheet

    if not sheet.is_file():
        raise UserError(f"sheet not found: {sheet}")
    db = _open_store(store)
    try:
        result = import_sheet(sheet, db)
    except SheetImportError as exc:
        raise UserError(f"{exc}; nothing was imported") from exc
    finally:
        db.close()
    out_console.print(
        f"imported {sheet.name} ({result.lang}): {result.rows} leads, {result.updated} updated,"
        f" {result.unchanged} unchanged; {result.do_not_contact} do not contact"
        f" ({result.suppression_added} keys added to the suppression list);"
        f" review pairs: {result.accepted} accepted (merged), {result.split} split",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _suppression_key(value: str, kind: str, region: str) -> tuple[str, str]:
    from leadharvest.suppression import SuppressionValueError, normalise_key

    try:
        return normalise_key(value, kind.lower() or None, region=region)
    except SuppressionValueError as exc:
        raise UserError(str(exc)) from exc


_KIND_HELP = "email, phone, domain or regid (registration id); guessed when not given."
_REGION_HELP = "Country to read a local phone number in, e.g. CN, AU."


@suppress_app.command("add")
def suppress_add(
    value: Annotated[str, typer.Argument(help="E-mail, phone, domain or registration id.")],
    kind: Annotated[str, typer.Option(help=_KIND_HELP)] = "",
    region: Annotated[str, typer.Option(help=_REGION_HELP)] = "",
    reason: Annotated[str, typer.Option(help="Why (who asked, when).")] = "",
    store: Annotated[str, typer.Option(help=_STORE_HELP)] = "",
) -> None:
    """Never export a lead with this key again."""
    from leadharvest.store import SuppressionEntry

    key_kind, key = _suppression_key(value, kind, region)
    db = _open_store(store)
    try:
        added = db.add_suppression(
            [SuppressionEntry(kind=key_kind, value=key, reason=reason or "added by hand")]
        )
    finally:
        db.close()
    state = "added" if added else "already listed"
    out_console.print(f"{state}: {key_kind} {key}", markup=False, highlight=False)


@suppress_app.command("remove")
def suppress_remove(
    value: Annotated[str, typer.Argument(help="The key to take off the list.")],
    kind: Annotated[str, typer.Option(help=_KIND_HELP)] = "",
    region: Annotated[str, typer.Option(help=_REGION_HELP)] = "",
    store: Annotated[str, typer.Option(help=_STORE_HELP)] = "",
) -> None:
    """Take a key off the do-not-contact list."""
    key_kind, key = _suppression_key(value, kind, region)
    db = _open_store(store)
    try:
        removed = db.remove_suppression(key_kind, key)
    finally:
        db.close()
    if not removed:
        raise UserError(f"{key_kind} {key} is not on the suppression list")
    out_console.print(f"removed: {key_kind} {key}", markup=False, highlight=False)


@suppress_app.command("list")
def suppress_list(store: Annotated[str, typer.Option(help=_STORE_HELP)] = "") -> None:
    """Print the do-not-contact list, tab-separated: kind, key, date added, why."""
    db = _open_store(store)
    try:
        entries = db.suppression_list()
    finally:
        db.close()
    for entry in entries:
        added = f"{entry.added_at:%Y-%m-%d}" if entry.added_at else ""
        why = entry.reason + (f" ({entry.lead_id})" if entry.lead_id else "")
        sys.stdout.write(f"{entry.kind}\t{entry.value}\t{added}\t{why}\n")  # tab-separated
    err_console.print(f"{len(entries)} keys on the suppression list", markup=False)


@app.command()
def purge(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than", help="Remove unverified leads not seen for this many days (>= 1)."
        ),
    ],
    store: Annotated[str, typer.Option(help=_STORE_HELP)] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would be removed.")
    ] = False,
) -> None:
    """Remove unverified leads and page records past their retention period."""
    days_text = older_than.strip()
    if not re.fullmatch(r"[0-9]{1,6}", days_text) or not 1 <= int(days_text) <= 36500:
        raise UserError(
            f"--older-than takes a whole number of days from 1 to 36500, got {older_than!r}"
        )
    db = _open_store(store)
    try:
        counts = db.purge(int(days_text), dry_run=dry_run)
    finally:
        db.close()
    verb = "would remove" if dry_run else "removed"
    out_console.print(
        f"{verb} {counts.leads} unverified leads, {counts.evidence} evidence records and"
        f" {counts.pages} page records older than {int(days_text)} days; verified, invalid and"
        " do-not-contact leads and the suppression list are kept",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
