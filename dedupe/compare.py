"""Pair comparison, vectorised: the level every declared comparison reaches for every pair.

The levels (``exact``, ``similar`` with a rapidfuzz scorer and a ``min``, ``distance`` with a
``max``, ``contains``, ``else``) come from the model; this module computes them for whole
arrays of pairs at once: codes compared in numpy, string similarities with rapidfuzz's
``process.cpdist`` (C, ``score_cutoff``, all cores). When a column has few distinct values
(cities, postcodes) each distinct pair of values is scored once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Jaro, JaroWinkler, Levenshtein

from dedupe.model import Comparison, Level, Model
from dedupe.table import IntArray, Table

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float32]
LevelArray = npt.NDArray[np.int8]

NULL = -1
CHUNK = 1 << 20
"""Pairs compared per slice where a comparison needs per-pair temporaries."""
"""Level of a pair where either record lacks the value: no evidence either way."""

_SCORERS: dict[str, Callable[..., Any]] = {
    "jaro_winkler": JaroWinkler.normalized_similarity,
    "jaro": Jaro.normalized_similarity,
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
    "levenshtein": Levenshtein.distance,
    "damerau_levenshtein": DamerauLevenshtein.distance,
}


def name_score(a: str, b: str) -> float:
    """Similarity 0..100 of two name keys (0 when either is empty).

    The larger of token_sort_ratio and the plain ratio with spaces removed, because listings
    split and join words at random: ``maatsch appij``, ``stmicro electronics``.
    """
    if not a or not b:
        return 0.0
    score = fuzz.token_sort_ratio(a, b)
    if " " in a or " " in b:
        score = max(score, fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))
    return float(round(score, 1))


def _cpdist(scorer: str, a: list[str], b: list[str], cutoff: float, workers: int) -> FloatArray:
    """Scores of ``a[k]`` against ``b[k]``; a similarity below ``cutoff`` is 0."""
    if not a:
        return np.empty(0, dtype=np.float32)
    if scorer == "name":
        score = process.cpdist(
            a, b, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, workers=workers
        )
        compact = process.cpdist(
            [s.replace(" ", "") for s in a],
            [s.replace(" ", "") for s in b],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=workers,
        )
        return np.asarray(np.maximum(score, compact), dtype=np.float32)
    if scorer == "abs_diff":
        x = np.array([_float(v) for v in a], dtype=np.float64)
        y = np.array([_float(v) for v in b], dtype=np.float64)
        return np.abs(x - y).astype(np.float32)
    out = process.cpdist(a, b, scorer=_SCORERS[scorer], score_cutoff=cutoff, workers=workers)
    return np.asarray(out, dtype=np.float32)


def name_forms(distinct: list[str]) -> tuple[npt.NDArray[Any], npt.NDArray[Any], BoolArray]:
    """Each distinct name token-sorted (``ratio`` of token-sorted texts is
    ``token_sort_ratio``, without re-tokenising per pair), without spaces, and whether it has
    any: what the ``name`` scorer reads, made once per table (``Table.memo``)."""
    tokens = np.asarray([" ".join(sorted(v.split())) for v in distinct], dtype=object)
    compact = np.asarray([v.replace(" ", "") for v in distinct], dtype=object)
    spaced = np.fromiter((" " in v for v in distinct), bool, len(distinct))
    return tokens, compact, spaced


def _name_scores(
    ca: IntArray,
    cb: IntArray,
    forms: tuple[npt.NDArray[Any], npt.NDArray[Any], BoolArray],
    cutoff: float,
    workers: int,
) -> FloatArray:
    """The ``name`` scorer over value codes, on :func:`name_forms`, in slices, so ten
    million pairs never become ten-million-item lists."""
    score = np.zeros(len(ca), dtype=np.float32)
    if not len(ca):
        return score
    tokens, compact, spaced = forms
    for start in range(0, len(ca), CHUNK):
        a, b = ca[start : start + CHUNK], cb[start : start + CHUNK]
        part = process.cpdist(
            tokens[a].tolist(),
            tokens[b].tolist(),
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            workers=workers,
            dtype=np.float32,
        )
        both = np.flatnonzero(spaced[a] | spaced[b])
        if len(both):
            joined = process.cpdist(
                compact[a[both]].tolist(),
                compact[b[both]].tolist(),
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                workers=workers,
                dtype=np.float32,
            )
            part[both] = np.maximum(part[both], joined)
        score[start : start + len(a)] = part
    return score


def word_swap(
    table: Table, column: str, ca: IntArray, cb: IntArray, share: float
) -> npt.NDArray[np.bool_]:
    """Pairs whose texts differ by words, every differing word common (term frequency).

    A word is common when it is on at least ``share`` of the records (and 3): at a million
    leads a fixed trade vocabulary makes "capital bearings international" and "coastal
    bearings international" two firms that score 86, while a typo ("coaastal") is a rare
    word and a dropped word ("ward bakery" / "ward bakery systems") leaves one side with
    nothing different — neither is a swap.
    """
    matrix, counts = table.words(column)
    common = np.append(counts >= max(3.0, share * table.n), False)  # -1 pads read False
    out = np.zeros(len(ca), dtype=bool)
    for start in range(0, len(ca), CHUNK):
        a = matrix[ca[start : start + CHUNK]]
        b = matrix[cb[start : start + CHUNK]]
        only_a = (a >= 0) & ~(a[:, :, None] == b[:, None, :]).any(axis=2)
        only_b = (b >= 0) & ~(b[:, :, None] == a[:, None, :]).any(axis=2)
        rare = (only_a & ~common[a]).any(axis=1) | (only_b & ~common[b]).any(axis=1)
        out[start : start + len(a)] = only_a.any(axis=1) & only_b.any(axis=1) & ~rare
    return out


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("inf")


def _contains(a: list[str], b: list[str]) -> npt.NDArray[np.bool_]:
    """ "深圳" and "深圳市宝安区", "Vancouver" and "North Vancouver" are the same place."""
    return np.fromiter(((x in y) or (y in x) for x, y in zip(a, b, strict=True)), bool, len(a))


@dataclass
class Compared:
    """Levels (pairs × comparisons, -1 = null) and the similarity scores behind them."""

    levels: LevelArray
    scores: dict[str, FloatArray] = field(default_factory=dict)
    """Per comparison with a scorer: the score of each pair (NaN where not computed)."""


def _level_holds(level: Level, score: FloatArray) -> npt.NDArray[np.bool_]:
    if level.kind == "distance":
        return np.asarray(score <= level.threshold)
    return np.asarray(score >= level.threshold)


def compare_single(
    table: Table,
    comparison: Comparison,
    left: IntArray,
    right: IntArray,
    *,
    workers: int = -1,
) -> tuple[LevelArray, FloatArray | None]:
    """Levels of one comparison on a single-valued column for every pair."""
    codes, distinct = table.codes(comparison.column)
    ca, cb = codes[left], codes[right]
    count = len(left)
    levels = np.full(count, len(comparison.levels) - 1, dtype=np.int8)
    undecided = (ca >= 0) & (cb >= 0)
    scores: FloatArray | None = None
    # few distinct values (cities): score each distinct pair once
    few = len(distinct) ** 2 < max(count, 1)
    for index, level in enumerate(comparison.levels[:-1]):
        todo = np.flatnonzero(undecided)
        if not len(todo):
            break
        if level.kind == "exact":
            hit = ca[todo] == cb[todo]
        elif level.kind == "contains":
            hit = _apply(_contains, ca[todo], cb[todo], distinct, few)
        elif level.kind == "word_swap":
            hit = np.zeros(len(todo), dtype=bool)
            differ = np.flatnonzero(ca[todo] != cb[todo])  # one text swaps nothing
            hit[differ] = word_swap(
                table, comparison.column, ca[todo[differ]], cb[todo[differ]], level.threshold
            )
        else:
            if scores is None:
                scores = np.full(count, np.nan, dtype=np.float32)
            pending = todo[np.isnan(scores[todo])]
            if len(pending):
                cutoff = _cutoff(comparison, level.scorer)

                def score(
                    a: list[str], b: list[str], s: str = level.scorer, c: float = cutoff
                ) -> FloatArray:
                    return _cpdist(s, a, b, c, workers)

                if level.scorer == "name":
                    forms = table.memo(
                        ("name_forms", comparison.column), lambda: name_forms(distinct)
                    )
                    scores[pending] = _name_scores(ca[pending], cb[pending], forms, cutoff, workers)
                else:
                    scores[pending] = _apply(score, ca[pending], cb[pending], distinct, few)
            hit = _level_holds(level, scores[todo])
        chosen = todo[hit]
        levels[chosen] = index
        undecided[chosen] = False
    levels[(ca < 0) | (cb < 0)] = NULL
    return levels, scores


def _cutoff(comparison: Comparison, scorer: str) -> float:
    same = [lv.threshold for lv in comparison.levels if lv.scorer == scorer]
    kinds = {lv.kind for lv in comparison.levels if lv.scorer == scorer}
    return max(same) if "distance" in kinds else min(same)


def _apply(
    function: Callable[[list[str], list[str]], Any],
    ca: IntArray,
    cb: IntArray,
    distinct: list[str],
    few: bool,
) -> Any:
    if few and len(ca):
        combined = ca * len(distinct) + cb
        unique, inverse = np.unique(combined, return_inverse=True)
        ca, cb = unique // len(distinct), unique % len(distinct)
        return np.asarray(function(_pick(distinct, ca), _pick(distinct, cb)))[inverse]
    return function(_pick(distinct, ca), _pick(distinct, cb))


def _pick(distinct: list[str], codes: IntArray) -> list[str]:
    return np.asarray(distinct, dtype=object)[codes].tolist()  # type: ignore[no-any-return]


def compare_multi(
    table: Table, comparison: Comparison, left: IntArray, right: IntArray
) -> LevelArray:
    """Levels of an exact comparison on a multi-valued column: any shared value, or not."""
    padded = table.padded(comparison.column).astype(np.int32)
    levels = np.full(len(left), len(comparison.levels) - 1, dtype=np.int8)
    # in slices: ten million pairs × six values would be gigabytes at once
    for start in range(0, len(left), CHUNK):
        stop = start + CHUNK
        a, b = padded[left[start:stop]], padded[right[start:stop]]
        shared = np.zeros(len(a), dtype=bool)
        for i in range(a.shape[1]):
            column = a[:, i : i + 1]
            shared |= ((column == b) & (column >= 0)).any(axis=1)
        part = levels[start:stop]
        part[shared] = 0
        part[(a[:, 0] < 0) | (b[:, 0] < 0)] = NULL
    return levels


def check_columns(table: Table, model: Model) -> None:
    """A comparison a table cannot serve fails here, naming it, not deep inside numpy."""
    for comparison in model.comparisons:
        if not table.has(comparison.column):
            if comparison.optional:
                continue
            raise ValueError(
                f"comparison {comparison.name}: the records have no column {comparison.column!r}"
            )
        if table.is_multi(comparison.column) and any(
            lv.kind not in ("exact", "else") for lv in comparison.levels
        ):
            raise ValueError(
                f"comparison {comparison.name}: {comparison.column!r} holds several values "
                "per record; only exact and else levels apply"
            )


def active(table: Table, model: Model) -> list[Comparison]:
    """The model's comparisons this table has columns for (optional ones may be missing)."""
    return [c for c in model.comparisons if table.has(c.column)]


def compare_pairs(
    table: Table,
    comparisons: list[Comparison],
    left: IntArray,
    right: IntArray,
    *,
    workers: int = -1,
    skip: Collection[int] = (),
    last_use: bool = False,
) -> Compared:
    """Levels of every comparison for every pair ``(left[k], right[k])``; the comparisons
    at the positions in ``skip`` are left null (-1) for the caller to fill. ``last_use``:
    no later comparison needs the table's prepared values (:meth:`Table.memo`), so each is
    forgotten as soon as its comparison is done, before the next one allocates."""
    levels = np.empty((len(left), len(comparisons)), dtype=np.int8)
    out = Compared(levels)
    for k, comparison in enumerate(comparisons):
        if k in skip:
            levels[:, k] = NULL
            continue
        if table.is_multi(comparison.column):
            levels[:, k] = compare_multi(table, comparison, left, right)
            continue
        column, scores = compare_single(table, comparison, left, right, workers=workers)
        levels[:, k] = column
        if scores is not None:
            out.scores[comparison.name] = scores
        if last_use:
            table.drop_memo()
    return out


@dataclass(frozen=True)
class PairDecision:
    """The outcome for one pair: matched or not, its match weight, name score and reason."""

    match: bool
    strength: int = 0
    """Kept for callers of the rule-based version: 1 when matched, else 0."""
    score: float = 0.0
    """Name similarity 0..100."""
    reason: str = ""
    weight: float = 0.0
    """Match weight in bits (prior + levels); the model's threshold decides."""
