"""Dedupe quality on the shared ground-truth sets: pairwise and B-cubed precision/recall/F1.

Usage: ``python benchmarks/dedupe_quality.py [DATA_DIR]`` (default ``../shared/dedupe`` next
to the checkout). Prints one table row per data set; exits 0 with a message when the data is
not there. The truth column (``cluster_id``) is only used to score, never fed to the matcher.

* patstat_patent_holders: ``name`` → ``Lead.name`` only (company-name variants).
* febrl3: person records; ``given_name surname`` → name, address → address_raw, suburb →
  city. Not what LeadHarvest's rules are built for; shown for orientation.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from dedupe.engine import DedupeSettings, find_clusters
from enrich.name import normalise_name
from leadharvest.items import Lead

ROOT = Path(__file__).resolve().parent.parent


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


def run(folder: Path, make: Callable[[dict[str, str]], Lead], settings: DedupeSettings) -> str:
    with (folder / "records.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
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
    s = scores([row["cluster_id"] for row in rows], label)
    return (
        f"| {folder.name} | {settings.name_high:.0f} | {len(rows)} | {len(clusters)} "
        f"| {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} "
        f"| {s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} | {seconds:.2f} |"
    )


def main(argv: list[str]) -> int:
    data = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "dedupe"
    if not data.is_dir():
        print(f"no benchmark data at {data}; nothing to measure")
        return 0
    base = DedupeSettings.load()
    print(
        "| data set | name_high | records | clusters | pair P | pair R | pair F1 "
        "| B3 P | B3 R | B3 F1 | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    sets: dict[str, Callable[[dict[str, str]], Lead]] = {
        "patstat_patent_holders": _patstat,
        "febrl3": _febrl,
    }
    for name in ("patstat_patent_holders", "febrl3"):
        folder = data / name
        if not (folder / "records.csv").is_file():
            print(f"| {name} | missing | | | | | | | | | |")
            continue
        for high in (base.name_high, 85.0):
            print(run(folder, sets[name], replace(base, name_high=high)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
