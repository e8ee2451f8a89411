"""Helpful votes (shown from 3 up), and facilitators pinning, retagging and removing."""

from __future__ import annotations

from bot.core import action_ids
from tests.resources.conftest import count

HELPFUL = action_ids.encode("resources.helpful", 1)


async def shared(world, who="alice", how="named", to="") -> None:
    await world.say(who, f"resources add https://a.org/1 Guide #sleep as:{how} {to}")


async def test_one_vote_each_and_pressing_again_takes_it_back(world):
    await shared(world)
    assert "Marked *Guide* as helpful" in await world.tap("bob", HELPFUL)
    assert "Took back your helpful mark" in await world.tap("bob", HELPFUL)
    assert count(world, "resource_votes") == 0
    await world.tap("bob", HELPFUL)
    assert count(world, "resource_votes") == 1


async def test_the_count_is_shown_only_from_three_votes(world):
    await shared(world)
    for n, who in enumerate(("bob", "carol", "fran"), start=1):
        await world.tap(who, HELPFUL)
        said = await world.say("alice", "resources")
        assert ("3 found it helpful" in said) is (n == 3), said
        assert f"{n} found" not in said or n == 3
    assert "you found it helpful" in await world.say("bob", "resources")
    assert "you found it helpful" not in await world.say("alice", "resources")


async def test_a_facilitator_pins_retags_and_removes_and_each_is_audited(world):
    await shared(world)
    assert "Pinned" in await world.say("fran", "resources pin 1")
    assert "now has #rest #shift-work" in await world.say("fran", "resources tags 1 #Rest"
                                                                   " #shift-work")
    assert "Removed" in await world.say("fran", "resources remove 1 out of date")
    log = world.db.execute("SELECT actor_id, action, detail FROM audit_log ORDER BY id"
                           ).fetchall()
    assert log == [("fran", "resources.pin", "resource 1"),
                   ("fran", "resources.tags", "resource 1: #rest #shift-work"),
                   ("fran", "resources.remove", "resource 1 “Guide”; reason: out of date")]
    assert count(world, "resources") == 0


async def test_members_may_not_pin_retag_or_remove_others_shares(world):
    await shared(world)
    for text in ("resources pin 1", "resources tags 1 #x", "resources remove 1"):
        said = await world.say("bob", text)
        assert "is for facilitators" in said and "Nothing was changed" in said, text
    assert world.db.execute("SELECT pinned, tags FROM resources").fetchall() == [(0, "sleep")]
    assert count(world, "audit_log") == 0


async def test_a_facilitator_of_another_group_is_refused(world):
    await shared(world)
    members = world.ctx.members
    other = members.ensure_group("W", "Other")
    world.add("gil")
    members.join_group("W", other.id, "gil", facilitator=True)
    members.join_group("W", world.group.id, "gil")
    world.db.commit()
    said = await world.say("gil", "resources remove 1")
    assert "is for facilitators of the group it was shared with" in said
    assert count(world, "resources") == 1


async def test_the_sharer_may_remove_their_own_named_share(world):
    await shared(world)
    assert "Removed" in await world.say("alice", "resources remove 1")
    assert world.db.execute("SELECT detail FROM audit_log").fetchone() == (
        "resource 1 “Guide”; by the member who shared it",)


async def test_an_anonymous_share_has_no_owner_to_remove_it(world):
    await shared(world, how="anonymous")
    assert "is for facilitators" in await world.say("alice", "resources remove 1")
    assert count(world, "resources") == 1


async def test_bad_numbers_get_a_clear_reply(world):
    await shared(world)
    assert "Give its number" in await world.say("fran", "resources pin")
    assert "Give its number" in await world.say("fran", "resources pin guide")
    assert "can't find resource 9" in await world.say("fran", "resources remove 9")
    assert "not a tag I can keep" in await world.say("fran", "resources tags 1 #a_b")
    assert world.db.execute("SELECT tags FROM resources").fetchone() == ("sleep",)
