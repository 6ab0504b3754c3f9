"""PEER, not LeadHarvest: splink on DuckDB over the same prepared lead columns.

Runs inside ``benchmarks/.venv-peers`` only (splink is never a LeadHarvest dependency):
``python benchmarks/splink_peer.py IN.csv OUT.csv``. Unsupervised as splink's tutorials do
it: u by random sampling, m by EM on two blocking rules, predict and cluster at match
probability 0.9. Prints one JSON line: seconds and peak RSS MB; writes ``unique_id,cluster``.
"""

import json
import resource
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def main(source: str, target: str) -> None:
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE leads AS SELECT * FROM read_csv('{source}', all_varchar=true)")
    db_api = DuckDBAPI(connection=con)
    df = db_api.register("leads")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            cl.ExactMatch("phone"),
            cl.ExactMatch("email"),
            cl.ExactMatch("domain"),
            cl.ExactMatch("city"),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("phone"),
            block_on("email"),
            block_on("domain"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(df, settings, log_level="ERROR")
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    pred = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    table = clusters.physical_name
    con.execute(f"COPY (SELECT unique_id, cluster_id FROM {table}) TO '{target}' (HEADER)")
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": rss}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
