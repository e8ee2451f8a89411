"""Matching: the trio for an odd count rotates; whoever was in it or left out comes first."""

from collections import Counter
from itertools import pairwise

from bot.pairing.matching.solver import Candidate, MatchConfig, match


def simulate(n, rounds, recent_rounds):
    ids = [f"m{i}" for i in range(n)]
    history, trios, counts = [], [], Counter()
    for r in range(rounds):
        last = set(trios[-1]) if trios else set()
        members = [
            Candidate(m, left_out_or_trio_last=m in last, times_in_trio=counts[m]) for m in ids
        ]
        result = match(
            members, history=history, config=MatchConfig(seed=r, recent_rounds=recent_rounds)
        )
        (trio,) = [g for g in result.groups if len(g) == 3]
        trios.append(trio)
        counts.update(trio)
        history.insert(0, result.groups)
    return trios, counts


def test_nobody_is_in_the_trio_two_rounds_running():
    trios, _ = simulate(9, 9, recent_rounds=2)
    for before, after in pairwise(trios):
        assert not set(before) & set(after)


def test_trio_turns_are_shared_out_evenly():
    _, counts = simulate(9, 9, recent_rounds=2)
    assert len(counts) == 9  # everyone had a turn
    assert max(counts.values()) - min(counts.values()) <= 1


def test_left_out_last_time_is_kept_out_of_the_trio():
    members = [Candidate(m) for m in "abcd"] + [Candidate("e", left_out_or_trio_last=True)]
    result = match(members)
    assert all("e" not in g for g in result.groups if len(g) == 3)


def test_more_trios_so_far_means_kept_out_first():
    members = [Candidate("a", times_in_trio=2), Candidate("b", times_in_trio=2)]
    members += [Candidate(m) for m in "cde"]
    result = match(members)
    assert ("c", "d", "e") in result.groups


def test_trio_explanation_names_its_third_and_says_why():
    members = [Candidate("a", left_out_or_trio_last=True), Candidate("b"), Candidate("c")]
    result = match(members)
    (why,) = result.explanations
    assert why.trio_member in {"b", "c"}
    assert any("trio because the count is odd" in r for r in why.reasons)


def test_history_outranks_trio_fairness():
    # e was in the trio last time, but the only repeat-free grouping puts e in the trio.
    members = [Candidate(m) for m in "abcd"] + [Candidate("e", left_out_or_trio_last=True)]
    history = [[("a", "b"), ("c", "d")]]
    conflicts = {frozenset("ac"), frozenset("bd")}
    result = match(members, conflicts, history)
    assert result.parts.repeats == 0
    assert any(len(g) == 3 and "e" in g for g in result.groups)
