"""Sparse candidate graphs for large rounds: each member's k best compatible candidates.

Members with the same working-hours mask and specialty form a class; the soft score
between two members is mostly their classes' score (plus novelty, at most
``NEVER_MET_POINTS``). numpy (already a dependency of rustworkx) scores every class
against every class at once, so a round of thousands costs milliseconds to rank.

Each member gets its k best compatible candidates (never a declared conflict, never a
partner from the last K rounds), ranked by reduced value: the pair's class score minus
half of the best score the partner's class could reach with anyone. Raw value would
send everyone to the members with the longest hours; reduced value keeps members whose
options are few (short or unusual hours) for each other, which is what the optimum
does. Ties rotate per class so no class becomes everyone's hub, and candidates inside a
class are consecutive neighbours (a ring), so edges spread evenly.
"""

from __future__ import annotations

import numpy as np

from bot.pairing.matching.score import (
    OVERLAP_CAP_HOURS,
    OVERLAP_POINTS_PER_HOUR,
    OVERLAP_STEP_HOURS,
    SLOTS_PER_WEEK,
    SPECIALTY_POINTS,
    Scorer,
)

Pair = tuple[int, int]
WORDS = -(-SLOTS_PER_WEEK // 64)


class Classes:
    """The round's members grouped by (working-hours mask, specialty), with class scores."""

    def __init__(self, scorer: Scorer, nodes: list[int]) -> None:
        index: dict[tuple[int, str], int] = {}
        self.members: list[list[int]] = []
        self.of: dict[int, int] = {}
        for m in nodes:
            c = index.setdefault((scorer.mask[m], scorer.spec[m]), len(index))
            if c == len(self.members):
                self.members.append([])
            self.members[c].append(m)
            self.of[m] = c
        self.position = {m: p for group in self.members for p, m in enumerate(group)}
        self.soft = class_soft_matrix(scorer, list(index))

    def __len__(self) -> int:
        return len(self.members)


def class_soft_matrix(scorer: Scorer, keys: list[tuple[int, str]]) -> np.ndarray:
    """``Scorer.class_soft`` for every pair of classes (int32, classes x classes)."""
    words = np.array(
        [[(mask >> (64 * w)) & (2**64 - 1) for w in range(WORDS)] for mask, _ in keys],
        dtype=np.uint64,
    ).reshape(len(keys), WORDS)
    overlap = np.zeros((len(keys), len(keys)), dtype=np.int32)
    for w in range(WORDS):
        overlap += np.bitwise_count(words[:, None, w] & words[None, :, w]).astype(np.int32)
    steps = np.minimum(overlap // (2 * OVERLAP_STEP_HOURS), OVERLAP_CAP_HOURS // OVERLAP_STEP_HOURS)
    soft = steps * (OVERLAP_STEP_HOURS * OVERLAP_POINTS_PER_HOUR)  # as overlap_points()
    specs = [spec for _, spec in keys]
    codes = np.array([sorted(set(specs)).index(s) for s in specs], dtype=np.int32)
    known = np.array([bool(s) for s in specs])
    both = known[:, None] & known[None, :]
    same = codes[:, None] == codes[None, :]
    pref = scorer.config.specialty_preference
    if pref == "same":
        soft += np.where(both & same, SPECIALTY_POINTS, 0).astype(np.int32)
    elif pref == "mixed":
        soft += np.where(both & ~same, SPECIALTY_POINTS, 0).astype(np.int32)
    return soft


def _compatible(scorer: Scorer, u: int, v: int) -> bool:
    return v != u and v not in scorer.conflict[u] and not scorer.is_repeat(u, v)


def _ranked(row: np.ndarray, prefix: int):
    """A class's ranking, converted lazily: the first few classes nearly always suffice."""
    yield from row[:prefix].tolist()
    yield from row[prefix:].tolist()


def candidate_edges(scorer: Scorer, classes: Classes, k: int) -> set[Pair]:
    """Each member's k best compatible candidates (no conflict, no recent partner)."""
    count = len(classes)
    rotation = (np.arange(count)[None, :] - np.arange(count)[:, None]) % count
    # Rank by reduced value: the pair's score minus half the partner class's best score,
    # so a member prefers partners for whom the pair is also close to their best (a
    # short-hours member is worth more to another short-hours member than to a long one).
    soft = classes.soft.astype(np.int64)
    sizes = np.array([len(m) for m in classes.members])
    reachable = soft.copy()
    np.fill_diagonal(reachable, np.where(sizes > 1, np.diag(soft), -1))  # alone in its class
    reduced = 2 * soft - reachable.max(axis=1)[None, :]
    ranking = np.argsort(-reduced * count + rotation, axis=1)
    edges: set[Pair] = set()
    prefix = min(count, 4 * k + 8)
    for u, own in classes.of.items():
        picked = 0
        pos = classes.position[u]
        for cj in _ranked(ranking[own], prefix):
            members = classes.members[cj]
            size = len(members)
            start = pos + 1 if cj == own else pos * size // len(classes.members[own])
            for step in range(size):
                v = members[(start + step) % size]
                if _compatible(scorer, u, v):
                    edges.add((min(u, v), max(u, v)))
                    picked += 1
                    if picked >= k:
                        break
            if picked >= k:
                break
    return edges
