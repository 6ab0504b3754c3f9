"""The site's own furniture (header, footer, menus, login widgets) and who runs the site.

A directory prints its own hotline, e-mail and ICP licence in the footer and the logged-in
user's phone in the header, on every page; none of them is a listed business's contact. So
the generic extractor reads contacts from the page *without* its chrome, and names the site's
operator (copyright owner, og:site_name, the logo, the domain) so that it is never emitted as
a lead of its own listing.

Chrome comes in two kinds:

- **site chrome** — header, footer, navigation, sidebars, breadcrumbs, copyright blocks,
  modal dialogs: on a company's own site these often hold the company's own contacts, so the
  single-page extractor may take them back (see :mod:`spiders.pages.generic`);
- **account chrome** — login / user widgets: the visitor's own details, never anyone's lead,
  so they stay out whatever the page is.

An element is chrome by its tag (``header``, ``footer``, ``nav``, ``aside`` outside an
``article``), its ARIA role (banner, contentinfo, navigation, complementary) or a word of its
class / id (``tyc-header``, ``footer-auto``, ``nav-user``, ``sidebar``), unless a content word
sits beside it (``company-header-block``, ``card-footer`` are content). A copyright or ICP line
that sits in no marked element takes its small enclosing block with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from lxml import etree

from spiders.pages.base import Page, clean_text, document_position, first_title_text
from spiders.pages.labels import normalise, words
from spiders.pages.links import site_domain
from spiders.pages.names import (
    CN_COMPANY_RE,
    copyright_name,
    is_generic_name,
)

SITE_WORDS = frozenset(
    words(
        """
        header footer foot nav navbar navi navigation topnav mainnav subnav sitenav menu menus
        menubar submenu dropdown sidebar sidenav topbar toolbar breadcrumb breadcrumbs crumb
        crumbs copyright masthead modal dialog popup popover banner
        """
    )
)
"""Class / id words of the site's own furniture (English; Chinese sites use the same)."""
ACCOUNT_WORDS = frozenset(
    words(
        """
        login logon signin signup user users userinfo usercenter username account myaccount
        headface avatar
        """
    )
)
"""Class / id words of the visitor's own widgets: never a lead's contacts."""
CONTENT_WORDS = frozenset(
    words(
        """
        content main article post entry card cards result results listing listings company
        companies firm detail details product products shop store biz business item-content
        """
    )
)
"""A word that makes a chrome-looking class content: ``company-header-block``, ``card-footer``."""
SITE_TAGS = frozenset({"header", "footer", "nav", "aside"})
SITE_ROLES = frozenset({"banner", "contentinfo", "navigation", "complementary"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg"})

_COPYRIGHT_LINE_RE = re.compile(
    r"©|\(c\)\s*(?:19|20)\d\d|copyright|版权所有|版權所有|ICP\s*[备證证備]|公网安备|公網安備",
    re.IGNORECASE,
)
_FOOTER_LIMIT = 900
"""Characters of text a copyright block may hold: more is page content, not a footer."""


def _class_words(value: str) -> list[str]:
    out: list[str] = []
    for token in value.split():
        out.extend(_token_words(token))
    return out


_TOKEN_SPLIT_RE = re.compile(r"[-_.:]+|(?<=[a-z])(?=[A-Z])")
_DIGITS_RE = re.compile(r"\d+")


@lru_cache(maxsize=16384)
def _token_words(token: str) -> tuple[str, ...]:
    # cached: a page repeats the same few class names on thousands of elements
    return tuple(_DIGITS_RE.sub("", p).lower() for p in _TOKEN_SPLIT_RE.split(token) if p)


def chrome_kind(el: etree._Element) -> str:
    """ "site", "account" or "" for one element, by its tag, role, class and id."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    found = _marked_kind(el.get(b"class") or "", el.get(b"id") or "")
    if found == "account":
        return found
    if not found:
        role = (el.get(b"role") or "").lower()
        if role in SITE_ROLES or tag in SITE_TAGS:
            found = "site"
    if found and _in_content(el):
        return ""
    return found


@lru_cache(maxsize=16384)
def _marked_kind(class_value: str, id_value: str) -> str:
    """What an element's class and id words say it is: "account", "site" or ""."""
    if not _holds_piece(f"{class_value} {id_value}", _MARK_PIECES_RE):
        return ""  # no site or account word in it (most values): not split into words
    found = ""
    for value in (class_value, id_value):
        for token in value.split():
            parts = _token_words(token)
            if any(p in CONTENT_WORDS for p in parts):
                continue
            if any(p in ACCOUNT_WORDS for p in parts):
                return "account"
            if any(p in SITE_WORDS for p in parts):
                found = "site"
    return found


_ACCOUNT_PIECES = ("login", "logon", "signin", "signup", "user", "account", "headface", "avatar")
_MARK_PIECES = (
    *("header", "foot", "nav", "menu", "dropdown", "sidebar", "topbar", "toolbar", "crumb"),
    *("copyright", "masthead", "modal", "dialog", "popup", "popover", "banner"),
    *_ACCOUNT_PIECES,
)
"""A piece of every account word (``_ACCOUNT_PIECES``) and of every site or account word
(``_MARK_PIECES``): a word of a value is one of its parts with the digits dropped, lowered,
so the value with its digits dropped, lowered, holds the word's piece (see
:func:`_holds_piece`)."""


def _holds_piece(value: str, pieces: re.Pattern[str]) -> bool:
    """Whether ``value``, its digits dropped and lowered as :func:`_token_words` drops and
    lowers them, holds one of ``pieces`` (a pattern of literal pieces): a value that does not
    has none of the words they are pieces of. Splitting a value into words cost 10 us a value
    (most values are the content's: "col-md-4", "product-item"); this test costs 1."""
    if _DIGIT_RE.search(value):
        value = _DIGITS_RE.sub("", value)
    return pieces.search(value.lower()) is not None


_DIGIT_RE = re.compile(r"\d")
_ACCOUNT_PIECES_RE = re.compile("|".join(_ACCOUNT_PIECES))
_MARK_PIECES_RE = re.compile("|".join(_MARK_PIECES))


def _in_content(el: etree._Element) -> bool:
    """Whether a chrome-looking element is a part of the content (a section's own header).

    The site's header and footer sit near the top of the tree; a ``div.header`` four levels
    down inside ``#web-content`` or an ``article`` heads a block of the content.
    """
    depth = 0
    content = False
    for anc in el.iterancestors():
        tag = anc.tag.lower() if isinstance(anc.tag, str) else ""
        if tag in ("body", "html"):
            break
        depth += 1
        if tag == "article":
            return True  # an article's own header / footer / aside
        if tag == "main" and el.tag not in ("header", "footer"):
            content = True
        if _content_marked(anc.get(b"class") or "", anc.get(b"id") or ""):
            content = True
    return content and depth > 3


@lru_cache(maxsize=16384)
def _content_marked(class_value: str, id_value: str) -> bool:
    return any(w in CONTENT_WORDS for w in _class_words(f"{class_value} {id_value}"))


@dataclass
class Chrome:
    """The chrome subtrees of one page (top-most elements only)."""

    site: list[etree._Element] = field(default_factory=list)
    account: list[etree._Element] = field(default_factory=list)

    @cached_property
    def all(self) -> frozenset[etree._Element]:
        return frozenset([*self.site, *self.account])

    @cached_property
    def account_only(self) -> frozenset[etree._Element]:
        return frozenset(self.account)

    def contains(self, el: etree._Element) -> bool:
        """Whether ``el`` is chrome or inside it."""
        every = self.all
        return el in every or any(a in every for a in el.iterancestors())


def find_chrome(page: Page) -> Chrome:
    """Header, footer, navigation, login widgets and copyright blocks of a page."""
    chrome = Chrome()
    root = page.selector.root
    if not isinstance(root.tag, str):
        return chrome
    body = root.find("body")
    start = body if body is not None else root
    _marked_chrome(start, chrome)
    _copyright_blocks(start, chrome, html=page.root is not None)
    return chrome


def _marked_chrome(start: etree._Element, chrome: Chrome) -> None:
    """The top-most chrome elements below ``start``, in document order.

    Inside site chrome only an account widget still counts, and :func:`chrome_kind` says
    "account" from the class and id alone: a site chrome element's subtree is searched for
    those only (:func:`_account_widgets`), so a menu's hundred "menu-item"s are not each
    followed up to the body to learn whether they are content.
    """
    # :func:`chrome_kind` written out: its class and id test first (one cached call), its
    # role and tag tests only for an element they do not mark, and each tag lowered once
    lowered: dict[Any, str] = {}
    walker = etree.iterwalk(start, events=("start",))
    for _, el in walker:
        raw = el.tag
        tag = lowered.get(raw)
        if tag is None:
            tag = lowered[raw] = raw.lower() if isinstance(raw, str) else ""
        if not tag or tag in SKIP_TAGS:
            walker.skip_subtree()
            continue
        if el is start:
            continue
        class_value, id_value = el.get(b"class"), el.get(b"id")
        kind = _marked_kind(class_value or "", id_value or "") if class_value or id_value else ""
        if kind == "account":
            chrome.account.append(el)
            walker.skip_subtree()
            continue
        if not kind and tag not in SITE_TAGS and (el.get(b"role") or "").lower() not in SITE_ROLES:
            continue  # nothing marks it: chrome_kind would say "" (most elements)
        if not _in_content(el):
            chrome.site.append(el)
            walker.skip_subtree()
            _account_widgets(el, chrome)


_CLASS_VALUES = etree.XPath("descendant::*/@class", smart_strings=False)
_ID_VALUES = etree.XPath("descendant::*/@id", smart_strings=False)
"""A site chrome element's class values and id values, each kind in its own query: the
union of the two was sorted into document order by libxml2, and the tests below need no
order (a join of them all, and whether any is an account mark)."""
_CLASSED = etree.XPath("descendant::*[@class or @id]")


def _account_widgets(site: etree._Element, chrome: Chrome) -> None:
    """The top-most account widgets inside a site chrome element, in document order.

    Most chrome holds none: its class and id values are asked first, in one query, and its
    classed elements are listed only when one of the values is an account word. A widget
    inside a skipped tag (an ``<svg class="user">`` icon) or inside another widget does not
    count, as in a walk that skips those subtrees.
    """
    values = [*_CLASS_VALUES(site), *_ID_VALUES(site)]
    if not _holds_piece(" ".join(values), _ACCOUNT_PIECES_RE):
        return  # no value holds an account word: none is one, asked in one test
    if not any(_marked_kind(value, "") == "account" for value in values):
        return  # an element is account-marked when its class or its id value is
    found: set[etree._Element] = set()
    for el in _CLASSED(site):
        if _marked_kind(el.get(b"class") or "", el.get(b"id") or "") != "account":
            continue
        node = el
        while node is not site and node is not None:
            tag = node.tag.lower() if isinstance(node.tag, str) else ""
            if not tag or tag in SKIP_TAGS or node in found:
                break
            node = node.getparent()
        else:
            found.add(el)
            chrome.account.append(el)


def _text_len(el: etree._Element, *, html: bool = False) -> int:
    """How many non-space characters an element's text holds.

    In a tree parsed as HTML (``html``: every entity resolved) the element's XPath string
    value is its ``itertext()`` joined, built in C; ``str.split`` splits at exactly the
    characters ``\\s`` matches, so the pieces' lengths add up to what the removal leaves.
    """
    if html:
        return sum(map(len, _STRING_VALUE(el).split()))
    return len(re.sub(r"\s+", "", "".join(t for t in el.itertext() if isinstance(t, str))))


_STRING_VALUE = etree.XPath("string()", smart_strings=False)


_COPYRIGHT_PIECES = (
    *("©", "(c)"),
    *(f"copyr{i}ght" for i in ("i", "i\u0307", "ı")),
    *(f"{i}cp" for i in ("i", "i\u0307", "ı")),
    *("版权所有", "版權所有", "公网安备", "公網安備"),
)
"""The literal pieces of ``_COPYRIGHT_LINE_RE`` (every match of it holds one), in lowered
text: its IGNORECASE also lets "İ" (lowered to "i" and a combining dot) and "ı" be an "i".
Each is looked for with ``str.find``: as one pattern, tried at every character of a page's
text, they took 10 ms on a 500 kB page."""
_TEXT_NODES = etree.XPath("descendant::text()", smart_strings=False)
_TEXT_NODE_PARENTS = etree.XPath("descendant::text()")
"""``_TEXT_NODES`` as strings that know their parent: built only on a page whose text holds
pieces in three nodes or more (it costs more than the search itself), once for all."""
_NTH_TEXT_NODE = etree.XPath("(descendant::text())[$n]")
"""The n-th of ``_TEXT_NODES`` as a string that knows its parent: about a third of the cost
of listing them all, in C, with no string built for the others."""


def _copyright_owners(start: etree._Element) -> set[etree._Element]:
    """The elements whose own text (``el.text`` and their children's tails) may hold a
    copyright line: the only ones :func:`_copyright_blocks` needs to test.

    No piece has a space in it and an element's own text puts a space between its text
    nodes, so a copyright line's piece lies inside one text node. The page's text nodes are
    lowered and searched as one string (joined by a character no piece holds), in C,
    instead of joining and searching every element's own text in Python; the node a piece
    is in is the number of joins before it. The one or two nodes a company's footer has a
    piece in are asked for by number; more are read from one list of the nodes as strings
    that know their parent (asking for the n-th node walks the page each time: 14 ms on a
    results page with 17 pieces).
    """
    joined = "\x00".join(_TEXT_NODES(start)).lower()
    owners: set[etree._Element] = set()
    indexes: set[int] = set()  # the nodes the pieces are in
    index = counted = 0  # the node the last piece was in, and where it was counted to
    for found in sorted(_occurrences(joined, _COPYRIGHT_PIECES)):
        index += joined.count("\x00", counted, found)
        counted = found
        indexes.add(index)
    if len(indexes) <= 2:  # one or two nodes (a company's footer): asked for by number
        nodes = {i: _NTH_TEXT_NODE(start, n=i + 1)[0] for i in indexes}
    else:
        every = _TEXT_NODE_PARENTS(start)
        nodes = {i: every[i] for i in indexes}
    for node in nodes.values():
        parent = node.getparent()
        if parent is None:
            continue
        owner = parent.getparent() if node.is_tail else parent
        if owner is not None and isinstance(owner.tag, str):
            owners.add(owner)
    return owners


def _occurrences(text: str, pieces: tuple[str, ...]) -> set[int]:
    """Where each of ``pieces`` starts in ``text``, overlapping ones included."""
    found: set[int] = set()
    for piece in pieces:
        pos = text.find(piece)
        while pos != -1:
            found.add(pos)
            pos = text.find(piece, pos + 1)
    return found


def _copyright_blocks(start: etree._Element, chrome: Chrome, *, html: bool = False) -> None:
    """The small block around each copyright / ICP line that sits in no marked chrome."""
    total = -1  # the whole page's text length, read at the first copyright line
    sizes: dict[etree._Element, int] = {}  # text lengths of the blocks climbed through
    owners = _copyright_owners(start)
    if not owners:
        return
    # the owners in document order, as a walk of every element meets them (a few of them
    # on a page of thousands of elements)
    for el in sorted(owners, key=document_position):
        if el.tag.lower() in SKIP_TAGS:
            continue
        own = (el.text or "") + " " + " ".join(c.tail or "" for c in el)
        if not _COPYRIGHT_LINE_RE.search(own) or chrome.contains(el):
            continue
        if total < 0:
            total = _text_len(start, html=html)
        block = el
        while True:
            parent = block.getparent()
            if parent is None or parent is start or parent.tag in ("body", "html"):
                break
            size = sizes.get(parent, -1)
            if size < 0:
                size = sizes[parent] = _text_len(parent, html=html)
            if size > _FOOTER_LIMIT or (size > total * 0.4 and total > 300):
                break
            block = parent
        if block is not start and _text_len(block, html=html) <= _FOOTER_LIMIT:
            chrome.site.append(block)
            chrome.__dict__.pop("all", None)


# --------------------------------------------------------------------------------------
# who runs the site


_NAME_NOISE_RE = re.compile(
    r"股份有限公司|有限责任公司|有限公司|集团|公司|[\s.,·()（）&\-–—_'\"]+|"
    r"\b(?:the|ltd|limited|inc|llc|co|corp|corporation|company|gmbh|plc|pty|group)\b",
    re.IGNORECASE,
)


def name_key(name: str) -> str:
    """A company name reduced for comparison: no legal form, case, spaces or punctuation."""
    return _NAME_NOISE_RE.sub("", normalise(name).casefold())


@dataclass
class Operator:
    """The organisation that runs the site, as the page states it."""

    domain: str
    names: list[str] = field(default_factory=list)

    def owns_name(self, name: str) -> bool:
        """Whether ``name`` is the operator's own (its brand, its company, its domain)."""
        key = name_key(name)
        if not key:
            return False
        label = self.domain.split(".")[0] if self.domain else ""
        if key in {label, name_key(self.domain)} or name_key(name.removeprefix("www.")) == (
            name_key(self.domain)
        ):
            return True
        return any(key == name_key(n) for n in self.names if name_key(n))

    def owns_email(self, address: str) -> bool:
        """Whether an e-mail address is on the site's own domain."""
        host = address.rsplit("@", 1)[-1].lower().strip(".")
        return bool(self.domain) and (host == self.domain or host.endswith("." + self.domain))


def site_operator(page: Page, chrome: Chrome, chrome_text: str, brand: str = "") -> Operator:
    """The site's operator: copyright owner, og:site_name / brand, its logo, the title's tail."""
    domain = site_domain(page.url) or site_domain(page.base_url)
    names: list[str] = []
    owner = copyright_name(chrome_text) or copyright_name(visible_tail(page, 3000))
    for value in (owner, brand, title_tail(page)):
        if value and value not in names:
            names.append(value)
    for line in _copyright_lines(chrome_text):
        for m in CN_COMPANY_RE.finditer(normalise(line)):
            if m.group(0) not in names:
                names.append(m.group(0))
    for value in chrome_logo_alts(chrome):
        if value not in names:
            names.append(value)
    return Operator(domain=domain, names=names)


def visible_tail(page: Page, size: int) -> str:
    """``page.visible_text[-size:]``, read from the end of the body when the text is not
    built yet: a copyright line is near the end, and the whole text of a 1 MB listing
    (a walk of its every element, then the tidy) is not needed for its last 3,000
    characters.

    The visible text is its pieces joined by line breaks, tidied line by line
    (:func:`~spiders.pages.base.clean_text`): the tidy of the last pieces is the end of the
    tidy of all of them once it is ``size`` characters long, as it is once they hold
    ``size`` characters that are neither white space nor U+200B (the tidy keeps those).
    """
    root = page.root
    if "visible_text" in page.__dict__ or root is None or not isinstance(root.tag, str):
        return page.visible_text[-size:]
    body = next(root.iter("body"), None)
    if body is None:
        return page.visible_text[-size:]
    pieces: list[str] = []  # last first
    read = counted = kept = 0
    check = size  # the tidy keeps at most the characters read: none can be enough before
    for piece in _body_text_backwards(body):
        pieces.append(piece)
        read += len(piece)
        if read < check:
            continue
        # the characters the tidy surely keeps (neither white space nor U+200B) of the
        # pieces not counted yet, counted at once (a space between them adds none)
        batch = " ".join(pieces[counted:])
        kept += sum(map(len, batch.split())) - batch.count("\u200b")
        counted = len(pieces)
        if kept >= size:
            return clean_text("\n".join(reversed(pieces)), keep_newlines=True)[-size:]
        check = read + size - kept
    if not pieces:
        return page.visible_text[-size:]  # a body with no text: the page's other text
    return clean_text("\n".join(reversed(pieces)), keep_newlines=True)[-size:]


_UNREAD_NODES = (etree.Comment, etree.ProcessingInstruction)
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})


def _body_text_backwards(body: etree._Element) -> Iterator[str]:
    """The pieces of the body's visible text (what ``Page.visible_text`` joins: each
    node's text, then its children's, then its tail; a comment's or a processing
    instruction's tail alone; a script's, style's or template's tail alone), last first."""
    stack: list[Any] = [body]  # nodes to read backwards, and texts to give
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        if type(item) is str:
            yield item
            continue
        tail = item.tail
        if tail and item is not body:
            yield tail
        tag = item.tag
        if tag in _HIDDEN_TAGS or (type(tag) is not str and tag in _UNREAD_NODES):
            continue
        text = item.text
        if text:
            push(text)
        extend(item)


def _copyright_lines(text: str) -> list[str]:
    """The lines of ``text`` with a copyright / ICP line in them, in order.

    Every match of ``_COPYRIGHT_LINE_RE`` holds one of ``_COPYRIGHT_PIECES`` in the lowered
    text (which has the same lines): only the lines a piece is on are tried, not every line
    of the site's menus and footer.
    """
    lowered = text.lower()
    starts = _occurrences(lowered, _COPYRIGHT_PIECES)
    if not starts:
        return []
    lines = text.split("\n")
    numbers = sorted({lowered.count("\n", 0, at) for at in starts})
    return [lines[n] for n in numbers if _COPYRIGHT_LINE_RE.search(lines[n])]


def chrome_logo_alts(chrome: Chrome) -> list[str]:
    """The alt texts of the logos in the site's header / footer (a content logo is a lead's)."""
    out: list[str] = []
    for block in chrome.site:
        for img in block.iter("img"):
            marks = " ".join(
                f"{a.get('class') or ''} {a.get('id') or ''}"
                for a in [img, *img.iterancestors()][:4]
            )
            if "logo" not in f"{marks} {img.get('src') or ''}".lower():
                continue
            value = clean_text(img.get(b"alt") or img.get(b"title") or "")
            value = re.sub(
                r"^logo\s*[:\-–—]?\s*|\s*[\-–—]?\s*(?:logo|标志|标识)$", "", value, flags=re.I
            )
            if 2 <= len(value) <= 40 and not is_generic_name(value) and value not in out:
                out.append(value)
    return out[:3]


def title_tail(page: Page) -> str:
    """The last segment of ``<title>`` ("网络营销 - 企查查" → 企查查), when it is short."""
    title = clean_text(first_title_text(page))
    parts = [p.strip() for p in re.split(r"\s[|｜\-–—_:]\s|[|｜_]|--|——", title) if p.strip()]
    if len(parts) < 2:
        return ""
    tail = parts[-1]
    if len(tail) > 30 or is_generic_name(tail) or re.search(r"\d{4}", tail):
        return ""
    return tail
