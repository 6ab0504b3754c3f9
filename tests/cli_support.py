"""Running the `leadharvest` command line inside a test, the way a user's shell would."""

from __future__ import annotations

import pytest

from leadharvest.cli import main


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``leadharvest ARGV``; ``main`` always ends in SystemExit
    with the code a shell would see (2 for a user error)."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err
