"""Large rounds, vectorised: a k-nearest candidate graph, greedy, then local improvement.

Every member's working week is a 336-bit mask; members are ordered by where their
working day starts, and ends, on the UTC clock, so the colleagues sharing the most
hours are their neighbours in those orders. Each member's neighbours (and, with a
"same" specialty preference, their neighbours within the specialty) are scored at
once with numpy (overlap by ``bitwise_count``, past meetings and conflicts by sorted
pair keys), and the ``k`` best compatible ones by reduced value are kept: the
k-nearest graph. Up to ``sparse_limit`` members it is solved whole (exact on
that graph, rustworkx); above, a greedy matching (best edges first) is improved by
2-opt swaps on matched pairs (``(a,b),(c,d)`` -> ``(a,c),(b,d)``), in vectorised passes
until no swap gains or the time budget is spent, so the result is never below greedy.
Members left without a partner are matched among themselves on their full rows.

Weights here use local tier units (pressure, then repeats, then soft points) that are
exact for comparing up to four edges, which is all greedy and 2-opt ever compare.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import rustworkx as rx

from bot.pairing.matching.bridges import bridges
from bot.pairing.matching.budget import Budget
from bot.pairing.matching.keys import PairFacts
from bot.pairing.matching.pairs import unique_sorted
from bot.pairing.matching.score import (
    OVERLAP_CAP_HOURS,
    OVERLAP_POINTS_PER_HOUR,
    OVERLAP_STEP_HOURS,
    SLOTS_PER_WEEK,
    SOFT_MAX,
    SPECIALTY_POINTS,
    Scorer,
    pressure_cost,
)

WORDS = -(-SLOTS_PER_WEEK // 64)
CHUNK = 1 << 14  # candidate pairs scored at once (their temporaries: a preview's peak)
NONE = -(2**60)  # no edge (a conflict, or oneself): below every real weight
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
        # every pair that met: key, rounds ago, decayed meetings (bot.pairing.matching.pairs),
        # scored by distinct value (a few hundred), so the scorer's functions stay the truth
        past = scorer.past
        keys, ago, weight = past.keys, past.ago, past.weight
        self.met_keys = keys
        self.met_repeat = (ago <= scorer.k).astype(np.int64)
        self.met_novelty = _by_value(ago, scorer.novelty_after)
        self.met_press = _by_value(weight, lambda w: pressure_cost(w - scorer.pressure_floor))
        self.fresh_press = pressure_cost(-scorer.pressure_floor)  # a pair that never met
        self.fresh_novelty = scorer.novelty_after(None)
        self.conflict_keys = scorer.conflict.keys
        self.facts = PairFacts(n, self.met_keys, self.conflict_keys)
        self._clock: tuple[np.ndarray, np.ndarray] | None = None

    def clock(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each member's working day starts and ends on the UTC clock, in [0, 1).

        From the circular mean of their half-hours over the week and the share of the
        day's half-hours they ever work, so it holds for any pattern of hours. Worked
        out once per round (the graph, the windows and the members left alone all ask;
        each matrix product also wakes OpenBLAS's threads, which spin on the other core
        for a while after).
        """
        if self._clock is None:
            self._clock = self._clock_of_days()
        return self._clock

    def _clock_of_days(self) -> tuple[np.ndarray, np.ndarray]:
        bits = np.unpackbits(self.words.view(np.uint8), axis=1, bitorder="little")
        day = bits[:, :SLOTS_PER_WEEK].reshape(self.n, 7, 48).sum(axis=1).astype(np.float64)
        angle = 2 * np.pi * (np.arange(48) + 0.5) / 48
        x, y = day @ np.cos(angle), day @ np.sin(angle)
        centre = (np.arctan2(y, x) / (2 * np.pi)) % 1.0
        length = (day > 0).sum(axis=1) / 48
        return (centre - length / 2) % 1.0, (centre + length / 2) % 1.0

    def weights(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(allowed, weight) for pairs u-v: never a conflict; weight in local tier units."""
        allowed, soft, repeat, press = self.parts(u, v)
        return allowed, soft - REPEAT_LOCAL * repeat - PRESSURE_LOCAL * press

    def parts(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
        """(allowed, soft points incl. novelty, repeat 0/1, pressure cost) for pairs u-v.

        In slices of ``CHUNK`` pairs, so the temporaries of a 10,000-member round's
        million candidate pairs never pile up (the preview stays under 150 MB).
        """
        if len(u) <= CHUNK:
            return self._parts(u, v)
        pieces = [self._parts(u[i : i + CHUNK], v[i : i + CHUNK])
                  for i in range(0, len(u), CHUNK)]
        return tuple(np.concatenate(column) for column in zip(*pieces, strict=True))

    def _parts(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, ...]:
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
        at, conflict = self.facts.lookup(keys)
        if len(self.met_keys):
            found = at >= 0
            press = np.where(found, self.met_press[at], press)
            novelty = np.where(found, self.met_novelty[at], novelty)
            repeat = np.where(found, self.met_repeat[at], repeat)
        allowed = (u != v) & ~conflict
        return allowed, soft + novelty, repeat, press


def _by_value(values: np.ndarray, score: Callable[[int], int]) -> np.ndarray:
    """``score`` of each value, computed once per distinct value."""
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([score(int(x)) for x in distinct], dtype=np.int64)[where]


def knn_edges(vec: Vectors, nodes: np.ndarray, k: int, window: int) -> tuple[np.ndarray, ...]:
    """Each node's k best compatible partners among its clock neighbours (u < v pairs).

    Neighbours are the ``window`` members each side in the order of working-day starts,
    and in the order of ends (with a "same" preference, also within the specialty).
    They are ranked by reduced value, the pair's weight minus half the best weight the
    partner has with anyone: raw weight would send everyone to the members with the
    longest hours, while the optimum keeps members with few good options (short or
    unusual hours) for each other. Among equals the nearer neighbour wins, so ties
    spread out instead of piling onto a few members.
    """
    count = len(nodes)
    window = max(1, min(window, (count - 1) // 2))
    start, end = vec.clock()
    orders = [np.argsort(start[nodes], kind="stable"), np.argsort(end[nodes], kind="stable")]
    if vec.preference == "same":
        spec = vec.spec[nodes]
        orders += [np.lexsort((start[nodes], spec)), np.lexsort((end[nodes], spec))]
    offsets = np.stack([np.arange(1, window + 1), -np.arange(1, window + 1)],
                       axis=1).ravel().astype(np.int32)
    # partner[i, j]: position of row i's j-th candidate; within an order, nearer first
    # (int32 throughout and filled in place: a 10,000-member preview's peak memory)
    width = len(orders) * len(offsets)
    partner = np.empty((count, width), dtype=np.int32)
    for i, order in enumerate(orders):
        order = order.astype(np.int32)
        position = np.empty(count, dtype=np.int32)
        position[order] = np.arange(count, dtype=np.int32)
        index = position[:, None] + offsets[None, :]
        np.remainder(index, count, out=index)
        partner[:, i * len(offsets) : (i + 1) * len(offsets)] = order[index]
    del index
    rows = max(1, CHUNK // width)

    def scores(which: np.ndarray) -> np.ndarray:
        """The value of rows ``which``'s candidates; NONE where a pair is not allowed."""
        block = partner[which]
        allowed, w = vec.weights(np.repeat(nodes[which], width), nodes[block.ravel()])
        w = np.where(allowed, w, NONE).reshape(block.shape)
        w[_repeated(block)] = NONE  # near in both orders: one candidate, not two
        return w

    weight = np.empty((count, width), dtype=np.int64)
    for low in range(0, count, rows):
        weight[low : low + rows] = scores(np.arange(low, min(low + rows, count)))
    best = weight.max(axis=1)
    keep_u, keep_v = [], []
    for low in range(0, count, rows):
        block, w = partner[low : low + rows], weight[low : low + rows]
        reduced = np.where(w > NONE, 2 * w - best[block], NONE)
        pick = np.argsort(-reduced, axis=1, kind="stable")[:, :k]  # stable: nearer wins ties
        chosen = np.take_along_axis(block, pick, axis=1)
        valid = np.take_along_axis(reduced, pick, axis=1) > NONE
        keep_u.append(np.repeat(np.arange(low, low + len(block)), pick.shape[1])[valid.ravel()])
        keep_v.append(chosen.ravel()[valid.ravel()])
    del weight, best, block, w, reduced, pick, chosen, valid  # not kept through bridges
    u, v = np.concatenate(keep_u), np.concatenate(keep_v).astype(np.int64)
    del keep_u, keep_v

    def allowed_scores(which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = scores(which)
        return w > NONE, w

    join_u, join_v = bridges(partner, allowed_scores, u, v)
    u, v = np.concatenate([u, join_u]), np.concatenate([v, join_v])
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keys = unique_sorted(lo.astype(np.int64) * count + hi)
    a, b = nodes[keys // count], nodes[keys % count]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo, hi, vec.weights(lo, hi)[1]


def _repeated(partner: np.ndarray) -> np.ndarray:
    """Cells naming a partner already named earlier in their row.

    A colleague close on the clock is a neighbour in the order of starts and in the
    order of ends; counted twice, they would take two of the k places and leave the
    member with fewer distinct candidates (as few as 6 of 12 at 2,001 members), which
    made graphs without a perfect matching and the exact solver's slowest cases.
    """
    order = np.argsort(partner, axis=1, kind="stable")  # stable: the first stays
    ranked = np.take_along_axis(partner, order, axis=1)
    repeated = np.zeros(partner.shape, dtype=bool)
    np.put_along_axis(repeated, order[:, 1:], ranked[:, 1:] == ranked[:, :-1], axis=1)
    return repeated


def greedy(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Heaviest edges first, each taken if both ends are free; mate[m] = partner or -1."""
    mate = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((v, u, -weight))
    for a, b in zip(u[order].tolist(), v[order].tolist(), strict=True):
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a
    return mate


def two_opt(vec: Vectors, mate: np.ndarray, u: np.ndarray, v: np.ndarray,
            in_time: Callable[[], bool] | None = None) -> tuple[np.ndarray, int]:
    """Swap partners across two pairs wherever it gains, in vectorised passes, until done.

    For each candidate edge a-c whose ends are matched to b and d, the swap to a-c, b-d
    is scored; the best non-overlapping gains are applied together, then the next pass.
    """
    passes = 0
    both = np.concatenate([u, v]), np.concatenate([v, u])
    while in_time is None or in_time():
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


def solve_weighted(nodes: list[int], u: list[int], v: list[int], w: list[int]) -> list[Pair]:
    """Maximum-weight matching among maximum-cardinality ones for given edge weights."""
    local = {m: i for i, m in enumerate(nodes)}
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(nodes)
    graph.add_edges_from([(local[a], local[b], x) for a, b, x in zip(u, v, w, strict=True)])
    matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda x: x)
    return sorted((min(nodes[a], nodes[b]), max(nodes[a], nodes[b])) for a, b in matched)


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


def windowed(scorer: Scorer, vec: Vectors, nodes: np.ndarray, edges: tuple[np.ndarray, ...],
             size: int, budget: Budget | None = None,
             stats: dict[str, int] | None = None) -> list[Pair]:
    """Exact matchings on windows of neighbours on the clock, then on windows straddling them.

    The k-nearest graph joins members close in working day, so a window of ``size``
    consecutive members (by the middle of their day) holds nearly all of each one's
    edges. The first pass solves each window exactly; the second solves windows shifted
    by half a window over the members whose partner is inside it, which repairs the
    seams. With a ``budget`` the second pass starts a window only if the slowest window
    so far fits before the reserve kept for the finishing work (``Budget.reserve``, as
    of now); the first pass always completes. Without one both complete, so the result
    depends on the inputs and seed only. ``stats`` gets how many seam windows were
    solved and how many the budget left out.
    """
    u, v = edges
    start, end = vec.clock()
    middle = ((start + ((end - start) % 1.0) / 2) % 1.0)[nodes]
    order = nodes[np.argsort(middle, kind="stable")]
    mate = np.full(vec.n, -1, dtype=np.int64)
    count = len(order)
    reserve = budget.reserve() if budget is not None else 0.0
    slowest = 0.0
    seams = list(range(-(size // 2), count, size))
    solved = 0
    for shift, lows in ((0, range(0, count, size)), (size // 2, seams)):
        for low in lows:
            if budget is not None:
                if shift and budget.left() <= reserve + slowest:
                    break
                began = budget.spent()
            _solve_window(scorer, vec, mate, order[max(low, 0) : low + size], (u, v))
            solved += bool(shift)
            if budget is not None:
                slowest = max(slowest, budget.spent() - began)
    if stats is not None:
        stats["seam_windows"], stats["seam_windows_cut"] = solved, len(seams) - solved
    return pairs_of(mate)


def _solve_window(scorer: Scorer, vec: Vectors, mate: np.ndarray, members: np.ndarray,
                  edges: tuple[np.ndarray, np.ndarray]) -> None:
    """Re-match ``members`` exactly among themselves (those paired outside stay)."""
    u, v = edges
    inside = np.zeros(vec.n, dtype=bool)
    inside[members] = True
    partner = mate[members]
    free = members[(partner < 0) | inside[np.maximum(partner, 0)]]
    inside[:] = False
    inside[free] = True
    take = inside[u] & inside[v]
    if not take.any():
        return
    wu, wv = u[take], v[take]
    pairs = solve_weighted(free.tolist(), wu.tolist(), wv.tolist(),
                           exact_weights(scorer, vec, wu, wv))
    mate[free] = -1
    for a, b in pairs:
        mate[a], mate[b] = b, a
