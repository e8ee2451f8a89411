"""Large rounds, vectorised: a k-nearest candidate graph, greedy, then local improvement.

Every member's working week is a 336-bit mask; members are ordered by where their
working day sits on the UTC clock (the circular mean of their half-hours), so the
colleagues sharing the most hours are their neighbours in that order. Each member's
``2 * window`` neighbours (and, with a specialty preference, their neighbours among
the same specialty) are scored at once with numpy (overlap by ``bitwise_count``, past
meetings and conflicts by sorted pair keys), and the ``k`` best compatible ones are
kept: the k-nearest graph. Up to ``sparse_limit`` members it is solved whole (exact on
that graph, rustworkx); above, a greedy matching (best edges first) is improved by
2-opt swaps on matched pairs (``(a,b),(c,d)`` -> ``(a,c),(b,d)``), in vectorised passes
until no swap gains or the time budget is spent, so the result is never below greedy.
Members left without a partner are matched among themselves on their full rows.

Weights here use local tier units (pressure, then repeats, then soft points) that are
exact for comparing up to four edges, which is all greedy and 2-opt ever compare.
"""

from __future__ import annotations

import time

import numpy as np

from bot.pairing.matching.score import (
    OVERLAP_CAP_HOURS,
    OVERLAP_POINTS_PER_HOUR,
    OVERLAP_STEP_HOURS,
    SLOTS_PER_WEEK,
    SOFT_MAX,
    SPECIALTY_POINTS,
    Scorer,
)

WORDS = -(-SLOTS_PER_WEEK // 64)
REPEAT_LOCAL = 4 * SOFT_MAX + 1
PRESSURE_LOCAL = 8 * REPEAT_LOCAL
Pair = tuple[int, int]


class Vectors:
    """The round's members as arrays: week masks, specialties, past meetings, conflicts."""

    def __init__(self, scorer: Scorer) -> None:
        n = len(scorer.ids)
        self.n = n
        cache: dict[int, np.ndarray] = {}
        words = np.empty((n, WORDS), dtype=np.uint64)
        for m, mask in enumerate(scorer.mask):
            row = cache.get(mask)
            if row is None:
                row = np.array([(mask >> (64 * w)) & (2**64 - 1) for w in range(WORDS)],
                               dtype=np.uint64)
                cache[mask] = row
            words[m] = row
        self.words = words
        specs = sorted(set(scorer.spec))
        self.spec = np.array([specs.index(s) for s in scorer.spec], dtype=np.int32)
        self.known = np.array([bool(s) for s in scorer.spec])
        self.preference = scorer.config.specialty_preference
        met, press, novelty, repeat = [], [], [], []
        for a in range(n):
            for b in scorer.met[a]:
                if a < b:
                    met.append(a * n + b)
                    press.append(scorer.press(a, b))
                    novelty.append(scorer.novelty(a, b))
                    repeat.append(scorer.is_repeat(a, b))
        order = np.argsort(np.array(met, dtype=np.int64), kind="stable")
        self.met_keys = np.array(met, dtype=np.int64)[order]
        self.met_press = np.array(press, dtype=np.int64)[order]
        self.met_novelty = np.array(novelty, dtype=np.int64)[order]
        self.met_repeat = np.array(repeat, dtype=np.int64)[order]
        self.fresh_press = scorer.press(0, 0) if n else 0  # a pair that never met
        self.fresh_novelty = scorer.novelty(0, 0) if n else 0
        self.conflict_keys = scorer.conflict.keys

    def center(self) -> np.ndarray:
        """Where each member's working day sits on the UTC clock, in [0, 1)."""
        bits = np.unpackbits(self.words.view(np.uint8), axis=1, bitorder="little")
        day = bits[:, :SLOTS_PER_WEEK].reshape(self.n, 7, 48).sum(axis=1).astype(np.float64)
        angle = 2 * np.pi * (np.arange(48) + 0.5) / 48
        x, y = day @ np.cos(angle), day @ np.sin(angle)
        return (np.arctan2(y, x) / (2 * np.pi)) % 1.0

    def weights(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(allowed, weight) for pairs u-v: never a conflict; weight in local tier units."""
        allowed, soft, repeat, press = self.parts(u, v)
        return allowed, soft - REPEAT_LOCAL * repeat - PRESSURE_LOCAL * press

    def parts(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
        """(allowed, soft points incl. novelty, repeat 0/1, pressure cost) for pairs u-v."""
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        keys = lo.astype(np.int64) * self.n + hi
        overlap = np.zeros(len(u), dtype=np.int64)
        for w in range(WORDS):
            overlap += np.bitwise_count(self.words[u, w] & self.words[v, w])
        steps = np.minimum(overlap // (2 * OVERLAP_STEP_HOURS),
                           OVERLAP_CAP_HOURS // OVERLAP_STEP_HOURS)
        soft = steps * (OVERLAP_STEP_HOURS * OVERLAP_POINTS_PER_HOUR)
        if self.preference in ("same", "mixed"):
            both = self.known[u] & self.known[v]
            same = self.spec[u] == self.spec[v]
            hit = both & (same if self.preference == "same" else ~same)
            soft = soft + np.where(hit, SPECIALTY_POINTS, 0)
        press = np.full(len(u), self.fresh_press, dtype=np.int64)
        novelty = np.full(len(u), self.fresh_novelty, dtype=np.int64)
        repeat = np.zeros(len(u), dtype=np.int64)
        if len(self.met_keys):
            at = np.minimum(np.searchsorted(self.met_keys, keys), len(self.met_keys) - 1)
            found = self.met_keys[at] == keys
            press = np.where(found, self.met_press[at], press)
            novelty = np.where(found, self.met_novelty[at], novelty)
            repeat = np.where(found, self.met_repeat[at], repeat)
        allowed = u != v
        if len(self.conflict_keys):
            at = np.minimum(np.searchsorted(self.conflict_keys, keys), len(self.conflict_keys) - 1)
            allowed &= self.conflict_keys[at] != keys
        return allowed, soft + novelty, repeat, press


def knn_edges(vec: Vectors, nodes: np.ndarray, k: int, window: int) -> tuple[np.ndarray, ...]:
    """Each node's k best compatible partners among its circular neighbours (u < v pairs)."""
    count = len(nodes)
    window = min(window, (count - 1) // 2) or 1
    centre = vec.center()[nodes]
    orders = [np.argsort(centre, kind="stable")]
    if vec.preference == "same":  # neighbours inside the same specialty, too
        orders.append(np.lexsort((centre, vec.spec[nodes])))
    us, vs, ds = [], [], []
    offsets = np.stack([np.arange(1, window + 1), -np.arange(1, window + 1)], axis=1).ravel()
    for order in orders:
        position = np.empty(count, dtype=np.int64)
        position[order] = np.arange(count)
        around = order[(position[:, None] + offsets[None, :]) % count]
        us.append(np.repeat(np.arange(count), len(offsets)))
        vs.append(around.ravel())
        ds.append(np.tile(np.arange(len(offsets)), count))
    u = nodes[np.concatenate(us)]
    v = nodes[np.concatenate(vs)]
    near = np.concatenate(ds)
    allowed, weight = vec.weights(u, v)
    u, v, weight, near = u[allowed], v[allowed], weight[allowed], near[allowed]
    # keep each member's k best (by weight; among equals the nearest on the clock, so
    # ties spread over neighbours instead of piling onto a few members)
    order = np.lexsort((near, -weight, u))
    u, v, weight = u[order], v[order], weight[order]
    first = np.searchsorted(u, u, side="left")
    rank = np.arange(len(u)) - first
    keep = rank < k
    lo, hi = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    keys = np.unique(lo.astype(np.int64) * vec.n + hi)
    lo, hi = keys // vec.n, keys % vec.n
    return lo, hi, vec.weights(lo, hi)[1]


def greedy(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Heaviest edges first, each taken if both ends are free; mate[m] = partner or -1."""
    mate = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((v, u, -weight))
    for a, b in zip(u[order].tolist(), v[order].tolist(), strict=True):
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a
    return mate


def two_opt(vec: Vectors, mate: np.ndarray, u: np.ndarray, v: np.ndarray,
            deadline: float) -> tuple[np.ndarray, int]:
    """Swap partners across two pairs wherever it gains, in vectorised passes, until done.

    For each candidate edge a-c whose ends are matched to b and d, the swap to a-c, b-d
    is scored; the best non-overlapping gains are applied together, then the next pass.
    """
    passes = 0
    both = np.concatenate([u, v]), np.concatenate([v, u])
    while time.perf_counter() < deadline:
        a, c = both
        b, d = mate[a], mate[c]
        ok = (b >= 0) & (d >= 0) & (b != c) & (a < c)
        a, b, c, d = a[ok], b[ok], c[ok], d[ok]
        if not len(a):
            break
        ok_ac, w_ac = vec.weights(a, c)
        ok_bd, w_bd = vec.weights(b, d)
        _, w_ab = vec.weights(a, b)
        _, w_cd = vec.weights(c, d)
        gain = w_ac + w_bd - w_ab - w_cd
        good = ok_ac & ok_bd & (gain > 0)
        if not good.any():
            break
        a, b, c, d, gain = a[good], b[good], c[good], d[good], gain[good]
        order = np.lexsort((a, -gain))
        touched = np.zeros(len(mate), dtype=bool)
        applied = 0
        for i in order.tolist():
            quad = (a[i], b[i], c[i], d[i])
            if touched[list(quad)].any():
                continue
            touched[list(quad)] = True
            mate[quad[0]], mate[quad[2]] = quad[2], quad[0]
            mate[quad[1]], mate[quad[3]] = quad[3], quad[1]
            applied += 1
        passes += 1
        if not applied:
            break
    return mate, passes


def pairs_of(mate: np.ndarray) -> list[Pair]:
    return [(a, b) for a, b in enumerate(mate.tolist()) if b > a]


def exact_weights(scorer: Scorer, vec: Vectors, u: np.ndarray, v: np.ndarray) -> list[int]:
    """The engine's own integer edge weights (all tiers) for pairs u-v, for rustworkx.

    The grouped tier is left out: the solver maximises cardinality first anyway.
    """
    _, soft, repeat, press = vec.parts(u, v)
    level = scorer.level
    return [
        level[a] + level[b] + s - scorer.repeat_unit * r - scorer.pressure_unit * p
        for a, b, s, r, p in zip(u.tolist(), v.tolist(), soft.tolist(), repeat.tolist(),
                                 press.tolist(), strict=True)
    ]
