"""The trio steps of large rounds, scored for every pair at once, decide exactly as pair by pair.

bot/pairing/matching/trio_bulk.py takes over from 64 groups: a 20,001-member round
spent 2 s placing and regrouping its trio pair by pair in Python. These tests run the
same inputs both ways (the bulk paths switched off by raising their threshold) and
expect the same groups, on hard instances and on ones built to make the trio steps
work: fairness levels that differ, members who were in a trio last round, conflicts
that leave several members over.
"""

from __future__ import annotations

import random

import pytest

from bot.pairing.matching import trio, trio_bulk
from bot.pairing.matching.score import Scorer
from bot.pairing.matching.solver import Candidate, MatchConfig, match
from tests.pairing.matching.test_sparse_graph import hard


def both_ways(monkeypatch, run):
    bulk = run()
    with monkeypatch.context() as m:
        m.setattr(trio_bulk, "BULK", 10**9)
        plain = run()
    return bulk, plain


@pytest.mark.parametrize("n", [301, 641])
def test_hard_odd_rounds_get_the_same_groups(monkeypatch, n):
    members, conflicts, history = hard(n, seed=n)
    cfg = MatchConfig(seed=2, exact_limit=0, sparse_limit=400, window_size=120)
    bulk, plain = both_ways(monkeypatch, lambda: match(members, conflicts, history, cfg))
    assert len([g for g in bulk.groups if len(g) == 3]) == 1
    assert (bulk.groups, bulk.unmatched, bulk.score) == (plain.groups, plain.unmatched,
                                                         plain.score)


def fairness_case(seed: int, n: int):
    rng = random.Random(seed)
    ids = [f"m{i:03d}" for i in range(n)]
    members = [Candidate(m, tz=rng.choice(["UTC", "Asia/Tokyo", "America/New_York"]),
                         specialty=rng.choice(["a", "b", None]),
                         left_out_or_trio_last=rng.random() < 0.2,
                         times_in_trio=rng.randint(0, 3), times_left_out=rng.randint(0, 1))
               for m in ids]
    conflicts = {frozenset(rng.sample(ids, 2)) for _ in range(3 * n)}
    history = [[tuple(rng.sample(ids, 2)) for _ in range(n // 2)] for _ in range(rng.randint(1, 9))]
    return members, conflicts, history


@pytest.mark.parametrize("seed", range(6))
def test_every_trio_regrouping_is_the_same_as_pair_by_pair(monkeypatch, seed):
    """Random pairs around one or more trios (several leftovers), random fairness levels:
    the trio steps alone, both ways."""
    members, conflicts, history = fairness_case(seed, 181)
    scorer = Scorer(members, conflicts, history, MatchConfig(seed=seed))
    order = list(range(len(members)))
    random.Random(seed).shuffle(order)
    pairs = [tuple(sorted(order[i : i + 2])) for i in range(0, 170, 2)]
    pairs = [p for p in pairs if p[1] not in scorer.conflict[p[0]]]
    paired = {m for p in pairs for m in p}
    leftovers = [m for m in order if m not in paired]

    def run():
        groups, left = trio.place_leftovers(scorer, order, list(pairs), list(leftovers))
        return trio.improve_trios(scorer, groups), left

    (bulk, bulk_left), (plain, plain_left) = both_ways(monkeypatch, run)
    assert sum(len(g) == 3 for g in bulk) >= 2  # several trios to place and improve
    assert bulk == plain and bulk_left == plain_left
    assert scorer.score(bulk, [m for m, _ in bulk_left]) >= scorer.score(
        [*map(tuple, pairs)], [*leftovers])


def test_no_pair_can_take_the_leftover_when_every_pair_holds_a_conflict(monkeypatch):
    members, _, history = fairness_case(1, 131)
    ids = [c.member_id for c in members]
    odd_one = ids[0]
    conflicts = {frozenset((odd_one, other)) for other in ids[1:]}
    bulk, plain = both_ways(monkeypatch, lambda: match(members, conflicts, history,
                                                       MatchConfig(seed=1, exact_limit=0)))
    assert bulk.unmatched == plain.unmatched and [u for u, _ in bulk.unmatched] == [odd_one]
    assert bulk.groups == plain.groups
