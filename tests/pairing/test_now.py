"""`/peer pair now`: confirm first (named or anonymous), ask who is free, first yes wins."""

from __future__ import annotations

from datetime import timedelta

from bot.core import action_ids
from tests.support.world import World, buttons, text

NAMED, ANONYMOUS = action_ids.encode("pair.nowask", 1), action_ids.encode("pair.nowask", 0)


async def ask(w: World, user: str, value: str = NAMED) -> str:
    card = await w.say(user, "pair now")
    assert "Nothing has been sent yet" in card, card
    return await w.tap(user, value)


async def test_nothing_is_sent_before_the_requester_confirms(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan")
    card = await w.command("alice", "pair now")
    assert "I can ask 2 colleagues" in text(card[0].message)
    assert "alice would like a short debrief" in text(card[0].message)
    assert set(buttons(card[0].message)) == {"Ask with my name", "Ask anonymously"}
    await w.drain()
    assert not w.outbox("pairing.offer")
    assert "I've asked 2 colleagues who are free now, with your name" in await w.tap(
        "alice", NAMED)
    await w.drain()
    assert "alice would like a short debrief" in text(w.messenger.to("carol")[-1])


async def test_an_anonymous_request_names_nobody_until_someone_accepts(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan")
    assert "anonymously" in await ask(w, "alice", ANONYMOUS)
    await w.drain()
    offer = w.messenger.to("carol")[-1]
    assert "A colleague in your group would like" in text(offer)
    assert "alice" not in text(offer) and "alice" not in str(offer)
    assert "Thank you. You're connected with alice" in await w.tap(
        "carol", buttons(offer)["I can talk now"])
    await w.drain()
    assert ("alice", "carol") in w.messenger.groups()
    assert "alice" not in str(w.messenger.to("dan"))  # the one not chosen never learns who


async def test_a_forged_choice_is_refused_and_sends_nothing(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol")
    out = await w.tap("alice", action_ids.encode("pair.nowask", 7))
    assert "no longer valid" in out or "isn't valid" in out or "not valid" in out.lower()
    await w.drain()
    assert not w.outbox("pairing.offer")


async def test_only_opted_in_peers_within_their_working_hours_are_asked(tmp_path):
    w = World.pairing(tmp_path)  # Monday 08:00 UTC: 03:00 in New York
    await w.join("alice", "bob", "carol", "dan")
    await w.say("dan", "pair avoid @carol")
    w.add("erin")  # in the group, not opted in
    await w.say("alice", "pair hours 09:00-17:00")
    assert "I've asked 2 colleagues" in await ask(w, "alice")
    await w.drain()
    assert sorted(t.user_id for t, _ in w.messenger.sent) == ["carol", "dan"]  # not bob: 03:00
    # For carol: dan declared a conflict, alice's own hours start at 09:00, bob is asleep.
    assert "can be asked right now" in await w.say("carol", "pair now")


async def test_nobody_opted_in_is_said_honestly(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice")
    w.add("bob")  # in the group, never opted in
    out = await w.say("alice", "pair now")
    assert "Nobody else in your groups has opted in" in out and "nobody was free" not in out


async def test_paused_or_skipping_colleagues_are_not_asked(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan", "erin")
    await w.say("carol", "checkin pause 1 week")
    await w.say("dan", "pair skip")
    assert "I've asked 1 colleague " in await ask(w, "alice")
    await w.drain()
    assert [t.user_id for t, _ in w.messenger.sent if t.user_id] == ["erin"]


async def test_who_declined_is_not_asked_again_within_the_hour(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan")
    await ask(w, "alice")
    await w.drain()
    await w.tap("carol", buttons(w.messenger.to("carol")[-1])["Not now"])
    await w.tap("dan", buttons(w.messenger.to("dan")[-1])["Not now"])
    await w.drain()
    assert "nobody was free" in text(w.messenger.to("alice")[-1])
    w.clock.advance(timedelta(minutes=30))
    again = await w.say("alice", "pair now")
    assert "can be asked right now" in again and "has just said no" in again
    w.clock.advance(timedelta(minutes=31))
    assert "I can ask 2 colleagues" in await w.say("alice", "pair now")
    # a decliner cannot accept the old offer after all
    old = buttons(w.messenger.to("carol")[-1])["I can talk now"]
    assert "connected" not in await w.tap("carol", old)


async def test_first_to_accept_is_connected_and_other_offers_withdrawn(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol", "dan", "erin")
    await ask(w, "alice")
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
    assert "can be asked right now" in text(msg) and "says nothing about you" in text(msg)
    card = await w.tap("alice", buttons(msg)["Show crisis lines"])
    assert "Crisis support: United States" in card and "911" in card  # the workspace default


async def test_nobody_accepts_in_time(tmp_path):
    w = World.pairing(tmp_path, pairing={"now_timeout_minutes": 20})
    await w.join("alice", "carol")
    await ask(w, "alice")
    assert "already asked" in await w.say("alice", "pair now")
    assert "already asked" in await w.tap("alice", NAMED)  # a second tap sends nothing more
    await w.wait(timedelta(minutes=25))
    last = w.messenger.to("alice")[-1]
    assert "nobody was free to talk just now" in text(last)
    assert "Show crisis lines" in buttons(last)
    offer = w.messenger.to("carol")[-1]
    assert "has closed" in await w.tap("carol", buttons(offer)["I can talk now"])


async def test_everyone_declining_tells_the_requester_at_once(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol")
    await ask(w, "alice")
    await w.drain()
    await w.tap("carol", buttons(w.messenger.to("carol")[-1])["Not now"])
    await w.drain()
    assert "nobody was free" in text(w.messenger.to("alice")[-1])


async def test_the_check_in_button_shows_the_same_confirmation(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "carol")
    card = await w.tap("alice", action_ids.encode("pair.now"))
    assert "I can ask 1 colleague " in card and "Nothing has been sent yet" in card


async def test_an_overnight_worker_is_asked_at_night(tmp_path):
    w = World.pairing(tmp_path)  # Monday 08:00 UTC
    await w.join("alice", "carol")
    await w.say("carol", "pair hours 17:00-09:00 sun-sat")
    w.clock.advance(timedelta(hours=15))  # Monday 23:00
    await w.say("alice", "pair hours 00:00-23:59 sun-sat")
    assert "I can ask 1 colleague " in await w.say("alice", "pair now")
