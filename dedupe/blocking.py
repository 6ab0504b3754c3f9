"""Blocking: which pairs of records are worth comparing at all, generated in numpy.

Comparing every record with every other grows with the square of the batch; blocking
compares only records that share a key (an E.164 phone, an e-mail address, a domain, a name
key) or sit next to each other in name order, so cost grows near-linearly. A block larger
than its rule's ``max_block_size`` (a common word, a number on hundreds of listings of one
firm) is not compared all-pairs: its members are sorted by name and each is compared with
its next ``window`` neighbours, so one busy key cannot explode the cost.

Pairs are produced as arrays without a Python loop over blocks or pairs: values are sorted by
(block, name rank), and every position is paired with the following positions of its block
(all of them, or ``window`` of them) by ``repeat``/``arange`` arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dedupe.model import BlockingRule
from dedupe.table import IntArray, Table


@dataclass
class BlockingResult:
    """Candidate pairs ``left[k] < right[k]``, unique, sorted; and what each rule gave."""

    left: IntArray
    right: IntArray
    per_rule: dict[str, int] = field(default_factory=dict)
    oversized: int = 0
    """Blocks too big for all pairs: compared with their name-order neighbours instead."""

    @property
    def pairs(self) -> set[tuple[int, int]]:
        return set(zip(self.left.tolist(), self.right.tolist(), strict=True))


def code_rank(table: Table, column: str, *, reverse: bool = False) -> IntArray:
    """Each record's position in the sorted order of a single-valued column's text (ties
    share a rank; missing = -1), from the column's codes.

    Only the distinct values are sorted, once: a million names that are 600,000 distinct
    texts cost one sort of those, not three passes of Python over the million.
    """
    return table.memo(
        ("reversed rank" if reverse else "rank", column), lambda: _rank(table, column, reverse)
    )


def _rank(table: Table, column: str, reverse: bool) -> IntArray:
    codes, distinct = table.codes(column)
    keys = [v[::-1] for v in distinct] if reverse else distinct
    order = np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
    rank_of = np.empty(len(keys) + 1, dtype=np.int64)
    rank_of[order] = np.arange(len(keys), dtype=np.int64)
    rank_of[-1] = -1  # code -1 (missing) reads the last slot
    rank: IntArray = rank_of[codes]
    return rank


def unique_sorted(values: IntArray, *, runs: bool = False) -> IntArray:
    """Sorted distinct values by one sort in place (numpy 2's hash ``unique`` is far slower
    on tens of millions of pair codes). ``runs``: the values are a few sorted runs one after
    another, which the stable sort (timsort) merges in linear time."""
    values.sort(kind="stable" if runs else None)
    if not len(values):
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _window_pairs(
    records: IntArray, starts: IntArray, sizes: IntArray, windows: IntArray
) -> tuple[IntArray, IntArray]:
    """Pairs inside consecutive groups of ``records``: each with its next ``windows[g]``."""
    group = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(len(records))
    remaining = starts[group] + sizes[group] - 1 - position
    counts = np.minimum(remaining, windows[group])
    total = int(counts.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    left_pos = np.repeat(position, counts)
    first = np.cumsum(counts) - counts
    offset = np.arange(total) - np.repeat(first, counts) + 1
    return records[left_pos], records[left_pos + offset]


def _by_block_then_order(
    records: IntArray, codes: IntArray, order: IntArray
) -> tuple[IntArray, IntArray]:
    """``records`` and ``codes`` sorted by code, then name order, then record.

    The three keys fit one int64 at any size a laptop holds (a million records: 20 + 21 + 20
    bits), and one sort of that is ten times faster than ``lexsort``'s three; beyond 63 bits
    ``lexsort`` it is.
    """
    rank = order[records]
    bits_record = max(int(records.max(initial=0)), 1).bit_length()
    bits_rank = max(int(rank.max(initial=0)), 1).bit_length()
    bits_code = max(int(codes.max(initial=0)), 1).bit_length()
    if rank.min(initial=0) < 0 or bits_record + bits_rank + bits_code > 63:
        sort = np.lexsort((records, rank, codes))
        return records[sort], codes[sort]
    key = codes.astype(np.int64) << (bits_rank + bits_record)
    key |= rank.astype(np.int64) << bits_record
    key |= records
    key.sort()
    return key & ((1 << bits_record) - 1), key >> (bits_rank + bits_record)


def rule_pairs(table: Table, rule: BlockingRule, order: IntArray) -> tuple[IntArray, IntArray, int]:
    """The pairs one rule gives, and how many of its blocks were over the size limit."""
    if rule.kind == "sorted":
        rank = code_rank(table, rule.column, reverse=rule.reverse)
        keep = np.flatnonzero(rank >= 0)
        records = keep[np.lexsort((keep, rank[keep]))]
        starts = np.zeros(1, dtype=np.int64)
        sizes = np.array([len(records)], dtype=np.int64)
        left, right = _window_pairs(records, starts, sizes, np.array([rule.window]))
        return left, right, 0
    records, codes, _ = table.exploded(rule.column)
    if not len(records):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, 0
    records, codes = _by_block_then_order(records, codes, order)
    boundary = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate([[0], boundary]).astype(np.int64)
    sizes = np.diff(np.concatenate([starts, [len(codes)]])).astype(np.int64)
    big = sizes > rule.max_block_size
    windows = np.where(big, rule.window, sizes)
    left, right = _window_pairs(records, starts, sizes, windows)
    return left, right, int(big.sum())


def candidate_pairs(
    table: Table, rules: Sequence[BlockingRule], *, order_column: str = "name"
) -> BlockingResult:
    """Every pair some rule gives, once, as ``(left < right)`` arrays.

    Within a block, records are ordered by ``order_column`` (name order), which is what the
    window of an oversized block follows. Optional rules on a column the table lacks are
    skipped.
    """
    n = table.n
    if order_column in table.single:
        order = code_rank(table, order_column)
    else:
        order = np.arange(n, dtype=np.int64)
    codes: list[IntArray] = []
    result = BlockingResult(np.empty(0, np.int64), np.empty(0, np.int64))
    for rule in rules:
        if not table.has(rule.column):
            if rule.optional:
                continue
            raise KeyError(rule.column)
        left, right, oversized = rule_pairs(table, rule, order)
        low, high = np.minimum(left, right), np.maximum(left, right)
        keep = low != high
        code = low[keep] * n + high[keep]
        result.per_rule[rule.name] = len(code)
        result.oversized += oversized
        # fold in as we go: the union never holds every rule's duplicates at once; the
        # union so far and this rule's pairs are each sorted, so folding is a merge
        codes = [unique_sorted(np.concatenate([*codes, unique_sorted(code)]), runs=True)]
        del left, right, low, high, keep, code
    if codes:
        unique = codes[0]
        result.left, result.right = unique // max(n, 1), unique % max(n, 1)
    return result
