"""Matching: partners from the last K rounds are avoided whenever any alternative exists."""

from bot.pairing.matching.solver import Candidate, MatchConfig, match


def people(ids):
    return [Candidate(m) for m in ids]


def grouped_pairs(result):
    return {frozenset((a, b)) for g in result.groups for a in g for b in g if a != b}


def test_last_round_partners_are_not_repeated():
    history = [[("a", "b"), ("c", "d")]]
    result = match(people("abcd"), history=history)
    assert not grouped_pairs(result) & {frozenset("ab"), frozenset("cd")}
    assert result.parts.repeats == 0


def test_repeat_is_avoided_even_against_every_soft_preference():
    # a and b share hours and specialty; a-c and b-d share nothing, but a-b met last round.
    members = [
        Candidate("a", specialty="x"),
        Candidate("b", specialty="x"),
        Candidate("c", tz="Asia/Tokyo", specialty="y"),
        Candidate("d", tz="Asia/Tokyo", specialty="y"),
    ]
    result = match(
        members, history=[[("a", "b"), ("c", "d")]], config=MatchConfig(specialty_preference="same")
    )
    assert frozenset("ab") not in grouped_pairs(result)
    assert frozenset("cd") not in grouped_pairs(result)


def test_unavoidable_repeat_picks_the_least_recent_partner():
    # Two members who met in rounds 1 and 3 must meet again; nothing else exists.
    result = match(people("ab"), history=[[("a", "b")], [], [("a", "b")]])
    assert result.groups == [("a", "b")]
    assert result.parts.repeats == 1
    assert result.explanations[0].last_met_rounds_ago == 1
    assert "no grouping without a recent partner" in result.explanations[0].reasons[0]


def test_among_repeats_the_older_one_is_chosen():
    # a met b last round and c five rounds ago; conflicts leave only b or c for a.
    history = [[("a", "b")], [], [], [], [("a", "c")]]
    conflicts = {frozenset("bc")}
    result = match(people("abc"), conflicts, history)
    assert ("a", "c") in result.groups


def test_partners_older_than_k_rounds_are_not_repeats():
    history = [[("c", "d")]] * 2 + [[("a", "b")]]
    result = match(people("ab"), history=history, config=MatchConfig(recent_rounds=2))
    assert result.parts.repeats == 0
    assert result.explanations[0].reasons[0] == "last met 3 rounds ago"


def test_never_met_is_preferred_to_met_long_ago():
    history = [[]] * 6 + [[("a", "b"), ("c", "d")]]
    result = match(people("abcd"), history=history)
    assert not grouped_pairs(result) & {frozenset("ab"), frozenset("cd")}
    assert result.explanations[0].reasons[0] == "never met"


def test_trio_respects_history():
    # e was last with a and b; the trio must be c-d-e, not a-b-e.
    history = [[("a", "e"), ("b", "e")]]
    result = match(people("abcde"), history=history)
    assert result.parts.repeats == 0
    assert not grouped_pairs(result) & {frozenset("ae"), frozenset("be")}


def test_repeats_avoided_in_a_large_round():
    ids = [f"m{i:03d}" for i in range(60)]
    history = [[(ids[i], ids[(i + r) % 60]) for i in range(0, 60, 2)] for r in range(1, 7)]
    result = match(people(ids), history=history, config=MatchConfig(exact_limit=0))
    assert result.method == "sparse"
    assert result.parts.repeats == 0
