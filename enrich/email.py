"""E-mail addresses: syntax check, normal form, role and free-mail flags.

A sales trainee treats ``sales@brightlens-optics.example`` (a department, on the company's
own domain) differently from ``zhang.wei@qq.com`` (a person, on a free mailbox that says
nothing about the company), so both facts are flags on the address. Validation is syntax
only (email-validator with ``check_deliverability=False``): LeadHarvest never sends mail or
DNS queries to check an address.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from enrich.domain import RESERVED_TLDS, public_suffix, registered_domain
from leadharvest.items import Email

ROLE_LOCALS = frozenset(
    {
        "info",
        "information",
        "sales",
        "sale",
        "contact",
        "contacts",
        "contactus",
        "admin",
        "administrator",
        "office",
        "enquiries",
        "enquiry",
        "inquiries",
        "inquiry",
        "support",
        "service",
        "services",
        "customerservice",
        "cs",
        "help",
        "hr",
        "jobs",
        "careers",
        "recruit",
        "recruitment",
        "marketing",
        "webmaster",
        "web",
        "postmaster",
        "hostmaster",
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "mail",
        "email",
        "hello",
        "team",
        "accounts",
        "account",
        "billing",
        "finance",
        "orders",
        "order",
        "export",
        "import",
        "purchase",
        "purchasing",
        "procurement",
        "trade",
        "business",
        "press",
        "media",
        "pr",
        "reception",
        "general",
        "feedback",
        "kefu",
        "xiaoshou",
        "caiwu",
        "销售",
        "客服",
        "市场",
        "业务",
        "采购",
        "人事",
        "招聘",
        "财务",
        "服务",
        "联系",
    }
)
"""Local parts (after dropping digits and a region tag: ``sales2``, ``info.cn``) that reach a
department, not a person."""

FREE_MAIL_DOMAINS = frozenset(
    {
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "yeah.net",
        "aliyun.com",
        "foxmail.com",
        "139.com",
        "189.cn",
        "tom.com",
        "21cn.com",
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "rediffmail.com",
        "mail.ru",
        "proton.me",
        "protonmail.com",
        "zoho.com",
        "bigpond.com",
        "bigpond.net.au",
        "btinternet.com",
    }
)
"""Registered domains of mailboxes anyone can open (``vip.qq.com`` counts as ``qq.com``)."""

FREE_MAIL_BRANDS = frozenset({"yahoo", "hotmail", "yandex", "gmx", "outlook", "live", "ymail"})
"""Providers with one domain per country (yahoo.co.uk, hotmail.fr, yandex.ru, gmx.de)."""

_JUNK_TLDS = frozenset(
    {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "php", "html", "htm"}
)
_MASK_RE = re.compile(r"[*＊●•]|\.{3}|…")
_OBFUSCATIONS = (
    (re.compile(r"\s*[\[({<]\s*(?:at|@|艾特)\s*[\])}>]\s*", re.IGNORECASE), "@"),
    (re.compile(r"\s*[\[({<]\s*(?:dot|点|\.)\s*[\])}>]\s*", re.IGNORECASE), "."),
)


def email_domain(address: str) -> str:
    """The part after the last ``@``, lower-cased; "" when there is none."""
    if "@" not in address:
        return ""
    return unicodedata.normalize("NFKC", address).rsplit("@", 1)[1].strip().strip(".").lower()


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"^mailto:", "", text, flags=re.IGNORECASE)
    text = text.split("?", 1)[0]
    for pattern, replacement in _OBFUSCATIONS:
        text = pattern.sub(replacement, text)
    text = text.strip(" \t\r\n<>\"'()[]{}:;,.。，；：")
    return re.sub(r"\s*@\s*", "@", text)


def is_role_local(local: str) -> bool:
    """``sales``, ``sales2``, ``info.cn``, ``sales-au``, ``销售``: a department's mailbox."""
    text = local.lower()
    if text in ROLE_LOCALS:
        return True
    head = re.split(r"[._+\-]", text, maxsplit=1)[0]
    return head.rstrip("0123456789") in ROLE_LOCALS or text.rstrip("0123456789") in ROLE_LOCALS


def is_free_mail(domain: str) -> bool:
    """qq.com, 163.com, gmail.com, yahoo.* …: such an address says nothing about the company."""
    registered = registered_domain(domain)
    if not registered:
        return False
    if registered in FREE_MAIL_DOMAINS:
        return True
    return registered.split(".", 1)[0] in FREE_MAIL_BRANDS


def _junk_domain(domain: str) -> bool:
    labels = domain.split(".")
    if labels[-1] in _JUNK_TLDS:
        return True
    if labels[-1] in RESERVED_TLDS:
        return len(labels) < 2
    return not public_suffix(domain)


@lru_cache(maxsize=1 << 16)
def _validated(text: str, test_environment: bool) -> str | None:
    """email-validator's normalised address, or None when the syntax is bad (cached: one
    business's address is on every listing of it)."""
    try:
        result = validate_email(
            text,
            check_deliverability=False,
            test_environment=test_environment,
            allow_smtputf8=True,
        )
    except EmailNotValidError:
        return None
    return str(result.normalized)


def normalise_email(email: Email) -> Email:
    """A copy of ``email`` with address, valid, role, free_mail and masked filled in.

    Junk (``logo@2x.png``, no ``@``, bad syntax) keeps its raw text with ``valid=False`` and
    ``address=None``; a masked address (``s***@qq.com``) stays masked and is never an address.
    """
    base = dataclasses.replace(email, sources=list(email.sources))
    text = _clean(email.raw)
    domain = email_domain(text)
    local = text.rsplit("@", 1)[0] if "@" in text else ""
    base.role = is_role_local(local)
    base.free_mail = bool(domain) and is_free_mail(domain)
    if email.masked or _MASK_RE.search(text):
        return dataclasses.replace(base, address=None, valid=False, masked=True)
    if not domain or not local or _junk_domain(domain):
        return dataclasses.replace(base, address=None, valid=False)
    address = _validated(text, domain.endswith(".test"))
    if address is None:
        return dataclasses.replace(base, address=None, valid=False)
    local, domain = address.rsplit("@", 1)
    return dataclasses.replace(
        base,
        address=address,
        valid=True,
        masked=False,
        role=is_role_local(local),
        free_mail=is_free_mail(domain),
    )
