"""A page as lines of visible text: one line per block element, inline markup kept together.

The finders in :mod:`spiders.pages.contacts` read labels and values line by line, so "<b>Phone:
</b> 0755…" must stay one line while every ``<p>``, ``<li>``, table cell and ``<br>`` starts a
new one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection
from itertools import compress
from typing import Any

from lxml import etree
from parsel import Selector

from spiders.pages.base import _WS_CHARS, Page, clean_text
from spiders.pages.labels import is_cjk, words
from spiders.pages.people import is_column_heading, looks_like_name

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
EMPHASIS_TAGS = frozenset({"strong", "b"})
ITEM_TAGS = frozenset({"li", "p", "dt", "dd", "td", "div"})


def block_text(page: Page, *, skip: Collection[etree._Element] = ()) -> str:
    """The visible text with a line break at every block element and ``<br>``.

    ``Page.visible_text`` breaks at every text node, which splits "<b>Phone:</b> 0755…" in two;
    here inline markup stays on one line, so a label and its value read together. A person's
    name set in bold at the head of a list item keeps its boundary: "<li><strong>Gareth
    Holroyd</strong> Managing Director</li>" reads "Gareth Holroyd, Managing Director".
    ``skip`` leaves whole subtrees out (the site's header and footer, see
    :mod:`spiders.pages.chrome`).
    """
    root = page.selector.root
    if not isinstance(root.tag, str):
        return page.visible_text
    return page_element_text(page, root, skip=skip)


def page_element_text(
    page: Page, el: etree._Element, *, skip: Collection[etree._Element] = ()
) -> str:
    """:func:`element_text` of an element of ``page``'s tree, cut from one walk of the page.

    The generic extractor reads the page without its chrome, without its login widgets, its
    chrome blocks one by one and every card: each of those is a stretch of the one walk with
    the skipped elements' stretches cut out, not a walk of its own.
    """
    walk = page.memo("block_text_walk", lambda: _Walk(page.selector.root))
    text = walk.text(el, skip)
    return element_text(el, skip=skip) if text is None else text


def page_element_count(page: Page) -> int:
    """How many elements the page's walk read (those outside scripts, styles and the like):
    a reader that has two ways to the same answer picks by the page's size."""
    return len(page.memo("block_text_walk", lambda: _Walk(page.selector.root)).spans)


def page_first_line(page: Page, el: etree._Element) -> str:
    """:func:`first_line` of an element of ``page``'s tree, read from the page's one walk.

    A listing's name candidates are many headings and links: each was a walk of its own.
    """
    walk = page.memo("block_text_walk", lambda: _Walk(page.selector.root))
    line = walk.first_line(el)
    return first_line(el) if line is None else line


_PLAIN, _BLOCK, _SPACED, _EMPHASIS, _SKIPPED, _INSIDE = range(6)
"""What an element of the walk is: how it ends (a line break, a space, a name boundary or
nothing), or left out with its subtree (``_SKIPPED``: its tail is read; ``_INSIDE``: an
element below a skipped one, tail and all)."""


def _kind(tag: Any) -> int:
    tag = tag.lower() if isinstance(tag, str) else ""
    if not tag or tag in SKIP_TAGS:
        return _SKIPPED
    if tag in BLOCK_TAGS:
        return _BLOCK
    if tag in SPACED_TAGS:
        return _SPACED
    return _EMPHASIS if tag in EMPHASIS_TAGS else _PLAIN


class _Walk:
    """The pieces of the page's block text, and the stretch of them each element wrote.

    A stretch runs from the element's start to its end, its tail excluded: what
    :func:`element_text` joins for that element, and what a ``skip`` leaves out.

    The pieces are those of :func:`_text_parts` (``iterwalk``: comments and processing
    instructions are not visited, so their tails are not read either), read from
    ``iter(etree.Element)`` with a stack of the open elements: an element closes when the
    next one is not its child. One event per element instead of two, and each tag read
    once, cost about a quarter less than the ``iterwalk`` (two events, a tuple each). Text
    nodes are collapsed once per distinct value (most are the same indentation runs).
    """

    def __init__(self, root: etree._Element) -> None:
        self.parts: list[str] = []
        self.spans: dict[etree._Element, tuple[int, int]] = {}
        self._line_index: tuple[list[int], list[int], list[str]] | None = None
        if not isinstance(root.tag, str):
            return  # iterwalk reads nothing of a comment
        parts = self.parts
        add = parts.append
        spans = self.spans
        # the open elements: (element, where its stretch starts, its kind)
        stack: list[tuple[etree._Element, int, int]] = []
        push = stack.append
        pop = stack.pop
        kinds: dict[Any, int] = {}  # by raw tag: a page has few tag names
        collapsed: dict[str, str] = {}  # _collapse by text value
        root_kind = _kind(root.tag)
        push((root, 0, root_kind))
        if root_kind != _SKIPPED:
            if root_kind == _BLOCK:
                add("\n")
            text = root.text
            if text:
                add(collapsed.setdefault(text, _collapse(text)))
        top: etree._Element = root
        top_kind = root_kind
        for el in root.iterdescendants(etree.Element):
            parent = el.getparent()
            while top is not parent:  # close the elements this one is not inside
                done, start, kind = pop()
                if kind < _SKIPPED:
                    if kind == _BLOCK:
                        add("\n")
                    elif kind == _SPACED:
                        add(" ")
                    elif kind == _EMPHASIS:
                        add(_name_boundary(done))
                    spans[done] = (start, len(parts))
                if kind != _INSIDE:
                    tail = done.tail  # never the root's: the root is not closed here
                    if tail:
                        value = collapsed.get(tail)
                        if value is None:
                            value = collapsed[tail] = _collapse(tail)
                        add(value)
                top, _, top_kind = stack[-1]
            if top_kind >= _SKIPPED:
                push((el, 0, _INSIDE))
                top, top_kind = el, _INSIDE
                continue
            raw = el.tag
            kind = kinds.get(raw, -1)
            if kind < 0:
                kind = kinds[raw] = _kind(raw)
            push((el, len(parts), kind))
            top, top_kind = el, kind
            if kind == _SKIPPED:
                continue
            if kind == _BLOCK:
                add("\n")
            text = el.text
            if text:
                value = collapsed.get(text)
                if value is None:
                    value = collapsed[text] = _collapse(text)
                add(value)
        while stack:
            done, start, kind = pop()
            if kind < _SKIPPED:
                if kind == _BLOCK:
                    add("\n")
                elif kind == _SPACED:
                    add(" ")
                elif kind == _EMPHASIS:
                    add(_name_boundary(done))
                spans[done] = (start, len(parts))
            if kind != _INSIDE and stack:
                tail = done.tail
                if tail:
                    value = collapsed.get(tail)
                    if value is None:
                        value = collapsed[tail] = _collapse(tail)
                    add(value)

    def text(self, el: etree._Element, skip: Collection[etree._Element]) -> str | None:
        """:func:`element_text` of ``el`` (None when the walk did not read it).

        ``clean_text`` of the stretch's pieces, line by line: a line break is only ever a
        piece of its own (text nodes are collapsed, see :meth:`_lines`), and cleaning never
        reaches across one, so the lines wholly inside the stretch are the page's cleaned
        lines, cleaned once per page; only the lines the stretch's ends and cuts break are
        cleaned here. The generic extractor asks for the whole page under three sets of
        cuts and for each card and chrome block: cleaning the page's text each time was
        most of the cost.
        """
        span = self.spans.get(el)
        if span is None:
            return None
        if el in skip:
            return ""
        start, end = span
        # a skipped element whose stretch is exactly ``el``'s may be its ancestor (wrapping
        # nothing else): only ``el``'s own descendants are cut, as ``element_text`` does
        cuts = sorted(
            cut
            for x in skip
            if (cut := self.spans.get(x)) is not None
            and start <= cut[0]
            and cut[1] <= end
            and (cut != span or el in x.iterancestors())
        )
        ranges: list[tuple[int, int]] = []
        pos = start
        for cut_start, cut_end in cuts:
            if cut_start > pos:
                ranges.append((pos, cut_start))
            pos = max(pos, cut_end)
        ranges.append((pos, end))
        breaks, kept, kept_lines = self._lines()
        parts = self.parts
        out: list[str] = []
        line: list[str] = []  # the pieces of the line read so far
        for first, stop in ranges:
            if first >= stop:
                continue
            i = bisect_left(breaks, first)
            j = bisect_left(breaks, stop)
            if i == j:  # no line break: all of it joins the line
                line.extend(parts[first:stop])
                continue
            line.extend(parts[first : breaks[i]])
            if cleaned := clean_text("".join(line), keep_newlines=True):
                out.append(cleaned)
            # the page's lines between the range's first and last break, cleaned
            out.extend(kept_lines[bisect_left(kept, i + 1) : bisect_left(kept, j)])
            line = parts[breaks[j - 1] + 1 : stop]
        if cleaned := clean_text("".join(line), keep_newlines=True):
            out.append(cleaned)
        return "\n".join(out)

    def first_line(self, el: etree._Element) -> str | None:
        """:func:`first_line` of ``el`` (None when the walk did not read it): its pieces up
        to the first line break after some text, as the element's own walk stops there."""
        span = self.spans.get(el)
        if span is None:
            return None
        start, end = span
        parts = self.parts
        content = False
        stop = start
        while stop < end:
            piece = parts[stop]
            if piece == "\n":
                if content:
                    break
            elif not content:
                content = _has_text(piece)
            stop += 1
        text = clean_text("".join(parts[start:stop]), keep_newlines=True)
        return text.split("\n", 1)[0].strip()

    def _lines(self) -> tuple[list[int], list[int], list[str]]:
        """Where the line breaks are among the pieces, and the page's cleaned lines that
        are not blank with their numbers (line ``n`` runs from break ``n - 1`` to break
        ``n``), built on the first :meth:`text`.

        Only the block breaks are "\\n": a text piece is collapsed (no line break left in
        it) and a boundary is "", " " or ",".
        """
        if self._line_index is None:
            parts = self.parts
            breaks = [i for i, piece in enumerate(parts) if piece == "\n"]
            lines = clean_lines("".join(parts))
            kept = list(compress(range(len(lines)), lines))  # no Python step per line
            self._line_index = (breaks, kept, list(filter(None, lines)))
        return self._line_index


def clean_lines(value: str) -> list[str]:
    """``clean_text(value, keep_newlines=True)``'s lines with the blank ones kept (as ""):
    each line of ``value`` cleaned as ``clean_text`` cleans it (a test holds the two
    together), so the lines of any stretch of ``value`` can be read from these."""
    for char in _WS_CHARS:
        if char in value:
            value = value.replace(char, " ")
    while "  " in value:
        value = value.replace("  ", " ")
    return list(map(str.strip, value.split("\n")))


def element_text(root: etree._Element, *, skip: Collection[etree._Element] = ()) -> str:
    """:func:`block_text` of one subtree (a listing's card), without the ``skip`` subtrees."""
    return clean_text("".join(_text_parts(root, skip, first_line=False)), keep_newlines=True)


def node_text(nodes: Selector | list[Selector]) -> str:
    """Text of a node (or of the first of a list, "" for none) on one line, scripts left out.

    Site page objects pass an XPath result straight in, so a missing cell reads as "".
    """
    node = nodes if isinstance(nodes, Selector) else (nodes[0] if nodes else None)
    if node is None:
        return ""
    return clean_text("".join(node.xpath(".//text()[not(ancestor::script)]").getall()))


def first_line(root: etree._Element) -> str:
    """The first line of :func:`element_text` of ``root``, without reading the rest of it.

    A listing's name candidates are the first lines of headings, links and name-classed
    elements, and some of those wrap a whole card: the walk stops at the first line break
    that follows some text.
    """
    text = clean_text("".join(_text_parts(root, (), first_line=True)), keep_newlines=True)
    return text.split("\n", 1)[0].strip()


def _text_parts(
    root: etree._Element, skip: Collection[etree._Element], *, first_line: bool
) -> list[str]:
    """The pieces :func:`element_text` joins; with ``first_line``, up to the first line's end."""
    skipped = skip if isinstance(skip, set | frozenset) else set(skip)
    parts: list[str] = []
    content = False  # some text so far (first_line: the next block break ends the line)
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if not tag or tag in SKIP_TAGS or (skipped and el in skipped):
                walker.skip_subtree()  # its "end" event still comes and adds its tail
                continue
            if tag in BLOCK_TAGS:
                if content and first_line:
                    return parts
                parts.append("\n")
            if el.text:
                parts.append(_collapse(el.text))
                content = content or _has_text(el.text)
        else:
            if tag and tag not in SKIP_TAGS and not (skipped and el in skipped):
                if tag in BLOCK_TAGS:
                    if content and first_line:
                        return parts
                    parts.append("\n")
                elif tag in SPACED_TAGS:
                    parts.append(" ")
                elif tag in EMPHASIS_TAGS:
                    boundary = _name_boundary(el)
                    parts.append(boundary)
                    content = content or bool(boundary.strip())
            if el.tail and el is not root:
                parts.append(_collapse(el.tail))
                content = content or _has_text(el.tail)
    return parts


def _has_text(value: str) -> bool:
    """Whether a text node holds something ``clean_text`` keeps (not only spaces)."""
    return bool(value.replace("\u200b", "").strip())


def _name_boundary(el: etree._Element) -> str:
    """ ", " after a bold name that heads a list item and runs into its title, else ""."""
    parent = el.getparent()
    if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() not in ITEM_TAGS:
        return ""
    if (parent.text or "").strip() or el.getprevious() is not None:
        return ""
    tail = (el.tail or "").lstrip()[:1]
    if not (tail.isascii() and tail.isupper()) and not is_cjk(tail):
        return ""
    if not looks_like_name(clean_text("".join(el.itertext()))):
        return ""
    return " " if is_cjk(tail) else ","


def table_header_cells(page: Page) -> frozenset[str]:
    """The texts of table header rows, which are never people.

    A header row is a ``<thead>`` row, a row of ``<th>`` cells only, or a table's first row
    whose cells are all column headings ("姓名 / 职务 / 电话"). A ``<th>`` beside a ``<td>``
    labels its row ("Reception" / "02 5550 0300") and is not a header row. Read once per
    page (both passes of the generic extractor ask).
    """
    return page.memo("table_header_cells", lambda: _table_header_cells(page))


def _table_header_cells(page: Page) -> frozenset[str]:
    out: set[str] = set()
    for table in page.selector.root.getroottree().iter("table"):
        first = True
        for row in _rows(table):
            parent = row.getparent()
            in_head = parent is not None and parent.tag == "thead"
            if not (first or in_head) and next(row.iterchildren("td"), None) is not None:
                continue  # a body row after the first with a td cell: never a header row
            cells = [cell for cell in row if cell.tag == "th" or cell.tag == "td"]
            if len(cells) < 2:
                continue
            all_th = all(cell.tag.lower() == "th" for cell in cells)
            if not (first or in_head or all_th):
                continue  # a body row after the first: its texts are never read
            texts = [clean_text(" ".join(cell.itertext())) for cell in cells]
            filled = [t for t in texts if t]
            headings = first and bool(filled) and all(is_column_heading(t) for t in filled)
            if in_head or all_th or headings:
                out.update(t for t in texts if t)
            first = False
    return frozenset(out)


_SPACES_RE = re.compile(r"[ \t\r\n\f]+")


def _rows(table: etree._Element) -> list[etree._Element]:
    """``./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr``, in document order, from the children
    (a query per row for its cells cost more than reading them: tables run to hundreds of
    rows)."""
    rows: list[etree._Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag == "thead" or tag == "tbody" or tag == "tfoot":
            rows.extend(row for row in child if row.tag == "tr")
    return rows


def _collapse(value: str) -> str:
    """HTML whitespace rules: a source line break inside a text node is just a space."""
    if "\n" in value or "\t" in value or "\r" in value or "\f" in value or "  " in value:
        return _SPACES_RE.sub(" ", value)
    return value  # nothing to collapse: most text nodes
