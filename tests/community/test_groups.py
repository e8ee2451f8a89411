"""`/peer group list|join|leave` in a workspace with two groups: Circle and Night shift."""

from __future__ import annotations

import pytest

from tests.support.world import WS, World

GROUPS = [{"name": "Circle", "facilitators": ["fran"]}, {"name": "Night shift"}]


@pytest.fixture
def world(tmp_path) -> World:
    world = World(tmp_path, config={"groups": GROUPS})
    world.add("alice")  # in Circle
    return world


def groups_of(world: World, user: str) -> list[str]:
    return [g.name for g in world.ctx.members.groups_of(WS, user)]


async def test_list_marks_the_groups_you_are_in(world):
    out = await world.say("alice", "group list")
    assert "• Circle (you are a member)\n• Night shift\n" in out  # not a member of it
    assert out.endswith("Join one with `/peer group join Night shift` (names of several words"
                        " need no quotes).")


async def test_join_the_named_group(world):
    assert "You're now part of *Night shift*." in await world.say("alice", "group join night shift")
    assert groups_of(world, "alice") == ["Circle", "Night shift"]


async def test_join_an_unknown_group_changes_nothing(world):
    out = await world.say("alice", "group join Day shift")
    assert "There is no peer group called “Day shift”." in out
    assert groups_of(world, "alice") == ["Circle"]


async def test_join_without_a_name_asks_which_when_it_cannot_tell(world):
    world.add("bob")
    world.ctx.members.leave_group(WS, world.group.id, "bob")
    out = await world.say("bob", "group join")
    assert "Which group?" in out and '`group:Circle` or `group:"Night shift"`' in out
    assert groups_of(world, "bob") == []


async def test_leave_one_group_and_stay_in_the_other(world):
    await world.say("alice", "group join Night shift")
    out = await world.say("alice", "group leave Circle")
    assert "You've left *Circle*." in out
    assert groups_of(world, "alice") == ["Night shift"]


async def test_leave_without_a_name_asks_which(world):
    out = await world.say("alice", "group leave")
    assert "Which group do you want to leave?" in out and "Usage: `/peer group leave" in out
    assert groups_of(world, "alice") == ["Circle"]


async def test_leave_an_unknown_group_changes_nothing(world):
    assert "no peer group called" in await world.say("alice", "group leave Day shift")
    assert groups_of(world, "alice") == ["Circle"]



async def test_two_word_group_names_work_without_quotes_and_are_quoted_in_hints(tmp_path):
    w = World.checkins(tmp_path, config={"groups": [
        {"name": "Circle", "facilitators": ["fran"]}, {"name": "Night Shift"}]})
    w.add("alice")
    assert "You're now part of *Night Shift*" in await w.say("alice", "group join Night Shift")
    assert "You're now part of *Night Shift*" in await w.say("alice", "group join night shift")
    assert "You're now part of *Night Shift*" in await w.say("alice", 'group join "Night Shift"')
    hint = await w.say("alice", "pair join")  # two groups, no channel: which one?
    assert 'Which group? Add it to the command: `group:Circle` or `group:"Night Shift"`' in hint
    assert "part of" not in hint
    joined = await w.say("alice", 'pair join group:"Night Shift"')  # the hint, as typed
    assert "Night Shift" in joined and "Which group" not in joined
    assert "`/peer group join" in await w.say("alice", "group list")

