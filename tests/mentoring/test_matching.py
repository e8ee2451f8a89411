"""The mentoring match: capacities, conflicts, zones, stages and topics (pure, no store)."""

from __future__ import annotations

from collections import Counter

from bot.mentoring.matching import Person, match


def mentor(uid, capacity=1, stage="senior", topics=("trauma",), tz="Europe/London"):
    return Person(uid, stage, frozenset(topics), tz, capacity)


def mentee(uid, stage="early", topics=("trauma",), tz="Europe/London"):
    return Person(uid, stage, frozenset(topics), tz)


def pairs(found):
    return {(p.mentor_id, p.mentee_id) for p in found}


def test_a_mentor_takes_no_more_than_their_capacity():
    found = match([mentor("m1", capacity=2)], [mentee(f"e{i}") for i in range(5)])
    assert len(found) == 2 and {p.mentor_id for p in found} == {"m1"}


def test_capacity_is_capped_at_three_and_zero_takes_none():
    found = match([mentor("m1", capacity=7), mentor("m2", capacity=0)],
                  [mentee(f"e{i}") for i in range(6)])
    assert Counter(p.mentor_id for p in found) == {"m1": 3}


def test_every_mentee_is_placed_when_capacity_allows():
    found = match([mentor("m1", 2), mentor("m2", 1)], [mentee("e1"), mentee("e2"), mentee("e3")])
    assert sorted(p.mentee_id for p in found) == ["e1", "e2", "e3"]
    assert Counter(p.mentor_id for p in found) == {"m1": 2, "m2": 1}


def test_a_declared_conflict_is_never_paired_even_when_it_leaves_someone_out():
    found = match([mentor("m1")], [mentee("e1")], [frozenset({"m1", "e1"})])
    assert found == []
    found = match([mentor("m1"), mentor("m2")], [mentee("e1"), mentee("e2")],
                  [frozenset({"m1", "e1"})])
    assert pairs(found) == {("m2", "e1"), ("m1", "e2")}


def test_no_working_hours_in_common_no_pair():
    found = match([mentor("m1", tz="Pacific/Auckland")], [mentee("e1", tz="Europe/London")])
    assert found == []
    near = match([mentor("m1", tz="Europe/Paris")], [mentee("e1", tz="Europe/London")])
    assert pairs(near) == {("m1", "e1")}


def test_the_mentor_must_be_further_along():
    assert match([mentor("m1", stage="mid")], [mentee("e1", stage="mid")]) == []
    assert match([mentor("m1", stage="early")], [mentee("e1", stage="mid")]) == []
    assert pairs(match([mentor("m1", stage="mid")], [mentee("e1")])) == {("m1", "e1")}


def test_shared_topics_decide_who_goes_where():
    found = match([mentor("m1", topics=("trauma",)), mentor("m2", topics=("private practice",))],
                  [mentee("e1", topics=("private practice",)), mentee("e2", topics=("trauma",))])
    assert pairs(found) == {("m2", "e1"), ("m1", "e2")}
    assert {p.shared_topics for p in found} == {("private practice",), ("trauma",)}


def test_a_mentee_with_no_topic_in_common_is_not_forced_on_a_mentor():
    assert match([mentor("m1", topics=("trauma",))], [mentee("e1", topics=("grief",))]) == []


def test_the_same_input_gives_the_same_pairs():
    mentors = [mentor(f"m{i}", 2) for i in range(4)]
    mentees = [mentee(f"e{i}") for i in range(7)]
    assert match(mentors, mentees) == match(list(reversed(mentors)), list(reversed(mentees)))
