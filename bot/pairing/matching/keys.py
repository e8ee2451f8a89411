"""Looking up many pair keys at once: whether two members met, whether a conflict was declared.

The k-nearest graph scores a few hundred thousand candidate pairs per round and must
find, for each, whether the two met before (and how) and whether a conflict was
declared. ``np.searchsorted`` on the sorted keys costs about 70 ns a pair (a binary
search that misses the cache at every step), which was half of the graph's time at
2,000 members. Up to ``DENSE_PAIRS`` possible keys a byte of flags per pair answers
with one gather; above (5,000 members and more, where the windows' solves dominate
anyway) the binary searches stay, so memory stays flat (1 % of all pairs in conflict
is two million keys at 20,000 members).
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
        return _find(self._met_keys, keys), _find(self._conflict_keys, keys) >= 0


def _find(stored: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each key in the sorted ``stored`` keys, or -1 where absent."""
    if not len(stored):
        return np.full(len(keys), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(stored, keys), len(stored) - 1)
    return np.where(stored[at] == keys, at, -1)
