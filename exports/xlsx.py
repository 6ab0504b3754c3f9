"""The Excel lead sheet: what a trainee opens, checks, and hands in.

Three sheets, in this order:

* ``Leads`` — the customer information table (columns from :mod:`exports.columns`), best
  leads first (grade A→D, then score), header frozen, auto-filter on, grade cells coloured.
* ``Summary`` — the course exercise's table "electronic collection methods used and
  customer data found": leads by grade, by collection method (with the course's Chinese
  name, e.g. 搜索引擎法), by source, and how the job's pages fared.
* ``About`` — the job (query, product, sources, region, date, id, replay archive) and the
  statement, in English and Chinese, that this is unverified third-party data.

Sheet names stay English in both languages so ``leadharvest import`` finds them; headers
and labels follow ``lang``. Every cell goes through :func:`exports.cells.write_row`, so no
cell is ever a formula, and only http(s) URLs become hyperlinks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from exports.cells import safe_url, write_row
from exports.columns import (
    COLUMNS,
    DATA_STATUS_ZH,
    VERIFICATION_LABELS,
    all_emails,
    all_phones,
    check_lang,
    column_number,
    headers,
    method_label,
    row_values,
    sort_leads,
)
from leadharvest.items import DATA_STATUS, METHODS, METHODS_ZH, Job, Lead, utcnow
from leadharvest.report import source_health

SHEETS = ("Leads", "Summary", "About")

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
    "data_status": {"en": "Data status", "zh": "数据状态"},
    "statement_en": {"en": "Statement", "zh": "声明（英文）"},
    "statement_zh": {"en": "Statement (Chinese)", "zh": "声明"},
    "times": {
        "en": "Times are UTC. Grades are explained in the Reasons column.",
        "zh": "时间均为 UTC。评级理由见“评级理由”列。",
    },
}


def write_lead_sheet(
    leads: list[Lead],
    path: Path,
    *,
    job: Job | None = None,
    lang: str = "en",
) -> Path:
    """Write the three-sheet workbook to ``path`` and return it; ``leads`` is not changed."""
    check_lang(lang)
    wb = Workbook()
    leads_ws = wb.active
    leads_ws.title = SHEETS[0]
    ordered = sort_leads(leads)
    _write_leads(leads_ws, ordered, lang)
    _write_summary(wb.create_sheet(SHEETS[1]), ordered, job, lang)
    _write_about(wb.create_sheet(SHEETS[2]), ordered, job, lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _write_leads(ws: Any, leads: Sequence[Lead], lang: str) -> None:
    """The table itself: typed cells, text phones/ids, coloured grades, safe hyperlinks."""
    for cell in write_row(ws, headers(lang), row=1):
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, lead in enumerate(leads, start=2):
        cells = write_row(ws, row_values(lead, lang), row=index)
        for column, cell in zip(COLUMNS, cells, strict=True):
            if column.text:
                cell.number_format = "@"
            elif column.key in ("first_seen", "last_seen"):
                cell.number_format = _DATE_FORMAT
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.link:
                url = safe_url(cell.value)
                if url:
                    cell.hyperlink = url
                    cell.style = "Hyperlink"
            if column.key == "grade" and lead.grade in GRADE_FILLS:
                cell.fill = PatternFill("solid", fgColor=GRADE_FILLS[lead.grade])
                cell.font = _BOLD
    for number, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = column.width
    last_col = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{max(len(leads) + 1, 1)}"
    if leads:
        # The trainee sets verification; a drop-down keeps the values importable.
        col = get_column_letter(column_number("verification"))
        choices = ",".join(labels[lang] for labels in VERIFICATION_LABELS.values())
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{col}2:{col}{len(leads) + 1}")
        ws.add_data_validation(validation)


def _write_summary(ws: Any, leads: Sequence[Lead], job: Job | None, lang: str) -> None:
    """The course's table: which electronic methods were used and what each found."""

    def t(key: str) -> str:
        return _T[key][lang]

    def heading(*values: object) -> None:
        for cell in write_row(ws, values):
            cell.font = _BOLD

    ws.column_dimensions["A"].width = 26
    for letter in "BCDEFGHIJKL":
        ws.column_dimensions[letter].width = 14
    write_row(ws, [t("title")])[0].font = _TITLE
    write_row(ws, [])

    heading(t("by_grade"))
    heading(t("grade"), t("leads"))
    grades = Counter(lead.grade for lead in leads)
    for grade in GRADE_FILLS:
        cell = write_row(ws, [grade, grades.get(grade, 0)])[0]
        cell.fill = PatternFill("solid", fgColor=GRADE_FILLS[grade])
    ungraded = sum(n for grade, n in grades.items() if grade not in GRADE_FILLS)
    if ungraded:
        write_row(ws, [t("ungraded"), ungraded])
    heading(t("total"), len(leads))
    write_row(ws, [])

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
        write_row(
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
    write_row(ws, [])

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
        write_row(
            ws,
            [
                source,
                method_label(source_method[source], lang),
                sum(1 for lead in leads if source in lead.sources),
                *(statuses.get(s, 0) for s in status_keys),
            ],
        )
    write_row(ws, [])

    heading(t("pages"))
    if job is None:
        write_row(ws, [t("no_job")])
        return
    heading(t("status"), t("count"))
    statuses = Counter(p.status for p in pages)
    for status in PAGE_STATUSES:
        write_row(ws, [t(status), statuses.get(status, 0)])
    heading(t("total"), len(pages))


HEALTH_HEADERS = {
    "en": ["Source", "Requests", "Answered", "Leads", "Empty", "Blocked", "Robots.txt",
           "Missing", "Errors", "Why"],
    "zh": ["来源", "请求", "有应答", "线索", "无结果", "被拦截", "robots.txt 禁止",
           "存档中缺失", "错误", "原因"],
}  # fmt: skip
HEALTH_TITLE = {"en": "Health report per source", "zh": "各来源抓取情况"}


def _write_about(ws: Any, leads: Sequence[Lead], job: Job | None, lang: str) -> None:
    """What produced this sheet, the health report, and the unverified-data warning."""
    lead_count = len(leads)

    def t(key: str) -> str:
        return _T[key][lang]

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    write_row(ws, [t("about")])[0].font = _TITLE
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
        ("data_status", f"{DATA_STATUS} / {DATA_STATUS_ZH}"),
        ("statement_en", STATEMENT_EN),
        ("statement_zh", STATEMENT_ZH),
    ]
    for key, value in rows:
        label_cell, value_cell = write_row(ws, [t(key), value])
        label_cell.font = _BOLD
        value_cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if key in ("date", "finished", "written"):
            value_cell.number_format = _DATE_FORMAT
        elif key in ("job_id", "lead_count"):
            value_cell.number_format = "@" if key == "job_id" else "0"
    if job is not None and job.pages:
        # a trainee must be able to tell "this site blocked us" from "nothing matched"
        write_row(ws, [])
        write_row(ws, [HEALTH_TITLE[lang]])[0].font = _BOLD
        for cell in write_row(ws, HEALTH_HEADERS[lang]):
            cell.font = _BOLD
        for row in source_health(job.pages, list(leads)):
            if row.not_configured:
                write_row(ws, [row.source, *[""] * 8, "not configured: " + row.reason_text()])
                continue
            write_row(
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
                    row.reason_text(),
                ],
            )
    write_row(ws, [])
    write_row(ws, [t("times")])
