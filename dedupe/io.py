"""The ``leadharvest dedupe`` command's files: any CSV or JSON-lines list of businesses in,
the same rows out with ``cluster_id`` and ``match_reason``.

A trainee's list from a CRM or a spreadsheet can hold millions of rows, so the file is read
twice as a stream: the first pass enriches each row's lead and keeps only its matching
keys (normalised name, E.164 phones, e-mails, domains, place; not the row's other columns,
not the lead), dedupe clusters them through its public ``find_clusters_of_keys``, and the
second pass reads the input again and writes each row as it comes, in input order, with its
cluster. Memory grows with the number of rows, by their keys, never with the width of the
rows. Every output cell goes through ``exports.cells.safe_text``: a cell copied from a
web page must not become a formula when the CSV is opened in a spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import gc
import json
import os
import re
from array import array
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import phonenumbers
from charset_normalizer import from_bytes

from dedupe.engine import DedupeSettings, find_clusters_of_keys
from dedupe.table import LeadKeys, lead_keys
from enrich.pipeline import enrich_lead
from exports.cells import safe_text
from leadharvest.items import Email, Lead, Person, Phone

FIELDS = (
    "name",
    "contact",
    "phone",
    "email",
    "website",
    "address",
    "city",
    "postcode",
    "state",
    "country",
)
"""Input columns read for matching; any other column is carried through unchanged."""

ALIASES = {"phones": "phone", "emails": "email", "address_raw": "address", "region": "state"}
"""The lead record's own names (``export --format jsonl``), read when the field's is absent."""

OUTPUT_COLUMNS = ("cluster_id", "match_reason")
MAX_REASONS = 10
"""Distinct links listed per cluster in ``match_reason``; the rest are counted."""
SAMPLE_BYTES = 1 << 16
MULTI_SEPARATOR = re.compile(r"[;；\n]")

_T = TypeVar("_T")


class DedupeFileError(ValueError):
    """The input or the options cannot be used: one line for the user, exit code 2."""


@dataclass
class InputFile:
    """How to read one input file, found by looking at its start."""

    path: Path
    kind: str
    """``csv`` or ``jsonl``."""
    encoding: str = "utf-8-sig"
    delimiter: str = ","


@dataclass
class Columns:
    """The input's columns and which of them are lead fields."""

    header: list[str]
    fields: dict[str, int] = field(default_factory=dict)
    """Field name → column index."""


@dataclass
class DedupeSummary:
    """What one run did, for the command's last line."""

    rows: int
    clusters: int
    duplicate_rows: int
    """Rows in a cluster of two or more."""
    groups: int
    """Clusters of two or more rows."""
    output: Path


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``--map column=field`` options as {column: field}; a bad one is a user error."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.partition("=")
        column, target = column.strip(), target.strip().lower()
        if not sep or not column or not target:
            raise DedupeFileError(f"--map expects COLUMN=FIELD, got {item!r}")
        if target not in FIELDS:
            raise DedupeFileError(
                f"--map {item}: unknown field {target!r}; fields: {', '.join(FIELDS)}"
            )
        if target in mapping.values():
            raise DedupeFileError(f"--map: two columns are mapped to {target!r}")
        mapping[column] = target
    return mapping


def check_region(region: str) -> str:
    """``--region`` upper-cased; it must be a phone region phonenumbers knows."""
    region = region.strip().upper()
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        raise DedupeFileError(
            f"--region must be an ISO country code such as CN or AU, not {region!r}"
        )
    return region


def open_input(path: Path) -> InputFile:
    """The file's kind (by suffix, else by its first character), encoding and delimiter."""
    if not path.is_file():
        raise DedupeFileError(f"input not found: {path}")
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip():
        raise DedupeFileError(f"{path} is empty")
    encoding = _encoding(path, sample)
    text = sample.decode(encoding, errors="ignore").lstrip("\ufeff")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json") or (
        suffix not in (".csv", ".tsv", ".txt") and text.lstrip().startswith("{")
    ):
        return InputFile(path, "jsonl", encoding)
    first_line = text.splitlines()[0] if text else ""
    delimiter = "\t" if suffix == ".tsv" else max(",\t;", key=first_line.count)
    return InputFile(path, "csv", encoding, delimiter if first_line.count(delimiter) else ",")


def _encoding(path: Path, sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the start decodes as it; else what it looks like
    (a CSV saved by Excel in China is often GB18030)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        guess = from_bytes(sample).best()
        if guess is None:
            raise DedupeFileError(
                f"{path}: cannot tell the text encoding; save it as UTF-8"
            ) from None
        return "gb18030" if guess.encoding in ("gbk", "gb2312") else guess.encoding
    return "utf-8-sig"


def _cell(value: Any) -> str:
    """A JSON value as one cell: lists joined with "; ", objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _json_values(value: Any) -> list[str]:
    """A phone / e-mail value from JSON: a string, a list of strings, or the lead record's
    own ``{"raw": …}`` objects."""
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            if isinstance(item, dict):
                out.append(str(item.get("raw") or item.get("e164") or item.get("address") or ""))
            else:
                out.extend(_split(_cell(item)))
        return [v for v in out if v]
    return _split(_cell(value))


def _split(text: str) -> list[str]:
    return [part.strip() for part in MULTI_SEPARATOR.split(text) if part.strip()]


def _resolve(header: Sequence[str], mapping: Mapping[str, str], path: Path) -> dict[str, int]:
    """Field → column index: --map first, then a column named like the field (any case),
    then the lead record's own name for it."""
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    folded = {name.strip().lower(): i for i, name in reversed(list(enumerate(header)))}
    fields: dict[str, int] = {}
    for column, target in mapping.items():
        if column in index:
            fields[target] = index[column]
        elif column.lower() in folded:
            fields[target] = folded[column.lower()]
        else:
            raise DedupeFileError(f"--map {column}={target}: {path} has no column {column!r}")
    mapped = set(fields.values())
    for name in FIELDS:
        if name not in fields and name in folded and folded[name] not in mapped:
            fields[name] = folded[name]
    for alias, name in ALIASES.items():
        if name not in fields and alias in folded and folded[alias] not in mapped:
            fields[name] = folded[alias]
    if "name" not in fields:
        shown = ", ".join(h for h in header[:12] if h) + (" …" if len(header) > 12 else "")
        raise DedupeFileError(
            f"{path} has no name column (columns: {shown or 'none'}); "
            "use --map COLUMN=name to say which holds the company name"
        )
    return fields


def _csv_rows(source: InputFile) -> Iterator[list[str]]:
    with source.path.open(encoding=source.encoding, errors="replace", newline="") as fh:
        yield from csv.reader(fh, delimiter=source.delimiter)


def _json_objects(source: InputFile) -> Iterator[dict[str, Any]]:
    with source.path.open(encoding=source.encoding, errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DedupeFileError(
                    f"{source.path} line {number}: not JSON ({exc.msg})"
                ) from None
            if not isinstance(record, dict):
                raise DedupeFileError(f"{source.path} line {number}: not a JSON object")
            yield record


def _lead(values: Mapping[str, list[str]], region: str) -> Lead:
    """The compact lead matching needs, enriched; nothing else of the row is kept."""

    def one(name: str) -> str:
        found = values.get(name) or []
        return " ".join(found).strip()

    lead = Lead(
        name=one("name"),
        phones=[Phone(raw=p) for p in values.get("phone", [])],
        emails=[Email(raw=e) for e in values.get("email", [])],
        people=[Person(name=c) for c in values.get("contact", [])],
        website=one("website"),
        address_raw=one("address"),
        city=one("city"),
        postcode=one("postcode"),
        region=one("state"),
        country=one("country"),  # enrich_lead turns "Australia" / "au" into AU
    )
    return enrich_lead(lead, region=region, classify=False)


def _csv_values(row: Sequence[str], fields: Mapping[str, int]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, i in fields.items():
        cell = row[i].strip() if i < len(row) else ""
        if not cell:
            continue
        out[name] = _split(cell) if name in ("phone", "email", "contact") else [cell]
    return out


def _json_fields(keys: Sequence[str], mapping: Mapping[str, str], path: Path) -> dict[str, str]:
    """Field → JSON key, resolved like CSV columns."""
    return {name: keys[i] for name, i in _resolve(keys, mapping, path).items()}


def _json_record_values(
    record: Mapping[str, Any], fields: Mapping[str, str]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, key in fields.items():
        if key not in record:
            continue
        value = record[key]
        if name == "contact" and isinstance(value, list):
            found = [str(v.get("name", "")) if isinstance(v, dict) else _cell(v) for v in value]
            out[name] = [v for v in found if v.strip()]
        elif name in ("phone", "email", "contact"):
            out[name] = _json_values(value)
        elif _cell(value).strip():
            out[name] = [_cell(value).strip()]
    return out


def read_keys(
    source: InputFile, mapping: Mapping[str, str], region: str, portal_domains: Collection[str]
) -> tuple[list[LeadKeys], list[str], int]:
    """First pass: each data row's matching keys, the output header, the row count.

    Each row's lead is enriched, turned into its keys and dropped at once: a lead with its
    parsed phones and e-mails is several times the size of its keys, and a million rows
    must fit a laptop.
    """
    return _read_rows(
        source, mapping, region, lambda lead: lead_keys(lead, ignore_domains=portal_domains)
    )


def read_leads(
    source: InputFile, mapping: Mapping[str, str], region: str
) -> tuple[list[Lead], list[str], int]:
    """First pass: one compact lead per data row, the output header, the row count."""
    return _read_rows(source, mapping, region, lambda lead: lead)


def _read_rows(
    source: InputFile, mapping: Mapping[str, str], region: str, keep: Callable[[Lead], _T]
) -> tuple[list[_T], list[str], int]:
    out: list[_T] = []
    if source.kind == "csv":
        rows = _csv_rows(source)
        header = [h.strip() for h in next(rows, [])]
        if not any(header):
            raise DedupeFileError(f"{source.path} has no header row")
        fields = _resolve(header, mapping, source.path)
        width = len(header)
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            width = max(width, len(row))
            out.append(keep(_lead(_csv_values(row, fields), region)))
        extra = [f"column_{i + 1}" for i in range(len(header), width)]
        return out, _output_header([*header, *extra]), len(out)
    keys = _json_keys(source)
    fields_json = _json_fields(keys, mapping, source.path)
    for record in _json_objects(source):
        out.append(keep(_lead(_json_record_values(record, fields_json), region)))
    return out, _output_header(keys), len(out)


def _json_keys(source: InputFile) -> list[str]:
    """Every key in first-seen order (the output's columns), without keeping the records."""
    keys: dict[str, None] = {}
    for record in _json_objects(source):
        for key in record:
            keys.setdefault(key, None)
    return list(keys)


def _output_header(columns: list[str]) -> list[str]:
    """The input's columns (less any earlier cluster columns, so a rerun replaces them)."""
    return [c for c in columns if c not in OUTPUT_COLUMNS] + list(OUTPUT_COLUMNS)


def _reason(reasons: Sequence[str]) -> str:
    shown = list(reasons[:MAX_REASONS])
    if len(reasons) > MAX_REASONS:
        shown.append(f"… and {len(reasons) - MAX_REASONS} more links")
    return "; ".join(shown)


def _write(
    source: InputFile,
    out: Path,
    header: list[str],
    cluster_of: array[int],
    reason_of: Mapping[int, str],
) -> None:
    """Second pass: every input row, in order, with its cluster; written beside ``out`` and
    moved into place, so a failure never leaves half a file under the output's name."""
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_text(h) for h in header])
        width = len(header) - len(OUTPUT_COLUMNS)
        row_index = 0
        if source.kind == "csv":
            rows = _csv_rows(source)
            original = [h.strip() for h in next(rows, [])]
            dropped = {i for i, name in enumerate(original) if name in OUTPUT_COLUMNS}
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                cells = [c for i, c in enumerate(row) if i not in dropped]
                cells = (cells + [""] * width)[:width]
                cluster = cluster_of[row_index]
                row_index += 1
                writer.writerow(
                    [safe_text(c) for c in cells]
                    + [str(cluster), safe_text(reason_of.get(cluster, ""))]
                )
        else:
            names = header[:width]
            for record in _json_objects(source):
                cluster = cluster_of[row_index]
                row_index += 1
                writer.writerow(
                    [safe_text(_cell(record.get(name))) for name in names]
                    + [str(cluster), safe_text(reason_of.get(cluster, ""))]
                )
    os.replace(tmp, out)


def dedupe_file(
    path: Path, out: Path, *, mapping: Mapping[str, str] | None = None, region: str = ""
) -> DedupeSummary:
    """Cluster the businesses in ``path`` and write every row with its cluster to ``out``.

    ``cluster_id`` numbers the businesses from 1 in the order each first appears; rows of
    one business share it, and ``match_reason`` says which evidence joined them (empty for a
    row with no duplicate). ``region`` is the default country for phone numbers written
    without one.
    """
    if out.exists() and out.resolve() == path.resolve():
        raise DedupeFileError("the output file must not be the input file")
    source = open_input(path)
    collecting = gc.isenabled()
    gc.disable()  # millions of acyclic records: full collections would only rescan them
    try:
        settings = DedupeSettings.load()
        keys, header, rows = read_keys(
            source, dict(mapping or {}), check_region(region), settings.portal_domains
        )
        clusters = find_clusters_of_keys(keys, settings=settings)
        del keys
    finally:
        if collecting:
            gc.enable()
    cluster_of = array("q", [0]) * rows
    reason_of: dict[int, str] = {}
    duplicates = 0
    ordered = sorted(clusters, key=lambda c: min(c.members))
    for number, cluster in enumerate(ordered, 1):
        for member in cluster.members:
            cluster_of[member] = number
        if len(cluster.members) > 1:
            duplicates += len(cluster.members)
            reason_of[number] = _reason(cluster.reasons)
    del clusters
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(source, out, header, cluster_of, reason_of)
    return DedupeSummary(rows, len(ordered), duplicates, len(reason_of), out)
