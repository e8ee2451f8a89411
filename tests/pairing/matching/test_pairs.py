"""Pair facts indexed with numpy (bot/pairing/matching/pairs.py) against plain references.

Past meetings and declared conflicts are indexed as sorted keys in a few vectorised
passes; these references are the per-member dictionaries and sets the engine built
before, pair by pair, including the awkward inputs: trios, members no longer taking
part, the same pair twice in a round, more rounds than are weighed, malformed
conflicts and conflicts with someone not in the round.
"""

from __future__ import annotations

import random

import pytest

from bot.pairing.matching.pairs import ConflictRows, MetPairs
from bot.pairing.matching.score import PRESSURE_ROUNDS, PRESSURE_WEIGHTS


def reference_met(index, history):
    met = [{} for _ in index]
    weight = [{} for _ in index]
    for ago, groups in enumerate(history, start=1):
        w = PRESSURE_WEIGHTS[ago - 1] if ago <= PRESSURE_ROUNDS else 0
        for group in groups:
            inside = [index[m] for m in group if m in index]
            for a in inside:
                for b in inside:
                    if a != b:
                        met[a].setdefault(b, ago)
                        if w:
                            weight[a][b] = weight[a].get(b, 0) + w
    return met, weight


@pytest.mark.parametrize("rounds", [0, 1, 12, PRESSURE_ROUNDS + 7])
def test_past_meetings_agree_with_per_member_dictionaries(rounds):
    rng = random.Random(rounds)
    ids = [f"m{i}" for i in range(30)]
    index = {m: i for i, m in enumerate(ids[:24])}  # six are no longer taking part
    history = []
    for _ in range(rounds):
        order = rng.sample(ids, 30)
        groups = [tuple(order[i : i + 2]) for i in range(0, 27, 2)] + [tuple(order[27:])]
        groups.append((order[0], order[1]))  # the same pair twice in one round
        history.append(groups)
    past = MetPairs(index, history, PRESSURE_WEIGHTS)
    met, weight = reference_met(index, history)
    for a in range(24):
        for b in range(24):
            if a != b:
                assert past.ago_of(a, b) == met[a].get(b), (a, b)
                assert past.weight_of(a, b) == weight[a].get(b, 0), (a, b)
    everyone_met = sum(map(len, weight)) == 24 * 23
    floor = min(min(r.values()) for r in weight if r) if everyone_met else 0
    assert past.floor() == floor


def test_the_floor_is_the_least_met_pair_once_everyone_met():
    index = {"a": 0, "b": 1, "c": 2}
    history = [[("a", "b", "c")], [("a", "b")]]
    past = MetPairs(index, history, PRESSURE_WEIGHTS)
    assert past.floor() == PRESSURE_WEIGHTS[0]  # a-c and b-c met once, a round ago
    assert MetPairs(index, history[1:], PRESSURE_WEIGHTS).floor() == 0  # c met nobody


@pytest.mark.parametrize("asked", [1, ConflictRows.SCANS + 3])
def test_conflict_rows_by_scan_and_by_sort_agree_with_sets(asked):
    rng = random.Random(asked)
    ids = [f"m{i}" for i in range(40)]
    index = {m: i for i, m in enumerate(ids)}
    pairs = {frozenset(rng.sample(ids, 2)) for _ in range(150)}
    rows = ConflictRows(index, pairs)
    want = {i: set() for i in range(40)}
    for pair in pairs:
        a, b = (index[m] for m in pair)
        want[a].add(b)
        want[b].add(a)
    for a in range(40):
        assert rows[a] == want[a]


def test_conflicts_with_people_not_in_the_round_or_malformed_are_ignored():
    index = {"a": 0, "b": 1, "c": 2}
    pairs = [frozenset(("a", "b")), frozenset(("a", "gone")), frozenset(("c",)),
             frozenset(("a", "b", "c"))]
    rows = ConflictRows(index, pairs)
    assert (rows[0], rows[1], rows[2]) == ({1}, {0}, set())
    assert rows.keys.tolist() == [1]
    only_gone = ConflictRows(index, iter([frozenset(("a", "gone"))]))
    assert only_gone.keys.tolist() == [] and only_gone[0] == set()
