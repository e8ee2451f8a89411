"""Every time pairing shows a member is in that member's own zone, never UTC by default."""

from __future__ import annotations

from datetime import timedelta

from tests.support.world import World, text

WEEKLY = {"schedule": "every week on mon at 15:00", "timezone": "UTC", "heads_up_hours": 2}


async def test_next_round_reads_est_in_new_york_and_aedt_in_sydney(tmp_path):
    w = World.pairing(tmp_path, pairing=WEEKLY)  # Monday 5 January, 08:00 UTC
    w.add("sid", "Australia/Sydney")
    await w.join("bob", "sid")  # bob lives in New York
    assert "next round Mon 05 Jan 10:00 EST" in await w.say("bob", "pair")
    assert "next round Tue 06 Jan 02:00 AEDT" in await w.say("sid", "pair")


async def test_heads_ups_name_the_round_in_each_members_zone(tmp_path):
    w = World.pairing(tmp_path, pairing=WEEKLY)
    w.add("sid", "Australia/Sydney")
    await w.join("bob", "sid")
    await w.wait(timedelta(hours=5, minutes=5))  # 13:05 UTC: the heads-ups are out
    assert "starts Mon 05 Jan 10:00 EST" in text(w.messenger.to("bob")[-1])
    assert "starts Tue 06 Jan 02:00 AEDT" in text(w.messenger.to("sid")[-1])
    assert "UTC" not in text(w.messenger.to("bob")[-1])


async def test_the_facilitator_reads_round_replies_in_their_own_zone(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 3})  # fran lives in Toronto
    await w.join("alice", "bob")
    assert "follow-up goes out Thu 08 Jan 03:00 EST" in await w.say("fran", "pair round")
    busy = await w.say("fran", "pair round")
    assert "its follow-up goes out Thu 08 Jan 03:00 EST" in busy
    preview = await w.say("fran", "pair preview")
    assert "Thu 08 Jan 03:00 EST" in preview


async def test_a_clash_with_a_running_round_reaches_each_facilitator_in_their_zone(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 0, "follow_up_days": 10})
    w.add("kai", "Australia/Sydney", facilitator=True)
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=7, hours=3))
    assert "follow-up goes out Thu 15 Jan 03:00 EST" in text(w.messenger.to("fran")[-1])
    assert "follow-up goes out Thu 15 Jan 19:00 AEDT" in text(w.messenger.to("kai")[-1])


async def test_history_and_last_partner_are_in_the_members_zone(tmp_path):
    w = World.pairing(tmp_path)
    w.add("sid", "Australia/Sydney")
    await w.join("bob", "sid")
    await w.say("fran", "pair round")
    assert "Last partner: sid (Mon 05 Jan 03:00 EST)" in await w.say("bob", "pair")
    assert "Mon 05 Jan 19:00 AEDT, Circle: with bob" in await w.say("sid", "pair history")
