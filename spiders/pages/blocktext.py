"""A page as lines of visible text: one line per block element, inline markup kept together.

The finders in :mod:`spiders.pages.contacts` read labels and values line by line, so "<b>Phone:
</b> 0755…" must stay one line while every ``<p>``, ``<li>``, table cell and ``<br>`` starts a
new one.
"""

from __future__ import annotations

import re

from lxml import etree

from spiders.pages.base import Page, clean_text
from spiders.pages.labels import words

BLOCK_TAGS = frozenset(
    words(
        """
        address article aside blockquote body br caption center dd details dialog div dl dt
        fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre
        section summary table tbody td tfoot th thead tr ul option
        """
    )
)
SKIP_TAGS = frozenset(
    words(
        """
        script style noscript template head title iframe svg textarea select object embed canvas
        button input
        """
    )
)
SPACED_TAGS = frozenset({"a", "img", "label"})


def block_text(page: Page) -> str:
    """The visible text with a line break at every block element and ``<br>``.

    ``Page.visible_text`` breaks at every text node, which splits "<b>Phone:</b> 0755…" in two;
    here inline markup stays on one line, so a label and its value read together.
    """
    root = page.selector.root
    if not isinstance(root.tag, str):
        return page.visible_text
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(_collapse(el.text))
        else:
            if tag and tag not in SKIP_TAGS:
                if tag in BLOCK_TAGS:
                    parts.append("\n")
                elif tag in SPACED_TAGS:
                    parts.append(" ")
            if el.tail:
                parts.append(_collapse(el.tail))
    return clean_text("".join(parts), keep_newlines=True)


def _collapse(value: str) -> str:
    """HTML whitespace rules: a source line break inside a text node is just a space."""
    return re.sub(r"[ \t\r\n\f]+", " ", value)
