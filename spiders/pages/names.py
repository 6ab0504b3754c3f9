"""Who a site belongs to: candidate names from the copyright line, the title, the text.

``choose_name`` ranks the candidates the generic extractor collects, from the most explicit
statement (structured data, a "Company name:" label) to the least (the ``<title>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from enum import IntEnum
from functools import lru_cache
from typing import Any

from spiders.pages.base import Page, clean_text, first_title_text
from spiders.pages.labels import normalise

CN_COMPANY_RE = re.compile(
    r"[\u4e00-\u9fff()（）·]{2,40}?(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司|工厂|厂|商行|经营部|工作室|研究所|事务所)(?![政家商房区长])"
)
LEGAL_SUFFIX_RE = re.compile(
    r"\b(?:[Ll](?i:td|imited|lc|\.l\.c|lp)|[Ii\u0130\u0131](?i:nc|ncorporated|ndustries)"
    r"|[Pp](?i:lc|ty|vt)|[Cc](?i:orp|orporation|o|ompany)|[Gg](?i:mbh|roup)|[Aa](?i:g|b|/s)"
    r"|[Kk\u212a](?i:g)|[Ss\u017f](?i:\.?a|\.?l|\.?r\.?l|dn|as|arl)|[Bb](?i:\.?v|hd)|[Nn](?i:\.?v)"
    r"|[Oo](?i:y)|[Ww](?i:holesale)|[Mm](?i:anufacturing)|[Tt](?i:rading)|[Ee](?i:nterprises?)"
    r"|[Hh](?i:oldings))\b\.?"
)
"""A legal form or a company word (Ltd, Inc, GmbH, S.A., Industries, Trading …), case-blind.

The forms under ``re.IGNORECASE`` (a property test keeps that definition), grouped by first
letter, that letter a class of what the flag takes for it ("İ" and "ı" for "i", "ſ" for
"s", the Kelvin sign for "k"): the engine skips a form whose first letter a word does not
start with at one comparison, where the flag made it try all 37 forms at every word (some
2 us a line of a page's text)."""
GENERIC_PAGE_WORDS = (
    # English: what a site calls its pages, never what it calls itself
    "contacts?(?: us| details| information| page)?|get in touch|reach us|find us|directions|"
    "locations?|about(?: us| the company| the business)?|who we are|our story|company profile|"
    "profile|home(?: ?page)?|index|main|welcome|team|meet the team|meet our team|"
    "(?:management|leadership|sales|our|the) team|staff|our staff|people|our people|"
    "management|leadership|news|blog|products?|our products|services|our services|shop|"
    "online shop|store|gallery|portfolio|faqs?|careers|jobs|enquiry|enquiries|sitemap|site map|"
    "privacy(?: policy)?|terms(?: and conditions| of use)?|support|customer service|"
    "testimonials|reviews|impressum|kontakt|official (?:web)?site|untitled(?: document)?|"
    "default|login|sign in|search|page not found|not found|404"
    # Chinese
    "|联系我们|联系方式|聯繫我們|聯絡我們|聯繫方式|关于我们|關於我們|公司简介|公司簡介|公司介绍|"
    "企业简介|企业介绍|首页|首頁|网站首页|主页|团队|我们的团队|团队介绍|管理团队|新闻中心|新闻动态|"
    "公司新闻|产品中心|产品展示|产品列表|服务项目|服务中心|在线留言|留言板|人才招聘|招聘信息|"
    "企业文化|荣誉资质|网站地图|客户服务|售后服务|欢迎光临|欢迎访问"
)
GENERIC_NAME_RE = re.compile(rf"(?:{GENERIC_PAGE_WORDS})", re.IGNORECASE)
"""Page-title words (Our Team, Contact Us, 联系我们 …): never an organisation's name."""
_WELCOME_RE = re.compile(r"^(?:welcome\s+to(?:\s+the)?|欢迎(?:光临|访问|来到))\s*", re.IGNORECASE)


def is_generic_name(value: str) -> bool:
    """Whether a would-be name is only a page-title word ("Our Team", "About Us", "首页")."""
    value = _NAME_SEPARATORS_RE.sub(" ", normalise(value)).strip()
    return not value or bool(GENERIC_NAME_RE.fullmatch(value))


_NAME_SEPARATORS_RE = re.compile(r"[\s\-–—|:：·.!！,，]+")


_STRONG_SUFFIX_RE = re.compile(
    r"\b(?:Ltd\.?|Limited|Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|PLC|Corp\.|Corporation|GmbH|"
    r"Pty\.? Ltd\.?|S\.A\.|S\.L\.|S\.r\.l\.|B\.V\.|Sdn\.? Bhd\.?|Pvt\.? Ltd\.?)(?=\s|$)"
)
COPYRIGHT_RE = re.compile(
    r"[©(&cC版](?:(?<=©)|(?<=\()[cC]\)|(?<=&)[cC][oO][pP][yY];"
    r"|(?<=[cC])[oO][pP][yY][rR][iIİı][gG][hH][tT]|(?<=版)(?:权所有|權所有))"
)
"""A copyright mark: ©, (c), &copy;, copyright, 版权所有 or 版權所有, case-blind as
``re.IGNORECASE`` reads them (it takes "İ" and "ı" for "i"). Written as the character that
opens a mark and a look-behind for which one, so the engine skips to those characters
instead of trying every mark at every character of a page's text."""
_CUT_RE = re.compile(
    r"all\s+rights\s+reserved|版权所有|版權所有|保留所有权利|保留一切权利|\s\|\s|\s[-–—]\s|"
    r"powered\s+by|designed?\s+(?:and\s+developed\s+)?by|developed\s+by|web\s*site\s+by|"
    r"技术支持|技術支持|网站建设|[\u4e00-\u9fff]?ICP|地址|电话|電話|tel\b|e-?mail|"
    r"\bterms\b|\bprivacy\b|site\s*map|disclaimer|\blegal\b|\bcookies?\b",
    re.IGNORECASE,
)


def copyright_name(text: str) -> str:
    """The owner in "© 2014 Foo Ltd. All rights reserved" / "版权所有：某某有限公司".

    The lines holding a mark are found by one search of the whole text (no mark spans a
    line break), each from its first mark, as a search line by line found them.
    """
    read_to = 0
    for found in COPYRIGHT_RE.finditer(text, _first_mark(text)):
        if found.start() < read_to:
            continue  # a second mark on a line already read
        start = text.rfind("\n", 0, found.start()) + 1
        read_to = text.find("\n", found.end())
        read_to = len(text) if read_to < 0 else read_to
        owner = _copyright_owner(text[start:read_to], found.start() - start)
        if owner:
            return owner
    return ""


_MARKS = ("©", "(c)", "&copy;", "copyright", "版权所有", "版權所有")
_DOTTED_I = str.maketrans({"İ": "i", "ı": "i"})


def _first_mark(text: str) -> int:
    """Where the first copyright mark can start (``len(text)`` when there is none).

    ``str.find`` in the lower-cased text skips the text before the footer faster than the
    pattern does; "İ" (the one letter lowering lengthens) and "ı" are read as "i" first, as
    ``re.IGNORECASE`` reads them, so no mark is found later than it is.
    """
    if "İ" in text or "ı" in text:
        text = text.translate(_DOTTED_I)
    folded = text.lower()
    return min((at for at in map(folded.find, _MARKS) if at >= 0), default=len(folded))


def _copyright_owner(line: str, mark: int) -> str:
    """The owner a copyright line names after its mark at ``mark``, or ""."""
    value = normalise(line)
    cn = CN_COMPANY_RE.search(value)
    if cn and ("版权" in value or "版權" in value or is_cjk_text(value)):
        return cn.group(0).strip("()（）· ")
    value = _MARK_AND_YEARS_RE.sub("", value[mark:])
    cut = _CUT_RE.search(value)
    if cut:
        value = value[: cut.start()]
    strong = _STRONG_SUFFIX_RE.search(value)
    if strong:
        value = value[: strong.end()]
    value = _IN_PLACE_RE.sub("", value)
    value = value.strip(" ,;:-–|")
    if not _DOTTED_FORM_RE.search(value):
        value = value.rstrip(". ")
    if (
        2 <= len(value) <= 80
        and _TWO_LETTERS_RE.search(value)
        and not _NOT_OWNER_RE.fullmatch(value)
    ):
        return value
    return ""


_MARK_AND_YEARS_RE = re.compile(
    r"^(?:\s*(?:©|\(c\)|&copy;|copyright|版权所有|版權所有|版权|版權|[:：,.]|"
    r"(?:19|20)\d\d(?:\s*[-–~]\s*(?:19|20)?\d\d)?|by)\s*)+",
    re.IGNORECASE,
)
_IN_PLACE_RE = re.compile(r"\s+in\s+[A-Z][\w .'-]*(?:,\s*[A-Z][\w .'-]*)*\s*$")
_DOTTED_FORM_RE = re.compile(r"\b(?:Ltd|Inc|Co|Corp|Bros|Pty|Pvt|L\.?L\.?C|S\.A|Ltda)\.$")
_TWO_LETTERS_RE = re.compile(r"[A-Za-z\u4e00-\u9fff]{2}")
_NOT_OWNER_RE = re.compile(r"(?:the\s+)?(?:company|website|site|all)", re.I)


def is_cjk_text(value: str) -> bool:
    return bool(_HAN_RE.search(value))


_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


_TITLE_SEPARATORS_RE = re.compile(r"\s[|｜\-–—_:]\s|[|｜]|--|——|_")


def title_name(page: Page, *, domain: str = "") -> str:
    """The ``<title>`` without "Contact Us" / "Our Team" / "联系我们" and similar segments.

    Of the segments left, one that carries a legal form or spells a Chinese company wins,
    then the one that spells the domain ("Kestrel Camera Distributors" for kestrel-camera),
    then the first.
    """
    return page.memo(f"title_name {domain}", lambda: _title_name(page, domain))


def _title_name(page: Page, domain: str) -> str:
    """:func:`title_name`, worked out once per page and domain: the generic extractor asks
    for it for the content's name and again for the whole page's."""
    title = clean_text(first_title_text(page))
    if not title:
        return ""
    segments = [s.strip() for s in _TITLE_SEPARATORS_RE.split(title)]
    keep = [
        kept
        for kept in (_WELCOME_RE.sub("", s).strip() for s in segments)
        if kept and not is_generic_name(kept) and len(kept) <= 60
    ]
    if not keep:
        return ""
    named = [s for s in keep if LEGAL_SUFFIX_RE.search(s) or CN_COMPANY_RE.search(s)]
    spelled = [s for s in keep if domain and domain_similarity(s, domain) >= 0.5]
    best = (named or spelled or keep)[0]
    cn = CN_COMPANY_RE.search(best)
    return cn.group(0) if cn else best


_LOGO_CASE = str.maketrans("LOG", "log")


def _logo_marked(*values: str | None) -> bool:
    """ "logo" in the values with L, O, G lower-cased (XPath ``translate``, as before)."""
    return any(_holds_logo(value) for value in values if value)


@lru_cache(maxsize=16384)
def _holds_logo(value: str) -> bool:
    # cached: a page repeats the same class values on most of its elements
    return "logo" in value.translate(_LOGO_CASE)


def logo_images(root: Any) -> Iterator[Any]:
    """Images marked as a logo, or inside an element marked so, in document order.

    The two-part ``//img[…logo…] | //*[…logo…]//img`` query scanned the whole page twice;
    a page has few images, and their ancestors are mostly the same few elements: each is
    asked once (``_under_logo``).
    """
    if not isinstance(getattr(root, "tag", None), str):
        return
    under: dict[Any, bool] = {}
    for img in root.iter("img"):
        if _logo_marked(img.get(b"class"), img.get(b"id"), img.get(b"src")) or _under_logo(
            img.getparent(), under
        ):
            yield img


def _under_logo(element: Any, under: dict[Any, bool]) -> bool:
    """Whether ``element`` or one of its ancestors is marked as a logo; ``under`` holds the
    answers for the elements already asked, so a walk up stops at the first of them."""
    chain: list[Any] = []
    while element is not None and element not in under:
        chain.append(element)
        element = element.getparent()
    marked = element is not None and under[element]
    for node in reversed(chain):
        marked = marked or _logo_marked(node.get(b"class"), node.get(b"id"))
        under[node] = marked
    return marked


def logo_name(page: Page, *, domain: str = "") -> str:
    """The alt text of the site's logo ("Kestrel Camera Distributors logo" → the name).

    Alt texts are free-form ("image here", a holiday doodle), so one counts only when it
    spells the domain or carries a legal form.
    """
    for img in logo_images(page.selector.root):
        value = clean_text(img.get(b"alt") or img.get(b"title") or "")
        value = _LOGO_WORD_RE.sub("", value)
        if (
            2 <= len(value) <= 80
            and _TWO_LETTERS_RE.search(value)
            and not is_generic_name(value)
            and (
                LEGAL_SUFFIX_RE.search(value)
                or CN_COMPANY_RE.search(value)
                or (domain and domain_similarity(value, domain) >= 0.5)
            )
        ):
            return value
    return ""


_LOGO_WORD_RE = re.compile(r"^logo\s*(?:of\s+|[:\-–—]\s*)?|\s*[\-–—]?\s*(?:logo|标志|标识)$", re.I)


@lru_cache(maxsize=4096)
def domain_similarity(name: str, domain: str) -> float:
    """How much of the domain's name the candidate spells ("Chas & Phil" ~ chasandphil.co.uk).

    Cached: the same candidates are ranked against the same domain on every page of a site.
    """
    label = _NOT_ALNUM_RE.sub("", domain.split(".")[0].lower())
    squashed = _NOT_ALNUM_RE.sub("", name.lower().replace("&", "and"))
    if not label or not squashed:
        return 0.0
    match = SequenceMatcher(None, label, squashed).find_longest_match(
        0, len(label), 0, len(squashed)
    )
    return match.size / len(label)


_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")


class NameSource(IntEnum):
    """Where a name candidate came from, most explicit first (lower wins in ``choose_name``)."""

    STRUCTURED = 0
    """An Organization / LocalBusiness name in JSON-LD, microdata or RDFa."""
    LABELLED = 1
    """A "公司名称：" / "Company name:" label."""
    COPYRIGHT = 2
    """The owner in the copyright line."""
    CHINESE_COMPANY = 3
    """A "…有限公司" spelled in the text."""
    SITE_NAME = 4
    """og:site_name or a Brand item."""
    LOGO = 5
    """The logo's alt text."""
    ADDRESS_HEAD = 6
    """The line heading an address block."""
    LEGAL_LINE = 7
    """A short line that carries a legal form ("Foo Trading Ltd")."""
    TITLE = 8
    """The ``<title>`` without its generic segments."""


WEAK_SOURCES = frozenset(
    {NameSource.SITE_NAME, NameSource.LOGO, NameSource.ADDRESS_HEAD, NameSource.TITLE}
)
"""Sources that only echo the site's own branding: the page's text does not name anyone."""


def choose_name(candidates: list[tuple[int, str]], domain: str) -> str:
    """Best candidate: lowest priority number, then closest to the domain, then first found.

    Page-title words ("Our Team", "Contact Us", "联系我们") are never a name, wherever they
    were found.
    """
    return choose_name_source(candidates, domain)[0]


def choose_name_source(candidates: list[tuple[int, str]], domain: str) -> tuple[str, int]:
    """:func:`choose_name` and the :class:`NameSource` it came from (-1 when none)."""
    ranked = [
        (priority, -round(domain_similarity(name, domain), 1), order, name)
        for order, (priority, name) in enumerate(candidates)
        if name and 2 <= len(name) <= 100 and not is_generic_name(name)
    ]
    if not ranked:
        return "", -1
    best = min(ranked)[3]
    # "Chas & Phil Wholesale" beats "Chas & Phil Wholesale Jewellery Suppliers": a slogan
    # often trails the name in a copyright line or a title
    best_priority = min(ranked)[0]
    for _, _, _, name in sorted(ranked):
        rest = best[len(name) :] if best.lower().startswith(name.lower() + " ") else ""
        if (
            best_priority >= NameSource.COPYRIGHT
            and rest
            and len(name.split()) >= 2
            and not LEGAL_SUFFIX_RE.fullmatch(rest.strip(" ,.&"))
        ):
            return name, best_priority
    return best, best_priority
