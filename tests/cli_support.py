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


def user_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one line ``leadharvest ARGV`` prints for bad input, after checking it is what the
    project promises a user: exit code 2, no traceback, a single line on stderr."""
    code, _out, err = run_cli(argv, capsys)
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]
