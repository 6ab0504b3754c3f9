"""Records as columns: what blocking and comparison work on, in numpy arrays.

A million leads cannot be compared one Python object at a time, so every lead is boiled down
once to a row of plain values (its name key, E.164 phones, e-mail addresses, domains, city
…) and every column is encoded once as integer codes. Single-valued columns hold one text
per record ("" = missing); multi-valued ones (phones, e-mails) a tuple of texts. A benchmark
or the CSV command can build a ``Table`` from any columns; ``lead_table`` builds the lead
model's columns from ``Lead`` records.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from enrich import name as name_module
from enrich.domain import registered_domain
from enrich.email import is_free_mail, normalise_email
from enrich.name import name_tokens, normalise_name
from enrich.phone import normalise_phone, region_for
from enrich.regions import cn_regions
from leadharvest.items import Lead

_T = TypeVar("_T")

IntArray = npt.NDArray[np.int64]

LEAD_COLUMNS = frozenset(
    {
        "name",
        "name_numbers",
        "name_tokens",
        "pinyin",
        "phones",
        "emails",
        "domains",
        "city",
        "country",
        "postcode",
        "people",
    }
)
"""The columns ``lead_table`` fills; the lead model in config/dedupe.toml may use these."""
MULTI_LEAD_COLUMNS = frozenset({"name_tokens", "phones", "emails", "domains", "people"})
SHARED_COLUMNS = ("phones", "emails", "domains")
"""Contacts that stop being evidence when many different names carry them."""


def factorise(values: Iterable[str]) -> tuple[IntArray, list[str]]:
    """Integer codes for texts ("" → -1) and the distinct texts, in order of first sight.

    ``dict.fromkeys`` and ``map`` run the loop in C: at a million values this is a tenth of
    the time of a Python comprehension, and it runs for every column.
    """
    items = values if isinstance(values, list) else list(values)
    distinct = [v for v in dict.fromkeys(items) if v != ""]
    index = {v: i for i, v in enumerate(distinct)}
    index[""] = -1
    codes = np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))
    return codes, distinct


@dataclass
class Table:
    """Columns of ``n`` records; codes are computed once, on first use."""

    n: int
    single: dict[str, list[str]] = field(default_factory=dict)
    multi: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    _codes: dict[str, tuple[IntArray, list[str]]] = field(default_factory=dict, repr=False)
    _exploded: dict[str, tuple[IntArray, IntArray, list[str]]] = field(
        default_factory=dict, repr=False
    )
    _words: dict[str, tuple[npt.NDArray[np.int32], IntArray]] = field(
        default_factory=dict, repr=False
    )
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[Any]]) -> Table:
        """Columns of texts, or of lists/tuples of texts for multi-valued ones."""
        lengths = {len(values) for values in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns differ in length: {sorted(lengths)}")
        table = cls(n=lengths.pop() if lengths else 0)
        for name, values in columns.items():
            if values and isinstance(values[0], list | tuple):
                table.multi[name] = [tuple(v) for v in values]
            else:
                table.single[name] = [str(v) if v is not None else "" for v in values]
        return table

    def memo(self, key: tuple[str, str], build: Callable[[], _T]) -> _T:
        """A value derived from a column, built once per table: name order serves both the
        order inside blocks and the name-order rule, and the random pairs that estimate u
        and the blocked pairs read the same prepared names."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def drop_memo(self) -> None:
        """Forget the values :meth:`memo` made: at a million records the prepared names are
        about 80 MB that the comparisons after the name's need more."""
        self._memo.clear()

    def has(self, column: str) -> bool:
        return column in self.single or column in self.multi

    def is_multi(self, column: str) -> bool:
        return column in self.multi

    def codes(self, column: str) -> tuple[IntArray, list[str]]:
        """Per-record code of a single-valued column (-1 = missing) and the distinct values."""
        if column not in self._codes:
            self._codes[column] = factorise(self.single[column])
        return self._codes[column]

    def exploded(self, column: str) -> tuple[IntArray, IntArray, list[str]]:
        """Record index and value code for every value of a column (single or multi)."""
        if column not in self._exploded:
            if column in self.single:
                codes, distinct = self.codes(column)
                keep = np.flatnonzero(codes >= 0)
                self._exploded[column] = (keep, codes[keep], distinct)
            else:
                values = self.multi[column]
                counts = np.fromiter(map(len, values), dtype=np.int64, count=self.n)
                records = np.repeat(np.arange(self.n, dtype=np.int64), counts)
                codes, distinct = factorise(list(itertools.chain.from_iterable(values)))
                present = codes >= 0
                self._exploded[column] = (records[present], codes[present], distinct)
        return self._exploded[column]

    def words(self, column: str) -> tuple[npt.NDArray[np.int32], IntArray]:
        """Word codes of every distinct value of a single-valued column (``distinct × k``,
        -1 padded, at most 8 words) and on how many records each word appears.

        Term frequencies for word-level comparisons: a word on thousands of records is
        vocabulary ("tiles", "international"), one on a handful is a name or a typo.
        """
        if column not in self._words:
            codes, distinct = self.codes(column)
            # two passes over the texts rather than a list of every name's words: at a
            # million leads that list alone is a hundred megabytes of small strings
            lengths = np.fromiter(
                (min(len(v.split()), 8) for v in distinct), dtype=np.int64, count=len(distinct)
            )
            width = int(lengths.max(initial=1)) or 1
            word_codes, vocabulary = factorise(w for v in distinct for w in v.split()[:8])
            matrix = np.full((len(distinct), width), -1, dtype=np.int32)
            rows = np.repeat(np.arange(len(distinct)), lengths)
            slots = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            matrix[rows, slots] = word_codes
            per_value = np.bincount(codes[codes >= 0], minlength=len(distinct))
            counts = np.bincount(word_codes, weights=per_value[rows], minlength=len(vocabulary))
            self._words[column] = (matrix, counts.astype(np.int64))
        return self._words[column]

    def padded(self, column: str, width: int = 6) -> IntArray:
        """``n × k`` value codes of a multi-valued column, -1 padded (at most ``width``)."""
        records, codes, _ = self.exploded(column)
        if not len(records):
            return np.full((self.n, 1), -1, dtype=np.int64)
        order = np.argsort(records, kind="stable")
        records, codes = records[order], codes[order]
        starts = np.searchsorted(records, records, side="left")
        slot = np.arange(len(records)) - starts
        k = int(min(width, slot.max() + 1))
        out = np.full((self.n, k), -1, dtype=np.int64)
        keep = slot < k
        out[records[keep], slot[keep]] = codes[keep]
        return out

    def without_shared(self, columns: Sequence[str], by: str, limit: int) -> Table:
        """A copy where a value seen with more than ``limit`` distinct ``by`` values is gone.

        A number printed on listings of many differently named businesses is a directory's
        call centre or a portal, not the business's own contact: neither a block nor evidence.
        """
        names, _ = self.codes(by)
        anonymous = names < 0
        names = np.where(anonymous, -1 - np.arange(self.n), names)  # nameless: each its own
        out = Table(self.n, dict(self.single), dict(self.multi))
        out._codes = dict(self._codes)
        out._exploded = dict(self._exploded)
        for column in columns:
            if column not in self.multi:
                continue
            records, codes, distinct = self.exploded(column)
            out._exploded[column] = (records, codes, distinct)
            if not len(codes):
                continue
            # distinct (value, name) pairs as one sorted int64 key: a 2-D unique sorts rows
            # through a structured view, 30x slower at a million values
            span = 2 * self.n + 1  # names run from -n (nameless) to n - 1
            key = codes.astype(np.int64) * span + (names[records] + self.n)
            key.sort()
            first = np.ones(len(key), dtype=bool)
            first[1:] = key[1:] != key[:-1]
            per_value = np.bincount(key[first] // span, minlength=len(distinct))
            shared = per_value > limit
            if not shared.any():
                continue
            gone_at = shared[codes]
            # only the records that carry a shared value get a new tuple: a million new
            # tuples per column would be hundreds of megabytes for a few thousand changes
            values = list(self.multi[column])
            gone = {distinct[i] for i in np.flatnonzero(shared)}
            for record in np.unique(records[gone_at]).tolist():
                values[record] = tuple(v for v in values[record] if v not in gone)
            out.multi[column] = values
            out._exploded[column] = (records[~gone_at], codes[~gone_at], distinct)
        return out


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    for suffix in ("市", " city"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
    return text.strip()


def city_key(text: str) -> str:
    """The city as dedupe compares it: folded, and a Chinese city written in pinyin
    ("Shenzhen") as its Chinese name (深圳), so a 1688 listing and an Alibaba listing of one
    supplier are in one city. A pinyin that two cities share stays as written."""
    folded = _fold(text)
    if folded.isascii():
        spelt = re.sub(r"[\s'’-]", "", folded)
        city = cn_regions().city_by_pinyin.get(spelt)
        return city.short if city else folded
    return folded


_NUMBER_RE = re.compile(r"\d+")


def name_numbers(key: str) -> str:
    """The numbers in a name key, as one sortable text ("-" when it has none, "" if no name).

    "Store 12" and "Store 21" are near-identical text but different businesses.
    """
    if not key:
        return ""
    return " ".join(sorted(set(_NUMBER_RE.findall(key)))) or "-"


@dataclass(frozen=True)
class LeadKeys:
    """What one lead is compared by, computed once per lead."""

    name: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    domains: tuple[str, ...]
    city: str = ""
    country: str = ""
    postcode: str = ""
    people: tuple[str, ...] = ()


def lead_keys(lead: Lead, *, ignore_domains: Collection[str] = ()) -> LeadKeys:
    """Matching keys of one lead, enriching on the fly what the lead does not carry yet.

    Masked and unparsed contacts give no key; free-mail and portal domains (``ignore_domains``)
    are not the company's domain and give none either.
    """
    region = ""
    phones: dict[str, None] = {}
    emails: dict[str, None] = {}
    domains: dict[str, None] = {}
    for phone in [*lead.phones, *(p for person in lead.people for p in person.phones)]:
        if phone.masked:
            continue
        e164 = phone.e164
        if not e164 and phone.raw:
            region = region or region_for(lead, "")
            e164 = normalise_phone(phone, region).e164
        if e164:
            phones[e164] = None
    for email in [*lead.emails, *(e for person in lead.people for e in person.emails)]:
        if email.masked:
            continue
        parsed = email if email.address else normalise_email(email)
        if parsed.address and parsed.valid:
            emails[parsed.address.lower()] = None
            domain = registered_domain(parsed.address)
            if domain and not parsed.free_mail and not is_free_mail(domain):
                domains[domain] = None
    site = lead.domain or (registered_domain(lead.website) if lead.website else "")
    if site and not is_free_mail(site):
        domains[site] = None
    return LeadKeys(
        name=lead.normalized_name or normalise_name(lead.name),
        phones=tuple(phones),
        emails=tuple(emails),
        domains=tuple(d for d in domains if d not in ignore_domains),
        city=city_key(lead.city),
        country=_fold(lead.country),
        postcode="".join(lead.postcode.split()).casefold(),
        people=tuple(
            dict.fromkeys(
                " ".join(unicodedata.normalize("NFKC", p.name).casefold().split())
                for p in lead.people
                if p.name.strip()
            )
        ),
    )


def _pinyin(key: str) -> str:
    """The pinyin key when enrich.name offers one (mixed-script matching), else ""."""
    function = getattr(name_module, "pinyin_key", None)
    if function is None or not key:
        return ""
    return str(function(key))


def has_pinyin() -> bool:
    return getattr(name_module, "pinyin_key", None) is not None


def keys_table(keys: Sequence[LeadKeys]) -> Table:
    """The lead model's columns from precomputed keys."""
    pinyin = has_pinyin()
    columns: dict[str, Sequence[Any]] = {
        "name": [k.name for k in keys],
        "name_numbers": [name_numbers(k.name) for k in keys],
        "city": [k.city for k in keys],
        "country": [k.country for k in keys],
        "postcode": [k.postcode for k in keys],
    }
    table = Table.from_columns(columns)
    table.multi["name_tokens"] = [tuple(name_tokens(k.name)) for k in keys]
    table.multi["phones"] = [k.phones for k in keys]
    table.multi["emails"] = [k.emails for k in keys]
    table.multi["domains"] = [k.domains for k in keys]
    table.multi["people"] = [k.people for k in keys]
    if pinyin:
        table.single["pinyin"] = [_pinyin(k.name) for k in keys]
    return table


def lead_table(leads: Sequence[Lead], *, ignore_domains: Collection[str] = ()) -> Table:
    """The lead model's columns for a batch of leads."""
    return keys_table([lead_keys(lead, ignore_domains=ignore_domains) for lead in leads])
