"""The ``leadharvest`` command line: parses arguments and calls; nothing more.

Every command exits 0 on success and 2 on bad input with a one-line message (a malformed
query also shows a caret under the column where it broke), never a traceback for a user
error. What a job already collected is never lost: the crawl's sink file and the store keep it.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from dedupe.io import DedupeFileError
from exports.crm import CrmExportError
from leadharvest import __version__
from leadharvest.archive import ArchiveError
from leadharvest.items import METHODS, METHODS_ZH, Job, Lead, ReviewPair
from leadharvest.planning import is_cjk
from leadharvest.query import QuerySyntaxError
from leadharvest.saved import SavedPagesError
from leadharvest.settings import ConfigError
from leadharvest.store import StoreError

if TYPE_CHECKING:
    from leadharvest.grading import Tiers

app = typer.Typer(
    name="leadharvest",
    help=(
        "Collect prospect businesses from the web into a graded lead sheet"
        " (unverified third-party data)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
archive_app = typer.Typer(
    help="Build and inspect WARC archives for --replay.", no_args_is_help=True
)
app.add_typer(archive_app, name="archive")
user_app = typer.Typer(
    help="Accounts for `serve --accounts` (trainees and supervisors).", no_args_is_help=True
)
app.add_typer(user_app, name="user")


def _console(*, stderr: bool = False) -> Console:
    """A console; when not a terminal (a log, CI), wide enough that tables stay readable."""
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=140)


out_console = _console()
err_console = _console(stderr=True)


class UserError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


USER_ERRORS = (
    UserError,
    SavedPagesError,
    QuerySyntaxError,
    ConfigError,
    StoreError,
    ArchiveError,
    CrmExportError,
    DedupeFileError,
    FileNotFoundError,
)


# -- progress ------------------------------------------------------------------------------
class ProgressView:
    """A bar per source on a terminal; plain lines (one per page) otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.tty = console.is_terminal
        self.counts: dict[str, Counter[str]] = {}
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> ProgressView:
        if self.tty:
            self.progress = Progress(
                TextColumn("[bold]{task.fields[source]:<22}"),
                BarColumn(bar_width=None),
                TextColumn(
                    "{task.fields[pages]} pages · {task.fields[leads]} leads · "
                    "{task.fields[bad]} blocked/missing"
                ),
                console=self.console,
                transient=False,
            )
            self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.__exit__(None, None, None)

    def __call__(self, event: dict[str, Any]) -> None:
        if event.get("event") != "page":
            return
        source = str(event.get("source", "?"))
        counts = self.counts.setdefault(source, Counter())
        counts["pages"] += 1
        counts["leads"] += int(event.get("leads", 0))
        if event.get("status") in {"blocked", "missing", "error", "robots"}:
            counts["bad"] += 1
        if self.progress is not None:
            if source not in self.tasks:
                self.tasks[source] = self.progress.add_task(
                    source, total=None, source=source, pages=0, leads=0, bad=0
                )
            self.progress.update(
                self.tasks[source], pages=counts["pages"], leads=counts["leads"], bad=counts["bad"]
            )
        else:
            self.console.print(
                f"{source}: {event.get('status')} {event.get('url')} "
                f"({event.get('leads', 0)} leads)",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )


def print_summary(result: Any, console: Console) -> None:
    """The one-screen summary after a job."""
    from leadharvest.report import summarize

    s = summarize(result.leads, result.job.pages)
    console.print(f"Lead sheet: {result.sheet}", markup=False, highlight=False, soft_wrap=True)
    console.print(
        f"Store: {result.store_url}   Job: {result.job.job_id}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"{s.total} leads — unverified third-party data: check each one before contact.",
        markup=False,
        highlight=False,
    )
    if getattr(result, "suppressed", 0):
        console.print(
            f"{result.suppressed} more left out: on the suppression list (do not contact).",
            markup=False,
            highlight=False,
        )
    table = Table(title="Grades")
    table.add_column("Grade")
    table.add_column("Leads", justify="right")
    for grade in "ABCD":
        table.add_row(grade, str(s.grades.get(grade, 0)))
    console.print(table)
    methods = Table(title="Collection methods")
    methods.add_column("Method")
    methods.add_column("方法")
    methods.add_column("Leads", justify="right")
    for key, label in METHODS.items():
        methods.add_row(label, METHODS_ZH[key], str(s.methods.get(key, 0)))
    console.print(methods)
    health = Table(title="Health report per source")
    for col in (
        "Source",
        "Requests",
        "Answered",
        "Leads",
        "Empty",
        "Blocked",
        "Robots",
        "Missing",
        "Errors",
        "Why",
    ):
        health.add_column(col, justify="left" if col in {"Source", "Why"} else "right")
    for row in s.health:
        if row.not_configured:
            health.add_row(
                row.source,
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "-",
                "not configured: " + row.reason_text(),
            )
            continue
        health.add_row(
            row.source,
            str(row.requests),
            str(row.responses),
            str(row.leads),
            str(row.empty),
            str(row.blocked),
            str(row.robots),
            str(row.missing),
            str(row.errors),
            row.reason_text(),
        )
    console.print(health)
    console.print(
        f"Pages: {s.pages_fetched} fetched · {s.pages.get('blocked', 0)} blocked · "
        f"{s.pages.get('no_results', 0)} no results · "
        f"{s.pages.get('missing', 0)} missing from the archive · "
        f"{s.pages.get('robots', 0)} disallowed by robots.txt · {s.pages.get('error', 0)} errors",
        markup=False,
        highlight=False,
    )
    console.print(
        f"Raw records: {result.raw_leads} · dropped by the query: {result.filtered_out}"
        + (" · INTERRUPTED: the sheet holds what was collected" if result.interrupted else "")
        + (
            f" · CRAWL FAILED ({result.error}): the sheet holds what was collected"
            if result.error
            else ""
        ),
        markup=False,
        highlight=False,
    )


def _settings_overrides(values: list[str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"-s expects NAME=VALUE, got {item!r}")
        overrides[name.strip()] = value
    return overrides


def _split_sources(value: str | None) -> list[str]:
    return [s.strip() for s in (value or "").split(",") if s.strip()]


# -- commands ------------------------------------------------------------------------------
@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the lead sheet and the store.")] = Path(
        "leadharvest-out"
    ),
    lang: Annotated[str, typer.Option(help="Sheet language: en or zh.")] = "en",
    store: Annotated[
        str,
        typer.Option(
            help="Store URL (SQLite path or SQLAlchemy URL). Default: OUT/leadharvest.db."
        ),
    ] = "",
) -> None:
    """Run a real job over the bundled practice web (recorded pages, fictional businesses)."""
    from leadharvest.practice import DEMO_PRODUCTS, DEMO_QUERY, DEMO_SOURCES, archive_path
    from leadharvest.runner import JobSpec, run_job

    spec = JobSpec(
        query=DEMO_QUERY,
        products=list(DEMO_PRODUCTS),
        sources=list(DEMO_SOURCES),
        replay=str(archive_path()),
        out=out,
        store=store,
        lang=_lang(lang),
    )
    out_console.print(
        f"Practice job: {DEMO_QUERY}  (replaying {archive_path().name})",
        markup=False,
        highlight=False,
    )
    with ProgressView(out_console) as view:
        result = run_job(spec, on_event=view)
    print_summary(result, out_console)
    if result.error:
        raise typer.Exit(1)


@app.command()
def collect(
    query: Annotated[
        str | None,
        typer.Argument(
            help="Boolean query, e.g. '\"digital camera\" AND (wholesale OR 批发) -rental'."
        ),
    ] = None,
    product: Annotated[
        list[str] | None,
        typer.Option(
            "--product",
            "-p",
            help="Product keyword to expand through the query templates (repeatable).",
        ),
    ] = None,
    sources: Annotated[
        str | None, typer.Option(help="Comma-separated source names (see `leadharvest sources`).")
    ] = None,
    start_url: Annotated[
        list[str] | None,
        typer.Option("--start-url", help="A company website to visit directly (repeatable)."),
    ] = None,
    region: Annotated[
        str, typer.Option(help="Default phone region, ISO code such as CN, AU, GB.")
    ] = "",
    from_saved: Annotated[
        Path | None,
        typer.Option(
            "--from-saved",
            help="Start from result / listing pages saved from the browser (a folder of .html).",
        ),
    ] = None,
    replay: Annotated[
        Path | None, typer.Option(help="Serve pages from this WARC archive instead of the network.")
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every response into this WARC archive.")
    ] = None,
    store: Annotated[
        str,
        typer.Option(
            help="Store URL (SQLite path or SQLAlchemy URL). Default: OUT/leadharvest.db."
        ),
    ] = "",
    out: Annotated[Path, typer.Option(help="Folder for the lead sheet.")] = Path("leadharvest-out"),
    job: Annotated[str, typer.Option(help="Name of the job (default: keyword and time).")] = "",
    lang: Annotated[str, typer.Option(help="Sheet language: en or zh.")] = "en",
    tiers: Annotated[
        str,
        typer.Option(
            help="Grade by share instead of score thresholds: A,B,C,D percent, e.g. 1,4,15,80."
        ),
    ] = "",
    setting: Annotated[
        list[str] | None,
        typer.Option("-s", "--set", help="Scrapy setting override NAME=VALUE (repeatable)."),
    ] = None,
    resume: Annotated[
        str,
        typer.Option(
            help="Go on with an interrupted or killed job by its name (from its stored spec)."
        ),
    ] = "",
    scheduler: Annotated[
        str,
        typer.Option(
            help="redis://HOST:PORT/DB: queue the job for `leadharvest worker` processes"
            " (any machine) instead of crawling here."
        ),
    ] = "",
    workers: Annotated[
        int | None,
        typer.Option(
            help="With --scheduler: local worker processes to run and wait for (0: only queue)."
        ),
    ] = None,
) -> None:
    """Run a collection job end to end and write a graded lead sheet."""
    from leadharvest.runner import JobSpec, resume_job, run_job

    overrides = _settings_overrides(list(setting or []))
    if resume:
        if query is not None:
            raise UserError("give a QUERY or --resume NAME, not both")
        with ProgressView(out_console) as view:
            result = resume_job(resume, store=store, out=out, settings=overrides, on_event=view)
        print_summary(result, out_console)
        if result.error:
            raise typer.Exit(1)
        return
    if query is None and product:
        from leadharvest.templates import propose_query

        query = propose_query(list(product))  # `--product 数码相机` alone: any of the keywords
    if query is None:
        raise UserError(
            "give a QUERY or --product KEYWORD (what the leads should sell),"
            " or --resume NAME to go on with a stopped job"
        )
    if replay is not None and not replay.is_file():
        raise UserError(f"replay archive not found: {replay}")
    spec = JobSpec(
        query=query,
        products=list(product or []),
        sources=_split_sources(sources),
        start_urls=list(start_url or []),
        region=region.upper(),
        replay=str(replay or ""),
        from_saved=str(from_saved or ""),
        record=str(record or ""),
        store=store,
        out=out,
        job_id=job,
        lang=_lang(lang),
        settings=overrides,
        tiers=tiers if _tiers(tiers) else "",
    )
    from leadharvest.query import parse_query

    parse_query(query)  # refuse a malformed query before anything starts
    if scheduler or workers is not None:
        _collect_distributed(spec, scheduler, workers, list(setting or []))
        return
    with ProgressView(out_console) as view:
        result = run_job(spec, on_event=view)
    print_summary(result, out_console)
    if result.error:
        raise typer.Exit(1)


def _collect_distributed(spec: Any, scheduler: str, workers: int | None, sets: list[str]) -> None:
    """``collect --scheduler``: queue the job; with ``--workers N`` also crawl it here."""
    from leadharvest.distributed import run_local_workers
    from leadharvest.runner import default_store_url, enqueue_job

    if not scheduler:
        raise UserError("--workers needs --scheduler redis://HOST:PORT/DB")
    if workers is not None and workers < 0:
        raise UserError(f"--workers must be 0 or more, got {workers}")
    job, queued = enqueue_job(spec, scheduler)
    store = spec.store or default_store_url(spec.out)
    _say(f"Queued job {job.job_id}: {queued} start requests on {scheduler} (store {store})")
    if not workers:
        _say(f"Start workers: leadharvest worker --scheduler {scheduler} --store {store}")
        return
    codes = run_local_workers(workers, scheduler, store, settings=sets)
    _print_status(store, job.job_id, scheduler)
    if any(codes):
        raise typer.Exit(1)


def _say(text: str) -> None:
    out_console.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command()
def worker(
    scheduler: Annotated[str, typer.Option(help="The shared queue, redis://HOST:PORT/DB.")],
    store: Annotated[
        str, typer.Option(help="The shared store URL (e.g. postgresql://user@host:port/db).")
    ] = "",
    exit_when_idle: Annotated[
        float,
        typer.Option(
            "--exit-when-idle",
            help="Stop after this many seconds with nothing queued or in flight (0: never).",
        ),
    ] = 0,
    setting: Annotated[
        list[str] | None,
        typer.Option("-s", "--set", help="Scrapy setting override NAME=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Crawl queued jobs from the shared queue into the store (one worker per machine)."""
    from leadharvest.distributed import connect, run_worker
    from leadharvest.runner import default_store_url
    from leadharvest.store import Store

    if exit_when_idle < 0:
        raise UserError(f"--exit-when-idle must be 0 or more, got {exit_when_idle}")
    overrides = _settings_overrides(list(setting or []))
    connect(scheduler)
    url = store or default_store_url(Path("leadharvest-out"))
    Store(url).close()  # a bad store URL is a one-line error before the crawl starts
    pages = run_worker(scheduler, url, exit_when_idle=exit_when_idle, overrides=overrides)
    _say(f"worker done: {pages} pages handled")


@app.command()
def status(
    job: Annotated[str, typer.Option(help="The job's name.")],
    store: Annotated[
        str, typer.Option(help="Store URL (default: leadharvest-out/leadharvest.db).")
    ] = "",
    scheduler: Annotated[
        str, typer.Option(help="Also show the requests still queued (redis://HOST:PORT/DB).")
    ] = "",
) -> None:
    """A job's progress and health report from the store, whichever worker did the work."""
    from leadharvest.runner import default_store_url

    _print_status(store or default_store_url(Path("leadharvest-out")), job, scheduler)


def _print_status(store: str, job_id: str, scheduler: str) -> None:
    from types import SimpleNamespace

    from leadharvest.distributed import job_status

    st = job_status(store, job_id, scheduler)
    pending = "" if st.pending is None else f" · {st.pending} requests queued or in flight"
    _say(f"Job {st.job_id}: {st.status}{pending}")
    result = SimpleNamespace(
        leads=st.lead_list,
        job=SimpleNamespace(pages=st.page_records, job_id=st.job_id),
        sheet="(none yet: leadharvest export --job " + st.job_id + ")",
        store_url=store,
        raw_leads=st.leads,
        filtered_out=0,
        interrupted=False,
        error="",
    )
    print_summary(result, out_console)


@app.command()
def extract(
    page: Annotated[Path, typer.Argument(help="A saved page (HTML file).")],
    url: Annotated[str, typer.Option(help="The URL the page was fetched from (picks the source).")],
    source: Annotated[
        str | None, typer.Option(help="Force a source by name (see `leadharvest sources`).")
    ] = None,
) -> None:
    """Run one source's extraction on a saved page; JSON lines on stdout."""
    from enrich.pipeline import enrich_lead
    from spiders.pages import extract_page, source_for_url
    from spiders.pages.base import Page

    if not page.is_file():
        raise UserError(f"page not found: {page}")
    if not url.lower().startswith(("http://", "https://")):
        raise UserError(f"--url must be an http(s) URL, got {url!r}")
    src = source_for_url(url, source)
    decoded = Page.from_bytes(url, page.read_bytes())
    result = extract_page(decoded, src)
    lines: list[dict[str, Any]] = [
        {"kind": "page", "status": result.status, "source": result.source}
    ]
    if result.reason:
        lines[0]["reason"] = result.reason
    for r in result.search_results:
        lines.append(
            {
                "kind": "search_result",
                "rank": r.rank,
                "url": r.url,
                "title": r.title,
                "snippet": r.snippet,
                "ad": r.ad,
            }
        )
    for lead in result.leads:
        enrich_lead(lead, region=src.region)
        lines.append(
            {
                "kind": "lead",
                "name": lead.name,
                "phones": [_phone_out(p) for p in lead.phones if not p.masked],
                "emails": [e.address or e.raw for e in lead.emails if not e.masked],
                "website": lead.website,
                "address": lead.address_raw,
                "people": [
                    {
                        "name": p.name,
                        "title": p.title,
                        "phones": [_phone_out(x) for x in p.phones if not x.masked],
                        "emails": [e.address or e.raw for e in p.emails if not e.masked],
                    }
                    for p in lead.people
                ],
                "masked": bool(lead.masked),
            }
        )
    for line in lines:
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def _phone_out(phone: Any) -> str:
    value = phone.e164 or phone.raw
    if phone.e164 and phone.extension:
        value += f";ext={phone.extension}"
    return str(value)


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="xlsx, a CRM profile (hubspot, salesforce, zoho, pipedrive, odoo, wukong, csv"
            " or any config/crm/NAME.toml), vcard or jsonl.",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    job: Annotated[str, typer.Option(help="Export the leads of this job from the store.")] = "",
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="JSON lines of leads (export jsonl or `extract` output)."),
    ] = None,
    store: Annotated[
        str, typer.Option(help="Store URL (default: leadharvest-out/leadharvest.db).")
    ] = "",
    lang: Annotated[str, typer.Option(help="Headers in en or zh.")] = "en",
    vcard_version: Annotated[
        str, typer.Option("--vcard-version", help="vCard version: 4.0 or 3.0.")
    ] = "4.0",
    tiers: Annotated[
        str,
        typer.Option(
            help="Grade by share instead of score thresholds: A,B,C,D percent, e.g. 1,4,15,80."
        ),
    ] = "",
) -> None:
    """Write a lead sheet, a CRM import file, vCards or JSON lines from a job or a leads file."""
    from exports.dispatch import export_leads, format_names

    fmt = fmt.lower()
    choices = format_names()
    if fmt not in choices:
        raise UserError(f"unknown format {fmt!r}; choose one of: {', '.join(choices)}")
    if vcard_version not in ("4.0", "3.0"):
        raise UserError(f"--vcard-version must be 4.0 or 3.0, got {vcard_version!r}")
    if bool(job) == bool(input_file):
        raise UserError("give exactly one of --job or --input")
    by_share = _tiers(tiers)
    leads, job_obj, review = _export_leads_from(job, input_file, store, _lang(lang), by_share)
    leads, review = _without_suppressed(leads, review, store)
    result = export_leads(
        leads,
        fmt,
        output,
        lang=_lang(lang),
        job=job_obj,
        vcard_version=vcard_version,
        review=review,
    )
    files = ", ".join(str(p) for p in result.paths)
    out_console.print(
        f"wrote {len(leads)} leads to {files}"
        + (f" ({result.rows} records)" if result.rows != len(leads) else ""),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    for name, reason in result.skipped:
        err_console.print(
            f"skipped {name}: {reason}", markup=False, highlight=False, soft_wrap=True
        )


def _export_leads_from(
    job: str, input_file: Path | None, store: str, lang: str, tiers: Tiers | None = None
) -> tuple[list[Lead], Job | None, list[ReviewPair]]:
    """The leads to export (and their job and review pairs, for the sheet) from the store or a
    file; graded again by share when ``tiers`` is given."""
    from leadharvest.grading import grade_leads

    if input_file is not None:
        if not input_file.is_file():
            raise UserError(f"input not found: {input_file}")
        from enrich.pipeline import enrich_lead
        from exports.jsonl import read_leads_jsonl

        leads = [enrich_lead(lead) for lead in read_leads_jsonl(input_file)]
        if tiers or not all(lead.grade for lead in leads):
            leads = grade_leads(leads, lang=lang, tiers=tiers)
        return leads, None, []
    from leadharvest.runner import default_store_url
    from leadharvest.store import Store

    db = Store(store or default_store_url(Path("leadharvest-out")))
    try:
        if job not in db.job_ids():
            raise UserError(
                f"no job {job!r} in the store; known: {', '.join(db.job_ids()[-5:]) or 'none'}"
            )
        leads = db.leads(job_id=job)
        if tiers:
            leads = grade_leads(leads, lang=lang, tiers=tiers)
        job_obj = Job(job_id=job, query="", pages=db.job_pages(job))
        return leads, job_obj, db.review_pairs(job)
    finally:
        db.close()


@app.command("dedupe")
def dedupe_cmd(
    input_file: Annotated[
        Path, typer.Argument(metavar="IN", help="A CSV or JSON-lines file of businesses.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="CSV file to write.")],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Read input COLUMN as lead FIELD, e.g. --map 公司名称=name (repeatable).",
        ),
    ] = None,
    region: Annotated[
        str, typer.Option(help="Default phone region, ISO code such as CN, AU, GB.")
    ] = "",
) -> None:
    """Mark the duplicates in a list of businesses, row by row.

    Columns read: name, contact, phone, email, website, address, city, postcode, state,
    country (several phones or e-mails separated by ';'); any other column is carried
    through unchanged.
    """
    from dedupe.io import dedupe_file, parse_mapping

    summary = dedupe_file(
        input_file, output, mapping=parse_mapping(list(map_ or [])), region=region
    )
    out_console.print(
        f"{summary.rows} rows, {summary.clusters} businesses: {summary.duplicate_rows} rows in"
        f" {summary.groups} groups of duplicates. Wrote {summary.output}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@archive_app.command("add")
def archive_add(
    page: Annotated[Path, typer.Argument(help="A page saved from the browser.")],
    url: Annotated[str, typer.Option(help="The URL the page was saved from.")],
    to: Annotated[Path, typer.Option(help="WARC archive to append to (created if missing).")],
) -> None:
    """Add a saved page to a WARC archive so a job can replay it."""
    from leadharvest.archive import add_page

    add_page(page, url, to)
    out_console.print(f"added {url} to {to}", markup=False, highlight=False)


@archive_app.command("list")
def archive_list(path: Annotated[Path, typer.Argument(help="WARC archive.")]) -> None:
    """List the URLs an archive holds."""
    from leadharvest.archive import ArchiveIndex

    for url in sorted(ArchiveIndex.load(path).urls()):
        out_console.print(url, markup=False, highlight=False, soft_wrap=True)


@app.command()
def sources() -> None:
    """List the source catalogue and what each source supports."""
    from spiders.pages import catalogue

    table = Table(title="Sources")
    for col in ("name", "method", "hosts", "region", "supports", "practice"):
        table.add_column(col)
    for src in catalogue().values():
        table.add_row(
            src.name,
            METHODS.get(src.method, src.method),
            ", ".join(src.hosts),
            src.region,
            ", ".join(src.supports),
            "yes" if src.practice else "",
        )
    out_console.print(table)


def _without_suppressed(
    leads: list[Lead], review: list[ReviewPair], store: str
) -> tuple[list[Lead], list[ReviewPair]]:
    """The leads (and review pairs) an export may write; says how many were held back."""
    from leadharvest.runner import default_store_url
    from leadharvest.suppression import apply_suppression

    shown = apply_suppression(leads, store or default_store_url(Path("leadharvest-out")))
    if shown.suppressed:
        out_console.print(
            f"{len(shown.suppressed)} {'lead' if len(shown.suppressed) == 1 else 'leads'} left"
            " out: on the suppression list (do not contact)",
            markup=False,
            highlight=False,
        )
    return shown.kept, shown.pairs(review)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    store: Annotated[
        str,
        typer.Option(
            help="Store URL (SQLite path or SQLAlchemy URL). Default: OUT/leadharvest.db."
        ),
    ] = "",
    out: Annotated[Path, typer.Option(help="Folder for the jobs' sheets.")] = Path(
        "leadharvest-out"
    ),
    accounts: Annotated[
        bool,
        typer.Option(
            "--accounts", help="Require sign-in: trainees see their own jobs, supervisors all."
        ),
    ] = False,
    https: Annotated[
        bool,
        typer.Option(
            "--https",
            help="Browsers reach it over HTTPS (a TLS proxy in front): Secure cookies, HSTS.",
        ),
    ] = False,
) -> None:
    """Start the web UI: new jobs, live progress, leads, verification and downloads."""
    import ipaddress

    import uvicorn

    from leadharvest.web import WebConfig, create_app
    from leadharvest.web.accounts import Accounts

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not accounts:
        raise UserError(
            f"--host {host} serves other machines: add --accounts so each person signs in"
        )
    config = WebConfig(store=store, out=out, accounts=accounts, https=https)
    web = create_app(config)
    if accounts and not Accounts(web.state.web.store).list_users():
        raise UserError(
            "no accounts yet: create one with `leadharvest user add NAME --role supervisor`"
        )
    out_console.print(
        f"LeadHarvest web UI on http://{host}:{port}/  (store {config.store_url}; Ctrl-C stops)",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(web, host=host, port=port, log_level="warning")


def _accounts(store: str) -> Any:
    from leadharvest.runner import default_store_url
    from leadharvest.store import Store
    from leadharvest.web.accounts import Accounts

    return Accounts(Store(store or default_store_url(Path("leadharvest-out"))))


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="trainee or supervisor.")] = "trainee",
    store: Annotated[
        str, typer.Option(help="Store URL (default: leadharvest-out/leadharvest.db).")
    ] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account for `serve --accounts`; the password is stored only as a hash."""
    from leadharvest.web.accounts import AccountError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = _accounts(store).add_user(name, role, password)
    except AccountError as exc:
        raise UserError(str(exc)) from exc
    out_console.print(f"added {user.role} {user.name}", markup=False, highlight=False)


@user_app.command("list")
def user_list(
    store: Annotated[
        str, typer.Option(help="Store URL (default: leadharvest-out/leadharvest.db).")
    ] = "",
) -> None:
    """List the accounts and their roles."""
    for user in _accounts(store).list_users():
        out_console.print(f"{user.name} ({user.role})", markup=False, highlight=False)


@user_app.command("remove")
def user_remove(
    name: Annotated[str, typer.Argument(help="User name.")],
    store: Annotated[
        str, typer.Option(help="Store URL (default: leadharvest-out/leadharvest.db).")
    ] = "",
) -> None:
    """Remove an account (the jobs it started stay, visible to supervisors)."""
    from leadharvest.web.accounts import AccountError

    try:
        _accounts(store).remove_user(name)
    except AccountError as exc:
        raise UserError(str(exc)) from exc
    out_console.print(f"removed {name}", markup=False, highlight=False)


def _lang(value: str) -> str:
    value = value.lower()
    if value not in {"en", "zh"}:
        raise UserError(f"--lang must be en or zh, got {value!r}")
    return value


def _tiers(value: str) -> Tiers | None:
    """``--tiers`` parsed (None when not given); a bad value is a one-line user error."""
    from leadharvest.grading import Tiers, TiersError

    if not value:
        return None
    try:
        return Tiers.parse(value)
    except TiersError as exc:
        raise UserError(str(exc)) from None


def version_callback(value: bool) -> None:
    if value:
        out_console.print(f"leadharvest {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """LeadHarvest: prospect businesses from the web, graded, unverified until checked."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry: map user errors to one line and exit code 2.

    Usage errors (unknown option, missing argument) are Typer's own, also exit code 2.
    """
    try:
        app(args=argv, prog_name="leadharvest")
    except QuerySyntaxError as exc:
        line = f"error: {exc}"
        if exc.message_in("zh") != exc.message and is_cjk(exc.query):
            line += f"（{exc.message_in('zh')}）"  # a Chinese query gets the Chinese reason too
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
        if exc.query:
            err_console.print(exc.pointer(), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except USER_ERRORS as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: what was collected so far is kept", markup=False)
        sys.exit(130)


# the customer-file commands (import, suppress, purge) register themselves on `app`
from leadharvest import cli_records  # noqa: E402, F401
