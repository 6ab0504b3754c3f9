"""Dedupe a batch: columns → blocking → comparison levels → Fellegi-Sunter weights → guards →
chain-guarded clustering → merge.

``dedupe_leads`` is the merge; ``dedupe_with_review`` also returns the borderline pairs (near
misses a person should decide on the lead sheet's Review tab), which is what the runner
calls; ``find_clusters`` is the same work without the merge, for the ``dedupe`` command that
writes ``cluster_id`` and the match reason back onto the input rows; ``link`` works on any
``Table`` with any declared model (the benchmarks use it on febrl3 and PATSTAT). The model is
declared in ``config/dedupe.toml`` and validated into ``DedupeSettings`` on load, so a typo in
a threshold is an error naming the key, not a silently different lead sheet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from dedupe.blocking import candidate_pairs
from dedupe.cluster import Cluster, cluster_links, clusters_from_labels
from dedupe.compare import (
    NULL,
    Compared,
    LevelArray,
    PairDecision,
    active,
    check_columns,
    compare_pairs,
    name_score,
)
from dedupe.merge import merge_leads
from dedupe.model import MODEL_SECTIONS, Comparison, Condition, Model, parse_model
from dedupe.scoring import Weights, estimate_m, estimate_u, prior_weights
from dedupe.table import (
    LEAD_COLUMNS,
    SHARED_COLUMNS,
    IntArray,
    LeadKeys,
    Table,
    keys_table,
    lead_table,
)
from enrich.name import own_words
from leadharvest.items import Lead
from leadharvest.settings import ConfigError, load_toml

MAX_REASONS = 10
"""Distinct match reasons kept per merged lead; a 600-record cluster would list 600 otherwise."""

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _default_model() -> Model:
    return DedupeSettings.load().model


@dataclass(frozen=True)
class DedupeSettings:
    """The lead model and the batch-wide rules, as declared in ``config/dedupe.toml``."""

    model: Model = field(default_factory=_default_model)
    shared_contact_limit: int = 3
    portal_domains: frozenset[str] = field(default_factory=frozenset)
    workers: int = -1
    """Threads for rapidfuzz's string comparisons (-1 = every core)."""

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, origin: str = "dedupe.toml"
    ) -> DedupeSettings:
        """Validate the TOML tables; a bad or unknown key raises ConfigError naming it."""
        for section in data:
            if section not in (*MODEL_SECTIONS, "shared"):
                raise ConfigError(f"{origin}: unknown section [{section}]")
        shared = data.get("shared", {})
        if not isinstance(shared, Mapping):
            raise ConfigError(f"{origin}: [shared] must be a table")
        for key in shared:
            if key not in ("shared_contact_limit", "portal_domains"):
                raise ConfigError(f"{origin}: unknown key shared.{key}")
        limit = shared.get("shared_contact_limit", 3)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigError(
                f"{origin}: shared.shared_contact_limit must be a whole number >= 1, not {limit!r}"
            )
        portals = shared.get("portal_domains", [])
        if not isinstance(portals, list) or not all(isinstance(v, str) and v for v in portals):
            raise ConfigError(f"{origin}: shared.portal_domains must be a list of domain names")
        model = parse_model(data, origin=origin, columns=set(LEAD_COLUMNS))
        return cls(
            model=model,
            shared_contact_limit=limit,
            portal_domains=frozenset(v.strip().lower() for v in portals),
        )

    @classmethod
    def load(cls, relative: str = "dedupe.toml") -> DedupeSettings:
        """Read and validate the dedupe configuration from the config folder (once per
        folder: a worker dedupes every page it stores, and validating the model each time
        was an eighth of storing a page)."""
        return _load_settings(os.environ.get("LEADHARVEST_CONFIG", ""), relative)


@cache
def _load_settings(folder: str, relative: str) -> DedupeSettings:
    del folder  # part of the cache key only: load_toml reads LEADHARVEST_CONFIG itself
    return DedupeSettings.from_mapping(load_toml(relative), origin=relative)


@dataclass
class Linkage:
    """Everything one run decided, as arrays over the candidate pairs."""

    table: Table
    model: Model
    comparisons: list[Comparison]
    left: IntArray
    right: IntArray
    compared: Compared
    weights: Weights
    weight: FloatArray
    """Match weight of every pair, in bits."""
    refused: IntArray
    """Index of the guard that refused the pair, or -1."""
    matched: BoolArray
    labels: IntArray
    """Cluster of every record: its smallest member index."""
    used: BoolArray
    """Matched pairs the clustering applied (the chain guard may refuse some)."""

    @property
    def levels(self) -> LevelArray:
        return self.compared.levels

    def reason(self, pair: int) -> str:
        """Why a pair matched (or nearly): the levels that fired, their weights, the total."""
        return "; ".join([*self._level_texts(pair), self._total_text(pair)])

    def _total_text(self, pair: int) -> str:
        return f"match weight {self.weight[pair]:.1f}"

    def _level_texts(self, pair: int) -> list[str]:
        texts = []
        level_weights = self.weights.level_weights()
        for k, comparison in enumerate(self.comparisons):
            index = int(self.levels[pair, k])
            if index == NULL or not comparison.scored:
                continue
            level = comparison.levels[index]
            if not level.reason:
                continue
            text = level.reason.format(
                value=self._value(comparison, pair, level.kind),
                score=self._score(comparison, pair),
            )
            texts.append(f"{text} {float(level_weights[k][index]):+.1f}")
        return texts

    def _value(self, comparison: Comparison, pair: int, kind: str) -> str:
        a, b = int(self.left[pair]), int(self.right[pair])
        column = comparison.column
        if self.table.is_multi(column):
            shared = sorted(set(self.table.multi[column][a]) & set(self.table.multi[column][b]))
            return shared[0] if shared else ""
        x, y = self.table.single[column][a], self.table.single[column][b]
        return min(x, y, key=len) if kind == "contains" else x

    def _score(self, comparison: Comparison, pair: int) -> str:
        scores = self.compared.scores.get(comparison.name)
        if scores is None or np.isnan(scores[pair]):
            return "100"
        value = float(scores[pair])
        jaro = any(lv.scorer.startswith("jaro") for lv in comparison.levels)
        return f"{value:.2f}" if jaro else f"{value:.0f}"


def _condition(
    condition: Condition, levels: LevelArray, positions: dict[str, int], comparisons: list[Any]
) -> BoolArray:
    hold = np.ones(len(levels), dtype=bool)
    for name, label in condition.terms:
        if name not in positions:
            return np.zeros(len(levels), dtype=bool)
        k = positions[name]
        hold &= levels[:, k] == comparisons[k].level(label)
    return hold


def guards_refusing(model: Model, comparisons: list[Comparison], levels: LevelArray) -> IntArray:
    """For every pair, a guard that forbids its merge (-1 = none).

    Guards without ``review`` go first: a pair one of them refuses is not borderline even if
    a reviewable guard refuses it too ("Store 12" / "Store 21" in one city).
    """
    positions = {c.name: k for k, c in enumerate(comparisons)}
    refused = np.full(len(levels), -1, dtype=np.int64)
    for g in sorted(range(len(model.guards)), key=lambda g: model.guards[g].review):
        guard = model.guards[g]
        when = np.zeros(len(levels), dtype=bool)
        for condition in guard.when:
            when |= _condition(condition, levels, positions, comparisons)
        for condition in guard.unless:
            when &= ~_condition(condition, levels, positions, comparisons)
        refused[when & (refused < 0)] = g
    return refused


def score_pairs(
    table: Table,
    model: Model,
    left: IntArray,
    right: IntArray,
    *,
    estimate: bool = True,
    workers: int = -1,
) -> tuple[list[Comparison], Compared, Weights, FloatArray, IntArray]:
    """Levels, weights (estimated from the batch when it is big enough) and guards.

    Comparisons that only feed guards (``scored = false``) are made only for the pairs a
    guard could change: those whose weight reaches the threshold, or comes within the review
    margin of it. A guard only ever refuses, so for every other pair its answer is moot, and
    at a million leads the word-swap comparison alone took 3 of 24 seconds.
    """
    comparisons = active(table, model)
    guard_only = [k for k, c in enumerate(comparisons) if not c.scored]
    weights = prior_weights(comparisons, model)
    if estimate:  # u first: its random pairs are freed before the blocked pairs' levels exist
        weights = estimate_u(table, comparisons, weights, model)
    compared = compare_pairs(
        table, comparisons, left, right, workers=workers, skip=guard_only, last_use=True
    )
    if estimate:
        weights = estimate_m(compared.levels, weights, model)
    weight = weights.match_weight(compared.levels)
    if guard_only:
        near = np.flatnonzero(weight >= model.threshold - model.review_margin)
        some = [comparisons[k] for k in guard_only]
        found = compare_pairs(table, some, left[near], right[near], workers=workers)
        for j, k in enumerate(guard_only):
            compared.levels[near, k] = found.levels[:, j]
            if some[j].name in found.scores:
                scores = np.full(len(left), np.nan, dtype=np.float32)
                scores[near] = found.scores[some[j].name]
                compared.scores[some[j].name] = scores
    refused = guards_refusing(model, comparisons, compared.levels)
    return comparisons, compared, weights, weight, refused


def link(table: Table, model: Model, *, estimate: bool = True, workers: int = -1) -> Linkage:
    """Cluster any table of records with any declared model."""
    try:
        check_columns(table, model)
    except ValueError as error:
        raise ConfigError(f"model {model.name}: {error}") from None
    order = model.chain_column or model.comparisons[0].column
    blocked = candidate_pairs(table, model.blocking, order_column=order)
    left, right = blocked.left, blocked.right
    comparisons, compared, weights, weight, refused = score_pairs(
        table, model, left, right, estimate=estimate, workers=workers
    )
    matched = (weight >= model.threshold) & (refused < 0)
    names: Sequence[str] | None = None
    trusted: BoolArray | None = None
    picked = np.flatnonzero(matched)
    if model.chain_column and model.chain_column in table.single:
        names = table.single[model.chain_column]
        # a link that would be made even if the names had nothing in common (same domain,
        # same phone and e-mail) does not rest on the names: the chain guard lets it through
        alternative = compared.levels[picked].copy()
        for k, comparison in enumerate(comparisons):
            if comparison.column == model.chain_column:
                column = alternative[:, k]
                column[column != NULL] = len(comparison.levels) - 1
        trusted = (weights.match_weight(alternative) >= model.threshold) & (
            guards_refusing(model, comparisons, alternative) < 0
        )
    labels, used_of_picked = cluster_links(
        table.n,
        left[picked],
        right[picked],
        weight[picked],
        names=names,
        min_similarity=model.chain_min_similarity if names is not None else 0.0,
        established_share=model.chain_established_share,
        own_words=own_words if model.chain_own_words else None,
        name_codes=table.codes(model.chain_column)[0] if names is not None else None,
        trusted=trusted,
    )
    used = np.zeros(len(left), dtype=bool)
    used[picked[used_of_picked]] = True
    return Linkage(
        table, model, comparisons, left, right, compared, weights, weight, refused, matched,
        labels, used,
    )  # fmt: skip


def _settings_table(leads: Sequence[Lead], settings: DedupeSettings) -> Table:
    table = lead_table(leads, ignore_domains=settings.portal_domains)
    return table.without_shared(SHARED_COLUMNS, "name", settings.shared_contact_limit)


def find_clusters_of_keys(
    keys: Sequence[LeadKeys], *, settings: DedupeSettings | None = None
) -> list[Cluster]:
    """:func:`find_clusters` from each lead's matching keys (``lead_keys`` with the settings'
    portal domains), for callers that keep only the keys: the ``dedupe`` command holds a
    million rows as keys, about a tenth of the memory of the leads."""
    s = settings or DedupeSettings.load()
    table = keys_table(keys).without_shared(SHARED_COLUMNS, "name", s.shared_contact_limit)
    return _clusters(link(table, s.model, workers=s.workers))


def _clusters(linkage: Linkage) -> list[Cluster]:
    groups = clusters_from_labels(linkage.labels)
    used = np.flatnonzero(linkage.used)
    by_cluster: dict[int, list[int]] = {}
    order = used[np.lexsort((-linkage.weight[used], linkage.labels[linkage.left[used]]))]
    for pair, label in zip(
        order.tolist(), linkage.labels[linkage.left[order]].tolist(), strict=True
    ):
        by_cluster.setdefault(label, []).append(pair)
    return [
        Cluster(
            group,
            list(dict.fromkeys(linkage.reason(p) for p in by_cluster.get(group[0], []))),
        )
        for group in groups
    ]


@dataclass(frozen=True)
class Borderline:
    """Two records that did not merge but may be one business: a person decides."""

    left: int
    right: int
    """Indices into the leads given (``left < right``)."""
    score: float
    """Name similarity 0..100."""
    reason: str
    """The levels that fired with their weights, and the total against the threshold, e.g.
    "similar name (86) +4.3; same city sydney +0.8; match weight -0.8, merge needs 0.0"."""


def borderline_pairs(linkage: Linkage) -> list[Borderline]:
    """Pairs that did not merge but came close: a person should look at them.

    Close means either a guard marked ``review`` refused a pair its weight would have merged
    (a shared number with different names), or the weight fell at most ``review.margin``
    bits short of the threshold while at least ``review.min_support`` comparisons other
    than the name agreed (a city, a postcode, a person). Never changes what merges.
    """
    model = linkage.model
    if not len(linkage.left):
        return []
    weight, refused = linkage.weight, linkage.refused
    reviewable = np.array([g.review for g in model.guards] + [True], dtype=bool)[refused]
    level_weights = linkage.weights.level_weights()
    support = np.zeros(len(weight), dtype=np.int64)
    for k, comparison in enumerate(linkage.comparisons):
        if comparison.column == model.chain_column or not comparison.scored:
            continue
        support += np.append(level_weights[k], 0.0)[linkage.levels[:, k]] > 0
    labels = linkage.labels
    apart = labels[linkage.left] != labels[linkage.right]
    may_review = (refused < 0) | reviewable
    by_guard = (refused >= 0) & reviewable & (weight >= model.threshold)
    near = (weight < model.threshold) & (weight >= model.threshold - model.review_margin)
    chosen = apart & may_review & (by_guard | near) & (support >= model.review_min_support)
    names = linkage.table.single.get(model.chain_column or "name", [""] * linkage.table.n)
    out = []
    for pair in np.flatnonzero(chosen).tolist():
        a, b = int(linkage.left[pair]), int(linkage.right[pair])
        texts = linkage._level_texts(pair)
        if refused[pair] >= 0:
            texts.append(f"not merged: {model.guards[int(refused[pair])].reason}")
        texts.append(f"{linkage._total_text(pair)}, merge needs {model.threshold:.1f}")
        out.append(Borderline(a, b, name_score(names[a], names[b]), "; ".join(texts)))
    return out


def find_clusters(
    leads: Sequence[Lead], *, settings: DedupeSettings | None = None
) -> list[Cluster]:
    """Clusters of indices into ``leads`` (every lead in exactly one), with match reasons."""
    s = settings or DedupeSettings.load()
    return _clusters(link(_settings_table(leads, s), s.model, workers=s.workers))


@dataclass
class Deduped:
    """One lead per business, and the borderline pairs between those leads."""

    leads: list[Lead]
    review: list[Borderline]
    """Indices into ``leads``; at most one pair per two leads (the best-scoring one)."""


def dedupe_leads(leads: list[Lead], *, settings: DedupeSettings | None = None) -> list[Lead]:
    """One lead per business, in the order each business first appears in ``leads``.

    A lead with no duplicate is returned as it is; a cluster becomes a new merged lead with
    all evidence and the reasons it matched. The input leads are not changed.
    """
    return _dedupe(leads, settings or DedupeSettings.load(), review=False).leads


def dedupe_with_review(leads: list[Lead], *, settings: DedupeSettings | None = None) -> Deduped:
    """``dedupe_leads`` plus the near misses a person should look at.

    The merged leads are exactly ``dedupe_leads``' (the review never changes a merge); a
    borderline pair whose two records ended up in one lead anyway is dropped.
    """
    return _dedupe(leads, settings or DedupeSettings.load(), review=True)


def _dedupe(leads: list[Lead], settings: DedupeSettings, *, review: bool) -> Deduped:
    linkage = link(_settings_table(leads, settings), settings.model, workers=settings.workers)
    clusters = _clusters(linkage)
    borderline = borderline_pairs(linkage) if review else []
    out: list[Lead] = []
    position: dict[int, int] = {}
    for cluster in clusters:
        for member in cluster.members:
            position[member] = len(out)
        if len(cluster.members) == 1:
            out.append(leads[cluster.members[0]])
            continue
        reasons = cluster.reasons[:MAX_REASONS]
        if len(cluster.reasons) > MAX_REASONS:
            reasons.append(f"… and {len(cluster.reasons) - MAX_REASONS} more links")
        out.append(merge_leads([leads[m] for m in cluster.members], reasons=reasons))
    pairs: dict[tuple[int, int], Borderline] = {}
    for pair in borderline:
        left, right = sorted((position[pair.left], position[pair.right]))
        if left == right:
            continue
        best = pairs.get((left, right))
        if best is None or pair.score > best.score:
            pairs[(left, right)] = Borderline(left, right, pair.score, pair.reason)
    return Deduped(out, [pairs[key] for key in sorted(pairs)])


def same_business(a: Lead, b: Lead, *, settings: DedupeSettings | None = None) -> PairDecision:
    """Decide one pair outside a batch (a stored lead against a new one) by the same model.

    The store uses it when a re-run brings a lead that shares a key with a stored one: a
    shared switchboard number alone must not make two businesses one, here as in a batch.
    The declared priors are used (one pair says nothing about m and u).
    """
    s = settings or DedupeSettings.load()
    table = lead_table([a, b], ignore_domains=s.portal_domains)
    left, right = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    comparisons, compared, weights, weight, refused = score_pairs(
        table, s.model, left, right, estimate=False, workers=1
    )
    linkage = Linkage(
        table, s.model, comparisons, left, right, compared, weights, weight, refused,
        np.zeros(1, dtype=bool), np.arange(2, dtype=np.int64), np.zeros(1, dtype=bool),
    )  # fmt: skip
    match = bool(weight[0] >= s.model.threshold and refused[0] < 0)
    reason = linkage.reason(0)
    if refused[0] >= 0:
        reason += f"; not merged: {s.model.guards[int(refused[0])].reason}"
    names = table.single["name"]
    return PairDecision(match, int(match), name_score(names[0], names[1]), reason, float(weight[0]))
