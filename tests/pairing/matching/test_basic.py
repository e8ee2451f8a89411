"""Matching: small counts, odd counts and everyone accounted for."""

from bot.pairing.matching.solver import Candidate, Unmatched, match


def people(*ids):
    return [Candidate(m) for m in ids]


def placed(result):
    return sorted([m for g in result.groups for m in g] + [m for m, _ in result.unmatched])


def test_no_members_gives_nothing():
    result = match([])
    assert result.groups == [] and result.unmatched == []


def test_one_member_is_unmatched_with_a_reason():
    result = match(people("a"))
    assert result.groups == []
    assert result.unmatched == [("a", "alone")]
    assert result.unmatched[0][1] is Unmatched.ALONE


def test_two_members_make_a_pair():
    assert match(people("a", "b")).groups == [("a", "b")]


def test_three_members_make_one_trio():
    result = match(people("a", "b", "c"))
    assert result.groups == [("a", "b", "c")]
    assert result.unmatched == []


def test_odd_count_gives_exactly_one_trio():
    ids = [f"m{i}" for i in range(11)]
    result = match(people(*ids))
    assert sorted(len(g) for g in result.groups) == [2, 2, 2, 2, 3]
    assert placed(result) == sorted(ids)


def test_even_count_gives_only_pairs():
    result = match(people(*[f"m{i}" for i in range(10)]))
    assert all(len(g) == 2 for g in result.groups)
    assert len(result.groups) == 5


def test_all_conflicting_leaves_everyone_out_with_a_reason():
    ids = ["a", "b", "c"]
    conflicts = {frozenset(p) for p in [("a", "b"), ("a", "c"), ("b", "c")]}
    result = match(people(*ids), conflicts)
    assert result.groups == []
    assert result.unmatched == [
        ("a", "all_conflicts"),
        ("b", "all_conflicts"),
        ("c", "all_conflicts"),
    ]


def test_member_in_conflict_with_everyone_is_told_why_and_others_pair():
    conflicts = {frozenset(("x", m)) for m in "abcd"}
    result = match(people("a", "b", "c", "d", "x"), conflicts)
    assert result.unmatched == [("x", "all_conflicts")]
    assert all(len(g) == 2 for g in result.groups) and len(result.groups) == 2


def test_members_squeezed_out_by_conflicts_get_no_partner_left():
    # a, b and d can each only be with c; any trio with c holds a conflict.
    conflicts = {frozenset(p) for p in [("a", "b"), ("a", "d"), ("b", "d")]}
    result = match(people("a", "b", "c", "d"), conflicts)
    assert len(result.groups) == 1 and "c" in result.groups[0]
    assert [reason for _, reason in result.unmatched] == ["no_partner_left"] * 2
    assert placed(result) == ["a", "b", "c", "d"]


def test_duplicate_member_is_refused():
    try:
        match(people("a", "a"))
    except ValueError:
        return
    raise AssertionError("a duplicate member must be refused")


def test_unknown_ids_in_conflicts_and_history_are_ignored():
    result = match(people("a", "b"), {frozenset(("a", "zz"))}, [[("a", "zz")]])
    assert result.groups == [("a", "b")]
