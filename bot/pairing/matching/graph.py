"""Candidate graphs for the matching and their maximum-weight, maximum-cardinality solution.

Small rounds use the full graph (every pair without a declared conflict), which gives
the exact optimum of the score. Large rounds use a sparse graph: each member's k best
compatible candidates (by working-hours overlap and specialty, never a conflict or a
recent partner) plus a few seeded random edges, which in practice keeps a perfect
matching and the same optimum at a fraction of the cost; members the sparse graph
leaves without a partner get their full row of edges and the graph is solved again.
Very large rounds are split into blocks with the same mix of working hours and
specialties (the solver is cubic in the worst case), solved one by one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import rustworkx as rx

from bot.pairing.matching.score import Scorer
from bot.pairing.matching.sparse import Classes, candidate_edges

Pair = tuple[int, int]


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


def row_edges(scorer: Scorer, member: int, nodes: list[int]) -> set[Pair]:
    """All conflict-free edges of one member (repeats included, penalised by the score)."""
    blocked = scorer.conflict[member]
    return {(min(member, b), max(member, b)) for b in nodes if b != member and b not in blocked}


def random_edges(scorer: Scorer, nodes: list[int], per_member: int) -> set[Pair]:
    """A few seeded random compatible edges per member, for a well-connected graph."""
    rng = random.Random(scorer.config.seed * 7919 + len(nodes))
    edges: set[Pair] = set()
    for u in nodes:
        for _ in range(per_member):
            v = nodes[rng.randrange(len(nodes))]
            if v != u and v not in scorer.conflict[u] and not scorer.is_repeat(u, v):
                edges.add((min(u, v), max(u, v)))
    return edges


def exposed(nodes: list[int], pairs: list[Pair]) -> list[int]:
    matched = {m for p in pairs for m in p}
    return [m for m in nodes if m not in matched]


def solve_sparse(scorer: Scorer, nodes: list[int], stats: dict[str, int]) -> list[Pair]:
    """Sparse graph, then full rows for whoever is left without a partner, solved again."""
    cfg = scorer.config
    classes = Classes(scorer, nodes)
    edges = candidate_edges(scorer, classes, cfg.candidates_per_member)
    edges |= random_edges(scorer, nodes, cfg.random_edges_per_member)
    pairs = solve(scorer, nodes, edges)
    for _ in range(2):
        alone = exposed(nodes, pairs)
        if len(alone) <= len(nodes) % 2:
            break
        before = len(edges)
        for m in alone:
            edges |= row_edges(scorer, m, nodes)
        if len(edges) == before:
            break
        stats["densified"] = stats.get("densified", 0) + len(alone)
        pairs = solve(scorer, nodes, edges)
    stats["edges"] = stats.get("edges", 0) + len(edges)
    return pairs


def blocks(scorer: Scorer, nodes: list[int], size: int) -> list[list[int]]:
    """Split into blocks of at most about ``size`` with the same mix of classes.

    Members are sorted by class and dealt out two at a time, so every block but one
    has an even count and each class stays even inside a block wherever it can.
    """
    count = -(-len(nodes) // size)
    ordered = sorted(nodes, key=lambda m: (scorer.mask[m], scorer.spec[m], m))
    out: list[list[int]] = [[] for _ in range(count)]
    for i in range(0, len(ordered), 2):
        out[(i // 2) % count].extend(ordered[i : i + 2])
    return [sorted(b) for b in out if b]


def pair_up(scorer: Scorer, nodes: list[int], stats: dict[str, int]) -> tuple[list[Pair], str]:
    """The best pairs for ``nodes``: exact, sparse or blocked depending on the count."""
    cfg = scorer.config
    if len(nodes) <= cfg.exact_limit:
        edges = full_edges(scorer, nodes)
        stats["edges"] = len(edges)
        return solve(scorer, nodes, edges), "exact"
    if len(nodes) <= cfg.block_size:
        return solve_sparse(scorer, nodes, stats), "sparse"
    pairs: list[Pair] = []
    for block in blocks(scorer, nodes, cfg.block_size):
        pairs += solve_sparse(scorer, block, stats)
    stats["blocks"] = -(-len(nodes) // cfg.block_size)
    alone = exposed(nodes, pairs)
    if len(alone) > 1:  # leftovers of different blocks may still pair with each other
        pairs += solve(scorer, alone, full_edges(scorer, alone))
    return sorted(pairs), "blocked"
