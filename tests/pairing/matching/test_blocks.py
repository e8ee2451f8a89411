"""Matching: rounds above block_size are split into blocks and still obey every rule."""

import random

from bot.pairing.matching.solver import Candidate, MatchConfig, match

ZONES = ["UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin"]


def round_of(n, seed=3):
    rng = random.Random(seed)
    ids = [f"m{i:03d}" for i in range(n)]
    members = [Candidate(m, tz=rng.choice(ZONES), specialty=rng.choice("xy")) for m in ids]
    conflicts = {frozenset(rng.sample(ids, 2)) for _ in range(3 * n)}
    history = []
    for _ in range(6):
        order = rng.sample(ids, n)
        history.append([tuple(order[i : i + 2]) for i in range(0, n - 1, 2)])
    return members, conflicts, history


def test_blocked_round_keeps_conflicts_apart_and_avoids_repeats():
    members, conflicts, history = round_of(121)
    config = MatchConfig(exact_limit=0, block_size=30, seed=2)
    result = match(members, conflicts, history, config)
    assert result.method == "blocked" and result.stats["blocks"] == 5
    grouped = {frozenset((a, b)) for g in result.groups for a in g for b in g if a != b}
    assert not grouped & conflicts
    assert result.parts.repeats == 0
    assert result.unmatched == []
    assert sorted(len(g) for g in result.groups).count(3) == 1


def test_blocked_round_is_close_to_the_exact_one():
    members, conflicts, history = round_of(121)
    exact = match(members, conflicts, history, MatchConfig(seed=2))
    blocked = match(members, conflicts, history, MatchConfig(exact_limit=0, block_size=30, seed=2))
    assert blocked.parts.grouped == exact.parts.grouped
    assert blocked.parts.repeats == exact.parts.repeats == 0
    assert blocked.parts.soft >= 0.97 * exact.parts.soft
