"""Facts about pairs of members, indexed once per round with numpy: past meetings, conflicts.

A 20,000-member round brings 120,000 past pairs (12 rounds) and, on the benchmark's
hard instances, 2 million declared conflicts. Both are turned into sorted integer keys
``a * n + b`` (a < b, member indices) in a few vectorised passes; the vectorised graph
looks keys up in bulk (``keys.PairFacts``), and the few Python paths (the score of
the chosen groups, the trio, explanations) ask single pairs through small lookups
built when first needed. Building per-member dictionaries of every past partner up
front took 0.45 s at 20,000 members.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from itertools import chain, combinations, repeat
from operator import itemgetter

import numpy as np


def unique_sorted(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hashing is slow on millions of int64 keys)."""
    keys = np.sort(keys)
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


class MetPairs:
    """Who met whom in past rounds: per pair key, rounds ago (most recent) and weight.

    ``keys`` are sorted and distinct; ``ago[i]`` is how many rounds ago the pair of
    ``keys[i]`` last met (1 = last round) and ``weight[i]`` the sum of ``weights[ago - 1]``
    over every round they met in (rounds beyond ``len(weights)`` weigh nothing).
    Members not in ``index`` (no longer taking part) are left out.
    """

    BULK = 64  # from this many pairs at once, :meth:`facts` searches the sorted keys

    def __init__(self, index: dict[str, int], history: Sequence[Sequence[Sequence[str]]],
                 weights: Sequence[int]) -> None:
        n = self.n = len(index)
        groups = list(chain.from_iterable(history))
        sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
        rounds = np.repeat(np.arange(1, len(history) + 1), [len(g) for g in history])
        members = np.fromiter(map(index.get, chain.from_iterable(groups), repeat(-1)),
                              dtype=np.int64, count=int(sizes.sum()))
        first = np.cumsum(sizes) - sizes
        lows, highs, agos = [], [], []
        for size in np.unique(sizes).tolist():
            which = np.flatnonzero(sizes == size)
            rows = members[first[which][:, None] + np.arange(size)]
            for i, j in combinations(range(size), 2):
                a, b = rows[:, i], rows[:, j]
                keep = (a >= 0) & (b >= 0) & (a != b)
                lows.append(np.minimum(a, b)[keep])
                highs.append(np.maximum(a, b)[keep])
                agos.append(rounds[which][keep])
        empty = np.empty(0, dtype=np.int64)
        low, high = np.concatenate([empty, *lows]), np.concatenate([empty, *highs])
        ago = np.concatenate([empty, *agos])
        table = np.zeros(max(len(history), len(weights)) + 1, dtype=np.int64)
        table[1 : len(weights) + 1] = weights
        keys = low * n + high
        order = np.lexsort((ago, keys))  # by pair, most recent meeting first
        keys, ago, weight = keys[order], ago[order], table[ago[order]]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(
            keys) else empty
        self.keys = keys[starts]
        self.ago = ago[starts]
        self.weight = np.add.reduceat(weight, starts) if len(starts) else empty
        self._ago: dict[int, int] | None = None
        self._weight: dict[int, int] | None = None

    def ago_of(self, a: int, b: int) -> int | None:
        """Rounds since ``a`` and ``b`` last met, or None if they never did."""
        if self._ago is None:
            self._ago = dict(zip(self.keys.tolist(), self.ago.tolist(), strict=True))
        return self._ago.get(min(a, b) * self.n + max(a, b))

    def weight_of(self, a: int, b: int) -> int:
        """The pair's decayed meetings (0 if they never met within the weighed rounds)."""
        if self._weight is None:
            self._weight = dict(zip(self.keys.tolist(), self.weight.tolist(), strict=True))
        return self._weight.get(min(a, b) * self.n + max(a, b), 0)

    def facts(self, pairs: list[tuple[int, int]]) -> tuple[list[int | None], list[int]]:
        """``ago_of`` and ``weight_of`` for many pairs at once (a round's chosen pairs).

        By binary search on the sorted keys rather than the lookups' dictionaries, which
        for a 10,000-member round's 60,000 past pairs hold 15 MB (the preview's memory).
        """
        if len(pairs) < self.BULK or self._ago is not None:
            return ([self.ago_of(a, b) for a, b in pairs], [self.weight_of(a, b) for a, b in pairs])
        if not len(self.keys):
            return [None] * len(pairs), [0] * len(pairs)
        ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
        keys = ends.min(axis=1) * self.n + ends.max(axis=1)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        found = self.keys[at] == keys
        ago = [x if hit else None
               for x, hit in zip(self.ago[at].tolist(), found.tolist(), strict=True)]
        return ago, np.where(found, self.weight[at], 0).tolist()

    def floor(self) -> int:
        """The decayed meetings of the least-met pair (0 if any pair never met)."""
        weighed = self.weight[self.weight > 0]
        if len(weighed) < self.n * (self.n - 1) // 2 or not len(weighed):
            return 0
        return int(weighed.min())


class ConflictRows:
    """Declared conflicts by member index: ``rows[a]`` is the set of a's conflicts.

    Indexed once as sorted numpy keys (a 20,000-member round with 1 % of pairs in
    conflict brings 2 million pairs); a member's set is built when first asked for.
    Reading 2 million frozensets is bound by memory (each is its own object, in no
    useful order): the ids are looked up in one ``itemgetter`` call over a single pass
    (0.9 s at 20,000 members, where a pass to count the entries plus ``map`` took
    1.9 s); only a malformed entry or an id not in the round takes the careful path.
    """

    SCANS = 4  # rows answered by a scan of the keys before sorting them both ways

    def __init__(self, index: dict[str, int], conflicts: Iterable[Collection[str]]) -> None:
        n = len(index)
        pairs = conflicts if isinstance(conflicts, set | frozenset | list | tuple) else [
            *conflicts
        ]
        ends = _ends(index, pairs)
        low, high = ends.min(axis=1), ends.max(axis=1)
        self.n = n
        self.keys = unique_sorted(low * n + high)  # a < b, as a * n + b
        self._rows_keys: np.ndarray | None = None  # b * n + a for both orders, when needed
        self._rows: dict[int, set[int]] = {}

    def __getitem__(self, a: int) -> set[int]:
        row = self._rows.get(a)
        if row is None:
            row = self._row(a)
            self._rows[a] = row
        return row

    def _row(self, a: int) -> set[int]:
        """A few rows (a trio's leftover) by scanning; many by sorting the keys once."""
        n, keys = self.n, self.keys
        if self._rows_keys is None and len(self._rows) < self.SCANS:
            lo, hi = np.searchsorted(keys, [a * n, (a + 1) * n])
            later = keys[lo:hi] - a * n
            earlier = keys[keys % n == a] // n if len(keys) else keys
            return set(later.tolist()) | set(earlier.tolist())
        if self._rows_keys is None:
            self._rows_keys = np.sort(np.concatenate([keys, (keys % n) * n + keys // n]))
        lo, hi = np.searchsorted(self._rows_keys, [a * n, (a + 1) * n])
        return set((self._rows_keys[lo:hi] - a * n).tolist())


def _ends(index: dict[str, int], pairs: Collection[Collection[str]]) -> np.ndarray:
    """The members' indices of each conflict pair, shape (pairs, 2); others dropped."""
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    try:
        found = itemgetter(*chain.from_iterable(pairs))(index)
        if isinstance(found, tuple) and len(found) == 2 * len(pairs):
            return np.array(found, dtype=np.int64).reshape(-1, 2)
    except KeyError:  # an id not in this round: its pairs are ignored
        pass
    pairs = [p for p in pairs if len(p) == 2]  # a malformed entry: keep the pairs only
    ids = np.fromiter(map(index.get, chain.from_iterable(pairs), repeat(-1)),
                      dtype=np.int64, count=2 * len(pairs))
    ends = ids.reshape(-1, 2)
    return ends[(ends >= 0).all(axis=1)]
