"""Where LeadHarvest's data-only configuration lives and how it is read.

``config/`` holds TOML only (source catalogue, grading rules, query templates, defaults). In a
checkout it is read in place; in an installed wheel it is the ``leadharvest.config`` package
data. ``LEADHARVEST_CONFIG`` points at another folder (a classroom's own catalogue).
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration file is missing or malformed; the message names the file."""


def config_dir() -> Path:
    """The folder the configuration is read from."""
    env = os.environ.get("LEADHARVEST_CONFIG")
    if env:
        return Path(env)
    return _shipped_config_dir()


@cache
def _shipped_config_dir() -> Path:
    # found once: enrichment asks for the defaults once per lead, and resolving the path
    # each time was a tenth of `leadharvest dedupe`'s run
    checkout = Path(__file__).resolve().parent.parent / "config"
    if checkout.is_dir():
        return checkout
    import leadharvest.config as packaged

    return Path(next(iter(packaged.__path__)))


def load_toml(relative: str) -> dict[str, Any]:
    """Read one TOML file under the config folder; a clear error names it when it is bad."""
    return _load_relative(os.environ.get("LEADHARVEST_CONFIG", ""), relative)


@cache
def _load_relative(folder: str, relative: str) -> dict[str, Any]:
    # keyed by the LEADHARVEST_CONFIG value, so pointing it elsewhere takes effect; a hit is
    # two string lookups (enrichment reads the defaults once per lead)
    return _load_toml(str((Path(folder) if folder else _shipped_config_dir()) / relative))


@cache
def _load_toml(location: str) -> dict[str, Any]:
    # cached per absolute path, so pointing LEADHARVEST_CONFIG elsewhere takes effect
    path = Path(location)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def defaults() -> dict[str, Any]:
    """``config/defaults.toml``: region, user agent, politeness and page limits."""
    return load_toml("defaults.toml")
