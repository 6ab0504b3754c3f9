"""The declared dedupe model: blocking rules, comparisons with named levels, guards.

In the spirit of splink's settings, a model is data (``config/dedupe.toml`` for leads, one
TOML per data set in ``benchmarks/models/``), not code, so that what makes two records one
business can be read, reviewed and changed without touching Python. Everything is checked
when loaded: an unknown comparison, a level out of order or a bad threshold is one
``ConfigError`` line naming the key, never a silently different lead sheet.

Each comparison level carries prior ``m`` (how often one business shows that level) and ``u``
(how often two different businesses do) probabilities. They are used as they are for small
batches; a large enough batch re-estimates ``u`` from random pairs and ``m`` by
expectation-maximisation over the blocked pairs (``[estimate]``), without any labels.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from leadharvest.settings import ConfigError

SIMILARITY_SCORERS = (
    "jaro_winkler",
    "jaro",
    "ratio",
    "token_sort_ratio",
    "token_set_ratio",
    "partial_ratio",
    "name",
)
"""Similarities (higher = closer): ``min`` thresholds. ``jaro*`` are 0..1, the rest 0..100;
``name`` is the larger of token_sort_ratio and the ratio with spaces removed."""
DISTANCE_SCORERS = ("levenshtein", "damerau_levenshtein", "abs_diff")
"""Distances (lower = closer): ``max`` thresholds; ``abs_diff`` for numbers."""
LEVEL_KINDS = ("exact", "similar", "distance", "contains", "word_swap", "else")
"""``word_swap``: the two texts differ by whole words, and every differing word is a common
one (on at least ``min`` — a share of the records — of them): "clarke tiles group" and
"clarke textiles group" are two firms, "coaastal packaging" a typo of one."""


@dataclass(frozen=True)
class Level:
    """One named outcome of a comparison, strongest first."""

    label: str
    kind: str
    m: float
    u: float
    scorer: str = ""
    threshold: float = 0.0
    reason: str = ""
    """Text for ``match_reasons``; ``{value}`` = the shared value, ``{score}`` = the score."""

    @property
    def weight(self) -> float:
        """The prior match weight in bits: log2(m / u)."""
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class Comparison:
    """How one column of two records is compared: levels tried in order, ``else`` last."""

    name: str
    column: str
    levels: tuple[Level, ...]
    scored: bool = True
    """False: the levels only feed guards (e.g. numbers in names), they carry no weight."""
    optional: bool = False
    """True: when the column is not there (e.g. a pinyin key), the comparison is skipped."""

    def level(self, label: str) -> int:
        for index, level in enumerate(self.levels):
            if level.label == label:
                return index
        raise KeyError(label)


@dataclass(frozen=True)
class BlockingRule:
    """Records that share a value of ``column`` (or sit near in its sort order) are compared."""

    name: str
    column: str
    kind: str = "exact"
    """``exact``: same value; ``sorted``: each record with its next ``window`` in order."""
    max_block_size: int = 100
    """A larger block is not compared all-pairs: only ``window`` neighbours in name order."""
    window: int = 10
    reverse: bool = False
    """For ``sorted``: order by the reversed text, so typos early in a name meet too."""
    optional: bool = False


@dataclass(frozen=True)
class Condition:
    """``comparison.level`` terms that must all hold (``phone.same & email.same``)."""

    terms: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return " & ".join(f"{c}.{lv}" for c, lv in self.terms)


@dataclass(frozen=True)
class Guard:
    """A hard rule: never merge a pair ``when`` any condition holds, ``unless`` one does."""

    name: str
    when: tuple[Condition, ...]
    unless: tuple[Condition, ...] = ()
    review: bool = False
    """True: a pair the guard refused goes to review when its weight would have merged it."""
    reason: str = ""


@dataclass(frozen=True)
class Estimate:
    """When the batch is large enough to estimate m and u from itself."""

    u_min_records: int = 2000
    u_max_pairs: int = 300_000
    em_min_pairs: int = 20_000
    em_iterations: int = 25
    seed: int = 42
    prior: bool = True
    """False: EM keeps the declared prior (when blocked pairs mix too many kinds of
    non-match for EM to find the match share itself)."""


@dataclass(frozen=True)
class Model:
    """A whole declared model (see ``config/dedupe.toml``)."""

    name: str
    blocking: tuple[BlockingRule, ...]
    comparisons: tuple[Comparison, ...]
    guards: tuple[Guard, ...] = ()
    threshold: float = 0.0
    """Merge when prior weight + level weights reach this (0 = probability one half)."""
    prior: float = 0.01
    """Probability that a blocked pair is one entity, before EM estimates it."""
    estimate: Estimate = Estimate()
    chain_column: str = ""
    """Chain guard: a link joins two clusters only if every pair of their distinct values
    of this column scores at least ``chain_min_similarity`` (``name`` scorer; "" = off)."""
    chain_min_similarity: float = 50.0
    chain_established_share: float = 0.0
    """...where a cluster's names are those carried by this share of its records (and by two
    or more), when it has such names; 0 = every distinct name counts."""
    chain_own_words: bool = False
    """...and the names must also be alike without the words any business may carry
    (:func:`enrich.name.own_words`: places, standing, trade words)."""
    review_margin: float = 4.0
    """A pair that did not merge but scored within this many bits of the threshold..."""
    review_min_support: int = 1
    """...and has at least this many agreeing levels besides ``chain_column``'s, is reviewed."""

    def comparison(self, name: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.name == name:
                return comparison
        raise KeyError(name)

    @property
    def columns(self) -> set[str]:
        return {c.column for c in self.comparisons} | {b.column for b in self.blocking}


def _number(where: str, value: Any, low: float, high: float, *, open_low: bool = False) -> float:
    bad = isinstance(value, bool) or not isinstance(value, int | float)
    if bad or value < low or value > high or (open_low and value == low):
        side = "above" if open_low else "from"
        raise ConfigError(f"{where} must be a number {side} {low:g} to {high:g}, not {value!r}")
    return float(value)


def _whole(where: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{where} must be a whole number >= {minimum}, not {value!r}")
    return value


def _text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty text, not {value!r}")
    return value.strip()


def _flag(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false, not {value!r}")
    return value


def _keys(where: str, table: Any, allowed: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r}")
    return table


def _level(where: str, data: Any, position: int, count: int) -> Level:
    table = _keys(where, data, ("label", "kind", "scorer", "min", "max", "m", "u", "reason"))
    label = _text(f"{where}.label", table.get("label"))
    kind = table.get("kind", "")
    scorer = table.get("scorer", "")
    if not kind:
        kind = "else" if position == count - 1 and not scorer else ""
        kind = kind or ("distance" if scorer in DISTANCE_SCORERS else "similar")
    if kind not in LEVEL_KINDS:
        raise ConfigError(f"{where}.kind must be one of {', '.join(LEVEL_KINDS)}, not {kind!r}")
    threshold = 0.0
    if kind == "similar":
        if scorer not in SIMILARITY_SCORERS:
            raise ConfigError(
                f"{where}.scorer must be one of {', '.join(SIMILARITY_SCORERS)}, not {scorer!r}"
            )
        top = 1.0 if scorer.startswith("jaro") else 100.0
        threshold = _number(f"{where}.min", table.get("min"), 0.0, top, open_low=True)
    elif kind == "distance":
        if scorer not in DISTANCE_SCORERS:
            raise ConfigError(
                f"{where}.scorer must be one of {', '.join(DISTANCE_SCORERS)}, not {scorer!r}"
            )
        threshold = _number(f"{where}.max", table.get("max"), 0.0, 1e9)
    elif kind == "word_swap":
        if scorer or "max" in table:
            raise ConfigError(f"{where}: a word_swap level takes only min (a share of records)")
        threshold = _number(f"{where}.min", table.get("min"), 0.0, 1.0, open_low=True)
    elif scorer or "min" in table or "max" in table:
        raise ConfigError(f"{where}: a {kind} level takes no scorer, min or max")
    if kind == "else" and position != count - 1:
        raise ConfigError(f"{where}: the else level must be the last")
    m = _number(f"{where}.m", table.get("m"), 0.0, 1.0, open_low=True)
    u = _number(f"{where}.u", table.get("u"), 0.0, 1.0, open_low=True)
    reason = table.get("reason", "")
    if not isinstance(reason, str):
        raise ConfigError(f"{where}.reason must be a text")
    return Level(label, kind, m, u, scorer, threshold, reason)


def _comparison(where: str, data: Any) -> Comparison:
    table = _keys(where, data, ("name", "column", "levels", "scored", "optional"))
    name = _text(f"{where}.name", table.get("name"))
    where = f"comparison {name}"
    column = _text(f"{where}.column", table.get("column", name))
    raw = table.get("levels")
    if not isinstance(raw, list) or len(raw) < 2:
        raise ConfigError(f"{where}.levels must list at least two levels (the last: else)")
    levels = tuple(_level(f"{where}.levels[{i}]", d, i, len(raw)) for i, d in enumerate(raw))
    if levels[-1].kind != "else":
        raise ConfigError(f"{where}.levels: the last level must be else (no scorer)")
    labels = [level.label for level in levels]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"{where}.levels: labels must be unique, not {labels}")
    if any(level.kind == "exact" for level in levels[1:]):
        raise ConfigError(f"{where}.levels: an exact level must come first")
    for before, after in itertools.pairwise(levels):
        if before.scorer != after.scorer or after.kind == "else":
            continue
        if before.kind == "similar" and after.threshold >= before.threshold:
            raise ConfigError(
                f"{where}.levels.{after.label}: min {after.threshold:g} must be below the "
                f"previous level's {before.threshold:g} (levels go strongest first)"
            )
        if before.kind == "distance" and after.threshold <= before.threshold:
            raise ConfigError(
                f"{where}.levels.{after.label}: max {after.threshold:g} must be above the "
                f"previous level's {before.threshold:g} (levels go strongest first)"
            )
    scored = _flag(f"{where}.scored", table.get("scored", True))
    optional = _flag(f"{where}.optional", table.get("optional", False))
    return Comparison(name, column, levels, scored, optional)


def _blocking(where: str, data: Any) -> BlockingRule:
    allowed = ("name", "column", "kind", "max_block_size", "window", "reverse", "optional")
    table = _keys(where, data, allowed)
    name = _text(f"{where}.name", table.get("name"))
    where = f"blocking {name}"
    kind = table.get("kind", "exact")
    if kind not in ("exact", "sorted"):
        raise ConfigError(f"{where}.kind must be exact or sorted, not {kind!r}")
    return BlockingRule(
        name=name,
        column=_text(f"{where}.column", table.get("column")),
        kind=kind,
        max_block_size=_whole(f"{where}.max_block_size", table.get("max_block_size", 100), 2),
        window=_whole(f"{where}.window", table.get("window", 10), 1),
        reverse=_flag(f"{where}.reverse", table.get("reverse", False)),
        optional=_flag(f"{where}.optional", table.get("optional", False)),
    )


def _conditions(
    where: str, value: Any, comparisons: Mapping[str, Comparison]
) -> tuple[Condition, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{where} must be a list of 'comparison.level' texts")
    out = []
    for item in items:
        terms = []
        for term in item.split("&"):
            comparison, _, label = term.strip().partition(".")
            if comparison not in comparisons:
                raise ConfigError(f"{where}: unknown comparison {comparison!r} in {item!r}")
            if label not in {lv.label for lv in comparisons[comparison].levels}:
                raise ConfigError(
                    f"{where}: comparison {comparison} has no level {label!r} in {item!r}"
                )
            terms.append((comparison, label))
        out.append(Condition(tuple(terms)))
    return tuple(out)


def _guard(where: str, data: Any, comparisons: Mapping[str, Comparison]) -> Guard:
    table = _keys(where, data, ("name", "when", "unless", "review", "reason"))
    name = _text(f"{where}.name", table.get("name"))
    where = f"guard {name}"
    when = _conditions(f"{where}.when", table.get("when"), comparisons)
    if not when:
        raise ConfigError(f"{where}.when must name at least one comparison level")
    return Guard(
        name=name,
        when=when,
        unless=_conditions(f"{where}.unless", table.get("unless", []), comparisons),
        review=_flag(f"{where}.review", table.get("review", False)),
        reason=str(table.get("reason", name)),
    )


MODEL_SECTIONS = ("model", "estimate", "blocking", "comparison", "guard", "cluster", "review")


def parse_model(data: Mapping[str, Any], *, origin: str, columns: set[str] | None = None) -> Model:
    """Validate the model tables of a TOML document (other sections are the caller's).

    ``columns``, when given, are the columns the records will have: a comparison or blocking
    rule on any other column is refused unless it is declared ``optional``.
    """
    try:
        return _parse(data, columns)
    except ConfigError as error:
        raise ConfigError(f"{origin}: {error}") from None


def _parse(data: Mapping[str, Any], columns: set[str] | None) -> Model:
    head = _keys("[model]", data.get("model", {}), ("name", "threshold", "prior"))
    estimate_table = _keys(
        "[estimate]",
        data.get("estimate", {}),
        ("u_min_records", "u_max_pairs", "em_min_pairs", "em_iterations", "seed", "prior"),
    )
    cluster = _keys(
        "[cluster]",
        data.get("cluster", {}),
        ("column", "min_similarity", "established_share", "own_words"),
    )
    review = _keys("[review]", data.get("review", {}), ("margin", "min_support"))
    raw_comparisons = data.get("comparison", [])
    if not isinstance(raw_comparisons, list) or not raw_comparisons:
        raise ConfigError("[[comparison]] must declare at least one comparison")
    comparisons = tuple(_comparison(f"comparison[{i}]", d) for i, d in enumerate(raw_comparisons))
    by_name = {c.name: c for c in comparisons}
    if len(by_name) != len(comparisons):
        raise ConfigError("[[comparison]] names must be unique")
    raw_blocking = data.get("blocking", [])
    if not isinstance(raw_blocking, list) or not raw_blocking:
        raise ConfigError("[[blocking]] must declare at least one rule")
    blocking = tuple(_blocking(f"blocking[{i}]", d) for i, d in enumerate(raw_blocking))
    raw_guards = data.get("guard", [])
    if not isinstance(raw_guards, list):
        raise ConfigError("[[guard]] must be a list of tables")
    guards = tuple(_guard(f"guard[{i}]", d, by_name) for i, d in enumerate(raw_guards))
    if columns is not None:
        items: list[Comparison | BlockingRule] = [*comparisons, *blocking]
        for item in items:
            if item.column not in columns and not item.optional:
                kind = "comparison" if isinstance(item, Comparison) else "blocking"
                raise ConfigError(
                    f"{kind} {item.name}.column: unknown column {item.column!r} "
                    f"(known: {', '.join(sorted(columns))})"
                )
    defaults = Estimate()
    estimate = Estimate(
        u_min_records=_whole(
            "estimate.u_min_records",
            estimate_table.get("u_min_records", defaults.u_min_records),
            2,
        ),
        u_max_pairs=_whole(
            "estimate.u_max_pairs", estimate_table.get("u_max_pairs", defaults.u_max_pairs), 100
        ),
        em_min_pairs=_whole(
            "estimate.em_min_pairs", estimate_table.get("em_min_pairs", defaults.em_min_pairs), 1
        ),
        em_iterations=_whole(
            "estimate.em_iterations",
            estimate_table.get("em_iterations", defaults.em_iterations),
            0,
        ),
        seed=_whole("estimate.seed", estimate_table.get("seed", defaults.seed), 0),
        prior=_flag("estimate.prior", estimate_table.get("prior", True)),
    )
    chain_column = cluster.get("column", "")
    if chain_column and not isinstance(chain_column, str):
        raise ConfigError("cluster.column must be a column name")
    return Model(
        name=str(head.get("name", "model")),
        blocking=blocking,
        comparisons=comparisons,
        guards=guards,
        threshold=_number("model.threshold", head.get("threshold", 0.0), -100.0, 100.0),
        prior=_number("model.prior", head.get("prior", 0.01), 0.0, 0.5, open_low=True),
        estimate=estimate,
        chain_column=chain_column,
        chain_min_similarity=_number(
            "cluster.min_similarity", cluster.get("min_similarity", 50.0), 0.0, 100.0
        ),
        chain_established_share=_number(
            "cluster.established_share", cluster.get("established_share", 0.0), 0.0, 1.0
        ),
        chain_own_words=_flag("cluster.own_words", cluster.get("own_words", False)),
        review_margin=_number("review.margin", review.get("margin", 4.0), 0.0, 100.0),
        review_min_support=_whole("review.min_support", review.get("min_support", 1), 0),
    )
