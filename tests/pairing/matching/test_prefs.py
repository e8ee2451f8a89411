"""Matching: specialty preference and working-hours overlap steer the soft score."""

from bot.pairing.matching.solver import Candidate, MatchConfig, match


def spec(*pairs):
    return [Candidate(m, specialty=s) for m, s in pairs]


MEMBERS = spec(("a", "trauma"), ("b", "child"), ("c", "trauma"), ("d", "child"))


def test_same_specialty_preference_pairs_alike():
    result = match(MEMBERS, config=MatchConfig(specialty_preference="same"))
    assert result.groups == [("a", "c"), ("b", "d")]
    assert all("same specialty" in e.reasons for e in result.explanations)


def test_mixed_specialty_preference_pairs_unlike():
    result = match(MEMBERS, config=MatchConfig(specialty_preference="mixed"))
    assert all(e.same_specialty is False for e in result.explanations)
    assert all("mixed specialties" in e.reasons for e in result.explanations)


def test_specialty_preference_outweighs_an_hour_a_day_of_overlap():
    members = [
        Candidate("a", specialty="trauma"),
        Candidate("b", specialty="child"),
        Candidate("c", specialty="trauma", work_start=10, work_end=18),
        Candidate("d", specialty="child", work_start=10, work_end=18),
    ]
    result = match(members, config=MatchConfig(specialty_preference="same"))
    assert result.groups == [("a", "c"), ("b", "d")]


def test_unknown_specialty_never_counts_as_same():
    members = [Candidate("a"), Candidate("b")]
    result = match(members, config=MatchConfig(specialty_preference="same"))
    assert result.explanations[0].same_specialty is None
    assert "no same-specialty partner was free" in result.explanations[0].reasons


def test_bad_preference_is_refused():
    try:
        MatchConfig(specialty_preference="similar")
    except ValueError as error:
        assert "similar" in str(error)
        return
    raise AssertionError("an unknown preference must be refused")


def test_overlapping_time_zones_are_paired():
    members = [
        Candidate("berlin", tz="Europe/Berlin"),
        Candidate("paris", tz="Europe/Paris"),
        Candidate("tokyo", tz="Asia/Tokyo"),
        Candidate("seoul", tz="Asia/Seoul"),
    ]
    result = match(members)
    assert result.groups == [("berlin", "paris"), ("seoul", "tokyo")]
    assert result.explanations[0].overlap_hours_per_week == 40
    assert "40h/week working-hours overlap" in result.explanations[0].reasons


def test_no_shared_hours_is_said_plainly():
    members = [Candidate("ldn", tz="Europe/London"), Candidate("hnl", tz="Pacific/Honolulu")]
    result = match(members)
    assert result.groups == [("hnl", "ldn")]
    assert "no shared working hours" in result.explanations[0].reasons


def test_utc_slots_override_local_hours():
    monday_morning = frozenset(range(18, 26))  # Monday 09:00-13:00 UTC
    members = [
        Candidate("a", tz="Asia/Tokyo", utc_slots=monday_morning),
        Candidate("b", utc_slots=monday_morning),
        Candidate("c", tz="Asia/Tokyo"),
        Candidate("d", tz="Asia/Tokyo"),
    ]
    result = match(members)
    assert ("a", "b") in result.groups
    assert result.explanations[0].overlap_hours_per_week == 4
