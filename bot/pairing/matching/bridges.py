"""Joining the islands of a k-nearest graph, so the exact solver can pair everyone.

Members whose working hours sit apart (a night shift, a zone with few colleagues) keep
their k best candidates among themselves, and the k-nearest graph then falls into
islands. An island with an odd number of members leaves one of them unpaired, and
proving that no better matching exists is the exact solver's slowest case: at 2,001
members, islands of 296 and 1,704 took the solve from 0.1 s to 1-3 s, and the two
members left over were paired with each other afterwards, wherever they were. So each
member of every island but the largest also gets their best compatible candidate
outside it (among the clock neighbours already scored), which joins the islands
whenever any pair across them is allowed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

ROWS = 1024  # rows of candidates looked at together


def islands(count: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The island (connected component) of each of ``count`` nodes, 0 = the largest.

    By label propagation: each node takes the smallest label among itself and its
    neighbours, and labels point to labels (pointer jumping) so long chains settle in a
    few rounds; at the fixed point both ends of every edge agree. Faster here than
    handing the edges to rustworkx (converting them to Python tuples cost the most).
    The edges are sorted by their first end once, so each round's minimum over a
    node's neighbours is one ``minimum.reduceat`` (``minimum.at`` took 0.1 s at 20,000).
    """
    label = np.arange(count, dtype=np.int32)  # int32: the temporaries of a preview's peak
    u, v = u.astype(np.int32), v.astype(np.int32)
    ends = np.concatenate([u, v])
    order = np.argsort(ends, kind="stable")
    ends, others = ends[order], np.concatenate([v, u])[order]
    del order, u, v
    starts = np.flatnonzero(np.concatenate(([True], ends[1:] != ends[:-1]))) if len(ends) else ends
    owners = ends[starts]
    while len(ends):
        new = label.copy()
        new[owners] = np.minimum(new[owners], np.minimum.reduceat(label[others], starts))
        new = new[new[new]]
        if np.array_equal(new, label):
            break
        label = new
    roots, label, sizes = np.unique(label, return_inverse=True, return_counts=True)
    rank = np.empty(len(roots), dtype=np.int64)
    rank[np.lexsort((roots, -sizes))] = np.arange(len(roots))  # largest first, then lowest
    return rank[label]


def bridges(partner: np.ndarray, scores: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
            u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Extra edges (row, partner) joining the islands of the graph u-v.

    ``partner[i, j]`` is row i's j-th scored candidate; ``scores(rows)`` says, for those
    rows' candidates, whether each pair may be grouped at all and its value (scored
    again here, for the few rows outside the largest island, rather than kept for all:
    the caller's table of every candidate's value was 5 MB of a preview's peak memory).
    Every row outside the largest island gets its heaviest allowed candidate in another
    island; islands may first join among themselves (three islands of day workers
    beside one of night workers), so this repeats until one island is left or no
    allowed pair crosses.
    """
    count = len(partner)
    join_u, join_v = [], []
    label = islands(count, u, v)
    while label.max() > 0:
        outside = np.flatnonzero(label > 0)
        joined = 0
        for low in range(0, len(outside), ROWS):  # in slices: a preview's memory stays flat
            rows = outside[low : low + ROWS]
            block = partner[rows]
            allowed, weight = scores(rows)
            across = allowed & (label[block] != label[rows][:, None])
            best = np.where(across, weight, np.iinfo(np.int64).min).argmax(axis=1)
            found = across[np.arange(len(rows)), best]
            join_u.append(rows[found])
            join_v.append(block[np.arange(len(rows)), best][found].astype(np.int64))
            joined += int(found.sum())
        if not joined:
            break
        before = label.max()
        label = islands(count, np.concatenate([u, *join_u]), np.concatenate([v, *join_v]))
        if label.max() >= before:
            break
    empty = np.empty(0, dtype=np.int64)
    return (np.concatenate(join_u) if join_u else empty,
            np.concatenate(join_v) if join_v else empty)
