"""Properties of the dedupe model that must hold for any input (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.compare import active, compare_pairs, name_score
from dedupe.engine import DedupeSettings, find_clusters
from dedupe.table import lead_table
from enrich.pipeline import enrich_lead
from leadharvest.items import Lead, Phone

SETTINGS = DedupeSettings.load()
WORDS = ["harbour", "photo", "supplies", "coral", "optics", "reef", "lens", "12", "光学", "明镜"]
LEGAL = ["", " Pty Ltd", " Ltd", "有限公司", " PTY. LTD."]
PHONES = ["(07) 4051 1234", "07 4051 9999", "0412 345 678", "(02) 9555 0101"]
CITIES = ["", "Cairns", "Sydney", "Cairns City"]

names = st.builds(
    lambda words, legal, upper: (" ".join(words) + legal).upper() if upper else " ".join(words),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.sampled_from(LEGAL),
    st.booleans(),
)
leads = st.builds(
    lambda name, phones, city: Lead(name=name, phones=[Phone(raw=p) for p in phones], city=city),
    names,
    st.lists(st.sampled_from(PHONES), max_size=2, unique=True),
    st.sampled_from(CITIES),
)


@given(st.text(max_size=30), st.text(max_size=30))
def test_name_similarity_is_symmetric(a: str, b: str) -> None:
    assert name_score(a, b) == name_score(b, a)


@settings(max_examples=40, deadline=None)
@given(st.lists(leads, min_size=2, max_size=8))
def test_every_comparison_level_is_symmetric(batch: list[Lead]) -> None:
    for lead in batch:
        enrich_lead(lead, region="AU")
    table = lead_table(batch)
    n = len(batch)
    left = np.repeat(np.arange(n), n)
    right = np.tile(np.arange(n), n)
    comparisons = active(table, SETTINGS.model)
    forward = compare_pairs(table, comparisons, left, right).levels
    backward = compare_pairs(table, comparisons, right, left).levels
    assert (forward == backward).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(leads, min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_shuffled_input_gives_the_same_clusters(batch: list[Lead], rng: object) -> None:
    for lead in batch:
        enrich_lead(lead, region="AU")
    order = list(range(len(batch)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    shuffled = [batch[i] for i in order]
    plain = {frozenset(c.members) for c in find_clusters(batch, settings=SETTINGS)}
    again = {
        frozenset(order[m] for m in c.members) for c in find_clusters(shuffled, settings=SETTINGS)
    }
    assert again == plain


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 3000)), min_size=0, max_size=60),
    st.integers(1, 5001),
    st.booleans(),
)
def test_one_key_sort_orders_blocks_as_lexsort_does(
    entries: list[tuple[int, int]], seed: int, huge: bool
) -> None:
    from dedupe.blocking import _by_block_then_order

    records = np.array(sorted(r for r, _ in entries), dtype=np.int64)
    codes = np.array([c for _, c in entries], dtype=np.int64)
    order = np.random.default_rng(seed).permutation(5001).astype(np.int64)
    if huge and len(codes):  # codes too wide for one int64 key: the lexsort path
        codes = codes << 40
    sort = np.lexsort((records, order[records], codes))
    got_records, got_codes = _by_block_then_order(records, codes, order)
    assert got_records.tolist() == records[sort].tolist()
    assert got_codes.tolist() == codes[sort].tolist()
