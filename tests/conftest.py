"""Shared pytest fixtures."""

from __future__ import annotations

import os

from hypothesis import settings

os.environ.setdefault("LEADHARVEST_OFFLINE", "1")

# Property tests check what code returns, never how fast: hypothesis's default 200 ms deadline
# per example failed a passing test on a loaded machine (speed lives in benchmarks/).
settings.register_profile("leadharvest", deadline=None)
settings.load_profile("leadharvest")
