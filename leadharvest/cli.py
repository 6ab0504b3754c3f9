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
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from leadharvest import __version__
from leadharvest.archive import ArchiveError
from leadharvest.items import METHODS, METHODS_ZH
from leadharvest.query import QuerySyntaxError
from leadharvest.saved import SavedPagesError
from leadharvest.settings import ConfigError
from leadharvest.store import StoreError

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
        str,
        typer.Argument(
            help="Boolean query, e.g. '\"digital camera\" AND (wholesale OR 批发) -rental'."
        ),
    ],
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
    setting: Annotated[
        list[str] | None,
        typer.Option("-s", "--set", help="Scrapy setting override NAME=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Run a collection job end to end and write a graded lead sheet."""
    from leadharvest.runner import JobSpec, run_job

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
        settings=_settings_overrides(list(setting or [])),
    )
    from leadharvest.query import parse_query

    parse_query(query)  # refuse a malformed query before anything starts
    with ProgressView(out_console) as view:
        result = run_job(spec, on_event=view)
    print_summary(result, out_console)
    if result.error:
        raise typer.Exit(1)


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
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, jsonl or csv.")],
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
) -> None:
    """Write a lead sheet or a CSV / JSON-lines file from a job or a leads file."""
    from exports.csv import write_csv
    from exports.jsonl import read_leads_jsonl, write_jsonl
    from exports.xlsx import write_lead_sheet
    from leadharvest.grading import grade_leads
    from leadharvest.runner import default_store_url
    from leadharvest.store import Store

    fmt = fmt.lower()
    if fmt not in {"xlsx", "jsonl", "csv"}:
        raise UserError(f"unknown format {fmt!r}; choose xlsx, jsonl or csv")
    if bool(job) == bool(input_file):
        raise UserError("give exactly one of --job or --input")
    job_obj = None
    if input_file is not None:
        if not input_file.is_file():
            raise UserError(f"input not found: {input_file}")
        from enrich.pipeline import enrich_lead

        leads = [enrich_lead(lead) for lead in read_leads_jsonl(input_file)]
        if not all(lead.grade for lead in leads):
            leads = grade_leads(leads, lang=_lang(lang))
    else:
        db = Store(store or default_store_url(Path("leadharvest-out")))
        if job not in db.job_ids():
            raise UserError(
                f"no job {job!r} in the store; known: {', '.join(db.job_ids()[-5:]) or 'none'}"
            )
        leads = db.leads(job_id=job)
        from leadharvest.items import Job

        job_obj = Job(job_id=job, query="", pages=db.job_pages(job))
        db.close()
    if fmt == "xlsx":
        write_lead_sheet(leads, output, job=job_obj, lang=_lang(lang))
    elif fmt == "csv":
        write_csv(leads, output, lang=_lang(lang))
    else:
        write_jsonl(leads, output)
    out_console.print(f"wrote {len(leads)} leads to {output}", markup=False, highlight=False)


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


def _lang(value: str) -> str:
    value = value.lower()
    if value not in {"en", "zh"}:
        raise UserError(f"--lang must be en or zh, got {value!r}")
    return value


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
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        if exc.query:
            err_console.print(exc.pointer(), markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except USER_ERRORS as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: what was collected so far is kept", markup=False)
        sys.exit(130)
