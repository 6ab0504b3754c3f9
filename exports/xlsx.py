"""The Excel lead sheet: what a trainee opens, checks, and hands in.

Five sheets, in this order:

* ``Leads`` — the customer information table (columns from :mod:`exports.columns`), best
  leads first (grade A→D, then score), header frozen, auto-filter on, grade cells coloured.
* ``Evidence`` — one row per value per page that showed it (:mod:`exports.tables`).
* ``Review`` — borderline duplicate pairs with the reason, and an Accept / Split drop-down.
* ``Summary`` — the course exercise's table "electronic collection methods used and
  customer data found": leads by grade, by collection method (with the course's Chinese
  name, e.g. 搜索引擎法), by source, and how the job's pages fared.
* ``About`` — the job (query, product, sources, region, date, id, replay archive) and the
  statement, in English and Chinese, that this is unverified third-party data.

Sheet names stay English in both languages so ``leadharvest import`` finds them; headers
and labels follow ``lang``. Every cell goes through :func:`exports.cells.safe_cells`, so no
cell is ever a formula, and only http(s) URLs become hyperlinks.

The workbook is always written in openpyxl's write-only mode: rows stream to disk, so a
sheet of a million leads needs little memory, and every sheet keeps its formatting (frozen
header, filter, drop-downs, text phones and ids, hyperlinks), which must be set before the
first row (widths, frozen panes) or after the last (filter, drop-down ranges). A table longer
than Excel's 1,048,576 rows continues on ``Leads (2)``, ``Leads (3)`` …, each with its header.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from exports.cells import safe_cells, safe_url
from exports.columns import (
    COLUMNS,
    DATA_STATUS_ZH,
    VERIFICATION_LABELS,
    all_emails,
    all_phones,
    check_lang,
    headers,
    method_label,
    row_values,
    sort_leads,
)
from exports.tables import (
    DECISIONS,
    EVIDENCE_COLUMNS,
    REVIEW_COLUMNS,
    TableColumn,
    evidence_headers,
    evidence_rows,
    review_headers,
    review_row,
)
from leadharvest.items import DATA_STATUS, METHODS, METHODS_ZH, Job, Lead, ReviewPair, utcnow
from leadharvest.report import source_health

SHEETS = ("Leads", "Evidence", "Review", "Summary", "About")
"""Sheet names (a long table adds "Leads (2)" … right after its first sheet)."""

XLSX_MAX_ROWS = 1_048_576
"""Excel's rows per sheet, the header included."""

GRADE_FILLS = {
    "A": "C6EFCE",  # green: key customer
    "B": "DDEBF7",  # blue: major
    "C": "FFEB9C",  # yellow: ordinary
    "D": "D9D9D9",  # grey: small
}
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINE_HEIGHT = 15
_MAX_LINES = 6
"""A taller row is cut off (the cell still holds everything): a screen shows several leads,
and the first line of the reasons is the summary."""
_TOP = Alignment(vertical="top")
_DATE_FORMAT = "yyyy-mm-dd hh:mm"

PAGE_STATUSES = ("ok", "blocked", "no_results", "missing", "error", "robots")

STATEMENT_EN = (
    "This is third-party data collected automatically from public web pages. It is "
    "unverified and may be wrong or out of date: check every lead before you contact it, "
    "respect do-not-contact requests, keep the file confidential, and delete data you no "
    "longer need."
)
STATEMENT_ZH = (
    "本表为自动从公开网页收集的第三方数据，未经核实，可能有误或已过时：联系前请逐条核实，"
    "尊重对方“请勿联系”的要求，对客户资料保密，不再需要的数据应及时销毁。"
)

_T: dict[str, dict[str, str]] = {
    "title": {
        "en": "Electronic collection methods used and customer data found",
        "zh": "所用电子收集方法及找到的客户资料",
    },
    "by_grade": {"en": "Leads by grade", "zh": "按等级统计"},
    "grade": {"en": "Grade", "zh": "等级"},
    "leads": {"en": "Leads", "zh": "线索数"},
    "total": {"en": "Total", "zh": "合计"},
    "ungraded": {"en": "Ungraded", "zh": "未评级"},
    "by_method": {"en": "Leads by collection method", "zh": "按收集方法统计"},
    "method": {"en": "Collection method", "zh": "收集方法"},
    "course_name": {"en": "Course name (Chinese)", "zh": "英文名称"},
    "with_phone": {"en": "With phone", "zh": "有电话"},
    "with_email": {"en": "With e-mail", "zh": "有邮箱"},
    "with_contact": {"en": "With contact person", "zh": "有联系人"},
    "by_source": {"en": "Leads by source", "zh": "按来源统计"},
    "source": {"en": "Source", "zh": "来源"},
    "pages": {"en": "Pages", "zh": "网页抓取情况"},
    "status": {"en": "Status", "zh": "状态"},
    "count": {"en": "Pages", "zh": "网页数"},
    "no_job": {
        "en": "No job record: page counts are not available.",
        "zh": "无任务记录，无法统计网页数。",
    },
    "ok": {"en": "Pages fetched", "zh": "成功抓取"},
    "blocked": {"en": "Blocked", "zh": "被拦截"},
    "no_results": {"en": "No results", "zh": "无结果"},
    "missing": {"en": "Missing from archive", "zh": "存档中缺失"},
    "error": {"en": "Errors", "zh": "错误"},
    "robots": {"en": "Refused by robots.txt", "zh": "robots.txt 禁止"},
    "about": {"en": "About this lead sheet", "zh": "关于本线索表"},
    "query": {"en": "Query", "zh": "查询"},
    "product": {"en": "Product", "zh": "产品"},
    "sources": {"en": "Sources", "zh": "来源"},
    "region": {"en": "Region", "zh": "地区"},
    "date": {"en": "Date (UTC)", "zh": "日期（UTC）"},
    "finished": {"en": "Finished (UTC)", "zh": "完成时间（UTC）"},
    "job_id": {"en": "Job ID", "zh": "任务编号"},
    "replay": {"en": "Replay archive", "zh": "回放存档"},
    "written": {"en": "Sheet written (UTC)", "zh": "生成时间（UTC）"},
    "lead_count": {"en": "Leads", "zh": "线索数"},
    "review_count": {"en": "Pairs to review", "zh": "待复核的疑似重复"},
    "data_status": {"en": "Data status", "zh": "数据状态"},
    "statement_en": {"en": "Statement", "zh": "声明（英文）"},
    "statement_zh": {"en": "Statement (Chinese)", "zh": "声明"},
    "times": {
        "en": "Times are UTC. Grades are explained in the Reasons column.",
        "zh": "时间均为 UTC。评级理由见“评级理由”列。",
    },
    "sheets": {
        "en": (
            "Evidence lists every value with the page it came from. Review lists pairs of "
            "leads that may be one business: choose Accept (one business) or Split."
        ),
        "zh": (
            "“Evidence”表列出每个值及其来源网页；"
            "“Review”表列出可能为同一家的线索，请选择“合并”或“分开”。"
        ),
    },
}


def write_lead_sheet(
    leads: list[Lead],
    path: Path,
    *,
    job: Job | None = None,
    lang: str = "en",
    review: Sequence[ReviewPair] = (),
    max_rows: int = XLSX_MAX_ROWS,
) -> Path:
    """Write the workbook to ``path`` and return it; ``leads`` is not changed.

    ``review`` are the job's borderline duplicate pairs. ``max_rows`` (header included) is
    Excel's limit; tests pass a small one to see a table continue on a second sheet.
    """
    check_lang(lang)
    if max_rows < 2:
        raise ValueError("max_rows must leave room for a header and a row")
    wb = Workbook(write_only=True)
    ordered = sort_leads(leads)
    _write_table(
        wb, SHEETS[0], _leads_table(lang), (row_values(x, lang) for x in ordered), max_rows
    )
    _write_table(
        wb,
        SHEETS[1],
        _Table(evidence_headers(lang), EVIDENCE_COLUMNS),
        (row for lead in ordered for row in evidence_rows(lead, lang)),
        max_rows,
    )
    _write_table(
        wb,
        SHEETS[2],
        _Table(
            review_headers(lang),
            REVIEW_COLUMNS,
            choices=[labels[lang] for labels in DECISIONS.values()],
            choice_column=len(REVIEW_COLUMNS) - 1,
        ),
        (review_row(pair) for pair in review),
        max_rows,
    )
    _write_summary(wb.create_sheet(SHEETS[3]), ordered, job, lang)
    _write_about(wb.create_sheet(SHEETS[4]), ordered, job, lang, len(review))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@dataclass(frozen=True)
class _Table:
    """How one table is laid out: headers, column formats, a drop-down, row styling."""

    headers: list[str]
    columns: Sequence[TableColumn]
    choices: list[str] = field(default_factory=list)
    """Values of the drop-down in ``choice_column`` (empty: none)."""
    choice_column: int = -1
    style: Callable[[list[Any]], None] | None = None
    """Called with each data row's cells before it is written (e.g. to colour the grade)."""


def _leads_table(lang: str) -> _Table:
    """The Leads table: the shared columns, grade colours and the Verification drop-down."""
    grade = next(i for i, column in enumerate(COLUMNS) if column.key == "grade")

    def colour(cells: list[Any]) -> None:
        fill = GRADE_FILLS.get(str(cells[grade].value))
        if fill:
            cells[grade].fill = PatternFill("solid", fgColor=fill)
            cells[grade].font = _BOLD

    return _Table(
        headers(lang),
        [
            TableColumn(
                c.en,
                c.zh,
                c.width,
                text=c.text,
                link=c.link,
                date=c.key in ("first_seen", "last_seen"),
                wrap=c.wrap,
            )
            for c in COLUMNS
        ],
        choices=[labels[lang] for labels in VERIFICATION_LABELS.values()],
        choice_column=next(i for i, c in enumerate(COLUMNS) if c.key == "verification"),
        style=colour,
    )


def _write_table(
    wb: Any, name: str, table: _Table, rows: Iterable[Sequence[object]], max_rows: int
) -> list[str]:
    """Stream ``rows`` into ``name``, ``name (2)`` …, at most ``max_rows`` rows a sheet.

    Returns the sheet names used; an empty table is one sheet with its header.
    """
    per_sheet = max_rows - 1
    used: list[str] = []
    ws: Any = None
    count = 0
    for values in rows:
        if ws is None or count == per_sheet:
            if ws is not None:
                _finish(ws, table, count)
            used.append(name if not used else f"{name} ({len(used) + 1})")
            ws = _start(wb, used[-1], table)
            count = 0
        cells = safe_cells(ws, values)
        lines = 1
        for column, cell in zip(table.columns, cells, strict=True):
            if column.text:
                cell.number_format = "@"
            elif column.date:
                cell.number_format = _DATE_FORMAT
            if column.link:
                url = safe_url(cell.value)
                if url:
                    cell.hyperlink = url
                    cell.style = "Hyperlink"
            if column.wrap:
                cell.alignment = _WRAP
                lines = max(lines, _lines(cell.value, column.width))
            else:
                cell.alignment = _TOP  # beside a tall wrapped cell, values sit on its first line
        if table.style is not None:
            table.style(cells)
        if lines > 1:
            # Excel and LibreOffice do not grow a row for wrapped text on opening the file
            ws.row_dimensions[count + 2].height = _LINE_HEIGHT * min(lines, _MAX_LINES)
        ws.append(cells)
        ws.row_dimensions.pop(count + 2, None)  # written; a million rows keep no dimensions
        count += 1
    if ws is None:
        used.append(name)
        ws = _start(wb, name, table)
    _finish(ws, table, count)
    return used


def _lines(value: object, width: int) -> int:
    """Lines a wrapped cell needs at ``width`` characters (CJK characters are twice as wide)."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 2, 1)
    total = 0
    for part in value.split("\n"):
        chars = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        total += max(1, math.ceil(chars / usable))
    return total


def _start(wb: Any, name: str, table: _Table) -> Any:
    """A new sheet with widths, frozen header and the header row (all before any data)."""
    ws = wb.create_sheet(name)
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"  # the header on every printed page
    for number, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(number)].width = column.width
    ws.freeze_panes = "A2"
    cells = safe_cells(ws, table.headers)
    for cell in cells:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.append(cells)
    return ws


def _finish(ws: Any, table: _Table, count: int) -> None:
    """The filter over the whole table and the drop-down over its rows (after the last row)."""
    last_col = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A1:{last_col}{count + 1}"
    if count and table.choices:
        # the trainee picks a value; a drop-down keeps it importable
        col = get_column_letter(table.choice_column + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(table.choices) + '"', allow_blank=True
        )
        validation.add(f"{col}2:{col}{count + 1}")
        ws.data_validations.append(validation)


def _append(
    ws: Any,
    values: Sequence[object],
    *,
    font: Font | None = None,
    first_font: Font | None = None,
    first_fill: PatternFill | None = None,
) -> None:
    """One row of a write-only sheet, styled before it is written (it cannot be after)."""
    cells = safe_cells(ws, values)
    for cell in cells:
        if font is not None:
            cell.font = font
    if cells and first_font is not None:
        cells[0].font = first_font
    if cells and first_fill is not None:
        cells[0].fill = first_fill
    ws.append(cells)


def _write_summary(ws: Any, leads: Sequence[Lead], job: Job | None, lang: str) -> None:
    """The course's table: which electronic methods were used and what each found."""

    def t(key: str) -> str:
        return _T[key][lang]

    def heading(*values: object) -> None:
        _append(ws, values, font=_BOLD)

    ws.column_dimensions["A"].width = 26
    for letter in "BCDEFGHIJKL":
        ws.column_dimensions[letter].width = 14
    _append(ws, [t("title")], first_font=_TITLE)
    _append(ws, [])

    heading(t("by_grade"))
    heading(t("grade"), t("leads"))
    grades = Counter(lead.grade for lead in leads)
    for grade in GRADE_FILLS:
        fill = PatternFill("solid", fgColor=GRADE_FILLS[grade])
        _append(ws, [grade, grades.get(grade, 0)], first_fill=fill)
    ungraded = sum(n for grade, n in grades.items() if grade not in GRADE_FILLS)
    if ungraded:
        _append(ws, [t("ungraded"), ungraded])
    heading(t("total"), len(leads))
    _append(ws, [])

    pages = list(job.pages) if job else []
    status_keys = PAGE_STATUSES[:5]
    heading(t("by_method"))
    other = METHODS if lang == "zh" else METHODS_ZH
    heading(
        t("method"),
        t("course_name"),
        t("leads"),
        t("with_phone"),
        t("with_email"),
        t("with_contact"),
        *(t(s) for s in status_keys),
    )
    seen = {m for lead in leads for m in lead.methods} | {p.method for p in pages}
    methods = [*METHODS, *sorted(seen - set(METHODS) - {""})]
    for method in methods:
        found = [lead for lead in leads if method in lead.methods]
        statuses = Counter(p.status for p in pages if p.method == method)
        _append(
            ws,
            [
                method_label(method, lang),
                other.get(method, ""),
                len(found),
                sum(1 for lead in found if all_phones(lead)),
                sum(1 for lead in found if all_emails(lead)),
                sum(1 for lead in found if any(p.name.strip() for p in lead.people)),
                *(statuses.get(s, 0) for s in status_keys),
            ],
        )
    _append(ws, [])

    heading(t("by_source"))
    heading(t("source"), t("method"), t("leads"), *(t(s) for s in status_keys))
    source_method: dict[str, str] = {}
    for lead in leads:
        for ev in lead.evidence:
            source_method.setdefault(ev.source, ev.method)
    for page in pages:
        source_method.setdefault(page.source, page.method)
    for source in sorted(source_method):
        statuses = Counter(p.status for p in pages if p.source == source)
        _append(
            ws,
            [
                source,
                method_label(source_method[source], lang),
                sum(1 for lead in leads if source in lead.sources),
                *(statuses.get(s, 0) for s in status_keys),
            ],
        )
    _append(ws, [])

    heading(t("pages"))
    if job is None:
        _append(ws, [t("no_job")])
        return
    heading(t("status"), t("count"))
    statuses = Counter(p.status for p in pages)
    for status in PAGE_STATUSES:
        _append(ws, [t(status), statuses.get(status, 0)])
    heading(t("total"), len(pages))


HEALTH_HEADERS = {
    "en": ["Source", "Requests", "Answered", "Leads", "Empty", "Blocked", "Robots.txt",
           "Missing", "Errors", "Why"],
    "zh": ["来源", "请求", "有应答", "线索", "无结果", "被拦截", "robots.txt 禁止",
           "存档中缺失", "错误", "原因"],
}  # fmt: skip
HEALTH_TITLE = {"en": "Health report per source", "zh": "各来源抓取情况"}


def _write_about(
    ws: Any, leads: Sequence[Lead], job: Job | None, lang: str, review_count: int = 0
) -> None:
    """What produced this sheet, the health report, and the unverified-data warning."""
    lead_count = len(leads)

    def t(key: str) -> str:
        return _T[key][lang]

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    _append(ws, [t("about")], first_font=_TITLE)
    rows: list[tuple[str, object]] = []
    if job is not None:
        rows += [
            ("query", job.query),
            ("product", job.product),
            ("sources", ", ".join(job.sources)),
            ("region", job.region),
            ("date", job.started_at),
            ("finished", job.finished_at),
            ("job_id", job.job_id),
        ]
        if job.replay:
            rows.append(("replay", job.replay))
    rows += [
        ("written", utcnow()),
        ("lead_count", lead_count),
        ("review_count", review_count),
        ("data_status", f"{DATA_STATUS} / {DATA_STATUS_ZH}"),
        ("statement_en", STATEMENT_EN),
        ("statement_zh", STATEMENT_ZH),
    ]
    for key, value in rows:
        label_cell, value_cell = cells = safe_cells(ws, [t(key), value])
        label_cell.font = _BOLD
        value_cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if key in ("date", "finished", "written"):
            value_cell.number_format = _DATE_FORMAT
        elif key in ("job_id", "lead_count", "review_count"):
            value_cell.number_format = "@" if key == "job_id" else "0"
        ws.append(cells)
    if job is not None and job.pages:
        # a trainee must be able to tell "this site blocked us" from "nothing matched"
        _append(ws, [])
        _append(ws, [HEALTH_TITLE[lang]], font=_BOLD)
        _append(ws, HEALTH_HEADERS[lang], font=_BOLD)
        for row in source_health(job.pages, list(leads)):
            if row.not_configured:
                _append(ws, [row.source, *[""] * 8, "not configured: " + row.reason_text()])
                continue
            _append(
                ws,
                [
                    row.source,
                    row.requests,
                    row.responses,
                    row.leads,
                    row.empty,
                    row.blocked,
                    row.robots,
                    row.missing,
                    row.errors,
                    row.reason_text(lang=lang),
                ],
            )
    _append(ws, [])
    _append(ws, [t("times")])
    _append(ws, [t("sheets")])
