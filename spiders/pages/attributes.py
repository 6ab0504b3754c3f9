"""Contacts a page keeps outside its visible text: ``tel:``/``mailto:`` links, ``data-*`` values.

Directories often print a masked or shortened number and keep the whole one in the button
that reveals it (``<a data-phone="…">``), or carry a listing's e-mail only on a checkbox for
"send to all" (``<input data-email="…">``). A reader of text alone misses them, so the
generic extractor and the page objects read them here, from one element and everything
inside it.

Values are raw, as written; enrichment parses and validates them. Only attributes whose
*name* says what they hold are read (``data-email``, ``data-phone-number``, ``data-tel``),
so tracking ids and prices in other ``data-*`` attributes are never taken for contacts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

_EMAIL_ATTR_RE = re.compile(r"^data-(?:[\w-]*-)?e?-?mail(?:-?address)?$", re.IGNORECASE)
_PHONE_ATTR_RE = re.compile(
    r"^data-(?:[\w-]*-)?(?:phone|tel|telephone|mobile|mob|cell|phone-?number|tel-?number)"
    r"(?:-?(?:number|no|num))?$",
    re.IGNORECASE,
)
_EMAIL_VALUE_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
"""A whole attribute value that is one e-mail address (the shape only; enrichment validates)."""
_PHONE_VALUE_RE = re.compile(r"^[+(]?[\d*xX][\d\s().*xX/-]{5,}(?:(?:ext|转|x)\.?\s*\d+)?$")


@dataclass
class ElementContacts:
    """E-mail addresses and phone numbers held in attributes, in document order, unique."""

    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


def looks_like_email(value: str) -> bool:
    """Whether a value stored in markup or page state is one e-mail address, by its shape."""
    return bool(_EMAIL_VALUE_RE.match(value))


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


_CANDIDATES = etree.XPath(
    ".//@*[starts-with(name(), 'data-') and (contains(name(), 'mail')"
    " or contains(name(), 'phone') or contains(name(), 'tel') or contains(name(), 'mob')"
    " or contains(name(), 'cell'))]"
    " | .//@href[starts-with(translate(substring(., 1, 7), 'MAILTOE', 'mailtoe'), 'mailto:')"
    " or starts-with(translate(substring(., 1, 4), 'TEL', 'tel'), 'tel:')]",
    smart_strings=True,
)
"""Only the attributes that can hold a contact, found in C: most elements have none."""


def element_contacts(el: etree._Element) -> ElementContacts:
    """The ``tel:``/``mailto:`` targets and contact ``data-*`` attributes of ``el``'s subtree."""
    out = ElementContacts()
    found = _CANDIDATES(el)
    if not isinstance(found, list):
        return out
    for raw in found:
        name = str(getattr(raw, "attrname", ""))
        value = " ".join(str(raw).split())
        if not value:
            continue
        if name == "href":
            lower = value[:7].lower()
            if lower.startswith("mailto:"):
                address = unquote(value[7:].split("?", 1)[0]).strip()
                for part in address.split(","):
                    if looks_like_email(part.strip()):
                        _add(out.emails, part.strip())
            elif lower.startswith("tel:"):
                number = unquote(value[4:]).strip()
                if _PHONE_VALUE_RE.match(number):
                    _add(out.phones, number)
        elif _EMAIL_ATTR_RE.match(name) and looks_like_email(value):
            _add(out.emails, value)
        elif _PHONE_ATTR_RE.match(name) and _PHONE_VALUE_RE.match(value):
            _add(out.phones, value)
    return out
