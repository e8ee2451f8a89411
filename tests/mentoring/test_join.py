"""`/peer mentor join`: the mentoring form's command (stage, mentor or mentee, topics,
capacity in one go), typed in the console; the modals are tested through the real
adapters (tests/adapters/slack/test_e2e_mentoring.py, tests/adapters/discord/
test_e2e_mentoring.py)."""

from __future__ import annotations

import pytest

from tests.mentoring.test_journey import world  # noqa: F401 (fixture)


def profile(w, user):
    return w.db.execute("SELECT stage, role, topics, capacity FROM mentoring_profiles"
                        " WHERE user_id = ?", [user]).fetchone()


async def test_join_as_a_mentor_and_as_a_mentee_then_match(world):  # noqa: F811
    said = await world.say("alice", 'mentor join stage:senior as:mentor '
                           'topics:"Private practice, supervision" capacity:2')
    assert "offering to mentor up to 2 on private practice, supervision" in said
    assert profile(world, "alice") == ("senior", "mentor", "private practice,supervision", 2)
    said = await world.say("bob", "mentor join stage:early as:mentee topics:supervision")
    assert "asking for a mentor on supervision" in said
    assert "1 pair(s) introduced" in await world.say("fran", "mentor match")


async def test_alone_in_the_console_it_says_how_to_type_it(world):  # noqa: F811
    said = await world.say("alice", "mentor join")
    assert "mentor join stage:" in said and profile(world, "alice") is None


@pytest.mark.parametrize(("words", "expected"), [
    ("stage:senior topics:supervision", "as:mentor"),
    ("stage:senior as:boss topics:supervision", "as:mentor"),
    ("stage:senior as:mentor topics:supervision capacity:4", "1 to 3 mentees"),
    ("stage:senior as:mentor topics:supervision capacity:two", "1 to 3 mentees"),
    ("stage:early as:mentor topics:supervision", "mid-career or senior"),
    ("stage:veteran as:mentee topics:supervision", "early, mid or senior"),
    ("stage:mid as:mentee", "at least one topic"),
    ("stage:mid as:mentee topics:supervision colour:blue", "key:value"),
    ("stage:mid as:mentee supervision", "key:value"),
])
async def test_bad_input_gets_a_clear_reply_and_changes_nothing(world, words,  # noqa: F811
                                                                 expected):
    assert expected in await world.say("alice", f"mentor join {words}")
    assert profile(world, "alice") is None


async def test_a_mentee_with_a_mentor_cannot_ask_again(world):  # noqa: F811
    await world.say("alice", "mentor join stage:senior as:mentor topics:supervision")
    await world.say("bob", "mentor join stage:early as:mentee topics:supervision")
    await world.say("fran", "mentor match")
    said = await world.say("bob", "mentor join stage:early as:mentee topics:supervision")
    assert "already have a mentor" in said
