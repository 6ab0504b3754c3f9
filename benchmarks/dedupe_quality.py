"""Dedupe quality on the shared ground-truth sets: pairwise and B-cubed precision/recall/F1.

Usage: ``python benchmarks/dedupe_quality.py [DATA_DIR]`` (default ``../shared/dedupe`` next
to the checkout). Prints one table row per data set; exits 0 with a message when the data is
not there. The truth column (``cluster_id``) is only used to score, never fed to the matcher.

* patstat_patent_holders: ``name`` → ``Lead.name`` only (company-name variants).
* febrl3: person records; ``given_name surname`` → name, address → address_raw, suburb →
  city. Not what LeadHarvest's rules are built for; shown for orientation.

Beside LeadHarvest, in the same run and table, one PEER row per data set: ``naive_peer``, the
plain baseline any reviewer would write first (block on the first 3 characters of the
lower-cased name, rapidfuzz ``fuzz.token_sort_ratio`` >= 90 on the lower-cased names inside
a block, union-find). It sees the same name the Lead gets and nothing else. splink and
recordlinkage are not run here (not installed, and nothing is installed for this); their
figures measured elsewhere are in ``../shared/dedupe/README.md``.
"""

from __future__ import annotations

import csv
import os
import platform
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from rapidfuzz import fuzz

from dedupe.engine import DedupeSettings, find_clusters
from enrich.name import normalise_name
from leadharvest.items import Lead

ROOT = Path(__file__).resolve().parent.parent
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


def _patstat(row: dict[str, str]) -> Lead:
    return Lead(name=row["name"])


def _febrl(row: dict[str, str]) -> Lead:
    address = " ".join(
        row[k] for k in ("street_number", "address_1", "address_2", "suburb", "postcode") if row[k]
    )
    return Lead(
        name=f"{row['given_name']} {row['surname']}".strip(),
        address_raw=address,
        city=row["suburb"],
        postcode=row["postcode"],
    )


def _read(folder: Path) -> list[dict[str, str]]:
    with (folder / "records.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _row(
    matcher: str, folder: Path, threshold: float, rows: list[dict[str, str]], label: list[int]
) -> str:
    s = scores([row["cluster_id"] for row in rows], label)
    return (
        f"| {matcher} | {folder.name} | {threshold:.0f} | {len(rows)} | {len(set(label))} "
        f"| {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} "
        f"| {s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} |"
    )


def run(folder: Path, make: Callable[[dict[str, str]], Lead], settings: DedupeSettings) -> str:
    rows = _read(folder)
    leads = [make(row) for row in rows]
    for lead in leads:
        lead.normalized_name = normalise_name(lead.name)
    started = time.perf_counter()
    clusters = find_clusters(leads, settings=settings)
    seconds = time.perf_counter() - started
    label = [0] * len(leads)
    for number, cluster in enumerate(clusters):
        for member in cluster.members:
            label[member] = number
    row = _row("LeadHarvest find_clusters", folder, settings.name_high, rows, label)
    return f"{row} {seconds:.2f} |"


def run_peer(folder: Path, make: Callable[[dict[str, str]], Lead]) -> str:
    """The PEER row: ``naive_peer`` over the same names the LeadHarvest rows get."""
    rows = _read(folder)
    names = [make(row).name for row in rows]
    started = time.perf_counter()
    label = naive_peer(names)
    seconds = time.perf_counter() - started
    return f"{_row(PEER, folder, PEER_THRESHOLD, rows, label)} {seconds:.2f} |"


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "dedupe"
    if not data.is_dir():
        print(f"no benchmark data at {data}; nothing to measure")
        return 0
    base = DedupeSettings.load()
    print(f"Dedupe quality, {machine()}")
    print()
    print(
        "| matcher | data set | name_high | records | clusters | pair P | pair R | pair F1 "
        "| B3 P | B3 R | B3 F1 | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    sets: dict[str, Callable[[dict[str, str]], Lead]] = {
        "patstat_patent_holders": _patstat,
        "febrl3": _febrl,
    }
    for name in ("patstat_patent_holders", "febrl3"):
        folder = data / name
        if not (folder / "records.csv").is_file():
            print(f"| | {name} | missing | | | | | | | | | |")
            continue
        for high in (base.name_high, 85.0):
            print(run(folder, sets[name], replace(base, name_high=high)), flush=True)
        print(run_peer(folder, sets[name]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
