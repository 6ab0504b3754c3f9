"""The generic extractor: company websites, and listing pages of sites with no page object.

Every host that is not in the source catalogue is read here: most are some small business's
own site (the e-mail method, 电子邮件法), some are directories and supplier sites nobody has
written a page object for yet. The page decides which it is:

- a **listing** (:mod:`spiders.pages.listing`): several organisations in the page's
  structured data, or a repeat of three or more cards that each name a business and say
  something about reaching it → one lead per card, with its detail and website links and the
  next results page. The site's operator (copyright owner, og:site_name, its own e-mail
  domain) is never one of the leads, and a repeat of results with no business in them (a
  search engine's page) gives no lead at all;
- a **single business's page** → one lead, read in two passes: structured data (extruct),
  which when present is the site's own statement of its name, phones and address, then the
  visible text laid out one line per block element, read with the finders in
  :mod:`spiders.pages.contacts` and the readers beside this module
  (:mod:`~spiders.pages.blocktext`, :mod:`~spiders.pages.structured`,
  :mod:`~spiders.pages.names`, :mod:`~spiders.pages.addresses`, :mod:`~spiders.pages.links`).

Header, footer, menus and login widgets (:mod:`spiders.pages.chrome`) hold a directory's own
hotline, e-mail and ICP number and the logged-in visitor's phone, so contacts are read from
the page without them. On a company's own site, though, the footer is where the company's own
contacts are, so they are taken back when the page is the organisation's own site:

1. the content outside the chrome holds no phone or e-mail at all (the footer is the only
   contact block: the usual small-company site), or
2. the organisation the content names is the site's: it spells the domain, it is the
   copyright owner / og:site_name, or one of its e-mails is on the site's own domain, or the
   content names no organisation at all.

Otherwise (a directory's page about one company) the lead keeps only what the content says,
and its website is the one the page labels (网址 / Website), never the directory's home.
Login / user widgets stay out in every case.

Named staff go into ``lead.people`` with their own numbers and e-mails (a number printed next
to a person is theirs; the rest are the business's). A page with no contact details yields no
lead (status "ok"); a challenge page is "blocked".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from leadharvest.items import Email, Lead, Phone
from spiders.pages.addresses import find_address
from spiders.pages.base import Link, Page, PageExtraction, PageParser, detect_block
from spiders.pages.blocktext import block_text, page_element_text, table_header_cells
from spiders.pages.chrome import Chrome, Operator, find_chrome, name_key, site_operator
from spiders.pages.emails import find_emails
from spiders.pages.labels import COMPANY_LABEL_RE, find_labelled, normalise
from spiders.pages.leadtext import fill_contacts, has_contacts
from spiders.pages.links import contact_links, site_domain, site_home, social_links
from spiders.pages.listing import card_lead, find_listing, next_links, results_page
from spiders.pages.names import (
    CN_COMPANY_RE,
    LEGAL_SUFFIX_RE,
    WEAK_SOURCES,
    NameSource,
    choose_name,
    choose_name_source,
    copyright_name,
    domain_similarity,
    logo_name,
    title_name,
)
from spiders.pages.phones import phone_key, same_number, scan_phones
from spiders.pages.state import state_businesses
from spiders.pages.structured import (
    apply_structured,
    extract_structured,
    listed_orgs,
    org_name,
    org_url,
    page_description,
    structured_items,
)

__all__ = ["GenericPage", "PageView", "block_text", "read_view"]

_NAME_START_RE = re.compile(r"[A-Z0-9]")
_NOT_LEGAL_LINE_RE = re.compile(r"\bby\b|powered|design|develop|\d{3}|@|copyright|©", re.I)
_WEBSITE_LABEL_RE = re.compile(
    r"网址|網址|官网|官方网站|公司网站|website|web\s*site|homepage|web(?=\s*[:：])|url(?=\s*[:：])",
    re.IGNORECASE,
)


@dataclass
class PageView:
    """What both extractors need to know about a page once: chrome, structured data, operator."""

    chrome: Chrome
    data: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    operator: Operator = field(default_factory=lambda: Operator(domain=""))
    brand: str = ""


def read_view(page: Page) -> PageView:
    """The page's chrome, structured data and operator."""
    chrome = find_chrome(page)
    data = extract_structured(page)
    items = structured_items(page, data=data)
    _, brand = apply_structured([i for i in items if "OpenGraph" in str(i.get("@type"))], Lead(""))
    chrome_text = "\n".join(page_element_text(page, el) for el in chrome.site)
    return PageView(chrome, data, items, site_operator(page, chrome, chrome_text, brand), brand)


# --------------------------------------------------------------------------------------
# the page object


class GenericPage(PageParser):
    """Any page of a site with no page object: a company's own page, or a listing."""

    name = "company_website"
    method = "company_website"

    def parse(self, page: Page) -> PageExtraction:
        reason = detect_block(page)
        if reason:
            return self.result("blocked", reason=reason)
        view = read_view(page)
        listing = self.extract_listing(page, view=view)
        if listing is not None:
            leads, links = listing
            return self.result("ok", leads=leads, links=links)
        lead = self.extract_lead(page, view=view)
        leads = [lead] if lead is not None else []
        return self.result("ok", leads=leads, links=contact_links(page))

    # ----------------------------------------------------------------------------------
    # listings

    def extract_listing(
        self, page: Page, *, view: PageView | None = None
    ) -> tuple[list[Lead], list[Link]] | None:
        """One lead per listed business and the links to follow, or None for a single page."""
        view = view or read_view(page)
        leads, links = self._structured_listing(page, view)
        listing = find_listing(page, view.chrome, view.operator)
        if len(leads) < 2:
            leads, links = [], []
            if listing is None:
                return None
            if not listing.strong:
                # named results with no business in them: a listing of nothing when it is a
                # results page or nothing outside them says how to reach anyone; else they
                # are a company page's news list and the page is the company's
                cards = {c.element for c in listing.cards}
                outside = block_text(page, skip=view.chrome.account_only | cards)
                if not results_page(page, listing) and (
                    scan_phones(outside) or find_emails(outside)
                ):
                    return None
                return [], next_links(page)
        by_key = {name_key(lead.name): lead for lead in leads}
        for card in listing.cards if listing is not None and listing.strong else []:
            if not card.business:
                continue
            lead, card_links = card_lead(page, card)
            known = by_key.get(name_key(lead.name))
            if known is not None:
                _fill_missing(known, lead)
            else:
                by_key[name_key(lead.name)] = lead
                leads.append(lead)
            links.extend(card_links)
        _complete_from_state(page, leads, view.operator)
        links.extend(next_links(page))
        return leads, _unique_links(links)

    def _structured_listing(self, page: Page, view: PageView) -> tuple[list[Lead], list[Link]]:
        """Leads from the organisations the page's structured data lists (not the operator)."""
        leads: list[Lead] = []
        links: list[Link] = []
        seen: set[str] = set()
        domain = view.operator.domain
        for item in listed_orgs(view.data):
            name = org_name(item)
            if not name or view.operator.owns_name(name) or name_key(name) in seen:
                continue
            url = page.urljoin(org_url(item)) if org_url(item) else ""
            same_site = bool(url) and site_domain(url) == domain
            if same_site and re.fullmatch(r"https?://[^/]+/?", url):
                continue  # the site's own organisation, stated with its home page
            seen.add(name_key(name))
            lead = Lead(name=name)
            apply_structured([item], lead)
            lead.masked = any(p.masked for p in lead.phones) or any(e.masked for e in lead.emails)
            if url and not same_site:
                lead.website = url
                links.append(Link(url=url, kind="website", lead_name=name))
            elif url:
                links.append(Link(url=url, kind="detail", lead_name=name))
            leads.append(lead)
        return leads, links

    # ----------------------------------------------------------------------------------
    # one business's page

    def extract_lead(self, page: Page, *, view: PageView | None = None) -> Lead | None:
        """The organisation the page is about, with what it says about reaching it, or None.

        Contacts in the header / footer count only on the organisation's own site (see the
        module docstring); the visitor's login widget never counts.
        """
        view = view or read_view(page)
        if view.chrome.site:
            main, text = self._read_lead(page, view, skip=view.chrome.all, main_only=True)
            if main is not None and not self._own_site(main, view):
                main.website = _labelled_website(text, view.operator)
                return main
        return self._read_lead(page, view, skip=view.chrome.account_only, main_only=False)[0]

    def _own_site(self, lead: Lead, view: PageView) -> bool:
        """Whether the organisation the content names is the one that runs the site.

        A content that names no organisation (its name would come from the title or the
        logo only) is the site's own page too: a directory's page about a business names it.
        """
        if _names_site(lead.name, view.operator):
            return True
        emails = [*lead.emails, *(e for p in lead.people for e in p.emails)]
        return any(view.operator.owns_email(e.raw) for e in emails)

    def _read_lead(
        self, page: Page, view: PageView, *, skip: frozenset[Any], main_only: bool
    ) -> tuple[Lead | None, str]:
        """The lead ``skip`` leaves the page to say, and that text.

        ``main_only`` (the content without the chrome) returns None as soon as the name the
        content gives proves the page is the site's own: :meth:`extract_lead` then reads the
        whole page again whatever the content's contacts are, so they are not read.
        """
        text = block_text(page, skip=skip)
        website = site_home(page)
        domain = site_domain(website)
        lead = Lead(name="", website=website)
        org, brand = apply_structured(view.items, lead)
        address = find_address(text)
        org_line = address[1]
        if main_only:
            candidates = self.name_candidates(page, text, org, "", org_line, domain, logo=False)
            name, source = choose_name_source(candidates, domain)
            if source in WEAK_SOURCES or source < 0:
                name = ""  # the content names no one: the page is the site's own
            if _names_site(name, view.operator):
                return None, text
        lead.description = lead.description or page_description(page)
        mailtos = [href for a, href in _mailto_anchors(page) if not (skip and _inside(a, skip))]
        fill_contacts(
            lead, text, mailtos=mailtos, not_names=table_header_cells(page), read_address=address
        )
        for url in social_links(page):
            if url not in lead.social:
                lead.social.append(url)
        if not has_contacts(lead):
            return None, text
        if main_only:
            lead.name = name
        else:
            lead.name = self.organisation_name(page, text, org, brand, org_line, domain)
        return lead, text

    def organisation_name(
        self,
        page: Page,
        text: str,
        org_name: str,
        brand: str,
        org_line: str,
        domain: str,
        *,
        logo: bool = True,
    ) -> str:
        """Who the site belongs to, from the most to the least explicit statement of it.

        Structured data beats everything the text says; the ``<title>`` comes last, and
        page-title words ("Our Team", "联系我们") are never a name: with nothing better the
        name is the domain. ``logo=False`` leaves out the site's logo (on a directory it is
        the directory's).
        """
        candidates = self.name_candidates(page, text, org_name, brand, org_line, domain, logo=logo)
        return choose_name(candidates, domain) or domain

    def name_candidates(
        self,
        page: Page,
        text: str,
        org_name: str,
        brand: str,
        org_line: str,
        domain: str,
        *,
        logo: bool = True,
    ) -> list[tuple[int, str]]:
        """Every (NameSource, name) the page offers, best kind first, for ``choose_name``."""
        candidates: list[tuple[int, str]] = [(NameSource.STRUCTURED, org_name)]
        candidates += [
            (NameSource.LABELLED, v)
            for _, v in find_labelled(text, COMPANY_LABEL_RE)
            if len(v) <= 60
        ]
        candidates.append((NameSource.COPYRIGHT, copyright_name(text)))
        cn = [m.group(0) for m in CN_COMPANY_RE.finditer(normalise(text)) if len(m.group(0)) >= 6]
        candidates += [(NameSource.CHINESE_COMPANY, c) for c in cn[:3]]
        candidates.append((NameSource.SITE_NAME, brand))
        if logo:
            candidates.append((NameSource.LOGO, logo_name(page, domain=domain)))
        candidates.append((NameSource.ADDRESS_HEAD, org_line))
        candidates += [(NameSource.LEGAL_LINE, line) for line in legal_lines(text)]
        candidates.append((NameSource.TITLE, title_name(page, domain=domain)))
        return candidates


def legal_lines(text: str) -> list[str]:
    """The lines of ``text`` that read as a company's name, in order: short (60 characters),
    starting with a capital or a digit, with a legal form that is not their first word ("a
    name ends with its legal form": not "Trading hours") and no sign of a credit line.

    The legal forms are found by one search of the whole text, not line by line: no form
    spans a line break, and a word boundary at a line's edge reads the same against the
    break or the white space the line's strip removes. Only the lines a form is on (a few
    of a page's hundreds) are tested further, each with its first form, as a search of
    the stripped line would find it (a test holds this to the line-by-line reading).
    """
    out: list[str] = []
    last = -1  # the start of the line whose first form was taken
    for legal in LEGAL_SUFFIX_RE.finditer(text):
        at = legal.start()
        start = text.rfind("\n", 0, at) + 1
        if start == last:
            continue  # not the line's first form
        last = start
        end = text.find("\n", at)
        raw = text[start:] if end < 0 else text[start:end]
        line = raw.strip()
        # the cheap tests first: most lines are long or start in lower case
        if len(line) > 60 or not _NAME_START_RE.match(line):
            continue
        lead = len(raw) - len(raw.lstrip())  # where the stripped line starts in the line
        if at - start > lead and not _NOT_LEGAL_LINE_RE.search(line):
            out.append(line.rstrip(" ,"))
    return out


def _names_site(name: str, operator: Operator) -> bool:
    """Whether a name is the site's own: none at all, the domain, spelled like it, or the
    operator's (the first of :meth:`GenericPage._own_site`'s tests, the one needing no
    contacts)."""
    if not name or name == operator.domain:
        return True
    return domain_similarity(name, operator.domain) >= 0.5 or operator.owns_name(name)


def _mailto_anchors(page: Page) -> list[tuple[Any, str]]:
    """(element, href) of every ``mailto:`` link, in document order."""
    root = page.selector.root
    if not isinstance(root.tag, str):
        return []
    return [
        (a, href)
        for a in root.iter("a")
        if (href := a.get(b"href")) is not None and href[:7].lower() == "mailto:"
    ]


def _inside(el: Any, subtrees: frozenset[Any]) -> bool:
    return el in subtrees or any(a in subtrees for a in el.iterancestors())


def _labelled_website(text: str, operator: Operator) -> str:
    """The business's site as a directory page labels it ("网址：www.foo.cn"), else ""."""
    for _label, value in find_labelled(text, _WEBSITE_LABEL_RE):
        m = re.search(r"(?:https?://)?(?:[\w-]+\.)+[a-z]{2,24}(?:/\S*)?", value, re.IGNORECASE)
        if not m or "@" in value:
            continue
        url = m.group(0) if m.group(0).startswith("http") else f"http://{m.group(0)}"
        if site_domain(url) != operator.domain:
            return url
    return ""


def _fill_missing(known: Lead, other: Lead) -> None:
    """Fill a structured-data lead's empty fields from its card."""
    for attr in ("website", "address_raw", "products", "description", "registration_id"):
        if not getattr(known, attr) and getattr(other, attr):
            setattr(known, attr, getattr(other, attr))
    if not known.phones:
        known.phones = other.phones
    if not known.emails:
        known.emails = other.emails
    known.masked = known.masked or other.masked


def _complete_from_state(page: Page, leads: list[Lead], operator: Operator) -> None:
    """Add what the page's embedded state knows about a listed business to its card's lead.

    Only businesses the cards already named are completed: the state also holds the visitor,
    the site's own offices and recommendations, and none of those is a listing.
    """
    if not leads:
        return
    by_key = {name_key(lead.name): lead for lead in leads}
    for business in state_businesses(page):
        lead = by_key.get(name_key(business.name))
        if lead is None:
            continue
        known = {phone_key(p) for p in lead.phones}
        for raw, label in business.phones:
            phone = Phone(raw=raw, label=label)
            key = phone_key(phone)
            if not any(same_number(key, k) for k in known):
                known.add(key)
                lead.phones.append(phone)
        seen = {e.raw.lower() for e in lead.emails}
        for address in business.emails:
            if address.lower() not in seen and not operator.owns_email(address):
                seen.add(address.lower())
                lead.emails.append(Email(raw=address))
        if not lead.website and business.website:
            lead.website = business.website


def _unique_links(links: list[Link]) -> list[Link]:
    seen: set[tuple[str, str]] = set()
    out: list[Link] = []
    for link in links:
        key = (link.url, link.kind)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out
