"""Page objects: extraction apart from crawling (the web-poet habit).

A page object turns one decoded page into a :class:`PageExtraction`: its status, the search
results or leads it shows, and the links worth following (detail pages, company websites,
contact pages, the next results page). It never fetches anything, so the same code runs in
the spiders, in ``leadharvest extract`` and in the tests on saved pages.

Page objects fill only raw values (``Phone.raw`` + its label, ``Email.raw``, ``address_raw``);
enrichment parses them later. :func:`spiders.pages.extract_page` adds the evidence.
"""

from __future__ import annotations

import json
import operator
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any, ClassVar, Self, TypeVar
from urllib.parse import urldefrag, urljoin, urlparse, urlsplit

import lxml.html
from lxml import etree
from parsel import Selector, SelectorList

from leadharvest.items import Lead, PageStatus, SearchResult
from spiders.encoding import decode_html

_T = TypeVar("_T")


@dataclass
class Page:
    """A decoded page and the URL it was fetched from."""

    url: str
    text: str
    http_status: int = 200
    encoding: str = "utf-8"
    _utf8: bytes | None = field(default=None, init=False, repr=False, compare=False)
    """The bytes ``text`` was decoded from when they are its exact UTF-8 form (see ``root``)."""

    @classmethod
    def from_bytes(
        cls, url: str, body: bytes, content_type: str | None = None, http_status: int = 200
    ) -> Page:
        text, codec = decode_html(body, content_type)
        page = cls(url=url, text=text, http_status=http_status, encoding=codec)
        if codec == "utf-8" and "\ufffd" not in text:  # decoded strictly, byte for byte
            page._utf8 = body
        return page

    @cached_property
    def selector(self) -> Selector:
        if self.root is None:
            return self._parsel()
        return PageSelector(root=self.root, type="html")

    @cached_property
    def root(self) -> Any:
        """The page's lxml tree, parsed once for every reader (None for XML / JSON text).

        The same tree parsel would build (same parser options, same input), with one class
        for every element: lxml.html's per-tag class lookup is a Python call for each element
        proxy, and the readers touch every element several times.

        A page fetched as UTF-8 is parsed from the bytes it came in: encoding the text again
        took 9 ms a round of the real pages (a 50 ms parse), most of it on Chinese pages.
        """
        text = self.text or "<html></html>"
        if not text.lstrip().startswith("<") or _XML_DECLARATION.match(text):
            return None  # parsel's own type detection and XML parser decide, as before
        body = _utf8_markup(self._utf8) if self._utf8 is not None and self.text else None
        if body is None:
            body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
        parser = _html_parser()
        root = etree.fromstring(body, parser=parser, base_url=self.url)
        if root is None:
            root = etree.fromstring(b"<html/>", parser=parser, base_url=self.url)
        return root

    def owns(self, selector: Selector) -> bool:
        """Whether ``selector`` is this page's own (already built) selector, so the page's
        indexes describe its tree; asking never parses the page."""
        return self.__dict__.get("selector") is selector

    def memo(self, key: str, build: Callable[[], _T]) -> _T:
        """A value derived from the page, built once: readers share one walk of the tree."""
        if key not in self.__dict__:
            self.__dict__[key] = build()
        return self.__dict__[key]  # type: ignore[no-any-return]

    @cached_property
    def lowered(self) -> str:
        """The page's text in lower case, for the marker checks several readers make."""
        return self.text.lower()

    def _parsel(self) -> Selector:
        return Selector(text=self.text or "<html></html>", base_url=self.url)

    def urljoin(self, href: str) -> str:
        """``href`` joined to the page's base URL, each ``href`` once per page: the contact
        links, the social links and a listing's cards all ask about the same anchors."""
        joined: dict[str, str] | None = self.__dict__.get("_joined")
        if joined is None:
            joined = self.__dict__["_joined"] = {}
        url = joined.get(href)
        if url is None:
            url = joined[href] = _urljoin(self.base_url, href.strip())
        return url

    def urljoin_split(self, href: str) -> tuple[str, tuple[str, str, str, str, str] | None]:
        """``self.urljoin(href)`` and :func:`split_plain` of it, for a reader that splits
        every link it joins (each a different URL, so neither cache would hit)."""
        return join_split(self.base_url, href.strip())

    @cached_property
    def base_url(self) -> str:
        """The URL the page's links are relative to: its first ``<base href>``, else its own.

        A page whose text holds no ``<base`` tag (in any case; nor a NUL, which the parse
        drops) has no such element: a page not parsed yet is not parsed just to learn that
        (a directory read from its page state joins its links without its tree ever being
        built). A parsed page's tree answers at once; the text search costs about 1 ms a MB.
        """
        if "root" not in self.__dict__ and not _may_hold_base_tag(self.text):
            return self.url
        base = next(
            (h for el in _iter(self.selector.root, "base") if (h := el.get("href")) is not None),
            None,
        )
        return urljoin(self.url, base.strip()) if base else self.url

    @cached_property
    def visible_text(self) -> str:
        """Text a person would read: scripts, styles and templates removed, whitespace tidied."""
        root = self.selector.root
        parts = _body_text(root) or _ANY_TEXT(root)
        return clean_text("\n".join(parts), keep_newlines=True)

    def visible_text_under(self, limit: int) -> bool:
        """Whether :attr:`visible_text` is shorter than ``limit`` characters.

        A block check asks this of every page whose markup holds a marker word ("captcha"
        is in many a results page's scripts), and the answer is nearly always no: the body's
        text nodes are counted until ``limit`` characters that survive the white-space tidy
        are seen (no full text is built: 1.8 ms on a 130 kB results page). A page that never
        gets there is measured exactly.
        """
        if "visible_text" not in self.__dict__:
            seen = 0
            for part in _iter_body_text(self.selector.root):
                # characters neither white space nor U+200B all stay in the tidied text
                seen += sum(map(len, part.split())) - part.count("\u200b")
                if seen >= limit:
                    return False
        return len(self.visible_text) < limit


_DEFAULT_NAMESPACES = dict(Selector._default_namespaces)
_XPATHS: dict[str, etree.XPath] = {}


class PageSelector(Selector):
    """A parsel ``Selector`` over a page's HTML tree whose queries skip parsel's per-call work.

    Page objects ask a few thousand small queries per page (per card, per cell). For each,
    parsel rebuilds the namespace map, looks the compiled query up through a cache keyed on
    it, and runs ``Selector.__init__`` for every node found; reading a text node back goes
    through a failed ``tostring``. Here a query compiled once per query string is run on the
    node and each node found is wrapped as parsel would wrap it (type "html", the default
    namespaces, the query as ``_expr``): the same selectors, at about a third of the cost.
    Anything else (extra namespaces, XML, JSON, text) is parsel's own path.
    """

    __slots__ = ()

    def xpath(
        self,
        query: str,
        namespaces: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> SelectorList[Self]:
        root = self.root
        if (
            namespaces is not None
            or self.type != "html"
            or not hasattr(root, "xpath")
            or self.namespaces != _DEFAULT_NAMESPACES
        ):
            return super().xpath(query, namespaces, **kwargs)
        try:
            compiled = _XPATHS.get(query) or _compiled_query(query)
            result = compiled(root, **kwargs)
        except etree.XPathError as exc:
            raise ValueError(f"XPath error: {exc} in {query}") from exc
        if not isinstance(result, list):
            result = [result]
        cls = type(self)
        found: list[Self] = []
        for node in result:
            sel = cls.__new__(cls)
            sel.root = node
            sel.type = "html"
            sel.namespaces = dict(_DEFAULT_NAMESPACES)
            sel._expr = query
            sel._huge_tree = True
            sel._text = None
            found.append(sel)
        return SelectorList(found)

    def get(self) -> Any:
        """A text or attribute node's string as it is (what parsel returns after failing to
        serialise it), else parsel's serialisation."""
        root = self.root
        return root if type(root) is str else super().get()


def _compiled_query(query: str) -> Any:
    """The query compiled as parsel compiles it (no smart strings; of its EXSLT prefixes only
    those the query uses), kept for the process: the page objects ask a fixed few hundred
    query strings (a bounded number is kept all the same)."""
    namespaces = {p: uri for p, uri in _DEFAULT_NAMESPACES.items() if f"{p}:" in query}
    compiled = etree.XPath(descendant_steps(query), namespaces=namespaces, smart_strings=False)
    if len(_XPATHS) < 4096:
        _XPATHS[query] = compiled
    return compiled


_STEP_NAME = r"(?:\*|[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)"
_NODE_TEST_RE = re.compile(rf"text\(\)|node\(\)|comment\(\)|{_STEP_NAME}(?![\w.\-:]*\s*(?:\(|::))")
_STRING_LITERAL_RE = re.compile(r"'[^']*'|\"[^\"]*\"")
_BOOLEAN_OPERATOR_RE = re.compile(r"!=|<=|>=|=|<|>|\sand\s|\sor\s")
_BOOLEAN_CALL_RE = re.compile(r"(?:not|contains|starts-with|boolean)\(\)$")
_PATH_START_RE = re.compile(r"[@./*A-Za-z_]")
_NODE_TYPE_TESTS_RE = re.compile(r"\b(?:text|node|comment)\(\)")
_NOT_A_PATH_RE = re.compile(r"[\d(+]|\s-|(?<![/@:\[|(])\*(?!$)|(?<=\w)\*|\bdiv\b|\bmod\b")
"""A call, a number or an operator that could make a number: a multiplication's ``*``
follows an operand, a name test's ``*`` a ``/``, ``@`` or ``::`` (or starts the path)."""


def descendant_steps(query: str) -> str:
    """``query`` with each ``//step[p]…`` written ``/descendant::step[p]…`` where that is the
    same node set: every predicate of the step is a truth value, never a position.

    libxml2 reads ``//step[p]`` as it is defined, a ``child::step[p]`` from every node of the
    document, and merges those node sets (sorting and de-duplicating them: ``//*[@class]`` takes
    8 times ``/descendant::*[@class]`` on a 9,000-element page); it only rewrites a step that
    has no predicate. A predicate whose value could be a number (``[1]``, ``[count(a)]``,
    ``[$n]``) or that reads ``position()`` / ``last()`` selects by position among a parent's
    children, so such a step stays as written, as does anything not understood here.
    """
    if "//" not in query:
        return query
    out: list[str] = []
    pos, size = 0, len(query)
    while pos < size:
        char = query[pos]
        if char in "'\"":
            end = query.find(char, pos + 1)
            if end == -1:
                return query  # not a query libxml2 compiles: its own error stands
            out.append(query[pos : end + 1])
            pos = end + 1
            continue
        if query.startswith("//", pos):
            test = _NODE_TEST_RE.match(query, pos + 2)
            step_end = _predicates_end(query, test.end()) if test else None
            if test and step_end is not None:  # and the paths in its predicates
                out.append(
                    f"/descendant::{test.group()}{descendant_steps(query[test.end() : step_end])}"
                )
                pos = step_end
                continue
        out.append(char)
        pos += 1
    return "".join(out)


def _predicates_end(query: str, pos: int) -> int | None:
    """Where the predicates after a step's node test end, or None when one may be positional."""
    size = len(query)
    while pos < size and query[pos] == "[":
        depth, end = 0, pos
        while end < size:
            char = query[end]
            if char in "'\"":
                end = query.find(char, end + 1)
                if end == -1:
                    return None
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        if end >= size or not _truth_predicate(query[pos + 1 : end]):
            return None
        pos = end + 1
    return pos


def _truth_predicate(predicate: str) -> bool:
    """Whether a predicate's value is surely a boolean, a string or a node set (never a
    number) and does not read the context position or size."""
    text = _STRING_LITERAL_RE.sub("''", predicate).strip()
    if not text or "position(" in text or "last(" in text or "$" in text:
        return False
    top = _outermost(text)
    if top == "()":  # one parenthesised expression: its value is the predicate's
        return _truth_predicate(text[1:-1])
    if _BOOLEAN_OPERATOR_RE.search(top):
        return True  # a comparison, "and" or "or": a boolean
    if _BOOLEAN_CALL_RE.fullmatch(top):
        return True  # not(…), contains(…), starts-with(…), boolean(…)
    path = _NODE_TYPE_TESTS_RE.sub("", top)
    # a location path (a node set), with no call, number or arithmetic at its top
    return bool(_PATH_START_RE.match(text)) and not _NOT_A_PATH_RE.search(path)


def _outermost(text: str) -> str:
    """``text`` with what nested brackets and parentheses hold left out (``f()``, ``a[]``)."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            if depth == 0:
                out.append(char)
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                out.append(char)
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _urljoin(base: str, href: str) -> str:
    """``urljoin(base, href)``; the common hrefs joined by string operations.

    ``urljoin`` parses both URLs and builds the result again (about 10 us; a company page
    joins a few hundred hrefs). An absolute http(s) URL, a ``/path`` or a plain relative
    ``page.html?q`` whose parts ``urljoin`` keeps as written (no empty ``?`` or ``#``, no
    ``;``, no dot segment, no ``//`` inside, nothing ``urlsplit`` drops) is put together
    here; anything else goes to ``urljoin`` itself.
    """
    if not base:
        return href
    if not href:
        return base
    parts = _join_base(base)
    if parts is not None:
        if _ABSOLUTE_RE.match(href):
            return href  # kept as written, whatever the base's scheme
        m = _PATH_REF_RE.match(href)
        if m is not None:
            path = m.group(1)
            if ":" not in path and "/." not in path:  # no scheme, no dot segment
                if path[0] == "/":
                    if path[1:2] != "/":
                        return parts[0] + href
                elif parts[1] and path[0] != "." and "//" not in path:
                    return parts[0] + parts[1] + href
    return urljoin(base, href)


_NETLOC = r"[\w.:@!$&'()*+,=~-]+"
"""A netloc ``urlsplit`` takes as it is: ASCII, no brackets (IPv6), no ``%`` (zone)."""
_REF_TAIL = r"(?:\?[^#\t\n\r]+)?(?:#[^\t\n\r]+)?\Z"
"""A query and a fragment, each either absent or not empty (``urlunsplit`` drops empty ones)."""
_ABSOLUTE_RE = re.compile(rf"https?://{_NETLOC}(?:/[^?#;\t\n\r]*)?{_REF_TAIL}", re.ASCII)
_ABSOLUTE_PARTS_RE = re.compile(
    rf"(https?)://({_NETLOC})(/[^?#;\t\n\r]*)?(?:\?([^#\t\n\r]+))?(?:#([^\t\n\r]+))?\Z", re.ASCII
)
"""``_ABSOLUTE_RE`` with its parts as groups (the same URLs; tested)."""
_PATH_REF_RE = re.compile(rf"(?![\x00-\x20])([^?#;\t\n\r]+){_REF_TAIL}")
_PLAIN_URL_RE = re.compile(
    rf"(https?)://({_NETLOC})((?:/[^?#\t\n\r]*)?)(?:\?([^#\t\n\r]*))?(?:#([^\t\n\r]*))?\Z",
    re.ASCII,
)


@lru_cache(maxsize=1024)
def _join_base(base: str) -> tuple[str, str] | None:
    """``scheme://netloc`` of an http(s) ``base`` and the directory its relative paths join
    ("" when ``urljoin`` would tidy it: ``//`` or dot segments); None for another base or
    one ``urlparse`` rejects (``urljoin`` then says so itself)."""
    try:
        parts = urlparse(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    directory = parts.path[: parts.path.rfind("/") + 1] or "/"
    if "//" in directory or "/." in directory:
        directory = ""
    return f"{parts.scheme}://{parts.netloc}", directory


def join_split(base: str, href: str) -> tuple[str, tuple[str, str, str, str, str] | None]:
    """``(_urljoin(base, href), split_plain(...))`` by one regex for an absolute href.

    A listing's tracked card links are absolute and a few hundred characters long: the
    match ``_urljoin`` makes to keep one as written already holds its parts, so the URL is
    not matched a second time to split it. Any other href is joined, then split.
    """
    if base and href and _join_base(base) is not None:
        m = _ABSOLUTE_PARTS_RE.match(href)
        if m is not None:  # ``_urljoin`` gives ``href``; ``split_plain`` these parts
            scheme, netloc, path, query, fragment = m.groups()
            return href, (scheme, netloc, path or "", query or "", fragment or "")
    url = _urljoin(base, href)
    return url, split_plain(url)


def split_plain(url: str) -> tuple[str, str, str, str, str] | None:
    """``urlsplit(url)`` of a plain http(s) URL by one regex; None for any other URL.

    Plain: a lower-case http(s) scheme, an ASCII netloc without brackets or ``%``, no tab or
    newline. ``urlsplit`` keeps only its last 128 URLs: a page with a few hundred links split
    each one again, about 3 us a call.
    """
    m = _PLAIN_URL_RE.match(url)
    if m is None:
        return None
    scheme, netloc, path, query, fragment = m.groups()
    return scheme, netloc, path, query or "", fragment or ""


def split_url(url: str) -> tuple[str, str, str, str, str]:
    """``urlsplit(url)`` as a plain tuple (see :func:`split_plain`)."""
    return split_plain(url) or tuple(urlsplit(url))  # type: ignore[return-value]


def url_host(url: str) -> str:
    """``(urlsplit(url).hostname or "").lower()`` (see :func:`split_plain`)."""
    parts = split_plain(url)
    if parts is None:
        return (urlsplit(url).hostname or "").lower()
    return parts[1].rpartition("@")[2].partition(":")[0].lower()


def defrag_url(url: str) -> str:
    """``urldefrag(url)[0]``; a plain URL (see :func:`split_plain`) put together again here."""
    if "#" not in url:
        return url
    parts = split_plain(url)
    if parts is None or ";" in parts[2]:  # urlparse reads ``;params`` off the path
        return urldefrag(url)[0]
    scheme, netloc, path, query, _ = parts
    return f"{scheme}://{netloc}{path}?{query}" if query else f"{scheme}://{netloc}{path}"


def _iter(root: Any, *tags: str) -> Iterator[Any]:
    """``root``'s elements of these tags in document order (``//tag``, walked in C)."""
    return root.iter(*tags) if isinstance(getattr(root, "tag", None), str) else iter(())


_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})


def _body_text(root: Any) -> list[str]:
    """The body's text nodes outside scripts, styles and templates, in document order.

    What ``//body//text()[not(ancestor::script) …]`` selects, read in one walk that skips
    the hidden subtrees: the query tested four ancestor axes for every text node.
    """
    return list(_iter_body_text(root))


def _iter_body_text(root: Any) -> Iterator[str]:
    """:func:`_body_text`'s pieces one by one (a reader may stop early)."""
    body = next(_iter(root, "body"), None)
    if body is None:
        return
    walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            if el.tag in _HIDDEN_TAGS:
                walker.skip_subtree()  # its "end" still comes: its tail is the parent's text
            elif el.text:
                yield el.text
        elif el.tail and el is not body:
            yield el.tail


_BASE_TAG_RE = re.compile(r"<base", re.IGNORECASE)


def _may_hold_base_tag(text: str) -> bool:
    """Whether the tree parsed from ``text`` may hold a ``base`` element (one pattern with
    both pieces took 6 ms on a 1 MB page, the two searches apart 1 ms)."""
    return "\x00" in text or _BASE_TAG_RE.search(text) is not None


_ANY_TEXT = etree.XPath("/descendant::text()[not(ancestor::script)]", smart_strings=False)
_XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _utf8_markup(body: bytes) -> bytes | None:
    """``body`` as ``text.strip().replace("\\x00", "").encode()`` would give it back, when that
    is only a strip of ASCII white space: no NUL, and a printable ASCII byte at each end
    (Unicode white space such as U+3000 or U+0085 at an end would be stripped from the text)."""
    body = body.strip()
    if not body or b"\x00" in body:
        return None
    if not (0x20 < body[0] < 0x7F and 0x20 < body[-1] < 0x7F):
        return None
    return body


def _html_parser() -> Any:
    """parsel's HTML parser options, with a class lookup that stays in C.

    ``collect_ids=False``: no reader asks XPath's ``id()``, and hashing every ``id`` value
    cost about 5% of the parse.
    """
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    parser.set_element_class_lookup(_HTML_CLASSES)
    return parser


_STRING = etree.XPath("string()", smart_strings=False)
_TEXT_NODES_UNDER = etree.XPath("descendant::text()", smart_strings=False)


def _title_string(root: Any) -> str:
    """``string(//title)``: the first ``title`` element's text, found by a walk that stops
    there (in the head, near the top) where the query read the whole page for every title."""
    title = next(_iter(root, "title"), None)
    return "" if title is None else str(_STRING(title))


_XML_SPACE_RE = re.compile(r"[ \t\r\n]+")


class AttrIndex:
    """Some attributes' values on every element of a page, in document order, read once.

    libxml2 tests a predicate such as ``contains(@class, 'b_ad') or contains(@class, …)``
    element by element at a cost of a string conversion each: on a 7,000-element page one
    such ``//*[…]`` query takes 10 ms, while listing the attributes (``//@class``) takes 2.
    The values are joined with a character no attribute holds, so whether any element's
    value holds a piece is one substring search in C; the elements are then picked from
    the values that do.
    """

    def __init__(self, root: Any, names: tuple[str, ...]) -> None:
        query = " | ".join(f"//@{name}" for name in names)
        found = etree.XPath(query)(root) if isinstance(getattr(root, "tag", None), str) else []
        self.values: list[Any] = found
        self.joined = "\x00".join(found)
        self._starts: list[int] | None = None

    def holds(self, *pieces: str) -> bool:
        """Whether some element's value of these attributes holds one of ``pieces``."""
        return any(piece in self.joined for piece in pieces)

    def elements(self, keep: Callable[[str, str], bool], *pieces: str) -> list[Any]:
        """The elements, in document order, with a value ``keep(attribute, value)`` accepts,
        among those whose value holds one of ``pieces`` (every value when none is given)."""
        out: list[Any] = []
        seen: set[Any] = set()
        for index in self._holding(pieces) if pieces else range(len(self.values)):
            value = self.values[index]
            if keep(value.attrname, str(value)):
                el = value.getparent()
                if el not in seen:
                    seen.add(el)
                    out.append(el)
        return out

    def _holding(self, pieces: tuple[str, ...]) -> list[int]:
        """Indexes of the values that hold one of ``pieces``, in order, found in ``joined``."""
        if not self.holds(*pieces):
            return []
        if self._starts is None:  # where each value starts: the lengths before it, one
            lengths = accumulate(map(len, self.values), initial=0)  # separator each
            self._starts = list(map(operator.add, lengths, range(len(self.values) + 1)))
        starts = self._starts
        found: set[int] = set()
        for piece in pieces:
            pos = self.joined.find(piece)
            while pos != -1:
                index = bisect_right(starts, pos) - 1
                found.add(index)
                pos = self.joined.find(piece, starts[index + 1])
        return sorted(found)


def attr_index(page: Page, *names: str) -> AttrIndex:
    """The page's :class:`AttrIndex` of these attributes (built once per page and names)."""
    return page.memo(f"attr_index:{' '.join(names)}", lambda: AttrIndex(page.root, names))


def nearest_above(
    el: Any, answer: Callable[[Any], _T | None], memo: dict[Any, Any], default: _T
) -> _T:
    """``answer`` of the nearest proper ancestor of ``el`` it gives one for (not None), or
    ``default`` when none does.

    For many elements of one tree: ``memo`` (one per ``answer``) keeps, for each element
    climbed through, the answer at or above it, so a climb stops where an earlier one passed
    (the elements of a result block or a listing's rows share their ancestors) instead of
    asking every ancestor of every element. ``default`` must not be None.
    """
    chain: list[Any] = []
    found = default
    parent = el.getparent()
    while parent is not None:
        known = memo.get(parent)
        if known is not None:
            found = known
            break
        value = answer(parent)
        if value is not None:
            found = memo[parent] = value
            break
        chain.append(parent)
        parent = parent.getparent()
    for passed in chain:
        memo[passed] = found
    return found


def document_position(el: Any, top: Any = None) -> list[int]:
    """Where ``el`` stands in its document: its and its ancestors' places among their
    siblings, from the root down. Such lists sort in document order (an ancestor's is the
    start of its descendants' and sorts first): a few elements found apart are put in page
    order without numbering every element of the page.

    With ``top`` (an ancestor of ``el``), the places are counted from ``top`` down: elements
    below one ``top`` sort in the same order without climbing to the root each time."""
    position: list[int] = []
    parent = el.getparent()
    while parent is not None and el is not top:
        position.append(parent.index(el))
        el, parent = parent, parent.getparent()
    position.reverse()
    return position


def as_selectors(elements: Iterable[Any]) -> SelectorList[Selector]:
    """Elements as the selector list an XPath query over the page would have returned."""
    return SelectorList(PageSelector(root=el, type="html") for el in elements)


def first_title_text(page: Page) -> str:
    """``//title//text()``'s first node, or "": the name readers, the operator and the
    description each ask for it, so it is read once per page."""
    return page.memo("first_title_text", lambda: _first_title_text(page.selector.root))


def _first_title_text(root: Any) -> str:
    """``//title//text()``'s first node: the first text in a ``title`` element, in order."""
    for title in _iter(root, "title"):
        texts = _TEXT_NODES_UNDER(title)
        if texts:
            return str(texts[0])
    return ""


def text_holds(page: Page, *pieces: str) -> bool:
    """Whether the page's text nodes, joined in document order, hold one of ``pieces``.

    A query that needs a text node (or an element's string value) to spell a word selects
    nothing when no piece of the joined text spells it: an element's string value is a run
    of that join. Used to skip such queries, never to answer them.
    """
    joined = page.memo("text_nodes_joined", lambda: "".join(_ALL_TEXT_NODES(page.root)))
    return any(piece in joined for piece in pieces)


_ALL_TEXT_NODES = etree.XPath("//text()", smart_strings=False)


def class_tokens(value: str) -> list[str]:
    """The class names in a ``class`` value, split where XPath's ``normalize-space`` splits
    (space, tab, CR, LF; a no-break space is part of a name). Most values hold only spaces,
    split without the pattern."""
    if "\t" in value or "\n" in value or "\r" in value:
        return [t for t in _XML_SPACE_RE.split(value) if t]
    return [t for t in value.split(" ") if t]


@dataclass
class Link:
    """A link a spider may follow, with what it leads to."""

    url: str
    kind: str
    """detail (a listing's own page), website (the company's site), contact, next, result."""
    lead_name: str = ""
    """The business this link belongs to, when the page says."""


@dataclass
class PageExtraction:
    """Everything one page yields."""

    status: PageStatus
    source: str
    method: str
    search_results: list[SearchResult] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reason: str = ""
    """Why the page is blocked / empty, in a few words (shown in the health report)."""


class PageParser:
    """Base of every page object. Subclasses set the class attributes and implement ``parse``.

    ``name`` and ``method`` are overwritten by the source catalogue entry that uses the parser,
    so one parser class can serve several hosts (a site's mirrors, the practice web).
    """

    name: ClassVar[str] = "generic"
    method: ClassVar[str] = "company_website"

    def __init__(
        self,
        name: str | None = None,
        method: str | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> None:
        self.source_name = name or self.name
        self.source_method = method or self.method
        self.config: dict[str, Any] = dict(config or {})
        """The source's extra TOML keys (e.g. an API's field mapping), for data-driven parsers."""

    def parse(self, page: Page) -> PageExtraction:
        raise NotImplementedError

    def result(self, status: PageStatus = "ok", **kwargs: object) -> PageExtraction:
        """A PageExtraction already labelled with this parser's source and method."""
        return PageExtraction(
            status=status,
            source=self.source_name,
            method=self.source_method,
            **kwargs,  # type: ignore[arg-type]
        )


_WS_CHARS = "\t\r\f\v\u00a0\u3000\u200b"
"""White space (and the zero-width space) that becomes a plain space; with " " the set whose
runs :func:`clean_text` collapses within a line."""


def clean_text(value: str | None, *, keep_newlines: bool = False) -> str:
    r"""Collapse whitespace (incl. no-break and ideographic spaces) and trim.

    On one line every run of white space or zero-width spaces is one space. With
    ``keep_newlines`` the runs of ``_WS_CHARS`` and spaces within a line become one space,
    each line is trimmed of all white space and blank lines are dropped: what
    ``[ \t\r\f\v\xa0\u3000\u200b]+`` → " " then ``\s*\n\s*`` → "\n" and a trim gave (the
    tests keep that definition), done with string methods: the character-class regexes
    cost 30 ns a character of a page's text, and every reader cleans its text.
    """
    if not value:
        return ""
    if not keep_newlines:
        return " ".join(value.replace("\u200b", " ").split())
    for char in _WS_CHARS:
        if char in value:
            value = value.replace(char, " ")
    while "  " in value:
        value = value.replace("  ", " ")
    return "\n".join([line for raw in value.split("\n") if (line := raw.strip())])


BLOCK_MARKERS: tuple[tuple[str, str], ...] = (
    ("unusual traffic", "unusual-traffic page"),
    ("are you a robot", "robot check"),
    ("are you a human", "robot check"),
    ("not a robot", "robot check"),
    ("bots use duckduckgo too", "DuckDuckGo anomaly captcha"),
    ("anomaly-modal", "DuckDuckGo anomaly captcha"),
    ("captcha", "captcha"),
    ("cf-browser-verification", "Cloudflare challenge"),
    ("cf-challenge", "Cloudflare challenge"),
    ("challenge-platform", "Cloudflare challenge"),
    ("attention required! | cloudflare", "Cloudflare block"),
    ("sorry, you have been blocked", "Cloudflare block"),
    ("access denied", "access denied"),
    ("before you continue to google", "consent wall"),
    ("consent.google", "consent wall"),
    ("验证码", "captcha (验证码)"),
    ("安全验证", "security check (安全验证)"),
    ("访问过于频繁", "rate limited (访问过于频繁)"),
)


def detect_block(page: Page) -> str:
    """The reason a page is a block / challenge page, or "" when it looks like content.

    Only short pages or pages whose title says so count: a results page that merely mentions
    "captcha" in a result snippet is not blocked.

    A long page (``_SCAN_LIMIT`` characters of markup or more) is asked whether it is short
    first: most are not (the count stops at 3,000 characters of visible text, near the top
    of the body), and then only the title counts, so the whole page is neither lower-cased
    nor searched for each marker (5 ms on a 1 MB page). A smaller page is searched first and
    measured only when a marker is in it: the search costs less than the count.
    """
    title = _title_string(page.selector.root).lower()
    short: bool | None = None
    if len(page.text) >= _SCAN_LIMIT:
        short = page.visible_text_under(3000)
        if not short:
            return next((reason for marker, reason in BLOCK_MARKERS if marker in title), "")
    lowered = page.lowered
    for marker, reason in BLOCK_MARKERS:
        if marker in title:
            return reason
        if marker in lowered:
            if short is None:
                short = page.visible_text_under(3000)
            if short:
                return reason
    if page.http_status in (403, 429, 503) and (
        short if short is not None else page.visible_text_under(3000)
    ):
        return f"HTTP {page.http_status}"
    return ""


_SCAN_LIMIT = 100_000
"""Characters of markup from which :func:`detect_block` measures the page before searching it."""


def marker_reason(text: str, markers: Iterable[tuple[str, str]]) -> str:
    """The reason paired with the first marker found in ``text``, or "".

    ``text`` is lower-cased before the search, so markers are written in lower case.

    A site's own challenge pages (Baidu's 百度安全验证, Yandex's SmartCaptcha, Alibaba's
    baxia slider, gsxt's GeeTest) are known by words in their markup that the generic
    :func:`detect_block` does not know; a page object checks them only when no result parsed,
    so a snippet quoting such words never blocks a results page.
    """
    lowered = text.lower()
    return next((reason for marker, reason in markers if marker in lowered), "")


def embedded_json(text: str, marker: str) -> Any:
    """The JSON value that follows ``marker`` in a page's scripts, or None.

    Sites render their listings from a state object (``window.__INITIAL_STATE__ = {...}``,
    ``"listOffer":[...]``) that is richer than the HTML; ``raw_decode`` reads exactly one value
    and ignores whatever script follows it, so no brittle end-of-object regex is needed.
    """
    start = text.find(marker)
    while start != -1:
        pos = start + len(marker)
        while pos < len(text) and text[pos] in " \t\r\n=:":
            pos += 1
        try:
            value, _ = json.JSONDecoder().raw_decode(text, pos)
        except ValueError:
            start = text.find(marker, pos)
            continue
        return value
    return None
