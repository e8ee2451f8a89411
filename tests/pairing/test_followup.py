""""Did you meet?" after follow_up_days, the answers, and k-anonymous participation figures."""

from __future__ import annotations

from datetime import timedelta

from bot.core.model import Message, plain_text
from bot.pairing.followup import participation_summary
from tests.support.world import WS, World, buttons, text

SIX = ("alice", "bob", "carol", "dan", "erin", "gus")


async def test_follow_up_goes_out_after_follow_up_days_and_closes_the_round(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 3})
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=2, hours=23))
    assert w.outbox("pairing.followup") == []
    await w.wait(timedelta(hours=2))
    follow = w.messenger.to("alice")[-1]
    assert "Did you meet bob" in text(follow)
    assert set(buttons(follow)) == {"Yes, we met", "Not yet", "We couldn't"}
    status = w.db.execute("SELECT status FROM pairing_rounds").fetchone()
    assert status == ("closed",)
    assert "Round started" in await w.say("fran", "pair round")  # the group is free again


async def test_answers_are_recorded_and_can_change(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1})
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=1, hours=1))
    choices = buttons(w.messenger.to("alice")[-1])
    assert "still time" in await w.tap("alice", choices["Not yet"])
    assert "Glad" in await w.tap("alice", choices["Yes, we met"])
    met = w.db.execute("SELECT met FROM pairing_round_members WHERE user_id = 'alice'").fetchone()
    assert met == ("yes",)
    w.add("carol")
    assert "no longer valid" in await w.tap("carol", choices["Yes, we met"])


async def test_participation_is_withheld_below_k_respondents(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=5)
    await w.join(*SIX)
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=1, hours=1))
    for user in SIX[:4]:
        await w.tap(user, buttons(w.messenger.to(user)[-1])["Yes, we met"])
    blocks = participation_summary(w.ctx, WS, w.group.id)
    shown = plain_text(Message(tuple(blocks)))
    assert "Fewer than 5 people answered" in shown and "4" not in shown
    await w.tap("erin", buttons(w.messenger.to("erin")[-1])["We couldn't"])
    blocks = participation_summary(w.ctx, WS, w.group.id)
    shown = plain_text(Message(tuple(blocks)))
    assert "6 people were introduced; 5 answered" in shown
    assert "4 met, 0 not yet, 1 couldn't" in shown


async def test_no_round_no_participation_section(tmp_path):
    w = World.pairing(tmp_path)
    assert participation_summary(w.ctx, WS, w.group.id) is None


async def test_pulse_shows_pairing_participation(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await w.join("alice", "bob", "carol", "dan")
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=1, hours=1))
    for user in ("alice", "bob", "carol"):
        await w.tap(user, buttons(w.messenger.to(user)[-1])["Yes, we met"])
    out = await w.say("fran", "pulse")
    assert "Debrief pairing" in out and "4 people were introduced; 3 answered" in out
