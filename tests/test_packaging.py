"""Packaging: our packages are ours, and the config ships with them.

PyPI has unrelated distributions named ``dedupe``, ``enrich``, ``spiders`` and ``config``;
a stray install of one must never shadow this project's package.
"""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("package", ["leadharvest", "spiders", "enrich", "dedupe", "exports"])
def test_each_package_imports_from_this_repository(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(CHECKOUT / package)


def test_pyproject_lists_packages_explicitly_and_ships_config() -> None:
    meta = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = meta["tool"]["setuptools"]["packages"]
    for package in ("leadharvest", "spiders", "enrich", "dedupe", "exports", "leadharvest.config"):
        assert package in packages
    assert meta["tool"]["setuptools"]["package-dir"]["leadharvest.config"] == "config"
    assert meta["project"]["scripts"] == {"leadharvest": "leadharvest.cli:main"}
    # every dependency name is a real distribution we chose, not a same-named stranger
    names = {
        dep.split(">")[0].split("=")[0].split("[")[0].lower()
        for dep in meta["project"]["dependencies"]
    }
    assert not names & {"dedupe", "enrich", "spiders", "config"}


def test_config_is_data_only() -> None:
    files = [p for p in (CHECKOUT / "config").rglob("*") if p.is_file()]
    assert files
    assert {p.suffix for p in files} <= {".toml"}
