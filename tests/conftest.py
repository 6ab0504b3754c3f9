"""Shared pytest fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("LEADHARVEST_OFFLINE", "1")
