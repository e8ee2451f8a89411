"""Matching: a declared conflict is never grouped, in a pair or a trio, at any size."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pairing.matching.solver import Candidate, MatchConfig, match


def grouped_pairs(result):
    return {frozenset((a, b)) for g in result.groups for a in g for b in g if a != b}


def test_conflicting_pair_is_split_even_when_otherwise_best():
    members = [
        Candidate("a", specialty="x"),
        Candidate("b", specialty="x"),
        Candidate("c", specialty="y"),
        Candidate("d", specialty="y"),
    ]
    result = match(
        members, {frozenset(("a", "b"))}, config=MatchConfig(specialty_preference="same")
    )
    assert frozenset(("a", "b")) not in grouped_pairs(result)
    assert len(result.groups) == 2


def test_trio_never_holds_a_conflict():
    conflicts = {frozenset(("a", "e")), frozenset(("b", "e")), frozenset(("c", "e"))}
    result = match([Candidate(m) for m in "abcde"], conflicts)
    assert [g for g in result.groups if "e" in g] == [("d", "e")]
    assert ("a", "b", "c") in result.groups
    assert not grouped_pairs(result) & conflicts


@st.composite
def rounds(draw):
    n = draw(st.integers(min_value=0, max_value=24))
    ids = [f"m{i}" for i in range(n)]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    conflicts = set()
    if pairs:
        chosen = draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True))
        conflicts = {frozenset(p) for p in chosen}
    history = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        order = draw(st.permutations(ids))
        history.append([tuple(order[i : i + 2]) for i in range(0, n - 1, 2)])
    path = draw(st.sampled_from(["exact", "sparse", "windows"]))
    config = MatchConfig(
        seed=draw(st.integers(0, 5)),
        exact_limit=300 if path == "exact" else 0,
        sparse_limit=0 if path == "windows" else 5000,
        window_size=draw(st.integers(2, 12)),
        candidates_per_member=draw(st.integers(1, 4)),
        neighbour_window=draw(st.integers(1, 6)),
    )
    return [Candidate(m) for m in ids], conflicts, history, config


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_conflicts_never_grouped_and_nobody_lost(case):
    members, conflicts, history, config = case
    result = match(members, conflicts, history, config)
    assert not grouped_pairs(result) & conflicts
    everyone = sorted([m for g in result.groups for m in g] + [m for m, _ in result.unmatched])
    assert everyone == sorted(c.member_id for c in members)
    assert all(len(g) in (2, 3) for g in result.groups)
    if not conflicts and len(members) >= 2:
        assert sum(len(g) == 3 for g in result.groups) == len(members) % 2
