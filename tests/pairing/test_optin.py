"""Opting in and out, and private conflicts: clear replies, nothing shown to the other person."""

from __future__ import annotations

from bot.core.model import Actor, plain_text
from tests.support.world import WS, World


async def test_join_and_leave(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    assert "You're in for debrief pairing in *Circle*" in await w.say("alice", "pair join")
    assert "already in" in await w.say("alice", "pair join")
    assert "You've left debrief pairing" in await w.say("alice", "pair leave")
    assert "weren't taking part" in await w.say("alice", "pair leave")


async def test_join_needs_consent_first(tmp_path):
    w = World.pairing(tmp_path)
    out = await w.say("newcomer", "pair join")
    assert "Welcome to peerbot" in out and "*Stored once you agree:*" in out
    assert w.db.execute("SELECT count(*) FROM pairing_optins").fetchone()[0] == 0


async def test_avoid_is_private_and_listed_only_for_the_declarer(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    out = await w.say("alice", "pair avoid @bob")
    assert "never be paired" in out and "not told" in out
    assert "bob" in await w.say("alice", "pair conflicts")
    assert "empty" in await w.say("bob", "pair conflicts")
    assert w.messenger.sent == [] and w.outbox() == []
    assert "Removed bob" in await w.say("alice", "pair unavoid @bob")
    assert "wasn't on your" in await w.say("alice", "pair unavoid @bob")


async def test_avoid_unknown_member_is_a_clear_reply_and_changes_nothing(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice")
    out = await w.say("alice", "pair avoid @zed")
    assert "I don't know a member called “@zed”" in out and "Nothing was changed" in out
    assert w.db.execute("SELECT count(*) FROM pairing_conflicts").fetchone()[0] == 0


async def test_avoid_yourself_or_nobody(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice")
    assert "That's you" in await w.say("alice", "pair avoid @alice")
    assert "Name one member" in await w.say("alice", "pair avoid")


async def test_skip_without_a_round_skips_the_next_one(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice")
    assert "sit out the next round" in await w.say("alice", "pair skip")
    row = w.db.execute("SELECT skip_next FROM pairing_optins WHERE user_id = 'alice'").fetchone()
    assert row == (1,)


async def test_skip_when_not_opted_in(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    assert "nothing to skip" in await w.say("alice", "pair skip")


async def test_status_shows_opt_in(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    assert "not taking part" in await w.say("alice", "pair")
    await w.join("alice")
    assert "opted in; next round when a facilitator starts one" in await w.say("alice", "pair")
    home = await w.core.home(Actor(WS, "alice"))
    assert "opted in" in plain_text(home)


async def test_a_mistyped_pair_command_gets_a_suggestion(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    out = await w.say("alice", "pair jion")
    assert "I don't know `/peer pair jion`" in out and "`/peer pair join`" in out
