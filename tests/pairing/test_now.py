"""`/peer pair now`: ask who is free within their hours; first yes wins; otherwise kindness."""

from __future__ import annotations

from datetime import timedelta

from bot.core import action_ids
from tests.support.world import World, buttons, text


async def test_only_opted_in_peers_within_their_working_hours_are_asked(tmp_path):
    w = World.pairing(tmp_path)  # Monday 08:00 UTC: 03:00 in New York
    await w.join("alice", "bob", "carol", "dan")
    await w.say("dan", "pair avoid @carol")
    w.add("erin")  # in the group, not opted in
    await w.say("alice", "pair hours 09:00-17:00")
    assert "I've asked 2 colleague(s)" in await w.say("alice", "pair now")
    await w.drain()
    assert sorted(t.user_id for t, _ in w.messenger.sent) == ["carol", "dan"]  # not bob: 03:00
    # For carol: dan declared a conflict, alice's own hours start at 09:00, bob is asleep.
    assert "nobody was free" in await w.say("carol", "pair now")

async def test_first_to_accept_is_connected_and_other_offers_withdrawn(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan", "erin")
    await w.say("alice", "pair now")
    await w.drain()
    offer = w.messenger.to("carol")[-1]
    assert "alice would like a short debrief" in text(offer)
    assert "Thank you. You're connected with alice" in await w.tap(
        "carol", buttons(offer)["I can talk now"])
    assert "someone else has already been connected" in await w.tap(
        "dan", buttons(w.messenger.to("dan")[-1])["I can talk now"])
    await w.drain()
    assert ("alice", "carol") in w.messenger.groups()
    assert "No longer needed" in text(w.messenger.to("erin")[-1])
    assert "Debrief now" in text(w.messenger.to("alice")[-1])


async def test_nobody_free_is_told_kindly_with_the_crisis_card(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")  # bob is outside his hours
    replies = await w.command("alice", "pair now")
    msg = replies[0].message
    assert "nobody was free to talk just now" in text(msg)
    card = await w.tap("alice", buttons(msg)["Show crisis lines"])
    assert "Crisis support: United States" in card and "911" in card  # the workspace default


async def test_nobody_accepts_in_time(tmp_path):
    w = World.pairing(tmp_path, pairing={"now_timeout_minutes": 20})
    await w.join("alice", "carol")
    await w.say("alice", "pair now")
    assert "already asked" in await w.say("alice", "pair now")
    await w.wait(timedelta(minutes=25))
    last = w.messenger.to("alice")[-1]
    assert "nobody was free to talk just now" in text(last)
    assert "Show crisis lines" in buttons(last)
    offer = w.messenger.to("carol")[-1]
    assert "has closed" in await w.tap("carol", buttons(offer)["I can talk now"])


async def test_everyone_declining_tells_the_requester_at_once(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol")
    await w.say("alice", "pair now")
    await w.drain()
    await w.tap("carol", buttons(w.messenger.to("carol")[-1])["Not now"])
    await w.drain()
    assert "nobody was free" in text(w.messenger.to("alice")[-1])


async def test_the_check_in_button_starts_a_request(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol")
    assert "I've asked 1 colleague(s)" in await w.tap("alice", action_ids.encode("pair.now"))
