"""The web UI (``leadharvest serve``): new jobs, live progress, leads, verification, downloads.

Server-rendered pages over the same store and runner as the command line; see
:mod:`leadharvest.web.app` for what keeps it safe with hostile scraped values.
"""

from leadharvest.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
