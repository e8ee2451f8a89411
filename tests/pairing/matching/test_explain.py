"""Matching: why each group was chosen, and who has not yet met whom."""

from bot.pairing.matching.solver import Candidate, group_not_yet_met, match, not_yet_met

HISTORY = [[("a", "b"), ("c", "d")], [("a", "c"), ("b", "d")]]


def test_explanations_align_with_groups():
    result = match([Candidate(m) for m in "abcdef"], history=HISTORY)
    assert [e.group for e in result.explanations] == result.groups


def test_never_met_and_shared_hours_are_explained():
    result = match([Candidate("a"), Candidate("b")])
    assert result.explanations[0].reasons == ("never met", "40h/week working-hours overlap")


def test_last_met_long_ago_is_explained():
    history = [[]] * 6 + [[("a", "b")]]
    result = match([Candidate("a"), Candidate("b")], history=history)
    assert result.explanations[0].reasons[0] == "last met 7 rounds ago"
    assert result.explanations[0].last_met_rounds_ago == 7


def test_explanations_never_mention_conflicts():
    conflicts = {frozenset("ac"), frozenset("bd")}
    result = match([Candidate(m) for m in "abcd"], conflicts)
    text = " ".join(r for e in result.explanations for r in e.reasons)
    assert "conflict" not in text


def test_not_yet_met_lists_everyone_never_grouped_with():
    summary = not_yet_met(["a", "b", "c", "d", "e"], HISTORY)
    assert summary["a"] == ("d", "e")
    assert summary["e"] == ("a", "b", "c", "d")


def test_not_yet_met_counts_trios():
    assert not_yet_met(["a", "b", "c"], [[("a", "b", "c")]]) == {"a": (), "b": (), "c": ()}


def test_group_not_yet_met_for_a_proposed_trio():
    assert group_not_yet_met(("a", "b", "e"), HISTORY) == [("a", "e"), ("b", "e")]


def test_the_preview_summary_agrees_with_the_full_table():
    import random

    from bot.pairing.matching.solver import not_yet_met_summary

    rng = random.Random(3)
    ids = [f"m{i:02d}" for i in range(30)]
    history = [[tuple(rng.sample(ids, 2)) for _ in range(10)] for _ in range(6)]
    order = sorted(ids, key=lambda m: m[::-1])  # any order: the view sorts by name
    full = not_yet_met(ids, history)
    shown, total = not_yet_met_summary(order, history, people=5, names=3)
    expected = [m for m in order if full[m]]
    assert total == len(expected)
    assert [m for m, _, _ in shown] == expected[:5]
    for member, first, count in shown:
        assert count == len(full[member])
        assert first == [o for o in order if o in full[member]][:3]


def test_the_preview_summary_when_everyone_met():
    shown, total = not_yet_met_summary_of(["a", "b", "c"], [[("a", "b", "c")]])
    assert (shown, total) == ([], 0)


def not_yet_met_summary_of(order, history):
    from bot.pairing.matching.solver import not_yet_met_summary

    return not_yet_met_summary(order, history, people=15, names=8)
