"""Looking up many pair keys at once: whether two members met, whether a conflict was declared.

The k-nearest graph scores a few hundred thousand candidate pairs per round and must
find, for each, whether the two met before (and how) and whether a conflict was
declared. ``np.searchsorted`` on the sorted keys costs about 70 ns a pair (a binary
search that misses the cache at every step), which was half of the graph's time at
2,000 members. Up to ``DENSE_PAIRS`` possible keys a byte of flags per pair answers
with one gather. Above (5,000 members and more) the binary searches stay, so memory
stays flat (1 % of all pairs in conflict is two million keys at 20,000 members), but
only for the keys a small hashed bit filter (:class:`Filter`, 16 bits per stored key)
cannot rule out: about 6 % of them, where searching all of them took 0.3 s of a
20,000-member round.
"""

from __future__ import annotations

import numpy as np

DENSE_PAIRS = 1 << 23  # up to ~2,900 members a plain n*n table of flags (8 MB, briefly)
MET, CONFLICT = 2, 1


class PairFacts:
    """For pair keys ``a * n + b``: the position among past meetings, and any conflict."""

    def __init__(self, n: int, met_keys: np.ndarray, conflict_keys: np.ndarray) -> None:
        self._met_keys, self._conflict_keys = met_keys, conflict_keys
        self._flags: np.ndarray | None = None
        self._filters: tuple[Filter, Filter] | None = None
        if n * n <= DENSE_PAIRS:
            flags = np.zeros(n * n, dtype=np.uint8)
            flags[met_keys] = MET
            flags[conflict_keys] |= CONFLICT
            self._flags = flags

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the meeting in the met keys or -1, conflict declared) per key."""
        if self._flags is not None:
            flags = self._flags[keys]
            met = np.full(len(keys), -1, dtype=np.int64)
            seen = (flags & MET).astype(bool)
            met[seen] = np.searchsorted(self._met_keys, keys[seen])
            return met, (flags & CONFLICT).astype(bool)
        if self._filters is None:
            self._filters = Filter(self._met_keys), Filter(self._conflict_keys)
        met, conflict = self._filters
        return met.find(keys), conflict.find(keys) >= 0


class Filter:
    """Sorted keys behind a hashed bit table: a key whose bit is clear is surely absent.

    One bit per slot, 16 slots per stored key (a present key's slot is always set, an
    absent key's with a chance of about 1 in 16), so a lookup binary-searches only the
    keys the table cannot rule out. Multiplicative hashing spreads the keys ``a * n + b``
    of neighbouring members over the table.
    """

    MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, stored: np.ndarray) -> None:
        self.stored = stored
        self.bits = max(16, int(len(stored) * 16 - 1).bit_length())
        flags = np.zeros(1 << self.bits, dtype=bool)  # a byte a slot, briefly
        flags[self._slot(stored)] = True  # (``bitwise_or.at`` on the bits: 4x slower)
        self.table = np.packbits(flags, bitorder="little")

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        hashed = keys.astype(np.uint64) * self.MULTIPLIER  # wraps: the hash's point
        return (hashed >> np.uint64(64 - self.bits)).astype(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Position of each key in the stored keys, or -1 where absent."""
        at = np.full(len(keys), -1, dtype=np.int64)
        if not len(self.stored):
            return at
        slot = self._slot(keys)
        maybe = ((self.table[slot >> 3] >> (slot & 7).astype(np.uint8)) & 1).astype(bool)
        at[maybe] = _find(self.stored, keys[maybe])
        return at


def _find(stored: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each key in the sorted ``stored`` keys, or -1 where absent."""
    if not len(stored):
        return np.full(len(keys), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(stored, keys), len(stored) - 1)
    return np.where(stored[at] == keys, at, -1)
