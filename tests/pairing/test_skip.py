"""Skipping: a late heads-up Skip changes nothing and asks; a skip can be undone until the start."""

from __future__ import annotations

from datetime import timedelta

from tests.support.world import World, buttons

SCHEDULE = {"schedule": "every 2 weeks on mon at 10:00", "heads_up_hours": 24,
            "timezone": "UTC"}


async def heads_up_world(tmp_path, *names):
    w = World.pairing(tmp_path, pairing=SCHEDULE)
    await w.join(*names)
    await w.wait(timedelta(days=6, hours=2))  # Sunday 10:00: heads-ups
    return w


def placed(w):
    return {u for g in w.messenger.groups() for u in g}


async def test_a_stale_skip_button_does_not_pull_anyone_out_of_a_started_round(tmp_path):
    w = await heads_up_world(tmp_path, "alice", "bob", "carol", "dan")
    heads_up = w.messenger.to("alice")[-1]
    await w.wait(timedelta(days=1))  # Monday 10:00: the round starts
    assert "alice" in placed(w)
    before = len(w.messenger.to("bob")) + len(w.messenger.to("carol")) + len(w.messenger.to("dan"))
    out = await w.tap("alice", buttons(heads_up)["Skip this round"])
    assert "has already started" in out and "Nothing was changed" in out
    assert w.db.execute("SELECT state FROM pairing_round_members WHERE user_id = 'alice'"
                        ).fetchone() == ("paired",)
    await w.drain()
    after = len(w.messenger.to("bob")) + len(w.messenger.to("carol")) + len(w.messenger.to("dan"))
    assert after == before  # nobody was told alice can't make it


async def test_a_stale_skip_offers_the_step_out_button_which_then_works(tmp_path):
    w = await heads_up_world(tmp_path, "alice", "bob")
    heads_up = w.messenger.to("alice")[-1]
    await w.wait(timedelta(days=1))
    reply = await w.press("alice", buttons(heads_up)["Skip this round"])
    step_out = buttons(reply[0].message)["Step out of this round"]
    assert "stepped out" in await w.tap("alice", step_out)
    assert w.db.execute("SELECT state FROM pairing_round_members WHERE user_id = 'alice'"
                        ).fetchone() == ("left",)


async def test_unskip_before_the_round_puts_you_back_in(tmp_path):
    w = await heads_up_world(tmp_path, "alice", "bob", "carol", "dan")
    heads_up = w.messenger.to("alice")[-1]
    assert "sit out the coming round" in await w.tap("alice", buttons(heads_up)["Skip this round"])
    assert "back in for the coming round" in await w.say("alice", "pair unskip")
    assert "weren't skipping" in await w.say("alice", "pair unskip")  # twice: nothing to undo
    await w.wait(timedelta(days=1))
    assert "alice" in placed(w)


async def test_unskip_after_the_round_started_is_refused_and_changes_nothing(tmp_path):
    w = await heads_up_world(tmp_path, "alice", "bob", "carol")
    await w.say("alice", "pair skip")
    await w.wait(timedelta(days=1))
    assert "alice" not in placed(w)
    out = await w.say("alice", "pair unskip")
    assert "already started" in out and "can't be undone" in out
    assert w.db.execute("SELECT state FROM pairing_round_members WHERE user_id = 'alice'"
                        ).fetchone() == ("skipped",)


async def test_unskip_of_a_skip_for_the_next_round(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    assert "sit out the next round" in await w.say("alice", "pair skip")
    assert "back in" in await w.say("alice", "pair unskip")
    assert "Round started" in await w.say("fran", "pair round")
    await w.drain()
    assert "alice" in placed(w)


async def test_unskip_when_not_taking_part(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    assert "no skip to undo" in await w.say("alice", "pair unskip")




async def test_a_round_with_no_possible_pair_is_not_started_and_blocks_nothing(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    await w.say("alice", "pair avoid @bob")
    out = await w.say("fran", "pair round")
    assert "No pair can be formed" in out and "nothing was started" in out
    assert "bob" not in out and "alice" not in out  # names no one: conflicts are private
    assert w.db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == (0,)
    await w.join("carol")
    assert "Round started" in await w.say("fran", "pair round")


async def test_a_scheduled_round_with_no_possible_pair_is_cancelled_not_left_open(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 10:00",
                                         "heads_up_hours": 1, "timezone": "UTC"})
    await w.join("alice", "bob")
    await w.say("alice", "pair avoid @bob")
    await w.wait(timedelta(hours=3))
    assert w.db.execute("SELECT status FROM pairing_rounds").fetchall() == [("cancelled",)]
    told = w.messenger.to("bob")[-1]
    assert "alice" not in str(told)
    await w.join("carol")
    assert "Round started" in await w.say("fran", "pair round")
