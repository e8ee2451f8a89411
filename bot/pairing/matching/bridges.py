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

import numpy as np
import rustworkx as rx


def islands(count: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The island (connected component) of each of ``count`` nodes, 0 = the largest."""
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(count))
    graph.add_edges_from_no_data(list(zip(u.tolist(), v.tolist(), strict=True)))
    parts = sorted(rx.connected_components(graph), key=lambda part: (-len(part), min(part)))
    label = np.empty(count, dtype=np.int64)
    for number, part in enumerate(parts):
        label[list(part)] = number
    return label


def bridges(partner: np.ndarray, allowed: np.ndarray, weight: np.ndarray,
            u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Extra edges (row, partner) joining the islands of the graph u-v.

    ``partner[i, j]`` is row i's j-th scored candidate, ``allowed`` says whether the
    pair may be grouped at all and ``weight`` its value; for every row outside the
    largest island, the heaviest allowed candidate in another island is returned.
    """
    count = len(partner)
    label = islands(count, u, v)
    rows = np.flatnonzero(label > 0)
    if not len(rows):
        return rows, rows
    block = partner[rows]
    across = allowed[rows] & (label[block] != label[rows][:, None])
    best = np.where(across, weight[rows], np.iinfo(np.int64).min).argmax(axis=1)
    found = across[np.arange(len(rows)), best]
    return rows[found], block[np.arange(len(rows)), best][found].astype(np.int64)
