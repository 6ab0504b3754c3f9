"""Markup from the element trees the property tests draw, one definition for every module.

A drawn node is ``(tag, attributes, children)`` or ``(tag, attributes, text, children)``;
``closing`` is written before each end tag (a comment there checks that a reader skips
comments between an element's last child and its end).
"""

from __future__ import annotations

from typing import Any


def tree_markup(node: Any, closing: str = "") -> str:
    """The HTML of a drawn node and its subtree."""
    tag, attrs, *text, children = node
    shown = "".join(f' {name}="{value}"' for name, value in attrs.items())
    inner = "".join(tree_markup(child, closing) for child in children)
    return f"<{tag}{shown}>{''.join(text)}{inner}{closing}</{tag}>"
