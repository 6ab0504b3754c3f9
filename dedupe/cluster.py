"""Clustering matched pairs into businesses, with a guard against chaining.

Plain transitive closure lets a chain of individually plausible links (A~B, B~C, C~D …) join
businesses that share nothing. Connected components are found in C (scipy); the components
of two records are final, and only larger ones — a small share — are rebuilt link by link,
strongest first, where the guard may refuse a link whose two clusters, taken as wholes, do
not look like one business (some pair of their names too far apart), unless the link does
not rest on the names at all (the rest of its evidence alone reaches the threshold).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from dedupe.table import IntArray

BoolArray = npt.NDArray[np.bool_]


@dataclass
class Cluster:
    """Indices of the records that are one business, and the links that joined them."""

    members: list[int]
    reasons: list[str]


def components(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Connected-component label of every record (records alone get their own)."""
    if n == 0:
        return np.empty(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def names_alike(a: Sequence[str], b: Sequence[str], minimum: float) -> bool:
    """Every name of ``a`` scores at least ``minimum`` against every name of ``b``."""
    if not a or not b:
        return True
    if len(a) == 1 and len(b) == 1:  # most links join two one-name clusters: no arrays
        x, y = a[0], b[0]
        if x == y or fuzz.token_sort_ratio(x, y) >= minimum:
            return True
        return bool(fuzz.ratio(x.replace(" ", ""), y.replace(" ", "")) >= minimum)
    score = process.cdist(a, b, scorer=fuzz.token_sort_ratio, workers=1)
    if float(score.min()) >= minimum:
        return True
    compact = process.cdist(
        [s.replace(" ", "") for s in a],
        [s.replace(" ", "") for s in b],
        scorer=fuzz.ratio,
        workers=1,
    )
    return bool(np.maximum(score, compact).min() >= minimum)


def cluster_links(
    n: int,
    left: IntArray,
    right: IntArray,
    weight: npt.NDArray[np.float64],
    *,
    names: Sequence[str] | None = None,
    min_similarity: float = 0.0,
    trusted: BoolArray | None = None,
) -> tuple[IntArray, BoolArray]:
    """Cluster label per record, and which links were used (refused ones are not).

    ``names`` (one per record) and ``min_similarity`` arm the chain guard; ``trusted``
    marks links it does not apply to. Labels are the smallest member index of each cluster.
    """
    labels = components(n, left, right)
    used = np.ones(len(left), dtype=bool)
    if n == 0 or not len(left):
        return np.arange(n, dtype=np.int64), used
    sizes = np.bincount(labels)
    big = sizes[labels[left]] >= 3
    guard: Callable[[int, int, int], bool] | None = None
    if big.any():
        edges = np.flatnonzero(big)
        order = np.lexsort((right[edges], left[edges], -weight[edges]))
        edges = edges[order]
        members: dict[int, list[int]] = {}
        distinct: dict[int, set[str]] = {}
        parent: dict[int, int] = {}

        def find(i: int) -> int:
            root = i
            while parent.get(root, root) != root:
                root = parent[root]
            while parent.get(i, i) != root:
                parent[i], i = root, parent[i]
            return root

        if names is not None and min_similarity > 0:

            def alike(ra: int, rb: int, edge: int) -> bool:
                if trusted is not None and trusted[edge]:
                    return True
                a = distinct.get(ra) or ({names[ra]} if names[ra] else set())
                b = distinct.get(rb) or ({names[rb]} if names[rb] else set())
                if a == b and len(a) == 1:
                    return True
                return names_alike(list(a), list(b), min_similarity)  # order is moot: a min

            guard = alike
        used[edges] = False
        for edge, a, b in zip(
            edges.tolist(), left[edges].tolist(), right[edges].tolist(), strict=True
        ):
            ra, rb = find(a), find(b)
            if ra == rb:
                continue
            if guard is not None and not guard(ra, rb, edge):
                continue
            used[edge] = True
            group_a = members.pop(ra, [ra])
            group_b = members.pop(rb, [rb])
            if len(group_a) < len(group_b):
                ra, rb, group_a, group_b = rb, ra, group_b, group_a
            parent[rb] = ra
            members[ra] = group_a + group_b
            if names is not None:
                merged = distinct.pop(ra, {names[ra]} if names[ra] else set())
                merged |= distinct.pop(rb, {names[rb]} if names[rb] else set())
                distinct[ra] = merged
        for root, group in members.items():
            labels[np.array(group)] = -1 - root  # rebuilt: mark, relabel below
        alone = np.flatnonzero((sizes[labels.clip(0)] >= 3) & (labels >= 0))
        labels[alone] = -1 - alone  # a record the guard left on its own
    # relabel: smallest member index per cluster
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    smallest = np.full(len(first), n, dtype=np.int64)
    np.minimum.at(smallest, inverse, np.arange(n, dtype=np.int64))
    return smallest[inverse], used


def clusters_from_labels(labels: IntArray) -> list[list[int]]:
    """Members of each cluster, in order of each cluster's first member."""
    order = np.lexsort((np.arange(len(labels)), labels))
    sorted_labels = labels[order]
    cuts = np.flatnonzero(np.diff(sorted_labels)) + 1
    groups = [g.tolist() for g in np.split(order, cuts)] if len(labels) else []
    groups.sort(key=lambda g: g[0])
    return groups
