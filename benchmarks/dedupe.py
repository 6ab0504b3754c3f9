"""Dedupe quality and scale, LeadHarvest beside its peers in the same run.

Usage::

    python benchmarks/dedupe.py [--data ../shared/dedupe] [--sizes 10000,100000,1000000]
                                [--skip-quality] [--skip-scale] [--no-splink]

Quality (pairwise and B-cubed precision / recall / F1; the truth column only scores):

* febrl3 and PATSTAT from ``--data`` (see ``../shared/dedupe/README.md``), each with its own
  declared model in ``benchmarks/models/`` — as a splink user writes one per data set —
  run unsupervised (u from random pairs, m by EM);
* synthetic leads (``throughput.generate``: legal suffixes, 有限公司 variants, phone
  formats, typos, missing fields, shared switchboards and directory hotlines), enriched as
  the runner does, deduped with the lead model in ``config/dedupe.toml``.

Scale: 10k / 100k / 1M synthetic leads, each tool in a fresh subprocess so peak RSS is its
own. The leads are generated and enriched once per size and cached as prepared columns in
``benchmarks/.cache`` (enrichment is the crawl's work, not dedupe's); every tool starts from
those same columns. Tools: LeadHarvest (``dedupe.engine.link``: blocking, comparisons, u/EM
estimation, guards, clustering), PEER naive (3-character block + token_sort_ratio ≥ 90), and
PEER splink 5 on DuckDB (``benchmarks/splink_peer.py``), which runs only in its own venv::

    python3 -m venv benchmarks/.venv-peers && benchmarks/.venv-peers/bin/pip install splink

splink is never a LeadHarvest dependency; without that venv its rows say "not installed".
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# this file is called dedupe.py: its folder must not hide the dedupe package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))

from peers import PEER, machine, naive_peer, scores  # noqa: E402
from throughput import generate  # noqa: E402

from dedupe.engine import DedupeSettings, link  # noqa: E402
from dedupe.model import Model, parse_model  # noqa: E402
from dedupe.table import SHARED_COLUMNS, Table, keys_table, lead_keys  # noqa: E402
from enrich.name import name_tokens, normalise_name  # noqa: E402
from enrich.pipeline import enrich_lead  # noqa: E402

CACHE = HERE / ".cache"
PEERS_PYTHON = HERE / ".venv-peers" / "bin" / "python"
SEED = 7


def _model(name: str) -> Model:
    path = HERE / "models" / f"{name}.toml"
    with path.open("rb") as fh:
        return parse_model(tomllib.load(fh), origin=str(path.relative_to(ROOT)))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _read(folder: Path) -> list[dict[str, str]]:
    with (folder / "records.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def febrl_table(rows: list[dict[str, str]]) -> Table:
    fields = ("given_name", "surname", "street_number", "address_1", "suburb", "postcode")
    columns: dict[str, Any] = {k: [r[k] for r in rows] for k in fields}
    for k in ("state", "date_of_birth", "soc_sec_id"):
        columns[k] = [r[k] for r in rows]
    columns["full_name"] = [f"{r['surname']} {r['given_name']}".strip() for r in rows]
    columns["postcode_number"] = [
        f"{r['postcode']} {r['street_number']}" if r["postcode"] and r["street_number"] else ""
        for r in rows
    ]
    return Table.from_columns(columns)


def patstat_table(rows: list[dict[str, str]]) -> Table:
    names = [normalise_name(r["name"]) for r in rows]
    place = [f"{r['latitude']},{r['longitude']}" if float(r["latitude"] or 0) else "" for r in rows]
    table = Table.from_columns({"name": names, "place": place})

    def split(text: str) -> tuple[str, ...]:
        return tuple(x.strip() for x in text.split("**") if x.strip())

    table.multi["name_tokens"] = [tuple(name_tokens(n)) for n in names]
    table.multi["coauthors"] = [split(r["coauthors"]) for r in rows]
    table.multi["classes"] = [split(r["classes"]) for r in rows]
    return table


def _quality_row(tool: str, data: str, n: int, s: dict[str, float], seconds: float) -> str:
    return (
        f"| {tool} | {data} | {n:,} | {s['pair_p']:.3f} | {s['pair_r']:.3f} "
        f"| {s['pair_f1']:.3f} | {s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} "
        f"| {seconds:.1f} |"
    )


def quality(data: Path) -> None:
    print("| tool | data set | records | pair P | pair R | pair F1 | B3 P | B3 R | B3 F1 | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    sets = (
        ("febrl3", febrl_table, lambda r: f"{r['given_name']} {r['surname']}"),
        ("patstat_patent_holders", patstat_table, lambda r: r["name"]),
    )
    for name, make, peer_name in sets:
        folder = data / name
        if not (folder / "records.csv").is_file():
            print(f"| | {name} | missing | | | | | | | |")
            continue
        rows = _read(folder)
        truth = [r["cluster_id"] for r in rows]
        model = _model("febrl3" if name == "febrl3" else "patstat")
        started = time.perf_counter()
        labels = link(make(rows), model).labels.tolist()
        seconds = time.perf_counter() - started
        label = f"LeadHarvest (models/{model.name}.toml)"
        print(_quality_row(label, name, len(rows), scores(truth, labels), seconds), flush=True)
        started = time.perf_counter()
        peer = naive_peer([peer_name(r) for r in rows])
        seconds = time.perf_counter() - started
        print(_quality_row(PEER, name, len(rows), scores(truth, peer), seconds), flush=True)
    columns, truth, names = prepared(10_000)
    started = time.perf_counter()
    labels = _leadharvest(columns).tolist()
    seconds = time.perf_counter() - started
    s = scores(truth, labels)
    print(
        _quality_row("LeadHarvest (config/dedupe.toml)", "synthetic leads", len(truth), s, seconds)
    )
    started = time.perf_counter()
    peer = naive_peer(names)
    seconds = time.perf_counter() - started
    print(_quality_row(PEER, "synthetic leads", len(truth), scores(truth, peer), seconds))


# --- scale -----------------------------------------------------------------------------------


def prepared(size: int) -> tuple[dict[str, Any], list[int], list[str]]:
    """The lead model's columns for ``size`` enriched synthetic leads (cached), truth, names."""
    path = CACHE / f"leads-{size}-{SEED}.pickle"
    if path.is_file():
        with path.open("rb") as fh:
            cached: tuple[dict[str, Any], list[int], list[str]] = pickle.load(fh)
            return cached
    CACHE.mkdir(exist_ok=True)
    settings = DedupeSettings.load()
    leads, truth, regions = generate(size, SEED)
    keys = []
    for lead, region in zip(leads, regions, strict=True):
        enrich_lead(lead, region=region)
        keys.append(lead_keys(lead, ignore_domains=settings.portal_domains))
    names = [lead.name for lead in leads]
    del leads
    table = keys_table(keys)
    columns: dict[str, Any] = {**table.single, **table.multi}
    with path.open("wb") as fh:
        pickle.dump((columns, truth, names), fh, protocol=pickle.HIGHEST_PROTOCOL)
    _splink_csv(columns, size)
    return columns, truth, names


def _splink_csv(columns: dict[str, Any], size: int) -> Path:
    """One phone, e-mail and domain per record (splink's exact match takes one value)."""
    path = CACHE / f"leads-{size}-{SEED}.csv"
    if path.is_file():
        return path
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["unique_id", "name", "phone", "email", "domain", "city", "postcode"])
        for i in range(len(columns["name"])):
            out.writerow(
                [
                    i,
                    columns["name"][i] or None,
                    (columns["phones"][i] or (None,))[0],
                    (columns["emails"][i] or (None,))[0],
                    (columns["domains"][i] or (None,))[0],
                    columns["city"][i] or None,
                    columns["postcode"][i] or None,
                ]
            )
    return path


def _leadharvest(columns: dict[str, Any]) -> Any:
    settings = DedupeSettings.load()
    table = Table(len(columns["name"]))
    for name, values in columns.items():
        if values and isinstance(values[0], tuple):
            table.multi[name] = values
        else:
            table.single[name] = values
    table = table.without_shared(SHARED_COLUMNS, "name", settings.shared_contact_limit)
    return link(table, settings.model).labels


def child(tool: str, size: int) -> dict[str, Any]:
    """One measured run in this fresh process (Linux keeps a parent's peak RSS across
    fork/exec, so the parent never loads the records itself)."""
    if tool == "prepare":
        prepared(size)
        return {}
    if tool == "splink":
        return _splink(size)
    columns, truth, names = prepared(size)
    base = _rss_mb()
    started = time.perf_counter()
    labels = _leadharvest(columns).tolist() if tool == "leadharvest" else naive_peer(names)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": _rss_mb(), "input_mb": base, **scores(truth, labels)}


def _run(tool: str, size: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", tool, "--sizes", str(size)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _splink(size: int) -> dict[str, Any]:
    """splink in its own venv, started before this process loads anything big."""
    if not PEERS_PYTHON.is_file():
        return {"error": "not installed (see the docstring)"}
    source = CACHE / f"leads-{size}-{SEED}.csv"
    target = CACHE / f"splink-{size}.csv"
    done = subprocess.run(
        [str(PEERS_PYTHON), str(HERE / "splink_peer.py"), str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    _, truth, _ = prepared(size)
    label = list(range(size))
    with target.open(newline="") as fh:
        for row in csv.DictReader(fh):
            label[int(row["unique_id"])] = hash(row["cluster_id"])
    return {**result, **scores(truth, label)}


def scale(sizes: list[int], splink: bool, naive_max: int) -> None:
    print("| records | tool | seconds | peak RSS MB | pair P | pair R | pair F1 | B3 F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        _run("prepare", size)  # the cache, built outside the timed children
        runs = [("LeadHarvest link (config/dedupe.toml)", _run("leadharvest", size))]
        if size <= naive_max:
            runs.append((PEER, _run("naive", size)))
        else:
            runs.append((PEER, {"error": f"not run above {naive_max:,} (quadratic blocks)"}))
        if splink:
            runs.append(("PEER splink 5 (DuckDB)", _run("splink", size)))
        for tool, r in runs:
            if "error" in r:
                print(f"| {size:,} | {tool} | {r['error']} | | | | | |", flush=True)
                continue
            print(
                f"| {size:,} | {tool} | {r['seconds']:.1f} | {r['peak_mb']:,.0f} "
                f"| {r['pair_p']:.3f} | {r['pair_r']:.3f} | {r['pair_f1']:.3f} "
                f"| {r['b3_f1']:.3f} |",
                flush=True,
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dedupe")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--naive-max",
        type=int,
        default=100_000,
        help="largest size for the naive peer, whose 3-character blocks grow with the batch",
    )
    parser.add_argument(
        "--child", choices=("prepare", "leadharvest", "naive", "splink"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv[1:])
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.child:
        print(json.dumps(child(args.child, sizes[0])))
        return 0
    print(f"Dedupe benchmark, {machine()}")
    if not args.skip_quality:
        print()
        quality(args.data)
    if not args.skip_scale:
        print()
        scale(sizes, splink=not args.no_splink, naive_max=args.naive_max)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
