"""Clustering matched pairs into businesses: union-find with a guard against chaining.

Plain transitive closure lets a chain of individually plausible links (A~B, B~C, C~D …) join
businesses that share nothing. Links are therefore applied strongest first, and a caller's
``can_join`` guard may refuse a weak link whose two clusters, taken as wholes, do not look
like one business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    """A matched pair, with the rule strength and score that order the links."""

    left: int
    right: int
    strength: int
    score: float
    reason: str


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> int:
        """Join the sets of ``a`` and ``b``; returns the new root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra


@dataclass
class Cluster:
    """Indices of the records that are one business, and the links that joined them."""

    members: list[int]
    reasons: list[str]


JoinGuard = Callable[[list[int], list[int], Edge], bool]
"""``can_join(members_a, members_b, edge)``: False refuses the link."""


def cluster_edges(
    n: int, edges: Iterable[Edge], *, can_join: JoinGuard | None = None
) -> list[Cluster]:
    """Clusters of ``0..n-1`` from matched pairs, in order of each cluster's first member.

    Edges are applied strongest first (then highest score), so when the guard refuses a weak
    link, the strong ones have already formed the clusters it judges.
    """
    uf = UnionFind(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    reasons: dict[int, list[str]] = {i: [] for i in range(n)}
    for edge in sorted(edges, key=lambda e: (-e.strength, -e.score, e.left, e.right)):
        ra, rb = uf.find(edge.left), uf.find(edge.right)
        if ra == rb:
            continue
        if can_join is not None and not can_join(members[ra], members[rb], edge):
            continue
        root = uf.union(ra, rb)
        other = rb if root == ra else ra
        members[root].extend(members.pop(other))
        reasons[root].extend([*reasons.pop(other), edge.reason])
    clusters = [
        Cluster(sorted(group), list(dict.fromkeys(reasons[root])))
        for root, group in members.items()
    ]
    clusters.sort(key=lambda c: c.members[0])
    return clusters
