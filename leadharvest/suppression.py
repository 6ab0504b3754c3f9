"""The do-not-contact list: keys a business must never be exported under again.

A person who asked not to be contacted must stay off every call list, whichever job finds
them next and whatever their company is called on the next site. So the list holds the
keys that identify a business across sources — a normalised e-mail address, an E.164 phone,
a registered domain, a registration id (China's unified social credit code, an ABN …) —
each normalised by the same code that normalises leads, so "Sales@Foo.COM" on the list
matches "sales@foo.com" on a page.

:func:`apply_suppression` is the one filter every export goes through (the job's sheet and
``leadharvest export``); it returns what it left out, so the output can say how many leads
were suppressed instead of silently dropping them. A lead matches when ANY of its keys is
listed: for a do-not-contact request, leaving out one business too many is the safe error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.cn import uscc

from enrich.domain import registered_domain
from enrich.email import is_free_mail, normalise_email
from enrich.phone import normalise_phone
from exports.columns import all_emails, all_phones
from leadharvest.items import Email, Lead, Phone, ReviewPair
from leadharvest.store import Store, SuppressionEntry, normalise_url

KINDS = ("email", "phone", "domain", "regid")
"""What a suppression key can be, in the order ``suppress list`` shows them."""

_ID_LABEL_RE = re.compile(
    r"^(?:ABN|ACN|CRN|UEN|CIN|GSTIN|USCC|REG(?:ISTRATION)?\s*(?:NO|NUMBER)?|统一社会信用代码|"
    r"注册号|信用代码)[\s:：.#-]*",
    re.IGNORECASE,
)


class SuppressionValueError(ValueError):
    """A value given to ``suppress`` that is not a usable key of the kind asked for."""


def normalise_regid(value: str) -> str:
    """``ABN 51 824 753 556`` → ``51824753556``; ``9144 0300 ma5f…`` → ``91440300MA5F…``.

    Pages print ids with labels, spaces and dashes; the key is the bare upper-case id.
    """
    text = unicodedata.normalize("NFKC", value or "").strip()
    text = _ID_LABEL_RE.sub("", text)
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def normalise_key(value: str, kind: str | None = None, *, region: str = "") -> tuple[str, str]:
    """``(kind, normalised value)`` for a value typed by a person; the kind is guessed when
    not given. Raises SuppressionValueError with a message a trainee can act on."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        raise SuppressionValueError("empty value")
    if kind is not None and kind not in KINDS:
        raise SuppressionValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    kind = kind or _guess_kind(text, region)
    if kind == "email":
        email = normalise_email(Email(raw=text))
        if not email.address:
            raise SuppressionValueError(f"not a usable e-mail address: {value!r}")
        return kind, email.address.lower()
    if kind == "phone":
        phone = normalise_phone(Phone(raw=text), region.upper())
        if not phone.e164:
            hint = "" if text.startswith("+") or region else " (add --region CC for a local number)"
            raise SuppressionValueError(f"not a phone number: {value!r}{hint}")
        return kind, phone.e164
    if kind == "domain":
        domain = registered_domain(text)
        if not domain:
            raise SuppressionValueError(f"not a domain or website: {value!r}")
        return kind, domain
    regid = normalise_regid(text)
    if len(regid) < 5 or not any(ch.isdigit() for ch in regid):
        raise SuppressionValueError(f"not a registration id: {value!r}")
    return "regid", regid


def _guess_kind(text: str, region: str) -> str:
    if "@" in text:
        return "email"
    if uscc.is_valid(normalise_regid(text)):
        return "regid"
    if re.search(r"[A-Za-z\u0080-\uffff]", text) and "." in text and not re.search(r"\s", text):
        return "domain"
    if re.fullmatch(r"[+\d\s().\-/]+", text):
        phone = normalise_phone(Phone(raw=text), region.upper())
        if phone.e164 and phone.valid:
            return "phone"
    raise SuppressionValueError(
        f"cannot tell what kind of key {text!r} is; add --kind {'|'.join(KINDS)}"
        + ("" if region or text.startswith("+") else " (or --region CC for a local phone)")
    )


def lead_keys(lead: Lead) -> set[tuple[str, str]]:
    """Every suppression key of a lead: its and its people's e-mails and phones, its website's
    domain and its own e-mail domains (not free-mail ones), its registration id."""
    keys: set[tuple[str, str]] = set()
    for email in all_emails(lead):
        if email.address and not email.masked:
            keys.add(("email", email.address.lower()))
            domain = registered_domain(email.address)
            if domain and not email.free_mail and not is_free_mail(domain):
                keys.add(("domain", domain))
    for phone in all_phones(lead):
        if phone.e164 and not phone.masked:
            keys.add(("phone", phone.e164))
    domain = lead.domain or (registered_domain(lead.website) if lead.website else "")
    if domain:
        keys.add(("domain", domain))
    regid = normalise_regid(lead.registration_id)
    if len(regid) >= 5:
        keys.add(("regid", regid))
    return keys


def entries_for(lead: Lead, reason: str) -> list[SuppressionEntry]:
    """The suppression entries a do-not-contact mark on ``lead`` adds."""
    return [
        SuppressionEntry(kind=kind, value=value, reason=reason, lead_id=lead.lead_id)
        for kind, value in sorted(lead_keys(lead))
    ]


@dataclass
class Suppressed:
    """The leads an export may write, and those the suppression list held back."""

    kept: list[Lead] = field(default_factory=list)
    suppressed: list[Lead] = field(default_factory=list)

    def pairs(self, review: list[ReviewPair]) -> list[ReviewPair]:
        """The borderline pairs whose two leads are both kept: a Review row must not name a
        business the sheet leaves out."""
        if not self.suppressed:
            return list(review)
        gone = {lead.lead_id for lead in self.suppressed}
        return [p for p in review if p.left_id not in gone and p.right_id not in gone]


def apply_suppression(leads: list[Lead], store: Store | str) -> Suppressed:
    """Split ``leads`` by the store's suppression list (and their own do-not-contact mark);
    call it before writing ANY export.

    ``store`` is an open store or a store URL; a SQLite file that does not exist has no list
    (an ``export --input`` run outside any store), and is not created.
    """
    listed: set[tuple[str, str]] = set()
    if isinstance(store, str):
        if _exists(store):
            db = Store(store)
            try:
                listed = {(e.kind, e.value) for e in db.suppression_list()}
            finally:
                db.close()
    else:
        listed = {(e.kind, e.value) for e in store.suppression_list()}
    result = Suppressed()
    for lead in leads:
        # a lead marked do not contact stays out even when it has no key to list (a name only)
        held = lead.verification == "do_not_contact" or bool(listed and lead_keys(lead) & listed)
        (result.suppressed if held else result.kept).append(lead)
    return result


def _exists(url: str) -> bool:
    url = normalise_url(url)
    if not url.startswith("sqlite:"):
        return True
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return bool(path) and path != ":memory:" and Path(path).expanduser().is_file()
