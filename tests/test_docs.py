"""The README documents every command with its help text (the sqlite-utils habit)."""

from __future__ import annotations

from pathlib import Path

import typer

from leadharvest.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(typer_app: typer.Typer = app, prefix: str = "") -> list[tuple[str, str]]:
    """Every command, sub-command groups included, so a new group cannot go undocumented."""
    found = []
    for command in typer_app.registered_commands:
        callback = command.callback
        assert callback is not None
        name = command.name or callback.__name__.replace("_", "-")
        doc = (callback.__doc__ or "").strip().splitlines()[0]
        found.append((prefix + name, doc))
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None and group.name
        found += _commands(group.typer_instance, f"{prefix}{group.name} ")
    return found


def test_every_command_is_in_the_readme_with_its_help() -> None:
    commands = _commands()
    assert {name for name, _ in commands} >= {
        "demo",
        "collect",
        "extract",
        "export",
        "sources",
        "archive add",
        "archive list",
        "import",
        "suppress add",
        "suppress list",
        "suppress remove",
        "purge",
        "serve",
        "user add",
        "user list",
        "user remove",
        "dedupe",
    }
    for name, doc in commands:
        assert f"`leadharvest {name}" in README, f"README does not document `leadharvest {name}`"
        assert doc.rstrip(".") in README, f"README lacks the help text of {name}: {doc!r}"


def test_quickstart_has_exactly_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    lines = [line for line in block.strip().splitlines() if line.strip()]
    assert [line.split()[0:2] for line in lines] == [["./dev", "demo"], ["./dev", "test"]]
