"""Shared by the benchmark scripts: the naive peer, the scores, the machine line.

``naive_peer`` is the PEER, not LeadHarvest: the plain baseline any reviewer would write
first (block on the first 3 characters of the lower-cased name, rapidfuzz
``fuzz.token_sort_ratio`` >= 90 inside a block, union-find). ``scores`` gives pairwise and
B-cubed precision / recall / F1 from two labelings of the same records.

Importing this module also keeps ``benchmarks/`` from hiding the ``dedupe`` package: the
benchmark script ``benchmarks/dedupe.py`` has the package's name, and Python puts a script's
folder first on ``sys.path``.
"""

from __future__ import annotations

import os
import platform
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rapidfuzz import fuzz

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))

PEER = "PEER naive: 3-char block + token_sort_ratio ≥ 90"
PEER_THRESHOLD = 90.0


def machine() -> str:
    """When and where a benchmark ran, for the line above its table."""
    return (
        f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, {platform.platform()}, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )


def naive_peer(names: Sequence[str], threshold: float = PEER_THRESHOLD) -> list[int]:
    """PEER, not LeadHarvest: the plain blocking + rapidfuzz + union-find baseline.

    Block on the first 3 characters of the lower-cased name, compare every pair inside a
    block with ``fuzz.token_sort_ratio`` on the lower-cased names, link pairs scoring at least
    ``threshold``, and return one cluster label per name (the union-find root).
    """
    lowered = [name.lower() for name in names]
    parent = list(range(len(lowered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(lowered):
        blocks[name[:3]].append(i)
    for members in blocks.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if fuzz.token_sort_ratio(lowered[i], lowered[j]) >= threshold:
                    parent[root(i)] = root(j)
    return [root(i) for i in range(len(lowered))]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def scores(truth: list[str], predicted: list[int]) -> dict[str, float]:
    """Pairwise and B-cubed precision / recall / F1 from two labelings of the same records."""
    joint = Counter(zip(truth, predicted, strict=True))
    true_sizes = Counter(truth)
    pred_sizes = Counter(predicted)
    tp = sum(_pairs(c) for c in joint.values())
    pred_pairs = sum(_pairs(c) for c in pred_sizes.values())
    true_pairs = sum(_pairs(c) for c in true_sizes.values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    n = len(truth)
    bp = sum(c * c / pred_sizes[k[1]] for k, c in joint.items()) / n
    br = sum(c * c / true_sizes[k[0]] for k, c in joint.items()) / n
    return {
        "pair_p": p,
        "pair_r": r,
        "pair_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "b3_p": bp,
        "b3_r": br,
        "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
    }
