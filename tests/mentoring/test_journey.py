"""Mentoring end to end in a world: offers, requests, the match, the check-in, the close."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.model import mention
from bot.mentoring.jobs import jobs
from tests.support.world import World, buttons, text


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path, jobs=jobs, config={"groups": [
        {"name": "Circle", "facilitators": ["fran"], "mentoring": {"term_days": 60}}]})
    for name in ("alice", "bob", "carol", "dan"):
        w.add(name, tz="Europe/London")
    w.add("fran", tz="Europe/London", facilitator=True)
    yield w
    w.db.close()


async def setup(world) -> None:
    await world.say("alice", "mentor stage senior")
    await world.say("alice", "mentor offer 2 private practice, supervision")
    await world.say("bob", "mentor stage 2 years")
    await world.say("bob", "mentor request private practice")
    await world.say("carol", "mentor stage early")
    await world.say("carol", "mentor request supervision")


def dms(world, user):
    return [text(m) for m in world.messenger.to(user)]


async def test_offer_request_match_and_introduce_with_the_guide(world):
    await setup(world)
    said = await world.say("fran", "mentor match")
    assert "2 pair(s) introduced" in said
    await world.drain()
    intros = [text(m) for t, m in world.messenger.sent if t.user_ids]
    assert len(intros) == 2
    assert all(f"{mention('alice')} has offered to mentor" in i for i in intros)
    assert "First conversation" in intros[0] and "Boundaries" in intros[0]
    assert "Ending well" in intros[0]
    assert "asking for a mentor" not in await world.say("bob", "mentor")
    again = await world.say("fran", "mentor match")
    assert "0 pair(s)" in again


async def test_capacity_leaves_the_third_mentee_waiting(world):
    await setup(world)
    await world.say("dan", "mentor stage early")
    await world.say("dan", "mentor request supervision, private practice")
    said = await world.say("fran", "mentor match")
    assert "2 pair(s) introduced" in said and "still waiting" in said


async def test_a_declared_conflict_is_respected(world):
    await setup(world)
    await world.say("bob", "pair avoid @alice")
    said = await world.say("fran", "mentor match")
    assert "1 pair(s)" in said
    [pair] = world.db.execute("SELECT mentor_id, mentee_id FROM mentoring_pairs").fetchall()
    assert pair == ("alice", "carol")


async def test_halfway_check_in_with_a_quiet_way_out_then_no_close(world):
    await setup(world)
    await world.say("fran", "mentor match")
    await world.wait(timedelta(days=30, hours=1))
    checks = [m for m in world.messenger.to("bob") if "how is it going" in text(m)]
    assert len(checks) == 1
    out = buttons(checks[0])["Let's end here"]
    assert "no reason is given" in await world.tap("bob", out)
    await world.drain()
    assert any("has come to an end" in t for t in dms(world, "alice"))
    assert not any("reason" in t for t in dms(world, "alice") if "come to an end" in t)
    assert "valid" in await world.tap("carol", out)  # not hers
    await world.wait(timedelta(days=31))
    assert not any("term with" in t for t in dms(world, "bob"))
    assert any("term with" in t for t in dms(world, "carol"))


@pytest.mark.parametrize(("who", "words", "reply"), [
    ("alice", "mentor offer 4 supervision", "1 to 3 mentees"),
    ("alice", "mentor offer supervision", "First set your career stage"),
    ("alice", "mentor stage veteran", "early, mid or senior"),
    ("alice", "mentor request", "at least one topic"),
])
async def test_bad_input_changes_nothing(world, who, words, reply):
    assert reply in await world.say(who, words)
    assert world.db.execute("SELECT count(*) FROM mentoring_profiles").fetchone() == (0,)


async def test_an_early_career_member_cannot_offer(world):
    await world.say("carol", "mentor stage early")
    assert "Mentors are mid-career or senior" in await world.say("carol", "mentor offer x")


async def test_only_a_facilitator_runs_the_match(world):
    assert "is for facilitators" in await world.say("bob", "mentor match")
