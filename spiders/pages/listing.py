"""Listing pages of directories and supplier sites that have no page object of their own.

A yellow-pages results page, a 企业名录 list or a B2B supplier search shows many businesses,
each in a *card*: sibling elements with the same tag and class, each holding a name (a
heading or a link) and some contact, address or product text. The generic extractor reads
one lead per card instead of one lead for the whole page (which would be the directory
itself).

How cards are found, without knowing the site:

1. every element's children are grouped by their signature (tag + shared class word;
   ``odd`` / ``active`` / digits ignored), outside the site's chrome;
2. each member of a group of three or more is read as a card: its name (heading, a
   name / title classed element, its first name-like link), its text, and its *evidence*:
   phones, e-mails, an address, a products label, an outside website, a company-like name;
3. a member is a **business card** when it has a name that is not a person's or the
   operator's and some evidence, and none of its e-mails is on the site's own domain (those
   are the site's own staff or branches, not listed businesses);
4. the group with the most business cards wins when they are at least three and at least
   half its members; groups elsewhere on the page with the same signature join it (a
   "featured" block above the results).

A page with no such group but a repeat of named, texted cards (a search engine's results, a
news index) and no contacts outside them is a listing of no businesses: zero leads, not the
site's own name as a lead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote

from lxml import etree

from leadharvest.items import Lead, Phone
from spiders.pages.addresses import find_address
from spiders.pages.attributes import element_contacts
from spiders.pages.base import Link, Page, clean_text, defrag_url, split_url, url_host
from spiders.pages.blocktext import (
    first_line,
    page_element_count,
    page_element_text,
    page_first_line,
)
from spiders.pages.chrome import Chrome, Operator
from spiders.pages.emails import dedupe_emails, find_emails, has_email
from spiders.pages.labels import PRODUCTS_LABEL_RE, find_labelled, words
from spiders.pages.leadtext import contact_region, fill_contacts
from spiders.pages.links import SOCIAL_HOSTS, site_domain
from spiders.pages.names import CN_COMPANY_RE, LEGAL_SUFFIX_RE, is_generic_name
from spiders.pages.people import find_people, looks_like_name
from spiders.pages.phones import (
    dedupe_phones,
    has_phone,
    is_masked,
    is_valid_phone,
    phone_key,
    same_number,
)

MIN_CARDS = 3
"""Fewer repeats than this are a page's own blocks (two offices, a pair of banners)."""

SKIP_TAGS = frozenset(
    words("script style noscript template head title iframe svg select option button input")
)
_STATE_WORDS = frozenset(
    words(
        """
        odd even first last active current selected on hover clearfix cf fl fr left right
        pull-left pull-right clear hide hidden show visible new hot top vip ad ads
        """
    )
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NAME_TAGS = (*_HEADINGS, "a", "strong", "b")
"""Where a card's name is read when no marked element gives it."""
_NAME_CLASS_RE = re.compile(
    r"(?:^|[-_\s])(?:name|title|tit|til|company|firm|biz|business|ma_h1|heading|headline)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_SELLER_CLASS_RE = re.compile(
    r"company|supplier|seller|vendor|merchant|shop-?name|store-?name|firm|corp-?name|"
    r"business-?name|biz-?name|listing-?name",
    re.IGNORECASE,
)
"""A card element that names the business behind a product card (a B2B offer's supplier)."""
NOT_NAME_RE = re.compile(
    r"(?:more(?: info| details| places| results)?|details?|view(?: details| profile| more)?|"
    r"read more|website|visit(?: website| site)?|call(?: now)?|map|directions|e-?mail|phone|"
    r"contact(?: us| supplier| now)?|get (?:a )?quote|send (?:an )?inquiry|inquire now|share|"
    r"save|book(?: now)?|reviews?|photos?|menu|open now|closed|sponsored|ad|"
    r"详情|查看详情|更多|更多产品|更多号码|查看|查看更多|联系方式|联系我们|联系|进入店铺|进入|收藏|"
    r"举报|地图|电话|留言|咨询|在线咨询|点击|官网|网站|首页|下一页|上一页|立即咨询|发送询价|"
    r"免费咨询|询价|对比|关注)\W*",
    re.IGNORECASE,
)
NOT_WEBSITE_HOSTS = tuple(
    words(
        """
        google.com google.cn baidu.com bing.com yahoo.com sogou.com so.com yandex.ru maps.apple.com
        amap.com map.qq.com wpa.qq.com beian.miit.gov.cn miit.gov.cn beian.gov.cn cnzz.com 51.la
        apple.com doubleclick.net googleadservices.com weixin.qq.com t.cn bit.ly
        baiducontent.com googleusercontent.com bingj.com yandex.net
        """
    )
)


@dataclass
class Card:
    """One repeated block of a listing, read."""

    element: etree._Element
    name: str
    name_href: str
    text: str
    evidence: frozenset[str]
    business: bool

    @property
    def weak(self) -> bool:
        """Named and texted: a result of some kind, perhaps not a business."""
        return bool(self.name) and len(self.text) - len(self.name) >= 10


@dataclass
class Listing:
    """The cards of a listing page: ``business`` ones become leads."""

    cards: list[Card] = field(default_factory=list)
    strong: bool = False


# --------------------------------------------------------------------------------------
# finding the cards


def _signature_words(el: etree._Element) -> frozenset[str]:
    return _class_words(el.get(b"class") or "")


@lru_cache(maxsize=16384)
def _class_words(class_: str) -> frozenset[str]:
    # cached: a page repeats the same few class values on every card and row
    out: set[str] = set()
    for token in class_.split():
        token = token.lower()
        if not token.isalpha():  # a letter is never a digit: only the rest may hold one
            token = _DIGITS_RE.sub("", token).strip("-_")
        if token and token not in _STATE_WORDS:
            out.add(token)
    return frozenset(out)


_DIGITS_RE = re.compile(r"\d+")


def _sibling_groups(
    parent: etree._Element, lowered: dict[Any, str] | None = None
) -> list[list[etree._Element]]:
    """Children of ``parent`` grouped by tag and a shared class word.

    ``lowered`` holds the lower-cased tag of each raw tag seen (the page walk's, shared: a
    page has few tag names, and each lookup costs less than lowering the tag again).
    """
    if lowered is None:
        lowered = {}
    groups: list[tuple[str, frozenset[str], list[etree._Element]]] = []
    for child in parent:
        raw = child.tag
        tag = lowered.get(raw)
        if tag is None:
            tag = lowered[raw] = raw.lower() if isinstance(raw, str) else ""
        if not tag or tag in SKIP_TAGS:
            continue
        sig = _class_words(child.get(b"class") or "")
        for g_tag, g_sig, members in groups:
            if g_tag == tag and ((g_sig & sig) or (not g_sig and not sig)):
                members.append(child)
                break
        else:
            groups.append((tag, sig, [child]))
    return [members for _, _, members in groups if len(members) >= MIN_CARDS]


def _candidate_groups(page: Page, chrome: Chrome) -> Iterator[list[etree._Element]]:
    root = page.selector.root
    if not isinstance(root.tag, str):
        return
    skip = chrome.all
    lowered: dict[Any, str] = {}
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        raw = el.tag
        tag = lowered.get(raw)
        if tag is None:
            tag = lowered[raw] = raw.lower() if isinstance(raw, str) else ""
        if not tag or tag in SKIP_TAGS or el in skip:
            walker.skip_subtree()
            continue
        if len(el) >= MIN_CARDS:
            yield from _sibling_groups(el, lowered)


def _texts(el: etree._Element) -> str:
    return clean_text(" ".join(t for t in el.itertext() if isinstance(t, str)))


@lru_cache(maxsize=4096)
def name_like(value: str) -> bool:
    """Whether a text can be a business's name (not "More", a phone, an e-mail, a price)."""
    value = value.strip(" :：,;|>»›·-")
    if len(value) < 2 or len(value) > 100:
        return False
    letters = len(_LETTER_RE.findall(value))
    if letters < 2 or (letters < 3 and not _HAN_RE.search(value)):
        return False
    if NOT_NAME_RE.fullmatch(value) or is_generic_name(value):
        return False
    if has_email(value) or has_phone(value):  # bool(find_emails / scan_phones), no objects
        return False
    if _BARE_URL_RE.fullmatch(value):
        return False  # a bare domain or URL ("vimeo.com") is a link, not a name
    return not _URL_START_RE.match(value)


_LETTER_RE = re.compile(r"[A-Za-z\u4e00-\u9fff]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_BARE_URL_RE = re.compile(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,24}/?\S*", re.IGNORECASE)
_URL_START_RE = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


_TITLE_MARK_RE = re.compile(r"\s[|｜·\-–—:]\s|[|｜]|\.\.\.|…|[?？!！]$|^\d+\.\s")


@lru_cache(maxsize=4096)
def title_like(name: str) -> bool:
    """Whether a card's name reads like a page's title, not a business's name."""
    return bool(_TITLE_MARK_RE.search(name) or len(name.split()) > 9)


def _href(el: etree._Element) -> str:
    link = el if el.tag == "a" else None
    if link is None:
        link = next((a for a in el.iter("a") if a.get(b"href")), None)
    if link is None:
        link = next((a for a in el.iterancestors("a")), None)
    return (link.get(b"href") or "").strip() if link is not None else ""


def card_name(el: etree._Element, marks: NameMarks | None = None) -> tuple[str, str]:
    """(name, href of the name's link) of a card: heading, name-classed element, first link.

    A card whose heading is empty (a placeholder card) has no name: its other links are
    labels ("成立时间"), not names. ``marks`` (the page's :class:`NameMarks`) saves looking
    for marked elements card by card.
    """
    line = marks.line if marks is not None else first_line
    sellers = marks.seller.get(el, ()) if marks is not None else _seller_descendants(el)
    for sub in sellers:
        text = line(sub)
        if name_like(text) and not title_like(text):
            return text, _href(sub)
    named = marks.named.get(el, ()) if marks is not None else _named_descendants(el)
    # one walk for the headings, links and bold text (most repeats hold none of them)
    walk = marks is None or el in marks.tagged
    tagged = list(el.iter(*_NAME_TAGS)) if walk else []
    if not tagged and not named:
        return "", ""
    headings = [sub for sub in tagged if sub.tag in _HEADINGS]
    # h1s first, then h2s …, each level in document order
    for heading in sorted(headings, key=_tag_of):
        text = line(heading)
        if name_like(text):
            return text, _href(heading)
    if headings:
        return "", ""
    for sub in named:
        text = line(sub)
        if name_like(text):
            return text, _href(sub)
    for link in tagged:
        if link.tag == "a":
            text = line(link) or clean_text(link.get(b"title") or "")
            if name_like(text):
                return text, (link.get(b"href") or "").strip()
    for tag in ("strong", "b"):
        for bold in tagged:
            if bold.tag == tag:
                text = line(bold)
                if name_like(text):
                    return text, _href(bold)
    return "", ""


def _tag_of(el: etree._Element) -> str:
    return str(el.tag)


_MARKABLE = etree.XPath("descendant::*[@class or @data-click or @itemprop]")
"""Descendants that can carry a name marker, in document order (the rest cannot). The
``descendant::`` axis, not ``.//*``: the same elements (the predicate is no position), without
the node set of every node that ``//`` builds first, several times faster on a large page."""


def _seller_descendants(el: etree._Element) -> list[etree._Element]:
    return [
        sub
        for sub in _MARKABLE(el)
        if _seller_marked(sub.get(b"class"), sub.get(b"data-click"), sub.get(b"itemprop"))
    ]


def _named_descendants(el: etree._Element) -> list[etree._Element]:
    return [sub for sub in _MARKABLE(el) if _name_marked(sub.get(b"class"), sub.get(b"itemprop"))]


class NameMarks:
    """Every element's seller-marked and name-marked descendants, in document order, and
    the elements holding a heading, a link or bold text (``tagged``, themselves included).

    Read from one pass over the page's marked elements and their ancestors: card by card,
    the same descendants were listed again for every level of nested candidate groups. Most
    repeats hold no heading, link or bold text: the set says so without a walk of each.
    """

    def __init__(self, root: etree._Element, page: Page | None = None) -> None:
        self.page = page  # the page ``root`` is the tree of: first lines from its one walk
        self.seller: dict[etree._Element, list[etree._Element]] = {}
        self.named: dict[etree._Element, list[etree._Element]] = {}
        self.tagged: set[etree._Element] = set()
        self._lines: dict[etree._Element, str] = {}
        if not isinstance(root.tag, str):
            return
        for sub in root.iter(*_NAME_TAGS):
            node: etree._Element | None = sub
            while node is not None and node not in self.tagged:
                self.tagged.add(node)
                node = node.getparent()
        large = page is not None and page_element_count(page) > _LARGE_TREE
        for sub in _hinted_by_walk(root) if large else _hinted_elements(root):
            cls, prop = sub.get(b"class"), sub.get(b"itemprop")
            seller = _seller_marked(cls, sub.get(b"data-click"), prop)
            named = _name_marked(cls, prop)
            if seller or named:
                for anc in sub.iterancestors():
                    if seller:
                        self.seller.setdefault(anc, []).append(sub)
                    if named:
                        self.named.setdefault(anc, []).append(sub)

    def line(self, el: etree._Element) -> str:
        """``first_line(el)``, read once: nested cards ask about the same headings and links."""
        found = self._lines.get(el)
        if found is None:
            page = self.page
            line = first_line(el) if page is None else page_first_line(page, el)
            found = self._lines[el] = line
        return found


_MARKER_VALUES = etree.XPath(
    "descendant::*/@class | descendant::*/@data-click | descendant::*/@itemprop"
)
"""Every value a name marker can be in, in document order (each knows its element)."""


def _hinted_elements(root: etree._Element) -> list[etree._Element]:
    """The descendants with a marker word in one of their values, in document order.

    Both markers' patterns match within one value (no space in them; the name pattern's
    edges are a value's edges or separators), so an element none of whose values holds a
    match is marked neither way. Reading the values and wrapping only the few hinted
    elements costs a third of wrapping every classed element to ask it.
    """
    out: list[etree._Element] = []
    for value in _MARKER_VALUES(root):
        if _marker_hint(value):
            element = value.getparent()
            if not out or out[-1] is not element:
                out.append(element)
    return out


_LARGE_TREE = 3000
"""Elements (read by the page's walk) above which :func:`_hinted_by_walk` costs less than
the query: the union of attribute nodes is sorted into document order, which grows faster
than the page (25 ms on a 9,500-element page against 8 ms for the walk; on a company page
the query takes half the walk's time)."""


def _hinted_by_walk(root: etree._Element) -> list[etree._Element]:
    """:func:`_hinted_elements` read element by element (a test holds the two together)."""
    out: list[etree._Element] = []
    for el in root.iterdescendants(etree.Element):
        for name in (b"class", b"data-click", b"itemprop"):
            value = el.get(name)
            if value is not None and _marker_hint(value):
                out.append(el)
                break
    return out


@lru_cache(maxsize=16384)
def _marker_hint(value: str) -> bool:
    if not _HINT_WORDS_RE.search(_case_fold(value)):
        return False  # no word either pattern needs: most values, at a fraction of the cost
    return bool(
        _SELLER_CLASS_RE.search(value)
        or _NAME_CLASS_RE.search(value)
        or value in ("name", "legalName")
    )


_HINT_WORDS_RE = re.compile(
    "name|ti[tl]|company|firm|biz|business|ma_h1|head|supplier|seller|vendor|merchant"
)
"""A word every match of the two marker patterns holds (the seller pattern's "shop-?name",
"corp-?name" … hold "name"; "title", "heading" and "headline" hold "tit" and "head"), in a
value lower-cased by :func:`_case_fold`. Both patterns are case-blind alternations that the
engine tries at every character of a value (some 2-4 us a value); a value without any of
these words matches neither (a test holds the words to the patterns)."""
_DOTLESS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _case_fold(value: str) -> str:
    """``value`` lower-cased as ``re.IGNORECASE`` compares ASCII letters: "İ" and "ı" are
    "i" and "ſ" is "s" to it (``lower`` keeps "ı" and "ſ" and lengthens "İ"); the Kelvin sign
    lowers to "k" (a test checks every character)."""
    return value.lower() if value.isascii() else value.translate(_DOTLESS).lower()


@lru_cache(maxsize=16384)
def _seller_marked(class_: str | None, data_click: str | None, itemprop: str | None) -> bool:
    # cached: a listing repeats the same few class names in every card
    return bool(_SELLER_CLASS_RE.search(f"{class_ or ''} {data_click or ''} {itemprop or ''}"))


@lru_cache(maxsize=16384)
def _name_marked(class_: str | None, itemprop: str | None) -> bool:
    return bool(_NAME_CLASS_RE.search(f"{class_ or ''} {itemprop or ''}")) or itemprop in (
        "name",
        "legalName",
    )


_CN_ORG_TAIL_RE = re.compile(
    r"^[\u4e00-\u9fff()（）]{4,40}(?:中心|分部|分店|门市部|经营部|合作社|事务所|商行|门店)$"
)


_TRAILING_NOTE_RE = re.compile(r"\s*[(（][^()（）]{1,20}[)）]\s*$")


def _is_company_name(name: str) -> bool:
    """Whether a card's name is a company's: it *ends* with a legal form (a court case's
    title that mentions two companies does not)."""
    name = _TRAILING_NOTE_RE.sub("", name.strip(" .,"))
    cn = [m for m in CN_COMPANY_RE.finditer(name) if m.end() == len(name)]
    if not cn and _CN_ORG_TAIL_RE.search(name):
        return True
    legal = [m for m in LEGAL_SUFFIX_RE.finditer(name) if m.end() >= len(name) - 1]
    return bool(legal and legal[-1].start() > 0) or bool(cn and len(cn[-1].group(0)) >= 4)


def read_card(page: Page, el: etree._Element, operator: Operator) -> Card:
    """A card's name, text and evidence, and whether it is a listed business."""
    return _read_card(page, el, operator, card_name(el))


def _read_card(page: Page, el: etree._Element, operator: Operator, named: tuple[str, str]) -> Card:
    """:func:`read_card` with the card's name already read.

    A card with no name is never a business nor a result (nothing reads its text or its
    evidence), so only named cards are read further: on a company page most repeats are
    unnamed wrappers, menus and paragraphs, and reading them was most of the page's cost.
    """
    name, href = named
    if not name:
        return Card(el, "", "", "", frozenset(), False)
    text = page_element_text(page, el)
    evidence: set[str] = set()
    hidden = element_contacts(el)
    if has_phone(text) or hidden.phones:
        evidence.add("phone")
    emails = [*(e.raw for e in find_emails(text)), *hidden.emails]
    if emails:
        evidence.add("email")
    if find_address(text)[0]:
        evidence.add("address")
    if find_labelled(text, PRODUCTS_LABEL_RE):
        evidence.add("products")
    if _is_company_name(name):
        evidence.add("company")
    name_url = _unwrap(page, _absolute(page, href)) if href else ""
    result = bool(name_url) and not _same_site(page, name_url)
    website = website_link(page, el)
    if website and website != name_url:
        evidence.add("website")
    extra = len(text) - len(name) >= 10
    reach = evidence & {"phone", "email", "address", "products"}
    business = bool(reach or ("company" in evidence and extra))
    if result and (title_like(name) or not evidence & {"phone", "email", "address"}):
        business = False  # a search result: a page's title linking to that page
    if business and (
        operator.owns_name(name)
        or any(operator.owns_email(e) for e in emails)
        or ("company" not in evidence and _person_card(name, text))
    ):
        business = False  # the site itself, its staff, its branches: not listed businesses
    return Card(el, name, href, text, frozenset(evidence), business)


def _person_card(name: str, text: str) -> bool:
    """Whether a card shows a person (a team page's "Jane Doe, Sales Manager"), not a firm."""
    if not looks_like_name(name):
        return False
    return any(block.person.name == name and block.person.title for block in find_people(text))


def find_listing(page: Page, chrome: Chrome, operator: Operator) -> Listing | None:
    """The page's cards when it is a listing, else None (a single business's page)."""
    best: list[Card] = []
    best_key: tuple[int, int] = (0, 0)
    weak_best: _Group | None = None
    weak_size = 0  # members of the weak best
    groups: list[_Group] = []
    # built here, not memoised on the page: it holds the page (for its walk's first lines),
    # and a page holding it back would be a cycle keeping the whole tree alive until the
    # garbage collector runs; find_listing is its only reader, once per page
    marks = NameMarks(page.selector.root, page)
    for members in _candidate_groups(page, chrome):
        group = _Group(members, [card_name(m, marks) for m in members])
        groups.append(group)
        named = sum(bool(name) for name, _ in group.names)
        if named < MIN_CARDS:
            continue  # too few names to be the listing or a weak one: read if it joins the best
        if named * 2 < len(members) and (named * 5 < len(members) * 3 or named <= weak_size):
            # only a named card can be a business or a result, so even with every named
            # card one, the group is neither half business nor the weak best: the tests
            # below would drop it, so its cards are not read (unless it joins the best)
            continue
        if group.may_be_listing(page, operator):
            cards = group.read(page, operator)
            business = sum(c.business for c in cards)
            if business >= MIN_CARDS and business * 2 >= len(cards):
                key = (business, sum(len(c.evidence) for c in cards if c.business))
                if key > best_key:
                    best, best_key = cards, key
        weak = group.weak_count(page)
        if weak >= MIN_CARDS and weak * 5 >= len(members) * 3 and weak > weak_size:
            weak_best, weak_size = group, len(members)
    if best:
        chosen = {id(c.element) for c in best}
        best_sig = _signature(best[0].element)
        for group in groups:
            if group.signature != best_sig:
                continue
            cards = group.read(page, operator)
            if cards is best or not any(c.business for c in cards):
                continue
            if any(_related(c.element, b.element) for c in cards for b in best[:1]):
                continue
            best.extend(c for c in cards if id(c.element) not in chosen)
        return Listing(cards=best, strong=True)
    if weak_best is not None:
        return Listing(cards=weak_best.read(page, operator), strong=False)
    return None


def _signature(el: etree._Element) -> tuple[str, frozenset[str]]:
    return (str(el.tag), frozenset(_signature_words(el)))


@dataclass
class _Group:
    """A candidate group, its members' names, and its cards once read.

    Cards are read one by one, and only as far as the group can still be the listing: on a
    company page most groups are menus, product boxes and sidebars whose first card already
    shows they are not (a sidebar card holds the whole shop's categories and links).
    """

    members: list[etree._Element]
    names: list[tuple[str, str]]
    cards: list[Card] | None = None
    _read: dict[int, Card] = field(default_factory=dict)
    """The cards read so far, by member index."""

    @property
    def signature(self) -> tuple[str, frozenset[str]]:
        return _signature(self.members[0])

    def read(self, page: Page, operator: Operator) -> list[Card]:
        if self.cards is None:
            self.cards = [self._card(page, operator, i) for i in range(len(self.members))]
        return self.cards

    def _card(self, page: Page, operator: Operator, i: int) -> Card:
        card = self._read.get(i)
        if card is None:
            card = self._read[i] = _read_card(page, self.members[i], operator, self.names[i])
        return card

    def may_be_listing(self, page: Page, operator: Operator) -> bool:
        """Whether :data:`MIN_CARDS` and half the members can be business cards: the named
        cards are read in order until the ones left could not make up the number (an unnamed
        card is never a business)."""
        need = max(MIN_CARDS, (len(self.members) + 1) // 2)
        left = sum(bool(name) for name, _ in self.names)
        business = 0
        for i, (name, _) in enumerate(self.names):
            if business + left < need:
                return False
            if name:
                left -= 1
                business += self._card(page, operator, i).business
        return business >= need

    def weak_count(self, page: Page) -> int:
        """How many cards are :attr:`Card.weak`, from their names and texts alone."""
        return sum(
            bool(name) and len(page_element_text(page, el)) - len(name) >= 10
            for el, (name, _) in zip(self.members, self.names, strict=True)
        )


def _related(a: etree._Element, b: etree._Element) -> bool:
    """Whether one element contains the other."""
    return (
        a is b or any(x is b for x in a.iterancestors()) or any(x is a for x in b.iterancestors())
    )


_SEARCH_KEYS = frozenset(
    words("q query wd word text keyword keywords key k search searchword w kw ss p_keyword")
)


def results_page(page: Page, listing: Listing) -> bool:
    """Whether the page is a search results page: a search URL, or cards linking off-site.

    Its results are other sites' pages, so neither they nor the site's own footer are a
    business of the listing.
    """
    _, _, path, query, _ = split_url(page.url)
    if re.search(r"/(?:search|s|web|find|results?)(?:[/.]|$)", path, re.IGNORECASE) and query:
        return True
    if any(k.lower() in _SEARCH_KEYS for k, _ in parse_qsl(query)):
        return True
    named = [c for c in listing.cards if c.name_href]
    outside = [
        c for c in named if not _same_site(page, _unwrap(page, _absolute(page, c.name_href)))
    ]
    return bool(named) and len(outside) * 2 >= len(named)


# --------------------------------------------------------------------------------------
# one lead per card


def card_lead(page: Page, card: Card) -> tuple[Lead, list[Link]]:
    """The business a card shows, and the links to its detail page and its own website."""
    lead = Lead(name=card.name)
    hidden = element_contacts(card.element)
    # the card's own address decides how its local numbers read, else the directory's ccTLD
    region = contact_region(Lead(name="", website=page.url), card.text)
    fill_contacts(lead, card.text, mailtos=[f"mailto:{e}" for e in hidden.emails], region=region)
    _contacts_off_the_name_line(lead, card.text)
    _add_hidden_phones(lead, hidden.phones, region)
    for _, value in find_labelled(card.text, PRODUCTS_LABEL_RE):
        value = value.rstrip(" .…")
        if value and value not in ("-", "--", "- -"):
            lead.products = value
            break
    website = website_link(page, card.element)
    lead.website = website
    links: list[Link] = []
    detail = detail_link(page, card)
    if detail:
        links.append(Link(url=detail, kind="detail", lead_name=card.name))
    if website:
        links.append(Link(url=website, kind="website", lead_name=card.name))
    for a in card.element.iter("a"):
        url = page.urljoin(a.get(b"href") or "")
        host = url_host(url)
        social = _under_hosts(host, _SOCIAL)
        if social and split_url(url)[2].strip("/") and url not in lead.social:
            lead.social.append(url)
    return lead, links


def _contacts_off_the_name_line(lead: Lead, text: str) -> None:
    """A card's "邮箱：" line under "法定代表人：王某" is the company's, not the person's.

    On a page about one business a number below a person is theirs; a card is too small for
    that: only what is printed on the person's own line stays with the person.
    """
    lines = text.split("\n")
    for person in lead.people:
        own = next((line for line in lines if person.name in line), "")
        keep_phones = [p for p in person.phones if p.raw in own]
        keep_emails = [e for e in person.emails if e.raw in own]
        lead.phones.extend(p for p in person.phones if p not in keep_phones)
        lead.emails.extend(e for e in person.emails if e not in keep_emails)
        person.phones, person.emails = keep_phones, keep_emails
    lead.phones = dedupe_phones(lead.phones)
    lead.emails = dedupe_emails(lead.emails)


def _add_hidden_phones(lead: Lead, raws: list[str], region: str) -> None:
    """Numbers only a ``tel:`` link or a ``data-phone`` holds, unless the text had them.

    A number the card printed is already there (with its label); a masked text number whose
    button holds the whole one is the same number, and the whole one is what a trainee can
    call, so it is added beside it.
    """
    known = [phone_key(p) for p in (*lead.phones, *(q for x in lead.people for q in x.phones))]
    for raw in raws:
        phone = Phone(raw=raw, label="tel")
        key = phone_key(phone)
        if any(same_number(key, k) for k in known):
            continue
        if not is_masked(raw) and not is_valid_phone(raw, region):
            continue
        known.append(key)
        lead.phones.append(phone)


def _absolute(page: Page, href: str) -> str:
    """``href`` joined to the page's base, without its fragment; "" unless it is http(s).

    The join is the page's own (:meth:`Page.urljoin`, cached), which the contact and social
    links share: every candidate card asks about the same links (a sidebar on every page).
    """
    href = href.strip()
    if not href or _NOT_HTTP_RE.match(href):
        return ""
    return _http_url(page.urljoin(href))


@lru_cache(maxsize=16384)
def _http_url(url: str) -> str:
    url = defrag_url(url)
    return url if url.startswith(("http://", "https://")) else ""


_NOT_HTTP_RE = re.compile(r"(?:javascript|mailto|tel|callto|sms|data):|#", re.IGNORECASE)


def _own_domain(page: Page) -> str:
    return site_domain(page.url) or site_domain(page.base_url)


def _same_site(page: Page, url: str) -> bool:
    own = _own_domain(page)
    return bool(own) and site_domain(url) == own


def _unwrap(page: Page, url: str) -> str:
    """An outside URL carried in a same-site redirect (``/out?url=https://…``)."""
    return _unwrap_url(_own_domain(page), url)


_HTTP_START_RE = re.compile(r"https?://")


@lru_cache(maxsize=16384)
def _unwrap_url(own: str, url: str) -> str:
    if not (own and site_domain(url) == own):
        return url
    for _, value in parse_qsl(split_url(url)[3]):
        value = unquote(value).strip()
        if _HTTP_START_RE.match(value) and site_domain(value) != own:
            return value
    return url


@lru_cache(maxsize=16384)
def _outside_ok(url: str) -> bool:
    host = url_host(url)
    return bool(host) and not _under_hosts(host, _NOT_OUTSIDE)


_SOCIAL = frozenset(SOCIAL_HOSTS)
_NOT_OUTSIDE = frozenset((*SOCIAL_HOSTS, *NOT_WEBSITE_HOSTS))


def _under_hosts(host: str, hosts: frozenset[str]) -> bool:
    """``any(host == h or host.endswith("." + h) for h in hosts)``: the host or one of its
    dot-suffixes ("maps.google.com", "google.com", "com") is in ``hosts``, a set lookup per
    label instead of two string tests per listed host (a test holds the two together)."""
    if host in hosts:
        return True
    dot = host.find(".")
    while dot != -1:
        if host[dot + 1 :] in hosts:
            return True
        dot = host.find(".", dot + 1)
    return False


@lru_cache(maxsize=16384)
def _outside_url(url: str, own: str) -> str:
    """The outside site ``url`` (absolute) is, unwrapped from a same-site redirect, else "".

    Cached: every card of a listing, and every candidate card, links the same pages.
    """
    url = _unwrap_url(own, url)
    if (own and site_domain(url) == own) or not _outside_ok(url):
        return ""
    return url


_WEBSITE_LABEL_RE = re.compile(r"website|web site|官网|网址|網址|homepage|www\.|visit", re.I)


def website_link(page: Page, el: etree._Element) -> str:
    """The card's link to the business's own site (outside the directory), or ""."""
    found: list[tuple[int, int, str]] = []
    own = _own_domain(page)
    for order, a in enumerate(el.iter("a")):
        url = _absolute(page, a.get(b"href") or "")
        url = _outside_url(url, own) if url else ""
        if not url:
            continue
        label = f"{_texts(a)} {a.get('title') or ''} {a.get('class') or ''}"
        rank = 0 if _WEBSITE_LABEL_RE.search(label) else 1
        found.append((rank, order, url))
    if not found:
        return ""
    url = min(found)[2]
    scheme, netloc, path, query, _ = split_url(url)
    if path in ("", "/") and query:
        url = f"{scheme}://{netloc}/"  # a home page's query is the directory's tracking
    return url


_DETAIL_LABEL_RE = re.compile(r"详情|detail|profile|view|more|联系方式|contact", re.I)


def detail_link(page: Page, card: Card) -> str:
    """The card's link to the business's page on this site (its name link, as a rule)."""
    url = _absolute(page, card.name_href)
    if url and _same_site(page, url):
        return url
    for a in card.element.iter("a"):
        url = _absolute(page, a.get(b"href") or "")
        if url and _same_site(page, url) and name_like(_texts(a)) is False:
            label = _texts(a)
            if _DETAIL_LABEL_RE.search(label):
                return url
    return ""


# --------------------------------------------------------------------------------------
# the next results page

_NEXT_TEXT_RE = re.compile(
    r"(?=\S)(?:next(?:\s+page)?|下一页|下一頁|下页|后页|後頁|次へ|weiter|suivant|siguiente)?\s*[›»>→]{0,2}",
    re.IGNORECASE,
)


def next_links(page: Page) -> list[Link]:
    """The next results page: ``rel=next``, a "Next" / "下一页" / "›" link, else page n+1."""
    for href in _rel_next_hrefs(page):
        url = _absolute(page, href)
        if url:
            return [Link(url=url, kind="next")]
    for a, label in _linked_labels(page):
        title = clean_text(a.get(b"title") or a.get(b"aria-label") or "")
        if not (_NEXT_TEXT_RE.fullmatch(label) or (not label and _NEXT_TEXT_RE.fullmatch(title))):
            continue
        url = _absolute(page, a.get(b"href", ""))
        if url and _same_site(page, url) and url != defrag_url(page.url):
            return [Link(url=url, kind="next")]
    return _numbered_next(page)


_REL_NEXT_XPATH = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)
_XML_SPACES = str.maketrans("\t\r\n", "   ")


def _rel_next_hrefs(page: Page) -> list[str]:
    """What :data:`_REL_NEXT_XPATH` selects, from one pass over the page's ``<link>`` and
    ``<a>`` elements (the query walked the whole page twice): a ``rel`` whose words,
    split at XML white space as ``normalize-space`` splits, include "next" (a test holds the
    two together)."""
    root = page.root
    if root is None:  # not parsed as HTML: parsel's own tree answers
        return list(page.selector.xpath(_REL_NEXT_XPATH).getall())
    out: list[str] = []
    for el in root.getroottree().iter("link", "a"):
        rel = el.get(b"rel")
        if rel is not None and "next" in rel.translate(_XML_SPACES).split(" "):
            href = el.get(b"href")
            if href is not None:
                out.append(href)
    return out


_DESCENDANT_TEXT = etree.XPath("descendant::text()", smart_strings=False)


def _linked_labels(page: Page) -> list[tuple[Any, str]]:
    """Every ``//a[@href]`` with its text (``.//text()`` joined and tidied), read once per
    page: the "next" link search and the numbered pager both ask about every link."""

    def read() -> list[tuple[Any, str]]:
        root = page.root
        if root is None:  # not parsed as HTML: parsel's own tree answers
            return [
                (a.root, clean_text(" ".join(a.xpath(".//text()").getall())))
                for a in page.selector.xpath("//a[@href]")
            ]
        return [
            (a, clean_text(" ".join(_DESCENDANT_TEXT(a))))
            for a in root.iter("a")
            if a.get(b"href") is not None
        ]

    return page.memo("linked_labels", read)


_PAGE_NUMBER_RE = re.compile(r"\d{1,4}")


def _numbered_next(page: Page) -> list[Link]:
    """Page n+1 of a run of numbered links ("1 2 3 … 10"), n being the unlinked number."""
    numbered: dict[int, str] = {}
    for a, label in _linked_labels(page):
        if _PAGE_NUMBER_RE.fullmatch(label):
            url = _absolute(page, a.get(b"href", ""))
            if url and _same_site(page, url):
                numbered.setdefault(int(label), url)
    if len(numbered) < 2:
        return []
    current = 1
    for span in page.selector.xpath(
        "//*[self::span or self::strong or self::em or self::b or self::li or self::a]"
        "[contains(concat(' ', normalize-space(@class), ' '), 'current')"
        " or contains(concat(' ', normalize-space(@class), ' '), 'active')"
        " or contains(@class, 'cur') or @aria-current='page']"
    ):
        label = clean_text(" ".join(span.xpath(".//text()").getall()))
        if _PAGE_NUMBER_RE.fullmatch(label):
            current = int(label)
            break
    following = sorted(n for n in numbered if n > current)
    return [Link(url=numbered[following[0]], kind="next")] if following else []
