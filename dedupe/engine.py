"""Dedupe a batch of leads: keys → blocking → pair rules → guarded clustering → merge.

``dedupe_leads`` is what the runner calls; ``find_clusters`` is the same work without the
merge, for the ``dedupe`` command that writes ``cluster_id`` and the match reason back onto
the input rows. Everything the rules depend on is in ``config/dedupe.toml`` and validated
into ``DedupeSettings`` on load, so a typo in a threshold is an error naming the key, not a
silently different lead sheet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dedupe.blocking import candidate_pairs
from dedupe.cluster import Cluster, Edge, cluster_edges
from dedupe.compare import (
    CONTACT_AND_NAME,
    SCORERS,
    LeadKeys,
    PairDecision,
    compare_pair,
    lead_keys,
    name_score,
)
from dedupe.merge import merge_leads
from leadharvest.items import Lead
from leadharvest.settings import ConfigError, load_toml

MAX_REASONS = 10
"""Distinct match reasons kept per merged lead; a 600-record cluster would list 600 otherwise."""


@dataclass(frozen=True)
class DedupeSettings:
    """The dedupe model as declared in ``config/dedupe.toml`` (see the comments there)."""

    name_high: float = 92.0
    name_low: float = 75.0
    scorer: str = "token_sort_ratio"
    compact: bool = True
    cluster_min_similarity: float = 50.0
    max_block_size: int = 100
    window: int = 10
    max_scored_block: int = 1000
    min_token_length: int = 2
    shared_contact_limit: int = 3
    portal_domains: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, origin: str = "dedupe.toml"
    ) -> DedupeSettings:
        """Validate the TOML tables; a bad or unknown key raises ConfigError naming it."""
        sections: dict[str, tuple[str, ...]] = {
            "thresholds": ("name_high", "name_low", "scorer", "compact", "cluster_min_similarity"),
            "blocking": ("max_block_size", "window", "max_scored_block", "min_token_length"),
            "shared": ("shared_contact_limit", "portal_domains"),
        }
        values: dict[str, Any] = {}
        for section, table in data.items():
            if section not in sections:
                raise ConfigError(f"{origin}: unknown section [{section}]")
            if not isinstance(table, Mapping):
                raise ConfigError(f"{origin}: [{section}] must be a table")
            for key, value in table.items():
                if key not in sections[section]:
                    raise ConfigError(f"{origin}: unknown key {section}.{key}")
                values[key] = _check(f"{origin}: {section}.{key}", key, value)
        settings = cls(**values)
        if settings.name_low > settings.name_high:
            raise ConfigError(
                f"{origin}: thresholds.name_low ({settings.name_low}) must not exceed "
                f"thresholds.name_high ({settings.name_high})"
            )
        return settings

    @classmethod
    def load(cls, relative: str = "dedupe.toml") -> DedupeSettings:
        """Read and validate the dedupe configuration from the config folder."""
        return cls.from_mapping(load_toml(relative), origin=relative)


def _check(where: str, key: str, value: Any) -> Any:
    if key in ("name_high", "name_low", "cluster_min_similarity"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError(f"{where} must be a number from 0 to 100, not {value!r}")
        return float(value)
    if key == "compact":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if key == "scorer":
        if value not in SCORERS:
            raise ConfigError(f"{where} must be one of {', '.join(SCORERS)}, not {value!r}")
        return value
    if key == "portal_domains":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{where} must be a list of domain names")
        return frozenset(v.strip().lower() for v in value)
    minimum = {
        "max_block_size": 2,
        "window": 1,
        "max_scored_block": 0,
        "min_token_length": 1,
        "shared_contact_limit": 1,
    }
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum[key]:
        raise ConfigError(f"{where} must be a whole number >= {minimum[key]}, not {value!r}")
    return value


def _shared_keys(records: Sequence[LeadKeys], limit: int) -> set[str]:
    """Phones, e-mails and domains seen with more than ``limit`` different names.

    Such a value is a directory's call centre or a portal, not the business's own contact,
    so it is neither a block nor evidence.
    """
    names: dict[str, set[str]] = defaultdict(set)
    for keys in records:
        label = keys.name or f"#{keys.index}"
        for phone in keys.phones:
            names[f"phone:{phone}"].add(label)
        for email in keys.emails:
            names[f"email:{email}"].add(label)
        for domain in keys.domains:
            names[f"domain:{domain}"].add(label)
    return {key for key, seen in names.items() if len(seen) > limit}


def _without(keys: LeadKeys, shared: set[str]) -> LeadKeys:
    if not shared:
        return keys
    return replace(
        keys,
        phones=frozenset(p for p in keys.phones if f"phone:{p}" not in shared),
        emails=frozenset(e for e in keys.emails if f"email:{e}" not in shared),
        domains=frozenset(d for d in keys.domains if f"domain:{d}" not in shared),
    )


def find_clusters(
    leads: Sequence[Lead], *, settings: DedupeSettings | None = None
) -> list[Cluster]:
    """Clusters of indices into ``leads`` (every lead in exactly one), with match reasons."""
    settings = settings or DedupeSettings.load()
    raw = [
        lead_keys(lead, i, ignore_domains=settings.portal_domains) for i, lead in enumerate(leads)
    ]
    shared = _shared_keys(raw, settings.shared_contact_limit)
    records = [_without(keys, shared) for keys in raw]
    blocking = candidate_pairs(
        records,
        max_block_size=settings.max_block_size,
        window=settings.window,
        min_token_length=settings.min_token_length,
        scorer=SCORERS[settings.scorer],
        name_cutoff=settings.name_high,
        contact_cutoff=settings.name_low,
        max_scored_block=settings.max_scored_block,
        compact_names=settings.compact,
    )
    edges = []
    for i, j in sorted(blocking.pairs):
        decision = compare_pair(
            records[i],
            records[j],
            name_high=settings.name_high,
            name_low=settings.name_low,
            scorer=settings.scorer,
            compact=settings.compact,
        )
        if decision.match:
            edges.append(Edge(i, j, decision.strength, decision.score, decision.reason))

    names_of: dict[tuple[int, ...], set[str]] = {}

    def distinct_names(members: list[int]) -> set[str]:
        key = (members[0], len(members))
        if key not in names_of:
            names_of[key] = {records[m].name for m in members if records[m].name}
        return names_of[key]

    def can_join(left: list[int], right: list[int], edge: Edge) -> bool:
        """Refuse a name-based link between clusters whose names are not all alike."""
        if edge.strength > CONTACT_AND_NAME or settings.cluster_min_similarity <= 0:
            return True
        for a in distinct_names(left):
            for b in distinct_names(right):
                score = name_score(a, b, scorer=settings.scorer, compact=settings.compact)
                if score < settings.cluster_min_similarity:
                    return False
        return True

    return cluster_edges(len(leads), edges, can_join=can_join)


def dedupe_leads(leads: list[Lead], *, settings: DedupeSettings | None = None) -> list[Lead]:
    """One lead per business, in the order each business first appears in ``leads``.

    A lead with no duplicate is returned as it is; a cluster becomes a new merged lead with
    all evidence and the reasons it matched. The input leads are not changed.
    """
    out = []
    for cluster in find_clusters(leads, settings=settings):
        if len(cluster.members) == 1:
            out.append(leads[cluster.members[0]])
            continue
        reasons = cluster.reasons[:MAX_REASONS]
        if len(cluster.reasons) > MAX_REASONS:
            reasons.append(f"… and {len(cluster.reasons) - MAX_REASONS} more links")
        out.append(merge_leads([leads[m] for m in cluster.members], reasons=reasons))
    return out


def same_business(a: Lead, b: Lead, *, settings: DedupeSettings | None = None) -> PairDecision:
    """Decide one pair outside a batch (a stored lead against a new one) by the same rules.

    The store uses it when a re-run brings a lead that shares a key with a stored one: a
    shared switchboard number alone must not make two businesses one, here as in a batch.
    """
    s = settings or DedupeSettings.load()
    return compare_pair(
        lead_keys(a, 0, ignore_domains=s.portal_domains),
        lead_keys(b, 1, ignore_domains=s.portal_domains),
        name_high=s.name_high,
        name_low=s.name_low,
        scorer=s.scorer,
        compact=s.compact,
    )
