"""Looking up many pair keys at once in a hash table held in numpy arrays.

The k-nearest graph scores a few hundred thousand candidate pairs per round and must
find, for each, whether the two met before (and how) and whether a conflict was
declared. ``np.searchsorted`` on the sorted keys costs about 70 ns a pair (a binary
search that misses the cache at every step), which was half of the graph's time at
2,000 members; an open-addressing table probed with vectorised gathers finds most keys
in one probe (the table is at most half full). Keys are non-negative int64 (``a * n +
b``), so ``EMPTY = -1`` can never be a key.
"""

from __future__ import annotations

import numpy as np

EMPTY = -1
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads consecutive keys


class KeyIndex:
    """Where each of a set of distinct keys sits in the array it was built from."""

    def __init__(self, keys: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64)
        bits = max(4, int(2 * len(keys)).bit_length())  # load factor <= 1/2
        self._shift = np.uint64(64 - bits)
        self._mask = (1 << bits) - 1
        self._keys = np.full(1 << bits, EMPTY, dtype=np.int64)
        self._where = np.full(1 << bits, EMPTY, dtype=np.int64)
        pending = np.arange(len(keys))
        slot = self._slots(keys)
        while len(pending):
            at = slot[pending]
            free = self._keys[at] == EMPTY
            # one winner per free slot this round (the first asking); the rest probe on
            order = np.flatnonzero(free)
            _, first = np.unique(at[order], return_index=True)
            won = order[first]
            self._keys[at[won]] = keys[pending[won]]
            self._where[at[won]] = pending[won]
            lost = np.ones(len(pending), dtype=bool)
            lost[won] = False
            slot[pending[lost & ~free]] = (at[lost & ~free] + 1) & self._mask
            pending = pending[lost]

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        mixed = keys.astype(np.uint64) * _MIX  # wraps modulo 2**64, as hashing wants
        return (mixed >> self._shift).astype(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Position of each key in the build array, or -1 where it is absent."""
        keys = np.asarray(keys, dtype=np.int64)
        found = np.full(len(keys), EMPTY, dtype=np.int64)
        active = np.arange(len(keys))
        slot = self._slots(keys)
        while len(active):
            stored = self._keys[slot]
            hit = stored == keys[active]
            found[active[hit]] = self._where[slot[hit]]
            going = ~hit & (stored != EMPTY)  # another key here: probe the next slot
            active, slot = active[going], (slot[going] + 1) & self._mask
        return found


DENSE_PAIRS = 1 << 23  # up to ~2,900 members a plain n*n table of flags (8 MB, briefly)
MET, CONFLICT = 2, 1


class PairFacts:
    """For pair keys ``a * n + b``: the position among past meetings, and any conflict.

    Up to ``DENSE_PAIRS`` possible keys, one byte of flags per pair (a single gather per
    lookup, 25x faster than a binary search; the few pairs that met are then placed by
    binary search). Above, meetings (a few per member) sit in a hash table, and
    conflicts (1 % of all pairs is two million at 20,000 members: a table would double
    their memory) are found by binary search in their sorted keys.
    """

    def __init__(self, n: int, met_keys: np.ndarray, conflict_keys: np.ndarray) -> None:
        self._met_keys, self._conflict_keys = met_keys, conflict_keys
        self._flags: np.ndarray | None = None
        if n * n <= DENSE_PAIRS:
            flags = np.zeros(n * n, dtype=np.uint8)
            flags[met_keys] = MET
            flags[conflict_keys] |= CONFLICT
            self._flags = flags
        else:
            self._met = KeyIndex(met_keys)

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the meeting in the met keys or -1, conflict declared) per key."""
        if self._flags is not None:
            flags = self._flags[keys]
            met = np.full(len(keys), -1, dtype=np.int64)
            seen = (flags & MET).astype(bool)
            met[seen] = np.searchsorted(self._met_keys, keys[seen])
            return met, (flags & CONFLICT).astype(bool)
        conflict = np.zeros(len(keys), dtype=bool)
        if len(self._conflict_keys):
            ends = self._conflict_keys
            at = np.minimum(np.searchsorted(ends, keys), len(ends) - 1)
            conflict = ends[at] == keys
        return self._met.find(keys), conflict
