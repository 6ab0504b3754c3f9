"""Clustering matched pairs into businesses, with a guard against chaining.

Plain transitive closure lets a chain of individually plausible links (A~B, B~C, C~D …) join
businesses that share nothing. Connected components are found in C (scipy); the components
of two records are final, and only larger ones — a small share — are rebuilt link by link,
strongest first, where the guard may refuse a link whose two clusters, taken as wholes, do
not look like one business (some pair of their names too far apart), unless the link does
not rest on the names at all (the rest of its evidence alone reaches the threshold).

A cluster is judged by its *established* names: the spellings that a share of its records
carry (``established_share``, and at least two records). A firm listed hundreds of times is
also misspelt dozens of ways, each once; comparing every one-off typo of one cluster with
every one of another means the noisiest spelling vetoes the merge, so two families of one
firm ("Koninklijke Philips Electronics", "Philips Gloeilampenfabrieken") never meet however
alike their usual spellings are. A one-off spelling was already held against the cluster's
names when it joined. Where no spelling has that share (a cluster built from single records,
which is how a chain grows), every name counts, as before.
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


def names_alike(
    a: Sequence[str],
    b: Sequence[str],
    minimum: float,
    own_words: Callable[[str], str] | None = None,
) -> bool:
    """Every name of ``a`` scores at least ``minimum`` against every name of ``b``, and, with
    ``own_words``, also in their own words (see :func:`own_words_alike`)."""
    if not a or not b:
        return True
    if not _scores_alike(a, b, minimum):
        return False
    return own_words is None or own_words_alike(a, b, minimum, own_words)


def _scores_alike(a: Sequence[str], b: Sequence[str], minimum: float) -> bool:
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


def own_words_alike(
    a: Sequence[str], b: Sequence[str], minimum: float, own_words: Callable[[str], str]
) -> bool:
    """Whether the names are alike once the words any business may carry are set aside.

    "Canon Europa" and "Sony Europa", or "Alcoa Nederland" and "Thales Nederland", score
    alike on their letters because they share a place; what names each business ("canon",
    "sony") does not. ``own_words`` gives a name without such words (places, "royal", what
    the trade is); a pair passes when either side has no own words left, when one side's own
    words are all among the other's ("philips" in "philips gloeilampenfabrieken": a firm
    and its division), or when the own words score at least ``minimum``.
    """
    cores_a = {own_words(x) for x in a} - {""}
    cores_b = {own_words(x) for x in b} - {""}
    for x in cores_a:
        words_x = set(x.split())
        for y in cores_b:
            if x == y:
                continue
            words_y = set(y.split())
            if words_x <= words_y or words_y <= words_x:
                continue
            if not _scores_alike([x], [y], minimum):
                return False
    return True


def cluster_links(
    n: int,
    left: IntArray,
    right: IntArray,
    weight: npt.NDArray[np.float64],
    *,
    names: Sequence[str] | None = None,
    min_similarity: float = 0.0,
    established_share: float = 0.0,
    own_words: Callable[[str], str] | None = None,
    trusted: BoolArray | None = None,
    name_codes: IntArray | None = None,
) -> tuple[IntArray, BoolArray]:
    """Cluster label per record, and which links were used (refused ones are not).

    ``names`` (one per record) and ``min_similarity`` arm the chain guard; ``trusted``
    marks links it does not apply to; ``name_codes`` (the names as codes, -1 = none)
    lets components of one name skip the rebuild; ``established_share`` > 0 judges a
    cluster by the names that share of its records carry (see the module). Labels are the
    smallest member index of each cluster.
    """
    labels = components(n, left, right)
    used = np.ones(len(left), dtype=bool)
    if n == 0 or not len(left):
        return np.arange(n, dtype=np.int64), used
    sizes = np.bincount(labels)
    rebuild = sizes >= 3
    if name_codes is not None and min_similarity > 0 and rebuild.any():
        # a component whose records all carry one name (or none) passes the guard at every
        # link: it is final as it is, like a component of two
        known = name_codes >= 0
        top = np.full(len(sizes), -1, dtype=np.int64)
        low = np.full(len(sizes), np.iinfo(np.int64).max, dtype=np.int64)
        np.maximum.at(top, labels[known], name_codes[known])
        np.minimum.at(low, labels[known], name_codes[known])
        rebuild &= (top >= 0) & (top != low)
    big = rebuild[labels[left]]
    guard: Callable[[int, int, int], bool] | None = None
    if big.any():
        edges = np.flatnonzero(big)
        order = np.lexsort((right[edges], left[edges], -weight[edges]))
        edges = edges[order]
        members: dict[int, list[int]] = {}
        spellings: dict[int, dict[str, int]] = {}  # records per name, clusters of 2+ by root
        parent: dict[int, int] = {}

        def own(i: int) -> dict[str, int]:
            return {names[i]: 1} if names is not None and names[i] else {}

        def compared_names(root: int) -> list[str]:
            counts = spellings.get(root)
            if counts is None:
                return [names[root]] if names is not None and names[root] else []
            if established_share > 0 and len(counts) > 1:
                floor = max(2.0, established_share * len(members[root]))
                established = [name for name, k in counts.items() if k >= floor]
                if established:
                    return established
            return list(counts)

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
                a, b = compared_names(ra), compared_names(rb)
                if a == b and len(a) == 1:
                    return True
                return names_alike(a, b, min_similarity, own_words)  # order is moot: a min

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
            group_a.extend(group_b)
            members[ra] = group_a
            if guard is not None:
                merged = spellings.pop(ra) if ra in spellings else own(ra)
                other = spellings.pop(rb) if rb in spellings else own(rb)
                if len(other) > len(merged):
                    merged, other = other, merged
                for name, count in other.items():
                    merged[name] = merged.get(name, 0) + count
                spellings[ra] = merged
        for root, group in members.items():
            labels[np.array(group)] = -1 - root  # rebuilt: mark, relabel below
        alone = np.flatnonzero(rebuild[labels.clip(0)] & (labels >= 0))
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
