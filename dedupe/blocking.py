"""Blocking: which pairs of leads are worth comparing at all.

Comparing every lead with every other grows with the square of the batch; blocking compares
only leads that share a key — an E.164 phone, an e-mail address, a company domain, a name
token — so cost grows near-linearly. A block larger than ``max_block_size`` (a common word
like "electronics", a number on hundreds of listings of one firm) is not compared all-pairs:
its members are sorted by name and each is compared with its next ``window`` neighbours,
plus the pairs whose names are similar enough to match (found by rapidfuzz's C search, not a
Python loop over all pairs), so one busy key cannot explode the cost and no likely match is
skipped.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dedupe.compare import LeadKeys
from enrich.name import name_tokens


@dataclass
class BlockingResult:
    """Candidate pairs ``(i, j)`` with ``i < j`` and what the blocking cost."""

    pairs: set[tuple[int, int]] = field(default_factory=set)
    blocks: int = 0
    oversized: int = 0
    """Blocks too big for all pairs: compared by sorted window and a name search instead."""


def block_keys(keys: LeadKeys, *, min_token_length: int = 2, prefix_length: int = 4) -> list[str]:
    """The blocks one lead falls into, prefixed by kind (``phone:``, ``email:`` …).

    Besides exact keys, a name gives its tokens (CJK as bigrams) and its first
    ``prefix_length`` letters with spaces removed, so ``unilver``/``unilever`` and
    ``st microelectronics``/``stmicroelectronics`` meet.
    """
    out = [f"phone:{p}" for p in sorted(keys.phones)]
    out += [f"email:{e}" for e in sorted(keys.emails)]
    out += [f"domain:{d}" for d in sorted(keys.domains)]
    if keys.name:
        out.append(f"name:{keys.name}")
        tokens = name_tokens(keys.name)
        long_tokens = [t for t in tokens if len(t) >= min_token_length] or tokens[:1]
        out += [f"token:{t}" for t in long_tokens]
        compact = keys.name.replace(" ", "")
        if prefix_length and len(compact) > prefix_length:
            out.append(f"prefix:{compact[:prefix_length]}")
    return out


def _ordered(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def _window_pairs(
    members: Sequence[int], names: Mapping[int, str], window: int
) -> Iterable[tuple[int, int]]:
    ordered = sorted(members, key=lambda i: (names[i], i))
    for pos, i in enumerate(ordered):
        for j in ordered[pos + 1 : pos + 1 + window]:
            yield _ordered(i, j)


def _similar_name_pairs(
    members: Sequence[int],
    names: Mapping[int, str],
    scorer: Callable[..., float],
    cutoff: float,
    compact_names: bool,
) -> Iterable[tuple[int, int]]:
    """Within a big block, pairs whose names score at least ``cutoff`` (rapidfuzz, in C).

    Identical names are chained; each pair of distinct similar names gives one pair of
    representatives, which clustering extends to the rest.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i in members:
        groups[names[i]].append(i)
    for group in groups.values():
        yield from (_ordered(a, b) for a, b in itertools.pairwise(group))
    distinct = [name for name in groups if name]
    compact = [name.replace(" ", "") for name in distinct]
    searches: list[tuple[list[str], Callable[..., float]]] = [(distinct, scorer)]
    if compact_names:
        searches.append((compact, fuzz.ratio))
    for choices, score_with in searches:
        for pos, name in enumerate(choices[:-1]):
            rest = choices[pos + 1 :]
            for _match, _score, offset in process.extract(
                name, rest, scorer=score_with, score_cutoff=cutoff, limit=None
            ):
                yield _ordered(groups[distinct[pos]][0], groups[distinct[pos + 1 + offset]][0])


def candidate_pairs(
    records: Sequence[LeadKeys],
    *,
    max_block_size: int,
    window: int,
    min_token_length: int = 2,
    scorer: Callable[..., float] = fuzz.token_sort_ratio,
    name_cutoff: float = 100.0,
    contact_cutoff: float = 100.0,
    max_scored_block: int = 1000,
    compact_names: bool = True,
) -> BlockingResult:
    """Every pair that shares a block, big blocks thinned to the pairs that can match.

    A block over ``max_block_size`` gives its sorted-name neighbours (``window``) and — up
    to ``max_scored_block`` members — the pairs whose names reach the cutoff that the rule
    for that kind of block needs (``contact_cutoff`` for a phone/e-mail, ``name_cutoff`` for
    a name block); a domain block needs no name, so its neighbours chain it.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for keys in records:
        for key in block_keys(keys, min_token_length=min_token_length):
            blocks[key].append(keys.index)
    names = {keys.index: keys.name for keys in records}
    result = BlockingResult(blocks=len(blocks))
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if len(members) <= max_block_size:
            for pos, i in enumerate(members):
                result.pairs.update(_ordered(i, j) for j in members[pos + 1 :] if j != i)
            continue
        result.oversized += 1
        result.pairs.update(_window_pairs(members, names, window))
        kind = key.split(":", 1)[0]
        if kind != "domain" and len(members) <= max_scored_block:
            cutoff = contact_cutoff if kind in ("phone", "email") else name_cutoff
            result.pairs.update(_similar_name_pairs(members, names, scorer, cutoff, compact_names))
    return result
