"""`/peer profile`: show it, set a field, and refuse a bad value without changing anything."""

from __future__ import annotations

import pytest

from tests.support.world import WS, World


@pytest.fixture
def world(tmp_path) -> World:
    world = World(tmp_path)
    world.add("alice", "Europe/London", country="GB", specialty="trauma")
    return world


def profile(world: World, user: str = "alice") -> tuple:
    member = world.ctx.members.get(WS, user)
    return member.timezone, member.country, member.specialty


async def test_shows_the_profile_and_its_groups(world):
    out = await world.say("alice", "profile")
    assert "Your profile" in out and "Europe/London" in out and "Circle" in out


async def test_sets_each_field(world):
    assert "Time zone set to *Australia/Sydney*" in await world.say(
        "alice", "profile tz Australia/Sydney")
    assert "Country set to *GB*" in await world.say("alice", "profile country uk")
    assert "Specialty set to *not set*" in await world.say("alice", "profile specialty none")
    assert profile(world) == ("Australia/Sydney", "GB", None)


@pytest.mark.parametrize("text, says", [
    ("profile tz Mars/Olympus", "not a time zone I know"),
    ("profile tz london", "Did you mean Europe/London"),
    ("profile country EN", "Did you mean GB (United Kingdom)?"),
    ("profile country England", "Did you mean GB (United Kingdom)?"),
    ("profile country ZZ", "not an ISO 3166 country code"),
    ("profile country 826", "not an ISO 3166 country code"),
    ("profile specialty " + "x" * 41, "under 40 characters"),
    ("profile shoe 42", "Tell me which field to set"),
    ("profile tz", "Tell me which field to set"),
])
async def test_an_error_changes_nothing(world, text, says):
    before = profile(world)
    out = await world.say("alice", text)
    assert says in out
    assert profile(world) == before


async def test_a_bad_value_says_what_works_without_the_usage_line(world):
    out = await world.say("alice", "profile country EN")
    assert "such as US, GB, AU" in out and "Usage:" not in out
    assert "Usage: `/peer profile" in await world.say("alice", "profile shoe 42")
