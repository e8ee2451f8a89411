"""The weekly digest: new resources to the group's channel, none when nothing is new."""

from __future__ import annotations

from datetime import timedelta

from bot.resources.digest import jobs
from tests.support.world import World, text


def digest_world(tmp_path, digest: str = "every week on mon at 09:00", channel: str = "C1"):
    world = World(tmp_path, jobs=jobs, config={"groups": [
        {"name": "Circle", "channel": channel, "facilitators": ["fran"],
         "resources": {"digest": digest}}]})
    world.ctx.members.ensure_group("W", "Circle", channel)
    world.db.commit()
    world.group = world.ctx.members.group_by_name("W", "Circle")
    world.add("alice")
    return world


def posts(world) -> list[str]:
    return [text(m) for target, m in world.messenger.sent if target.channel_id]


async def test_the_digest_lists_the_weeks_new_resources_once(tmp_path):
    world = digest_world(tmp_path)
    await world.say("alice", "resources add https://a.org/1 Sleep guide #sleep as:named")
    await world.say("alice", "resources add https://a.org/2 Everyone as:anonymous to:workspace")
    await world.wait(timedelta(days=7, hours=2))  # past two Mondays 09:00
    [post] = posts(world)
    assert "New in the resource library this week (Circle)" in post
    assert "Sleep guide" in post and "Everyone" in post and "shared anonymously" in post
    assert world.outbox("resources.digest") == [("channel:C1", "resources.digest", "sent")]


async def test_no_digest_when_nothing_is_new(tmp_path):
    world = digest_world(tmp_path)
    await world.wait(timedelta(days=8))
    assert posts(world) == []


async def test_a_digest_day_and_time_can_be_configured_or_switched_off(tmp_path):
    world = digest_world(tmp_path, digest="every week on wed at 17:30")
    await world.say("alice", "resources add https://a.org/1 Guide as:named")
    await world.wait(timedelta(days=2, hours=9, minutes=29))
    assert posts(world) == []
    await world.wait(timedelta(minutes=2))
    assert len(posts(world)) == 1
    off = digest_world(tmp_path / "off", digest="") if (tmp_path / "off").mkdir() is None \
        else None
    assert off is not None and [s.id for s in jobs(off.ctx)] == ["resources.digest"]


async def test_no_channel_no_digest(tmp_path):
    world = digest_world(tmp_path, channel="")
    await world.say("alice", "resources add https://a.org/1 Guide as:named")
    await world.wait(timedelta(days=8))
    assert world.outbox() == []
