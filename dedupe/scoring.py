"""Fellegi-Sunter scoring without labels: m and u per level, match weights per pair.

For every comparison level, ``m`` is how often two records of one business show it and
``u`` how often two different businesses do; a pair's match weight is the prior log-odds
plus the sum of log2(m/u) over its levels (a missing value, level -1, adds nothing). The
model declares priors for both. A batch big enough to say something about itself re-estimates
them as splink does, without a single label: ``u`` from random pairs (almost all of which
are different businesses) and ``m`` and the match share by expectation-maximisation over the
blocked pairs, with ``u`` held fixed. EM runs on the distinct level patterns with their
counts, so it costs the same for a thousand pairs as for ten million.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dedupe.compare import NULL, LevelArray, compare_pairs
from dedupe.model import Comparison, Model
from dedupe.table import Table

FloatArray = npt.NDArray[np.float64]
FLOOR = 1e-6


@dataclass
class Weights:
    """m and u per comparison level and the match share among blocked pairs."""

    m: list[FloatArray]
    u: list[FloatArray]
    prior: float
    scored: list[bool]
    u_estimated: bool = False
    em_iterations: int = 0

    def level_weights(self) -> list[FloatArray]:
        """log2(m/u) per level; 0 for comparisons that only feed guards."""
        return [
            np.log2(m / u) if scored else np.zeros_like(m)
            for m, u, scored in zip(self.m, self.u, self.scored, strict=True)
        ]

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1 - self.prior))

    def match_weight(self, levels: LevelArray) -> FloatArray:
        """Prior log-odds plus every level's weight, for every pair (row of ``levels``)."""
        total = np.full(len(levels), self.prior_weight, dtype=np.float64)
        for k, weights in enumerate(self.level_weights()):
            column = levels[:, k]
            # index -1 (null) reads an appended 0
            total += np.append(weights, 0.0)[column]
        return total


def _normalised(values: list[float]) -> FloatArray:
    array = np.maximum(np.array(values, dtype=np.float64), FLOOR)
    return np.asarray(array / array.sum())


def prior_weights(comparisons: list[Comparison], model: Model) -> Weights:
    """The declared m and u, normalised per comparison."""
    return Weights(
        m=[_normalised([lv.m for lv in c.levels]) for c in comparisons],
        u=[_normalised([lv.u for lv in c.levels]) for c in comparisons],
        prior=model.prior,
        scored=[c.scored for c in comparisons],
    )


def estimate_u(
    table: Table, comparisons: list[Comparison], weights: Weights, model: Model
) -> Weights:
    """u from random pairs: nearly every random pair is two different entities.

    A level no random pair showed keeps a floor of one count in the sample, so an exact name
    match weighs a lot, but not infinitely.
    """
    n = table.n
    if n < model.estimate.u_min_records:
        return weights
    rng = np.random.default_rng(model.estimate.seed)
    size = int(min(model.estimate.u_max_pairs, n * (n - 1) // 2))
    left = rng.integers(0, n, size=size, dtype=np.int64)
    right = rng.integers(0, n - 1, size=size, dtype=np.int64)
    right = right + (right >= left)  # never a record with itself
    unscored = [k for k, c in enumerate(comparisons) if not c.scored]  # weigh nothing
    levels = compare_pairs(table, comparisons, left, right, skip=unscored).levels
    u = []
    for k, comparison in enumerate(comparisons):
        column = levels[:, k]
        counts = np.bincount(column[column != NULL], minlength=len(comparison.levels))
        total = counts.sum()
        if total < 100:
            u.append(weights.u[k])
            continue
        u.append(_normalised(list((counts + 1.0) / (total + len(counts)))))
    return Weights(weights.m, u, weights.prior, weights.scored, True, weights.em_iterations)


def estimate_m(levels: LevelArray, weights: Weights, model: Model) -> Weights:
    """m and the match share by EM over the blocked pairs' level patterns (u fixed)."""
    if len(levels) < model.estimate.em_min_pairs or model.estimate.em_iterations == 0:
        return weights
    radix = int(levels.max(initial=0)) + 2
    codes = np.zeros(len(levels), dtype=np.int64)
    for k in range(levels.shape[1]):
        codes = codes * radix + (levels[:, k].astype(np.int64) + 1)
    unique, counts = np.unique(codes, return_counts=True)
    patterns = np.empty((len(unique), levels.shape[1]), dtype=np.int64)
    rest = unique.copy()
    for k in range(levels.shape[1] - 1, -1, -1):
        patterns[:, k] = rest % radix - 1
        rest //= radix
    count = counts.astype(np.float64)
    m = [a.copy() for a in weights.m]
    u = weights.u
    prior = weights.prior
    scored = [k for k, s in enumerate(weights.scored) if s]
    fixed_prior = not model.estimate.prior
    iterations = 0
    for iterations in range(1, model.estimate.em_iterations + 1):  # noqa: B007
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for k in scored:
            column = patterns[:, k]
            present = column != NULL
            log_m[present] += np.log(m[k][column[present]])
            log_u[present] += np.log(u[k][column[present]])
        odds = math.log(prior / (1 - prior)) + log_m - log_u
        p = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        matched = count * p
        new_prior = float(np.clip(matched.sum() / count.sum(), FLOOR, 1 - FLOOR))
        change = 0.0
        if not fixed_prior:
            change = abs(new_prior - prior)
            prior = new_prior
        for k in scored:
            column = patterns[:, k]
            present = column != NULL
            sums = np.bincount(column[present], weights=matched[present], minlength=len(m[k]))
            if sums.sum() > 0:
                new = _normalised(list(sums / sums.sum()))
                change = max(change, float(np.abs(new - m[k]).max()))
                m[k] = new
        if change < 1e-5:
            break
    return Weights(m, u, prior, weights.scored, weights.u_estimated, iterations)
