"""Candidate graphs for the matching and their maximum-weight, maximum-cardinality solution.

Small rounds use the full graph (every pair without a declared conflict), which gives
the exact optimum of the score. Larger rounds use each member's k best compatible
candidates among their neighbours on the UTC clock (``fast.knn_edges``, vectorised):
solved whole by rustworkx up to ``sparse_limit`` members; above it (the exact solver
is cubic in the worst case) solved exactly in windows of clock neighbours, then in
windows straddling those seams within a time budget (``fast.windowed``). Members left
without a partner are matched among themselves. Rounds are never split by a mix of
hours: windows follow the graph, whose edges join clock neighbours.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import rustworkx as rx

from bot.pairing.matching import fast
from bot.pairing.matching.budget import Budget
from bot.pairing.matching.score import Scorer

Pair = tuple[int, int]
FULL_ROWS_LIMIT = 300  # more members left alone than this get a k-nearest graph first


def solve(scorer: Scorer, nodes: list[int], edges: Iterable[Pair]) -> list[Pair]:
    """Maximum-weight matching among maximum-cardinality ones (rustworkx, exact)."""
    local = {m: i for i, m in enumerate(nodes)}
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(nodes)
    graph.add_edges_from([(local[a], local[b], scorer.edge_weight(a, b)) for a, b in sorted(edges)])
    matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: w)
    pairs = [(nodes[a], nodes[b]) for a, b in matched]
    return sorted((min(p), max(p)) for p in pairs)


def full_edges(scorer: Scorer, nodes: list[int]) -> set[Pair]:
    """Every pair of ``nodes`` without a declared conflict."""
    edges: set[Pair] = set()
    for i, a in enumerate(nodes):
        blocked = scorer.conflict[a]
        for b in nodes[i + 1 :]:
            if b not in blocked:
                edges.add((min(a, b), max(a, b)))
    return edges


def exposed(nodes: list[int], pairs: list[Pair]) -> list[int]:
    matched = {m for p in pairs for m in p}
    return [m for m in nodes if m not in matched]


def pair_up(
    scorer: Scorer, nodes: list[int], stats: dict[str, int],
    budget: Budget | None = None,
) -> tuple[list[Pair], str]:
    """The best pairs for ``nodes``: exact, k-nearest solved whole, or solved in windows.

    Above ``exact_limit`` an odd count first sets aside its fairest third (the lowest
    fairness level: fewest trio turns), whom the trio step then places. ``budget``
    (the caller's clock: the engine reads none) says whether seam windows may go on.
    """
    cfg = scorer.config
    if len(nodes) <= cfg.exact_limit:
        edges = full_edges(scorer, nodes)
        stats["edges"] = len(edges)
        return solve(scorer, nodes, edges), "exact"
    rest = list(nodes)
    if len(rest) % 2:
        rest.remove(min(rest, key=lambda m: (scorer.level[m], m)))
    vec = scorer.vectors = fast.Vectors(scorer)
    array = np.array(rest, dtype=np.int64)
    k, window = cfg.candidates_per_member, cfg.neighbour_window
    if len(rest) > cfg.sparse_limit:  # windows are solved exactly: a leaner graph suffices
        k, window = cfg.window_candidates, cfg.window_neighbours
    u, v, _ = fast.knn_edges(vec, array, k, window)
    stats["edges"] = len(u)
    if len(rest) <= cfg.sparse_limit:
        weights = fast.exact_weights(scorer, vec, u, v)
        pairs = fast.solve_weighted(rest, u.tolist(), v.tolist(), weights)
        method = "sparse"
    else:
        pairs = fast.windowed(scorer, vec, array, (u, v), cfg.window_size, budget,
                                stats)
        method = "windows"
    alone = exposed(rest, pairs)
    if len(alone) > 1:  # whoever the sparse graph left alone: matched among themselves
        stats["densified"] = len(alone)
        pairs += _among(scorer, vec, alone)
    return sorted(pairs), method


def _among(scorer: Scorer, vec: fast.Vectors, alone: list[int]) -> list[Pair]:
    """Pairs among members left alone: a wide k-nearest graph, then full rows if needed.

    The full rows are scored at once (numpy, the same weights as the windows): a few
    hundred members left alone at 20,000 took 0.12 s pair by pair in Python.
    """
    pairs: list[Pair] = []
    if len(alone) > FULL_ROWS_LIMIT:
        u, v, _ = fast.knn_edges(vec, np.array(alone, dtype=np.int64), 16, 64)
        weights = fast.exact_weights(scorer, vec, u, v)
        pairs = fast.solve_weighted(alone, u.tolist(), v.tolist(), weights)
        alone = exposed(alone, pairs)
    if len(alone) > 1:
        members = np.array(sorted(alone), dtype=np.int64)
        i, j = np.triu_indices(len(members), 1)
        allowed, _ = vec.weights(members[i], members[j])
        u, v = members[i][allowed], members[j][allowed]
        pairs += fast.solve_weighted(alone, u.tolist(), v.tolist(),
                                     fast.exact_weights(scorer, vec, u, v))
    return pairs
