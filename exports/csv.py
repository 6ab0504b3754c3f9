"""The generic CSV: the Leads sheet's columns as comma-separated text.

UTF-8 with a byte-order mark, because Excel on Chinese Windows otherwise reads UTF-8 as the
local code page and turns every Chinese name into mojibake. Every cell goes through
:func:`exports.cells.safe_text`, since a CSV opened in Excel runs formulas just like a sheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from exports.cells import safe_text
from exports.columns import check_lang, headers, row_values, sort_leads
from leadharvest.items import Lead


def write_csv(leads: Iterable[Lead], path: Path, *, lang: str = "en") -> Path:
    """Write the leads (best first, like the sheet) with headers in ``lang``; returns path."""
    check_lang(lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_text(h) for h in headers(lang)])
        for lead in sort_leads(leads):
            writer.writerow([safe_text(v) for v in row_values(lead, lang)])
    return path
