"""The whole match keeps its time budget, read on an injected clock, and never falls below greedy.

The budget covers everything from the moment the worker starts (decoding the inputs,
the graph, the windows, the finishing work): only the optional seam windows are cut
to keep it, each started only if the slowest window so far still fits before the
reserve kept for the finishing work (bot/pairing/matching/budget.py). A clock the test
moves stands in for time: every exact solve costs one "second".
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.pairing.engine import MatchInputs, match_within
from bot.pairing.matching import fast
from bot.pairing.matching.budget import FINISH_SHARE, Budget
from bot.pairing.matching.score import Scorer
from bot.pairing.matching.solver import MatchConfig, match
from tests.pairing.matching.test_sparse_graph import hard

CONFIG = MatchConfig(seed=5, sparse_limit=0, window_size=100)  # 1,200: 12 windows, 13 seams


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def case():
    return hard(1200, seed=9)


@pytest.fixture
def clock(monkeypatch):
    """Every exact solve (a window, or the members left alone) takes one second."""
    clock = Clock()
    real = fast.solve_weighted

    def one_second(*args):
        clock.now += 1
        return real(*args)

    monkeypatch.setattr(fast, "solve_weighted", one_second)
    return clock


def placed(result, case):
    members, conflicts, _ = case
    people = [u for g in result.groups for u in g] + [u for u, _ in result.unmatched]
    assert sorted(people) == sorted(m.member_id for m in members)
    assert not any(frozenset((a, b)) in conflicts
                   for g in result.groups for a in g for b in g if a < b)


def test_without_a_budget_every_seam_window_is_solved(case, clock):
    result = match(*case, CONFIG)
    assert (result.stats["seam_windows"], result.stats["seam_windows_cut"]) == (13, 0)


def test_the_seam_windows_stop_where_the_finishing_work_still_fits(case, clock):
    budget = Budget(25, clock)
    clock.now = 5  # the inputs and the graph took 5 s: 1 s is kept for finishing
    result = match(*case, CONFIG, budget)
    # 12 first-pass windows end at 17; a seam window (1 s, the slowest so far) starts
    # only while more than reserve + 1 = 2 s are left: at 17, 18, ... 22, six of them
    assert FINISH_SHARE * 5 == 1
    assert (result.stats["seam_windows"], result.stats["seam_windows_cut"]) == (6, 7)
    assert clock.now <= budget.deadline  # the members left alone were solved in time too
    placed(result, case)


def test_a_budget_spent_before_the_windows_still_completes_the_first_pass(case, clock):
    budget = Budget(3, clock)
    clock.now = 10  # slower inputs than the whole budget
    result = match(*case, CONFIG, budget)
    assert (result.stats["seam_windows"], result.stats["seam_windows_cut"]) == (0, 13)
    assert result.parts.grouped == 1200
    placed(result, case)


def test_the_worker_counts_decoding_the_inputs_against_the_budget(case):
    """match_within's budget starts when it is called: time already spent (here the
    clock jumps 20 s before the engine looks) leaves no room for seams."""
    members, conflicts, history = case
    reads = iter([0.0] + [20.0] * 10_000)
    inputs = MatchInputs(tuple(members), conflicts, history, CONFIG)
    result = match_within(inputs, 15, clock=lambda: next(reads))
    assert result.stats["seam_windows"] == 0
    roomy = iter([0.0] * 10_000)
    result = match_within(inputs, 15, clock=lambda: next(roomy))
    assert result.stats["seam_windows"] == 13
    assert result.explanations == []  # the worker sends none back: none are worded


@pytest.mark.parametrize("seams", [True, False])
def test_never_below_greedy_on_a_hard_instance(case, seams):
    """The engine against greedy and greedy + 2-opt on each member's 32 best neighbours
    (the benchmark's baselines), by the engine's own score, with and without seams."""
    members, conflicts, history = case
    budget = None if seams else Budget(0, lambda: 0.0)
    result = match(members, conflicts, history, CONFIG, budget)
    scorer = Scorer(members, conflicts, history, CONFIG)
    vec = fast.Vectors(scorer)
    u, v, w = fast.knn_edges(vec, np.arange(vec.n), 32, 48)
    mate = fast.greedy(vec.n, u, v, w)
    greedy = fast.pairs_of(mate)
    improved = fast.pairs_of(fast.two_opt(vec, mate.copy(), u, v)[0])

    def score(pairs):
        paired = {m for p in pairs for m in p}
        return scorer.score(pairs, [m for m in range(vec.n) if m not in paired])

    assert result.score >= score(improved) >= score(greedy)
    assert result.parts.grouped >= 2 * len(greedy)
