"""The trio steps of a large round, scored for every pair at once (numpy) instead of pair by pair.

An odd count puts its leftover member into the pair where they fit best, then tries
regrouping the trio with every pair (``trio.improve_trios``). Both look at every pair
of the round, and pair by pair in Python that was 2 s of a 20,001-member round (ten
pair values and five conflict sets per pair and pass). Here the pair terms come from
``fast.Vectors.parts`` for all pairs at once and are combined into the engine's exact
integer values in object arrays (Python integers: the tier units outgrow 64 bits), so
every decision is the one the pair-by-pair code makes, in the same order: the first
best pair for a leftover, the first pair whose regrouping gains, then on from there.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from bot.pairing.matching.fast import Vectors
from bot.pairing.matching.score import Scorer

Group = tuple[int, ...]
BULK = 64  # from this many groups the bulk paths are used
NOT_ALLOWED = -(10**200)  # below any real value: a split with a declared conflict
PAIRS_OF_FIVE = list(combinations(range(5), 2))
SPLITS = [(t, tuple(i for i in range(5) if i not in t)) for t in combinations(range(5), 3)]


def vectors(scorer: Scorer) -> Vectors:
    """The round's vectors, built once (the candidate graph usually built them already)."""
    if scorer.vectors is None:
        scorer.vectors = Vectors(scorer)
    return scorer.vectors


def pair_values(scorer: Scorer, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``scorer.pair_value`` of each pair a-b as Python integers; NOT_ALLOWED for conflicts."""
    allowed, soft, repeat, press = vectors(scorer).parts(a, b)
    value = (soft.astype(object) - scorer.repeat_unit * repeat.astype(object)
             - scorer.pressure_unit * press.astype(object))
    value[~allowed] = NOT_ALLOWED
    return value


def best_pair_for(scorer: Scorer, member: int, groups: list[Group]) -> int | None:
    """The index of the pair ``member`` joins best (``trio.attach_value``), or None."""
    at = np.array([i for i, g in enumerate(groups) if len(g) == 2], dtype=np.int64)
    if not len(at):
        return None
    ends = np.array([groups[i] for i in at.tolist()], dtype=np.int64)
    me = np.full(len(at), member, dtype=np.int64)
    with_a, with_b = pair_values(scorer, me, ends[:, 0]), pair_values(scorer, me, ends[:, 1])
    ok = (with_a != NOT_ALLOWED) & (with_b != NOT_ALLOWED)
    if not ok.any():
        return None
    level = np.array(scorer.level, dtype=object)
    value = (with_a + with_b - level[ends[:, 0]] - level[ends[:, 1]])[ok]
    return int(at[ok][int(np.argmax(value))])  # argmax: the first of equals, as before


def improve_pass(scorer: Scorer, groups: list[Group], ti: int) -> bool:
    """One pass of ``trio.improve_trios`` for the trio ``groups[ti]``: whether it changed.

    The trio is scored against every pair still ahead at once; the first pair that
    gains is regrouped, and the scan goes on from the next pair with the new trio,
    as the pair-by-pair pass does.
    """
    pairs = np.array([i for i, g in enumerate(groups) if len(g) == 2], dtype=np.int64)
    changed = False
    start = 0
    while start < len(pairs):
        gain, best = _gains(scorer, groups, groups[ti], pairs[start:])
        hit = np.flatnonzero(gain > 0)
        if not len(hit):
            break
        first = int(hit[0])
        pi, split = int(pairs[start + first]), SPLITS[int(best[first])]
        five = (*groups[ti], *groups[pi])
        groups[ti] = tuple(five[i] for i in split[0])
        groups[pi] = tuple(five[i] for i in split[1])
        changed = True
        start += first + 1
    return changed


def _gains(scorer: Scorer, groups: list[Group], trio: Group, pairs: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the best split's gain over the current one and that split's index."""
    if not len(pairs):
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    ends = np.array([groups[i] for i in pairs.tolist()], dtype=np.int64).reshape(-1, 2)
    five = np.concatenate([np.tile(np.array(trio, dtype=np.int64), (len(pairs), 1)), ends],
                          axis=1)
    value = {(i, j): pair_values(scorer, five[:, i], five[:, j]) for i, j in PAIRS_OF_FIVE}
    level = np.array(scorer.level, dtype=object)[five]
    scores = []
    for members, pair in SPLITS:
        parts = [value[p] for p in (*combinations(members, 2), pair)]
        blocked = np.logical_or.reduce([p == NOT_ALLOWED for p in parts])
        total = sum(parts[1:], parts[0]) - sum(level[:, i] for i in members)
        scores.append(np.where(blocked, NOT_ALLOWED, total))
    table = np.stack(scores)
    best = np.argmax(table, axis=0)  # the first of equals, as before
    current, top = table[0], table[best, np.arange(len(pairs))]
    gain = np.where((current == NOT_ALLOWED) | (top == NOT_ALLOWED), 0, top - current)
    return gain, best
