"""Matching: small rounds reach the true optimum; the sparse graph agrees with the full one."""

import random
from itertools import combinations

import numpy as np

from bot.pairing.matching import fast
from bot.pairing.matching.budget import Budget
from bot.pairing.matching.score import Scorer
from bot.pairing.matching.solver import Candidate, MatchConfig, match

ZONES = ["UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata"]


def brute_force(scorer):
    """Best score over every grouping: pairs, at most one trio (if odd), anyone left out."""
    n, best = len(scorer.ids), []

    def walk(rest, groups, left, trios):
        if not rest:
            best.append(scorer.score(groups, left))
            return
        a, rest = rest[0], rest[1:]
        walk(rest, groups, [*left, a], trios)
        for i, b in enumerate(rest):
            if b in scorer.conflict[a]:
                continue
            others = rest[:i] + rest[i + 1 :]
            walk(others, [*groups, (a, b)], left, trios)
            if trios < n % 2:
                for j, c in enumerate(others):
                    if c not in scorer.conflict[a] and c not in scorer.conflict[b]:
                        walk(others[:j] + others[j + 1 :], [*groups, (a, b, c)], left, trios + 1)

    walk(list(range(n)), [], [], 0)
    return max(best)


def instance(rng, n):
    ids = [f"m{i}" for i in range(n)]
    members = [
        Candidate(
            m,
            tz=rng.choice(ZONES),
            specialty=rng.choice(["a", "b", None]),
            left_out_or_trio_last=rng.random() < 0.3,
            times_in_trio=rng.randint(0, 2),
        )
        for m in ids
    ]
    conflicts = {frozenset(rng.sample(ids, 2)) for _ in range(rng.randint(0, n))}
    history = []
    for _ in range(rng.randint(0, 8)):
        order = rng.sample(ids, n)
        history.append([tuple(order[i : i + 2]) for i in range(0, n - 1, 2)])
    return members, conflicts, history


def test_small_rounds_reach_the_brute_force_optimum():
    rng = random.Random(0)
    for trial in range(120):
        members, conflicts, history = instance(rng, rng.randint(2, 8))
        config = MatchConfig(seed=trial, specialty_preference=rng.choice(["same", "mixed", "none"]))
        result = match(members, conflicts, history, config)
        assert result.score >= brute_force(Scorer(members, conflicts, history, config)), trial


def test_sparse_graph_reaches_the_full_graph_optimum():
    rng = random.Random(4)
    members, conflicts, history = instance(rng, 240)
    exact = match(members, conflicts, history, MatchConfig(seed=1))
    sparse = match(members, conflicts, history, MatchConfig(seed=1, exact_limit=0))
    assert (exact.method, sparse.method) == ("exact", "sparse")
    assert sparse.score == exact.score


def test_vectorised_pair_facts_agree_with_the_scorer():
    rng = random.Random(2)
    members, conflicts, history = instance(rng, 40)
    for pref in ("same", "mixed", "none"):
        scorer = Scorer(members, conflicts, history, MatchConfig(specialty_preference=pref))
        vec = fast.Vectors(scorer)
        u, v = (np.array(x) for x in zip(*combinations(range(40), 2), strict=True))
        allowed, soft, repeat, press = vec.parts(u, v)
        for i, (a, b) in enumerate(zip(u.tolist(), v.tolist(), strict=True)):
            assert allowed[i] == (b not in scorer.conflict[a])
            assert soft[i] == scorer.class_soft(a, b) + scorer.novelty(a, b)
            assert repeat[i] == scorer.is_repeat(a, b)
            assert press[i] == scorer.press(a, b)


def test_windows_keep_every_rule_and_come_close_to_the_optimum():
    rng = random.Random(5)
    members, conflicts, history = instance(rng, 241)
    exact = match(members, conflicts, history, MatchConfig(seed=1))
    cfg = MatchConfig(seed=1, exact_limit=0, sparse_limit=0, window_size=40)
    windows = match(members, conflicts, history, cfg)
    assert windows.method == "windows"
    assert windows.parts.grouped == exact.parts.grouped == 241
    for tier in ("fairness_cost", "extra_turns", "repeats"):
        assert getattr(windows.parts, tier) == getattr(exact.parts, tier), tier
    assert windows.parts.pressure <= exact.parts.pressure * 1.01
    assert windows.parts.soft >= 0.99 * exact.parts.soft


def test_windows_beat_greedy_and_two_opt_never_loses():
    rng = random.Random(6)
    members, conflicts, history = instance(rng, 300)
    scorer = Scorer(members, conflicts, history, MatchConfig(seed=2))
    vec = fast.Vectors(scorer)
    nodes = np.arange(300)
    u, v, w = fast.knn_edges(vec, nodes, 6, 12)
    mate = fast.greedy(300, u, v, w)
    # the matching's own objective: members paired first, then the pairs' values
    value = lambda pairs: sum(scorer.edge_weight(a, b) for a, b in pairs)  # noqa: E731
    greedy = value(fast.pairs_of(mate))
    improved, _ = fast.two_opt(vec, mate.copy(), u, v)
    assert value(fast.pairs_of(improved)) >= greedy
    windows = fast.windowed(scorer, vec, nodes, (u, v), 50)
    first_pass = fast.windowed(scorer, vec, nodes, (u, v), 50, Budget(0, lambda: 0.0))
    assert value(windows) >= value(first_pass) >= greedy
    assert len(windows) >= len(fast.pairs_of(mate))
    assert value(windows) >= greedy
