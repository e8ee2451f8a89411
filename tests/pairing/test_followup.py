""""Did you meet?" after follow_up_days and the answers (figures: test_participation.py)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.world import World, buttons, text


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
