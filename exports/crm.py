"""CRM import files, driven by the profiles in ``config/crm/<name>.toml``.

Every CRM wants its own headers, keys, picklist values, encoding and file size, and they
change more often than code should. So a profile is data: which CRM column takes which lead
field (from the small vocabulary in :data:`FIELDS`), what to do when a required value is
missing (skip the row, fill a stated default, or derive it from another field), the
encoding and BOM, delimiter, date format, picklist values and rows per file. Adding
``config/crm/foo.toml`` adds ``leadharvest export --format foo``.

Column values come from a small fixed vocabulary rather than Python expressions because a
profile is edited by people who run a CRM, not by programmers, and a typo must be a
one-line error when the profile loads, not a wrong column in a file a sales team imported.

Every row says where it came from and that it is unverified (the ``description`` field and
each profile's Lead Source), phones go out as E.164, and every cell goes through
:func:`exports.cells.safe_text` / :func:`exports.cells.write_row`.
"""

from __future__ import annotations

import codecs
import csv
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from exports.cells import XLSX_MAX_TEXT, is_allowed, safe_text, write_row
from exports.columns import (
    BUSINESS_TYPE_LABELS,
    COLUMNS,
    LIST_SEP,
    all_emails,
    all_phones,
    check_lang,
    method_label,
    row_values,
    sort_leads,
)
from leadharvest.items import DATA_STATUS, Email, Lead, Person, Phone
from leadharvest.settings import ConfigError, config_dir, load_toml

CRM_DIR = "crm"
RESERVED = frozenset({"xlsx", "jsonl", "vcard"})
"""Format names that are not profiles; a profile file with one of these names is refused."""

XLSX_MAX_ROWS = 1_048_576

UNVERIFIED = {
    "en": "Unverified third-party data: check before contact.",
    "zh": "未经核实的第三方数据，联系前请核实。",
}
_DESCRIPTION = {
    "en": {
        "collected": "Collected by LeadHarvest on {date} from public web pages:",
        "grade": "Grade {grade} (score {score})",
        "products": "Products:",
        "phones": "Phones:",
        "contact": "Contact:",
        "no_date": "an unknown date",
    },
    "zh": {
        "collected": "LeadHarvest 于 {date} 收集自公开网页：",
        "grade": "等级 {grade}（得分 {score}）",
        "products": "主营产品：",
        "phones": "电话：",
        "contact": "联系人：",
        "no_date": "未知日期",
    },
}


class CrmExportError(ValueError):
    """An export that cannot be written as the profile asks (e.g. a character its encoding
    cannot hold); the message names the row and column so the profile can be fixed."""


# -- the field vocabulary ------------------------------------------------------------------
@dataclass(frozen=True)
class RowContext:
    """What one output row is about: a lead and, for per-person profiles, one of its people."""

    lead: Lead
    person: Person | None
    first: bool
    """The lead's first row: the lead's own e-mail goes here only, so a CRM keyed on e-mail
    does not merge two people of one company into one contact."""
    profile: CrmProfile
    lang: str


def named_people(lead: Lead) -> list[Person]:
    """The lead's people that have a name: a nameless entry is no one to address."""
    return [p for p in lead.people if p.name.strip()]


def _usable_phones(phones: Iterable[Phone]) -> list[Phone]:
    return [p for p in phones if p.e164 and not p.masked]


def _phone_text(ctx: RowContext, phone: Phone | None) -> str:
    if phone is None or not phone.e164:
        return ""
    if phone.extension:
        return phone.e164 + ctx.profile.phone_extension.format(ext=phone.extension)
    return phone.e164


def phones_of(ctx: RowContext) -> list[Phone]:
    """The person's numbers first, then the company's, each once, masked ones never; another
    person's direct line is never given as this person's."""
    own = _usable_phones(ctx.person.phones) if ctx.person else []
    rest = _usable_phones(ctx.lead.phones if ctx.person else all_phones(ctx.lead))
    seen: dict[str, Phone] = {}
    for phone in [*own, *rest]:
        seen.setdefault(phone.key, phone)
    return list(seen.values())


def _pick_phone(ctx: RowContext, kinds: set[str], *, exclude: set[str] | None = None) -> str:
    phones = phones_of(ctx)
    for phone in phones:
        if phone.type in kinds:
            return _phone_text(ctx, phone)
    if exclude is not None:
        for phone in phones:
            if phone.type not in exclude:
                return _phone_text(ctx, phone)
    return ""


def usable_emails(emails: Iterable[Email]) -> list[Email]:
    """Valid, unmasked addresses only: a CRM keyed on e-mail must never get a guess."""
    return [e for e in emails if e.address and not e.masked]


def _email(ctx: RowContext) -> str:
    if ctx.person is not None:
        own = usable_emails(ctx.person.emails)
        if own:
            return own[0].address or ""
    if not ctx.first:
        return ""
    emails = usable_emails(ctx.lead.emails) or usable_emails(all_emails(ctx.lead))
    personal = [e for e in emails if not e.role]
    chosen = (personal or emails)[:1]
    return chosen[0].address or "" if chosen else ""


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def split_name(name: str) -> tuple[str, str]:
    """(first, last): the last word is the family name in Western order; a Chinese name
    written without spaces stays whole as the last name rather than being guessed apart."""
    name = " ".join(name.split())
    if not name:
        return "", ""
    if _CJK.search(name) and " " not in name:
        return "", name
    first, _, last = name.rpartition(" ")
    return first, last


def _dates(ctx: RowContext) -> datetime | None:
    times = [ev.fetched_at for ev in ctx.lead.evidence if ev.fetched_at]
    return min(times) if times else ctx.lead.first_seen


def _fmt_date(ctx: RowContext, value: datetime | None) -> str:
    return value.strftime(ctx.profile.date_format) if value else ""


def _source_urls(lead: Lead) -> list[str]:
    return list(dict.fromkeys(ev.url for ev in lead.evidence if ev.url))


def _score(lead: Lead) -> str:
    return str(int(lead.score)) if float(lead.score).is_integer() else f"{lead.score:.1f}"


def description(ctx: RowContext) -> str:
    """The row's provenance: unverified, when, from which URLs, and why it got its grade."""
    lead, texts = ctx.lead, _DESCRIPTION[ctx.lang]
    space = "" if ctx.lang == "zh" else " "
    when = _fmt_date(ctx, _dates(ctx)) or texts["no_date"]
    parts = [UNVERIFIED[ctx.lang], texts["collected"].format(date=when)]
    parts += _source_urls(lead) or ["-"]
    if lead.grade:
        reasons = "; ".join(r for r in lead.grade_reasons[:1] if r)
        grade = texts["grade"].format(grade=lead.grade, score=_score(lead))
        parts.append(grade + (("：" if ctx.lang == "zh" else ": ") + reasons if reasons else ""))
    if lead.products.strip():
        parts.append(texts["products"] + space + lead.products.strip())
    others = [p for p in named_people(lead) if p is not ctx.person]
    if others and ctx.profile.row_per == "lead":
        parts.append(texts["contact"] + space + LIST_SEP.join(p.name.strip() for p in others))
    phones = _usable_phones(all_phones(lead))
    if len(phones) > 1:
        parts.append(texts["phones"] + space + LIST_SEP.join(_phone_text(ctx, p) for p in phones))
    return "\n".join(parts)


def _stable_id(lead: Lead) -> str:
    """A lead read from an ``extract`` file has no id yet: the store's rule gives it the one
    it will get when stored, so re-imports into a CRM still update the same record."""
    from leadharvest.store import stable_id

    return stable_id(lead)


def _person_name(ctx: RowContext) -> str:
    return ctx.person.name.strip() if ctx.person else ""


FIELDS: dict[str, Callable[[RowContext], object]] = {
    "company": lambda c: c.lead.name.strip(),
    "full_name": _person_name,
    "first_name": lambda c: split_name(_person_name(c))[0],
    "last_name": lambda c: split_name(_person_name(c))[1],
    "job_title": lambda c: c.person.title.strip() if c.person else "",
    "email": _email,
    "emails": lambda c: LIST_SEP.join(e.address or "" for e in usable_emails(all_emails(c.lead))),
    "phone": lambda c: _pick_phone(
        c, {"landline", "toll_free", "shared_cost", "voip", "unknown"}, exclude={"fax"}
    ),
    "landline": lambda c: _pick_phone(c, {"landline", "toll_free", "shared_cost", "voip"}),
    "mobile": lambda c: _pick_phone(c, {"mobile"}),
    "fax": lambda c: _pick_phone(c, {"fax"}),
    "phones": lambda c: LIST_SEP.join(_phone_text(c, p) for p in phones_of(c)),
    "website": lambda c: c.lead.website.strip(),
    "domain": lambda c: c.lead.domain.strip(),
    "street": lambda c: c.lead.address_raw.strip(),
    "address": lambda c: (
        c.lead.address_raw.strip()
        or ", ".join(p for p in (c.lead.city, c.lead.region, c.lead.postcode, c.lead.country) if p)
    ),
    "city": lambda c: c.lead.city,
    "region": lambda c: c.lead.region,
    "postcode": lambda c: c.lead.postcode,
    "country": lambda c: c.lead.country,
    "country_lower": lambda c: c.lead.country.lower(),
    "grade": lambda c: c.lead.grade,
    "score": lambda c: _score(c.lead),
    "reasons": lambda c: LIST_SEP.join(c.lead.grade_reasons),
    "products": lambda c: c.lead.products.strip(),
    "business_type": lambda c: c.lead.business_type,
    "business_type_label": lambda c: BUSINESS_TYPE_LABELS.get(c.lead.business_type, {}).get(
        c.lang, c.lead.business_type
    ),
    "registration_id": lambda c: c.lead.registration_id,
    "description": description,
    "source_url": lambda c: next(iter(_source_urls(c.lead)), ""),
    "source_urls": lambda c: LIST_SEP.join(_source_urls(c.lead)),
    "sources": lambda c: LIST_SEP.join(c.lead.sources),
    "method": lambda c: next(iter(c.lead.methods), ""),
    "methods": lambda c: LIST_SEP.join(method_label(m, c.lang) for m in c.lead.methods),
    "collected_at": lambda c: _fmt_date(c, _dates(c)),
    "first_seen": lambda c: _fmt_date(c, c.lead.first_seen),
    "last_seen": lambda c: _fmt_date(c, c.lead.last_seen),
    "lead_id": lambda c: c.lead.lead_id or _stable_id(c.lead),
    "data_status": lambda c: c.lead.data_status or DATA_STATUS,
    "verification": lambda c: c.lead.verification or "unverified",
    "notes": lambda c: c.lead.notes,
}
"""The vocabulary a profile's columns are written in: name → value for one row."""


# -- profiles ------------------------------------------------------------------------------
MISSING = ("skip", "fill", "derive")


@dataclass(frozen=True)
class CrmColumn:
    """One column of a CRM file: its header and where its value comes from."""

    header: str
    kind: str = "field"
    """Where the value comes from: ``field`` (a name from FIELDS), ``value`` (a constant) or
    ``template`` (text with ``{field}`` places; empty when any of its fields is empty)."""
    source: str = ""
    """The field name, the constant or the template."""
    picklist: str = ""
    """Map the value through ``[picklists.<name>]`` (key ``"*"`` is the fallback)."""
    required: bool = False
    missing: str = ""
    """What to do when a required value is empty: skip the row, fill, derive."""
    default: str = ""
    derive_from: str = ""
    text: bool = True


@dataclass(frozen=True)
class CrmProfile:
    """A CRM's import format, read from ``config/crm/<name>.toml``."""

    name: str
    title: str
    columns: tuple[CrmColumn, ...]
    file_type: str = "csv"
    encoding: str = "utf-8"
    bom: bool = False
    delimiter: str = ","
    line_terminator: str = "\r\n"
    date_format: str = "%Y-%m-%d"
    rows_per_file: int = 50_000
    row_per: str = "lead"
    phone_extension: str = " ext. {ext}"
    lang: str = ""
    """Fixed language of the texts (wukong: zh); empty follows ``--lang``."""
    sheet_columns: bool = False
    """Use the lead sheet's own columns (exports/columns.py) instead of ``columns``."""
    sheet_name: str = "Leads"
    title_row: str = ""
    required_marker: str = ""
    keys: tuple[str, ...] = ()
    """Headers the CRM matches existing records on (documentation and tests)."""
    picklists: dict[str, dict[str, str]] = field(default_factory=dict)
    path: str = ""

    @property
    def extension(self) -> str:
        return ".xlsx" if self.file_type == "xlsx" else ".csv"

    def headers(self, lang: str = "en") -> list[str]:
        if self.sheet_columns:
            return [col.header(self.lang or lang) for col in COLUMNS]
        marker = self.required_marker
        return [c.header + (marker if c.required and marker else "") for c in self.columns]


_PROFILE_KEYS = {f for f in CrmProfile.__dataclass_fields__ if f not in {"path", "columns"}}
_PROFILE_KEYS |= {"columns", "notes", "crm_object"}
_COLUMN_KEYS = {
    "header",
    "field",
    "value",
    "template",
    "picklist",
    "required",
    "missing",
    "default",
    "from",
    "text",
}


def _fail(path: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: {message}")


def _template_fields(template: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(f"bad template {template!r}: {exc}") from exc


def _column(raw: Any, where: str, picklists: dict[str, dict[str, str]]) -> CrmColumn:
    if not isinstance(raw, dict):
        raise _fail(where, "each [[columns]] entry must be a table")
    unknown = set(raw) - _COLUMN_KEYS
    header = raw.get("header")
    if not isinstance(header, str) or not header.strip():
        raise _fail(where, "a column needs a text 'header'")
    where = f"{where}: column {header!r}"
    if unknown:
        raise _fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    sources = [k for k in ("field", "value", "template") if k in raw]
    if len(sources) != 1:
        raise _fail(where, "give exactly one of field, value or template")
    for key in ("field", "value", "template", "picklist", "missing", "default", "from"):
        if key in raw and not isinstance(raw[key], str):
            raise _fail(where, f"{key!r} must be text")
    known = ", ".join(sorted(FIELDS))
    if "field" in raw and raw["field"] not in FIELDS:
        raise _fail(where, f"unknown field {raw['field']!r} (known: {known})")
    if "template" in raw:
        try:
            names = _template_fields(raw["template"])
        except ValueError as exc:
            raise _fail(where, str(exc)) from None
        bad = [n for n in names if n not in FIELDS]
        if bad or not names:
            raise _fail(
                where, f"template needs {{field}} places from: {known}; got {bad or 'none'}"
            )
    picklist = raw.get("picklist", "")
    if picklist and picklist not in picklists:
        raise _fail(where, f"picklist {picklist!r} is not defined under [picklists]")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise _fail(where, "'required' must be true or false")
    missing = raw.get("missing", "")
    if missing and missing not in MISSING:
        raise _fail(where, f"missing must be one of {', '.join(MISSING)}, got {missing!r}")
    if required and not missing:
        raise _fail(where, "a required column must say what to do when the value is missing")
    if missing == "fill" and not raw.get("default"):
        raise _fail(where, "missing = 'fill' needs a non-empty 'default'")
    if missing == "derive" and raw.get("from") not in FIELDS:
        raise _fail(where, f"missing = 'derive' needs 'from', one of: {known}")
    return CrmColumn(
        header=header,
        kind=sources[0],
        source=raw[sources[0]],
        picklist=picklist,
        required=required,
        missing=missing,
        default=raw.get("default", ""),
        derive_from=raw.get("from", ""),
        text=bool(raw.get("text", True)),
    )


def parse_profile(data: dict[str, Any], *, name: str, path: str) -> CrmProfile:
    """Validate one profile's TOML table; any mistake is a ConfigError naming file and key."""
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(sorted(unknown))}")
    if data.get("name", name) != name:
        raise _fail(path, f"name {data.get('name')!r} must match the file name {name!r}")
    if name in RESERVED or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise _fail(path, f"profile name {name!r} is reserved or not a lower-case identifier")
    picklists_raw = data.get("picklists", {})
    if not isinstance(picklists_raw, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
        for v in picklists_raw.values()
    ):
        raise _fail(path, "[picklists.<name>] tables must map keys to text values")
    picklists = {str(k): dict(v) for k, v in picklists_raw.items()}
    sheet_columns = data.get("sheet_columns", False)
    columns_raw = data.get("columns", [])
    if not isinstance(columns_raw, list) or (not columns_raw and not sheet_columns):
        raise _fail(path, "a profile needs [[columns]] (or sheet_columns = true)")
    if columns_raw and sheet_columns:
        raise _fail(path, "give [[columns]] or sheet_columns = true, not both")
    columns = tuple(_column(raw, path, picklists) for raw in columns_raw)
    headers = [c.header for c in columns]
    dupes = sorted({h for h in headers if headers.count(h) > 1})
    if dupes:
        raise _fail(path, f"duplicate header(s) {', '.join(dupes)}")
    kwargs: dict[str, Any] = {}
    for key in (
        "title",
        "file_type",
        "encoding",
        "delimiter",
        "line_terminator",
        "date_format",
        "row_per",
        "phone_extension",
        "lang",
        "sheet_name",
        "title_row",
        "required_marker",
    ):
        if key in data:
            if not isinstance(data[key], str):
                raise _fail(path, f"{key!r} must be text")
            kwargs[key] = data[key]
    for key in ("bom", "sheet_columns"):
        if key in data and not isinstance(data[key], bool):
            raise _fail(path, f"{key!r} must be true or false")
    profile = CrmProfile(
        name=name,
        columns=columns,
        bom=bool(data.get("bom", False)),
        sheet_columns=bool(sheet_columns),
        rows_per_file=_rows_per_file(data, path),
        keys=tuple(_keys(data, path, headers)),
        picklists=picklists,
        path=path,
        **{"title": name, **kwargs},
    )
    _check_format(profile, path)
    return profile


def _rows_per_file(data: dict[str, Any], path: str) -> int:
    rows = data.get("rows_per_file", 50_000)
    limit = XLSX_MAX_ROWS - 2 if data.get("file_type") == "xlsx" else 10**9
    if not isinstance(rows, int) or isinstance(rows, bool) or not 1 <= rows <= limit:
        raise _fail(path, f"rows_per_file must be a whole number from 1 to {limit}")
    return rows


def _keys(data: dict[str, Any], path: str, headers: Sequence[str]) -> list[str]:
    keys = data.get("keys", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise _fail(path, "'keys' must be a list of headers")
    missing = [k for k in keys if headers and k not in headers]
    if missing:
        raise _fail(path, f"keys {missing} are not headers of this profile")
    return list(keys)


def _check_format(p: CrmProfile, path: str) -> None:
    if p.file_type not in ("csv", "xlsx"):
        raise _fail(path, f"file_type must be csv or xlsx, got {p.file_type!r}")
    try:
        codec = codecs.lookup(p.encoding).name
    except LookupError:
        raise _fail(path, f"unknown encoding {p.encoding!r}") from None
    if p.bom and codec != "utf-8":
        raise _fail(path, f"bom = true needs encoding utf-8, not {p.encoding!r}")
    if len(p.delimiter) != 1 or p.delimiter in "\r\n\"'":
        raise _fail(path, f"delimiter must be one character, got {p.delimiter!r}")
    if p.line_terminator not in ("\r\n", "\n"):
        raise _fail(path, "line_terminator must be \\r\\n or \\n")
    if p.row_per not in ("lead", "person"):
        raise _fail(path, f"row_per must be lead or person, got {p.row_per!r}")
    if p.lang:
        try:
            check_lang(p.lang)
        except ValueError:
            raise _fail(path, f"lang must be en or zh, got {p.lang!r}") from None
    try:
        datetime(2024, 5, 1).strftime(p.date_format)
        ext = p.phone_extension.format(ext="12")
    except (ValueError, KeyError, IndexError) as exc:
        raise _fail(path, f"bad date_format or phone_extension: {exc}") from None
    if not is_allowed("+61740511234" + ext):
        # a phone with its extension must still pass the cell allow-list untouched
        raise _fail(path, f"phone_extension {p.phone_extension!r} would not stay a phone number")


def profile_names() -> list[str]:
    """The profiles in ``config/crm``: every one is an export format."""
    folder = config_dir() / CRM_DIR
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_profile(name: str) -> CrmProfile:
    """Read and validate ``config/crm/<name>.toml``."""
    relative = f"{CRM_DIR}/{name}.toml"
    return parse_profile(load_toml(relative), name=name, path=str(config_dir() / relative))


# -- rows ----------------------------------------------------------------------------------
@dataclass
class CrmRows:
    """The rows a profile makes of some leads, and the leads it had to leave out (and why)."""

    headers: list[str]
    rows: list[list[str]]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _raw_value(col: CrmColumn, ctx: RowContext) -> str:
    if col.kind == "value":
        value = col.source
    elif col.kind == "template":
        values = {n: str(FIELDS[n](ctx) or "").strip() for n in _template_fields(col.source)}
        value = col.source.format_map(values) if all(values.values()) else ""
    else:
        value = str(FIELDS[col.source](ctx) or "")
    if col.picklist:
        table = ctx.profile.picklists[col.picklist]
        value = table.get(value, table.get("*", ""))
    return value.strip()


def _row(profile: CrmProfile, ctx: RowContext) -> tuple[list[str] | None, str]:
    out: list[str] = []
    for col in profile.columns:
        value = _raw_value(col, ctx)
        if not value and (col.missing or col.default):
            if col.missing == "skip":
                return None, f"no {col.header}"
            if col.missing == "derive":
                value = str(FIELDS[col.derive_from](ctx) or "").strip()
                if not value:
                    return None, f"no {col.header} and no {col.derive_from} to derive it from"
            else:
                value = col.default
        out.append(safe_text(value))
    return out, ""


def build_rows(leads: Iterable[Lead], profile: CrmProfile, *, lang: str = "en") -> CrmRows:
    """The cell-safe rows of a CRM file, in the lead sheet's order (best grades first)."""
    lang = profile.lang or lang
    check_lang(lang)
    result = CrmRows(headers=[safe_text(h) for h in profile.headers(lang)], rows=[])
    for lead in sort_leads(leads):
        if profile.sheet_columns:
            result.rows.append([safe_text(v) for v in row_values(lead, lang)])
            continue
        named: list[Person | None] = list(named_people(lead))
        people = named[:1] if profile.row_per == "lead" else named
        for index, person in enumerate(people or [None]):
            ctx = RowContext(lead, person, index == 0, profile, lang)
            row, reason = _row(profile, ctx)
            if row is None:
                result.skipped.append((lead.name or lead.lead_id or "?", reason))
            else:
                result.rows.append(row)
    return result


# -- files ---------------------------------------------------------------------------------
@dataclass
class ExportResult:
    """What an export wrote: the files, the number of records, and what was left out."""

    paths: list[Path]
    rows: int
    skipped: list[tuple[str, str]] = field(default_factory=list)


def numbered_paths(path: Path, count: int) -> list[Path]:
    """``leads.csv`` when one file is enough, else ``leads-001.csv``, ``leads-002.csv`` …"""
    if count <= 1:
        return [path]
    width = max(3, len(str(count)))
    return [path.with_name(f"{path.stem}-{i:0{width}d}{path.suffix}") for i in range(1, count + 1)]


def write_crm(
    leads: Iterable[Lead], profile: CrmProfile, path: Path, *, lang: str = "en"
) -> ExportResult:
    """Write the profile's import file(s): split into numbered files past rows_per_file.

    A workbook always ends in .xlsx (Excel and the CRMs refuse one named .csv); a CSV keeps
    whatever name it was given.
    """
    path = Path(path)
    if profile.file_type == "xlsx" and path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    built = build_rows(leads, profile, lang=lang)
    size = profile.rows_per_file
    chunks = [built.rows[i : i + size] for i in range(0, len(built.rows), size)] or [[]]
    paths = numbered_paths(path, len(chunks))
    for target, chunk in zip(paths, chunks, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        if profile.file_type == "xlsx":
            _write_xlsx(profile, built.headers, chunk, target)
        else:
            _write_csv(profile, built.headers, chunk, target)
    return ExportResult(paths=paths, rows=len(built.rows), skipped=built.skipped)


def _write_csv(profile: CrmProfile, headers: list[str], rows: list[list[str]], path: Path) -> None:
    encoding = "utf-8-sig" if profile.bom else codecs.lookup(profile.encoding).name
    with path.open("w", encoding=encoding, errors="strict", newline="") as fh:
        writer = csv.writer(fh, delimiter=profile.delimiter, lineterminator=profile.line_terminator)
        for number, row in enumerate([headers, *rows], start=1):
            try:
                writer.writerow(row)
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start : exc.end]
                column = next((h for h, v in zip(headers, row, strict=True) if bad in v), "?")
                raise CrmExportError(
                    f"{profile.name}: encoding {profile.encoding} cannot hold {bad!r} "
                    f'(row {number}, column {column!r}); set encoding = "utf-8" in {profile.path}'
                ) from None


def _write_xlsx(profile: CrmProfile, headers: list[str], rows: list[list[str]], path: Path) -> None:
    """An import workbook laid out like the CRM's own template (wukong: title row first)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = profile.sheet_name[:31]
    width = max(len(headers), 1)
    if profile.title_row:
        title = write_row(ws, [profile.title_row], row=1)[0]
        title.font = Font(bold=True, size=16)
        title.alignment = Alignment(horizontal="center")
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for cell in write_row(ws, headers, row=ws.max_row + 1 if profile.title_row else 1):
        cell.font = Font(bold=True)
    first = ws.max_row + 1
    for offset, row in enumerate(rows):
        values = [v[:XLSX_MAX_TEXT] or None for v in row]
        for cell in write_row(ws, values, row=first + offset):
            cell.number_format = "@"
    for number in range(1, width + 1):
        ws.column_dimensions[get_column_letter(number)].width = 20
    wb.save(path)
