"""Businesses in a page's embedded application state (``window.__INITIAL_STATE__`` and kin).

Directories built as JavaScript apps ship the data their cards are rendered from inside the
page: a ``window.__INITIAL_STATE__ = {...}`` assignment, Next.js's ``__NEXT_DATA__``, an
Apollo cache, a ``<script type="application/json">``. The cards often show less than the
state holds — yellowpages.com.au prints no e-mail on a card, while its state has
``"primaryEmail"`` for most listings. The generic extractor reads the state for any site it
has no adapter for and adds a business's contacts to the card of the same name.

A state object counts as a business when it has a name *and* a contact field (phone, e-mail
or website) under a key that says so. Subtrees that are the site's own chrome or the
visitor (``loggedInUser``, ``footer``, ``seo`` …) are never walked, and the caller only
uses a state business to complete a card it already read, so a stray object cannot become a
lead of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spiders.pages.attributes import looks_like_email
from spiders.pages.base import Page, clean_text, embedded_json

STATE_MARKERS = (
    "window.__INITIAL_STATE__",
    "window.__PRELOADED_STATE__",
    "window.__APOLLO_STATE__",
    "window.__INITIAL_DATA__",
    "window.__DATA__",
    "window.__STATE__",
)
"""Assignments that app frameworks put their state in (read with :func:`embedded_json`)."""

_MARKER_HEAD = "window.__"
assert all(marker.startswith(_MARKER_HEAD) for marker in STATE_MARKERS)

_NAME_KEYS = ("name", "businessName", "companyName", "company_name", "compName", "title")
_PHONE_KEY_RE = re.compile(
    r"(?:phone|tel|telephone|mobile|cell|fax|contact)(?:number|num|no)?s?$", re.IGNORECASE
)
_EMAIL_KEY_RE = re.compile(r"e-?mail(?:address)?s?$", re.IGNORECASE)
_WEBSITE_KEYS = ("website", "websiteUrl", "homepage", "url_website")
_SKIP_KEY_RE = re.compile(
    r"^(?:logged_?in\w*|current_?user|viewer|me|account|session|auth\w*|user|profile|"
    r"footer\w*|header\w*|nav(?:igation)?\w*|menu\w*|seo\w*|meta\w*|env|config|settings|"
    r"i18n|translations?)$",
    re.IGNORECASE,
)
"""Subtrees that describe the site or the visitor, never a listed business."""
_MAX_NODES = 200_000
"""A bound on the walk, so a huge state costs a bounded time."""


@dataclass
class StateBusiness:
    """A business as the state has it: its name and the contacts beside it."""

    name: str
    phones: list[tuple[str, str]] = field(default_factory=list)
    """(number as shown, label from its key or type: phone, mobile, fax …)."""
    emails: list[str] = field(default_factory=list)
    website: str = ""


def page_states(page: Page) -> list[Any]:
    """Every embedded state document of the page (parsed once per page)."""

    def read() -> list[Any]:
        text = page.text
        out: list[Any] = []
        # every marker opens with "window.__": one search of the page usually rules all out
        for marker in STATE_MARKERS if _MARKER_HEAD in text else ():
            if marker in text:
                value = embedded_json(text, marker)
                if isinstance(value, dict | list):
                    out.append(value)
        if "application/json" in text:
            for script in page.selector.root.iter("script"):
                kind = (script.get("type") or "").strip().lower()
                if kind != "application/json" or not script.text:
                    continue
                try:
                    value = json.loads(script.text)
                except ValueError:
                    continue
                if isinstance(value, dict | list):
                    out.append(value)
        return out

    states: list[Any] = page.memo("embedded_states", read)
    return states


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _phone(value: Any, label: str) -> tuple[str, str] | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    if isinstance(value, dict):
        kind = value.get("type") or value.get("label") or ""
        kind = kind.get("name", "") if isinstance(kind, dict) else kind
        label = str(kind or label).lower().replace("_", " ")
        value = value.get("displayValue") or value.get("value") or value.get("number") or ""
    if not isinstance(value, str):
        return None
    raw = clean_text(value)
    digits = sum(ch.isdigit() for ch in raw)
    return (raw, label) if 6 <= digits <= 20 else None


def _email(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value") or value.get("address") or value.get("email") or ""
    if not isinstance(value, str):
        return ""
    value = value.strip().removeprefix("mailto:")
    return value if looks_like_email(value) else ""


def _business(node: dict[str, Any]) -> StateBusiness | None:
    name = next((v for k in _NAME_KEYS if isinstance(v := node.get(k), str) and v.strip()), None)
    if name is None:
        return None
    found = StateBusiness(clean_text(name))
    for key, value in node.items():
        if not isinstance(key, str):
            continue
        if _EMAIL_KEY_RE.search(key):
            for item in _values(value):
                address = _email(item)
                if address and address not in found.emails:
                    found.emails.append(address)
        elif _PHONE_KEY_RE.search(key):
            label = "fax" if "fax" in key.lower() else "phone"
            for item in _values(value):
                phone = _phone(item, label)
                if phone and all(p[0] != phone[0] for p in found.phones):
                    found.phones.append(phone)
    for key in _WEBSITE_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            found.website = value.strip()
            break
    if not (found.phones or found.emails or found.website):
        return None
    return found


def state_businesses(page: Page) -> Iterator[StateBusiness]:
    """Business-shaped objects of the page's embedded states, in document order."""
    budget = _MAX_NODES
    for state in page_states(page):
        stack: list[Any] = [state]
        while stack and budget > 0:
            node = stack.pop()
            budget -= 1
            if isinstance(node, dict):
                business = _business(node)
                if business is not None:
                    yield business
                    continue
                stack.extend(
                    reversed(
                        [
                            v
                            for k, v in node.items()
                            if isinstance(v, dict | list)
                            and not (isinstance(k, str) and _SKIP_KEY_RE.match(k))
                        ]
                    )
                )
            elif isinstance(node, list):
                stack.extend(reversed([v for v in node if isinstance(v, dict | list)]))
