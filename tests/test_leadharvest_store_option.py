"""The ``--store URL`` contract: every command that touches the store takes it, and a plain
``postgresql://user@host:port/db`` URL works as written (a job, its resume, and the list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from leadharvest.cli import app, main
from leadharvest.practice import archive_path
from leadharvest.store import Store
from tests.services import postgres_schema_url

NO_STORE = {"extract", "dedupe", "archive add", "archive list", "sources"}
"""Commands that read and write files only."""


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf command of the CLI by its full name (``archive add``)."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{prefix}{name} "))
        else:
            found[f"{prefix}{name}"] = command
    return found


def test_every_command_that_touches_the_store_takes_store() -> None:
    commands = _commands(typer.main.get_group(app))
    assert set(commands) >= NO_STORE
    missing = [
        name
        for name, command in commands.items()
        if name not in NO_STORE and not any("--store" in p.opts for p in command.params)
    ]
    assert missing == [], f"add --store to {missing} (or list it in NO_STORE)"
    collect = {opt for p in commands["collect"].params for opt in p.opts}
    assert {"--store", "--job", "--resume", "-s"} <= collect


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return int(exc.value.code or 0), capsys.readouterr().out


def test_a_plain_postgresql_url_works_for_collect_resume_and_suppress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with postgres_schema_url() as url:
        plain = "postgresql://" + url.split("://", 1)[1]  # no driver named, as a user types it
        site = "https://kestrel-camera.example/"
        job = ["camera", "--start-url", site, "--replay", str(archive_path()), "--job", "pg"]
        code, out = _run(["collect", *job, "--store", plain, "--out", str(tmp_path)], capsys)
        assert code == 0, out
        db = Store(url)
        first = db.leads(job_id="pg")
        pages = db.job_pages("pg")
        assert first and pages
        # as if the job had been killed before it finished: it resumes from the PostgreSQL row
        row = next(r for r in db.job_rows() if r["job_id"] == "pg")
        from leadharvest.items import Job

        db.save_job(Job(job_id="pg", query=row["query"], status="running"), row["spec"])
        db.close()
        code, out = _run(["collect", "--resume", "pg", "--store", plain], capsys)
        assert code == 0, out
        db = Store(url)
        try:
            again = db.leads(job_id="pg")
            assert sorted(lead.lead_id for lead in again) == sorted(lead.lead_id for lead in first)
            assert db.count_leads() == len(first)
            assert sorted(p.url for p in db.job_pages("pg")) == sorted(p.url for p in pages)
            assert next(r for r in db.job_rows() if r["job_id"] == "pg")["status"] == "finished"
        finally:
            db.close()
        code, out = _run(
            ["suppress", "add", "sales@kestrel-camera.example", "--store", plain], capsys
        )
        assert code == 0 and "added: email sales@kestrel-camera.example" in out
        code, out = _run(["suppress", "list", "--store", plain], capsys)
        assert out.startswith("email\tsales@kestrel-camera.example\t")
